"""TAF Browser: viability calculators for training and serving large language models.

Every answer is a chain of formulas — each step with its inputs, result and
meaning — ending in a verdict. Standard library only; runs in CPython ≥ 3.10 and in
Pyodide. See ``list_recipes()`` and ``run_recipe()``.
"""

from ._version import __version__
from .api import compare_models, compare_models_json, profile_model, profile_model_json
from .links import read_link, read_link_json
from .registry import (
    get_preset,
    input_notes,
    input_notes_json,
    list_presets,
    list_recipes,
    run_recipe,
    run_recipe_json,
    search_models,
    search_models_json,
)


def __getattr__(name: str):
    """``preset_from_config(_json)`` and ``taf.modelconfig``, imported on first use (PEP 562).

    The config.json reader is a fifth of the package: ``import taf`` (every ``taf`` command)
    does without it until a config.json is read. (The page's worker boots from a memory
    snapshot with every module already imported.)
    """
    if name in ("modelconfig", "preset_from_config", "preset_from_config_json"):
        import importlib  # not `from . import modelconfig`: that asks this __getattr__ again

        submodule = ".modelconfig" if name == "modelconfig" else ".modelconfig.preset"
        module = importlib.import_module(__name__ + submodule)
        return module if name == "modelconfig" else getattr(module, name)
    if name == "result_markdown":
        from .markdown import result_markdown

        return result_markdown
    raise AttributeError(f"module 'taf' has no attribute {name!r}")


__all__ = [
    "__version__",
    "list_recipes",
    "run_recipe",
    "run_recipe_json",
    "list_presets",
    "get_preset",
    "search_models",
    "search_models_json",
    "profile_model",
    "profile_model_json",
    "compare_models",
    "compare_models_json",
    "preset_from_config",
    "preset_from_config_json",
    "result_markdown",
    "read_link",
    "read_link_json",
    "input_notes",
    "input_notes_json",
]
