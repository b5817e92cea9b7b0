"""Every language end to end: release policy, notices, drafts, scripts and fonts.

(The build module's own tests are in test_build.py; these build from translations/.)
"""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from leaflet.build import build
from leaflet.inputs import catalog, source
from leaflet.layout import page
from leaflet.errors import BuildError
from conftest import NAME, ROOT, SOURCE, msgstr, pdf_text, pdftotext, polish_with, squeeze

LANGUAGES = catalog.languages(ROOT / "translations", NAME)
# Extraction of right-to-left runs is not exact yet (see leaflet/formats/pdf.py _add_actual_text).
EXTRACTS_EXACTLY = [lang for lang in LANGUAGES if lang not in ("ar", "ur")]


def pdf_of(out, language, variant="screen"):
    return out / page.bcp47(language) / f"nerve-related-back-and-leg-pain-{variant}.pdf"


def translated(leaflet, language):
    return catalog.translate(leaflet, build.edition_report(leaflet, ROOT / "translations",
                                                           language))


def test_at_least_eight_languages_are_released(built_all):
    _, entries, said = built_all
    released = {e["language"] for e in entries if e["status"] == "released"}
    assert {"pl", "ro", "lt", "pt-PT", "ar", "ur", "bn", "zh-Hans", "en-GB"} <= released
    total = len(list(source.texts(source.load(SOURCE))))
    assert any(line.startswith(f"pl: released: {total}/{total} translated (100%), 0 fuzzy, "
                               "0 untranslated, 0 errors, unreviewed") for line in said)


@pytest.mark.parametrize("language", EXTRACTS_EXACTLY)
def test_the_text_extracted_from_the_pdf_gives_back_every_translated_string(
        built_all, leaflet, language):
    out, _, _ = built_all
    text = squeeze(pdf_text(pdf_of(out, language)))
    strings = printed(translated(leaflet, language))
    assert [t.key for t in strings if squeeze(t.plain) not in text] == []


@pytest.mark.parametrize("language", EXTRACTS_EXACTLY)
def test_pdftotext_gives_back_every_translated_string_and_the_page_furniture(
        built_all, leaflet, language):
    """A second extractor (Poppler). It joins a line that ends in a hyphen by dropping
    the hyphen (a compound such as "2-year" broken after its hyphen), so hyphens are
    left out of the comparison (addresses, which never break there, are compared with
    theirs below); the running footer and page numbers (artifacts, with their own
    /ActualText) are checked on every page and then taken out."""
    out, _, _ = built_all
    lang = translated(leaflet, language)
    pages = pdftotext(pdf_of(out, language)).split("\f")[:-1]
    assert missing_strings(lang, pages) == []


@pytest.mark.parametrize("language", EXTRACTS_EXACTLY)
def test_pdftotext_gives_back_every_address_exactly_hyphens_and_all(built_all, leaflet,
                                                                    language):
    """An address breaks before a hyphen, never after one (page.address_lines), so
    Poppler, which drops a hyphen ending a line, gives every address back as printed."""
    out, _, _ = built_all
    outline = page.outline(translated(leaflet, language))
    addresses = {run.text for block in outline.title_page + outline.body
                 for b in (block.blocks if isinstance(block, page.Box) else (block,))
                 for run in b.runs if run.address}
    for variant in ("screen", "large-print"):
        text = squeeze(pdftotext(pdf_of(out, language, variant)))
        assert len(addresses) == 13 and [a for a in addresses if a not in text] == []


def printed(lang):
    """The strings a screen leaflet prints (not the card's, the QR codes' or drafts')."""
    return [t for t in source.texts(lang)
            if not t.key.startswith(("card.", "metadata.subject", "labels.qr_code",
                                     "labels.draft", "labels.page_number", "labels.notes"))]


def missing_strings(lang, pages: list[str]) -> list[str]:
    """The keys of the strings not found in the text of the pages, once the running
    footer and page number, which every page must have, are taken out. Hyphens are
    left out of the comparison (an extractor may join a line that ends in one)."""
    footer = f"{lang.metadata.reference} · {lang.labels.version.value} {lang.metadata.version}"
    body = ""
    for number, text in enumerate(pages, 1):
        furniture = [footer, lang.labels.page_number.value.format(page=number, pages=len(pages))]
        for line in furniture:
            assert line in text, f"page {number}: {line!r} not extracted"
            text = text.replace(line, "")
        body += text
    body = squeeze(body).replace("-", "")
    return [t.key for t in printed(lang) if squeeze(t.plain).replace("-", "") not in body]


@pytest.mark.parametrize("language", LANGUAGES)
def test_html_holds_every_translated_string_with_lang_and_dir(leaflet, language):
    lang = translated(leaflet, language)
    html = page.render(lang, "leaflet", "screen").text
    direction = "rtl" if language in ("ar", "ur") else "ltr"
    assert f'<html lang="{page.bcp47(language)}" dir="{direction}">' in html
    assert not any(t.untranslated for t in source.texts(lang))


@pytest.mark.parametrize("language", ["pl", "zh_Hans", "bn"])
def test_a_released_pdf_never_mixes_in_english(built_all, leaflet, language):
    out, _, _ = built_all
    text = squeeze(pdf_text(pdf_of(out, language)))
    text = text.replace(squeeze(leaflet.labels.unreviewed.plain), "")  # the notice, on purpose
    # The organisation's name is a proper name: translators keep it in brackets.
    english = [t.plain for t in source.texts(leaflet) if len(t.plain) > 25
               and t.key != "service.eoe-msk.organisation"]
    assert [s for s in english if squeeze(s) in text] == []


def test_unreviewed_translation_says_so_in_the_language_and_in_english(built_all, leaflet):
    out, _, _ = built_all
    text = pdf_text(pdf_of(out, "pl"))
    first_page = text[:1500]
    assert "This translation has not yet been checked by a qualified translator." in first_page
    polish = translated(leaflet, "pl").labels.unreviewed.plain
    assert squeeze(polish) in squeeze(first_page)


def test_pdf_language_and_title_are_the_translation(built_all, leaflet):
    out, _, _ = built_all
    for language in LANGUAGES:
        reader = PdfReader(pdf_of(out, language))
        assert reader.trailer["/Root"]["/Lang"] == page.bcp47(language)
        assert reader.metadata.title == translated(leaflet, language).metadata.title.plain


def incomplete_catalogs(tmp_path, missing=5):
    """translations/ with only Polish, `missing` of its strings emptied."""
    def empty_the_last(po):
        for entry in po[-missing:]:
            entry.msgstr = ""
    return polish_with(tmp_path, empty_the_last)


def test_an_incomplete_language_is_skipped_with_the_reason(tmp_path):
    said = []
    entries = build.build(build.Options(source=SOURCE, translations=incomplete_catalogs(tmp_path),
                                        output=tmp_path / "out", languages=("pl",)),
                          say=said.append)
    assert entries == []
    total = len(list(source.texts(source.load(SOURCE))))
    # (the build's other lines, such as document control's warnings, are not Polish's)
    assert [line for line in said if line.startswith("pl:")] == [f"pl: skipped: {total - 5}/{total} translated ({100 * (total - 5) // total}%), "
                    "0 fuzzy, 5 untranslated, 0 errors, unreviewed (not released: 5 "
                    "untranslated; --draft builds a marked draft)"]


def test_a_draft_says_draft_on_every_page_and_marks_untranslated_strings(tmp_path):
    said = []
    out = tmp_path / "out"
    entries = build.build(build.Options(source=SOURCE, translations=incomplete_catalogs(tmp_path),
                                        output=out, languages=("pl",), draft=True),
                          say=said.append)
    [entry] = [e for e in entries if (e["document"], e["variant"]) == ("leaflet", "screen")]
    polish = [line for line in said if line.startswith("pl:")]
    assert entry["status"] == "draft" and polish[0].startswith("pl: draft:")
    import pypdfium2 as pdfium
    for pdf_page in pdfium.PdfDocument(out / entry["path"]):
        assert "DRAFT · PROJEKT" in pdf_page.get_textpage().get_text_range()
    html = page.render(translated_draft(tmp_path), "leaflet", "screen", draft=True).text
    assert html.count('<span class="untranslated" lang="en-GB" dir="ltr">') == 5
    # PDF/UA-1 7.2: the English left in a draft says it is English; so does the notice.
    tagged = elements_with_lang(out / entry["path"])
    assert tagged.count(("/P", "en-GB")) == 1 and len(tagged) == 6
    assert {lang for _, lang in tagged} == {"en-GB"}


def translated_draft(tmp_path):
    leaflet = source.load(SOURCE)
    return catalog.translate(leaflet, build.edition_report(leaflet, tmp_path / "translations",
                                                           "pl"))


def test_a_character_no_pinned_font_has_fails_the_build_naming_it(tmp_path):
    # A Devanagari letter: no font of Polish draws it.
    root = polish_with(tmp_path, lambda po: msgstr(po, "metadata.title", "Ból pleców ऋ"))
    with pytest.raises(BuildError) as exc:
        build.build(build.Options(source=SOURCE, translations=root, output=tmp_path / "out",
                                  languages=("pl",)))
    # The catalog's check finds it, at the translation's line, before anything is laid out.
    assert any(str(p).endswith(f"{NAME}.po:23: error: 'metadata.title': character U+090B "
                               "(DEVANAGARI LETTER VOCALIC R): no font the leaflet uses for "
                               "pl draws it") for p in exc.value.problems)
    assert not (tmp_path / "out" / "pl").exists()  # nothing of Polish is written


def test_css_font_stacks_match_the_coverage_check():
    from leaflet.layout import fonts

    css = (ROOT / "styles" / "fonts.css").read_text()
    for family, files in fonts.FAMILIES.items():
        for file in files:
            assert re.search(rf'font-family: "{family}"; font-weight: \d+; src: url\(fonts/{re.escape(file)}\)', css)
    for language, families in fonts.STACKS.items():
        stack = ", ".join(f'"{f}"' for f in families)
        assert f"html:lang({language}), html:lang({language}) body {{ font-family: {stack}; }}" in css


def elements_with_lang(path):
    import pikepdf

    found = []

    def walk(kids):
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if "/Lang" in kid:
                    found.append((str(kid.S), str(kid.Lang)))
                if kid.get("/K") is not None:
                    walk(kid.K)

    with pikepdf.open(path) as pdf:
        walk(pdf.Root.StructTreeRoot.K)
    return found


@pytest.mark.parametrize("language", ["pl", "ar", "zh_Hans"])
def test_the_english_notice_is_tagged_as_english_and_nothing_else_is(built_all, language):
    """PDF/UA-1 7.2: text in another language than the document's says so (/Lang)."""
    out, _, _ = built_all
    assert elements_with_lang(pdf_of(out, language)) == [("/P", "en-GB")]
    assert elements_with_lang(pdf_of(out, "en-GB")) == []


# ISO 32000-1 9.7.4.2: a CIDFontType2 selects its glyph through the CIDToGIDMap, a
# CIDFontType0 (CFF) through the CFF charset. WeasyPrint writes glyph indices as the CIDs
# (Identity-H, CIDToGIDMap /Identity), so a CFF font is drawn right by the strict engines
# (MuPDF, Ghostscript) only when its charset's CIDs are its glyph indices.
def cids_are_glyph_indices(cff) -> bool:
    """Whether a CFF font's glyph number i has CID i (always so for a name-keyed font)."""
    top = cff.topDictIndex[0]
    return not hasattr(top, "ROS") or all(
        name == ".notdef" if gid == 0 else name == f"cid{gid:05d}"
        for gid, name in enumerate(top.charset))


def selects_glyphs_by_index(font) -> bool:
    """Whether a TrueType or OpenType font (fontTools TTFont) is one whose glyph indices
    every engine finds as PDF codes: TrueType outlines, or CFF whose CIDs equal them."""
    return "glyf" in font or cids_are_glyph_indices(font["CFF "].cff)


@pytest.mark.parametrize("family", ["Leaflet Sans", "Leaflet Arabic", "Leaflet Urdu",
                                    "Leaflet Bengali", "Leaflet SC"])
def test_every_pinned_font_numbers_its_glyphs_as_pdf_engines_select_them(family):
    from fontTools.ttLib import TTFont

    from leaflet.layout import fonts

    for file in fonts.FAMILIES[family]:
        with TTFont(fonts.FONT_DIR / file, lazy=True) as font:
            assert selects_glyphs_by_index(font), file


def embedded_fonts(path):
    """(BaseFont, whether every engine selects its glyphs by the code) of each font the
    PDF embeds."""
    import io

    import pikepdf
    from fontTools.cffLib import CFFFontSet
    from fontTools.ttLib import TTFont

    found = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if not (isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
                    and obj.get("/Subtype") in ("/CIDFontType0", "/CIDFontType2")):
                continue
            descriptor = obj.FontDescriptor
            if obj.Subtype == "/CIDFontType2":
                good = "/FontFile2" in descriptor and obj.get("/CIDToGIDMap") is not None
            elif descriptor.FontFile3.get("/Subtype") == "/OpenType":
                good = selects_glyphs_by_index(TTFont(io.BytesIO(descriptor.FontFile3.read_bytes())))
            else:  # a bare CFF font program
                cff = CFFFontSet()
                cff.decompile(io.BytesIO(descriptor.FontFile3.read_bytes()), None)
                good = cids_are_glyph_indices(cff)
            found.append((str(obj.BaseFont), good))
    return found


def test_every_font_embedded_in_every_output_selects_its_glyphs_by_the_code(built_all):
    out, _, _ = built_all
    pdfs = sorted(out.glob("*/*.pdf"))
    fonts = {(path.relative_to(out).as_posix(), name): good
             for path in pdfs for name, good in embedded_fonts(path)}
    assert any("Leaflet-SC" in name for _, name in fonts)
    assert [where for where, good in fonts.items() if not good] == []


def cjk_glyph_boxes(path):
    """Per page, the box (left, top, right, bottom, in points from the page's top left)
    of every Chinese character, as pdfium lays the text out."""
    import unicodedata

    import pypdfium2 as pdfium

    pages = []
    for page in pdfium.PdfDocument(path):
        text = page.get_textpage()
        x0, _, _, y1 = page.get_mediabox()
        boxes = []
        for i in range(text.count_chars()):
            if unicodedata.name(text.get_text_range(i, 1)[:1] or " ", "").startswith("CJK"):
                left, bottom, right, top = text.get_charbox(i)
                boxes.append((left - x0, y1 - top, right - x0, y1 - bottom))
        pages.append(boxes)
    return pages


STRICT_ENGINES = {  # engines that select a CID font's glyphs by the standard's rule
    "mupdf": ["mutool", "draw", "-q", "-r", "{dpi}", "-o", "{out}/page-%d.png"],
    "ghostscript": ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=png16m",
                    "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4", "-r{dpi}",
                    "-sOutputFile={out}/page-%d.png"],
}


@pytest.mark.parametrize("engine", sorted(STRICT_ENGINES))
def test_mupdf_and_ghostscript_draw_every_character_of_the_chinese_card(
        built_all, tmp_path, engine):
    """The card's red-flag side once printed blank in these engines (CIDs that were not
    glyph indices): each Chinese character's box must hold ink, a dark glyph on white or
    a white one on red, and the engine must warn of nothing (MuPDF's FT_Load_Glyph
    warning names a glyph it could not load)."""
    import subprocess

    from PIL import Image

    out, _, _ = built_all
    path = out / "zh-Hans" / "cauda-equina-card-screen.pdf"
    dpi = 150
    command = [part.format(dpi=dpi, out=tmp_path) for part in STRICT_ENGINES[engine]]
    done = subprocess.run([*command, str(path)], capture_output=True, text=True, check=True)
    # Debian's MuPDF is built without colour management and says so on every run.
    assert [line for line in done.stderr.splitlines()
            if line != "warning: ICC support is not available"] == []
    blank = []
    pages = cjk_glyph_boxes(path)
    assert len(pages) == 2 and all(len(boxes) > 50 for boxes in pages)
    for number, boxes in enumerate(pages, 1):
        image = Image.open(tmp_path / f"page-{number}.png").convert("L")
        for box in boxes:
            low, high = image.crop(tuple(round(v * dpi / 72) for v in box)).getextrema()
            if high - low < 80:
                blank.append((number, box))
    assert blank == []
