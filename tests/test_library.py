"""The library's pages (leaflet/formats/library.py) and the fonts the pages of a language
share (web.shared), over a scratch library built into one output/: the service's leaflet
and two test leaflets made from it here (another file name, title, topic and reference;
plainly test content, never written to source/). Each test leaflet has its own copy of
the catalogs with its title translated."""
from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import polib
import pytest

from leaflet.build import build
from leaflet.formats import library, output, web
from leaflet.inputs import catalog, source
from leaflet.layout import fonts
from conftest import ROOT, SOURCE

sys.path.insert(0, str(ROOT / "tools"))
import browser  # noqa: E402

REAL = SOURCE.stem
# name: (English title, topic, reference, {language: its title})
TEST_LEAFLETS = {
    "sciatica-test-leaflet": ("Sciatica (test leaflet)", "Lower back", "TEST-SCI-002",
                              {"pl": "Rwa kulszowa (ulotka testowa)",
                               "ar": "عرق النسا (نشرة اختبار)"}),
    "knee-test-leaflet": ("Knee pain (test leaflet)", "Knee (test)", "TEST-KNEE-003",
                          {"pl": "Ból kolana (ulotka testowa)",
                           "ar": "ألم الركبة (نشرة اختبار)"}),
}


def made_leaflet(root: Path, name: str, title: str, topic: str, reference: str,
                 titles: dict[str, str]) -> tuple[Path, Path]:
    """A copy of the service's leaflet called `name`, with another title, topic and
    reference, and its catalogs (the shipped ones, the title translated as `titles`)."""
    text = SOURCE.read_text(encoding="utf-8")
    for was, now in (("title: Nerve-related back and leg pain\n", f"title: {title}\n"),
                     ("topic: Lower back\n", f"topic: {topic}\n"),
                     ("reference: EOEMSK-PIL-SCI-001\n", f"reference: {reference}\n"),
                     # the correction of the real title's capital letter
                     ("  - at: metadata.title\n    was: Nerve-related back and leg Pain\n"
                      "    now: Nerve-related back and leg pain\n"
                      "    why: Stray capital letter in the title.\n", "")):
        assert was in text
        text = text.replace(was, now, 1)
    path = root / "source" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    # The shared passages it takes, beside it (source/shared/).
    shutil.copytree(SOURCE.parent / "shared", path.parent / "shared", dirs_exist_ok=True)
    translations = root / f"{name}-translations"
    for language, translated in titles.items():
        po = polib.pofile(str(catalog.po_path(ROOT / "translations", language, REAL)))
        [entry] = [e for e in po if e.msgctxt == "metadata.title"]
        entry.msgid, entry.msgstr = title, translated
        target = catalog.po_path(translations, language, name)
        target.parent.mkdir(parents=True)
        po.save(str(target))
        shutil.copy(catalog.po_path(ROOT / "translations", language, catalog.SHARED),
                    target.parent)
    return path, translations


def built(source_path: Path, translations: Path, out: Path, languages, variants,
          documents=()) -> list[str]:
    said: list[str] = []
    build.build(build.Options(source=source_path, translations=translations, output=out,
                              languages=tuple(languages), variants=tuple(variants),
                              documents=tuple(documents)), say=said.append)
    return said


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """The scratch library: the real leaflet's web pages in English, Polish and Arabic;
    the sciatica test leaflet's web pages and large-print and screen PDFs (and card) in
    English and Polish, its Arabic web page; the knee test leaflet's web pages."""
    root = tmp_path_factory.mktemp("library")
    out = root / "output"
    made = {name: made_leaflet(root, name, *facts) for name, facts in TEST_LEAFLETS.items()}
    built(SOURCE, ROOT / "translations", out, ("en-GB", "pl", "ar"), ("web",))
    before = output.read_manifest(out)
    sciatica = made["sciatica-test-leaflet"]
    built(*sciatica, out, ("en-GB", "pl"), ("web", "large-print", "screen"))
    built(*sciatica, out, ("ar",), ("web",))
    built(*made["knee-test-leaflet"], out, ("en-GB", "pl", "ar"), ("web",))
    return out, before


@pytest.fixture(scope="module")
def chromium():
    with browser.chromium() as driver:
        yield driver


LIBRARY_PAGES = ["index.html", f"leaflets/{REAL}.html", "leaflets/sciatica-test-leaflet.html",
                 "pl/index.html", "ar/index.html"]


def rows(out: Path, name: str) -> dict[str, dict]:
    """The leaflet's files (not its page of the library)."""
    return {e["path"]: e for e in output.read_manifest(out)
            if e.get("leaflet") == name and e["document"] != "index"}


# ------------------------------------------------------------------ the pages

def test_the_front_page_lists_every_leaflet_by_topic_with_its_facts(scratch):
    out, _ = scratch
    html = (out / "index.html").read_text(encoding="utf-8")
    topics = re.findall(r'<h2 id="topic-\d+">([^<]+)</h2>', html)
    assert topics == ["Knee (test)", "Lower back"]
    lower_back = html[html.index(">Lower back<"):]
    # By title within a topic, each linking to its page, with its facts.
    assert re.findall(r'<h3><a href="([^"]+)">([^<]+)</a></h3>', lower_back) == [
        (f"leaflets/{REAL}.html", "Nerve-related back and leg pain"),
        ("leaflets/sciatica-test-leaflet.html", "Sciatica (test leaflet)")]
    assert ('<p class="facts">Reference TEST-SCI-002, version 1.0, next review '
            '24 November 2029</p>') in html
    # Every language by its own name, linking to its page.
    assert '<a href="ar/index.html" hreflang="ar"><span lang="ar" dir="rtl">العربية</span>' \
        ' <span class="english">Arabic</span></a>' in html


def test_a_leaflet_page_lists_its_languages_and_every_file_its_card_among_them(scratch):
    out, _ = scratch
    page_path = "leaflets/sciatica-test-leaflet.html"
    html = (out / page_path).read_text(encoding="utf-8")
    own = rows(out, "sciatica-test-leaflet")
    assert len(own) == 2 * 3 + 1  # English and Polish: web page, 2 PDFs; Arabic web page
    assert {p for p in own if f'href="../{p}"' not in html} == set()
    assert not any(f'href="../{p}"' in html for p in rows(out, REAL))  # only its own
    # Its card is its red-flag list's, shared with the real leaflet (which the scratch
    # library built without cards): listed once, with the leaflets using it, linked from
    # its page.
    cards = {e["path"]: (e["card"], e["leaflets"]) for e in output.read_manifest(out)
             if e["document"] == "card"}
    assert cards == {f"{language}/cauda-equina-card-screen.pdf":
                     ("cauda-equina", ["sciatica-test-leaflet"]) for language in ("en-GB", "pl")}
    assert all(f'href="../{p}"' in html for p in cards)
    assert '<a href="../pl/sciatica-test-leaflet.html" hreflang="pl" lang="pl" dir="ltr">' \
        'Rwa kulszowa (ulotka testowa)</a>' in html
    assert '<p class="up"><a href="../index.html">All leaflets</a></p>' in html


def test_a_language_page_titles_each_leaflet_in_its_language(scratch):
    out, _ = scratch
    html = (out / "ar" / "index.html").read_text(encoding="utf-8")
    titles = re.findall(r'<h3><a href="([^"]+)" hreflang="ar" lang="ar" dir="rtl">([^<]+)</a>'
                        r'</h3>', html)
    assert sorted(titles) == sorted([
        ("knee-test-leaflet.html", "ألم الركبة (نشرة اختبار)"),
        (f"{REAL}.html", "ألم الظهر والساق المرتبط بالأعصاب"),
        ("sciatica-test-leaflet.html", "عرق النسا (نشرة اختبار)")])
    entries = output.read_manifest(out)
    [arabic] = [e for e in entries if e["path"] == "ar/sciatica-test-leaflet.html"]
    with_fonts = f"Web page, {round(web.weight(arabic, entries) / 1000)}\u00a0KB with its fonts"
    assert with_fonts in html
    assert with_fonts.replace("Web page, ", "(Web page, ") in \
        (out / "leaflets" / "sciatica-test-leaflet.html").read_text(encoding="utf-8")
    polish = (out / "pl" / "index.html").read_text(encoding="utf-8")
    assert 'href="sciatica-test-leaflet-large-print.pdf"' in polish
    assert 'href="cauda-equina-card-screen.pdf"' in polish  # the cards' section


def test_each_web_page_links_to_its_leaflets_page(scratch):
    out, _ = scratch
    html = (out / "pl" / "sciatica-test-leaflet.html").read_text(encoding="utf-8")
    assert 'href="../leaflets/sciatica-test-leaflet.html"' in html
    assert 'href="../index.html"' not in html


def test_a_leaflets_page_and_files_keep_their_addresses_when_others_are_added(scratch):
    out, before = scratch
    alone = {e["path"] for e in before if e.get("leaflet") == REAL and e["document"] != "index"}
    assert alone and set(rows(out, REAL)) == alone
    assert (out / f"leaflets/{REAL}.html").is_file()
    assert {e["path"] for e in before if e.get("document") == "index"} <= \
        {e["path"] for e in output.read_manifest(out)}


def test_the_front_page_says_when_a_review_is_overdue(leaflet):
    entries = [{"path": "en-GB/x.html", "document": "leaflet", "language": "en-GB",
                "variant": "web", "format": "html", "title": "X", "pages": None,
                "bytes": 2000, "sha256": "", "status": "released", "inputs": "",
                "leaflet": "x", "topic": "Knee", "reference": "R-1", "version": "2.0",
                "review": "2026-01-31", "control": "review overdue since 2026-01-31"}]
    made = {b.path: b.data.decode() for b in
            library.pages(entries, leaflet.metadata, lambda path, key: None)
            if b.format == "html"}
    assert set(made) >= {"index.html", "leaflets/x.html", "en-GB/index.html"}
    said = ("next review 31 January 2026. <strong class=\"status\">Review overdue since "
            "31 January 2026</strong>")
    assert all(said in made[p] for p in ("index.html", "leaflets/x.html", "en-GB/index.html"))


def test_a_leaflet_may_not_be_called_index(tmp_path):
    path = tmp_path / "index.yaml"
    path.write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    [problem] = build.reserved(path)
    assert "may not be called 'index'" in str(problem) and "rename the file" in str(problem)


# --------------------------------------------------------------- in a browser

@pytest.mark.parametrize("path", LIBRARY_PAGES)
def test_axe_finds_no_wcag_22_a_or_aa_violation(chromium, scratch, path):
    out, _ = scratch
    browser.open_page(chromium, out / path, browser.PHONE)
    violations = browser.axe(chromium)
    assert [f"{v['id']} ({v['help']}): {', '.join(v['nodes'])}" for v in violations] == []


@pytest.mark.parametrize("path", LIBRARY_PAGES)
def test_no_horizontal_scrolling_at_320_px_no_script_and_every_link_works(chromium, scratch,
                                                                         path):
    out, _ = scratch
    assert "<script" not in (out / path).read_text(encoding="utf-8")
    browser.open_page(chromium, out / path, browser.PHONE)
    widths = chromium.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1]
    links = chromium.execute_script(
        "return [...document.querySelectorAll('a[href]')].map(a => a.href)")
    loaded = [u for u in browser.requests(chromium) if u != (out / path).resolve().as_uri()]
    for url in links + loaded:
        parts = urlparse(url)
        assert parts.scheme == "file", url
        target = Path(unquote(parts.path))
        assert target.is_file() and out.resolve() in target.resolve().parents, url
    assert loaded and all(u.endswith(".woff2") and "/output/fonts/" in u for u in loaded)


@pytest.mark.parametrize("path", LIBRARY_PAGES)
def test_every_character_is_drawn_by_the_librarys_fonts(chromium, scratch, path):
    out, _ = scratch
    browser.open_page(chromium, out / path, browser.PHONE)
    chromium.execute_cdp_cmd("DOM.enable", {})
    chromium.execute_cdp_cmd("CSS.enable", {})
    root = chromium.execute_cdp_cmd("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    nodes = chromium.execute_cdp_cmd("DOM.querySelectorAll",
                                     {"nodeId": root, "selector": "body, body *"})["nodeIds"]
    system = {font["familyName"] for node in nodes for font in chromium.execute_cdp_cmd(
        "CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"] if not font["isCustomFont"]}
    assert system == set()


def test_every_passage_in_another_language_has_its_lang_and_dir(chromium, scratch):
    out, _ = scratch
    for path in ("index.html", "ar/index.html", "leaflets/sciatica-test-leaflet.html"):
        browser.open_page(chromium, out / path, browser.DESKTOP)
        arabic = chromium.execute_script("""
            const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            const found = [];
            while (walk.nextNode()) {
                const node = walk.currentNode;
                if (/[\\u0600-\\u06ff]/.test(node.data)) {
                    const own = node.parentElement.closest('[lang]');
                    found.push([own.lang, own.dir]);
                }
            }
            return found;""")
        assert arabic and all(found == ["ar", "rtl"] for found in arabic), path


def click(driver, text: str, within: str = "body") -> None:
    """Follow the link whose text is `text` (inside `within`), as a reader does."""
    [link] = [a for a in driver.find_elements("css selector", f"{within} a")
              if a.text == text]
    link.click()
    browser.loaded(driver)


def test_the_polish_large_print_sciatica_leaflet_is_three_clicks_away(chromium, scratch):
    """From the front page: the leaflet's page or the language's page, then the file."""
    out, _ = scratch
    wanted = (out / "pl" / "sciatica-test-leaflet-large-print.pdf").resolve().as_uri()
    browser.open_page(chromium, out / "index.html", browser.PHONE)
    click(chromium, "Sciatica (test leaflet)")  # 1
    [href] = chromium.execute_script("""
        return [...document.querySelectorAll('#language-pl ~ ul a, section a')]
          .filter(a => a.closest('section').querySelector('#language-pl') &&
                       a.innerText === 'Large print PDF').map(a => a.href)""")
    assert href == wanted  # 2: the file
    browser.open_page(chromium, out / "index.html", browser.PHONE)
    click(chromium, "Polski Polish", "nav")  # 1
    [href] = chromium.execute_script("""
        return [...document.querySelectorAll('section.leaflet')]
          .filter(s => s.querySelector('h3').innerText === 'Rwa kulszowa (ulotka testowa)')
          .flatMap(s => [...s.querySelectorAll('a')])
          .filter(a => a.innerText === 'Large print PDF').map(a => a.href)""")
    assert href == wanted  # 2: the file


# ---------------------------------------------------------------- shared fonts

def test_the_pages_of_a_language_share_one_set_of_fonts(scratch):
    out, _ = scratch
    entries = output.read_manifest(out)
    polish = [e for e in entries if e["language"] == "pl" and e["format"] == "html"
              and e["document"] == "leaflet"]
    assert len(polish) == 3
    assert len({tuple(e["fonts"]) for e in polish}) == 1
    shared_fonts = [e for e in entries if e["variant"] == "font" and e["language"] == "pl"]
    assert sorted(e["path"] for e in shared_fonts) == sorted(polish[0]["fonts"])
    # Each subset covers every page of the language: all their characters are in it.
    from fontTools.ttLib import TTFont

    for e in shared_fonts:
        with TTFont(out / e["path"]) as subset:
            assert set(e["characters"]) == {chr(c) for c in subset.getBestCmap()}
    for e in polish:  # within today's budgets
        budget = web.budget(e)
        assert e["bytes"] <= budget[0] and web.weight(e, entries) <= budget[1]


def test_adding_a_leaflet_subsets_nothing_unless_it_brings_new_characters(tmp_path):
    out = tmp_path / "output"
    built(SOURCE, ROOT / "translations", out, ("pl",), ("web",))
    subsets = polish_fonts(out)
    stamps = {p: os.stat(out / p).st_mtime_ns for p in subsets}
    # Its Polish title is words of the leaflet's own title: no character the fonts lack.
    same = made_leaflet(tmp_path, "leg-test-leaflet", "Leg pain (test leaflet)", "Lower back",
                        "TEST-LEG-004", {"pl": "Ból nóg"})
    said = built(*same, out, ("pl",), ("web",))
    assert not [line for line in said if ".woff2" in line]
    assert polish_fonts(out) == subsets
    assert {p: os.stat(out / p).st_mtime_ns for p in subsets} == stamps
    # "Ź" is in no page yet: the subset that draws it is made again, for every character
    # it had and the new ones.
    new = made_leaflet(tmp_path, "source-test-leaflet", "Sources of pain (test leaflet)",
                       "Lower back", "TEST-SRC-005", {"pl": "Źródła bólu"})
    said = built(*new, out, ("pl",), ("web",))
    remade = polish_fonts(out)
    assert [line for line in said if ".woff2" in line] == ["[1/1] pl/fonts/NotoSans-Bold.woff2"]
    bold = "pl/fonts/NotoSans-Bold.woff2"
    assert set(remade[bold]["characters"]) - set(subsets[bold]["characters"]) == {"Ź"}
    assert {p: e for p, e in remade.items() if p != bold} == \
        {p: e for p, e in subsets.items() if p != bold}


def polish_fonts(out: Path) -> dict[str, dict]:
    return {e["path"]: e for e in output.read_manifest(out)
            if e["variant"] == "font" and e["language"] == "pl"}


def test_shared_keeps_a_subset_that_covers_the_pages_and_grows_one_that_does_not():
    font = web.Font("pl/fonts/NotoSans-Regular.woff2", "Leaflet Sans", False, " ab", "pl")
    listed = [{"path": font.path, "variant": "font", "characters": " abc"}]
    [kept] = web.shared([font, web.Font(font.path, "Leaflet Sans", False, " c", "pl")], listed)
    assert kept.characters == " abc" and kept.key == fonts.subset_key(font.file, " abc")
    [grown] = web.shared([font, web.Font(font.path, "Leaflet Sans", False, " d", "pl")], listed)
    assert grown.characters == " abcd"
    [fresh] = web.shared([font], [])
    assert fresh.characters == " ab"


def test_twenty_leaflets_of_a_language_need_the_subsets_of_one(leaflet):
    """The subsetting a build does for a language's pages: one subset per family and
    weight however many leaflets it has (the 20 here: the leaflet's Polish page under
    20 names, as a library of leaflets from the same fixtures is)."""
    from dataclasses import replace

    from leaflet.build import build as build_module

    options = build_module.Options(source=SOURCE, translations=ROOT / "translations",
                                   output=Path("unused"), languages=("pl",))
    _, [edition] = build_module.languages(leaflet, options)
    one = web.render(edition.leaflet, edition.notices, edition.status, []).fonts
    twenty = [f for i in range(20) for f in web.render(
        replace(edition.leaflet, path=f"source/leaflet-{i}.yaml"), edition.notices,
        edition.status, []).fonts]
    assert len(web.shared(twenty, [])) == len(web.shared(one, [])) == len(one)
    assert [f.characters for f in web.shared(twenty, [])] == \
        [f.characters for f in web.shared(one, [])]
