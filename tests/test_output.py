"""Atomic writes and the manifest."""
from __future__ import annotations

import json
import os

import pytest

from leaflet.formats import output


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


def test_every_entry_says_its_format_and_only_parts_say_what_they_are_part_of(tmp_path):
    page = output.Built("pl/a.html", "leaflet", "pl", "web", "released", None, b"<html>")
    font = output.Built("pl/fonts/a.woff2", "leaflet", "pl", "font", "released", None,
                        b"wOF2", part_of="pl/a.html")
    entries = {e["path"]: e for e in output.write([built(), page, font], tmp_path)}
    assert [entries[p]["format"] for p in sorted(entries)] == ["pdf", "html", "woff2"]
    assert "part_of" not in entries["pl/a.html"]
    assert entries["pl/fonts/a.woff2"]["part_of"] == "pl/a.html"


def test_a_file_written_again_drops_the_parts_it_no_longer_has(tmp_path):
    def page(*fonts):
        return [output.Built("pl/a.html", "leaflet", "pl", "web", "released", None, b"<p>")] \
            + [output.Built(f"pl/fonts/{name}", "leaflet", "pl", "font", "released", None,
                            b"wOF2", part_of="pl/a.html") for name in fonts]

    output.write(page("a.woff2", "b.woff2"), tmp_path)
    entries = output.write(page("a.woff2"), tmp_path)
    assert [e["path"] for e in entries] == ["pl/a.html", "pl/fonts/a.woff2"]
    assert not (tmp_path / "pl/fonts/b.woff2").exists()


def test_derived_files_are_made_from_the_other_entries_and_written_only_when_changed(tmp_path):
    seen = []

    def index(entries):
        seen.append([e["path"] for e in entries])
        listed = ",".join(e["path"] for e in entries if e["path"] != "index.html")
        return [output.Built("index.html", "index", "mul", "index", "released", None,
                             listed.encode())]

    output.write([built()], tmp_path, index)
    assert (tmp_path / "index.html").read_bytes() == b"en-GB/a.pdf"
    inode = (tmp_path / "index.html").stat().st_ino
    output.write([built()], tmp_path, index)  # same files: the index is as it was
    assert (tmp_path / "index.html").stat().st_ino == inode
    output.write([built("pl/a.pdf")], tmp_path, index)
    assert (tmp_path / "index.html").read_bytes() == b"en-GB/a.pdf,pl/a.pdf"
    assert seen[0] == ["en-GB/a.pdf"]


def test_a_derived_page_no_longer_made_goes(tmp_path):
    """The library's page of a language no longer listed leaves output/ and the manifest."""
    def pages(entries):
        languages = {e["language"] for e in entries if e["document"] != "index"}
        return [output.Built(f"{lang}/index.html", "index", "mul", "language", "released",
                             None, lang.encode()) for lang in sorted(languages)]

    polish = output.Built("pl/a.pdf", "leaflet", "pl", "screen", "released", 1, b"%PDF-1.7")
    output.write([built(), polish], tmp_path, pages)
    assert (tmp_path / "pl/index.html").is_file()
    (tmp_path / "pl/a.pdf").unlink()  # gone, as a withdrawn leaflet's files go
    entries = output.write([], tmp_path, pages)
    assert [e["path"] for e in entries] == ["en-GB/a.pdf", "en-GB/index.html"]
    assert not (tmp_path / "pl/index.html").exists()


def test_a_file_is_reused_only_when_listed_as_made_from_the_same_inputs(tmp_path):
    output.write([output.Built("pl/f.woff2", "leaflet", "pl", "font", "released", None,
                               b"font", "key-1")], tmp_path)
    assert output.reusable(tmp_path, "pl/f.woff2", "key-1") == b"font"
    assert output.reusable(tmp_path, "pl/f.woff2", "key-2") is None
    (tmp_path / "pl/f.woff2").write_bytes(b"changed")
    assert output.reusable(tmp_path, "pl/f.woff2", "key-1") is None


def test_kept_files_say_why_and_stop_saying_it_when_current(tmp_path):
    output.write([built("en-GB/a.pdf"), output.Built("ar/a.pdf", "leaflet", "ar", "screen",
                                                     "released", 1, b"%PDF-1.7 ar",
                                                     catalog="2026-11-24", leaflet="a"),
                  output.Built("ar/b.pdf", "leaflet", "ar", "screen", "released", 1,
                               b"%PDF-1.7 b", catalog="2026-11-24", leaflet="b")], tmp_path)
    entries = output.write([], tmp_path, kept={("a", "ar"): "current catalog: 1 error",
                                               ("a", "en-GB"): None})
    [ar, b] = [e for e in entries if e["language"] == "ar"]
    assert ar["kept"] == "current catalog: 1 error" and ar["catalog"] == "2026-11-24"
    assert ar["leaflet"] == "a" and "kept" not in b  # another leaflet's catalog in ar
    assert json.loads((tmp_path / "manifest.json").read_text())["files"] == entries
    before = (tmp_path / "manifest.json").stat().st_ino
    assert output.write([], tmp_path, kept={("a", "ar"): "current catalog: 1 error"}) == entries
    assert (tmp_path / "manifest.json").stat().st_ino == before  # nothing new: untouched
    entries = output.write([], tmp_path, kept={("a", "ar"): None})
    assert not [e for e in entries if "kept" in e]


def test_a_file_older_than_the_manifest_is_taken_as_listed_a_newer_one_is_read(tmp_path,
                                                                               monkeypatch):
    """A build lists the files already in output/ with their size and hash: read from
    disk for a file changed since the manifest was written (a killed build's, one edited
    by hand), taken from the manifest for the others (hundreds, in a library)."""
    output.write([built("en-GB/a.pdf"), built("pl/a.pdf")], tmp_path)
    (tmp_path / "pl/a.pdf").write_bytes(b"%PDF-1.7 odd")  # the same size, other bytes
    monkeypatch.setattr(output, "RACY", 0)  # this test's files are all within a tick
    read: list[str] = []
    real = output.Path.read_bytes

    def reading(path):
        read.append(path.relative_to(tmp_path).as_posix())
        return real(path)

    monkeypatch.setattr(output.Path, "read_bytes", reading)
    entries = {e["path"]: e for e in output.write([built("ar/a.pdf")], tmp_path)}
    assert read == ["pl/a.pdf"]
    assert entries["pl/a.pdf"]["sha256"] == output.hashlib.sha256(b"%PDF-1.7 odd").hexdigest()
    assert entries["en-GB/a.pdf"]["sha256"] == \
        output.hashlib.sha256(b"%PDF-1.7 new").hexdigest()
    # Within a tick of the manifest, ctime proves nothing: the file is read.
    monkeypatch.setattr(output, "RACY", 10**18)
    read.clear()
    output.write([built("ar/a.pdf", b"%PDF-1.7 ar")], tmp_path)
    assert sorted(read) == ["ar/a.pdf", "en-GB/a.pdf", "pl/a.pdf"]
