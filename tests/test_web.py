"""The web edition in a real browser (headless Chromium, tools/browser.py) over a build of
every language: axe-core's WCAG 2.2 A and AA rules, reflow at 320 px, the red flags, the
links, the text, the fonts, keyboard focus, printing; and the pages and the index as
leaflet/formats/web.py makes them."""
from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from leaflet.build import build
from leaflet.formats import library, output, web
from leaflet.inputs import catalog, source
from leaflet.layout import page
from conftest import NAME, ROOT, SOURCE

sys.path.insert(0, str(ROOT / "tools"))
import browser  # noqa: E402

LANGUAGES = [catalog.SOURCE_LANGUAGE] + catalog.languages(ROOT / "translations", NAME)
PAGES = [f"{page.bcp47(lang)}/nerve-related-back-and-leg-pain.html" for lang in LANGUAGES]
LEAFLET_PAGE = "leaflets/nerve-related-back-and-leg-pain.html"
# The library's pages of the one leaflet: the front page, its page, a language's page
# (tests/test_library.py tries them with more leaflets).
LIBRARY = ["index.html", LEAFLET_PAGE, "ur/index.html"]
# What a web page does not show, as the screen PDF does not: the PDF's description, paper's
# page furniture, the QR codes' text, the booklet's notes pages, the draft stamp of a
# released page, the card's words (the card is a PDF of its own).
NOT_SHOWN = ("metadata.subject", "labels.qr_code", "labels.draft", "labels.page_number",
             "labels.notes", "card.")


@pytest.fixture(scope="module")
def chromium():
    with browser.chromium() as driver:
        yield driver


@pytest.fixture(scope="module")
def out(built_all):
    return built_all[0]


def show(driver, out: Path, path: str, width: int = browser.PHONE) -> None:
    browser.open_page(driver, out / path, width)


def translated(leaflet, language):
    if language == catalog.SOURCE_LANGUAGE:
        return leaflet
    return catalog.translate(leaflet, build.edition_report(leaflet, ROOT / "translations",
                                                           language))


@pytest.mark.parametrize("path", PAGES + LIBRARY)
def test_axe_finds_no_wcag_22_a_or_aa_violation(chromium, out, path):
    show(chromium, out, path)
    violations = browser.axe(chromium)
    assert [f"{v['id']} ({v['help']}): {', '.join(v['nodes'])}" for v in violations] == []


@pytest.mark.parametrize("path", PAGES + LIBRARY)
def test_no_horizontal_scrolling_at_320_px_and_text_at_least_16_px(chromium, out, path):
    """WCAG 2.2 SC 1.4.10: 320 CSS px is also a 1280 px window at 400 % zoom."""
    show(chromium, out, path)
    wide = chromium.execute_script("""
        const width = document.documentElement.clientWidth;
        return [document.documentElement.scrollWidth, width,
                [...document.querySelectorAll("body *")]
                  .filter(e => e.getBoundingClientRect().right > width + 0.5 ||
                               e.getBoundingClientRect().left < -0.5)
                  .filter(e => !e.matches(".skip")).map(e => e.outerHTML.slice(0, 80))];
    """)
    assert wide[0] <= wide[1] and wide[2] == []
    body = chromium.execute_script("return getComputedStyle(document.body).fontSize")
    assert float(body[:-2]) >= 16


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_red_flags_are_the_catalogs_in_order(chromium, out, leaflet, language):
    show(chromium, out, PAGES[LANGUAGES.index(language)])
    flags = chromium.execute_script(
        "return [...document.querySelectorAll('.emergency .red-flags li')].map(li => li.innerText)")
    assert flags == [t.plain for t in translated(leaflet, language).red_flags.items]
    region = chromium.execute_script("""
        const box = document.querySelector('.emergency');
        return [box.tagName, document.getElementById(box.getAttribute('aria-labelledby')).innerText];
    """)
    assert region == ["SECTION", translated(leaflet, language).labels.emergency.plain]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_text_holds_every_translated_string_exactly(chromium, out, leaflet, language):
    """innerText: what a reader copies, a screen reader reads, a browser translates."""
    show(chromium, out, PAGES[LANGUAGES.index(language)])
    text = chromium.execute_script("return document.body.innerText")
    # The source language has no unreviewed-translation notice.
    hidden = NOT_SHOWN + (("labels.unreviewed",) if language == catalog.SOURCE_LANGUAGE else ())
    shown = [t for t in source.texts(translated(leaflet, language)) if not t.key.startswith(hidden)]
    assert [t.key for t in shown if t.plain not in text] == []


def source_addresses(leaflet) -> set[str]:
    found = {leaflet.metadata.website}
    for text in source.texts(leaflet):
        found.update(url for _, url in text.urls)

    def walk(sections):
        for s in sections:
            for b in s.blocks:
                found.update(link.url for link in getattr(b, "links", ()))
            walk(s.sections)

    walk(leaflet.sections)
    return found


@pytest.mark.parametrize("path", PAGES + LIBRARY)
def test_every_link_and_font_opens_a_file_of_output_or_a_source_address(
        chromium, out, leaflet, path):
    show(chromium, out, path)
    links = chromium.execute_script("return [...document.querySelectorAll('a[href]')].map(a => a.href)")
    loaded = [url for url in browser.requests(chromium) if url != (out / path).resolve().as_uri()]
    addresses = source_addresses(leaflet)
    broken = []
    for url in links + loaded:
        parts = urlparse(url)
        if parts.scheme == "file":
            target = Path(unquote(parts.path))
            if not target.is_file() or out.resolve() not in target.resolve().parents:
                broken.append(url)
            elif parts.fragment and not chromium.execute_script(
                    "return document.getElementById(arguments[0]) !== null", parts.fragment):
                broken.append(url)
        elif url not in addresses:
            broken.append(url)
    assert broken == []
    assert all(urlparse(url).scheme == "file" for url in loaded)  # nothing from elsewhere
    assert [unquote(urlparse(u).path).rsplit("/", 1)[-1] for u in loaded] and all(
        u.endswith(".woff2") for u in loaded)


def test_the_another_language_link_opens_the_leaflets_page_of_the_library(chromium, out, leaflet):
    show(chromium, out, PAGES[1])
    paragraph = leaflet.sections[4].blocks[2]
    assert paragraph.id == "other-languages"
    [url] = dict(paragraph.text.urls).values()
    hrefs = chromium.execute_script(
        "return [...document.querySelectorAll('a')].filter(a => a.innerText === arguments[0])"
        ".map(a => a.getAttribute('href'))", url)
    assert hrefs and set(hrefs) == {"../leaflets/nerve-related-back-and-leg-pain.html"}


@pytest.mark.parametrize("path", PAGES + LIBRARY)
def test_every_character_is_drawn_by_the_pages_own_fonts(chromium, out, path):
    """Chromium names the fonts it drew each element's text with: only the page's
    subsets, never a font of the machine (a character missing from a subset, or bold
    text the bold subset was not made for, would fall back to one)."""
    show(chromium, out, path)
    faces = chromium.execute_script(
        "return [...document.fonts].map(f => [f.family, f.weight, f.status])")
    assert faces and all(status == "loaded" for _, _, status in faces)
    chromium.execute_cdp_cmd("DOM.enable", {})
    chromium.execute_cdp_cmd("CSS.enable", {})
    root = chromium.execute_cdp_cmd("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    nodes = chromium.execute_cdp_cmd("DOM.querySelectorAll",
                                     {"nodeId": root, "selector": "body, body *"})["nodeIds"]
    system = set()
    for node in nodes:
        for font in chromium.execute_cdp_cmd("CSS.getPlatformFontsForNode",
                                             {"nodeId": node})["fonts"]:
            if not font["isCustomFont"]:
                system.add(font["familyName"])
    assert system == set()


@pytest.mark.parametrize("path", [PAGES[LANGUAGES.index("ar")], "index.html"])
def test_the_skip_link_is_first_shows_on_focus_and_moves_focus_to_the_leaflet(
        chromium, out, path):
    from selenium.webdriver.common.keys import Keys

    show(chromium, out, path, browser.DESKTOP)
    hidden = chromium.execute_script(
        "return document.querySelector('.skip').getBoundingClientRect().height")
    chromium.find_element("css selector", "body").send_keys(Keys.TAB)
    focused = chromium.execute_script("""
        const a = document.activeElement, style = getComputedStyle(a);
        return [a.className, a.getBoundingClientRect().height, style.backgroundColor];
    """)
    assert hidden <= 1 and focused[0] == "skip" and focused[1] > 20
    assert focused[2] == "rgb(255, 184, 28)"  # the yellow of visible focus
    chromium.switch_to.active_element.send_keys(Keys.ENTER)
    assert chromium.execute_script("return document.activeElement.id") == "content"


def test_printing_from_the_browser_gives_a4_pages_without_the_download_list(chromium, out, tmp_path):
    import base64

    import pypdfium2 as pdfium

    show(chromium, out, PAGES[LANGUAGES.index("pl")], browser.DESKTOP)
    printed = chromium.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})
    pdf = pdfium.PdfDocument(base64.b64decode(printed["data"]))
    sizes = {tuple(round(v) for v in p.get_size()) for p in pdf}
    text = "".join(p.get_textpage().get_text_range() for p in pdf)
    assert sizes == {(595, 842)} and 4 <= len(pdf) <= 12
    assert "Print or download" not in text and "Skip to" not in text
    assert "Ból pleców i nóg związany z nerwami" in text


def test_structure_lang_and_dir(chromium, out):
    for language in ("ar", "ur", "bn", "zh_Hans"):
        show(chromium, out, PAGES[LANGUAGES.index(language)], browser.DESKTOP)
        found = chromium.execute_script("""
            return [document.documentElement.lang, document.documentElement.dir,
                    [...document.querySelectorAll('h1, h2, h3, h4')].map(h => +h.tagName[1]),
                    [...document.querySelectorAll('[lang]')].map(e => e.lang + ' ' + e.dir),
                    [...document.querySelectorAll('main a')].filter(a => a.innerText.startsWith('https://'))
                      .every(a => a.dir === (document.dir === 'rtl' ? 'ltr' : ''))];
        """)
        lang, direction, levels, passages, addresses = found
        assert (lang, direction) == (page.bcp47(language),
                                     "rtl" if language in ("ar", "ur") else "ltr")
        assert levels.count(1) == 1 and levels[0] == 1
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))
        assert "en-GB ltr" in passages  # the English notice, the English list of files
        assert addresses


# ------------------------------------------------------- without a browser

def test_the_web_styles_use_only_the_leaflets_palette():
    """The colours audit.py checks for contrast (WCAG 2.2 SC 1.4.3) are all there are."""
    palette = set(re.findall(r"--[\w-]+:\s*(#[0-9a-f]{6})", (ROOT / "styles/leaflet.css").read_text()))
    used = set()
    for name in ("web.css", "index.css"):
        css = (ROOT / "styles" / name).read_text()
        used |= {c if len(c) == 7 else "#" + "".join(x * 2 for x in c[1:])
                 for c in re.findall(r"#[0-9a-f]{6}\b|#[0-9a-f]{3}\b", css)}
    assert used and used <= palette


def test_the_leaflets_page_lists_every_language_by_its_own_name_and_every_file(out):
    html = (out / LEAFLET_PAGE).read_text(encoding="utf-8")
    for name, code in (("Polski", "pl"), ("العربية", "ar"), ("বাংলা", "bn"),
                       ("中文（简体）", "zh-Hans"), ("اردو", "ur")):
        assert f'<span lang="{code}" dir="{"rtl" if code in ("ar", "ur") else "ltr"}">{name}</span>' in html
    entries = output.read_manifest(out)
    listed = [e["path"] for e in entries if e["document"] not in ("index", "font")]
    # 9 languages: a web page, 8 PDFs, braille and plain text each
    assert len(listed) == 9 * 11
    assert [p for p in listed if f'href="../{p}"' not in html] == []
    assert html.count(">Print the emergency card: <span") == 9


def test_the_index_lists_a_format_it_does_not_know_by_its_name(leaflet, tmp_path):
    entries = [{"path": "pl/x.epub", "leaflet": NAME, "document": "leaflet", "language": "pl",
                "variant": "ebook", "format": "epub", "title": "", "pages": 3,
                "bytes": 2048, "sha256": "", "status": "released", "inputs": ""}]
    made = library.pages(entries, leaflet.metadata, lambda path, key: None)
    text = next(b for b in made if b.path == f"leaflets/{NAME}.html").data.decode()
    assert '<a href="../pl/x.epub" hreflang="pl">EPUB file</a>' in text
    assert "3\u00a0pages, 2\u00a0KB" in text
    fonts = [b for b in made if b.format == "woff2"]
    assert fonts and all(f.path.startswith("fonts/") for f in fonts)


def test_the_index_and_each_page_list_the_braille_and_plain_text_files(out):
    """The alternative formats (issue 16) on the index, described for what they are, and
    on each language's page beside its PDFs, with their braille pages and size."""
    entries = output.read_manifest(out)
    index = (out / LEAFLET_PAGE).read_text(encoding="utf-8")
    said = {"brf": r"Braille-ready file</a>: for an embosser or braille display \(BRF\)\. "
                   r"\d+\u00a0braille\u00a0pages, \d+\u00a0KB</li>",
            "txt": r"Plain text</a>: UTF-8, for e-mail, text messages and screen readers\. "
                   r"\d+\u00a0KB</li>"}
    found = {"brf": [], "txt": []}
    for entry in entries:
        if entry["format"] in said:
            found[entry["format"]].append(entry["language"])
            own = (out / entry["path"]).with_suffix(".html").read_text(encoding="utf-8")
            for html, href in ((index, "../" + entry["path"]), (own, entry["path"].split("/")[1])):
                assert re.search(rf'<li><a href="{re.escape(href)}"[^>]*>{said[entry["format"]]}',
                                 html), (entry["path"], href)
    languages = sorted(page.bcp47(lang) for lang in LANGUAGES)
    assert sorted(found["txt"]) == languages
    assert sorted(found["brf"]) == languages
    assert "a braille-ready file for an embosser or braille display, and plain text" in index


def test_the_manifest_lists_each_page_as_html_with_the_fonts_it_loads(out):
    entries = output.read_manifest(out)
    pages = [e for e in entries if e["format"] == "html" and e["document"] == "leaflet"]
    assert sorted(e["path"] for e in pages) == sorted(PAGES)
    for e in pages:
        fonts = [f for f in entries if f["path"] in e["fonts"]]
        assert fonts and len(fonts) == len(e["fonts"])
        assert all(f["format"] == "woff2" and f["variant"] == "font" for f in fonts)
        assert all(f["path"].startswith(e["path"].split("/")[0] + "/fonts/") for f in fonts)
    assert {e["format"] for e in entries if e["path"].endswith(".pdf")} == {"pdf"}


def test_each_page_is_within_its_weight_budget(out):
    entries = output.read_manifest(out)
    for entry in entries:
        budget = web.budget(entry)
        if budget:
            assert entry["bytes"] <= budget[0], entry["path"]
            assert web.weight(entry, entries) <= budget[1], entry["path"]


def test_fonts_are_subset_per_weight_and_only_for_the_scripts_used(out):
    entries = output.read_manifest(out)
    [urdu] = [e for e in entries if e["path"] == "ur/nerve-related-back-and-leg-pain.html"]
    fonts = {path.rsplit("/", 1)[-1] for path in urdu["fonts"]}
    assert fonts == {"NotoNastaliqUrdu-Regular.woff2", "NotoNastaliqUrdu-Bold.woff2",
                     "NotoSans-Regular.woff2", "NotoSans-Bold.woff2"}
    from fontTools.ttLib import TTFont

    chinese = {name: set(TTFont(out / "zh-Hans" / "fonts" / name).getBestCmap())
               for name in ("NotoSansCJKsc-Regular-GB2312.woff2", "NotoSansCJKsc-Bold-GB2312.woff2")}
    regular, bold = chinese.values()
    assert len(bold) < len(regular) / 2  # bold is only headings and strong text


def test_a_page_is_made_without_importing_weasyprint():
    probe = ("import sys; from leaflet.build import build; from leaflet.inputs import source; "
             "from leaflet.formats import web; "
             "from pathlib import Path; "
             f"opts = build.Options(source=Path({str(SOURCE)!r}), "
             f"translations=Path({str(ROOT / 'translations')!r}), output=Path('unused'), "
             "languages=('ur',)); "
             "_, [e] = build.languages(source.load(opts.source), opts); "
             "p = web.render(e.leaflet, e.notices, e.status, []); "
             "print('weasyprint' in sys.modules, len(p.html.data) > 0)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.stdout.split() == ["False", "True"], result.stderr


def test_a_draft_page_says_draft_and_marks_english(leaflet):
    lang = translated(leaflet, "pl")
    english = leaflet.sections[5].heading
    missing = source.replace_texts(lang, lambda t: t if t.key != english.key
                                   else replace(t, value=english.value, untranslated=True))
    made = web.render(missing, (), "draft", []).html.data.decode()
    assert '<p class="draft"><strong>DRAFT · PROJEKT</strong></p>' in made
    assert '<meta name="robots" content="noindex">' in made
    assert '<span class="untranslated" lang="en-GB" dir="ltr">How is it diagnosed?</span>' in made


# og:locale of each page (ogp.me: language_TERRITORY); a language without a region in its
# tag gets CLDR's most likely one (leaflet/formats/web.py og_locale).
OG_LOCALES = {"en-GB": "en_GB", "pl": "pl_PL", "ro": "ro_RO", "lt": "lt_LT", "pt-PT": "pt_PT",
              "ar": "ar_EG", "ur": "ur_PK", "bn": "bn_BD", "zh-Hans": "zh_CN"}


class _Head(HTMLParser):
    """The <meta> tags of a page's head: name or property -> content, as a reader of the
    page (a search engine, a messaging app) gets them, character references resolved."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.found.append((attrs.get("name") or attrs.get("property"), attrs["content"]))


def head_meta(html: str) -> dict[str, str]:
    reader = _Head()
    reader.feed(html[:html.index("</head>")])
    assert len(reader.found) == len(dict(reader.found))  # each tag once
    return dict(reader.found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_its_description_and_preview_tags_in_its_language(out, leaflet, language):
    html = (out / PAGES[LANGUAGES.index(language)]).read_text(encoding="utf-8")
    meta = translated(leaflet, language).metadata
    subject = meta.subject.plain
    assert subject != leaflet.metadata.subject.plain or language == catalog.SOURCE_LANGUAGE
    assert head_meta(html) == {
        "viewport": "width=device-width, initial-scale=1", "description": subject,
        "og:title": meta.title.plain, "og:description": subject, "og:type": "article",
        "og:locale": OG_LOCALES[page.bcp47(language)], "og:site_name": meta.organisation.plain}


def test_the_index_has_its_description_and_preview_tags_in_english(out, leaflet):
    tags = head_meta((out / "index.html").read_text(encoding="utf-8"))
    assert tags["description"] == tags["og:description"] == (
        f"Every patient information leaflet of the {leaflet.metadata.service.plain}, by "
        "topic, in every language and format it is published in.")
    assert tags["og:title"] == f"{leaflet.metadata.organisation.plain}: patient information leaflets"
    assert (tags["og:locale"], tags["og:type"]) == ("en_GB", "article")
    assert tags["og:site_name"] == leaflet.metadata.organisation.plain


def test_the_preview_tags_are_escaped(leaflet):
    """A catalog's subject with quotes, an ampersand and the one tag it may hold (<b>) stays
    one attribute's text: no attribute or element of its own."""
    hostile = 'Informacje "o bólu" onfocus="x" & <b>plecy</b>'
    lang = source.replace_texts(translated(leaflet, "pl"), lambda t: replace(t, value=hostile)
                                if t.key == "metadata.subject" else t)
    made = web.render(lang, (), "released", []).html.data.decode()
    head = made[:made.index("</head>")]
    assert made.count("<meta ") == 8 and "<b>" not in head and 'onfocus="x"' not in head
    tags = head_meta(made)
    assert tags["description"] == tags["og:description"] == \
        'Informacje "o bólu" onfocus="x" & plecy'
    assert 'content="Informacje &#34;o bólu&#34; onfocus=&#34;x&#34; &amp; plecy"' in head
