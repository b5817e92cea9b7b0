"""Check a translator's .po file the way Weblate or pofilter would, in plain words.

Public verb: `check(path, texts) -> Report`. `texts` are the source's Texts by key
(msgctxt). Every problem is reported with the file and line, as an error (the
language cannot be released) or a warning (worth a look). A .po file comes from
outside the team: it is read as data only, strictly (neither polib nor Babel reject
an unterminated string or a duplicate entry, so syntax is checked here first), and
nothing in it is ever used as markup, a path or an address. The work is linear in the
file: its shape (size, lines, escapes) is checked before polib parses it, no pattern
can backtrack, a translation far longer than its English is refused before its other
checks, messages quote at most the start of a value, and a review claimed in its header
is ignored (build/reviews.py). What its language's fonts and braille table cannot print
is checks/printable.py's, which callers run instead of this.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib
from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from . import markup, plurals
from ..errors import Location, MarkupError, PluralFormsError, Problem, visible

MAX_BYTES = 2_000_000
# This leaflet's catalogs have 900-1,200 lines. A file of many more is not a catalog of
# it, and its lines would cost the check (and the page's report) time and memory.
MAX_LINES = 20_000
# Backslash escapes (\n, \" ...): each costs polib a Python call; the catalogs have ~15.
MAX_ESCAPES = 20_000
MAX_SHOWN = 60  # characters of an uploaded value quoted in a message
# Headers with which a catalog once declared its own review; a review is now recorded
# by the team (build/reviews.py), so in a catalog they are ignored and said to be.
REVIEW_HEADERS = ("X-Review-Status", "X-Reviewed-By", "X-Reviewed-Date")
REWRITE = ("Open the file in Poedit and save it again, or compare these lines with the same "
           "entry in the leaflet's template (.pot).")
UPDATE = ("Start from the leaflet's latest template (.pot): in Poedit, Translation > "
          "Update from POT file; your translations are kept.")
HEADER = "In Poedit: Translation > Properties (the header at the top of the file)."


@dataclass(frozen=True)
class Report:
    path: str
    language: str  # from the header; "" when unreadable
    problems: tuple[Problem, ...]
    translations: dict = field(default_factory=dict)  # key -> msgstr, usable ones only
    total: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    # Who reviewed the catalog and when: never from the catalog itself, only from the
    # team's record of reviews (build/reviews.py); "" = not reviewed by a qualified
    # translator.
    reviewer: str = ""
    review_date: str = ""
    revised: str = ""  # the date of PO-Revision-Date (YYYY-MM-DD); "" when it has none
    # line -> (msgctxt, msgstr) of every entry read (none when the file is not PO syntax)
    entries: dict = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)

    @property
    def translated(self) -> int:
        return self.total - self.fuzzy - self.untranslated

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.translated == self.total

    @property
    def reviewed(self) -> bool:
        return bool(self.reviewer and self.review_date)


def check(path: Path, texts: dict, shown: str | None = None,
          others: frozenset = frozenset()) -> Report:
    """Every problem of the catalog at `path` against the source texts (key -> Text).
    `others`: keys the catalog holds for other leaflets (the shared catalog checked for
    one leaflet): their entries are neither counted nor checked here."""
    shown = shown or str(path)
    problems: list[Problem] = []

    def report(line, message, severity="error", hint=""):
        # Messages quote the file: what they quote is shown, never sent to a terminal raw.
        problems.append(Problem(Location(shown, line), visible(message), severity, hint))

    text = _text(path, report)
    if text is None or _syntax(text, report):
        return Report(shown, "", tuple(problems), total=len(texts), untranslated=len(texts))
    try:
        # The text is UTF-8 already: polib's own encoding detection is a regular expression
        # whose search is quadratic in a line repeating "Content-Type:" (90 s on 520 KB).
        po = polib.pofile(text, wrapwidth=78, encoding="utf-8")
    except (OSError, ValueError) as exc:  # what the line check above did not foresee
        line = re.search(r"line (\d+)", str(exc))
        report(int(line.group(1)) if line else None,
               "syntax: this is not a readable catalog here; compare with the leaflet's "
               "template (.pot)",
               hint=REWRITE)
        return Report(shown, "", tuple(problems), total=len(texts), untranslated=len(texts))
    lines = _header_lines(text)
    language = _header(po, path, lines, report)
    translations, fuzzy, untranslated = _entries(po, texts, report, others)
    return Report(shown, language, tuple(problems), translations, len(texts), fuzzy,
                  untranslated, revised=_revised(po),
                  entries={e.linenum: (e.msgctxt or "", e.msgstr) for e in po})


def joined(own: Report, shared: Report) -> Report:
    """One leaflet's strings in a language: its own catalog's report and the shared
    catalog's (checked for the passages it uses) as one, so that it is released only
    when every string it prints is translated, clean and not fuzzy. Lines and dates are
    the own catalog's; the later revision date is the edition's."""
    return replace(own, language=own.language or shared.language,
                   problems=own.problems + shared.problems,
                   translations={**own.translations, **shared.translations},
                   total=own.total + shared.total, fuzzy=own.fuzzy + shared.fuzzy,
                   untranslated=own.untranslated + shared.untranslated,
                   revised=max(own.revised, shared.revised))


# A language code as a folder name (translations/, submissions/): Babel's identifier.
FOLDER = re.compile(r"[a-z]{2,3}(?:_[A-Za-z0-9]{2,8}){0,3}\Z")


def folder_name(language: str) -> str:
    """The catalog folder of a header's Language, e.g. pt_PT ("" unless Babel knows it)."""
    try:
        name = str(Locale.parse(language.replace("-", "_")))
    except (ValueError, TypeError, LookupError):
        return ""
    return name if FOLDER.match(name) else ""


def _revised(po) -> str:
    """The day the translator last saved the catalog (Poedit writes PO-Revision-Date)."""
    found = re.match(r"\s*(\d{4}-\d{2}-\d{2})\b", po.metadata.get("PO-Revision-Date", ""))
    return found.group(1) if found else ""


def _text(path: Path, report) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        report(None, f"cannot read the file: {exc.strerror}",
               hint="Check the file's name and that you may read it.")
        return None
    if len(data) > MAX_BYTES:
        report(None, f"the file is {len(data)} bytes; a catalog is at most {MAX_BYTES}",
               hint="Send the .po file alone: this leaflet's catalog is 40-70 KB.")
        return None
    lines = data.count(b"\n") + 1
    if lines > MAX_LINES:
        report(None, f"the file has {lines} lines; a catalog of this leaflet has about 1,100 "
                     f"and at most {MAX_LINES}",
               hint="Send the .po file of this leaflet alone, as Poedit saves it.")
        return None
    escapes = data.count(b"\\")
    if escapes > MAX_ESCAPES:
        report(None, f"the file has {escapes} backslashes; a catalog of this leaflet has a "
                     f"few dozen and at most {MAX_ESCAPES}",
               hint="Send the .po file of this leaflet alone, as Poedit saves it.")
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        report(1, "UTF-16 text: save the file as UTF-8 (Poedit: File > Properties)",
               hint="In Poedit: Translation > Properties, set the encoding to UTF-8, then "
                    "save.")
        return None
    if b"\0" in data:
        report(data[:data.index(b"\0")].count(b"\n") + 1,
               "binary data (a NUL byte): this is not a .po text file",
               hint="Send the .po file (text), not the .mo file Poedit also makes, and not "
                    "a document or an archive.")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report(data[:exc.start].count(b"\n") + 1,
               "not UTF-8 text: save the file as UTF-8 (Poedit: File > Properties)",
               hint="In Poedit: Translation > Properties, set the encoding to UTF-8, then "
                    "save.")
        return None
    return None if _line_breaks(text, report) else text


# Characters Python and polib take as the end of a line ("\r" aside) though a .po file
# has one line per "\n": inside a string they would cut it in two.
_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _line_breaks(text: str, report) -> bool:
    """Report each character other than a newline that breaks lines; True when any."""
    found = False
    for char in _BREAKS:
        at = text.find(char)
        if at >= 0:
            report(text.count("\n", 0, at) + 1, f"character U+{ord(char):04X} "
                   f"({unicodedata.name(char, 'control')}) breaks the line: remove it",
                   hint="Retype the words around it: the character cannot be seen, and it "
                        "ends a line in the middle of your text.")
            found = True
    return found


# No pattern here has two repetitions that can match the same text (each is linear on
# an uploaded line: the keyword's spaces end where its string's first character begins).
_KEYWORD = re.compile(r'(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+([^ \t].*)\Z')
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"\Z')
_ESCAPE = re.compile(r"\\(.)")


def _syntax(text: str, report) -> bool:
    """Report lines that are not PO syntax; True when there were any."""
    bad = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("#~"):
            stripped = stripped[2:].strip()
        elif not stripped:
            continue
        elif stripped.startswith("#"):
            if len(stripped) > 1 and stripped[1] not in " \t.:,|":
                report(number, "syntax: a comment starts with '# ', '#.', '#:', '#,' or '#|'",
                       hint="Put a space after the # of your comment, or delete the line.")
                bad = True
            continue
        keyword = _KEYWORD.match(stripped)
        string = keyword.group(2) if keyword else stripped
        if not string.startswith('"') and not keyword:
            report(number, f"syntax: '{stripped[:30]}' is not a msgctxt, msgid or msgstr line, "
                           "a quoted string or a # comment", hint=REWRITE)
        elif not _STRING.match(string):
            report(number, 'syntax: the text must start and end with " on the same line; '
                           'write a " inside the text as \\"',
                   hint='End the line with ", and put a \\ before every " inside the text '
                        '(Poedit does this for you).')
        elif any(c not in '\\"ntr' for c in _ESCAPE.findall(string)):
            report(number, "syntax: unknown escape after \\ (allowed: \\\" \\\\ \\n \\t)",
                   hint="Write a backslash in the text as \\\\, or delete it.")
        else:
            continue
        bad = True
    return bad


def _header_lines(text: str) -> dict[str, int]:
    """Header field -> the line it is written on (the first entry's strings), so that a
    header problem names its line."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("#") or stripped.startswith(("msgid", "msgstr")) and \
                not stripped.endswith('""'):
            if found or stripped.startswith("msgstr"):
                break
            continue
        if not stripped:
            if found:
                break
            continue
        name, colon, _ = stripped.strip('"').partition(":")
        if colon and name.strip():
            found.setdefault(name.strip(), number)
    return found


def _header(po, path: Path, lines: dict[str, int], report) -> str:
    language = po.metadata.get("Language", "").strip()
    folder = path.parent.parent.name if path.parent.name == "LC_MESSAGES" else ""
    _review_headers(po, lines, report)
    if not language:
        report(1, f'header: Language is missing: add "Language: {folder or "pl"}\\n"',
               hint=HEADER + " Choose your language.")
        return ""
    at = lines.get("Language", 1)
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        report(at, f"header: Language '{_clip(language)}' is not a language code Babel knows "
                   "(such as pl, pt_PT, zh_Hans)", hint=HEADER + " Choose your language.")
        return ""
    if folder and folder != language:
        report(at, f"header: Language '{language}' does not match the folder '{folder}'",
               hint="Say the language of the translation; a catalog of another language "
                    "goes in that language's folder.")
    _plural_forms(po.metadata.get("Plural-Forms", ""), language, get_plural(locale),
                  lines.get("Plural-Forms", 1), report)
    charset = re.search(r"charset=([\w-]+)", po.metadata.get("Content-Type", ""))
    if charset and charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        report(lines.get("Content-Type", 1), f"header: charset is '{_clip(charset.group(1))}': "
               "save as UTF-8 and say charset=UTF-8",
               hint=HEADER + " Set the encoding to UTF-8, then save.")
    return language


def _plural_forms(forms: str, language: str, expected, line: int, report) -> None:
    """Plural-Forms as gettext's grammar allows it, with the language's number of forms.
    The leaflet has no plural strings, but gettext tools read the header of every
    catalog: a malformed one is an error, and its expression is only parsed, never run."""
    hint = HEADER + " Use your language's plural forms as Poedit proposes them."
    if not forms.strip():
        report(line, f"header: Plural-Forms is missing; for {language} it is "
                     f"'{expected.plural_forms}'", hint=hint)
        return
    try:
        parsed = plurals.parse(forms)
    except PluralFormsError as exc:
        report(line, f"header: {exc}; for {language} use '{expected.plural_forms}'",
               hint=hint)
        return
    if parsed.nplurals != expected.num_plurals:
        report(line, f"header: Plural-Forms says nplurals={parsed.nplurals}; {language} has "
                     f"{expected.num_plurals}: use '{expected.plural_forms}'", hint=hint)


def _review_headers(po, lines: dict[str, int], report) -> None:
    """A catalog cannot say it was reviewed: an upload could claim anything. Headers that
    claim a review are reported as ignored (a review is recorded by the team)."""
    claimed = [name for name in REVIEW_HEADERS
               if po.metadata.get(name, "").strip() not in ("", "unreviewed")]
    if claimed:
        report(min(lines.get(name, 1) for name in claimed),
               f"header: {', '.join(claimed)} ignored: a catalog cannot record its own "
               "review; the leaflet keeps its unreviewed notice until the team records a "
               "qualified translator's review", "warning",
               "Nothing to fix: send the file as it is. The team records a review with "
               "render.py review (TRANSLATING.md: Review by a qualified translator).")


def _entries(po, texts: dict, report, others: frozenset = frozenset()):
    translations, seen = {}, {}
    fuzzy = 0
    for entry in po:
        key = entry.msgctxt or ""
        if key in seen:
            report(entry.linenum, f"duplicate entry for msgctxt '{_clip(key)}' (first at line "
                                  f"{seen[key]}): keep one",
                   hint="Delete one of the two entries, keeping the better translation.")
            continue
        seen[key] = entry.linenum
        text = texts.get(key)
        if text is None and key in others:
            continue
        if text is None:
            report(entry.linenum, f"msgctxt '{_clip(key)}' is not in the template: do not change "
                                  "msgctxt lines (run make update-po after a source change)",
                   hint=UPDATE)
            continue
        if entry.msgid != text.value or entry.msgid_plural:
            report(entry.linenum, f"msgid differs from the template for '{key}': do not "
                                  "change msgid lines; copy the English from the template (.pot)",
                   hint="Change only the translation (msgstr); put the English back as it is "
                        "in the template (.pot).")
            continue
        if not entry.msgstr.strip():
            report(entry.linenum, f"untranslated: '{key}'", "warning",
                   "Translate this string: the language is published only when every string "
                   "is translated.")
            continue
        if "fuzzy" in entry.flags:
            fuzzy += 1
            report(entry.linenum, f"fuzzy: '{key}': check the translation against the "
                                  "English, then remove the fuzzy mark", "warning",
                   "The English changed since this was translated: check it, correct it, then "
                   "remove the mark (Poedit: the 'Needs work' button).")
            continue
        problems = string_problems(text, entry.msgstr)
        for severity, message, hint in problems:
            report(entry.linenum, f"'{key}': {message}", severity, hint)
        if not any(severity == "error" for severity, _, _ in problems):
            translations[key] = entry.msgstr
    missing = [k for k in texts if k not in seen]
    for key in missing:
        report(None, f"msgctxt '{key}' is missing: run make update-po", "warning", UPDATE)
    untranslated = len(texts) - len(translations) - fuzzy
    return translations, fuzzy, untranslated


# ------------------------------------------------------------ one string

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_PERCENT = "%٪％"
# What starts a web address, each a fixed string: searched once per word of a translation,
# linear in its length. (The pattern this replaces, [a-z][a-z0-9+.-]*:// and so on, took
# 16 s on "a." written 32,000 times: every letter began a scheme it scanned to the end.)
_ADDRESS = re.compile(r"://|\bwww\.|\b(?:javascript|data|file):", re.I)
_WORD = re.compile(r"\S+")
_SCHEME = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
# Invisible characters that can make text read differently from how it looks (bidi
# overrides, "Trojan Source", CVE-2021-42574) or that no font draws (controls).
_INVISIBLE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e"
                        "\u2066-\u2069\ufeff]")


def longest(english: str) -> int:
    """The most characters a translation of `english` may have. The drafts' longest are
    3.25 times their English (a few words) or 142 characters more; a string far longer is
    not a translation of it, and each check below costs time in its length."""
    return 3 * len(english) + 200


def string_problems(text, msgstr: str) -> list[tuple[str, str, str]]:
    """(severity, message, how to fix it) for one translation of `text` (a source.Text).
    Whether its language's fonts and braille table can print it is checks/printable.py's."""
    if len(msgstr) > longest(text.value):
        return [("error", f"{len(msgstr)} characters, the English {len(text.value)}: a "
                 f"translation of it has at most {longest(text.value)}",
                 "Translate the English of this entry alone, adding nothing.")]
    found = []
    try:
        markup.parse(msgstr)
    except MarkupError as exc:
        found.append(("error", str(exc), "Only {names} in braces and <b>...</b> may be in a "
                      "translation, as in the English; write everything else as plain text."))
    if sorted(markup.placeholders(msgstr)) != sorted(markup.placeholders(text.value)):
        found.append(("error", "placeholders differ: the English has "
                      f"{_listed(markup.placeholders(text.value))}, the translation has "
                      f"{_listed(markup.placeholders(msgstr))}",
                      "Copy each {name} of the English exactly, once, where it reads "
                      "naturally: an address is printed there."))
    if markup.tags(msgstr) != markup.tags(text.value):
        found.append(("error", f"tags differ: the English has {_listed(markup.tags(text.value))}"
                      f", the translation has {_listed(markup.tags(msgstr))}",
                      "Put <b>...</b> around the words that mean what the English has in bold, "
                      "and no other tags."))
    english, translated = numbers(text.value), numbers(msgstr)
    if english != translated:
        found.append(("error", "numbers differ: the English has "
                      f"{_listed(_ordered(english))}, the translation has "
                      f"{_listed(_ordered(translated))}",
                      "Write the same numbers as the English (in your language's digits if "
                      "you like): a wrong number in a patient leaflet is dangerous."))
    if _percents(text.value) != _percents(msgstr):
        found.append(("error", f"% signs differ: the English has {_percents(text.value)}, "
                      f"the translation has {_percents(msgstr)}",
                      "Keep every % sign of the English (your language's % sign is fine)."))
    for char in dict.fromkeys(_INVISIBLE.findall(msgstr)):
        found.append(("error", f"invisible control character U+{ord(char):04X} "
                      f"({unicodedata.name(char, 'control')}): remove it",
                      "Retype the words around it: the character cannot be seen, and it "
                      "can make the text read differently from how it looks."))
    found += characters(msgstr)
    if "\n" in msgstr and "\n" not in text.value:
        found.append(("error", "a line break (\\n) inside the string: the English has none",
                      "Write the translation on one line (Poedit: remove the line break); "
                      "the leaflet lays out its own lines."))
    urls = addresses(msgstr)
    if urls:
        more = f" (and {len(urls) - 1} more)" if len(urls) > 1 else ""
        found.append(("error", f"web address '{_clip(urls[0])}'{more} in the translation: "
                      "addresses come only from the {placeholders}",
                      "Delete the address: the leaflet prints its own addresses where the "
                      "English has {names} in braces."))
    if text.limit and len(msgstr) > text.limit:
        found.append(("error", f"{len(msgstr)} characters; this card string has at most "
                      f"{text.limit}",
                      f"Shorten it to {text.limit} characters or fewer: the warning card is "
                      "the size of a bank card."))
    if msgstr != msgstr.strip():
        found.append(("warning", "leading or trailing white space",
                      "Delete the spaces at the start or the end."))
    if "  " in msgstr:
        found.append(("warning", "doubled space", "Write one space."))
    if msgstr == text.value and re.search(r"[a-z]{3}", msgstr):
        found.append(("warning", "same as the English: is it translated?",
                      "Translate it, unless it is a name that stays in English."))
    return found


def addresses(text: str) -> list[str]:
    """The web addresses in `text`: each word from the start of its scheme (`https://`,
    `www.`, `javascript:`...) to its end."""
    found = []
    for word in _WORD.finditer(text):
        match = _ADDRESS.search(word.group())
        if match is None:
            continue
        start = match.start()
        if match.group() == "://":  # back over the scheme's letters, if it has any
            while start > 0 and word.group()[start - 1] in _SCHEME:
                start -= 1
            if not any(c.isalpha() for c in word.group()[start:match.start()]):
                continue
        found.append(word.group()[start:])
    return found


def characters(msgstr: str) -> list[tuple[str, str, str]]:
    """Characters no edition can print, whatever the language: an error for each reason,
    naming the first few characters it applies to."""
    reasons: dict[str, list[str]] = {}
    for char in dict.fromkeys(msgstr):
        why = _unprintable(char)
        if why:
            reasons.setdefault(why, []).append(char)
    return [("error", f"{named(chars)}: {why}", "Delete it or write it another way.")
            for why, chars in reasons.items()]


def named(chars: list[str], most: int = 5) -> str:
    """Characters as a message names them: code point and Unicode name, the first few."""
    listed = ", ".join(f"U+{ord(c):04X} ({unicodedata.name(c, 'unnamed')})"
                       for c in chars[:most])
    more = f" and {len(chars) - most} more" if len(chars) > most else ""
    return f"character{'s' * (len(chars) > 1)} {listed}{more}"


def _unprintable(char: str) -> str:
    """Why `char` cannot be printed ("" when it can). _INVISIBLE refuses the controls."""
    category = unicodedata.category(char)
    if category == "Co":
        return "a private-use character, which means nothing outside one program"
    if category in ("Cn", "Cs"):
        return "not a character Unicode assigns"
    if category in ("Zl", "Zp"):
        return "a line or paragraph separator: write one paragraph per string"
    return ""


def numbers(text: str) -> Counter:
    """The numbers of `text`, native digits (Arabic-Indic, Bengali...) read as digits
    (`\\d` matches every Unicode decimal digit; only the digits found are converted)."""
    return Counter("".join(str(unicodedata.digit(c)) if c.isdecimal() else c for c in n)
                   .replace(",", ".") for n in _NUMBER.findall(text))


def _percents(text: str) -> int:
    return sum(text.count(sign) for sign in _PERCENT)


def _ordered(found: Counter) -> list[str]:
    return sorted(found.elements(), key=float)


def _listed(items, most: int = 12) -> str:
    items = [_clip(item) for item in items]
    if len(items) > most:
        return ", ".join(items[:most]) + f" and {len(items) - most} more"
    return ", ".join(items) if items else "none"


def _clip(text: str, most: int = MAX_SHOWN) -> str:
    """An uploaded value as a message quotes it: the start of it, saying so when cut."""
    return text if len(text) <= most else f"{text[:most]}... ({len(text)} characters)"
