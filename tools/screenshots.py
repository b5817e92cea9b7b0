#!/usr/bin/env python3
"""Screenshots of the web edition for a reviewer (`make screenshots`): every web page the
manifest of output/ lists, and the library's pages, in headless Chromium at 320 CSS px (a
small phone) and at desktop width, whole pages, into build/screenshots/ as
<language>-320.png and <language>-1280.png (<language>-<leaflet>-... when there are
several leaflets; index-320.png, leaflets-<leaflet>-320.png, <language>-index-320.png).
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
    pages = [(_name(e, files), e["path"]) for e in files
             if e.get("format") == "html" and not e.get("part_of")]
    with browser.chromium() as driver:
        for name, path in pages:
            for width in (browser.PHONE, browser.DESKTOP):
                browser.open_page(driver, args.output / path, width)
                target = args.into / f"{name}-{width}.png"
                browser.screenshot(driver, target)
                print(target)
    return 0


def _name(entry: dict, files: list[dict]) -> str:
    """A web page by its language (and its leaflet's name when there are several); a
    page of the library by its path: index, leaflets-<name>, <language>-index."""
    if entry["document"] == "index":
        return entry["path"][:-len(".html")].replace("/", "-")
    leaflets = {e.get("leaflet") for e in files if e.get("document") == "leaflet"}
    return entry["language"] + (f"-{entry['leaflet']}" if len(leaflets) > 1 else "")


if __name__ == "__main__":
    sys.exit(main())
