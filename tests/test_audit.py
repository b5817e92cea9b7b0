"""`make check`: every check passes on a fresh build and fails on a PDF broken for it."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pikepdf
import pytest

from leaflet.checks import audit, engines
from leaflet.formats import finish, output, web
from conftest import DATA, ROOT


@pytest.fixture(scope="module")
def rows(built_all):
    """Every check but the engines' (tests/test_engines.py draws every file itself)."""
    out, _, _ = built_all
    return audit.audit(out, draw=False)


def test_every_file_of_a_fresh_build_passes_every_check(rows):
    assert len([r for r in rows if r.path.endswith(".pdf")]) == 72
    # a plain text and a braille-ready file for each of the 9 languages
    assert len([r for r in rows if r.path.endswith(".txt")]) == 9
    braille = [r for r in rows if r.path.endswith(".brf")]
    assert len(braille) == 9
    assert all(r.results == {"file": "ok", "sizes": "ok", "weight": "n/a"} for r in braille)
    pages = [r for r in rows if r.path.endswith(".html")]
    # nine languages' leaflet pages, weighed against their budgets; the library's pages
    # (the front page, the leaflet's page, nine language pages) have none
    library = {"index.html", "leaflets/nerve-related-back-and-leg-pain.html",
               *(f"{r.path.split('/')[0]}/index.html" for r in braille)}
    assert len(pages) == 20 and len(library) == 11
    assert all(set(r.results) == {"file", "weight"} for r in pages)
    assert all(r.results["weight"] == ("n/a" if r.path in library else "ok") for r in pages)
    assert [(r.path, r.results) for r in rows if r.failed] == []
    screen = next(r for r in rows if r.path == "ar/nerve-related-back-and-leg-pain-screen.pdf")
    assert set(screen.results.values()) == {"ok", "n/a"} and screen.results["engines"] == "n/a"


def test_the_check_command_prints_a_table_and_exits_0(built):
    """The whole command, engines included, on the English build (the five engines on
    every file of every language are tests/test_engines.py's)."""
    out, _ = built
    result = subprocess.run([sys.executable, "render.py", "check", "-o", str(out)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]
    header = result.stdout.splitlines()[0].split()
    assert header == ["file", *audit.CHECKS]
    rows = len(output.read_manifest(out))
    assert result.stdout.rstrip().endswith(f"{rows} files, 0 failed checks")


def test_the_check_command_can_leave_the_engines_out(built_all):
    out, _, _ = built_all
    result = subprocess.run([sys.executable, "render.py", "check", "-o", str(out),
                             "--no-engines"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]
    assert result.stdout.rstrip().endswith(f"{len(output.read_manifest(out))} files, "
                                           "0 failed checks")
    assert all(line.split()[-1] == "-" for line in result.stdout.splitlines()[1:-1])


def test_a_file_an_engine_draws_blank_fails_the_engines_check(tmp_path):
    """tests/data/engines-cjk-cff.pdf: Chinese that MuPDF and Ghostscript draw blank."""
    fixture = DATA / "engines-cjk-cff.pdf"
    output.write([output.Built(f"zh-Hans/{fixture.name}", "card", "zh-Hans", "sheet",
                               "released", 1, fixture.read_bytes())], tmp_path)
    [row] = audit.audit(tmp_path)
    assert row.results["file"] == "ok"
    assert row.results["engines"].startswith("page 1: mupdf: 70 of 70 glyphs of ")
    # Ghostscript and the current MuPDF draw it blank too (as ISO 32000-1 9.7.4.2 has
    # them look the CID up), and both MuPDFs say so while drawing: four more faults.
    assert row.results["engines"].endswith("(and 4 more)")
    assert [f.split(":")[1].strip() for f in map(str, engines.faults(tmp_path / "zh-Hans" /
                                                                    fixture.name))][:3] == \
        ["mupdf", "ghostscript", "pymupdf"]


def broken_copy(built_all, tmp_path, change, name="en-GB/nerve-related-back-and-leg-pain-screen.pdf"):
    out, _, _ = built_all
    copy = tmp_path / "output"
    shutil.copytree(out, copy)
    with pikepdf.open(copy / name, allow_overwriting_input=True) as pdf:
        change(pdf)
        pdf.save(copy / name)
    row = next(r for r in audit.audit(copy, draw=False) if r.path == name)
    return row.results


def unmark_footer(pdf):
    """Put the footer back the way WeasyPrint 70 writes it: content nobody references."""
    page = pdf.pages[0]
    ops = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC" and str(operands[0]) == "/Artifact":
            operands = [pikepdf.Name.Span, pikepdf.Dictionary(MCID=999)]
        ops.append((operands, operator))
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))


@pytest.mark.parametrize("change, check, reason", [
    (unmark_footer, "marked", "page 1: marked content 999 belongs to no structure element"),
    (lambda pdf: [a.__setattr__("F", 0) for p in pdf.pages for a in p.get("/Annots", [])],
     "links", "a link that does not print"),
    (lambda pdf: [a.__delattr__("Contents") for p in pdf.pages for a in p.get("/Annots", [])],
     "links", "a link without alternative text"),
    (lambda pdf: [p.obj.__delattr__("Tabs") for p in pdf.pages if "/Tabs" in p.obj],
     "links", "annotations but no /Tabs /S"),
    (lambda pdf: pdf.Root.__setattr__("Lang", pikepdf.String("en")), "language",
     "/Lang is 'en', not 'en-GB'"),
    (lambda pdf: pdf.Root.MarkInfo.__setattr__("Marked", False), "tagged",
     "/MarkInfo /Marked missing"),
    (lambda pdf: [f.__delattr__("ToUnicode") for p in pdf.pages[:1]
                  for f in p.Resources.Font.values()], "fonts", "has no ToUnicode map"),
])
def test_each_check_fails_on_a_pdf_broken_for_it(built_all, tmp_path, change, check, reason):
    results = broken_copy(built_all, tmp_path, change)
    assert reason in results[check]
    assert results["file"] == "not the file the manifest lists"


def test_skipped_heading_levels_fail(built_all, tmp_path):
    def skip(pdf):
        for element in finish.elements(pdf.Root.StructTreeRoot.K):
            if element.S == "/H2":
                element.S = pikepdf.Name.H3
                return
    assert broken_copy(built_all, tmp_path, skip)["headings"] == "H1 is followed by H3"


def test_contrast_is_computed_from_the_styles():
    assert round(audit.contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(audit.contrast_ratio("#777777", "#ffffff"), 2) == 4.48
    assert audit.contrast_problem() is None
    assert audit.contrast_problem(minimum=7) .startswith("--blue on --white")


def test_content_painted_out_of_reading_order_fails(built_all, tmp_path):
    def reverse_first_list(pdf):
        for element in finish.elements(pdf.Root.StructTreeRoot.K):
            if element.S == "/L":
                element.K = pikepdf.Array(list(element.K)[::-1])
                return
    reason = broken_copy(built_all, tmp_path, reverse_first_list)["order"]
    assert "is painted before" in reason and "which comes first in reading order" in reason


def test_sizes_are_measured_from_the_pdf(built_all):
    out, _, _ = built_all
    screen = out / "en-GB" / "nerve-related-back-and-leg-pain-screen.pdf"
    large = out / "en-GB" / "nerve-related-back-and-leg-pain-large-print.pdf"
    assert audit._sizes(large, 16) == "ok"
    assert audit._sizes(screen, 16).startswith("page 1: text at ")  # 12 pt body, 9 pt footer
    assert audit._sizes(screen, 9) == "ok"


@pytest.mark.parametrize("language", ["en-GB", "ar"])
def test_an_element_split_by_a_page_break_is_one_element(built_all, language):
    """PDF/UA-1 7.1: WeasyPrint makes one tree per page; finish.finished joins them."""
    out, _, _ = built_all
    path = out / language / "nerve-related-back-and-leg-pain-screen.pdf"
    with pikepdf.open(path) as pdf:
        document = pdf.Root.StructTreeRoot.K[0]
        assert [str(k.S) for k in document.K] == ["/Div", "/Part", "/Sect"]
        lists = [e for e in finish.elements(pdf.Root.StructTreeRoot.K) if e.S == "/L"]
        # "What are the symptoms?" has four bullets; a page break falls inside the list.
        assert len(lists[0].K) == 4
        assert not any("/LeafletSource" in e for e in finish.elements(document))


def test_a_web_page_over_its_budget_fails_the_weight_check(tmp_path):
    heavy = output.Built("bn/a.html", "leaflet", "bn", "web", "released", None, b"x" * 41_000)
    assert web.PAGE_BUDGET < 41_000
    font = output.Built("bn/fonts/a.woff2", "leaflet", "bn", "font", "released", None,
                        b"y" * 170_000, part_of="bn/a.html")
    light = output.Built("pl/a.html", "leaflet", "pl", "web", "released", None, b"x" * 39_000)
    output.write([heavy, font, light], tmp_path)
    results = {r.path: r.results for r in audit.audit(tmp_path)}
    assert results["bn/a.html"]["weight"] == f"41000 bytes of HTML and CSS, over {web.PAGE_BUDGET}"
    assert results["pl/a.html"]["weight"] == "ok"
    assert results["bn/fonts/a.woff2"] == {"file": "ok", "weight": "n/a"}
