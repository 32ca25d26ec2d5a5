"""A config.json as a custom model: the architecture parameters every recipe accepts.

``preset_from_config(config)`` returns the architecture fields (``taf.data.presets.ARCH_FIELDS``), so that
``run_recipe("X-2", **preset_from_config(cfg), T_eval=32000)`` works. With a
``recipe_id`` it returns only what that recipe declares, under the recipe's own
parameter names (matched through each parameter's ``preset_key``), so the spread
works for every recipe. Bad input never raises: it returns ``{"error": {...}}``.
"""

from __future__ import annotations

from typing import Any

from ..registry import dumps, get_recipe, guarded
from .analysis import analyze


def preset_from_config(config: Any, recipe_id: str | None = None) -> dict:
    """Architecture parameters read from a config.json (text or dict); ``{"error": ...}`` on bad input.

    Without ``recipe_id``: the architecture fields (``ARCH_FIELDS``) (``theta`` is None for a model without
    RoPE, e.g. GPT-2; recipes then report theta as missing). With ``recipe_id``: only the
    parameters that recipe declares, renamed to its parameter names, None values left out.
    """

    def compute() -> dict:
        preset = analyze(config).preset()
        if recipe_id is None:
            return preset
        recipe = get_recipe(recipe_id)
        return {
            p.name: preset[p.preset_key]
            for p in recipe.params
            if p.preset_key in preset and preset[p.preset_key] is not None
        }

    return guarded(compute)


def preset_from_config_json(config_text: Any, recipe_id: str | None = None) -> str:
    """Strict JSON text of :func:`preset_from_config` (for the page's worker). Never raises."""
    return dumps(preset_from_config(config_text, recipe_id))
