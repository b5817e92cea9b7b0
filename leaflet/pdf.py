"""HTML to PDF with WeasyPrint, strictly.

Public verbs: `render(html, where, **options) -> bytes` and `layout(html, where)`
(pages without writing a PDF). Strict by default:
- a warning or error that WeasyPrint logs fails the build (a missing `lang`, an
  unknown CSS property, a font that did not load);
- resources come only from styles/ (fonts, stylesheets): any other file, a symlink
  leading out of it, and the network are refused and fail the build, naming the URL.
  WeasyPrint's default fetcher would embed any local file in the PDF.
"""
from __future__ import annotations

import logging
import mimetypes
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import BuildError, Location, Problem
from .page import STYLES


def render(html: str, where: Location, **options) -> bytes:
    """The PDF of `html`; `options` go to WeasyPrint's write_pdf (pdf_variant, ...)."""
    document = layout(html, where, **options)
    with _strict(where):
        return document.write_pdf(**options)


def layout(html: str, where: Location, **options):
    """The laid-out WeasyPrint Document (pages, no PDF written yet)."""
    import weasyprint  # imported here: a build with nothing to render never pays for it

    with _strict(where):
        fetcher = _asset_fetcher()
        return weasyprint.HTML(string=html, base_url=str(STYLES) + "/",
                               url_fetcher=fetcher).render(font_config=_font_config(),
                                                           **_render_options(options))


def _render_options(options: dict) -> dict:
    return {k: v for k, v in options.items() if k in ("pdf_variant", "pdf_tags",
                                                      "color_profiles")}


@lru_cache(maxsize=1)
def _font_config():
    # One FontConfiguration per process: faster, and memory stays flat over many renders.
    from weasyprint.text.fonts import FontConfiguration
    return FontConfiguration()


@lru_cache(maxsize=1)
def _asset_fetcher():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    root = STYLES.resolve()

    class AssetFetcher(URLFetcher):
        """Serves files under styles/ and refuses everything else (fatal, not skipped)."""

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
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
