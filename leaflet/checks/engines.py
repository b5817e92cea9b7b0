"""A PDF as the engines patients' viewers and printers use draw it and read it back.

Public verbs:
- `drawings(path) -> {engine: Drawing}`: every page drawn by pdfium (Chrome, Edge,
  Android), Poppler (Linux viewers), MuPDF (SumatraPDF, phone apps: Debian's `mutool`,
  and a current release through PyMuPDF), Ghostscript (CUPS, print-shop RIPs) and pdf.js
  (Firefox), in grey at `DPI`, with each engine's warnings;
- `faults(path) -> [Fault]`: where an engine draws the text with glyphs missing or
  different from what the others draw, and any engine that says something while
  drawing (strict, as the build is);
- `text(path, engine) -> [str]`: each page's text as Poppler, pdfium, pdf.js or MuPDF
  (Debian's and the current one) extracts it (copy, search, screen readers);
- `margins(path) -> [Margin]`: how near each font on each page comes to the thresholds
  in each engine (what they were set from).

How the drawings are compared. Only where text is: a page's drawings differ elsewhere for
reasons no reader minds (pdfium draws thin rules fainter). pdfium gives each glyph's box
(its advance, the font's ascent to descent) from a copy of the file without /ActualText,
which pdfium would otherwise spread evenly over a whole run. The drawings are aligned to
pdfium's (engines round the page to whole pixels differently: up to 2 px), turned into
ink (255 - grey) and blurred a little (1-2-1 in each direction) against anti-aliasing
differences; the per-pixel median of the voters is what most engines draw. In each
glyph's box:
- contrast, the standard deviation of the ink: a glyph is **missing** in an engine whose
  contrast is under MISSING times the second highest of the five voters (VOTERS: one
  engine per code base; the current MuPDF is judged, not voting), so that two engines at
  least draw something there, and one engine drawing junk cannot set the bar;
- difference, the sum of squared differences from the median over the median's own
  variance in the box. One glyph's difference is noisy at this resolution (pdfium places
  Nastaliq glyphs up to 2 px off), so it is judged per font and page: an engine draws a
  font's glyphs **different** when the median difference of that font's glyphs on the
  page (those it draws at all, at least MIN_GLYPHS) is over DIFFERENT. A font whose codes
  select the wrong glyphs (ISO 32000-1 9.7.4.2) shows as that.
The thresholds were measured on the project's own PDFs (`margins`, make
engine-thresholds, docs/engines.md); tests/test_engines.py shows the check failing on a font that
MuPDF and Ghostscript draw blank, and on one whose glyphs they draw swapped.
"""
from __future__ import annotations

import ctypes
import io
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..errors import BuildError, Location, Problem

# "mupdf" is the system's mutool (Debian 12: MuPDF 1.21, the old-engine figure);
# "pymupdf" the MuPDF that PyMuPDF's wheel bundles (1.28, as current viewers ship).
ENGINES = ("pdfium", "poppler", "mupdf", "ghostscript", "pdfjs", "pymupdf")
# What most engines draw is taken over one engine per code base, the first VOTERS: the
# current MuPDF draws with the same library as Debian's (a second vote for it would let
# the two MuPDFs outvote the rest), so it is judged against the others without a vote.
VOTERS = 5
TEXT_ENGINES = ("poppler", "pdfium", "pdfjs", "mupdf", "pymupdf")
PDFJS = Path(__file__).resolve().parent / "pdfjs.mjs"
DPI = 100  # 9 pt text is 12 px high; at 72 dpi a sound full stop came within 0.27 of MISSING
# Measured on every page of a full build (make engine-thresholds; docs/engines.md): the lowest
# contrast of a sound glyph was 0.44, a blank one's 0; the highest median difference of a
# sound font 0.27, of one whose glyphs were swapped for others 0.47.
MISSING = 0.2
DIFFERENT = 0.35
MIN_GLYPHS = 5  # fewer glyphs of a font on a page are too few for a median
EXACT_FROM = 0.1  # margins: plain medians over this are taken at the glyphs' best offsets
FLOOR = 4.0  # contrast (ink levels) under which nothing is drawn in a box
# What an engine may say about itself rather than the file: Debian's MuPDF is built
# without LittleCMS, and draws an ICC-based colour space as its alternate (ISO 32000-1
# 8.6.5.5), as a viewer without colour management does.
HARMLESS = ("warning: ICC support is not available",)
ALIGN = 2  # pixels an engine's page may be offset from pdfium's
SHIFT = 1  # pixels a glyph may be offset from where most engines draw it


@dataclass(frozen=True)
class Drawing:
    """One PDF as one engine draws it."""

    engine: str
    pages: tuple  # per page, a numpy uint8 array of grey levels, rows from the top
    warnings: tuple[str, ...]  # what the engine said while drawing
    error: str | None = None  # why it drew no page, or fewer pages than the file has


@dataclass(frozen=True)
class Glyphs:
    """The glyphs of one page, as pdfium places them."""

    boxes: np.ndarray  # n x 4: left, top, right, bottom in pixels at the dpi asked for
    text: tuple[str, ...]  # the characters each glyph stands for
    fonts: tuple[str, ...]  # each glyph's font (its PDF name, subset tag included)


@dataclass(frozen=True)
class Fault:
    """An engine draws some glyphs of one font on one page missing or different; or it
    said something while drawing the file, or failed to draw a page."""

    page: int  # from 1; 0 for the whole file
    engine: str
    problem: str  # "missing", "different"; "said" (warnings), "not drawn" (a page)
    font: str
    count: int  # glyphs of the font on the page that are missing or different; messages
    total: int  # glyphs of the font on the page that were judged
    text: str  # the first of them, as text; the first message
    at: tuple[float, float]  # where the first is: points from the page's top left

    def __str__(self) -> str:
        if self.problem == "not drawn":
            return f"page {self.page}: {self.engine}: not drawn: {self.text}"
        if self.problem == "said":
            return f"{self.engine} said {self.count} thing(s) while drawing, first: {self.text}"
        x, y = self.at
        return (f"page {self.page}: {self.engine}: {self.count} of {self.total} glyphs of "
                f"{self.font} {self.problem}, first {self.text!r} at x {x:.0f} pt, "
                f"y {y:.0f} pt from the top left")


def faults(path: Path, dpi: int = DPI) -> list[Fault]:
    """Every font and page whose glyphs an engine draws missing or different, and every
    engine that warned while drawing (none does on a sound file: strict, as the build is;
    MuPDF says FT_Load_Glyph for a glyph it cannot draw)."""
    drawn = drawings(path, dpi)
    found = []
    for number, glyphs in enumerate(page_glyphs(path, dpi), 1):
        pages = {}
        for engine, drawing in drawn.items():
            if number <= len(drawing.pages):
                pages[engine] = drawing.pages[number - 1]
            else:
                found.append(Fault(number, engine, "not drawn", "", 0, 0,
                                   drawing.error or "the engine drew fewer pages", (0, 0)))
        if len(pages) == len(ENGINES) and len(glyphs.text):
            found += _page_faults(number, pages, glyphs, dpi)
    said = {engine: [w for w in d.warnings if w not in HARMLESS] + ([d.error] if d.error else [])
            for engine, d in drawn.items()}
    return found + [Fault(0, engine, "said", "", len(lines), 0, lines[0], (0.0, 0.0))
                    for engine, lines in said.items() if lines]


# ------------------------------------------------------------------------ drawing

def drawings(path: Path, dpi: int = DPI) -> dict[str, Drawing]:
    """Every page of the PDF drawn by each engine at `dpi`."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="engines-") as tmp:
        tmp = Path(tmp)
        return {
            "pdfium": _pdfium(path, dpi),
            "poppler": _command("poppler", tmp, "p-", [
                "pdftoppm", "-r", str(dpi), "-gray", str(path), str(tmp / "p")]),
            "mupdf": _command("mupdf", tmp, "m-", [
                "mutool", "draw", "-q", "-r", str(dpi), "-c", "gray",
                "-o", str(tmp / "m-%d.pgm"), str(path)]),
            # without the AlphaBits options Ghostscript does not anti-alias text
            "ghostscript": _command("ghostscript", tmp, "g-", [
                "gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pgmraw",
                "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4", f"-r{dpi}",
                f"-sOutputFile={tmp / 'g-%d.pgm'}", str(path)]),
            "pdfjs": _pdfjs(path, dpi, tmp),
            "pymupdf": _pymupdf(path, dpi),
        }


def _pdfium(path: Path, dpi: int) -> Drawing:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        return Drawing("pdfium", (), (), str(exc))
    try:
        pages = tuple(page.render(scale=dpi / 72, grayscale=True).to_numpy().copy()
                      for page in document)
    finally:
        document.close()
    return Drawing("pdfium", pages, ())


def _pymupdf(path: Path, dpi: int) -> Drawing:
    """The current MuPDF, in process; what it says is collected, not printed."""
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_warnings(reset=True)
    pages, error = [], None
    try:
        with pymupdf.open(path) as document:
            for page in document:
                pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
                rows = np.frombuffer(pixmap.samples, np.uint8).reshape(
                    pixmap.height, pixmap.stride)
                pages.append(rows[:, :pixmap.width].copy())
    except (RuntimeError, ValueError) as exc:  # PyMuPDF's FileDataError is a RuntimeError
        error = f"PyMuPDF: {exc}"
    said = tuple(line for line in pymupdf.TOOLS.mupdf_warnings(reset=True).splitlines()
                 if line.strip())
    return Drawing("pymupdf", tuple(pages), said, error)


def _command(engine: str, tmp: Path, prefix: str, argv: list[str]) -> Drawing:
    from PIL import Image

    done = _run(argv)
    files = sorted(tmp.glob(prefix + "*.pgm"), key=lambda f: int(re.findall(r"\d+", f.name)[-1]))
    pages = []
    for file in files:
        with Image.open(file) as image:
            pages.append(np.asarray(image.convert("L")))
        file.unlink()
    said = tuple(line for line in (done.stdout + done.stderr).splitlines() if line.strip())
    error = None if done.returncode == 0 else f"{argv[0]} exited {done.returncode}: " + (
        said[-1] if said else "no message")
    return Drawing(engine, tuple(pages), said, error)


def _pdfjs(path: Path, dpi: int, tmp: Path) -> Drawing:
    [result], said = _node("render", str(dpi), str(tmp), str(path))
    pages = tuple(np.fromfile(tmp / f"0-{n}.gray", np.uint8).reshape(p["height"], p["width"])
                  for n, p in enumerate(result["pages"], 1))
    return Drawing("pdfjs", pages, tuple(result["warnings"]) + said, result["error"])


def _node(*args: str) -> tuple[list, tuple]:
    """pdfjs.mjs's JSON answer, and what Node said on stderr."""
    done = _run(["node", str(PDFJS), *args])
    try:
        return json.loads(done.stdout), tuple(done.stderr.splitlines())
    except json.JSONDecodeError:
        raise BuildError([Problem(Location(str(PDFJS)), "pdf.js failed: " + (
            done.stderr.strip().splitlines() or ["no message"])[-1] + " (make setup "
            "installs it from package-lock.json)")]) from None


def _run(argv: list[str]) -> subprocess.CompletedProcess:
    if shutil.which(argv[0]) is None:
        raise BuildError([Problem(Location(argv[0]), "not installed: make setup installs "
                                  "it (tools/system_deps.py)")])
    return subprocess.run(argv, capture_output=True, text=True, errors="replace")


# ------------------------------------------------------------------------ glyphs

def page_glyphs(path: Path, dpi: int = DPI) -> list[Glyphs]:
    """Each page's glyphs, placed as pdfium draws the page at `dpi`."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    found = []
    name = ctypes.create_string_buffer(256)
    document = pdfium.PdfDocument(_without_actual_text(path))
    for page in document:
        text = page.get_textpage()
        glyphs: dict = {}  # box -> [characters, font]: a glyph standing for several
        for i in range(text.count_chars()):
            char = chr(raw.FPDFText_GetUnicode(text, i))
            if raw.FPDFText_IsGenerated(text, i) or char.isspace():
                continue
            box = tuple(round(v, 2) for v in text.get_charbox(i, loose=True))
            if box[2] <= box[0] or box[3] <= box[1]:
                continue  # the second and later characters of a ligature or conjunct
            raw.FPDFText_GetFontInfo(text, i, name, len(name), None)
            entry = glyphs.setdefault(box, ["", name.value.decode("latin-1")])
            entry[0] += char
        boxes = np.array(list(glyphs), float).reshape(-1, 4)
        found.append(Glyphs(_to_pixels(page, dpi)(boxes), tuple(g[0] for g in glyphs.values()),
                            tuple(g[1] for g in glyphs.values())))
    document.close()
    return found


def _without_actual_text(path: Path) -> bytes:
    """The PDF without /ActualText, in memory: glyph by glyph positions for pdfium."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        owners = list(pdf.pages) + [o for o in pdf.objects if isinstance(o, pikepdf.Stream)
                                    and o.get("/Subtype") == "/Form"]
        for owner in owners:
            operations, changed = [], False
            for operands, operator in pikepdf.parse_content_stream(owner):
                if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                        and "/ActualText" in operands[1]:
                    operands = [operands[0], pikepdf.Dictionary(
                        {k: v for k, v in operands[1].items() if k != "/ActualText"})]
                    changed = True
                operations.append((operands, operator))
            if changed:
                data = pikepdf.unparse_content_stream(operations)
                if isinstance(owner, pikepdf.Page):
                    owner.obj.Contents = pdf.make_stream(data)
                else:
                    owner.write(data)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _to_pixels(page, dpi: int):
    """From boxes in page space (left, bottom, right, top) to boxes in pdfium's drawing
    (left, top, right, bottom in pixels), as pdfium places the page (a print file's
    MediaBox starts at -8.5 pt)."""
    import pypdfium2.raw as raw

    fine = 64  # FPDF_PageToDevice gives whole device pixels: ask at 64 times the size
    width, height = (round(v * dpi / 72 * fine) for v in page.get_size())
    x, y = ctypes.c_int(), ctypes.c_int()

    def device(px: float, py: float) -> tuple[float, float]:
        raw.FPDF_PageToDevice(page, 0, 0, width, height, 0, px, py, x, y)
        return x.value / fine, y.value / fine
    (ox, oy), (ax, ay), (bx, by) = device(0, 0), device(100, 0), device(0, 100)
    matrix = np.array([[ax - ox, bx - ox], [ay - oy, by - oy]]) / 100

    def to_pixels(boxes: np.ndarray) -> np.ndarray:
        corners = np.stack([c @ matrix.T + (ox, oy) for c in (
            boxes[:, [0, 1]], boxes[:, [2, 3]], boxes[:, [0, 3]], boxes[:, [2, 1]])])
        return np.concatenate([corners.min(0), corners.max(0)], 1)
    return to_pixels


# ------------------------------------------------------------------------ comparing

@dataclass(frozen=True)
class _Compared:
    """One page's six drawings, aligned, as blurred ink, cut to where its glyphs are."""

    ink: np.ndarray  # engines x rows x columns, ENGINES order
    median: np.ndarray  # per pixel, the median of the five voters
    boxes: np.ndarray  # glyphs x (top, left, bottom, right), whole pixels in `ink`
    sums: np.ndarray  # engines x 2 x glyphs: the sum of the ink, and of its square, per box

    @property
    def area(self) -> np.ndarray:
        return (self.boxes[:, 2] - self.boxes[:, 0]) * (self.boxes[:, 3] - self.boxes[:, 1])

    def without(self, rows: tuple[int, ...]) -> _Compared:
        """The same page with the median taken over the other engines only."""
        others = np.delete(self.ink[:VOTERS], [r for r in rows if r < VOTERS], axis=0)
        return replace(self, median=np.median(others, axis=0).astype(np.int64))


def _compared(pages: dict, glyphs: Glyphs) -> _Compared:
    h = min(p.shape[0] for p in pages.values())
    w = min(p.shape[1] for p in pages.values())
    first = pages[ENGINES[0]][:h, :w]
    ink = np.stack([_blurred(_aligned(first, pages[e][:h, :w])) for e in ENGINES])
    # glyphs at the page's edge keep SHIFT pixels inside it, for the shifted comparison;
    # the rest of the page is left out (summed-area tables are most of the work)
    boxes = _pixel_boxes(glyphs.boxes, h, w, SHIFT)
    top, left = boxes[:, :2].min(0) - SHIFT
    bottom, right = boxes[:, 2:].max(0) + SHIFT
    ink = ink[:, top:bottom, left:right]
    boxes = boxes - (top, left, top, left)
    sums = np.stack([np.stack([_box_sums(layer, boxes), _box_sums(layer * layer, boxes)])
                     for layer in ink])
    return _Compared(ink, np.partition(ink[:VOTERS], 2, axis=0)[2], boxes, sums)


def _contrasts(page: _Compared) -> np.ndarray:
    """Engines x glyphs: the standard deviation of the ink in each glyph's box."""
    area = page.area
    s1, s2 = page.sums[:, 0], page.sums[:, 1]
    return np.sqrt(np.maximum(s2 * area - s1 * s1, 0)) / np.maximum(area, 1) / 16


def _differences(page: _Compared) -> np.ndarray:
    """Engines x glyphs: the sum of squared differences from the median in each glyph's
    box, over the median's own sum of squared deviations there (0: the same; 1 or more:
    nothing like it)."""
    area, boxes, median = page.area, page.boxes, page.median
    m1, m2 = _box_sums(median, boxes), _box_sums(median * median, boxes)
    spread = np.maximum(m2 * area - m1 * m1, 1)
    cross = np.stack([_box_sums(layer * median, boxes) for layer in page.ink])
    return (page.sums[:, 1] - 2 * cross + m2) * area / spread


def _shifted_differences(page: _Compared, row: int, which: np.ndarray) -> np.ndarray:
    """`_differences` of the glyphs `which` in one engine, each at the best of the
    offsets up to SHIFT pixels: engines round glyph positions differently (Poppler to a
    quarter pixel, pdfium Nastaliq by up to 2 px), and a 9 pt stem is one pixel wide."""
    layer, median = page.ink[row], page.median
    found = []
    for top, left, bottom, right in page.boxes[which]:
        ref = median[top:bottom, left:right]
        spread = max(float(((ref - ref.mean()) ** 2).sum()), 1.0)
        found.append(min(float(((layer[top + dy:bottom + dy, left + dx:right + dx] - ref) ** 2)
                               .sum()) for dy in range(-SHIFT, SHIFT + 1)
                         for dx in range(-SHIFT, SHIFT + 1)) / spread)
    return np.array(found)


@dataclass(frozen=True)
class Margin:
    """How near one font's glyphs on one page, in one engine, come to the thresholds."""

    page: int
    engine: str
    font: str
    glyphs: int  # judged: drawn by two engines at least
    contrast: float  # the lowest contrast of a glyph over the second highest (MISSING)
    difference: float | None  # the median difference of the glyphs it draws (DIFFERENT)


def margins(path: Path, dpi: int = DPI) -> list[Margin]:
    """Every font on every page in every engine, measured as `faults` judges it: what
    the thresholds were set from (tools/engine_thresholds.py)."""
    drawn = drawings(path, dpi)
    found = []
    for number, glyphs in enumerate(page_glyphs(path, dpi), 1):
        if len(glyphs.text) and all(len(d.pages) >= number for d in drawn.values()):
            pages = {e: d.pages[number - 1] for e, d in drawn.items()}
            found += [Margin(number, ENGINES[j.row], j.font, int(j.mine.sum()), j.contrast,
                             j.difference) for j in _judged(pages, glyphs, EXACT_FROM)]
    return found


@dataclass(frozen=True)
class _Judgement:
    font: str
    row: int  # the engine, in ENGINES order
    mine: np.ndarray  # which glyphs of the page are the font's, judged
    lost: np.ndarray  # indices of the glyphs missing in the engine
    contrast: float
    difference: float | None  # None: under MIN_GLYPHS drawn, or the engine drew it blank
    over: np.ndarray  # indices of the drawn glyphs whose difference is over DIFFERENT


def _page_faults(number: int, pages: dict, glyphs: Glyphs, dpi: int) -> list[Fault]:
    found = []
    for j in _judged(pages, glyphs, DIFFERENT):
        engine, total = ENGINES[j.row], int(j.mine.sum())
        if len(j.lost):
            found.append(_fault(number, engine, "missing", j.font, j.lost, total, glyphs, dpi))
        if j.difference is not None and j.difference > DIFFERENT:
            found.append(_fault(number, engine, "different", j.font, j.over,
                                total - len(j.lost), glyphs, dpi))
    return found


def _judged(pages: dict, glyphs: Glyphs, exact_from: float):
    """A judgement for each font of the page in each engine. The glyphs' differences
    are taken at their best offsets only where the plain median is over `exact_from`
    (the shifted difference is never more than the plain one)."""
    page = _compared(pages, glyphs)
    contrast = _contrasts(page)
    second = np.sort(contrast[:VOTERS], 0)[-2]
    judged = second >= FLOOR
    ratio = contrast / np.maximum(second, FLOOR)
    missing = judged & (ratio < MISSING)
    references = {}
    fonts = np.array(glyphs.fonts)
    for font in dict.fromkeys(glyphs.fonts):
        mine = judged & (fonts == font)
        if not mine.any():
            continue
        # engines that draw most of the font blank are left out of the median the
        # others are compared with: two blank engines of five voters would make it fainter
        blank = tuple(row for row in range(len(ENGINES))
                      if 2 * (mine & missing[row]).sum() > mine.sum())
        if blank not in references:
            reference = page.without(blank) if blank else page
            references[blank] = reference, _differences(reference)
        reference, difference = references[blank]
        for row in range(len(ENGINES)):
            drawn = np.flatnonzero(mine & ~missing[row])
            median, over = None, drawn[:0]
            if row not in blank and len(drawn) >= MIN_GLYPHS:
                median = float(np.median(difference[row, drawn]))
                if median > exact_from:
                    shifted = _shifted_differences(reference, row, drawn)
                    median, over = float(np.median(shifted)), drawn[shifted > DIFFERENT]
            yield _Judgement(font, row, mine, np.flatnonzero(mine & missing[row]),
                             float(ratio[row, mine].min()), median, over)


def _fault(number, engine, problem, font, which, total, glyphs, dpi) -> Fault:
    left, top = glyphs.boxes[which[0], :2] * 72 / dpi
    return Fault(number, engine, problem, font, len(which), int(total),
                 glyphs.text[which[0]], (float(left), float(top)))


def _aligned(reference: np.ndarray, image: np.ndarray) -> np.ndarray:
    """`image` moved by whole pixels to lie best on `reference` (ink profiles of rows
    and columns compared; engines place the page on the pixel grid differently)."""
    def offset(a: np.ndarray, b: np.ndarray) -> int:
        n, r = len(a), ALIGN
        return min(range(-r, r + 1), key=lambda d: np.abs(a[r:n - r] - b[r - d:n - r - d]).sum())
    ref, img = reference.astype(np.float32), image.astype(np.float32)
    shift = (offset(ref.mean(1), img.mean(1)), offset(ref.mean(0), img.mean(0)))
    return np.roll(image, shift, (0, 1))


def _blurred(grey: np.ndarray) -> np.ndarray:
    """Ink (255 - grey), blurred by 1-2-1 in each direction: 16 times the ink, exactly."""
    ink = np.pad(255 - grey.astype(np.int64), 1, mode="edge")
    rows = ink[:-2] + 2 * ink[1:-1] + ink[2:]
    return rows[:, :-2] + 2 * rows[:, 1:-1] + rows[:, 2:]


def _pixel_boxes(boxes: np.ndarray, h: int, w: int, inset: int) -> np.ndarray:
    """Glyph boxes as whole pixels (top, left, bottom, right), `inset` inside the page."""
    return np.stack([np.floor(boxes[:, 1]).clip(inset, h - inset),
                     np.floor(boxes[:, 0]).clip(inset, w - inset),
                     np.ceil(boxes[:, 3]).clip(inset, h - inset),
                     np.ceil(boxes[:, 2]).clip(inset, w - inset)], 1).astype(int)


def _box_sums(image: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """The sum of `image` in each box, from its summed-area table (exact integers)."""
    table = np.zeros((image.shape[0] + 1, image.shape[1] + 1), np.int64)
    np.cumsum(np.cumsum(image, 0), 1, out=table[1:, 1:])
    top, left, bottom, right = boxes.T
    return table[bottom, right] - table[top, right] - table[bottom, left] + table[top, left]


# ------------------------------------------------------------------------ text

def text(path: Path, engine: str) -> list[str]:
    """Each page's text as `engine` (one of TEXT_ENGINES) extracts it."""
    path = Path(path)
    if engine == "pdfium":
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(path)
        try:
            return [page.get_textpage().get_text_range() for page in document]
        finally:
            document.close()
    if engine == "poppler":
        out = _run(["pdftotext", "-enc", "UTF-8", str(path), "-"]).stdout
        return out.split("\f")[:-1]
    if engine == "mupdf":
        out = _run(["mutool", "draw", "-q", "-F", "txt", "-o", "-", str(path)]).stdout
        return out.split("\f")[:-1]
    if engine == "pdfjs":
        [result], _ = _node("text", str(path))
        return result["pages"]
    if engine == "pymupdf":
        import pymupdf

        pymupdf.TOOLS.mupdf_display_errors(False)
        with pymupdf.open(path) as document:
            return [page.get_text() for page in document]
    raise ValueError(f"no text engine {engine!r}: one of {', '.join(TEXT_ENGINES)}")
