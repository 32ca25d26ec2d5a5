"""A formula's display text is written once: no literal formula string appears in two ``chain.step`` calls.

Recipes that show the same formula take its text from the formula module (e.g.
``scaling.CHINCHILLA_TOKENS_FORMULA``), so a correction there reaches every recipe."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "taf"


def literal_step_formulas() -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "step"
                and len(node.args) >= 3
                and isinstance(node.args[2], ast.Constant)
                and isinstance(node.args[2].value, str)
            ):
                found[node.args[2].value].append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return found


def test_the_scan_sees_the_steps() -> None:
    assert sum(len(v) for v in literal_step_formulas().values()) > 50


def test_no_formula_text_is_typed_twice() -> None:
    repeated = {text: places for text, places in literal_step_formulas().items() if len(places) > 1}
    assert repeated == {}, f"move these formula texts into the formula module and reference them: {repeated}"


def test_glossary_numbers_are_the_formula_constants() -> None:
    """The glossary sits below the formulas (it may not import them), so the few numbers its
    meanings quote are checked here against the one constant each comes from."""
    from taf.formulas import attention, panel
    from taf.glossary import GLOSSARY

    assert (
        f"from {attention.SOFT_DECAY_APPLIES:g} soft KV decay applies, from {attention.SOFT_DECAY_BORDERLINE:g} it"
        in GLOSSARY["soft_decay_regime"]["meaning"]
    )
    assert f"spreads as {panel.K_PANEL_MEAN:g} ± {panel.K_PANEL_STD:g}" in GLOSSARY["K_invariant"]["meaning"]
