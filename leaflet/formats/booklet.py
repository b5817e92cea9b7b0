"""Fit the A5 edition to a whole number of folded sheets.

Public verb: `fit(leaflet, look, notices, draft, **pdf_options) -> (Look, Document)`. A
saddle-stitched booklet has a multiple of four pages. Rather than blank pages, the A5
edition ends with a back cover (service, document information, other languages and
formats), and the pages still missing are useful ones: first the cauda equina warning
on a page of its own, then ruled pages headed "Notes" for the patient's questions.

The text is laid out once, alone (its pages numbered "1 of N" to "N of N"); the pages
after it (extra pages and back cover, unnumbered, as a printed booklet's covers and
notes pages are) are a small second layout chosen from the text's page count, and the
two are joined with WeasyPrint's Document.copy. So the long text is never laid out
twice. The joined layout is returned to be written as it is.
"""
from __future__ import annotations

from dataclasses import replace

from . import pdf
from ..inputs import source
from ..errors import BuildError, Problem
from ..layout.page import Notice, bcp47, render
from ..layout.variants import Look


def fit(leaflet: source.Leaflet, look: Look, notices: tuple[Notice, ...] = (),
        draft: bool = False, **pdf_options):
    text = _layout(leaflet, replace(look, part="main"), notices, draft, pdf_options)
    missing = -(len(text.pages) + 1) % 4  # besides the text and the back cover
    tried = []
    for fitted in (replace(look, back_cover=True, emergency_page=missing > 0,
                           notes_pages=max(missing - 1, 0)),
                   replace(look, back_cover=True, notes_pages=missing)):
        _, extras_look = parts(fitted)
        extras = _layout(leaflet, extras_look, notices, draft, pdf_options)
        if len(extras.pages) == missing + 1:  # each page added is one page
            return fitted, text.copy(text.pages + extras.pages)
        tried.append(f"{len(text.pages)} pages of text and {len(extras.pages)} after it "
                     f"for {missing + 1}")
    raise BuildError([Problem(leaflet.metadata.title.where,
                              f"the A5 booklet in {bcp47(leaflet.language)} does not come to a "
                              f"multiple of 4 pages ({'; '.join(tried)})")])


def parts(look: Look) -> tuple[Look, Look]:
    """The looks of the two layouts a fitted booklet is made of: its text, then the rest."""
    return replace(look, part="main"), replace(look, part="extras")


def _layout(leaflet, look, notices, draft, pdf_options):
    html = render(leaflet, "leaflet", "a5", notices, draft, look=look)
    return pdf.layout(html, leaflet.metadata.title.where, **pdf_options)
