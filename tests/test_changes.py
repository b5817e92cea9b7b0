"""An edit of the English is the owner's act: catalogs are read as update-po would leave
them, the changed strings named once; what a translator did is still an error."""
from __future__ import annotations

from dataclasses import replace

from leaflet.build import build
from leaflet.inputs import catalog, changes, source
from conftest import NAME, ROOT, SOURCE, beside_shared, polish_with

EDITED_KEY = "sections.diagnosis.blocks.symptoms"


def edited_source(tmp_path):
    """The real leaflet with one sentence changed as the clinical owner would."""
    path = beside_shared(tmp_path) / SOURCE.name
    path.write_text(SOURCE.read_text().replace(
        "Diagnosis is usually made from your symptoms.",
        "Diagnosis is usually made from your symptoms and an examination."))
    return path


def texts_of(path):
    return {t.key: t for t in catalog.own_texts(source.load(path))}


def test_a_source_edit_is_named_once_and_makes_the_string_fuzzy_not_an_error(tmp_path):
    texts = texts_of(edited_source(tmp_path))
    found = changes.since_update(texts, catalog.pot_path(ROOT / "translations", NAME))
    assert found.changed == (EDITED_KEY,) and not found.added and not found.removed
    assert str(found).startswith(f"source changed since the catalogs were updated: changed "
                                 f"{EDITED_KEY}; run `make update-po`")
    for language in catalog.languages(ROOT / "translations", NAME):
        report = changes.check(catalog.po_path(ROOT / "translations", language, NAME), texts, found)
        assert (report.errors, report.fuzzy, report.untranslated) == (0, 1, 0), language
        assert report.translated == report.total - 1 and EDITED_KEY not in report.translations
        assert not [p for p in report.problems if EDITED_KEY in p.message]


def test_new_and_removed_strings_count_as_update_po_would_leave_them(tmp_path):
    path = beside_shared(tmp_path) / SOURCE.name
    path.write_text(SOURCE.read_text().replace(
        "      - id: symptoms\n        paragraph: Diagnosis is usually made from your symptoms.\n",
        "      - id: by-examination\n        paragraph: Diagnosis is made by examination.\n"))
    texts = texts_of(path)
    found = changes.since_update(texts, catalog.pot_path(ROOT / "translations", NAME))
    assert found.added == ("sections.diagnosis.blocks.by-examination",)
    assert found.removed == (EDITED_KEY,)
    report = changes.check(catalog.po_path(ROOT / "translations", "pl", NAME), texts, found)
    assert (report.errors, report.fuzzy, report.untranslated) == (0, 0, 1)
    assert report.total == len(texts)


def test_a_translators_msgid_edit_is_still_an_error_beside_a_source_edit(tmp_path):
    def alter(po):
        [entry] = [e for e in po if e.msgctxt == "sections.diagnosis.blocks.improve"]
        entry.msgid = "Most cases improve."

    translations = polish_with(tmp_path, alter)
    texts = texts_of(edited_source(tmp_path))
    found = changes.since_update(texts, catalog.pot_path(ROOT / "translations", NAME))
    report = changes.check(catalog.po_path(translations, "pl", NAME), texts, found)
    errors = [p.message for p in report.problems if p.is_error]
    assert errors == ["msgid differs from the template for 'sections.diagnosis.blocks.improve'"
                      ": do not change msgid lines; copy the English from the template (.pot)"]
    # And with the source as the catalogs were updated to, exactly as before.
    unchanged = changes.since_update(texts_of(SOURCE), catalog.pot_path(ROOT / "translations", NAME))
    assert not unchanged
    assert changes.check(catalog.po_path(translations, "pl", NAME), texts_of(SOURCE),
                         unchanged).errors == 1


def test_the_build_after_a_source_edit_keeps_the_last_release_and_says_why(tmp_path):
    out = tmp_path / "output"
    options = build.Options(source=SOURCE, translations=ROOT / "translations", output=out,
                            languages=("pl",), documents=("card",), variants=("screen",))
    build.build(options, say=lambda line: None)
    said: list[str] = []
    entries = build.build(replace(options, source=edited_source(tmp_path)), say=said.append)
    assert [line for line in said if line.startswith("source changed")] == [
        f"source changed since the catalogs were updated: changed {EDITED_KEY}; run "
        "`make update-po` (each language keeps its last release until these strings are "
        "translated again)"]
    assert any(line.startswith("pl: last release kept") and "1 fuzzy" in line
               for line in said)
    assert [e["kept"] for e in entries if e["language"] == "pl"] == ["current catalog: 1 fuzzy"]
