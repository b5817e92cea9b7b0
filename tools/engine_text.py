#!/usr/bin/env python3
"""How much of the leaflet's text each engine reads back (`make engine-text`).

For each language's screen leaflet in output/ (or one file, `--file`): how many of its
translated strings (the sections and the red flags, 97 in each language, markup removed)
are found in the text Poppler, pdfium, pdf.js and MuPDF extract (leaflet/checks/engines.py
`text`), the table of issue 13. `--missing` lists the strings each engine does not give
back. Strings are compared as the tests compare text (tests/conftest.py `squeeze`):
without white space (line breaks fall anywhere), and without what an extractor adds
that no string holds: format characters (Unicode Cf: the bidi embeddings and isolates
Poppler and pdfium put around right-to-left runs, soft hyphens), the list bullets
(drawn by li::before) and each page's running footer (reference, version, page number
and the dot between them), which falls inside a string that a page break divides;
pdfium's U+FFFE (its mark for a hyphen ending a line) is read as the hyphen it is. Nothing else is forgiven: a mark on the wrong letter, a reversed
number range or a mirrored bracket is a string not found.

    tools/engine_text.py                       every language in output/
    tools/engine_text.py -l ar -e pdfjs -m     Arabic, pdf.js only, with what is missing
    tools/engine_text.py -l bn --file x.pdf    a Bengali screen leaflet built elsewhere
"""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaflet.build import freshness  # noqa: E402
from leaflet.checks import engines  # noqa: E402
from leaflet.formats import output  # noqa: E402
from leaflet.inputs import catalog, pocheck, source  # noqa: E402
from leaflet.errors import BuildError  # noqa: E402

SOURCE = ROOT / "source" / "nerve-related-back-and-leg-pain.yaml"
TRANSLATIONS = ROOT / "translations"
SCREEN = "nerve-related-back-and-leg-pain-screen.pdf"
KEYS = ("sections.", "red_flags.")  # the leaflet's own text, not its labels
NAMES = {"poppler": "poppler", "pdfium": "pdfium", "pdfjs": "pdf.js", "mupdf": "MuPDF"}


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        leaflet = source.load(SOURCE)
        languages = _languages(args)
        jobs = {(lang, engine): path for lang, path in languages.items()
                for engine in args.engine}
        with ThreadPoolExecutor(4) as pool:  # the engines run as their own processes
            texts = dict(zip(jobs, pool.map(lambda job: engines.text(jobs[job], job[1]), jobs)))
    except BuildError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    print("| language | " + " | ".join(NAMES[e] for e in args.engine) + " |")
    print("|---|" + "---|" * len(args.engine))
    missing = {}
    for lang in languages:
        lang_leaflet = _translated(leaflet, lang)
        wanted = strings(lang_leaflet)
        cells = []
        for engine in args.engine:
            lost = not_found(wanted, texts[lang, engine], _furniture(lang_leaflet))
            missing[lang, engine] = lost
            cells.append(f"{len(wanted) - len(lost)}/{len(wanted)}")
        print(f"| {freshness.bcp47(lang)} | " + " | ".join(cells) + " |")
    if args.missing:
        for (lang, engine), lost in missing.items():
            for key, text in lost:
                print(f"{freshness.bcp47(lang)}: {NAMES[engine]}: {key}: {text}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", "-o", type=Path, default=ROOT / "output", metavar="DIR",
                        help="the built output folder (default: output/)")
    parser.add_argument("--language", "-l", action="append", default=[], metavar="LANG",
                        help="only this language (repeatable), e.g. ar, zh-Hans")
    parser.add_argument("--file", "-f", type=Path, metavar="PDF",
                        help="read this PDF as the screen leaflet of the one --language")
    parser.add_argument("--engine", "-e", action="append", choices=engines.TEXT_ENGINES,
                        help="only this engine (repeatable)")
    parser.add_argument("--missing", "-m", action="store_true",
                        help="list the strings each engine does not give back")
    return parser


def _languages(args) -> dict[str, Path]:
    """Catalog language code -> the screen leaflet to read, in manifest order."""
    known = {freshness.bcp47(lang): lang for lang in [freshness.SOURCE_LANGUAGE]
             + catalog.languages(TRANSLATIONS)}
    asked = [known.get(freshness.bcp47(lang), lang) for lang in args.language]
    args.engine = args.engine or list(engines.TEXT_ENGINES)
    if unknown := [lang for lang in asked if lang not in known.values()]:
        raise BuildError([_problem(f"no language {', '.join(unknown)}: one of "
                                   f"{', '.join(known)}")])
    if args.file:
        if len(asked) != 1:
            raise BuildError([_problem("--file needs the one --language it is in")])
        return {asked[0]: args.file}
    found = {next(lang for lang in known.values() if freshness.bcp47(lang) == e["language"]):
             args.output / e["path"] for e in output.read_manifest(args.output)
             if e.get("document") == "leaflet" and e.get("variant") == "screen"
             and e.get("language") in known}
    if not found:
        raise BuildError([_problem(f"no screen leaflet listed in {args.output}/manifest.json:"
                                   " build first (make)")])
    return {lang: path for lang, path in found.items() if not asked or lang in asked}


def _problem(message: str):
    from leaflet.errors import Location, Problem

    return Problem(Location("tools/engine_text.py"), message)


def _translated(leaflet, language: str):
    if language == freshness.SOURCE_LANGUAGE:
        return leaflet
    texts = {t.key: t for t in source.texts(leaflet)}
    return catalog.translate(leaflet, pocheck.check(catalog.po_path(TRANSLATIONS, language),
                                                    texts))


def strings(leaflet) -> list:
    """The leaflet's own strings (sections and red flags), as Text."""
    return [t for t in source.texts(leaflet) if t.key.startswith(KEYS)]


def not_found(wanted: list, pages: list[str], furniture: list[str]) -> list[tuple[str, str]]:
    """(key, text) of each wanted string not in the pages' text."""
    body = ""
    for number, page in enumerate(pages, 1):
        page = comparable(page.replace("\ufffe", "-"))
        for piece in furniture:
            page = page.replace(comparable(piece.format(page=number, pages=len(pages))), "")
        body += page
    return [(t.key, t.plain) for t in wanted if comparable(t.plain) not in body]


def comparable(text: str) -> str:
    """Text without white space, format characters (Unicode Cf) and the dots the page
    draws itself (list bullets; the footer's separator, which pdf.js reads as a bullet
    in the Chinese font). No string holds them, and they go from both sides."""
    return "".join(c for c in re.sub(r"\s+", "", text)
                   if unicodedata.category(c) != "Cf" and c not in "•·")


def _furniture(leaflet) -> list[str]:
    """The pieces of each page's running footer: the reference, the version, and the
    page number (a format with {page} and {pages})."""
    def literal(text: str) -> str:
        return text.replace("{", "{{").replace("}", "}}")
    return [literal(leaflet.metadata.reference),
            literal(f"{leaflet.labels.version.value} {leaflet.metadata.version}"),
            leaflet.labels.page_number.value]


if __name__ == "__main__":
    sys.exit(main())
