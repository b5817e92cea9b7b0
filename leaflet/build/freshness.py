"""What an output depends on, as content hashes (never timestamps).

Public verbs: `key(source, translations, language, draft) -> str` and `fresh(...)`. An
output is up to date when the manifest lists it with the same key and the file on disk
has the hash the manifest says. Where inputs and outputs live is named in
inputs/languages.py and layout/variants.py (`output_path`); like them, this module
imports nothing heavy, so a build with nothing to do stays fast. The key covers the YAML
source and the shared passages it takes, the language's catalogs (the leaflet's and the
shared one), the templates, styles and fonts (all of styles/), the pipeline's own code,
the pinned dependencies and the build options; nothing else goes into a PDF.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import yaml

from ..formats import braille, output
# Where inputs and outputs live and what languages are called, for the key and the
# up-to-date check (and their callers above: the build, the command line, the server).
from ..inputs.languages import (SHARED, SOURCE_LANGUAGE, bcp47, languages,  # noqa: F401
                                leaflets, po_path)
from ..layout.variants import Variant, output_path

# libyaml's parser when PyYAML has it: the up-to-date check reads every leaflet.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PACKAGE = Path(__file__).resolve().parents[1]  # leaflet/
ROOT = PACKAGE.parent
FORMAT = "4"  # bump when what the key covers changes
# The web application's code and pages (the top floor, `render.py serve`): no output is
# made from them, so changing them makes nothing out of date.
SERVER = ("server.py", "sandbox.py", "upload.py", "submissions.py")
SERVER_STYLES = ROOT / "styles" / "server"


def key(source: Path, translations: Path, language: str, draft: bool) -> str:
    """The key of every output of `language` (a folder name, or the source language)."""
    digest = hashlib.sha256(_common(source.resolve(), draft).encode())
    if language != SOURCE_LANGUAGE:
        digest.update(hashed(po_path(translations, language, source.stem)).encode())
        # The shared catalog whole, not only the passages the leaflet uses: a translator's
        # edit there may rebuild a leaflet that did not need it, never the reverse.
        digest.update(hashed(po_path(translations, language, SHARED)).encode())
        digest.update(_review(translations, f"{source.stem}/{language}").encode())
    return digest.hexdigest()


def forget() -> None:
    """Forget the hashes an earlier build in this process took: the files may have
    changed since (the web application builds again after accepting a catalog, tests
    build after an edit)."""
    _common.cache_clear()
    _code.cache_clear()


def _review(translations: Path, catalog: str) -> str:
    """The catalog's line of translations/reviews.json (its key: leaflet/language, as
    build/reviews.py names it) as text (a review recorded or withdrawn changes the notice
    its files carry); "" when it has none."""
    try:
        recorded = json.loads((translations / "reviews.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    found = recorded.get(catalog) if isinstance(recorded, dict) else None
    return json.dumps(found, sort_keys=True) if found else ""


@lru_cache(maxsize=None)
def _common(source: Path, draft: bool) -> str:
    digest = hashlib.sha256(_code(draft).encode())
    digest.update(shared_used(source).encode())
    digest.update(hashed(source).encode())
    return digest.hexdigest()


def card_key(card_html: str, draft: bool) -> str:
    """The key of a red-flag list's card in one language: the card's own HTML (its words,
    red flags, notices and service, as translated) and the pipeline, never a leaflet's
    source: a leaflet's own text edited leaves the card as it is."""
    digest = hashlib.sha256(_code(draft).encode())
    digest.update(card_html.encode())
    return digest.hexdigest()


@lru_cache(maxsize=None)
def _code(draft: bool) -> str:
    """The pipeline: its code, templates, styles, fonts, pinned dependencies, options."""
    # Another liblouis (its tables) makes other braille from the same source.
    digest = hashlib.sha256(f"format {FORMAT}; draft {draft}; {braille.version()}".encode())
    files = [ROOT / "requirements.lock",
             *sorted(p for p in PACKAGE.rglob("*.py") if p.name not in SERVER),
             *sorted(p for p in (ROOT / "styles").rglob("*")
                     if p.is_file() and SERVER_STYLES not in p.parents)]
    for path in files:
        digest.update(str(path.relative_to(ROOT) if ROOT in path.parents else path.name)
                      .encode())
        digest.update(hashed(path).encode())
    return digest.hexdigest()


def shared_used(source: Path) -> str:
    """A hash of the passages of the shared source (source/shared/*.yaml) the leaflet at
    `source` can take: the labels, and every service, red-flag list and block whose id it
    names (`use: ID`, or an `id:` a shared passage has, which it must then equal). Editing
    a shared passage makes only the leaflets that name it out of date."""
    named = _named(_yaml(source))
    digest = hashlib.sha256()
    for path in sorted((source.parent / SHARED).glob("*.yaml")):
        data = _yaml(path)
        if not isinstance(data, dict):  # unreadable: the build says why; any edit counts
            digest.update(hashed(path).encode())
            continue
        for kind, value in sorted(data.items(), key=lambda kv: str(kv[0])):
            taken = value if kind == "labels" else [
                v for v in value if isinstance(v, dict) and str(v.get("id")) in named] \
                if isinstance(value, list) else value
            digest.update(json.dumps([kind, taken], sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _yaml(path: Path):
    try:
        return yaml.load(path.read_bytes(), Loader=_LOADER)
    except (OSError, yaml.YAMLError):
        return None


def _named(value) -> set[str]:
    """Every value of an `id` or `use` key anywhere in a parsed YAML document."""
    if isinstance(value, dict):
        return {str(v) for k, v in value.items() if k in ("id", "use")} | \
            {n for v in value.values() for n in _named(v)}
    if isinstance(value, list):
        return {n for v in value for n in _named(v)}
    return set()


def hashed(path: Path) -> str:
    """The sha256 of the file at `path`, or "missing"."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def made(variants: list[Variant], language: str) -> list[Variant]:
    """The variants a language has: no braille where no table for it is installed."""
    return [v for v in variants if v.format != "brf" or braille.table(bcp47(language))]


def fresh(source: Path, translations: Path, root: Path, language: str,
          variants: list[Variant], draft: bool,
          manifest: list[dict] | None = None) -> list[dict] | None:
    """The manifest entries of `language`'s `variants` when every one is up to date: listed
    with the current key, and the file on disk, and the files that are part of it (a web
    page's fonts), the ones listed. Otherwise None. A card is its list's, not the
    leaflet's: up to date by its own key (card_key, from the catalog read), not here.
    `manifest`: root's, when the caller has read it (a library's is read once)."""
    manifest = output.read_manifest(root) if manifest is None else manifest
    entries = {e.get("path"): e for e in manifest}
    current = key(source, translations, language, draft)
    found = []
    for variant in made(variants, language):
        if variant.document == "card":
            continue
        entry = entries.get(output_path(source, variant, language))
        # A kept entry is an earlier release: its manifest entry must be made current.
        if not entry or entry.get("inputs") != current or entry.get("kept") or \
                not whole(root, entry, manifest):
            return None
        found.append(entry)
    return found


def whole(root: Path, entry: dict, manifest: list[dict]) -> bool:
    """Whether the listed file, every file listed as part of it and the fonts it loads
    are on disk as listed."""
    loads = set(entry.get("fonts") or ())
    return all(hashed(root / e["path"]) == e.get("sha256") for e in manifest
               if e is entry or e.get("part_of") == entry.get("path") or e.get("path") in loads)
