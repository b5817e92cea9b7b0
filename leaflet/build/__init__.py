"""The build: `build` (gather, render, verify, then write every output), `freshness`
(what an output depends on, as content hashes: whether it is up to date), `control`
(document control: review dates, withdrawal, approval, a new version for new text) and
`submissions` (catalogs sent by translators, accepted into translations/ or rejected;
used by the command line and the web application alike).

May import: everything before it in the flow: `leaflet.errors`, `leaflet.inputs`,
`leaflet.layout`, `leaflet.formats`, `leaflet.checks` (and one another).
"""
