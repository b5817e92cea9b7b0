"""Plural-Forms read against gettext's grammar, never evaluated."""
from __future__ import annotations

import time

import pytest
from babel import Locale
from babel.messages.plurals import get_plural

from leaflet.inputs import plurals
from leaflet.errors import PluralFormsError


@pytest.mark.parametrize("language", ["en", "pl", "ro", "lt", "pt_PT", "ar", "ur", "bn",
                                      "zh_Hans", "cy", "ga", "ru", "sl"])
def test_every_plural_forms_babel_proposes_is_accepted(language):
    expected = get_plural(Locale.parse(language))
    parsed = plurals.parse(expected.plural_forms)
    assert parsed.nplurals == expected.num_plurals


@pytest.mark.parametrize("value", [
    "nplurals=2; plural=n != 1;", "nplurals=1; plural=0", "  nplurals = 3 ; plural = "
    "n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2 ;",
    "nplurals=2; plural=!(n == 1);", "plural=(n > 1); nplurals=2;"])
def test_well_formed_headers(value):
    plurals.parse(value)


@pytest.mark.parametrize("value, message", [
    ("nplurals=" + "9" * 5000 + "; plural=0;", "characters long"),
    ("nplurals=" + "9" * 200 + "; plural=0;", "out of range"),
    ("nplurals=0; plural=0;", "out of range"),
    ("nplurals=7; plural=n;", "out of range"),
    ("nplurals=two; plural=n;", "must be a whole number"),
    ("nplurals=٢; plural=n;", "must be a whole number"),
    ("nplurals=2;", "must be 'nplurals=N; plural=EXPRESSION;'"),
    ("nplurals=2; plural=n; nplurals=3;", "must be 'nplurals=N; plural=EXPRESSION;'"),
    ("nplurals=2 plural=n", "must be 'nplurals=N; plural=EXPRESSION;'"),
    ("nplurals=2; plural=;", "has no expression"),
    ("nplurals=2; plural=(n != 1;", "expected ')'"),
    ("nplurals=2; plural=n != ;", "found the end"),
    ("nplurals=2; plural=n ? 1;", "expected ':'"),
    ("nplurals=2; plural=n = 1;", "'= 1' is not allowed"),
    ("nplurals=2; plural=__import__('os');", "is not allowed"),
    ("nplurals=2; plural=x;", "is not allowed"),
    ("nplurals=2; plural=-n;", "expected n, a number or '('"),
    ("nplurals=2; plural=n 1;", "unexpected '1'"),
    ("nplurals=2; plural=n % 0;", "divides by zero"),
    ("nplurals=2; plural=n / 000;", "divides by zero"),
    ("nplurals=2; plural=n > 1234567890;", "10 digits"),
    ("nplurals=2; plural=" + "(" * 30 + "n" + ")" * 30 + ";", "nests more than 20 deep"),
    ("nplurals=2; plural=" + "!" * 100 + "n;", "nests more than 20 deep"),
])
def test_malformed_headers_say_what_is_wrong(value, message):
    with pytest.raises(PluralFormsError) as exc:
        plurals.parse(value)
    assert message in str(exc.value)
    assert len(str(exc.value)) < 200  # a huge header is quoted in part only


def test_the_work_is_linear_in_a_hostile_header():
    started = time.perf_counter()
    for value in ("nplurals=2; plural=" + "n+" * 140 + "n;", "nplurals=2; plural=" + "(" * 290,
                  "nplurals=" + "1" * 1_000_000):
        try:
            plurals.parse(value)
        except PluralFormsError:
            pass
    assert time.perf_counter() - started < 0.1
