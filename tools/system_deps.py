#!/usr/bin/env python3
"""Check (and on Debian/Ubuntu as root, install) the system libraries WeasyPrint needs,
and Poppler's pdftotext, which the tests use to read the PDFs back.

WeasyPrint draws text with Pango and subsets fonts with HarfBuzz-subset; without the
latter it falls back to fontTools with a warning, which the strict build refuses.
"""
import ctypes.util
import os
import shutil
import subprocess
import sys

NEEDED = {  # library name -> Debian package
    "pango-1.0": "libpango-1.0-0",
    "pangoft2-1.0": "libpangoft2-1.0-0",
    "harfbuzz": "libharfbuzz0b",
    "harfbuzz-subset": "libharfbuzz-subset0",
}
# The tests read PDFs back with pdftotext (Poppler) as well as with pdfium and pypdf.
COMMANDS = {"pdftotext": "poppler-utils"}


def missing():
    return ([pkg for lib, pkg in NEEDED.items() if not ctypes.util.find_library(lib)]
            + [pkg for cmd, pkg in COMMANDS.items() if not shutil.which(cmd)])


def main() -> int:
    absent = missing()
    if not absent:
        return 0
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("installing " + " ".join(absent), file=sys.stderr)
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", *absent], check=True)
        absent = missing()
        if not absent:
            return 0
    print("missing system libraries: " + " ".join(absent) + "\n"
          "  Debian/Ubuntu: sudo apt-get install " + " ".join([*NEEDED.values(), *COMMANDS.values()])
          + "\n  macOS:         brew install pango harfbuzz poppler", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
