"""Every glyph drawn has its own Unicode text (leaflet/formats/glyphmap.py)."""
from __future__ import annotations

import io
import re
import subprocess

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from leaflet.checks import audit
from leaflet.formats import glyphmap
from leaflet.inputs import catalog, source
from leaflet.layout import page
from conftest import NAME, ROOT, squeeze

LANGUAGES = catalog.languages(ROOT / "translations", NAME)
LEFT_TO_RIGHT = [lang for lang in LANGUAGES if lang not in ("ar", "ur")]


@pytest.mark.parametrize("text, glyphs, rtl, expected", [
    ("a", 1, False, [(1, "a")]),
    ("কি", 2, False, [(1, "ক"), (1, "ি")]),  # pre-base vowel drawn first: pieces in order
    ("ক্ষ", 1, False, [(1, "ক্ষ")]),  # a conjunct: one glyph, three characters
    ("ক্ষি", 2, False, [(1, "ক"), (1, "্ষি")]),
    ("ک", 3, True, [(3, "ک")]),  # a Nastaliq letter and its dots: one composite
    ("کی", 3, True, [(2, "ی"), (1, "ک")]),  # right to left: reversed
    ("لا", 1, True, [(1, "ال")]),  # lam-alef ligature
])
def test_a_cluster_is_split_so_its_pieces_read_back_its_text(text, glyphs, rtl, expected):
    written = glyphmap.groups(text, glyphs, rtl)
    assert written == expected
    assert sum(count for count, _ in written) == glyphs
    assert all(piece for _, piece in written)
    joined = "".join(piece for _, piece in written)
    assert (joined[::-1] if rtl else joined) == text


def pdfs(out):
    return sorted(out.glob("*/*.pdf"))


def test_every_code_shown_in_every_pdf_maps_to_its_text(built_all):
    """ISO 14289-1 7.21.7, for every font of every edition and language."""
    out, _, _ = built_all
    problems = {}
    for path in pdfs(out):
        with pikepdf.open(path) as pdf:
            problem = audit.unmapped_code(pdf)
        if problem:
            problems[str(path.relative_to(out))] = problem
    assert problems == {}


def test_the_check_names_the_font_and_code_of_an_empty_mapping(built_all, tmp_path):
    out, _, _ = built_all
    with pikepdf.open(out / "bn" / "nerve-related-back-and-leg-pain-screen.pdf") as pdf:
        font = next(f for f in pdf.pages[0].Resources.Font.values() if "Bengali" in str(f.BaseFont))
        cmap = font.ToUnicode.read_bytes()
        code = re.search(rb"<([0-9a-f]{4})> <[0-9a-f]+>", cmap.split(b"beginbfchar")[1]).group(1)
        font.ToUnicode.write(re.sub(rb"<%s> <[0-9a-f]+>" % code, b"<%s> <>" % code, cmap))
        assert audit.unmapped_code(pdf) == (
            f"page 1: font {font.BaseFont} code {code.decode()} maps to nothing")


def embedded(path, family: str):
    """The regular font of `family` with the most codes: its CIDToGIDMap (code ->
    glyph) and its font program."""
    with pikepdf.open(path) as pdf:
        fonts = {f.objgen: f for p in pdf.pages for f in p.Resources.Font.values()
                 if str(f.BaseFont).endswith(f"+Leaflet-{family}")}
        font = max(fonts.values(), key=lambda f: len(f.ToUnicode.read_bytes()))
        descendant = font.DescendantFonts[0]
        table = descendant.CIDToGIDMap.read_bytes()
        tt = TTFont(io.BytesIO(descendant.FontDescriptor.FontFile2.read_bytes()))
    return [int.from_bytes(table[i:i + 2], "big") for i in range(0, len(table), 2)], tt


def test_one_glyph_standing_for_different_texts_has_a_code_for_each(built_all):
    """ISO 32000-1 9.7.4.2: several CIDs of a CIDFontType2 may select one glyph. The
    Bengali pre-base vowel sign is drawn before many different consonants."""
    out, _, _ = built_all
    gids, _ = embedded(out / "bn" / "nerve-related-back-and-leg-pain-screen.pdf", "Bengali")
    used = [g for g in gids if g]
    assert len(used) > len(set(used))


def test_composite_glyphs_are_in_the_embedded_font_and_not_nested(built_all):
    out, _, _ = built_all
    gids, tt = embedded(out / "ur" / "nerve-related-back-and-leg-pain-screen.pdf", "Urdu")
    order = tt.getGlyphOrder()
    plain = max(code for code, g in enumerate(gids) if g and code == g)
    composites = [order[g] for g in set(gids) if g > plain]  # added after the font's own
    assert composites and all(tt["glyf"][name].isComposite() for name in composites)
    # a mark drawn beside a nested composite is dropped by pdfium and MuPDF (measured)
    assert not any(tt["glyf"][c.glyphName].isComposite()
                   for name in composites for c in tt["glyf"][name].components)


def mutool_pages(path) -> list[str]:
    text = subprocess.run(["mutool", "draw", "-F", "txt", "-o", "-", str(path)],
                          capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


@pytest.mark.parametrize("language", LEFT_TO_RIGHT)
def test_mupdf_which_reads_no_actual_text_gets_every_string_back(built_all, leaflet, language):
    """MuPDF (SumatraPDF, phone apps) reads only the glyphs' Unicode mapping: a Bengali
    conjunct or pre-base vowel comes back right only if every code maps to its piece."""
    from test_languages import missing_strings, pdf_of, translated

    out, _, _ = built_all
    pages = mutool_pages(pdf_of(out, language))
    assert missing_strings(translated(leaflet, language), pages) == []


def test_text_shaped_to_no_glyph_goes_with_its_neighbour_or_is_refused():
    from leaflet.errors import BuildError

    # a joiner shaped to nothing joins the cluster before it; bidi controls are no text
    assert glyphmap._cluster_texts("a\u200cb\u2069".encode(), [0, 1, 4, 5],
                                   [7, None, 8, None]) == {0: "a\u200c", 4: "b"}
    # a run of a joiner alone is drawn as nothing and read as nothing
    assert glyphmap._cluster_texts("\u200c".encode(), [0], [None]) == {}
    # the line-break controls around an address's hyphen are no text either
    assert glyphmap._cluster_texts("a\u200b-\u2060b".encode(), [0, 1, 4, 5, 8],
                                   [7, None, 9, None, 8]) == {0: "a", 4: "-", 8: "b"}
    with pytest.raises(BuildError, match="'x' was drawn with no glyph"):
        glyphmap._cluster_texts(b"x", [0], [None])


def test_pdfjs_reads_a_number_a_dash_and_latin_inside_an_arabic_line_in_place(tmp_path):
    """pdf.js reads text items in content order and reverses each right-to-left one by
    itself (its `bidi`); the digits, the dash and the Latin are set in another font, so
    each is an item of its own. Written in reading order, each where it is drawn, the
    runs come back as they are read."""
    from leaflet.checks import engines
    from leaflet.formats import pdf
    from leaflet.layout import fonts
    from leaflet.errors import Location
    from leaflet.layout.page import Html

    line = "لا يعاني سوى 1% من الأشخاص – حالة Cauda Equina Syndrome نادرة."
    html = (f'<html lang="ar" dir="rtl"><body style=\'font-family: {fonts.css_stack("ar")}\'>'
            f"<p>{line}</p></body></html>")
    path = tmp_path / "mixed.pdf"
    path.write_bytes(pdf.render(Html(html, ("fonts.css",)), Location("test")))
    [text] = engines.text(path, "pdfjs")
    assert squeeze(line) in squeeze(text)


def test_an_address_broken_over_lines_reads_back_exactly_in_every_engine(tmp_path):
    """An address's lines break before a hyphen, never after one (page.address_lines):
    Poppler drops a hyphen that ends a line (`TextPage::dump`), pdfium reports it as
    U+FFFE. The zero width spaces and word joiners that say so map to no text, nor
    /ActualText: copied or searched, in every engine, the address is exact."""
    from leaflet.checks import engines
    from leaflet.errors import Location
    from leaflet.formats import pdf
    from leaflet.layout.page import Html

    url = "https://www.example.nhs.uk/advice-and-leaflets/lower-back/cauda-equina-and-red-flags"
    html = ('<html lang="en"><body><p style="width: 32mm">Read this: '
            f'<span class="url">{page.address_lines(url)}</span> today.</p></body></html>')
    path = tmp_path / "address.pdf"
    path.write_bytes(pdf.render(Html(html, ("fonts.css", "leaflet.css")), Location("test"),
                                pdf_variant="pdf/ua-1"))  # tagged: each run has /ActualText
    lines = engines.text(path, "poppler")[0].splitlines()
    assert len([line for line in lines if line.startswith("-")]) >= 2  # broken before them
    assert not any(line.rstrip().endswith("-") for line in lines)
    for engine in engines.TEXT_ENGINES:
        [text] = engines.text(path, engine)
        assert url in squeeze(text), engine
        assert not set(text) & {"\u200b", "\u2060", "\ufffe"}, engine
