"""The translators' and clinic's web application (`render.py serve`): `server` (the
Flask application: headers, errors, serving), its routes as blueprints by what they
serve (`edition`, `checking`, `previews`, `submitting`), `state` (what it keeps between
requests, and the limits on it), `upload` (the check and preview of an uploaded
catalog) and `sandbox` (the child processes those run in, limited and isolated).

May import: everything before it in the flow, `leaflet.build` included; only
`leaflet.cli` may import it.
"""
