#!/usr/bin/env python3
"""Convert the pinned Simplified Chinese subset from CFF to TrueType outlines.

Usage: cjk_truetype.py SOURCE.otf TARGET.ttf   (`make fonts-cjk` runs it)

Why (styles/fonts/README.md): WeasyPrint embeds a CFF font as a CIDFontType0 under
Identity-H and writes glyph indices as the codes; ISO 32000-1 9.7.4.2 has a CIDFontType0
select its glyph by CID through the CFF charset, and Noto CJK's CIDs are not its glyph
indices, so strict engines (MuPDF, Ghostscript) draw nothing. A TrueType font is embedded
as a CIDFontType2 whose CIDToGIDMap sends each code to the glyph of that index, in every
engine. Glyph order and every other table (cmap, GSUB, GPOS, GDEF, BASE, metrics, names)
stay as they are; only the outlines change, cubic to quadratic (fontTools' cu2qu, within
1 font unit), without hinting. The output is the same bytes on every run: head.modified
is the source's, and nothing else reads a clock.
"""
from __future__ import annotations

import sys

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

MAX_ERROR = 1.0  # font units (of 1000 an em): the largest distance cu2qu may stray


def truetype(source: str) -> TTFont:
    """The font at `source` (OpenType with CFF outlines) with TrueType outlines instead."""
    font = TTFont(source, recalcTimestamp=False)
    order = font.getGlyphOrder()
    glyphs = _quadratic_glyphs(font, order)
    vertical_origins = _vertical_origins(font, order)
    for tag in ("CFF ", "VORG"):  # VORG belongs to CFF fonts only (OpenType 'VORG')
        del font[tag]
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    glyf.compile(font)  # sets each glyph's bounding box
    _set_side_bearings(font, glyphs, vertical_origins)
    font["maxp"] = _maxp_without_hinting()
    font["post"].formatType = 3.0  # no glyph names: Noto CJK's are only "cidNNNNN"
    font.sfntVersion = "\0\1\0\0"
    return font


def _quadratic_glyphs(font: TTFont, order: list[str]) -> dict:
    cubic = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        # TrueType winds outer contours clockwise, CFF counter-clockwise.
        cubic[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    return glyphs


def _vertical_origins(font: TTFont, order: list[str]) -> dict[str, int]:
    """Each glyph's vertical origin (VORG), which TrueType derives from vmtx instead."""
    vorg = font["VORG"]
    return {name: vorg.VOriginRecords.get(name, vorg.defaultVertOriginY) for name in order}


def _set_side_bearings(font: TTFont, glyphs: dict, vertical_origins: dict[str, int]) -> None:
    """TrueType metrics are relative to the outline's box: left side bearing = xMin, top
    side bearing = vertical origin - yMax (OpenType 'hmtx', 'vmtx')."""
    hmtx, vmtx = font["hmtx"].metrics, font["vmtx"].metrics
    for name, glyph in glyphs.items():
        if not glyph.numberOfContours:
            continue
        hmtx[name] = (hmtx[name][0], glyph.xMin)
        vmtx[name] = (vmtx[name][0], vertical_origins[name] - glyph.yMax)


def _maxp_without_hinting():
    """A version 1.0 maxp for a font without instructions; the point and contour counts
    are filled in when the font is saved."""
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    return maxp


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    with truetype(argv[0]) as font:
        font.save(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
