"""Finishing: impose finished pages onto sheets (pypdf), and make print files print-ready.

Public verbs: `card_sheet(card_pdf, frame_pdf)`, `booklet(a5_pdf, right_to_left)` and
`finished(pdf, tagged, pdfx)` (accessibility repairs, PDF/X output intent), each
returning the finished PDF's bytes.

The cutting sheet puts
COLUMNS x ROWS cards on A4 portrait: fronts on the sheet's first side, backs on its
second, each back placed so that after long-edge duplex printing (the sheet turns over
about its long, vertical edge, x -> width - x) it lies exactly behind its front. The
frame (cut marks outside the cards, and how to print and cut, in the margin) is a page
WeasyPrint drew from styles/sheet.html.j2 with the same layout.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject,
                           NameObject)

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
        form = _form(writer, card.pages[number])
        places = [(x * POINTS_PER_MM, (sheet_h - y - layout.card_mm[1]) * POINTS_PER_MM)
                  for x, y in layout.positions(side)]  # PDF measures up from the bottom
        _draw(writer, writer.pages[number], [(form, x, y) for x, y in places])
    return _bytes(writer)


# ------------------------------------------------------------------ booklets

A4_LANDSCAPE_MM = (297.0, 210.0)
A5_MM = (148.0, 210.0)


def booklet_order(pages: int, right_to_left: bool = False) -> list[tuple[tuple[int, int], ...]]:
    """Saddle-stitch imposition: for each sheet, (front left, front right) and (back left,
    back right) page numbers (1-based). Sheet 0 is the outermost. A right-to-left booklet
    opens from the other side, so each side is mirrored."""
    assert pages % 4 == 0, pages
    sheets = []
    for i in range(pages // 4):
        front = (pages - 2 * i, 2 * i + 1)
        back = (2 * i + 2, pages - 2 * i - 1)
        if right_to_left:
            front, back = front[::-1], back[::-1]
        sheets.append((front, back))
    return sheets


def booklet(a5_pdf: bytes, right_to_left: bool = False) -> bytes:
    """A4 landscape sheets, two A5 pages a side in saddle-stitch order: printed
    double-sided flipping on the short edge, then folded, the pages read in order. The A5
    pages may have bleed: each is clipped to its TrimBox, placed trim to trim."""
    reader = PdfReader(io.BytesIO(a5_pdf))
    writer = PdfWriter()
    writer.add_metadata(reader.metadata)
    forms = [_form(writer, page) for page in reader.pages]
    width, height = (v * POINTS_PER_MM for v in A4_LANDSCAPE_MM)
    left_x = width / 2 - A5_MM[0] * POINTS_PER_MM
    for front, back in booklet_order(len(forms), right_to_left):
        for left, right in (front, back):
            sheet = writer.add_blank_page(width, height)
            _draw(writer, sheet, [(forms[left - 1], left_x, 0), (forms[right - 1], width / 2, 0)])
    return _bytes(writer)


def _form(writer: PdfWriter, page) -> tuple:
    """The page as a Form XObject in `writer`, cut to its TrimBox (a form is clipped to
    its BBox, so bleed never spills onto the page beside it), and that box's corner.
    Made once per page and drawn as often as needed: nothing is parsed or rewritten."""
    trim = page.trimbox
    contents = page["/Contents"].get_object()
    streams = contents if isinstance(contents, list) else [contents]
    form = DecodedStreamObject()
    form.set_data(b"\n".join(s.get_object().get_data() for s in streams))
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (
            trim.left, trim.bottom, trim.right, trim.top)),
        NameObject("/Resources"): page["/Resources"].get_object().clone(writer),
    })
    return writer._add_object(form), float(trim.left), float(trim.bottom)


def _draw(writer: PdfWriter, sheet, placed) -> None:
    """Draw forms on a sheet: (form, x, y) puts the form's trim corner at (x, y) pt."""
    resources = sheet.setdefault(NameObject("/Resources"), DictionaryObject())
    xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject())
    drawing = []
    for (ref, left, bottom), x, y in placed:
        name = f"/Imposed{ref.idnum}"
        xobjects[NameObject(name)] = ref
        drawing.append(f"q 1 0 0 1 {x - left:.4f} {y - bottom:.4f} cm {name} Do Q")
    existing = sheet.get("/Contents")
    existing = [] if existing is None else (
        list(existing.get_object()) if isinstance(existing.get_object(), list) else [existing])
    if existing:
        # What is on the sheet already (the cutting sheet's frame, drawn by WeasyPrint)
        # leaves its coordinate system flipped top to bottom: it is saved and restored
        # around it (q ... Q, ISO 32000-1 8.4.2), or every card would be drawn upside
        # down and mirrored, and the rows out of line with the cut marks.
        drawing.insert(0, "Q")
        existing = [writer._add_object(_stream("q")), *existing]
    sheet[NameObject("/Contents")] = ArrayObject(
        [*existing, writer._add_object(_stream("\n".join(drawing)))])


def _stream(content: str) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(content.encode())
    return stream


def _bytes(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- print-ready

# PDF/X-1a:2003 (ISO 15930-4) needs an output intent; a characterisation registered with
# the ICC may be named instead of embedding its profile. FOGRA39 is ISO 12647-2 offset on
# coated paper, the default of European print shops. No profile is embedded: the freely
# licensed CMYK profiles available are not ones a print shop would expect.
OUTPUT_CONDITION = {
    "OutputConditionIdentifier": "FOGRA39",
    "OutputCondition": "Offset printing, according to ISO 12647-2:2004/Amd 1, "
                       "coated paper (paper type 1 or 2)",
    "RegistryName": "http://www.color.org",
    "Info": "Coated FOGRA39 (ISO 12647-2:2004)",
}


def _print_ready(pdf) -> None:
    """Give an open PDF (pikepdf) its PDF/X output intent."""
    import pikepdf

    intent = pikepdf.Dictionary(Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
                                **{k: pikepdf.String(v) for k, v in OUTPUT_CONDITION.items()})
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])


# ---------------------------------------------------------------- accessible

def finished(data: bytes, tagged: bool, pdfx: bool) -> bytes:
    """The PDF WeasyPrint wrote, repaired for accessibility when `tagged` and made
    print-ready (PDF/X output intent) when `pdfx`: opened and saved once (pikepdf)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        if tagged:
            _accessible(pdf)
        if pdfx:
            _print_ready(pdf)
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True)  # an ID from the content: unique, reproducible
        return buffer.getvalue()


def _accessible(pdf) -> None:
    """Repair what WeasyPrint 70's tagging leaves wrong in an open PDF (pikepdf), after
    leaflet/formats/pdf.py has marked page furniture as artifacts and given foreign-language
    elements /Lang:
    - link annotations get the Print flag (PDF/UA-1 7.18.1 via PDF/A rules: a visible
      annotation must print as it is shown);
    - an element that a page break split into fragments (WeasyPrint builds one tree per
      page) becomes one element again (PDF/UA-1 7.1: the logical structure);
    - a list item's bullet, drawn by `li::before` so that it is painted in reading order,
      comes out as a NonStruct inside LBody: it becomes the item's Lbl (ISO 32000-1
      14.8.4.3.3: LI holds Lbl then LBody).
    """
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is not None:
        _repair_elements(tree)
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") == "/Link":
                annot.F = int(annot.get("/F", 0)) | 4


def _repair_elements(tree) -> None:
    """One walk down the structure tree: merge sibling elements stamped with the same
    HTML element (the fragments of one element split by page breaks, or of an inline
    element split by line breaks), label list items, drop the stamps (leaflet/formats/pdf.py);
    then repoint the ParentTree at the merged elements."""
    import pikepdf

    from .pdf import SOURCE_KEY

    key = pikepdf.Name("/" + SOURCE_KEY)
    merged = {}  # objgen of a fragment removed -> the element it went into
    pending = [tree]
    while pending:
        parent = pending.pop()
        kids = parent.get("/K")
        if not isinstance(kids, pikepdf.Array):
            kids = pikepdf.Array([kids]) if kids is not None else pikepdf.Array()
        out = []
        for kid in kids:
            previous = out[-1] if out else None
            if (isinstance(kid, pikepdf.Dictionary) and isinstance(previous, pikepdf.Dictionary)
                    and kid.get(key) is not None and kid.get(key) == previous.get(key)
                    and kid.get("/Pg") is not None and previous.get("/Pg") is not None
                    # split by a page break, or an inline element split by a line break
                    # (not an item's bullet, a NonStruct beside its LBody)
                    and (kid.Pg.objgen != previous.Pg.objgen or kid.S == previous.S)):
                _absorb(previous, kid)
                merged[kid.objgen] = previous
                continue
            out.append(kid)
        if "/K" in parent:
            parent.K = pikepdf.Array(out)
        if parent.get("/S") == "/LI":  # its fragments are merged: its bullet is first
            _label_first(parent)
            out = list(parent.get("/K", []))  # the bullet, moved up from the LBody, is a kid now
        if key in parent:
            del parent[key]
        pending.extend(k for k in out if isinstance(k, pikepdf.Dictionary) and "/S" in k)
    _repoint_parent_tree(tree.get("/ParentTree"), merged)


def _absorb(first, second) -> None:
    """Move `second`'s content to the end of `first`; integer MCIDs, which belong to the
    element's own page, become marked-content references naming their page."""
    import pikepdf

    kids = first.K if isinstance(first.get("/K"), pikepdf.Array) else pikepdf.Array(
        [first.K] if first.get("/K") is not None else [])
    more = second.K if isinstance(second.get("/K"), pikepdf.Array) else pikepdf.Array(
        [second.K] if second.get("/K") is not None else [])
    for kid in more:
        if isinstance(kid, int):
            kid = pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=second.Pg, MCID=int(kid))
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            kid.P = first
        kids.append(kid)
    first.K = kids


def _repoint_parent_tree(node, merged: dict) -> None:
    import pikepdf

    if node is None or not merged:
        return
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(1, len(nums), 2):
            value = nums[i]
            if isinstance(value, pikepdf.Array):
                for j, element in enumerate(value):
                    if isinstance(element, pikepdf.Dictionary) and element.objgen in merged:
                        value[j] = merged[element.objgen]
            elif isinstance(value, pikepdf.Dictionary) and value.objgen in merged:
                nums[i] = merged[value.objgen]
    for kid in node.get("/Kids", []):
        _repoint_parent_tree(kid, merged)


def elements(node):
    """Every structure element under `node` (a /K value), in reading order, depth first."""
    import pikepdf

    for item in (node if isinstance(node, pikepdf.Array) else [node]):
        if isinstance(item, pikepdf.Dictionary) and "/S" in item:
            yield item
            if item.get("/K") is not None:
                yield from elements(item.K)


def _label_first(item) -> None:
    import pikepdf

    kids = list(item.K) if isinstance(item.K, pikepdf.Array) else [item.K]
    body = kids[0] if kids and isinstance(kids[0], pikepdf.Dictionary) else None
    if body is None or body.get("/S") != "/LBody" or not isinstance(body.get("/K"), pikepdf.Array):
        return
    first = body.K[0]
    if isinstance(first, pikepdf.Dictionary) and first.get("/S") == "/NonStruct":
        first.S = pikepdf.Name.Lbl
        first.P = item
        body.K = pikepdf.Array(list(body.K)[1:])
        item.K = pikepdf.Array([first, *kids])
