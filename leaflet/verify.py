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


def verify(data: bytes, expect: Expect, where: Location) -> list[Problem]:
    reader = PdfReader(io.BytesIO(data))
    found = []
    root = reader.trailer["/Root"]
    if expect.tagged:
        if not root.get("/MarkInfo", {}).get("/Marked"):
            found.append("not tagged: /MarkInfo /Marked is missing")
        if "/StructTreeRoot" not in root:
            found.append("no structure tree")
        if not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle"):
            found.append("viewers would show the file name: DisplayDocTitle is not set")
    if str(root.get("/Lang", "")) != expect.language:
        found.append(f"document language is {root.get('/Lang')!r}, expected {expect.language!r}")
    title = (reader.metadata or {}).get("/Title")
    if title != expect.title:
        found.append(f"title is {title!r}, expected {expect.title!r}")
    found += _size_problems(reader, expect.size_mm)
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


def _outline_titles(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _outline_titles(item)
        else:
            yield item.title
