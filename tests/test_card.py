"""The cauda equina warning card: same red flags as the leaflet, fitted, never clipped."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest
from pypdf import PdfReader

from leaflet.build import build
from leaflet.formats import card
from leaflet.inputs import catalog, source
from leaflet.layout import page
from leaflet.errors import BuildError
from conftest import NAME, ROOT, SOURCE, msgstr, pdf_text, pdftotext, polish_with, squeeze

LANGUAGES = ["en-GB"] + [page.bcp47(lang) for lang in catalog.languages(ROOT / "translations", NAME)]
EXTRACTS_EXACTLY = [lang for lang in LANGUAGES if lang not in ("ar", "ur")]


def card_pdf(out, language, variant):
    return out / language / f"cauda-equina-card-{variant}.pdf"


def leaflet_pdf(out, language):
    return out / language / "nerve-related-back-and-leg-pain-screen.pdf"


def edition(language):
    leaflet = source.load(SOURCE)
    options = build.Options(source=SOURCE, translations=ROOT / "translations", output=ROOT,
                            languages=(language,))
    return build.languages(leaflet, options)[1][0]


@pytest.mark.parametrize("language", EXTRACTS_EXACTLY)
def test_every_red_flag_of_the_leaflet_is_on_the_card_back_in_order(built_all, language):
    out, _, _ = built_all
    flags = [t.plain for t in edition(language).leaflet.red_flags.items]
    back = squeeze(pdftotext(card_pdf(out, language, "screen"), page=2))
    back_pdfium = squeeze(pdf_text(card_pdf(out, language, "screen")))
    positions = [back_pdfium.index(squeeze(f)) for f in flags]
    assert positions == sorted(positions)
    assert all(squeeze(f) in back for f in flags)
    # ... and the same words stand in the leaflet's emergency box.
    leaflet_text = squeeze(pdf_text(leaflet_pdf(out, language)))
    assert all(squeeze(f) in leaflet_text for f in flags)


@pytest.mark.parametrize("language", LANGUAGES)
def test_card_and_leaflet_render_the_same_red_flag_list(language):
    """For every language (right to left too): both documents print the one list."""
    lang = edition(language).leaflet
    leaflet_html = page.render(lang, "leaflet", "screen").text
    card_html = page.render(lang, "card", "screen").text
    box = leaflet_html[leaflet_html.index('<ul class="red-flags">'):]
    box = box[:box.index("</ul>")]
    back = card_html[card_html.index('<ul class="red-flags">'):]
    back = back[:back.index("</ul>")]
    for flag in lang.red_flags.items:
        assert box.count(f">{flag.value}</") == 1 or box.count(f"{flag.value}</li>") == 1
        assert back.count(f">{flag.value}</span>") == 1
    assert box.count("<li>") == back.count("<li>") == 10


@pytest.mark.parametrize("language", LANGUAGES)
def test_card_is_two_pages_at_id1_trim_size(built_all, language):
    out, _, _ = built_all
    for variant in ("screen", "print"):
        reader = PdfReader(card_pdf(out, language, variant))
        assert len(reader.pages) == 2
        for p in reader.pages:
            assert (round(float(p.trimbox.width) / 72 * 25.4, 1),
                    round(float(p.trimbox.height) / 72 * 25.4, 1)) == (85.6, 54.0)


def test_print_card_has_3mm_bleed_and_embedded_fonts(built_all):
    out, _, _ = built_all
    reader = PdfReader(card_pdf(out, "en-GB", "print"))
    for p in reader.pages:
        bleed, trim = p.bleedbox, p.trimbox
        assert round((float(trim.left) - float(bleed.left)) / 72 * 25.4, 1) == 3.0
        assert round((float(bleed.top) - float(trim.top)) / 72 * 25.4, 1) == 3.0
        for font in p["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


def test_screen_card_is_tagged_with_language_and_title(built_all):
    out, _, _ = built_all
    reader = PdfReader(card_pdf(out, "pl", "screen"))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == "pl"
    assert reader.metadata.title.startswith("Zespół Cauda Equina")


def test_fit_chooses_the_largest_size_that_fits_each_side():
    english = edition("en-GB").leaflet
    sizes, screen = card.fit(english)
    assert len(screen.pages) == 2  # the screen card: both winning layouts, joined
    assert card.MIN_PT <= sizes.back <= sizes.front <= card.MAX_PT
    # One step larger than the chosen back size no longer fits on one card.
    if sizes.back < card.MAX_PT:
        bigger = card._layout(english, (), False, "back", sizes.back + card.STEP, {})
        assert len(bigger.pages) > 1


def test_an_overlong_translation_fails_naming_language_side_and_string():
    polish = edition("pl").leaflet
    long_flag = replace(polish.red_flags.items[3],
                        value=polish.red_flags.items[3].value + " bardzo" * 60)
    items = polish.red_flags.items[:3] + (long_flag,) + polish.red_flags.items[4:]
    flags = replace(polish.red_flags, items=items)
    with pytest.raises(BuildError) as exc:
        card.fit(replace(polish, red_flags=flags))
    [problem] = exc.value.problems
    assert problem.message.startswith("the warning card in pl does not fit: its back "
                                      "overflows at 7 pt from 'red_flags.")
    assert problem.where.path.endswith("shared/red-flags.yaml")  


def test_card_is_all_or_nothing_in_a_draft(tmp_path):
    root = polish_with(tmp_path, lambda po: msgstr(po, "card.cauda-equina.show", ""))
    said = []
    entries = build.build(build.Options(source=SOURCE, translations=root, output=tmp_path / "o",
                                        languages=("pl",), draft=True), say=said.append)
    # no card: the leaflet, the library's pages and the web fonts they share
    assert {e["document"] for e in entries} == {"leaflet", "index", "font"}
    assert "card" not in (tmp_path / "o" / "pl" / "nerve-related-back-and-leg-pain.html").read_text()
    assert "pl: card cauda-equina skipped: 1 card strings are not translated (a card is never " \
           "half-translated)" in said


def test_manifest_lists_every_card_variant(built_all):
    _, entries, _ = built_all
    cards = {(e["language"], e["variant"]) for e in entries if e["document"] == "card"}
    assert cards == {(lang, v) for lang in LANGUAGES for v in ("screen", "print", "sheet")}


def _front_text(html: str) -> str:
    """The words a reader sees on the card's front (its markup and keys left out)."""
    front = html[html.index('<section class="front"'):html.index('<section class="back"')]
    return re.sub(r"<[^>]*>", "", front)


@pytest.mark.parametrize("language", LANGUAGES)
def test_card_front_names_its_list_and_service_never_a_leaflet_nor_the_list_id(language):
    """One card serves every leaflet using its list: its front says the list's title and
    the service, and nothing of one leaflet (reference, version, dates, title) nor the
    list's id, an internal key."""
    lang = edition(language).leaflet
    html = page.render(lang, "card", "screen").text
    front, meta = _front_text(html), lang.metadata
    assert lang.card.title.plain in front and meta.organisation.plain in front
    dates = page.dates(meta, page.locale_of(lang.language))
    for leaflets in (lang.red_flags.id, meta.reference, meta.version, meta.title.plain,
                     dates["published"], dates["review"], str(meta.published.year)):
        assert leaflets not in front, leaflets
    assert "dcterms" not in html  # no leaflet's date in its metadata either


@pytest.mark.parametrize("language", ["en-GB", "pl", "zh-Hans"])
def test_card_files_carry_nothing_of_one_leaflet(built_all, language):
    """Every card file (the sheet's printing note included) and its document information:
    the card's title and the service, no leaflet's reference, version or date, no list id."""
    out, _, _ = built_all
    lang = edition(language).leaflet
    meta = lang.metadata
    for variant in ("screen", "print", "sheet"):
        path = card_pdf(out, language, variant)
        text = pdftotext(path)
        for leaflets in (lang.red_flags.id, meta.reference, "version", meta.title.plain,
                         str(meta.published.year), str(meta.review.year)):
            assert leaflets not in text, (variant, leaflets)
        info = PdfReader(path).metadata
        assert info.title == f"{lang.card.title.plain}: {lang.card.subtitle.plain}"
        assert info.author == meta.organisation.plain
        assert "/CreationDate" not in info and "/ModDate" not in info, variant
    note = pdftotext(card_pdf(out, language, "sheet"), page=1).split("\n\n")[0]
    assert squeeze(f"Warning cards “{lang.card.title.plain}” ({language})") in squeeze(note)
