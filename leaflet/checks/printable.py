"""Whether the build can print a catalog's strings in the catalog's language.

Public verb: `check(path, texts, shown) -> pocheck.Report`: the catalog check
(inputs/pocheck.py), then an error with the line for each translation holding a
character that
- no pinned font of the language draws, in regular and in bold (the stack
  styles/fonts.css gives the language, as layout/fonts.py knows it): WeasyPrint would
  draw it from whatever font the machine has, or as an empty box, and the build refuses
  it (fonts.coverage);
- the language's braille table cannot write in 6-dot BRF: the braille-ready file is made
  from every string, and such a character stops it (formats/braille.py).
Such translations leave the usable ones, as any string with an error does: a draft shows
the English instead, and the language is not released. This is what `render.py
check-po`, the translators' page, `accept`, `review` and the build all run, so the check
finds what would make the build fail for the language. The work is one pass over the
characters; the braille table is asked once per language and process (`braille_cells`).
"""
from __future__ import annotations

import unicodedata
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from ..errors import BuildError, Location, Problem, visible
from ..formats import braille
from ..inputs import markup, pocheck
from ..layout import fonts

FONT_HINT = ("Delete it or write it another way: the leaflet's fonts for your language do "
             "not have it, so it would print as an empty box.")
BRAILLE_HINT = ("Use the usual letters and signs of your language: the leaflet is also made "
                "as a braille-ready file, and these have no braille cell.")


def check(path: Path, texts: dict, shown: str | None = None) -> pocheck.Report:
    """The catalog's report, with what its language cannot print."""
    return printable(pocheck.check(path, texts, shown))


def printable(report: pocheck.Report) -> pocheck.Report:
    """The report with an error for each usable translation its language's fonts or
    braille table cannot print, and those translations no longer usable."""
    if not report.language or not report.translations:
        return report
    lines: dict[str, int] = {}
    for line, (key, _) in sorted(report.entries.items()):
        lines.setdefault(key, line)
    found: list[Problem] = []
    refused: set[str] = set()

    def refuse(key: str, message: str, hint: str) -> None:
        found.append(Problem(Location(report.path, lines.get(key)),
                             visible(f"'{key}': {message}"), "error", hint))
        refused.add(key)

    # What is printed: the text without its tags, placeholders left out (an address is set
    # in Latin letters and in computer braille; a page number is digits).
    printed = {key: markup.plain(markup.parse(msgstr), {})
               for key, msgstr in report.translations.items()}
    for key, text in printed.items():
        missing = _not_drawn(text, report.language)
        if missing:
            refuse(key, f"{pocheck.named(missing)}: no font the leaflet uses for "
                        f"{report.language} draws {'them' if len(missing) > 1 else 'it'}",
                   FONT_HINT)
    usable = {k: v for k, v in printed.items() if k not in refused}
    language = report.language.replace("_", "-")
    try:
        known = braille_cells(language)
    except BuildError as exc:  # lou_translate cannot run here: said, never silent
        found.append(Problem(Location(report.path), visible(
            f"braille not checked here ({exc}); the maintainers' check will"), "warning",
            "Nothing to do: this is not a problem of your file."))
        known = None
    for key, text in usable.items() if known is not None else ():
        cannot = sorted(set(braille.composed(text)) - known - {" "})
        if cannot:
            refuse(key, f"{pocheck.named(cannot)}: cannot be written in braille with "
                        f"{','.join(braille.table(language).files)}", BRAILLE_HINT)
    if not found:
        return report
    translations = {k: v for k, v in report.translations.items() if k not in refused}
    return replace(report, problems=report.problems + tuple(found),
                   translations=translations,
                   untranslated=report.untranslated + len(report.translations)
                   - len(translations))


@lru_cache(maxsize=None)
def braille_cells(language: str) -> frozenset[str] | None:
    """The characters the language's braille table writes in 6-dot BRF, among those its
    fonts draw and the spaces and format characters no font is asked about (a string
    holding any other is refused for its font first); None when no table is installed.
    One lou_translate run (0.05-0.5 s), kept for the process: the server calls `warm`
    in its fork server, as its sandboxed children may start no program."""
    chosen = braille.table(language)
    if chosen is None:
        return None
    regular, bold = fonts.characters(language)
    asked = " ".join(sorted((regular & bold) | _LAYOUT))
    return frozenset(braille.composed(asked)) - braille.unknown_characters(asked, chosen.files)


def warm() -> None:
    """Learn every language's braille characters now (about 1.5 s for nine)."""
    for language in braille.TABLES:
        braille_cells(language)


# Spaces and format characters (no-break space, joiners, marks of direction) and the tab:
# no font is asked about them, and a braille table may have no cell for them.
_LAYOUT = frozenset(chr(c) for c in range(0x10000)
                    if unicodedata.category(chr(c)) in ("Zs", "Cf")) | {"\t"}


def _not_drawn(msgstr: str, language: str) -> list[str]:
    """The characters of `msgstr` no pinned font of the language draws in regular or
    in bold; spaces, joiners and controls are the layout's (fonts.coverage skips them
    too; pocheck refuses the controls)."""
    regular, bold = fonts.characters(language)
    return [c for c in dict.fromkeys(msgstr) if unicodedata.category(c)[0] not in "CZ"
            and (c not in regular or c not in bold)]
