"""Inputs: readers of the YAML source (`source`) and its inline markup (`markup`), the
gettext catalogs (`catalog`) and the checks of a catalog (`pocheck`).

May import: `leaflet.errors` only (and one another).
"""
