"""leaflet/build/grid.py: the library's status, leaflets by languages."""
from __future__ import annotations

from leaflet.build.release import LanguageStatus
from leaflet.build.grid import LEGEND, cell, grid
from leaflet.inputs.pocheck import Report
from leaflet.errors import Location, Problem


def status(leaflet, language, state, fuzzy=0, untranslated=0, errors=0, kept="",
           reviewed=False):
    problems = tuple(Problem(Location("x.po", 1), "bad", "error") for _ in range(errors))
    report = Report("x.po", language, problems, total=100, fuzzy=fuzzy,
                    untranslated=untranslated, reviewer="A. Reviewer" if reviewed else "",
                    review_date="2026-12-01" if reviewed else "")
    return LanguageStatus(language, report, state, kept=kept, leaflet=leaflet)


def test_a_cell_says_released_kept_or_not_and_what_holds_it_back():
    assert cell(LanguageStatus("en-GB", None, "released", leaflet="a")) == "source"
    assert cell(status("a", "pl", "released", reviewed=True)) == "R 100%*"
    assert cell(status("a", "pl", "skipped", fuzzy=3, kept="2026-11-01")) == "K 97% 3f"
    assert cell(status("a", "pl", "skipped", untranslated=88, errors=1)) == "- 12% 1e"
    assert cell(status("a", "pl", "draft", untranslated=5)) == "D 95%"


def test_the_grid_has_a_row_per_leaflet_and_a_column_per_language():
    text = grid([LanguageStatus("en-GB", None, "released", leaflet="back"),
                 status("back", "pl", "released"), status("back", "ar", "skipped", fuzzy=2,
                                                          kept="2026-11-01"),
                 LanguageStatus("en-GB", None, "released", leaflet="neck-pain"),
                 status("neck-pain", "ar", "skipped", untranslated=100)])
    lines = text.splitlines()
    assert lines[0].split() == ["leaflet", "en-GB", "pl", "ar"]
    # columns line up: each cell starts where its language's heading starts
    start = lines[0].index("ar")
    assert lines[1][start:].rstrip() == "K 98% 2f" and lines[2][start:].rstrip() == "- 0%"
    assert lines[2][lines[0].index("pl"):start].strip() == ""  # no Polish catalog
    assert lines[-1] == LEGEND
