"""A build with nothing to do, decided from the stamp's one stat pass (build/stamp.py):
taken when nothing changed, and never when anything a build reads or writes did."""
from __future__ import annotations

import json
import os
import shutil
import time

import pytest

from leaflet import cli
from leaflet.build import stamp
from conftest import NAME, ROOT, SOURCE

# Plain text in English and Polish: a real build of the service's leaflet (source,
# shared source, catalog, templates, document control) that renders no PDF.
SELECTION = ["-d", "leaflet", "-v", "plain-text", "-l", "en-GB", "-l", "pl"]
UP_TO_DATE = "is up to date"


@pytest.fixture
def project(tmp_path):
    """Copies of source/ and translations/ the test may change, and an output folder."""
    shutil.copytree(SOURCE.parent, tmp_path / "source")
    shutil.copytree(ROOT / "translations", tmp_path / "translations")
    return tmp_path


def build(project, capsys, *extra: str) -> tuple[int, str]:
    """`render.py build` of the selection in `project`: its exit status and what it said."""
    capsys.readouterr()
    code = cli.main(["build", *SELECTION, "-o", str(project / "out"),
                     "--source", str(project / "source"),
                     "--translations", str(project / "translations"),
                     "--today", "2027-01-01", *extra])
    said = capsys.readouterr()
    return code, said.out + said.err


def built(project, capsys, *extra: str) -> str:
    """A build that succeeded and did work (not the stamp's no-op): what it said."""
    code, said = build(project, capsys, *extra)
    assert code == 0, said
    assert UP_TO_DATE not in said, said
    return said


def no_op(project, capsys, *extra: str) -> str:
    code, said = build(project, capsys, *extra)
    assert code == 0 and UP_TO_DATE in said, said
    return said


def polish_text(project):
    return project / "out" / "pl" / f"{NAME}.txt"


def test_nothing_changed_is_a_no_op_that_says_document_control_again(project, capsys):
    said = built(project, capsys)
    # The service's leaflet does not record its clinical approval: a warning each build.
    warning = next(line for line in said.splitlines() if "approval not recorded" in line)
    before = polish_text(project).stat().st_ino
    assert no_op(project, capsys).splitlines()[0] == warning
    assert warning in no_op(project, capsys)
    assert polish_text(project).stat().st_ino == before
    assert (project / "out" / stamp.STAMP).is_file()


@pytest.mark.parametrize("name, old, new", [
    (NAME, 'msgstr "Ból pleców', 'msgstr "Silny ból pleców'),  # the leaflet's own catalog
    ("shared", 'msgstr "PROJEKT"', 'msgstr "SZKIC"'),  # the shared passages' catalog
])
def test_an_edited_catalog_rebuilds_its_language(project, capsys, name, old, new):
    built(project, capsys)
    po = project / "translations" / "pl" / "LC_MESSAGES" / f"{name}.po"
    assert old in po.read_text()
    po.write_text(po.read_text().replace(old, new))
    assert "1 of 2 languages up to date" in built(project, capsys)
    no_op(project, capsys)


def test_a_new_catalog_of_shared_strings_is_not_a_no_op(project, capsys):
    """Whatever catalogs translations/ holds, a build may read them: a new one (the shared
    passages' catalog of a language) takes the full build."""
    shared = project / "translations" / "pl" / "LC_MESSAGES" / "shared.po"
    shared.unlink()  # Polish not released: its shared strings are untranslated
    assert "pl: skipped" in built(project, capsys)
    shutil.copy(ROOT / "translations" / "pl" / "LC_MESSAGES" / "shared.po", shared)
    assert "pl: released" in built(project, capsys)


def test_an_edited_shared_passage_rebuilds_the_leaflet_using_it(project, capsys):
    built(project, capsys)
    before = polish_text(project).read_text()
    flags = project / "source" / "shared" / "red-flags.yaml"
    flags.write_text(flags.read_text().replace("Loss of sensation passing urine",
                                               "Loss of sensation when passing urine"))
    leaflet = project / "source" / f"{NAME}.yaml"  # a new version for its new text
    leaflet.write_text(leaflet.read_text().replace('version: "1.0"', 'version: "1.1"'))
    built(project, capsys)
    assert "when passing urine" in (project / "out" / "en-GB" / f"{NAME}.txt").read_text()
    # Polish keeps its last release until its catalog is updated: said at every build.
    assert polish_text(project).read_text() == before
    assert "pl: last release kept" in built(project, capsys)


@pytest.mark.parametrize("path", ["styles/leaflet.html.j2", "styles/fonts",
                                  "leaflet/formats/plaintext.py", "requirements.lock"])
def test_a_touched_template_font_code_file_or_pin_is_not_a_no_op(project, capsys, path):
    """A template, a font, the code and the pinned dependencies are read by the build:
    touched (its content as it was, its time put back: only its ctime tells), the stamp
    does not trust it and the full build runs (and finds nothing to remake)."""
    built(project, capsys)
    target = ROOT / path
    if target.is_dir():
        target = sorted(target.iterdir())[0]
    times = target.stat()
    os.utime(target, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert "2 of 2 languages up to date" in built(project, capsys)
    no_op(project, capsys)


@pytest.mark.parametrize("option", [["--draft"], ["--review-notice", "6"], ["-l", "ro"],
                                    ["--leaflet", NAME]])
def test_another_option_is_not_a_no_op(project, capsys, option):
    built(project, capsys)
    built(project, capsys, *option)
    no_op(project, capsys, *option)


def test_a_deleted_or_rewritten_output_is_made_again(project, capsys):
    built(project, capsys)
    target = polish_text(project)
    good = target.read_bytes()
    target.unlink()
    built(project, capsys)
    assert target.read_bytes() == good
    # Rewritten in place with the same size and its time put back: its ctime tells.
    times = target.stat()
    target.write_bytes(good[:-4] + b"XXXX")
    os.utime(target, ns=(times.st_atime_ns, times.st_mtime_ns))
    built(project, capsys)
    assert target.read_bytes() == good


def test_a_review_date_crossed_since_the_last_build_is_not_a_no_op(project, capsys):
    """Built on 1 January 2027; its review is on 24 November 2029, due three months
    before: a no-op until the day before it falls due, then a warning, then an error."""
    built(project, capsys)
    no_op(project, capsys, "--today", "2029-08-23")
    said = built(project, capsys, "--today", "2029-08-24")
    assert "warning: review due by 2029-11-24" in said
    assert "warning: review due by 2029-11-24" in no_op(project, capsys, "--today",
                                                          "2029-11-24")
    # A day before those of the last build: its standing then was another.
    assert "review due" not in built(project, capsys, "--today", "2029-08-23")
    code, said = build(project, capsys, "--today", "2029-11-25")
    assert code == 1 and "error: review overdue since 2029-11-24" in said
    code, said = build(project, capsys, "--today", "2029-11-25")
    assert code == 1 and UP_TO_DATE not in said  # an error is said every time


def test_a_catalog_changed_in_the_tick_its_stat_was_taken_is_compared_by_content(project,
                                                                                 capsys):
    """A file changed within the file system's clock tick can keep its stat: an input
    changed within RACY of the build's start is recorded with its hash and compared by
    it."""
    po = project / "translations" / "pl" / "LC_MESSAGES" / "shared.po"
    po.write_text(po.read_text())  # edited just before the build
    built(project, capsys)
    stamped = project / "out" / stamp.STAMP
    recorded = json.loads(stamped.read_text())
    name = "translations/pl/LC_MESSAGES/shared.po"
    assert recorded["files"][name][4] is not None
    po.write_text(po.read_text().replace('msgstr "PROJEKT"', 'msgstr "SZKIC__"'))
    # As if the change had come in the same tick: the stat recorded is the file's now.
    recorded["files"][name][:4] = stamp._stat(po, None)[:4]
    stamped.write_text(json.dumps(recorded))
    assert "1 of 2 languages up to date" in built(project, capsys)


def test_the_stamp_is_later_than_every_output_it_records(project, capsys):
    """Outputs are trusted by their stat once output/'s clock has passed their times:
    a change after the stamp then always gives them a later ctime."""
    built(project, capsys)
    stamped = (project / "out" / stamp.STAMP).stat().st_mtime_ns
    recorded = json.loads((project / "out" / stamp.STAMP).read_text())["files"]
    outputs = [v for k, v in recorded.items() if k.startswith("output/")]
    assert len(outputs) == 3  # two texts and the manifest
    assert all(max(v[1], v[2]) < stamped and v[4] is None for v in outputs)
    # An output whose time is ahead (a clock's tick, here a third of a second): the
    # stamp is written again until it is later.
    ahead = time.time_ns() + 300_000_000
    os.utime(polish_text(project), ns=(ahead, ahead))
    folders = project / "source", project / "translations", project / "out"
    assert stamp.record(folders[2], "settings", stamp.take(*folders), *folders[:2],
                        (None, None), [])
    assert (project / "out" / stamp.STAMP).stat().st_mtime_ns > ahead


def test_no_stamp_when_an_input_changes_during_the_build(project):
    folders = project / "source", project / "translations", project / "out"
    began = stamp.take(*folders)
    flags = project / "source" / "shared" / "red-flags.yaml"
    flags.write_text(flags.read_text() + "\n")
    assert not stamp.record(folders[2], "settings", began, *folders[:2], (None, None), [])
    assert not (folders[2] / stamp.STAMP).exists()
