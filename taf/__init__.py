"""TAF Browser: viability calculators for training and serving large language models.

Every answer is a chain of formulas — each step with its inputs, result and
meaning — ending in a verdict. Standard library only; runs in CPython ≥ 3.10 and in
Pyodide. See ``list_recipes()`` and ``run_recipe()``.
"""
from ._version import __version__
from .modelconfig import preset_from_config, preset_from_config_json
from .registry import (compare_models, compare_models_json, get_preset, list_presets, list_recipes,
                       profile_model, profile_model_json, run_recipe, run_recipe_json)

__all__ = [
    "__version__",
    "list_recipes",
    "run_recipe",
    "run_recipe_json",
    "list_presets",
    "get_preset",
    "profile_model",
    "profile_model_json",
    "compare_models",
    "compare_models_json",
    "preset_from_config",
    "preset_from_config_json",
]
