"""Check a finished PDF against what it must be, before it is written.

Public verb: `verify(data, expect, where) -> (pages, problems)`. The checks are the
properties a reader of the PDF relies on: tagged (PDF/UA-1, ISO 14289-1 7.1), the
document language (7.2), the title shown by viewers (7.1: DisplayDocTitle), bookmarks
from the headings (7.15); the page count, trim size and bleed; and for print files the
rules of PDF/X-1a a print shop's preflight would apply.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf

from ..errors import Location, Problem

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


def verify(data: bytes, expect: Expect, where: Location) -> tuple[int, list[Problem]]:
    """The PDF's page count, and a problem for each way it is not what `expect` says."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        found = _problems(pdf, expect) + (_pdfx_problems(pdf) if expect.pdfx else [])
        pages = len(pdf.pages)
    return pages, [Problem(where, f"PDF check: {message}") for message in found]


def _problems(pdf, expect: Expect) -> list[str]:
    root, found = pdf.Root, []
    if expect.tagged:
        if not root.get("/MarkInfo", {}).get("/Marked"):
            found.append("not tagged: /MarkInfo /Marked is missing")
        if "/StructTreeRoot" not in root:
            found.append("no structure tree")
        if str(root.get("/Lang", "")) != expect.language:
            found.append(f"document language is {str(root.get('/Lang', ''))!r}, expected "
                         f"{expect.language!r}")
    if expect.ua and not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle"):
        found.append("viewers would show the file name: DisplayDocTitle is not set")
    title = str(pdf.docinfo.get("/Title", "")) or None
    if title != expect.title:
        found.append(f"title is {title!r}, expected {expect.title!r}")
    found += _size_problems(pdf, expect.size_mm)
    if expect.bleed_mm:
        found += _bleed_problems(pdf, expect.bleed_mm)
    if expect.pages is not None and len(pdf.pages) != expect.pages:
        found.append(f"{len(pdf.pages)} pages, expected {expect.pages}")
    if expect.headings:
        with pdf.open_outline() as outline:
            titles = tuple(_outline_titles(outline.root))
        if titles != expect.headings:
            found.append(f"bookmarks {list(titles)} differ from the headings "
                         f"{list(expect.headings)}")
    return found


def _box(page, name: str) -> tuple[float, ...]:
    box = page.obj.get(name) or page.obj.get("/MediaBox")
    return tuple(float(v) for v in box)


def _size_problems(pdf, size_mm: tuple[float, float]) -> list[str]:
    want = tuple(round(v * POINTS_PER_MM, 1) for v in size_mm)
    out = []
    for number, page in enumerate(pdf.pages, 1):
        left, bottom, right, top = _box(page, "/TrimBox")
        got = (round(right - left, 1), round(top - bottom, 1))
        if any(abs(g - w) > 0.5 for g, w in zip(got, want)):
            out.append(f"page {number} trim size is {got} pt, expected {want} pt")
    return out


def _bleed_problems(pdf, bleed_mm: float) -> list[str]:
    want = bleed_mm * POINTS_PER_MM
    out = []
    for number, page in enumerate(pdf.pages, 1):
        trim, bleed = _box(page, "/TrimBox"), _box(page, "/BleedBox")
        edges = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
        if any(abs(e - want) > 0.5 for e in edges):
            out.append(f"page {number} bleed is {[round(e, 1) for e in edges]} pt, "
                       f"expected {want:.1f} pt on every side")
    return out


def _outline_titles(items):
    for item in items:
        yield item.title
        yield from _outline_titles(item.children)


_RGB = {"rg", "RG"}


def _pdfx_problems(pdf) -> list[str]:
    """PDF/X-1a (ISO 15930-4): an output intent, no RGB colour, no annotation on a page."""
    out = []
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
    """The RGB colour operators a content stream uses (pikepdf filters them in C++)."""
    return {str(op) for _, op in pikepdf.parse_content_stream(obj, " ".join(sorted(_RGB)))}


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


