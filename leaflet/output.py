"""Write built files into output/ atomically, with output/manifest.json.

Public verb: `write(files, root)`. Called only after every file of the build has
been rendered and verified, so a failed build writes nothing. Each file goes to a
temporary file in the same folder and is renamed over the old one (atomic on POSIX):
an interrupted build never leaves a half-written PDF and never removes the last good
one. The manifest is written last, the same way, and lists only files that exist.
"""
from __future__ import annotations

import hashlib
import json
import os
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

    def entry(self) -> dict:
        return {"path": self.path, "document": self.document, "language": self.language,
                "variant": self.variant, "pages": self.pages, "bytes": len(self.data),
                "sha256": hashlib.sha256(self.data).hexdigest(), "status": self.status}


def write(files: list[Built], root: Path) -> list[dict]:
    """Write `files` under `root` and update the manifest; the manifest's entries."""
    root.mkdir(parents=True, exist_ok=True)
    for f in files:
        write_atomically(root / f.path, f.data)
    entries = {e["path"]: e for e in read_manifest(root) if (root / e["path"]).is_file()}
    entries.update((f.path, f.entry()) for f in files)
    ordered = [entries[k] for k in sorted(entries)]
    write_atomically(root / MANIFEST, (json.dumps({"files": ordered}, indent=2,
                                                  ensure_ascii=False) + "\n").encode())
    return ordered


def read_manifest(root: Path) -> list[dict]:
    try:
        return json.loads((root / MANIFEST).read_text(encoding="utf-8"))["files"]
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
