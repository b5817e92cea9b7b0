"""A catalog's Plural-Forms header, read against gettext's grammar and never evaluated.

Public verb: `parse(value) -> PluralForms`, raising PluralFormsError with what is wrong.
gettext (intl/plural.y, intl/plural-exp.c) accepts `nplurals=N; plural=EXPRESSION;` where
the expression is C restricted to the variable n, unsigned integers, the operators
`?: || && == != < > <= >= + - * / % !` and parentheses. The header comes from an upload,
so it is read by a small recursive-descent parser with bounds on its length, its
numbers and its nesting: the work is linear in the header, Python's int() never sees a
number of thousands of digits, and no recursion can run deep. Nothing is computed from
the expression (a `/ 0` in it is refused: gettext's own programs would divide by zero).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import PluralFormsError

MAX_LENGTH = 300  # characters of the header's value; the longest CLDR rule is under 200
MAX_NPLURALS = 6  # CLDR's most forms (Arabic, Welsh)
MAX_DIGITS = 9  # a number in the expression (gettext reads an unsigned long)
MAX_DEPTH = 20  # nested parentheses and ?: (CLDR's rules need 3)
EXAMPLE = "nplurals=2; plural=(n != 1);"
# Binary operators by precedence, loosest first (plural.y: %right '?', %left '||' ...).
_LEVELS = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"),
           ("*", "/", "%"))
_SYMBOLS = ("||", "&&", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "!",
            "?", ":", "(", ")")


@dataclass(frozen=True)
class PluralForms:
    nplurals: int
    plural: str  # the expression as written, checked against the grammar


def parse(value: str) -> PluralForms:
    """The header's nplurals and expression; PluralFormsError when it is not what gettext
    accepts (the message says what is wrong)."""
    value = value.strip()
    if len(value) > MAX_LENGTH:
        raise PluralFormsError(f"Plural-Forms is {len(value)} characters long; a valid one "
                               f"is under {MAX_LENGTH}")
    fields = [part.strip() for part in value.split(";")]
    if fields and fields[-1] == "":
        fields.pop()  # the ; that ends the header
    named = dict(_field(part) for part in fields)
    if sorted(named) != ["nplurals", "plural"] or len(fields) != 2:
        raise PluralFormsError("Plural-Forms must be 'nplurals=N; plural=EXPRESSION;', "
                               f"as in '{EXAMPLE}'")
    return PluralForms(_nplurals(named["nplurals"]), _expression(named["plural"]))


def _field(part: str) -> tuple[str, str]:
    name, equals, rest = part.partition("=")
    if not equals:
        raise PluralFormsError(f"'{_clip(part)}' in Plural-Forms is not name=value; it must "
                               f"be 'nplurals=N; plural=EXPRESSION;'")
    return name.strip(), rest.strip()


def _nplurals(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise PluralFormsError(f"nplurals must be a whole number, not '{_clip(text)}'")
    if len(text) > 2 or not 1 <= int(text) <= MAX_NPLURALS:
        raise PluralFormsError(f"nplurals={_clip(text)} is out of range: a language has "
                               f"1 to {MAX_NPLURALS} plural forms")
    return int(text)


def _expression(text: str) -> str:
    tokens = _tokens(text)
    if not tokens:
        raise PluralFormsError("plural= has no expression; it must be an expression of n "
                               "such as (n != 1)")
    parser = _Parser(tokens)
    parser.ternary(0)
    if parser.at < len(tokens):
        raise PluralFormsError(f"unexpected '{tokens[parser.at]}' in the plural expression")
    return text


def _tokens(text: str) -> list[str]:
    """The expression's tokens: n, numbers and operators (white space between them)."""
    tokens, at = [], 0
    while at < len(text):
        char = text[at]
        if char in " \t":
            at += 1
        elif char.isascii() and char.isdigit():
            end = at
            while end < len(text) and text[end].isascii() and text[end].isdigit():
                end += 1
            if end - at > MAX_DIGITS:
                raise PluralFormsError(f"a number of {end - at} digits in the plural "
                                       f"expression (at most {MAX_DIGITS})")
            tokens.append(text[at:end])
            at = end
        elif char == "n":
            tokens.append("n")
            at += 1
        else:
            symbol = next((s for s in _SYMBOLS if text.startswith(s, at)), None)
            if symbol is None:
                raise PluralFormsError(f"'{_clip(text[at:at + 10])}' is not allowed in the "
                                       "plural expression: only n, whole numbers, "
                                       "?: || && == != < > <= >= + - * / % ! and ( )")
            tokens.append(symbol)
            at += len(symbol)
    return tokens


class _Parser:
    """Recursive descent over the tokens, one method per rule of gettext's grammar; the
    depth is bounded so that no header can exhaust the stack."""

    def __init__(self, tokens: list[str]):
        self.tokens, self.at = tokens, 0

    def peek(self) -> str:
        return self.tokens[self.at] if self.at < len(self.tokens) else ""

    def take(self, wanted: str) -> None:
        if self.peek() != wanted:
            found = f"'{self.peek()}'" if self.peek() else "the end"
            raise PluralFormsError(f"expected '{wanted}' in the plural expression, found "
                                   f"{found}")
        self.at += 1

    def ternary(self, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise PluralFormsError(f"the plural expression nests more than {MAX_DEPTH} deep")
        self.binary(0, depth)
        if self.peek() == "?":
            self.at += 1
            self.ternary(depth + 1)
            self.take(":")
            self.ternary(depth + 1)

    def binary(self, level: int, depth: int) -> None:
        if level == len(_LEVELS):
            self.unary(depth)
            return
        self.binary(level + 1, depth)
        while self.peek() in _LEVELS[level]:
            operator = self.tokens[self.at]
            self.at += 1
            if operator in ("/", "%") and self.peek().isdigit() and int(self.peek()) == 0:
                raise PluralFormsError(f"'{operator} 0' in the plural expression divides "
                                       "by zero")
            self.binary(level + 1, depth)

    def unary(self, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise PluralFormsError(f"the plural expression nests more than {MAX_DEPTH} deep")
        token = self.peek()
        if token == "!":
            self.at += 1
            self.unary(depth + 1)
        elif token == "(":
            self.at += 1
            self.ternary(depth + 1)
            self.take(")")
        elif token == "n" or token.isdigit():
            self.at += 1
        else:
            found = f"'{token}'" if token else "the end"
            raise PluralFormsError(f"expected n, a number or '(' in the plural expression, "
                                   f"found {found}")


def _clip(text: str, most: int = 20) -> str:
    return text if len(text) <= most else text[:most] + "..."
