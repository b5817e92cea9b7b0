"""Loading and validating the YAML source: every kind of error, with file:line."""
from __future__ import annotations

from dataclasses import replace

import pytest

from leaflet.inputs import source
from leaflet.errors import BuildError
from conftest import SOURCE

ORIGINAL = SOURCE.read_text(encoding="utf-8")


def load_changed(tmp_path, old: str, new: str, name="leaflet.yaml"):
    assert old in ORIGINAL, old
    path = tmp_path / name
    path.write_text(ORIGINAL.replace(old, new, 1), encoding="utf-8")
    return source.load(path)


def errors(tmp_path, old, new) -> list[str]:
    with pytest.raises(BuildError) as exc:
        load_changed(tmp_path, old, new)
    return [str(p) for p in exc.value.problems]


def line_of(text: str) -> int:
    return ORIGINAL[:ORIGINAL.index(text)].count("\n") + 1


def test_the_source_loads_with_every_section_and_the_ten_red_flags(leaflet):
    assert leaflet.metadata.title.value == "Nerve-related back and leg pain"
    assert [s.id for s in leaflet.sections][:3] == ["what-is-it", "cause", "symptoms"]
    assert len(leaflet.red_flags.items) == 10
    assert leaflet.language == "en-GB"
    assert str(leaflet.metadata.published) == "2026-11-24"


def test_texts_have_stable_keys_and_source_lines(leaflet):
    texts = {t.key: t for t in source.texts(leaflet)}
    disc = texts["sections.cause.blocks.disc"]
    assert disc.where.line == line_of("      - id: disc\n") + 1
    assert "red_flags.saddle" in texts
    assert texts["sections.symptoms.blocks.list.3"].value.startswith("Zings and zaps")
    assert len(texts) == len(list(source.texts(leaflet)))  # each key once


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    [message] = errors(tmp_path, "  version: \"1.0\"", "  version: \"1.0")
    assert message.startswith(f"{tmp_path}/leaflet.yaml:") or message.startswith("leaflet.yaml:")
    assert "error: YAML syntax" in message


def test_missing_key_reports_key_path_and_line(tmp_path):
    [message] = errors(tmp_path, "  reference: EOEMSK-PIL-SCI-001\n", "")
    assert message.endswith(f":{line_of('metadata:')}: error: metadata: missing key 'reference'")


def test_wrong_type_reports_key_path(tmp_path):
    [message] = errors(tmp_path, "  published: 2026-11-24", "  published: [2026]")
    assert message.endswith(f":{line_of('  published:')}: error: metadata.published: "
                            "expected a date written as YYYY-MM-DD")


def test_unknown_block_kind(tmp_path):
    [message] = errors(tmp_path, "      - id: rare\n        paragraph:",
                       "      - id: rare\n        table:")
    assert ":" + str(line_of("      - id: rare")) + ": error: sections[4].blocks[0]: " \
           "a block has exactly one of paragraph, list, emergency, links" in message


def test_unknown_key_is_named_with_the_allowed_ones(tmp_path):
    [message] = errors(tmp_path, "  title: Nerve-related back and leg pain\n",
                       "  title: Nerve-related back and leg pain\n  colour: blue\n")
    assert "metadata.colour: unknown key 'colour': expected one of" in message


def test_every_problem_is_reported_at_once(tmp_path):
    text = ORIGINAL.replace("  reference: EOEMSK-PIL-SCI-001\n", "").replace(
        "  version: \"1.0\"\n", "").replace("    - id: legs\n", "    - id: Legs!\n")
    path = tmp_path / "many.yaml"
    path.write_text(text)
    with pytest.raises(BuildError) as exc:
        source.load(path)
    messages = [p.message for p in exc.value.problems]
    assert "metadata: missing key 'reference'" in messages
    assert "metadata: missing key 'version'" in messages
    assert any("'Legs!' is not an id" in m for m in messages)


def test_duplicate_keys_and_ids(tmp_path):
    found = errors(tmp_path, "    - id: saddle\n", "    - id: legs\n")
    assert any("red flag id 'legs' is used twice" in m for m in found)
    found = errors(tmp_path, "  service: Musculoskeletal (MSK) Service\n",
                   "  service: Musculoskeletal (MSK) Service\n  service: Other\n")
    assert any("metadata.service: duplicate key" in m for m in found)


def test_link_placeholder_without_address_and_address_without_placeholder(tmp_path):
    found = errors(tmp_path, "website: {oneyou}", "website: {one_you}")
    assert any("link placeholder {one_you} has no address" in m for m in found)
    assert any("address 'oneyou' is not used in the text" in m for m in found)


def test_markup_outside_the_allow_list_is_refused(tmp_path):
    [message] = errors(tmp_path, "Only 1% of people", "Only <i>1%</i> of people")
    assert "markup '<i>' is not allowed" in message


def test_non_https_address_is_refused(tmp_path):
    [message] = errors(tmp_path, "drinkaware: https://www.drinkaware.co.uk/",
                       "drinkaware: javascript:alert(1)")
    assert "'javascript:alert(1)' is not an https:// address" in message


def test_a_correction_that_is_not_applied_fails(tmp_path):
    [message] = errors(tmp_path, "will help you lead a", "will help you led a")
    assert "corrections: 'will help you lead a normal life' is not in the text" in message


def test_card_string_over_its_limit(tmp_path):
    [message] = errors(tmp_path, "  title: Cauda Equina Syndrome\n",
                       "  title: Cauda Equina Syndrome " + "x" * 40 + "\n")
    assert "card.title: 62 characters; a card string has at most 40" in message


def test_emergency_block_must_name_the_red_flag_list(tmp_path):
    [message] = errors(tmp_path, "        red_flags: cauda-equina", "        red_flags: other")
    assert "no red-flag list is called 'other'" in message


def test_yaml_alias_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a]\n"
                    "c: &c [*b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c]\n")
    with pytest.raises(BuildError) as exc:
        source.load(path)
    assert any("YAML aliases (*name) are not allowed" in str(p) for p in exc.value.problems)


def test_deep_nesting_is_refused(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 50 + "]" * 50 + "\n")
    with pytest.raises(BuildError) as exc:
        source.load(path)
    assert any("nested more than" in str(p) for p in exc.value.problems)


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(ORIGINAL.encode("utf-8").replace("Don’t".encode(), b"Don\x92t"))
    with pytest.raises(BuildError) as exc:
        source.load(path)
    [problem] = exc.value.problems
    assert problem.where.line == line_of("Don’t")
    assert "not UTF-8" in problem.message


def test_empty_and_missing_files(tmp_path):
    (tmp_path / "empty.yaml").write_text("")
    with pytest.raises(BuildError, match="the file is empty"):
        source.load(tmp_path / "empty.yaml")
    with pytest.raises(BuildError, match="cannot read the source"):
        source.load(tmp_path / "absent.yaml")


def test_replace_texts_changes_every_text_and_keeps_structure(leaflet):
    upper = source.replace_texts(leaflet, lambda t: replace(t, value=t.value.upper()))
    assert upper.metadata.title.value == "NERVE-RELATED BACK AND LEG PAIN"
    assert upper.red_flags.items[0].value.isupper()
    emergency = [b for b in upper.sections[4].blocks if isinstance(b, source.Emergency)][0]
    assert emergency.red_flags == upper.red_flags
    assert upper.metadata.reference == leaflet.metadata.reference
