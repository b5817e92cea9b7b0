#!/usr/bin/env python3
"""The web edition's page weights (`make weights`): for every web page in output/'s
manifest, the bytes of its HTML and CSS, of its fonts, and both, against the budgets of
leaflet/formats/web.py (KB = 1000 bytes). Exit status 1 when a page is over a budget."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from leaflet.formats import output, web  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "output")
    args = parser.parse_args()
    entries = output.read_manifest(args.output)
    pages = [e for e in entries if e.get("format") == "html" and not e.get("part_of")]
    if not pages:
        print(f"weights: no web page in {args.output}/manifest.json: build first",
              file=sys.stderr)
        return 1
    print(f"{'page':<46} {'HTML+CSS':>9} {'fonts':>9} {'total':>9}  budget (HTML+CSS, total)")
    over = 0
    for entry in pages:
        total = web.weight(entry, entries)
        budget = web.budget(entry)
        limits = f"{budget[0] / web.KB:g} KB, {budget[1] / web.KB:g} KB" if budget \
            else "none"
        if budget and (entry["bytes"] > budget[0] or total > budget[1]):
            limits += "  OVER"
            over += 1
        print(f"{entry['path']:<46} {entry['bytes'] / web.KB:>6.1f} KB "
              f"{(total - entry['bytes']) / web.KB:>6.1f} KB {total / web.KB:>6.1f} KB  {limits}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
