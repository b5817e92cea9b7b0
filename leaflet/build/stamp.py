"""Whether a build has nothing to do, from one pass of `stat` over what builds read.

Public verbs: `take(...)` (every input file's stat, now), `up_to_date(...)` (the lines to
say again when nothing changed since the last good build, else None), `record(...)` and
`forget(output)`.

A build decides what is out of date from content hashes (freshness.py): the source and
catalogs are loaded and checked, every output's key computed and its file hashed. For a
library that is seconds of work even when nothing changed. So each build that leaves
every selected output up to date writes a stamp, `output/.build-stamp.json`: the
options it ran with; the size, times and inode of every file under the source folder
(the leaflets, source/shared/, the released-text lock), under the translations folder
(every catalog and template, whatever its name, and reviews.json), of the package's
code, styles/ (templates, CSS, fonts, braille tables) and requirements.lock, of
liblouis (its version and tables), and of every file the manifest lists and the manifest
itself; the days on which no leaflet's document control changes (the review notice, the
review date, a withdrawal); and the document-control lines the build said. The next
build compares: when every option, stat and listed file is as recorded and today is in
those days, it says the recorded lines again and stops. Anything else, a file added,
removed, touched or rewritten, an option or a day outside them, takes the full build.

A stat is trusted as git trusts its index: a file changed after its stat was taken has a
new ctime (the kernel sets it; no program can set it back), unless the change comes in
the same tick of the file system's clock. So the outputs, which the build has just
written, are recorded only once output/'s clock has passed their times (the stamp is
written again, a tick later, until its own time is later than theirs); an input whose
times are within RACY of the moment its stat was taken (edited just before the build) is
recorded with its content's hash too, and compared by content until it is older (the
stamp is then rewritten without the hash).

Everything is recorded as the build began, before it read anything, and the stamp is
written only when the inputs still have those stats at its end (an input edited during
the build makes the next build a full one). A build removes the stamp before it changes
output/, so a build that stops half-way leaves none. Paths are recorded relative to their folder,
and the folders as a hash: the stamp names no path of the machine.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import sys
import time
from pathlib import Path

from ..formats import braille, output
from .control import LOCK  # the released-text lock, which the build itself writes

STAMP = ".build-stamp.json"
FORMAT = 1  # bump when what the stamp records changes
RACY = output.RACY  # ns: coarser than any file system's clock tick (FAT's is 2 s)
PACKAGE = Path(__file__).resolve().parents[1]  # leaflet/
ROOT = PACKAGE.parent

Stats = dict[str, list]  # "folder/relative path" -> [size, mtime, ctime, inode, sha256 | None]


def settings(source: Path, translations: Path, output_root: Path, lock: Path | None,
             languages=(), documents=(), variants=(), leaflets=(), draft: bool = False,
             notice: int = 0) -> str:
    """A hash of the build's options (the folders, the lock, the selection, the draft flag,
    the review notice in months) and environment (liblouis's version and installed tables,
    the Python running the build). Not today: document control's days are recorded."""
    tables = {language: bool(braille.table(language)) for language in braille.TABLES}
    described = {"format": FORMAT, "source": str(Path(source).resolve()),
                 "translations": str(Path(translations).resolve()),
                 "output": str(Path(output_root).resolve()),
                 "lock": str(Path(lock).resolve()) if lock else None,
                 "selected": [sorted(languages), sorted(documents), sorted(variants),
                              sorted(leaflets)], "draft": draft, "notice": notice,
                 "liblouis": braille.version(), "tables": tables,
                 "python": [sys.executable, sys.version]}
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def take(source: Path, translations: Path, output_root: Path, hashes: bool = True) -> Stats:
    """The stat of every input file, now: the folder of leaflets (the source's folder when
    it is one file), translations/, the package's code, styles/, requirements.lock; with
    `hashes`, the content hash of those changed within RACY."""
    source = Path(source)
    skip = Path(output_root).resolve()
    folders = {"source": source if source.is_dir() else source.parent,
               "translations": Path(translations), "code": PACKAGE,
               "styles": ROOT / "styles"}
    now = time.time_ns() if hashes else None
    found: Stats = {}
    for tag, folder in folders.items():
        for path in _files(Path(folder), skip):
            found[f"{tag}/{path.relative_to(folder).as_posix()}"] = _stat(path, now)
    found["requirements.lock"] = _stat(ROOT / "requirements.lock", now)
    return found


def _files(folder: Path, skip: Path):
    """Every file under `folder` (not the output folder, nor Python's byte-code caches)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=True):
            if entry.name != "__pycache__" and Path(entry.path).resolve() != skip:
                yield from _files(Path(entry.path), skip)
        else:
            yield Path(entry.path)


def _stat(path: Path, now: int | None) -> list:
    """[size, mtime, ctime, inode, content hash or None]; the hash is taken only when the
    file changed within RACY of `now` (never when `now` is None). A missing file:
    "missing" and Nones."""
    try:
        s = os.stat(path)
    except OSError:
        return ["missing", None, None, None, None]
    racy = now is not None and max(s.st_mtime_ns, s.st_ctime_ns) > now - RACY
    return [s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino, _sha(path) if racy else None]


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def forget(output_root: Path) -> None:
    """No stamp: a build is about to change output/ (it writes one again if it ends well;
    a build that fails before changing output/ leaves it, and the stamp, as they were)."""
    (Path(output_root) / STAMP).unlink(missing_ok=True)


def record(output_root: Path, setting: str, began: Stats, source: Path, translations: Path,
           days: tuple[datetime.date | None, datetime.date | None], lines: list[str]) -> bool:
    """Write the stamp after a build that left every selected output up to date: the
    inputs as they were when it `began` (if they are still so: else no stamp), every file
    the manifest lists as it is now, the `days` [first, last) on which document control
    says what it said today, and the `lines` it said. Whether a stamp was written."""
    ended = take(source, translations, output_root)
    lock = f"source/{LOCK}"
    if {k: v[:4] for k, v in ended.items() if k != lock} != \
            {k: v[:4] for k, v in began.items() if k != lock}:
        forget(output_root)  # an input changed while the build read it
        return False
    files = {k: (ended[k] if k == lock else began[k]) for k in ended}
    root = Path(output_root)
    made = [entry.get("path", "") for entry in output.read_manifest(root)] + [output.MANIFEST]
    outputs = {f"output/{path}": _stat(root / path, None) for path in made}
    if any(v[0] == "missing" for v in outputs.values()):
        forget(root)  # listed but not there: the next build makes it
        return False
    files.update(outputs)
    stamp = {"format": FORMAT, "settings": setting, "lines": lines, "files": files,
             "days": [d.isoformat() if d else None for d in days]}
    # The outputs were written just now: their stat is trusted once output/'s own clock
    # has passed their times (a later change then gives a later ctime). The stamp,
    # written there, tells: written again a tick later until its time is past theirs.
    newest = max(max(v[1], v[2]) for v in outputs.values())
    for _ in range(300):  # 10 ms apart: 3 s, longer than any file system's tick
        _write(root, stamp)
        if (root / STAMP).stat().st_mtime_ns > newest:
            return True
        time.sleep(0.01)
    forget(root)
    return False


def up_to_date(output_root: Path, setting: str, source: Path, translations: Path,
               today: datetime.date) -> list[str] | None:
    """The lines the last good build said, when nothing it read or wrote changed since,
    with the same options, and `today` is among its days; else None."""
    root = Path(output_root)
    try:
        stamp = json.loads((root / STAMP).read_text(encoding="utf-8"))
        first, last = (datetime.date.fromisoformat(d) if d else None for d in stamp["days"])
        recorded: Stats = stamp["files"]
        if stamp["format"] != FORMAT or stamp["settings"] != setting:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if (first and today < first) or (last and today >= last):
        return None
    current = take(source, translations, root, hashes=False)
    current.update((k, _stat(root / k[len("output/"):], None)) for k in recorded
                   if k.startswith("output/"))
    if current.keys() != recorded.keys():
        return None
    settled = {}
    for name, was in recorded.items():
        now_stat = current[name]
        if now_stat[:4] != was[:4]:
            return None
        if was[4] is not None:  # changed just before its stat: its content decides
            if _sha(_path(name, root, source, translations)) != was[4]:
                return None
            if max(was[1], was[2]) <= time.time_ns() - RACY:  # its stat alone will do now
                settled[name] = was[:4] + [None]
    if settled:
        stamp["files"].update(settled)
        _write(root, stamp)
    return [str(line) for line in stamp.get("lines", [])]


def _path(name: str, root: Path, source: Path, translations: Path) -> Path:
    tag, _, rest = name.partition("/")
    source = Path(source)
    folder = {"output": root, "source": source if source.is_dir() else source.parent,
              "translations": Path(translations), "code": PACKAGE,
              "styles": ROOT / "styles"}.get(tag)
    return folder / rest if folder else ROOT / name


def _write(root: Path, stamp: dict) -> None:
    output.write_atomically(root / STAMP, json.dumps(stamp, sort_keys=True).encode())
