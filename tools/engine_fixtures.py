#!/usr/bin/env python3
"""Make tests/data/engines-cjk-cff.pdf (`make engine-fixtures`): the known-bad case of
the five-engine drawing check (leaflet/checks/engines.py).

One A6 page made by WeasyPrint, as the pipeline made its Simplified Chinese PDFs: Chinese
set in a CID-keyed CFF font whose CIDs are not its glyph indices (a subset of Noto Sans CJK
SC keeps the full font's sparse CIDs), and a line of English in the pinned Noto Sans.
WeasyPrint writes glyph indices as the codes under Identity-H; ISO 32000-1 9.7.4.2 has a
CIDFontType0 select the glyph by CID through the CFF charset, so MuPDF and Ghostscript draw
the Chinese blank while pdfium, Poppler and pdf.js draw it. The English must be drawn by all.

The font is the pinned styles/fonts/NotoSansCJKsc-Regular-GB2312.otf by default; once that
is converted to outlines every engine draws, give the CFF original instead:
    tools/engine_fixtures.py --font /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
        --font-number 2          (Debian fonts-noto-cjk)
The script refuses a font that would not make the fixture bad.
"""
from __future__ import annotations

import argparse
import html
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "engines-cjk-cff.pdf"
FONT = ROOT / "styles" / "fonts" / "NotoSansCJKsc-Regular-GB2312.otf"
LATIN = ROOT / "styles" / "fonts" / "NotoSans-Regular.ttf"
# Red flags of the cauda equina warning, as translations/zh_Hans has them.
TITLE = "马尾综合征"
CHINESE = ("双腿新出现明显的疼痛、针刺感或麻木", "两侧大腿内侧之间或生殖器周围失去知觉或有针刺感",
           "肛门或臀部周围麻木", "难以开始排尿、停止排尿或控制尿流")
ENGLISH = "Every engine draws this line: it is set in Noto Sans (TrueType)."


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--font", type=Path, default=FONT)
    parser.add_argument("--font-number", type=int, default=0, help="face in a .ttc")
    parser.add_argument("--output", type=Path, default=FIXTURE)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        font = Path(tmp) / "cjk.otf"
        problem = subset(args.font, args.font_number, TITLE + "".join(CHINESE), font)
        if problem:
            print(f"{args.font}: error: {problem}: it cannot make the known-bad fixture "
                  "(see --help)", file=sys.stderr)
            return 1
        data = pdf(font)
    args.output.write_bytes(data)
    print(f"wrote {args.output} ({len(data) // 1024} KB)")
    return 0


def subset(source: Path, number: int, text: str, target: Path) -> str | None:
    """Subset the font to `text` into `target`, keeping its CFF CIDs; or why it is unfit."""
    from fontTools import subset as fts
    from fontTools.ttLib import TTFont

    font = TTFont(source, fontNumber=number, recalcTimestamp=False)
    if "CFF " not in font or not hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
        return "not a CID-keyed CFF font"
    options = fts.Options()
    options.layout_features = ["*"]
    subsetter = fts.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    names = font.getGlyphOrder()
    if all(name == ".notdef" or int(name[3:]) == gid for gid, name in enumerate(names)):
        return "its CIDs are its glyph indices"
    font.save(target)
    return None


def pdf(font: Path) -> bytes:
    import pikepdf
    import weasyprint

    lines = "".join(f"<li>{html.escape(line)}</li>" for line in CHINESE)
    page = f"""<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">
<title>CID-keyed CFF: blank in MuPDF and Ghostscript</title><style>
@font-face {{ font-family: CJK; src: url({font.as_uri()}); }}
@font-face {{ font-family: Latin; src: url({LATIN.as_uri()}); }}
@page {{ size: A6; margin: 10mm; }}
body {{ font: 12pt/1.5 CJK; }} h1 {{ font-size: 16pt; font-weight: normal; }} p {{ font-family: Latin; }}
</style></head><body><h1>{TITLE}</h1><ul>{lines}</ul><p lang="en">{html.escape(ENGLISH)}</p>
</body></html>"""
    data = weasyprint.HTML(string=page).write_pdf()
    with pikepdf.open(io.BytesIO(data)) as doc:  # the same bytes every time it is made
        for key in ("/CreationDate", "/ModDate", "/Producer"):
            if key in doc.docinfo:
                del doc.docinfo[key]
        out = io.BytesIO()
        doc.save(out, deterministic_id=True, compress_streams=True)
        return out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
