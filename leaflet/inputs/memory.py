"""Translation memory: a new or changed string offered the library's existing translations.

Public verbs: `units(catalogs) -> tuple[Unit, ...]` (what a language's catalogs already
translate) and `fill(merged, before, name, units) -> (catalog, Filled)` (one catalog, after
`catalog.merge`, with its new and changed entries offered a translation from the memory).
`update-po` calls them per language over every catalog of that language, so a sentence
translated once in any leaflet (or the shared catalog) is offered to every other.

- The same English gives its translation; English at least `NEAR` % similar gives its
  translation too, with the English it translated as `#| msgid` (Poedit and Weblate show
  the difference) and a translator comment saying which words differ.
- Every reused translation is marked fuzzy, whatever the match: a sentence can mean
  something else in another leaflet, and a fuzzy string is never released (Weblate issue
  4692 and Zanata's copy-trans rules show why an unreviewed reuse must not ship).
- The comment names the catalog and the msgctxt the translation came from.

Similarity is rapidfuzz's `fuzz.ratio`: the normalised Indel similarity of the two
sentences, character by character and in order (100 * (1 - insertions and deletions /
total length)), which is what CAT tools call a fuzzy match percentage. Word order counts
(a reordered clinical sentence is a different instruction, so `token_sort_ratio` would be
wrong), and a sentence is not matched by a part of it (`partial_ratio` would offer "Do
not take ibuprofen" for "Take ibuprofen"... and the reverse). Candidates are found with
`process.extractOne(..., score_cutoff=NEAR)`, which skips every choice whose length alone
rules it out before scoring it, rather than comparing every pair in Python.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polib
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from .catalog import WRAP
from ..errors import BuildError, Location, Problem, shown

NEAR = 85  # % similar: the lowest score offered as a near match
MARK = "memory:"  # starts every translator comment the memory writes
_WORD = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Unit:
    """One existing translation: the English, its translation, where it is."""

    english: str
    translation: str
    catalog: str  # the catalog's name (its leaflet, or "shared")
    key: str  # its msgctxt


@dataclass(frozen=True)
class Filled:
    exact: int = 0
    near: int = 0

    def __add__(self, other: Filled) -> Filled:
        return Filled(self.exact + other.exact, self.near + other.near)


def catalogs(root: Path, language: str) -> list[tuple[str, polib.POFile]]:
    """Every catalog of `language` under `root` (its name, its entries), by name: the
    memory of that language. One that polib cannot read stops the update, named."""
    found = []
    for path in sorted((root / language / "LC_MESSAGES").glob("*.po")):
        try:
            found.append((path.stem, polib.pofile(str(path), wrapwidth=WRAP)))
        except (OSError, ValueError) as exc:
            raise BuildError([Problem(Location(shown(path)), f"cannot read the catalog for "
                                      f"the translation memory: {exc}; run check-po on it")])
    return found


def units(catalogs) -> tuple[Unit, ...]:
    """The usable translations of `catalogs` ((name, polib.POFile) pairs, all of one
    language): translated, not fuzzy, not obsolete; in the order given."""
    return tuple(Unit(e.msgid, e.msgstr, name, e.msgctxt or "")
                 for name, po in catalogs for e in po
                 if e.msgstr.strip() and not e.obsolete and "fuzzy" not in e.flags)


def fill(merged: polib.POFile, before: polib.POFile, name: str,
         memory: tuple[Unit, ...]) -> tuple[polib.POFile, Filled]:
    """`merged` (catalog `name` after `catalog.merge(before, pot)`) with each entry that has
    no translation, or whose English changed since `before`, offered the memory's best
    match; how many entries were filled, exactly and nearly."""
    was = {e.msgctxt: e for e in before if not e.obsolete}
    by_english: dict[str, list[Unit]] = {}
    for unit in memory:
        by_english.setdefault(unit.english, []).append(unit)
    out = polib.POFile(wrapwidth=merged.wrapwidth)
    out.header, out.metadata = merged.header, dict(merged.metadata)
    filled = Filled()
    for entry in merged:
        previous = was.get(entry.msgctxt)
        changed = bool(previous is not None and previous.msgstr
                       and previous.msgid != entry.msgid)
        if entry.obsolete or (entry.msgstr and not changed):
            out.append(entry)
            continue
        unit, score = _best(entry.msgid, by_english, (name, entry.msgctxt))
        own = fuzz.ratio(previous.msgid, entry.msgid) if changed else -1.0
        if unit is None or (score < 100 and score <= own):
            # Nothing better than the entry's own earlier translation (kept fuzzy by merge).
            out.append(_without_memory_note(entry))
            continue
        others = len({u.translation for u in by_english[unit.english]} - {unit.translation})
        out.append(_reused(entry, unit, score, others))
        filled += Filled(1, 0) if score == 100 else Filled(0, 1)
    return out, filled


def _best(msgid: str, by_english: dict[str, list[Unit]], itself: tuple[str, str]):
    """The memory's best unit for `msgid` (never the entry `itself`) and its score, 100
    only for identical English; (None, 0) when nothing is NEAR."""
    def usable(english):
        return [u for u in by_english.get(english, ()) if (u.catalog, u.key) != itself]

    if usable(msgid):
        return usable(msgid)[0], 100.0
    # The three best: the entry's own earlier English may be one of them.
    for english, score, _ in process.extract(msgid, list(by_english), scorer=fuzz.ratio,
                                             score_cutoff=NEAR, limit=3):
        if usable(english) and english != msgid:
            return usable(english)[0], min(score, 99.9)
    return None, 0.0


def _reused(entry: polib.POEntry, unit: Unit, score: float, others: int) -> polib.POEntry:
    """The entry with the unit's translation, fuzzy, and a note of where it came from (and
    how many other translations the library has of that English: the first is offered)."""
    if score == 100:
        note = f"{MARK} exact match from {unit.catalog}, {unit.key}: check it means the same here"
    else:
        note = (f"{MARK} {score:.0f}% match from {unit.catalog}, {unit.key}: "
                f"{difference(unit.english, entry.msgid)}")
    if others:
        note += f" ({others} other translation{'s' * (others > 1)} of that English elsewhere)"
    return polib.POEntry(
        msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=unit.translation,
        comment=entry.comment, tcomment="\n".join(_own_comments(entry) + [note]),
        occurrences=list(entry.occurrences),
        flags=[f for f in entry.flags if f != "fuzzy"] + ["fuzzy"],
        previous_msgid=unit.english if score < 100 else None)


def _without_memory_note(entry: polib.POEntry) -> polib.POEntry:
    """The entry without an earlier memory note (its English changed since)."""
    own = _own_comments(entry)
    if own == (entry.tcomment or "").splitlines():
        return entry
    entry = polib.POEntry(**{k: getattr(entry, k) for k in (
        "msgctxt", "msgid", "msgstr", "comment", "occurrences", "flags", "previous_msgid")})
    entry.tcomment = "\n".join(own)
    return entry


def _own_comments(entry: polib.POEntry) -> list[str]:
    """The translator's comment lines, without the memory's note: it is written last, and
    polib wraps it onto further lines."""
    lines = (entry.tcomment or "").splitlines()
    ends = next((i for i, line in enumerate(lines) if line.startswith(MARK)), len(lines))
    return lines[:ends]


def difference(was: str, now: str) -> str:
    """The words `now` has that `was` had not, and the reverse, in reading order:
    'adds "and an examination"; removes "usually"'."""
    a, b = _WORD.findall(was), _WORD.findall(now)
    added, removed = [], []
    for op in Indel.opcodes(a, b):
        if op.tag in ("insert", "replace"):
            added.append(" ".join(b[op.dest_start:op.dest_end]))
        if op.tag in ("delete", "replace"):
            removed.append(" ".join(a[op.src_start:op.src_end]))
    parts = ([f"this English adds {_quoted(added)}"] if added else []) + \
        ([f"drops {_quoted(removed)}"] if removed else [])
    return "; ".join(parts) or "differs only in spacing"


def _quoted(words: list[str]) -> str:
    return ", ".join(f'"{w}"' for w in words)
