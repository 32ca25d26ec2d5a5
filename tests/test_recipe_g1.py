"""G-1 Pre-training token gate: the gate PR's Qwen2.5-0.5B example and exact band boundaries."""
import json
import math
import statistics
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

import taf
from taf.data.floors import FLOORS
from taf.formulas import architecture as arch
from taf.formulas import quantization as qz


from conftest import error, run, step, taf_cli  # noqa: F401 - shared helpers (tests/conftest.py)


# ── G-1 ──────────────────────────────────────────────────────────────────────
QWEN_05B = 494_032_768  # Qwen2.5-0.5B, exact tensor count


def test_g1_seed_qwen_example():
    # seed 003: 2,700 steps of a ≈494M model → D ≈ 22M tokens, 20·N ≈ 9.88B, ratio ≈ 0.04×, ≈ 0.2 % of optimal
    r = run("G-1", n_params=QWEN_05B, num_steps=2700, batch_size=4, seq_length=2048)
    d = step(r, "Training tokens")["result"]
    assert d == 2700 * 4 * 2048 == 22_118_400
    assert round(d / 1e6) == 22
    d_opt = step(r, "Compute-optimal tokens")["result"]
    assert d_opt == 9_880_655_360 and round(d_opt / 1e9, 2) == 9.88
    ratio = step(r, "Tokens per parameter")["result"]
    assert round(ratio, 2) == 0.04 and round(ratio / 20 * 100, 1) == 0.2
    assert step(r, "num_steps for compute-optimal")["result"] == math.ceil(9_880_655_360 / 8192) == 1_206_135
    assert r["verdict"] == "SEVERE"
    assert "1,206,135" in r["mitigation"]


def test_g1_seed_full_corpus_example():
    # the audit: the full 1.24B-token corpus reaches only ≈ 0.125× of 20·N
    r = run("G-1", n_params=QWEN_05B, num_steps=151_368, batch_size=4, seq_length=2048)
    ratio = step(r, "Tokens per parameter")["result"]
    assert round(ratio / 20, 3) == 0.125
    assert r["verdict"] == "SEVERE"


@pytest.mark.parametrize("steps,label", [
    (4999, "SEVERE"), (5000, "BLOCKED"), (9999, "BLOCKED"), (10_000, "BELOW-OPTIMAL"), (19_999, "BELOW-OPTIMAL"),
    (20_000, "COMPUTE-OPTIMAL"), (10**6, "COMPUTE-OPTIMAL"),
])
def test_g1_bands_at_exact_boundaries(steps, label):
    r = run("G-1", n_params=1000, num_steps=steps, batch_size=1, seq_length=1)
    assert r["verdict"] == label
    assert step(r, "Gate thresholds")["interpretation"].endswith(f"{label} band")


def test_g1_steps_ceiling_is_exact():
    # 20·1000 = 20,000 tokens at 21 per step: 952 steps give 19,992, 953 give 20,013
    r = run("G-1", n_params=1000, num_steps=1, batch_size=3, seq_length=7)
    s = step(r, "num_steps for compute-optimal")
    assert s["result"] == 953
    assert s["breakdown"] == {"steps to 5·N": 239, "steps to 10·N": 477, "steps to 20·N": 953}


def test_g1_custom_thresholds_and_preset():
    # D/N = 9: BLOCKED by default (< 10), BELOW-OPTIMAL with block_ratio = 8
    assert run("G-1", n_params=1000, num_steps=9000, batch_size=1, seq_length=1)["verdict"] == "BLOCKED"
    r = run("G-1", n_params=1000, num_steps=9000, batch_size=1, seq_length=1, block_ratio=8)
    assert r["verdict"] == "BELOW-OPTIMAL"
    # D/N = 5.5: BLOCKED by default, SEVERE with severe_ratio = 6
    r = run("G-1", n_params=1000, num_steps=5500, batch_size=1, seq_length=1, severe_ratio=6)
    assert r["verdict"] == "SEVERE"
    r = run("G-1", preset="Qwen/Qwen2.5-1.5B", num_steps=2700, batch_size=4, seq_length=2048)
    # issue 11: the exact count of Qwen2.5-1.5B's config (the seed's row said 1.5e9)
    assert r["inputs"]["n_params"] == 1_543_714_304 and r["verdict"] == "SEVERE"
    r = run("G-1", n_params="494M", num_steps=2700, batch_size=4, seq_length=2048, tokens_per_param=40)
    assert step(r, "Compute-optimal tokens")["result"] == 40 * 494e6


@pytest.mark.parametrize("params,code,param", [
    (dict(num_steps=1, batch_size=1, seq_length=1), "missing_param", "n_params"),
    (dict(n_params=1e9, num_steps=0, batch_size=1, seq_length=1), "out_of_range", "num_steps"),
    (dict(n_params=1e9, num_steps=1, batch_size=1.5, seq_length=1), "invalid_value", "batch_size"),
    (dict(n_params=1e9, num_steps=1, batch_size=1, seq_length=1, tokens_per_param=5), "out_of_range", "block_ratio"),
    (dict(n_params=1e9, num_steps=1, batch_size=1, seq_length=1, severe_ratio=12), "out_of_range", "severe_ratio"),
    (dict(n_params=1e9, num_steps=1, batch_size=1, seq_length=1, preset="nope"), "unknown_preset", "preset"),
])
def test_g1_errors(params, code, param):
    err = error("G-1", **params)
    assert err["code"] == code and err["param"] == param
