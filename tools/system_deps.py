#!/usr/bin/env python3
"""Check (and on Debian/Ubuntu as root, install) the system libraries WeasyPrint needs,
and the programs the build and the tests use: the PDF engines patients' and printers'
viewers are built on (Poppler, MuPDF, Ghostscript; pdfium and pdf.js come from PyPI and
npm), Chromium for the web edition's browser tests, liblouis for braille, and Node.js for
pdf.js and axe-core.

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
# The tests read and draw the PDFs with every engine that can be installed here.
COMMANDS = {
    "pdftotext": "poppler-utils",   # Poppler: Linux viewers (Evince, Okular)
    "mutool": "mupdf-tools",        # MuPDF: SumatraPDF, many phone apps
    "gs": "ghostscript",            # Ghostscript: CUPS printing, many print-shop RIPs
    "chromium": "chromium",         # the web edition's browser tests
    "chromedriver": "chromium-driver",
    "lou_translate": "liblouis-bin",  # braille
    "node": "nodejs",               # pdf.js and axe-core (npm ci, package-lock.json)
}
# Files a package provides that no command names.
FILES = {"/usr/share/liblouis/tables/en-ueb-g2.ctb": "liblouis-data"}


def missing():
    return ([pkg for lib, pkg in NEEDED.items() if not ctypes.util.find_library(lib)]
            + [pkg for cmd, pkg in COMMANDS.items() if not shutil.which(cmd)]
            + [pkg for path, pkg in FILES.items() if not os.path.exists(path)])


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
          "  Debian/Ubuntu: sudo apt-get install "
          + " ".join([*NEEDED.values(), *COMMANDS.values(), *FILES.values()])
          + "\n  macOS:         brew install pango harfbuzz poppler mupdf-tools ghostscript"
          " liblouis node chromium", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
