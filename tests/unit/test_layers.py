"""The house has no import cycle and its layers import downwards only.

balanza (the command line) → dashboard → model → etl. Every import counts, function-local ones included, and
no module of a layer loads another by name (importlib), which would hide a dependency from these checks.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("etl", "model", "dashboard", "balanza")  # each may import only those before it
THIRD_PARTY_BY_LAYER = {"etl": {"streamlit", "plotly"}, "model": {"streamlit", "plotly"}}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for layer in LAYERS for p in sorted((ROOT / layer).rglob("*.py"))}


def imported_names(path: Path) -> set[str]:
    """Every module an import statement in ``path`` names, at any depth (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            # `from package import module` depends on the module; `from module import name` on the module.
            submodules = {f"{base}.{alias.name}" for alias in node.names} & set(modules())
            names.update(submodules or {base})
    return names


@cache
def graph() -> dict[str, set[str]]:
    """module → the modules of the house it imports."""
    known = modules()
    return {
        name: {n for n in imported_names(path) if n in known and n != name} for name, path in known.items()
    }


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read() -> None:
    edges = graph()
    assert len(edges) > 60
    assert "etl.schema" in edges["etl.db"] and "model.spec" in edges["model.scenario"]


def test_no_import_cycle() -> None:
    assert cycles(graph()) == []


def test_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("layer", LAYERS)
def test_layers_import_downwards_only(layer: str) -> None:
    allowed = set(LAYERS[: LAYERS.index(layer) + 1])
    wrong = sorted(
        f"{name} imports {target}"
        for name, targets in graph().items()
        if name.split(".")[0] == layer
        for target in targets
        if target.split(".")[0] not in allowed
    )
    assert not wrong, wrong


@pytest.mark.parametrize("layer", sorted(THIRD_PARTY_BY_LAYER))
def test_plain_layers_draw_nothing(layer: str) -> None:
    banned = THIRD_PARTY_BY_LAYER[layer]
    wrong = sorted(
        f"{name} imports {imported}"
        for name, path in modules().items()
        if name.split(".")[0] == layer
        for imported in imported_names(path)
        if imported.split(".")[0] in banned
    )
    assert not wrong, wrong


def test_no_module_is_loaded_by_name() -> None:
    wrong = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                called = ast.unparse(node.func)
                if called in {"importlib.import_module", "import_module", "__import__"}:
                    wrong.append(f"{name}:{node.lineno} {called}")
    assert not wrong, wrong
