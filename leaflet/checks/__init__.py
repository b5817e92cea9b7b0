"""Checks of the files made: `verify` (one PDF against what it must be), `engines` (the
drawing and text check in five PDF engines, with `pdfjs.mjs` for pdf.js under Node) and
`audit` (every file in output/, what `render.py check` runs).

May import: `leaflet.errors`, `leaflet.inputs`, `leaflet.layout`, `leaflet.formats` (and
one another).
"""
