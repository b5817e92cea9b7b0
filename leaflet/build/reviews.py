"""Reviews by qualified translators: recorded by the team, never by a catalog.

Public verbs: `digest(report, texts) -> str`, `reviewed(report, translations, folder,
texts) -> Report`, `record(translations, folder, report, texts, reviewer, date)` and
`entry(translations, folder) -> dict`; `folder` is a catalog's key in the record,
`catalog_key(leaflet, folder)`: a review is of one leaflet's catalog in one language.

A catalog comes from outside the team (the translators' page takes anonymous uploads),
so nothing in it can say it was reviewed. A review is a line in `translations/
reviews.json`, which only `render.py review` writes and the team commits: who reviewed
the leaflet's catalog in the language (name and qualification), on which day, and the
SHA-256 of what they reviewed: every string of the catalog, English and translation
(`digest`). The build
takes a catalog as reviewed only while its strings still have that digest, so a catalog
changed after the review (a new upload accepted, a string corrected) carries the
unreviewed notice again until it is reviewed again. The digest covers the strings,
not the file's bytes: re-saving, re-wrapping or a header edit keeps the review.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import unicodedata
from dataclasses import replace
from pathlib import Path

from ..errors import BuildError, Location, Problem, shown
from ..formats import output
from ..inputs.pocheck import Report

FILE = "reviews.json"
MAX_REVIEWER = 200  # characters: a name, a qualification and a registration number


def path(translations: Path) -> Path:
    return translations / FILE


def catalog_key(leaflet: str, folder: str) -> str:
    """The key of a leaflet's catalog in a language (its folder name) in the record."""
    return f"{leaflet}/{folder}"


def digest(report: Report, texts: dict) -> str:
    """The SHA-256 of every usable string of the catalog, the English with it, in key
    order: what a reviewer read."""
    strings = sorted((key, texts[key].value if key in texts else "", value)
                     for key, value in report.translations.items())
    return hashlib.sha256(json.dumps(strings, ensure_ascii=False).encode()).hexdigest()


def _all(translations: Path) -> dict:
    try:
        value = json.loads(path(translations).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise BuildError([Problem(Location(shown(path(translations))),
                                  f"cannot read the record of reviews: {exc}")]) from None
    return value if isinstance(value, dict) else {}


def entry(translations: Path, folder: str) -> dict:
    """The catalog's review as recorded ({} when none); `folder`: its catalog_key."""
    found = _all(translations).get(folder, {})
    return found if isinstance(found, dict) else {}


def reviewed(report: Report, translations: Path, folder: str, texts: dict) -> Report:
    """The report with its reviewer and date when the team recorded a review of exactly
    these strings; otherwise as it is (unreviewed)."""
    found = entry(translations, folder)
    if not found or found.get("sha256") != digest(report, texts):
        return report
    return replace(report, reviewer=str(found.get("reviewer", "")),
                   review_date=str(found.get("date", "")))


def record(translations: Path, folder: str, report: Report, texts: dict, reviewer: str,
           date: str, today: datetime.date | None = None) -> dict:
    """Record that `reviewer` reviewed the language's catalog as it is now, on `date`;
    the entry written. A BuildError (nothing written) when the catalog has an error or
    an untranslated or fuzzy string, or the reviewer or date is not acceptable."""
    where = Location(report.path)
    problems = [p for p in report.problems if p.is_error]
    if not problems and not report.complete:
        problems.append(Problem(where, f"{report.untranslated} untranslated and "
                                f"{report.fuzzy} fuzzy strings: a review covers a complete "
                                "catalog"))
    reviewer = reviewer.strip()
    if not reviewer or len(reviewer) > MAX_REVIEWER or any(
            unicodedata.category(c)[0] == "C" for c in reviewer):
        problems.append(Problem(Location("--reviewer"), "give the reviewer's name and "
                                f"qualification, at most {MAX_REVIEWER} characters, on one "
                                "line without control characters"))
    try:
        day = datetime.date.fromisoformat(date)
    except ValueError:
        day = None
    if day is None or len(date) != 10 or day > (today or datetime.date.today()):
        problems.append(Problem(Location("--date"), f"'{date[:20]}' is not a day "
                                "(YYYY-MM-DD) up to today: give the day the review was "
                                "finished"))
    if problems:
        raise BuildError(problems)
    reviews = _all(translations)
    reviews[folder] = {"reviewer": reviewer, "date": day.isoformat(),
                       "sha256": digest(report, texts)}
    output.write_atomically(path(translations), (json.dumps(
        reviews, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))
    return reviews[folder]
