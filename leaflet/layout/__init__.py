"""Layout: the editions and what sets each apart (`variants`), the fonts for every
script (`fonts`), and the HTML pages and outlines made from a leaflet (`page`).

May import: `leaflet.errors`, `leaflet.inputs` (and one another).
"""
