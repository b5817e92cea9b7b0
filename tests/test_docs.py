"""The documentation holds together: every relative link in every Markdown file opens a
file of the project, every `#anchor` a heading of it, and the README stays short."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Folders that are not the project's own writing (installed packages, built files).
NOT_OURS = {".venv", "node_modules", ".git", ".pytest_cache", ".hypothesis", "build",
            "output.partial"}
README_BUDGET = 12 * 1024  # bytes: what the README must stay within (issue 20)
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def markdown_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.md") if p.relative_to(root).parts[0] not in NOT_OURS)


def anchor(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as
    hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {anchor(m[1]) for m in re.finditer(r"^#{1,6} +(.+?) *#*$", text, re.M)}


def broken_links(path: Path) -> list[str]:
    """Each relative link of `path` that opens nothing, as `file:line: link`."""
    text = path.read_text(encoding="utf-8")
    # Code blocks keep their lines (blanked) so that line numbers stay right.
    text = FENCE.sub(lambda m: "\n" * m[0].count("\n"), text)
    broken = []
    for match in LINK.finditer(text):
        target = match[1]
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...
            continue
        file, _, fragment = target.partition("#")
        resolved = (path.parent / file).resolve() if file else path
        if not resolved.exists() or (
                fragment and (resolved.suffix != ".md" or fragment not in anchors(resolved))):
            line = text.count("\n", 0, match.start()) + 1
            broken.append(f"{path.relative_to(ROOT)}:{line}: {target}")
    return broken


def test_every_relative_link_opens_a_file_and_heading():
    files = markdown_files(ROOT)
    assert {"README.md", "TRANSLATING.md", "docs/design.md", "docs/contributing.md"} <= \
        {str(p.relative_to(ROOT)) for p in files}
    assert [b for p in files for b in broken_links(p)] == []


def test_a_broken_link_is_found(tmp_path, monkeypatch):
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "here.md").write_text("# Here it is\n\n## Next `step` (2)\n")
    page = tmp_path / "README.md"
    page.write_text("[a](docs/here.md) [b](docs/here.md#here-it-is) [c](#top)\n"
                    "```\n[in code](nowhere.md)\n```\n"
                    "[d](docs/gone.md) [e](docs/here.md#nowhere) [f](docs/here.md#next-step-2)"
                    " [g](https://example.org/x.md)\n\n# Top\n")
    assert broken_links(page) == ["README.md:5: docs/gone.md", "README.md:5: docs/here.md#nowhere"]


def test_the_readme_stays_short():
    assert len((ROOT / "README.md").read_bytes()) <= README_BUDGET


TEST_NAMED = re.compile(r"`(test_\w+\.py)::(test_\w+)")


def missing_tests(path: Path) -> list[str]:
    """Each `test_file.py::test_name` the page names that the tests do not define, as
    `file:line: name`: a page that says which test covers a promise must stay true."""
    text = path.read_text(encoding="utf-8")
    missing = []
    for match in TEST_NAMED.finditer(text):
        module = ROOT / "tests" / match[1]
        defined = module.is_file() and re.search(rf"^def {match[2]}\b",
                                                 module.read_text(encoding="utf-8"), re.M)
        if not defined:
            line = text.count("\n", 0, match.start()) + 1
            missing.append(f"{path.relative_to(ROOT)}:{line}: {match[1]}::{match[2]}")
    return missing


def test_every_test_a_page_names_exists():
    assert [m for p in markdown_files(ROOT) for m in missing_tests(p)] == []


def test_a_test_named_but_not_defined_is_found(tmp_path):
    page = ROOT / "docs" / "named-test-probe.md"
    try:
        page.write_text("covered by `test_docs.py::test_that_was_never_written`\n")
        assert missing_tests(page) == [
            "docs/named-test-probe.md:1: test_docs.py::test_that_was_never_written"]
    finally:
        page.unlink()


def test_the_adding_a_leaflet_template_builds_and_is_listed(tmp_path):
    """docs/adding-a-leaflet.md's template, copied into a library as the page says, is
    built in English and listed on the front page under its topic."""
    import shutil

    from leaflet.build import build

    page = (ROOT / "docs" / "adding-a-leaflet.md").read_text(encoding="utf-8")
    template = re.search(r"^```yaml\n(.*?)^```", page, re.M | re.S)[1]
    folder = tmp_path / "source"
    shutil.copytree(ROOT / "source" / "shared", folder / "shared")
    (folder / "back-pain-staying-active.yaml").write_text(template, encoding="utf-8")
    out = tmp_path / "output"
    entries = build.build(build.Options(source=folder, translations=tmp_path / "none",
                                        output=out, languages=("en-GB",),
                                        variants=("screen", "web")), say=lambda _: None)
    assert "en-GB/back-pain-staying-active-screen.pdf" in {e["path"] for e in entries}
    front = (out / "index.html").read_text(encoding="utf-8")
    assert front.index("Lower back") < front.index("Back pain: staying active")
