"""The command line: clear errors, exit status, no traceback."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

from leaflet.inputs import catalog
from conftest import NAME, beside_shared, library, ROOT, SOURCE


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "render.py"), *args], cwd=cwd,
                          capture_output=True, text=True)


def test_help_lists_the_options():
    result = run("build", "--help")
    assert result.returncode == 0
    for option in ("--language", "--document", "--variant", "--output", "--draft"):
        assert option in result.stdout


def test_bad_source_exits_non_zero_with_file_line_errors_and_no_traceback(tmp_path):
    bad = beside_shared(tmp_path) / "bad.yaml"
    bad.write_text(SOURCE.read_text().replace("  version: \"1.0\"\n", "").replace(
        "  reference: EOEMSK-PIL-SCI-001\n", ""))
    result = run("--source", str(bad), "--output", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "bad.yaml:21: error: metadata: missing key 'reference'" in result.stderr
    assert "bad.yaml:21: error: metadata: missing key 'version'" in result.stderr
    assert "nothing was written" in result.stderr
    assert not (tmp_path / "out").exists()


def test_build_writes_into_the_chosen_directory(tmp_path):
    result = run("--language", "en-GB", "--output", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "en-GB/nerve-related-back-and-leg-pain-screen.pdf").is_file()
    assert (tmp_path / "manifest.json").is_file()


CARD = "cauda-equina-card-screen.pdf"
ONE_CARD = ("-d", "card", "-v", "screen")


def catalogs(tmp_path, *languages):
    """A translations/ folder holding copies of the shipped catalogs of `languages`."""
    root = tmp_path / "translations"
    for language in languages:
        shutil.copytree(ROOT / "translations" / language, root / language)
    return root


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_catalog_with_errors_is_named_line_by_line_and_fails_after_the_rest_is_written(
        tmp_path):
    root = catalogs(tmp_path, "ar", "pl")
    out = tmp_path / "out"
    build = ("--translations", "translations", "--output", "out", *ONE_CARD)
    assert run(*build, cwd=tmp_path).returncode == 0
    released = (out / "ar" / CARD).read_bytes()
    ar, pl = catalog.po_path(root, "ar", NAME), catalog.po_path(root, "pl", catalog.SHARED)
    edit(ar, '"يستغرق ذلك 3-6 أشهر."', '"يستغرق ذلك 10-6 أشهر."')
    # Polish must be made again: a card word's translation changed.
    edit(pl, '"Pokaż tę kartę personelowi."', '"Pokaż tę kartę personelowi szpitala."')
    polish = (out / "pl" / CARD).stat().st_ino

    result = run(*build, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    check = run("check-po", "translations/ar/LC_MESSAGES/nerve-related-back-and-leg-pain.po", cwd=tmp_path)
    errors = [line for line in check.stdout.splitlines() if ": error: " in line]
    assert errors == ["translations/ar/LC_MESSAGES/nerve-related-back-and-leg-pain.po:76: error: "
                      "'sections.cause.blocks.disc': numbers differ: the English has 3, 6, "
                      "the translation has 6, 10"]
    assert errors[0] in result.stderr.splitlines()
    assert (out / "pl" / CARD).stat().st_ino != polish  # written, not only rendered
    assert (out / "ar" / CARD).read_bytes() == released
    entries = {e["language"]: e for e in json.loads((out / "manifest.json").read_text())["files"]}
    assert entries["ar"]["kept"] == "current catalog: 1 error"
    assert entries["ar"]["catalog"] == "2026-11-24" and "kept" not in entries["pl"]
    status = run("status", "--translations", "translations", "--output", "out", cwd=tmp_path)
    assert "ar: last release kept (catalog of 2026-11-24); current catalog: 1 error (" \
        in status.stdout

    # An unterminated string is named by its line too; an incomplete catalog is skipped
    # with its counts and does not fail the build.
    ar.write_bytes((ROOT / "translations/ar/LC_MESSAGES/nerve-related-back-and-leg-pain.po").read_bytes())
    edit(ar, '"يستغرق ذلك 3-6 أشهر."', '"يستغرق ذلك 3-6 أشهر.')
    edit(pl, 'msgstr "Zespół Cauda Equina"', 'msgstr ""')
    result = run(*build, cwd=tmp_path)
    assert result.returncode == 1
    assert 'translations/ar/LC_MESSAGES/nerve-related-back-and-leg-pain.po:90: error: syntax: the text must start ' \
        'and end with " on the same line; write a " inside the text as \\"' \
        in result.stderr.splitlines()
    assert "pl: last release kept (catalog of 2026-11-24); current catalog: 1 untranslated (" \
        in result.stdout
    assert "pl" not in result.stderr

    # Fixed, both are released again and no longer said to be kept.
    for language in ("ar", "pl"):
        shutil.copytree(ROOT / "translations" / language, root / language, dirs_exist_ok=True)
    assert run(*build, cwd=tmp_path).returncode == 0
    manifest = json.loads((out / "manifest.json").read_text())["files"]
    assert manifest and not [e for e in manifest if "kept" in e]


def test_only_an_incomplete_catalog_does_not_fail_the_build(tmp_path):
    root = catalogs(tmp_path, "pl")
    edit(catalog.po_path(root, "pl", catalog.SHARED), 'msgstr "Zespół Cauda Equina"', 'msgstr ""')
    result = run("--translations", "translations", "--output", "out", "-l", "pl", *ONE_CARD,
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "pl: skipped: 118/119 translated (99%), 0 fuzzy, 1 untranslated, 0 errors, " \
        "unreviewed (not released: 1 untranslated; --draft builds a marked draft)" \
        in result.stdout
    assert not (tmp_path / "out").exists()  # nothing written: no folder made either


def test_a_failed_build_into_a_new_folder_leaves_no_folder(tmp_path):
    root = catalogs(tmp_path, "ar")
    edit(catalog.po_path(root, "ar", NAME), '"يستغرق ذلك 3-6 أشهر."', '"يستغرق ذلك 10-6 أشهر."')
    result = run("--translations", "translations", "--output", "out", "-l", "ar", *ONE_CARD,
                 cwd=tmp_path)
    assert result.returncode == 1 and "numbers differ" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_unknown_leaflet_is_named_with_the_ones_there_are(tmp_path):
    result = run("build", "--leaflet", "sciatica", "--output", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "source: error: no leaflet called sciatica: there are " \
           "nerve-related-back-and-leg-pain" in result.stderr
    assert not (tmp_path / "out").exists()


def test_status_and_check_po_go_through_every_leaflet_of_the_library(tmp_path):
    folder = library(tmp_path)
    status = run("status", "--source", str(folder), "--output", str(tmp_path / "out"))
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    for name in ("test-fixture-sore-neck", "test-fixture-stiff-back"):
        assert f"{name}: en-GB: released (source language)" in lines
    assert any(line.startswith(f"{NAME}: pl: ") for line in lines)
    assert not any(line.startswith("test-fixture-sore-neck: pl") for line in lines)
    # Then the grid: a row per leaflet, a column per language; a test fixture has no
    # translation, so its languages are empty cells.
    header = next(line for line in lines if line.startswith("leaflet "))
    assert header.split()[:3] == ["leaflet", "en-GB", "ar"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[lines.index(header) + 1:]
            if line.split() and line.split()[0] in (NAME, "test-fixture-sore-neck")}
    assert rows["test-fixture-sore-neck"] == ["source"]
    assert rows[NAME][0] == "source" and rows[NAME][1:3] == ["R", "100%"]
    only = run("status", "--source", str(folder), "--leaflet", "test-fixture-sore-neck",
               "--output", str(tmp_path / "out"))
    assert "en-GB: released (source language)" in only.stdout.splitlines()
    assert NAME not in only.stdout
    # A catalog is checked against the leaflet it belongs to.
    check = run("check-po", "--source", str(folder),
                str(ROOT / "translations" / "pl" / "LC_MESSAGES" / f"{NAME}.po"))
    assert check.returncode == 0 and ", 0 errors" in check.stdout
    wrong = run("check-po", "--source", str(folder), "--leaflet", "test-fixture-sore-neck",
                str(ROOT / "translations" / "pl" / "LC_MESSAGES" / f"{NAME}.po"))
    assert wrong.returncode == 1 and "is not in the template" in wrong.stdout


def test_update_po_starts_a_new_leaflets_catalogs_filled_by_the_memory(tmp_path):
    """A leaflet with no catalog yet gets one in every language of the library, its header
    the language's (never a translator's or a review's), holding its own strings only:
    the shared passages it takes are the shared catalog's, translated already. What the
    library has already translated of its own strings is offered by the memory, fuzzy."""
    import polib

    folder = library(tmp_path)
    stiff = folder / "test-fixture-stiff-back.yaml"  # one sentence the real leaflet has
    stiff.write_text(stiff.read_text().replace(
        "    heading: \"Test fixture A: the shared warning\"",
        "    heading: Should I be worried?"))
    translations = tmp_path / "translations"
    for language in ("pl", "ar"):
        for name in (NAME, catalog.SHARED):
            mine = catalog.po_path(translations, language, name)
            mine.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(catalog.po_path(ROOT / "translations", language, name), mine)
    result = run("update-po", "--source", str(folder), "--translations", str(translations),
                 "--leaflet", "test-fixture-stiff-back")
    assert result.returncode == 0, result.stderr
    assert "render.py: started" in result.stdout
    for language in ("pl", "ar"):
        started = catalog.po_path(translations, language, "test-fixture-stiff-back")
        po = polib.pofile(str(started))
        shipped = polib.pofile(str(catalog.po_path(ROOT / "translations", language, NAME)))
        assert po.metadata["Language"] == language
        assert po.metadata["Plural-Forms"] == shipped.metadata["Plural-Forms"]
        assert "X-Review-Status" not in po.metadata and "Machine" not in str(po.metadata)
        assert not [e.msgctxt for e in po if e.msgctxt.startswith(
            ("red_flags.", "card.", "labels.", "service.", "blocks."))]
        # A key of another leaflet (its title) is another string: never taken as it was.
        assert po.find("metadata.title", by="msgctxt").msgstr == ""
        [filled] = [e for e in po if e.msgstr]
        assert filled.msgctxt == "sections.worried.heading"
        assert "fuzzy" in filled.flags and "memory: exact match" in filled.tcomment
        assert f"{language}: the translation memory filled 1 (exact 1, near 0)" in result.stdout
        # The shared catalog was only brought up to date: no translation in it changed.
        assert entries(catalog.po_path(translations, language, catalog.SHARED)) == \
            entries(catalog.po_path(ROOT / "translations", language, catalog.SHARED))


def entries(path) -> list[tuple]:
    import polib

    return [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.obsolete) for e in polib.pofile(str(path))]
    assert not catalog.po_path(translations, "bn", "test-fixture-stiff-back").exists()
