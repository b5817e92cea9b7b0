"""The submitting route: a checked upload without errors, with its sender's name and
address, stored once as a submission for the maintainers (leaflet/build/submissions.py)."""
from __future__ import annotations

import flask

from . import state
from .checking import catalog_name, report_page
from .previews import kept_upload
from ..build import submissions

blueprint = flask.Blueprint("submitting", __name__)


@blueprint.post("/submit")
def submit():
    st = state.current()
    with st.limiter.limit("10 per minute"):
        key = flask.request.form.get("upload", "")
        kept = kept_upload()
        name = " ".join(flask.request.form.get("name", "").split())
        email = flask.request.form.get("email", "").strip()
        problems = submissions.sender_problems(name, email)
        if not kept.checked.submittable:
            flask.abort(400, "This file has errors: fix them and check it again first.")
        if problems:
            return report_page(key, kept, problems, name, email), 400
        with kept.lock:  # five submits of one upload at once make one submission
            if not kept.submitted:
                stored = submissions.store(st.settings.submissions, kept.checked.language,
                                           kept.data, kept.checked.report,
                                           submissions.Sender(name, email),
                                           leaflet=catalog_name(kept))
                kept.submitted = f"{stored.parent.name}/{stored.name}"
        return flask.render_template("submitted.html.j2", checked=kept.checked,
                                     reference=kept.submitted, name=name)
