"""Catalogs translators submit: stored under submissions/<language>/, listed, accepted
into translations/ or rejected by a maintainer.

Public verbs: `store(root, language, data, report, sender, leaflet=NAME) -> Path`,
`listing(root)`, `accept(path, root, translations, texts_of) -> Path` and
`reject(path, root, reason)`.

A submission is a folder `submissions/<language>/<UTC time>-<random>/` (the name is the
server's, never one from the upload) holding the catalog as it was sent (`leaflet.po`)
and `submission.json` (which leaflet's catalog it is, who sent it, when, its hash and
the check's report). It is
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
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import polib

from ..checks import printable
from ..formats import output
from ..inputs import catalog, pocheck
from ..errors import BuildError, Location, Problem, shown, visible

PO = "leaflet.po"
ABOUT = "submission.json"
DECISION = "decision.json"
HIDDEN = ".incoming-"
_NAME = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{8}\Z")


MAX_NAME = 120
MAX_EMAIL = 254  # RFC 5321's limit on a path


@dataclass(frozen=True)
class Sender:
    name: str
    email: str


def sender_problems(name: str, email: str) -> dict[str, str]:
    """Field -> what is wrong with it, for a translator's name and e-mail address ({}
    when both will do). Neither may hold a control, bidi or other invisible format
    character: they are shown to maintainers on a terminal and in the page."""
    problems = {}
    if not name.strip() or len(name) > MAX_NAME or _invisible(name):
        problems["name"] = f"Write your name (at most {MAX_NAME} characters)."
    local, at, domain = email.rpartition("@")
    if len(email) > MAX_EMAIL or not local or "@" in local or "." not in domain.strip(".") \
            or _invisible(email) or any(c.isspace() for c in email):
        problems["email"] = "Write your e-mail address, such as name@example.org."
    return problems


def _invisible(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "CZ" and c not in " \u200c\u200d"
               for c in text)


def shown_safely(text) -> str:
    """Stored text as the listing prints it: escapes you can see for anything that could
    drive a terminal or reorder a line (errors.visible)."""
    return visible(str(text))


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
          now: datetime.datetime | None = None, *, leaflet: str) -> Path:
    """Store one checked catalog of the leaflet called `leaflet` (a name the server
    chose from the library's, never one sent); the folder it is in, once it is whole on
    disk."""
    if not pocheck.FOLDER.match(language):
        raise ValueError(f"not a language folder name: {language!r}")
    if sender_problems(sender.name, sender.email):
        raise ValueError(f"not a sender's name and e-mail address: {sender!r}")
    now = now or datetime.datetime.now(datetime.timezone.utc)
    folder = root / language
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"
    incoming = folder / f"{HIDDEN}{name}"
    incoming.mkdir()
    try:
        about = {"leaflet": leaflet, "language": language, "name": sender.name,
                 "email": sender.email,
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


def accept(path: Path, root: Path, translations: Path,
           texts_of: Callable[[str], dict], source: Path) -> Path:
    """Check the submission again, build its leaflet in its language from it in a
    scratch folder, and put it in place as that leaflet's catalog in its language,
    without the review headers an upload may carry (a review is recorded by the team:
    reviews.py); the catalog's path. `texts_of(name)`: the texts by key of the leaflet
    called `name` (BuildError for no such leaflet); `source`: the library's folder.
    Nothing is written when the check finds an error or the build fails."""
    submission = find(path, root)
    po = submission.path / PO
    name = str(submission.about.get("leaflet", ""))
    report = printable.check(po, texts_of(name), shown(po))
    problems = [p for p in report.problems if p.is_error]
    if not problems and pocheck.folder_name(report.language) != submission.language:
        problems.append(Problem(Location(shown(po), 1), f"header: Language "
                                f"'{report.language}' is not the submission's language "
                                f"'{submission.language}'"))
    if problems:
        raise BuildError(problems)
    data = without_review_headers(po.read_bytes())
    _builds(data, submission.language, name, source, translations, shown(po))
    target = catalog.po_path(translations, submission.language, name)
    output.write_atomically(target, data)
    _decide(submission, "accepted", {"into": shown(target)})
    return target


def _builds(data: bytes, language: str, name: str, source: Path, library: Path,
            shown_as: str) -> None:
    """Build every document in the language, from the catalog called `name` as `data`
    and the library's other catalogs of the language (`library`: translations/), in a
    scratch folder (marked draft when incomplete): the leaflet called `name`, or every
    leaflet when it is the shared catalog. A BuildError naming why when it would fail."""
    from . import build  # the renderer: imported only when a submission is accepted

    with tempfile.TemporaryDirectory(prefix="leaflet-accept-") as scratch:
        translations = Path(scratch) / "translations"
        # The templates too: a catalog is read as update-po would leave it (changes.py).
        for path in [*library.glob("*.pot"), *(library / language / "LC_MESSAGES").glob("*.po")]:
            output.write_atomically(translations / path.relative_to(library), path.read_bytes())
        output.write_atomically(catalog.po_path(translations, language, name), data)
        leaflets = () if name == catalog.SHARED else (name,)
        try:
            build.build(build.Options(source=source, translations=translations,
                                      output=Path(scratch) / "output", languages=(language,),
                                      draft=True, leaflets=leaflets), say=lambda line: None)
        except BuildError as exc:
            what = "leaflets" if name == catalog.SHARED else f"{name} leaflet"
            raise BuildError([Problem(Location(shown_as), f"the {language} {what} cannot "
                                      "be built from this catalog; nothing was accepted")]
                             + list(exc.problems)) from None


def without_review_headers(data: bytes) -> bytes:
    """The catalog without its X-Review-Status, X-Reviewed-By and X-Reviewed-Date header
    lines: byte for byte otherwise when each is a line of its own (as every editor writes
    them), else the catalog written again by polib without them."""
    lines = data.split(b"\n")
    end = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    names = tuple(f'"{name}:'.encode() for name in pocheck.REVIEW_HEADERS)
    kept = b"\n".join([line for line in lines[:end] if not line.strip().startswith(names)]
                      + lines[end:])
    po = polib.pofile(kept.decode("utf-8-sig"), wrapwidth=catalog.WRAP, encoding="utf-8")
    if not any(name in po.metadata for name in pocheck.REVIEW_HEADERS):
        return kept
    for name in pocheck.REVIEW_HEADERS:
        po.metadata.pop(name, None)
    return str(po).encode("utf-8") + b"\n"


def reject(path: Path, root: Path, reason: str) -> Submission:
    submission = find(path, root)
    _decide(submission, "rejected", {"reason": reason})
    return submission


def _decide(submission: Submission, decision: str, details: dict) -> None:
    record = {"decision": decision, "at": datetime.datetime.now(datetime.timezone.utc)
              .isoformat(timespec="seconds"), **details}
    output.write_atomically(submission.path / DECISION,
                            (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode())
