"""The inline markup allow-list: {name} links and <b>...</b>, nothing else."""
import pytest

from leaflet.inputs import markup
from leaflet.errors import MarkupError


def test_text_links_and_bold_are_parsed():
    spans = markup.parse("See <b>this</b>: {oneyou}.")
    assert [s.kind for s in spans] == ["text", "bold", "text", "link", "text"]
    assert spans[1].children == (markup.Span("text", "this"),)
    assert markup.plain(spans, {"oneyou": "https://x.test/"}) == "See this: https://x.test/."


@pytest.mark.parametrize("text, message", [
    ("<script>alert(1)</script>", "markup '<script>' is not allowed"),
    ('<a href="https://evil.test">x</a>', "is not allowed"),
    ("<b>open", "<b> is not closed"),
    ("close</b>", "</b> closes nothing"),
    ("<b><b>x</b></b>", "cannot be nested"),
    ("{Bad Name}", "is not a link placeholder"),
    ("a { b", "stray '{'"),
    ("5 > 3", "stray '>'"),
])
def test_anything_else_is_refused(text, message):
    with pytest.raises(MarkupError, match=message):
        markup.parse(text)


def test_placeholders_and_tags_are_listed_in_order():
    assert markup.placeholders("{a} and {b} and {a}") == ["a", "b", "a"]
    assert markup.tags("x <b>y</b>") == ["<b>", "</b>"]
