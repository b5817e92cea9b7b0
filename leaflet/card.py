"""Fit the warning card: the largest font size at which each side fits on one card.

Public verb: `fit(leaflet, notices, draft, **pdf_options) -> (CardSizes, Document)`.
Each side is laid out alone (no PDF written) at sizes stepping down from MAX_PT to MIN_PT;
the first size at which it takes one page wins. A side that overflows even at MIN_PT fails
the build, naming the language, the side and the first string that does not fit. Nothing
is clipped: text that does not fit flows onto a second page, and that is what is counted.
The two winning layouts, joined, are the screen card (Document.copy): it is not laid out
again.
"""
from __future__ import annotations

from .errors import BuildError, Problem
from .page import CardSizes, Notice, bcp47, render
from . import pdf, source

MAX_PT = 9.0
MIN_PT = 7.0  # below this the card is hard to read; RNIB clear print asks for far more
STEP = 0.25
SIZES = tuple(MAX_PT - STEP * i for i in range(int((MAX_PT - MIN_PT) / STEP) + 1))


def fit(leaflet: source.Leaflet, notices: tuple[Notice, ...] = (),
        draft: bool = False, **pdf_options):
    front, front_fill, front_layout = _largest(leaflet, notices, draft, "front", pdf_options)
    back, back_fill, back_layout = _largest(leaflet, notices, draft, "back", pdf_options)
    return (CardSizes(front, back, front_fill, back_fill),
            front_layout.copy([*front_layout.pages, *back_layout.pages]))


def _largest(leaflet, notices, draft, side, pdf_options):
    """The largest size at which `side` fits on one card, how full the card is then, and
    its layout: the largest size first (the front usually fits at it), then a binary
    search (text that fits at a size fits at every smaller one)."""
    where = leaflet.card.title.where
    document = _layout(leaflet, notices, draft, side, SIZES[0], pdf_options)
    if len(document.pages) == 1:
        return SIZES[0], _fill(document.pages[0]), document
    low, high, best = 1, len(SIZES) - 1, None  # SIZES run from largest to smallest
    while low <= high:
        middle = (low + high) // 2
        document = _layout(leaflet, notices, draft, side, SIZES[middle], pdf_options)
        if len(document.pages) == 1:
            best, high = (SIZES[middle], _fill(document.pages[0]), document), middle - 1
        else:
            low = middle + 1
    if best:
        return best
    document = _layout(leaflet, notices, draft, side, MIN_PT, pdf_options)
    key = _first_key(document.pages[1]) or "?"
    text = {t.key: t for t in source.texts(leaflet)}.get(key)
    raise BuildError([Problem(text.where if text else where,
                              f"the warning card in {bcp47(leaflet.language)} does not fit: "
                              f"its {side} overflows at {MIN_PT:g} pt from '{key}'"
                              + (f" ({text.plain[:60]!r})" if text else "")
                              + "; its translation must be shorter")])


def _layout(leaflet, notices, draft, side, size, pdf_options):
    sizes = CardSizes(size, size)
    html = render(leaflet, "card", "screen", notices, draft, sizes, side)
    return pdf.layout(html, leaflet.card.title.where, **pdf_options)


def _fill(page) -> float:
    """The share of the card's height its text uses (bottom of the lowest line)."""
    from weasyprint.formatting_structure.boxes import LineBox

    bottom = max((box.position_y + box.height for box in page._page_box.descendants()
                  if isinstance(box, LineBox)), default=0)
    return round(bottom / page.height, 3)


def _first_key(page) -> str | None:
    """The key of the first string laid out on `page`."""
    for box in page._page_box.descendants():
        element = getattr(box, "element", None)
        if element is not None and element.get("data-key"):
            return element.get("data-key")
    return None
