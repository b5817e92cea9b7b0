"""The print and large-print editions: sizes, bleed, PDF/X, font sizes, QR codes, booklets."""
from __future__ import annotations

import re

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp
from pypdf import PdfReader

from leaflet.formats import finish
from leaflet.layout import page
from conftest import DATA, ROOT, pdf_text, pdftotext, squeeze

MM = 72 / 25.4


def pdf(out, language, variant):
    return out / language / f"nerve-related-back-and-leg-pain-{variant}.pdf"


def size_mm(box):
    return round(float(box.width) / MM, 1), round(float(box.height) / MM, 1)


@pytest.mark.parametrize("variant, trim", [("print-a4", (210.0, 297.0)),
                                           ("print-a5", (148.0, 210.0))])
def test_print_shop_files_have_trim_and_3mm_bleed(built_all, variant, trim):
    out, _, _ = built_all
    for p in PdfReader(pdf(out, "en-GB", variant)).pages:
        assert size_mm(p.trimbox) == trim
        assert size_mm(p.bleedbox) == (trim[0] + 6, trim[1] + 6)
        assert round((float(p.trimbox.left) - float(p.bleedbox.left)) / MM, 1) == 3.0


@pytest.mark.parametrize("variant", ["print-a4", "print-a5"])
def test_print_shop_files_are_pdfx_cmyk_tagged_with_fonts_embedded(built_all, variant):
    out, _, _ = built_all
    with pikepdf.open(pdf(out, "pl", variant)) as doc:
        assert str(doc.trailer.Info.GTS_PDFXVersion) == "PDF/X-1a:2003"
        [intent] = doc.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert "/StructTreeRoot" in doc.Root and doc.Root.Lang == "pl"
        for number, p in enumerate(doc.pages):
            assert "/Annots" not in p
            operators = {str(op) for _, op in pikepdf.parse_content_stream(p)}
            assert not operators & {"rg", "RG"}, number
            for font in p.Resources.Font.values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                assert "/FontFile2" in descendant.FontDescriptor or \
                       "/FontFile3" in descendant.FontDescriptor


def test_screen_edition_keeps_clickable_links_and_no_qr_codes(built_all):
    out, _, _ = built_all
    reader = PdfReader(pdf(out, "en-GB", "screen"))
    links = [a for p in reader.pages for a in p.get("/Annots", [])]
    assert len(links) >= 14
    html = (ROOT / "styles" / "leaflet.html.j2").read_text()
    assert 'class="qr"' in html  # the macro exists, and the screen edition does not use it
    for p in reader.pages:
        assert not p["/Resources"].get("/XObject")


@pytest.mark.parametrize("variant", ["print-a4", "print-a5", "large-print"])
def test_every_link_has_a_qr_code_that_decodes_to_it(built_all, leaflet, variant):
    out, _, _ = built_all
    decoded = []
    for p in pdfium.PdfDocument(pdf(out, "en-GB", variant)):
        decoded += [r.text for r in zxingcpp.read_barcodes(p.render(scale=3).to_pil())]
    text = (DATA / "source-material.txt").read_text()
    urls = set(re.findall(r"https://\S+", text)) | {leaflet.metadata.website}
    assert sorted(set(decoded)) == sorted(urls)
    assert len(decoded) == 14  # 13 addresses in the text, and the back page's


def test_qr_codes_have_alternative_text_naming_their_address(built_all):
    out, _, _ = built_all
    with pikepdf.open(pdf(out, "en-GB", "print-a4")) as doc:
        alts = [str(obj.Alt) for obj in doc.objects
                if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure"
                and "/Alt" in obj]
    assert "QR code that opens https://www.nhs.uk/oneyou" in alts
    assert len(alts) == 14


def test_large_print_has_no_text_under_16pt(built_all):
    out, _, _ = built_all
    sizes = []
    for p in pdfium.PdfDocument(pdf(out, "en-GB", "large-print")):
        text = p.get_textpage()
        for i in range(text.count_chars()):
            if not chr(pdfium_c.FPDFText_GetUnicode(text, i)).isspace():
                sizes.append(pdfium_c.FPDFText_GetFontSize(text, i))
    assert sizes and min(sizes) >= 15.99


def test_large_print_has_the_same_content(built_all):
    out, _, _ = built_all
    screen = set(re.findall(r"\w{5,}", pdf_text(pdf(out, "en-GB", "screen"))))
    large = set(re.findall(r"\w{5,}", pdf_text(pdf(out, "en-GB", "large-print"))))
    assert screen == large


# ----------------------------------------------------------------- booklets

def read_after_folding(sheets, right_to_left):
    """The page numbers a reader meets, turning the pages of the folded, nested sheets."""
    near, far = (1, 0) if right_to_left else (0, 1)  # which half of a side comes first
    first, second = [], []
    for front, back in sheets:
        first += [front[far], back[near]]
    for front, back in reversed(sheets):
        second += [back[far], front[near]]
    return first + second


@pytest.mark.parametrize("pages", [4, 8, 12, 16, 20, 24])
@pytest.mark.parametrize("right_to_left", [False, True])
def test_booklet_pages_read_in_order_after_folding(pages, right_to_left):
    sheets = finish.booklet_order(pages, right_to_left)
    assert len(sheets) == pages // 4
    assert read_after_folding(sheets, right_to_left) == list(range(1, pages + 1))


def halves(path):
    """For each side of each A4 sheet, the text of its left and right halves (pdftotext:
    pdfium reports boxes of text in form XObjects without the placing transformation)."""
    sides = len(PdfReader(path).pages)
    return [tuple(pdftotext_half(path, number, half) for half in ("left", "right"))
            for number in range(1, sides + 1)]


def test_english_booklet_sheets_hold_the_a5_pages_in_saddle_stitch_order(built_all):
    out, _, _ = built_all
    a5_pages = len(PdfReader(pdf(out, "en-GB", "print-a5")).pages)
    sides = halves(pdf(out, "en-GB", "booklet"))
    # The pages of text are numbered "Page n of N"; the pages after them (the back cover
    # here) are not, as a printed booklet's covers and notes pages are not.
    found = [re.search(r"Page (\d+) of (\d+)", half) for side in sides for half in side]
    numbered = {int(m.group(2)) for m in found if m}
    assert len(numbered) == 1 and numbered.pop() == a5_pages - 1
    numbers = [tuple(int(m.group(1)) if m else a5_pages for m in pair)
               for pair in zip(found[::2], found[1::2])]
    expected = [side for sheet in finish.booklet_order(a5_pages) for side in sheet]
    assert numbers == expected
    for p in PdfReader(pdf(out, "en-GB", "booklet")).pages:
        assert size_mm(p.mediabox) == (297.0, 210.0)


def test_arabic_booklet_opens_from_the_other_side(built_all, leaflet):
    out, _, _ = built_all
    from test_languages import translated

    title = squeeze(translated(leaflet, "ar").metadata.title.plain)
    assert title in squeeze(pdftotext_half(pdf(out, "ar", "booklet"), 1, "left"))
    assert title not in squeeze(pdftotext_half(pdf(out, "ar", "booklet"), 1, "right"))


def pdftotext_half(path, number, half):
    import subprocess

    width = 842 // 2
    x = 0 if half == "left" else width
    return subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-x", str(x),
                           "-y", "0", "-W", str(width), "-H", "595", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("language", ["en-GB"] + [page.bcp47(lang) for lang in
                                                  ("pl", "ar", "ur", "bn", "zh_Hans")])
def test_a5_edition_is_a_multiple_of_four_pages_ending_with_the_back_cover(built_all, leaflet,
                                                                          language):
    out, _, _ = built_all
    path = pdf(out, language, "print-a5")
    reader = PdfReader(path)
    assert len(reader.pages) % 4 == 0
    last = squeeze(pdftotext(path, page=len(reader.pages)))
    assert squeeze("EOEMSK-PIL-SCI-001") in last and squeeze("https://www.eoemskservice") in last


def test_print_settings_are_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    assert "flip on short edge" in readme and "flip on long edge" in readme
