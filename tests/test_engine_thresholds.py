"""tools/engine_thresholds.py: how near an output folder comes to the drawing thresholds."""
from __future__ import annotations

import subprocess
import sys

from leaflet.formats import output
from conftest import DATA, ROOT


def test_a_language_known_to_fail_is_reported_apart(tmp_path):
    fixture = DATA / "engines-cjk-cff.pdf"
    output.write([output.Built(f"zh-Hans/{fixture.name}", "card", "zh-Hans", "sheet",
                               "released", 1, fixture.read_bytes())], tmp_path)
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "engine_thresholds.py"),
                             "-o", str(tmp_path), "--bad", "zh-Hans"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "1 files, 2 fonts on pages, each measured in 6 engines; missing " \
                       "under 0.2, different over 0.35"
    assert lines[1] == "languages known to fail: zh-Hans"
    assert lines[4].startswith("  mupdf        lowest contrast 0.00 (zh-Hans/engines-cjk-cff.pdf p1 ")
