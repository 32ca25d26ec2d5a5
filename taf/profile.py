"""Profile (the TAF card of one model) and Compare (one recipe over several models)."""

from __future__ import annotations

from typing import Any

from . import registry
from .chain import SCHEMA_VERSION, clean
from .data.presets import ARCH_FIELDS
from .params import ParamError, safe_text, show, suggest_name
from .recipes import all_recipes

#: what the Profile form asks besides the architecture fields
PROFILE_EXTRA_PARAMS = ("T_eval",)


def profile_params() -> list:
    """The Profile form's parameters, in order: one per architecture field (``ARCH_FIELDS``), then
    ``PROFILE_EXTRA_PARAMS``. Each is the first in-profile recipe's parameter with that preset key
    named like it (``n_params``, not X-1's ``N_params``), else the first with that preset key."""
    by_key: dict = {}
    extra: dict = {}
    for recipe in all_recipes():
        if not recipe.in_profile:
            continue
        for p in recipe.params:
            key = p.preset_key
            if key in ARCH_FIELDS and (key not in by_key or (p.name == key and by_key[key].name != key)):
                by_key[key] = p
            elif key is None and p.name in PROFILE_EXTRA_PARAMS and p.name not in extra:
                extra[p.name] = p
    return [by_key[k] for k in ARCH_FIELDS if k in by_key] + [extra[n] for n in PROFILE_EXTRA_PARAMS if n in extra]


def _all_param_names() -> list[str]:
    names: list[str] = []
    for recipe in all_recipes():
        for p in recipe.params:
            if p.name not in names:
                names.append(p.name)
    return names


def _summary_line(result: dict) -> dict:
    return {
        "recipe_id": result["recipe_id"],
        "recipe_name": result["recipe_name"],
        "verdict": result["verdict"],
        "tone": result["tone"],
        "reason": result["reason"],
        "mitigation": result["mitigation"],
    }


def key_numbers(result: dict) -> list[dict]:
    """The numeric results of a chain, by step name, with units (for tables)."""
    rows = []
    for step in result.get("chain", []):
        value = step.get("result")
        unit = step.get("unit", "")
        if isinstance(value, bool):
            continue
        if isinstance(value, dict) and isinstance(value.get("GB"), (int, float)):
            value, unit = value["GB"], "GB"
        if value is None or isinstance(value, (int, float)):
            rows.append({"name": step["name"], "value": value, "unit": unit})
    return rows


def resolve_model(params: dict, source: registry.ModelSource | None = None) -> dict:
    """The architecture of the model described by ``params`` (its source — preset or config — and explicit values)."""
    arch_params = [p for p in profile_params() if p.preset_key in ARCH_FIELDS]
    return registry.resolve_declared(arch_params, params, source.row if source else None)


def build_profile(params: dict) -> dict:
    params = dict(params)
    known = _all_param_names() + ["preset"]
    for key in params:
        if key not in known:
            suggestion = suggest_name(str(key), known)
            hint = f" Did you mean {suggestion!r}?" if suggestion else ""
            raise ParamError(
                "unknown_param", f"Profile has no parameter {show(key)}.{hint}", param=str(key), suggestion=suggestion
            )
    # a preset or a pasted config.json describes the model; explicit values still override it
    source = registry.model_source(params.pop("preset", None), params.pop("config", None))
    model = resolve_model(params, source)
    explicit = {k: v for k, v in params.items() if k != "preset"}
    results: dict[str, dict] = {}
    lines = []
    for recipe in all_recipes():
        if not recipe.in_profile:
            continue
        try:
            resolved = registry.resolve_params(
                recipe, explicit, dict(source.row, **model) if source else model, ignore_unknown=True
            )
        except ParamError as err:
            if err.error["code"] == "missing_param":
                lines.append(
                    {
                        "recipe_id": recipe.id,
                        "recipe_name": recipe.name,
                        "verdict": "NOT RUN",
                        "tone": "neutral",
                        "reason": f"needs {err.error['param']}",
                        "mitigation": "",
                    }
                )
                continue
            raise
        result = registry._run(recipe, resolved, source=source)
        results[recipe.id] = result
        lines.append(_summary_line(result))
    from .profile_card import card_sections  # key numbers, diagnostics, falsification status

    out: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "view": "profile"}
    if source is not None and source.model_id is not None:
        out["preset"] = source.model_id
    out["model"] = clean(model)
    out.update(card_sections(model, explicit, results))
    out["recipes"] = lines
    out["results"] = results
    return out


def build_compare(model_specs: Any, recipe_id: Any, shared_params: Any) -> dict:
    recipe = registry.get_recipe(recipe_id)
    if not isinstance(model_specs, (list, tuple)):
        raise ParamError(
            "invalid_value",
            f"models must be a list of {registry.COMPARE_MIN_MODELS}–"
            f"{registry.COMPARE_MAX_MODELS} model specs, got {show(model_specs)}.",
            param="models",
        )
    if not registry.COMPARE_MIN_MODELS <= len(model_specs) <= registry.COMPARE_MAX_MODELS:
        raise ParamError(
            "out_of_range",
            f"models has {len(model_specs)} entries; Compare takes "
            f"{registry.COMPARE_MIN_MODELS} to {registry.COMPARE_MAX_MODELS} models.",
            param="models",
            value=len(model_specs),
            min=registry.COMPARE_MIN_MODELS,
            max=registry.COMPARE_MAX_MODELS,
        )
    if shared_params is None:
        shared: dict = {}
    elif isinstance(shared_params, dict):
        shared = dict(shared_params)
    else:
        raise ParamError(
            "invalid_value",
            f"shared_params must be an object of name: value pairs, got {show(shared_params)}.",
            param="shared_params",
        )
    rows = []
    for index, spec in enumerate(model_specs):
        if isinstance(spec, str):
            spec = {"preset": spec}
        if not isinstance(spec, dict):
            raise ParamError(
                "invalid_value",
                f"models item {index + 1} = {show(spec)} is not a model spec "
                "(an object with a preset and/or architecture parameters).",
                param="models",
                position=index,
            )
        spec = dict(spec)
        label = spec.pop("label", None) or spec.get("preset") or f"model {index + 1}"
        params = {**spec, **shared}
        row: dict[str, Any] = {"label": safe_text(label[:200]) if isinstance(label, str) else show(label)}
        try:
            result = registry._run(recipe, params)
        except ParamError as err:
            row["error"] = err.error
            rows.append(row)
            continue
        if "preset" in result:
            row["preset"] = result["preset"]
        row.update(
            {
                "verdict": result["verdict"],
                "tone": result["tone"],
                "reason": result["reason"],
                "key_numbers": key_numbers(result),
                "result": result,
            }
        )
        rows.append(row)
    return {
        "schema_version": SCHEMA_VERSION,
        "view": "compare",
        "recipe_id": recipe.id,
        "recipe_name": recipe.name,
        # unknown names are each row's error; their values are echoed only as bounded text
        "shared_params": {
            safe_text(str(k)): (recipe.param(k).parse(v) if k in recipe.param_names else show(v))
            for k, v in shared.items()
            if k != "preset"
        },
        "rows": rows,
    }
