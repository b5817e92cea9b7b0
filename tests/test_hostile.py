"""Untrusted input: hostile or broken .po and YAML files never leak, crash or half-write.

Every file in tests/hostile/ is checked for its expected message, then built with; a
canary file outside the project, holding a unique token, must appear in no output.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid

import pikepdf
import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflet.build import build, memo, stamp
from leaflet.checks import printable
from leaflet.formats import braille
from leaflet.inputs import catalog, pocheck, source
from leaflet.errors import BuildError
from conftest import NAME, ROOT, SOURCE

HOSTILE = ROOT / "tests" / "hostile"
PO_CASES = sorted(HOSTILE.glob("*.po"))
YAML_CASES = sorted(HOSTILE.glob("*.yaml"))
SHIPPED_PL = catalog.po_path(ROOT / "translations", "pl", NAME)


@pytest.fixture(scope="module")
def canary(tmp_path_factory):
    """A file outside the project whose unique content must never reach an output."""
    path = tmp_path_factory.mktemp("outside") / "canary.txt"
    token = f"CANARY-{uuid.uuid4().hex}"
    path.write_text(token)
    return path, token


@pytest.fixture(scope="module")
def texts():
    return {t.key: t for t in source.texts(source.load(SOURCE))}


def expected(case) -> str:
    first = case.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    assert first.startswith("# expect: "), case.name
    return first[len("# expect: "):]


def sent_as(case) -> str:
    """The catalog the case is sent as: the leaflet's, or the one its second line names."""
    second = (case.read_bytes().split(b"\n")[1:2] or [b""])[0].decode("utf-8", "replace")
    return second[len("# catalog: "):] if second.startswith("# catalog: ") else NAME


def materialise(case, canary, folder):
    """The case as a file, with the canary's address and path filled in."""
    path, _ = canary
    data = case.read_bytes().replace(b"@CANARY_URL@", path.as_uri().encode()).replace(
        b"@CANARY_PATH@", str(path).encode())
    target = folder / case.name
    target.write_bytes(data)
    return target, expected(case).replace("@CANARY_URL@", path.as_uri()).replace(
        "@CANARY_PATH@", str(path))


@pytest.mark.parametrize("case", PO_CASES, ids=lambda p: p.name)
def test_each_hostile_po_gets_its_message(case, canary, texts, tmp_path):
    path, message = materialise(case, canary, tmp_path)
    report = printable.check(path, texts, case.name)
    errors = [p for p in report.problems if p.is_error]
    assert any(message in p.message for p in errors), [str(p) for p in errors]
    assert all(str(p).startswith(f"{case.name}:") for p in report.problems)


@pytest.mark.parametrize("case", YAML_CASES, ids=lambda p: p.name)
def test_each_hostile_source_gets_its_message(case, canary, tmp_path):
    path, message = materialise(case, canary, tmp_path)
    with pytest.raises(BuildError) as exc:
        source.load(path)
    assert any(message in p.message for p in exc.value.problems), \
        [str(p) for p in exc.value.problems]


def test_very_large_files_are_refused(tmp_path, texts):
    big_po = tmp_path / "big.po"
    big_po.write_bytes(SHIPPED_PL.read_bytes() * 200)
    [problem] = pocheck.check(big_po, texts).problems
    assert "a catalog is at most 2000000" in problem.message
    big_yaml = tmp_path / "big.yaml"
    big_yaml.write_bytes(SOURCE.read_bytes() * 60)
    with pytest.raises(BuildError, match="a leaflet source is at most 1000000"):
        source.load(big_yaml)


def catalog_with(case_file, folder, name=NAME):
    """translations/ holding the shipped Polish catalogs, the one called `name` with the
    case's header and entries put in as they are, byte for byte (a file not readable as
    text is used whole)."""
    target = catalog.po_path(folder / "translations", "pl", name)
    shutil.copytree(ROOT / "translations" / "pl", folder / "translations" / "pl")
    shipped = catalog.po_path(ROOT / "translations", "pl", name)
    raw = case_file.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or "\0" in text:
        target.write_bytes(raw)
        return folder / "translations"
    head, _, body = text.partition("\n\n")  # the header ends at the first blank line
    replaced = set(re.findall(r'^msgctxt "(.*)"$', body, re.M))
    kept = [e for e in polib.pofile(str(shipped)) if e.msgctxt not in replaced]
    target.write_text(head + "\n\n" + "".join(f"{e}\n" for e in kept) + body,
                      encoding="utf-8")
    return folder / "translations"


def leaks(out, token: str) -> list[str]:
    """Outputs holding the token (raw, or in any decompressed stream) or embedding a file."""
    found = []
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        if token.encode() in path.read_bytes():
            found.append(f"{path.name}: token in the file")
        if path.suffix != ".pdf":
            continue
        with pikepdf.open(path) as pdf:
            if "/EmbeddedFiles" in pdf.Root.get("/Names", {}):
                found.append(f"{path.name}: embedded files")
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream):
                    if token.encode() in obj.read_bytes():
                        found.append(f"{path.name}: token in a stream")
                elif isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/FileAttachment":
                    found.append(f"{path.name}: file attachment")
    return found


@pytest.mark.parametrize("case", PO_CASES, ids=lambda p: p.name)
def test_building_with_a_hostile_po_leaks_nothing_and_releases_nothing(case, canary, tmp_path):
    path, _ = materialise(case, canary, tmp_path)
    translations = catalog_with(path, tmp_path, sent_as(case))
    out = tmp_path / "out"
    for draft in (False, True):
        try:
            entries = build.build(build.Options(
                source=SOURCE, translations=translations, output=out, languages=("pl",),
                variants=("screen",), draft=draft), say=lambda line: None)
        except BuildError:
            entries = []
        assert all(e["status"] == "draft" for e in entries), "a hostile catalog was released"
    assert leaks(out, canary[1]) == [] if out.exists() else True


@pytest.mark.parametrize("case", YAML_CASES, ids=lambda p: p.name)
def test_building_with_a_hostile_source_fails_cleanly_and_writes_nothing(case, canary, tmp_path):
    path, _ = materialise(case, canary, tmp_path)
    with pytest.raises(BuildError):
        build.build(build.Options(source=path, translations=ROOT / "translations",
                                  output=tmp_path / "out"), say=lambda line: None)
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------- generated inputs

KEYS = sorted({t.key for t in source.texts(source.load(SOURCE))})
msgstrs = st.one_of(st.text(max_size=80), st.sampled_from([
    "{oneyou}", "{drinkaware}", "<b>x</b>", "<b>", "</b>", "<i>x</i>", "{", "}", "1%", "6-12",
    "https://x.example", "\u202e", "\x00", "\\", '"', "%s", "{0}", "৬-১২", "٢٨"]))


def po_text(entries, header_language):
    lines = ['msgid ""', 'msgstr ""', f'"Language: {header_language}\\n"', ""]
    for key, value, fuzzy in entries:
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        lines += (["#, fuzzy"] if fuzzy else []) + [f'msgctxt "{key}"', 'msgid "x"',
                                                    f'msgstr "{escaped}"', ""]
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=st.lists(st.tuples(st.sampled_from(KEYS) | st.text(max_size=20), msgstrs,
                                  st.booleans()), max_size=8),
       language=st.sampled_from(["pl", "xx", "", "zh_Hans", "../x", "ar"]),
       junk=st.binary(max_size=64))
def test_check_never_raises_on_generated_catalogs(tmp_path_factory, texts, entries, language,
                                                   junk):
    folder = tmp_path_factory.mktemp("gen")
    for name, data in (("a.po", po_text(entries, language).encode("utf-8", "surrogatepass")),
                       ("b.po", junk)):
        path = folder / name
        try:
            path.write_bytes(data)
        except (UnicodeEncodeError, ValueError):
            continue
        report = printable.check(path, texts)
        assert isinstance(report, pocheck.Report)


LINES = SOURCE.read_text(encoding="utf-8").splitlines()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.integers(0, len(LINES) - 1),
                                st.sampled_from(["drop", "dup", "insert", "indent"]),
                                st.text(max_size=30)), max_size=4))
def test_load_never_raises_on_generated_sources(tmp_path_factory, edits):
    lines = list(LINES)
    for index, kind, text in edits:
        index %= len(lines)
        if kind == "drop":
            del lines[index]
        elif kind == "dup":
            lines.insert(index, lines[index])
        elif kind == "insert":
            lines.insert(index, text)
        else:
            lines[index] = "  " + lines[index]
    path = tmp_path_factory.mktemp("src") / "leaflet.yaml"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    try:
        assert isinstance(source.load(path), source.Leaflet)
    except BuildError as exc:
        assert exc.problems and all(":" in str(p) for p in exc.problems)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides=st.lists(st.tuples(st.sampled_from(KEYS), msgstrs), min_size=1, max_size=4))
def test_build_gives_a_clean_error_or_a_clean_build_on_generated_catalogs(
        tmp_path_factory, overrides):
    folder = tmp_path_factory.mktemp("genbuild")
    for name in (NAME, catalog.SHARED):  # each key in the catalog that has it
        po = polib.pofile(str(catalog.po_path(ROOT / "translations", "pl", name)))
        for key, value in overrides:
            for entry in (e for e in po if e.msgctxt == key):
                entry.msgstr = value
        target = catalog.po_path(folder / "translations", "pl", name)
        target.parent.mkdir(parents=True, exist_ok=True)
        po.save(str(target))
    try:
        entries = build.build(build.Options(source=SOURCE, translations=folder / "translations",
                                            output=folder / "out", languages=("pl",),
                                            documents=("leaflet",), draft=True),
                              say=lambda line: None)
        assert all(e["status"] in ("released", "draft") for e in entries)
    except BuildError as exc:
        assert exc.problems


# ------------------------------------------------------------- interrupted builds

def test_a_killed_build_leaves_output_valid_and_matching_its_manifest(built, tmp_path):
    out = tmp_path / "output"
    shutil.copytree(built[0], out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    scratch = tmp_path / "tmp"  # a killed build cannot remove its temporary files
    scratch.mkdir()
    for delay in (0.5, 1.5, 3.0):
        process = subprocess.Popen([sys.executable, str(ROOT / "render.py"), "--output",
                                    str(out)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL,
                                   env={**os.environ, "TMPDIR": str(scratch)})
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        manifest = json.loads((out / "manifest.json").read_text())["files"]
        on_disk = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
        # The manifest lists every file but itself, the no-op stamp (build/stamp.py) and
        # the checks' records (build/memo.py).
        assert {e["path"] for e in manifest} == on_disk - {"manifest.json", stamp.STAMP,
                                                           memo.FILE}
        for entry in manifest:
            data = (out / entry["path"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            if entry["format"] == "pdf":
                assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
                pikepdf.open(out / entry["path"]).close()
            elif entry["format"] == "brf":  # whole: every page within 40 x 25, BRF only
                assert braille.problems(data) == [] and data.endswith(b"\r\n")
            elif entry["format"] == "txt":
                assert data.decode("utf-8").endswith("\n")
            else:  # a whole web page, a whole WOFF2 font
                assert data.startswith({"html": b"<!DOCTYPE html>", "woff2": b"wOF2"}[
                    entry["format"]])
                assert data.rstrip().endswith(b"</html>") or entry["format"] != "html"
        assert not [p for p in out.rglob("*") if p.name.startswith(".")
                    and p.name not in (stamp.STAMP, memo.FILE)]
    # Killed while rendering, nothing was touched.
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_build_after_a_killed_one_clears_its_staging_folder(tmp_path):
    from leaflet.formats import output

    out = tmp_path / "output"
    stale = output.staging_dir(out) / "pl" / "half.pdf"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"%PDF-1.7 half")
    output.write([output.Built("en-GB/a.pdf", "leaflet", "en-GB", "screen", "released", 1,
                               b"%PDF-1.7 whole")], out)
    assert not output.staging_dir(out).exists()


def test_the_leak_detector_finds_a_file_embedded_by_an_unrestricted_fetcher(canary, tmp_path):
    """The check above can fail: WeasyPrint's default fetcher does embed a local file."""
    import weasyprint

    path, token = canary
    html = (f'<html lang="en"><title>t</title><a rel="attachment" href="{path.as_uri()}">x</a>'
            "</html>")
    (tmp_path / "leak.pdf").write_bytes(weasyprint.HTML(string=html).write_pdf())
    assert leaks(tmp_path, token)


def test_check_po_on_the_whole_corpus_exits_1_with_file_line_errors_and_no_traceback(
        canary, tmp_path):
    names = [materialise(case, canary, tmp_path)[0].name for case in PO_CASES]
    result = subprocess.run([sys.executable, str(ROOT / "render.py"), "check-po", *names],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    for name in names:
        assert re.search(rf"^{re.escape(name)}:\d+: error: ", result.stdout, re.M), name
