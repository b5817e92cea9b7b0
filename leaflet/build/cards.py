"""The card of each red-flag list, one per language, whatever leaflets use the list.

Public: `facts_of(edition, folder)` (what an edition would put on its list's card),
`choose(facts, say)` (the edition each card is made from), `with_earlier_users`,
`up_to_date(card, root, variants, manifest)`, `html(edition)` and `gaps(leaflet)`. A card's
facts are all a build needs to choose it: memo.py keeps them for editions not checked
again, so a card is chosen without checking every catalog of its list.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from ..inputs import source
from ..layout import page
from ..layout.variants import Variant, output_path
from . import freshness
from .release import Edition


@dataclass(frozen=True)
class CardFacts:
    """What an edition would put on its red-flag list's card: what choosing the card's
    edition needs, kept between builds for an edition not checked again (memo.py)."""

    leaflet: str  # the leaflet's name
    folder: str  # its catalog folder (or the source language)
    list_id: str  # its red-flag list
    language: str  # BCP 47
    status: str  # the edition's: "released" or "draft"
    gaps: int  # card strings (card words, red flags) untranslated
    words: str = ""  # a hash of the card's HTML without notices (when none is missing)
    key: str = ""  # the card's key (freshness.card_key) when made from this edition
    notices: bool = False  # whether it carries the unreviewed notice


@dataclass(frozen=True)
class CardEdition:
    """A red-flag list's card in one language: what the edition it is made from puts on
    it, the leaflets using the list in that language (the manifest lists them) and, once
    the card is to be made, that edition."""

    facts: CardFacts
    leaflets: tuple[str, ...]
    edition: Edition | None = None

    @property
    def key(self) -> str:
        return self.facts.key


def facts_of(edition: Edition, folder: str) -> CardFacts:
    """What the edition would put on its red-flag list's card (two renderings of the
    card's HTML, with and without its notices: no PDF)."""
    leaflet = edition.leaflet
    missing = len(gaps(leaflet))
    words = hashlib.sha256(html(edition, notices=False).encode()).hexdigest() \
        if not missing else ""
    key = freshness.card_key(html(edition), edition.status == "draft") if not missing else ""
    return CardFacts(Path(leaflet.path).stem, folder, leaflet.red_flags.id,
                     page.bcp47(leaflet.language), edition.status, missing, words, key,
                     bool(edition.notices))


def choose(facts: list[CardFacts], say) -> list[CardEdition]:
    """One card per red-flag list and language, whatever leaflets use the list. It is made
    from a leaflet released in the language (a draft only when none is) whose catalog
    translates every card string and red flag (never half a card). The card's strings are
    shared passages, translated once in the language's shared catalog; still, every
    leaflet using the list must give the card the same words (a leaflet of another service
    would print another organisation on it), or no card is made in that language (its
    last release stays) until they agree. When any of those leaflets' translations is
    unreviewed, the card says so. `facts`: what each edition would put on the card."""
    groups: dict[tuple[str, str], list[CardFacts]] = {}
    for f in sorted(facts, key=lambda f: f.leaflet):
        groups.setdefault((f.list_id, f.language), []).append(f)
    found = []
    for (list_id, language), group in groups.items():
        whole = [f for f in group if not f.gaps]
        if not whole:
            say(f"{language}: card {list_id} skipped: {group[0].gaps} card "
                "strings are not translated (a card is never half-translated)")
            continue
        whole = [f for f in whole if f.status == "released"] or whole
        words = {f.leaflet: f.words for f in whole}
        if len(set(words.values())) > 1:
            say(f"{language}: card {list_id} not made: {', '.join(words)} give it different "
                "words (their service or a translation differs); make them agree (the last "
                "card released stays)")
            continue
        made_from = next((f for f in whole if f.notices), whole[0])
        found.append(CardEdition(made_from, tuple(f.leaflet for f in group)))
    return found


def with_earlier_users(card: CardEdition, manifest: list[dict]) -> CardEdition:
    """The card with the leaflets that used its list in its language when it was last
    made, and still have files there (a build of one leaflet keeps listing the others):
    as output/'s `manifest` lists them."""
    language = card.facts.language
    listed = {name for e in manifest if e.get("card") == card.facts.list_id
              and e.get("language") == language for name in e.get("leaflets") or ()}
    present = {e.get("leaflet") for e in manifest if e.get("language") == language}
    return replace(card, leaflets=tuple(sorted(set(card.leaflets) | (listed & present))))


def html(edition: Edition, notices: bool = True) -> str:
    """The card's HTML (at any size): what the card is made from."""
    return page.render(edition.leaflet, "card", "screen",
                       edition.notices if notices else (), edition.status == "draft").text


def up_to_date(card: CardEdition, root: Path, variants: list[Variant],
               manifest: list[dict]) -> bool:
    """Whether every card variant is listed in root's `manifest` with the card's key and
    users, and on disk."""
    entries = {e.get("path"): e for e in manifest}
    for variant in (v for v in variants if v.document == "card"):
        entry = entries.get(output_path(Path(card.facts.leaflet), variant, card.facts.language,
                                        card.facts.list_id))
        if not entry or entry.get("inputs") != card.key or entry.get("kept") or \
                tuple(entry.get("leaflets") or ()) != card.leaflets or \
                not freshness.whole(root, entry, manifest):
            return False
    return True


def gaps(leaflet: source.Leaflet) -> list[str]:
    """Keys of card strings (card.*, red flags) still untranslated: all or nothing."""
    return [t.key for t in source.texts(leaflet)
            if t.key.startswith(("card.", "red_flags.")) and t.untranslated]
