"""The card of each red-flag list (leaflet/build/cards.py): which edition each card is
made from, from what the editions would put on it, without rendering a card."""
from __future__ import annotations

from leaflet.build import cards
from leaflet.build.cards import CardEdition, CardFacts


def facts(leaflet: str, language: str = "pl", list_id: str = "cauda-equina",
          status: str = "released", gaps: int = 0, words: str = "same",
          notices: bool = False) -> CardFacts:
    return CardFacts(leaflet, language, list_id, language, status, gaps,
                     words if not gaps else "", f"key of {leaflet}" if not gaps else "",
                     notices)


def chosen(found: list[CardFacts]) -> tuple[list[CardEdition], list[str]]:
    said: list[str] = []
    return cards.choose(found, said.append), said


def test_one_card_per_list_and_language_listing_every_leaflet_using_the_list():
    made, said = chosen([facts("b"), facts("a"), facts("a", "ar"), facts("c", list_id="neck"),
                         facts("d", gaps=3)])
    assert said == []
    assert [(c.facts.list_id, c.facts.language, c.facts.leaflet, c.leaflets) for c in made] == [
        ("cauda-equina", "pl", "a", ("a", "b", "d")),  # d's words are missing, not its use
        ("cauda-equina", "ar", "a", ("a",)),
        ("neck", "pl", "c", ("c",))]
    assert made[0].key == "key of a" and made[0].edition is None  # found when it is made


def test_a_released_edition_is_chosen_before_a_draft_and_one_with_the_notice_first():
    made, _ = chosen([facts("a", status="draft", notices=True), facts("b"),
                      facts("c", notices=True)])
    assert made[0].facts.leaflet == "c"  # released, and says it is unreviewed
    made, _ = chosen([facts("a", status="draft", notices=True), facts("b")])
    assert made[0].facts.leaflet == "b"
    made, _ = chosen([facts("a", status="draft"), facts("b", gaps=2)])
    assert made[0].facts.leaflet == "a"  # a whole draft when no release is whole


def test_never_half_a_card():
    made, said = chosen([facts("a", gaps=4), facts("b", gaps=4)])
    assert made == []
    assert said == ["pl: card cauda-equina skipped: 4 card strings are not translated (a "
                    "card is never half-translated)"]


def test_no_card_when_the_leaflets_would_give_it_different_words():
    made, said = chosen([facts("a"), facts("b", words="another service"),
                         facts("c", "ar")])
    assert [c.facts.language for c in made] == ["ar"]
    assert said == ["pl: card cauda-equina not made: a, b give it different words (their "
                    "service or a translation differs); make them agree (the last card "
                    "released stays)"]
    # A draft's other words do not count while a release is whole.
    made, said = chosen([facts("a"), facts("b", status="draft", words="draft words")])
    assert said == [] and made[0].facts.leaflet == "a"


def test_the_leaflets_listed_with_it_before_stay_while_their_files_do():
    card = chosen([facts("a")])[0][0]
    manifest = [
        {"path": "pl/cauda-equina-card-screen.pdf", "language": "pl", "card": "cauda-equina",
         "leaflets": ["a", "b", "gone"]},
        {"path": "pl/b.html", "language": "pl", "leaflet": "b"},
        {"path": "ar/gone.html", "language": "ar", "leaflet": "gone"},  # not in Polish
    ]
    assert cards.with_earlier_users(card, manifest).leaflets == ("a", "b")
