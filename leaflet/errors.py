"""Every error the pipeline reports, and the one place locations are formatted.

Stages collect `Problem`s instead of stopping at the first; a stage that found
errors raises `BuildError` with all of them, and the command line prints them as
`path:line: error: message` and exits non-zero (no traceback).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where something came from: a file and, when known, a 1-based line."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


def shown(path) -> str:
    """How a file is named in messages: relative to the working directory when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Problem:
    where: Location
    message: str
    severity: str = "error"  # "error" stops a build; "warning" is reported only
    # How to fix it, in a translator's words (the page shows it; the message is the
    # command line's and already says what to do where it can in one line).
    hint: str = ""

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class BuildError(Exception):
    """One or more problems that stop the build (or the check) at this stage."""

    def __init__(self, problems):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def raise_if_errors(problems) -> None:
    """Raise `BuildError` carrying every problem when any of them is an error."""
    problems = tuple(problems)
    if any(p.is_error for p in problems):
        raise BuildError(problems)


class CatalogErrors(BuildError):
    """Catalogs with errors: their languages were not released, every other language was
    built and written (`entries` is the manifest as written)."""

    def __init__(self, problems, languages, entries):
        super().__init__(problems)
        self.languages = tuple(languages)
        self.entries = entries


class ControlErrors(BuildError):
    """Leaflets document control keeps from being rebuilt (review overdue, text changed
    under a released version): their last files stay; every other one was written
    (`entries` is the manifest as it is)."""

    def __init__(self, problems, leaflets, entries):
        super().__init__(problems)
        self.leaflets = tuple(leaflets)
        self.entries = entries


class WorkerFailed(Exception):
    """A check or preview in a sandbox did not finish (out of time or memory, or it
    crashed); the message says which, in words for the person who asked for it."""


class MarkupError(ValueError):
    """Inline markup in one string is not allowed; the message says what and how to fix it."""


class PluralFormsError(ValueError):
    """A Plural-Forms header gettext would not accept; the message says what is wrong."""


def visible(text: str) -> str:
    """`text` safe to print on a terminal or in a log: control characters, bidi controls
    and every other invisible format, private-use or unassigned character written as an
    escape you can see (`\\x1b`, `U+202E`), so stored or uploaded text can neither send a
    terminal escape nor reorder what is shown (CVE-2021-42574)."""
    return "".join(_escape(c) if _hidden(c) else c for c in text)


def _hidden(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp") and \
        char not in "\u200c\u200d"  # joiners: part of how some scripts are written


def _escape(char: str) -> str:
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"U+{ord(char):04X}"
