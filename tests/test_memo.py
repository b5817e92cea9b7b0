"""What the checks found, kept between builds (leaflet/build/memo.py): an edition whose
outputs are up to date is not checked again, and what the build says and makes is what
it would be had it been checked."""
from __future__ import annotations

import json
import shutil

import pytest

from leaflet.build import build, freshness, memo
from leaflet.inputs import catalog, source
from conftest import NAME, ROOT, SOURCE, library

# The leaflet and its card, on screen: enough for both kinds of record.
SCREEN = dict(documents=("leaflet", "card"), variants=("screen",))


@pytest.fixture
def project(tmp_path):
    """A copy of translations/ the test may change, and an output folder."""
    translations = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", translations)
    return translations, tmp_path / "out"


def options(translations, out, languages=("pl", "ro"), **more) -> build.Options:
    return build.Options(source=SOURCE, translations=translations, output=out,
                         languages=languages, **{**SCREEN, **more})


def counted(monkeypatch) -> list[str]:
    """The catalog folders the build's checks read from now on, in order."""
    checked: list[str] = []
    real = build.edition_report

    def report(leaflet, translations, folder, *more):
        checked.append(folder)
        return real(leaflet, translations, folder, *more)

    monkeypatch.setattr(build, "edition_report", report)
    return checked


def draft_label(translations, language: str, word: str) -> None:
    """The language's word for DRAFT changed: its catalog and key change, its card's
    words (a released card prints no such word) do not."""
    po = freshness.po_path(translations, language, freshness.SHARED)
    text = po.read_text(encoding="utf-8")
    start = text.index('msgctxt "labels.draft"')
    at = text.index("msgstr ", start)
    end = text.index("\n", at)
    po.write_text(text[:at] + f'msgstr "{word}"' + text[end:], encoding="utf-8")


def test_an_up_to_date_edition_is_not_checked_again_and_says_the_same(project, monkeypatch):
    translations, out = project
    chosen = options(translations, out)
    build.build(chosen, say=lambda line: None)
    draft_label(translations, "ro", "SCHIȚĂ")
    checked = counted(monkeypatch)
    found = build._checked_inputs(chosen, build._variants(chosen))
    assert checked == ["ro"]  # Polish is up to date: its record is taken
    assert [e.leaflet.language for e in found.stale] == ["ro"]
    assert found.cards == []  # the card's words are the same in both languages
    # What a check of every catalog would say, word for word.
    checked.clear()
    statuses = build.languages(source.load(SOURCE), chosen)[0]
    assert [str(s) for s in found.statuses] == [str(s) for s in statuses]
    assert checked == ["pl", "ro"]


def test_a_card_to_make_again_is_made_from_its_edition_checked_then(project, monkeypatch):
    translations, out = project
    chosen = options(translations, out, languages=("pl",))
    build.build(chosen, say=lambda line: None)
    card = out / "pl" / "cauda-equina-card-screen.pdf"
    made = card.read_bytes()
    card.unlink()
    checked = counted(monkeypatch)
    found = build._checked_inputs(chosen, build._variants(chosen))
    assert found.stale == [] and checked == ["pl"]  # for the card only
    [remade] = found.cards
    assert remade.edition.leaflet.language == "pl" and remade.leaflets == (NAME,)
    said: list[str] = []
    build.build(chosen, say=said.append)
    assert "to build: 0 languages, 1 card (red-flag list and language)" in said
    assert card.read_bytes() == made


def test_a_record_is_used_only_under_the_key_of_what_the_checks_read(project, tmp_path):
    translations, _ = project
    folder = library(tmp_path / "lib")
    real = folder / f"{NAME}.yaml"

    def key(draft=False):
        freshness.forget()  # a build forgets the hashes an earlier one took
        return memo.key(real, translations, "pl", draft)

    first = key()
    changes = [
        (freshness.po_path(translations, "ro", NAME), None),  # another language's: no
        (freshness.po_path(translations, "pl", NAME), "pl"),
        (freshness.po_path(translations, "pl", freshness.SHARED), "pl"),
        (catalog.pot_path(translations, NAME), "pot"),  # a source edit is read against it
        (catalog.pot_path(translations, freshness.SHARED), "pot"),
        (folder / "shared" / "service.yaml", "shared"),  # whoever's passage it is
        (real, "source"),
    ]
    for path, counts in changes:
        before = key()
        path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        assert (key() != before) == bool(counts), path
    assert key(draft=True) != key()  # options count too
    assert key() != first


def test_records_that_do_not_parse_are_none_and_the_build_checks_everything(project,
                                                                          monkeypatch):
    translations, out = project
    chosen = options(translations, out)
    build.build(chosen, say=lambda line: None)
    assert len(memo.read(out)) == 2
    for broken in ("{not json", json.dumps({"format": memo.FORMAT, "records": []}),
                   json.dumps({"format": memo.FORMAT + 1, "records": memo.read(out)}),
                   json.dumps({"format": memo.FORMAT, "records": {
                       k: {"line": "pl: released"} for k in memo.read(out)}})):
        keep = (out / memo.FILE).read_text(encoding="utf-8")
        (out / memo.FILE).write_text(broken, encoding="utf-8")
        checked = counted(monkeypatch)
        found = build._checked_inputs(chosen, build._variants(chosen))
        assert sorted(checked) == ["pl", "ro"] and found.stale == []
        assert "pl: released:" in str(found.statuses[0])
        (out / memo.FILE).write_text(keep, encoding="utf-8")


def test_a_build_of_one_language_keeps_the_others_records(project):
    translations, out = project
    build.build(options(translations, out), say=lambda line: None)
    both = memo.read(out)
    assert sorted(r["folder"] for r in both.values()) == ["pl", "ro"]
    draft_label(translations, "ro", "SCHIȚĂ")
    build.build(options(translations, out, languages=("ro",)), say=lambda line: None)
    now = memo.read(out)
    assert sorted(r["folder"] for r in now.values()) == ["pl", "ro"]
    assert {k: r for k, r in now.items() if r["folder"] == "pl"} == \
        {k: r for k, r in both.items() if r["folder"] == "pl"}
    assert now != both  # Romanian's under its new key


def test_only_released_editions_are_recorded(project):
    translations, out = project
    po = freshness.po_path(translations, "ro", NAME)
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgctxt "metadata.title"', '#, fuzzy\nmsgctxt "metadata.title"',
                               1), encoding="utf-8")
    said: list[str] = []
    build.build(options(translations, out, draft=True), say=said.append)
    assert any(line.startswith("ro: draft") for line in said), said
    assert [r["folder"] for r in memo.read(out).values()] == ["pl"]


def test_a_build_of_one_leaflet_keeps_the_other_leaflets_records(tmp_path):
    folder = library(tmp_path / "lib")
    chosen = dict(source=folder, translations=ROOT / "translations", output=tmp_path / "out",
                  languages=("en-GB",), **SCREEN)
    build.build(build.Options(**chosen), say=lambda line: None)
    every = memo.read(tmp_path / "out")
    names = sorted(p.stem for p in folder.glob("*.yaml"))
    assert sorted(r["leaflet"] for r in every.values()) == names
    fixture = folder / "test-fixture-stiff-back.yaml"
    fixture.write_text(fixture.read_text(encoding="utf-8").replace(
        'version: "', 'version: "1', 1), encoding="utf-8")  # its key changes
    build.build(build.Options(**chosen, leaflets=(fixture.stem,)), say=lambda line: None)
    now = memo.read(tmp_path / "out")
    assert sorted(r["leaflet"] for r in now.values()) == names
    assert {k: r for k, r in now.items() if r["leaflet"] != fixture.stem} == \
        {k: r for k, r in every.items() if r["leaflet"] != fixture.stem}
    # A leaflet no longer in source/ takes its records with it.
    fixture.unlink()
    build.build(build.Options(**chosen), say=lambda line: None)
    assert fixture.stem not in {r["leaflet"] for r in memo.read(tmp_path / "out").values()}
