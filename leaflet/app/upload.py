"""A catalog a translator uploads: checked, and previewed as a draft.

Public verbs, each run in a sandbox child (leaflet/app/sandbox.py) with the child's own
folder as first argument: `check(folder, data, texts) -> Checked` (texts: the source's, by key),
`web_page(folder, data, source, companion, shared) -> WebDraft` (the draft web page) and
`preview(folder, data, source, documents, companion, shared) -> {document: PDF bytes}`.
The upload is written into that folder as `leaflet.po` (the name it was sent with is never
used) and read as data only, by the same check as `render.py check-po`. A leaflet's
strings are in two catalogs (its own and the shared one): a draft takes the upload for
its side and the library's catalog, sent by the server as `companion`, for the other.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from babel import Locale

from ..build import build
from ..checks import printable
from ..inputs import pocheck, source

NAME = "leaflet.po"  # the upload in messages: `leaflet.po:12: error: ...`
# Problems kept and shown: a file of junk can have hundreds of thousands (800 KB of `x`
# lines gave 400,000 and a 44 MB report); the counts say how many more there are.
MAX_SHOWN = 200
MAX_TEXT = 400  # characters of a string shown
# Characters no one can see, shown by their code point (bidi overrides, controls).
_INVISIBLE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f"
                        "\u202a-\u202e\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class Finding:
    """One problem as the page shows it."""

    line: int | None
    severity: str  # "error" or "warning"
    english: str  # the source text of the entry at that line ("" when none)
    theirs: str  # the translation (or, for a file that is not PO syntax, the line)
    as_written: bool  # `theirs` is the line as written, not a translation
    message: str  # exactly the message of render.py check-po
    hint: str  # how to fix it
    text: str  # the whole line check-po prints


@dataclass(frozen=True)
class Checked:
    language: str  # Babel's identifier, safe as a folder name; "" when the header has none
    language_name: str  # in English, e.g. "Portuguese (Portugal)"
    findings: tuple[Finding, ...]  # errors first, then warnings, each in line order
    hidden: int  # findings not in `findings` (over MAX_SHOWN)
    errors: int
    warnings: int
    total: int
    translated: int
    fuzzy: int
    untranslated: int
    report: str  # what check-po prints for the file: its first MAX_SHOWN problems

    @property
    def submittable(self) -> bool:
        return bool(self.language) and not self.errors


def check(folder: Path, data: bytes, texts: dict, progress=None) -> Checked:
    path = folder / NAME
    path.write_bytes(data)
    report = printable.check(path, texts, NAME)
    ordered = sorted(report.problems, key=lambda p: (not p.is_error, p.where.line or 0))
    strings = _strings(data, report)
    findings = tuple(_finding(p, strings, texts) for p in ordered[:MAX_SHOWN])
    more = len(report.problems) - MAX_SHOWN
    lines = [str(p) for p in report.problems[:MAX_SHOWN]] + (
        [f"... and {more} more problems not kept"] if more > 0 else []) + [
        f"{NAME}: {report.translated}/{report.total} translated, {report.fuzzy} fuzzy, "
        f"{report.untranslated} untranslated, {report.errors} errors"]
    language = pocheck.folder_name(report.language)
    return Checked(language, Locale.parse(language).get_display_name("en") if language else "",
                   findings, len(ordered) - len(findings), report.errors,
                   len(report.problems) - report.errors, report.total, report.translated,
                   report.fuzzy, report.untranslated, "\n".join(lines) + "\n")


def _strings(data: bytes, report: pocheck.Report) -> tuple[dict[int, tuple[str, str]], bool]:
    """Line -> (msgctxt, msgstr) of each entry, and False; for a file that is not PO
    syntax, line -> ("", the line as written), and True."""
    if report.entries or not report.problems:
        return report.entries, False
    return {n: ("", line) for n, line in enumerate(data.decode("utf-8", "replace")
                                                   .splitlines(), 1)}, True


def _finding(problem, strings, texts) -> Finding:
    lines, as_written = strings
    key, theirs = lines.get(problem.where.line, ("", ""))
    english = texts[key].value if key in texts else ""
    return Finding(problem.where.line, problem.severity, _shown(english), _shown(theirs),
                   as_written, problem.message, problem.hint, str(problem))


def _shown(text: str) -> str:
    """Text as a person can read it safely: invisible characters by their code point."""
    text = _INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + " [...]"


def _draft(folder: Path, data: bytes, source_path: Path, companion: bytes, shared: bool):
    """The source, and the report of the leaflet's strings in the upload's language with
    its language as a folder name: the upload's translations, and the library's catalog
    of the other side (`companion`: the shared catalog when the upload is the leaflet's,
    the leaflet's when it is the shared one; b"" when the language has none yet)."""
    path, other = folder / NAME, folder / "library.po"
    path.write_bytes(data)
    other.write_bytes(companion)
    leaflet = source.load(source_path)
    texts = {t.key: t for t in source.texts(leaflet)}
    used = {k: t for k, t in texts.items() if source.is_shared(t)}
    own = {k: t for k, t in texts.items() if k not in used}
    theirs, ours = (used, own) if shared else (own, used)
    # The upload first: its header names the language.
    report = pocheck.joined(printable.check(path, theirs, NAME),
                            printable.check(other, ours, "library.po"))
    return leaflet, replace(report, language=pocheck.folder_name(report.language))


@dataclass(frozen=True)
class WebDraft:
    """A draft web page: its path (as in output/), its HTML, and the pinned font file
    (in styles/fonts/) to serve at each font path it loads."""

    path: str
    html: bytes
    fonts: dict[str, str]


def web_page(folder: Path, data: bytes, source_path: Path, companion: bytes = b"",
             shared: bool = False, progress=None) -> WebDraft:
    """The upload's language as a draft web page. Its fonts are the pinned files whole,
    not subsets of the characters it shows as the web edition's are: subsetting takes
    1-15 s a language, and a preview opens at once."""
    leaflet, report = _draft(folder, data, source_path, companion, shared)
    made = build.draft_page(leaflet, report)
    return WebDraft(made.html.path, made.html.data, {f.path: f.file for f in made.fonts})


def preview(folder: Path, data: bytes, source_path: Path, documents: tuple[str, ...],
            companion: bytes = b"", shared: bool = False,
            progress=lambda text: None) -> dict[str, bytes]:
    """The draft screen PDF of each document in the upload's language (with `companion`
    and `shared` as web_page's)."""
    leaflet, report = _draft(folder, data, source_path, companion, shared)
    names = {"leaflet": "the leaflet", "card": "the warning card"}
    made = {}
    for number, document in enumerate(documents, 1):
        progress(f"Step {number} of {len(documents)}: laying out {names[document]} "
                 "(screen PDF)")
        for built in build.draft(leaflet, report, (document,), progress):
            made[document] = built.data
        if document not in made:
            progress(f"No {names[document][4:]}: its strings are not all translated yet "
                     "(a card is never half-translated)")
    progress("Done")
    return made
