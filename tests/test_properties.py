"""Property tests over every registered recipe, driven by the declared schemas.

For any input inside the declared ranges, run_recipe returns a result or a structured
error (never an internal error or an exception), and run_recipe_json is strict JSON that
round-trips to the same dict.
"""
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import taf
from conftest import strict_loads

RECIPES = taf.list_recipes()
PRESET_IDS = [row["id"] for row in taf.list_presets()]


def value_strategy(p):
    lo, hi = p.get("min"), p.get("max")
    if p["type"] == "int":
        lo = -10**6 if lo is None else int(math.ceil(lo)) + (1 if p.get("min_exclusive") and float(lo).is_integer() else 0)
        hi = 10**12 if hi is None else int(math.floor(hi)) - (1 if p.get("max_exclusive") and float(hi).is_integer() else 0)
        return st.integers(lo, hi)
    if p["type"] == "float":
        return st.floats(min_value=-1e12 if lo is None else lo, max_value=1e12 if hi is None else hi,
                         exclude_min=bool(p.get("min_exclusive")), exclude_max=bool(p.get("max_exclusive")),
                         allow_nan=False, allow_infinity=False)
    if p["type"] == "bool":
        return st.booleans()
    if p["type"] == "choice":
        return st.sampled_from(p["choices"])
    if p["type"] == "list":
        item = value_strategy({"type": p.get("item_type", "float"), "min": lo, "max": hi,
                               "min_exclusive": p.get("min_exclusive"), "max_exclusive": p.get("max_exclusive")})
        return st.lists(item, min_size=1, max_size=6)
    return st.text(max_size=300)


def _reject(constant):
    raise AssertionError(f"non-strict JSON constant {constant} in output")


def check_outcome(recipe_id, params):
    result = taf.run_recipe(recipe_id, **params)
    assert isinstance(result, dict)
    if "error" in result:
        assert result["error"]["code"] != "internal_error", result
        assert result["error"]["message"]
    else:
        assert isinstance(result["verdict"], str) and result["verdict"]
        assert isinstance(result["chain"], list) and result["chain"]
        assert [s["step"] for s in result["chain"]] == list(range(1, len(result["chain"]) + 1))
    text = taf.run_recipe_json(recipe_id, json.dumps(params, allow_nan=False))
    decoded = strict_loads(text)
    assert decoded == json.loads(json.dumps(result, allow_nan=False))
    return result


@pytest.mark.parametrize("recipe", RECIPES, ids=[r["id"] for r in RECIPES])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_declared_input_gives_result_or_structured_error(recipe, data):
    params = {}
    for p in recipe["params"]:
        required = "default" not in p
        if not required and not data.draw(st.booleans(), label=f"give {p['name']}"):
            continue
        if required and p.get("preset_key") and data.draw(st.booleans(), label=f"leave {p['name']} to preset"):
            continue
        params[p["name"]] = data.draw(value_strategy(p), label=p["name"])
    preset = data.draw(st.sampled_from([None] + PRESET_IDS), label="preset")
    if preset:
        params["preset"] = preset
    check_outcome(recipe["id"], params)


@pytest.mark.parametrize("recipe", RECIPES, ids=[r["id"] for r in RECIPES])
@settings(max_examples=40, deadline=None)
@given(junk=st.dictionaries(st.text(max_size=12), st.one_of(st.none(), st.booleans(), st.integers(),
                                                                st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20),
                                                                st.lists(st.integers(), max_size=3)), max_size=4))
def test_junk_input_never_raises(recipe, junk):
    check_outcome(recipe["id"], junk)


@settings(max_examples=80, deadline=None)
@given(text=st.text(max_size=80))
def test_any_params_json_text_gives_strict_json(text):
    out = taf.run_recipe_json("X-2", text)
    decoded = strict_loads(out)
    assert "error" in decoded or "verdict" in decoded
    if "error" in decoded:
        assert decoded["error"]["code"] != "internal_error"
