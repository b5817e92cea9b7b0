"""The translation memory: update-po offers the library's translations, always fuzzy."""
from __future__ import annotations

import shutil

import polib

from leaflet import cli
from leaflet.inputs import catalog, memory
from conftest import NAME, ROOT, SOURCE, beside_shared


def po_with(entries: dict[str, tuple[str, str]], fuzzy=()) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Language": "pl"}
    for key, (msgid, msgstr) in entries.items():
        po.append(polib.POEntry(msgctxt=key, msgid=msgid, msgstr=msgstr,
                                flags=["fuzzy"] if key in fuzzy else []))
    return po


def pot_with(entries: dict[str, str]) -> polib.POFile:
    return po_with({k: (v, "") for k, v in entries.items()})


SHARED = po_with({"see-gp": ("See your GP if the pain gets worse.",
                             "Zgłoś się do lekarza rodzinnego, jeśli ból się nasili."),
                  "drafted": ("Rest for two days.", "Odpocznij dwa dni.")},
                 fuzzy=("drafted",))


def filled(before, pot, library):
    return memory.fill(catalog.merge(before, pot), before, "fixture-leaflet",
                       memory.units(library))


def test_the_same_english_elsewhere_gives_its_translation_fuzzy_naming_where():
    before = po_with({"a": ("Keep moving.", "Ruszaj się.")})
    pot = pot_with({"a": "Keep moving.", "b": "See your GP if the pain gets worse."})
    po, counts = filled(before, pot, [("fixture-leaflet", before), ("shared", SHARED)])
    entry = next(e for e in po if e.msgctxt == "b")
    assert entry.msgstr == "Zgłoś się do lekarza rodzinnego, jeśli ból się nasili."
    assert entry.fuzzy and entry.previous_msgid is None
    assert "exact match from shared, see-gp" in entry.tcomment
    assert counts == memory.Filled(exact=1, near=0)
    assert not next(e for e in po if e.msgctxt == "a").fuzzy  # untouched


def test_a_near_match_is_offered_fuzzy_with_the_words_that_differ():
    before = po_with({})
    pot = pot_with({"b": "See your GP if the pain gets much worse."})
    po, counts = filled(before, pot, [("shared", SHARED)])
    [entry] = list(po)
    assert entry.fuzzy and entry.msgstr.startswith("Zgłoś się")
    assert entry.previous_msgid == "See your GP if the pain gets worse."
    assert 'match from shared, see-gp: this English adds "much"' in entry.tcomment
    assert counts == memory.Filled(exact=0, near=1)


def test_below_the_threshold_and_unreviewed_translations_are_never_offered():
    pot = pot_with({"b": "See a pharmacist.", "c": "Rest for two days."})
    po, counts = filled(po_with({}), pot, [("shared", SHARED)])
    assert [e.msgstr for e in po] == ["", ""]  # too different; fuzzy in its own catalog
    assert counts == memory.Filled()


def test_a_changed_entry_keeps_its_own_translation_unless_the_memory_matches_better():
    before = po_with({"a": ("See your GP if the pain gets worse or spreads.", "Stary")})
    # Exact elsewhere: better than its own earlier translation of other English.
    po, counts = filled(before, pot_with({"a": "See your GP if the pain gets worse."}),
                        [("fixture-leaflet", before), ("shared", SHARED)])
    [entry] = list(po)
    assert entry.msgstr.startswith("Zgłoś się") and entry.fuzzy and counts.exact == 1
    # No better match: merge's result (its own translation, fuzzy, #| msgid) stays.
    po, counts = filled(before, pot_with({"a": "Walk a little further every day."}),
                        [("fixture-leaflet", before), ("shared", SHARED)])
    [entry] = list(po)
    assert entry.msgstr == "Stary" and entry.fuzzy and counts == memory.Filled()
    assert entry.previous_msgid == "See your GP if the pain gets worse or spreads."


def test_a_second_update_fills_nothing_again_and_keeps_the_note():
    pot = pot_with({"b": "See your GP if the pain gets worse."})
    once, _ = filled(po_with({}), pot, [("shared", SHARED)])
    twice, counts = memory.fill(catalog.merge(once, pot), once, "fixture-leaflet",
                                memory.units([("shared", SHARED)]))
    assert counts == memory.Filled() and str(twice) == str(once)


def test_other_translations_of_the_same_english_are_counted_in_the_note():
    other = po_with({"gp": ("See your GP if the pain gets worse.", "Idź do lekarza.")})
    po, _ = filled(po_with({}), pot_with({"b": "See your GP if the pain gets worse."}),
                   [("another-leaflet", other), ("shared", SHARED)])
    [entry] = list(po)
    assert entry.msgstr == "Idź do lekarza."  # the first catalog's, by name
    assert "(1 other translation of that English elsewhere)" in entry.tcomment


def test_difference_names_words_added_and_removed():
    assert memory.difference("Diagnosis is usually made from your symptoms.",
                             "Diagnosis is made from your symptoms and an examination.") == \
        'this English adds "and an examination"; drops "usually"'


def test_update_po_fills_from_another_catalog_and_counts_per_language(tmp_path, capsys):
    """The clinical owner adds a sentence another leaflet of the library already has
    translated (a fixture catalog, plainly test content) and one near an existing one."""
    translations = tmp_path / "translations"
    shutil.copytree(ROOT / "translations" / "pl", translations / "pl")
    SHARED.save(str(translations / "pl" / "LC_MESSAGES" / "fixture-leaflet.po"))
    changed = beside_shared(tmp_path) / SOURCE.name
    changed.write_text(SOURCE.read_text().replace(
        "        paragraph: Diagnosis is usually made from your symptoms.\n",
        "        paragraph: Diagnosis is usually made from your symptoms.\n"
        "      - id: see-gp\n"
        "        paragraph: See your GP if the pain gets worse.\n"
        "      - id: again\n"
        "        paragraph: Diagnosis is usually made from your symptoms alone.\n"))
    assert cli.main(["update-po", "--source", str(changed),
                     "--translations", str(translations)]) == 0
    said = capsys.readouterr().out
    assert "pl: the translation memory filled 2 (exact 1, near 1), each marked fuzzy for " \
        "review" in said
    po = {e.msgctxt: e for e in polib.pofile(str(catalog.po_path(translations, "pl", NAME)))}
    gp, again = po["sections.diagnosis.blocks.see-gp"], po["sections.diagnosis.blocks.again"]
    assert gp.fuzzy and "exact match from fixture-leaflet, see-gp" in gp.tcomment
    assert again.fuzzy and again.msgstr == po["sections.diagnosis.blocks.symptoms"].msgstr
    assert f'from {NAME}, sections.diagnosis.blocks.symptoms: this English adds "alone"' \
        in " ".join(again.tcomment.split())  # polib wraps comments
    # The released strings are untouched: only the two new entries are fuzzy.
    assert sum(e.fuzzy for e in po.values()) == 2
    # A second run fills nothing again and leaves the file as it was (notes and all).
    written = catalog.po_path(translations, "pl", NAME).read_text(encoding="utf-8")
    assert cli.main(["update-po", "--source", str(changed),
                     "--translations", str(translations)]) == 0
    assert "pl: the translation memory filled 0 (exact 0, near 0)" in capsys.readouterr().out
    assert catalog.po_path(translations, "pl", NAME).read_text(encoding="utf-8") == written
