"""What the languages are called and where their catalogs live.

Plain names and paths, imported by every stage and by the up-to-date check, so it
imports nothing heavy: a build with nothing to do stays fast.
"""
from __future__ import annotations

from pathlib import Path

DOMAIN = "leaflet"
SOURCE_LANGUAGE = "en-GB"


def po_path(root: Path, language: str) -> Path:
    return root / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages(root: Path) -> list[str]:
    """The languages that have a catalog under `root` (folder names), sorted."""
    return sorted(p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def bcp47(language: str) -> str:
    """`zh_Hans` (gettext, Babel) as `zh-Hans` (BCP 47, for HTML and PDF /Lang)."""
    return language.replace("_", "-")
