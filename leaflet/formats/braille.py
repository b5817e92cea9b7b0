"""The braille-ready file (BRF) of the leaflet, made with liblouis from page.outline.

Public verbs: `render(outline, layout) -> bytes`, `table(language)`, `problems(data,
layout)` and `back_translate(data, language)`. Translation is liblouis's command-line
`lou_translate` (Debian's liblouis-bin, installed by tools/system_deps.py): the Python
binding is not on PyPI, and Debian's python3-louis serves only the system Python, so
the CLI is what a fresh `make setup` reproduces. Every string of a language goes through
one `lou_translate` process per table, one line per string. Romanian's table is the
project's own (styles/braille/ro-6dot.utb, on liblouis's 6-dot include files): liblouis
3.24 has no 6-dot Romanian one.

BRF is North American ASCII braille: each cell is one of the 64 characters from space to
underscore (0x20-0x5F), lines end in CR LF and pages are separated by form feeds. Text is
translated to Unicode braille dots (liblouis's `unicode.dis`) and each cell then written
as `en-us-brf.dis`, liblouis's display table for BRF, says. A cell with dots 7 or 8 has
no BRF character, and a character a table does not know comes out as liblouis's escape
'\\x....', whose backslash is such a cell: both are refused, naming the character and
the string it came from. BRF is read back through `en-us-brf.dis` itself.

Layout (UKAAF, Guiding Principles for the Presentation of Braille, 2016, and RNIB's
house style): the braille page number at the right-hand end of the first line of
every page; main headings centred with a blank line before and after; sub-headings
from cell 1 after a blank line; paragraphs begin in cell 3 with runovers in cell 1;
list items in cell 1 with runovers in cell 3; the emergency box between box lines of
dots 2356, kept on one page; addresses in computer braille on lines of their own.
"""
from __future__ import annotations

import os
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import BuildError, Location, Problem

DISPLAY = "en-us-brf.dis"  # liblouis's display table for North American ASCII braille
DOTS = "unicode.dis"  # liblouis's display table for Unicode braille patterns
COMPUTER = "en-us-comp6.ctb"  # 6-dot computer braille: one cell per character of an address
BRF = frozenset(chr(c) for c in range(0x20, 0x60))
BOX = "7"  # dots 2356, the box line
CHUNK = 400  # characters a string is cut into for lou_translate (it splits lines of ~2000 cells)
# The project's own tables (styles/braille/): lou_translate runs in this folder, and
# liblouis looks for a table named on its command line in the current folder first.
OWN_TABLES = Path(__file__).resolve().parents[2] / "styles" / "braille"


@dataclass(frozen=True)
class Table:
    """A language's liblouis table list (its own table first), and what it is."""

    files: tuple[str, ...]
    grade: str
    backward: bool = True  # liblouis can translate this braille back to print


# docs/braille.md says why each was chosen; the first one installed is used.
TABLES = {
    "en-GB": (Table(("en-ueb-g2.ctb",), "Unified English Braille, grade 2 (contracted)"),),
    "pl": (Table(("pl.tbl",), "Polish, uncontracted"),),
    # Our own, on liblouis's 6-dot include files: liblouis 3.24 (Debian 12) has only
    # 8-dot Romanian tables, and ro-g0.utb (3.27 and later) is not in Debian 12.
    "ro": (Table(("ro-6dot.utb",), "Romanian 6-dot, uncontracted"),),
    "lt": (Table(("lt-6dot.tbl",), "Lithuanian 6-dot, uncontracted"),),
    "pt-PT": (Table(("pt.tbl",), "Portuguese, grade 2 (contracted)"),),
    # Not the contracted ar-ar-g2.ctb: its contractions collide with numbers (3-6 and 75%
    # come back as words), and the numbers are the clinical facts.
    "ar": (Table(("ar.tbl",), "Arabic, uncontracted (grade 1)"),),
    # The Urdu table defines no Latin letters, brackets, % or quotes; the Arabic braille
    # core (Urdu braille's parent code) gives those it lacks.
    "ur": (Table(("ur-pk-g2.ctb", "ar-ar-g1-core.uti"), "Urdu, grade 2 (contracted)"),),
    "bn": (Table(("bn.tbl",), "Bengali (Bharati braille), grade 1"),),
    "zh-Hans": (Table(("zhcn-g1.ctb",), "Chinese current braille with tones (phonetic)",
                      backward=False),),
}
# Letters the Bengali table knows only precomposed; Unicode keeps them decomposed (they
# are composition exclusions), so they are composed here: the same text (UAX #15).
_COMPOSED = {"\u09a1\u09bc": "\u09dc", "\u09a2\u09bc": "\u09dd", "\u09af\u09bc": "\u09df",
             # bn.tbl has no danda; Bharati braille writes it as dots 256, the cell of
             # the full stop (as liblouis's devanagari.cti does, which cannot be added:
             # its letters would take over the number sign in backward translation).
             "\u0964": "."}


@dataclass(frozen=True)
class Layout:
    """The braille page: cells a line, lines a page (the first holds the page number)."""

    width: int = 40
    lines: int = 25


def folders() -> list[Path]:
    """Where liblouis looks for tables: the folder it runs in (the project's own
    tables), then LOUIS_TABLEPATH, then its data folders, as liblouis does."""
    paths = [Path(p) for p in os.environ.get("LOUIS_TABLEPATH", "").split(",") if p]
    return [OWN_TABLES] + paths + [Path("/usr/share/liblouis/tables"), Path("/usr/local/share/liblouis/tables")]


def table(language: str) -> Table | None:
    """The first of the language's tables that is installed, or None."""
    for candidate in TABLES.get(language, ()):
        if all(any((f / name).is_file() for f in folders()) for name in candidate.files):
            return candidate
    return None


def why_not(language: str) -> str:
    names = ", ".join(n for t in TABLES.get(language, ()) for n in t.files) or "none known"
    return (f"no 6-dot braille table for this language is installed (looked for {names} "
            f"in {', '.join(str(f) for f in folders())})")


@lru_cache(maxsize=1)
def version() -> str:
    """liblouis's version (part of the outputs' key: another version, other braille)."""
    try:
        run = subprocess.run(["lou_translate", "--version"], capture_output=True, text=True,
                             timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "missing"
    return run.stdout.splitlines()[0] if run.stdout else "missing"


def translate(lines: list[str], tables: tuple[str, ...], backward: bool = False,
              where: str = "") -> list[str]:
    """Each line in braille (BRF), or each BRF line back in print, through one process."""
    if not lines:
        return []
    # lou_translate reads backslash escapes (\x0041) in its input: a backslash is doubled.
    given = "".join(line.replace("\\", "\\\\") + "\n" for line in lines)
    try:
        run = subprocess.run(["lou_translate", *(["-b"] if backward else []),
                              ",".join((DISPLAY if backward else DOTS, *tables))], input=given,
                             capture_output=True, text=True, timeout=120, cwd=OWN_TABLES)
    except (OSError, subprocess.SubprocessError) as exc:
        raise BuildError([Problem(Location(where or "braille"), "cannot run lou_translate "
                                  f"(liblouis-bin; make setup installs it): {exc}")])
    out = run.stdout.split("\n")
    if run.returncode or len(out) != len(lines) + 1:
        raise BuildError([Problem(Location(where or "braille"), f"lou_translate with "
                                  f"{','.join(tables)} failed: {run.stderr.strip()[:300]}")])
    if backward:
        return out[:-1]
    cells = _cells()
    # A cell BRF has no character for becomes U+FFFD, which no check lets through.
    return ["".join(cells.get(c, "\ufffd") for c in line) for line in out[:-1]]


@lru_cache(maxsize=1)
def _cells() -> dict[str, str]:
    """Unicode braille pattern -> its BRF character, as liblouis's en-us-brf.dis says."""
    for folder in folders():
        if (folder / DISPLAY).is_file():
            break
    found = {}
    for line in (folder / DISPLAY).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "display":
            char = " " if parts[1] == "\\s" else parts[1].replace("\\\\", "\\")
            bits = sum(1 << (int(d) - 1) for d in parts[2] if d != "0")
            found[chr(0x2800 + bits)] = char
    return found


def render(outline, layout: Layout = Layout(), where: str = "") -> bytes:
    """The outline as a BRF file: title page, then the body, pages of `layout`."""
    chosen = table(outline.language)
    if chosen is None:
        raise BuildError([Problem(Location(where or outline.language), why_not(outline.language))])
    cells = _Cells(outline, chosen, where)
    pages = _Pages(layout, cells.stamp)
    for block in outline.title_page:
        pages.add(block, cells)
    pages.new_page()
    for block in outline.body:
        pages.add(block, cells)
    numbers = cells.numbers(len(pages.pages))
    text = "\f".join("\r\n".join(_furnished(page, numbers[n], pages.stamp, layout))
                     + "\r\n" for n, page in enumerate(pages.pages))
    data = text.encode("ascii")
    found = problems(data, layout)
    if found:
        raise BuildError([Problem(Location(where or outline.language), p) for p in found])
    return data


class _Cells:
    """Every string of an outline in braille: translated in one batch per table."""

    def __init__(self, outline, chosen: Table, where: str):
        self.where = where
        self.language = outline.language
        texts: dict[str, list[str]] = {outline.language: []}
        addresses = []
        for block in _blocks(outline):
            for run in block.runs:
                if run.address:
                    addresses.append(run.text)
                else:
                    texts.setdefault(block.language or outline.language, []).append(run.text)
        texts[outline.language] += [outline.draft or ""] + [str(n) for n in range(1, 100)]
        # A notice in another language (the English one) is in that language's braille.
        self.literary = {language: self._batch(strings, (table(language) or chosen).files)
                         for language, strings in texts.items()}
        self.computer = self._batch(addresses, (COMPUTER,))
        self.stamp = self.literary[outline.language].get(outline.draft or "", "")

    def _batch(self, strings: list[str], tables: tuple[str, ...]) -> dict[str, str]:
        unique = list(dict.fromkeys(s.strip() for s in strings if s.strip()))
        pieces = [(i, piece) for i, s in enumerate(unique) for piece in _chunks(composed(s))]
        out = translate([p for _, p in pieces], tables, where=self.where)
        joined: dict[int, list[str]] = {}
        for (i, _), cells in zip(pieces, out):
            joined.setdefault(i, []).append(cells)
        result = {s: " ".join(joined[i]) for i, s in enumerate(unique)}
        unknown = unknown_characters("".join(unique), tables)
        bad = [s for s, b in result.items() if not set(b) <= BRF or set(s) & unknown]
        if bad:
            raise BuildError([Problem(Location(self.where or "braille"), _unknown(s, tables))
                              for s in bad])
        return result

    def words(self, run, language: str = "") -> list[str]:
        cells = self.computer if run.address else self.literary[language or self.language]
        return [w for w in cells.get(run.text.strip(), "").split(" ") if w]

    def numbers(self, count: int) -> list[str]:
        return [self.literary[self.language].get(str(n), "") for n in range(1, count + 1)]


def _blocks(outline):
    for block in (*outline.title_page, *outline.body):
        yield from getattr(block, "blocks", (block,))


def composed(text: str) -> str:
    """`text` as the tables read it: the same characters, and every decimal digit as an
    ASCII digit of the same value (bn.tbl writes Bengali digits as letters without the
    number sign; ASCII digits get it, and braille numbers do not depend on the script)."""
    for decomposed, letter in _COMPOSED.items():
        text = text.replace(decomposed, letter)
    return "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c
                   for c in text)


def _chunks(text: str) -> list[str]:
    """`text` cut at spaces into pieces lou_translate keeps on one line."""
    words, out, current = text.split(" "), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > CHUNK:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return out + [current] if current else out


def unknown_characters(text: str, tables: tuple[str, ...]) -> set[str]:
    """The characters of `text` the tables cannot write in 6-dot BRF. liblouis writes an
    unknown character as the text '\\xhhhh' between apostrophes, in cells the table may
    well have (a 6-dot backslash): each character is translated alone, and one that comes
    out as such an escape, or with a dot-7/8 cell, is unknown."""
    chars = sorted(set(composed(text)) - {" "})
    cells = translate(["'", *chars], tables)
    apostrophe, cells = cells[0], cells[1:]
    return {c for c, b in zip(chars, cells) if not set(b) <= BRF or (
        len(b) >= 6 and b.startswith(apostrophe) and b.endswith(apostrophe))}


def _unknown(text: str, tables: tuple[str, ...]) -> str:
    """Which characters of `text` the tables cannot write in 6-dot BRF, named."""
    unknown = unknown_characters(text, tables)
    named = [f"'{c}' (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})"
             for c in sorted(unknown)]
    return (f"{', '.join(named) or 'a character'} cannot be written in 6-dot braille (BRF) "
            f"with {','.join(tables)}: in {text[:60]!r}")


class _Pages:
    """Lines laid out into pages; a page's first line is kept for its number."""

    def __init__(self, layout: Layout, stamp: str):
        self.layout = layout
        self.stamp = stamp
        self.pages: list[list[str]] = [[]]

    @property
    def room(self) -> int:
        return self.layout.lines - 1 - len(self.pages[-1])

    def new_page(self) -> None:
        if self.pages[-1]:
            self.pages.append([])

    def put(self, lines: list[str], keep: int = 1) -> None:
        """Add lines; the first `keep` of them are not left alone at a page's foot."""
        if self.room < min(keep, len(lines)):
            self.new_page()
        for line in lines:
            if self.room < 1:
                self.new_page()
            self.pages[-1].append(line)

    def blank(self) -> None:
        if self.pages[-1] and self.pages[-1][-1] and self.room > 1:
            self.pages[-1].append("")

    def add(self, block, cells: _Cells) -> None:
        width = self.layout.width
        if hasattr(block, "blocks"):  # the emergency box: kept together, between box lines
            parts = [_lines(inner, cells, width) for inner in block.blocks]
            # On one page when it fits on one; a longer box starts a page, so that it
            # runs over the fewest pages, and no red flag is split between two pages.
            if sum(map(len, parts)) + 3 > self.room:
                self.new_page()
            self.blank()
            self.put([BOX * width] + parts[0], keep=1 + len(parts[0]) + 1)
            for part in parts[1:]:
                self.put(part, keep=len(part))
            self.put([BOX * width])
            return
        lines = _lines(block, cells, width)
        if block.kind == "heading":
            self.blank()
            self.put(lines, keep=len(lines) + 2)  # a heading is never left at a page's foot
            if block.level < 3:
                self.blank()
        else:
            self.put(lines)


def _lines(block, cells: _Cells, width: int) -> list[str]:
    """A block's braille lines: headings centred (level 1-2) or from cell 1, paragraphs
    from cell 3 with runovers in cell 1, list items from cell 1 with runovers in cell 3.
    An address starts a line of its own and is broken only where it must be."""
    if block.kind == "heading" and block.level < 3:
        words = [w for run in block.runs for w in cells.words(run, block.language)]
        return [line.center(width).rstrip() for line in _wrap(words, width - 6, 0, 0)]
    first, runover = {"paragraph": (2, 0), "notice": (2, 0), "item": (0, 2)}.get(
        block.kind, (0, 2))
    lines: list[str] = []
    words: list[str] = []

    def flush():
        if words:
            lines.extend(_wrap(words, width, first if not lines else runover, runover))
            words.clear()

    for run in block.runs:
        if run.address:
            flush()
            indent = first if not lines else runover
            lines.extend(_address(cells.words(run), width, indent))
        else:
            words.extend(cells.words(run, block.language))
    flush()
    return lines


def _wrap(words: list[str], width: int, first: int, runover: int) -> list[str]:
    """Words filled into lines of `width` cells; a word longer than a line (Chinese
    braille has no spaces between words) is broken where the line ends."""
    lines, line = [], " " * first
    for word in words:
        while True:
            gap = 1 if line.strip() else 0
            if len(line) + gap + len(word) <= width:
                line += " " * gap + word
                break
            room = width - len(line) - gap
            if len(word) > width - runover and (room >= 4 or not gap):
                line, word = line + " " * gap + word[:room], word[room:]
            lines.append(line)
            line = " " * runover
    if line.strip():
        lines.append(line)
    return lines


def _address(words: list[str], width: int, indent: int) -> list[str]:
    """An address on lines of its own, broken after a / . or - where it is too long."""
    address, lines = " ".join(words), []
    room = width - indent
    while len(address) > room:
        cut = max(address.rfind(c, 0, room) for c in "/.-") + 1 or room
        lines.append(" " * indent + address[:cut])
        address = address[cut:]
    return lines + [" " * indent + address]


def _furnished(page: list[str], number: str, stamp: str, layout: Layout) -> list[str]:
    """The page with its first line: the draft stamp on the left, the braille page
    number at the right-hand end (UKAAF)."""
    top = stamp.ljust(layout.width - len(number) - 3) + "   " + number if stamp \
        else number.rjust(layout.width)
    return [top, *page]


def problems(data: bytes, layout: Layout = Layout()) -> list[str]:
    """What makes `data` not a BRF file of `layout`: characters outside BRF, lines over
    the width, pages over the length."""
    found = []
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        return ["not ASCII: BRF is the ASCII braille set"]
    for number, page in enumerate(text.split("\f"), 1):
        lines = page.split("\r\n")
        if lines[-1] == "":
            lines.pop()
        if len(lines) > layout.lines:
            found.append(f"braille page {number} has {len(lines)} lines; at most {layout.lines}")
        for n, line in enumerate(lines, 1):
            if len(line) > layout.width:
                found.append(f"braille page {number} line {n} has {len(line)} cells; "
                             f"at most {layout.width}")
            if not set(line) <= BRF:
                found.append(f"braille page {number} line {n}: characters outside BRF "
                             f"{sorted(set(line) - BRF)}")
    return found


def pages(data: bytes) -> list[list[str]]:
    """The lines of each page of a BRF file, the page-number line left out."""
    return [[line for line in page.split("\r\n")[1:]]
            for page in data.decode("ascii").split("\f")]


def back_translate(lines: list[str], language: str) -> list[str]:
    """BRF lines in print again, with the language's own table (liblouis backward)."""
    chosen = table(language)
    if chosen is None or not chosen.backward:
        raise ValueError(f"{language}: no table that translates braille back")
    return translate(lines, chosen.files, backward=True)
