"""Fit the warning card: the largest font size at which each side fits on one card.

Public verb: `fit(leaflet, notices, draft, **pdf_options) -> (CardSizes, Document)`.
Each side is laid out alone (no PDF written) at sizes from MAX_PT down to MIN_PT in
steps of STEP; the largest size at which it takes one page wins. A side that overflows
even at MIN_PT fails the build, naming the language, the side and the first string that
does not fit. Nothing
is clipped: text that does not fit flows onto a second page, and that is what is counted.
The two winning layouts, joined, are the screen card (Document.copy): it is not laid out
again.
"""
from __future__ import annotations

from ..errors import BuildError, Problem
from ..layout.page import Notice, bcp47, render
from ..layout.variants import CardSizes
from . import pdf
from ..inputs import source

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
    its layout. The largest size first (the front usually fits at it); if the text
    overflows, the size it would fit at is guessed from how far it overflows (_guess),
    and the search steps from that guess until it holds a size that fits beside the
    next larger one that does not (text that fits at a size fits at every smaller one)."""
    fits: tuple | None = None  # (size, fill, layout) of the largest size known to fit
    fails, failed = None, None  # the smallest size known to overflow, and its layout
    size = SIZES[0]
    while True:
        document = _layout(leaflet, notices, draft, side, size, pdf_options)
        if len(document.pages) == 1:
            fits = (size, _fill(document.pages[0]), document)
        else:
            fails, failed = size, document
        if fits and (fits[0] == SIZES[0] or fails is not None and fails - fits[0] <= STEP):
            return fits
        if fits is None and size <= MIN_PT:
            break
        if fits is None and fails == SIZES[0]:
            size = _guess(document)
        else:
            size = fits[0] + STEP if fits else size - STEP
    key = _first_key(failed.pages[1]) or "?"
    text = {t.key: t for t in source.texts(leaflet)}.get(key)
    raise BuildError([Problem(text.where if text else leaflet.card.title.where,
                              f"the warning card in {bcp47(leaflet.language)} does not fit: "
                              f"its {side} overflows at {MIN_PT:g} pt from '{key}'"
                              + (f" ({text.plain[:60]!r})" if text else "")
                              + "; its translation must be shorter")])


def _guess(overflowing) -> float:
    """The size on the grid at which a side laid out at the largest size (and
    overflowing) should just fit. The room text takes grows about as the square of its
    size (taller lines, more of them), a little faster as words wrap: the power 0.6
    rather than 0.5 was chosen by measurement (43 layouts for the nine languages' cards,
    45 with 0.5, 52 for a binary search)."""
    first = overflowing.pages[0]
    room = (first._page_box.content_box_y() + first._page_box.height) / first.height
    used = sum(_fill(page) for page in overflowing.pages)
    size = SIZES[0] * (room / used) ** 0.6
    return max(MIN_PT, min(SIZES[1], MIN_PT + STEP * round((size - MIN_PT) / STEP)))


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
