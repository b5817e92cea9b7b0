"""The library's status as a grid, leaflets by languages: what `render.py status` prints
after the lines of each leaflet, so that the state of a library of leaflets is read at a
glance (which leaflet is released in which language, and what holds the others back)."""
from __future__ import annotations

from .release import LanguageStatus

LEGEND = ("R released, K last release kept, - not released, D draft; the share of "
          "strings translated; then f fuzzy, e errors when there are any; * reviewed")


def cell(status: LanguageStatus) -> str:
    """One language of one leaflet in a few characters: `R 100%`, `K 97% 3f`, `- 12% 1e`."""
    r = status.report
    if r is None:
        return "source"
    mark = {"released": "R", "draft": "D"}.get(status.status, "K" if status.kept else "-")
    text = f"{mark} {100 * r.translated // max(r.total, 1)}%"
    text += "".join(f" {n}{what}" for n, what in ((r.fuzzy, "f"), (r.errors, "e")) if n)
    return text + ("*" if r.reviewed else "")


def grid(statuses: list[LanguageStatus]) -> str:
    """Leaflets down, languages across (in the order first met), cells as `cell` says,
    then the legend."""
    languages = list(dict.fromkeys(s.language for s in statuses))
    leaflets = list(dict.fromkeys(s.leaflet for s in statuses))
    cells = {(s.leaflet, s.language): cell(s) for s in statuses}
    rows = [["leaflet", *languages]]
    rows += [[name, *(cells.get((name, lang), "") for lang in languages)] for name in leaflets]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(text.ljust(width) for text, width in zip(row, widths)).rstrip()
             for row in rows]
    return "\n".join([*lines, LEGEND])
