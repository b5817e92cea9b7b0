"""Fit the A5 edition to a whole number of folded sheets.

Public verb: `fit(leaflet, look, notices, draft, **pdf_options) -> (Look, Document)`. A
saddle-stitched booklet has a multiple of four pages. Rather than blank pages, the A5
edition ends with a back cover (service, document information, other languages and
formats), and the pages still missing are useful ones: first the cauda equina warning
on a page of its own, then ruled pages headed "Notes" for the patient's questions. The
edition is laid out once to count its pages and once with the pages added; that layout
is returned to be written as it is.
"""
from __future__ import annotations

from dataclasses import replace

from . import pdf, source
from .errors import BuildError, Problem
from .page import Notice, bcp47, render
from .variants import Look


def fit(leaflet: source.Leaflet, look: Look, notices: tuple[Notice, ...] = (),
        draft: bool = False, **pdf_options):
    plain = replace(look, back_cover=True, emergency_page=False, notes_pages=0)
    document = _layout(leaflet, plain, notices, draft, pdf_options)
    pages = len(document.pages)
    missing = -pages % 4
    if not missing:
        return plain, document
    tried = [f"{pages} pages"]
    for filled in (replace(plain, emergency_page=True, notes_pages=missing - 1),
                   replace(plain, notes_pages=missing)):
        document = _layout(leaflet, filled, notices, draft, pdf_options)
        if len(document.pages) == pages + missing:  # each page added is one page
            return filled, document
        tried.append(f"{len(document.pages)} with {missing} added")
    raise BuildError([Problem(leaflet.metadata.title.where,
                              f"the A5 booklet in {bcp47(leaflet.language)} does not come to a "
                              f"multiple of 4 pages ({'; '.join(tried)})")])


def _layout(leaflet, look, notices, draft, pdf_options):
    html = render(leaflet, "leaflet", "a5", notices, draft, look=look)
    return pdf.layout(html, leaflet.metadata.title.where, **pdf_options)
