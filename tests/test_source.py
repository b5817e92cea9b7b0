"""Loading and validating the YAML source: every kind of error, with file:line."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import shutil

import pytest

from leaflet.inputs import source
from leaflet.errors import BuildError
from conftest import SOURCE

ORIGINAL = SOURCE.read_text(encoding="utf-8")
SHARED = SOURCE.parent / "shared"


def load_changed(tmp_path, old: str, new: str, name="leaflet.yaml"):
    """The leaflet changed, beside a copy of the shared source."""
    assert old in ORIGINAL, old
    shutil.copytree(SHARED, tmp_path / "shared", dirs_exist_ok=True)
    path = tmp_path / name
    path.write_text(ORIGINAL.replace(old, new, 1), encoding="utf-8")
    return source.load(path)


def shared_changed(tmp_path, file: str, old: str, new: str) -> Path:
    """A copy of the library whose shared `file` has `old` replaced by `new`: its leaflet."""
    shutil.copytree(SOURCE.parent, tmp_path / "source", dirs_exist_ok=True)
    path = tmp_path / "source" / "shared" / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path / "source" / SOURCE.name


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
    assert "red_flags.cauda-equina.saddle" in texts
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
        "  version: \"1.0\"\n", "").replace("      - id: disc\n", "      - id: Disc!\n")
    path = tmp_path / "many.yaml"
    path.write_text(text)
    with pytest.raises(BuildError) as exc:
        source.load(path, source.load_shared(SHARED))
    messages = [p.message for p in exc.value.problems]
    assert "metadata: missing key 'reference'" in messages
    assert "metadata: missing key 'version'" in messages
    assert any("'Disc!' is not an id" in m for m in messages)


def test_duplicate_keys_and_ids(tmp_path):
    path = shared_changed(tmp_path, "red-flags.yaml", "      - id: saddle\n", "      - id: legs\n")
    with pytest.raises(BuildError) as exc:
        source.load(path)
    assert any("red flag id 'legs' is used twice" in str(p) for p in exc.value.problems)
    found = errors(tmp_path, "  keywords: [", "  keywords: []\n  keywords: [")
    assert any("metadata.keywords: duplicate key" in m for m in found)


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
    path = shared_changed(tmp_path, "red-flags.yaml", "      title: Cauda Equina Syndrome\n",
                          "      title: Cauda Equina Syndrome " + "x" * 40 + "\n")
    with pytest.raises(BuildError) as exc:
        source.load(path)
    [message] = [str(p) for p in exc.value.problems]
    assert message.startswith(f"{tmp_path}/source/shared/red-flags.yaml:") \
        or message.startswith("source/shared/red-flags.yaml:")
    assert "red_flags[0].card.title: 62 characters; a card string has at most 40" in message


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


# ------------------------------------------------------------ the shared source

LIBRARY = Path(__file__).resolve().parent / "data" / "library"
# The keys (msgctxt) the shared passages took when they moved to source/shared/; the
# catalogs' msgctxt lines were renamed with them, their translations unchanged.
RENAMED = {"metadata.service": "service.eoe-msk.service",
           "metadata.organisation": "service.eoe-msk.organisation",
           "sections.worried.blocks.other-languages": "blocks.other-languages",
           **{f"red_flags.{i}": f"red_flags.cauda-equina.{i}" for i in (
               "legs", "saddle", "back-passage", "urine-flow", "urine-sensation", "bladder",
               "bowel-control", "bowel-sensation", "erection", "sexual-sensation")},
           **{f"card.{f}": f"card.cauda-equina.{f}"
              for f in ("title", "subtitle", "action", "show", "symptoms")}}


def test_the_real_leaflet_says_word_for_word_what_it_said_before_the_shared_source(leaflet):
    # Every text as loaded before its shared passages moved (key, text, addresses, what
    # translators are told, length limit), in reading order.
    import json

    before = json.loads((Path(__file__).parent / "data" /
                         "real-leaflet-texts-before-shared.json").read_text(encoding="utf-8"))
    after = [[t.key, t.value, [list(u) for u in t.urls], t.role, t.limit]
             for t in source.texts(leaflet)]
    assert [row[1:] for row in after] == [row[1:] for row in before]
    assert [row[0] for row in after] == [RENAMED.get(row[0], row[0]) for row in before]


def test_fixture_leaflets_take_the_real_leaflets_shared_passages(leaflet):
    shared = source.load_shared(SHARED)
    a, b = (source.load(LIBRARY / f"test-fixture-{name}.yaml", shared)
            for name in ("stiff-back", "sore-neck"))
    keys = {leaf.path: {t.key: t for t in source.texts(leaf)} for leaf in (leaflet, a, b)}
    real, fixture_a, fixture_b = keys[leaflet.path], keys[a.path], keys[b.path]
    shared_keys = {k for k in real if k.startswith(("labels.", "service.", "blocks.",
                                                    "red_flags.", "card."))}
    assert len(shared_keys) == 13 + 2 + 1 + 10 + 5
    assert shared_keys <= set(fixture_a)  # every one, the same Text from the same line
    assert all(fixture_a[k] == real[k] and "shared/" in real[k].where.path for k in shared_keys)
    assert a.red_flags is not None and a.red_flags == leaflet.red_flags and a.card == leaflet.card
    # B takes the service, labels and sentence, and has a list of its own with its card.
    assert {k for k in shared_keys if not k.startswith(("red_flags.", "card."))} <= set(fixture_b)
    assert b.red_flags.id == "test-fixture-b" and b.card.title.key == "card.test-fixture-b.title"


def test_a_shared_red_flag_edited_changes_every_leaflet_that_uses_it(tmp_path):
    path = shared_changed(tmp_path, "red-flags.yaml", "Loss of sensation passing urine",
                          "Loss of sensation when passing urine")
    shared = source.load_shared(path.parent / "shared")
    for leaf in (source.load(path), source.load(LIBRARY / "test-fixture-stiff-back.yaml", shared)):
        assert leaf.red_flags.items[4].value == "Loss of sensation when passing urine"
        box = next(b for s in leaf.sections for b in s.blocks if isinstance(b, source.Emergency))
        assert box.red_flags.items[4].value == "Loss of sensation when passing urine"


def shared_line(file: str, text: str) -> str:
    """`source/shared/FILE:LINE` of the line holding `text`."""
    lines = (SHARED / file).read_text(encoding="utf-8").splitlines()
    return f"shared/{file}:{next(i for i, line in enumerate(lines, 1) if text in line)}"


def test_a_leaflet_writing_a_shared_list_with_other_words_is_refused_naming_both_lines(tmp_path):
    flags = (SHARED / "red-flags.yaml").read_text(encoding="utf-8")
    written = flags[flags.index("    items:"):flags.index("    # Card-only")]
    written = "\n".join(line[2:] for line in written.splitlines())
    changed = written.replace("Numbness around your back passage or buttocks",
                              "Numbness around your buttocks")
    found = errors(tmp_path, "red_flags: {use: cauda-equina}\n",
                   f"red_flags:\n  id: cauda-equina\n{changed}\n")
    [message] = found
    leaflet_line = line_of("red_flags: {use: cauda-equina}") + 2 + next(
        i for i, line in enumerate(changed.splitlines()) if "around your buttocks" in line)
    assert message.startswith(f"{tmp_path}/leaflet.yaml:{leaflet_line}: error: ") or \
        message.startswith(f"leaflet.yaml:{leaflet_line}: error: ")
    assert "red-flag list 'cauda-equina' is shared and says something else at " in message
    assert message.split(" at ")[1].split(":")[0].endswith("shared/red-flags.yaml")
    assert shared_line("red-flags.yaml", "Numbness around your back passage") in message
    # Word for word the same, it is the shared list itself: one translation, one card.
    same = load_changed(tmp_path, "red_flags: {use: cauda-equina}\n",
                        f"red_flags:\n  id: cauda-equina\n{written}\n")
    assert same.red_flags.items[0].key == "red_flags.cauda-equina.legs"
    assert same.card.title.key == "card.cauda-equina.title"


def test_a_leaflet_writing_a_shared_block_or_label_with_other_text_is_refused(tmp_path):
    found = errors(tmp_path, "      - use: other-languages\n",
                   "      - id: other-languages\n        paragraph: Another language? Ask us.\n")
    [message] = found
    assert f":{line_of('      - use: other-languages') + 1}: error: " in message
    assert "block 'other-languages' is shared and says something else at " in message
    assert shared_line("service.yaml", "paragraph: >-") in message
    found = errors(tmp_path, "service: {use: eoe-msk}\n",
                   "service: {use: eoe-msk}\nlabels:\n" + "".join(
                       f"  {line}\n" for line in (SHARED / "labels.yaml").read_text(
                           encoding="utf-8").split("labels:\n")[1].splitlines()).replace(
                       "Next review", "Review by"))
    [message] = found
    assert "label 'review' is shared and says something else at " in message
    assert shared_line("labels.yaml", "review: Next review") in message


def test_an_unknown_shared_id_is_an_error_at_its_line(tmp_path):
    found = errors(tmp_path, "red_flags: {use: cauda-equina}", "red_flags: {use: cauda-equin}")
    assert found == [f"{tmp_path / 'leaflet.yaml'}:{line_of('red_flags: {use:')}: error: "
                     "red_flags.use: no shared red-flag list is called 'cauda-equin' in the "
                     "shared source (source/shared/*.yaml): it has cauda-equina"] or \
        found[0].endswith("it has cauda-equina")
    assert any(f":{line_of('      - use: other-languages')}: error: " in m and
               "no shared block is called 'other-language'" in m
               for m in errors(tmp_path, "- use: other-languages", "- use: other-language"))
    assert any("no shared service is called 'nobody'" in m
               for m in errors(tmp_path, "service: {use: eoe-msk}", "service: {use: nobody}"))


def test_a_shared_id_defined_twice_names_both_places(tmp_path):
    path = shared_changed(tmp_path, "service.yaml", "blocks:\n",
                          "blocks:\n  - id: other-languages\n    paragraph: Twice.\n")
    with pytest.raises(BuildError) as exc:
        source.load(path)
    [problem] = exc.value.problems
    assert "blocks id 'other-languages' is defined twice (also at " in problem.message
    assert problem.where.line and problem.where.path.endswith("shared/service.yaml")
