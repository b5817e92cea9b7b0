"""The pinned fonts each language is set in, and whether they can draw every character.

Public verbs: `coverage(leaflet) -> list[Problem]`; `woff2(filename, characters) -> bytes`
(a subset for the web edition). A character no pinned font has would be drawn by
whatever font the machine happens to have, or as a box (tofu); so the build fails naming
the character and the string. The stacks here are the ones styles/fonts.css gives each
language (a test keeps the two in step).
"""
from __future__ import annotations

import hashlib
import io
import unicodedata
from functools import lru_cache
from pathlib import Path

from ..inputs import source
from ..errors import Problem

FONT_DIR = Path(__file__).resolve().parents[2] / "styles" / "fonts"

FAMILIES = {  # CSS family -> (regular file, bold file) in styles/fonts/
    "Leaflet Sans": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "Leaflet Arabic": ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    "Leaflet Urdu": ("NotoNastaliqUrdu-Regular.ttf", "NotoNastaliqUrdu-Bold.ttf"),
    "Leaflet Bengali": ("NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf"),
    "Leaflet SC": ("NotoSansCJKsc-Regular-GB2312.ttf", "NotoSansCJKsc-Bold-GB2312.ttf"),
}
STACKS = {  # primary language subtag -> families, in CSS order
    "ar": ("Leaflet Arabic", "Leaflet Sans"),
    "ur": ("Leaflet Urdu", "Leaflet Sans"),
    "bn": ("Leaflet Bengali", "Leaflet Sans"),
    "zh": ("Leaflet SC", "Leaflet Sans"),
}
DEFAULT = ("Leaflet Sans",)


def stack(language: str) -> tuple[str, ...]:
    return STACKS.get(language.replace("_", "-").split("-")[0], DEFAULT)


def css_stack(language: str) -> str:
    """The language's font stack as a CSS font-family value."""
    return ", ".join(f'"{family}"' for family in stack(language))


@lru_cache(maxsize=None)
def characters(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """The characters some font of the language's stack draws, in regular and in bold."""
    return _characters(stack(language), 0), _characters(stack(language), 1)


def coverage(leaflet: source.Leaflet) -> list[Problem]:
    """A problem for each character of a string that no font of its language can draw,
    in regular or in bold."""
    regular, bold = characters(leaflet.language)
    problems = []
    for text in source.texts(leaflet):
        for char in dict.fromkeys(text.plain):
            if unicodedata.category(char)[0] in "CZ":  # spaces, joiners, controls
                continue
            if char not in regular or char not in bold:
                name = unicodedata.name(char, "unnamed")
                problems.append(Problem(text.where, f"'{text.key}' [{leaflet.language}]: "
                                        f"no pinned font draws '{char}' (U+{ord(char):04X} "
                                        f"{name}) in {' or '.join(stack(leaflet.language))}"))
    return problems


def _characters(families: tuple[str, ...], weight: int) -> frozenset[str]:
    return frozenset().union(*(cmap(FAMILIES[f][weight]) for f in families))


def subset_key(filename: str, characters: str) -> str:
    """What a subset is made from: the font file, the characters, the subsetter and its
    options. Equal keys, equal bytes (the subset is deterministic)."""
    import fontTools

    digest = hashlib.sha256(f"woff2 1; fontTools {fontTools.version}; ".encode())
    digest.update((FONT_DIR / filename).read_bytes())
    digest.update(characters.encode())
    return digest.hexdigest()


def woff2(filename: str, characters: str) -> bytes:
    """The pinned font subset to `characters` as WOFF2 (fontTools, Brotli). The layout
    features kept are fontTools' defaults: those browsers apply to text by default
    (shaping of Arabic, Nastaliq and Bengali, kerning, marks, ligatures); "all features"
    would add alternates no page asks for. Bounding boxes and the timestamp are kept as
    the font has them: recomputing them costs Nastaliq and Chinese a second a subset and
    changes nothing a browser draws."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = ["*"]  # the licence and copyright (OFL: kept with the font)
    options.name_languages = ["*"]
    with TTFont(FONT_DIR / filename, recalcBBoxes=False, recalcTimestamp=False) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=characters)
        subsetter.subset(font)
        font.flavor = "woff2"
        buffer = io.BytesIO()
        font.save(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=None)
def cmap(filename: str) -> frozenset[str]:
    """The characters the font file has a glyph for."""
    from fontTools.ttLib import TTFont

    with TTFont(FONT_DIR / filename, lazy=True) as font:
        # Glyphs numbered, not named: a CFF font's names (the Chinese font's 30,000) take
        # ten times longer to read than its cmap, and only the characters are wanted.
        font.setGlyphOrder([f"g{i}" for i in range(font["maxp"].numGlyphs)])
        return frozenset(chr(c) for c in font.getBestCmap())
