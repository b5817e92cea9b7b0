"""The whole build of the English leaflet: content fidelity, PDF properties, manifest."""
from __future__ import annotations

import hashlib
import json
import re
import shutil

import pytest
from pypdf import PdfReader

from leaflet.build import build, freshness
from leaflet.errors import BuildError
from conftest import beside_shared, DATA, ROOT, SOURCE, library, pdf_text, squeeze

PDF = "en-GB/nerve-related-back-and-leg-pain-screen.pdf"


def source_material(leaflet) -> str:
    """The leaflet text as the service handed it over, with the recorded corrections made."""
    text = (DATA / "source-material.txt").read_text(encoding="utf-8")
    text = re.sub(r"\[bookmark: _Hlk\d+\]", "", text)
    text = re.sub(r"[ \t]+", " ", text)
    for c in leaflet.corrections:
        assert c.was in text, f"correction {c.was!r} does not match the source material"
        text = text.replace(c.was, c.now)
    return text


def sentences(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.strip().lstrip("·").strip()
        out += [s for s in re.split(r"(?<=[.?!:])\s+", line) if s]
    return out


def test_every_sentence_of_the_source_material_is_in_the_pdf(built, leaflet):
    out, _ = built
    pdf = squeeze(pdf_text(out / PDF))
    missing = [s for s in sentences(source_material(leaflet)) if squeeze(s) not in pdf]
    assert not missing


def test_every_url_of_the_source_material_is_in_the_pdf_and_a_link(built, leaflet):
    out, _ = built
    urls = set(re.findall(r"https://\S+", source_material(leaflet)))
    assert len(urls) == 13
    text = squeeze(pdf_text(out / PDF))
    reader = PdfReader(out / PDF)
    links = {a.get_object()["/A"]["/URI"] for p in reader.pages for a in p.get("/Annots", [])
             if a.get_object().get("/Subtype") == "/Link"}
    for url in urls:
        assert url in text
        assert url in links


def test_red_flags_appear_once_each_in_the_emergency_box(built, leaflet):
    out, _ = built
    text = pdf_text(out / PDF)
    box = text[text.index("Emergency"):text.index("If you would like to read")]
    for flag in leaflet.red_flags.items:
        assert squeeze(box).count(squeeze(flag.plain)) == 1


def test_pdf_is_tagged_a4_with_language_title_and_bookmarks(built, leaflet):
    out, _ = built
    reader = PdfReader(out / PDF)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title == "Nerve-related back and leg pain"
    assert reader.metadata.subject.startswith("Information for patients")
    assert "sciatica" in reader.metadata["/Keywords"]
    assert reader.metadata["/CreationDate"].startswith("D:20261124")
    xmp = reader.xmp_metadata
    assert xmp.dc_title["x-default"] == "Nerve-related back and leg pain"
    assert b"pdfuaid" in root["/Metadata"].get_data()
    titles = [i.title for i in _flatten(reader.outline)]
    assert titles[0] == "Nerve-related back and leg pain"
    assert "Should I be worried?" in titles and "Emergency" in titles
    assert titles == list(build.headings(leaflet))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_every_page_says_page_x_of_y(built):
    import pypdfium2 as pdfium
    out, _ = built
    pages = list(pdfium.PdfDocument(out / PDF))
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in page.get_textpage().get_text_range()


def test_document_control_block_shows_the_metadata(built, leaflet):
    out, _ = built
    text = pdf_text(out / PDF)
    meta = leaflet.metadata
    for value in (meta.reference, meta.version, "24 November 2026", "24 November 2029",
                  meta.service.value, meta.organisation.value):
        assert value in text


def test_manifest_lists_the_file_with_its_hash_size_and_pages(built):
    out, entries = built
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"] == entries
    [entry] = [e for e in entries if e["path"] == PDF]
    data = (out / PDF).read_bytes()
    assert entry == {"path": PDF, "leaflet": SOURCE.stem, "document": "leaflet",
                     "language": "en-GB", "variant": "screen", "format": "pdf",
                     "title": "Nerve-related back and leg pain",
                     "pages": len(PdfReader(out / PDF).pages),
                     "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                     "status": "released",
                     "inputs": freshness.key(SOURCE, ROOT / "translations", "en-GB", False),
                     "review": "2029-11-24",  # the review date in force (control.py)
                     # what the library's pages list of the leaflet (build.about)
                     "leaflet": "nerve-related-back-and-leg-pain", "topic": "Lower back",
                     "reference": "EOEMSK-PIL-SCI-001", "version": "1.0"}


def test_every_file_made_from_a_catalog_names_its_date(built_all):
    """The date a kept release is said to come from: every file of a translation but its
    fonts and its language's page of the library names its catalog (PDFs, web page,
    braille, plain text), whichever of them the manifest lists last."""
    out, entries, _ = built_all
    translated = [e for e in entries if e["language"] not in ("en-GB", "mul")
                  and e["format"] != "woff2" and e["document"] != "index"]
    assert {e["format"] for e in translated} == {"pdf", "html", "brf", "txt"}
    assert [e["path"] for e in translated if not e.get("catalog")] == []
    dates = build.released_catalogs(out, SOURCE.stem)
    assert {e["language"]: dates[e["language"]] for e in translated} == \
        {e["language"]: e["catalog"] for e in translated}


def test_a_failed_build_leaves_output_as_it_was(built, tmp_path):
    out, _ = built
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    broken = beside_shared(tmp_path) / "broken.yaml"
    broken.write_text(SOURCE.read_text().replace("  version: \"1.0\"\n", ""))
    with pytest.raises(BuildError):
        build.build(build.Options(source=broken, translations=ROOT / "translations",
                                  output=out, languages=("en-GB",)))
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_unknown_language_is_an_error(tmp_path):
    with pytest.raises(BuildError, match="no catalog for language xx"):
        build.build(build.Options(source=SOURCE, translations=ROOT / "translations",
                                  output=tmp_path, languages=("xx",)))


def test_fonts_are_the_pinned_ones_and_embedded(built):
    out, _ = built
    reader = PdfReader(out / PDF)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] \
                if "/DescendantFonts" in font else font["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(str(font["/BaseFont"]).split("+", 1)[-1])
    assert fonts <= {"Leaflet-Sans", "Leaflet-Sans-Bold", "NotoSans-Regular", "NotoSans-Bold"}


def _flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def test_the_index_comes_with_the_web_edition_and_is_kept_up_to_date_once_made(tmp_path):
    """A build of PDFs alone makes no index (the library's pages) (the index is the web edition's: fonts for
    every script, subset anew in an empty folder); once one is listed, a build of PDFs
    alone keeps it listing what the manifest now holds."""
    def made(*variants):
        return build.build(build.Options(source=SOURCE, translations=ROOT / "translations",
                                         output=tmp_path, languages=("en-GB",),
                                         documents=("leaflet",), variants=variants),
                           say=lambda line: None)

    entries = made("screen")
    assert not (tmp_path / "index.html").exists()
    assert not [e for e in entries if e["document"] == "index"]
    made("screen", "web")
    assert (tmp_path / "index.html").is_file()
    entries = made("large-print")
    index = (tmp_path / "leaflets" / "nerve-related-back-and-leg-pain.html").read_text()
    assert "nerve-related-back-and-leg-pain-large-print.pdf" in index
    assert sorted(e["path"] for e in entries if e["document"] == "index") == \
        ["en-GB/index.html", "index.html", "leaflets/nerve-related-back-and-leg-pain.html"]


# ------------------------------------------------------------ a library of leaflets

NAMES = ("nerve-related-back-and-leg-pain", "test-fixture-sore-neck", "test-fixture-stiff-back")


def test_every_leaflet_in_the_folder_is_built_at_its_own_addresses(tmp_path):
    folder = library(tmp_path)
    out = tmp_path / "out"
    options = build.Options(source=folder, translations=ROOT / "translations", output=out,
                            languages=("en-GB",), variants=("screen", "web", "sheet"))
    entries = build.build(options, say=lambda line: None)
    made = {e["path"]: e for e in entries if e.get("leaflet") and e["document"] != "index"}
    # A leaflet's files have its name: the real one's addresses are the ones it always had.
    assert sorted(p for p, e in made.items() if e["leaflet"] == NAMES[0]) == [
        "en-GB/nerve-related-back-and-leg-pain-screen.pdf",
        "en-GB/nerve-related-back-and-leg-pain.html"]
    assert {e["leaflet"] for e in made.values()} == set(NAMES)
    assert all(p.split("/")[1].startswith(e["leaflet"]) for p, e in made.items())
    assert all(e["document"] == "leaflet" for e in made.values())  # its meaning kept
    # A card is its red-flag list's: the real leaflet and fixture A share the cauda equina
    # list, so one card; fixture B has its own list, so its own card.
    cards = {e["path"]: e for e in entries if e["document"] == "card"}
    assert {p: (e["card"], e["leaflets"]) for p, e in cards.items()} == {
        f"en-GB/{card}-card-{variant}.pdf": (card, users) for variant in ("screen", "sheet")
        for card, users in (("cauda-equina", [NAMES[0], NAMES[2]]),
                            ("test-fixture-b", [NAMES[1]]))}
    language_page = (out / "en-GB" / "index.html").read_text(encoding="utf-8")
    for path, entry in cards.items():  # linked from each leaflet using it, and no other
        assert language_page.count(f'href="{path.split("/")[1]}"') == 1
        for name in NAMES:
            pages = [(out / "leaflets" / f"{name}.html").read_text(encoding="utf-8")]
            if entry["variant"] == "screen":  # the web page offers the card to email
                pages.append((out / "en-GB" / f"{name}.html").read_text(encoding="utf-8"))
            linked = [path.split("/")[1] in page for page in pages]
            assert linked == [name in entry["leaflets"]] * len(pages), (path, name)
    # The leaflet page's card section is headed by the card's own title.
    for name, title in ((NAMES[0], "Cauda Equina Syndrome: Emergency warning card"),
                        (NAMES[1], "Test fixture B card: Not for patients")):
        page = (out / "leaflets" / f"{name}.html").read_text(encoding="utf-8")
        assert f'<h2 id="cards">{title}' in page
    index = (out / "index.html").read_text(encoding="utf-8")
    for title in ("Nerve-related back and leg pain", "Test fixture A: stiff back",
                  "Test fixture B: sore neck"):
        assert title in index
    for path, entry in made.items():  # each on its leaflet's page of the library
        page = (out / "leaflets" / f"{entry['leaflet']}.html").read_text(encoding="utf-8")
        assert f'href="../{path}"' in page

    # One leaflet built again, after an edit: only its files change; the others stay
    # listed, on disk and in the index.
    neck = folder / "test-fixture-sore-neck.yaml"
    neck.write_text(neck.read_text().replace("It is never published.",
                                             "It is never, ever published."))
    before = {p: (out / p).read_bytes() for p in made}
    cards_before = {p: ((out / p).stat().st_mtime_ns, e["inputs"]) for p, e in cards.items()}
    freshness._common.cache_clear()  # keys are kept for a process's life: a new build's
    again = build.build(replace_options(options, leaflets=("test-fixture-sore-neck",)),
                        say=lambda line: None)
    # Its own text edited: its card (its list's) is not made again.
    assert {p: ((out / p).stat().st_mtime_ns, e["inputs"]) for p, e in
            ((e["path"], e) for e in again if e["document"] == "card")} == cards_before
    changed = {p for p in made if (out / p).read_bytes() != before[p]}
    assert changed and all(made[p]["leaflet"] == "test-fixture-sore-neck" for p in changed)
    assert {e["path"] for e in again} >= set(made)
    assert all(title in (out / "index.html").read_text(encoding="utf-8")
               for title in ("Nerve-related back and leg pain", "Test fixture A: stiff back"))


def test_no_card_is_made_when_the_leaflets_using_its_list_would_give_it_other_words(
        tmp_path):
    """One card per list and language: two leaflets of different services on one list
    would print different organisations on it, so none is made, and the build says why."""
    folder = library(tmp_path)
    stiff = folder / "test-fixture-stiff-back.yaml"
    stiff.write_text(stiff.read_text().replace("service: {use: eoe-msk}\n", "").replace(
        "  language: en-GB\n", "  language: en-GB\n  service: Test fixture service\n"
                               "  organisation: Test Fixture Organisation\n"))
    said: list[str] = []
    entries = build.build(build.Options(source=folder, translations=ROOT / "translations",
                                        output=tmp_path / "out", languages=("en-GB",),
                                        documents=("card",), variants=("screen",)),
                          say=said.append)
    assert [e["card"] for e in entries if e["document"] == "card"] == ["test-fixture-b"]
    assert "en-GB: card cauda-equina not made: nerve-related-back-and-leg-pain, " \
        "test-fixture-stiff-back give it different words (their " \
        "service or a translation differs); make them agree (the last card released " \
        "stays)" in said


def test_a_shared_red_flag_edited_rebuilds_its_leaflets_and_card_only_and_says_how_many(
        tmp_path):
    folder = library(tmp_path)
    out = tmp_path / "out"
    options = build.Options(source=folder, translations=ROOT / "translations", output=out,
                            languages=("en-GB",), variants=("screen", "sheet"))
    entries = build.build(options, say=lambda line: None)
    stamps = {e["path"]: (out / e["path"]).stat().st_mtime_ns for e in entries
              if e["document"] in ("leaflet", "card")}
    # The clinical owner edits a red flag of the cauda equina list, used by the real
    # leaflet and fixture A, each taking a new version (its printed text changed).
    flags = folder / "shared" / "red-flags.yaml"
    flags.write_text(flags.read_text().replace("Loss of sensation passing urine",
                                               "Loss of sensation when passing urine"))
    for name, version in ((NAMES[0], "1.0"), (NAMES[2], "0.1")):
        path = folder / f"{name}.yaml"
        path.write_text(path.read_text().replace(f'version: "{version}"',
                                                 f'version: "{version}9"'))
    freshness._common.cache_clear()  # keys are kept for a process's life: a new build's
    said = []
    again = build.build(options, say=said.append)
    assert "1 of 3 editions (leaflet and language) up to date" in said
    assert "to build: 2 editions (leaflet and language), 1 card (red-flag list and language)" \
        in said
    remade = {p for p, stamp in stamps.items() if (out / p).stat().st_mtime_ns != stamp}
    assert remade == {f"en-GB/{NAMES[0]}-screen.pdf", f"en-GB/{NAMES[2]}-screen.pdf",
                      "en-GB/cauda-equina-card-screen.pdf", "en-GB/cauda-equina-card-sheet.pdf"}
    card = PdfReader(out / "en-GB" / "cauda-equina-card-screen.pdf").pages[1].extract_text()
    assert squeeze("Loss of sensation when passing urine") in squeeze(card)
    assert {e["path"] for e in again} >= set(stamps)
    # Nothing edited: nothing rebuilt, and the build says so.
    freshness._common.cache_clear()
    said = []
    build.build(options, say=said.append)
    assert "3 of 3 editions (leaflet and language) up to date" in said


def replace_options(options, **changes):
    from dataclasses import replace

    return replace(options, **changes)


def test_an_unknown_leaflet_is_an_error_naming_the_leaflets_there_are(tmp_path):
    folder = library(tmp_path)
    with pytest.raises(BuildError) as exc:
        build.build(build.Options(source=folder, translations=ROOT / "translations",
                                  output=tmp_path / "out", leaflets=("sciatica",)))
    [problem] = exc.value.problems
    assert problem.message == f"no leaflet called sciatica: there are {', '.join(NAMES)}"
    assert not (tmp_path / "out").exists()


def test_the_shared_source_is_not_a_leaflet(tmp_path):
    folder = library(tmp_path)
    assert [p.stem for p in freshness.leaflets(folder)] == list(NAMES)
    assert not any(p.parent.name == "shared" for p in freshness.leaflets(folder))


def two_languages(tmp_path, polish: str | None = None):
    """translations/ with the shipped Polish and Romanian catalogs (Polish's first
    translation replaced by `polish` when given)."""
    import polib

    from leaflet.inputs import catalog

    root = tmp_path / "translations"
    for language in ("pl", "ro"):
        target = catalog.po_path(root, language, SOURCE.stem)
        target.parent.mkdir(parents=True)
        po = polib.pofile(str(catalog.po_path(ROOT / "translations", language, SOURCE.stem)))
        if language == "pl" and polish is not None:
            [entry] = [e for e in po if e.msgctxt == "sections.diagnosis.blocks.symptoms"]
            entry.msgstr = polish
        po.save(str(target))
        shutil.copy(catalog.po_path(ROOT / "translations", language, catalog.SHARED),
                    target.parent)
    return root


@pytest.mark.parametrize("where", ["outputs", "coverage"])
def test_one_languages_render_error_does_not_stop_the_others(tmp_path, monkeypatch, where):
    """A language that cannot be rendered (here made to fail where the build meets such
    failures: in its tasks, or in the font check) is not written; the others are, and the
    build ends with every problem, `path:line: error:` style."""
    from leaflet.layout import fonts
    from leaflet.errors import CatalogErrors, Location, Problem

    failure = Problem(Location("source.yaml", 7), "the warning card in pl does not fit")
    if where == "outputs":
        real = build._outputs

        def outputs(edition, variants, say):
            if edition.leaflet.language == "pl":
                raise BuildError([failure])
            return real(edition, variants, say)

        monkeypatch.setattr(build, "_outputs", outputs)
    else:
        real = fonts.coverage
        monkeypatch.setattr(fonts, "coverage", lambda leaflet: [failure] if
                            leaflet.language == "pl" else real(leaflet))
    out = tmp_path / "out"
    with pytest.raises(CatalogErrors) as exc:
        build.build(build.Options(source=SOURCE, translations=two_languages(tmp_path),
                                  output=out, languages=("pl", "ro"), variants=("screen",)),
                    say=lambda line: None)
    assert [str(p) for p in exc.value.problems] == [
        "source.yaml:7: error: the warning card in pl does not fit"]
    assert exc.value.languages == ("pl",)
    written = {e["path"] for e in json.loads((out / "manifest.json").read_text())["files"]}
    assert written == {"ro/nerve-related-back-and-leg-pain-screen.pdf",
                       "ro/cauda-equina-card-screen.pdf"}
    assert not (out / "pl").exists()


def test_a_character_no_font_draws_is_a_catalog_error_and_the_others_are_written(tmp_path):
    """The issue's case: a Polish string beginning with U+FF5B made `build -l pl -l ro`
    write nothing; now the check refuses the string and Romanian is written."""
    import subprocess
    import sys

    translations = two_languages(tmp_path, "\uff5bDiagnoza zwykle na podstawie objawów.")
    result = subprocess.run([sys.executable, str(ROOT / "render.py"), "build", "-l", "pl",
                             "-l", "ro", "-v", "screen", "--translations", str(translations),
                             "--output", str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"nerve-related-back-and-leg-pain\.po:\d+: error: "
                     r"'sections\.diagnosis\.blocks\.symptoms': "
                     r"character U\+FF5B .*no font", result.stderr)
    assert (tmp_path / "out" / "ro" / "nerve-related-back-and-leg-pain-screen.pdf").is_file()
    assert not (tmp_path / "out" / "pl").exists()
