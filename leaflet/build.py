"""The build: gather and check everything, then write.

Public verb: `build(options) -> list[dict]` (the manifest entries). Data flows one
way: source -> catalog (translate) -> page (HTML) -> pdf -> verify -> output. Every
document of every language is rendered and verified in memory first; output/ is
touched only when all of them are good, so a failed build leaves it as it was.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from . import booklet, card, catalog, finish, fonts, output, page, pdf, pocheck, source, verify
from .errors import BuildError, Location, Problem, raise_if_errors, shown


@dataclass(frozen=True)
class Variant:
    """One kind of output file of a document."""

    document: str
    name: str
    purpose: str
    size_mm: tuple[float, float]
    pdf_options: tuple[tuple[str, object], ...] = ()
    look: page.Look = page.Look()
    pages: int | None = None  # exactly this many pages
    tagged: bool = True
    ua: bool = True  # identified as PDF/UA-1
    pdfx: bool = False  # print-ready PDF/X: CMYK only, output intent, nothing clickable
    fit_booklet: bool = False  # pages made a multiple of four (booklet.fit)
    imposed_from: str = ""  # made with pypdf from this variant's PDF, not rendered


UA = (("pdf_variant", "pdf/ua-1"),)
PDFX = (("pdf_variant", "pdf/x-1a"), ("pdf_tags", True))
PRINT = page.Look(("print.css", "cmyk.css"), qr=True, clickable=False, bleed_mm=3)
A5 = ("print.css", "a5.css")

VARIANTS = (
    Variant("leaflet", "screen", "accessible A4 PDF (PDF/UA-1) to read on screen or attach "
            "to a letter", (210, 297), UA),
    Variant("leaflet", "large-print", "large print (16 pt and over), A4, accessible PDF/UA-1 "
            "with clickable links and QR codes", (210, 297), UA,
            page.Look(("large-print.css",), qr=True)),
    Variant("leaflet", "print-a4", "A4 for a print shop: PDF/X-1a, CMYK, 3 mm bleed, "
            "addresses with QR codes", (210, 297), PDFX, PRINT, ua=False, pdfx=True),
    Variant("leaflet", "print-a5", "A5 booklet pages for a print shop: PDF/X-1a, CMYK, 3 mm "
            "bleed, a multiple of four pages", (148, 210), PDFX,
            replace(PRINT, stylesheets=PRINT.stylesheets + ("a5.css",)), ua=False, pdfx=True,
            fit_booklet=True),
    Variant("leaflet", "booklet", "A5 booklet imposed on A4 landscape for office printers: "
            "print double-sided, flip on short edge, fold", (297, 210), tagged=False,
            ua=False, imposed_from="a5"),
    Variant("card", "screen", "the cauda equina warning card, front and back, as an "
            "accessible PDF (PDF/UA-1) to send by email", (85.6, 54), UA, pages=2),
    Variant("card", "print", "the warning card for a print shop: 3 mm bleed, trim box, "
            "fonts embedded", (85.6, 54), (("pdf_tags", True),), page.Look(bleed_mm=3),
            pages=2, ua=False),
    Variant("card", "sheet", f"{finish.LAYOUT.count} warning cards on A4 for clinic printers: "
            "fronts on one side, backs on the other (long-edge duplex), cut marks",
            (210, 297), pages=2, tagged=False, ua=False, imposed_from="screen"),
)
# Rendered only to be imposed: the booklet's A5 pages, in reading order, at trim size.
SOURCES = (
    Variant("leaflet", "a5", "A5 pages of the office booklet", (148, 210),
            look=page.Look(A5, qr=True, clickable=False), tagged=False, ua=False,
            fit_booklet=True),
)


@dataclass(frozen=True)
class Options:
    source: Path
    translations: Path
    output: Path
    languages: tuple[str, ...] = ()  # () = every language that can be released
    documents: tuple[str, ...] = ()  # () = every document
    variants: tuple[str, ...] = ()  # () = every variant
    draft: bool = False


@dataclass(frozen=True)
class Edition:
    """The leaflet in one language, ready to render."""

    leaflet: source.Leaflet
    status: str  # "released" or "draft"
    notices: tuple[page.Notice, ...] = ()


@dataclass(frozen=True)
class LanguageStatus:
    """One line of `make status` and of the build's report."""

    language: str  # BCP 47
    report: pocheck.Report | None  # None for the source language
    status: str  # "released", "draft" or "skipped"

    def __str__(self) -> str:
        if self.report is None:
            return f"{self.language}: {self.status} (source language)"
        r = self.report
        reasons = [f"{n} {what}" for n, what in ((r.untranslated, "untranslated"),
                                                  (r.fuzzy, "fuzzy"), (r.errors, "errors"))
                   if n]
        review = f"reviewed by {r.reviewer} on {r.review_date}" if r.reviewed else "unreviewed"
        line = (f"{self.language}: {self.status}: {r.translated}/{r.total} translated "
                f"({100 * r.translated // max(r.total, 1)}%), {r.fuzzy} fuzzy, "
                f"{r.untranslated} untranslated, {r.errors} errors, {review}")
        if self.status == "skipped":
            line += f" (not released: {', '.join(reasons)}; --draft builds a marked draft)"
        return line


def build(options: Options, say=print) -> list[dict]:
    """Render, verify and write every selected output; the manifest entries."""
    leaflet = source.load(options.source)
    statuses, editions = languages(leaflet, options)
    for status in statuses:
        say(str(status))
    variants = _variants(options)
    problems: list[Problem] = []
    built: list[output.Built] = []
    for edition in editions:
        problems.extend(fonts.coverage(edition.leaflet))
        try:
            built.extend(_outputs(edition, variants, say))
        except BuildError as exc:
            problems.extend(exc.problems)
    raise_if_errors(problems)
    return output.write(built, options.output)


def languages(leaflet: source.Leaflet, options: Options):
    """The status of every selected language, and the editions to build."""
    wanted = {page.bcp47(w) for w in options.languages}
    folders = catalog.languages(options.translations)
    unknown = wanted - {page.bcp47(f) for f in folders} - {catalog.SOURCE_LANGUAGE}
    if unknown:
        raise BuildError([Problem(Location(str(options.translations)),
                                  f"no catalog for language {', '.join(sorted(unknown))}")])
    statuses, editions = [], []
    if not wanted or catalog.SOURCE_LANGUAGE in wanted:
        statuses.append(LanguageStatus(catalog.SOURCE_LANGUAGE, None, "released"))
        editions.append(Edition(leaflet, "released"))
    texts = {t.key: t for t in source.texts(leaflet)}
    for folder in folders:
        if wanted and page.bcp47(folder) not in wanted:
            continue
        path = catalog.po_path(options.translations, folder)
        report = pocheck.check(path, texts, shown(path))
        status = release_status(report, options.draft)
        statuses.append(LanguageStatus(page.bcp47(report.language or folder), report, status))
        if status != "skipped":
            editions.append(_edition(leaflet, report, status))
    return statuses, editions


def release_status(report: pocheck.Report, draft: bool) -> str:
    """Released only when complete, with no fuzzy string and no error."""
    if report.complete and not report.errors:
        return "released"
    if draft and report.language and report.translations:
        return "draft"
    return "skipped"


def _edition(leaflet: source.Leaflet, report: pocheck.Report, status: str) -> Edition:
    translated = catalog.translate(leaflet, report)
    notices = ()
    if not report.reviewed:
        # In the language and in English: the clinician handing it over must understand it.
        notices = (page.Notice(translated.labels.unreviewed, translated.language),
                   page.Notice(leaflet.labels.unreviewed, leaflet.language))
    return Edition(translated, status, notices)


def _variants(options: Options) -> list[Variant]:
    chosen = [v for v in VARIANTS
              if (not options.documents or v.document in options.documents)
              and (not options.variants or v.name in options.variants)]
    if not chosen:
        raise BuildError([Problem(Location("render.py"), "no document and variant match "
                                  f"{options.documents or 'any'} / {options.variants or 'any'}")])
    return chosen


def output_path(leaflet: source.Leaflet, variant: Variant, language: str) -> str:
    stem = Path(leaflet.path).stem
    name = stem if variant.document == "leaflet" else f"{stem}-{variant.document}"
    return f"{page.bcp47(language)}/{name}-{variant.name}.pdf"


def _outputs(edition: Edition, variants: list[Variant], say) -> list[output.Built]:
    """Every selected variant of one language; derived variants reuse what they come from,
    and fits (card sizes, booklet pages) are made once."""
    made: dict[tuple[str, str], output.Built] = {}
    fits: dict[str, object] = {}
    language = page.bcp47(edition.leaflet.language)

    def make(variant: Variant) -> output.Built:
        if variant.imposed_from:
            base = made.get((variant.document, variant.imposed_from)) or make(
                _variant(variant.document, variant.imposed_from))
            return _impose(edition, variant, base)
        return _make(edition, variant, _look(edition, variant, fits, say))

    for variant in sorted(variants, key=lambda v: bool(v.imposed_from)):
        if variant.document == "card" and card_gaps(edition.leaflet):
            if "card" not in fits:
                fits["card"] = None
                say(f"{language}: card skipped: {len(card_gaps(edition.leaflet))} card strings "
                    "are not translated (a card is never half-translated)")
            continue
        made[(variant.document, variant.name)] = make(variant)
    return list(made.values())


def _look(edition: Edition, variant: Variant, fits: dict, say) -> page.Look:
    """The variant's look, with the card sizes or the booklet layout fitted once."""
    leaflet, draft = edition.leaflet, edition.status == "draft"
    language = page.bcp47(leaflet.language)
    if variant.document == "card":
        if "card" not in fits:
            fits["card"] = card.fit(leaflet, edition.notices, draft)
            sizes = fits["card"]
            say(f"{language}: card front {sizes.front:g} pt ({sizes.front_fill:.0%} full), "
                f"back {sizes.back:g} pt ({sizes.back_fill:.0%} full)")
        return replace(variant.look, card_sizes=fits["card"])
    if variant.fit_booklet:
        if "booklet" not in fits:
            fits["booklet"] = booklet.fit(leaflet, _variant("leaflet", "a5").look,
                                          edition.notices, draft)
            fitted = fits["booklet"]
            say(f"{language}: A5 booklet at {fitted.body_pt:g} pt"
                + (" with the warning on a page of its own" if fitted.emergency_page else ""))
        fitted = fits["booklet"]
        return replace(variant.look, body_pt=fitted.body_pt, back_cover=True,
                       emergency_page=fitted.emergency_page)
    return variant.look


def _variant(document: str, name: str) -> Variant:
    return next(v for v in VARIANTS + SOURCES if (v.document, v.name) == (document, name))


def card_gaps(leaflet: source.Leaflet) -> list[str]:
    """Keys of card strings (card.*, red flags) still untranslated: all or nothing."""
    return [t.key for t in source.texts(leaflet)
            if t.key.startswith(("card.", "red_flags.")) and t.untranslated]


def _where(leaflet: source.Leaflet, variant: Variant) -> Location:
    return Location(f"{leaflet.path} [{page.bcp47(leaflet.language)} {variant.document} "
                    f"{variant.name}]")


def _make(edition: Edition, variant: Variant, look: page.Look) -> output.Built:
    leaflet = edition.leaflet
    where = _where(leaflet, variant)
    html = page.render(leaflet, variant.document, variant.name, edition.notices,
                       draft=edition.status == "draft", look=look)
    data = pdf.render(html, where, **dict(variant.pdf_options))
    if variant.pdfx:
        data = finish.print_ready(data)
    title = leaflet.metadata.title.plain if variant.document == "leaflet" else \
        f"{leaflet.card.title.plain}: {leaflet.card.subtitle.plain}"
    return _checked(edition, variant, data, title,
                    headings(leaflet, look) if variant.document == "leaflet" else ())


def _impose(edition: Edition, variant: Variant, base: output.Built) -> output.Built:
    leaflet = edition.leaflet
    if variant.document == "leaflet":
        rtl = page.locale_of(leaflet.language).text_direction == "rtl"
        return _checked(edition, variant, finish.booklet(base.data, rtl),
                        leaflet.metadata.title.plain, ())
    layout = finish.LAYOUT
    title = f"{leaflet.card.title.plain}: {leaflet.card.subtitle.plain}"
    notes = {
        "front": f"Cauda equina warning cards ({page.bcp47(leaflet.language)}), "
                 f"{leaflet.metadata.reference} version {leaflet.metadata.version}: "
                 f"{layout.count} cards ({layout.columns} across, {layout.rows} down). Print "
                 "double-sided, flip on long edge, at actual size (100%, not 'fit to page'). "
                 "Cut along the marks.",
        "back": "Back of the sheet: the backs of the cards. Long-edge flip puts each back "
                "behind its front.",
    }
    frame = pdf.render(page.sheet(layout, title, leaflet.metadata.organisation.plain,
                                  f"{leaflet.metadata.published.isoformat()}T00:00:00Z", notes),
                       _where(leaflet, variant))
    return _checked(edition, variant, finish.card_sheet(base.data, frame), title, ())


def _checked(edition: Edition, variant: Variant, data: bytes, title: str,
             bookmarks: tuple[str, ...]) -> output.Built:
    leaflet = edition.leaflet
    expect = verify.Expect(title=title, language=page.bcp47(leaflet.language)
                           if variant.tagged else "en-GB",
                           size_mm=variant.size_mm, headings=bookmarks,
                           tagged=variant.tagged, ua=variant.ua, pdfx=variant.pdfx,
                           pages=variant.pages, bleed_mm=variant.look.bleed_mm)
    raise_if_errors(verify.verify(data, expect, _where(leaflet, variant)))
    return output.Built(output_path(leaflet, variant, leaflet.language), variant.document,
                        page.bcp47(leaflet.language), variant.name, edition.status,
                        verify.page_count(data), data)


def headings(leaflet: source.Leaflet, look: page.Look = page.Look()) -> tuple[str, ...]:
    """The leaflet's headings in reading order: its bookmarks."""
    out = [leaflet.metadata.title.plain]

    def walk(sections):
        for s in sections:
            out.append(s.heading.plain)
            out.extend(leaflet.labels.emergency.plain for b in s.blocks
                       if isinstance(b, source.Emergency))
            walk(s.sections)

    walk(leaflet.sections)
    if look.emergency_page:
        out.append(leaflet.card.title.plain)
    out.append(leaflet.labels.document_control.plain)
    return tuple(out)
