"""Finishing: impose finished pages onto sheets with pypdf.

Public verb: `card_sheet(card_pdf, frame_pdf) -> bytes`. The cutting sheet puts
COLUMNS x ROWS cards on A4 portrait: fronts on the sheet's first side, backs on its
second, each back placed so that after long-edge duplex printing (the sheet turns over
about its long, vertical edge, x -> width - x) it lies exactly behind its front. The
frame (cut marks outside the cards, and how to print and cut, in the margin) is a page
WeasyPrint drew from styles/sheet.html.j2 with the same layout.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter, Transformation

POINTS_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class SheetLayout:
    sheet_mm: tuple[float, float] = (210.0, 297.0)  # A4 portrait
    card_mm: tuple[float, float] = (85.6, 54.0)  # ID-1
    columns: int = 2
    rows: int = 5
    top_mm: float = 18.0  # room for the instructions above the cards

    @property
    def left_mm(self) -> float:
        return (self.sheet_mm[0] - self.columns * self.card_mm[0]) / 2

    @property
    def count(self) -> int:
        return self.columns * self.rows

    def positions(self, side: str) -> list[tuple[float, float]]:
        """Top-left corner (mm from the sheet's top-left) of each card, in card order.

        On the back the columns are mirrored: a long-edge flip maps x to width - x.
        """
        width, (card_w, card_h) = self.sheet_mm[0], self.card_mm
        out = []
        for row in range(self.rows):
            for column in range(self.columns):
                x = self.left_mm + column * card_w
                if side == "back":
                    x = width - x - card_w
                out.append((x, self.top_mm + row * card_h))
        return out

    def cuts(self) -> tuple[list[float], list[float]]:
        """The x of every vertical cut and the y of every horizontal cut (mm)."""
        xs = [self.left_mm + c * self.card_mm[0] for c in range(self.columns + 1)]
        ys = [self.top_mm + r * self.card_mm[1] for r in range(self.rows + 1)]
        return xs, ys


LAYOUT = SheetLayout()


def card_sheet(card_pdf: bytes, frame_pdf: bytes, layout: SheetLayout = LAYOUT) -> bytes:
    """Two A4 pages: every card's front on the first, its back behind it on the second."""
    card = PdfReader(io.BytesIO(card_pdf))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(frame_pdf)))
    sheet_h = layout.sheet_mm[1]
    for number, side in enumerate(("front", "back")):
        target = writer.pages[number]
        for x, y in layout.positions(side):
            bottom = sheet_h - y - layout.card_mm[1]  # PDF measures up from the bottom
            target.merge_transformed_page(
                card.pages[number],
                Transformation().translate(x * POINTS_PER_MM, bottom * POINTS_PER_MM))
    writer.compress_identical_objects()
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
