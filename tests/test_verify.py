"""The checks made on every PDF before it is written: each one fails on a broken PDF."""
from __future__ import annotations

import io

import pikepdf
import pytest

from leaflet.checks import verify
from leaflet.errors import Location

HERE = Location("test")


@pytest.fixture(scope="module")
def screen(built):
    out, _ = built
    return (out / "en-GB" / "nerve-related-back-and-leg-pain-screen.pdf").read_bytes()


@pytest.fixture(scope="module")
def print_a4(built_all):
    out, _, _ = built_all
    return (out / "en-GB" / "nerve-related-back-and-leg-pain-print-a4.pdf").read_bytes()


def expect(**changes):
    from leaflet.build import build
    from leaflet.inputs import source
    from conftest import SOURCE

    leaflet = source.load(SOURCE)
    base = dict(title=leaflet.metadata.title.plain, language="en-GB", size_mm=(210, 297),
                headings=build.headings(leaflet))
    return verify.Expect(**{**base, **changes})


def broken(data: bytes, change) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        buffer = io.BytesIO()
        pdf.save(buffer)
    return buffer.getvalue()


def messages(data, expected):
    pages, problems = verify.verify(data, expected, HERE)
    return [p.message for p in problems]


def test_a_good_pdf_passes_and_its_pages_are_counted(screen):
    pages, problems = verify.verify(screen, expect(), HERE)
    assert problems == [] and pages >= 7


@pytest.mark.parametrize("change, message", [
    (lambda pdf: pdf.Root.MarkInfo.__setattr__("Marked", False), "not tagged"),
    (lambda pdf: pdf.Root.__delattr__("StructTreeRoot"), "no structure tree"),
    (lambda pdf: pdf.Root.__setattr__("Lang", pikepdf.String("fr")), "document language is 'fr'"),
    (lambda pdf: pdf.Root.ViewerPreferences.__setattr__("DisplayDocTitle", False),
     "DisplayDocTitle is not set"),
    (lambda pdf: pdf.docinfo.__setitem__("/Title", pikepdf.String("Wrong")), "title is 'Wrong'"),
    (lambda pdf: pdf.pages[0].obj.__setattr__("TrimBox", pikepdf.Array([0, 0, 420, 595])),
     "page 1 trim size is"),
    (lambda pdf: pdf.Root.__delattr__("Outlines"), "bookmarks [] differ from the headings"),
])
def test_each_check_fails_on_a_pdf_broken_for_it(screen, change, message):
    assert any(message in m for m in messages(broken(screen, change), expect()))


def test_page_count_and_bleed_are_checked(screen):
    found = messages(screen, expect(pages=2, bleed_mm=3))
    assert any(m.endswith("pages, expected 2") for m in found)
    assert any("bleed is [0.0, 0.0, 0.0, 0.0] pt, expected 8.5 pt" in m for m in found)


def test_print_checks_pass_on_the_print_file_and_fail_on_the_screen_one(screen, print_a4):
    assert messages(print_a4, expect(pdfx=True, ua=False, bleed_mm=3, headings=())) == []
    found = messages(screen, expect(pdfx=True))
    assert "PDF check: no PDF/X output intent" in found
    assert any("has annotations (links)" in m for m in found)
    assert any("uses RGB colour" in m for m in found)
