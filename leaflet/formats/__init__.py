"""Formats: one module per output format, each turning a leaflet or its HTML into the
bytes of a file: `pdf` (WeasyPrint) with its post-processing beside it (`glyphmap`: the
Unicode text of every glyph; `finish`: tags, imposition), `booklet`, `card`, `web`,
`braille`, `plaintext`; and `output`, which writes the files made into output/
atomically with output/manifest.json.

May import: `leaflet.errors`, `leaflet.inputs`, `leaflet.layout` (and one another).
"""
