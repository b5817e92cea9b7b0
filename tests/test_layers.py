"""Imports point down the flow only, and no two modules import each other (leaflet/__init__.py).

Every import is read from the source with `ast`: at the top of a module, inside a function
and under `if TYPE_CHECKING:` alike, since a type-only import is still a dependency."""
from __future__ import annotations

import ast
import graphlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The order of the flow, first to last: a module may import from its own layer and the
# ones before it, never from one after it. `errors` and `cli` are modules at the top of
# leaflet/; the rest are its subpackages.
LAYERS = ("errors", "inputs", "layout", "formats", "checks", "build", "app", "cli")


def modules(root: Path) -> dict[str, Path]:
    """Every module of the package under `root`, by dotted name (a package by its own)."""
    found = {}
    for path in sorted((root / "leaflet").rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of the package that `name` imports, wherever in it the import stands."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1]) if node.level else ""
            module = ".".join(p for p in (base, node.module) if p)
            # `from . import page` imports the module leaflet.layout.page
            found.update(f"{module}.{a.name}" if f"{module}.{a.name}" in known else module
                         for a in node.names)
    return {m for m in found if m in known and m != name}


def graph(root: Path) -> dict[str, set[str]]:
    known = modules(root)
    return {name: imports(name, path, known) for name, path in known.items()}


def layer(name: str) -> int | None:
    """The place of a module in LAYERS; None for the package itself and for a module
    that is in no layer."""
    parts = name.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def upward(root: Path) -> list[str]:
    """Each import that points back up the flow, as a sentence."""
    return [f"{name} imports {target}, which comes after it in the flow "
            f"({LAYERS[layer(name)]} before {LAYERS[layer(target)]})"
            for name, targets in sorted(graph(root).items()) for target in sorted(targets)
            if layer(name) is not None and layer(target) is not None
            and layer(target) > layer(name)]


def circle(root: Path) -> list[str]:
    """One circle of imports (each module imports the next), or [] when there is none."""
    try:
        graphlib.TopologicalSorter(graph(root)).prepare()
    except graphlib.CycleError as error:
        return error.args[1]
    return []


def planted(tmp_path: Path, module: str, line: str) -> Path:
    """A copy of the package with `line` added at the end of `module` (a path in it)."""
    shutil.copytree(ROOT / "leaflet", tmp_path / "leaflet",
                    ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "leaflet" / module
    target.write_text(target.read_text(encoding="utf-8") + line, encoding="utf-8")
    return tmp_path


def test_imports_point_down_the_flow():
    assert upward(ROOT) == []


def test_no_circle_of_imports():
    assert circle(ROOT) == []


def test_every_module_is_in_a_layer():
    # leaflet/ holds its entry points and subpackages only: a new module goes in a layer.
    assert [name for name in modules(ROOT) if name != "leaflet" and layer(name) is None] == []
    assert {p.name for p in (ROOT / "leaflet").iterdir()
            if p.suffix == ".py" or (p / "__init__.py").exists()} == \
        {"__init__.py", *(f"{n}.py" for n in ("errors", "cli")),
         *(n for n in LAYERS if n not in ("errors", "cli"))}


def test_every_package_says_what_it_holds_and_may_import():
    for name, path in modules(ROOT).items():
        if path.name == "__init__.py":
            docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
            assert docstring, f"{path} has no docstring"
            assert name == "leaflet" or "May import" in docstring, path


def test_a_planted_upward_import_fails(tmp_path):
    # Inside a function: imported late, still an import up the flow.
    root = planted(tmp_path, "inputs/markup.py",
                   "\n\ndef _late():\n    from ..build import build  # noqa: F401\n")
    assert upward(root) == ["leaflet.inputs.markup imports leaflet.build.build, which comes "
                            "after it in the flow (inputs before build)"]


def test_a_planted_type_only_upward_import_fails(tmp_path):
    root = planted(tmp_path, "formats/output.py",
                   "\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                   "    from leaflet.checks.audit import Finding  # noqa: F401\n")
    assert upward(root) == ["leaflet.formats.output imports leaflet.checks.audit, which comes "
                            "after it in the flow (formats before checks)"]


def test_a_planted_circle_fails(tmp_path):
    # Within one layer, so only the circle check can see it: page imports fonts.
    root = planted(tmp_path, "layout/fonts.py", "\nfrom . import page  # noqa: F401,E402\n")
    found = circle(root)
    assert upward(root) == [] and set(found) == {"leaflet.layout.fonts", "leaflet.layout.page"}
