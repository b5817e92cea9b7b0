"""Imposition: the card cutting sheet."""
from __future__ import annotations

from pypdf import PdfReader

from leaflet.formats import finish
from conftest import squeeze


def test_every_back_lies_exactly_behind_its_front_after_a_long_edge_flip():
    layout = finish.LAYOUT
    width = layout.sheet_mm[0]
    card_w, card_h = layout.card_mm
    for (fx, fy), (bx, by) in zip(layout.positions("front"), layout.positions("back")):
        # Turning the sheet over about its long (vertical) edge maps x to width - x.
        assert abs((width - bx - card_w) - fx) < 1e-9 and by == fy


def test_cards_fill_the_sheet_without_overlapping_and_leave_room_for_marks():
    layout = finish.LAYOUT
    positions = layout.positions("front")
    assert len(positions) == layout.count == 10
    card_w, card_h = layout.card_mm
    for i, (x1, y1) in enumerate(positions):
        assert x1 >= 6 and y1 >= 6 and x1 + card_w <= 204 and y1 + card_h <= 291
        for x2, y2 in positions[i + 1:]:
            assert abs(x1 - x2) >= card_w - 1e-9 or abs(y1 - y2) >= card_h - 1e-9


def test_sheet_has_ten_fronts_then_ten_backs_and_states_its_layout(built_all, leaflet):
    out, _, _ = built_all
    reader = PdfReader(out / "en-GB" / "cauda-equina-card-sheet.pdf")
    assert len(reader.pages) == 2
    front, back = (squeeze(p.extract_text()) for p in reader.pages)
    assert front.count(squeeze(leaflet.card.action.plain)) == 10
    assert back.count(squeeze(leaflet.red_flags.items[-1].plain)) == 10
    assert squeeze("10 cards (2 across, 5 down). Print double-sided, flip on long edge") in front


def test_every_card_on_the_sheet_stands_upright_in_its_place(built_all):
    """The front of each card has its red band at the top: seen on the rendered sheet, at
    the top of the card's place between the cut marks, not at the bottom (upside down)."""
    import pypdfium2 as pdfium

    out, _, _ = built_all
    scale = 4  # pixels a millimetre
    sheet = pdfium.PdfDocument(out / "en-GB" / "cauda-equina-card-sheet.pdf")
    image = sheet[0].render(scale=scale * 25.4 / 72).to_pil().convert("RGB")
    card_w, card_h = finish.LAYOUT.card_mm

    def red(x_mm, y_mm):
        r, g, b = image.getpixel((round(x_mm * scale), round(y_mm * scale)))
        return r > 180 and g < 90 and b < 80  # NHS emergency red, #d5281b

    for x, y in finish.LAYOUT.positions("front"):
        assert red(x + card_w / 2, y + 1), (x, y)  # the band, just below the top cut
        assert not red(x + card_w / 2, y + card_h - 1), (x, y)
