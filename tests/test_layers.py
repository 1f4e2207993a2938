"""The import layers of STYLE.md, checked: nothing imports upward, and only the adapters import MkDocs or click."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

#: Each module's layer, lowest first; a module may import only from its own layer or below.
LAYERS: dict[str, int] = {
    "background": 0,
    "collector": 0,
    "model": 0,
    "urls": 0,
    "bodies": 0,
    "rules": 1,
    "settings": 2,
    "loaders": 3,
    "report": 3,
    "checks": 4,
    "project": 5,
    "grading": 6,
    "disputes": 7,
    "assess": 8,
    "render": 9,
    "build": 10,
    "scaffold": 10,
    "plugin": 11,
    "plugin_pages": 11,
    "cli": 11,
}
#: Third-party packages only an adapter may import, and which adapter.
ADAPTER_ONLY = {"mkdocs": {"plugin", "plugin_pages"}, "click": {"cli"}}
#: The one named exception: mkdocs.yml is read with MkDocs' own YAML loader (!ENV, INHERIT), as MkDocs reads it.
NAMED_EXCEPTIONS = {("loaders/config.py", "mkdocs.utils.yaml"), ("loaders/config.py", "mkdocs.exceptions")}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" and "theme" not in p.parts)


def _unit(path: Path) -> str:
    """The layer unit of a module: its top-level name inside the package (a subpackage counts as one)."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[str, int]]:
    """(absolute dotted name, line) of everything the module imports, including imports inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package_parts = ["generator", *path.relative_to(PACKAGE).parent.parts]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.append((name, node.lineno))
    return found


def test_every_module_has_a_layer():
    assert {_unit(p) for p in _modules()} <= set(LAYERS)


def test_nothing_imports_upward():
    upward = []
    for path in _modules():
        unit = _unit(path)
        for name, line in _imports(path):
            parts = name.split(".")
            if parts[0] != "generator" or len(parts) < 2:
                continue
            target = parts[1]
            if target in LAYERS and LAYERS[target] > LAYERS[unit]:
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {unit} imports {name}")
    assert not upward, "\n".join(upward)


def test_only_the_adapters_import_mkdocs_and_click():
    found = []
    for path in _modules():
        for name, line in _imports(path):
            allowed = ADAPTER_ONLY.get(name.split(".")[0])
            if (path.relative_to(PACKAGE).as_posix(), name) in NAMED_EXCEPTIONS:
                continue
            if allowed is not None and _unit(path) not in allowed:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: imports {name}")
    assert not found, "\n".join(found)


def test_the_check_sees_relative_and_nested_imports():
    """Guard the checker itself: it resolves `from ..x import y` and finds imports inside functions."""
    names = {name for name, _ in _imports(PACKAGE / "render" / "pages.py")}
    assert "generator.assess" in names and "generator.render.claim_page" in names
    assert any(name.startswith("generator.") for name, _ in _imports(PACKAGE / "cli.py"))
