"""The editions: every kind of output file of each document, and how it looks.

Plain data, imported by the command line and the up-to-date check without pulling in
the renderer (a no-op build must not import WeasyPrint, Jinja2 or pypdf).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .page import CardSizes


@dataclass(frozen=True)
class Look:
    """How one edition looks: its extra stylesheets (in styles/) and what paper needs."""

    stylesheets: tuple[str, ...] = ()
    qr: bool = False  # each address printed with a QR code that opens it
    clickable: bool = True  # links are link annotations (never in PDF/X: paper)
    bleed_mm: float = 0
    back_cover: bool = False  # document information alone on the last page (booklets)
    emergency_page: bool = False  # the red-flag warning again, as a page of its own
    notes_pages: int = 0  # ruled pages for the patient's notes and questions
    # "whole"; a booklet is laid out as its text ("main") and the pages after it
    # ("extras": the warning page, notes pages, back cover; unnumbered), see booklet.fit
    part: str = "whole"
    body_pt: float | None = None  # body size chosen by a fit (booklets)
    card_sizes: "CardSizes | None" = None  # font sizes chosen by the card fit

    @property
    def cmyk(self) -> bool:
        return "cmyk.css" in self.stylesheets


@dataclass(frozen=True)
class Variant:
    """One kind of output file of a document."""

    document: str
    name: str
    purpose: str
    size_mm: tuple[float, float]
    pdf_options: tuple[tuple[str, object], ...] = ()
    look: Look = Look()
    pages: int | None = None  # exactly this many pages
    tagged: bool = True
    ua: bool = True  # identified as PDF/UA-1
    pdfx: bool = False  # print-ready PDF/X: CMYK only, output intent, nothing clickable
    fit_booklet: bool = False  # pages made a multiple of four (booklet.fit)
    imposed_from: str = ""  # made with pypdf from this variant's PDF, not rendered
    format: str = "pdf"  # "brf" (braille.py) and "txt" (plaintext.py) are not PDFs


UA = (("pdf_variant", "pdf/ua-1"),)
PDFX = (("pdf_variant", "pdf/x-1a"), ("pdf_tags", True))
PRINT = Look(("print.css", "cmyk.css"), qr=True, clickable=False, bleed_mm=3)

VARIANTS = (
    Variant("leaflet", "screen", "accessible A4 PDF (PDF/UA-1) to read on screen or attach "
            "to a letter", (210, 297), UA),
    Variant("leaflet", "large-print", "large print (16 pt and over), A4, accessible PDF/UA-1 "
            "with clickable links and QR codes", (210, 297), UA,
            Look(("large-print.css",), qr=True)),
    Variant("leaflet", "print-a4", "A4 for a print shop: PDF/X-1a, CMYK, 3 mm bleed, "
            "addresses with QR codes", (210, 297), PDFX, PRINT, ua=False, pdfx=True),
    Variant("leaflet", "print-a5", "A5 booklet pages for a print shop: PDF/X-1a, CMYK, 3 mm "
            "bleed, a multiple of four pages", (148, 210), PDFX,
            replace(PRINT, stylesheets=PRINT.stylesheets + ("a5.css",)), ua=False, pdfx=True,
            fit_booklet=True),
    Variant("leaflet", "booklet", "A5 booklet imposed on A4 landscape for office printers: "
            "print double-sided, flip on short edge, fold", (297, 210), tagged=False,
            ua=False, imposed_from="print-a5"),
    Variant("card", "screen", "the cauda equina warning card, front and back, as an "
            "accessible PDF (PDF/UA-1) to send by email", (85.6, 54), UA, pages=2),
    Variant("card", "print", "the warning card for a print shop: 3 mm bleed, trim box, "
            "fonts embedded", (85.6, 54), (("pdf_tags", True),), Look(bleed_mm=3),
            pages=2, ua=False),
    Variant("card", "sheet", "warning cards on A4 for clinic printers (README: 10 a sheet): "
            "fronts on one side, backs on the other (long-edge duplex), cut marks",
            (210, 297), pages=2, tagged=False, ua=False, imposed_from="screen"),
    # Alternative formats (NHS England Accessible Information Standard, DCB1605).
    Variant("leaflet", "braille", "braille-ready file for an embosser or braille display",
            (0, 0), tagged=False, ua=False, format="brf"),
    Variant("leaflet", "plain-text", "plain text", (0, 0), tagged=False, ua=False,
            format="txt"),
)
