"""Load the leaflet's YAML source into frozen dataclasses, validating everything.

Public verbs: `load(path, shared=None) -> Leaflet` and `load_shared(folder) -> Shared`.
A leaflet takes passages written once for the whole library (the red-flag lists with
their cards' words, the service details, the labels and notices, shared blocks) from
the shared source, `source/shared/*.yaml`, by id: `red_flags: {use: cauda-equina}`,
`service: {use: eoe-msk}`, a block `- use: other-languages`; the labels are the
library's unless the leaflet writes them out (as DITA's conref and GOV.UK's content
blocks do). A leaflet that writes out a block of a shared id with other text is an
error naming both places. Every problem in the file is reported at
once as `path:line: error: key.path: what is wrong`; line numbers come from
PyYAML's node marks. Aliases, very deep nesting and very large files are refused
before anything is built (they are how a YAML bomb works).
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import ClassVar

import yaml

from . import markup
from .languages import SHARED
from ..errors import BuildError, Location, MarkupError, Problem, raise_if_errors
from ..errors import shown as shown_path

MAX_BYTES = 1_000_000
MAX_DEPTH = 12
_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_URL = re.compile(r"https://[^\s<>\"'{}]+\Z")
_LANG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")
# The only YAML types a source may use; !!python/... and other tags are refused.
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in
               ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}


# ---------------------------------------------------------------- the model

@dataclass(frozen=True)
class Text:
    """One translatable string; `key` is its stable key path and its msgctxt."""

    key: str
    value: str
    where: Location
    role: str  # where the text appears, told to translators
    urls: tuple[tuple[str, str], ...] = ()  # link placeholder name -> address
    limit: int | None = None  # most characters it may have (card strings)
    untranslated: bool = False  # a draft shows the source text here, marked

    @property
    def spans(self) -> tuple[markup.Span, ...]:
        return markup.parse(self.value)

    @property
    def plain(self) -> str:
        return markup.plain(self.spans, dict(self.urls))


@dataclass(frozen=True)
class Link:
    url: str
    text: Text | None  # None: the address is its own text
    where: Location


@dataclass(frozen=True)
class RedFlags:
    id: str
    items: tuple[Text, ...]


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    id: str
    text: Text


@dataclass(frozen=True)
class Bullets:
    kind: ClassVar[str] = "list"
    id: str
    items: tuple[Text, ...]


@dataclass(frozen=True)
class Emergency:
    kind: ClassVar[str] = "emergency"
    id: str
    text: Text
    red_flags: RedFlags


@dataclass(frozen=True)
class Links:
    kind: ClassVar[str] = "links"
    id: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Section:
    id: str
    heading: Text
    blocks: tuple
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Approval:
    """Who approved the leaflet's clinical content, and when ("" / None: not recorded)."""

    by: str
    on: datetime.date | None
    where: Location


@dataclass(frozen=True)
class Extension:
    """A review date moved without a review: to when, who agreed, on what day."""

    until: datetime.date
    agreed_by: str
    on: datetime.date
    where: Location


@dataclass(frozen=True)
class Withdrawal:
    on: datetime.date
    reason: str
    where: Location


@dataclass(frozen=True)
class Control:
    """Document control: approval, extension, withdrawal, and where the version and the
    review date are written (the lines a control error points to)."""

    approval: Approval
    version_at: Location
    review_at: Location
    extension: Extension | None = None
    withdrawal: Withdrawal | None = None


# What `approved:` says when the source material records no approval: said plainly, and
# reported by every build until it is recorded (leaflet/build/control.py).
NOT_RECORDED = "not recorded"


@dataclass(frozen=True)
class Metadata:
    title: Text
    subject: Text
    service: Text
    organisation: Text
    keywords: tuple[str, ...]
    owner: str
    topic: str  # the body area the library lists it under (the front page), in English
    reference: str
    version: str
    published: datetime.date
    review: datetime.date
    language: str
    website: str
    control: Control | None = None


@dataclass(frozen=True)
class Labels:
    page_number: Text
    document_control: Text
    reference: Text
    version: Text
    published: Text
    review: Text
    service: Text
    emergency: Text
    notes: Text
    qr_code: Text
    other_formats: Text
    draft: Text
    unreviewed: Text


@dataclass(frozen=True)
class Card:
    title: Text
    subtitle: Text
    action: Text
    show: Text
    symptoms: Text


@dataclass(frozen=True)
class Service:
    """The service details a leaflet takes by id (its back page and document box)."""

    id: str
    service: Text
    organisation: Text
    where: Location


@dataclass(frozen=True)
class FlagList:
    """A red-flag list and its warning card's words: the card belongs to the list."""

    red_flags: RedFlags
    card: Card
    where: Location


@dataclass(frozen=True)
class Shared:
    """The passages of the shared source (source/shared/*.yaml), each by its id."""

    labels: Labels | None = None
    services: dict = field(default_factory=dict)  # id -> Service
    red_flags: dict = field(default_factory=dict)  # id -> FlagList
    blocks: dict = field(default_factory=dict)  # id -> (block, Location)
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Correction:
    at: str
    was: str
    now: str
    why: str
    where: Location


@dataclass(frozen=True)
class Question:
    at: str
    question: str
    where: Location


@dataclass(frozen=True)
class Leaflet:
    path: str
    metadata: Metadata
    labels: Labels
    red_flags: RedFlags
    card: Card
    sections: tuple[Section, ...]
    corrections: tuple[Correction, ...] = ()
    questions: tuple[Question, ...] = ()
    language: str = field(default="")  # the language its texts are in now


# Most characters a card string may have: the card is 85.6 x 54 mm.
CARD_LIMITS = {"title": 40, "subtitle": 40, "action": 100, "show": 50, "symptoms": 30}
RED_FLAG_LIMIT = 120
# Placeholders the pipeline fills in itself (they are not links).
LABEL_PARAMS = {"page_number": ("page", "pages"), "qr_code": ("address",)}

LABEL_ROLES = {
    "page_number": "Page footer, as in 'Page 2 of 7'",
    "document_control": "Heading of the document information box on the last page",
    "reference": "Label before the leaflet's reference code",
    "version": "Label before the leaflet's version number",
    "published": "Label before the date the leaflet was published",
    "review": "Label before the date the leaflet will next be reviewed",
    "service": "Label before the name of the service that wrote the leaflet",
    "emergency": "Label at the top of the red emergency box",
    "notes": "Heading of a ruled page in the A5 booklet where patients write notes and "
             "questions for their practitioner",
    "qr_code": "Alternative text of a QR code, read out by screen readers",
    "other_formats": "Back page: where to get other languages and large print; "
                     "the web address follows it",
    "draft": "Stamped on every page of a draft that must not be given to patients",
    "unreviewed": "Notice on a translated leaflet or card that no qualified translator "
                  "has checked yet",
}
CARD_ROLES = {
    "title": "Warning card: its title, the name of the condition",
    "subtitle": "Warning card: what the card is",
    "action": "Warning card: what to do, the most important sentence",
    "show": "Warning card: tells the patient to show the card at A&E",
    "symptoms": "Warning card: heading above the list of emergency symptoms",
}

_ROLES = {
    "metadata.title": "Document title: first page and PDF title",
    "metadata.subject": "PDF description (not printed)",
    "metadata.service": "Name of the service, on the back page",
    "metadata.organisation": "Name of the organisation, on the back page",
}


# ------------------------------------------------------------ YAML to nodes

@dataclass(frozen=True)
class _Node:
    """A YAML value with the line it starts on and its key path."""

    value: object  # dict[str, _Node], tuple[_Node, ...] or a scalar
    line: int
    path: str


# libyaml's parser when PyYAML has it: ten times faster than PyYAML's own, and a build
# reads every leaflet of the library (its nodes carry the same line marks).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# What a shared source may define, and the key (msgctxt) prefix of each kind's texts.
SHARED_KINDS = ("labels", "services", "red_flags", "blocks")


def load(path, shared: Shared | None = None) -> Leaflet:
    """The leaflet in `path`, validated; BuildError listing every problem otherwise. Its
    shared passages come from `shared` (by default the shared/ folder beside it)."""
    path = Path(path)
    if shared is None:
        shared = load_shared(path.parent / SHARED)
    shown = shown_path(path)
    problems: list[Problem] = []
    root = _nodes(path, shown, problems)
    raise_if_errors(problems)
    leaflet = _leaflet(root, shown, problems, shared)
    raise_if_errors(problems)
    return leaflet


def load_shared(folder) -> Shared:
    """The passages of every `*.yaml` in `folder` (none when there is no such folder),
    validated; an id defined twice is an error naming both places."""
    folder = Path(folder)
    problems: list[Problem] = []
    found = {"services": {}, "red_flags": {}, "blocks": {}}
    labels, files = None, []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        shown = shown_path(path)
        files.append(shown)
        root = _nodes(path, shown, problems)
        read = _Reader(shown, problems)
        top = read.mapping(root, (), SHARED_KINDS) if root.value is not None else {}
        if "labels" in top:
            if labels is not None:
                read.error(top["labels"], "the labels are defined twice (also at "
                                          f"{labels.page_number.where}): keep one")
            else:
                labels = _labels(read, top["labels"])
        for kind, one in (("services", _service), ("red_flags", _flag_list),
                          ("blocks", _shared_block)):
            items = read.sequence(top.get(kind))
            for item in items:
                made = one(read, item)
                if made is None:
                    continue
                ident, value, where = made
                if ident in found[kind]:
                    first = found[kind][ident][1]
                    read.error(item, f"{kind} id '{ident}' is defined twice (also at "
                                     f"{first}): ids must be unique")
                found[kind][ident] = (value, where)
    raise_if_errors(problems)
    return Shared(labels, {k: v for k, (v, _) in found["services"].items()},
                  {k: v for k, (v, _) in found["red_flags"].items()},
                  dict(found["blocks"]), tuple(files))


def _nodes(path: Path, shown: str, problems: list[Problem]) -> _Node:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BuildError([Problem(Location(shown), f"cannot read the source: {exc.strerror}")])
    if len(data) > MAX_BYTES:
        raise BuildError([Problem(Location(shown), f"the file is {len(data)} bytes; "
                                  f"a leaflet source is at most {MAX_BYTES}")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise BuildError([Problem(Location(shown, line),
                                  "not UTF-8 text: save the file as UTF-8")])
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise BuildError([Problem(Location(shown, mark.line + 1 if mark else None),
                                  f"YAML syntax: {exc.problem or exc.context}")])
    except yaml.YAMLError as exc:
        raise BuildError([Problem(Location(shown), f"YAML syntax: {exc}")])
    if root is None:
        raise BuildError([Problem(Location(shown, 1), "the file is empty")])
    return _tree(root, "", shown, problems, set(), 0)


def _tree(node, path, shown, problems, seen, depth) -> _Node:
    line = node.start_mark.line + 1
    here = _Node(None, line, path)
    if id(node) in seen:
        problems.append(_problem(shown, here, "YAML aliases (*name) are not allowed: "
                                 "write the value out"))
        return here
    seen.add(id(node))
    if depth > MAX_DEPTH:
        problems.append(_problem(shown, here, f"nested more than {MAX_DEPTH} levels deep"))
        return here
    if node.tag not in _PLAIN_TAGS:
        problems.append(_problem(shown, here, f"YAML tag '{node.tag}' is not allowed: "
                                 "write plain values"))
        return here
    if isinstance(node, yaml.MappingNode):
        items: dict[str, _Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = f"{path}.{key}" if path else key
            if key in items:
                problems.append(_problem(shown, _Node(None, key_node.start_mark.line + 1, child),
                                         "duplicate key: keep only one"))
            value = _tree(value_node, child, shown, problems, seen, depth + 1)
            # A value is reported on its key's line: that is where a reader looks.
            items[key] = _Node(value.value, key_node.start_mark.line + 1, child)
        return _Node(items, line, path)
    if isinstance(node, yaml.SequenceNode):
        return _Node(tuple(_tree(n, f"{path}[{i}]", shown, problems, seen, depth + 1)
                           for i, n in enumerate(node.value)), line, path)
    return _Node(yaml.SafeLoader("").construct_object(node), line, path)


def _problem(shown: str, node: _Node, message: str) -> Problem:
    return Problem(Location(shown, node.line), f"{node.path or '(top)'}: {message}")


# ------------------------------------------------------- nodes to the model

class _Reader:
    """Reads nodes into the model, noting every problem instead of stopping."""

    def __init__(self, shown: str, problems: list[Problem]):
        self.shown = shown
        self.problems = problems

    def error(self, node: _Node, message: str) -> None:
        self.problems.append(_problem(self.shown, node, message))

    def where(self, node: _Node) -> Location:
        return Location(self.shown, node.line)

    def mapping(self, node: _Node, required: tuple, optional: tuple | None = ()) -> dict:
        """The mapping's items; `optional=None` allows any further key."""
        if not isinstance(node.value, dict):
            self.error(node, f"expected a mapping with keys {', '.join(required) or 'name: value'}")
            return {}
        for key, child in node.value.items():
            if optional is not None and key not in required and key not in optional:
                self.error(child, f"unknown key '{key}': expected one of "
                                  f"{', '.join(required + optional)}")
        for key in required:
            if key not in node.value:
                self.error(node, f"missing key '{key}'")
        return node.value

    def sequence(self, node: _Node | None) -> tuple:
        if node is None:
            return ()
        if not isinstance(node.value, tuple) or not node.value:
            self.error(node, "expected a list with at least one item (- item)")
            return ()
        return node.value

    def string(self, node: _Node | None) -> str:
        if node is None:
            return ""
        if isinstance(node.value, bool) or not isinstance(node.value, (str, int, float)):
            self.error(node, "expected text")
            return ""
        value = " ".join(str(node.value).split())
        if not value:
            self.error(node, "must not be empty")
        return value

    def ident(self, node: _Node | None) -> str:
        value = self.string(node)
        if value and not _ID.match(value):
            self.error(node, f"'{value}' is not an id: use lower-case letters, digits and -")
        return value

    def date(self, node: _Node | None) -> datetime.date:
        if node is not None and type(node.value) is datetime.date:
            return node.value
        if node is not None:
            self.error(node, "expected a date written as YYYY-MM-DD")
        return datetime.date.min

    def url(self, node: _Node | None) -> str:
        value = self.string(node)
        if value and not _URL.match(value):
            self.error(node, f"'{value}' is not an https:// address")
        return value

    def text(self, node: _Node | None, key: str, role: str, urls: _Node | None = None,
             limit: int | None = None, params: tuple = ()) -> Text:
        """A Text; `params` are placeholder names filled in by the pipeline, not links."""
        value = self.string(node)
        pairs = tuple((k, self.url(v)) for k, v in self.mapping(urls, (), None).items()) if urls else ()
        if node is None:
            return Text(key, value, Location(self.shown), role, pairs, limit)
        try:
            markup.parse(value)
        except MarkupError as exc:
            self.error(node, str(exc))
        used = markup.placeholders(value)
        for name in used:
            if name not in dict(pairs) and name not in params:
                self.error(node, f"link placeholder {{{name}}} has no address: add it under urls:")
        for name, _ in pairs:
            if name not in used:
                self.error(urls.value[name], f"address '{name}' is not used in the text: "
                                             f"put {{{name}}} where it belongs")
        if limit and len(value) > limit:
            self.error(node, f"{len(value)} characters; a card string has at most {limit}")
        return Text(key, value, self.where(node), role, pairs, limit)

    def fields(self, cls, node: _Node, prefix: str, role, limits=None, params=None):
        """Build a dataclass of Text fields from a mapping with one key per field."""
        names = tuple(f.name for f in fields(cls))
        values = self.mapping(node, names)
        return cls(**{name: self.text(values.get(name), f"{prefix}.{name}", role(name),
                                      limit=(limits or {}).get(name),
                                      params=(params or {}).get(name, ()))
                      for name in names})

    def unique(self, nodes, what: str) -> None:
        seen = set()
        for node in nodes:
            ident = next((node.value[k].value for k in ("id", "use")
                          if isinstance(node.value, dict) and k in node.value), None)
            if ident in seen:
                self.error(node, f"{what} id '{ident}' is used twice: ids must be unique")
            seen.add(ident)


def _leaflet(root: _Node, shown: str, problems: list[Problem], shared: Shared) -> Leaflet:
    read = _Reader(shown, problems)
    top = read.mapping(root, ("metadata", "sections"),
                       ("labels", "red_flags", "card", "service", "corrections",
                        "review_questions"))
    if not top:
        return None
    service = _use(read, top["service"], shared.services, "service") \
        if "service" in top else None
    metadata = _metadata(read, top["metadata"], service, "service" in top) \
        if "metadata" in top else None
    labels = _leaflet_labels(read, root, top, shared)
    flags, card = _leaflet_flags(read, root, top, shared)
    sections = _sections(read, top.get("sections"), "sections", flags, 2, shared)
    leaflet = Leaflet(
        shown, metadata, labels, flags, card, sections,
        tuple(_correction(read, n) for n in read.sequence(top.get("corrections"))),
        tuple(_question(read, n) for n in read.sequence(top.get("review_questions"))),
        metadata.language if metadata else "")
    if flags and not any(isinstance(b, Emergency) for b in _blocks(sections)):
        read.error(top["red_flags"], "the red-flag list is not shown in any emergency block")
    _check_corrections(read, leaflet)
    return leaflet


def _use(read: _Reader, node: _Node, table: dict, what: str):
    """The shared passage `{use: ID}` names; None (an error noted) for an unknown id."""
    m = read.mapping(node, ("use",))
    ident = read.string(m.get("use"))
    if ident and ident not in table:
        known = f"it has {', '.join(sorted(table))}" if table else "it defines none"
        read.error(m["use"], f"no shared {what} is called '{ident}' in the shared source "
                             f"(source/{SHARED}/*.yaml): {known}")
    return table.get(ident)


def _same(read: _Reader, mine, theirs, ident: str, what: str, how: str) -> bool:
    """Whether a passage the leaflet writes out says what the shared one of its id says;
    when not, an error at the first text that differs, naming both places."""
    ours, shared = _content(mine), _content(theirs)
    if [c[1:] for c in ours] == [c[1:] for c in shared]:
        return True
    a, b = next(((a, b) for a, b in zip(ours, shared) if a[1:] != b[1:]),
                (ours[-1] if ours else (None,), shared[-1] if shared else (None,)))
    read.problems.append(Problem(a[0] or Location(read.shown),
                                 f"{what} '{ident}' is shared and says something else at "
                                 f"{b[0] or 'the shared source'}: {how}"))
    return False


def _content(value) -> list[tuple]:
    """(where, text, addresses) of every text and link of a passage, in order."""
    if isinstance(value, Text):
        return [(value.where, value.value, value.urls)]
    if isinstance(value, Link):
        return [(value.where, value.url)] + (_content(value.text) if value.text else [])
    if isinstance(value, tuple):
        return [c for item in value for c in _content(item)]
    if hasattr(value, "__dataclass_fields__"):
        return [c for f in fields(value) if f.name != "where"
                for c in _content(getattr(value, f.name))]
    return []


def _labels(read: _Reader, node: _Node) -> Labels:
    return read.fields(Labels, node, "labels", LABEL_ROLES.get, params=LABEL_PARAMS)


def _leaflet_labels(read: _Reader, root: _Node, top: dict, shared: Shared) -> Labels | None:
    """The library's labels; a leaflet that writes them out must say the same."""
    if "labels" not in top:
        if shared.labels is None:
            read.error(root, "missing key 'labels' (the shared source defines none)")
        return shared.labels
    labels = _labels(read, top["labels"])
    if shared.labels is None:
        return labels
    for name in (f.name for f in fields(Labels)):
        _same(read, getattr(labels, name), getattr(shared.labels, name), name, "label",
              "leave labels: out of the leaflet to use the shared ones")
    return shared.labels


def _leaflet_flags(read: _Reader, root: _Node, top: dict, shared: Shared):
    """The leaflet's red-flag list and its card: taken from the shared source by id, or
    written out (then with `card:`); a list written out under a shared id must be it."""
    if "red_flags" not in top:
        read.error(root, "missing key 'red_flags': take a shared list with "
                         "red_flags: {use: ID} or write one out")
        return None, None
    node = top["red_flags"]
    if isinstance(node.value, dict) and "use" in node.value:
        found = _use(read, node, shared.red_flags, "red-flag list")
        if found is None:
            return None, None
        if "card" in top:
            _same(read, _card(read, top["card"], found.red_flags.id), found.card,
                  found.red_flags.id, "card of the red-flag list",
                  "leave card: out: a shared list brings its card's words")
        return found.red_flags, found.card
    flags = _red_flags(read, node)
    card = _card(read, top["card"], flags.id) if "card" in top else None
    if flags.id in shared.red_flags:
        found = shared.red_flags[flags.id]
        how = f"write red_flags: {{use: {flags.id}}} and no card:, or give the list another id"
        if _same(read, flags, found.red_flags, flags.id, "red-flag list", how) and card:
            _same(read, card, found.card, flags.id, "card of the red-flag list", how)
        return found.red_flags, found.card
    if card is None:
        read.error(root, "missing key 'card': the words of the list's warning card")
    return flags, card


def _card(read: _Reader, node: _Node, list_id: str) -> Card:
    return read.fields(Card, node, f"card.{list_id}", CARD_ROLES.get, CARD_LIMITS)


def _service(read: _Reader, node: _Node):
    """(id, Service, where) of one shared service."""
    m = read.mapping(node, ("id", "service", "organisation"))
    ident = read.ident(m.get("id"))
    texts = {k: read.text(m.get(k), f"service.{ident}.{k}", _ROLES[f"metadata.{k}"])
             for k in ("service", "organisation")}
    return ident, Service(ident, where=read.where(node), **texts), read.where(node)


def _flag_list(read: _Reader, node: _Node):
    """(id, FlagList, where) of one shared red-flag list and its card's words."""
    m = read.mapping(node, ("id", "items", "card"))
    flags = _red_flags(read, node, ("card",))
    card = _card(read, m["card"], flags.id) if "card" in m else None
    return flags.id, FlagList(flags, card, read.where(node)), read.where(node)


def _shared_block(read: _Reader, node: _Node):
    """(id, block, where) of one shared block: a paragraph, list or links."""
    if isinstance(node.value, dict) and "emergency" in node.value:
        read.error(node, "an emergency block is not shared: share its red-flag list")
        return None
    block = _block(read, node, "blocks", None, Shared())
    return (block.id, block, read.where(node)) if block else None


def _metadata(read: _Reader, node: _Node, service: Service | None = None,
              taken: bool = False) -> Metadata:
    """The metadata; the service details from `service` when the leaflet takes shared
    ones (`service: {use: ID}`: `taken`), or else written here."""
    shared = ("service", "organisation")
    text_keys = ("title", "subject") + (() if taken else shared)
    m = read.mapping(node, text_keys + ("keywords", "owner", "topic", "reference", "version",
                                        "approved", "published", "review", "language",
                                        "website"),
                     (shared if taken else ()) + ("extended", "withdrawn"))
    texts = {k: read.text(m.get(k), f"metadata.{k}", _ROLES[f"metadata.{k}"]) for k in text_keys}
    for k in shared if taken else ():
        texts[k] = read.text(None, f"service.?.{k}", "")  # the error is at service:
    if service is not None:
        for k in shared:
            if k in m:
                _same(read, read.text(m[k], f"metadata.{k}", ""), getattr(service, k),
                      service.id, "service", f"leave metadata.{k} out: service: "
                                             f"{{use: {service.id}}} gives it")
            texts[k] = getattr(service, k)
    language = read.string(m.get("language"))
    if language and not _LANG.match(language):
        read.error(m["language"], f"'{language}' is not a BCP 47 language tag such as en-GB")
    published, review = read.date(m.get("published")), read.date(m.get("review"))
    if "review" in m and published > review:
        read.error(m["review"], "the review date is before the publication date")
    return Metadata(**texts,
                    keywords=tuple(read.string(k) for k in read.sequence(m.get("keywords"))),
                    owner=read.string(m.get("owner")), topic=read.string(m.get("topic")),
                    reference=read.string(m.get("reference")),
                    version=read.string(m.get("version")), published=published, review=review,
                    language=language, website=read.url(m.get("website")),
                    control=_control(read, m, review))


def _control(read: _Reader, m: dict, review: datetime.date) -> Control:
    """approved: {by, date}, and extended: {until, agreed_by, date} or withdrawn: {date,
    reason}. (Not `on:`: YAML 1.1 tools read `on` as true.)"""
    a = read.mapping(m["approved"], ("by", "date")) if "approved" in m else {}
    by = read.string(a.get("by"))
    on = None if "date" not in a or a["date"].value == NOT_RECORDED else read.date(a["date"])
    extension = withdrawal = None
    if "extended" in m:
        e = read.mapping(m["extended"], ("until", "agreed_by", "date"))
        extension = Extension(read.date(e.get("until")), read.string(e.get("agreed_by")),
                              read.date(e.get("date")), read.where(m["extended"]))
        if "until" in e and extension.until <= review:
            read.error(e["until"], "an extension runs until a date after the review date")
    if "withdrawn" in m:
        w = read.mapping(m["withdrawn"], ("date", "reason"))
        withdrawal = Withdrawal(read.date(w.get("date")), read.string(w.get("reason")),
                                read.where(m["withdrawn"]))
    place = (lambda key: read.where(m[key]) if key in m else Location(read.shown))
    return Control(Approval("" if by == NOT_RECORDED else by, on, place("approved")),
                   place("version"), place("review"), extension, withdrawal)


def _red_flags(read: _Reader, node: _Node, optional: tuple = ()) -> RedFlags:
    m = read.mapping(node, ("id", "items"), optional)
    list_id = read.ident(m.get("id"))
    items = read.sequence(m.get("items"))
    read.unique(items, "red flag")
    texts = []
    for item in items:
        f = read.mapping(item, ("id", "text"))
        ident = read.ident(f.get("id"))
        texts.append(read.text(f.get("text"), f"red_flags.{list_id}.{ident}",
                               "Emergency symptom (cauda equina red flag): printed in the "
                               "leaflet's emergency box and on the warning card",
                               limit=RED_FLAG_LIMIT))
    return RedFlags(list_id, tuple(texts))


def _sections(read: _Reader, node, prefix: str, flags, level: int,
              shared: Shared) -> tuple[Section, ...]:
    items = read.sequence(node)
    read.unique(items, "section")
    out = []
    for item in items:
        m = read.mapping(item, ("id", "heading"), ("blocks", "sections") if level == 2 else ("blocks",))
        ident = read.ident(m.get("id"))
        key = f"{prefix}.{ident}"
        heading = read.text(m.get("heading"), f"{key}.heading",
                            "Heading" if level == 2 else "Sub-heading")
        blocks = read.sequence(m.get("blocks")) if "blocks" in m else ()
        read.unique(blocks, "block")
        out.append(Section(
            ident, heading,
            tuple(b for b in (_block(read, n, f"{key}.blocks", flags, shared)
                              for n in blocks) if b),
            _sections(read, m["sections"], f"{key}.sections", flags, level + 1, shared)
            if "sections" in m else ()))
    return tuple(out)


_KINDS = ("paragraph", "list", "emergency", "links")


def _block(read: _Reader, node: _Node, prefix: str, flags, shared: Shared):
    """A block written out, or a shared one taken by `use: ID`; a block written out under
    a shared block's id must say what that one says (it is then the shared one)."""
    if isinstance(node.value, dict) and "use" in node.value:
        found = _use(read, node, shared.blocks, "block")
        return found[0] if found else None
    block = _written_block(read, node, prefix, flags)
    if block is not None and block.id in shared.blocks:
        found, where = shared.blocks[block.id]
        if _same(read, block, found, block.id, "block",
                 f"write - use: {block.id} (no id), or give this block another id"):
            return found
    return block


def _written_block(read: _Reader, node: _Node, prefix: str, flags):
    if not isinstance(node.value, dict):
        read.error(node, "expected a block: a mapping with id and one of " + ", ".join(_KINDS))
        return None
    kinds = [k for k in _KINDS if k in node.value]
    if len(kinds) != 1:
        read.error(node, "a block has exactly one of " + ", ".join(_KINDS)
                   + (f" (found {', '.join(kinds)})" if kinds else ""))
        return None
    kind = kinds[0]
    optional = {"paragraph": ("urls",), "list": ("urls",), "emergency": ("red_flags",),
                "links": ()}[kind]
    m = read.mapping(node, ("id", kind), optional)
    ident = read.ident(m.get("id"))
    key = f"{prefix}.{ident}"
    if kind == "paragraph":
        return Paragraph(ident, read.text(m[kind], key, "Paragraph", m.get("urls")))
    if kind == "list":
        return Bullets(ident, tuple(
            read.text(n, f"{key}.{i}", "Bullet list item", m.get("urls"))
            for i, n in enumerate(read.sequence(m[kind]), 1)))
    if kind == "emergency":
        name = read.string(m.get("red_flags"))
        if "red_flags" not in m:
            read.error(node, "missing key 'red_flags': name the red-flag list the box shows")
        elif flags and name != flags.id:
            read.error(m["red_flags"], f"no red-flag list is called '{name}' (it is '{flags.id}')")
        return Emergency(ident, read.text(m[kind], key, "Emergency box: what to do (before the "
                                          "list of emergency symptoms)"), flags)
    return Links(ident, tuple(_link(read, n, f"{key}.{i}")
                              for i, n in enumerate(read.sequence(m[kind]), 1)))


def _link(read: _Reader, node: _Node, key: str) -> Link:
    m = read.mapping(node, ("url",), ("text",))
    text = read.text(m["text"], key, "Text of a link; its address is printed after it") \
        if "text" in m else None
    return Link(read.url(m.get("url")), text, read.where(node))


def _correction(read: _Reader, node: _Node) -> Correction:
    m = read.mapping(node, ("at", "was", "now", "why"))
    return Correction(*(read.string(m.get(k)) for k in ("at", "was", "now", "why")),
                      read.where(node))


def _question(read: _Reader, node: _Node) -> Question:
    m = read.mapping(node, ("at", "question"))
    return Question(read.string(m.get("at")), read.string(m.get("question")), read.where(node))


def _check_corrections(read: _Reader, leaflet: Leaflet) -> None:
    """Each recorded correction must be applied where it says (a reviewer relies on it)."""
    all_texts = list(texts(leaflet))
    for c in leaflet.corrections:
        under = [t.value for t in all_texts if t.key == c.at or t.key.startswith(c.at + ".")]
        if not under:
            read.problems.append(Problem(c.where, f"corrections: no text at '{c.at}'"))
        elif not any(c.now in value for value in under):
            read.problems.append(Problem(c.where, f"corrections: '{c.now}' is not in the text "
                                                  f"at '{c.at}'"))


# ------------------------------------------------------------------ walking

def _blocks(sections):
    for section in sections:
        yield from section.blocks
        yield from _blocks(section.sections)


def texts(leaflet: Leaflet):
    """Every translatable Text of the leaflet, in reading order (red flags once)."""
    yield from _texts(leaflet, set())


def is_shared(text: Text) -> bool:
    """Whether the text is a shared passage's (defined in source/shared/): translated once,
    in the shared catalog, whatever leaflet prints it."""
    return bool(text.where.path) and Path(text.where.path).parent.name == SHARED


def shared_texts(shared: Shared) -> list[Text]:
    """Every translatable Text of the shared source, file by file in line order: what the
    shared catalog translates, whether a leaflet uses it yet or not."""
    found = list(_texts((shared.labels,) if shared.labels else (), set()))
    for value in (*shared.services.values(), *shared.red_flags.values(),
                  *(block for block, _ in shared.blocks.values())):
        found += _texts(value, {t.key for t in found})
    return sorted(found, key=lambda t: (t.where.path, t.where.line or 0))


def _texts(value, seen):
    if isinstance(value, Text):
        if value.key not in seen:
            seen.add(value.key)
            yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _texts(item, seen)
    elif hasattr(value, "__dataclass_fields__"):
        for f in fields(value):
            yield from _texts(getattr(value, f.name), seen)


def replace_texts(value, change):
    """A copy of `value` with every Text t replaced by `change(t)`."""
    if isinstance(value, Text):
        return change(value)
    if isinstance(value, tuple):
        return tuple(replace_texts(item, change) for item in value)
    if hasattr(value, "__dataclass_fields__"):
        return type(value)(**{f.name: replace_texts(getattr(value, f.name), change)
                              for f in fields(value) if f.init})
    return value
