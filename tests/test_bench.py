"""The benchmark's library mode (tools/bench.py --library): on a tiny library it makes,
builds and measures, and prints every measure of issue 21 against its target. Timings
are not asserted: they belong to the machine, not to the code."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import bench_library  # noqa: E402

MEASURES = ("full build of the library", "one leaflet alone",
            "wall time per page: library / one leaflet",
            "CPU time per page: library / one leaflet", "no-op build of the library",
            "one leaflet's YAML edited", "that leaflet alone, edited, empty folder",
            "shared red flag edited: editions, cards rebuilt", "font subsetting CPU, library",
            "font subsetting CPU, one leaflet", "fonts subset again",
            "peak memory (max RSS of the build or a worker), library",
            "peak memory, one leaflet")


@pytest.fixture(scope="module")
def two_leaflets_in_english() -> str:
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "bench.py"), "--library",
                           "2", "--languages", "en-GB", "--rounds", "1"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_library_mode_prints_every_measure(two_leaflets_in_english):
    out = two_leaflets_in_english
    assert "library: 2 leaflets (1 use the cauda equina list), 2 editions; languages: en-GB" \
        in out
    for measure in MEASURES:
        assert re.search(rf"{re.escape(measure)}.*\d", out), measure
    assert "targets met:" in out and "targets not met:" in out


def test_shared_red_flag_rebuilds_the_leaflet_using_it_only(two_leaflets_in_english):
    # The copy of the service's leaflet uses the cauda equina list; the sore-neck
    # fixture's copy has its own: one edition of the two is rebuilt, and the list's card.
    assert re.search(r"editions, cards rebuilt\s+1 of 2, 1 in .*== 1, 1 ",
                     two_leaflets_in_english)
    assert re.search(r"targets met: .*shared red flag", two_leaflets_in_english)


def test_a_copy_has_its_own_name_title_and_catalogs(tmp_path):
    made = bench_library.make(tmp_path, 3, ["en-GB", "pl"])
    assert [m["name"] for m in made] == [
        f"bench-{letter}-{path.stem}" for letter, path in
        zip("abc", [bench_library.REAL, *bench_library.FIXTURES])]
    assert made[0]["languages"] == ["en-GB", "pl"] and made[1]["languages"] == ["en-GB"]
    text = (tmp_path / "source" / f"{made[0]['name']}.yaml").read_text()
    assert 'title: "Nerve-related back and leg pain (library copy A)"' in text
    po = (tmp_path / "translations" / "pl" / "LC_MESSAGES" / f"{made[0]['name']}.po")
    assert 'msgid "Nerve-related back and leg pain (library copy A)"' in po.read_text()
    assert (tmp_path / "source" / "shared" / "red-flags.yaml").exists()


def test_letters_name_copies_without_digits():
    assert [bench_library.letters(n) for n in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]
