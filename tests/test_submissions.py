"""Submissions: stored whole under a server-made name; accepted after a second check,
or rejected, by a maintainer on the command line."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from leaflet.build import submissions
from leaflet.inputs import catalog
from conftest import ROOT

POLISH = catalog.po_path(ROOT / "translations", "pl")
ANNA = submissions.Sender("Anna Nowak", "anna@example.org")


def run(*args, cwd):
    return subprocess.run([sys.executable, str(ROOT / "render.py"), *args], cwd=cwd,
                          capture_output=True, text=True)


def test_a_submission_is_a_whole_folder_with_a_name_the_server_made(tmp_path):
    root = tmp_path / "submissions"
    first = submissions.store(root, "pl", POLISH.read_bytes(), "report", ANNA)
    second = submissions.store(root, "pl", b"other", "report", ANNA)
    assert first != second and first.parent == root / "pl"
    assert sorted(p.name for p in first.iterdir()) == ["leaflet.po", "submission.json"]
    about = json.loads((first / "submission.json").read_text())
    assert about["name"] == "Anna Nowak" and about["report"] == "report"
    assert {s.path for s in submissions.listing(root)} == {first, second}
    assert not list(root.glob("*/.*"))  # no hidden folder left
    with pytest.raises(ValueError):
        submissions.store(root, "../translations", b"x", "report", ANNA)


def test_a_write_that_fails_half_way_leaves_no_submission(tmp_path, monkeypatch):
    root = tmp_path / "submissions"

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "rename", crash)
    with pytest.raises(OSError):
        submissions.store(root, "pl", POLISH.read_bytes(), "report", ANNA)
    assert submissions.listing(root) == [] and not list(root.glob("*/*"))


def test_accept_checks_again_then_puts_the_catalog_in_place(tmp_path):
    translations = tmp_path / "translations"
    root = tmp_path / "submissions"
    edited = POLISH.read_text(encoding="utf-8").replace(
        'msgstr "Zespół Cauda Equina"', 'msgstr "Zespół ogona końskiego"')
    good = submissions.store(root, "pl", edited.encode(), "report", ANNA)
    broken = submissions.store(root, "pl", edited.replace("6–12", "6–10").encode(), "r", ANNA)
    listed = run("submissions", "--submissions", "submissions", cwd=tmp_path)
    assert listed.stdout.count("pending") == 2 and "Anna Nowak <anna@example.org>" in listed.stdout

    refused = run("accept", str(broken), "--submissions", "submissions", "--translations",
                  "translations", cwd=tmp_path)
    assert refused.returncode == 1 and "numbers differ" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not catalog.po_path(translations, "pl").exists()

    accepted = run("accept", str(good.relative_to(tmp_path)), "--submissions", "submissions",
                   "--translations", "translations", cwd=tmp_path)
    assert accepted.returncode == 0, accepted.stderr
    assert catalog.po_path(translations, "pl").read_text(encoding="utf-8") == edited
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
    submissions.store(root, "pl", POLISH.read_bytes(), "report", ANNA)
    shutil.copy(POLISH, tmp_path / "loose.po")
    for path in (tmp_path / "loose.po", root, root / "pl", ROOT / "translations" / "pl"):
        result = run("accept", str(path), "--submissions", str(root), "--translations",
                     str(tmp_path / "translations"), cwd=tmp_path)
        assert result.returncode == 1 and "not a submission" in result.stderr, path
