"""tools/engine_text.py: the strings each engine reads back, as the table of issue 13."""
from __future__ import annotations

import subprocess
import sys

from leaflet.inputs import source
from conftest import DATA, ROOT

SCRIPT = ROOT / "tools" / "engine_text.py"
sys.path.insert(0, str(SCRIPT.parent))
import engine_text  # noqa: E402


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=ROOT, capture_output=True,
                          text=True)


def test_the_leaflets_own_strings_are_its_sections_and_red_flags(leaflet):
    keys = [t.key for t in engine_text.strings(leaflet)]
    assert len(keys) == 97 and len(set(keys)) == 97
    assert keys[0] == "red_flags.cauda-equina.legs" and "labels.version" not in keys
    assert all(k.startswith(("sections.", "blocks.", "red_flags.")) for k in keys)


def test_a_string_is_found_across_a_page_break_and_what_extractors_add(leaflet):
    """The running footer between a string's two halves, the bidi isolates pdfium puts
    around a right-to-left run and its U+FFFE for a hyphen ending a line are forgiven;
    a wrong letter is not."""
    texts = {t.key: t for t in source.texts(leaflet)}
    heading, legs, saddle = (texts[k] for k in (
        "sections.what-is-it.heading", "red_flags.cauda-equina.legs",
        "red_flags.cauda-equina.saddle"))
    furniture = engine_text._furniture(leaflet)
    pages = ["What is nerve\ufffe\nrelated back and leg pain?\n"
             "• New, significant pain, pins and needles or numb\n"
             "EOEMSK-PIL-SCI-001 · Version 1.0\nPage 1 of 2",
             "\u2067ness\u2069 in both legs\nLoss of feeling or pins and needles between "
             "your inner thighs or around genitels"]
    assert engine_text.not_found([heading, legs, saddle], pages, furniture) == [
        ("red_flags.cauda-equina.saddle", saddle.plain)]


def test_the_table_counts_the_strings_each_engine_gives_back(built_all):
    out, _, _ = built_all
    result = run("-o", str(out), "-l", "pl", "-e", "pdfium", "-e", "mupdf")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["| language | pdfium | MuPDF |", "|---|---|---|",
                                          "| pl | 97/97 | 97/97 |"]


def test_one_file_with_what_each_engine_misses():
    """The known-bad fixture holds four red flags: the other 93 strings are listed."""
    result = run("-l", "zh-Hans", "--file", str(DATA / "engines-cjk-cff.pdf"), "-e", "pdfjs",
                 "--missing")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[2] == "| zh-Hans | 4/97 |"
    assert len(lines) == 3 + 93
    assert lines[3].startswith("zh-Hans: pdf.js: red_flags.cauda-equina.urine-sensation: 排尿时感觉丧失")


def test_an_unknown_language_is_an_error_naming_the_known_ones():
    result = run("-l", "xx")
    assert result.returncode == 1
    assert result.stderr.startswith("tools/engine_text.py: error: no language xx: one of en-GB, ")


def test_the_editions_strings_are_every_string_shown_as_text(leaflet):
    """--editions: the labels and the card's strings too, not the PDF's description, the
    QR codes' alternative text, the draft stamp, the booklet's notes or the footer's."""
    keys = [t.key for t in engine_text.shown(leaflet, notice=True)]
    assert len(keys) == 113 and {"card.cauda-equina.action", "labels.published",
                                 "labels.unreviewed", "service.eoe-msk.service"} <= set(keys)
    assert not {"metadata.subject", "labels.qr_code", "labels.draft", "labels.notes",
                "labels.page_number", "labels.version"} & set(keys)
    assert "labels.unreviewed" not in [t.key for t in engine_text.shown(leaflet, notice=False)]


def test_the_editions_table_counts_every_string_shown():
    """The known-bad fixture holds four red flags of the 113 strings an unreviewed
    translation's leaflet, card and large print show."""
    result = run("-l", "zh-Hans", "--file", str(DATA / "engines-cjk-cff.pdf"), "-e", "pdfjs",
                 "--editions")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2] == "| zh-Hans | 4/113 |"
