"""S-2: roofline arithmetic (hand-derived), behaviour against batch, and the estimates against published
measurements (taf/data/measurements_speed.py): defaults re-derived from their ``derive`` rows, held-out
``test`` rows within ±35 %."""

from __future__ import annotations

import json

import pytest

import taf
from conftest import config_text as config
from conftest import run as run_recipe
from taf.data import measurements_speed as ms
from taf.formulas import roofline as rl

TOLERANCE = 0.35


def run(name="qwen3-8b", **kw):
    """S-2 on the fixture config ``name`` (fails on an error)."""
    return run_recipe("S-2", config=config(name), **kw)


# ── formulas ────────────────────────────────────────────────────────────────────
def test_causal_pairs_and_experts_hand_derived():
    assert rl.causal_pairs(4) == 1 + 2 + 3 + 4
    assert rl.causal_pairs(5, 2) == 1 + 2 + 2 + 2 + 2
    assert rl.causal_pairs(5, 10) == 15
    assert rl.expected_experts_touched(128, 8, 1) == pytest.approx(8)
    assert rl.expected_experts_touched(128, 8, 2) == pytest.approx(128 * (1 - (120 / 128) ** 2))
    assert rl.expected_experts_touched(128, 8, 10_000) == pytest.approx(128)
    assert rl.allreduce_time(1000, 1, 1e9, 1e-5) == 0
    assert rl.allreduce_time(1000, 4, 1e9, 1e-5) == pytest.approx(2 * 3 / 4 * 1000 / 1e9 + 1e-5)
    assert rl.usd_per_million_tokens(3.6, 1000) == pytest.approx(1.0)


def test_prefill_flops_qwen3_8b_hand_derived():
    r = run(prompt_tokens=1000, batch=1)
    step = next(s for s in r["chain"] if s["name"].startswith("Prefill"))
    # Qwen3-8B: 36 layers × (q 4096², k, v 1024×4096, o 4096², MLP 3 × 12288×4096) + lm_head 151936×4096
    per_layer = 4096 * 4096 * 2 + 1024 * 4096 * 2 + 3 * 12288 * 4096
    n = 36 * per_layer + 151936 * 4096
    assert step["inputs"]["matmul_flops"] == 2 * n * 1000
    assert step["inputs"]["attention_flops"] == 4 * 4096 * 36 * (1000 * 1001 // 2)


# ── behaviour ───────────────────────────────────────────────────────────────────
def test_qwen3_8b_h100_vllm_batch_one_near_7ms_and_throughput_rises_to_the_knee():
    """Issue 13 'done when': ~7 ms per output token at batch 1 (GPUStack, vLLM v0.11.0: 7.28 ms), throughput
    rising with batch until decode turns compute-bound."""
    r1 = run(engine="vllm", gpu="nvidia-h100-sxm", weight_format="bf16", batch=1, prompt_tokens=233, output_tokens=221)
    assert r1["figures"]["time_per_output_token_ms"] == pytest.approx(7.28, rel=TOLERANCE)
    assert r1["figures"]["bound"] == "memory"
    knee = r1["figures"]["knee_batch"]
    assert knee and knee > 8
    chart = next(c for c in r1["charts"] if c["id"] == "s2_tokens_per_s")
    assert chart["markers"][0]["value"] == knee
    thr = [run(batch=b, prompt_tokens=233, output_tokens=221)["figures"] for b in (1, 8, 64, knee, 4 * knee)]
    values = [f["throughput_tokens_per_s"] for f in thr]
    assert values == sorted(values)
    assert thr[3]["bound"] == "compute" and thr[2]["bound"] == "memory"
    # past the knee each user slows down roughly in proportion
    assert thr[4]["decode_tokens_per_s"] < 0.5 * thr[3]["decode_tokens_per_s"]


def test_moe_reads_more_experts_as_batch_grows():
    small = run("qwen3-30b-a3b", batch=1)
    big = run("qwen3-30b-a3b", batch=64)
    w = [next(s for s in r["chain"] if s["name"].startswith("Decode"))["inputs"]["weight_bytes"] for r in (small, big)]
    assert w[1] > 5 * w[0]


def test_compressed_attention_layers_carry_the_flops_caveat():
    v4 = run("deepseek-v4-flash", gpu="H100", n_gpus=8)
    dense = run(gpu="H100")
    assert any("Compressed-attention layers" in c for c in v4["caveats"])
    assert not any("Compressed-attention layers" in c for c in dense["caveats"])


def test_tensor_parallel_adds_comm_and_splits_weights():
    one = run(n_gpus=1)["figures"]["time_per_output_token_ms"]
    two = run(n_gpus=2)
    assert any(s["name"] == "Tensor-parallel all-reduces" for s in two["chain"])
    assert two["figures"]["time_per_output_token_ms"] < one


def test_owned_apple_gpu_memory_roofline_only():
    r = run("llama-3-8b", engine="llama.cpp", weight_format="Q4_0", kv_cache_dtype="fp16", gpu="apple-m2-ultra-192gb")
    assert r["figures"]["knee_batch"] is None and r["figures"]["usd_per_million_output_tokens"] is None
    assert r["figures"]["bound"] == "memory"


def test_bad_inputs_are_structured_errors():
    r = taf.run_recipe("S-2", config=config("qwen3-8b"), gpu="custom", gpu_memory_GB=24)
    assert r["error"]["param"] == "gpu_bandwidth_GB_s"
    r = taf.run_recipe("S-2", config=config("qwen3-8b"), batch=0)
    assert r["error"]["code"] == "out_of_range"


def test_json_strict_and_deterministic():
    text = json.dumps({"config": config("qwen3-30b-a3b"), "batch": 16})
    a, b = taf.run_recipe_json("S-2", text), taf.run_recipe_json("S-2", text)
    assert a == b and "NaN" not in a and "Infinity" not in a


# ── against published measurements ──────────────────────────────────────────────
def predicted(row, **override) -> float:
    setup = dict(row["setup"])
    return run(setup.pop("model_config"), **setup, **override)["figures"][row["quantity"]]


def implied_efficiency(row) -> float:
    at_peak = predicted(row, efficiency_bandwidth=1.0)
    if row["quantity"] == "time_per_output_token_ms":
        return at_peak / row["measured"]
    return row["measured"] / at_peak


@pytest.mark.parametrize("group", sorted(ms.EFFICIENCY_BANDWIDTH))
def test_efficiency_defaults_are_derived_from_their_rows(group):
    rows = [r for r in ms.SPEED if r["role"] == "derive" and r["efficiency"] == group]
    assert rows
    derived = sum(implied_efficiency(r) for r in rows) / len(rows)
    assert ms.EFFICIENCY_BANDWIDTH[group] == pytest.approx(derived, abs=0.005)


def test_no_test_row_is_a_derivation_row():
    ids = [r["id"] for r in ms.SPEED]
    assert len(ids) == len(set(ids))
    for r in ms.SPEED:
        assert r["role"] in ("derive", "test") and r["source"].startswith("https://") and r["quote"] and r["checked"]


@pytest.mark.parametrize(
    "row", [r for r in ms.SPEED if r["role"] == "test" and r["id"] not in ms.KNOWN_MISSES], ids=lambda r: r["id"]
)
def test_held_out_measurements_within_tolerance(row):
    ratio = predicted(row) / row["measured"]
    assert 1 - TOLERANCE <= ratio <= 1 + TOLERANCE, (row["id"], ratio)


@pytest.mark.parametrize("row", [r for r in ms.SPEED if r["id"] in ms.KNOWN_MISSES], ids=lambda r: r["id"])
def test_known_misses_stay_as_reported(row):
    ratio = predicted(row) / row["measured"]
    assert not (1 - TOLERANCE <= ratio <= 1 + TOLERANCE)
    assert ratio == pytest.approx(0.42, abs=0.03)


def test_done_when_by_catalog_id():
    r = taf.run_recipe(
        "S-2", model="Qwen/Qwen3-8B", gpu="H100", engine="vllm", batch=1, prompt_tokens=233, output_tokens=221
    )
    assert r["figures"]["time_per_output_token_ms"] == pytest.approx(7.28, rel=TOLERANCE)
