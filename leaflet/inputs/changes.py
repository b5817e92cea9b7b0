"""Source changes since the catalogs were last updated, and catalogs read as if they had been.

Public verbs: `since_update(texts, template) -> Changes` and `check(path, texts, changes)
-> pocheck.Report`. Editing the English is the clinical owner's everyday act: until
`update-po` runs, every catalog still carries the old English of the edited strings. That
is not the translators' doing, so the build must not report it as their error. The
template (`<leaflet>.pot`, written by `update-po` and committed beside the catalogs) is the
English the catalogs were last updated to; a string whose English differs from it was
changed in the source. `check` reads a catalog as `update-po` would leave it, without
writing it: a changed string that was translated counts as fuzzy (its translation kept for
review, so the language keeps its last release), a new one as untranslated, a removed one
not at all. Everything else is checked as it is, so a translator who edits a msgid line
still gets an error.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import polib

from . import pocheck, source
from ..errors import Location


@dataclass(frozen=True)
class Changes:
    """Keys (msgctxt) whose English is not what the catalogs were last updated to."""

    changed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    english: tuple[tuple[str, str], ...] = ()  # key -> the English in the template

    def __bool__(self) -> bool:
        return bool(self.changed or self.added or self.removed)

    def __str__(self) -> str:
        parts = [f"{what} {', '.join(keys)}" for what, keys in (
            ("changed", self.changed), ("new", self.added), ("removed", self.removed)) if keys]
        return ("source changed since the catalogs were updated: " + "; ".join(parts)
                + "; run `make update-po` (each language keeps its last release until these "
                "strings are translated again)")


def since_update(texts: dict[str, source.Text], template: Path) -> Changes:
    """What changed in the source (its Texts by key) since `template` was written; nothing
    when there is no template to compare with (a catalog is then checked as it is)."""
    try:
        pot = polib.pofile(str(template), wrapwidth=78)
    except (OSError, ValueError):
        return Changes()
    then = {e.msgctxt or "": e.msgid for e in pot if not e.obsolete}
    return Changes(tuple(k for k in texts if k in then and then[k] != texts[k].value),
                   tuple(k for k in texts if k not in then),
                   tuple(k for k in then if k not in texts),
                   tuple(then.items()))


def check(path: Path, texts: dict[str, source.Text], changes: Changes,
          shown: str | None = None, others: frozenset = frozenset()) -> pocheck.Report:
    """The catalog at `path` checked as `update-po` would leave it after `changes`; lines
    and every other problem as in the file. `others`: as pocheck.check's (a key of
    `changes` not in `texts` is another leaflet's: left to it)."""
    changes = Changes(*(tuple(k for k in keys if k in texts) for keys in (
        changes.changed, changes.added)), changes.removed, changes.english)
    if not changes:
        return pocheck.check(path, texts, shown, others)
    english = dict(changes.english)
    stale = set(changes.changed) | set(changes.removed)
    # Checked against the English it was made from, so a source edit is no msgid error.
    then = {k: t for k, t in texts.items() if k not in changes.added}
    then.update((k, replace(texts[k], value=english[k])) for k in changes.changed)
    then.update((k, source.Text(k, english[k], Location(str(path)), ""))
                for k in changes.removed)
    report = pocheck.check(path, then, shown, others)
    if not report.entries:  # not PO syntax: nothing more to say than its errors
        return replace(report, total=len(texts), untranslated=len(texts))
    stale_lines = {line for line, (key, _) in report.entries.items() if key in stale}
    entries = _entries(path)

    def translated(key: str, fuzzy: bool) -> bool:  # as pocheck counts it, from `then`
        entry = entries.get(key)
        return bool(entry and entry.msgid == then[key].value and entry.msgstr.strip()
                    and (not fuzzy or "fuzzy" in entry.flags))

    # Fuzzy after update-po: the fuzzy ones it leaves alone, and every changed string that
    # had a translation (merge keeps it, marked fuzzy).
    fuzzy = report.fuzzy - sum(translated(k, True) for k in stale) + \
        sum(translated(k, False) for k in changes.changed)
    translations = {k: v for k, v in report.translations.items() if k not in stale}
    problems = tuple(p for p in report.problems if p.where.line not in stale_lines
                     or p.message.startswith(("duplicate", "syntax")))
    return replace(report, problems=problems, translations=translations, total=len(texts),
                   fuzzy=fuzzy, untranslated=len(texts) - len(translations) - fuzzy)


def _entries(path: Path) -> dict[str, polib.POEntry]:
    """The catalog's entries by key, the first of each (as pocheck counts them)."""
    found: dict[str, polib.POEntry] = {}
    for entry in polib.pofile(str(path), wrapwidth=78):
        if not entry.obsolete:
            found.setdefault(entry.msgctxt or "", entry)
    return found
