"""The HTML page: semantic structure, language, escaping."""
from __future__ import annotations

from dataclasses import replace

import re

import pytest

from leaflet.inputs import source
from leaflet.layout import page


@pytest.fixture(scope="module")
def html(leaflet):
    return page.render(leaflet, "leaflet", "screen").text


def test_document_has_lang_dir_title_and_one_h1(html):
    assert '<html lang="en-GB" dir="ltr">' in html
    assert "<title>Nerve-related back and leg pain</title>" in html
    assert len(re.findall(r"<h1[ >]", html)) == 1


def test_headings_nest_without_skipping_levels(html):
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", html)]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))
    assert 3 in levels


def test_emergency_box_is_a_labelled_region_with_the_red_flag_list(html, leaflet):
    box = html[html.index('<section class="emergency"'):]
    box = box[:box.index("</section>")]
    assert 'aria-labelledby="cauda-equina-label"' in box
    assert box.count("<li>") == len(leaflet.red_flags.items) == 10
    assert "visit A&amp;E" in box


def test_links_are_real_links_showing_their_address(html):
    url = "https://www.nhs.uk/oneyou"
    assert f'<a class="url" href="{url}">{url}</a>' in html


def test_an_address_may_break_before_a_hyphen_never_after_one(html):
    """The Chicago Manual of Style, 17th ed., 14.18: the link keeps the address, the
    text shown gets a zero width space before each hyphen and a word joiner after it."""
    url = "https://www.nhs.uk/live-well/sleep-and-tiredness/"
    shown = "https://www.nhs.uk/live\u200b-\u2060well/sleep\u200b-\u2060and\u200b-\u2060tiredness/"
    assert page.address_lines(url) == shown
    assert f'<a class="url" href="{url}">{shown}</a>' in html


def test_text_is_escaped_and_only_allowed_markup_becomes_html(leaflet):
    hostile = source.replace_texts(leaflet, lambda t: replace(t, value=t.value.replace(
        "Diagnosis is usually made", "Diagnosis &amp; <b>usually</b> \"made\"")))
    html = page.render(hostile, "leaflet", "screen").text
    assert "Diagnosis &amp;amp; <strong>usually</strong> &#34;made&#34;" in html


def test_css_strings_cannot_break_out_of_the_stylesheet():
    value = page.css_string('a"; } body { color: red } </style><script>')
    assert '"' not in value[1:-1] and "<" not in value and "}" not in value
    assert page.css_content("Page {page} of {pages}", {"page": "counter(page)",
                                                       "pages": "counter(pages)"}) == \
        '"Page " counter(page) " of " counter(pages)'


def test_dates_are_written_in_the_language(leaflet):
    html = page.render(leaflet, "leaflet", "screen").text
    assert "<dd>24 November 2026</dd>" in html
