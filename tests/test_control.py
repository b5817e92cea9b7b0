"""Document control: review due and overdue, extension, withdrawal, approval, and a new
version for new printed text, with a today the tests set."""
from __future__ import annotations

import datetime
import json

import pytest

from leaflet import cli
from leaflet.build import control, freshness
from leaflet.formats import output
from leaflet.inputs import source
from leaflet.errors import BuildError
from conftest import ROOT, SOURCE, beside_shared

NAME = SOURCE.stem
REVIEW = datetime.date(2029, 11, 24)
WEB = ["--language", "en-GB", "--variant", "web"]
ONE_CARD = ["--language", "en-GB", "--document", "card", "--variant", "screen"]


def leaflet_with(tmp_path, *changes: tuple[str, str]):
    """A copy of the real leaflet's source with `changes` (old, new) made; its path."""
    text = SOURCE.read_text()
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    path = beside_shared(tmp_path) / SOURCE.name
    path.write_text(text)
    return path


def line_of(path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1)
                if line.strip().startswith(start))


EDIT = ("Diagnosis is usually made from your symptoms.",
        "Diagnosis is usually made from your symptoms and an examination.")
EXTENDED = ("  review: 2029-11-24\n", "  review: 2029-11-24\n  extended: {until: 2030-05-24, "
            "agreed_by: MSK clinical governance group, date: 2029-11-01}\n")
WITHDRAWN = ("  review: 2029-11-24\n", "  review: 2029-11-24\n  withdrawn: {date: 2028-03-01, "
             "reason: replaced by the lower back pain leaflet}\n")


def test_a_leaflet_is_current_then_due_within_three_months_then_overdue(leaflet):
    at = {day: control.standing(leaflet, day, {}) for day in (
        datetime.date(2029, 8, 23), datetime.date(2029, 8, 24), REVIEW,
        datetime.date(2029, 11, 25))}
    assert [s.state for s in at.values()] == ["current", "due", "due", "overdue"]
    due = at[datetime.date(2029, 8, 24)]
    assert due.builds and str(due) == f"{NAME}: review due by 2029-11-24"
    [warning] = [p for p in due.problems if "review due" in p.message]
    assert not warning.is_error and warning.where.line == line_of(SOURCE, "review:")
    overdue = at[datetime.date(2029, 11, 25)]
    assert not overdue.builds and overdue.summary == "review overdue since 2029-11-24"
    [error] = [p for p in overdue.problems if p.is_error]
    assert error.where.line == line_of(SOURCE, "review:")
    assert "set review: to the next review date" in error.message
    assert "add extended: with until:" in error.message


def test_the_notice_period_is_configurable(leaflet):
    assert control.standing(leaflet, datetime.date(2029, 9, 1), {}, 1).state == "current"
    assert control.standing(leaflet, datetime.date(2029, 10, 24), {}, 1).state == "due"
    assert control.months_before(datetime.date(2029, 5, 31), 3) == datetime.date(2029, 2, 28)


def test_a_recorded_extension_moves_the_review_date(tmp_path):
    extended = source.load(leaflet_with(tmp_path, EXTENDED))
    standing = control.standing(extended, datetime.date(2029, 12, 1), {})
    assert standing.state == "current" and standing.review == datetime.date(2030, 5, 24)
    assert control.standing(extended, datetime.date(2030, 5, 25), {}).state == "overdue"


def test_an_extension_must_say_who_agreed_and_run_past_the_review(tmp_path):
    with pytest.raises(BuildError) as raised:
        source.load(leaflet_with(tmp_path, ("  review: 2029-11-24\n", "  review: 2029-11-24\n"
                                            "  extended: {until: 2029-10-01}\n")))
    messages = [p.message for p in raised.value.problems]
    assert "metadata.extended: missing key 'agreed_by'" in messages
    assert "metadata.extended.until: an extension runs until a date after the review date" \
        in messages


def test_approval_is_required_and_not_recorded_is_a_warning(tmp_path, leaflet):
    [warning] = [p for p in control.standing(leaflet, datetime.date(2027, 1, 1), {}).problems]
    assert not warning.is_error and warning.where.line == line_of(SOURCE, "approved:")
    assert warning.message.startswith("clinical approval not recorded (who and when)")
    approved = source.load(leaflet_with(tmp_path, (
        "{by: not recorded, date: not recorded}", "{by: Dr A Example, date: 2026-11-20}")))
    assert approved.metadata.control.approval.by == "Dr A Example"
    assert control.standing(approved, datetime.date(2027, 1, 1), {}).problems == ()
    with pytest.raises(BuildError, match="missing key 'approved'"):
        source.load(leaflet_with(tmp_path, ("  approved: {by: not recorded, date: not recorded}"
                                            "  # the handed-over text records neither\n", "")))


def test_printed_text_changed_under_a_released_version_is_an_error_at_the_version_line(
        tmp_path, leaflet):
    released = {NAME: {"1.0": control.printed(leaflet)}}
    today = datetime.date(2027, 1, 1)
    assert control.standing(leaflet, today, released).record is None  # nothing new
    edited = leaflet_with(tmp_path, EDIT)
    standing = control.standing(source.load(edited), today, released)
    [error] = [p for p in standing.problems if p.is_error]
    assert error.where.line == line_of(edited, "version:") and not standing.builds
    assert "printed English changed since version 1.0 was released" in error.message
    # A red flag is printed too: a shared block, edited in the shared source.
    flag = leaflet_with(tmp_path / "flag")
    flags = flag.parent / "shared" / "red-flags.yaml"
    flags.write_text(flags.read_text().replace("around your back passage",
                                               "around your back passage or anus"))
    assert not control.standing(source.load(flag), today, released).builds
    bumped = source.load(leaflet_with(tmp_path, EDIT, ('version: "1.0"', 'version: "1.1"')))
    standing = control.standing(bumped, today, released)
    assert standing.builds and standing.record == ("1.1", control.printed(bumped))
    # Only what is printed counts: the approval, the review date are not printed text.
    recorded = source.load(leaflet_with(tmp_path, EXTENDED))
    assert control.standing(recorded, today, released).builds


def test_the_build_records_a_new_version_and_refuses_changed_text_under_it(tmp_path, capsys):
    out = tmp_path / "output"
    path = leaflet_with(tmp_path)
    lock = tmp_path / "released.lock"
    build = ["build", "--source", str(path), "--output", str(out), "--today", "2027-01-01"]
    assert run(build + ONE_CARD) == 0
    assert control.read_lock(lock) == {NAME: {"1.0": control.printed(source.load(path))}}
    leaflet_with(tmp_path, EDIT)
    capsys.readouterr()
    assert run(build + ONE_CARD) == 1
    err = capsys.readouterr().err
    assert f"{path.name}:{line_of(path, 'version:')}: error: the printed English changed " \
        "since version 1.0 was released" in err
    assert f"{NAME} not rebuilt (its last released files stay)" in err
    leaflet_with(tmp_path, EDIT, ('version: "1.0"', 'version: "1.1"'))
    assert run(build + ONE_CARD) == 0
    assert sorted(control.read_lock(lock)[NAME]) == ["1.0", "1.1"]


def test_an_overdue_leaflet_is_not_rebuilt_and_its_files_say_so(tmp_path, capsys):
    out = tmp_path / "output"
    path = leaflet_with(tmp_path)
    build = ["build", "--source", str(path), "--output", str(out)]
    assert run(build + WEB + ["--today", "2027-01-01"]) == 0
    before = {e["path"]: e["sha256"] for e in output.read_manifest(out)}
    page = out / "en-GB" / f"{NAME}.html"
    assert all(e["review"] == "2029-11-24" for e in output.read_manifest(out)
               if e["document"] not in ("index", "font"))
    # Up to date, but within the notice: not a no-op, and it says the review is due.
    loaded = [source.load(path)]
    assert control.days(loaded, datetime.date(2027, 1, 1)) == (None, datetime.date(2029, 8, 24))
    assert control.days(loaded, datetime.date(2029, 9, 1)) == (datetime.date(2029, 8, 24),
                                                               datetime.date(2029, 11, 25))
    capsys.readouterr()
    assert run(build + WEB + ["--today", "2029-09-01"]) == 0
    said = capsys.readouterr()
    assert "warning: review due by 2029-11-24" in said.out
    leaflet_with(tmp_path, EDIT, ('version: "1.0"', 'version: "1.1"'))  # a change to build
    assert run(build + WEB + ["--today", "2029-12-01"]) == 1
    err = capsys.readouterr().err
    assert f"{path.name}:{line_of(path, 'review:')}: error: review overdue since 2029-11-24" \
        in err
    entries = output.read_manifest(out)
    # The last release stays; its web page says the review is overdue (and is listed so),
    # as the library's pages do (made again, with their fonts, to say it).
    library = {e["path"] for e in entries if e["language"] == "mul"}
    assert {e["path"]: e["sha256"] for e in entries
            if e["path"] != f"en-GB/{NAME}.html" and e["path"] not in library} \
        == {p: h for p, h in before.items() if p != f"en-GB/{NAME}.html" and p not in library}
    assert "Review overdue since 24 November 2029" in (out / "index.html").read_text()
    assert {e.get("control") for e in entries if e["document"] not in ("index", "font")
            and not e.get("part_of")} == {"review overdue since 2029-11-24"}
    assert '<p class="notice review-overdue" lang="en-GB" dir="ltr">Review overdue since ' \
        '2029-11-24: this leaflet is past its review date.' in page.read_text()
    assert output.reusable(out, f"en-GB/{NAME}.html", next(
        e["inputs"] for e in entries if e["path"] == f"en-GB/{NAME}.html")) is not None
    assert "review overdue since 2029-11-24" in _status(path, out, "2029-12-01", capsys)
    # A recorded extension: rebuilt, no longer marked.
    leaflet_with(tmp_path, EDIT, ('version: "1.0"', 'version: "1.1"'), EXTENDED)
    assert run(build + WEB + ["--today", "2029-12-01"]) == 0
    assert not [e for e in output.read_manifest(out) if e.get("control")]
    assert "review-overdue" not in page.read_text()


def test_a_withdrawn_leaflet_leaves_output_and_status_lists_it(tmp_path, capsys):
    out = tmp_path / "output"
    path = leaflet_with(tmp_path)
    build = ["build", "--source", str(path), "--output", str(out), "--today", "2028-06-01"]
    assert run(build + ["--language", "en-GB", "--variant", "web"]) == 0
    assert (out / "index.html").is_file() and (out / "en-GB" / f"{NAME}.html").is_file()
    leaflet_with(tmp_path, WITHDRAWN)
    assert run(build) == 0
    assert json.loads((out / "manifest.json").read_text()) == {"files": []}
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == ["manifest.json"]
    assert f"{NAME}: withdrawn 2028-03-01: replaced by the lower back pain leaflet" in \
        _status(path, out, "2028-06-01", capsys)


def run(argv: list[str]) -> int:
    """The command line, as a new process would run it: freshness caches the source's hash
    for the life of the process, and these tests edit the source between builds."""
    freshness._common.cache_clear()
    return cli.main(argv)


def _status(path, out, today, capsys) -> str:
    capsys.readouterr()
    assert cli.main(["status", "--source", str(path), "--output", str(out),
                     "--translations", str(ROOT / "translations"), "--today", today]) == 0
    return capsys.readouterr().out
