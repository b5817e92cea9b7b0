"""Write built files into output/ atomically, with output/manifest.json.

Public verb: `write(files, root, kept)`. Called only after every file of the build has been
rendered and verified, so a failed build writes nothing. Then:
1. every file is written and flushed to disk in a staging folder beside output/
   (`output.partial/`, same file system, so a rename is atomic; never inside output/,
   which holds only finished files);
2. each is renamed over its old version: an interrupted build never leaves a
   half-written PDF and never removes the last good one;
3. the manifest is staged and renamed last, listing the files as they are on disk.
A staging folder left by a killed build is removed by the next one.

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

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Built:
    """One output file, made and checked, not yet written."""

    path: str  # relative to output/, with / separators
    document: str  # "leaflet" or "card"
    language: str  # BCP 47
    variant: str  # "screen", ...
    status: str  # "released" or "draft"
    pages: int
    data: bytes
    inputs: str = ""  # the key of what it was made from (leaflet/inputs.py)
    catalog: str = ""  # the date of the catalog it was made from ("" for the source language)

    def entry(self) -> dict:
        entry = {"path": self.path, "document": self.document, "language": self.language,
                 "variant": self.variant, "pages": self.pages, "bytes": len(self.data),
                 "sha256": hashlib.sha256(self.data).hexdigest(), "status": self.status,
                 "inputs": self.inputs}
        return {**entry, "catalog": self.catalog} if self.catalog else entry


def write(files: list[Built], root: Path, kept: dict[str, str | None] | None = None
          ) -> list[dict]:
    """Write `files` under `root` and update the manifest; the manifest's entries.
    `kept` maps a language (BCP 47) to why its files are an earlier release, or to None
    when they are current."""
    kept = kept or {}
    previous = read_manifest(root)
    if not files and previous and previous == [_marked(e, kept) for e in previous]:
        return previous  # nothing new: leave output/ untouched
    root.mkdir(parents=True, exist_ok=True)
    staging = staging_dir(root)
    shutil.rmtree(staging, ignore_errors=True)
    staged = [(_stage(staging, f.path, f.data), root / f.path) for f in files]
    for temporary, final in staged:
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, final)
    entries = {e["path"]: _marked(e, kept) for e in _still_there(root)}
    entries.update((f.path, f.entry()) for f in files)
    ordered = [entries[k] for k in sorted(entries)]
    manifest = json.dumps({"files": ordered}, indent=2, ensure_ascii=False) + "\n"
    os.replace(_stage(staging, MANIFEST, manifest.encode()), root / MANIFEST)
    shutil.rmtree(staging, ignore_errors=True)
    return ordered


def _marked(entry: dict, kept: dict[str, str | None]) -> dict:
    """The entry saying why it is kept, or no longer saying so."""
    language = entry.get("language")
    if language not in kept:
        return entry
    rest = {k: v for k, v in entry.items() if k != "kept"}
    return {**rest, "kept": kept[language]} if kept[language] else rest


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
    """Earlier entries whose file is still there, their size and hash read from disk (a
    build killed between its renames and its manifest leaves newer files than listed)."""
    out = []
    for entry in read_manifest(root):
        path = root / entry.get("path", "")
        if path.is_file() and root.resolve() in path.resolve().parents:
            data = path.read_bytes()
            out.append({**entry, "bytes": len(data),
                        "sha256": hashlib.sha256(data).hexdigest()})
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
