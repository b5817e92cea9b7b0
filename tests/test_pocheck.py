"""Checks of a submitted .po: each kind of problem, with its exact message."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflet.inputs import catalog, pocheck, source
from leaflet.checks import printable
from leaflet.errors import BuildError
from conftest import NAME, DATA, ROOT, shipped_catalogs

D = "sections.diagnosis.blocks.symptoms"
ALCOHOL = "sections.factors.sections.alcohol.blocks.avoid"

CASES = {
    "po-number-changed": [
        "12: error: 'sections.worried.blocks.rare': numbers differ: the English has 1, "
        "the translation has 2"],
    "po-range-changed": [
        "12: error: 'sections.diagnosis.blocks.improve': numbers differ: the English has "
        "6, 12, the translation has 6, 10"],
    "po-percent-dropped": [
        "12: error: 'sections.worried.blocks.rare': % signs differ: the English has 1, "
        "the translation has 0"],
    "po-native-digits": [],
    "po-placeholder-changed": [
        f"12: error: '{ALCOHOL}': placeholders differ: the English has drinkaware, the "
        "translation has drink_aware"],
    "po-url-added": [
        f"12: error: '{ALCOHOL}': web address 'https://evil.example/pl' in the "
        "translation: addresses come only from the {placeholders}"],
    "po-markup-injected": [
        f"12: error: '{D}': markup '<img src=\"file:///etc/passwd\">' is not allowed: only "
        "{name} and <b>...</b> are",
        f"12: error: '{D}': tags differ: the English has none, the translation has "
        "<img src=\"file:///etc/passwd\">",
        f"12: error: '{D}': web address 'file:///etc/passwd\">' in the translation: "
        "addresses come only from the {placeholders}"],
    "po-tag-added": [
        f"12: error: '{D}': tags differ: the English has none, the translation has <b>, </b>"],
    "po-msgid-altered": [
        f"12: error: msgid differs from the template for '{D}': do not change msgid lines; "
        "copy the English from the template (.pot)"],
    "po-msgctxt-unknown": [
        "12: error: msgctxt 'sections.diagnosis.blocks.guess' is not in the template: do not "
        "change msgctxt lines (run make update-po after a source change)"],
    "po-fuzzy": [
        f"12: warning: fuzzy: '{D}': check the translation against the English, then remove "
        "the fuzzy mark"],
    "po-untranslated": [f"12: warning: untranslated: '{D}'"],
    "po-card-too-long": [
        "12: error: 'card.cauda-equina.title': 58 characters; this card string has at most 40"],
    "po-whitespace": [f"12: warning: '{D}': leading or trailing white space",
                      f"12: warning: '{D}': doubled space"],
    "po-duplicate-entry": [
        f"16: error: duplicate entry for msgctxt '{D}' (first at line 12): keep one"],
    "po-syntax-unterminated": [
        '14: error: syntax: the text must start and end with " on the same line; write a " '
        'inside the text as \\"'],
    "po-syntax-unknown-keyword": [
        "14: error: syntax: 'msgtxt \"Diagnozę stawia się zw' is not a msgctxt, msgid or "
        "msgstr line, a quoted string or a # comment"],
    "po-not-utf8": [
        "14: error: not UTF-8 text: save the file as UTF-8 (Poedit: File > Properties)"],
    "po-binary-junk": ["3: error: binary data (a NUL byte): this is not a .po text file"],
    "po-no-language": ['1: error: header: Language is missing: add "Language: pl\\n"'],
    "po-wrong-plural-forms": [
        "9: error: header: Plural-Forms says nplurals=2; pl has 3: use 'nplurals=3; "
        "plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);'"],
}


@pytest.fixture(scope="module")
def texts(leaflet):
    return {t.key: t for t in source.texts(leaflet)}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_kind_of_problem_has_its_exact_message(case, texts):
    path = DATA / f"{case}.po"
    report = pocheck.check(path, texts, f"tests/data/{case}.po")
    found = [str(p) for p in report.problems if "is missing: run make update-po" not in p.message]
    assert found == [f"tests/data/{case}.po:{line}" for line in CASES[case]]


def test_a_catalog_missing_entries_is_incomplete_not_broken(texts):
    report = pocheck.check(DATA / "po-native-digits.po", texts)
    assert report.errors == 0
    assert report.translated == 1 and report.untranslated == len(texts) - 1
    assert not report.complete


@pytest.mark.parametrize("language", catalog.languages(ROOT / "translations", NAME))
def test_every_shipped_catalog_is_complete_and_clean(language):
    for path, texts in shipped_catalogs(language):
        report = pocheck.check(path, texts)
        assert [str(p) for p in report.problems if p.is_error] == [], path
        assert report.complete, path
        assert report.language == language
        assert not report.reviewed  # drafts made without a qualified medical translator


def test_review_headers_in_a_catalog_are_ignored_and_said_to_be(tmp_path, texts):
    path = tmp_path / "reviewed.po"
    text = (DATA / "po-native-digits.po").read_text().replace(
        '"X-Review-Status: unreviewed\\n"',
        '"X-Review-Status: reviewed\\n"\n"X-Reviewed-By: A. Translator (ITI 12345)\\n"\n'
        '"X-Reviewed-Date: 2026-11-30\\n"')
    path.write_text(text)
    report = pocheck.check(path, texts, "reviewed.po")
    assert not report.reviewed and report.reviewer == ""
    [notice] = [p for p in report.problems if "ignored" in p.message]
    assert str(notice).startswith("reviewed.po:10: warning: header: X-Review-Status, "
                                  "X-Reviewed-By, X-Reviewed-Date ignored")
    assert report.errors == 0  # the file may still be sent as it is


def test_native_digits_count_as_the_same_number():
    assert pocheck.numbers("৬-১২ সপ্তাহ") == pocheck.numbers("6-12 weeks")
    assert pocheck.numbers("٢٨ يومًا") == pocheck.numbers("28 days")
    assert pocheck.numbers("6–12 tygodni") == pocheck.numbers("6-12 weeks")


def test_check_po_command_prints_problems_and_exits_non_zero_on_errors():
    def run(*files):
        return subprocess.run([sys.executable, "render.py", "check-po", *files], cwd=ROOT,
                              capture_output=True, text=True)

    bad = run("tests/data/po-number-changed.po")
    assert bad.returncode == 1
    assert ("tests/data/po-number-changed.po:12: error: 'sections.worried.blocks.rare': "
            "numbers differ") in bad.stdout
    assert "Traceback" not in bad.stderr
    warned = run("tests/data/po-fuzzy.po")
    assert warned.returncode == 0 and "warning: fuzzy" in warned.stdout
    good = run("translations/pl/LC_MESSAGES/nerve-related-back-and-leg-pain.po")
    total = len(catalog.own_texts(source.load(ROOT / "source" /
                                              "nerve-related-back-and-leg-pain.yaml")))
    assert good.returncode == 0 and f"{total}/{total} translated" in good.stdout
    # The shared catalog is checked against the shared passages, all of them.
    shared = run("translations/pl/LC_MESSAGES/shared.po")
    total = len(source.shared_texts(source.load_shared(ROOT / "source" / "shared")))
    assert shared.returncode == 0 and f"{total}/{total} translated" in shared.stdout


# ------------------------------------------------------------- untrusted input, in time

BUDGET = 1.0  # CPU seconds one check may take, at any size up to the 2 MB limit
HEAD = catalog.po_path(ROOT / "translations", "pl", NAME).read_text(encoding="utf-8")
HEAD = HEAD[:HEAD.index("\n\n") + 2]
KEYS = sorted(t.key for t in source.texts(source.load(ROOT / "source" /
                                                    "nerve-related-back-and-leg-pain.yaml")))
# Pieces that have made a check slow or crash somewhere: separators a pattern repeats,
# markup, numbers, escapes, headers, line breaks that are not \n, invisible characters.
PIECES = ["Content-Type:", "Content-Type: ", "charset=", "a.", "a://", "www.", "://", "{",
          "{oneyou}", "<b>", "</b>", "<", "1", "1.", "1,", "%", "٢", "৬", "\\\\", '\\"', "\\n",
          " ", "\t", "nplurals=", "9", "msgid ", 'msgstr "', '"', "#", "#~ ", "\u2028", "\x85",
          "\u202e", "\ufeff", "\uff5b", "\ue000", "ñ", "x", "ł", "中", "\r", "\x0c", "\x00"]


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


@st.composite
def hostile_catalogs(draw) -> bytes:
    repeated = st.builds(lambda piece, times: piece * times, st.sampled_from(PIECES),
                         st.sampled_from([2, 100, 3_000, 30_000]) | st.integers(1, 30_000))
    value = st.one_of(st.text(max_size=200), repeated,
                      st.lists(st.sampled_from(PIECES), max_size=400).map("".join))
    header = draw(st.sampled_from(['msgid ""\nmsgstr ""\n', HEAD.rstrip("\n") + "\n"])) + "".join(
        f'"{name}: {_quoted(draw(value)) if raw else draw(value)}\\n"\n'
        for name, raw in draw(st.lists(st.tuples(st.sampled_from(
            ["Language", "Plural-Forms", "Content-Type", "X-Review-Status", "X-Reviewed-By"]),
            st.booleans()), max_size=4)))
    entries = draw(st.lists(st.tuples(st.sampled_from(KEYS) | st.text(max_size=30), value,
                                      st.booleans(), st.integers(1, 50)), max_size=6))
    body = "".join(
        ("#, fuzzy\n" if fuzzy else "") + f'msgctxt "{_quoted(key)}"\nmsgid "x"\n'
        + (f'msgstr "{_quoted(text)}"\n' if lines == 1 else 'msgstr ""\n' + "".join(
            f'"{_quoted(text[i::lines])}"\n' for i in range(lines))) + "\n"
        for key, text, fuzzy, lines in entries)
    junk = draw(st.lists(value, max_size=3))
    text = header + "\n" + body + "\n".join(junk)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1250"]))
    return text.encode(encoding, "replace")


def checked_in_time(path, texts) -> pocheck.Report | None:
    started = time.process_time()
    try:
        # The check as the page, check-po and the build run it (fonts and braille too).
        report = printable.check(path, texts, "upload.po")
    except BuildError:  # the project's own error: allowed, never anything else
        report = None
    spent = time.process_time() - started
    assert spent < BUDGET, f"{path.stat().st_size} bytes checked in {spent:.2f} s"
    if report is not None:
        assert all(str(p).startswith("upload.po") for p in report.problems)
        assert all(len(p.message) < 2_000 for p in report.problems)
        assert report.reviewer == ""  # never from the file
    return report


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=hostile_catalogs())
def test_any_catalog_is_checked_in_time_without_crashing(tmp_path_factory, texts, data):
    path = tmp_path_factory.mktemp("hostile") / "upload.po"
    path.write_bytes(data)
    checked_in_time(path, texts)


def _entry(msgstr: str, key: str = "metadata.title") -> str:
    return f'msgctxt "{key}"\nmsgid "x"\nmsgstr "{msgstr}"\n\n'


# The largest files of each shape, near the 2 MB limit: each must be checked in time.
WORST = {
    "content-type-before-any-charset": 'msgid ""\nmsgstr ""\n"' + "Content-Type:" * 150_000
                                       + '"\n',
    "url-scheme-that-never-ends": HEAD + _entry("a." * 950_000),
    "many-lines-of-one-string": HEAD + 'msgctxt "metadata.title"\nmsgid "x"\nmsgstr ""\n'
                                + ('"' + "x" * 95 + '"\n') * 19_900,
    "many-syntax-errors": "x\n" * 19_990,
    "many-duplicate-entries": HEAD + _entry("Tytuł " * 60) * 4_000,
    "digits": HEAD + _entry("1" * 1_900_000),
    "markup": HEAD + _entry("<b>x</b>" * 240_000),
    "escapes": HEAD + _entry('\\"' * 9_000 + "x" * 1_900_000),
    "characters-no-font-draws": HEAD + _entry("\uff5b\ue000中" * 200_000),
    "huge-header-values": 'msgid ""\nmsgstr ""\n"Language: ' + "pl_" * 200_000 + '\\n"\n'
                          '"Plural-Forms: nplurals=' + "9" * 600_000 + '\\n"\n',
}


@pytest.mark.parametrize("shape", sorted(WORST))
def test_the_worst_shapes_at_the_size_limit_are_checked_in_time(tmp_path, texts, shape):
    path = tmp_path / "upload.po"
    data = WORST[shape].encode("utf-8")
    assert 1_000_000 < len(data) <= pocheck.MAX_BYTES or shape == "many-syntax-errors"
    path.write_bytes(data)
    report = checked_in_time(path, texts)
    assert report is not None and report.errors > 0 or shape == "many-duplicate-entries"


def test_check_po_prints_what_a_file_says_with_its_control_characters_made_visible(tmp_path):
    """A line that is not PO syntax is quoted in the message: a terminal escape in it
    (here one that clears the screen) or a bidi override is printed as an escape."""
    path = tmp_path / "escapes.po"
    path.write_bytes('msgid ""\nmsgstr ""\n"Language: pl\\n"\n\n\x1b[2J\x1b[31mrm -rf\u202e\n'
                     .encode())
    result = subprocess.run([sys.executable, str(ROOT / "render.py"), "check-po", str(path)],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "\x1b" not in result.stdout + result.stderr
    assert "\u202e" not in result.stdout + result.stderr
    assert "'\\x1b[2J\\x1b[31mrm -rfU+202E' is not a msgctxt" in result.stdout


def test_a_utf16_file_is_told_to_be_saved_as_utf8(tmp_path, texts):
    path = tmp_path / "utf16.po"
    path.write_bytes(catalog.po_path(ROOT / "translations", "pl", NAME).read_text(
        encoding="utf-8").encode("utf-16"))
    [problem] = pocheck.check(path, texts, "utf16.po").problems
    assert str(problem) == ("utf16.po:1: error: UTF-16 text: save the file as UTF-8 (Poedit: "
                            "File > Properties)")


@pytest.mark.parametrize("data, message", [
    # 400,000 syntax errors were kept whole by the page (44 MB a file): one error now.
    (b"x\n" * 400_000, "the file has 400001 lines; a catalog of this leaflet has about 1,100"),
    # Each escape costs polib a Python call: 900,000 of them took it 2 s.
    (b'msgid ""\nmsgstr "' + b"\\\\" * 30_000 + b'"\n',
     "the file has 60000 backslashes; a catalog of this leaflet has a few dozen"),
])
def test_a_file_not_shaped_like_a_catalog_is_one_error_before_it_is_parsed(
        tmp_path, texts, data, message):
    path = tmp_path / "shape.po"
    path.write_bytes(data)
    [problem] = pocheck.check(path, texts, "shape.po").problems
    assert message in problem.message and problem.is_error


def test_a_line_break_inside_a_translation_is_an_error(tmp_path, texts):
    """It made the braille-ready file fail (lou_translate reads one string a line)."""
    path = tmp_path / "newline.po"
    path.write_text((DATA / "po-number-changed.po").read_text(encoding="utf-8").replace(
        'msgstr "Tylko', 'msgstr "Tylko\\n', 1), encoding="utf-8")
    report = pocheck.check(path, texts, "newline.po")
    assert any("a line break (\\n) inside the string: the English has none" in p.message
               for p in report.problems if p.is_error)
