#!/usr/bin/env python3
"""Benchmark the build on this machine (`make bench`): a script, not a test.

Reports, in seconds of wall-clock time:
- full: every language, format and variant into an empty output folder (`render.py`,
  a new process, so Python's start and WeasyPrint's import are counted);
- PDFs: the same with the PDF editions alone (`--variant` for each), the documents bare
  WeasyPrint renders below: the overhead ratio compares these (the web pages' font
  subsets, braille and plain text are work bare WeasyPrint does not do);
- no-op: the same again, nothing changed;
- one .po: one string of the Polish catalog changed, then a build; beside it, the
  render time of Polish alone into an empty folder;
- bare WeasyPrint: the same HTML documents (after the pipeline's fits) rendered by
  WeasyPrint alone in one process with one FontConfiguration, divided by the number of
  cores; the pipeline's overhead is full / that;
- bare WeasyPrint in parallel: the same documents in a pool of one process per core,
  WeasyPrint's import counted, as a build must do both: its ratio to the figure above
  shows how near 1.0 parallel rendering itself comes on this machine.
`--library N` measures a synthetic library of N leaflets made in a scratch folder
(tools/bench_library.py: issue 21's targets), in the languages `--languages` names.

Targets (issue 6): PDFs <= 1.1 x bare/cores; no-op < 0.3 s; one .po <= Polish + 0.5 s.

`--web` measures the web edition alone (issue 14, target: the pages of every language in
under 1 s without WeasyPrint), in a new process so that its imports are counted: the
pages (HTML and CSS) of every language; their fonts subset anew in one process; and the
same fonts taken from an output folder that has them (`--output`, default output/).

A shared machine's speed drifts by 10-20 % from minute to minute, so the full build and
bare WeasyPrint are measured in alternating rounds (`--rounds`, 3 by default) and each is
reported as its best round: what the machine does when nothing else slows it. Every
round is printed too.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(*args) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "render.py"), *args], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def bare_weasyprint(processes: int = 0) -> tuple[float, int]:
    """Seconds for bare WeasyPrint to render the documents, in a process of its own (as
    the full build has), and how many documents. With `processes`: in a forked pool of
    that many, and WeasyPrint's import counted too, as a build must do both."""
    result = subprocess.run([sys.executable, __file__, "--bare", str(processes)], cwd=ROOT,
                            check=True, capture_output=True, text=True)
    seconds, count = result.stdout.split()
    return float(seconds), int(count)


_DOCUMENTS: list = []  # what _render renders, set before the pool forks
_FONTS: dict = {}  # one FontConfiguration per process


def _bare(processes: int) -> None:
    start = time.perf_counter()
    import weasyprint  # noqa: F401
    imported = time.perf_counter() - start
    sys.path.insert(0, str(ROOT))
    from leaflet.build import build

    with tempfile.TemporaryDirectory() as tmp:
        options = build.Options(source=ROOT / "source", translations=ROOT / "translations",
                                output=Path(tmp))
        _DOCUMENTS.extend(build.documents(options))  # made before the clock starts
        start = time.perf_counter()
        if not processes:
            _in_scratch(tmp)  # WeasyPrint's font folder goes in tmp, removed with it
            for number in range(len(_DOCUMENTS)):
                _render(number)
            seconds = time.perf_counter() - start
        else:
            with multiprocessing.get_context("fork").Pool(processes, _in_scratch,
                                                          (tmp,)) as pool:
                list(pool.imap_unordered(_render, range(len(_DOCUMENTS))))
            seconds = time.perf_counter() - start + imported
    print(seconds, len(_DOCUMENTS))


def _in_scratch(folder: str) -> None:
    tempfile.tempdir = folder


def _render(number: int) -> None:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from leaflet.layout import page

    html, pdf_options = _DOCUMENTS[number]
    fonts = _FONTS.setdefault("config", FontConfiguration())
    # As WeasyPrint is used plainly: each document's stylesheets parsed for it.
    sheets = [CSS(filename=page.STYLES / name, font_config=fonts) for name in html.stylesheets]
    HTML(string=html.text, base_url=str(page.STYLES) + "/").write_pdf(
        stylesheets=sheets, font_config=fonts, **pdf_options)


def web_pages(root: Path, rounds: int) -> None:
    """The web edition's measures, each the best of `rounds` new processes."""
    runs = [json.loads(subprocess.run(
        [sys.executable, __file__, "--web-once", "--output", str(root)], cwd=ROOT, check=True,
        capture_output=True, text=True).stdout) for _ in range(rounds)]
    for number, run in enumerate(runs, 1):
        print(f"round {number}: " + ", ".join(f"{k} {v:.3f} s" for k, v in run.items()
                                              if isinstance(v, float)))
    best = {k: min(r[k] for r in runs) for k in runs[0] if isinstance(runs[0][k], float)}
    last = runs[-1]
    print(f"\nbest of {rounds} rounds\n{'measure':58} {'seconds':>8}  target")
    print(f"{'web pages of ' + str(last['languages']) + ' languages, imports counted':58} "
          f"{best['pages']:8.3f}  < 1")
    print(f"{'  of which loading the source and checking the catalogs':58} {best['loaded']:8.3f}")
    print(f"{'their ' + str(last['fonts']) + ' fonts subset anew, 1 process':58} "
          f"{best['subset']:8.2f}")
    print(f"{'the same fonts taken from output (' + str(last['reused']) + ' there)':58} "
          f"{best['taken']:8.3f}")
    print(f"WeasyPrint imported: {'yes' if any(r['weasyprint'] for r in runs) else 'no'}")


def _web_once(root: Path) -> None:
    """One round of web_pages, in this new process: its measures as JSON."""
    start = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    from leaflet.build import build
    from leaflet.formats import output, web
    from leaflet.build.freshness import bcp47

    options = build.Options(source=ROOT / "source", translations=ROOT / "translations",
                            output=root)
    editions = [e for leaflet in build.library(options)
                for e in build.languages(leaflet, options)[1]]
    loaded = time.perf_counter()
    listed = output.read_manifest(root)
    pages = [web.render(e.leaflet, e.notices, e.status,
                        [x for x in listed if x["language"] == bcp47(e.leaflet.language)])
             for e in editions]
    made = time.perf_counter()
    fonts = [f for p in pages for f in p.fonts]
    reused = [output.reusable(root, f.path, f.key) for f in fonts]
    taken = time.perf_counter()
    for font in fonts:
        web.subset(font)
    print(json.dumps({"pages": made - start, "loaded": loaded - start,
                      "subset": time.perf_counter() - taken, "taken": taken - made,
                      "languages": len(pages), "fonts": len(fonts),
                      "reused": sum(r is not None for r in reused),
                      "weasyprint": "weasyprint" in sys.modules}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of full and bare")
    parser.add_argument("--bare", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--web", action="store_true", help="the web edition alone")
    parser.add_argument("--web-once", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=ROOT / "output",
                        help="with --web: where fonts may be taken from")
    parser.add_argument("--library", type=int, metavar="N",
                        help="a synthetic library of N leaflets (issue 21's targets)")
    parser.add_argument("--languages", default="en-GB,pl,ar,zh-Hans",
                        help="with --library: the languages built, comma-separated "
                             "(default: %(default)s)")
    args = parser.parse_args()
    if args.library:
        import bench_library

        with tempfile.TemporaryDirectory() as tmp:
            return bench_library.measure(args.library, args.languages.split(","),
                                         args.rounds, Path(tmp))
    if args.bare is not None:
        _bare(args.bare)
        return 0
    if args.web_once:
        _web_once(args.output)
        return 0
    if args.web:
        web_pages(args.output, args.rounds)
        return 0
    cores = os.cpu_count() or 1
    fulls, pdfs, bares, pools = [], [], [], []
    sys.path.insert(0, str(ROOT))
    from leaflet.layout.variants import VARIANTS

    # The editions bare WeasyPrint renders: the ratio compares the same documents.
    only_pdfs = [a for name in sorted({v.name for v in VARIANTS if v.format == "pdf"})
                 for a in ("-v", name)]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for round_ in range(1, args.rounds + 1):
            shutil.rmtree(tmp / "out", ignore_errors=True)
            fulls.append(timed("-o", str(tmp / "out")))
            shutil.rmtree(tmp / "pdfs", ignore_errors=True)
            pdfs.append(timed("-o", str(tmp / "pdfs"), *only_pdfs))
            bare, count = bare_weasyprint()
            bares.append(bare)
            pools.append(bare_weasyprint(cores)[0])
            print(f"round {round_}: full {fulls[-1]:.2f} s, PDFs {pdfs[-1]:.2f} s, bare "
                  f"{bare:.2f} s (ratio {pdfs[-1] / (bare / cores):.2f}), bare in {cores} "
                  f"processes {pools[-1]:.2f} s", flush=True)
        no_op = min(timed("-o", str(tmp / "out")) for _ in range(5))
        translations = tmp / "translations"
        shutil.copytree(ROOT / "translations", translations)
        po = translations / "pl" / "LC_MESSAGES" / "shared.po"  # the draft label's catalog
        po.write_text(po.read_text().replace('msgstr "PROJEKT"', 'msgstr "SZKIC"'))
        one_po = timed("-o", str(tmp / "out"), "--translations", str(translations))
        polish = timed("-l", "pl", "-o", str(tmp / "polish"))
    full, pdf, per_core = min(fulls), min(pdfs), min(bares) / cores
    rows = [
        ("full build, every language, format and variant", full, ""),
        ("the PDF editions alone", pdf, f"<= {1.1 * per_core:.1f} (1.1 x bare/cores)"),
        ("no-op build", no_op, "< 0.3"),
        ("one .po string changed", one_po, f"<= {polish + 0.5:.1f} (Polish alone + 0.5)"),
        ("Polish alone, empty folder", polish, ""),
        (f"bare WeasyPrint, {count} documents, 1 process", min(bares), ""),
        (f"bare WeasyPrint / {cores} cores", per_core, ""),
        (f"bare WeasyPrint, {cores} processes, with its import", min(pools), ""),
    ]
    print(f"\nbest of {args.rounds} rounds\n{'measure':48} {'seconds':>8}  target")
    for name, seconds, target in rows:
        print(f"{name:48} {seconds:8.2f}  {target}")
    print(f"{'pipeline overhead: PDFs / (bare / cores)':48} {pdf / per_core:8.2f}  <= 1.10")
    # The ratio bare WeasyPrint itself reaches when it runs in parallel and imports
    # itself: what the pipeline's ratio is to be read beside.
    print(f"{'the same ratio for bare WeasyPrint in parallel':48} "
          f"{min(pools) / per_core:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
