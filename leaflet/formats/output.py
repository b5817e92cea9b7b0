"""Write built files into output/ atomically, with output/manifest.json.

Public verb: `write(files, root, derived, kept)`. Called only after every file of the
build has been rendered and verified, so a failed build writes nothing. Then:
1. every file is written and flushed to disk in a staging folder beside output/
   (`output.partial/`, same file system, so a rename is atomic; never inside output/,
   which holds only finished files);
2. each is renamed over its old version: an interrupted build never leaves a
   half-written PDF and never removes the last good one;
3. the manifest is staged and renamed last, listing the files as they are on disk;
4. files that were part of a file written now (a web page's fonts) and are not part of
   it any more are removed, after the manifest no longer lists them.
A staging folder left by a killed build is removed by the next one. Files derived from
the manifest itself (the index of every language and format) are made from the entries
it will hold and written with the rest.

A language whose current catalog is not released keeps its last files; `kept` says why
in their entries (`"kept": "current catalog: 1 error"`), and each entry made from a
catalog names that catalog's date (`"catalog": "2026-11-24"`, its PO-Revision-Date).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

MANIFEST = "manifest.json"
# ns: coarser than any file system's clock tick (FAT's is 2 s): a file changed within
# this of the manifest's writing is read again, whatever its ctime says.
RACY = 2_000_000_000


@dataclass(frozen=True)
class Built:
    """One output file, made and checked, not yet written."""

    path: str  # relative to output/, with / separators
    document: str  # "leaflet", "card" or "index"
    language: str  # BCP 47 ("mul" for the index of every language)
    variant: str  # "screen", "web", ...
    status: str  # "released" or "draft"
    pages: int | None  # None: a web page or a font has no pages
    data: bytes
    inputs: str = ""  # the key of what it was made from (leaflet/build/freshness.py)
    catalog: str = ""  # the date of the catalog it was made from ("" for the source language)
    title: str = ""  # the document's title, in its language
    part_of: str = ""  # the file this one belongs to, if any
    leaflet: str = ""  # the leaflet it is of: its name (its source file's stem)
    # What the library's pages list of its leaflet (leaflet/formats/library.py): topic,
    # reference, version and next review date, from its metadata.
    facts: tuple[tuple[str, str], ...] = ()
    fonts: tuple[str, ...] = ()  # a web page: the font files (shared) it loads
    characters: str = ""  # a font subset: the characters it was made for
    card: str = ""  # a warning card: the id of the red-flag list it is of
    leaflets: tuple[str, ...] = ()  # a warning card: the leaflets using its list

    @property
    def format(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    def entry(self) -> dict:
        entry = {"path": self.path, **({"leaflet": self.leaflet} if self.leaflet else {}),
                 "document": self.document, "language": self.language,
                 "variant": self.variant, "format": self.format, "title": self.title,
                 "pages": self.pages, "bytes": len(self.data),
                 "sha256": hashlib.sha256(self.data).hexdigest(), "status": self.status,
                 "inputs": self.inputs}
        if self.catalog:
            entry["catalog"] = self.catalog
        optional = {"part_of": self.part_of, "leaflet": self.leaflet, **dict(self.facts),
                    "fonts": list(self.fonts), "characters": self.characters,
                    "card": self.card, "leaflets": list(self.leaflets)}
        return {**entry, **{k: v for k, v in optional.items() if v}}


def write(files: list[Built], root: Path,
          derived: Callable[[list[dict]], list[Built]] | None = None,
          kept: dict[tuple[str, str], str | None] | None = None) -> list[dict]:
    """Write `files` under `root` and update the manifest; the manifest's entries.
    `derived(entries)` gives files made from the manifest's other entries (the index):
    they are written when they differ from what is on disk. `kept` maps an edition (the
    leaflet's name and the language, BCP 47) to why its files are an earlier release, or
    to None when they are current."""
    kept = kept or {}
    previous = read_manifest(root)
    if not files and not derived and previous and \
            previous == [_marked(e, kept) for e in previous]:
        return previous  # nothing new: leave output/ untouched
    entries = {e["path"]: _marked(e, kept) for e in _still_there(root)}
    dropped = _replace(entries, files)
    if derived:
        extra = derived([entries[k] for k in sorted(entries)])
        # The earlier entries' sizes and hashes were read from disk: an equal entry is
        # an equal file, and is not written again.
        changed = [f for f in extra if entries.get(f.path) != f.entry()]
        dropped += _replace(entries, extra)
        # A derived page no longer made (the page of a language or a leaflet that is no
        # longer listed) goes.
        made = {f.path for f in extra}
        gone = [p for p, e in entries.items() if e.get("document") in
                {f.document for f in extra} | {"index"} and e.get("format") == "html"
                and p not in made]
        for path in gone:
            del entries[path]
        dropped += gone
        files = files + changed
    if not files and (root / MANIFEST).is_file() and \
            previous == [entries[k] for k in sorted(entries)]:
        return previous  # nothing new: leave output/ untouched
    root.mkdir(parents=True, exist_ok=True)
    staging = staging_dir(root)
    shutil.rmtree(staging, ignore_errors=True)
    staged = [(_stage(staging, f.path, f.data), root / f.path) for f in files]
    for temporary, final in staged:
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, final)
    ordered = [entries[k] for k in sorted(entries)]
    manifest = json.dumps({"files": ordered}, indent=2, ensure_ascii=False) + "\n"
    os.replace(_stage(staging, MANIFEST, manifest.encode()), root / MANIFEST)
    shutil.rmtree(staging, ignore_errors=True)
    for path in dropped:
        (root / path).unlink(missing_ok=True)
    return ordered


def _marked(entry: dict, kept: dict[tuple[str, str], str | None]) -> dict:
    """The entry saying why it is kept, or no longer saying so. A card (its red-flag
    list's) is current when some leaflet using the list is current in its language."""
    names = entry.get("leaflets") if entry.get("card") else [entry.get("leaflet", "")]
    reasons = [kept[edition] for edition in ((n, entry.get("language")) for n in names or ())
               if edition in kept]
    if not reasons:
        return entry
    rest = {k: v for k, v in entry.items() if k != "kept"}
    return {**rest, "kept": reasons[0]} if all(reasons) else rest


def _replace(entries: dict[str, dict], files: list[Built]) -> list[str]:
    """Put the files' entries in `entries`; a file written again brings all its parts, so
    the parts it no longer has are taken out: their paths."""
    written = {f.path for f in files}
    dropped = [p for p, e in entries.items() if e.get("part_of") in written and p not in written]
    for path in dropped:
        del entries[path]
    entries.update((f.path, f.entry()) for f in files)
    return dropped


def reusable(root: Path, path: str, inputs: str) -> bytes | None:
    """The bytes of the file at `path` when the manifest lists it as made from `inputs`
    and it is on disk as listed: what need not be made again (a font subset)."""
    entry = next((e for e in read_manifest(root) if e.get("path") == path), None)
    if entry is None or entry.get("inputs") != inputs:
        return None
    try:
        data = (root / path).read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == entry.get("sha256") else None


def staging_dir(root: Path) -> Path:
    return root.parent / f"{root.name}.partial"


def _stage(staging: Path, name: str, data: bytes) -> Path:
    path = staging / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return path


def _still_there(root: Path) -> list[dict]:
    """Earlier entries whose file is still there, their size and hash as on disk (a
    build killed between its renames and its manifest leaves newer files than listed).
    A file whose status last changed well before the manifest was written is as the
    manifest lists it: any change to a file gives it a new ctime, which no program can
    set back (git trusts its index so); the others are read and hashed. A library's
    output/ holds hundreds of files, and a build that changes a few read them all."""
    try:
        written = (root / MANIFEST).stat().st_ctime_ns
    except OSError:
        written = 0
    inside = root.resolve()
    out = []
    for entry in read_manifest(root):
        path = root / entry.get("path", "")
        if not path.is_file() or inside not in path.resolve().parents:
            continue
        status = path.stat()
        if status.st_ctime_ns + RACY < written and status.st_size == entry.get("bytes") \
                and entry.get("sha256"):
            out.append(entry)
            continue
        data = path.read_bytes()
        out.append({**entry, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    return out


def read_manifest(root: Path) -> list[dict]:
    try:
        files = json.loads((root / MANIFEST).read_text(encoding="utf-8"))["files"]
        return [e for e in files if isinstance(e, dict)]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
