"""What a catalog's language cannot print is found by the check, with the line."""
from __future__ import annotations

import pytest

from leaflet.checks import printable
from leaflet.inputs import pocheck
from conftest import shipped_catalogs

PL_PLURALS = ("nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || "
              "n%100>=20) ? 1 : 2);")
D = "sections.diagnosis.blocks.symptoms"


def catalog_of(tmp_path, language: str, plurals: str, msgstr: str):
    path = tmp_path / "upload.po"
    path.write_text(f'msgid ""\nmsgstr ""\n"Language: {language}\\n"\n'
                    f'"Plural-Forms: {plurals}\\n"\n\nmsgctxt "{D}"\n'
                    f'msgid "Diagnosis is usually made from your symptoms."\n'
                    f'msgstr "{msgstr}"\n', encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def texts(leaflet):
    from leaflet.inputs import source

    return {t.key: t for t in source.texts(leaflet)}


@pytest.mark.parametrize("language", ["pl", "ro", "lt", "pt_PT", "ar", "ur", "bn", "zh_Hans"])
def test_every_shipped_catalog_can_be_printed(language):
    for path, texts in shipped_catalogs(language):
        report = printable.check(path, texts)
        assert [str(p) for p in report.problems if p.is_error] == [], path


@pytest.mark.parametrize("language, plurals, msgstr, message", [
    # The case: no pinned font has U+FF5B; the build failed, the check passed.
    ("pl", PL_PLURALS, "\uff5bDiagnoza zwykle na podstawie objawów.",
     "character U+FF5B (FULLWIDTH LEFT CURLY BRACKET): no font the leaflet uses for pl "
     "draws it"),
    ("pl", PL_PLURALS, "Diagnoza 中 ب", "characters U+4E2D (CJK UNIFIED IDEOGRAPH-4E2D), "
     "U+0628 (ARABIC LETTER BEH): no font the leaflet uses for pl draws them"),
    ("pl", PL_PLURALS, "Diagnoza → objawy", "U+2192 (RIGHTWARDS ARROW): no font"),
    ("pl", PL_PLURALS, "Diagnoza 😀", "U+1F600 (GRINNING FACE): no font"),
    # Drawn by the font, but the Polish braille table has no cell for them.
    ("pl", PL_PLURALS, "Diagnoza (señal) €", "characters U+00F1 (LATIN SMALL LETTER N WITH "
     "TILDE), U+20AC (EURO SIGN): cannot be written in braille with pl.tbl"),
    ("pl", PL_PLURALS, "Diagnoza\u200e objawy", "U+200E (LEFT-TO-RIGHT MARK): cannot be "
     "written in braille"),
    ("zh_Hans", "nplurals=1; plural=0;", "诊断 ب", "U+0628 (ARABIC LETTER BEH): no font the "
     "leaflet uses for zh_Hans draws it"),
])
def test_what_the_language_cannot_print_is_an_error_with_the_line(
        tmp_path, texts, language, plurals, msgstr, message):
    report = printable.check(catalog_of(tmp_path, language, plurals, msgstr), texts, "up.po")
    errors = [str(p) for p in report.problems if p.is_error]
    assert any(e.startswith(f"up.po:6: error: '{D}': ") and message in e for e in errors), errors
    assert D not in report.translations  # a draft shows the English instead
    assert report.untranslated == report.total


def test_the_same_characters_in_a_language_whose_fonts_have_them_pass(tmp_path, texts):
    """Chinese in a Chinese catalog, Arabic in an Arabic one: no font error."""
    for language, plurals, msgstr in (
            ("zh_Hans", "nplurals=1; plural=0;", "诊断通常根据您的症状作出。"),
            ("ar", "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && "
             "n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
             "عادةً ما يتم التشخيص من الأعراض.")):
        report = printable.check(catalog_of(tmp_path, language, plurals, msgstr), texts)
        assert [p for p in report.problems if p.is_error] == [], language
        assert report.translations == {D: msgstr}


def test_without_a_language_nothing_is_claimed_about_fonts(tmp_path, texts):
    report = printable.check(catalog_of(tmp_path, "", PL_PLURALS, "\uff5b"), texts)
    assert not any("no font" in p.message for p in report.problems)
    assert any("Language is missing" in p.message for p in report.problems)


def test_a_report_without_usable_translations_is_unchanged(texts, tmp_path):
    report = pocheck.check(catalog_of(tmp_path, "pl", PL_PLURALS, ""), texts)
    assert printable.printable(report) is report


def test_once_warmed_the_braille_check_starts_no_program(tmp_path, texts, monkeypatch):
    """The server's sandboxed children may start no program: the fork server warms the
    braille characters of every language first, and the check asks no lou_translate."""
    import subprocess

    printable.warm()

    def forbidden(*args, **kwargs):
        raise PermissionError("no program may start here")

    monkeypatch.setattr(subprocess, "run", forbidden)
    report = printable.check(catalog_of(tmp_path, "pl", PL_PLURALS, "Diagnoza (señal)."),
                             texts, "up.po")
    assert any("U+00F1 (LATIN SMALL LETTER N WITH TILDE): cannot be written in braille"
               in p.message for p in report.problems if p.is_error)


def test_a_braille_table_that_cannot_be_asked_is_a_warning_not_a_crash(tmp_path, texts,
                                                                        monkeypatch):
    import subprocess

    def forbidden(*args, **kwargs):
        raise PermissionError("no program may start here")

    printable.braille_cells.cache_clear()
    monkeypatch.setattr(subprocess, "run", forbidden)
    try:
        report = printable.check(catalog_of(tmp_path, "pl", PL_PLURALS, "Diagnoza."), texts,
                                 "up.po")
    finally:
        printable.braille_cells.cache_clear()
    [warning] = [p for p in report.problems if "braille not checked here" in p.message]
    assert warning.severity == "warning" and report.errors == 0
