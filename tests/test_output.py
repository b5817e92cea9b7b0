"""Atomic writes and the manifest."""
from __future__ import annotations

import json
import os

import pytest

from leaflet import output


def built(path="en-GB/a.pdf", data=b"%PDF-1.7 new"):
    return output.Built(path, "leaflet", "en-GB", "screen", "released", 1, data)


def test_write_creates_files_and_manifest(tmp_path):
    entries = output.write([built()], tmp_path)
    assert (tmp_path / "en-GB/a.pdf").read_bytes() == b"%PDF-1.7 new"
    assert json.loads((tmp_path / "manifest.json").read_text())["files"] == entries
    assert entries[0]["bytes"] == 12 and len(entries[0]["sha256"]) == 64


def test_manifest_keeps_entries_of_files_built_earlier_and_drops_vanished_ones(tmp_path):
    output.write([built("en-GB/a.pdf"), built("pl/a.pdf")], tmp_path)
    (tmp_path / "pl/a.pdf").unlink()
    entries = output.write([built("ar/a.pdf")], tmp_path)
    assert [e["path"] for e in entries] == ["ar/a.pdf", "en-GB/a.pdf"]


def test_an_interrupted_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "en-GB/a.pdf"
    output.write_atomically(target, b"old")

    def crash(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        output.write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["a.pdf"]


def test_kept_files_say_why_and_stop_saying_it_when_current(tmp_path):
    output.write([built("en-GB/a.pdf"), output.Built("ar/a.pdf", "leaflet", "ar", "screen",
                                                     "released", 1, b"%PDF-1.7 ar",
                                                     catalog="2026-11-24")], tmp_path)
    entries = output.write([], tmp_path, {"ar": "current catalog: 1 error", "en-GB": None})
    [ar] = [e for e in entries if e["language"] == "ar"]
    assert ar["kept"] == "current catalog: 1 error" and ar["catalog"] == "2026-11-24"
    assert json.loads((tmp_path / "manifest.json").read_text())["files"] == entries
    before = (tmp_path / "manifest.json").stat().st_ino
    assert output.write([], tmp_path, {"ar": "current catalog: 1 error"}) == entries
    assert (tmp_path / "manifest.json").stat().st_ino == before  # nothing new: untouched
    entries = output.write([], tmp_path, {"ar": None})
    assert not [e for e in entries if "kept" in e]
