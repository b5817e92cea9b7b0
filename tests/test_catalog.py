"""Extraction (Babel extractor), the template, merging (update-po) and translating."""
from __future__ import annotations

import subprocess
from dataclasses import replace

import polib

from leaflet.inputs import catalog, source
from conftest import NAME, beside_shared, ROOT, SOURCE


def test_pybabel_extract_uses_the_registered_extractor(tmp_path, leaflet):
    pot = tmp_path / "x.pot"
    subprocess.run([str(ROOT / ".venv/bin/pybabel"), "extract", "-F", "babel.cfg", "-o",
                    str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    extracted = [(e.msgctxt, e.msgid) for e in polib.pofile(str(pot)) if e.msgid]
    # The leaflet's own strings from its file, the shared passages' from theirs, once.
    shared = source.shared_texts(source.load_shared(SOURCE.parent / "shared"))
    assert extracted == [(t.key, t.value) for t in catalog.own_texts(leaflet)] + \
        [(t.key, t.value) for t in shared]


def test_template_entries_have_context_reference_and_translator_note(leaflet):
    pot = {e.msgctxt: e for e in catalog.template(leaflet)}
    disc = pot["sections.cause.blocks.disc"]
    assert disc.occurrences == [(leaflet.path, str(disc_line()))]
    assert disc.comment == "Paragraph."
    assert "Keep {oneyou} as it is" in pot[
        "sections.factors.sections.look-after-yourself.blocks.well-being"].comment
    assert pot["sections.worried.blocks.rare"].flags == ["no-python-format"]
    # The shared passages' strings are the shared catalog's, not the leaflet's.
    assert not {"red_flags.cauda-equina.saddle", "labels.page_number"} & set(pot)
    shared = {e.msgctxt: e for e in catalog.shared_template(SOURCE.parent / "shared")}
    flag = shared["red_flags.cauda-equina.saddle"]
    assert flag.occurrences[0][0] == "source/shared/red-flags.yaml"
    assert "warning card" in flag.comment and "At most 120 characters." in flag.comment
    assert "At most 40 characters." in shared["card.cauda-equina.title"].comment
    assert shared["labels.page_number"].flags == ["python-brace-format"]


def disc_line() -> int:
    text = SOURCE.read_text()
    return text[:text.index("      - id: disc\n")].count("\n") + 2


def test_the_committed_template_is_up_to_date(leaflet):
    committed = catalog.pot_path(ROOT / "translations", NAME).read_text(encoding="utf-8")
    assert committed == str(catalog.template(leaflet)) + "\n", "run make pot"


def test_the_committed_shared_template_is_up_to_date():
    committed = catalog.pot_path(ROOT / "translations", catalog.SHARED).read_text(
        encoding="utf-8")
    assert committed == str(catalog.shared_template(SOURCE.parent / "shared")) + "\n", \
        "run make pot"


def po_with(entries: dict[str, tuple[str, str]]) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Language": "pl"}
    for key, (msgid, msgstr) in entries.items():
        po.append(polib.POEntry(msgctxt=key, msgid=msgid, msgstr=msgstr))
    return po


def pot_with(entries: dict[str, str]) -> polib.POFile:
    pot = polib.POFile()
    for key, msgid in entries.items():
        pot.append(polib.POEntry(msgctxt=key, msgid=msgid, msgstr=""))
    return pot


def test_merge_keeps_marks_fuzzy_adds_and_obsoletes_by_context_only():
    po = po_with({"a": ("Same text", "Ten sam"), "b": ("Old text", "Stary"),
                  "gone": ("Removed text", "Usunięty")})
    pot = pot_with({"a": "Same text", "b": "New text", "c": "Removed text!"})
    merged = {(e.msgctxt, e.obsolete): e for e in catalog.merge(po, pot)}
    assert merged["a", False].msgstr == "Ten sam" and not merged["a", False].fuzzy
    assert merged["b", False].msgstr == "Stary" and merged["b", False].fuzzy
    assert merged["b", False].previous_msgid == "Old text"
    # A new string is never matched to an old, similar one: wrong medical text is worse.
    assert merged["c", False].msgstr == "" and not merged["c", False].fuzzy
    assert merged["gone", True].msgstr == "Usunięty"
    assert [e.msgctxt for e in catalog.merge(po, pot) if not e.obsolete] == ["a", "b", "c"]


def test_merge_takes_a_string_moved_from_another_catalog_as_it_was():
    # A leaflet's passage became shared: the shared catalog takes its translation as it
    # was (the same stable id and English: the same string), fuzzy if it was fuzzy; the
    # leaflet's catalog lets it go without an obsolete copy.
    leaflet = po_with({"own": ("Own text", "Własny"), "moved": ("Shared text", "Wspólny")})
    moved = catalog.movable([("leaflet", leaflet)], {"moved"})
    shared = catalog.merge(polib.POFile(), pot_with({"moved": "Shared text"}), moved)
    [entry] = list(shared)
    assert (entry.msgstr, entry.fuzzy) == ("Wspólny", False)
    kept = catalog.merge(leaflet, pot_with({"own": "Own text"}), elsewhere={"moved"})
    assert [(e.msgctxt, e.obsolete) for e in kept] == [("own", False)]
    # Without `elsewhere` a string the template dropped is kept, obsolete.
    assert ("moved", True) in [(e.msgctxt, e.obsolete)
                               for e in catalog.merge(leaflet, pot_with({"own": "Own text"}))]


def test_a_string_two_catalogs_translate_differently_moves_fuzzy_with_a_note():
    a = po_with({"moved": ("Shared text", "Wspólny")})
    b = po_with({"moved": ("Shared text", "Dzielony")})
    moved = catalog.movable([("first", a), ("second", b)], {"moved"})
    [entry] = list(catalog.merge(polib.POFile(), pot_with({"moved": "Shared text"}), moved))
    assert entry.msgstr == "Wspólny" and entry.fuzzy
    assert "moved here from first; second translated it otherwise" in entry.tcomment
    same = catalog.movable([("first", a), ("second", po_with({"moved": ("Shared text",
                                                                       "Wspólny")}))],
                           {"moved"})
    assert not same["moved"].fuzzy


def test_update_po_after_a_source_edit_keeps_every_existing_translation(tmp_path):
    changed = beside_shared(tmp_path) / "leaflet.yaml"
    changed.write_text(SOURCE.read_text().replace(
        "Diagnosis is usually made from your symptoms.",
        "Diagnosis is usually made from your symptoms and an examination."))
    pot = catalog.template(source.load(changed))
    po = polib.pofile(str(catalog.po_path(ROOT / "translations", "pl", NAME)))
    merged = catalog.merge(po, pot)
    before = {e.msgctxt: e.msgstr for e in po}
    after = {e.msgctxt: e for e in merged if not e.obsolete}
    assert all(after[k].msgstr == v for k, v in before.items())
    edited = after["sections.diagnosis.blocks.symptoms"]
    assert edited.fuzzy and edited.previous_msgid == "Diagnosis is usually made from your " \
                                                      "symptoms."
    assert sum(e.fuzzy for e in after.values()) == 1
    assert str(catalog.merge(merged, pot)) == str(merged)  # stable: a second run changes nothing


def test_update_po_on_the_shipped_catalogs_changes_nothing(leaflet):
    pot = catalog.template(leaflet)
    for language in catalog.languages(ROOT / "translations", NAME):
        path = catalog.po_path(ROOT / "translations", language, NAME)
        merged = catalog.merge(polib.pofile(str(path), wrapwidth=catalog.WRAP), pot)
        assert str(merged) + "\n" == path.read_text(encoding="utf-8"), language


def test_update_po_on_the_shipped_shared_catalogs_changes_nothing():
    pot = catalog.shared_template(SOURCE.parent / "shared")
    for language in catalog.languages(ROOT / "translations", catalog.SHARED):
        path = catalog.po_path(ROOT / "translations", language, catalog.SHARED)
        merged = catalog.merge(polib.pofile(str(path), wrapwidth=catalog.WRAP), pot)
        assert str(merged) + "\n" == path.read_text(encoding="utf-8"), language


def test_translate_replaces_known_strings_and_marks_the_rest(leaflet):
    from leaflet.inputs.pocheck import Report

    report = Report("x.po", "pl", (), {"metadata.title": "Ból pleców"}, total=2)
    polish = catalog.translate(leaflet, report)
    assert polish.language == "pl"
    assert polish.metadata.title == replace(leaflet.metadata.title, value="Ból pleców")
    assert polish.red_flags.items[0].untranslated
    assert polish.red_flags.items[0].value == leaflet.red_flags.items[0].value
