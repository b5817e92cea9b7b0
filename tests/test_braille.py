"""The braille-ready files: BRF layout, valid cells, and what liblouis reads back."""
from __future__ import annotations

import re
import unicodedata

import pytest

from leaflet.formats import braille
from leaflet.inputs import catalog, source
from leaflet.layout import page
from conftest import NAME, ROOT
from test_languages import translated

LANGUAGES = ["en-GB"] + catalog.languages(ROOT / "translations", NAME)
WITH_TABLE = [lang for lang in LANGUAGES if braille.table(page.bcp47(lang))]
BACKWARD = [lang for lang in WITH_TABLE if braille.table(page.bcp47(lang)).backward]
NAME = "nerve-related-back-and-leg-pain.brf"

# Words of headings and red flags that liblouis's backward translation does not give
# back as printed (docs/braille.md, "What the back-translation showed"). Anything else that
# does not come back fails the test.
INEXACT = {
    # grade 2: the contractions for "ch" and "an" read back into other letters
    "pt_PT": {"ânus", "cheia", "movimente", "stress", "álcool"},
    # the shadda (U+0651) is not read back
    "ar": {"تسرّب", "تسرّبه", "تغيّر", "يسبّبه", "تحرّك", "مسكّنات", "خفّف", "أتجنّبه"},
    # noon ghunna (ں, dots 56) and some grade 2 word signs are not read back
    # vowel signs that begin a conjunct or follow ya-phala are read back as vowels
    "bn": {"নির্ণয়", "অ্যালকোহল", "ভরা", "নিয়ন্ত্রণ", "কারণে"},
    "ur": {"ٹانگوں", "نمایاں", "سوئیاں", "جیسا", "رانوں", "اعضاء", "راستے", "کولہوں", "ہوا",
           "ہیں", "ہوں", "الکحل", "تک"},
}


def brf(out, language) -> bytes:
    return (out / page.bcp47(language) / NAME).read_bytes()


def body_lines(data: bytes) -> list[str]:
    """The text lines of every page: page numbers, blank and box lines left out."""
    return [line for p in braille.pages(data) for line in p
            if line.strip() and set(line) != {braille.BOX}]


def folded(text: str) -> str:
    """Case and digit script folded (the Bengali table reads digits back in Bengali; a
    Bengali vowel sign and its vowel are one cell, read back as the vowel)."""
    text = braille.composed(unicodedata.normalize("NFC", text).casefold())
    return "".join(_FOLD.get(c, c) for c in text)


def words(text: str) -> list[str]:
    """Words to compare, punctuation left out."""
    return [w for w in ("".join(c for c in w if unicodedata.category(c)[0] not in "PSZC")
                        for w in re.split(r"[\s\-–—/]+", folded(text))) if w]


def numbers(text: str) -> set[str]:
    return set(re.findall(r"[0-9]+", folded(re.sub(r"https://\S+", "", text))))


_FOLD = {chr(c): unicodedata.lookup("BENGALI LETTER " + unicodedata.name(chr(c))[19:])
         for c in range(0x0981, 0x09D8)
         if unicodedata.name(chr(c), "").startswith("BENGALI VOWEL SIGN ")}


def checked_texts(leaflet):
    return [t for t in source.texts(leaflet) if t.key == "metadata.title"
            or t.key.startswith("red_flags.") or t.key.endswith(".heading")]


@pytest.mark.parametrize("language", WITH_TABLE)
def test_every_line_and_page_fits_and_only_brf_characters_are_used(built_all, language):
    out, _, _ = built_all
    data = brf(out, language)
    assert braille.problems(data) == []
    assert set(data) <= set(range(0x20, 0x60)) | {0x0D, 0x0A, 0x0C}
    pages = data.decode("ascii").split("\f")
    assert all(len(p.split("\r\n")[:-1]) <= 25 for p in pages)
    assert all(len(line) <= 40 for p in pages for line in p.split("\r\n"))


@pytest.mark.parametrize("language", WITH_TABLE)
def test_each_page_has_its_braille_page_number_at_the_right_of_line_one(built_all, language):
    out, _, _ = built_all
    pages = brf(out, language).decode("ascii").split("\f")
    table = braille.table(page.bcp47(language))
    numbers = braille.translate([str(n) for n in range(1, len(pages) + 1)], table.files)
    for text, number in zip(pages, numbers):
        assert text.split("\r\n")[0].endswith(" " + number)


@pytest.mark.parametrize("language", WITH_TABLE)
def test_the_red_flags_are_all_there_in_order_inside_the_box(built_all, leaflet, language):
    out, _, _ = built_all
    data = brf(out, language)
    text = "".join(line for p in braille.pages(data) for line in p).replace(" ", "")
    table = braille.table(page.bcp47(language))
    flags = translated(leaflet, language).red_flags.items
    cells = braille.translate([braille.composed(f.plain) for f in flags], table.files)
    box = text[text.index(braille.BOX * 40):text.rindex(braille.BOX * 40)]
    at = 0
    for flag, flag_cells in zip(flags, cells):
        found = box.find(flag_cells.replace(" ", ""), at)
        assert found >= 0, f"{language}: {flag.key} not in the box, or out of order"
        at = found + 1


@pytest.mark.parametrize("language", BACKWARD)
def test_back_translation_gives_back_every_heading_red_flag_and_number(
        built_all, leaflet, language):
    out, _, _ = built_all
    lines = body_lines(brf(out, language))
    back = " ".join(braille.back_translate(lines, page.bcp47(language)))
    lang = translated(leaflet, language)
    missing = {w for t in checked_texts(lang) for w in words(t.plain) if w not in set(words(back))}
    assert missing == set(words(" ".join(INEXACT.get(language, ()))))
    printed = set().union(*(numbers(t.plain) for t in source.texts(lang)
                            if not t.key.startswith(("card.", "labels."))))
    assert len(printed) >= 10 and printed <= numbers(back)


def test_addresses_are_in_computer_braille_and_read_back_exactly(built_all, leaflet):
    out, _, _ = built_all
    lines = body_lines(brf(out, "en-GB"))
    back = "".join(braille.translate([line.strip() for line in lines], (braille.COMPUTER,),
                                     backward=True))
    urls = {u for t in source.texts(leaflet) for _, u in t.urls} | {leaflet.metadata.website}
    assert all(u in back for u in urls)


def test_headings_are_centred_and_list_runovers_indented(built_all):
    out, _, _ = built_all
    pages = braille.pages(brf(out, "en-GB"))
    heading = braille.translate(["How is it caused?"], ("en-ueb-g2.ctb",))[0]
    [line] = [line for p in pages for line in p if line.strip() == heading]
    assert abs((len(line) - len(heading)) - (40 - len(line))) <= 1
    item = braille.translate(["Back and leg pain which is usually worse"], ("en-ueb-g2.ctb",))[0]
    [at] = [(p, n) for p in pages for n, line in enumerate(p) if line.startswith(item)]
    assert at[0][at[1] + 1].startswith("  ") and not at[0][at[1] + 1].startswith("   ")


def test_title_page_has_the_document_information_and_the_notice(built_all, leaflet):
    out, _, _ = built_all
    first = braille.pages(brf(out, "pl"))[0]
    back = " ".join(braille.back_translate([l.strip() for l in first], "pl"))
    assert leaflet.metadata.reference in back and "2029" in back
    english = " ".join(braille.back_translate(
        [l.strip() for l in first], "en-GB"))
    assert "This translation has not yet been checked" in english


def test_every_language_gets_its_braille_and_none_is_skipped(built_all):
    out, entries, said = built_all
    assert WITH_TABLE == LANGUAGES
    assert [line for line in said if "braille skipped" in line] == []
    assert all((out / page.bcp47(lang) / NAME).exists() for lang in LANGUAGES)


def test_a_language_whose_table_is_not_installed_is_skipped_with_the_reason(monkeypatch):
    monkeypatch.setitem(braille.TABLES, "ro", (braille.Table(("ro-missing.utb",), "none"),))
    assert braille.table("ro") is None
    assert braille.why_not("ro").startswith("no 6-dot braille table for this language is "
                                            "installed (looked for ro-missing.utb in ")


def brf_of(dots: str) -> str:
    """Cells given by their dots ("46-1 2", a space for a blank cell) as BRF."""
    cells = braille._cells()
    return " ".join("".join(cells[chr(0x2800 + sum(1 << (int(d) - 1) for d in cell))]
                            for cell in word.split("-")) for word in dots.split(" "))


# The Romanian table's choices (styles/braille/ro-6dot.utb, docs/braille.md): each
# sign in the cells chosen, and read back to what it came from.
ROMANIAN = [
    ("ă â î ș ț", "16 126 146 156 246"),
    ("Ăla ÎNTR", "46-16-123-1 46-46-146-1345-2345-1235"),  # capital sign, capitals word
    ("3-6 luni", "3456-14-36-3456-124 123-136-1345-24"),  # number sign, a-j as digits
    ("2a 1,5", "3456-12-56-1 3456-1-2-3456-15"),  # a letter a-j after a digit: 56
    ("75% dintre", "3456-1245-15-5-346 145-24-1345-2345-1235-15"),
    ("(A&E)", "2356-46-1-5-123456-46-15-2356"),  # one sign for both parentheses
    ("„sciatică”", "236-234-14-24-1-2345-24-14-16-356"),
    ("a/b – c.", "1-34-12 36-36 14-256"),
    ("da, nu; x: y? z! n'a *", "145-1-2 1345-136-23 1346-25 13456-26 1356-235 1345-3-1 35"),
]


@pytest.mark.parametrize("text, dots", ROMANIAN)
def test_the_romanian_table_writes_each_sign_as_chosen_and_reads_it_back(text, dots):
    [cells] = braille.translate([text], braille.TABLES["ro"][0].files)
    assert cells == brf_of(dots)
    assert braille.back_translate([cells], "ro") == [text]


def test_the_cedilla_letters_are_written_as_the_comma_below_letters():
    """ş ţ (U+015F, U+0163: older fonts and keyboards) are the letters ș ț."""
    tables = braille.TABLES["ro"][0].files
    assert braille.translate(["ş ţ Ş Ţ"], tables) == braille.translate(["ș ț Ș Ț"], tables)
    assert braille.back_translate(braille.translate(["ş ţ"], tables), "ro") == ["ș ț"]


def test_manifest_lists_each_brf_with_its_format(built_all):
    _, entries, _ = built_all
    rows = [e for e in entries if e["format"] == "brf"]
    assert {e["language"] for e in rows} == {page.bcp47(lang) for lang in WITH_TABLE}
    assert all(e["variant"] == "braille" and e["path"].endswith(".brf") for e in rows)
    assert all(e["format"] == "pdf" for e in entries if e["path"].endswith(".pdf"))


def test_a_character_no_table_knows_is_an_error_naming_it():
    outline = page.Outline("en-GB", "ltr", (page.Block("paragraph", (page.Run("Pain ऋ"),)),), ())
    with pytest.raises(braille.BuildError, match=r"'ऋ' \(U\+090B DEVANAGARI LETTER VOCALIC R\)"):
        braille.render(outline)


def test_layout_is_configurable():
    outline = page.Outline("en-GB", "ltr", tuple(
        page.Block("paragraph", (page.Run("Back pain that radiates down one or both legs."),))
        for _ in range(30)), ())
    data = braille.render(outline, braille.Layout(width=32, lines=10))
    assert braille.problems(data, braille.Layout(width=32, lines=10)) == []
    assert braille.problems(data) == []  # and so within 40 x 25
    assert len(braille.pages(data)) > 3


def test_an_unknown_character_is_caught_where_the_table_has_a_6_dot_backslash():
    """pl.tbl writes liblouis's escape for an unknown character in 6-dot cells."""
    outline = page.Outline("pl", "ltr", (page.Block("paragraph", (page.Run("Ból · pleców"),)),), ())
    with pytest.raises(braille.BuildError, match=r"'·' \(U\+00B7 MIDDLE DOT\).*pl\.tbl"):
        braille.render(outline)
