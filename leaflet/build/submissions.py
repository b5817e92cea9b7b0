"""Catalogs translators submit: stored under submissions/<language>/, listed, accepted
into translations/ or rejected by a maintainer.

Public verbs: `store(root, language, data, report, sender) -> Path`, `listing(root)`,
`accept(path, root, translations, texts) -> Path` and `reject(path, root, reason)`.

A submission is a folder `submissions/<language>/<UTC time>-<random>/` (the name is the
server's, never one from the upload) holding the catalog as it was sent (`leaflet.po`)
and `submission.json` (who sent it, when, its hash and the check's report). It is
written in a hidden folder beside its final place, flushed to disk, and renamed into
place (a rename is atomic): a server killed at any moment leaves a whole submission or
none, and one acknowledged to the translator is on disk. A maintainer's decision is
`decision.json` in the folder, written atomically too; nothing else changes a
submission, and only `accept` writes into translations/.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..formats import output
from ..inputs import catalog, pocheck
from ..errors import BuildError, Location, Problem, shown

PO = "leaflet.po"
ABOUT = "submission.json"
DECISION = "decision.json"
HIDDEN = ".incoming-"
_NAME = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{8}\Z")


@dataclass(frozen=True)
class Sender:
    name: str
    email: str


@dataclass(frozen=True)
class Submission:
    path: Path
    language: str
    about: dict  # submission.json
    decision: dict  # decision.json, {} while pending

    @property
    def state(self) -> str:
        return self.decision.get("decision", "pending")


def store(root: Path, language: str, data: bytes, report: str, sender: Sender,
          now: datetime.datetime | None = None) -> Path:
    """Store one checked catalog; the folder it is in, once it is whole on disk."""
    if not pocheck.FOLDER.match(language):
        raise ValueError(f"not a language folder name: {language!r}")
    now = now or datetime.datetime.now(datetime.timezone.utc)
    folder = root / language
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"
    incoming = folder / f"{HIDDEN}{name}"
    incoming.mkdir()
    try:
        about = {"language": language, "name": sender.name, "email": sender.email,
                 "received": now.isoformat(timespec="seconds"),
                 "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
                 "report": report}
        _write(incoming / PO, data)
        _write(incoming / ABOUT, (json.dumps(about, indent=2, ensure_ascii=False) + "\n")
               .encode())
        _sync(incoming)
        final = folder / name
        os.rename(incoming, final)  # fails rather than replace: the name is new
        _sync(folder)
        return final
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise


def _write(path: Path, data: bytes) -> None:
    with open(path, "xb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _sync(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def clear_incoming(root: Path) -> int:
    """Remove half-written submissions a killed server left; how many there were."""
    stale = list(root.glob(f"*/{HIDDEN}*"))
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return len(stale)


def listing(root: Path) -> list[Submission]:
    """Every whole submission, oldest first (to the second)."""
    found = []
    for folder in sorted(root.glob("*/*"), key=lambda p: p.name):
        if folder.is_dir() and pocheck.FOLDER.match(folder.parent.name) and _NAME.match(folder.name):
            found.append(Submission(folder, folder.parent.name, _json(folder / ABOUT),
                                    _json(folder / DECISION)))
    return found


def _json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
        return value if isinstance(value, dict) else {}
    except (OSError, ValueError):
        return {}


def find(path: Path, root: Path) -> Submission:
    """The pending submission at `path` (its folder or a file in it), or a BuildError."""
    resolved = path.resolve()
    folder = resolved if resolved.is_dir() else resolved.parent
    for submission in listing(root):
        if submission.path.resolve() == folder:
            if submission.state != "pending":
                raise BuildError([Problem(Location(shown(folder)),
                                          f"already {submission.state}; nothing was changed")])
            return submission
    raise BuildError([Problem(Location(str(path)), f"not a submission in {shown(root)}/ "
                              "(render.py submissions lists them)")])


def accept(path: Path, root: Path, translations: Path, texts: dict) -> Path:
    """Check the submission again and put it in place as its language's catalog; the
    catalog's path. Nothing is written when the check finds an error."""
    submission = find(path, root)
    po = submission.path / PO
    report = pocheck.check(po, texts, shown(po))
    problems = [p for p in report.problems if p.is_error]
    if not problems and pocheck.folder_name(report.language) != submission.language:
        problems.append(Problem(Location(shown(po), 1), f"header: Language "
                                f"'{report.language}' is not the submission's language "
                                f"'{submission.language}'"))
    if problems:
        raise BuildError(problems)
    target = catalog.po_path(translations, submission.language)
    output.write_atomically(target, po.read_bytes())
    _decide(submission, "accepted", {"into": shown(target)})
    return target


def reject(path: Path, root: Path, reason: str) -> Submission:
    submission = find(path, root)
    _decide(submission, "rejected", {"reason": reason})
    return submission


def _decide(submission: Submission, decision: str, details: dict) -> None:
    record = {"decision": decision, "at": datetime.datetime.now(datetime.timezone.utc)
              .isoformat(timespec="seconds"), **details}
    output.write_atomically(submission.path / DECISION,
                            (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode())
