"""What the checks found of each edition, kept between builds by what they read.

Public verbs: `key(...)`, `read(output)`, `kept(...)` and `write(output, records)`.

Checking a catalog (pocheck, printable, reviews) is most of what a library's build does
when one leaflet changed: in nine languages, 63 catalogs were checked to rebuild one
leaflet. So each build keeps, in `output/.build-checks.json`, what the checks found of
every released edition: its status line and what it would put on its red-flag list's
card. The next build takes that record instead of checking again when the edition's
outputs are up to date (freshness.fresh) and the record's key is the edition's key now.

The key is a content hash (never a time) of everything a check reads: the edition's
output key (its source, the shared passages it takes, its catalogs, its review, the
pipeline's code and the options: freshness.key), the leaflet's and the shared
templates (a source edit is read against them) and the whole shared source (the other
leaflets' passages decide which shared entries are theirs). A record is only ever a
cache: none, or one that does not parse, means the edition is checked.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..formats import output
from ..inputs.languages import SHARED, pot_path
from . import freshness

FILE = ".build-checks.json"
FORMAT = 1  # bump when what a record holds changes


def key(source: Path, translations: Path, language: str, draft: bool) -> str:
    """The key of what the checks of `language` (a folder name, or the source language)
    of the leaflet at `source` read."""
    digest = hashlib.sha256(f"checks {FORMAT}".encode())
    digest.update(freshness.key(source, translations, language, draft).encode())
    for path in (pot_path(translations, source.stem), pot_path(translations, SHARED),
                 *sorted((source.parent / SHARED).glob("*.yaml"))):
        digest.update(path.name.encode())
        digest.update(freshness.hashed(path).encode())
    return digest.hexdigest()


def read(root: Path) -> dict[str, dict]:
    """The records in `root` by key; none when there are none or they do not parse."""
    try:
        found = json.loads((root / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict) or found.get("format") != FORMAT or \
            not isinstance(found.get("records"), dict):
        return {}
    return {k: r for k, r in found["records"].items() if isinstance(r, dict)}


def kept(earlier: dict[str, dict], looked: set[tuple[str, str]],
         names: set[str]) -> dict[str, dict]:
    """The earlier records still worth keeping: of editions (leaflet, catalog folder)
    this build did not look at (a build of one leaflet or language keeps the others'),
    of leaflets still in source/ (`names`)."""
    return {k: r for k, r in earlier.items()
            if (r.get("leaflet"), r.get("folder")) not in looked and r.get("leaflet") in names}


def write(root: Path, records: dict[str, dict]) -> None:
    """The records in `root`, atomically; none, no file (output/ then holds only what
    the build made: a library whose every leaflet is withdrawn holds its manifest)."""
    if not records:
        (root / FILE).unlink(missing_ok=True)
        return
    output.write_atomically(root / FILE, json.dumps(
        {"format": FORMAT, "records": records}, sort_keys=True, ensure_ascii=False).encode())
