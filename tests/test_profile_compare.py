"""Profile (the TAF card) and Compare (one recipe over 2–6 models)."""
import copy
import json
import math

import pytest

import taf

LLAMA3 = "meta-llama/Meta-Llama-3-8B"
PYTHIA_1B = "EleutherAI/pythia-1b"
PHI3 = "microsoft/phi-3-mini-4k-instruct"
PRESET_IDS = [row["id"] for row in taf.list_presets()]
SMALL_MHA = dict(theta=10000, T_train=2048, n_attention_heads=12, n_kv_heads=12, d_head=64, n_layers=12,
                 n_params=1.6e8)
CARD_KEYS = {"schema_version", "view", "preset", "model", "model_summary", "key_numbers", "diagnostics",
             "falsification_status", "recipes", "results"}


def profile(**params):
    card = taf.profile_model(**params)
    assert "error" not in card, card
    json.dumps(card, allow_nan=False)
    return card


def numbers(card):
    return {row["name"]: row for row in card["key_numbers"]}


def falsification(card):
    return {row["id"]: row for row in card["falsification_status"]}


def verdicts(card):
    return {row["recipe_id"]: row for row in card["recipes"]}


@pytest.mark.parametrize("preset,arch_class", [
    (LLAMA3, "RoPE-GQA post-IH (Llama-3 / Mistral / Qwen-style)"),
    (PYTHIA_1B, "RoPE-MHA post-IH (classical Llama-2 / pythia-large)"),
    (PHI3, "SWA-alternating (gemma/phi family signature)"),
])
def test_profile_card_for_three_presets(preset, arch_class):
    card = profile(preset=preset)
    assert set(card) == CARD_KEYS
    # an old preset id names its catalog model by the canonical Hugging Face id (issue 11)
    assert card["view"] == "profile" and card["preset"] == CANONICAL.get(preset, preset)
    assert card["model_summary"]["architecture_class"] == arch_class
    row = taf.get_preset(preset)
    assert card["model_summary"]["T_eval"] == row["T_train"] and card["model_summary"]["rope_theta"] == row["theta"]
    for entry in card["key_numbers"]:
        assert {"name", "value", "unit"} <= set(entry)
    f = falsification(card)
    assert list(f) == ["F1", "F2", "F10", "F11", "F17"]
    assert f["F2"]["claim"] == "d_horizon predicts NIAH"
    assert f["F2"]["status"].startswith("tautological")
    assert "applicable" not in f["F2"]["status"]
    lines = verdicts(card)
    for rid in ("X-2", "X-19", "X-21", "X-23"):
        assert lines[rid]["verdict"] and lines[rid]["verdict"] != "NOT RUN"
        assert lines[rid]["verdict"] == card["results"][rid]["verdict"]
    assert lines["X-22"]["verdict"] == "NOT RUN" and "gamma_obs" in lines["X-22"]["reason"]
    d = card["diagnostics"]
    assert {"hagedorn_safety", "bimodal_phase_class", "nearest_famous_constants", "imprint_predicted_shift",
            "compute_invariant"} <= set(d)


CANONICAL = {"microsoft/phi-3-mini-4k-instruct": "microsoft/Phi-3-mini-4k-instruct"}


def test_profile_key_numbers_llama3_match_the_formulas():
    # the seed's row (n_params = 8e9); with the preset alone N = 8,030,261,248 (issue 11)
    card = profile(preset=LLAMA3, n_params=8e9)
    n = numbers(card)
    g_pade = (1e6 - 8192 * math.sqrt(2)) / (1e6 + 8192 * math.sqrt(2))
    g_corr = g_pade + 0.11 - 0.15
    dh = 500000 * (1 - g_corr) * math.sqrt(2) / (1 + g_corr)
    assert n["γ_Padé"]["value"] == pytest.approx(g_pade, rel=1e-14)
    assert n["δ_GQA"]["value"] == 0.11 and n["δ_post-IH"]["value"] == -0.15 and n["δ_SWA"]["value"] == 0.0
    assert n["γ_decomposed"]["value"] == pytest.approx(g_corr, rel=1e-14)
    assert n["d_horizon"]["value"] == pytest.approx(dh, rel=1e-12) and n["d_horizon"]["unit"] == "tokens"
    assert n["L_NIAH^c"]["value"] == pytest.approx(2 * dh, rel=1e-12)
    assert n["χ susceptibility"]["value"] == pytest.approx(1 / (1 - g_corr), rel=1e-12)
    assert n["KV cache per request"]["value"] == 1.073741824 and n["KV cache per request"]["unit"] == "GB"
    gr = g_pade - math.log10(8000 / 14) / (2 * math.pi)
    assert n["γ_random predicted"]["value"] == pytest.approx(gr, rel=1e-13)
    K = g_corr * math.log(8e9 ** 2 * 20 * 8e9)
    assert n["Compute invariant K"]["value"] == pytest.approx(K, rel=1e-13)
    assert n["K in band"]["value"] is (abs((K - 51.2) / 16.8) <= 1)
    d = card["diagnostics"]
    assert d["hagedorn_safety"]["label"] == "PHASE A NORMAL"          # γ ≈ 0.937
    assert d["bimodal_phase_class"] == "boundary (gap zone)"
    assert d["imprint_predicted_shift"] == pytest.approx(-math.log10(8000 / 14) / (2 * math.pi), rel=1e-12)
    assert d["compute_invariant"]["K"] == n["Compute invariant K"]["value"]
    f = falsification(card)
    assert f["F10"]["status"] == "in scope" and f["F11"]["status"].startswith("not applicable")
    assert f["F17"]["status"].startswith("applies")


def test_profile_no_delta_model_says_tautology_everywhere():
    card = profile(**SMALL_MHA)
    assert "preset" not in card
    assert card["model_summary"]["architecture_class"] == "RoPE-MHA pre-IH (small MHA model)"
    n = numbers(card)
    assert n["d_horizon"]["value"] == pytest.approx(2048, rel=1e-12)
    assert "tautology" in n["d_horizon"]["note"]
    f = falsification(card)
    assert f["F2"]["status"].startswith("tautological") and "none applies here" in f["F2"]["status"]
    assert "tautological here" in f["F17"]["status"]
    assert verdicts(card)["X-2"]["verdict"] == "DEGRADED"


def test_profile_t_eval_and_gamma_obs_flow_to_the_recipes():
    card = profile(preset=LLAMA3, T_eval=32000, gamma_obs=0.85)
    assert card["model_summary"]["T_eval"] == 32000
    assert numbers(card)["γ_Padé"]["value"] == 0.9134089936270703
    assert numbers(card)["KV cache per request"]["value"] == 4.194304
    lines = verdicts(card)
    assert lines["X-22"]["verdict"] == "IN-BAND"
    assert card["results"]["X-2"]["inputs"]["gamma_obs"] == 0.85


def test_profile_phase_b_model():
    card = profile(**{**SMALL_MHA, "T_eval": 100000})
    n = numbers(card)
    assert n["d_horizon"]["value"] is None and n["χ susceptibility"]["value"] is None
    f = falsification(card)
    assert f["F1"]["status"].startswith("out of scope") and f["F2"]["status"].startswith("tautological")
    assert card["diagnostics"]["hagedorn_safety"]["level"] == "catastrophic"


def test_profile_errors_and_determinism():
    assert taf.profile_model(preset="nope/model")["error"]["code"] == "unknown_preset"
    assert taf.profile_model(theta=10000)["error"]["code"] == "missing_param"
    assert taf.profile_model(preset=LLAMA3, T_evl=3)["error"]["code"] == "unknown_param"
    half = taf.profile_model(preset=LLAMA3, gamma_text=0.7)
    assert half["error"]["code"] == "missing_param" and half["error"]["param"] == "gamma_random"
    text = taf.profile_model_json(json.dumps({"preset": PHI3}))
    assert text == taf.profile_model_json(json.dumps({"preset": PHI3}))
    assert json.loads(text)["falsification_status"][1]["status"].startswith("tautological")


# ── Compare ──────────────────────────────────────────────────────────────────
def test_compare_two_models():
    table = taf.compare_models([{"preset": LLAMA3}, {"preset": PYTHIA_1B, "label": "pythia"}], "X-2",
                               {"T_eval": 4096})
    assert table["view"] == "compare" and table["recipe_id"] == "X-2"
    assert table["shared_params"] == {"T_eval": 4096}
    assert [row["label"] for row in table["rows"]] == [LLAMA3, "pythia"]
    assert table["rows"][0]["verdict"] == "YES"
    assert table["rows"][1]["verdict"] == "BEYOND TRAINING CONTEXT"
    kn = {row["name"]: row["value"] for row in table["rows"][0]["key_numbers"]}
    assert kn["γ_Padé"] == pytest.approx((1e6 - 4096 * math.sqrt(2)) / (1e6 + 4096 * math.sqrt(2)), rel=1e-14)
    json.dumps(table, allow_nan=False)


def test_compare_six_models_with_a_gamma_recipe():
    specs = [{"preset": p} for p in PRESET_IDS[:6]]
    table = taf.compare_models(specs, "X-19")
    assert len(table["rows"]) == 6
    assert all("verdict" in row and "error" not in row for row in table["rows"])
    assert [row["preset"] for row in table["rows"]] == PRESET_IDS[:6]


@pytest.mark.parametrize("count", [0, 1, 7])
def test_compare_count_out_of_range(count):
    result = taf.compare_models([{"preset": LLAMA3}] * count, "X-2")
    assert result["error"]["code"] == "out_of_range" and result["error"]["param"] == "models"


def test_compare_does_not_mutate_its_arguments():
    specs = [{"preset": LLAMA3, "label": "big"}, {"preset": PYTHIA_1B, "label": "small", "T_eval": 1024},
             {**SMALL_MHA, "label": "custom"}]
    shared = {"gamma_obs": 0.85}
    before_specs, before_shared = copy.deepcopy(specs), copy.deepcopy(shared)
    table = taf.compare_models(specs, "X-22", shared)
    assert specs == before_specs and shared == before_shared
    assert [row["label"] for row in table["rows"]] == ["big", "small", "custom"]
    again = taf.compare_models(specs, "X-22", shared)
    assert json.dumps(again, sort_keys=True) == json.dumps(table, sort_keys=True)


def test_compare_per_row_errors():
    table = taf.compare_models([{"preset": LLAMA3}, {"preset": "nope/model"}, {**SMALL_MHA, "n_kv_heads": 99},
                                {"preset": PHI3, "T_eval": "abc"}], "X-2")
    rows = table["rows"]
    assert "verdict" in rows[0]
    assert rows[1]["error"]["code"] == "unknown_preset"
    assert rows[2]["error"]["code"] == "out_of_range" and rows[2]["error"]["param"] == "n_kv_heads"
    assert rows[3]["error"]["code"] == "invalid_value" and rows[3]["error"]["param"] == "T_eval"
    json.dumps(table, allow_nan=False)


def test_compare_bad_arguments():
    assert taf.compare_models("not a list", "X-2")["error"]["code"] == "invalid_value"
    assert taf.compare_models([{"preset": LLAMA3}] * 2, "X-99")["error"]["code"] == "unknown_recipe"
    assert taf.compare_models([{"preset": LLAMA3}] * 2, "X-2", ["T_eval"])["error"]["code"] == "invalid_value"
    table = taf.compare_models([{"preset": LLAMA3}, {"preset": PYTHIA_1B}], "X-23", {"gamma_text": 0.7})
    assert all(row["error"]["param"] == "gamma_random" for row in table["rows"])
