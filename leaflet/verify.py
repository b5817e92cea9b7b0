"""Check a finished PDF against what it must be, before it is written.

Public verb: `verify(data, expect, where) -> list[Problem]`. The checks are the
properties a reader of the PDF relies on: tagged (PDF/UA-1, ISO 14289-1 7.1), the
document language (7.2), the title shown by viewers (7.1: DisplayDocTitle), bookmarks
from the headings (7.15), the page size, and the text it must contain.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader

from .errors import Location, Problem

POINTS_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Expect:
    title: str
    language: str  # BCP 47
    size_mm: tuple[float, float]  # trim size: width, height
    headings: tuple[str, ...] = ()  # bookmarks, in order
    tagged: bool = True
    ua: bool = True  # PDF/UA-1: the title is what viewers show
    pdfx: bool = False  # print-ready PDF/X-1a: output intent, CMYK only, no annotations
    pages: int | None = None  # exactly this many pages (a card has two sides)
    bleed_mm: float = 0  # the BleedBox extends this far beyond the TrimBox on every side


def verify(data: bytes, expect: Expect, where: Location) -> list[Problem]:
    reader = PdfReader(io.BytesIO(data))
    found = []
    root = reader.trailer["/Root"]
    if expect.tagged:
        if not root.get("/MarkInfo", {}).get("/Marked"):
            found.append("not tagged: /MarkInfo /Marked is missing")
        if "/StructTreeRoot" not in root:
            found.append("no structure tree")
    if expect.ua and not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle"):
        found.append("viewers would show the file name: DisplayDocTitle is not set")
    if expect.pdfx:
        found += _pdfx_problems(data)
    if expect.tagged and str(root.get("/Lang", "")) != expect.language:
        found.append(f"document language is {root.get('/Lang')!r}, expected {expect.language!r}")
    title = (reader.metadata or {}).get("/Title")
    if title != expect.title:
        found.append(f"title is {title!r}, expected {expect.title!r}")
    found += _size_problems(reader, expect.size_mm)
    if expect.bleed_mm:
        found += _bleed_problems(reader, expect.bleed_mm)
    if expect.pages is not None and len(reader.pages) != expect.pages:
        found.append(f"{len(reader.pages)} pages, expected {expect.pages}")
    if expect.headings:
        outline = tuple(_outline_titles(reader.outline))
        if outline != expect.headings:
            found.append(f"bookmarks {list(outline)} differ from the headings "
                         f"{list(expect.headings)}")
    return [Problem(where, f"PDF check: {message}") for message in found]


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def _size_problems(reader: PdfReader, size_mm: tuple[float, float]) -> list[str]:
    want = tuple(round(v * POINTS_PER_MM, 1) for v in size_mm)
    out = []
    for number, page in enumerate(reader.pages, 1):
        box = page.trimbox
        got = (round(float(box.width), 1), round(float(box.height), 1))
        if any(abs(g - w) > 0.5 for g, w in zip(got, want)):
            out.append(f"page {number} trim size is {got} pt, expected {want} pt")
    return out


_RGB = {"rg", "RG"}


def _pdfx_problems(data: bytes) -> list[str]:
    """PDF/X-1a (ISO 15930-4): an output intent, no RGB colour, no annotation on a page."""
    import pikepdf

    out = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        intents = pdf.Root.get("/OutputIntents", [])
        if not any(i.get("/S") == "/GTS_PDFX" for i in intents):
            out.append("no PDF/X output intent")
        for number, page in enumerate(pdf.pages, 1):
            if page.get("/Annots"):
                out.append(f"page {number} has annotations (links): PDF/X prints, it is not clicked")
            used = _operators(page) | {op for x in _forms(page) for op in _operators(x)}
            if used & _RGB or "/DeviceRGB" in _colour_spaces(page):
                out.append(f"page {number} uses RGB colour: print files are CMYK")
    return out


def _operators(obj) -> set[str]:
    import pikepdf

    return {str(op) for _, op in pikepdf.parse_content_stream(obj)}


def _forms(page):
    """Form XObjects drawn on a page (SVG images become forms), nested ones too."""
    pending = list(page.get("/Resources", {}).get("/XObject", {}).values())
    while pending:
        xobject = pending.pop()
        if xobject.get("/Subtype") == "/Form":
            yield xobject
            pending.extend(xobject.get("/Resources", {}).get("/XObject", {}).values())


def _colour_spaces(page) -> set[str]:
    spaces = page.get("/Resources", {}).get("/ColorSpace", {})
    return {str(v) for v in spaces.values()}


def _bleed_problems(reader: PdfReader, bleed_mm: float) -> list[str]:
    want = bleed_mm * POINTS_PER_MM
    out = []
    for number, page in enumerate(reader.pages, 1):
        trim, bleed = page.trimbox, page.bleedbox
        edges = (float(trim.left) - float(bleed.left), float(trim.bottom) - float(bleed.bottom),
                 float(bleed.right) - float(trim.right), float(bleed.top) - float(trim.top))
        if any(abs(e - want) > 0.5 for e in edges):
            out.append(f"page {number} bleed is {[round(e, 1) for e in edges]} pt, "
                       f"expected {want:.1f} pt on every side")
    return out


def _outline_titles(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _outline_titles(item)
        else:
            yield item.title
