#!/usr/bin/env python3
"""How much of the leaflet's text each engine reads back (`make engine-text`).

For each language's screen leaflet in output/ (or one file, `--file`): how many of its
translated strings (the sections and the red flags, 97 in each language, markup removed)
are found in the text Poppler, pdfium, pdf.js, MuPDF (Debian's 1.21) and a current MuPDF
(PyMuPDF's 1.28) extract (leaflet/checks/engines.py `text`), the table of issue 13. With
`--editions`, every string the leaflet, the card and the large print show (the labels and
the card's own strings too: 113, 112 without the notice of an unreviewed translation)
found in the text of any of those three files, the measure of issue 22. `--missing`
lists the strings each engine does not give back. Strings are compared as the tests
compare text (tests/conftest.py `squeeze`):
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
    tools/engine_text.py --editions            leaflet, card and large print, every string
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

from leaflet.build import build, freshness  # noqa: E402
from leaflet.checks import engines  # noqa: E402
from leaflet.formats import output  # noqa: E402
from leaflet.inputs import catalog, source  # noqa: E402
from leaflet.errors import BuildError  # noqa: E402

SOURCE = ROOT / "source"
TRANSLATIONS = ROOT / "translations"
KEYS = ("sections.", "blocks.", "red_flags.")  # the leaflet's own text, not its labels
# --editions: the screen leaflet, the card and the large print ((document, variant) in
# the manifest); every string they show but those no page shows as text (the PDF's
# description, the QR codes' alternative text, the draft stamp, the booklet's notes
# pages) and the running footer's, which is taken out of every page
EDITIONS = (("leaflet", "screen"), ("card", "screen"), ("leaflet", "large-print"))
NOT_SHOWN = ("metadata.subject", "labels.qr_code", "labels.draft", "labels.notes",
             "labels.page_number", "labels.version")
NAMES = {"poppler": "poppler", "pdfium": "pdfium", "pdfjs": "pdf.js", "mupdf": "MuPDF",
         "pymupdf": "MuPDF 1.28"}  # Debian 12's mutool (1.21); PyMuPDF's


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        leaflet = source.load(_leaflet(args))
        languages = _languages(args, leaflet)
        jobs = {(lang, engine, path): path for lang, paths in languages.items()
                for engine in args.engine for path in paths}
        with ThreadPoolExecutor(4) as pool:  # the engines run as their own processes
            read = dict(zip(jobs, pool.map(lambda job: engines.text(job[2], job[1]), jobs)))
        texts = {(lang, engine): [read[lang, engine, path] for path in paths]
                 for lang, paths in languages.items() for engine in args.engine}
    except BuildError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    print("| language | " + " | ".join(NAMES[e] for e in args.engine) + " |")
    print("|---|" + "---|" * len(args.engine))
    missing = {}
    for lang in languages:
        lang_leaflet, notice = _translated(leaflet, lang)
        wanted = shown(lang_leaflet, notice) if args.editions else strings(lang_leaflet)
        cells = []
        for engine in args.engine:
            # a string is read if one of the files gives it back (each file has its own
            # page numbers in its footer)
            losses = [not_found(wanted, pages, _furniture(lang_leaflet))
                      for pages in texts[lang, engine]]
            lost = [t for t in losses[0] if all(t in other for other in losses[1:])]
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
    parser.add_argument("--leaflet", metavar="NAME",
                        help="the leaflet to read (default: the library's one leaflet)")
    parser.add_argument("--output", "-o", type=Path, default=ROOT / "output", metavar="DIR",
                        help="the built output folder (default: output/)")
    parser.add_argument("--language", "-l", action="append", default=[], metavar="LANG",
                        help="only this language (repeatable), e.g. ar, zh-Hans")
    parser.add_argument("--file", "-f", type=Path, metavar="PDF",
                        help="read this PDF as the screen leaflet of the one --language")
    parser.add_argument("--engine", "-e", action="append", choices=engines.TEXT_ENGINES,
                        help="only this engine (repeatable)")
    parser.add_argument("--editions", "-E", action="store_true",
                        help="every string shown, in the leaflet, card and large print")
    parser.add_argument("--missing", "-m", action="store_true",
                        help="list the strings each engine does not give back")
    return parser


def _leaflet(args) -> Path:
    """The source of the leaflet --leaflet names, or of the library's only one."""
    found = freshness.leaflets(SOURCE, [args.leaflet] if args.leaflet else [])
    if len(found) != 1:
        raise BuildError([_problem("the library has several leaflets: name one with "
                                   f"--leaflet ({', '.join(p.stem for p in found)})")])
    return found[0]


def _languages(args, leaflet) -> dict[str, list[Path]]:
    """Catalog language code -> the leaflet's files to read (the screen leaflet; with
    --editions the card and the large print too), in manifest order."""
    name = Path(leaflet.path).stem
    known = {freshness.bcp47(lang): lang for lang in [freshness.SOURCE_LANGUAGE]
             + catalog.languages(TRANSLATIONS, name)}
    asked = [known.get(freshness.bcp47(lang), lang) for lang in args.language]
    args.engine = args.engine or list(engines.TEXT_ENGINES)
    if unknown := [lang for lang in asked if lang not in known.values()]:
        raise BuildError([_problem(f"no language {', '.join(unknown)}: one of "
                                   f"{', '.join(known)}")])
    if args.file:
        if len(asked) != 1:
            raise BuildError([_problem("--file needs the one --language it is in")])
        return {asked[0]: [args.file]}
    kinds = EDITIONS if args.editions else EDITIONS[:1]
    found: dict[str, list[Path]] = {}
    for entry in sorted(output.read_manifest(args.output),
                        key=lambda e: kinds.index((e.get("document"), e.get("variant")))
                        if (e.get("document"), e.get("variant")) in kinds else -1):
        if (entry.get("document"), entry.get("variant")) in kinds \
                and entry.get("leaflet") == name \
                and entry.get("language") in [freshness.bcp47(lang) for lang in known.values()]:
            lang = next(lang for lang in known.values()
                        if freshness.bcp47(lang) == entry["language"])
            found.setdefault(lang, []).append(args.output / entry["path"])
    if not found:
        raise BuildError([_problem(f"no screen leaflet listed in {args.output}/manifest.json:"
                                   " build first (make)")])
    return {lang: path for lang, path in found.items() if not asked or lang in asked}


def _problem(message: str):
    from leaflet.errors import Location, Problem

    return Problem(Location("tools/engine_text.py"), message)


def _translated(leaflet, language: str):
    """The leaflet in `language`, and whether its editions show the notice that the
    translation is unreviewed (leaflet/build.py `_edition`)."""
    if language == freshness.SOURCE_LANGUAGE:
        return leaflet, False
    report = build.edition_report(leaflet, TRANSLATIONS, language)
    return catalog.translate(leaflet, report), not report.reviewed


def strings(leaflet) -> list:
    """The leaflet's own strings (sections and red flags), as Text."""
    return [t for t in source.texts(leaflet) if t.key.startswith(KEYS)]


def shown(leaflet, notice: bool) -> list:
    """Every string the leaflet, the card and the large print show as text, as Text
    (the unreviewed-translation notice only if they show it)."""
    return [t for t in source.texts(leaflet) if not t.key.startswith(NOT_SHOWN)
            and (notice or t.key != "labels.unreviewed")]


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
