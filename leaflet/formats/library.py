"""The library's own pages, made from the manifest's entries alone (each leaflet's files
say its name, topic, reference, version and next review date): the front page, a page
per leaflet and a page per language, in English, each language's words marked with its
`lang` and `dir`, with the web edition's templates, stylesheet and shared fonts (web.py).

Public verb: `pages(entries, meta, reuse) -> list[output.Built]`:
- output/index.html: every leaflet by topic, with its reference, version and next review
  date (or that its review is due or overdue), and every language by its own name;
- output/leaflets/<name>.html: one leaflet in every language and format, its emergency
  card among them (what output/index.html listed when there was one leaflet);
- output/<language>/index.html: the leaflets in that language, titled in it, each with
  its web page and files, and the language's emergency cards.
A clinic finds a leaflet's file in two clicks: front page, leaflet or language, file.
Where the pages are, and why their addresses never change: layout/variants.py.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import posixpath
import re
from dataclasses import dataclass, replace
from typing import Callable

from babel.dates import format_date

from . import output, web
from ..inputs import source
from ..layout import fonts, page
from ..layout.variants import LIBRARY, language_page, leaflet_page

STYLESHEETS = ("web.css", "index.css")
FONTS = "fonts"  # output/fonts/: the library's pages share their subsets
OTHER_TOPIC = "Other leaflets"  # files an earlier build listed without a topic
# What a leaflet's files say of it (build.about, build/control.py mark).
FACTS = ("topic", "reference", "version", "review", "control", "withdraws")


@dataclass(frozen=True)
class Leaflet:
    """One leaflet as the manifest lists it: its facts, from its English files."""

    name: str
    title: str  # in English, or in `language` when it has no English file
    language: str
    topic: str
    reference: str
    version: str
    review: str  # "24 November 2029"
    control: str  # "review overdue since 24 November 2029", "review due by ...", or ""
    files: tuple[dict, ...]


def pages(entries: list[dict], meta: source.Metadata,
          reuse: Callable[[str, str], bytes | None]) -> list[output.Built]:
    """The front page, each leaflet's page and each language's page, from the manifest's
    `entries`, and the fonts they share (made again only when they bring a character
    those in output/fonts/ lack: `reuse(path, key)` gives one listed with that key)."""
    files = web.listed(entries)
    if not files:
        return []
    leaflets = _leaflets(files)
    key = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()
    sizes = web.weights(entries)  # once: every page lists the files with their sizes
    made = [_front(leaflets, files, sizes, meta)] + \
        [_leaflet_page(leaflet, sizes, meta) for leaflet in leaflets] + \
        [_language_page(code, group, leaflets, sizes, meta)
         for code, group in web.by_language(files)]
    shared = web.shared([f for _, needed in made for f in needed], entries)
    return [replace(built, inputs=key) for built, _ in made] + \
        [f.built(reuse(f.path, f.key) or fonts.woff2(f.file, f.characters)) for f in shared]


def _leaflets(files: list[dict]) -> list[Leaflet]:
    """Every leaflet the files are of, by its topic and then its title."""
    groups: dict[str, list[dict]] = {}
    for entry in files:
        # A card is its red-flag list's: listed with every leaflet using the list.
        for name in entry.get("leaflets") or (_name(entry),):
            groups.setdefault(name, []).append(entry)
    found = []
    for name, group in groups.items():
        own = [e for e in group if e.get("document") == "leaflet"] or group
        first = next((e for e in own if e.get("language") == "en-GB"), own[0])
        review = first.get("review", "")
        found.append(Leaflet(name, first.get("title") or name, first.get("language", "en-GB"),
                             first.get("topic") or OTHER_TOPIC, first.get("reference", ""),
                             first.get("version", ""), _date(review), _said(first.get("control", "")),
                             tuple(group)))
    return sorted(found, key=lambda l: (l.topic.casefold(), l.title.casefold(), l.name))


def _name(entry: dict) -> str:
    """The leaflet a file is of (a file an earlier build listed without one: its own)."""
    return entry.get("leaflet") or posixpath.splitext(posixpath.basename(entry["path"]))[0]


def _date(iso: str) -> str:
    try:
        return format_date(datetime.date.fromisoformat(iso), "long", locale="en_GB")
    except (TypeError, ValueError):
        return iso


def _said(control: str) -> str:
    """Document control's "review overdue since 2029-11-24", its date as people write it."""
    return re.sub(r"\d{4}-\d{2}-\d{2}", lambda m: _date(m.group()), control or "")


def _topics(leaflets: list[Leaflet], sizes: dict[str, int], here: str,
            language: str = "") -> list[dict]:
    """The leaflets by topic, as the page at `here` lists them (those in `language`)."""
    topics: dict[str, list[dict]] = {}
    for leaflet in leaflets:
        files = [e for e in leaflet.files if not language or e["language"] == language]
        if files:
            topics.setdefault(leaflet.topic, []).append(_listed(leaflet, files, sizes, here))
    return [{"name": name, "id": f"topic-{i}", "leaflets": listed}
            for i, (name, listed) in enumerate(topics.items(), 1)]


def _listed(leaflet: Leaflet, files: list[dict], sizes: dict[str, int], here: str) -> dict:
    """How a page lists a leaflet and its `files` (`sizes`: web.weights of the manifest)."""
    own = [e for e in files if e.get("document") == "leaflet"]
    pages = [e for e in own if e.get("format") == "html"]
    title = (pages or own or files)[0]
    return {"name": leaflet.name, "title": leaflet.title, "href": web.href(
                leaflet_page(leaflet.name), here),
            "lang": "" if leaflet.language == "en-GB" else leaflet.language,
            "direction": page.locale_of(leaflet.language).text_direction,
            "reference": leaflet.reference, "version": leaflet.version,
            "review": leaflet.review, "control": leaflet.control,
            "own_title": title.get("title") or leaflet.title,
            "page": web.listing(pages[0], here, sizes) if pages else None,
            "files": [web.listing(e, here, sizes) for e in web.ordered(own)
                      if e.get("format") != "html"],
            "draft": any(e.get("status") == "draft" for e in files)}


def _rendered(template: str, path: str, title: str, description: str, status: str,
              meta: source.Metadata, of: Leaflet | None = None,
              **context) -> tuple[output.Built, tuple[web.Font, ...]]:
    """The page; a leaflet's page says what its files say of it (so document control,
    marking the leaflet's files, finds it as it would mark it)."""
    preview = web.Preview(description, web.og_locale("en-GB"), meta.organisation.plain)
    text, needed = web.rendered(template, dict(context, title=title, preview=preview, meta=meta,
                                               draft="DRAFT" if status == "draft" else None,
                                               front=web.href(LIBRARY, path)),
                                path, "en-GB", STYLESHEETS, FONTS)
    facts = () if of is None else tuple(
        (k, v) for k, v in of.files[0].items() if k in FACTS and v)
    return output.Built(path, "index", "mul", _variant(path), status, None, text.encode(),
                        title=title, fonts=tuple(f.path for f in needed),
                        leaflet=of.name if of else "", facts=facts), needed


def _variant(path: str) -> str:
    return "index" if path == LIBRARY else \
        "leaflet" if path.startswith("leaflets/") else "language"


def _status(files) -> str:
    return "draft" if any(e.get("status") == "draft" for e in files) else "released"


def _front(leaflets: list[Leaflet], files: list[dict], sizes: dict[str, int],
           meta: source.Metadata):
    languages = [web.language_listed(code, group, sizes, LIBRARY)
                 for code, group in web.by_language(files)]
    return _rendered("library.html.j2", LIBRARY, f"{meta.organisation.plain}: patient "
                     "information leaflets", "Every patient information leaflet of the "
                     f"{meta.service.plain}, by topic, in every language and format it is "
                     "published in.", _status(files), meta,
                     topics=_topics(leaflets, sizes, LIBRARY), languages=languages)


def _leaflet_page(leaflet: Leaflet, sizes: dict[str, int], meta: source.Metadata):
    path = leaflet_page(leaflet.name)
    languages = [web.language_listed(code, group, sizes, path)
                 for code, group in web.by_language(list(leaflet.files))]
    return _rendered("library-leaflet.html.j2", path,
                     f"{leaflet.title}: every language and format",
                     f"The patient leaflet “{leaflet.title}” ({leaflet.reference}) in every "
                     "language and format it is published in.", _status(leaflet.files), meta,
                     leaflet, leaflet=leaflet, about=_listed(leaflet, list(leaflet.files), sizes, path),
                     languages=languages, card=_card_title(leaflet.files))


def _card_title(files) -> str:
    """The title its card gives itself, in English (or in the first language it has)."""
    cards = [e for e in files if e.get("document") == "card" and e.get("title")]
    return next((e["title"] for e in cards if e.get("language") == "en-GB"),
                cards[0]["title"] if cards else "")


def _language_page(code: str, files: list[dict], leaflets: list[Leaflet],
                   sizes: dict[str, int], meta: source.Metadata):
    path = language_page(code)
    language = web.language_listed(code, files, sizes, path)
    cards = {e["path"]: e for e in files if e.get("document") == "card"}
    english = language["english"]
    return _rendered("library-language.html.j2", path, f"Patient information leaflets in "
                     f"{english}", f"Every patient information leaflet published in "
                     f"{english}, titled in {english}, with its web page and files.",
                     _status(files), meta, language=language,
                     topics=_topics(leaflets, sizes, path, code),
                     cards=[web.listing(e, path, sizes) for e in web.ordered(cards.values())])
