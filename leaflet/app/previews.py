"""The preview routes: draft PDFs of an upload, made in a thread of their own (holding a
preview slot) while the page shows their progress."""
from __future__ import annotations

import threading
from pathlib import Path

import flask

from . import checking, sandbox, state, upload
from ..errors import BuildError, WorkerFailed

blueprint = flask.Blueprint("previews", __name__)
DOCUMENTS = {"leaflet": "leaflet", "card": "warning card"}


@blueprint.post("/preview")
def preview():
    st = state.current()
    with st.limiter.limit(f"{st.settings.previews_per_minute} per minute"):
        kept = kept_upload()
        if not kept.checked.language:
            flask.abort(400, "A preview needs the file's language: fix the Language header.")
        client = state.client()
        st.previews.enter(client, "a preview")  # or 503 at once
        try:
            job = state.Job(kept.checked.language, kept.checked.language_name,
                            flask.request.form.get("upload", ""))
            key = st.jobs.add(client, job)
            threading.Thread(target=_make_preview, args=(
                st.previews, client, job, kept.data, kept.leaflet,
                checking.companion(st.settings, kept), kept.shared), daemon=True).start()
        except BaseException:
            st.previews.leave(client)  # the thread that would have left never started
            raise
        return flask.redirect(flask.url_for("previews.preview_page", key=key), 303)


@blueprint.get("/preview/<key>")
def preview_page(key):
    return flask.render_template("preview.html.j2", key=key, job=_job(key),
                                 documents=DOCUMENTS)


@blueprint.get("/preview/<key>/progress")
def progress(key):
    job = _job(key)
    return flask.jsonify(state=job.state, steps=job.steps, failure=job.failure)


@blueprint.get("/preview/<key>/<document>.pdf")
def preview_pdf(key, document):
    job = _job(key)
    if document not in job.files:
        flask.abort(404)
    response = flask.make_response(job.files[document])
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'inline; filename="draft-{job.language}-{document}.pdf"')
    return response


def kept_upload() -> state.Upload:
    """The upload the form names, if this session sent it (410 otherwise)."""
    kept = state.current().uploads.get(state.client(), flask.request.form.get("upload", ""))
    if kept is None:
        flask.abort(410, "This upload has expired (after an hour, or when the server "
                    "restarted): check the file again.")
    return kept


def _job(key: str) -> state.Job:
    job = state.current().jobs.get(state.client(), key)
    if job is None:
        flask.abort(404, "There is no such preview (it may have expired): make it again "
                    "from the check's page.")
    return job


def _make_preview(slots: state.Slots, client: state.Client, job: state.Job, data: bytes,
                  source_path: Path, companion: bytes, shared: bool) -> None:
    job.steps.append("Waiting for a free worker")
    try:
        with slots.running("the preview"):
            job.state = "running"
            job.files = sandbox.run(upload.preview, (data, source_path, tuple(DOCUMENTS),
                                                     companion, shared),
                                    state.PREVIEW, job.steps.append)
            job.state = "done"
    except BuildError as exc:
        job.failure = "; ".join(p.message for p in exc.problems[:5])
        job.state = "failed"
    except (WorkerFailed, state.Busy) as exc:
        job.failure = f"the preview could not be made: {getattr(exc, 'description', exc)}"
        job.state = "failed"
    finally:
        slots.leave(client)
