#!/usr/bin/env python3
"""`make readability`: how hard the English source is to read, for the clinical owner.

A report, not a gate: it never changes the text (the clinical wording is the owner's)
and always exits 0 when the source loads. For each section: words, sentences, words per
sentence, Flesch reading ease, Flesch-Kincaid grade and SMOG grade (textstat), and the
reading age the Flesch-Kincaid grade stands for (US school grade + 5 years); then the ten
longest sentences with the YAML line of the text they are in. The target is the NHS
digital service manual's "reading age of 9 to 11 years old" (docs/source-text.md, "Reading age").
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import textstat  # noqa: E402

from leaflet.inputs import source  # noqa: E402
from leaflet.inputs.languages import leaflets as leaflet_paths  # noqa: E402
from leaflet.errors import BuildError  # noqa: E402

SOURCE = ROOT / "source"  # every leaflet of the library
TARGET = (9, 11)  # reading age, years (NHS digital service manual, content style guide)
# A sentence ends at . ? ! or the colon that introduces a list, before a space.
_END = re.compile(r"(?<=[.?!:])\s+")


def main() -> int:
    try:
        leaflets = [source.load(path) for path in leaflet_paths(SOURCE)]
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    textstat.set_lang("en_GB")
    for leaflet in leaflets:
        _report(leaflet)
    return 0


def _report(leaflet) -> None:
    """The reading level of one leaflet's sections, and its longest sentences."""
    rows = [(s.heading.plain, list(_texts(s))) for s in leaflet.sections]
    print(f"Reading level of {leaflet.path} (English source)")
    print(f"NHS target: a reading age of {TARGET[0]} to {TARGET[1]} years "
          "(reading age = Flesch-Kincaid grade + 5)\n")
    header = f"{'section':44} {'words':>5} {'sent.':>5} {'w/s':>5} {'FRE':>5} " \
             f"{'FK':>5} {'SMOG':>5} {'age':>5}"
    print(header)
    print("-" * len(header))
    for heading, texts in rows + [("whole leaflet", [t for _, ts in rows for t in ts])]:
        # A heading or list item without a full stop is a sentence of its own.
        print(_row(heading, " ".join(t.plain if t.plain.endswith((".", "?", "!", ":"))
                                     else t.plain + "." for t in texts)))
    print("\nFRE: Flesch reading ease (higher is easier; 60-70 is plain English). FK: "
          "Flesch-Kincaid grade. SMOG: SMOG grade (normed on 30 sentences; '-' under 3).")
    print(f"Sections whose reading age is over {TARGET[1]} are marked *.\n")
    print("Ten longest sentences")
    sentences = [(len(s.split()), t.where, s) for _, texts in rows for t in texts
                 for s in _END.split(t.plain) if s]
    for words, where, sentence in sorted(sentences, key=lambda x: -x[0])[:10]:
        print(f"{words:3} words  {where}  [{_age(sentence):.0f}]  {sentence}")
    print()


def _texts(section):
    """The section's texts as a reader meets them (subsections included)."""
    yield section.heading
    for block in section.blocks:
        if isinstance(block, source.Paragraph):
            yield block.text
        elif isinstance(block, source.Bullets):
            yield from block.items
        elif isinstance(block, source.Emergency):
            yield block.text
            yield from block.red_flags.items
        else:
            yield from (link.text for link in block.links if link.text)
    for sub in section.sections:
        yield from _texts(sub)


def _row(heading: str, text: str) -> str:
    text = re.sub(r"https://\S+", "", text)
    words, sentences = textstat.lexicon_count(text), max(textstat.sentence_count(text), 1)
    smog = f"{textstat.smog_index(text):5.1f}" if sentences >= 3 else "    -"
    age = _age(text)
    flag = " *" if age > TARGET[1] else ""
    name = heading if len(heading) <= 44 else heading[:41] + "..."
    return (f"{name:44} {words:5} {sentences:5} {words / sentences:5.1f} "
            f"{textstat.flesch_reading_ease(text):5.1f} "
            f"{textstat.flesch_kincaid_grade(text):5.1f} {smog} {age:5.1f}{flag}")


def _age(text: str) -> float:
    """The reading age (years) of the Flesch-Kincaid grade: US grade 1 is age 6."""
    return textstat.flesch_kincaid_grade(text) + 5


if __name__ == "__main__":
    sys.exit(main())
