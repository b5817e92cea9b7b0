"""The HTML page of a document in one language: Jinja2 templates from styles/.

Public verb: `render(leaflet, document, variant, notices) -> Html`. Autoescaping and
StrictUndefined are on: a translated string can only reach the page as escaped text
through the allow-listed inline markup, and a missing value is an error, not a blank.
"""
from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup
from babel import Locale
from babel.dates import format_date

from ..inputs import source
from . import fonts
from ..inputs.languages import bcp47  # noqa: F401 (re-exported)
from .variants import CardSizes, Look

STYLES = Path(__file__).resolve().parents[2] / "styles"


@dataclass(frozen=True)
class Html:
    """A page for WeasyPrint: its HTML, and the stylesheets that style it (files in
    styles/, in cascade order). The stylesheets are not linked from the HTML but handed
    to WeasyPrint already parsed, once per process (leaflet/formats/pdf.py): linked, WeasyPrint
    would parse them again for every document, which costs a card's layout a third of
    its time and the build a few card layouts a language. A rule in a template's own
    <style> wins over any rule in these (see leaflet/formats/pdf.py _stylesheet)."""

    text: str
    stylesheets: tuple[str, ...]


@dataclass(frozen=True)
class Notice:
    """A notice printed at the top of a document, in its own language."""

    text: source.Text
    language: str


def render(leaflet: source.Leaflet, document: str, variant: str,
           notices: tuple[Notice, ...] = (), draft: bool = False,
           sizes: CardSizes = CardSizes(9, 9), side: str = "both", look: Look = Look()) -> Html:
    """The HTML of `document` ("leaflet" or "card") for `variant`; a draft says DRAFT on
    every page and marks the strings still in the source language. A card is rendered
    with `sizes`, one side alone when `side` is "front" or "back" (to measure it)."""
    template = environment().get_template(f"{document}.html.j2")
    meta, labels = leaflet.metadata, leaflet.labels
    locale = locale_of(leaflet.language)
    text = template.render(
        leaflet=leaflet, meta=meta, labels=labels, variant=variant,
        language=bcp47(leaflet.language), direction=locale.text_direction,
        source_language=bcp47(meta.language),
        # Margin boxes do not inherit the body's fonts (WeasyPrint): name them.
        font_stack=Markup(fonts.css_stack(leaflet.language)),
        draft=Markup(css_string(draft_stamp(labels))) if draft else None,
        sizes=look.card_sizes or sizes, side=side, look=look,
        qr=lambda url: qr_data_uri(url, look.cmyk),
        notices=passages(notices),
        dates=dates(meta, locale),
        # Markup: already escaped for CSS (not HTML) by css_string; <style> is raw text.
        # A booklet's extra pages (warning, notes, back cover) are not numbered: the
        # text's pages are laid out alone, so "of N" counts the pages of the text.
        page_number=Markup("none") if look.part == "extras" else css_content(
            labels.page_number.value, {"page": "counter(page)", "pages": "counter(pages)"}),
        footer_left=css_content(f"{meta.reference} · {labels.version.value} {meta.version}", {}),
    )
    return Html(text, ("fonts.css", f"{document}.css", *look.stylesheets))


def draft_stamp(labels: source.Labels) -> str:
    """What a draft is stamped with: DRAFT, and the word in its language."""
    return "DRAFT" if labels.draft.value == "DRAFT" else f"DRAFT · {labels.draft.value}"


def passages(notices: tuple[Notice, ...]) -> list[dict]:
    """The notices as a template shows them: text, language and direction."""
    return [{"text": n.text, "language": bcp47(n.language),
             "direction": locale_of(n.language).text_direction} for n in notices]


def dates(meta: source.Metadata, locale: Locale) -> dict[str, str]:
    """The publication and review dates as the language writes them."""
    return {"published": format_date(meta.published, "long", locale=locale),
            "review": format_date(meta.review, "long", locale=locale)}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment of styles/: autoescaped, strict."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(STYLES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=False)
    env.globals["dict"] = dict
    env.filters["address_lines"] = address_lines
    return env


def address_lines(url: str) -> str:
    """The address as the PDFs set it: a line may end before each hyphen (U+200B ZERO
    WIDTH SPACE), never right after one (U+2060 WORD JOINER; UAX #14 breaks after a
    hyphen, class HY). The Chicago Manual of Style (17th ed., 14.18) breaks a URL before
    a hyphen and never leaves one of its hyphens at a line's end, where it reads as a
    word divided there; Poppler takes it for one too (`TextLine::coalesce` marks the
    line hyphenated, `TextPage::dump` drops the hyphen), so the address copied or
    searched there lost its hyphen. Neither character is in the PDF's text
    (leaflet/formats/glyphmap.py `LINE_BREAK_CONTROLS`): copied, the address is exact."""
    return url.replace("-", "\u200b-\u2060")


@lru_cache(maxsize=256)
def qr_data_uri(url: str, cmyk: bool = False) -> str:
    """A vector QR code (segno, error correction M, 4-module quiet zone) opening `url`,
    as an SVG data URI; on CMYK pages its black is process black, not RGB."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", dark="#000",
                                                 xmldecl=False, border=4)
    svg = buffer.getvalue().decode()
    if cmyk:
        svg = svg.replace('stroke="#000"', 'stroke="device-cmyk(0 0 0 1)" fill="none"')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def locale_of(language: str) -> Locale:
    return Locale.parse(language.replace("-", "_"))


_PARAM = re.compile(r"\{([a-z_]+)\}")


def css_content(template: str, params: dict[str, str]) -> str:
    """A CSS `content` value: the text as escaped CSS strings, `{name}` as `params[name]`."""
    parts = []
    for i, piece in enumerate(_PARAM.split(template)):
        if i % 2:
            parts.append(params[piece])
        elif piece:
            parts.append(css_string(piece))
    return Markup(" ".join(parts) or '""')


def css_string(text: str) -> str:
    """`text` as a CSS string that nothing in it can end or escape from."""
    return '"' + "".join(c if c.isalnum() or c in " .,:;-()/·" else f"\\{ord(c):x} "
                         for c in text) + '"'


def sheet(layout, title: str, author: str, notes: dict[str, str],
          card: source.Text, language: str) -> Html:
    """The page of a cutting sheet's frame (cut marks and instructions) for `layout`: the
    notes in English, the front's naming the cards by their title (`card`) in their own
    `language`, with its fonts and direction. No date: a card is its red-flag list's, and
    no leaflet's date belongs on it."""
    return Html(environment().get_template("sheet.html.j2").render(
        layout=layout, cuts=layout.cuts(), title=title, author=author, notes=notes,
        card=card.plain, language=bcp47(language),
        direction=locale_of(language).text_direction,
        font_stack=Markup(fonts.css_stack(language))), ("fonts.css",))


# ------------------------------------------------- the outline (text formats)

@dataclass(frozen=True)
class Run:
    """A run of a block's text as a reader sees it; an address is marked, because
    braille writes it in computer braille and plain text keeps it apart."""

    text: str
    address: bool = False


@dataclass(frozen=True)
class Block:
    """One block of the leaflet in reading order, for the formats that are not laid out
    by WeasyPrint (braille, plain text): the same words as the HTML, without markup."""

    kind: str  # "heading", "paragraph", "item" (of a list), "notice" or "field"
    runs: tuple[Run, ...]
    level: int = 0  # headings: 1 (the title), 2, 3
    key: str = ""  # the catalog key of its text (a field: of its label)
    language: str = ""  # BCP 47, when not the outline's (the English notice)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Box:
    """The emergency box: its label, what to do and the red flags, kept together."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Outline:
    language: str  # BCP 47
    direction: str  # "ltr" or "rtl"
    title_page: tuple[Block, ...]  # title, service, notices, document information
    body: tuple[Block | Box, ...]
    draft: str | None = None  # the draft stamp, on every page of a draft


def outline(leaflet: source.Leaflet, notices: tuple[Notice, ...] = (),
            draft: bool = False) -> Outline:
    """The leaflet's words in reading order, as the HTML has them: the title page (title,
    service, the unreviewed-translation notice, the document information) and the body."""
    meta, labels = leaflet.metadata, leaflet.labels
    locale = locale_of(leaflet.language)
    dates = (format_date(meta.published, "long", locale=locale),
             format_date(meta.review, "long", locale=locale))
    fields = ((labels.service, f"{meta.service.plain}, {meta.organisation.plain}"),
              (labels.reference, meta.reference), (labels.version, meta.version),
              (labels.published, dates[0]), (labels.review, dates[1]))
    title_page = (
        Block("heading", (Run(meta.title.plain),), 1, meta.title.key),
        _block("paragraph", meta.organisation), _block("paragraph", meta.service),
        *(Block("notice", _runs(n.text), key=n.text.key, language=bcp47(n.language))
          for n in notices),
        Block("heading", (Run(labels.document_control.plain),), 2,
              labels.document_control.key),
        *(Block("field", (Run(f"{label.plain}: {value}"),), key=label.key)
          for label, value in fields),
        Block("paragraph", (*_runs(labels.other_formats), Run(" "), Run(meta.website, True)),
              key=labels.other_formats.key))
    stamp = None
    if draft:
        # A colon, not the PDF's middle dot: every braille table has one.
        stamp = "DRAFT" if labels.draft.value == "DRAFT" else f"DRAFT: {labels.draft.value}"
    return Outline(bcp47(leaflet.language), locale.text_direction, title_page,
                   tuple(_sections(leaflet, leaflet.sections, 2)), stamp)


def _sections(leaflet: source.Leaflet, sections, level: int):
    for s in sections:
        yield _block("heading", s.heading, level)
        for b in s.blocks:
            if isinstance(b, source.Paragraph):
                yield _block("paragraph", b.text)
            elif isinstance(b, source.Bullets):
                yield from (_block("item", item) for item in b.items)
            elif isinstance(b, source.Emergency):
                yield Box((_block("heading", leaflet.labels.emergency, level + 1),
                           _block("paragraph", b.text),
                           *(_block("item", f) for f in b.red_flags.items)))
            else:
                yield from (Block("item", (*(_runs(l.text) + (Run(" "),) if l.text else ()),
                                           Run(l.url, True)), key=l.text.key if l.text else "")
                            for l in b.links)
        yield from _sections(leaflet, s.sections, level + 1)


def _block(kind: str, text: source.Text, level: int = 0) -> Block:
    return Block(kind, _runs(text), level, text.key)


def _runs(text: source.Text) -> tuple[Run, ...]:
    """The text's runs: bold is dropped (the plain formats carry no emphasis), a link
    placeholder becomes its address."""
    urls = dict(text.urls)
    runs: list[Run] = []

    def walk(spans):
        for span in spans:
            if span.kind == "link":
                runs.append(Run(urls[span.value], True))
            elif span.kind == "bold":
                walk(span.children)
            elif runs and not runs[-1].address:
                runs[-1] = Run(runs[-1].text + span.value)
            else:
                runs.append(Run(span.value))

    walk(text.spans)
    return tuple(runs)
