"""Inputs: readers of the YAML source (`source`) and its inline markup (`markup`), the
gettext catalogs (`catalog`) and the checks of a catalog (`pocheck`), and what the
languages are called and where their catalogs live (`languages`); the translation memory
`update-po` fills new strings from (`memory`), and the source's edits since the catalogs
were updated, a catalog read as `update-po` would leave it (`changes`).

May import: `leaflet.errors` only (and one another).
"""
