"""Submissions: stored whole under a server-made name; accepted after a second check,
or rejected, by a maintainer on the command line."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from leaflet.app import upload
from leaflet.build import build, reviews, submissions
from leaflet.inputs import catalog, pocheck, source
from leaflet.errors import BuildError
from conftest import NAME, ROOT, SOURCE, pdftotext

POLISH = catalog.po_path(ROOT / "translations", "pl", NAME)
POLISH_SHARED = catalog.po_path(ROOT / "translations", "pl", catalog.SHARED)
DATA_FUZZY = ROOT / "tests" / "data" / "po-fuzzy.po"
ANNA = submissions.Sender("Anna Nowak", "anna@example.org")


def run(*args, cwd):
    return subprocess.run([sys.executable, str(ROOT / "render.py"), *args], cwd=cwd,
                          capture_output=True, text=True)


def test_a_submission_is_a_whole_folder_with_a_name_the_server_made(tmp_path):
    root = tmp_path / "submissions"
    first = submissions.store(root, "pl", POLISH.read_bytes(), "report", ANNA, leaflet=NAME)
    second = submissions.store(root, "pl", b"other", "report", ANNA, leaflet=NAME)
    assert first != second and first.parent == root / "pl"
    assert sorted(p.name for p in first.iterdir()) == ["leaflet.po", "submission.json"]
    about = json.loads((first / "submission.json").read_text())
    assert about["name"] == "Anna Nowak" and about["report"] == "report"
    assert {s.path for s in submissions.listing(root)} == {first, second}
    assert not list(root.glob("*/.*"))  # no hidden folder left
    with pytest.raises(ValueError):
        submissions.store(root, "../translations", b"x", "report", ANNA, leaflet=NAME)


def test_a_write_that_fails_half_way_leaves_no_submission(tmp_path, monkeypatch):
    root = tmp_path / "submissions"

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "rename", crash)
    with pytest.raises(OSError):
        submissions.store(root, "pl", POLISH.read_bytes(), "report", ANNA, leaflet=NAME)
    assert submissions.listing(root) == [] and not list(root.glob("*/*"))


def test_accept_checks_again_then_puts_the_catalog_in_place(tmp_path):
    translations = tmp_path / "translations"
    root = tmp_path / "submissions"
    edited = POLISH.read_text(encoding="utf-8").replace(
        'msgstr "Ból pleców i nóg', 'msgstr "Bóle pleców i nóg')
    assert edited != POLISH.read_text(encoding="utf-8")
    good = submissions.store(root, "pl", edited.encode(), "report", ANNA, leaflet=NAME)
    broken = submissions.store(root, "pl", edited.replace("6–12", "6–10").encode(), "r", ANNA,
                               leaflet=NAME)
    listed = run("submissions", "--submissions", "submissions", cwd=tmp_path)
    assert listed.stdout.count("pending") == 2 and "Anna Nowak <anna@example.org>" in listed.stdout

    refused = run("accept", str(broken), "--submissions", "submissions", "--translations",
                  "translations", cwd=tmp_path)
    assert refused.returncode == 1 and "numbers differ" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not catalog.po_path(translations, "pl", NAME).exists()

    accepted = run("accept", str(good.relative_to(tmp_path)), "--submissions", "submissions",
                   "--translations", "translations", cwd=tmp_path)
    assert accepted.returncode == 0, accepted.stderr
    assert catalog.po_path(translations, "pl", NAME).read_text(encoding="utf-8") == edited.replace(
        '"X-Review-Status: unreviewed\\n"\n"X-Reviewed-By: \\n"\n"X-Reviewed-Date: \\n"\n', "")
    assert json.loads((good / "decision.json").read_text())["decision"] == "accepted"
    again = run("accept", str(good), "--submissions", "submissions", "--translations",
                "translations", cwd=tmp_path)
    assert again.returncode == 1 and "already accepted" in again.stderr

    rejected = run("reject", str(broken), "--reason", "numbers changed", "--submissions",
                   "submissions", cwd=tmp_path)
    assert rejected.returncode == 0
    assert json.loads((broken / "decision.json").read_text())["reason"] == "numbers changed"
    assert "0 submissions waiting" in run("submissions", "--submissions", "submissions",
                                          cwd=tmp_path).stdout


def test_accept_takes_only_a_submission(tmp_path):
    root = tmp_path / "submissions"
    submissions.store(root, "pl", POLISH.read_bytes(), "report", ANNA, leaflet=NAME)
    shutil.copy(POLISH, tmp_path / "loose.po")
    for path in (tmp_path / "loose.po", root, root / "pl", ROOT / "translations" / "pl"):
        result = run("accept", str(path), "--submissions", str(root), "--translations",
                     str(tmp_path / "translations"), cwd=tmp_path)
        assert result.returncode == 1 and "not a submission" in result.stderr, path


# ------------------------------------------------------------- review is the team's

CLAIMED = ('"X-Review-Status: reviewed\\n"\n"X-Reviewed-By: Dr A. Nobody (ITI 1)\\n"\n'
           '"X-Reviewed-Date: 2026-11-30\\n"\n')
UNREVIEWED_PL = "To tłumaczenie nie zostało jeszcze sprawdzone"


def claiming_review() -> bytes:
    """The shipped Polish catalog with headers saying a qualified translator reviewed it."""
    text = POLISH.read_text(encoding="utf-8")
    start = text.index('"X-Review-Status:')
    end = text.index('"X-Reviewed-Date:')
    end = text.index("\n", end) + 1
    return (text[:start] + CLAIMED + text[end:]).encode()


def texts():
    """What the leaflet's own catalog translates (the shared catalog has the rest)."""
    return {t.key: t for t in catalog.own_texts(source.load(SOURCE))}


def with_shared(translations):
    """`translations` holding the shipped Polish shared catalog: the strings a leaflet's
    catalog does not translate."""
    target = catalog.po_path(translations, "pl", catalog.SHARED)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(POLISH_SHARED.read_bytes())
    return translations


def test_no_path_from_an_upload_to_a_pdf_without_the_unreviewed_notice(tmp_path):
    data = claiming_review()
    # The check says the headers were ignored, with their line.
    checked = upload.check(tmp_path, data, texts())
    [ignored] = [f for f in checked.findings if "ignored" in f.message]
    assert ignored.severity == "warning" and ignored.line == 19 and checked.errors == 0
    # The draft (web page and PDF) carries the notice, a shared string: the server sends
    # the library's shared catalog of the language with the upload.
    shared = POLISH_SHARED.read_bytes()
    page = upload.web_page(tmp_path, data, SOURCE, shared)
    assert UNREVIEWED_PL.encode() in page.html
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(upload.preview(tmp_path, data, SOURCE, ("card",), shared)["card"])
    assert UNREVIEWED_PL in " ".join(pdftotext(pdf).split())
    # Accepted, the catalog has no review headers and its leaflets carry the notice.
    root, translations = tmp_path / "submissions", with_shared(tmp_path / "translations")
    stored = submissions.store(root, "pl", data, checked.report, ANNA, leaflet=NAME)
    target = submissions.accept(stored, root, translations, lambda name: texts(), SOURCE.parent)
    assert b"X-Review" not in target.read_bytes()
    options = build.Options(source=SOURCE, translations=translations, output=tmp_path / "o",
                            languages=("pl",))
    [status], [edition] = build.languages(source.load(SOURCE), options)
    assert not status.report.reviewed and "unreviewed" in str(status)
    assert [n.text.value for n in edition.notices][0].startswith(UNREVIEWED_PL)


def test_a_review_is_recorded_by_the_team_for_the_strings_reviewed(tmp_path):
    translations = with_shared(tmp_path / "translations")
    target = catalog.po_path(translations, "pl", NAME)
    target.write_bytes(POLISH.read_bytes())
    recorded = run("review", "pl", "--reviewer", "Ewa Kowalska, sworn translator (TP/1/23)",
                   "--date", "2026-12-01", "--translations", "translations", cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    assert "commit translations/reviews.json" in recorded.stdout
    options = build.Options(source=SOURCE, translations=translations, output=tmp_path / "o",
                            languages=("pl",))
    [status], [edition] = build.languages(source.load(SOURCE), options)
    assert "reviewed by Ewa Kowalska, sworn translator (TP/1/23) on 2026-12-01" in str(status)
    assert edition.notices == ()
    # A header edit keeps the review; a changed string loses it until reviewed again.
    target.write_text(target.read_text(encoding="utf-8").replace(
        "PO-Revision-Date: 2026-11-24 12:00", "PO-Revision-Date: 2026-12-02 09:00"),
        encoding="utf-8")
    assert build.languages(source.load(SOURCE), options)[0][0].report.reviewed
    # The review covers the shared strings the leaflet prints too (the card's title).
    shared = catalog.po_path(translations, "pl", catalog.SHARED)
    shared.write_text(shared.read_text(encoding="utf-8").replace(
        'msgstr "Zespół Cauda Equina"', 'msgstr "Zespół ogona końskiego"'), encoding="utf-8")
    [status], [edition] = build.languages(source.load(SOURCE), options)
    assert not status.report.reviewed and edition.notices


@pytest.mark.parametrize("args, message", [
    (["--reviewer", "", "--date", "2026-12-01"], "give the reviewer's name"),
    (["--reviewer", "Ewa\x1b[2J", "--date", "2026-12-01"], "without control characters"),
    (["--reviewer", "Ewa", "--date", "2026-13-01"], "is not a day"),
    (["--reviewer", "Ewa", "--date", "2999-01-01"], "up to today"),
])
def test_a_review_needs_who_and_when(tmp_path, args, message):
    target = catalog.po_path(tmp_path / "translations", "pl", NAME)
    target.parent.mkdir(parents=True)
    target.write_bytes(POLISH.read_bytes())
    result = run("review", "pl", *args, "--translations", "translations", cwd=tmp_path)
    assert result.returncode == 1 and message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "translations" / reviews.FILE).exists()


def test_an_incomplete_catalog_cannot_be_recorded_as_reviewed(tmp_path):
    report = pocheck.check(DATA_FUZZY, texts())
    with pytest.raises(BuildError, match="a review covers a complete catalog"):
        reviews.record(tmp_path, "pl", report, texts(), "Ewa", "2026-12-01")
    assert not (tmp_path / reviews.FILE).exists()


def test_accept_builds_the_language_first_and_refuses_what_would_fail(tmp_path,
                                                                      monkeypatch):
    root, translations = tmp_path / "submissions", tmp_path / "translations"
    stored = submissions.store(root, "pl", POLISH.read_bytes(), "report", ANNA, leaflet=NAME)
    built = []

    def failing(options, say=print):
        built.append(options)
        raise BuildError([pocheck.Problem(pocheck.Location("x"), "the card does not fit")])

    monkeypatch.setattr(build, "build", failing)
    with pytest.raises(BuildError) as exc:
        submissions.accept(stored, root, translations, lambda name: texts(), SOURCE.parent)
    assert "the card does not fit" in str(exc.value)
    assert "cannot be built from this catalog; nothing was accepted" in str(exc.value)
    [options] = built
    assert options.languages == ("pl",) and options.draft and options.output != ROOT / "output"
    assert not catalog.po_path(translations, "pl", NAME).exists()
    assert submissions.listing(root)[0].state == "pending"


def test_a_shared_catalog_is_accepted_after_every_leaflet_builds_with_it(tmp_path,
                                                                         monkeypatch):
    root = tmp_path / "submissions"
    translations = tmp_path / "translations"
    leaflet_po = catalog.po_path(translations, "pl", NAME)
    leaflet_po.parent.mkdir(parents=True)
    leaflet_po.write_bytes(POLISH.read_bytes())
    stored = submissions.store(root, "pl", POLISH_SHARED.read_bytes(), "report", ANNA,
                               leaflet=catalog.SHARED)
    seen = []

    def building(options, say=print):  # what the scratch build is given
        seen.append((options, sorted(p.name for p in options.translations.rglob("*.po"))))
        return []

    monkeypatch.setattr(build, "build", building)
    shared = {t.key: t for t in source.shared_texts(source.load_shared(SOURCE.parent / "shared"))}
    target = submissions.accept(stored, root, translations, lambda name: shared, SOURCE.parent)
    assert target == catalog.po_path(translations, "pl", catalog.SHARED)
    assert target.read_bytes() == POLISH_SHARED.read_bytes()
    [(options, files)] = seen
    assert options.leaflets == () and files == [f"{NAME}.po", "shared.po"]  # every leaflet


# ------------------------------------------------------------- what a sender types

@pytest.mark.parametrize("name, email, wrong", [
    ("Anna Nowak", "anna@example.org", []),
    ("Anna Nowak", "anna\x1b[2J@example.org", ["email"]),
    ("Anna\u202eNowak", "anna@example.org", ["name"]),
    ("Anna\x07", "a@b", ["email", "name"]),
    ("", "anna@example", ["email", "name"]),
    ("x" * 121, "a" * 250 + "@example.org", ["email", "name"]),
    ("Anna Nowak", "anna@@example.org", ["email"]),
    ("Anna Nowak", "anna nowak@example.org", ["email"]),
    ("অনু\u200cপম", "anupam@example.org", []),
])
def test_names_and_addresses_refuse_control_characters(name, email, wrong, tmp_path):
    assert sorted(submissions.sender_problems(name, email)) == wrong
    if wrong:
        with pytest.raises(ValueError):
            submissions.store(tmp_path, "pl", b"x", "r", submissions.Sender(name, email),
                              leaflet=NAME)


def test_the_listing_shows_stored_text_safely(tmp_path):
    root = tmp_path / "submissions"
    stored = submissions.store(root, "pl", POLISH.read_bytes(), "report", ANNA, leaflet=NAME)
    about = json.loads((stored / "submission.json").read_text())
    # Written before names were checked, or by hand: the listing must still be safe.
    about.update(name="Anna\x1b[2J\u202eNowak", email="a\x1b]0;x\x07@example.org",
                 report="line\n1/2 translated\x1b[31m")
    (stored / "submission.json").write_text(json.dumps(about))
    listed = run("submissions", "--submissions", "submissions", cwd=tmp_path)
    assert listed.returncode == 0
    assert "\x1b" not in listed.stdout and "\u202e" not in listed.stdout
    assert "Anna\\x1b[2JU+202ENowak <a\\x1b]0;x\\x07@example.org>" in listed.stdout
