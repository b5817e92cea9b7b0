"""Inputs: readers of the YAML source (`source`) and its inline markup (`markup`), the
gettext catalogs (`catalog`) and the checks of a catalog (`pocheck`), and what the
languages are called and where their catalogs live (`languages`).

May import: `leaflet.errors` only (and one another).
"""
