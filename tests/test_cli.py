"""The command line: clear errors, exit status, no traceback."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, SOURCE


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "render.py"), *args], cwd=cwd,
                          capture_output=True, text=True)


def test_help_lists_the_options():
    result = run("build", "--help")
    assert result.returncode == 0
    for option in ("--language", "--document", "--variant", "--output", "--draft"):
        assert option in result.stdout


def test_bad_source_exits_non_zero_with_file_line_errors_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SOURCE.read_text().replace("  version: \"1.0\"\n", "").replace(
        "  reference: EOEMSK-PIL-SCI-001\n", ""))
    result = run("--source", str(bad), "--output", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "bad.yaml:18: error: metadata: missing key 'reference'" in result.stderr
    assert "bad.yaml:18: error: metadata: missing key 'version'" in result.stderr
    assert "nothing was written" in result.stderr
    assert not (tmp_path / "out").exists()


def test_build_writes_into_the_chosen_directory(tmp_path):
    result = run("--language", "en-GB", "--output", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "en-GB/nerve-related-back-and-leg-pain-screen.pdf").is_file()
    assert (tmp_path / "manifest.json").is_file()
