#!/usr/bin/env python3
"""Benchmark the build on this machine (`make bench`): a script, not a test.

Reports, in seconds of wall-clock time:
- full: every language and variant into an empty output folder (`render.py`);
- no-op: the same again, nothing changed;
- one .po: one string of the Polish catalog changed, then a build; beside it, the
  render time of Polish alone into an empty folder;
- bare WeasyPrint: the same HTML documents (after the pipeline's fits) rendered by
  WeasyPrint alone in one process with one FontConfiguration, divided by the number of
  cores; the pipeline's overhead is full / that.
Targets (issue 6): full <= 1.1 x bare/cores; no-op < 0.3 s; one .po <= Polish + 0.5 s.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(*args) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "render.py"), *args], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def bare_weasyprint(output: Path) -> tuple[float, int]:
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from leaflet import build, page

    options = build.Options(source=ROOT / "source" / "nerve-related-back-and-leg-pain.yaml",
                            translations=ROOT / "translations", output=output)
    documents = list(build.documents(options))  # made before the clock starts
    fonts = FontConfiguration()
    start = time.perf_counter()
    for html, pdf_options in documents:
        weasyprint.HTML(string=html, base_url=str(page.STYLES) + "/").write_pdf(
            font_config=fonts, **pdf_options)
    return time.perf_counter() - start, len(documents)


def main() -> int:
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        full = timed("-o", str(tmp / "out"))
        no_op = min(timed("-o", str(tmp / "out")) for _ in range(5))
        translations = tmp / "translations"
        shutil.copytree(ROOT / "translations", translations)
        po = translations / "pl" / "LC_MESSAGES" / "leaflet.po"
        po.write_text(po.read_text().replace('msgstr "PROJEKT"', 'msgstr "SZKIC"'))
        one_po = timed("-o", str(tmp / "out"), "--translations", str(translations))
        polish = timed("-l", "pl", "-o", str(tmp / "polish"))
        bare, count = bare_weasyprint(tmp / "bare")
    per_core = bare / cores
    rows = [
        ("full build, every language and variant", full, f"<= {1.1 * per_core:.1f} (1.1 x bare/cores)"),
        ("no-op build", no_op, "< 0.3"),
        ("one .po string changed", one_po, f"<= {polish + 0.5:.1f} (Polish alone + 0.5)"),
        ("Polish alone, empty folder", polish, ""),
        (f"bare WeasyPrint, {count} documents, 1 process", bare, ""),
        (f"bare WeasyPrint / {cores} cores", per_core, ""),
    ]
    print(f"{'measure':48} {'seconds':>8}  target")
    for name, seconds, target in rows:
        print(f"{name:48} {seconds:8.2f}  {target}")
    print(f"{'pipeline overhead: full / (bare / cores)':48} {full / per_core:8.2f}  <= 1.10")
    return 0


if __name__ == "__main__":
    sys.exit(main())
