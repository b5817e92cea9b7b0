"""The edition's routes: the home page (every language's status), the built files of
output/ (only those the manifest lists) and the catalogs translators start from."""
from __future__ import annotations

from pathlib import Path

import flask
from babel import Locale

from . import state
from ..build import build, freshness
from ..formats import output, web
from ..inputs import catalog
from ..errors import BuildError

blueprint = flask.Blueprint("edition", __name__)
# The web edition's pages carry their styles in the page; they run no script.
EDITION_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; "
                  "img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; "
                  "base-uri 'none'")


@blueprint.get("/")
def home():
    settings = state.current().settings
    try:
        found, problem = _statuses(settings, state.current()), ""
    except BuildError as exc:
        found, problem = [], f"The leaflet's source has errors ({exc.problems[0]}): " \
                             "run make on the server to see them all."
    listed = {e.get("path") for e in output.read_manifest(settings.output)}
    return flask.render_template("home.html.j2", statuses=found, source_problem=problem,
                                 several=len({s.leaflet for s in found}) > 1,
                                 pages=_pages(settings.output),
                                 index=web.INDEX if web.INDEX in listed else "",
                                 language_names=names(s.language for s in found))


@blueprint.get("/output/<path:name>")
def edition(name):
    settings = state.current().settings
    if name not in {e.get("path") for e in output.read_manifest(settings.output)}:
        flask.abort(404)
    response = flask.send_from_directory(settings.output, name)
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = EDITION_POLICY
    return response


@blueprint.get("/templates/<leaflet>.pot")
def template(leaflet):
    settings = state.current().settings
    if leaflet not in catalogs(settings):
        flask.abort(404)
    return _catalog_file(catalog.pot_path(settings.translations, leaflet), f"{leaflet}.pot")


@blueprint.get("/catalogs/<leaflet>/<language>.po")
def current(leaflet, language):
    settings = state.current().settings
    if leaflet not in catalogs(settings) or \
            language not in catalog.languages(settings.translations, leaflet):
        flask.abort(404)
    return _catalog_file(catalog.po_path(settings.translations, language, leaflet),
                         f"{leaflet}-{language}.po")


def catalogs(settings: state.Settings) -> dict[str, Path]:
    """The library's catalogs by name, each with the leaflet a draft of it is shown in:
    every leaflet's own, and the shared passages' (shown in the library's first leaflet)
    when there are shared passages."""
    found = leaflets(settings)
    if found and any((settings.source / freshness.SHARED).glob("*.yaml")):
        found[freshness.SHARED] = next(iter(found.values()))
    return found


def leaflets(settings: state.Settings) -> dict[str, Path]:
    """The library's leaflets by name."""
    try:
        return {p.stem: p for p in freshness.leaflets(settings.source)}
    except BuildError:
        return {}


def _catalog_file(path: Path, name: str):
    if not path.is_file():
        flask.abort(404)
    response = flask.make_response(path.read_bytes())
    response.mimetype = "text/x-gettext-translation"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def names(languages) -> dict[str, str]:
    """Each language code's name in English (the code itself when Babel does not know it)."""
    found = {}
    for language in languages:
        try:
            found[language] = Locale.parse(language.replace("-", "_")).get_display_name("en")
        except (ValueError, TypeError, LookupError):
            found[language] = language
    return found


def stamp(paths) -> tuple:
    """When and how large each file is: what a cache of what is read from them is keyed by."""
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else
                 (str(p),) for p in paths)


def _statuses(settings: state.Settings, st: state.State) -> list[build.LanguageStatus]:
    """What `make status` says, computed again only when an input changed (checking
    every catalog takes a third of a second), by one request at a time."""
    found = leaflets(settings)
    files = [*found.values(), *sorted((settings.source / freshness.SHARED).glob("*.yaml")),
             settings.output / output.MANIFEST,
             *(catalog.po_path(settings.translations, f, name)
               for name in [*found, freshness.SHARED]
               for f in catalog.languages(settings.translations, name))]
    key = stamp(files)
    with st.statuses_lock:
        if key not in st.statuses:
            options = build.Options(source=settings.source,
                                    translations=settings.translations, output=settings.output)
            found = [s for leaflet in build.library(options)
                     for s in build.languages(leaflet, options)[0]]
            st.statuses.clear()
            st.statuses[key] = found
        return st.statuses[key]


def _pages(root: Path) -> list[dict]:
    """Each language's web page in the manifest: its path, language and name in English
    (this page has no fonts of its own for every script; the index names each language
    in itself, with the web edition's fonts)."""
    found = [e for e in output.read_manifest(root)
             if (e.get("document"), e.get("variant"), e.get("format")) ==
             (web.WEB.document, web.WEB.name, "html")]
    named = names(e["language"] for e in found)
    return [{"path": e["path"], "language": e["language"], "name": named[e["language"]],
             "draft": e.get("status") == "draft"}
            for e in sorted(found, key=lambda e: named[e["language"]])]
