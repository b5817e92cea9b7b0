"""WeasyPrint, strictly: warnings fail, and only files in styles/ may be fetched."""
from __future__ import annotations

import pytest

from leaflet.formats import pdf
from leaflet.errors import BuildError, Location

HERE = Location("test.yaml", 1)


def page(body: str, head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
            f'<link rel="stylesheet" href="fonts.css">{head}</head><body>{body}</body></html>')


def test_a_simple_page_renders_to_a_tagged_pdf():
    import io

    from pypdf import PdfReader

    data = pdf.render(page("<p>Hello</p>"), HERE, pdf_variant="pdf/ua-1")
    assert "/StructTreeRoot" in PdfReader(io.BytesIO(data)).trailer["/Root"]


def test_a_css_warning_fails_the_build():
    with pytest.raises(BuildError, match="test.yaml:1: error: WeasyPrint: Ignored"):
        pdf.render(page("<p>x</p>", "<style>p { colour: red }</style>"), HERE)


def test_missing_lang_fails_the_build():
    html = page("<p>x</p>").replace(' lang="en"', "")
    with pytest.raises(BuildError, match="WeasyPrint"):
        pdf.render(html, HERE, pdf_variant="pdf/ua-1")


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "../../../../etc/hostname",
    "https://example.org/x.css",
    "../tests/conftest.py",
])
def test_files_outside_styles_and_the_network_are_refused(url):
    html = page(f'<a rel="attachment" href="{url}">x</a><img src="{url}" alt="x">',
                f'<link rel="stylesheet" href="{url}">')
    with pytest.raises(BuildError, match="refused"):
        pdf.render(html, HERE)


def test_a_symlink_out_of_styles_is_refused(tmp_path):
    from leaflet.layout.page import STYLES

    secret = tmp_path / "secret.css"
    secret.write_text("p { color: red }")
    link = STYLES / "test-symlink.css"
    link.symlink_to(secret)
    try:
        with pytest.raises(BuildError, match="refused"):
            pdf.render(page("<p>x</p>", '<link rel="stylesheet" href="test-symlink.css">'), HERE)
    finally:
        link.unlink()


def test_layout_counts_pages_without_writing():
    document = pdf.layout(page("<p>x</p>" * 3), HERE)
    assert len(document.pages) == 1
