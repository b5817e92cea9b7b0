"""Where the leaflets are, what the languages are called and where their catalogs live.

Plain names and paths, imported by every stage and by the up-to-date check, so it
imports nothing heavy: a build with nothing to do stays fast.

A leaflet is a file: `source/<name>.yaml`; its name is its file's stem. Its catalogs are
`translations/<language>/LC_MESSAGES/<name>.po` (plain gettext: Weblate's file mask
`translations/*/LC_MESSAGES/<name>.po` finds one component per leaflet) and its template
`translations/<name>.pot`.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import BuildError, Location, Problem, shown

SOURCE_LANGUAGE = "en-GB"
SHARED = "shared"  # the shared source's folder, beside the leaflets in source/


def leaflets(source: Path, names=()) -> list[Path]:
    """The leaflets `source` holds: the file itself, or every `*.yaml` in the folder (the
    shared source, in its own folder, is not a leaflet); only those `names` name, when
    given. An unknown name is an error listing the leaflets there are."""
    source = Path(source)
    found = [source] if source.is_file() else sorted(source.glob("*.yaml"))
    unknown = sorted(set(names) - {p.stem for p in found})
    if unknown:
        raise BuildError([Problem(Location(shown(source)), f"no leaflet called "
                                  f"{', '.join(unknown)}: there are "
                                  f"{', '.join(p.stem for p in found) or 'none'}")])
    return [p for p in found if not names or p.stem in names]


def po_path(root: Path, language: str, name: str) -> Path:
    """The catalog of the leaflet called `name` in `language`."""
    return root / language / "LC_MESSAGES" / f"{name}.po"


def pot_path(root: Path, name: str) -> Path:
    return root / f"{name}.pot"


def languages(root: Path, name: str) -> list[str]:
    """The languages the leaflet called `name` has a catalog in (folder names), sorted."""
    return sorted(p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{name}.po"))


def library_languages(root: Path) -> list[str]:
    """The languages any catalog of the library is in (folder names), sorted: those a
    new leaflet's catalogs are started in."""
    return sorted({p.parent.parent.name for p in root.glob("*/LC_MESSAGES/*.po")})


def bcp47(language: str) -> str:
    """`zh_Hans` (gettext, Babel) as `zh-Hans` (BCP 47, for HTML and PDF /Lang)."""
    return language.replace("_", "-")
