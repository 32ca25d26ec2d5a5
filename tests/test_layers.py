"""The package is layered: every import (module level or inside a function) points to the same or a
lower layer, and the import graph has no cycle.

data and units → formulas → the model record → recipes → engine (resolve, run, guard, JSON) →
profile/compare, config import → public API → CLI.
"""
import ast
from pathlib import Path

import pytest

import taf

TAF = Path(taf.__file__).resolve().parent

#: (module name prefix, layer); the longest matching prefix wins
LAYERS = (
    ("taf._version", 0), ("taf.references", 0), ("taf.evidence", 0), ("taf.numeric", 0), ("taf.textfmt", 0),
    ("taf.glossary", 0),
    ("taf.data", 1), ("taf.chain", 1), ("taf.params", 1),
    ("taf.formulas", 2),
    ("taf.modelconfig", 3), ("taf.model", 3),
    ("taf.recipes", 4),
    ("taf.registry", 5), ("taf.markdown", 5), ("taf.request_key", 5),
    ("taf.profile", 6), ("taf.profile_card", 6), ("taf.modelconfig.preset", 6), ("taf.links", 6),
    ("taf.api", 7), ("taf", 7),
    ("taf.cli", 8), ("taf.__main__", 8),
)

#: imports that are forbidden even though the layers would allow them
FORBIDDEN = {("taf.params", "taf.chain")}


def layer(module: str) -> int:
    best = max((p for p, _ in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return dict(LAYERS)[best]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(TAF.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every taf module ``path`` imports, at any depth (late imports in functions included)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "taf")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "taf":
                target = node.module
            else:
                continue
            # `from . import x` / `from .pkg import mod` may name submodules
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _is_module(candidate) else target)
    # importing a.b.c first runs the packages a.b (their __init__): an edge too (the root ``taf`` aside)
    for target in list(found):
        parts = target.split(".")
        found.update(".".join(parts[:i]) for i in range(2, len(parts)))
    found.discard(name)
    return found


def _is_module(name: str) -> bool:
    rel = Path(*name.split(".")[1:])
    return (TAF / rel).with_suffix(".py").exists() or (TAF / rel / "__init__.py").exists()


GRAPH = {module_name(p): imports_of(p) for p in sorted(TAF.rglob("*.py"))}


def test_graph_is_complete():
    assert {"taf", "taf.registry", "taf.chain", "taf.recipes.x2_long_context"} <= set(GRAPH)


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_point_down(module):
    for target in sorted(GRAPH[module]):
        if target == "taf" or module.startswith(target + "."):  # a module's own package (its __init__)
            continue
        assert layer(target) <= layer(module), f"{module} (layer {layer(module)}) imports {target} " \
                                               f"(layer {layer(target)})"
        assert (module, target) not in FORBIDDEN, f"{module} must not import {target}"


def test_no_import_cycles():
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH.get(node, ())):
            if nxt == "taf" or node.startswith(nxt + "."):
                continue
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(GRAPH):
        if node not in state:
            visit(node)


def test_profile_card_uses_no_recipe_module():
    assert not [m for m in GRAPH["taf.profile_card"] if m.startswith("taf.recipes")]
