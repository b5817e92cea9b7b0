"""The build: gather and check everything, then write.

Public verb: `build(options) -> list[dict]` (the manifest entries). Data flows one
way: source -> catalog (translate) -> page (HTML) -> pdf -> verify -> output. Every
document of every language is rendered and verified in memory first; output/ is
touched only when all of them are good, so a failed build leaves it as it was.
"""
from __future__ import annotations

import contextlib
import datetime
import gc
import multiprocessing
import os
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from . import cards, control, freshness, memo, reviews, stamp
from .cards import CardFacts, gaps as card_gaps
from .release import Edition, LanguageStatus, edition_of, release_status
from ..checks import printable, verify
from ..formats import booklet, braille, card, finish, output, pdf, plaintext, web
from ..formats import library as library_pages
from ..inputs import catalog, changes, pocheck, source
from ..inputs.languages import SHARED, leaflets as leaflet_paths
from ..layout import fonts, page
from ..layout.variants import RESERVED, VARIANTS, Look, Variant, output_path
from ..errors import (BuildError, CatalogErrors, ControlErrors, Location, Problem,
                      raise_if_errors, shown)


@dataclass(frozen=True)
class Options:
    source: Path  # a folder of leaflets (source/), or one leaflet's file
    translations: Path
    output: Path
    languages: tuple[str, ...] = ()  # () = every language that can be released
    documents: tuple[str, ...] = ()  # () = every document
    variants: tuple[str, ...] = ()  # () = every variant
    draft: bool = False
    today: datetime.date = field(default_factory=datetime.date.today)  # review dates' today
    review_notice: int = control.NOTICE_MONTHS  # months before a review it is "due"
    lock: Path | None = None  # source/released.lock; None: versions are not checked
    leaflets: tuple[str, ...] = ()  # () = every leaflet in `source`; else these names


def build(options: Options, say=print) -> list[dict]:
    """Render, verify and write every selected output that is not up to date; the
    manifest entries. Languages render in parallel, one worker process per core; the web
    pages after the PDFs they list, their fonts in the same workers."""
    variants = _variants(options)
    # What the build reads, as it is before it reads anything (stamp.py): recorded at the
    # end when every selected output is then up to date, for the next build to compare.
    setting = stamp.settings(options.source, options.translations, options.output,
                             options.lock, options.languages, options.documents,
                             options.variants, options.leaflets, options.draft,
                             options.review_notice)
    began = stamp.take(options.source, options.translations, options.output)
    freshness.forget()
    with multiprocessing.get_context("fork").Pool(1) as helper:
        # The checks take a third of a second, WeasyPrint's import half a second: the
        # checks run in a forked process meanwhile.
        checked = helper.apply_async(_checked_inputs, (options, variants))
        pdf.warm_up()
        inputs = checked.get()
    leaflets, statuses, stale, to_make, said = (inputs.leaflets, inputs.statuses, inputs.stale,
                                              inputs.cards, inputs.said)
    unprintable = inputs.unprintable
    several = len(leaflets) > 1
    # The library's pages are part of the web edition: made when web pages are asked
    # for, and kept up to date once listed (a build of PDFs alone changes the sizes they
    # list, document control what they say of a leaflet's review).
    listed = any(e.get("document") == "index" for e in output.read_manifest(options.output))
    meta = leaflets[0].metadata if leaflets else None  # the service the pages are of
    index = (lambda entries: library_pages.pages(
        entries, meta, lambda path, key: output.reusable(options.output, path, key))) \
        if meta and (listed or any(v.format == "html" for v in variants)) else None
    warnings: list[str] = []  # document control's, said again by a build with nothing to do

    def warn(line: str) -> None:
        warnings.append(line)
        say(line)

    standings = {Path(leaflet.path).stem: document_control(leaflet, options, warn)
                 for leaflet in leaflets}
    # Withdrawn: its files leave output/; review overdue or text changed under a released
    # version: its last files stay, marked. Every other leaflet is built.
    held = {name: _held(standing, options, say) for name, standing in standings.items()
            if not standing.builds}
    # A withdrawn leaflet's records go with its files; an overdue one is checked again.
    records = {k: r for k, r in inputs.records.items() if r.get("leaflet") not in held}
    if leaflets and len(held) == len(leaflets):  # nothing to build: output/ as it is
        if index and output.read_manifest(options.output):
            stamp.forget(options.output)  # output/ changes: the stamp no longer says so
            output.write([], options.output, index)  # the library's pages say so
        if records != inputs.earlier:
            memo.write(options.output, records)
        errors = [p for found in held.values() for p in found]
        if errors:
            raise ControlErrors(errors, [name for name, found in held.items() if found],
                                output.read_manifest(options.output))
        return output.read_manifest(options.output)
    statuses = [s for s in statuses if s.leaflet not in held]
    stale = [e for e in stale if Path(e.leaflet.path).stem not in held]
    unprintable = {k: v for k, v in unprintable.items() if k[0] not in held}
    to_make = [c for c in to_make if Path(c.edition.leaflet.path).stem not in held]
    for line in said:
        say(line)
    count = sum(name not in held for name in inputs.names)
    for leaflet in leaflets:
        edited = source_changes(leaflet, options.translations)
        if edited and Path(leaflet.path).stem not in held:
            say(f"{Path(leaflet.path).stem}: {edited}" if several else str(edited))
    shared = shared_changes(options.source, options.translations) if leaflets else None
    if shared:
        say(f"{SHARED} passages: {shared}")
    for status in statuses:
        say(f"{status.leaflet}: {status}" if several else str(status))
        if status.status == "draft":  # why the draft shows some strings in English
            for problem in status.report.problems:
                if problem.is_error:
                    say(str(problem))
    if len(stale) < count:
        say(f"{count - len(stale)} of {count} "
            f"{'editions (leaflet and language)' if several else 'languages'} up to date")
    if stale or to_make:  # what an edit reaches: a shared red flag, its leaflets and card
        kind = ("edition" if len(stale) == 1 else "editions") + " (leaflet and language)" \
            if several else "language" if len(stale) == 1 else "languages"
        say(f"to build: {len(stale)} {kind}, "
            f"{len(to_make)} card{'s' * (len(to_make) != 1)} "
            "(red-flag list and language)")
    raise_if_errors(inputs.problems)
    # An edition that cannot be rendered (a character no font draws, a card that does
    # not fit...) is not written; every other one is, as with a catalog's errors. Keyed
    # by (leaflet, language).
    failed: dict[tuple[str, str], list[Problem]] = dict(unprintable)
    keyed = [(e, freshness.key(Path(e.leaflet.path), options.translations, _folder(e),
                             options.draft)) for e in stale if _edition_key(e) not in failed]
    # One kind of output for every language before the next kind: the cards, the
    # smallest tasks, come last, so neither worker is left with a long task at the end.
    tasks = [(e, group, key) for group in _groups(variants) if group[0].document != "card"
             for e, key in keyed] + \
        [(c.edition, group, c.key) for group in _groups(variants) if group[0].document == "card"
         for c in to_make if _edition_key(c.edition) not in failed]
    users = {(c.edition.leaflet.red_flags.id, _edition_key(c.edition)[1]): c.leaflets
             for c in to_make}
    pages = keyed if any(v.format == "html" for v in variants) else []
    with _pool(min(max(len(tasks), len(pages)), os.cpu_count() or 1)) as pool:
        built = _run(pool, _task, tasks, say, failed)
        by_name = {Path(leaflet.path).stem: leaflet for leaflet in leaflets}
        built = [replace(f, leaflet="", leaflets=users[(f.card, f.language)]) if f.card else
                 replace(f, **about(by_name[f.leaflet], standings.get(f.leaflet)))
                 for f in built]
        if pages:
            built += _web(pool, [(e, key) for e, key in pages
                                 if _edition_key(e) not in failed],
                          built, options.output, standings, say, failed)
    # An edition is written whole or not at all: its last release stays in output/.
    built = [f for f in built if (f.leaflet, f.language) not in failed]
    kept = {(s.leaflet, s.language): f"current catalog: {s.failing}"
            if s.status == "skipped" else None for s in statuses}
    kept.update((edition, f"current catalog: cannot be rendered ({len(found)} error"
                          f"{'s' * (len(found) != 1)})") for edition, found in failed.items())
    failing = [s for s in statuses if s.status == "skipped" and s.report and s.report.errors]
    if not built and (failed or not output.read_manifest(options.output)):
        # Nothing to write (or no earlier release to mark kept): output/ stays as it was,
        # not even made when it did not exist.
        entries = output.read_manifest(options.output)
    else:
        stamp.forget(options.output)  # output/ changes: the stamp no longer says so
        entries = output.write(built, options.output, index, kept)
        if records != inputs.earlier:
            memo.write(options.output, records)
        if leaflets:
            entries = _recorded([s for name, s in standings.items() if name not in held],
                                options)
    catalog_errors = [p for s in failing for p in s.report.problems if p.is_error] + \
        list(dict.fromkeys(p for found in failed.values() for p in found))
    if any(held.values()):
        raise ControlErrors([p for found in held.values() for p in found] + catalog_errors,
                            [name for name, found in held.items() if found], entries)
    if failing or failed:
        raise CatalogErrors(catalog_errors,
                            [f"{s.leaflet} {s.language}" if several else s.language
                             for s in failing]
                            + [f"{name} {language}" if several else language
                               for name, language in sorted(failed)], entries)
    # Every selected output is now up to date (no language or card left out, no draft):
    # the next build with nothing to do may say so from the stamp.
    if all(s.status == "released" for s in statuses) and not said:
        stamp.record(options.output, setting, began, options.source, options.translations,
                     control.days(leaflets, options.today, options.review_notice),
                     warnings + [str(s) for s in standings.values() if s.state == "withdrawn"])
    return entries


def document_control(leaflet: source.Leaflet, options: Options, say=print) -> control.Standing:
    """The leaflet's document control today (control.py); its warnings said."""
    released = control.read_lock(options.lock) if options.lock else {}
    standing = control.standing(leaflet, options.today, released, options.review_notice)
    for problem in standing.problems:
        if not problem.is_error:
            say(str(problem))
    return standing


def _held(standing: control.Standing, options: Options, say) -> list[Problem]:
    """A leaflet not rebuilt: withdrawn, its files removed; overdue, or its text changed
    under a released version, its files kept and marked: its errors."""
    stamp.forget(options.output)  # output/ may change: the stamp no longer says so
    if standing.state == "withdrawn":
        gone = control.withdraw(options.output, standing.name)
        say(f"{standing}: {gone} files removed from {options.output}/")
        return []
    control.mark(options.output, standing)
    return [p for p in standing.problems if p.is_error]


def _recorded(standings: list[control.Standing], options: Options) -> list[dict]:
    """The manifest's entries after each built leaflet's review date is written in them,
    and its version's printed text in the lock when this build released a new version."""
    control.mark(options.output, *standings)
    if options.lock and any(s.record for s in standings):
        control.write_lock(options.lock, control.locked(control.read_lock(options.lock),
                                                        standings))
    return output.read_manifest(options.output)


def _web(pool, pages, built: list[output.Built], root: Path, standings: dict, say,
         failed: dict[tuple[str, str], list[Problem]]) -> list[output.Built]:
    """The web page of each edition, listing its language's files as the manifest will
    (made now, or listed with the same key), and the fonts the pages of each language
    share: made in the workers when a page brings characters the subsets in output/ lack
    (web.shared), else left as they are. An edition whose page cannot be made goes into
    `failed` (by leaflet and language) with its problems; a shared font that cannot be
    made stops the build. `standings`: each leaflet's document control, by name."""
    listed = output.read_manifest(root)
    made: list[output.Built] = []
    needed: list[web.Font] = []
    for edition, key in pages:
        language = page.bcp47(edition.leaflet.language)
        name = Path(edition.leaflet.path).stem
        files = {e["path"]: e for e in listed
                 if e.get("language") == language and e.get("inputs") == key}
        files.update((f.path, f.entry()) for f in built
                     if f.language == language and f.leaflet == name)
        # Its red-flag list's card, shared with the other leaflets using the list.
        files.update((e["path"], e) for e in [*listed, *(f.entry() for f in built)]
                     if e.get("language") == language
                     and e.get("card") == edition.leaflet.red_flags.id)
        try:
            made_page = web.render(edition.leaflet, edition.notices, edition.status,
                                   list(files.values()))
        except BuildError as exc:
            failed.setdefault((name, language), []).extend(exc.problems)
            continue
        made.append(replace(made_page.html, inputs=key, catalog=edition.catalog,
                            **about(edition.leaflet, standings.get(name))))
        needed += made_page.fonts
    # A subset output/ has for these characters stays as it is: not made, not written.
    todo = [f for f in web.shared(needed, listed) if output.reusable(root, f.path, f.key) is None]
    # The slowest subsets first (the most characters of the largest fonts).
    todo.sort(key=lambda f: -len(f.characters) * (fonts.FONT_DIR / f.file).stat().st_size)
    unmade: dict[str, list[Problem]] = {}
    subsets = _run(pool, _subset, todo, say, unmade)
    raise_if_errors(p for found in unmade.values() for p in found)
    return made + subsets


def about(leaflet: source.Leaflet, standing: control.Standing | None = None) -> dict:
    """What the manifest says of the leaflet a file is of, for the library's pages: its
    name, topic, reference, version, the review date in force and, when its review is
    due or overdue, that (as control.mark writes them: the same fields, the same words)."""
    meta = leaflet.metadata
    review = standing.review if standing else meta.review
    said = standing.summary if standing and standing.state in ("due", "overdue") else ""
    return {"leaflet": Path(leaflet.path).stem,
            "facts": (("topic", meta.topic), ("reference", meta.reference),
                      ("version", meta.version), ("review", review.isoformat()))
            + ((("control", said),) if said else ())}


def _subset(font: web.Font) -> tuple[str, list[output.Built], list[Problem], list[str]]:
    try:
        return font.path, [web.subset(font)], [], []
    except BuildError as exc:
        return font.path, [], list(exc.problems), []


def draft(leaflet: source.Leaflet, report: pocheck.Report, documents: tuple[str, ...],
          say=print) -> list[output.Built]:
    """The screen edition of each of `documents` in the report's language, in memory, every
    page marked DRAFT whatever the catalog's state: a translator's preview. Strings without
    a usable translation stay in English, highlighted."""
    edition = edition_of(leaflet, report, "draft")
    raise_if_errors(fonts.coverage(edition.leaflet))
    return [f for document in documents
            for f in _outputs(edition, [_variant(document, "screen")], say)]


def draft_page(leaflet: source.Leaflet, report: pocheck.Report) -> web.Page:
    """The web page in the report's language, marked DRAFT (as `draft` makes the PDFs):
    a translator's preview; it lists no files."""
    edition = edition_of(leaflet, report, "draft")
    raise_if_errors(fonts.coverage(edition.leaflet))
    return web.render(edition.leaflet, edition.notices, "draft", [])


@dataclass(frozen=True)
class Inputs:
    """What checking the build's inputs found (in the helper process: its problems
    returned, not raised)."""

    leaflets: list = field(default_factory=list)
    statuses: list = field(default_factory=list)  # LanguageStatus of every edition
    names: list = field(default_factory=list)  # the leaflet of each edition
    stale: list = field(default_factory=list)  # the editions not up to date: to build
    cards: list = field(default_factory=list)  # CardEdition: the cards to make
    said: list = field(default_factory=list)  # why a card is not made
    problems: list = field(default_factory=list)  # the sources': they stop the build
    unprintable: dict = field(default_factory=dict)  # (leaflet, language): characters
    records: dict = field(default_factory=dict)  # memo.py's, to keep
    earlier: dict = field(default_factory=dict)  # memo.py's, as read


def _checked_inputs(options: Options, variants: list[Variant]) -> Inputs:
    """The leaflets, their editions' statuses, the editions and cards not up to date and
    what stops them. An edition whose outputs are up to date, with a record of its checks
    under the key of what they read (memo.py), is not checked again: in a library, most
    editions are up to date after an edit."""
    cards_wanted = any(v.document == "card" for v in variants)
    try:
        leaflets = library(options)
        _known_languages(options, leaflets)
        manifest = output.read_manifest(options.output)  # once: a library's is long
        earlier = memo.read(options.output)
        check = _checker(options, manifest)
        statuses, names, stale, facts, records, made = [], [], [], [], {}, {}
        # (leaflet, folder) of every edition looked at: a build of some leaflets or
        # languages keeps the others' records.
        looked: set[tuple[str, str]] = set()
        for leaflet in leaflets:
            path, name = Path(leaflet.path), Path(leaflet.path).stem
            for folder in _folders(leaflet, options):
                looked.add((name, folder))
                at = memo.key(path, options.translations, folder, options.draft)
                up = freshness.fresh(path, options.translations, options.output, folder,
                                     variants, options.draft, manifest)
                remembered = _remembered(earlier.get(at), name, cards_wanted) \
                    if up is not None else None
                if remembered:
                    statuses.append(remembered[0])
                    names.append(name)
                    facts += [remembered[1]] if remembered[1] else []
                    records[at] = earlier[at]
                    continue
                status, edition = check(leaflet, folder)
                statuses.append(status)
                if edition is None:
                    continue
                names.append(name)
                made[(name, folder)] = edition
                stale += [edition] if up is None else []
                found = cards.facts_of(edition, folder) if cards_wanted else None
                facts += [found] if found else []
                if status.status == "released":
                    records[at] = {"leaflet": name, "folder": folder, "line": str(status),
                                   "language": status.language,
                                   "card": found and asdict(found)}
        said: list[str] = []
        to_make = _cards_to_make(cards.choose(facts, said.append), made, check, leaflets,
                                 options, variants, manifest, said.append)
    except BuildError as exc:
        return Inputs(problems=list(exc.problems))
    unprintable = {_edition_key(e): fonts.coverage(e.leaflet)
                   for e in [*stale, *(c.edition for c in to_make)]}
    return Inputs(leaflets, statuses, names, stale, to_make, said, [],
                  {edition: found for edition, found in unprintable.items() if found},
                  {**memo.kept(earlier, looked, {p.stem for p in leaflet_paths(options.source)}),
                   **records}, earlier)


def _cards_to_make(chosen: list[cards.CardEdition], made: dict, check, leaflets: list,
                   options: Options, variants: list[Variant], manifest: list[dict],
                   say) -> list[cards.CardEdition]:
    """The chosen cards not up to date, each with the edition it is made from: one this
    build checked (`made`, by leaflet and folder), or checked now (`check`, _checker's)
    when an earlier build's record stood for it."""
    found = []
    for card in chosen:
        card = cards.with_earlier_users(card, manifest)
        if cards.up_to_date(card, options.output, variants, manifest):
            continue
        facts = card.facts
        edition = made.get((facts.leaflet, facts.folder)) or check(
            next(x for x in leaflets if Path(x.path).stem == facts.leaflet), facts.folder)[1]
        if edition is None:  # its catalog changed since it was read, a moment ago
            say(f"{facts.language}: card {facts.list_id} not made: the catalog of "
                f"{facts.leaflet} changed during the build")
            continue
        found.append(replace(card, edition=edition))
    return found


def _remembered(record: dict | None, name: str, cards_wanted: bool):
    """(LanguageStatus, CardFacts or None) from a memo record of the leaflet `name`'s
    checks; None when there is none, or it lacks what this build needs (the card's facts
    when cards are made), or it is not one this build wrote."""
    if not record or (cards_wanted and not record.get("card")):
        return None
    try:
        status = LanguageStatus(str(record["language"]), None, "released", leaflet=name,
                                line=str(record["line"]))
        return status, CardFacts(**record["card"]) if record.get("card") else None
    except (KeyError, TypeError):
        return None


def _checker(options: Options, manifest: list[dict], shared: changes.Changes | None = None):
    """check(leaflet, folder) -> (its LanguageStatus, its Edition or None); what every
    language of a leaflet shares found once, when first needed. `manifest`: output/'s;
    `shared`: shared_changes, when the caller has them already."""
    shared = shared_changes(options.source, options.translations) if shared is None else shared
    found: dict[str, tuple] = {}

    def check(leaflet: source.Leaflet, folder: str):
        name = Path(leaflet.path).stem
        if name not in found:
            found[name] = (source_changes(leaflet, options.translations),
                           released_catalogs(options.output, name, manifest))
        edited, kept = found[name]
        return _language(leaflet, options, folder, edited, shared, kept)
    return check


def _edition_key(edition: Edition) -> tuple[str, str]:
    """(leaflet's name, language) of an edition."""
    return Path(edition.leaflet.path).stem, page.bcp47(edition.leaflet.language)


def reserved(path: Path) -> list[Problem]:
    """A leaflet whose name is that of a library page in every language folder (its web
    page would be output/<language>/index.html, the language's page) or of the shared
    catalog."""
    if Path(path).stem == SHARED:
        return [Problem(Location(shown(Path(path))), f"a leaflet may not be called "
                        f"'{SHARED}': translations/<language>/LC_MESSAGES/{SHARED}.po is the "
                        "catalog of the shared passages; rename the file")]
    if Path(path).stem not in RESERVED:
        return []
    return [Problem(Location(shown(Path(path))), f"a leaflet may not be called "
                    f"'{Path(path).stem}': output/<language>/{Path(path).stem}.html is the "
                    "page of the language's leaflets; rename the file")]


def library(options: Options) -> list[source.Leaflet]:
    """Every selected leaflet, with the shared source beside them; BuildError with every
    problem of every one of them."""
    paths = leaflet_paths(options.source, options.leaflets)
    if not paths:
        raise BuildError([Problem(Location(shown(options.source)),
                                  "no leaflet here: a leaflet is a .yaml file in source/")])
    shared = source.load_shared(paths[0].parent / SHARED)
    loaded, problems = [], [p for path in paths for p in reserved(path)]
    for path in paths:
        try:
            loaded.append(source.load(path, shared))
        except BuildError as exc:
            problems += exc.problems
    raise_if_errors(problems)
    return loaded


def _known_languages(options: Options, leaflets: list[source.Leaflet]) -> None:
    """A language asked for must be one some selected leaflet has a catalog in."""
    wanted = {page.bcp47(w) for w in options.languages}
    have = {page.bcp47(f) for leaflet in leaflets
            for f in catalog.languages(options.translations, Path(leaflet.path).stem)}
    unknown = wanted - have - {catalog.SOURCE_LANGUAGE}
    if unknown:
        raise BuildError([Problem(Location(str(options.translations)),
                                  f"no catalog for language {', '.join(sorted(unknown))}")])


def documents(options: Options):
    """(page.Html, WeasyPrint options) of every PDF the build renders, after its fits:
    what the benchmark gives bare WeasyPrint to compare the pipeline with."""
    for edition in (e for leaflet in library(options) for e in languages(leaflet, options)[1]):
        fits: dict = {}
        for variant in _variants(options):
            if variant.imposed_from or variant.format != "pdf":
                continue
            look = _look(edition, variant, fits, lambda line: None)
            for part in booklet.parts(look) if variant.fit_booklet else (look,):
                html = page.render(edition.leaflet, variant.document, variant.name,
                                   edition.notices, draft=edition.status == "draft", look=part)
                yield html, dict(variant.pdf_options)


def _folder(edition: Edition) -> str:
    """The language's catalog folder name (or the source language): its key's name."""
    language = edition.leaflet.language
    if language == edition.leaflet.metadata.language:
        return catalog.SOURCE_LANGUAGE
    return language


def _groups(variants: list[Variant]) -> list[tuple[Variant, ...]]:
    """The variants made in tasks (PDFs, braille, plain text): those that share work (a
    fit, a PDF imposed) go to the same task."""
    groups: dict[str, list[Variant]] = {}
    for v in variants:
        if v.format == "html":
            continue  # made after the PDFs it lists (_web)
        shared = "card" if v.document == "card" else \
            "booklet" if v.fit_booklet or v.imposed_from else v.name
        groups.setdefault(shared, []).append(v)
    return [tuple(g) for g in groups.values()]


def _run(pool, work, tasks, say, failed: dict) -> list[output.Built]:
    """Every task's files, done by `work`: in the pool's worker processes (forked after
    WeasyPrint is imported, so no worker pays for the import again), or here when there
    is no pool. A task's problems go into `failed` under what it names (its edition,
    leaflet and language, or a font's path)."""
    built = []
    results = pool.imap_unordered(work, tasks) if pool else map(work, tasks)
    for done, (named, files, found, said) in enumerate(results, 1):
        built += files
        if found:
            failed.setdefault(named, []).extend(found)
        for line in said:
            say(line)
        say(f"[{done}/{len(tasks)}] " + ", ".join(f.path for f in files)
            + (f"{' '.join(named) if isinstance(named, tuple) else named}: failed"
               if found else ""))
    return built


@contextlib.contextmanager
def _pool(processes: int):
    if processes < 2:
        yield None
        return
    pdf.warm_up()
    # What is alive now (modules, the source, the catalogs) lasts the whole build: out
    # of the collector's sight, the workers' collections do not walk it again and again,
    # and its memory pages stay shared with the workers (Python's gc.freeze advice).
    gc.freeze()
    try:
        with tempfile.TemporaryDirectory(prefix="leaflet-build-") as scratch, \
                multiprocessing.get_context("fork").Pool(processes, _worker_started,
                                                         (scratch,)) as pool:
            yield pool
    finally:
        gc.unfreeze()


def _worker_started(scratch: str) -> None:
    # WeasyPrint copies the fonts a document uses into a temporary folder (10 MB here)
    # that its FontConfiguration removes when it is deleted; a worker process ends
    # without deleting anything, so its temporary files go into the build's scratch
    # folder, which the build removes when the workers are done.
    tempfile.tempdir = scratch
    # A worker lays out page after page, making objects by the million and keeping few:
    # looking for garbage cycles every 20,000 new objects rather than every 700 saves
    # 3-5 % of its time, for some 20 MB more memory (measured on the leaflet's PDFs).
    gc.set_threshold(20_000, 10, 10)


def _task(task) -> tuple[tuple[str, str], list[output.Built], list[Problem], list[str]]:
    """One group of variants of one edition: its (leaflet, language), files, problems and
    messages
    (returned, not raised or printed: this may run in a worker process)."""
    edition, variants, key = task
    language = page.bcp47(edition.leaflet.language)
    said: list[str] = []
    try:
        files = _outputs(edition, list(variants), said.append)
    except BuildError as exc:
        return _edition_key(edition), [], list(exc.problems), said
    return _edition_key(edition), [replace(f, inputs=key) for f in files], [], said


def languages(leaflet: source.Leaflet, options: Options,
              shared: changes.Changes | None = None):
    """The status of every selected language, and the editions to build. `shared`: the
    shared passages' changes (shared_changes), when the caller has them already."""
    check = _checker(options, output.read_manifest(options.output), shared)
    found = [check(leaflet, folder) for folder in _folders(leaflet, options)]
    return [status for status, _ in found], [e for _, e in found if e is not None]


def _folders(leaflet: source.Leaflet, options: Options) -> list[str]:
    """The leaflet's selected languages: the source language, then its catalogs' folders."""
    wanted = {page.bcp47(w) for w in options.languages}
    own = [catalog.SOURCE_LANGUAGE] if not wanted or catalog.SOURCE_LANGUAGE in wanted else []
    return own + [f for f in catalog.languages(options.translations, Path(leaflet.path).stem)
                  if not wanted or page.bcp47(f) in wanted]


def _language(leaflet: source.Leaflet, options: Options, folder: str,
              edited: changes.Changes, shared: changes.Changes,
              kept: dict[str, str]) -> tuple[LanguageStatus, Edition | None]:
    """The status of the leaflet in the language of `folder` and its edition (None when
    the language is skipped). `edited`, `shared`: the source's changes (source_changes,
    shared_changes); `kept`: released_catalogs'."""
    name = Path(leaflet.path).stem
    if folder == catalog.SOURCE_LANGUAGE:
        return LanguageStatus(catalog.SOURCE_LANGUAGE, None, "released", leaflet=name), \
            Edition(leaflet, "released")
    report = edition_report(leaflet, options.translations, folder, edited, shared)
    status = release_status(report, options.draft)
    if status == "skipped":  # named by its folder: its header may be what is wrong
        return LanguageStatus(page.bcp47(folder), report, status,
                              kept.get(page.bcp47(folder), ""), name), None
    return LanguageStatus(page.bcp47(report.language or folder), report, status,
                          leaflet=name), edition_of(leaflet, report, status)


def edition_report(leaflet: source.Leaflet, translations: Path, folder: str,
                   edited: changes.Changes | None = None,
                   shared: changes.Changes | None = None) -> pocheck.Report:
    """Every string the leaflet prints in the language of `folder`, checked: its own
    catalog's and the shared catalog's it uses, each read as update-po would leave it after
    the source's changes (`edited`, its own; `shared`, the shared passages'; found when not
    given). What the language cannot print is an error (printable.py); reviewed only as
    the team recorded it (reviews.py), never as a catalog says."""
    name = Path(leaflet.path).stem
    edited = source_changes(leaflet, translations) if edited is None else edited
    if shared is None:
        shared = shared_changes(Path(leaflet.path), translations)
    texts = {t.key: t for t in source.texts(leaflet)}
    used = {k: t for k, t in texts.items() if source.is_shared(t)}
    path = catalog.po_path(translations, folder, name)
    report = printable.printable(changes.check(
        path, {k: t for k, t in texts.items() if k not in used}, edited, shown(path)))
    if used:
        # The other leaflets' passages in the shared catalog are theirs to check.
        others = (frozenset(dict(shared.english)) | frozenset(shared.added)) - set(used)
        path = catalog.po_path(translations, folder, SHARED)
        report = pocheck.joined(report, printable.printable(changes.check(
            path, used, shared, shown(path), others)) if path.exists() else pocheck.Report(
            shown(path), "", (Problem(Location(shown(path)), f"missing: the {folder} catalog of "
                              f"the shared passages, which translates {len(used)} strings the "
                              "leaflet prints", "warning",
                              "Run make update-po to start it, then translate it."),),
            total=len(used), untranslated=len(used)))
    return reviews.reviewed(report, translations, reviews.catalog_key(name, folder), texts)


def source_changes(leaflet: source.Leaflet, translations: Path) -> changes.Changes:
    """The leaflet's own strings changed since its catalogs were last updated."""
    return changes.since_update({t.key: t for t in catalog.own_texts(leaflet)},
                                catalog.pot_path(translations, Path(leaflet.path).stem))


def shared_changes(folder: Path, translations: Path) -> changes.Changes:
    """The shared passages' strings changed since the shared catalogs were last updated
    (`folder`: the leaflets' folder, or one leaflet)."""
    return changes.since_update(
        {t.key: t for t in source.shared_texts(source.load_shared(shared_folder(folder)))},
        catalog.pot_path(translations, SHARED))


def shared_folder(folder: Path) -> Path:
    """The shared source beside the leaflets of `folder` (a folder, or one leaflet)."""
    folder = Path(folder)
    return (folder if folder.is_dir() else folder.parent) / SHARED


def released_catalogs(root: Path, name: str,
                      manifest: list[dict] | None = None) -> dict[str, str]:
    """Language -> the date of the catalog the leaflet `name`'s released files in `root`
    were made from (a file made from no catalog, such as a font, does not say: another
    file does). `manifest`: root's, when the caller has read it."""
    found: dict[str, str] = {}
    for e in output.read_manifest(root) if manifest is None else manifest:
        if e.get("status") == "released" and name in (e.get("leaflet"), *e.get("leaflets", ())):
            found[e.get("language")] = e.get("catalog") or found.get(e.get("language"),
                                                                     "an earlier date")
    return found


def _variants(options: Options) -> list[Variant]:
    chosen = [v for v in VARIANTS
              if (not options.documents or v.document in options.documents)
              and (not options.variants or v.name in options.variants)]
    if not chosen:
        raise BuildError([Problem(Location("render.py"), "no document and variant match "
                                  f"{options.documents or 'any'} / {options.variants or 'any'}")])
    return chosen


def _outputs(edition: Edition, variants: list[Variant], say) -> list[output.Built]:
    """Every selected variant of one language; derived variants reuse what they come from,
    and fits (card sizes, booklet pages) are made once."""
    made: dict[tuple[str, str], output.Built] = {}
    fits: dict[str, object] = {}
    language = page.bcp47(edition.leaflet.language)

    def make(variant: Variant) -> output.Built:
        if variant.format != "pdf":
            return _text_format(edition, variant)
        if variant.imposed_from:
            base = made.get((variant.document, variant.imposed_from)) or make(
                _variant(variant.document, variant.imposed_from))
            return _impose(edition, variant, base)
        look = _look(edition, variant, fits, say)
        return _make(edition, variant, look, fits.pop(("laid out", variant), None))

    for variant in sorted(variants, key=lambda v: bool(v.imposed_from)):
        if variant not in freshness.made([variant], language):
            say(f"{language}: braille skipped: {braille.why_not(language)}")
            continue
        flags = [t.key for t in edition.leaflet.red_flags.items if t.untranslated]
        if variant.format != "pdf" and flags:
            say(f"{language}: {variant.name} skipped: {len(flags)} red flags are not "
                "translated (the red flags are never half-translated)")
            continue
        if variant.document == "card" and card_gaps(edition.leaflet):
            if "card" not in fits:
                fits["card"] = None
                say(f"{language}: card skipped: {len(card_gaps(edition.leaflet))} card strings "
                    "are not translated (a card is never half-translated)")
            continue
        made[(variant.document, variant.name)] = make(variant)
    return [made[(v.document, v.name)] for v in variants if (v.document, v.name) in made]


def _look(edition: Edition, variant: Variant, fits: dict, say) -> Look:
    """The variant's look, with the card sizes or the booklet layout fitted once."""
    leaflet, draft = edition.leaflet, edition.status == "draft"
    language = page.bcp47(leaflet.language)
    if variant.document == "card":
        if "card" not in fits:
            screen = _variant("card", "screen")  # the fit's layouts make the screen card
            fits["card"], fits[("laid out", screen)] = card.fit(
                leaflet, edition.notices, draft, **dict(screen.pdf_options))
            sizes = fits["card"]
            say(f"{language}: card front {sizes.front:g} pt ({sizes.front_fill:.0%} full), "
                f"back {sizes.back:g} pt ({sizes.back_fill:.0%} full)")
        return replace(variant.look, card_sizes=fits["card"])
    if variant.fit_booklet:
        # The fit lays the edition out; the layout it keeps is written as it is.
        fitted, fits[("laid out", variant)] = booklet.fit(
            leaflet, variant.look, edition.notices, draft, **dict(variant.pdf_options))
        extras = (["the warning on a page of its own"] if fitted.emergency_page else []) + \
            ([f"{fitted.notes_pages} notes page{'s' * (fitted.notes_pages > 1)}"]
             if fitted.notes_pages else [])
        say(f"{language}: A5 booklet of {len(fits[('laid out', variant)].pages)} pages"
            + (f" with {' and '.join(extras)}" if extras else ""))
        return fitted
    return variant.look


def _variant(document: str, name: str) -> Variant:
    return next(v for v in VARIANTS if (v.document, v.name) == (document, name))


def _where(leaflet: source.Leaflet, variant: Variant) -> Location:
    return Location(f"{leaflet.path} [{page.bcp47(leaflet.language)} {variant.document} "
                    f"{variant.name}]")


def _make(edition: Edition, variant: Variant, look: Look, laid_out=None) -> output.Built:
    """Render (or write what a fit laid out), finish and check one variant."""
    leaflet = edition.leaflet
    where = _where(leaflet, variant)
    if laid_out is None:
        html = page.render(leaflet, variant.document, variant.name, edition.notices,
                           draft=edition.status == "draft", look=look)
        laid_out = pdf.layout(html, where, **dict(variant.pdf_options))
    data = pdf.write(laid_out, where, **dict(variant.pdf_options))
    if variant.tagged or variant.pdfx:
        data = finish.finished(data, variant.tagged, variant.pdfx)
    title = leaflet.metadata.title.plain if variant.document == "leaflet" else \
        f"{leaflet.card.title.plain}: {leaflet.card.subtitle.plain}"
    return _checked(edition, variant, data, title,
                    headings(leaflet, look) if variant.document == "leaflet" else ())


def _text_format(edition: Edition, variant: Variant) -> output.Built:
    """The braille-ready file or the plain text, from the same outline of the leaflet."""
    leaflet = edition.leaflet
    where = str(_where(leaflet, variant))
    outline = page.outline(leaflet, edition.notices, draft=edition.status == "draft")
    if variant.format == "brf":
        data = braille.render(outline, where=where)
        pages = len(braille.pages(data))
    else:
        data, pages = plaintext.render(outline), None  # text has no pages
        _red_flags_in_order(plaintext.strings(data), leaflet, where)
    return output.Built(output_path(Path(leaflet.path), variant, leaflet.language),
                        variant.document, page.bcp47(leaflet.language), variant.name,
                        edition.status, pages, data, title=leaflet.metadata.title.plain,
                        catalog=edition.catalog, leaflet=Path(leaflet.path).stem)


def _red_flags_in_order(text: str, leaflet: source.Leaflet, where: str) -> None:
    """Every red flag, whole and in order, or the build stops (never half a list)."""
    at = 0
    for flag in leaflet.red_flags.items:
        found = text.find(flag.plain, at)
        if found < 0:
            raise BuildError([Problem(Location(where), f"red flag '{flag.key}' is missing "
                                      "or out of order")])
        at = found + len(flag.plain)


def _impose(edition: Edition, variant: Variant, base: output.Built) -> output.Built:
    leaflet = edition.leaflet
    if variant.document == "leaflet":
        rtl = page.locale_of(leaflet.language).text_direction == "rtl"
        return _checked(edition, variant, finish.booklet(base.data, rtl),
                        leaflet.metadata.title.plain, ())
    layout = finish.LAYOUT
    title = f"{leaflet.card.title.plain}: {leaflet.card.subtitle.plain}"
    notes = {
        "front": f"{layout.count} cards ({layout.columns} across, {layout.rows} down). Print "
                 "double-sided, flip on long edge, at actual size (100%, not 'fit to page'). "
                 "Cut along the marks.",
        "back": "Back of the sheet: the backs of the cards. Long-edge flip puts each back "
                "behind its front.",
    }
    frame = pdf.render(page.sheet(layout, title, leaflet.metadata.organisation.plain, notes,
                                  leaflet.card.title, leaflet.language),
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
    pages, problems = verify.verify(data, expect, _where(leaflet, variant))
    raise_if_errors(problems)
    card = leaflet.red_flags.id if variant.document == "card" else ""
    return output.Built(output_path(Path(leaflet.path), variant, leaflet.language, card),
                        variant.document, page.bcp47(leaflet.language), variant.name,
                        edition.status, pages, data, title=title,
                        catalog=edition.catalog,
                        leaflet="" if card else Path(leaflet.path).stem, card=card)


def headings(leaflet: source.Leaflet, look: Look = Look()) -> tuple[str, ...]:
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
    out.extend(leaflet.labels.notes.plain for _ in range(look.notes_pages))
    out.append(leaflet.labels.document_control.plain)
    return tuple(out)
