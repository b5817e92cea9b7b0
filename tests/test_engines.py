"""Six engines (five, MuPDF in two releases) draw every page of every PDF with the same
text; the check can fail."""
from __future__ import annotations

import io
import os
from concurrent.futures import ProcessPoolExecutor

import pikepdf
import pytest

from leaflet.build import freshness
from leaflet.checks import engines
from leaflet.inputs import catalog, source
from leaflet.layout.variants import VARIANTS
from conftest import NAME, DATA, ROOT, SOURCE, squeeze

# tools/engine_fixtures.py: one page, Chinese in a CID-keyed CFF whose CIDs are not its
# glyph indices, and a line of English in Noto Sans (TrueType)
KNOWN_BAD = DATA / "engines-cjk-cff.pdf"
CARD = source.load(SOURCE).red_flags.id  # a card is named by its red-flag list
FILES = [freshness.output_path(SOURCE, variant, language, CARD)
         for language in [freshness.SOURCE_LANGUAGE] + catalog.languages(ROOT / "translations", NAME)
         for variant in VARIANTS if variant.format == "pdf"]


@pytest.fixture(scope="module")
def faults_of_build(built_all):
    """Every file of a full build checked in six engines, one process per core."""
    out, entries, _ = built_all
    paths = [e["path"] for e in entries if e["format"] == "pdf"]
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        return dict(zip(paths, pool.map(engines.faults, [out / p for p in paths])))


@pytest.mark.parametrize("path", FILES)
def test_every_page_shows_its_text_in_all_six_engines(faults_of_build, path):
    assert path in faults_of_build, f"{path} was not built"
    found = [f"{path}: {fault}" for fault in faults_of_build[path]]
    assert not found, "glyphs missing or different:\n" + "\n".join(found)


def with_cids(path, cid_of) -> bytes:
    """The PDF with each CID-keyed CFF font's charset rewritten: glyph g gets the CID
    `cid_of(drawn)[g]` (identity where absent), `drawn` being its glyphs with outlines."""
    from fontTools.ttLib import TTFont

    with pikepdf.open(path) as pdf:
        for font in [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary)
                     and o.get("/Subtype") == "/CIDFontType0"]:
            stream = font.FontDescriptor.FontFile3
            otf = TTFont(io.BytesIO(stream.read_bytes()), recalcTimestamp=False)
            order = otf.getGlyphOrder()
            for tag in list(otf.keys()):  # loaded before the glyphs are renamed
                if tag in ("CFF ", "head", "hhea", "maxp", "OS/2", "post", "name", "hmtx",
                           "cmap"):
                    otf[tag]
                else:
                    del otf[tag]
            top = otf["CFF "].cff.topDictIndex[0]
            strings = top.CharStrings
            drawn = [g for g, name in enumerate(order)
                     if g and strings[name].calcBounds(strings)]
            cids = cid_of(drawn)
            names = [".notdef"] + [f"cid{cids.get(g, g):05d}" for g in range(1, len(order))]
            rename = dict(zip(order, names))
            strings.charStrings = {rename[k]: v for k, v in strings.charStrings.items()}
            top.charset = names
            otf.setGlyphOrder(names)
            otf["hmtx"].metrics = {rename[k]: v for k, v in otf["hmtx"].metrics.items()}
            for table in otf["cmap"].tables:
                table.cmap = {code: rename[name] for code, name in table.cmap.items()}
            data = io.BytesIO()
            otf.save(data)
            stream.write(data.getvalue())
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_the_known_bad_fixture_is_made_as_the_pipeline_made_its_chinese_pdfs():
    with pikepdf.open(KNOWN_BAD) as pdf:
        kinds = sorted(str(f.DescendantFonts[0].Subtype) for f in pdf.pages[0].Resources.Font
                       .values())
    assert kinds == ["/CIDFontType0", "/CIDFontType2"]
    assert KNOWN_BAD.stat().st_size < 40_000


def test_chinese_in_a_cff_whose_cids_are_not_glyph_indices_is_missing_in_mupdf_and_gs():
    """Both MuPDF releases look CIDs up, and say so."""
    found = engines.faults(KNOWN_BAD)
    assert sorted((f.engine, f.problem) for f in found) == [
        ("ghostscript", "missing"), ("mupdf", "missing"), ("mupdf", "said"),
        ("pymupdf", "missing"), ("pymupdf", "said")]
    for said in [f for f in found if f.problem == "said"]:
        assert str(said).startswith(f"{said.engine} said ") and "FT_Load_Glyph(" in said.text
    for fault in [f for f in found if f.problem == "missing"]:
        assert fault.font.endswith("+CJK") and fault.count == fault.total == 70
        assert fault.page == 1 and fault.text == "马"
        assert str(fault).startswith(f"page 1: {fault.engine}: 70 of 70 glyphs of ")


def test_glyphs_drawn_in_place_of_others_are_different(tmp_path):
    """Each drawn glyph given the CID of the next one: MuPDF and Ghostscript, which look
    CIDs up, draw other Chinese characters, as much ink but not the same."""
    rotated = tmp_path / "rotated.pdf"
    rotated.write_bytes(with_cids(KNOWN_BAD, lambda drawn: dict(zip(drawn, drawn[1:] + drawn[:1]))))
    found = engines.faults(rotated)
    assert sorted((f.engine, f.problem) for f in found) == [
        ("ghostscript", "different"), ("mupdf", "different"), ("pymupdf", "different")]
    assert all(f.count > f.total / 2 for f in found)


def test_the_same_font_with_its_cids_equal_to_its_glyph_indices_passes(tmp_path):
    """ISO 32000-1 9.7.4.2: with CIDs equal to glyph indices every engine draws the same."""
    fixed = tmp_path / "fixed.pdf"
    fixed.write_bytes(with_cids(KNOWN_BAD, lambda drawn: {}))
    assert engines.faults(fixed) == []


def test_each_engine_draws_every_page_at_the_same_size():
    drawn = engines.drawings(KNOWN_BAD)
    assert set(drawn) == set(engines.ENGINES)
    sizes = {d.pages[0].shape for d in drawn.values()}
    assert all(len(d.pages) == 1 and d.error is None for d in drawn.values())
    assert max(h for h, _ in sizes) - min(h for h, _ in sizes) <= 1
    # MuPDF (both releases) says why it drew the Chinese blank; nobody else says anything
    assert any("FT_Load_Glyph" in line for line in drawn["mupdf"].warnings)
    assert any("FT_Load_Glyph" in line for line in drawn["pymupdf"].warnings)
    assert [e for e, d in drawn.items() if set(d.warnings) - set(engines.HARMLESS)] == [
        "mupdf", "pymupdf"]


def test_glyph_boxes_are_each_glyphs_own_not_the_runs_actual_text(built):
    """pdfium spreads a run's /ActualText evenly over the run; the boxes come from the
    glyphs themselves: an 'm' is wider than an 'i'."""
    out, _ = built
    [first, *_] = engines.page_glyphs(out / "en-GB" / "nerve-related-back-and-leg-pain-screen.pdf")
    width = dict(zip(first.text, first.boxes[:, 2] - first.boxes[:, 0]))
    assert width["m"] > 1.5 * width["i"]
    assert "".join(first.text).startswith("EastofEnglandMSKService")


@pytest.mark.parametrize("engine", engines.TEXT_ENGINES)
def test_each_engine_reads_the_fixture_back(engine):
    [page] = engines.text(KNOWN_BAD, engine)
    assert "Everyenginedrawsthisline:itissetinNotoSans(TrueType)." in squeeze(page)


def test_an_unknown_text_engine_is_refused():
    with pytest.raises(ValueError, match="no text engine 'acrobat'"):
        engines.text(KNOWN_BAD, "acrobat")


def test_margins_measure_each_font_as_the_check_judges_it():
    margins = {(m.engine, m.font.split("+")[1]): m for m in engines.margins(KNOWN_BAD)}
    assert len(margins) == 2 * len(engines.ENGINES)
    for mupdf in ("mupdf", "pymupdf"):
        assert margins[mupdf, "CJK"].contrast == 0 and margins[mupdf, "CJK"].difference is None
    assert margins["pdfium", "CJK"].contrast > engines.MISSING
    assert margins["pdfium", "CJK"].difference < engines.DIFFERENT
    assert all(m.glyphs == 57 and m.contrast > 0.5 for (_, font), m in margins.items()
               if font == "Latin")
