"""The leaflet as UTF-8 plain text, from page.outline: for e-mail, for copying an excerpt
into a text message, and for screen readers.

Public verb: `render(outline) -> bytes`. No markup: the title is underlined with =,
sections are numbered (1., 1.1) and underlined with -, list items start with "- ",
addresses are written out in full, and the emergency box is a section of its own
between rule lines, its red flags as a list. Every paragraph is one line, so mail
programs wrap it to the reader's window and any line can be copied whole.

Right to left (Arabic, Urdu): a line whose first strong character is left to right
(a bracketed English term, an address) would be shown left to right by the Unicode
bidirectional algorithm's rule P2; such a line, and only such a line, starts with
U+200F RIGHT-TO-LEFT MARK. An address inside right-to-left text is isolated with
U+2066 LEFT-TO-RIGHT ISOLATE ... U+2069, as in the PDF (UAX #9, sections 3.3.2, 2.7).
"""
from __future__ import annotations

import unicodedata

RLM, LRI, PDI = "\u200f", "\u2066", "\u2069"
MARKS = (RLM, LRI, PDI)
RULE = "=" * 40


def render(outline) -> bytes:
    rtl = outline.direction == "rtl"
    lines: list[str] = []
    if outline.draft:
        lines += [outline.draft, ""]
    numbers = [0, 0]
    for block in outline.title_page:
        lines += _block(block, rtl, None)
    for block in outline.body:
        if hasattr(block, "blocks"):
            lines += ["", RULE]
            for inner in block.blocks:
                lines += _block(inner, rtl, None)
            lines += [RULE]
            continue
        number = None
        if block.kind == "heading":
            if block.level == 2:
                numbers[:] = [numbers[0] + 1, 0]
                number = f"{numbers[0]}."
            else:
                numbers[1] += 1
                number = f"{numbers[0]}.{numbers[1]}"
        lines += _block(block, rtl, number)
    if outline.draft:
        lines += ["", outline.draft]
    return ("\n".join(lines).strip("\n") + "\n").encode("utf-8")


def _block(block, rtl: bool, number: str | None) -> list[str]:
    rtl = rtl and not block.language  # the English notice reads left to right
    text = _text(block, rtl)
    if block.kind == "heading":
        heading = f"{number} {text}" if number else text
        underline = "=" if block.level == 1 else "-" if block.level == 2 else ""
        return ["", _directed(heading, rtl)] + (
            [underline * _width(heading)] if underline else [])
    if block.kind == "item":
        return [_directed(f"- {text}", rtl)]
    return [_directed(text, rtl)] if block.kind == "field" else ["", _directed(text, rtl)]


def _text(block, rtl: bool) -> str:
    out = []
    for n, run in enumerate(block.runs):
        # An address inside right-to-left text reads left to right, isolated.
        isolate = rtl and run.address and any(r.text.strip() for r in block.runs[:n])
        out.append(f"{LRI}{run.text}{PDI}" if isolate else run.text)
    return "".join(out)


def _directed(line: str, rtl: bool) -> str:
    """The line, with a right-to-left mark first where bidi rule P2 would otherwise
    make a right-to-left line left to right."""
    return RLM + line if rtl and _first_strong(line) == "L" else line


def _first_strong(text: str) -> str:
    depth = 0
    for c in text:
        if c == LRI:
            depth += 1
        elif c == PDI:
            depth -= 1
        elif depth == 0:
            kind = unicodedata.bidirectional(c)
            if kind in ("L", "R", "AL"):
                return "R" if kind == "AL" else kind
    return ""


def _width(text: str) -> int:
    """Columns the text takes in a monospaced font: wide (CJK) characters take two,
    marks none."""
    return sum(0 if unicodedata.combining(c) or c in MARKS else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def strings(data: bytes) -> str:
    """The text without its direction marks (what the tests compare with the catalog)."""
    text = data.decode("utf-8")
    for mark in MARKS:
        text = text.replace(mark, "")
    return text
