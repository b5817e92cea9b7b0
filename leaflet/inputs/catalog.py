"""gettext catalogs: extract the leaflet's strings, merge them into .po files, translate.

- `extract` is a Babel extractor (entry point `leaflet` in pyproject.toml), so
  `pybabel extract -F babel.cfg -o translations/<leaflet>.pot source/<leaflet>.yaml` works as
  well as `make pot`,
  which runs the same extractor through Babel and writes the file with polib.
- `template` is the .pot; `merge` is `make update-po` for one catalog; `translate`
  gives the leaflet in a language from a checked catalog.

Every entry's msgctxt is the string's stable key path in the YAML, so equal English
text in two places can be translated differently; a `#.` note tells the translator
where the text appears and any length limit.
"""
from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

import polib
from babel.messages.extract import extract_from_file

from . import source
from .languages import (SHARED, SOURCE_LANGUAGE, languages, library_languages,  # noqa: F401
                        po_path, pot_path)  # (re-exported)
from .pocheck import Report
from ..errors import shown

WRAP = 78  # as msgmerge: a diff of a catalog shows only real changes


def extract(fileobj, keywords, comment_tags, options):
    """Babel extractor contract: yield (lineno, funcname, messages, comments). A leaflet
    gives its own strings; a shared source (`source/shared/*.yaml`) the strings it defines,
    which the shared catalog translates once for every leaflet that uses them."""
    path = Path(fileobj.name)
    if path.parent.name == source.SHARED:
        texts = [t for t in source.shared_texts(source.load_shared(path.parent))
                 if Path(t.where.path).name == path.name]
    else:
        texts = own_texts(source.load(path))
    for text in texts:
        # pgettext's spec ((1, 'c'), 2) makes Babel take the first message as msgctxt.
        yield text.where.line or 0, "pgettext", (text.key, text.value), [note(text)]


def own_texts(leaflet: source.Leaflet) -> list[source.Text]:
    """The strings the leaflet's own catalog translates: all it prints but the shared
    passages', which the shared catalog translates."""
    return [t for t in source.texts(leaflet) if not source.is_shared(t)]


def note(text: source.Text) -> str:
    """What the translator is told about one string."""
    parts = [text.role + "."]
    if text.limit:
        parts.append(f"At most {text.limit} characters.")
    names = [name for name, _ in text.urls]
    if names:
        parts.append("Keep " + ", ".join("{%s}" % n for n in names)
                     + " as it is: the web address is printed there.")
    elif "{" in text.value:
        parts.append("Keep the {names} in braces as they are: they are filled in when printed.")
    if "<b>" in text.value:
        parts.append("Keep <b>...</b> around the words that are bold.")
    return " ".join(parts)


def template(leaflet: source.Leaflet) -> polib.POFile:
    """The leaflet's .pot: its own strings, through the Babel extractor, in reading order."""
    pot = polib.POFile(wrapwidth=WRAP)
    pot.header = _HEADER.format(title=leaflet.metadata.title.value,
                                name=Path(leaflet.path).stem)
    created = datetime.datetime.combine(leaflet.metadata.published, datetime.time())
    pot.metadata = {
        "Project-Id-Version": f"{leaflet.metadata.title.value} {leaflet.metadata.version}",
        "POT-Creation-Date": created.strftime("%Y-%m-%d %H:%M+0000"),
        **_PLAIN,
    }
    return _extracted(pot, [Path(leaflet.path)], {t.key: t for t in own_texts(leaflet)})


def shared_template(folder: Path) -> polib.POFile:
    """The shared catalog's .pot (`shared.pot`): every string of the shared source in
    `folder`, file by file, through the same extractor. No creation date: the passages
    have none of their own, and the file stays the same until they change."""
    pot = polib.POFile(wrapwidth=WRAP)
    pot.header = _SHARED_HEADER
    pot.metadata = {"Project-Id-Version": SHARED_TITLE, **_PLAIN}
    texts = {t.key: t for t in source.shared_texts(source.load_shared(folder))}
    return _extracted(pot, sorted(Path(folder).glob("*.yaml")), texts)


def _extracted(pot: polib.POFile, paths: list[Path], texts: dict) -> polib.POFile:
    for path in paths:
        for line, msgid, comments, context in extract_from_file(
                extract, path, keywords={"pgettext": ((1, "c"), 2)}):
            pot.append(polib.POEntry(msgctxt=context, msgid=msgid, msgstr="",
                                     comment="\n".join(comments),
                                     occurrences=[(shown(path), str(line))],
                                     flags=_flags(texts[context])))
    return pot


def _flags(text: source.Text) -> list[str]:
    # Babel would flag "1% of" as python-format, and Poedit would then report false errors;
    # our strings are never %-formatted, and {name} placeholders are brace formats.
    flags = ["no-python-format"] if "%" in text.value else []
    if "{" in text.value:
        flags.append("python-brace-format")
    return flags


SHARED_TITLE = "Passages shared by the leaflets"
_PLAIN = {"MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
          "Content-Transfer-Encoding": "8bit"}
_HEADER = """\
Translations of the patient leaflet "{title}".
Read TRANSLATING.md before you start. Check your file with:
  python render.py check-po translations/<language>/LC_MESSAGES/{name}.po"""
_SHARED_HEADER = f"""\
Translations of the passages every leaflet shares (red flags, service, labels), made
once for all of them. Read TRANSLATING.md before you start. Check your file with:
  python render.py check-po translations/<language>/LC_MESSAGES/{SHARED}.po"""


# What a new catalog takes from the language's other catalogs: what says which language
# and how it is written, never who translated or reviewed (gettext's PO header fields).
_LANGUAGE_FIELDS = ("Language-Team", "Language", "MIME-Version", "Content-Type",
                    "Content-Transfer-Encoding", "Plural-Forms")


def new(pot: polib.POFile, name: str, language: str, like: polib.POFile | None) -> polib.POFile:
    """An empty catalog of the leaflet called `name` in `language`, as `msginit` would
    start one: no translation yet, the header's language fields taken from `like` (another
    catalog of the language, when there is one), no translator and no revision date."""
    po = polib.POFile(wrapwidth=WRAP)
    title = pot.metadata.get("Project-Id-Version", name)
    what = "the passages every leaflet shares" if name == SHARED else \
        f"the patient leaflet \"{title}\""
    po.header = (f"Translations of {what}.\n"
                 "Read TRANSLATING.md before you start. Check your file with:\n"
                 f"  python render.py check-po translations/{language}/LC_MESSAGES/{name}.po\n")
    po.metadata = {key: value for key, value in pot.metadata.items()
                   if key not in _LANGUAGE_FIELDS}
    po.metadata.update({"PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
                        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>", "Language": language,
                        "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                        "Content-Transfer-Encoding": "8bit"})
    if like is not None:
        po.metadata.update({key: like.metadata[key] for key in _LANGUAGE_FIELDS
                            if key in like.metadata})
    return po


def merge(po: polib.POFile, pot: polib.POFile, moved: dict | None = None,
          elsewhere: frozenset = frozenset()) -> polib.POFile:
    """`po` brought up to date with `pot` (what `make update-po` does to each catalog).

    Matching is by msgctxt only, never by similar text (a wrong medical translation is
    worse than none): an unchanged string keeps its translation; a changed one keeps it
    marked fuzzy, with the previous English as `#| msgid`; a new one is untranslated; a
    removed one is kept as obsolete (#~) so its translation is not lost.

    A string can move between a language's catalogs (a leaflet's passage becomes a shared
    one): `moved` holds the other catalogs' entries by msgctxt, and a string new here
    takes its entry as its own (the same stable id is the same string, translated as it
    was); `elsewhere` names the strings another catalog now holds, which leave this one
    without an obsolete copy.
    """
    old = {e.msgctxt: e for e in po if not e.obsolete}
    merged = polib.POFile(wrapwidth=WRAP)
    merged.header, merged.metadata = po.header, dict(po.metadata)
    for new in pot:
        entry = polib.POEntry(msgctxt=new.msgctxt, msgid=new.msgid, comment=new.comment,
                              occurrences=list(new.occurrences), flags=list(new.flags))
        previous = old.pop(new.msgctxt, None) or (moved or {}).get(new.msgctxt)
        if previous is not None:  # the translator's own comments stay, as msgmerge keeps them
            entry.tcomment = previous.tcomment
        if previous is not None and previous.msgstr:
            entry.msgstr = previous.msgstr
            if previous.msgid != new.msgid:
                entry.flags.append("fuzzy")
                entry.previous_msgid = previous.msgid
            elif "fuzzy" in previous.flags:
                entry.flags.append("fuzzy")
                entry.previous_msgid = previous.previous_msgid
        merged.append(entry)
    gone = [e for e in old.values() if e.msgctxt not in elsewhere] + \
        [e for e in po if e.obsolete and e.msgctxt not in elsewhere]
    for entry in gone:
        if entry.msgstr and not any(e.msgctxt == entry.msgctxt and e.obsolete for e in merged):
            merged.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid,
                                        msgstr=entry.msgstr, obsolete=True))
    return merged


def translated_as(po: polib.POFile, catalogs: list[tuple[str, polib.POFile]],
                  moved: dict[str, polib.POEntry]) -> polib.POFile:
    """A new catalog whose strings all move in from `catalogs` (a language's): its header
    says who translated them and when, as the catalog the first of them comes from does
    (gettext's Last-Translator and PO-Revision-Date), not that nobody has."""
    first = next(po for _, po in catalogs if any(e.msgctxt in moved for e in po))
    po.metadata.update({k: first.metadata[k] for k in ("Last-Translator", "PO-Revision-Date")
                        if k in first.metadata})
    return po


def movable(catalogs: list[tuple[str, polib.POFile]], keys) -> dict[str, polib.POEntry]:
    """The entries of `catalogs` (a language's, (name, POFile)) for `keys`, by msgctxt,
    that `merge` may take into another catalog: translated ones, the first of each key,
    marked fuzzy when the catalogs translate it differently (only a reviewer may choose)."""
    found: dict[str, list] = {}
    for name, po in catalogs:
        for entry in po:
            if entry.msgctxt in keys and not entry.obsolete and entry.msgstr.strip():
                found.setdefault(entry.msgctxt, []).append((name, entry))
    moved = {}
    for key, entries in found.items():
        name, first = entries[0]
        if len({(e.msgid, e.msgstr) for _, e in entries}) > 1:
            first = polib.POEntry(**{k: getattr(first, k) for k in (
                "msgctxt", "msgid", "msgstr", "tcomment", "previous_msgid")},
                flags=[f for f in first.flags if f != "fuzzy"] + ["fuzzy"])
            first.tcomment = "\n".join(filter(None, [first.tcomment, (
                f"moved here from {name}; "
                f"{', '.join(n for n, _ in entries[1:])} translated it otherwise: choose one")]))
        moved[key] = first
    return moved


def translate(leaflet: source.Leaflet, report: Report) -> source.Leaflet:
    """The leaflet in the report's language; strings it has no usable translation for keep
    the source text, marked untranslated (only a draft is ever built from such a catalog)."""
    def change(text: source.Text) -> source.Text:
        if text.key in report.translations:
            return replace(text, value=report.translations[text.key])
        return replace(text, untranslated=True)

    return replace(source.replace_texts(leaflet, change), language=report.language)
