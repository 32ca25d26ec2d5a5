"""The public API of profile and compare: the entry points ``import taf`` exposes.

Profile and Compare sit above the engine (:mod:`taf.registry`); they are imported on first
use so that ``import taf`` stays small in the page's Python worker.
"""

from __future__ import annotations

from typing import Any

from .params import ParamError
from .registry import dumps, guarded, parse_params_json


def profile_model(**params: Any) -> dict:
    """The TAF card of one model: every recipe that applies, one verdict line each."""
    from .profile import build_profile  # on first use: keeps `import taf` small

    return guarded(lambda: build_profile(params))


def compare_models(model_specs: list | None, recipe_id: str = "X-2", shared_params: dict | None = None) -> dict:
    """Run one recipe over 2–6 models side by side. Does not mutate its arguments."""
    from .profile import build_compare  # on first use: keeps `import taf` small

    return guarded(lambda: build_compare(model_specs, recipe_id, shared_params))


def profile_model_json(params_json: str = "{}") -> str:
    """Strict JSON text of :func:`profile_model`. Never raises."""
    try:
        params = parse_params_json(params_json)
    except ParamError as err:
        return dumps(err.as_result())
    return dumps(profile_model(**{str(k): v for k, v in params.items()}))


def compare_models_json(request_json: str) -> str:
    """Strict JSON text of :func:`compare_models` on ``{"recipe_id", "models", "shared_params"}``."""
    try:
        request = parse_params_json(request_json)
    except ParamError as err:
        return dumps(err.as_result())
    return dumps(compare_models(request.get("models"), request.get("recipe_id", "X-2"), request.get("shared_params")))
