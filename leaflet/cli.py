"""The command line: `python render.py [command] [options]`.

Every error the pipeline knows about is printed as `path:line: error: message` and
the exit status is 1; there is no traceback for bad input.
"""
from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sys
from pathlib import Path

from .errors import (BuildError, CatalogErrors, ControlErrors, Location, Problem,
                     raise_if_errors, shown)
from .inputs.languages import leaflets as leaflet_files
from .layout.variants import VARIANTS

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"  # every leaflet: source/*.yaml (source/shared/ is not one)
TRANSLATIONS = ROOT / "translations"
OUTPUT = ROOT / "output"
MAX_SHOWN = 50  # problems printed; a broken file can have thousands
COMMANDS = ("build", "pot", "update-po", "check-po", "status", "check", "serve", "submissions",
            "accept", "reject", "review")
SUBMISSIONS = ROOT / "submissions"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except CatalogErrors as exc:
        for problem in exc.problems:  # every one, as check-po prints them
            print(problem, file=sys.stderr)
        print(f"render.py: {_errors(exc.problems)} in the catalog"
              f"{'s' * (len(exc.languages) != 1)} of {', '.join(exc.languages)}: not released "
              "(a language released before keeps its last files); every other language "
              f"was written ({len(exc.entries)} files in manifest.json)", file=sys.stderr)
        return 1
    except ControlErrors as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"render.py: {_errors(exc.problems)}: {', '.join(exc.leaflets)} not rebuilt "
              "(its last released files stay); every other leaflet was written "
              f"({len(exc.entries)} files in manifest.json)", file=sys.stderr)
        return 1
    except BuildError as exc:
        for problem in exc.problems[:MAX_SHOWN]:
            print(problem, file=sys.stderr)
        if len(exc.problems) > MAX_SHOWN:
            print(f"... and {len(exc.problems) - MAX_SHOWN} more", file=sys.stderr)
        print(f"render.py: {_errors(exc.problems)}; nothing was written", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("render.py: interrupted; output/ keeps its last good files", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`render.py check | head`)
        sys.stdout = None
        return 0


def _errors(problems) -> str:
    errors = sum(p.is_error for p in problems)
    return f"{errors} error{'s' if errors != 1 else ''}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="render.py",
        description="Build the library's patient leaflets (source/*.yaml) from their "
                    "YAML sources and translations into PDFs, web pages, braille-ready "
                    "files and plain text in output/.",
        epilog="With no command, 'build' runs. 'render.py COMMAND --help' explains each.")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    _build_command(commands)
    _catalog_commands(commands)
    _check_command(commands)
    _serve_command(commands)
    _submission_commands(commands)
    return parser


def _build_command(commands) -> None:
    b = commands.add_parser("build", help="render PDFs, web pages, braille and plain text "
                                          "into output/ (the default)",
                            description="Render, check and write the PDFs, the web pages, "
                                        "the braille-ready files, the plain text, "
                                        "output/index.html and output/manifest.json. Nothing "
                                        "is written unless every selected file is good.")
    b.add_argument("--language", "-l", action="append", default=[], metavar="LANG",
                   help="build only this language (repeatable), e.g. en-GB, pl, zh_Hans")
    b.add_argument("--document", "-d", action="append", default=[], metavar="DOC",
                   choices=sorted({v.document for v in VARIANTS}),
                   help="build only this document (repeatable): %(choices)s")
    b.add_argument("--variant", "-v", action="append", default=[], metavar="VARIANT",
                   choices=sorted({v.name for v in VARIANTS}),
                   help="build only this variant (repeatable): %(choices)s")
    b.add_argument("--output", "-o", type=Path, default=OUTPUT, metavar="DIR",
                   help="output directory (default: output/)")
    b.add_argument("--leaflet", action="append", default=[], metavar="NAME",
                   help="build only this leaflet (repeatable): the name of its file in "
                        "source/ without .yaml")
    b.add_argument("--source", type=Path, default=SOURCE, metavar="PATH",
                   help="the folder of leaflets, or one leaflet's file (default: source/)")
    b.add_argument("--translations", type=Path, default=TRANSLATIONS, metavar="DIR",
                   help="the folder of catalogs (default: translations/)")
    b.add_argument("--draft", action="store_true",
                   help="also build languages whose translation is incomplete, marked DRAFT")
    _dates(b)
    b.set_defaults(run=_build)


def _catalog_commands(commands) -> None:
    """pot, update-po, check-po and status: the catalogs and what each language's is."""
    p = commands.add_parser("pot", help="extract each leaflet's strings into "
                                        "translations/<leaflet>.pot")
    p.add_argument("--source", type=Path, default=SOURCE, metavar="PATH")
    p.add_argument("--leaflet", action="append", default=[], metavar="NAME")
    p.set_defaults(run=_pot)

    u = commands.add_parser("update-po", help="merge each leaflet's .pot into its catalogs",
                            description="Bring every translations/*/LC_MESSAGES/<leaflet>.po "
                                        "up to date with the source: translations kept, "
                                        "changed strings marked fuzzy, removed ones kept "
                                        "as obsolete.")
    u.add_argument("--source", type=Path, default=SOURCE, metavar="PATH")
    u.add_argument("--leaflet", action="append", default=[], metavar="NAME")
    u.add_argument("--translations", type=Path, default=TRANSLATIONS, metavar="DIR")
    u.set_defaults(run=_update_po)

    c = commands.add_parser("check-po", help="check .po files as a translator would",
                            description="Report every problem of each .po file as "
                                        "file:line: error|warning: message. Exit status 1 "
                                        "when there is an error.")
    c.add_argument("files", nargs="*", type=Path, metavar="FILE",
                   help="catalogs to check (default: every catalog in translations/); a "
                        "file is checked against the leaflet --leaflet names, or the one it "
                        "is named after (<leaflet>.po), or the library's only leaflet")
    c.add_argument("--source", type=Path, default=SOURCE, metavar="PATH")
    c.add_argument("--leaflet", action="append", default=[], metavar="NAME")
    c.set_defaults(run=_check_po)

    s = commands.add_parser("status", help="one line per language: translated, fuzzy, "
                                           "errors, reviewed, released or not")
    s.add_argument("--source", type=Path, default=SOURCE, metavar="PATH")
    s.add_argument("--leaflet", action="append", default=[], metavar="NAME")
    s.add_argument("--draft", action="store_true", help="as a --draft build would decide")
    s.add_argument("--output", "-o", type=Path, default=OUTPUT, metavar="DIR",
                   help="the output folder whose last releases are reported")
    s.add_argument("--translations", type=Path, default=TRANSLATIONS, metavar="DIR")
    _dates(s)
    s.set_defaults(run=_status)


def _check_command(commands) -> None:
    k = commands.add_parser("check", help="check every file in output/ (accessibility, "
                                          "integrity): a table of files against checks",
                            description="Exit status 1 when any check fails.")
    k.add_argument("--output", "-o", type=Path, default=OUTPUT, metavar="DIR")
    k.add_argument("--no-engines", action="store_true",
                   help="leave out the engines check, which draws every page in five "
                        "engines (over a minute for a full build on two cores)")
    k.set_defaults(run=_check)


def _serve_command(commands) -> None:
    w = commands.add_parser("serve", help="the translators' and clinic's web application",
                            description="Serve the leaflets, the languages' status and the "
                                        "translators' check, preview and submit pages. "
                                        "Behind a reverse proxy, keep the default host and "
                                        "give --trusted-proxy (docs/web-application.md: "
                                        "Serving a team).")
    w.add_argument("--host", default="127.0.0.1", help="address to listen on "
                                                        "(default: %(default)s)")
    w.add_argument("--port", type=int, default=8000, help="(default: %(default)s)")
    w.add_argument("--trusted-proxy", metavar="ADDRESS",
                   help="the reverse proxy's address, whose X-Forwarded-For names the client")
    w.add_argument("--secure-cookies", action="store_true",
                   help="send cookies over HTTPS only (when the proxy serves HTTPS)")
    w.add_argument("--checks-per-minute", type=int, default=6, metavar="N",
                   help="uploads one client address may check in a minute (default: "
                        "%(default)s: with one check at a time of at most 10 s, what one "
                        "worker slot gives; docs/security.md)")
    w.add_argument("--previews-per-minute", type=int, default=6, metavar="N",
                   help="previews one client may ask for in a minute (default: %(default)s)")
    w.add_argument("--output", "-o", type=Path, default=OUTPUT, metavar="DIR")
    w.add_argument("--translations", type=Path, default=TRANSLATIONS, metavar="DIR")
    w.add_argument("--submissions", type=Path, default=SUBMISSIONS, metavar="DIR")
    w.set_defaults(run=_serve)


def _submission_commands(commands) -> None:
    """submissions, accept and reject: what translators sent, and a maintainer's decision."""
    m = commands.add_parser("submissions", help="list the catalogs translators submitted")
    m.add_argument("--all", action="store_true", help="accepted and rejected ones too")
    m.add_argument("--submissions", type=Path, default=SUBMISSIONS, metavar="DIR")
    m.set_defaults(run=_submissions)

    a = commands.add_parser("accept", help="check a submission again and put it in place "
                                           "as its language's catalog")
    a.add_argument("path", type=Path, metavar="PATH", help="the submission's folder")
    a.add_argument("--source", type=Path, default=SOURCE, metavar="PATH")
    a.add_argument("--translations", type=Path, default=TRANSLATIONS, metavar="DIR")
    a.add_argument("--submissions", type=Path, default=SUBMISSIONS, metavar="DIR")
    a.set_defaults(run=_accept)

    v = commands.add_parser("review", help="record a qualified translator's review of a "
                                           "leaflet's catalog in a language as it is now",
                            description="Record in translations/reviews.json who reviewed "
                                        "the leaflet's catalog in the language and when, "
                                        "with the SHA-256 "
                                        "of its strings: the leaflet loses the unreviewed "
                                        "notice while the catalog keeps those strings. "
                                        "Commit the file. A catalog cannot record its own "
                                        "review (TRANSLATING.md).")
    v.add_argument("language", metavar="LANG", help="the catalog's folder, e.g. pl, pt_PT")
    v.add_argument("--reviewer", required=True,
                   help='who reviewed it: "Name Surname, qualification (registration)"')
    v.add_argument("--date", required=True, metavar="YYYY-MM-DD",
                   help="the day the review was finished")
    v.add_argument("--leaflet", metavar="NAME", default="",
                   help="the leaflet whose catalog it is (needed when there are several)")
    v.add_argument("--source", type=Path, default=SOURCE, metavar="DIR")
    v.add_argument("--translations", type=Path, default=TRANSLATIONS, metavar="DIR")
    v.set_defaults(run=_review)

    r = commands.add_parser("reject", help="record that a submission is not used")
    r.add_argument("path", type=Path, metavar="PATH", help="the submission's folder")
    r.add_argument("--reason", required=True, help="why (kept with the submission)")
    r.add_argument("--submissions", type=Path, default=SUBMISSIONS, metavar="DIR")
    r.set_defaults(run=_reject)


def _dates(command) -> None:
    """--today and --review-notice: what document control compares review dates with."""
    command.add_argument("--today", type=_date, default=os.environ.get("LEAFLET_TODAY"),
                         metavar="YYYY-MM-DD",
                         help="the date review dates are compared with (default: "
                              "$LEAFLET_TODAY, or today)")
    command.add_argument("--review-notice", type=int, default=3, metavar="MONTHS",
                         help="a review is due this many months before its date "
                              "(default: %(default)s)")


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written as YYYY-MM-DD")


def _today(args) -> datetime.date:
    # A default from the environment is a string argparse converts only when it is used.
    return _date(args.today) if isinstance(args.today, str) else args.today or \
        datetime.date.today()


def _lock(source: Path) -> Path:
    """The record of released text: source/released.lock, beside the leaflets."""
    return (source if source.is_dir() else source.parent) / "released.lock"


def _serve(args) -> int:
    from .app import server

    settings = server.Settings(
        source=SOURCE, translations=args.translations, output=args.output,
        submissions=args.submissions, checks_per_minute=args.checks_per_minute,
        previews_per_minute=args.previews_per_minute, secure_cookies=args.secure_cookies)
    try:
        server.serve(settings, args.host, args.port, args.trusted_proxy)
    except KeyboardInterrupt:
        print("render.py: stopped serving")
    except OSError as exc:  # the port is taken, the address is not this machine's
        print(f"render.py: cannot serve on {args.host}:{args.port}: {exc.strerror}",
              file=sys.stderr)
        return 1
    return 0


def _submissions(args) -> int:
    from .build import submissions

    found = [s for s in submissions.listing(args.submissions)
             if args.all or s.state == "pending"]
    for s in found:
        report = str(s.about.get("report", "")).strip().splitlines()
        summary = report[-1].split(": ", 1)[-1] if report else ""  # "119/119 translated, ..."
        # What a translator typed is printed with its control characters made visible.
        safe = submissions.shown_safely
        print(f"{shown(s.path)}  {s.state}  {safe(s.about.get('received', '?'))}  "
              f"{safe(s.about.get('name', '?'))} <{safe(s.about.get('email', '?'))}>  "
              f"{safe(summary)}")
    print(f"render.py: {len(found)} submission{'s' * (len(found) != 1)}"
          f"{'' if args.all else ' waiting'} in {shown(args.submissions)}/")
    return 0


def _accept(args) -> int:
    from .build import submissions

    def texts_of(name: str) -> dict:  # what the catalog called `name` translates
        from .build import build as build_stage
        from .inputs import catalog, source

        if name == catalog.SHARED:
            shared = source.load_shared(build_stage.shared_folder(args.source))
            return {t.key: t for t in source.shared_texts(shared)}
        [leaflet] = _library(args.source, [name])  # an unknown name is a BuildError
        return {t.key: t for t in catalog.own_texts(leaflet)}

    target = submissions.accept(args.path, args.submissions, args.translations, texts_of,
                                args.source)
    print(f"render.py: accepted {shown(args.path)} as {shown(target)}; `make` builds it")
    return 0


def _review(args) -> int:
    from .build import build as build_stage, reviews
    from .inputs import catalog, source

    names = [p.stem for p in leaflet_files(args.source)]
    if not args.leaflet and len(names) != 1:
        raise BuildError([Problem(Location("--leaflet"), "name the leaflet whose catalog was "
                                  f"reviewed: one of {', '.join(names) or '(none)'}")])
    [leaflet] = _library(args.source, [args.leaflet or names[0]])
    name = Path(leaflet.path).stem
    if args.language not in catalog.languages(args.translations, name):
        raise BuildError([Problem(Location(shown(args.translations)), f"no catalog of {name} "
                                  f"for language '{args.language}' (its folder name, e.g. "
                                  "pt_PT)")])
    # A review covers every string the leaflet prints: its own and the shared ones it uses.
    texts = {t.key: t for t in source.texts(leaflet)}
    report = build_stage.edition_report(leaflet, args.translations, args.language)
    recorded = reviews.record(args.translations, reviews.catalog_key(name, args.language),
                              report, texts, args.reviewer, args.date)
    print(f"render.py: recorded the review of {name} in {args.language} by "
          f"{recorded['reviewer']} on {recorded['date']} (strings {recorded['sha256'][:12]}); "
          f"commit {shown(reviews.path(args.translations))}")
    return 0


def _reject(args) -> int:
    from .build import submissions

    submissions.reject(args.path, args.submissions, args.reason)
    print(f"render.py: rejected {shown(args.path)}")
    return 0


def _check(args) -> int:
    from .checks import audit

    rows = audit.audit(args.output, draw=not args.no_engines)
    if not rows:
        print(f"render.py: no manifest in {args.output}/: build first", file=sys.stderr)
        return 1
    width = max(len(r.path) for r in rows)
    print(f"{'file':{width}}  " + " ".join(f"{c:8}" for c in audit.CHECKS))
    for row in rows:
        marks = ["ok" if row.results.get(c, "n/a") == "ok" else
                 "-" if row.results.get(c, "n/a") == "n/a" else "FAIL" for c in audit.CHECKS]
        print(f"{row.path:{width}}  " + " ".join(f"{m:8}" for m in marks))
    failures = [(r.path, c, why) for r in rows for c, why in r.results.items()
                if why not in ("ok", "n/a")]
    for path, check, why in failures:
        print(f"{path}: {check}: {why}")
    print(f"render.py: {len(rows)} files, {len(failures)} failed checks")
    return 1 if failures else 0


def _build(args) -> int:
    from .build import stamp  # a build with nothing to do loads nothing more

    setting = stamp.settings(args.source, args.translations, args.output, _lock(args.source),
                             args.language, args.document, args.variant, args.leaflet,
                             args.draft, args.review_notice)
    said = stamp.up_to_date(args.output, setting, args.source, args.translations,
                            _today(args))
    if said is not None:
        for line in said:  # document control, as the last build said it
            print(line)
        print(f"render.py: everything in {args.output}/ is up to date")
        return 0
    from .build import build as build_stage  # only now: the renderer costs a second to import

    options = build_stage.Options(source=args.source, translations=args.translations,
                                  output=args.output, languages=tuple(args.language),
                                  documents=tuple(args.document),
                                  variants=tuple(args.variant), draft=args.draft,
                                  today=_today(args), review_notice=args.review_notice,
                                  lock=_lock(args.source), leaflets=tuple(args.leaflet))
    entries = build_stage.build(options, say=_progress())
    print(f"render.py: {len(entries)} files in {args.output}/ (see manifest.json)")
    return 0


def _progress():
    """Progress lines: on a terminal, `[done/total] file` rewrites one line; otherwise
    (CI, a log) every line is printed as it is."""
    if not sys.stdout.isatty():
        return print

    def say(line: str) -> None:
        if line.startswith("["):
            print("\r\033[K" + line[:shutil.get_terminal_size().columns - 1], end="",
                  flush=True)
        else:
            print("\r\033[K" + line)
    return say


def _pot(args) -> int:
    from .build import build as build_stage
    from .formats import output
    from .inputs import catalog

    leaflets = _library(args.source, args.leaflet)
    templates = [(catalog.pot_path(TRANSLATIONS, Path(leaflet.path).stem),
                  catalog.template(leaflet)) for leaflet in leaflets]
    templates.append((catalog.pot_path(TRANSLATIONS, catalog.SHARED),
                      catalog.shared_template(build_stage.shared_folder(args.source))))
    for target, pot in templates:
        output.write_atomically(target, str(pot).encode("utf-8") + b"\n")
        print(f"render.py: wrote {shown(target)}")
    return 0


def _update_po(args) -> int:
    from .build import build as build_stage
    from .inputs import catalog

    root = args.translations
    leaflets = _library(args.source, args.leaflet)
    # The shared catalogs first: a passage that became shared moves into them from the
    # leaflets' catalogs, translation and all, before those let it go.
    shared = catalog.shared_template(build_stage.shared_folder(args.source))
    for language in catalog.library_languages(root):
        _update_catalog(root, catalog.SHARED, shared, language)
    for leaflet in leaflets:
        name = Path(leaflet.path).stem
        # A new leaflet's catalogs are started in every language of the library, so
        # that the memory can offer what the library has already translated.
        for language in catalog.languages(root, name) or catalog.library_languages(root):
            _update_catalog(root, name, catalog.template(leaflet), language,
                            frozenset(e.msgctxt for e in shared))
    return 0


def _update_catalog(root: Path, name: str, pot, language: str,
                    elsewhere: frozenset = frozenset()) -> None:
    """`make update-po` for the catalog called `name` in `language`: its template written,
    the catalog merged with it, its new and changed strings offered the memory's."""
    from .formats import output
    from .inputs import catalog, memory, pocheck

    output.write_atomically(catalog.pot_path(root, name), str(pot).encode() + b"\n")
    path = catalog.po_path(root, language, name)
    existed = path.exists()
    if existed:
        raise_if_errors(p for p in pocheck.check(path, {}, shown(path)).problems
                        if p.message.startswith(("syntax", "not UTF-8", "binary")))
    library = memory.catalogs(root, language)  # every catalog of the language
    others = [(other, po) for other, po in library if other != name]
    before = dict(library).get(name) or catalog.new(pot, name, language,
                                                    others[0][1] if others else None)
    # Strings move into the shared catalog only: a leaflet's keys (metadata.title...) are
    # its own, the same key in another leaflet is another string.
    moved = catalog.movable(others, frozenset(e.msgctxt for e in pot)) \
        if name == catalog.SHARED else {}
    if not existed and moved:  # its first strings are theirs: so are who and when
        before = catalog.translated_as(before, others, moved)
    merged, filled = memory.fill(catalog.merge(before, pot, moved, elsewhere), before, name,
                                 memory.units(library))
    output.write_atomically(path, str(merged).encode("utf-8") + b"\n")
    print(f"render.py: {'updated' if existed else 'started'} {shown(path)}")
    print(f"{language}: the translation memory filled {filled.exact + filled.near} "
          f"(exact {filled.exact}, near {filled.near}), each marked fuzzy for review")


def _check_po(args) -> int:
    from .checks import printable
    from .inputs import catalog, changes

    leaflets = {Path(leaflet.path).stem: leaflet
                for leaflet in _library(args.source, args.leaflet if not args.files else ())}
    strings = _catalog_strings(args.source, leaflets)
    if args.files:  # each against its catalog: the leaflet named, the file's own name
        # (a leaflet's, or the shared catalog's), or the library's only leaflet
        names = list(leaflets)
        checks = [(path, args.leaflet[0] if args.leaflet else path.stem if path.stem in strings
                   else names[0] if len(names) == 1 else path.stem) for path in args.files]
        unknown = sorted({name for _, name in checks} - set(strings))
        if unknown:
            raise BuildError([Problem(Location(shown(args.source)), f"no leaflet called "
                                      f"{', '.join(unknown)}: name one with --leaflet")])
    else:
        checks = [(catalog.po_path(TRANSLATIONS, lang, name), name)
                  for name in [*leaflets, catalog.SHARED] if name in strings
                  for lang in catalog.languages(TRANSLATIONS, name)]
    errors = 0
    for name in dict.fromkeys(name for _, name in checks):
        if strings[name][1]:
            print(f"{name}: {strings[name][1]}")
    for path, name in checks:
        texts, edited = strings[name]
        report = printable.printable(changes.check(path, texts, edited, shown(path)))
        for problem in report.problems:
            print(problem)
        errors += report.errors
        print(f"{report.path}: {report.translated}/{report.total} translated, "
              f"{report.fuzzy} fuzzy, {report.untranslated} untranslated, "
              f"{report.errors} errors")
    return 1 if errors else 0


def _catalog_strings(folder: Path, leaflets: dict, translations: Path = TRANSLATIONS) -> dict:
    """Each catalog's name (a leaflet's, or the shared catalog's) -> (its strings by key,
    their changes since the catalogs were last updated)."""
    from .build import build as build_stage
    from .inputs import catalog, source

    strings = {}
    for name, leaflet in leaflets.items():
        strings[name] = ({t.key: t for t in catalog.own_texts(leaflet)},
                         build_stage.source_changes(leaflet, translations))
    shared = source.shared_texts(source.load_shared(build_stage.shared_folder(folder)))
    if shared:
        strings[catalog.SHARED] = ({t.key: t for t in shared},
                                   build_stage.shared_changes(folder, translations))
    return strings


def _status(args) -> int:
    from .build import build as build_stage, grid

    options = build_stage.Options(source=args.source, translations=args.translations,
                                  output=args.output, draft=args.draft, today=_today(args),
                                  review_notice=args.review_notice, lock=_lock(args.source),
                                  leaflets=tuple(args.leaflet))
    leaflets = build_stage.library(options)
    every = []
    shared = build_stage.shared_changes(args.source, args.translations)
    if shared:
        print(f"shared passages: {shared}")
    for line in _shared_catalogs(args):
        print(line)
    for leaflet in leaflets:
        standing = build_stage.document_control(leaflet, options)
        for problem in standing.problems:
            if problem.is_error:
                print(problem)
        print(standing)
        edited = build_stage.source_changes(leaflet, args.translations)
        if edited:
            print(edited)
        for status in build_stage.languages(leaflet, options, shared)[0]:
            print(f"{status.leaflet}: {status}" if len(leaflets) > 1 else status)
            every.append(status)
    print()
    print(grid.grid(every))
    return 0


def _shared_catalogs(args) -> list[str]:
    """A line per language on its shared catalog, checked on its own (every leaflet's
    line counts the shared strings it prints with its own)."""
    from .checks import printable
    from .inputs import catalog, changes

    strings = _catalog_strings(args.source, {}, args.translations)
    if catalog.SHARED not in strings:
        return []
    texts, edited = strings[catalog.SHARED]
    lines = []
    for language in catalog.languages(args.translations, catalog.SHARED):
        path = catalog.po_path(args.translations, language, catalog.SHARED)
        r = printable.printable(changes.check(path, texts, edited, shown(path)))
        lines.append(f"{catalog.SHARED}: {language}: {r.translated}/{r.total} translated, "
                     f"{r.fuzzy} fuzzy, {r.untranslated} untranslated, {r.errors} errors")
    return lines


def _library(folder: Path, names) -> list:
    """The leaflets of `folder` (those `names` name, when given), loaded."""
    from .build import build as build_stage

    return build_stage.library(build_stage.Options(source=folder, translations=TRANSLATIONS,
                                                   output=OUTPUT, leaflets=tuple(names)))
