"""Incremental and reproducible builds: what is up to date, decided by content hashes."""
from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import time

import pytest

from leaflet.build import build, freshness, stamp
from conftest import NAME, ROOT, SOURCE, library

ONE = dict(documents=("leaflet",), variants=("screen",))


def run(*args):
    return subprocess.run([sys.executable, str(ROOT / "render.py"), *args], cwd=ROOT,
                          capture_output=True, text=True)


@pytest.fixture
def project(tmp_path):
    """A copy of translations/ the test may change, and an output folder."""
    translations = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", translations)
    return translations, tmp_path / "out"


def inodes(out):
    return {p.relative_to(out): p.stat().st_ino for p in out.rglob("*.pdf")}


def test_key_changes_with_the_languages_catalog_only(project):
    translations, _ = project
    before = {lang: freshness.key(SOURCE, translations, lang, False) for lang in ("pl", "ro", "en-GB")}
    po = freshness.po_path(translations, "pl", NAME)
    po.write_text(po.read_text().replace('msgstr "Ból', 'msgstr "Silny ból', 1))
    after = {lang: freshness.key(SOURCE, translations, lang, False) for lang in ("pl", "ro", "en-GB")}
    assert after["pl"] != before["pl"]
    assert after["ro"] == before["ro"] and after["en-GB"] == before["en-GB"]
    # The language's shared catalog is one of its inputs too.
    shared = freshness.po_path(translations, "pl", freshness.SHARED)
    shared.write_text(shared.read_text().replace('msgstr "PROJEKT"', 'msgstr "SZKIC"'))
    assert freshness.key(SOURCE, translations, "pl", False) != after["pl"]
    assert freshness.key(SOURCE, translations, "ro", False) == before["ro"]
    assert freshness.key(SOURCE, translations, "ro", True) != before["ro"]  # options count


def test_a_no_op_build_rebuilds_nothing_and_does_not_import_weasyprint(project):
    translations, out = project
    first = run("-l", "pl", "-l", "ro", "-d", "leaflet", "-v", "screen", "-o", str(out),
                "--translations", str(translations))
    assert first.returncode == 0, first.stderr
    before = inodes(out)
    probe = ("import sys; from leaflet import cli; "
             f"code = cli.main(['-l', 'pl', '-l', 'ro', '-d', 'leaflet', '-v', 'screen', "
             f"'-o', {str(out)!r}, '--translations', {str(translations)!r}]); "
             "print('weasyprint' in sys.modules, 'jinja2' in sys.modules, code)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.stdout.splitlines()[-1] == "False False 0", result.stdout + result.stderr
    assert "is up to date" in result.stdout
    assert inodes(out) == before


def test_changing_one_po_rebuilds_only_that_language(project):
    translations, out = project
    options = dict(source=SOURCE, translations=translations, output=out,
                   languages=("pl", "ro"), **ONE)
    build.build(build.Options(**options), say=lambda line: None)
    before = inodes(out)
    po = freshness.po_path(translations, "pl", freshness.SHARED)  # the draft label's
    po.write_text(po.read_text().replace('msgstr "PROJEKT"', 'msgstr "SZKIC"'))
    said = []
    build.build(build.Options(**options), say=said.append)
    after = inodes(out)
    pl = [p for p in before if p.parts[0] == "pl"]
    ro = [p for p in before if p.parts[0] == "ro"]
    assert all(after[p] != before[p] for p in pl)
    assert all(after[p] == before[p] for p in ro)
    assert "1 of 2 languages up to date" in said
    assert "to build: 1 language, 0 cards (red-flag list and language)" in said


def test_a_changed_or_missing_output_is_rebuilt(project):
    translations, out = project
    options = build.Options(source=SOURCE, translations=translations, output=out,
                            languages=("ro",), **ONE)
    build.build(options, say=lambda line: None)
    target = out / "ro" / "nerve-related-back-and-leg-pain-screen.pdf"
    good = target.read_bytes()
    target.write_bytes(good[:100])  # damaged by hand: no longer what the manifest says
    build.build(options, say=lambda line: None)
    assert target.read_bytes() == good
    target.unlink()
    build.build(options, say=lambda line: None)
    assert target.read_bytes() == good


def test_two_builds_are_byte_identical_whatever_the_clock_and_randomness(tmp_path,
                                                                       monkeypatch):
    """Every variant of one language, built twice: the second at another time of day, with
    another random generator, in another folder."""
    # The same day for both: review dates are compared with it, not with the clock.
    options = dict(source=SOURCE, translations=ROOT / "translations", languages=("ar",),
                   today=datetime.date(2027, 1, 1))
    build.build(build.Options(output=tmp_path / "a", **options), say=lambda line: None)
    import random
    import uuid

    import weasyprint.pdf.pdfx

    later = time.localtime(time.time() + 86400 * 400 + 3600 * 5)
    monkeypatch.setattr(weasyprint.pdf.pdfx, "localtime", lambda *a: later)
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=random.getrandbits(128)))
    random.seed(12345)
    build.build(build.Options(output=tmp_path / "b", **options), say=lambda line: None)
    # Not the no-op stamp: it records the stat of the files on this machine, not output.
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*")
         if p.is_file() and p.name != stamp.STAMP}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*")
         if p.is_file() and p.name != stamp.STAMP}
    assert len([p for p in a if p.suffix == ".pdf"]) == 8 and a.keys() == b.keys()
    # the web page, its fonts and the index, braille, plain text, the manifest
    assert {p.suffix for p in a} == {".pdf", ".html", ".woff2", ".brf", ".txt", ".json"}
    assert [p for p in a if a[p] != b[p]] == []


@pytest.mark.parametrize("selection, tasks", [
    (("-d", "leaflet", "-v", "screen", "-v", "large-print"), 2),  # two worker processes
    (("-d", "card"), 1),  # one task, rendered in the build's own process
])
def test_a_build_leaves_no_temporary_files(tmp_path, selection, tasks):
    """WeasyPrint copies the fonts into a temporary folder (10 MB) for each process that
    renders: the build removes them, or every build would leave them behind."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    result = subprocess.run([sys.executable, str(ROOT / "render.py"), "-l", "pl", *selection,
                             "-o", str(tmp_path / "out")], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, "TMPDIR": str(scratch)})
    assert result.returncode == 0, result.stderr
    assert f"[{tasks}/{tasks}]" in result.stdout
    assert list(scratch.iterdir()) == []


def test_a_changed_po_rebuilds_that_languages_page_and_reuses_its_unchanged_fonts(project):
    translations, out = project
    options = build.Options(source=SOURCE, translations=translations, output=out,
                            languages=("pl", "ro"), documents=("leaflet",),
                            variants=("screen", "web"))
    build.build(options, say=lambda line: None)
    pages = {lang: out / lang / "nerve-related-back-and-leg-pain.html" for lang in ("pl", "ro")}
    before = {lang: path.stat().st_ino for lang, path in pages.items()}
    fonts = {p: p.read_bytes() for p in (out / "pl" / "fonts").iterdir()}
    po = freshness.po_path(translations, "pl", freshness.SHARED)  # the draft label's
    po.write_text(po.read_text().replace('msgstr "PROJEKT"', 'msgstr "SZKIC"'))
    said = []
    build.build(options, say=said.append)
    assert pages["pl"].stat().st_ino != before["pl"]
    assert pages["ro"].stat().st_ino == before["ro"]
    assert {p: p.read_bytes() for p in (out / "pl" / "fonts").iterdir()} == fonts
    assert not any(".woff2" in line for line in said)  # taken from output/, not made
    # The page lists the PDF this build made; a web page alone lists what output/ has.
    assert 'href="nerve-related-back-and-leg-pain-screen.pdf"' in pages["pl"].read_text()


def test_a_deleted_font_or_index_makes_the_build_not_up_to_date(project):
    translations, out = project
    args = ["-l", "ro", "-d", "leaflet", "-v", "screen", "-v", "web", "-o", str(out),
            "--translations", str(translations)]
    assert run(*args).returncode == 0
    assert "is up to date" in run(*args).stdout
    next((out / "ro" / "fonts").iterdir()).unlink()
    assert "is up to date" not in run(*args).stdout
    assert "is up to date" in run(*args).stdout
    (out / "index.html").unlink()
    assert "is up to date" not in run(*args).stdout
    assert (out / "index.html").is_file()


def test_a_shared_red_flag_edited_outdates_only_the_leaflets_that_use_it(tmp_path):
    folder = library(tmp_path)
    names = ("nerve-related-back-and-leg-pain", "test-fixture-stiff-back",
             "test-fixture-sore-neck")

    def keys() -> dict[str, str]:
        freshness._common.cache_clear()
        return {n: freshness.key(folder / f"{n}.yaml", ROOT / "translations", "en-GB", False)
                for n in names}

    before = keys()
    flags = folder / "shared" / "red-flags.yaml"
    flags.write_text(flags.read_text().replace("Loss of sensation passing urine",
                                               "Loss of sensation when passing urine"))
    edited = keys()
    # The real leaflet and fixture A take the cauda equina list; B has its own.
    assert [edited[n] != before[n] for n in names] == [True, True, False]
    labels = folder / "shared" / "labels.yaml"
    labels.write_text(labels.read_text().replace("Next review", "Review by"))
    assert all(keys()[n] != edited[n] for n in names)  # every leaflet prints the labels


def test_a_build_forgets_the_hashes_an_earlier_build_in_the_process_took(tmp_path):
    """The web application and the tests build again in the same process after an edit:
    the hashes of the last build must not be taken for the files as they are now."""
    folder = library(tmp_path)
    path = folder / f"{NAME}.yaml"
    first = freshness.key(path, ROOT / "translations", "en-GB", False)
    flags = folder / "shared" / "red-flags.yaml"
    flags.write_text(flags.read_text().replace("Loss of sensation passing urine",
                                               "Loss of sensation when passing urine"))
    assert freshness.key(path, ROOT / "translations", "en-GB", False) == first  # one build
    freshness.forget()
    assert freshness.key(path, ROOT / "translations", "en-GB", False) != first
