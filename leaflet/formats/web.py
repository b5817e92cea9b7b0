"""The web edition: each language's leaflet as an accessible web page, made from the
same data as the PDFs with the templates and stylesheet of styles/ (web.html.j2, web.j2,
web.css); the library's own pages (library.py) are made with the same machinery.
WeasyPrint is never imported here: a page is HTML for a browser.

Public verbs:
- `render(leaflet, notices, status, listed) -> Page`: one language's page, linking its
  PDFs as the manifest lists them (`listed`: pages, size), and the fonts it needs;
- `shared(fonts, entries) -> list[Font]`: the subsets the pages of a language share;
- `subset(font) -> output.Built`: one of those fonts made (fontTools, WOFF2).

Every page has a description (`metadata.subject`, in the page's language) for search
results and link previews, and the Open Graph tags (ogp.me) messaging apps read for a
preview: title, description, type, locale, site name (`preview`).

Fonts: the pages of a language share the pinned families as WOFF2 subsets in the
language's fonts/ folder (the library's pages theirs in output/fonts/), one file per
family and weight, made for the characters of all those pages and made again only when
a page brings a character they lack (`shared`). A page's text is read back from its
HTML, each character given to the first family of its element's stack (by the nearest
`lang`; a link's text, an address or English, is Leaflet Sans) that draws it, in bold
inside b, strong, dt and headings: the only elements styles/web.css sets in bold.
"""
from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable

from babel.core import Locale, get_global
from markupsafe import Markup

from . import output
from ..inputs import source
from ..inputs.languages import bcp47
from ..layout import fonts, page
from ..layout.variants import (FORMATS, LIBRARY, VARIANTS, language_page, leaflet_page,
                               output_path)

WEB = next(v for v in VARIANTS if v.format == "html")
INDEX = LIBRARY  # the front page
# The editions a patient's page links to, the alternative formats of the Accessible
# Information Standard (DCB1605) among them; the index lists every file, and the card's
# sheet to print ("Print the emergency card").
ON_THE_PAGE = (("leaflet", "screen"), ("leaflet", "large-print"), ("leaflet", "booklet"),
               ("leaflet", "braille"), ("leaflet", "plain-text"), ("card", "screen"))
BOLD = frozenset({"b", "strong", "dt", "h1", "h2", "h3", "h4"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})
_RANK = {(v.document, v.name): i for i, v in enumerate(VARIANTS)}
_FONTS = "/*fonts*/"
KB = 1000  # as the issue measured it ("a 731-character Noto Sans SC subset is about 245 KB")
# Most bytes a language's page may weigh: its HTML and CSS alone, and with its fonts,
# by the script it is in (a Nastaliq or Chinese subset is 100-250 KB a weight).
# 40 KB, and the 843 bytes the description and preview tags cost Bengali's page, the
# most of any (measured on a build; docs/web-edition.md, "Page weight").
PAGE_BUDGET = 40 * KB + 843
FONT_BUDGETS = {"ar": 200 * KB, "bn": 200 * KB, "ur": 600 * KB, "zh": 600 * KB}
LATIN_BUDGET = 100 * KB


@dataclass(frozen=True)
class Font:
    """A font subset pages need: made, or taken from output/ when one there covers it."""

    path: str  # in output/: the fonts/ folder the pages of a language share
    family: str  # CSS family (fonts.FAMILIES)
    bold: bool
    characters: str
    language: str  # the language of the pages sharing it ("mul": the library's pages)

    @property
    def file(self) -> str:
        return fonts.FAMILIES[self.family][self.bold]

    @property
    def key(self) -> str:
        return fonts.subset_key(self.file, self.characters)

    def built(self, data: bytes) -> output.Built:
        return output.Built(self.path, "font", self.language, "font", "released", None, data,
                            self.key, characters=self.characters)


@dataclass(frozen=True)
class Page:
    html: output.Built
    fonts: tuple[Font, ...]


def render(leaflet: source.Leaflet, notices: tuple[page.Notice, ...], status: str,
           listed: list[dict]) -> Page:
    """The web page of `leaflet` (in its language); `listed`: the manifest entries of the
    language's files as they will be, which the page links to. Its other languages and
    formats are on the leaflet's page of the library, which it links to."""
    path = output_path(Path(leaflet.path), WEB, leaflet.language)
    meta, labels = leaflet.metadata, leaflet.labels
    language = bcp47(leaflet.language)
    locale = page.locale_of(leaflet.language)
    sizes = weights(listed)
    context = dict(
        leaflet=leaflet, meta=meta, labels=labels, language=language,
        direction=locale.text_direction, source_language=bcp47(meta.language),
        notices=page.passages(notices), dates=page.dates(meta, locale),
        draft=page.draft_stamp(labels) if status == "draft" else None,
        index=href(leaflet_page(Path(leaflet.path).stem), path),
        preview=preview(meta, language),
        editions=[listing(e, path, sizes) for e in ordered(listed)
                  if (e["document"], e["variant"]) in ON_THE_PAGE])
    own = f"web-{language.split('-')[0]}.css"
    text, needed = rendered("web.html.j2", context, path, language,
                            ("web.css",) + ((own,) if (page.STYLES / own).is_file() else ()))
    return Page(output.Built(path, "leaflet", language, WEB.name, status, None, text.encode(),
                             title=meta.title.plain, fonts=tuple(f.path for f in needed)),
                needed)


def subset(font: Font) -> output.Built:
    return font.built(fonts.woff2(font.file, font.characters))


def shared(needed: Iterable[Font], entries: list[dict]) -> list[Font]:
    """The fonts the pages that need `needed` share: one subset per file of the fonts/
    folder, for the characters of all those pages. Where the subset `entries` list there
    already covers them, it is that subset (its characters, so its key: not made again);
    else it is made for them and for what that subset covered (pages not rendered now,
    such as another leaflet's in the same language, go on using it). So a subset only
    ever grows, and only when a page brings a character it lacks."""
    wanted: dict[str, set[str]] = {}
    first: dict[str, Font] = {}
    for font in needed:
        wanted.setdefault(font.path, set()).update(font.characters)
        first.setdefault(font.path, font)
    covered = {e["path"]: set(e["characters"]) for e in entries
               if e.get("variant") == "font" and isinstance(e.get("characters"), str)}
    out = []
    for path, characters in sorted(wanted.items()):
        have = covered.get(path, set())
        chosen = have if characters <= have else characters | have
        out.append(replace(first[path], characters="".join(sorted(chosen))))
    return out


def listed(entries: list[dict]) -> list[dict]:
    """The files the library lists: not its own pages, nor a page's fonts."""
    return [e for e in entries if e.get("document") not in ("index", "font")
            and e.get("variant") != "font" and not e.get("part_of")]


@dataclass(frozen=True)
class Preview:
    """What a search result or a link's preview shows of a page, besides its title."""

    description: str  # metadata.subject, in the page's language
    locale: str  # og:locale
    site: str  # og:site_name: the organisation, in the page's language


def preview(meta: source.Metadata, language: str) -> Preview:
    return Preview(meta.subject.plain, og_locale(language), meta.organisation.plain)


def og_locale(language: str) -> str:
    """`language` (BCP 47) as Open Graph's og:locale: "language_TERRITORY" (ogp.me).
    A language given without a region gets the one CLDR's likely subtags give it (UTS #35,
    through Babel): ar_EG, ur_PK, bn_BD, zh_CN, pl_PL. Not Facebook's own "ar_AR": AR is
    Argentina in ISO 3166, which the spec's TERRITORY is."""
    locale = page.locale_of(language)
    if locale.territory:
        return f"{locale.language}_{locale.territory}"
    likely = get_global("likely_subtags")
    found = likely.get(f"{locale.language}_{locale.script}") or likely[locale.language]
    return f"{locale.language}_{Locale.parse(found).territory}"


def autonym(language: str) -> str:
    """The language's name in itself (CLDR), as a list of languages writes it: a capital
    first where the script has capitals, and for Chinese the full-width brackets of
    CLDR's zh display pattern "{0}（{1}）" (Babel joins with ASCII " (...)")."""
    locale = page.locale_of(language)
    name = locale.display_name
    if locale.language in ("zh", "ja"):
        name = name.replace(" (", "（").replace(")", "）")
    return name[:1].upper() + name[1:]


def budget(entry: dict) -> tuple[int, int] | None:
    """The most bytes a language's web page may weigh (HTML and CSS; with its fonts), or
    None for a file with no budget (the index, a PDF, a font)."""
    if entry.get("format") != "html" or entry.get("document") != "leaflet":
        return None
    return PAGE_BUDGET, FONT_BUDGETS.get(entry["language"].split("-")[0], LATIN_BUDGET)


def weight(entry: dict, entries: list[dict]) -> int:
    """Bytes a browser loads for a listed file: itself and its parts (a page's fonts)."""
    return weights(entries)[entry["path"]] if entry in entries else \
        weights([*entries, entry])[entry["path"]]


def weights(entries: list[dict]) -> dict[str, int]:
    """`weight` of every entry, by path, in one pass: the pages of a library list
    thousands of files, and weighing each against every entry took a second."""
    size = {e["path"]: e["bytes"] for e in entries}
    parts: dict[str, set[str]] = {}
    for e in entries:
        if e.get("part_of"):
            parts.setdefault(e["part_of"], set()).add(e["path"])
    return {e["path"]: e["bytes"] + sum(size[p] for p in parts.get(e["path"], set())
                                        | (set(e.get("fonts") or ()) & size.keys()))
            for e in entries}


# ------------------------------------------------------------------- rendering

def rendered(name: str, context: dict, path: str, language: str,
             stylesheets: tuple[str, ...], folder: str = "") -> tuple[str, tuple[Font, ...]]:
    """The page from template `name` with `stylesheets` (of styles/) in it, and the fonts
    its text needs, in `folder` (by default the fonts/ folder beside the page, which the
    pages of its language share): read from the page rendered, whose stylesheet (in the
    head, showing no text) then gets their @font-face rules in place of _FONTS."""
    css = "".join(_stylesheet(s) for s in stylesheets)
    text = page.environment().get_template(name).render(**context, css=Markup(css + _FONTS))
    used, languages = _characters(text, language)
    folder = folder or posixpath.join(posixpath.dirname(path), "fonts")
    shares = language if folder != "fonts" else "mul"
    needed = tuple(Font(posixpath.join(folder, Path(fonts.FAMILIES[family][bold]).stem
                                       + ".woff2"),
                        family, bool(bold), "".join(sorted(chars | {" "})), shares)
                   for (family, bold), chars in sorted(used.items()))
    # The first _FONTS is the one in the head: what comes from a catalog is further on.
    return text.replace(_FONTS, _font_css(needed, path, languages), 1), needed


@lru_cache(maxsize=None)
def _stylesheet(name: str) -> str:
    """A stylesheet of styles/ with its comments and runs of white space taken out (our
    own files: no string in them holds a comment or white space that matters)."""
    css = (page.STYLES / name).read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\s*([{};,>])\s*", r"\1", re.sub(r"\s+", " ", css))
    css = re.sub(r":\s+", ":", css)  # a selector's colon is never followed by a space
    return re.sub(r"(?<![\w.])0\.(\d)", r".\1", css.replace(";}", "}")).strip()


def _font_css(needed: tuple[Font, ...], path: str, languages: set[str]) -> str:
    """@font-face rules for the page's subsets (shown in the fallback font until they load,
    font-display: swap), and the font stack of each of the page's `languages` on every
    element that has its `lang`, as styles/fonts.css gives them to the PDFs; a system
    font only if ours lack a character (a test proves they never do)."""
    faces = "".join(
        f'@font-face{{font-family:"{f.family}";font-weight:{700 if f.bold else 400};'
        f'font-display:swap;src:url({href(f.path, path)})}}' for f in needed)
    stacks = f"[lang]{{font-family:{fonts.css_stack('en')},sans-serif}}" + "".join(
        f"[lang]:lang({prefix}){{font-family:{fonts.css_stack(prefix)},sans-serif}}"
        for prefix in fonts.STACKS if prefix in languages)
    # A link's text is an address, or English (the list of files); in the index a link
    # in another language says so with its own `lang`.
    return faces + stacks + f"a{{font-family:{fonts.css_stack('en')},sans-serif}}"


class _Text(HTMLParser):
    """Reads a page's text: the characters each family draws, in each weight."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.open = [("", language, False, False)]  # tag, lang, address, bold
        self.body = False
        self.found: dict[tuple[str, int], set[str]] = {}
        self.languages = {language.split("-")[0]}  # primary subtags

    def handle_starttag(self, tag, attrs):
        self.body = self.body or tag == "body"
        if tag in _VOID:
            return
        _, lang, address, bold = self.open[-1]
        attrs = dict(attrs)
        if attrs.get("lang"):
            self.languages.add(attrs["lang"].split("-")[0])
        self.open.append((tag, attrs.get("lang") or lang,
                          (address or tag == "a") and not attrs.get("lang"),
                          bold or tag in BOLD))

    def handle_endtag(self, tag):
        while len(self.open) > 1 and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        tag, lang, address, bold = self.open[-1]
        if not self.body or tag in ("style", "script"):
            return
        # A line break is shown as a space; a character no pinned font has is left out
        # (fonts.coverage stops a build with one).
        left = {c for c in data if unicodedata.category(c) != "Cc"}
        for family in fonts.DEFAULT if address else fonts.stack(lang):
            drawn = left & fonts.cmap(fonts.FAMILIES[family][bold])
            if drawn:
                self.found.setdefault((family, int(bold)), set()).update(drawn)
                left -= drawn


def _characters(html: str, language: str) -> tuple[dict[tuple[str, int], set[str]], set[str]]:
    """The characters each family draws in each weight; the languages the page has."""
    reader = _Text(language)
    reader.feed(html)
    reader.close()
    return reader.found, reader.languages


# ---------------------------------------------------------- what the pages list

def by_language(files: list[dict]) -> list[tuple[str, list[dict]]]:
    """The files of each language, the languages in the order of their English names."""
    groups: dict[str, list[dict]] = {}
    for entry in files:
        groups.setdefault(entry["language"], []).append(entry)
    return sorted(groups.items(),
                  key=lambda item: page.locale_of(item[0]).get_display_name("en"))


def language_listed(code: str, group: list[dict], sizes: dict[str, int], here: str) -> dict:
    """How the page at `here` lists a language's files (`group`): by the language's own
    name, its web pages, its other files, its card's sheet to print (`sizes`: `weights`
    of the manifest's entries)."""
    locale = page.locale_of(code)
    files = ordered(group)
    return {"code": code, "name": autonym(code), "english": locale.get_display_name("en"),
            "direction": locale.text_direction, "href": href(language_page(code), here),
            "draft": any(e.get("status") == "draft" for e in group),
            "pages": [listing(e, here, sizes) for e in files if e.get("format") == "html"],
            "files": [listing(e, here, sizes) for e in files if e.get("format") != "html"],
            "card": next((listing(e, here, sizes) for e in group
                          if (e["document"], e["variant"]) == ("card", "sheet")), None)}


def ordered(files: list[dict]) -> list[dict]:
    """Files in the order of VARIANTS; kinds it does not know (a new format) after them."""
    return sorted(files, key=lambda e: (_RANK.get((e.get("document"), e.get("variant")),
                                                  len(_RANK)), e["path"]))


def listing(entry: dict, here: str, sizes: dict[str, int]) -> dict:
    """How a page lists one file: link, what it is, what it is for, its pages and size
    (`sizes`: `weights` of the manifest's entries)."""
    variant = next((v for v in VARIANTS if (v.document, v.name) ==
                    (entry.get("document"), entry.get("variant"))), None)
    kind = entry.get("format") or entry["path"].rsplit(".", 1)[-1]
    described = FORMATS.get(kind, f"{kind.upper()} file")
    described = described[:1].upper() + described[1:]
    # The format, unless the label and purpose already say it ("Braille-ready file: for
    # an embosser or braille display").
    said = variant is not None and \
        f"{variant.label} {variant.purpose}".lower().startswith(described.lower())
    facts = [] if said else [described]
    pages = entry.get("pages")
    if pages:
        unit = "braille\u00a0page" if kind == "brf" else "page"
        facts.append(f"{pages}\u00a0{unit}{'s' * (pages != 1)}")  # no break before units
    facts.append(_size(sizes[entry["path"]]) + (" with its fonts" if kind == "html" else ""))
    return {"href": href(entry["path"], here), "label": variant.label if variant else described,
            "purpose": variant.purpose if variant else "", "title": entry.get("title", ""),
            "facts": ", ".join(facts)}


def _size(count: int) -> str:
    if count < KB * KB:
        return f"{max(1, round(count / KB))}\u00a0KB"
    return f"{count / KB / KB:.1f}\u00a0MB"


def href(target: str, here: str) -> str:
    """`target` (a path in output/) as a link from the page at `here`: relative, so the
    pages work from a folder (file://) and from any web server."""
    return posixpath.relpath(target, posixpath.dirname(here) or ".")
