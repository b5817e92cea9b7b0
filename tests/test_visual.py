"""Visual regression: pages rasterised (pypdfium2) and compared with reference images.

References live in tests/references/ (low resolution, a representative set of pages).
After an intended change of the look, `make references` writes them again; review the
new PNGs before committing them. On a failure the difference image is written to
tests/visual-diff/ (not committed), beside the new rendering, for a reviewer to open.
"""
from __future__ import annotations

import os
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageStat

REFERENCES = Path(__file__).resolve().parent / "references"
DIFFS = Path(__file__).resolve().parent / "visual-diff"
SCALE = 40 / 72  # 40 dots per inch: enough to see layout, small enough to commit
UPDATE = os.environ.get("UPDATE_REFERENCES") == "1"
MEAN_TOLERANCE = 0.6  # mean absolute difference per channel, 0-255
CHANGED_TOLERANCE = 0.004  # share of pixels differing by more than 48

PAGES = [  # (language, variant file suffix, page number)
    *[(lang, "screen", 1) for lang in ("en-GB", "pl", "ro", "lt", "pt-PT", "ar", "ur", "bn",
                                       "zh-Hans")],
    ("en-GB", "screen", 3), ("ar", "screen", 3),
    *[(lang, "card-screen", page) for lang in ("en-GB", "ar", "bn", "zh-Hans") for page in (1, 2)],
    ("en-GB", "large-print", 1), ("en-GB", "booklet", 1), ("ar", "booklet", 1),
    ("en-GB", "card-sheet", 1), ("ur", "print-a5", 1),
]


def name(language, variant, page):
    return f"{language}-{variant}-{page}.png"


def compare(image: Image.Image, reference: Image.Image):
    """The difference image, its mean per channel (0-255), and the share of pixels that
    differ by more than 48 in some channel."""
    difference = ImageChops.difference(image, reference)
    mean = sum(ImageStat.Stat(difference).mean) / 3
    red, green, blue = difference.split()
    strongest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    histogram = strongest.histogram()
    changed = sum(histogram[49:]) / sum(histogram)
    return difference, mean, changed


def rasterise(path, page) -> Image.Image:
    return pdfium.PdfDocument(path)[page - 1].render(scale=SCALE).to_pil().convert("RGB")


@pytest.mark.parametrize("language, variant, page", PAGES,
                         ids=[name(*p)[:-4] for p in PAGES])
def test_page_looks_as_its_reference(built_all, language, variant, page):
    out, _, _ = built_all
    # A card is its red-flag list's, its file named by the list's id.
    owner = "cauda-equina" if variant.startswith("card") else "nerve-related-back-and-leg-pain"
    image = rasterise(out / language / f"{owner}-{variant}.pdf", page)
    reference_path = REFERENCES / name(language, variant, page)
    if UPDATE:
        REFERENCES.mkdir(exist_ok=True)
        image.save(reference_path, optimize=True)
        pytest.skip("reference written")
    assert reference_path.is_file(), f"no reference: run make references ({reference_path.name})"
    reference = Image.open(reference_path).convert("RGB")
    assert image.size == reference.size, f"page size changed: {reference.size} -> {image.size}"
    difference, mean, changed = compare(image, reference)
    if mean > MEAN_TOLERANCE or changed > CHANGED_TOLERANCE:
        DIFFS.mkdir(exist_ok=True)
        stem = name(language, variant, page)[:-4]
        image.save(DIFFS / f"{stem}-new.png")
        difference.point(lambda v: 255 - min(255, v * 4)).save(DIFFS / f"{stem}-diff.png")
        pytest.fail(f"{stem}: mean difference {mean:.2f}, {changed:.2%} of pixels changed; "
                    f"see tests/visual-diff/{stem}-diff.png (make references if intended)")


def test_the_comparison_catches_a_small_change():
    reference = Image.new("RGB", (330, 470), "white")
    ImageDraw.Draw(reference).text((20, 20), "Go to A&E immediately", fill="black")
    changed = reference.copy()
    ImageDraw.Draw(changed).rectangle((20, 60, 60, 80), fill="#d5281b")
    _, mean, share = compare(changed, reference)
    assert share > CHANGED_TOLERANCE
    _, mean, share = compare(reference.copy(), reference)
    assert mean == 0 and share == 0
