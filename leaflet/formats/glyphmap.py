"""Character codes that give every glyph drawn its own Unicode text.

WeasyPrint 70 writes a glyph's index as its character code and maps each glyph to
Unicode once per font: the text of the cluster where it was first drawn, or nothing for
the second and later glyphs of a cluster. So a Bengali pre-base vowel, a conjunct or a
Nastaliq letter drawn as several glyphs (its body, its dots) maps to the wrong text or
to none. That breaks ISO 14289-1 7.21.7 (every character code shown maps to Unicode)
and the text of every engine that reads the glyphs' mapping rather than /ActualText:
pdf.js (Firefox) and MuPDF (SumatraPDF, phone apps).

Here each line is written again from the shaper's glyphs and clusters, so that:
- a cluster's text is split over its glyphs so that, read in content order, the
  pieces give the cluster's text: in logical order for a left-to-right run, reversed
  for a right-to-left one (its glyphs are drawn left to right, and the engines reverse
  a right-to-left line back into reading order);
- a cluster with more glyphs than characters (a Nastaliq letter and its dots, the two
  parts of a Bengali vowel sign around its consonant) has its extra glyphs drawn as one
  composite glyph, added to the embedded TrueType font with each part where the shaper
  put it, so every code drawn stands for at least one character (ISO 14289-1 7.21.7)
  and the text stays exactly the catalog's;
- in a right-to-left run, a letter and the combining marks on it, and a word whose
  letters sit at several heights (Nastaliq), are one composite glyph too: extractors
  misplace a mark drawn on its own and split a sloping word into lines (measured in
  four engines: docs/engines.md, "Text in every engine");
- a glyph already given another text gets a new code, sent to the glyph by the
  descendant font's CIDToGIDMap (ISO 32000-1 9.7.4.2: several CIDs may select one glyph
  of a CIDFontType2), with its width in /W and its text in the ToUnicode CMap (9.10.3).
The positions written are WeasyPrint's own (its numbers), so the page looks as before;
the runs of a line are written in reading (logical) order, each moved to its place, and
each run's glyphs left to right: pdf.js and MuPDF read runs in content order, and
reverse each right-to-left one by itself (pdf.js `bidi`, run per text item), so a
number, a Latin word or a dash in another font inside an Arabic line comes back where it
is read; Poppler and pdfium order runs by position. `install()` patches WeasyPrint;
`groups` is the splitting rule.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..errors import BuildError, Location, Problem


@dataclass(frozen=True)
class Glyph:
    """One glyph of a line as Pango shaped it (None for a zero-width empty glyph)."""
    font: object  # WeasyPrint's pdf.fonts.Font
    size: float
    glyph: int | None
    width: int  # Pango units
    x_offset: int
    y_offset: int


def groups(text: str, glyphs: int, rtl: bool) -> list[tuple[int, str]]:
    """How a cluster of `glyphs` glyphs (drawn left to right) standing for `text` (in
    logical order) is written: (number of glyphs drawn as one, its text) for each code,
    left to right. Joined, the texts read `text` (reversed for a right-to-left run);
    none is empty."""
    chars = list(reversed(text)) if rtl else list(text)
    if glyphs <= len(chars):
        return [(1, c) for c in chars[:glyphs - 1]] + [(1, "".join(chars[glyphs - 1:]))]
    return [(glyphs - len(chars) + 1, chars[0])] + [(1, c) for c in chars[1:]]


@lru_cache(maxsize=1)
def install() -> None:
    """Patch WeasyPrint 70 (once per process)."""
    import weasyprint
    import weasyprint.pdf
    from weasyprint.draw import text
    from weasyprint.pdf.fonts import Font

    assert weasyprint.__version__ == "70.0", "re-check glyphmap for this WeasyPrint"
    draw_first_line = text.draw_first_line
    build_fonts_dictionary = weasyprint.pdf.build_fonts_dictionary
    clean = Font.clean

    def drawn(stream, textbox, *args):
        start, font = len(stream.stream), stream._current_font
        emojis = draw_first_line(stream, textbox, *args)
        if len(stream.stream) > start:
            _write_line(stream, start, font, textbox)
        return emojis

    def cleaned(font, *args):
        clean(font, *args)
        if getattr(font, "leaflet_file", {}).get("parts"):
            font.file_content = _with_composites(font)

    def fonts_dictionary(pdf, fonts, *args):
        _share_composites(fonts.values())
        references = build_fonts_dictionary(pdf, fonts, *args)
        for font in fonts.values():
            if getattr(font, "leaflet_codes", None):
                _rewrite_font(pdf, font, references[font.hash])
        return references

    text.draw_first_line = drawn
    Font.clean = cleaned
    weasyprint.pdf.build_fonts_dictionary = fonts_dictionary


def _share_composites(fonts) -> None:
    """Fonts of one file (WeasyPrint embeds the file once, cleaning it through the
    first of them) all get every composite, numbered the same way."""
    by_file: dict[str, list] = {}
    for font in fonts:
        by_file.setdefault(font.hash, []).append(font)
    for same in by_file.values():
        shared = {"parts": {}, "first": None}  # parts -> width; first composite's index
        for font in same:
            for parts, width in getattr(font, "leaflet_composites", {}).items():
                shared["parts"].setdefault(parts, width)
        for font in same:
            font.leaflet_file = shared


def _write_line(stream, start: int, font, textbox) -> None:
    """Give the glyphs of the line WeasyPrint wrote from `start` codes of our own:
    where WeasyPrint's own codes already say what each glyph stands for (every cluster
    one glyph, left to right, each glyph standing for what it stood for before), they
    are kept; otherwise the line's text operators (its text matrix kept) are written
    again with the same glyphs at the same places. `font` is the stream's font before
    the line (WeasyPrint's Stream writes Tf only when the font changes)."""
    written = stream.stream[start:]
    if not written[0].endswith(b" Tm") or not all(
            op.endswith((b" Tf", b"] TJ", b" Ts")) for op in written[1:]):
        raise AssertionError("glyphmap: WeasyPrint 70 wrote a line differently")
    runs = list(_runs(stream, textbox))
    if all(_kept(run) for run in runs):
        return
    del stream.stream[start + 1:]
    stream._current_font = font
    placed, x = [], 0.0  # each run's codes, its start and end (text space units)
    for run in runs:  # Pango's runs are in visual order, left to right
        glyphs = _glyphs(run)
        codes, end = _placements(glyphs, run.rtl, run.texts, run.clusters)
        placed.append((run, bool(glyphs), codes, end, x, x + end * run.size / 1000))
        x = placed[-1][5]
    pen = 0.0
    for run, drawn, codes, end, begin, after in sorted(placed, key=lambda p: p[0].offset):
        if drawn:
            stream.set_font_size(run.font.hash, run.size)
        _show_run(stream, codes, end, (pen - begin) * 1000 / run.size)
        pen = after


@dataclass(frozen=True)
class Run:
    """A run of one font and direction in a line, as Pango shaped it."""
    font: object  # WeasyPrint's pdf.fonts.Font
    size: float
    rtl: bool
    ids: list  # glyph indices, None for a zero-width empty glyph
    clusters: list  # each glyph's cluster (its text's start in the run)
    texts: dict  # cluster -> its text
    offset: int  # where its text starts in the line (bytes): its logical order
    geometry: object  # Pango's glyph infos (read only when the line is written again)


def _runs(stream, textbox):
    """Each run of the line."""
    from weasyprint.text.ffi import ffi, pango

    line, _ = textbox.pango_layout.get_first_line()
    utf8 = textbox.pango_layout.text.encode()
    run = line.runs[0]
    while run != ffi.NULL:
        item = run.data
        run = run.next
        font, size = stream.add_font(item.item.analysis.font)
        if font.bitmap or font.svg or font.png or font.colr:
            raise AssertionError(f"glyphmap: {font.family}: colour or bitmap font")
        count, infos = item.glyphs.num_glyphs, item.glyphs.glyphs
        ids = []
        for i in range(count):
            glyph = infos[i].glyph
            if glyph == pango.PANGO_GLYPH_EMPTY:
                glyph = None
            elif glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                glyph = font.get_unused_glyph_id(glyph - pango.PANGO_GLYPH_UNKNOWN_FLAG)
            ids.append(glyph)
        clusters = list(ffi.unpack(item.glyphs.log_clusters, count)) if count else []
        offset, length = item.item.offset, item.item.length
        yield Run(font, size, bool(item.item.analysis.level % 2), ids, clusters,
                  _cluster_texts(utf8[offset:offset + length], clusters, ids), offset, infos)


def _kept(run: Run) -> bool:
    """Whether WeasyPrint's codes for the run are already ours: left to right, every
    cluster one glyph, and every glyph's code standing for its text (given now if the
    glyph is new)."""
    if run.rtl or None in run.ids or len(set(run.clusters)) != len(run.clusters):
        return False
    codes = run.font.__dict__.setdefault("leaflet_codes", {})
    given = run.font.__dict__.setdefault("leaflet_given", set())
    pairs = list(zip(run.ids, (run.texts[c] for c in run.clusters)))
    if len(set(pairs)) != len(set(run.ids)):  # a glyph standing for two texts here
        return False
    if any(codes.get(pair, glyph if glyph not in given else None) != glyph
           for pair, glyph in zip(pairs, run.ids)):
        return False
    for glyph, text in pairs:
        _code(run.font, glyph, text)
    return True


def _glyphs(run: Run) -> list[Glyph]:
    return [Glyph(run.font, run.size, glyph, run.geometry[i].geometry.width,
                  run.geometry[i].geometry.x_offset, run.geometry[i].geometry.y_offset)
            for i, glyph in enumerate(run.ids)]


def _cluster_texts(utf8: bytes, clusters: list[int], ids: list) -> dict[int, str]:
    """Each cluster's text by its start, without bidi controls. A cluster with no glyph
    drawn (a zero-width joiner shaped to nothing) gives its text to the cluster before
    it in logical order, or after it at the start of a run, so no character is lost."""
    starts = sorted(set(clusters))
    drawn = {clusters[i] for i, glyph in enumerate(ids) if glyph is not None}
    texts: dict[int, str] = {}
    pending, last = "", None
    for index, begin in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(utf8)
        piece = utf8[begin:end].decode()
        if begin in drawn:
            piece = piece.translate(_NOT_TEXT) or piece  # a glyph drawn for one
        else:
            piece = piece.translate(_NOT_TEXT)
        if begin in drawn:
            texts[begin], pending, last = pending + piece, "", begin
        elif last is not None:
            texts[last] += piece
        else:
            pending += piece
    # A run drawn as nothing at all has nothing to carry its text: a joiner alone
    # between runs of two fonts is lost from the text (it shows as nothing either).
    if any(unicodedata.category(c) != "Cf" for c in pending):
        raise BuildError([Problem(Location("PDF"), f"the text {pending!r} was drawn with "
                                  "no glyph, so it would be missing from the PDF's text")])
    return texts


# The isolates and marks the layout puts around text of the other direction (the
# catalog check refuses them in translations): not text, and removed by the bidi
# algorithm itself (UAX #9, X9), so no code maps to them.
_BIDI_CONTROLS = dict.fromkeys([0x200E, 0x200F, *range(0x202A, 0x202F),
                                *range(0x2066, 0x206A)])
# U+200B ZERO WIDTH SPACE and U+2060 WORD JOINER, which say only where a line may break
# (UAX #14 classes ZW and WJ): the PDFs' addresses get them around each hyphen
# (leaflet/layout/page.py `address_lines`). Not text either: a copied address must be
# the address, character for character, so no code maps to them, nor /ActualText.
LINE_BREAK_CONTROLS = dict.fromkeys([0x200B, 0x2060])
_NOT_TEXT = _BIDI_CONTROLS | LINE_BREAK_CONTROLS


@dataclass(frozen=True)
class Placed:
    """A code drawn: where (thousandths of the font size from the run's start), how
    high (Ts, in text space units, as WeasyPrint writes it) and its width (in /W)."""
    code: int
    x: float
    rise: float
    width: float


def _show_run(stream, placed: list, end: float, pen: float) -> None:
    """Write a run's codes where WeasyPrint 70 puts its glyphs (`_placements`), the pen
    at `pen` (thousandths of the font size from the run's start) and left at `end`:
    TJ numbers move the pen (ISO 32000-1 9.4.3), Ts raises a glyph; codes in a row
    share one string."""
    parts: list[bytes] = []
    for p in placed:
        parts += _moved(pen, p.x)
        if p.rise:
            _show(stream, parts)
            parts = []
            stream.set_text_rise(-p.rise)
            stream.show_text(b"<%04x>" % p.code)
            stream.set_text_rise(0)
        elif parts and parts[-1].endswith(b">"):
            parts[-1] = parts[-1][:-1] + b"%04x>" % p.code
        else:
            parts.append(b"<%04x>" % p.code)
        pen = p.x + p.width
    _show(stream, parts + _moved(pen, end))


def _moved(pen: float, x: float) -> list[bytes]:
    """The TJ number that moves the pen from `pen` to `x` (a positive one moves it
    back), none if it is under a millionth of the font size."""
    number = _number(pen - x)
    return [] if number == b"0" else [number]


def _show(stream, parts: list[bytes]) -> None:
    if parts:
        stream.show_text(b"".join(
            part if i == 0 or part.startswith(b"<") or parts[i - 1].endswith(b">")
            else b" " + part for i, part in enumerate(parts)))


def _placements(glyphs: list[Glyph], rtl: bool, texts: dict,
                clusters: list) -> tuple[list[Placed], float]:
    """Each code of the run placed as WeasyPrint 70 places its glyphs (its x offsets
    and integer kerning, its text rise), and where the run ends."""
    from weasyprint.text.ffi import FROM_UNITS

    origins: dict[int, tuple] = {}  # glyph -> x, rise, pen before and after it
    pen = 0.0
    for i, g in enumerate(glyphs):
        if g.glyph is None:  # a zero-width empty glyph: WeasyPrint's own advance
            pen += g.width / g.size
            continue
        offset = g.x_offset / g.size
        width = g.font.widths[g.glyph]
        kerning = width + offset - g.width * 1000 * FROM_UNITS / g.size
        before = pen
        pen += offset + width - (int(kerning) if kerning else 0)
        origins[i] = (before + offset, g.y_offset / 1000, before, pen)
    placed = []
    for members, text in _grouped(glyphs, rtl, texts, clusters):
        first = glyphs[members[0]]
        x, rise, _, _ = origins[members[0]]
        if len(members) == 1:
            placed.append(Placed(_code(first.font, first.glyph, text), x, rise,
                                 first.font.widths[first.glyph]))
        else:
            code, x, width = _composite([glyphs[j] for j in members],
                                        [origins[j] for j in members], text)
            placed.append(Placed(code, x, 0, width))
    return placed, pen


def _grouped(glyphs: list[Glyph], rtl: bool, texts: dict, clusters: list):
    """(indices of the glyphs drawn as one code, its text) for the run, left to right.

    Left to right: each cluster as `groups` says. Right to left, what the engines'
    extractors were measured to read back best (docs/engines.md, "Text in every engine"): a
    word whose glyphs sit at more than one height (Nastaliq's sloping words) is one
    composite glyph, as extractors split lines by height; otherwise a letter and the
    combining marks on it are one (extractors misplace a mark drawn apart), the rest
    as `groups` says. Their texts are reversed: the engines reverse a right-to-left
    line into reading order."""
    spans = []  # (first, end) glyph indices of each cluster, in drawing order
    for i, cluster in enumerate(clusters):
        if spans and clusters[spans[-1][0]] == cluster:
            spans[-1] = (spans[-1][0], i + 1)
        else:
            spans.append((i, i + 1))
    units = _words(spans, glyphs, texts, clusters) if rtl else [[span] for span in spans]
    for unit in units:
        members = [j for a, b in unit for j in range(a, b) if glyphs[j].glyph is not None]
        if not members:
            continue
        if len(unit) == 1:
            at = 0
            for count, piece in groups(texts[clusters[unit[0][0]]], len(members), rtl):
                yield members[at:at + count], piece
                at += count
        else:
            yield members, "".join(texts.get(clusters[a], "")[::-1] for a, _ in unit)


def _words(spans, glyphs, texts, clusters) -> list[list[tuple[int, int]]]:
    """The clusters of a right-to-left run (drawing order) in the units drawn as one:
    a word whose letters sit at more than one height, a letter with its marks, or a
    cluster alone."""
    words, word = [], []
    for span in spans:
        if texts.get(clusters[span[0]], " ").isspace():
            words += [word, [span]] if word else [[span]]
            word = []
        else:
            word.append(span)
    if word:
        words.append(word)
    units = []
    for word in words:
        heights = {glyphs[j].y_offset for a, b in word for j in range(a, b)
                   if glyphs[j].glyph is not None and glyphs[j].width}  # marks: no width
        if len(heights) > 1:
            units += _chunks(word, texts, clusters)
            continue
        # drawn right to left, a letter's marks come before it
        unit = []
        for span in word:
            unit.append(span)
            if not _is_mark(texts, clusters, span[0]):
                units.append(unit)
                unit = []
        if unit:
            units.append(unit)
    return units


# MuPDF 1.21 (Debian 12) ignores a ToUnicode mapping of more than 8 UTF-16 units.
LONGEST_TEXT = 8


def _chunks(word, texts, clusters) -> list[list[tuple[int, int]]]:
    """A word's clusters in runs whose text is at most LONGEST_TEXT UTF-16 units, each
    drawn as one glyph; a letter is never parted from its marks."""
    chunks, chunk, size = [], [], 0
    for span in word:
        length = len(texts.get(clusters[span[0]], "").encode("utf-16-be")) // 2
        if chunk and size + length > LONGEST_TEXT and not _is_mark(texts, clusters, span[0]) \
                and not _is_mark(texts, clusters, chunk[-1][0]):
            chunks.append(chunk)
            chunk, size = [], 0
        chunk.append(span)
        size += length
    return chunks + [chunk] if chunk else chunks


def _is_mark(texts: dict, clusters: list, glyph: int) -> bool:
    """Whether the glyph's cluster is a combining mark (drawn on the letter before it)."""
    text = texts.get(clusters[glyph], "")
    return bool(text) and unicodedata.category(text[0]) in ("Mn", "Me")


def _number(value: float) -> bytes:
    """A PDF number (ISO 32000-1 7.3.3: no exponent), to a millionth of the font size."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return b"0" if text in ("", "-0") else text.encode()


def _composite(part: list[Glyph], origins: list, text: str) -> tuple[int, float, float]:
    """The code, place and width of several glyphs drawn as one composite glyph, each
    part where WeasyPrint would draw it (`origins`: x in thousandths of the font size,
    rise in text space units, the pen before and after it). The composite starts where
    the pen is before its first part, not where that part is drawn (a mark is moved
    onto its letter): a gap before it would read as a space in pdf.js."""
    font = part[0].font
    x0, end = origins[0][2], origins[-1][3]
    scale = font.upem / 1000
    components = tuple((g.glyph, round((x - x0) * scale), round(-rise / g.size * 1000 * scale))
                       for g, (x, rise, _, _) in zip(part, origins))
    composites = font.__dict__.setdefault("leaflet_composites", {})  # parts -> width
    width = composites.setdefault(components, max(0, round(end - x0)))
    return _code(font, components, text), x0, width


def _code(font, glyph, text: str) -> int:
    """The code for `glyph` (an index, or a composite's parts) standing for `text`: the
    glyph's index the first time it is drawn, else a new code after the font's glyphs."""
    codes = font.__dict__.setdefault("leaflet_codes", {})  # (glyph, text) -> code
    given = font.__dict__.setdefault("leaflet_given", set())  # glyphs drawn as themselves
    if (glyph, text) not in codes:
        if isinstance(glyph, int) and glyph not in given:
            codes[(glyph, text)] = glyph
            given.add(glyph)
        else:
            codes[(glyph, text)] = (font.glyph_count + len(font.missing)
                                    + len(codes) - len(given))
        if codes[(glyph, text)] > 0xFFFF:
            raise BuildError([Problem(Location(font.family), "more than 65,536 glyph "
                                      "codes in one font")])
    return codes[(glyph, text)]


def _with_composites(font) -> bytes:
    """The subset font with the composite glyphs drawn, after its own glyphs (in the
    order they were first drawn), as a TrueType font (ISO/IEC 14496-22 5.3.3.1: composite
    glyph descriptions; CFF has none)."""
    import io

    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._g_l_y_f import Glyph as TTGlyph, GlyphComponent

    # Glyphs not touched stay as compiled (recalcBBoxes=False: maxp is not recomputed
    # from every glyph); the composites' own bounds and maxp's component counts are set.
    tt = TTFont(io.BytesIO(font.file_content), recalcTimestamp=False, recalcBBoxes=False)
    if "glyf" not in tt:
        raise BuildError([Problem(Location(font.family), "a cluster needs a composite "
                                  "glyph, and the font is not TrueType")])
    order = tt.getGlyphOrder()
    font.leaflet_file["first"] = len(order)
    for n, (parts, width) in enumerate(font.leaflet_file["parts"].items()):
        glyph = TTGlyph()
        glyph.numberOfContours = -1
        glyph.components = []
        for name, dx, dy in _flat(tt["glyf"], [(order[i], dx, dy) for i, dx, dy in parts]):
            component = GlyphComponent()
            component.glyphName, component.x, component.y, component.flags = name, dx, dy, 0
            glyph.components.append(component)
        name = f"leaflet.composite{n}"
        headers = [(_header(tt["glyf"], c.glyphName), c.x, c.y) for c in glyph.components]
        drawn = [(h, x, y) for h, x, y in headers if h[0]]  # a space has no outline
        if drawn:  # the union of the parts' boxes, each where it is put
            glyph.xMin = min(h[1] + x for h, x, _ in drawn)
            glyph.yMin = min(h[2] + y for h, _, y in drawn)
            glyph.xMax = max(h[3] + x for h, x, _ in drawn)
            glyph.yMax = max(h[4] + y for h, _, y in drawn)
        else:
            glyph.xMin = glyph.yMin = glyph.xMax = glyph.yMax = 0
        tt["glyf"].glyphs[name] = glyph
        order.append(name)
        tt["hmtx"].metrics[name] = (round(width * font.upem / 1000), glyph.xMin)
        maxp = tt["maxp"]
        maxp.maxCompositePoints = max(maxp.maxCompositePoints, sum(h[5] for h, _, _ in headers))
        maxp.maxCompositeContours = max(maxp.maxCompositeContours,
                                        sum(h[0] for h, _, _ in headers))
        maxp.maxComponentElements = max(maxp.maxComponentElements, len(glyph.components))
        maxp.maxComponentDepth = max(maxp.maxComponentDepth, 1)
    tt.setGlyphOrder(order)
    tt["glyf"].glyphOrder = order
    out = io.BytesIO()
    tt.save(out)
    return out.getvalue()


def _flat(glyf, parts):
    """Components that are themselves composite replaced by their own parts: measured,
    pdfium and MuPDF drop a mark from a composite whose other part is a composite."""
    for name, dx, dy in parts:
        if _header(glyf, name)[0] >= 0:
            yield name, dx, dy
            continue
        glyph = glyf[name]  # a composite: decompiled (few are)
        if not all(hasattr(c, "x") and not hasattr(c, "transform") for c in glyph.components):
            raise BuildError([Problem(Location(name), "a composite glyph with scaled or "
                                      "anchored parts cannot be drawn as a part")])
        yield from _flat(glyf, [(c.glyphName, dx + c.x, dy + c.y) for c in glyph.components])


def _header(glyf, name: str) -> tuple[int, int, int, int, int, int]:
    """A simple or empty glyph's contours, box and points, from its compiled header
    (ISO/IEC 14496-22 5.3.3), without decompiling (and so recompiling) its outline."""
    import struct

    glyph = glyf.glyphs[name]
    data = getattr(glyph, "data", None)
    if data is None:  # already decompiled
        if not getattr(glyph, "numberOfContours", 0):
            return 0, 0, 0, 0, 0, 0
        points = len(glyph.coordinates) if glyph.numberOfContours > 0 else 0
        return (glyph.numberOfContours, glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax,
                points)
    if not data:
        return 0, 0, 0, 0, 0, 0
    contours, x0, y0, x1, y1 = struct.unpack(">hhhhh", data[:10])
    points = (struct.unpack(">H", data[8 + 2 * contours:10 + 2 * contours])[0] + 1
              if contours > 0 else 0)
    return contours, x0, y0, x1, y1, points


def _rewrite_font(pdf, font, reference: bytes) -> None:
    """The font's /W, CIDToGIDMap, CIDSet and ToUnicode CMap for the codes given."""
    import pydyf

    def obj(ref):
        return pdf.objects[int(ref.split()[0])]

    shared = font.leaflet_file  # composites follow the subset's own glyphs
    numbers = {parts: shared["first"] + n for n, parts in enumerate(shared["parts"])}
    codes = {}  # code -> (glyph index, width, text)
    for (glyph, text), code in font.leaflet_codes.items():
        if isinstance(glyph, int):
            codes[code] = (glyph, font.widths[glyph], text)
        else:
            codes[code] = (numbers[glyph], font.leaflet_composites[glyph], text)
    font_dictionary = obj(reference)
    subfont = obj(font_dictionary["DescendantFonts"][0])
    subfont["W"] = _widths({code: width for code, (_, width, _) in codes.items()})
    if any(code != glyph for code, (glyph, _, _) in codes.items()):
        table = bytearray(2 * (max(codes) + 1))
        for code, (glyph, _, _) in codes.items():
            table[2 * code:2 * code + 2] = glyph.to_bytes(2, "big")
        cid_map = pydyf.Stream([bytes(table)], compress=True)
        pdf.add_object(cid_map)
        subfont["CIDToGIDMap"] = cid_map.reference
    descriptor = obj(subfont["FontDescriptor"])
    if "CIDSet" in descriptor:  # PDF 1.4 (the PDF/X-1a editions): every CID present
        bits = bytearray(max(codes) // 8 + 1)
        for code in codes:
            bits[code // 8] |= 0x80 >> (code % 8)
        obj(descriptor["CIDSet"]).stream = [bytes(bits)]
    obj(font_dictionary["ToUnicode"]).stream = _to_unicode(
        {code: text for code, (_, _, text) in codes.items()})


def _widths(widths: dict[int, float]):
    import pydyf

    array = pydyf.Array()
    for code in sorted(widths):
        if code - 1 not in widths:
            array.append(code)
            run = pydyf.Array()
            array.append(run)
        run.append(widths[code])
    return array


def _to_unicode(texts: dict[int, str]) -> list[bytes]:
    """A ToUnicode CMap (ISO 32000-1 9.10.3) giving each code its text."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)",
             b"/Supplement 0", b">> def", b"/CMapName /Adobe-Identity-UCS def",
             b"/CMapType 2 def", b"1 begincodespacerange", b"<0000> <ffff>",
             b"endcodespacerange"]
    items = sorted(texts.items())
    for i in range(0, len(items), 100):
        batch = items[i:i + 100]
        lines.append(b"%d beginbfchar" % len(batch))
        lines += [b"<%04x> <%s>" % (code, text.encode("utf-16-be").hex().encode())
                  for code, text in batch]
        lines.append(b"endbfchar")
    return lines + [b"endcmap", b"CMapName currentdict /CMap defineresource pop",
                    b"end", b"end"]
