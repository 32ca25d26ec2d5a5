"""Recipe registry and the public API: run, run as JSON, presets, profile, compare.

Nothing here raises on bad input: every failure comes back as
``{"error": {"code", "message", "param", ...}}`` (SPEC §3).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from .chain import Chain, build_result, to_json
from .data import presets as preset_data
from .model import presets as preset_rows
from .params import ParamError, json_limits_problem, json_value_problem, show, suggest_name, text_problem
from .recipes import RECIPE_IDS, all_recipes, load_recipe
from .recipes.base import Recipe
from .textfmt import format_default

#: Compare runs one recipe over this many models
COMPARE_MIN_MODELS = 2
COMPARE_MAX_MODELS = 6


# ── recipes ─────────────────────────────────────────────────────────────────
def list_recipes() -> list[dict]:
    """Every registered recipe: id, name, description, category, sections, params."""
    return [r.describe() for r in all_recipes()]


def get_recipe(recipe_id: Any) -> Recipe:
    """The recipe registered as ``recipe_id`` (case and surrounding space ignored), or ``unknown_recipe``."""
    if isinstance(recipe_id, str) and recipe_id in RECIPE_IDS:
        return load_recipe(recipe_id)
    if isinstance(recipe_id, str):
        folded = {k.lower(): k for k in RECIPE_IDS}
        if recipe_id.strip().lower() in folded:
            return load_recipe(folded[recipe_id.strip().lower()])
    ids = list(RECIPE_IDS)
    close = difflib.get_close_matches(recipe_id[:100], ids, n=1, cutoff=0.5) if isinstance(recipe_id, str) else []
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ParamError(
        "unknown_recipe",
        f"Unknown recipe {show(recipe_id)}; available: {', '.join(ids)}.{hint}",
        value=recipe_id[:200] if isinstance(recipe_id, str) else show(recipe_id),
        choices=ids,
        suggestion=close[0] if close else None,
    )


# ── presets and models ──────────────────────────────────────────────────────
def list_presets() -> list[dict]:
    """The featured model presets: id, label, architecture parameters, active_params, source, as_of, facts."""
    return [dict(row) for row in preset_rows.presets()]


def get_preset(model_id: str) -> dict:
    """Architecture parameters of a preset or any catalog model (ARCH_FIELDS, which every γ recipe takes);
    ``{}`` for an unknown id. ``list_presets()`` rows also carry active_params, family, source and facts."""
    row = preset_rows.preset_row(model_id) if isinstance(model_id, str) else None
    if row is None:
        return {}
    return {k: row[k] for k in preset_data.ARCH_FIELDS}


def search_models(query: str = "", limit: int = 20) -> list[dict]:
    """Catalog models whose id or label contain every word of ``query``: [{id, label, family,
    total_params, active_params, featured}]; an empty query lists the featured presets. Never raises."""
    from .model.catalog import search_models as search

    return search(query, limit)


def search_models_json(query: str = "", limit: int = 20) -> str:
    """Strict JSON text of :func:`search_models` (for the page's worker). Never raises."""
    return dumps(search_models(query, limit))


def lookup_preset(preset: Any) -> dict:
    """The preset row for ``preset`` (a featured preset or any catalog model), or ``unknown_preset``."""
    row = preset_rows.preset_row(preset) if isinstance(preset, str) else None
    if row is not None:
        return row
    ids = list(preset_data.FEATURED)
    close = None
    if isinstance(preset, str):
        from .model.catalog import entries

        matches = difflib.get_close_matches(preset[:200], [e["id"] for e in entries()], n=1, cutoff=0.5)
        close = matches[0] if matches else None
    hint = f" Did you mean {close!r}?" if close else ""
    raise ParamError(
        "unknown_preset",
        f"preset = {show(preset)} is not a known model; featured: {', '.join(ids)} "
        f"(search the catalog with `taf models WORD`, or give a config.json).{hint}",
        param="preset",
        value=preset[:200] if isinstance(preset, str) else show(preset),
        choices=ids,
        suggestion=close,
    )


# ── resolution ──────────────────────────────────────────────────────────────
def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def resolve_params(recipe: Recipe, params: dict, preset_row: dict | None = None, ignore_unknown: bool = False) -> dict:
    """Validate ``params`` against ``recipe``'s schema; return every declared parameter resolved.

    Order of precedence: explicit value > preset > default (> ``default_from``).
    Blank values (``None`` or empty text) count as not given.
    """
    names = recipe.param_names
    if not ignore_unknown:
        for key in params:
            if key not in names:
                suggestion = suggest_name(str(key), names + ["preset", "config"])
                hint = f" Did you mean {suggestion!r}?" if suggestion else ""
                raise ParamError(
                    "unknown_param",
                    f"{recipe.id} has no parameter {show(key)}; it takes: {', '.join(names)}, "
                    f"preset, config.{hint}",
                    param=str(key),
                    suggestion=suggestion,
                    choices=names,
                )
    return resolve_declared(recipe.params, params, preset_row)


#: where a resolved value comes from, in the order they win (see :func:`value_source`)
VALUE_SOURCES = ("typed", "model", "default")


def value_source(p, params: dict, model_row: dict | None) -> str | None:
    """Which value wins for parameter ``p`` — the one rule, used by every caller (run, Profile, Compare,
    the CLI through them, and the page's echo through :func:`input_echo`):

    1. ``"typed"``: a value given explicitly (``name=value``, a form field, a link), not blank;
    2. ``"model"``: else the model's value — a preset's row or a config.json's record, through the
       parameter's ``preset_key`` — when the model states it (not None);
    3. ``"default"``: else the parameter's default (then ``default_from``, when the default is None);
    4. ``None``: nothing — the parameter is required and missing.
    """
    if not _is_blank(params.get(p.name)):
        return "typed"
    if model_row is not None and p.preset_key is not None and model_row.get(p.preset_key) is not None:
        return "model"
    if not p.required:
        return "default"
    return None


def blank_field_text(p) -> str:
    """What a blank form field takes, in :func:`value_source`'s order (the page's placeholder):
    ``"= T_train"`` (``default_from``), ``"from preset"``, ``"preset, else 2"``, ``"required"``,
    ``"optional"`` (default None) or the default itself (``"4,096"``)."""
    if p.default_from is not None:
        return f"= {p.default_from}"
    if p.preset_key is not None:
        return "from preset" if p.required else f"preset, else {format_default(p.default)}"
    if p.required:
        return "required"
    return "optional" if p.default is None else format_default(p.default)


def resolve_declared(declared, params: dict, preset_row: dict | None) -> dict:
    """Resolve each declared Param by :func:`value_source`: typed, else the model's, else its default."""
    resolved: dict[str, Any] = {}
    for p in declared:
        source = value_source(p, params, preset_row)
        if source == "typed":
            resolved[p.name] = p.parse(params[p.name])
        elif source == "model" and preset_row is not None:
            resolved[p.name] = p.parse(preset_row[p.preset_key])
        elif source == "default":
            resolved[p.name] = p.default
        else:
            via = " (or a preset that sets it)" if p.preset_key else ""
            raise ParamError(
                "missing_param",
                f"{p.name} is required{via}: give {p.allowed_text()}"
                + (f" in {p.unit}" if p.unit else "")
                + f" — {p.help}",
                param=p.name,
            )
    for p in declared:
        if p.default_from is not None and resolved[p.name] is None:
            resolved[p.name] = resolved[p.default_from]
    return resolved


def preset_row_of(preset_id: Any) -> dict | None:
    """The preset row named by ``preset_id``; None when no preset is given."""
    return None if _is_blank(preset_id) else lookup_preset(preset_id)


class ModelSource:
    """The model a request describes: a preset/catalog id or a config.json (text or dict).

    ``row``: the architecture parameters it fills (preset field names); ``record``: its
    :class:`~taf.model.record.ModelRecord`; ``model_id``: the catalog id when the model is a
    catalog model (a pasted config of a catalog model is recognised as that model).
    """

    __slots__ = ("row", "record", "model_id")

    def __init__(self, row: dict, record, model_id: str | None):
        self.row = row
        self.record = record
        self.model_id = model_id


def model_source(preset: Any = None, config: Any = None, name: Any = None) -> ModelSource | None:
    """The model named by ``preset`` or described by ``config``; None when neither is given.

    A config is the catalog model ``name`` (e.g. the id it was fetched by) or its ``_name_or_path``
    names, when it gives exactly that model's architecture: it then carries the catalog's curated facts.
    """
    if not _is_blank(preset) and not _is_blank(config):
        raise ParamError(
            "invalid_value",
            "Give the model either as preset (a catalog id) or as config (a config.json), not both.",
            param="config",
        )
    if not _is_blank(preset):
        row = lookup_preset(preset)
        from .model.catalog import record_for

        return ModelSource(row, record_for(row["id"]), row["id"])
    if _is_blank(config):
        return None
    from .model.record import record_from_config
    from .modelconfig.reader import parse_config_text

    if isinstance(config, (bytes, bytearray)):
        try:
            config = bytes(config).decode("utf-8")
        except UnicodeDecodeError:
            raise ParamError(
                "invalid_value", "config bytes are not UTF-8 text; give the config.json text.", param="config"
            )
    cfg = parse_config_text(config)
    record = record_from_config(cfg)
    from .model.catalog import identify

    model_id = identify(cfg, record, name)
    if model_id is not None:
        row = lookup_preset(model_id)
        from .model.catalog import record_for

        return ModelSource(row, record_for(model_id), model_id)
    row = dict(record.to_preset(), active_params=record.active_params)
    return ModelSource(row, record, None)


#: preset fields the record's KV cache and weights depend on: an explicit different value replaces the record
RECORD_KEYS = ("n_layers", "n_kv_heads", "d_head", "n_params", "has_SWA")


def attach_model(namespace, recipe: Recipe, params: dict, source: ModelSource | None) -> None:
    """Give the recipe the model's record (``p.model_record``) when its architecture is the record's.

    An explicit value for an architecture parameter that differs from the model's replaces the
    model by those scalar values: the record is then not used (``p.model_record`` is None) and a
    recipe falls back to the TAF framework's formulas on the parameters.
    """
    record = None
    if source is not None and source.record is not None:
        record = source.record
        for p in recipe.params:
            if p.preset_key not in RECORD_KEYS or value_source(p, params, source.row) != "typed":
                continue
            model_value = source.row.get(p.preset_key)
            if model_value is None or p.parse(model_value) != getattr(namespace, p.name):
                record = None
                break
    namespace.model_record = record


def _run(recipe: Recipe, params: dict, ignore_unknown: bool = False, source: ModelSource | None = None) -> dict:
    """Resolve, run and wrap one recipe. Raises ParamError on bad input.

    The model comes from ``source`` (Profile passes the one it resolved), else from the
    ``preset`` or — for a recipe that does not itself take a config — the ``config`` parameter.
    """
    params = dict(params)
    preset = params.pop("preset", None)
    config = None if "config" in recipe.param_names else params.pop("config", None)
    if source is None:
        source = model_source(preset, config)
    resolved = resolve_params(recipe, params, source.row if source else None, ignore_unknown=ignore_unknown)
    chain = Chain()
    namespace = SimpleNamespace(**resolved)
    attach_model(namespace, recipe, params, source)
    verdict = recipe.run(namespace, chain)
    return build_result(recipe.id, recipe.name, resolved, chain, verdict, preset=source.model_id if source else None)


#: what a bug inside a recipe can raise; reported as ``internal_error``, never as a traceback
UNEXPECTED = (ArithmeticError, ValueError, TypeError, KeyError, IndexError, RecursionError)


def _internal_error(exc: BaseException) -> dict:
    return {
        "error": {
            "code": "internal_error",
            "message": f"Internal error ({type(exc).__name__}: {exc}); this is a bug in taf — "
            "please report it with the inputs that caused it.",
        }
    }


def guarded(compute: Callable[[], dict]) -> dict:
    """``compute()``, with bad input as ``{"error": ...}`` and a bug as ``internal_error``. Never raises."""
    try:
        return compute()
    except ParamError as err:
        return err.as_result()
    except UNEXPECTED as exc:
        return _internal_error(exc)


def run_recipe(recipe_id: str, /, **params: Any) -> dict:
    """Run a recipe; returns the result dict or ``{"error": {...}}``. Never raises on bad input."""
    return guarded(lambda: _run(get_recipe(recipe_id), params))


def parse_params_json(params_json: Any) -> dict:
    """Parse the JSON object text of parameters, or raise ``invalid_json``."""
    if isinstance(params_json, dict):
        return params_json
    if params_json is None or (isinstance(params_json, str) and not params_json.strip()):
        return {}
    if isinstance(params_json, bytes):
        try:
            params_json = params_json.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParamError(
                "invalid_json",
                f"params_json is not UTF-8 text (byte {exc.start + 1:,} cannot start a character); send JSON text.",
            )
    if not isinstance(params_json, str):
        raise ParamError("invalid_json", f"params_json must be JSON text, got a {type(params_json).__name__}.")
    problem = json_limits_problem(params_json)
    if problem:
        raise ParamError("invalid_json", f"params_json is not read: {problem}.")
    try:
        value = json.loads(params_json, parse_constant=_reject_constant)
    except ParamError:
        raise
    except ValueError as exc:
        raise ParamError(
            "invalid_json",
            f'params_json is not valid JSON ({json_value_problem(exc)}); send an object such as {{"T_eval": 32000}}.',
        )
    if not isinstance(value, dict):
        raise ParamError(
            "invalid_json",
            f"params_json must be a JSON object of name: value pairs, got {type(value).__name__} {show(value)}.",
        )
    return value


def _reject_constant(name: str):
    raise ParamError(
        "invalid_json", f"params_json contains {name}, which strict JSON does not allow; send a finite number."
    )


def run_recipe_json(recipe_id: str, params_json: str = "{}") -> str:
    """Strict JSON text of :func:`run_recipe` on a JSON object of parameters. Never raises."""
    return dumps(guarded(lambda: _run(get_recipe(recipe_id), parse_params_json(params_json))))


def dumps(result: dict | list) -> str:
    """Strict JSON text of a result (or a list: search_models); always valid UTF-8 (text the inputs let
    through is escaped)."""
    try:
        text = to_json(result)
    except (ValueError, TypeError) as exc:
        return to_json(_internal_error(exc))
    # the boundary rejects or escapes unencodable text; this keeps the promise if a new path forgets
    # (a lone surrogate inside a JSON string becomes the literal text \udXXX)
    if text_problem(text):
        import re

        text = re.sub("[\ud800-\udfff]", lambda m: f"\\\\u{ord(m.group()):04x}", text)
    return text


def input_notes(recipe_id: str, params: Any) -> dict:
    """``{name: rule}`` for the values in ``params`` typed with a multiplier or a unit, so an echo can
    say how they were read: ``{"T_eval": "k = 1,000; write 8192 for 2¹³"}`` for ``T_eval="8k"``.
    ``recipe_id`` may be ``"profile"`` (every recipe's parameters). ``{}`` on any bad input; never raises."""
    from .params import input_note

    def compute() -> dict:
        if not isinstance(params, dict):
            return {}
        if recipe_id == "profile":
            declared: dict = {}
            for recipe in all_recipes():
                for p in recipe.params:
                    declared.setdefault(p.name, p)
        else:
            declared = {p.name: p for p in get_recipe(recipe_id).params}
        notes = {}
        for name, raw in params.items():
            note = input_note(declared[name], raw) if name in declared else None
            if note:
                notes[name] = note
        return notes

    out = guarded(compute)
    return {} if "error" in out else out


#: how the page names where a value came from (``from`` of :func:`input_echo`)
ECHO_SOURCES = {"typed": "typed", "default": "default"}


def input_echo(fn: str, recipe_id: str, params_json: Any, result_json: Any) -> dict:
    """What the page's form echoes beside each field after a result: ``{name: {"value", "from"}}``.

    ``fn``/``recipe_id``/``params_json`` are the worker call (``taf.request_key.worker_call``) and
    ``result_json`` its result text. ``value`` is the value the result used; ``from`` is where it came
    from by :func:`value_source` — ``"typed"``, ``"preset"`` or ``"config.json"`` (the model's), or
    ``"default"`` — and ``"per model"`` for a Compare parameter each model fills. ``{}`` for an error
    result or bad input; never raises.
    """

    def compute() -> dict:
        result = json.loads(result_json) if isinstance(result_json, str) else result_json
        if not isinstance(result, dict) or "error" in result:
            return {}
        params = dict(parse_params_json(params_json))
        if fn == "compare":
            recipe = get_recipe(recipe_id)
            shared = result.get("shared_params", {})
            echo = {k: {"value": v, "from": "typed"} for k, v in shared.items()}
            for p in recipe.params:
                if p.preset_key is not None and p.name not in shared:
                    echo[p.name] = {"value": None, "from": "per model"}
            return echo
        preset, config = params.pop("preset", None), None
        if fn == "profile":
            declared: dict = {}
            for each in all_recipes():
                for p in each.params:
                    declared.setdefault(p.name, p)
            values: dict = {}
            for each in result.get("results", {}).values():  # the first recipe that used a value
                for k, v in each.get("inputs", {}).items():
                    values.setdefault(k, v)
            for k, v in result.get("model", {}).items():
                values.setdefault(k, v)
            config = params.pop("config", None)
        else:
            recipe = get_recipe(recipe_id)
            declared = {p.name: p for p in recipe.params}
            values = result.get("inputs", {})
            if "config" not in recipe.param_names:
                config = params.pop("config", None)
        source = model_source(preset, config)
        model_word = "config.json" if _is_blank(preset) else "preset"
        echo = {}
        for name, value in values.items():
            p = declared.get(name)
            how = value_source(p, params, source.row if source else None) if p is not None else None
            word = model_word if how == "model" else ECHO_SOURCES.get(how, "") if how is not None else ""
            echo[name] = {"value": value, "from": word}
        return echo

    out = guarded(compute)
    return {} if "error" in out else out


def input_echo_json(fn: str, recipe_id: str, params_json: str, result_json: str) -> str:
    """Strict JSON text of :func:`input_echo` (the page's worker answers each result with it; the build
    pre-computes it beside each pre-computed result). Never raises."""
    return dumps(input_echo(fn, recipe_id, params_json, result_json))


def input_notes_json(recipe_id: str, params_json: str = "{}") -> str:
    """Strict JSON text of :func:`input_notes` on a JSON object of parameters. Never raises."""
    out = guarded(lambda: parse_params_json(params_json))
    return dumps({} if "error" in out else input_notes(recipe_id, out))
