"""The translators' and clinic's web application: `render.py serve` (`make serve`).

The top floor: it calls the check, the build and the submissions store, and nothing
imports it. Flask routes and renders the pages (Jinja2 templates in styles/server/,
autoescaped, StrictUndefined), waitress serves them; Flask-WTF puts a CSRF token in
every form and refuses a POST without it; Flask-Limiter limits requests per client (429);
Flask refuses a request body over MAX_REQUEST before reading it (413). Every check and
preview of an upload runs in a sandbox child (leaflet/app/sandbox.py): time and memory
limits, a temporary folder of its own. An upload is kept in memory for an hour, under an
unguessable key, for the browser session that sent it only; nothing a translator sends
is used as a path, a URL or markup.
"""
from __future__ import annotations

import re
import secrets
import threading
import time
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import flask
import jinja2
from babel import Locale
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from . import sandbox, upload
from ..build import build, freshness, submissions
from ..formats import output, web
from ..inputs import catalog, pocheck, source
from ..layout import fonts
from ..errors import BuildError, WorkerFailed

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "styles" / "server"
MAX_REQUEST = pocheck.MAX_BYTES + 64 * 1024  # the catalog's limit, and the form around it
CHECK = sandbox.Limits(seconds=10, memory_mb=512)
PREVIEW = sandbox.Limits(seconds=60, memory_mb=1536)
WEB_PAGE = sandbox.Limits(seconds=20, memory_mb=768)
KEEP_SECONDS = 3600
# Children at once: two cores. A request waits for a free one (the load test's 20
# clients do), so the machine is never asked for more than it has.
CHECKS_AT_ONCE = threading.BoundedSemaphore(4)
PREVIEWS_AT_ONCE = threading.BoundedSemaphore(2)
DOCUMENTS = {"leaflet": "leaflet", "card": "warning card"}
# The web edition's pages carry their styles in the page; they run no script.
EDITION_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; "
                  "img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; "
                  "base-uri 'none'")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")


@dataclass(frozen=True)
class Settings:
    source: Path = ROOT / "source" / "nerve-related-back-and-leg-pain.yaml"
    translations: Path = ROOT / "translations"
    output: Path = ROOT / "output"
    submissions: Path = ROOT / "submissions"
    checks_per_minute: int = 30  # per client
    previews_per_minute: int = 6
    secure_cookies: bool = False  # True behind an HTTPS reverse proxy


@dataclass
class Job:
    """A preview being made: its steps so far, then its PDFs or why it failed."""

    language: str
    language_name: str
    upload: str  # the key of the upload it is made from
    steps: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    state: str = "waiting"  # waiting, running, done, failed
    failure: str = ""


class Recent:
    """Values kept for one browser session each, for a while, under unguessable keys:
    at most `size`, the oldest dropped first (memory stays bounded)."""

    def __init__(self, size: int, seconds: float = KEEP_SECONDS):
        self._items: OrderedDict[str, tuple[str, float, object]] = OrderedDict()
        self._size, self._seconds = size, seconds
        self._lock = threading.Lock()

    def add(self, client: str, value) -> str:
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._items[key] = (client, time.monotonic(), value)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return key

    def get(self, client: str, key: str):
        with self._lock:
            owner, when, value = self._items.get(key, ("", 0.0, None))
        if owner != client or time.monotonic() - when > self._seconds:
            return None
        return value


@dataclass
class Upload:
    data: bytes
    checked: upload.Checked
    submitted: str = ""  # the submission's name once submitted
    web: upload.WebDraft | None = None  # its draft web page, once asked for


def create(settings: Settings = Settings()) -> flask.Flask:
    """The application."""
    app = flask.Flask(__name__, template_folder=str(TEMPLATES),
                      static_folder=str(TEMPLATES / "static"), static_url_path="/static")
    app.jinja_options = {**app.jinja_options, "autoescape": True,
                         "undefined": jinja2.StrictUndefined}
    app.config.update(SECRET_KEY=secrets.token_bytes(32), MAX_CONTENT_LENGTH=MAX_REQUEST,
                      SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=settings.secure_cookies,
                      WTF_CSRF_TIME_LIMIT=KEEP_SECONDS, LEAFLET=settings)
    CSRFProtect(app)
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://",
                      default_limits=["600 per minute"], headers_enabled=True)
    uploads, jobs = Recent(64), Recent(32)
    statuses: dict = {}  # what make status says, by the inputs' sizes and times
    texts: dict = {}  # the source's texts by key, by the source's size and time

    @app.before_request
    def client():
        flask.session.setdefault("client", secrets.token_urlsafe(16))

    @app.after_request
    def headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html":
            response.headers.setdefault("Content-Security-Policy", (
                "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
                "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                "base-uri 'none'"))
        return response

    @app.get("/")
    def home():
        try:
            found, problem = _statuses(settings, statuses), ""
        except BuildError as exc:
            found, problem = [], f"The leaflet's source has errors ({exc.problems[0]}): " \
                                 "run make on the server to see them all."
        listed = {e.get("path") for e in output.read_manifest(settings.output)}
        return flask.render_template("home.html.j2", statuses=found, source_problem=problem,
                                     pages=_pages(settings.output),
                                     index=web.INDEX if web.INDEX in listed else "",
                                     language_names=_names(s.language for s in found))

    @app.get("/output/<path:name>")
    def edition(name):
        if name not in {e.get("path") for e in output.read_manifest(settings.output)}:
            flask.abort(404)
        response = flask.send_from_directory(settings.output, name)
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = EDITION_POLICY
        return response

    @app.get("/leaflet.pot")
    def template():
        return _catalog_file(settings.translations / f"{catalog.DOMAIN}.pot", "leaflet.pot")

    @app.get("/catalogs/<language>.po")
    def current(language):
        if language not in catalog.languages(settings.translations):
            flask.abort(404)
        return _catalog_file(catalog.po_path(settings.translations, language),
                             f"{language}.po")

    @app.get("/check")
    def check_form():
        return flask.render_template("check.html.j2", languages=_languages(settings),
                                     problem="")

    @app.post("/check")
    @limiter.limit(lambda: f"{settings.checks_per_minute} per minute")
    def check():
        sent = flask.request.files.get("catalog")
        data = sent.read() if sent else b""
        if not data:
            return flask.render_template("check.html.j2", languages=_languages(settings),
                                         problem="Choose your .po file, then press Check."), 400
        with CHECKS_AT_ONCE:
            checked = sandbox.run(upload.check, (data, _texts(settings.source, texts)), CHECK)
        key = uploads.add(flask.session["client"], Upload(data, checked))
        # To the report's own address: reloading it does not send the file again.
        return flask.redirect(flask.url_for("report", key=key), 303)

    @app.get("/report/<key>")
    def report(key):
        kept = uploads.get(flask.session["client"], key)
        if kept is None:
            flask.abort(404, "There is no such check (it may have expired after an hour): "
                        "check the file again.")
        return _report(key, kept)

    @app.get("/draft/<key>/<path:name>")
    def draft_page(key, name):
        """The upload's draft web page (made when first asked for) and its fonts, at the
        paths the page has in output/, so its relative links work as they do there."""
        kept = uploads.get(flask.session["client"], key)
        if kept is None or not kept.checked.language:
            flask.abort(404, "There is no such draft (it may have expired): check the file "
                        "again.")
        if kept.web is None:
            with CHECKS_AT_ONCE:
                kept.web = sandbox.run(upload.web_page, (kept.data, settings.source), WEB_PAGE)
        if name == kept.web.path:
            response = flask.make_response(kept.web.html)
            response.mimetype = "text/html"
            response.headers["Content-Security-Policy"] = EDITION_POLICY
            return response
        if name in kept.web.fonts:
            return flask.send_from_directory(fonts.FONT_DIR, kept.web.fonts[name])
        flask.abort(404, "A draft web page links to nothing else.")

    @app.post("/preview")
    @limiter.limit(lambda: f"{settings.previews_per_minute} per minute")
    def preview():
        kept = _upload(uploads)
        if not kept.checked.language:
            flask.abort(400, "A preview needs the file's language: fix the Language header.")
        job = Job(kept.checked.language, kept.checked.language_name,
                  flask.request.form.get("upload", ""))
        key = jobs.add(flask.session["client"], job)
        threading.Thread(target=_make_preview, args=(job, kept.data, settings.source),
                         daemon=True).start()
        return flask.redirect(flask.url_for("preview_page", key=key), 303)

    @app.get("/preview/<key>")
    def preview_page(key):
        return flask.render_template("preview.html.j2", key=key, job=_job(jobs, key),
                                     documents=DOCUMENTS)

    @app.get("/preview/<key>/progress")
    def progress(key):
        job = _job(jobs, key)
        return flask.jsonify(state=job.state, steps=job.steps, failure=job.failure)

    @app.get("/preview/<key>/<document>.pdf")
    def preview_pdf(key, document):
        job = _job(jobs, key)
        if document not in job.files:
            flask.abort(404)
        response = flask.make_response(job.files[document])
        response.mimetype = "application/pdf"
        response.headers["Content-Disposition"] = (
            f'inline; filename="draft-{job.language}-{document}.pdf"')
        return response

    @app.post("/submit")
    @limiter.limit("10 per minute")
    def submit():
        key = flask.request.form.get("upload", "")
        kept = _upload(uploads)
        name = " ".join(flask.request.form.get("name", "").split())
        email = flask.request.form.get("email", "").strip()
        problems = _sender_problems(name, email)
        if not kept.checked.submittable:
            flask.abort(400, "This file has errors: fix them and check it again first.")
        if problems:
            return _report(key, kept, problems, name, email), 400
        if not kept.submitted:
            stored = submissions.store(settings.submissions, kept.checked.language, kept.data,
                                       kept.checked.report, submissions.Sender(name, email))
            kept.submitted = f"{stored.parent.name}/{stored.name}"
        return flask.render_template("submitted.html.j2", checked=kept.checked,
                                     reference=kept.submitted, name=name)

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return _error(400, "The form has expired or did not come from this site",
                      "Go back, reload the page and send the form again.")

    @app.errorhandler(429)
    def too_many(error):
        return _error(429, "Too many requests", "This computer sent more requests than the "
                      f"server takes in a minute ({error.description}). Wait a minute, then "
                      "try again.")

    @app.errorhandler(413)
    def too_large(error):
        return _error(413, "The file is too large", "A catalog is at most 2 MB "
                      f"({pocheck.MAX_BYTES:,} bytes); this leaflet's is 40-70 KB. Send "
                      "the .po file alone, not an archive or a document.")

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

    return app


def _report(key: str, kept: Upload, problems: dict | None = None, name: str = "",
            email: str = ""):
    settings = flask.current_app.config["LEAFLET"]
    page = freshness.output_path(settings.source, web.WEB, kept.checked.language) \
        if kept.checked.language else ""
    return flask.render_template("report.html.j2", key=key, checked=kept.checked, page=page,
                                 submitted=kept.submitted,
                                 problems={"name": "", "email": "", **(problems or {})},
                                 name=name, email=email)


def _upload(uploads: Recent) -> Upload:
    kept = uploads.get(flask.session["client"], flask.request.form.get("upload", ""))
    if kept is None:
        flask.abort(410, "This upload has expired (after an hour, or when the server "
                    "restarted): check the file again.")
    return kept


def _job(jobs: Recent, key: str) -> Job:
    job = jobs.get(flask.session["client"], key)
    if job is None:
        flask.abort(404, "There is no such preview (it may have expired): make it again "
                    "from the check's page.")
    return job


def _make_preview(job: Job, data: bytes, source_path: Path) -> None:
    job.steps.append("Waiting for a free worker")
    with PREVIEWS_AT_ONCE:
        job.state = "running"
        try:
            job.files = sandbox.run(upload.preview, (data, source_path, tuple(DOCUMENTS)),
                                    PREVIEW, job.steps.append)
            job.state = "done"
        except BuildError as exc:
            job.failure = "; ".join(p.message for p in exc.problems[:5])
            job.state = "failed"
        except WorkerFailed as exc:
            job.failure = f"the preview could not be made: {exc}"
            job.state = "failed"


def _sender_problems(name: str, email: str) -> dict[str, str]:
    problems = {}
    if not name or len(name) > 120 or any(unicodedata.category(c).startswith("C")
                                          for c in name):
        problems["name"] = "Write your name (at most 120 characters)."
    if len(email) > 254 or not _EMAIL.match(email):
        problems["email"] = "Write your e-mail address, such as name@example.org."
    return problems


def _error(code: int, title: str, message: str):
    return flask.render_template("error.html.j2", code=code, title=title,
                                 message=message), code


def _catalog_file(path: Path, name: str):
    if not path.is_file():
        flask.abort(404)
    response = flask.make_response(path.read_bytes())
    response.mimetype = "text/x-gettext-translation"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _languages(settings: Settings) -> list[tuple[str, str]]:
    """(folder, name in English) of every catalog, for the page's download links."""
    folders = catalog.languages(settings.translations)
    names = _names(folders)
    return [(folder, names[folder]) for folder in folders]


def _names(languages) -> dict[str, str]:
    """Each language code's name in English (the code itself when Babel does not know it)."""
    names = {}
    for language in languages:
        try:
            names[language] = Locale.parse(language.replace("-", "_")).get_display_name("en")
        except (ValueError, TypeError, LookupError):
            names[language] = language
    return names


def _stamp(paths) -> tuple:
    """When and how large each file is: what a cache of what is read from them is keyed by."""
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else
                 (str(p),) for p in paths)


def _texts(path: Path, cache: dict) -> dict:
    """The source's texts by key (loading the source takes longer than a check)."""
    stamp = _stamp([path])
    if stamp not in cache:
        found = {t.key: t for t in source.texts(source.load(path))}
        cache.clear()
        cache[stamp] = found
    return cache[stamp]


def _statuses(settings: Settings, cache: dict) -> list[build.LanguageStatus]:
    """What `make status` says, computed again only when an input changed (checking
    every catalog takes a third of a second)."""
    files = [settings.source, settings.output / output.MANIFEST,
             *(catalog.po_path(settings.translations, f)
               for f in catalog.languages(settings.translations))]
    stamp = _stamp(files)
    if stamp not in cache:
        options = build.Options(source=settings.source, translations=settings.translations,
                                output=settings.output)
        found = build.languages(source.load(settings.source), options)[0]
        cache.clear()
        cache[stamp] = found
    return cache[stamp]


def _pages(root: Path) -> list[dict]:
    """Each language's web page in the manifest: its path, language and name in English
    (this page has no fonts of its own for every script; the index names each language
    in itself, with the web edition's fonts)."""
    found = [e for e in output.read_manifest(root)
             if (e.get("document"), e.get("variant"), e.get("format")) ==
             (web.WEB.document, web.WEB.name, "html")]
    names = _names(e["language"] for e in found)
    return [{"path": e["path"], "language": e["language"], "name": names[e["language"]],
             "draft": e.get("status") == "draft"}
            for e in sorted(found, key=lambda e: names[e["language"]])]


def serve(settings: Settings, host: str, port: int, trusted_proxy: str | None = None,
          threads: int = 8) -> None:
    """Serve the application until interrupted."""
    import waitress

    removed = submissions.clear_incoming(settings.submissions)
    if removed:
        print(f"render.py: removed {removed} half-written submission(s) a stopped server left")
    proxy = dict(trusted_proxy=trusted_proxy, trusted_proxy_count=1,
                 trusted_proxy_headers="x-forwarded-for x-forwarded-proto x-forwarded-host",
                 clear_untrusted_proxy_headers=True) if trusted_proxy else {}
    listening = waitress.create_server(create(settings), host=host, port=port, threads=threads,
                                       ident="leaflet", max_request_body_size=MAX_REQUEST * 2,
                                       **proxy)  # binds the port, or raises OSError
    sandbox.start()
    print(f"render.py: serving http://{host}:{port}/ (Ctrl+C stops)", flush=True)
    try:
        listening.run()
    finally:
        listening.close()
