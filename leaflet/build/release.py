"""A leaflet in one language: the release policy, and what a build makes of it.

Public: `Edition` (the leaflet translated, ready to render), `LanguageStatus` (what the
build and `make status` say of a language), `release_status(report, draft)` and
`edition_of(leaflet, report, status)`.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..inputs import catalog, pocheck, source
from ..layout import page


@dataclass(frozen=True)
class Edition:
    """The leaflet in one language, ready to render."""

    leaflet: source.Leaflet
    status: str  # "released" or "draft"
    notices: tuple[page.Notice, ...] = ()
    catalog: str = ""  # the catalog's date (PO-Revision-Date); "" for the source language


@dataclass(frozen=True)
class LanguageStatus:
    """One line of `make status` and of the build's report."""

    language: str  # BCP 47
    report: pocheck.Report | None  # None for the source language
    status: str  # "released", "draft" or "skipped"
    kept: str = ""  # a skipped language's last release still in output/: its catalog's date
    leaflet: str = ""  # the leaflet's name
    line: str = ""  # what an earlier build's checks said of it (memo.py): not checked again

    @property
    def failing(self) -> str:
        """Why the current catalog is not released ("" when it is): errors first."""
        r = self.report
        if r is None or self.status == "released":
            return ""
        if r.errors:
            return f"{r.errors} error{'s' * (r.errors != 1)}"
        return ", ".join(f"{n} {what}" for n, what in ((r.untranslated, "untranslated"),
                                                       (r.fuzzy, "fuzzy")) if n)

    def __str__(self) -> str:
        if self.line:
            return self.line
        if self.report is None:
            return f"{self.language}: {self.status} (source language)"
        r = self.report
        review = f"reviewed by {r.reviewer} on {r.review_date}" if r.reviewed else "unreviewed"
        counts = (f"{r.translated}/{r.total} translated "
                  f"({100 * r.translated // max(r.total, 1)}%), {r.fuzzy} fuzzy, "
                  f"{r.untranslated} untranslated, {r.errors} errors, {review}")
        if self.status == "skipped" and self.kept:
            return (f"{self.language}: last release kept (catalog of {self.kept}); current "
                    f"catalog: {self.failing} ({counts}; not released)")
        line = f"{self.language}: {self.status}: {counts}"
        if self.status == "skipped":
            line += f" (not released: {self.failing}; --draft builds a marked draft)"
        return line


def release_status(report: pocheck.Report, draft: bool) -> str:
    """Released only when complete, with no fuzzy string and no error."""
    if report.complete and not report.errors:
        return "released"
    if draft and report.language and report.translations:
        return "draft"
    return "skipped"


def edition_of(leaflet: source.Leaflet, report: pocheck.Report, status: str) -> Edition:
    """The leaflet translated by the report's catalog, with the unreviewed notice when
    no review of it is recorded."""
    translated = catalog.translate(leaflet, report)
    notices = ()
    if not report.reviewed:
        # In the language and in English: the clinician handing it over must understand it.
        notices = (page.Notice(translated.labels.unreviewed, translated.language),
                   page.Notice(leaflet.labels.unreviewed, leaflet.language))
    return Edition(translated, status, notices, report.revised or "an unknown date")
