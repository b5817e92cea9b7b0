"""Document control: review dates, withdrawal, approval, and a new version for new text.

Public verbs: `standing(leaflet, today, notice_months, released) -> Standing` (what the
build does with one leaflet today), `printed(leaflet) -> str` (the hash of its printed
English), `read_lock`/`locked`/`write_lock` (the record of released text), and `mark`
/ `withdraw` (what an overdue or withdrawn leaflet's entries in output/ say or lose).

NHS document control (and the PIF TICK criteria) expect each leaflet to be reviewed by its
review date, and then reviewed (a new approval and review date), extended (a new date and
who agreed it) or withdrawn, with the decision recorded; and a changed clinical text to
carry a new version. So:
- within `notice_months` of its review date a leaflet is "review due by DATE": a warning;
- past it, with no extension, it is "review overdue since DATE": an error at its
  `review:` line; it is not rebuilt, and its last released files stay (patients keep the
  red flags), their manifest entries saying so;
- withdrawn (on a date, for a reason) it leaves output/ and the index;
- its printed English (its own text and every shared block it uses: `source.texts` of
  the loaded leaflet) is hashed per version in `source/released.lock`. The build records
  a version the first time it writes it; the same version with other text is an error at
  the `version:` line. A version is released when output/ carries it: clinics print and
  link what is there, so two texts must never share a version number.
"""
from __future__ import annotations

import calendar
import datetime
import hashlib
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BuildError, Location, Problem
from ..formats import output

if TYPE_CHECKING:  # a build with nothing to do imports this module (stamp.py): no YAML parser
    from ..inputs import source

NOTICE_MONTHS = 3  # "review due" this long before the review date (configurable)
LOCK = "released.lock"


@dataclass(frozen=True)
class Standing:
    """One leaflet's document control today."""

    name: str  # the leaflet's name (its source file's stem)
    state: str  # "current", "due", "overdue" or "withdrawn"
    review: datetime.date  # the review date in force (an extension's, if any)
    problems: tuple[Problem, ...] = ()
    record: tuple[str, str] | None = None  # (version, hash) to add to the lock when written
    withdrawn: str = ""  # "DATE: reason" once withdrawn
    withdraws: datetime.date | None = None  # a withdrawal recorded for a later date

    @property
    def builds(self) -> bool:
        """Whether the build renders the leaflet (not overdue, not withdrawn, no error)."""
        return self.state in ("current", "due") and not any(p.is_error for p in self.problems)

    @property
    def summary(self) -> str:
        """'review due by DATE', 'review overdue since DATE', 'withdrawn DATE: reason', or
        'next review DATE'."""
        return {"due": f"review due by {self.review.isoformat()}",
                "overdue": f"review overdue since {self.review.isoformat()}",
                "withdrawn": f"withdrawn {self.withdrawn}"}.get(
                    self.state, f"next review {self.review.isoformat()}")

    def __str__(self) -> str:
        if self.state == "overdue":
            return f"{self.name}: {self.summary}: not rebuilt; its last released files stay"
        return f"{self.name}: {self.summary}"


def standing(leaflet: source.Leaflet, today: datetime.date, released: dict,
             notice_months: int = NOTICE_MONTHS) -> Standing:
    """The leaflet's document control on `today`; `released` is the lock's record
    (`read_lock`): version -> printed-text hash, per leaflet name."""
    meta, control = leaflet.metadata, leaflet.metadata.control
    name = Path(leaflet.path).stem
    review = control.extension.until if control.extension else meta.review
    problems = list(_approval(control.approval))
    if control.withdrawal and control.withdrawal.on <= today:
        w = control.withdrawal
        return Standing(name, "withdrawn", review, tuple(problems),
                        withdrawn=f"{w.on.isoformat()}: {w.reason}")
    withdraws = control.withdrawal.on if control.withdrawal else None
    if control.withdrawal:
        problems.append(Problem(control.withdrawal.where, f"to be withdrawn on "
                                f"{control.withdrawal.on.isoformat()}: "
                                f"{control.withdrawal.reason}", "warning"))
    found, record = _version(leaflet, released.get(name, {}))
    problems += found
    if today > review:
        problems.append(Problem(control.review_at, _overdue(review)))
        return Standing(name, "overdue", review, tuple(problems), withdraws=withdraws)
    if today >= months_before(review, notice_months):
        problems.append(Problem(control.review_at, f"review due by {review.isoformat()}: "
                                "review the leaflet and record it, or record an extension "
                                "(docs/editing.md)", "warning"))
        return Standing(name, "due", review, tuple(problems), record, withdraws=withdraws)
    return Standing(name, "current", review, tuple(problems), record, withdraws=withdraws)


def _overdue(review: datetime.date) -> str:
    return (f"review overdue since {review.isoformat()}: the leaflet is not rebuilt and its "
            "last released files stay. Record the review (set review: to the next review "
            "date and approved: to who approved the reviewed text, and when) or an extension "
            "(add extended: with until: the new date, agreed_by: who agreed, date: the date "
            "agreed), as docs/editing.md shows")


def _approval(approval: source.Approval) -> list[Problem]:
    missing = [what for what, value in (("who", approval.by), ("when", approval.on))
               if not value]
    if not missing:
        return []
    return [Problem(approval.where, f"clinical approval not recorded ({' and '.join(missing)}"
                    "): write who approved the clinical content under approved: by:, and the "
                    "date under date:", "warning")]


def _version(leaflet: source.Leaflet, versions: dict) -> tuple[list[Problem], tuple | None]:
    """An error when this version was released with other printed text; else the lock
    record to add (None when the lock already has it)."""
    version, text = leaflet.metadata.version, printed(leaflet)
    if version not in versions:
        return [], (version, text)
    if versions[version] == text:
        return [], None
    return [Problem(leaflet.metadata.control.version_at,
                    f"the printed English changed since version {version} was released "
                    f"(source/{LOCK}), but the version did not: give the leaflet a new "
                    "version (version: \"...\"), as docs/editing.md shows")], None


def printed(leaflet: source.Leaflet) -> str:
    """The SHA-256 of the leaflet's printed English: every string in reading order (with
    the addresses of its links), and the addresses it prints as they are."""
    from ..inputs import source

    digest = hashlib.sha256()
    for text in source.texts(leaflet):
        digest.update(json.dumps([text.value, list(text.urls)]).encode() + b"\n")
    for link in _links(leaflet.sections):
        digest.update(json.dumps(["link", link.url]).encode() + b"\n")
    digest.update(json.dumps(["website", leaflet.metadata.website]).encode())
    return digest.hexdigest()


def _links(sections):
    from ..inputs import source

    for section in sections:
        for block in section.blocks:
            if isinstance(block, source.Links):
                yield from block.links
        yield from _links(section.sections)


def days(leaflets: list[source.Leaflet], today: datetime.date,
         notice_months: int = NOTICE_MONTHS) -> tuple[datetime.date | None,
                                                      datetime.date | None]:
    """The days [first, last) around `today` on which every leaflet's standing is what it is
    today (None: no bound): a standing changes on the day its review falls due, the day
    after its review date and the day it is withdrawn."""
    changes = set()
    for leaflet in leaflets:
        control = leaflet.metadata.control
        review = control.extension.until if control.extension else leaflet.metadata.review
        changes |= {months_before(review, notice_months), review + datetime.timedelta(days=1)}
        if control.withdrawal:
            changes.add(control.withdrawal.on)
    return (max((d for d in changes if d <= today), default=None),
            min((d for d in changes if d > today), default=None))


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (the month's last day when it has no such day)."""
    month = day.year * 12 + day.month - 1 - months
    year, month = divmod(month, 12)
    return day.replace(year=year, month=month + 1,
                       day=min(day.day, calendar.monthrange(year, month + 1)[1]))


# ------------------------------------------------------------------ the lock

def read_lock(path: Path) -> dict:
    """Leaflet name -> {version: printed-text hash}; {} when there is no lock yet."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise BuildError([Problem(Location(str(path)), f"cannot read the lock: {exc}; "
                                  "restore it from git")])
    released = data.get("released") if isinstance(data, dict) else None
    if not isinstance(released, dict):
        raise BuildError([Problem(Location(str(path)), "not a lock of released text (no "
                                  "\"released\" mapping); restore it from git")])
    return released


def locked(released: dict, standings) -> dict:
    """`released` with the versions the standings record (those just written) added."""
    out = {name: dict(versions) for name, versions in released.items()}
    for s in standings:
        if s.record and s.builds:
            out.setdefault(s.name, {})[s.record[0]] = s.record[1]
    return out


def write_lock(path: Path, released: dict) -> None:
    text = json.dumps({
        "about": "The printed English of each released version of each leaflet (SHA-256), "
                 "written by the build when it writes a new version. Commit it with the "
                 "source: the build refuses changed text under a version listed here.",
        "released": {n: dict(sorted(v.items())) for n, v in sorted(released.items())}},
        indent=2, ensure_ascii=False) + "\n"
    output.write_atomically(path, text.encode())


# ---------------------------------------------------------------- output/

def belongs(entry: dict, name: str) -> bool:
    """Whether a manifest entry is one of the leaflet's files (its card, its web page's
    fonts included). A card is its red-flag list's, shared by the leaflets using it."""
    if entry.get("card"):
        return False
    if entry.get("leaflet"):
        return entry["leaflet"] == name
    for path in (entry.get("path", ""), entry.get("part_of", "")):
        base = path.rsplit("/", 1)[-1]
        if base.startswith((f"{name}-", f"{name}.")):
            return True
    return False


def mark(root: Path, *standings: Standing) -> None:
    """Each leaflet's manifest entries saying its review date in force, and when it is due
    or overdue, that too ("review overdue since DATE"); an overdue leaflet's kept web pages
    say it at their top. The manifest (a library's is long) is read once and rewritten
    only when that changes."""
    entries = output.read_manifest(root)
    marked = entries
    for standing in standings:
        marked = [_noted(e, standing) if belongs(e, standing.name) else e for e in marked]
        if standing.state == "overdue":
            marked = [_flagged(root, e, standing) if belongs(e, standing.name) else e
                      for e in marked]
    if marked != entries:
        _write_manifest(root, marked)


# The top of a web page's content (styles/web.html.j2), where its notices are.
_CONTENT = b'<main id="content" tabindex="-1">'


def _flagged(root: Path, entry: dict, standing: Standing) -> dict:
    """A kept web page with a notice that its review is overdue (in English, for the
    clinic handing it over, as the unreviewed-translation notice is); its entry."""
    if entry.get("format") != "html" or entry.get("document") != "leaflet":
        return entry
    path = root / entry["path"]
    if root.resolve() not in path.resolve().parents or not path.is_file():
        return entry  # only a file in output/, as the manifest lists it
    data = path.read_bytes()
    if b'class="notice review-overdue"' in data or _CONTENT not in data:
        return entry
    notice = (f'\n<p class="notice review-overdue" lang="en-GB" dir="ltr">'
              f'{html.escape(standing.summary.capitalize())}: this leaflet is past its '
              'review date. Ask the service for its current advice.</p>').encode()
    data = data.replace(_CONTENT, _CONTENT + notice, 1)
    output.write_atomically(path, data)
    return {**entry, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _noted(entry: dict, standing: Standing) -> dict:
    rest = {k: v for k, v in entry.items() if k not in ("review", "control", "withdraws")}
    rest["review"] = standing.review.isoformat()
    if standing.withdraws:
        rest["withdraws"] = standing.withdraws.isoformat()
    if standing.state in ("due", "overdue"):
        rest["control"] = standing.summary
    return rest


def withdraw(root: Path, name: str) -> int:
    """Remove the leaflet's files from `root` and its manifest (and the index, when it
    lists nothing else); how many files went."""
    entries = output.read_manifest(root)
    gone = [e for e in entries if belongs(e, name)]
    rest = [e for e in entries if not belongs(e, name)]
    if not any(e.get("document") not in ("index", "font") and not e.get("part_of")
               for e in rest):
        gone, rest = entries, []  # the index (and its fonts) would list nothing
    if not gone:
        return 0
    _write_manifest(root, rest)
    for entry in gone:
        path = root / entry.get("path", "")
        if root.resolve() in path.resolve().parents:
            path.unlink(missing_ok=True)
    return len(gone)


def _write_manifest(root: Path, entries: list[dict]) -> None:
    manifest = json.dumps({"files": entries}, indent=2, ensure_ascii=False) + "\n"
    output.write_atomically(root / output.MANIFEST, manifest.encode())
