"""gettext catalogs: extract the leaflet's strings, and translate the leaflet with a .po.

- `extract` is a Babel extractor (entry point `leaflet` in pyproject.toml), so
  `pybabel extract -F babel.cfg` works as well as `make pot`.
- `template` is the .pot catalog; `translate` gives the leaflet in a language.

Every entry's msgctxt is the string's stable key path in the YAML, so equal English
text in two places can be translated differently, and a `#.` note tells the
translator where the text appears and any length limit.
"""
from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, replace
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from . import source
from .errors import BuildError, Location, Problem

DOMAIN = "leaflet"
SOURCE_LANGUAGE = "en-GB"


def extract(fileobj, keywords, comment_tags, options):
    """Babel extractor contract: yield (lineno, funcname, messages, comments)."""
    leaflet = source.load(fileobj.name)
    for text in source.texts(leaflet):
        # pgettext's spec ((1, 'c'), 2) makes Babel take the first message as msgctxt.
        yield text.where.line or 0, "pgettext", (text.key, text.value), [note(text)]


def note(text: source.Text) -> str:
    """What the translator is told about one string."""
    parts = [text.role + "."]
    if text.limit:
        parts.append(f"At most {text.limit} characters.")
    names = [name for name, _ in text.urls]
    if names:
        parts.append("Keep " + ", ".join("{%s}" % n for n in names)
                     + " as it is: the web address is printed there.")
    elif "{" in text.value:
        parts.append("Keep the {names} in braces as they are: they are filled in when printed.")
    if "<b>" in text.value:
        parts.append("Keep <b>...</b> around the words that are bold.")
    return " ".join(parts)


def template(leaflet: source.Leaflet, now: datetime.datetime | None = None) -> Catalog:
    """The .pot catalog of the leaflet's strings, in reading order."""
    catalog = Catalog(project=leaflet.metadata.title.value, version=leaflet.metadata.version,
                      domain=DOMAIN, fuzzy=False, header_comment=_HEADER,
                      creation_date=now or datetime.datetime.combine(
                          leaflet.metadata.published, datetime.time()),
                      charset="utf-8")
    for text in source.texts(leaflet):
        message = catalog.add(text.value, locations=[(leaflet.path, text.where.line)],
                              auto_comments=[note(text)], context=text.key)
        _mark_formats(message)
    return catalog


def _mark_formats(message) -> None:
    # Babel flags "1% of" as python-format; our strings are never %-formatted, and the
    # flag makes Poedit report false errors, so say so explicitly (GNU gettext flag).
    if "python-format" in message.flags:
        message.flags.discard("python-format")
        message.flags.add("no-python-format")


_HEADER = """\
# Translations of the patient leaflet "Nerve-related back and leg pain".
# Read TRANSLATING.md before you start. Check your file with:
#   python render.py check-po translations/<language>/LC_MESSAGES/leaflet.po
#"""


def pot_bytes(catalog: Catalog) -> bytes:
    """The .pot file's bytes, with stable wrapping and order (a diff shows only real changes)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=79, sort_output=False, omit_header=False,
             include_previous=True)
    return buffer.getvalue()


def po_path(root: Path, language: str) -> Path:
    return root / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages(root: Path) -> list[str]:
    """The languages that have a catalog under `root`, sorted."""
    return sorted(p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
