"""The build: gather and check everything, then write.

Public verb: `build(options) -> list[dict]` (the manifest entries). Data flows one
way: source -> catalog (translate) -> page (HTML) -> pdf -> verify -> output. Every
document of every language is rendered and verified in memory first; output/ is
touched only when all of them are good, so a failed build leaves it as it was.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import catalog, output, page, pdf, source, verify
from .errors import BuildError, Location, Problem, raise_if_errors


@dataclass(frozen=True)
class Variant:
    """One kind of output file of a document."""

    document: str
    name: str
    purpose: str
    size_mm: tuple[float, float]
    pdf_options: tuple[tuple[str, object], ...]


VARIANTS = (
    Variant("leaflet", "screen", "accessible A4 PDF (PDF/UA-1) to read on screen or attach "
            "to a letter", (210, 297), (("pdf_variant", "pdf/ua-1"),)),
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


def build(options: Options) -> list[dict]:
    """Render, verify and write every selected output; the manifest entries."""
    leaflet = source.load(options.source)
    editions = _editions(leaflet, options)
    variants = _variants(options)
    problems: list[Problem] = []
    built: list[output.Built] = []
    for edition in editions:
        for variant in variants:
            try:
                built.append(_make(edition, variant, options.source))
            except BuildError as exc:
                problems.extend(exc.problems)
    raise_if_errors(problems)
    return output.write(built, options.output)


def _editions(leaflet: source.Leaflet, options: Options) -> list[Edition]:
    wanted = set(options.languages)
    known = {catalog.SOURCE_LANGUAGE}
    editions = []
    if not wanted or catalog.SOURCE_LANGUAGE in wanted or leaflet.language in wanted:
        editions.append(Edition(leaflet, "released"))
    unknown = wanted - known - {leaflet.language}
    if unknown:
        raise BuildError([Problem(Location(str(options.translations)),
                                  f"no catalog for language {', '.join(sorted(unknown))}")])
    return editions


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


def _make(edition: Edition, variant: Variant, source_path: Path) -> output.Built:
    leaflet = edition.leaflet
    where = Location(f"{leaflet.path} [{page.bcp47(leaflet.language)} {variant.document} "
                     f"{variant.name}]")
    html = page.render(leaflet, variant.document, variant.name, edition.notices)
    data = pdf.render(html, where, **dict(variant.pdf_options))
    expect = verify.Expect(title=leaflet.metadata.title.plain,
                           language=page.bcp47(leaflet.language), size_mm=variant.size_mm,
                           headings=headings(leaflet))
    raise_if_errors(verify.verify(data, expect, where))
    return output.Built(output_path(leaflet, variant, leaflet.language), variant.document,
                        page.bcp47(leaflet.language), variant.name, edition.status,
                        verify.page_count(data), data)


def headings(leaflet: source.Leaflet) -> tuple[str, ...]:
    """The leaflet's headings in reading order: its bookmarks."""
    out = [leaflet.metadata.title.plain]

    def walk(sections):
        for s in sections:
            out.append(s.heading.plain)
            out.extend(leaflet.labels.emergency.plain for b in s.blocks
                       if isinstance(b, source.Emergency))
            walk(s.sections)

    walk(leaflet.sections)
    out.append(leaflet.labels.document_control.plain)
    return tuple(out)
