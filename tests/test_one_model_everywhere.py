"""Issue 11: one model, one answer — preset, catalog entry, pasted config, link and CLI agree.

Hand-derived oracles: Mistral-7B-v0.1 has 32 layers · 2·8·128 KV elements per token and a 4,096-token
window on every layer, so at 32,768 tokens each layer holds 4,096 tokens:
32 · 2048 · 4096 · 2 B = 536,870,912 B (M-1's figure), not the seed's 32 · 2048 · 32768 · 2 = 4,294,967,296.
Qwen3-30B-A3B: 48 MoE layers with 128 experts of 3·2048·768 parameters, 8 active per token:
active = 30,532,122,624 − 48·120·4,718,592 = 3,353,032,704.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

import taf

CONFIGS = Path(__file__).parent / "fixtures" / "configs"
MISTRAL = "mistralai/Mistral-7B-v0.1"
QWEN_MOE = "Qwen/Qwen3-30B-A3B"
MISTRAL_KV_32K = 536_870_912
QWEN_ACTIVE = 3_353_032_704


def step(result: dict, name: str) -> dict:
    return next(s for s in result["chain"] if s["name"] == name)


def mistral_text() -> str:
    return (CONFIGS / "mistral-7b-v0.1.json").read_text()


def test_mistral_kv_at_32k_is_one_number_in_every_view():
    m1 = taf.run_recipe("M-1", config=mistral_text())   # M-1 reports the cache at the config's 32,768 tokens
    assert step(m1, "KV cache at context length")["result"]["bytes"] == MISTRAL_KV_32K
    x5 = taf.run_recipe("X-5", preset=MISTRAL, T_eval=32768)
    assert step(x5, "KV cache (per request)")["breakdown"]["bytes"] == MISTRAL_KV_32K
    x2 = taf.run_recipe("X-2", preset=MISTRAL, T_eval=32768)
    assert step(x2, "KV cache memory")["result"]["bytes"] == MISTRAL_KV_32K
    x19 = taf.run_recipe("X-19", preset=MISTRAL, T_eval=32768)
    assert step(x19, "Baseline KV memory")["result"]["bytes"] == MISTRAL_KV_32K
    card = taf.profile_model(preset=MISTRAL, T_eval=32768)
    assert step(card["results"]["X-2"], "KV cache memory")["result"]["bytes"] == MISTRAL_KV_32K
    assert step(card["results"]["X-5"], "KV cache (per request)")["breakdown"]["bytes"] == MISTRAL_KV_32K
    table = taf.compare_models([MISTRAL, "meta-llama/Meta-Llama-3-8B"], "X-5", {"T_eval": 32768})
    assert step(table["rows"][0]["result"], "KV cache (per request)")["breakdown"]["bytes"] == MISTRAL_KV_32K
    # Llama-3-8B has no window: the seed's formula, 131,072 B per token
    assert step(table["rows"][1]["result"], "KV cache (per request)")["breakdown"]["bytes"] == 131_072 * 32768
    # a pasted config gives the same cache (it is not named, so it keeps its own T_train)
    pasted = taf.run_recipe("X-5", config=mistral_text(), T_eval=32768)
    assert step(pasted, "KV cache (per request)")["breakdown"]["bytes"] == MISTRAL_KV_32K
    # explicit scalar parameters keep the seed's formula and numbers
    seed = taf.run_recipe("X-5", N_params=7.24e9, n_layers=32, n_kv_heads=8, d_head=128, T_eval=32768)
    assert step(seed, "KV cache (per request)")["breakdown"]["bytes"] == 4_294_967_296


def test_qwen3_moe_decode_uses_active_parameters_everywhere():
    x5 = taf.run_recipe("X-5", preset=QWEN_MOE)
    active = step(x5, "Weights read per token (MoE active)")
    assert active["inputs"]["N_active"] == QWEN_ACTIVE and active["result"] == 2 * QWEN_ACTIVE / 1e9
    ranked = x5["chain"][4]["result"]
    # tok/s = bandwidth / active weights (the seed divided by all 61.1 GB: ~9× slower, ~9× dearer)
    best = ranked[0]
    from taf.data.gpus import GPUS
    bw = next(g["bandwidth_gb_s"] for g in GPUS if g["name"] == best["gpu"])
    assert best["tok_per_sec"] == pytest.approx(bw / (2 * QWEN_ACTIVE / 1e9), rel=1e-12)
    card = taf.profile_model(preset=QWEN_MOE)
    assert card["results"]["X-5"]["chain"][4]["result"] == ranked
    table = taf.compare_models([QWEN_MOE, MISTRAL], "X-5")
    assert table["rows"][0]["result"]["chain"][4]["result"] == ranked
    pasted = taf.run_recipe("X-5", config=(CONFIGS / "qwen3-30b-a3b.json").read_text())
    assert pasted["chain"][4]["result"] == ranked
    x1 = taf.run_recipe("X-1", preset=QWEN_MOE)
    assert step(x1, "Self-inference $/Mtok")["inputs"]["active_model_GB"] == pytest.approx(2 * QWEN_ACTIVE / 1e9)


def test_explicit_architecture_override_drops_the_record():
    # n_layers=16 describes another model: the seed's formula on the given numbers
    r = taf.run_recipe("X-2", preset=MISTRAL, T_eval=32768, n_layers=16)
    assert step(r, "KV cache memory")["result"]["bytes"] == 2 * 16 * 8 * 128 * 32768 * 2
    # an explicit value equal to the model's keeps the record
    r = taf.run_recipe("X-2", preset=MISTRAL, T_eval=32768, n_layers=32)
    assert step(r, "KV cache memory")["result"]["bytes"] == MISTRAL_KV_32K
    # T_train is not part of the cache layout
    r = taf.run_recipe("X-2", preset=MISTRAL, T_eval=32768, T_train=4096)
    assert step(r, "KV cache memory")["result"]["bytes"] == MISTRAL_KV_32K


def test_same_answer_from_the_cli_and_the_link_parameters():
    def cli(*args):
        out = subprocess.run([sys.executable, "-m", "taf", *args], capture_output=True, text=True, check=True)
        return json.loads(out.stdout)
    by_preset = cli("run", "X-5", "--preset", MISTRAL, "T_eval=32768", "--json")
    assert by_preset == json.loads(taf.run_recipe_json("X-5", json.dumps({"preset": MISTRAL, "T_eval": 32768})))
    by_config = cli("run", "X-5", "--config", str(CONFIGS / "mistral-7b-v0.1.json"), "T_eval=32768", "--json")
    assert step(by_config, "KV cache (per request)")["breakdown"]["bytes"] == MISTRAL_KV_32K
    moe = cli("run", "X-5", "--config", str(CONFIGS / "qwen3-30b-a3b.json"), "--json")
    assert step(moe, "Weights read per token (MoE active)")["inputs"]["N_active"] == QWEN_ACTIVE
