"""Accessibility and integrity checks over a finished output/ (`make check`).

Public verb: `audit(root, draw=True) -> list[Row]`: for every file the manifest lists,
the result of each check that applies to its variant ("ok", "n/a", or why it failed);
`draw=False` leaves out the engines check, which draws every page five times. Checks:
- file: the file is the one the manifest lists (sha256);
- tagged: /MarkInfo /Marked and a structure tree (PDF/UA-1, ISO 14289-1 7.1);
- language: the document /Lang is the manifest's language (7.2);
- title: a title; for PDF/UA files one that viewers show (DisplayDocTitle), and XMP
  dc:title (7.1);
- pdf/ua: the XMP identifies PDF/UA-1 (5);
- headings: heading levels start at H1 and never skip one (7.4.2);
- marked: every marked-content sequence on a page belongs to the structure tree or is
  an artifact, such as the running footer (7.1, 7.8);
- order: on every page, content is painted in the order of the structure tree, so a
  reader that follows the page meets it in reading order (7.1; list bullets were not);
- links: every link annotation has alternative text, prints, and pages with
  annotations have /Tabs /S (7.18.1, 7.18.3, 7.18.5);
- fonts: every font embedded, with a ToUnicode map (7.21.4.1, 7.21.7);
- unicode: every character code shown (pages and the forms they draw) maps to Unicode
  text: not empty, no U+FFFD, control or private-use character (7.21.7);
- sizes: no text smaller than the edition's minimum (16 pt in large print); a
  braille-ready file only BRF characters, no line or page over the braille layout;
- contrast: text colours of the styles against their backgrounds, WCAG 2.2 SC 1.4.3;
- weight: a web page's HTML and CSS, and with its fonts, within the budgets of
  leaflet/formats/web.py (a browser in tests/test_web.py checks the rest of a page).
- engines: every page drawn by pdfium, Poppler, MuPDF, Ghostscript and pdf.js shows its
  text with no glyph missing or different in any of them (leaflet/checks/engines.py); the
  files are drawn in parallel, one process per core.
Files that are not PDFs (web pages, fonts, braille, plain text) are checked for the file,
braille for its sizes, web pages for their weight.
"""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from . import engines
from ..formats import braille, finish, output, web
from ..layout.variants import VARIANTS

CHECKS = ("file", "tagged", "language", "title", "pdf/ua", "headings", "marked", "order",
          "links", "fonts", "unicode", "sizes", "contrast", "weight", "engines")
# Smallest text (pt) each edition may have, measured from the PDF: large print by the
# RNIB clear print guidance; page furniture (footer) sets the others' minimum; the card's
# smallest text is its source line, 0.75 x the 7 pt minimum of the fit.
MIN_PT = {"large-print": 16.0, "card": 5.0}
DEFAULT_MIN_PT = 9.0
STYLES = Path(__file__).resolve().parents[2] / "styles"


@dataclass(frozen=True)
class Row:
    path: str
    results: dict  # check -> "ok", "n/a" or the reason it failed

    @property
    def failed(self) -> bool:
        return any(r not in ("ok", "n/a") for r in self.results.values())


def audit(root: Path, draw: bool = True) -> list[Row]:
    variants = {(v.document, v.name): v for v in VARIANTS}
    contrast = contrast_problem()
    entries = output.read_manifest(root)
    drawn = _drawn([root / e["path"] for e in entries if e["path"].endswith(".pdf")
                    and (root / e["path"]).is_file()]) if draw else {}
    rows = []
    for entry in entries:
        variant = variants.get((entry.get("document"), entry.get("variant")))
        path = root / entry["path"]
        if not path.is_file():
            rows.append(Row(entry["path"], {"file": "missing"}))
            continue
        results = {"file": "ok" if hashlib.sha256(path.read_bytes()).hexdigest()
                   == entry.get("sha256") else "not the file the manifest lists"}
        if entry.get("format", "pdf") != "pdf":  # web pages, fonts, braille, plain text
            if entry["format"] == "brf":
                results["sizes"] = "; ".join(braille.problems(path.read_bytes())[:3]) or "ok"
            results["weight"] = _weight(entry, entries)
            rows.append(Row(entry["path"], results))
            continue
        with pikepdf.open(path) as pdf:
            results.update(_pdf_checks(pdf, entry, variant))
        results["sizes"] = _sizes(path, MIN_PT.get(entry["variant"], MIN_PT.get(
            entry["document"], DEFAULT_MIN_PT)))
        results["contrast"] = contrast or "ok"
        results["engines"] = drawn.get(path, "n/a")
        rows.append(Row(entry["path"], results))
    return rows


def _drawn(paths: list[Path]) -> dict:
    """The engines check of each file, the files in parallel (each takes seconds)."""
    with ProcessPoolExecutor(max(1, min(len(paths), os.cpu_count() or 1))) as pool:
        return dict(zip(paths, pool.map(_engines, paths))) if paths else {}


def _engines(path: Path) -> str:
    found = engines.faults(path)
    if not found:
        return "ok"
    return str(found[0]) + (f" (and {len(found) - 1} more)" if len(found) > 1 else "")


def _pdf_checks(pdf, entry: dict, variant) -> dict:
    tagged = variant is not None and variant.tagged
    ua = variant is not None and variant.ua
    na = "n/a"
    return {
        "tagged": _tagged(pdf) if tagged else na,
        "language": _language(pdf, entry["language"]) if tagged else na,
        "title": _title(pdf, ua),
        "pdf/ua": _pdfua(pdf) if ua else na,
        "headings": _headings(pdf) if tagged and entry["document"] == "leaflet" else na,
        "marked": _marked(pdf) if tagged else na,
        "order": _order(pdf) if tagged else na,
        "links": _links(pdf),
        "fonts": _fonts(pdf),
        "unicode": unmapped_code(pdf) or "ok",
    }


def _tagged(pdf) -> str:
    if not pdf.Root.get("/MarkInfo", {}).get("/Marked"):
        return "/MarkInfo /Marked missing"
    return "ok" if "/StructTreeRoot" in pdf.Root else "no structure tree"


def _language(pdf, language: str) -> str:
    found = str(pdf.Root.get("/Lang", ""))
    return "ok" if found == language else f"/Lang is {found!r}, not {language!r}"


def _title(pdf, ua: bool) -> str:
    if not str(pdf.docinfo.get("/Title", "")):
        return "no title"
    if not ua:
        return "ok"
    if not pdf.Root.get("/ViewerPreferences", {}).get("/DisplayDocTitle"):
        return "DisplayDocTitle not set"
    with pdf.open_metadata() as xmp:
        return "ok" if xmp.get("dc:title") else "no XMP dc:title"


def _pdfua(pdf) -> str:
    with pdf.open_metadata() as xmp:
        return "ok" if str(xmp.get("pdfuaid:part", "")) == "1" else "no pdfuaid:part 1"


def _headings(pdf) -> str:
    levels = [int(str(e.S)[2:]) for e in finish.elements(pdf.Root.StructTreeRoot.get("/K"))
              if re.fullmatch(r"/H[1-6]", str(e.S))]
    if not levels or levels[0] != 1:
        return "no H1 first"
    for before, after in zip(levels, levels[1:]):
        if after > before + 1:
            return f"H{before} is followed by H{after}"
    return "ok"


def _marked(pdf) -> str:
    referenced = _referenced_mcids(pdf.Root.StructTreeRoot)
    for number, page in enumerate(pdf.pages, 1):
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                    and "/MCID" in operands[1] \
                    and int(operands[1].MCID) not in referenced.get(page.obj.objgen, set()):
                return f"page {number}: marked content {int(operands[1].MCID)} belongs to " \
                       "no structure element"
    return "ok"


def _referenced_mcids(tree) -> dict:
    """For each page (objgen), the MCIDs that some structure element reaches."""
    found: dict = {}
    pending = [(tree.get("/K"), None)]
    while pending:
        kids, page = pending.pop()
        if kids is None:
            continue
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary):
                if kid.get("/Type") == "/MCR":
                    found.setdefault(kid.Pg.objgen, set()).add(int(kid.MCID))
                elif kid.get("/Type") != "/OBJR":
                    pending.append((kid.get("/K"), kid.get("/Pg", page)))
            elif page is not None:
                found.setdefault(page.objgen, set()).add(int(kid))
    return found


def _order(pdf) -> str:
    """WeasyPrint numbers marked content as it paints it: in structure order, the MCIDs
    of one page must rise."""
    by_page: dict = {}
    for element in finish.elements(pdf.Root.StructTreeRoot.get("/K")):
        page = element.get("/Pg")
        for kid in (element.K if isinstance(element.get("/K"), pikepdf.Array)
                    else [element.get("/K")]):
            if isinstance(kid, int) and page is not None:
                by_page.setdefault(page.objgen, []).append(int(kid))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                by_page.setdefault(kid.Pg.objgen, []).append(int(kid.MCID))
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}
    for objgen, mcids in by_page.items():
        for before, after in zip(mcids, mcids[1:]):
            if after < before:
                return f"page {pages.get(objgen, '?')}: content {after} is painted before " \
                       f"{before}, which comes first in reading order"
    return "ok"


def _links(pdf) -> str:
    for number, page in enumerate(pdf.pages, 1):
        links = [a for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        if links and page.obj.get("/Tabs") != "/S":
            return f"page {number}: annotations but no /Tabs /S"
        for link in links:
            if not str(link.get("/Contents", "")):
                return f"page {number}: a link without alternative text"
            if not int(link.get("/F", 0)) & 4:
                return f"page {number}: a link that does not print"
    return "ok"


def _fonts(pdf) -> str:
    for number, page in enumerate(pdf.pages, 1):
        for name, font in page.get("/Resources", {}).get("/Font", {}).items():
            described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = described.get("/FontDescriptor", {})
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                return f"page {number}: font {name} not embedded"
            if "/ToUnicode" not in font:
                return f"page {number}: font {name} has no ToUnicode map"
    return "ok"


def unmapped_code(pdf) -> str | None:
    """The first character code shown whose ToUnicode text is missing, empty or holds
    U+FFFD, a control or a private-use character, named by page, font and code; or
    None. Codes are two bytes in the Type0 fonts WeasyPrint writes (Identity-H), one
    byte in simple fonts."""
    maps: dict = {}
    for number, page in enumerate(pdf.pages, 1):
        for font, codes in _shown(page.obj, page.get("/Resources", pikepdf.Dictionary())):
            if font.objgen not in maps:
                maps[font.objgen] = (_to_unicode(font.get("/ToUnicode")),
                                     font.get("/Subtype") == "/Type0")
            texts, wide = maps[font.objgen]
            width = 2 if wide else 1
            for i in range(0, len(codes), width):
                code = int.from_bytes(codes[i:i + width], "big")
                problem = _bad_text(texts.get(code))
                if problem:
                    return (f"page {number}: font {font.get('/BaseFont')} code "
                            f"{code:0{2 * width}x} {problem}")
    return None


def _bad_text(text: str | None) -> str | None:
    if not text:
        return "maps to nothing" if text == "" else "has no Unicode mapping"
    for char in text:
        if char == "\ufffd" or unicodedata.category(char) in ("Cc", "Co", "Cs"):
            return f"maps to U+{ord(char):04X}"
    return None


def _shown(stream, resources):
    """(font dictionary, bytes shown) for every text string a content stream shows,
    and those of the form XObjects it draws, each with its own resources."""
    fonts = resources.get("/Font", pikepdf.Dictionary())
    font = None
    for operands, operator in pikepdf.parse_content_stream(stream):
        op = str(operator)
        if op == "Tf":
            font = fonts.get(str(operands[0]))
        elif op in ("Tj", "'", '"', "TJ") and font is not None:
            strings = operands[0] if op == "TJ" else operands[-1:]
            for item in strings:
                if isinstance(item, pikepdf.String):
                    yield font, bytes(item)
        elif op == "Do":
            form = resources.get("/XObject", {}).get(str(operands[0]))
            if form is not None and form.get("/Subtype") == "/Form":
                yield from _shown(form, form.get("/Resources", resources))


def _to_unicode(cmap) -> dict[int, str]:
    """A ToUnicode CMap's code -> text, from its bfchar and bfrange sections
    (ISO 32000-1 9.10.3)."""
    if cmap is None:
        return {}
    data = cmap.read_bytes()
    texts: dict[int, str] = {}

    def text(hexes: bytes) -> str:
        return bytes.fromhex(hexes.decode()).decode("utf-16-be", "replace")

    for section in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, target in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", section):
            texts[int(code, 16)] = text(target)
    for section in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, target in re.findall(
                rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])", section):
            low, high = int(low, 16), int(high, 16)
            if target.startswith(b"["):
                for offset, item in enumerate(re.findall(rb"<([0-9a-fA-F]*)>", target)):
                    texts[low + offset] = text(item)
            else:
                first = int(target[1:-1] or b"0", 16)
                width = max(len(target) - 2, 4)
                for offset in range(high - low + 1):
                    texts[low + offset] = text(b"%0*x" % (width, first + offset))
    return texts


def _sizes(path: Path, minimum: float) -> str:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    for number, page in enumerate(pdfium.PdfDocument(path), 1):
        text = page.get_textpage()
        for i in range(text.count_chars()):
            size = pdfium_c.FPDFText_GetFontSize(text, i)
            if size < minimum - 0.01 and not chr(pdfium_c.FPDFText_GetUnicode(text, i)).isspace():
                return f"page {number}: text at {size:.1f} pt, under {minimum:g} pt"
    return "ok"


def _weight(entry: dict, entries: list[dict]) -> str:
    budget = web.budget(entry)
    if budget is None:
        return "n/a"
    alone, whole = budget
    if entry["bytes"] > alone:
        return f"{entry['bytes']} bytes of HTML and CSS, over {alone}"
    if web.weight(entry, entries) > whole:
        return f"{web.weight(entry, entries)} bytes with its fonts, over {whole}"
    return "ok"


# ----------------------------------------------------------------- contrast

_PAIRS = (  # (text colour, background): the combinations the styles use
    ("--text", "--white"), ("--blue", "--white"), ("--dark-blue", "--white"),
    ("--grey", "--white"), ("--red", "--white"), ("--white", "--red"),
    ("--text", "--pale-yellow"), ("--text", "--highlight"), ("--blue", "--pale-yellow"),
    ("--text", "--yellow"),  # a focused link on the web pages
)


def contrast_problem(minimum: float = 4.5) -> str | None:
    """The first text/background pair of the screen palette under `minimum` (WCAG 2.2
    contrast ratio; 4.5:1 for normal text), or None."""
    palette = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})",
                              (STYLES / "leaflet.css").read_text()))
    for text, background in _PAIRS:
        ratio = contrast_ratio(palette[text], palette[background])
        if ratio < minimum:
            return f"{text} on {background} is {ratio:.2f}:1, under {minimum}:1"
    return None


def contrast_ratio(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _luminance(colour: str) -> float:
    """Relative luminance of an sRGB colour (WCAG 2.2 definition)."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
