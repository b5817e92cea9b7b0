"""The editions: every kind of output file of each document, and how it looks.

Plain data, imported by the command line and the up-to-date check without pulling in
the renderer (a no-op build must not import WeasyPrint, Jinja2 or pypdf).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..inputs.languages import bcp47


@dataclass(frozen=True)
class CardSizes:
    """Font sizes (pt) of the card's two sides, as the fit chose them, and how full each
    side is at that size (0 to 1, measured from the layout)."""

    front: float
    back: float
    front_fill: float = 0.0
    back_fill: float = 0.0


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
    card_sizes: CardSizes | None = None  # font sizes chosen by the card fit

    @property
    def cmyk(self) -> bool:
        return "cmyk.css" in self.stylesheets


@dataclass(frozen=True)
class Variant:
    """One kind of output file of a document."""

    document: str
    name: str
    label: str  # what a link to the file says (the index, the web page)
    purpose: str  # what it is for, after the label
    size_mm: tuple[float, ...]  # () for a file that is not a PDF: it has no paper size
    pdf_options: tuple[tuple[str, object], ...] = ()
    look: Look = Look()
    pages: int | None = None  # exactly this many pages
    tagged: bool = True
    ua: bool = True  # identified as PDF/UA-1
    pdfx: bool = False  # print-ready PDF/X: CMYK only, output intent, nothing clickable
    fit_booklet: bool = False  # pages made a multiple of four (booklet.fit)
    imposed_from: str = ""  # made with pypdf from this variant's PDF, not rendered
    # The file's format: its suffix and the manifest's `format`; "html" (web.py), "brf"
    # (braille.py) and "txt" (plaintext.py) are made without WeasyPrint.
    format: str = "pdf"


# What each format of file is, for the people choosing one (the index, leaflet/formats/web.py).
# A format not named here is listed by its name.
FORMATS = {
    "html": "web page",
    "pdf": "PDF",
    "brf": "braille-ready file for an embosser or braille display",
    "txt": "plain text",
}

UA = (("pdf_variant", "pdf/ua-1"),)
PDFX = (("pdf_variant", "pdf/x-1a"), ("pdf_tags", True))
PRINT = Look(("print.css", "cmyk.css"), qr=True, clickable=False, bleed_mm=3)

VARIANTS = (
    # Made from the same HTML data without WeasyPrint (leaflet/formats/web.py), after the PDFs it
    # links to: it lists their page counts and sizes.
    Variant("leaflet", "web", "Web page", "the whole leaflet to read on a phone or computer: "
            "it reflows, zooms and works with screen readers and browser translation", (),
            tagged=False, ua=False, format="html"),
    Variant("leaflet", "screen", "Accessible PDF", "A4, to read on screen or attach to a "
            "letter (PDF/UA-1)", (210, 297), UA),
    Variant("leaflet", "large-print", "Large print PDF", "A4, all its text 16 pt or "
            "more, links with QR codes (PDF/UA-1)", (210, 297), UA,
            Look(("large-print.css",), qr=True)),
    Variant("leaflet", "print-a4", "Print shop PDF, A4", "for a print shop: PDF/X-1a, CMYK, "
            "3 mm bleed, every address with a QR code", (210, 297), PDFX, PRINT, ua=False,
            pdfx=True),
    Variant("leaflet", "print-a5", "Print shop PDF, A5 booklet pages", "for a print shop: "
            "PDF/X-1a, CMYK, 3 mm bleed, a multiple of four pages for saddle stitching",
            (148, 210), PDFX, replace(PRINT, stylesheets=PRINT.stylesheets + ("a5.css",)),
            ua=False, pdfx=True, fit_booklet=True),
    Variant("leaflet", "booklet", "A5 booklet to print in the clinic", "A4 landscape: print "
            "double-sided, flip on short edge, fold and staple",
            (297, 210), tagged=False, ua=False, imposed_from="print-a5"),
    # Alternative formats (NHS England Accessible Information Standard, DCB1605), made
    # from page.outline without WeasyPrint.
    Variant("leaflet", "braille", "Braille-ready file", "for an embosser or braille display "
            "(BRF)", (), tagged=False, ua=False, format="brf"),
    Variant("leaflet", "plain-text", "Plain text", "UTF-8, for e-mail, text messages and "
            "screen readers", (), tagged=False, ua=False, format="txt"),
    Variant("card", "screen", "Emergency card PDF", "the warning card to "
            "send by email (PDF/UA-1)", (85.6, 54), UA, pages=2),
    Variant("card", "print", "Emergency card for a print shop", "3 mm bleed, trim box, "
            "fonts embedded", (85.6, 54), (("pdf_tags", True),), Look(bleed_mm=3),
            pages=2, ua=False),
    Variant("card", "sheet", "Print the emergency card", "10 cards on A4: print double-sided, "
            "flip on long edge, at actual size, cut along the marks", (210, 297), pages=2,
            tagged=False, ua=False, imposed_from="screen"),
)


def output_path(source: Path, variant: Variant, language: str, card: str = "") -> str:
    """Where an output goes, relative to output/. A leaflet's file in another format than
    PDF (the web page, the braille-ready file, the plain text) is the leaflet's own name
    with that format's suffix: the file a link to "the leaflet" in that format opens. A
    card belongs to its red-flag list, not to a leaflet: it is named by the list's id
    (`card`), one file however many leaflets use the list."""
    name = source.stem if variant.document == "leaflet" else \
        f"{card or source.stem}-{variant.document}"
    if variant.format != "pdf":
        return f"{bcp47(language)}/{name}.{variant.format}"
    return f"{bcp47(language)}/{name}-{variant.name}.pdf"


# The library's own pages (leaflet/formats/library.py). Their addresses depend only on
# what they are of, never on what else the library holds, so a leaflet's page and files
# keep their addresses when other leaflets come or go (clinics print QR codes to them):
# - the front page is output/index.html, where the one leaflet's index always was;
# - a leaflet's page is output/leaflets/<name>.html, named as its files are (the source
#   file's stem), in a folder of its own: no language folder's name (a BCP 47 tag) is
#   "leaflets", and a leaflet called "pl" is no language's folder;
# - a language's page is output/<language>/index.html, beside its files (what a web
#   server shows for output/pl/); so no leaflet may be called "index" (RESERVED).
LIBRARY = "index.html"
RESERVED = ("index",)


def leaflet_page(name: str) -> str:
    return f"leaflets/{name}.html"


def language_page(language: str) -> str:
    return f"{bcp47(language)}/index.html"
