#!/usr/bin/env python3
"""Screenshots of the web edition for a reviewer (`make screenshots`): every web page the
manifest of output/ lists, and the index, in headless Chromium at 320 CSS px (a small
phone) and at desktop width, whole pages, into build/screenshots/ as
<language>-320.png and <language>-1280.png (index-320.png, index-1280.png); in a library
of several leaflets <language>-<leaflet>-320.png and so on.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browser  # noqa: E402

ROOT = browser.ROOT


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "output")
    parser.add_argument("--into", type=Path, default=ROOT / "build" / "screenshots")
    args = parser.parse_args()
    try:
        files = json.loads((args.output / "manifest.json").read_text())["files"]
    except (OSError, ValueError, KeyError):
        print(f"screenshots: no manifest in {args.output}/: build first", file=sys.stderr)
        return 1
    html = [e for e in files if e.get("format") == "html" and not e.get("part_of")]
    several = len({e.get("leaflet") for e in html if e.get("leaflet")}) > 1
    # A library of several leaflets: each page's name says its leaflet too.
    pages = [("index" if e["document"] == "index" else
              f"{e['language']}-{e['leaflet']}" if several else e["language"], e["path"])
             for e in html]
    with browser.chromium() as driver:
        for name, path in pages:
            for width in (browser.PHONE, browser.DESKTOP):
                browser.open_page(driver, args.output / path, width)
                target = args.into / f"{name}-{width}.png"
                browser.screenshot(driver, target)
                print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
