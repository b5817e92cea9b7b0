"""The plain-text edition: the catalog's strings exactly, red flags whole and in order,
no markup, direction marks only where right-to-left lines need them."""
from __future__ import annotations

import unicodedata

import pytest

from leaflet.formats import plaintext
from leaflet.inputs import catalog, source
from leaflet.layout import page
from conftest import NAME, ROOT
from test_languages import translated

LANGUAGES = ["en-GB"] + catalog.languages(ROOT / "translations", NAME)
NAME = "nerve-related-back-and-leg-pain.txt"
# Strings that are not part of the leaflet's text (the card's, the PDF's own furniture).
NOT_PRINTED = ("card.", "metadata.subject", "labels.qr_code", "labels.draft",
               "labels.page_number", "labels.notes", "labels.emergency")


def text(out, language) -> str:
    return plaintext.strings((out / page.bcp47(language) / NAME).read_bytes())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translated_string_is_in_the_text_exactly(built_all, leaflet, language):
    out, _, _ = built_all
    lines = text(out, language).splitlines()
    lang = translated(leaflet, language)
    body = "\n".join(lines)
    missing = [t.key for t in source.texts(lang)
               if not t.key.startswith(NOT_PRINTED) and t.plain not in body
               # the source needs no notice that its translation is unchecked
               and not (language == "en-GB" and t.key == "labels.unreviewed")]
    assert missing == []
    # a paragraph or list item is one line of its own, word for word
    assert translated(leaflet, language).sections[0].blocks[0].text.plain in lines


@pytest.mark.parametrize("language", LANGUAGES)
def test_red_flags_are_list_items_whole_and_in_order_between_rules(built_all, leaflet,
                                                                  language):
    out, _, _ = built_all
    lines = text(out, language).splitlines()
    start = lines.index(plaintext.RULE)
    end = lines.index(plaintext.RULE, start + 1)
    flags = [f"- {f.plain}" for f in translated(leaflet, language).red_flags.items]
    assert [line for line in lines[start:end] if line in flags] == flags
    assert translated(leaflet, language).labels.emergency.plain == lines[start + 2]


def test_headings_are_numbered_and_underlined_and_links_are_full_addresses(built_all,
                                                                           leaflet):
    out, _, _ = built_all
    lines = text(out, "en-GB").splitlines()
    assert lines[:2] == ["Nerve-related back and leg pain", "=" * 31]
    at = lines.index("1. What is nerve-related back and leg pain?")
    assert lines[at + 1] == "-" * len(lines[at])
    assert "8.1 Work" in lines
    urls = {u for t in source.texts(leaflet) for _, u in t.urls} | {leaflet.metadata.website}
    assert all(any(u in line for line in lines) for u in urls)
    assert not any(c in "".join(lines) for c in "<>{}")


def test_chinese_underline_counts_wide_characters_twice(built_all):
    out, _, _ = built_all
    lines = text(out, "zh_Hans").splitlines()
    assert len(lines[1]) == 2 * len(lines[0]) and set(lines[1]) == {"="}


@pytest.mark.parametrize("language", LANGUAGES)
def test_direction_marks_only_where_a_right_to_left_line_needs_one(built_all, language):
    out, _, _ = built_all
    raw = (out / page.bcp47(language) / NAME).read_text(encoding="utf-8")
    if language not in ("ar", "ur"):
        assert not any(m in raw for m in plaintext.MARKS)
        return
    for line in raw.splitlines():
        if line.startswith(plaintext.RLM):
            # only before a line that would otherwise start left to right
            assert plaintext._first_strong(line[1:]) == "L"
        elif line.strip() and "This translation" not in line:
            assert plaintext._first_strong(line) in ("R", "")
    assert plaintext.LRI in raw  # addresses inside Arabic text are isolated


def test_text_is_utf8_without_control_characters(built_all):
    out, _, _ = built_all
    for language in LANGUAGES:
        raw = (out / page.bcp47(language) / NAME).read_text(encoding="utf-8")
        assert not [c for c in raw if unicodedata.category(c) == "Cc" and c != "\n"]


def test_manifest_lists_each_text_with_its_format(built_all):
    _, entries, _ = built_all
    rows = [e for e in entries if e["format"] == "txt"]
    assert {e["language"] for e in rows} == {page.bcp47(lang) for lang in LANGUAGES}
    assert all(e["variant"] == "plain-text" for e in rows)
