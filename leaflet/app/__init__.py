"""The translators' and clinic's web application (`render.py serve`): `server` (the
Flask application and its routes), `upload` (the check and preview of an uploaded
catalog) and `sandbox` (the child processes those run in, with limits on time and
memory).

May import: everything before it in the flow, `leaflet.build` included; only
`leaflet.cli` may import it.
"""
