"""Checks of a submitted .po: each kind of problem, with its exact message."""
from __future__ import annotations

import subprocess
import sys

import pytest

from leaflet import catalog, pocheck, source
from conftest import DATA, ROOT

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
        "copy the English from leaflet.pot"],
    "po-msgctxt-unknown": [
        "12: error: msgctxt 'sections.diagnosis.blocks.guess' is not in the template: do not "
        "change msgctxt lines (run make update-po after a source change)"],
    "po-fuzzy": [
        f"12: warning: fuzzy: '{D}': check the translation against the English, then remove "
        "the fuzzy mark"],
    "po-untranslated": [f"12: warning: untranslated: '{D}'"],
    "po-card-too-long": [
        "12: error: 'card.title': 58 characters; this card string has at most 40"],
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


@pytest.mark.parametrize("language", catalog.languages(ROOT / "translations"))
def test_every_shipped_catalog_is_complete_and_clean(language, texts):
    report = pocheck.check(catalog.po_path(ROOT / "translations", language), texts)
    assert [str(p) for p in report.problems if p.is_error] == []
    assert report.complete
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
    good = run("translations/pl/LC_MESSAGES/leaflet.po")
    total = len(list(source.texts(source.load(ROOT / "source" /
                                              "nerve-related-back-and-leg-pain.yaml"))))
    assert good.returncode == 0 and f"{total}/{total} translated" in good.stdout
