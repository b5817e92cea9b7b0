#!/usr/bin/env python3
"""How near the PDFs of an output folder come to the drawing check's thresholds
(`make engine-thresholds`): what leaflet/checks/engines.py's MISSING and DIFFERENT were set from.

For each engine, over every font on every page of every PDF (leaflet/checks/engines.py
`margins`), the lowest contrast of a glyph over the second highest engine's (missing
under MISSING) and the highest median difference of a font's glyphs (different over
DIFFERENT), with where each is. Languages given with --bad (as zh-Hans was, its Chinese
blank in MuPDF and Ghostscript) are reported apart: their worst must be on the other
side of the line.

    tools/engine_thresholds.py -o output --bad zh-Hans
"""
from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaflet.checks import engines  # noqa: E402
from leaflet.formats import output  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", "-o", type=Path, default=ROOT / "output", metavar="DIR")
    parser.add_argument("--bad", action="append", default=[], metavar="LANG",
                        help="a language known to fail, reported apart (repeatable)")
    args = parser.parse_args(argv)
    paths = [e["path"] for e in output.read_manifest(args.output) if e["path"].endswith(".pdf")]
    if not paths:
        print(f"engine_thresholds.py: no PDF listed in {args.output}/manifest.json: build "
              "first", file=sys.stderr)
        return 1
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        measured = dict(zip(paths, pool.map(engines.margins, [args.output / p for p in paths])))
    groups = sum(len(m) for m in measured.values()) // len(engines.ENGINES)
    print(f"{len(paths)} files, {groups} fonts on pages, each measured in "
          f"{len(engines.ENGINES)} engines; missing under {engines.MISSING}, different over "
          f"{engines.DIFFERENT}")
    for bad in (False, True):
        rows = [(path, m) for path, ms in measured.items() for m in ms
                if (path.split("/")[0] in args.bad) == bad]
        if rows:
            print("languages known to fail: " + ", ".join(args.bad) if bad else "the others")
            for engine in engines.ENGINES:
                print("  " + _worst(engine, [(p, m) for p, m in rows if m.engine == engine]))
    return 0


def _worst(engine: str, rows: list) -> str:
    path, low = min(rows, key=lambda r: r[1].contrast)
    judged = [r for r in rows if r[1].difference is not None]
    said = f"{engine:12} lowest contrast {low.contrast:.2f} ({path} p{low.page} {low.font})"
    if judged:
        where, high = max(judged, key=lambda r: r[1].difference)
        said += f", highest difference {high.difference:.3f} ({where} p{high.page} {high.font})"
    return said


if __name__ == "__main__":
    sys.exit(main())
