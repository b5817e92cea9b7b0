"""Shared fixtures: the project's paths and one build of the English leaflet per session."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from leaflet.build import build
from leaflet.inputs import source

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SOURCE = ROOT / "source" / "nerve-related-back-and-leg-pain.yaml"
NAME = SOURCE.stem  # the service's leaflet: its catalogs are translations/*/LC_MESSAGES/NAME.po


def beside_shared(folder: Path) -> Path:
    """`folder` with a copy of the shared source in it, as source/ has: a leaflet written
    there takes the real leaflet's shared passages."""
    import shutil

    shutil.copytree(SOURCE.parent / "shared", folder / "shared", dirs_exist_ok=True)
    return folder


LIBRARY = DATA / "library"  # the test fixture leaflets (never published)


def library(folder: Path) -> Path:
    """A source/ folder in `folder`: the real leaflet, the shared source and the two
    fixture leaflets, which take the real leaflet's shared passages; its path."""
    import shutil

    target = folder / "source"
    shutil.copytree(SOURCE.parent, target, dirs_exist_ok=True)
    for path in LIBRARY.glob("*.yaml"):
        shutil.copy(path, target / path.name)
    return target


@pytest.fixture(scope="session")
def leaflet():
    return source.load(SOURCE)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """output/ of a build of the English leaflet, and its manifest entries."""
    out = tmp_path_factory.mktemp("output")
    entries = build.build(build.Options(source=SOURCE, translations=ROOT / "translations",
                                        output=out, languages=("en-GB",)))
    return out, entries


@pytest.fixture(scope="session")
def built_all(tmp_path_factory):
    """output/ of a build of every language, the manifest entries and the status lines."""
    out = tmp_path_factory.mktemp("output-all")
    said = []
    entries = build.build(build.Options(source=SOURCE, translations=ROOT / "translations",
                                        output=out), say=said.append)
    return out, entries, said


def polish_with(tmp_path: Path, change) -> Path:
    """A translations/ folder holding only the shipped Polish catalogs (the leaflet's and
    the shared one) after `change(po)` has altered them, given as one polib catalog: each
    entry goes back to the file it came from (a new one to the leaflet's); the folder."""
    import polib

    from leaflet.inputs import catalog

    root = tmp_path / "translations"
    names = (NAME, catalog.SHARED)
    shipped = {name: polib.pofile(str(catalog.po_path(ROOT / "translations", "pl", name)))
               for name in names}
    po = polib.POFile()
    po.header, po.metadata = shipped[NAME].header, dict(shipped[NAME].metadata)
    po.extend(e for name in reversed(names) for e in shipped[name])  # the leaflet's last
    shared = {id(e) for e in shipped[catalog.SHARED]}
    change(po)
    for name in names:
        out = polib.POFile()
        out.header, out.metadata = shipped[name].header, dict(shipped[name].metadata)
        if name == NAME:  # a change of the header is the leaflet catalog's
            out.header, out.metadata = po.header, dict(po.metadata)
        out.extend(e for e in po if (id(e) in shared) == (name == catalog.SHARED))
        target = catalog.po_path(root, "pl", name)
        target.parent.mkdir(parents=True, exist_ok=True)
        out.save(str(target))
    return root


def shipped_catalogs(language: str) -> list:
    """(path, texts by key) of each shipped catalog of `language`: the real leaflet's own
    strings and the shared passages'."""
    from leaflet.inputs import catalog

    shared = source.shared_texts(source.load_shared(SOURCE.parent / "shared"))
    return [(catalog.po_path(ROOT / "translations", language, name), {t.key: t for t in texts})
            for name, texts in ((NAME, catalog.own_texts(source.load(SOURCE))),
                                (catalog.SHARED, shared))]


def msgstr(po, key: str, value: str) -> None:
    """Set the translation of the entry whose msgctxt is `key`."""
    [entry] = [e for e in po if e.msgctxt == key]
    entry.msgstr = value


def pdf_text(path: Path) -> str:
    """The PDF's text in reading order (pdfium), page furniture removed."""
    import pypdfium2 as pdfium

    pages = []
    for page in pdfium.PdfDocument(path):
        # pdfium reports a hyphen that ends a line as U+FFFE
        text = page.get_textpage().get_text_range().replace("\ufffe", "-")
        # The footer (reference, version, page number) is painted last on each page.
        text = re.sub(r"[^\n]*EOEMSK-PIL-SCI-001[^\n]*\s*$", "", text.rstrip())
        pages.append(text.replace("•", ""))  # list bullets are drawn text (li::before)
    return "\n".join(pages)


def pdftotext(path: Path, page: int | None = None) -> str:
    """The PDF's text as Poppler's pdftotext reads it (a second, independent extractor)."""
    import subprocess

    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *pages, str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def squeeze(text: str) -> str:
    """Text without white space: line breaks in a PDF fall anywhere, even inside URLs."""
    return re.sub(r"\s+", "", text)
