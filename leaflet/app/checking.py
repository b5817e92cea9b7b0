"""The checking routes: the upload form, the check of an upload (in a sandbox child,
holding a worker slot), its report and its draft web page."""
from __future__ import annotations

import flask

from . import sandbox, state, upload
from .edition import EDITION_POLICY, catalogs, leaflets, names, stamp
from ..build import freshness
from ..formats import web
from ..inputs import catalog, source
from ..layout import fonts
from ..errors import BuildError, WorkerFailed

blueprint = flask.Blueprint("checking", __name__)


@blueprint.get("/check")
def check_form():
    return flask.render_template("check.html.j2", languages=_languages(), problem="",
                                 shared=freshness.SHARED)


@blueprint.post("/check")
def check():
    st = state.current()
    with st.limiter.limit(f"{st.settings.checks_per_minute} per minute"):
        sent = flask.request.files.get("catalog")
        data = sent.read() if sent else b""
        name = _chosen(st.settings, flask.request.form.get("leaflet", ""))
        if not data or name is None:
            return flask.render_template(
                "check.html.j2", languages=_languages(), shared=freshness.SHARED,
                problem="Choose your .po file, then press Check." if name else
                "Choose the leaflet your file translates, then press Check."), 400
        with st.checks.taken(state.client(), "a check"):
            checked = sandbox.run(upload.check, (data, _texts(st, name)), state.CHECK)
        key = st.uploads.add(state.client(), state.Upload(
            data, checked, catalogs(st.settings)[name], name == freshness.SHARED))
        # To the report's own address: reloading it does not send the file again.
        return flask.redirect(flask.url_for("checking.report", key=key), 303)


@blueprint.get("/report/<key>")
def report(key):
    kept = state.current().uploads.get(state.client(), key)
    if kept is None:
        flask.abort(404, "There is no such check (it may have expired after an hour): "
                    "check the file again.")
    return report_page(key, kept)


@blueprint.get("/draft/<key>/<path:name>")
def draft_page(key, name):
    """The upload's draft web page (made when first asked for) and its fonts, at the
    paths the page has in output/, so its relative links work as they do there."""
    st = state.current()
    kept = st.uploads.get(state.client(), key)
    if kept is None or not kept.checked.language:
        flask.abort(404, "There is no such draft (it may have expired): check the file again.")
    if kept.web is None and not kept.web_failure:
        kept.web, kept.web_failure = _draft(st, kept)
    if kept.web_failure:
        return flask.render_template(
            "error.html.j2", code=422, title="The draft web page could not be made",
            message=kept.web_failure), 422
    if name == kept.web.path:
        response = flask.make_response(kept.web.html)
        response.mimetype = "text/html"
        response.headers["Content-Security-Policy"] = EDITION_POLICY
        return response
    if name in kept.web.fonts:
        return flask.send_from_directory(fonts.FONT_DIR, kept.web.fonts[name])
    flask.abort(404, "A draft web page links to nothing else.")


def _draft(st: state.State, kept: state.Upload) -> tuple[upload.WebDraft | None, str]:
    """The draft web page, or why it cannot be made: whatever the build refuses is said
    on the page (a draft page never answers 500)."""
    try:
        with st.checks.taken(state.client(), "a draft web page"):
            return sandbox.run(upload.web_page, (kept.data, kept.leaflet,
                                                 companion(st.settings, kept), kept.shared),
                               state.WEB_PAGE), ""
    except BuildError as exc:
        shown = "; ".join(p.message for p in exc.problems[:5])
        more = f" (and {len(exc.problems) - 5} more)" if len(exc.problems) > 5 else ""
        return None, (f"The build refuses this file: {shown}{more}. Fix it in your .po file "
                      "and check it again.")
    except WorkerFailed as exc:
        return None, f"The draft web page could not be made: {exc}."


def report_page(key: str, kept: state.Upload, problems: dict | None = None, name: str = "",
                email: str = ""):
    page = freshness.output_path(kept.leaflet, web.WEB, kept.checked.language) \
        if kept.checked.language else ""
    response = flask.make_response(flask.render_template(
        "report.html.j2", key=key, checked=kept.checked, page=page, submitted=kept.submitted,
        problems={"name": "", "email": "", **(problems or {})}, name=name, email=email))
    return response


def _chosen(settings: state.Settings, name: str) -> str | None:
    """The catalog a form names, from the library's (a leaflet's, or the shared one; the
    only leaflet's when there is one and none is named); None for any other name."""
    found = leaflets(settings)
    if not name and len(found) == 1:
        return next(iter(found))
    return name if name in catalogs(settings) else None


def catalog_name(kept: state.Upload) -> str:
    """The name of the upload's catalog: its leaflet's, or the shared one's."""
    return freshness.SHARED if kept.shared else kept.leaflet.stem


def companion(settings: state.Settings, kept: state.Upload) -> bytes:
    """The library's catalog of the other side of the upload's leaflet in its language
    (the shared one for a leaflet's, the leaflet's for the shared one): what a draft shows
    for the strings the upload does not translate; b"" when there is none."""
    name = kept.leaflet.stem if kept.shared else freshness.SHARED  # the other side
    try:
        return catalog.po_path(settings.translations, kept.checked.language, name).read_bytes()
    except OSError:
        return b""


def _languages() -> list[tuple[str, list[tuple[str, str]]]]:
    """Each catalog's name (each leaflet's, then the shared one) and (folder, name in
    English) of its languages, for the page's choice of catalog and download links."""
    settings = state.current().settings
    found = []
    for leaflet in catalogs(settings):
        folders = catalog.languages(settings.translations, leaflet)
        named = names(folders)
        found.append((leaflet, [(folder, named[folder]) for folder in folders]))
    return found


def _texts(st: state.State, name: str) -> dict:
    """The texts by key the catalog called `name` translates (a leaflet's own, or every
    shared passage's; loading the source takes longer than a check), kept while neither
    the leaflet nor the shared source changes."""
    path = catalogs(st.settings)[name]
    shared = sorted((path.parent / freshness.SHARED).glob("*.yaml"))
    key = (name, stamp([path, *shared]))
    if key not in st.texts:
        found = {t.key: t for t in (
            source.shared_texts(source.load_shared(path.parent / freshness.SHARED))
            if name == freshness.SHARED else catalog.own_texts(source.load(path)))}
        if len(st.texts) > 64:  # leaflets edited while serving: old versions go
            st.texts.clear()
        st.texts[key] = found
    return st.texts[key]
