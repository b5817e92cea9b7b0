"""Fit the A5 edition to a whole number of folded sheets.

Public verb: `fit(leaflet, notices, draft) -> Look`. A saddle-stitched booklet has a
multiple of four pages. Rather than blank pages, the A5 edition ends with a back cover
(service, document information, other languages and formats) and may give the
cauda equina warning a page of its own; the body size may grow a little from 12 pt.
The first of these layouts whose page count is a multiple of four is used; if none is,
the build fails saying so.
"""
from __future__ import annotations

from dataclasses import replace

from . import pdf, source
from .errors import BuildError, Problem
from .page import Look, Notice, bcp47, render

BODY_PT = (12.0, 12.25, 12.5, 12.75, 13.0, 13.25, 13.5)


def fit(leaflet: source.Leaflet, look: Look, notices: tuple[Notice, ...] = (),
        draft: bool = False) -> Look:
    tried = []
    for body in BODY_PT:
        for emergency_page in (False, True):
            candidate = replace(look, body_pt=body, emergency_page=emergency_page,
                                back_cover=True)
            html = render(leaflet, "leaflet", "a5", notices, draft, look=candidate)
            pages = len(pdf.layout(html, leaflet.metadata.title.where).pages)
            if pages % 4 == 0:
                return candidate
            tried.append(f"{body:g} pt{' + warning page' if emergency_page else ''}: {pages}")
    raise BuildError([Problem(leaflet.metadata.title.where,
                              f"the A5 booklet in {bcp47(leaflet.language)} never comes to a "
                              f"multiple of 4 pages ({'; '.join(tried)})")])
