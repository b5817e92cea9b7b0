"""The inline markup a string may carry, parsed from an allow-list.

Translators see only `{name}` (a link: its address is printed there) and
`<b>...</b>` (bold). Anything else that looks like markup is refused, so text
from a .po file can never become HTML or CSS: the parsed spans are re-emitted by
the template with autoescaping.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import MarkupError

_TOKEN = re.compile(r"(\{[^{}<>]*\}|<[^<>{}]*>)")
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_TAGS = {"<b>": "bold"}


@dataclass(frozen=True)
class Span:
    kind: str  # "text", "bold" or "link"
    value: str = ""  # the text, or the link's placeholder name
    children: tuple[Span, ...] = ()


def parse(text: str) -> tuple[Span, ...]:
    """The spans of `text`; MarkupError when it holds anything but the allowed markup."""
    root: list[Span] = []
    stack: list[tuple[str, list[Span]]] = [("", root)]
    for token in _TOKEN.split(text):
        if not token:
            continue
        if token.startswith("{"):
            name = token[1:-1]
            if not _NAME.match(name):
                raise MarkupError(f"'{token}' is not a link placeholder: use {{name}} with "
                                  "lower-case letters, digits and _ only")
            stack[-1][1].append(Span("link", name))
        elif token.startswith("<"):
            _tag(token, stack)
        else:
            for bad in "{}<>":
                if bad in token:
                    raise MarkupError(f"stray '{bad}': only {{name}} and <b>...</b> are allowed")
            stack[-1][1].append(Span("text", token))
    if len(stack) > 1:
        raise MarkupError("<b> is not closed: add </b>")
    return tuple(root)


def _tag(token: str, stack: list[tuple[str, list[Span]]]) -> None:
    if token in _TAGS:
        if len(stack) > 1:
            raise MarkupError(f"{token} inside {stack[-1][0]}: tags cannot be nested")
        stack.append((token, []))
    elif token.startswith("</") and "<" + token[2:] in _TAGS:
        if stack[-1][0] != "<" + token[2:]:
            raise MarkupError(f"{token} closes nothing: remove it or add the opening tag")
        opening, children = stack.pop()
        stack[-1][1].append(Span(_TAGS[opening], "", tuple(children)))
    else:
        raise MarkupError(f"markup {token!r} is not allowed: only {{name}} and <b>...</b> are")


def placeholders(text: str) -> list[str]:
    """The link placeholder names of `text`, in order (no parsing errors raised)."""
    return [t[1:-1] for t in _TOKEN.findall(text) if t.startswith("{")]


def tags(text: str) -> list[str]:
    """The tags of `text`, in order, as written."""
    return [t for t in _TOKEN.findall(text) if t.startswith("<")]


def plain(spans: tuple[Span, ...], urls: dict[str, str]) -> str:
    """The text a reader sees: tags dropped, placeholders replaced by their addresses."""
    out = []
    for span in spans:
        if span.kind == "text":
            out.append(span.value)
        elif span.kind == "link":
            out.append(urls.get(span.value, ""))
        else:
            out.append(plain(span.children, urls))
    return "".join(out)
