"""The public API contract (SPEC §3) and one test per error code."""
import copy
import json

import pytest

import taf
from taf.params import ERROR_CODES

LLAMA = "meta-llama/Meta-Llama-3-8B"


def err(result):
    assert set(result) == {"error"}, result
    e = result["error"]
    assert e["code"] in ERROR_CODES and e["code"] != "internal_error"
    assert isinstance(e["message"], str) and e["message"] and "Traceback" not in e["message"]
    return e


def test_api_names_exist():
    for name in ("list_recipes", "run_recipe", "run_recipe_json", "list_presets", "get_preset",
                 "profile_model", "compare_models"):
        assert callable(getattr(taf, name))
    assert isinstance(taf.__version__, str) and taf.__version__.count(".") == 2


def test_list_recipes_shape():
    recipes = taf.list_recipes()
    ids = [r["id"] for r in recipes]
    assert "X-2" in ids and len(ids) == len(set(ids))
    for r in recipes:
        assert set(r) >= {"id", "name", "description", "category", "sections", "params"}
        for p in r["params"]:
            assert set(p) >= {"name", "type", "unit", "help"}
            assert p["type"] in ("int", "float", "bool", "str", "choice", "list")
            if p["type"] == "choice":
                assert p["choices"]
    json.dumps(recipes, allow_nan=False)


def test_presets():
    presets = taf.list_presets()
    assert len(presets) == 11
    for row in presets:
        assert row["source"] and row["as_of"]
    # issue 11: n_params is the exact count of the published config.json (the seed's row said 8e9)
    assert taf.get_preset(LLAMA) == {"theta": 500000.0, "T_train": 8192, "n_attention_heads": 32, "n_kv_heads": 8,
                                     "d_head": 128, "n_layers": 32, "n_params": 8_030_261_248, "has_SWA": False}
    assert taf.get_preset("nope/nope") == {}
    assert taf.get_preset(None) == {}


def test_preset_fills_and_explicit_overrides():
    r = taf.run_recipe("X-2", preset=LLAMA, T_eval=4096, theta="1M")
    assert r["inputs"]["theta"] == 1e6 and r["inputs"]["n_layers"] == 32
    assert r["preset"] == LLAMA
    # explicit preset-free run gives the same numbers as the preset
    explicit = dict(taf.get_preset(LLAMA), T_eval=4096, theta=1e6)
    r2 = taf.run_recipe("X-2", **explicit)
    assert r2["chain"] == r["chain"] and r2["verdict"] == r["verdict"]


def test_inputs_hold_every_declared_param_and_nothing_else():
    r = taf.run_recipe("X-2", preset=LLAMA)
    declared = [p["name"] for p in next(x for x in taf.list_recipes() if x["id"] == "X-2")["params"]]
    assert list(r["inputs"]) == declared
    assert r["inputs"]["T_eval"] == 8192  # default_from T_train


def test_unknown_recipe():
    e = err(taf.run_recipe("X-99"))
    assert e["code"] == "unknown_recipe" and "X-2" in e["message"]
    assert err(taf.run_recipe(""))["code"] == "unknown_recipe"
    assert taf.run_recipe("x-2", preset=LLAMA)["recipe_id"] == "X-2"  # case-insensitive id


def test_unknown_preset_with_suggestion():
    e = err(taf.run_recipe("X-2", preset="meta-llama/Meta-Llama-3-8", T_eval=1000))
    assert e["code"] == "unknown_preset" and e["param"] == "preset"
    assert e["suggestion"] == LLAMA
    # a label alone (after the slash) is accepted when unambiguous
    assert taf.run_recipe("X-2", preset="Meta-Llama-3-8B")["preset"] == LLAMA


def test_missing_param():
    e = err(taf.run_recipe("X-2", T_eval=1000))
    assert e["code"] == "missing_param" and e["param"] == "theta"
    assert "preset" in e["message"]


def test_unknown_param_did_you_mean():
    e = err(taf.run_recipe("X-2", preset=LLAMA, T_evl=1000))
    assert e["code"] == "unknown_param" and e["param"] == "T_evl" and e["suggestion"] == "T_eval"
    assert "Did you mean 'T_eval'" in e["message"]


def test_invalid_value():
    e = err(taf.run_recipe("X-2", preset=LLAMA, T_eval="32.5k5"))
    assert e["code"] == "invalid_value" and e["param"] == "T_eval" and "32.5k5" in e["message"]
    assert err(taf.run_recipe("X-2", preset=LLAMA, T_eval=float("nan")))["code"] == "invalid_value"
    assert err(taf.run_recipe("X-2", preset=LLAMA, has_SWA="perhaps"))["code"] == "invalid_value"


def test_out_of_range():
    e = err(taf.run_recipe("X-2", preset=LLAMA, T_eval=0))
    assert e["code"] == "out_of_range" and e["param"] == "T_eval"
    e = err(taf.run_recipe("X-2", preset=LLAMA, n_kv_heads=64))
    assert e["code"] == "out_of_range" and e["param"] == "n_kv_heads" and "n_attention_heads" in e["message"]


def test_unknown_choice():
    recipe = next((r for r in taf.list_recipes() for p in r["params"] if p["type"] == "choice"), None)
    assert recipe is not None, "no recipe declares a choice parameter"
    param = next(p for p in recipe["params"] if p["type"] == "choice")
    e = err(taf.run_recipe(recipe["id"], preset=LLAMA, **{param["name"]: "no-such-thing"}))
    assert e["code"] == "unknown_choice" and e["param"] == param["name"]
    assert e["choices"] == param["choices"]


@pytest.mark.parametrize("text", ["{", "[1,2]", '"x"', '{"T_eval": NaN}', '{"T_eval": Infinity}', "null x", "{'a':1}"])
def test_invalid_json(text):
    out = taf.run_recipe_json("X-2", text)
    e = err(json.loads(out))
    assert e["code"] == "invalid_json"


def test_run_recipe_json_is_strict_and_matches_run_recipe():
    text = taf.run_recipe_json("X-2", json.dumps({"preset": LLAMA, "T_eval": 32000}))
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text) == taf.run_recipe("X-2", preset=LLAMA, T_eval=32000)
    assert taf.run_recipe_json("X-2") == taf.run_recipe_json("X-2", "{}")
    assert json.loads(taf.run_recipe_json("X-2"))["error"]["code"] == "missing_param"


def test_deterministic_bytes():
    a = taf.run_recipe_json("X-2", '{"preset": "Qwen/Qwen2.5-7B", "T_eval": "64k"}')
    b = taf.run_recipe_json("X-2", '{"T_eval": 64000, "preset": "Qwen/Qwen2.5-7B"}')
    assert a == b


def test_blank_values_count_as_not_given():
    r = taf.run_recipe("X-2", preset=LLAMA, T_eval="", gamma_obs=None)
    assert r["inputs"]["T_eval"] == 8192 and r["inputs"]["gamma_obs"] is None


def test_compare_does_not_mutate_arguments():
    specs = [{"preset": LLAMA, "label": "llama"}, {"preset": "Qwen/Qwen2.5-7B"}]
    shared = {"T_eval": "16k"}
    before = copy.deepcopy((specs, shared))
    out = taf.compare_models(specs, "X-2", shared)
    assert (specs, shared) == before
    assert [row["label"] for row in out["rows"]] == ["llama", "Qwen/Qwen2.5-7B"]
    assert out["shared_params"] == {"T_eval": 16000}


def test_compare_model_count_bounds():
    assert err(taf.compare_models([{"preset": LLAMA}], "X-2"))["code"] == "out_of_range"
    assert err(taf.compare_models([{"preset": LLAMA}] * 7, "X-2"))["code"] == "out_of_range"
    assert err(taf.compare_models("llama", "X-2"))["code"] == "invalid_value"
    assert err(taf.compare_models([{"preset": LLAMA}] * 2, "nope"))["code"] == "unknown_recipe"


def test_profile_errors():
    assert err(taf.profile_model())["code"] == "missing_param"
    assert err(taf.profile_model(preset="nope"))["code"] == "unknown_preset"
    assert err(taf.profile_model(preset=LLAMA, bogus=1))["code"] == "unknown_param"
