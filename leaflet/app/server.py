"""The translators' and clinic's web application: `render.py serve` (`make serve`).

The top floor: it calls the check, the build and the submissions store, and nothing
imports it. Flask routes and renders the pages (Jinja2 templates in styles/server/,
autoescaped, StrictUndefined), waitress serves them; Flask-WTF puts a CSRF token in
every form and refuses a POST without it; Flask-Limiter limits requests per client (429);
Flask refuses a request body over MAX_REQUEST before reading it (413). The routes are
blueprints by what they serve: `edition` (the home page and output/), `checking` (check,
report, draft web page), `previews` (draft PDFs) and `submitting`; what they keep between
requests, and its limits, is in `state`. Every check and preview of an upload runs in a
sandbox child (leaflet/app/sandbox.py: time, CPU, memory, file-size and process limits,
no network, an unprivileged user, a folder of its own), holding one of a few worker
slots; when those and their short queue are full the answer is 503 with Retry-After at
once. An upload is kept in memory for an hour, under an unguessable key, for the browser
session that sent it only; nothing a translator sends is used as a path, a URL or markup.
docs/security.md says what the page promises and how each promise is tested.
"""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit, urlunsplit

import flask
import jinja2
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from . import checking, edition, previews, sandbox, state, submitting
from .state import Settings  # noqa: F401 - the application's settings, named here
from ..build import submissions
from ..inputs import pocheck
from ..errors import WorkerFailed

TEMPLATES = state.ROOT / "styles" / "server"
MAX_REQUEST = pocheck.MAX_BYTES + 64 * 1024  # the catalog's limit, and the form around it
# Waitress's threads: the check slots and their queue (20) leave 12 for pages.
THREADS = 32
PAGE_POLICY = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
               "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
               "base-uri 'none'")
# Pages made from one upload: a shared cache or the browser's back-forward store may not
# keep them (RFC 9111 5.2.2.5).
PRIVATE = ("checking.report", "checking.draft_page", "previews.preview_page",
           "previews.progress", "previews.preview_pdf", "submitting.submit",
           "checking.check")


def create(settings: Settings = Settings()) -> flask.Flask:
    """The application."""
    app = flask.Flask(__name__, template_folder=str(TEMPLATES),
                      static_folder=str(TEMPLATES / "static"), static_url_path="/static")
    app.jinja_options = {**app.jinja_options, "autoescape": True,
                         "undefined": jinja2.StrictUndefined}
    app.config.update(SECRET_KEY=secrets.token_bytes(32), MAX_CONTENT_LENGTH=MAX_REQUEST,
                      SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=settings.secure_cookies,
                      WTF_CSRF_TIME_LIMIT=state.KEEP_SECONDS)
    CSRFProtect(app)
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://",
                      default_limits=["600 per minute"])  # its headers would overwrite
    # a 503's Retry-After with the rate limit's; a 429 says its own (the limits are a minute)
    app.extensions["leaflet"] = state.make(settings, limiter)
    for module in (edition, checking, previews, submitting):
        app.register_blueprint(module.blueprint)
    app.before_request(_session)
    app.after_request(_headers)
    _errors(app)
    return app


def _session() -> None:
    flask.session.setdefault("client", secrets.token_urlsafe(16))


def _headers(response: flask.Response) -> flask.Response:
    """What every response carries, whatever its type: no framing by another site
    (CSP frame-ancestors, and X-Frame-Options for older browsers), no type sniffing, no
    caching of pages made from an upload, and a Location that is a path only (never the
    Host the request named)."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    # Not a page: the framing rule alone (a PDF viewer may need more than `default-src
    # 'none'` allows; nosniff keeps the file from being read as a page).
    response.headers.setdefault("Content-Security-Policy", PAGE_POLICY
                                if response.mimetype == "text/html"
                                else "frame-ancestors 'none'")
    if flask.request.endpoint in PRIVATE or response.status_code >= 400:
        response.headers["Cache-Control"] = "no-store"
    if "Location" in response.headers:
        response.headers["Location"] = _relative(response.headers["Location"])
    return response


def _relative(location: str) -> str:
    """The path and query of a redirect's target (Werkzeug's own redirects, for a
    doubled slash, name the Host the request sent)."""
    parts = urlsplit(location)
    return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))


def _errors(app: flask.Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return _error(400, "The form has expired or did not come from this site",
                      "Go back, reload the page and send the form again.")

    @app.errorhandler(429)
    def too_many(error):
        page, code = _error(429, "Too many requests", "This computer sent more requests "
                            f"than the server takes in a minute ({error.description}). Wait "
                            "a minute, then try again.")
        return page, code, {"Retry-After": "60"}

    @app.errorhandler(413)
    def too_large(error):
        return _error(413, "The file is too large", "A catalog is at most 2 MB "
                      f"({pocheck.MAX_BYTES:,} bytes); this leaflet's is 40-70 KB. Send "
                      "the .po file alone, not an archive or a document.")

    @app.errorhandler(state.Busy)
    def busy(error):
        page, code = _error(503, "The server is busy", error.description)
        return page, code, {"Retry-After": str(error.retry_after)}

    @app.errorhandler(WorkerFailed)
    def worker_failed(error):
        return _error(422, "The check could not finish", f"The file was not checked: {error}."
                      " Try again in a minute; if it happens again, send the file to the "
                      "leaflet's maintainers by e-mail.")

    @app.errorhandler(HTTPException)
    def http_error(error):
        return _error(error.code or 500, error.name, error.description or "")

    @app.errorhandler(Exception)
    def unexpected(error):
        app.logger.exception("unexpected error")
        return _error(500, "Something went wrong on the server",
                      "Nothing you sent was stored. Try again; the server's log says what "
                      "went wrong.")


def _error(code: int, title: str, message: str):
    return flask.render_template("error.html.j2", code=code, title=title,
                                 message=message), code


def serve(settings: Settings, host: str, port: int, trusted_proxy: str | None = None,
          threads: int = THREADS) -> None:
    """Serve the application until interrupted."""
    import waitress

    removed = submissions.clear_incoming(settings.submissions)
    if removed:
        print(f"render.py: removed {removed} half-written submission(s) a stopped server left")
    proxy = dict(trusted_proxy=trusted_proxy, trusted_proxy_count=1,
                 trusted_proxy_headers="x-forwarded-for x-forwarded-proto x-forwarded-host",
                 clear_untrusted_proxy_headers=True) if trusted_proxy else {}
    app = create(settings)
    with app.test_request_context():
        edition.home()  # the statuses computed once now, not by the first visitors
    listening = waitress.create_server(app, host=host, port=port, threads=threads,
                                       ident="leaflet", max_request_body_size=MAX_REQUEST * 2,
                                       **proxy)  # binds the port, or raises OSError
    sandbox.start()
    print(f"render.py: serving http://{host}:{port}/ (Ctrl+C stops); sandbox: "
          f"{sandbox.isolation()}", flush=True)
    try:
        listening.run()
    finally:
        listening.close()
