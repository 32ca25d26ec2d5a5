"""One module per recipe, imported on first use. ``RECIPE_MODULES`` is the registry, in display order.

A recipe's module holds its parameter schema and its ``run`` function together; the
registry only needs the id → module table below to find it. Importing ``taf`` therefore
imports no recipe: a ``taf`` command pays only for the recipe it runs (importing them all up
front cost 0.5–1.7 s more per command on the 2-core test machine). The page's Python worker
boots from a memory snapshot in which every module is already imported (scripts/make_snapshot.mjs).
"""

from __future__ import annotations

import importlib

#: (recipe id, module name in this package), in display order
RECIPE_MODULES = (
    ("X-1", "x1_build_vs_buy"),
    ("X-2", "x2_long_context"),
    ("X-3", "x3_budget"),
    ("X-5", "x5_serving_hardware"),
    ("X-19", "x19_kv_compression"),
    ("X-21", "x21_imprint"),
    ("X-22", "x22_invariant"),
    ("X-23", "x23_ih_phase"),
    ("F-1", "f1_scale_floor"),
    ("E-1", "e1_eval_power"),
    ("G-1", "g1_token_gate"),
    ("Q-1", "q1_quant_budget"),
    ("R-1", "r1_record_claim"),
    ("P-1", "p1_parity_gate"),
    ("S-1", "s1_will_it_fit"),
    ("S-2", "s2_serving_speed"),
    ("T-1", "t1_training"),
    ("M-1", "m1_model_config"),
)

#: every recipe id, in display order
RECIPE_IDS = tuple(recipe_id for recipe_id, _ in RECIPE_MODULES)

_MODULE_OF = dict(RECIPE_MODULES)


def load_recipe(recipe_id: str):
    """The ``Recipe`` registered as ``recipe_id`` (an exact id from ``RECIPE_IDS``); imports its module."""
    recipe = importlib.import_module(f"{__name__}.{_MODULE_OF[recipe_id]}").RECIPE
    if recipe.id != recipe_id:
        raise LookupError(f"module {_MODULE_OF[recipe_id]} registers {recipe.id!r}, not {recipe_id!r}")
    return recipe


def all_recipes() -> tuple:
    """Every ``Recipe``, in display order (imports every recipe module)."""
    return tuple(load_recipe(recipe_id) for recipe_id in RECIPE_IDS)
