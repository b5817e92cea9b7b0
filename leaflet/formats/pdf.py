"""HTML to PDF with WeasyPrint, strictly.

Public verbs: `render(html, where, **options) -> bytes`, and `layout(html, where)`
(pages without writing a PDF) with `write(document, where)` to write one after all. Strict by default:
- a warning or error that WeasyPrint logs fails the build (a missing `lang`, an
  unknown CSS property, a font that did not load);
- resources come only from styles/ (fonts, stylesheets) and SVG data URIs (the QR
  codes): any other file, a symlink leading out of styles/, and the network are refused
  and fail the build, naming the URL.
  WeasyPrint's default fetcher would embed any local file in the PDF.
"""
from __future__ import annotations

import atexit
import base64
import logging
import mimetypes
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import glyphmap
from ..errors import BuildError, Location, Problem
from ..layout.page import STYLES, Html


def render(html: Html | str, where: Location, **options) -> bytes:
    """The PDF of `html`; `options` go to WeasyPrint's write_pdf (pdf_variant, ...)."""
    return write(layout(html, where, **options), where, **options)


def write(document, where: Location, **options) -> bytes:
    """The PDF of a document already laid out by `layout` with the same options."""
    with _strict(where):
        return document.write_pdf(**options)


def layout(html: Html | str, where: Location, **options):
    """The laid-out WeasyPrint Document (pages, no PDF written yet). `html` is a page
    from leaflet/layout/page.py, or bare HTML (whose <link>s WeasyPrint fetches itself, through
    the same fetcher)."""
    import weasyprint  # imported here: a build with nothing to render never pays for it

    _add_actual_text()
    glyphmap.install()
    if isinstance(html, str):
        html = Html(html, ())
    with _strict(where):
        sheets = [_stylesheet(name) for name in html.stylesheets]
        return weasyprint.HTML(string=html.text, base_url=str(STYLES) + "/",
                               url_fetcher=_asset_fetcher()).render(
            font_config=_font_config(), stylesheets=sheets, cache=_image_cache(),
            **_render_options(options))


_SVG_DATA = "data:image/svg+xml;base64,"


def _render_options(options: dict) -> dict:
    return {k: v for k, v in options.items() if k in ("pdf_variant", "pdf_tags",
                                                      "color_profiles")}


@lru_cache(maxsize=1)
def _add_actual_text() -> None:
    """Give each left-to-right text run its text as /ActualText (ISO 32000-1 14.9.4).

    Every glyph has its own Unicode text too (leaflet/formats/glyphmap.py), which pdf.js and
    MuPDF read; Poppler and pdfium read ActualText, the exact string of the run, even
    where a Bengali line's glyphs come in another order than its characters. WeasyPrint's
    tagged output already wraps every text run in a marked-content sequence with an
    MCID; this adds the run's own text to that property list.

    Right-to-left runs get no ActualText: their glyphs' own texts serve. ActualText
    has to be the span's text in reading order (14.9.4; screen readers read it), but
    both extractors rebuild reading order from a line's left-to-right glyph order, and
    they read ActualText inside such a line differently (measured on this leaflet with
    pdftotext 22.12 and pypdfium2's pdfium). pdftotext (which honours it on /Span only,
    the tag WeasyPrint gives text runs) takes a span's characters as left-to-right and
    so reverses any span of more than one right-to-left character. pdfium takes them in
    reading order, except that a right-to-left word whose leftmost glyph is in a span
    comes back in left-to-right order. So ActualText on a whole run, a word or a
    cluster of base and diacritics makes Arabic worse in one extractor or the other.
    Only one-character spans in the middle of a word read right in both, and those
    cannot fix the rest: diacritics drawn with a text rise end up on another line,
    mirrored brackets and number ranges next to left-to-right text are misplaced, and
    Nastaliq's glyphs sit at many heights.
    """
    import pydyf
    import weasyprint
    from weasyprint.formatting_structure.boxes import TextBox
    from weasyprint.pdf.stream import Stream

    assert weasyprint.__version__ == "70.0", "re-check _add_actual_text for this WeasyPrint"

    def actual_text(box) -> dict:
        if isinstance(box, TextBox) and box.style["direction"] == "ltr":
            return {"ActualText": pydyf.String(box.text.translate(glyphmap.LINE_BREAK_CONTROLS))}
        return {}

    @contextmanager
    def marked(self, box, tag):  # WeasyPrint 70's Stream.marked, plus ActualText
        if self._tags is None:
            sequences = []
        elif box.element is None:
            # Text of a page-margin box (running footer, page number, draft stamp): page
            # furniture, an /Artifact of type /Pagination (PDF/UA-1, ISO 14289-1 7.8; ISO
            # 32000-1 14.8.2.2). WeasyPrint 70 marks it as content that no structure
            # element reaches; _stamp_elements leaves margin boxes out of the tree. A Span
            # inside carries its text, so that it still reads right when copied.
            text = actual_text(box)
            sequences = [("Artifact", {"Type": "/Pagination"})] + ([("Span", text)] if text else [])
        else:
            mcid = len(self._tags)
            self._tags[box] = {"tag": tag, "mcid": mcid}
            sequences = [(tag, {"MCID": mcid, **actual_text(box)})]
        for name, properties in sequences:
            pydyf.Stream.begin_marked_content(self, name, pydyf.Dictionary(properties))
        try:
            yield
        finally:
            for _ in sequences:
                pydyf.Stream.end_marked_content(self)

    Stream.marked = marked
    _stamp_elements()


SOURCE_KEY = "LeafletSource"  # private, removed by finish.finished


def _stamp_elements() -> None:
    """Build WeasyPrint 70's structure elements with what it leaves out:
    - each element is stamped with the HTML element it was made from: WeasyPrint builds
      one structure tree per page, so a list or paragraph split by a page break becomes
      two elements (PDF/UA wants one); the stamp lets finish.finished merge them;
    - an element whose HTML `lang` differs from the document's gets that /Lang (PDF/UA-1
      7.2: the English notice in a translation, strings a draft leaves in English);
    - margin boxes make no elements: their text is an artifact (see _add_actual_text).
    The recursion of _build_box_tree goes through this module global.
    """
    import pydyf
    from weasyprint.formatting_structure.boxes import MarginBox, PageBox
    from weasyprint.pdf import tags

    original = tags._build_box_tree
    numbers: dict[int, int] = {}  # id(HTML element) -> its number in this document
    document: dict[str, str] = {}  # "lang" -> the html element's lang

    def build_box_tree(box, parent, pdf, page_number, nums, annotations, stream_tags):
        if isinstance(box, MarginBox):
            return
        if page_number == 0 and isinstance(box, PageBox):
            numbers.clear()  # a new document: numbers in tree order, so builds repeat
        if box.element_tag == "html":
            document["lang"] = box.element.get("lang")
        lang = box.element.get("lang") if box.element is not None else None
        for element in original(box, parent, pdf, page_number, nums, annotations,
                                stream_tags):
            if box.element is not None and SOURCE_KEY not in element:
                element[SOURCE_KEY] = numbers.setdefault(id(box.element), len(numbers))
                if lang and lang != document.get("lang"):
                    element["Lang"] = pydyf.String(lang)
            yield element

    tags._build_box_tree = build_box_tree


def warm_up() -> None:
    """Import WeasyPrint now (before worker processes fork, so they share the import)."""
    import weasyprint  # noqa: F401

    _add_actual_text()
    glyphmap.install()


@lru_cache(maxsize=1)
def _font_config():
    # One FontConfiguration per process: faster, and memory stays flat over many renders.
    from weasyprint.text.fonts import FontConfiguration

    # Deleted while Python can still remove its temporary font folder (it cannot once
    # the interpreter is shutting down).
    atexit.register(_font_config.cache_clear)
    atexit.register(_stylesheet.cache_clear)
    return FontConfiguration()


@lru_cache(maxsize=None)
def _stylesheet(name: str):
    """A stylesheet of styles/, parsed once per process (with its @font-face rules added
    to the process's one FontConfiguration). WeasyPrint takes it as a user stylesheet,
    so a rule in a template's own <style> (an author rule) wins over any rule here, at
    any specificity (CSS Cascade 4, 6.2); those rules only set what the sheets leave
    open (sizes chosen by a fit, bleed, page furniture), and the PDFs were byte for byte
    those made when the sheets were linked from the HTML."""
    from weasyprint import CSS

    return CSS(url=(STYLES / name).as_uri(), url_fetcher=_asset_fetcher(),
               font_config=_font_config())


@lru_cache(maxsize=1)
def _image_cache() -> dict:
    # Decoded images (the QR codes) by address, kept across the documents of a process:
    # a language's editions print the same codes.
    return {}


@lru_cache(maxsize=1)
def _asset_fetcher():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    root = STYLES.resolve()

    class AssetFetcher(URLFetcher):
        """Serves files under styles/ and refuses everything else (fatal, not skipped)."""

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if url.startswith(_SVG_DATA):  # QR codes the pipeline made itself
                return URLFetcherResponse(url, base64.b64decode(url[len(_SVG_DATA):]),
                                          {"Content-Type": "image/svg+xml"})
            if parts.scheme != "file":
                raise FatalURLFetchingError(f"refused {url}: only the project's own files "
                                            "in styles/ may be used")
            path = Path(unquote(parts.path)).resolve()  # resolves symlinks too
            if not path.is_relative_to(root) or not path.is_file():
                raise FatalURLFetchingError(f"refused {url}: not a file in styles/")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    return AssetFetcher(allowed_protocols=("file",), fail_on_errors=True)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@contextmanager
def _strict(where: Location):
    """Turn what WeasyPrint logs at WARNING or above, and fatal fetches, into a BuildError."""
    from weasyprint import LOGGER
    from weasyprint.urls import FatalURLFetchingError

    handler = _Collect()
    LOGGER.addHandler(handler)
    try:
        yield
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise BuildError([Problem(where, f"WeasyPrint: {cause}")]) from None
    finally:
        LOGGER.removeHandler(handler)
    if handler.messages:
        raise BuildError([Problem(where, f"WeasyPrint: {m}") for m in handler.messages])
