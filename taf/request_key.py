"""The page's requests and their cache keys: what a view state asks the worker, and the key its result
is stored under (the page's memo and the pre-computed result files built by scripts/build_site.py).

A page state is ``{view, recipe, preset, models, params}`` (``params`` in form order, values as the
user typed them). :func:`worker_call` turns it into the worker call ``(fn, recipe, args)`` — ``args``
is JSON text written exactly as the browser's ``JSON.stringify`` writes it — and :func:`request_key`
and :func:`group_key` name its result (:func:`echo_key` the form echo stored beside it). web/app.js
(``buildRequest``) and web/boot.js (``callTarget``, ``requestKey``, ``echoKey``, ``groupKey``) compute
the same in the browser; tests/browser/test_page_requests.py checks them against :func:`golden_cases`
(tests/fixtures/request_golden.json).
"""

from __future__ import annotations

import json
from typing import Any

#: the recipe behind the page's "Model from config.json" view
MODEL_RECIPE = "M-1"
#: worker functions that compute a result (the rest of the worker's calls are helpers)
RESULT_CALLS = ("run", "profile", "compare")


def request_json(value: Any) -> str:
    """JSON text exactly as the browser's ``JSON.stringify`` writes it (compact, non-ASCII kept)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def worker_call(state: dict) -> tuple[str, str, str]:
    """``(fn, recipe, args)`` of a page state: the worker call that computes what the state shows."""
    view = state.get("view", "recipe")
    params = dict(state.get("params", {}))
    preset = state.get("preset") if view in ("recipe", "profile") else None
    if view == "compare":
        request = {
            "recipe_id": state["recipe"],
            "models": [{"preset": m} for m in state.get("models", ())],
            "shared_params": params,
        }
        return "compare", state["recipe"], request_json(request)
    args = ({"preset": preset} if preset else {}) | params
    if view == "profile":
        return "profile", "-", request_json(args)
    return "run", MODEL_RECIPE if view == "model" else state["recipe"], request_json(args)


def request_key(fn: str, recipe: str, args: str) -> str:
    """The cache key of one worker call's result."""
    return f"{fn} {recipe} {args}"


def group_key(fn: str, recipe: str) -> str:
    """The key of the pre-computed result file that holds a call's result (one file per fn and recipe)."""
    return f"{fn} {recipe}"


def echo_key(fn: str, recipe: str, args: str) -> str:
    """The key of a call's form echo (``taf.registry.input_echo``) beside its result in a pre-computed file."""
    return "echo " + request_key(fn, recipe, args)


def state_key(state: dict) -> str:
    """The cache key of what a page state shows."""
    return request_key(*worker_call(state))


#: page states whose requests the golden file fixes: every view, presets, models, typed values with
#: spaces, units, non-ASCII and JSON-escaped characters, and a params key named like a reserved one
GOLDEN_STATES = (
    {"view": "recipe", "recipe": "X-2", "params": {}},
    {"view": "recipe", "recipe": "X-2", "preset": "meta-llama/Meta-Llama-3-8B", "params": {"T_eval": "32000"}},
    {"view": "recipe", "recipe": "X-1", "params": {"N_params": "8B", "gpu": "A100 80GB"}},
    {"view": "recipe", "recipe": "X-3", "params": {"USD_budget": "$5,000"}},
    {"view": "recipe", "recipe": "S-1", "params": {"model": "Qwen/Qwen3-30B-A3B", "context_tokens": "8k tokens"}},
    {"view": "recipe", "recipe": "R-1", "params": {"run_bpb": "1.08035,1.08097", "baseline_bpb": "1.08563"}},
    {"view": "recipe", "recipe": "X-2", "preset": "", "params": {"theta": "10000", "T_eval": "5 000"}},
    {"view": "recipe", "recipe": "X-2", "preset": "Qwen/Qwen2.5-7B", "params": {"gamma_obs": 'a "quoted" \\ value'}},
    {"view": "recipe", "recipe": "E-1", "params": {"n": "16", "c": "4", "note": "γ ≥ 0.5 — 日本語 \u00a0\t"}},
    {"view": "recipe", "recipe": "E-1", "params": {"c": "\b\x01\u2028\x7f </script> 😀"}},
    {"view": "profile", "params": {}},
    {"view": "profile", "preset": "Qwen/Qwen2.5-7B", "params": {"T_eval": "64k"}},
    {"view": "profile", "params": {"n_layers": "32", "config": '{"model_type": "llama", "hidden_size": 4096}'}},
    {"view": "compare", "recipe": "X-2", "models": ["meta-llama/Meta-Llama-3-8B", "Qwen/Qwen2.5-7B"], "params": {}},
    {
        "view": "compare",
        "recipe": "X-5",
        "models": ["Qwen/Qwen2.5-7B", "google/gemma-2-9b"],
        "params": {"T_eval": "16k"},
    },
    {"view": "model", "recipe": "M-1", "params": {"config": '{"model_type": "gpt2", "n_embd": 768}'}},
    {"view": "model", "recipe": "M-1", "params": {}},
)


def golden_cases() -> list[dict]:
    """[{state, fn, recipe, args, key, echo_key, group}] for tests/fixtures/request_golden.json."""
    cases = []
    for state in GOLDEN_STATES:
        fn, recipe, args = worker_call(state)
        cases.append(
            {
                "state": state,
                "fn": fn,
                "recipe": recipe,
                "args": args,
                "key": request_key(fn, recipe, args),
                "echo_key": echo_key(fn, recipe, args),
                "group": group_key(fn, recipe),
            }
        )
    return cases
