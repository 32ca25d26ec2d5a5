"""F-1, E-1, G-1, Q-1, R-1, P-1: the recipes from the other seeds.

Golden values come from the seeds (floor_oracle's report, the Chinchilla-gate PR's
Qwen2.5-0.5B example, the record PR's corrected 5-seed mean); the rest are derived
by hand or by an independent computation in the test.
"""
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


def run(recipe_id, **params):
    result = taf.run_recipe(recipe_id, **params)
    assert "error" not in result, result
    return result


def step(result, name):
    matches = [s for s in result["chain"] if s["name"] == name]
    assert len(matches) == 1, [s["name"] for s in result["chain"]]
    return matches[0]


def error(recipe_id, **params):
    result = taf.run_recipe(recipe_id, **params)
    assert "error" in result, result
    return result["error"]


def taf_cli(*args):
    return subprocess.run([sys.executable, "-m", "taf", *args], capture_output=True, text=True, timeout=60)


def test_registered_in_order_and_not_in_profile():
    ids = [r["id"] for r in taf.list_recipes()]
    new = ["F-1", "E-1", "G-1", "Q-1", "R-1", "P-1"]
    assert [i for i in ids if i in new] == new
    assert ids.index("F-1") > ids.index("X-23")
    from taf.registry import get_recipe
    assert not any(get_recipe(i).in_profile for i in new)


# ── F-1 ──────────────────────────────────────────────────────────────────────
SEED_CONFIG = dict(vocab_size=263, max_seq_len=512, n_layers=2, corpus_tokens=72071, eval_n=16)


def test_f1_seed_anchor_493056_two_ways():
    r = run("F-1", d_model=128, **SEED_CONFIG)
    assert step(r, "Parameter count (closed form)")["result"] == 493_056
    assert step(r, "Parameter count (per-tensor sum)")["result"] == 493_056
    assert round(step(r, "Chinchilla deficit")["result"], 1) == 136.8
    assert r["verdict"] == "BELOW EVERY PUBLISHED FLOOR"
    assert "on both axes" in r["reason"]


def test_f1_seed_148k_config():
    r = run("F-1", d_model=64, **SEED_CONFIG)
    assert step(r, "Parameter count (closed form)")["result"] == 148_224
    assert step(r, "Parameter count (per-tensor sum)")["result"] == 148_224
    assert round(step(r, "Chinchilla deficit")["result"], 1) == 41.1


def test_f1_floor_gaps_match_seed_report():
    rows = step(run("F-1", d_model=128, **SEED_CONFIG), "Gap to published floors")["result"]
    assert [r["name"] for r in rows] == ["TinyCodeLM-150M", "TinyCodeLM-400M", "phi-1-small-350M", "SmolLM-135M"]
    assert [round(r["param_gap_x"], 1) for r in rows] == [304.2, 811.3, 709.9, 273.8]
    assert [round(r["token_gap_x"], 1) for r in rows] == [999014.9, 999014.9, 97126.4, 166502.5]
    assert [r["arxiv"] for r in rows] == ["2410.02749", "2410.02749", "2306.11644", "2502.02737"]
    assert [r["reported_pass1_pct"] for r in rows] == [6.1, 6.7, 45.0, 16.0]
    assert all(r["below_on_params"] and r["below_on_tokens"] for r in rows)


@pytest.mark.parametrize("n,upper", [(4, 0.4899), (16, 0.1936), (32, 0.1072)])
def test_f1_wilson_eval_power(n, upper):
    r = run("F-1", d_model=128, **dict(SEED_CONFIG, eval_n=n))
    assert round(step(r, "Eval power: Wilson 95 % upper bound for 0 successes")["result"], 4) == upper
    # 0/n rules out the lowest floor's 6.1 % only from n = 60 on
    assert step(r, "Eval size to resolve the lowest floor")["result"] == 60


@pytest.mark.parametrize("d_model,eval_n", [(128, 16), (64, 4), (1024, 500)])
def test_f1_capability_is_never_a_number(d_model, eval_n):
    # the seed's no-fabrication gate: without a measured result, capability is a sentinel, never a rate
    r = run("F-1", d_model=d_model, **dict(SEED_CONFIG, eval_n=eval_n))
    cap = step(r, "Capability (pass@1)")
    assert cap["result"] == "not measured" and "unit" not in cap
    assert sum(1 for s in r["chain"] if "capab" in s["name"].lower()) == 1


def test_f1_independent_parameter_count():
    # V = 1000, no positions, d = 10, L = 3, m = 2: (1000 + 0 + 1)·10 + 3·(8·100 + 20) = 12,470
    r = run("F-1", vocab_size=1000, max_seq_len=0, d_model=10, n_layers=3, ffn_mult=2, corpus_tokens=1000,
            eval_n=10)
    assert step(r, "Parameter count (closed form)")["result"] == 12_470
    tensor_step = step(r, "Parameter count (per-tensor sum)")
    assert tensor_step["result"] == 12_470
    assert "position_embedding [0×10]" not in json.dumps(tensor_step["breakdown"])
    assert tensor_step["breakdown"]["token_embedding (tied output head) [1000×10]"] == 10_000


@settings(max_examples=200, deadline=None)
@given(v=st.integers(1, 10**6), s=st.integers(0, 10**5), d=st.integers(1, 10**4), layers=st.integers(0, 200),
       m=st.integers(1, 16))
def test_f1_the_two_derivations_always_agree(v, s, d, layers, m):
    assert arch.gpt_params_closed_form(v, s, d, layers, m) == arch.gpt_params_tensor_sum(v, s, d, layers, m)


def test_f1_parameter_law_mismatch_is_reachable(monkeypatch):
    # the seed's self-test T1d: a wrong law must be caught, not silently used
    monkeypatch.setattr(arch, "gpt_params_tensor_sum", lambda *a: 999 * a[2] + a[3] * a[2])
    r = run("F-1", d_model=128, **SEED_CONFIG)
    assert r["verdict"] == "PARAMETER LAW MISMATCH"
    assert "DISAGREES" in step(r, "Parameter count (per-tensor sum)")["interpretation"]


def test_f1_verdict_flips_at_or_above_a_floor():
    # ≈ 204M params on 80B tokens: at or above TinyCodeLM-150M and SmolLM-135M on both axes
    r = run("F-1", vocab_size=50_000, max_seq_len=2048, d_model=1024, n_layers=12, corpus_tokens=80 * 10**9,
            eval_n=164)
    n = step(r, "Parameter count (closed form)")["result"]
    assert n == 52_049 * 1024 + 12 * (12 * 1024 ** 2 + 2 * 1024)
    assert r["verdict"] == "AT OR ABOVE A FLOOR"
    assert "TinyCodeLM-150M" in r["reason"] and "SmolLM-135M" in r["reason"]
    assert step(r, "Chinchilla deficit")["result"] < 1


def test_f1_above_on_params_but_short_on_tokens_is_still_below():
    r = run("F-1", vocab_size=50_000, max_seq_len=2048, d_model=1024, n_layers=12, corpus_tokens=10**6, eval_n=164)
    assert r["verdict"] == "BELOW EVERY PUBLISHED FLOOR"
    assert "on at least one axis" in r["reason"]


def test_floors_table_is_data_with_provenance():
    assert len(FLOORS) == 4
    for row in FLOORS:
        assert set(row) >= {"name", "params", "tokens", "arxiv", "reported_pass1_pct", "source", "as_of"}
        assert row["source"] and row["as_of"]
    assert FLOORS[2] == dict(FLOORS[2], name="phi-1-small-350M", params=350_000_000, tokens=7_000_000_000)


@pytest.mark.parametrize("params,code,param", [
    (dict(SEED_CONFIG), "missing_param", "d_model"),
    (dict(SEED_CONFIG, d_model=0), "out_of_range", "d_model"),
    (dict(SEED_CONFIG, d_model=128, eval_n=2.5), "invalid_value", "eval_n"),
    (dict(SEED_CONFIG, d_model=128, max_seq_len=-1), "out_of_range", "max_seq_len"),
    (dict(SEED_CONFIG, d_model=128, tokens_per_param=0), "out_of_range", "tokens_per_param"),
    (dict(SEED_CONFIG, d_model=128, vocab=5), "unknown_param", "vocab"),
])
def test_f1_errors(params, code, param):
    err = error("F-1", **params)
    assert err["code"] == code and err["param"] == param


# ── E-1 ──────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("n,c,k,expected", [
    (16, 0, 1, 0.0), (16, 1, 1, 0.0625), (16, 1, 16, 1.0), (16, 4, 1, 0.25), (16, 4, 8, 0.9615), (32, 0, 1, 0.0),
])
def test_e1_seed_pass_at_k_table(n, c, k, expected):
    r = run("E-1", n=n, c=c, k=k)
    assert round(r["chain"][1]["result"], 4) == expected
    assert r["chain"][0]["result"] == c / n


def test_e1_exact_binomials_in_breakdown():
    r = run("E-1", n=16, c=4, k=8)
    pk = step(r, "pass@8 (unbiased)")
    assert pk["breakdown"] == {"C(n−c,k)": 495, "C(n,k)": 12870, "exact": "25/26"}
    assert pk["result"] == 25 / 26


def test_e1_wilson_and_power():
    r = run("E-1", n=16, c=4)
    interval = step(r, "Wilson 95 % interval")["result"]
    assert interval["low"] == pytest.approx(0.10182, abs=1e-5) and interval["high"] == pytest.approx(0.49498, abs=1e-5)
    assert step(r, "Samples for the target half-width")["result"] == 286
    assert r["verdict"] == "UNDERPOWERED" and "286" in r["mitigation"]
    zero = run("E-1", n=16, c=0)
    assert step(zero, "Wilson 95 % interval")["result"] == {"low": 0.0, "high": pytest.approx(0.19361, abs=1e-5)}
    wider = run("E-1", n=16, c=0, confidence=0.99)
    assert step(wider, "Wilson 99 % interval")["result"]["high"] > 0.1936
    # 500/1000: half-width 1.96·√(250 + z²/4)/(1000 + z²) ≈ 0.0309 ≤ 0.05
    big = run("E-1", n=1000, c=500)
    assert step(big, "Interval half-width")["result"] == pytest.approx(0.03094, abs=1e-5)
    assert big["verdict"] == "ENOUGH POWER"


def test_e1_large_n_is_fast():
    import time
    start = time.perf_counter()
    r = run("E-1", n=100_000, c=50_000, k=50_000)
    assert time.perf_counter() - start < 0.5
    assert r["chain"][1]["result"] == 1.0 and r["chain"][1].get("breakdown") is None


@pytest.mark.parametrize("params,code,param", [
    (dict(n=16, c=1, k=17), "out_of_range", "k"),
    (dict(n=16, c=17), "out_of_range", "c"),
    (dict(n=0, c=0), "out_of_range", "n"),
    (dict(n=16, c=-1), "out_of_range", "c"),
    (dict(n=16, c=1, confidence=1), "out_of_range", "confidence"),
    (dict(n=16, c=1, confidence="high"), "invalid_value", "confidence"),
    (dict(n=16), "missing_param", "c"),
    (dict(n="1.5", c=1), "invalid_value", "n"),
])
def test_e1_errors(params, code, param):
    err = error("E-1", **params)
    assert err["code"] == code and err["param"] == param
    if param in ("k", "c") and code == "out_of_range" and params.get("c", 0) >= 0:
        assert "≤ n = 16" in err["message"]


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


# ── Q-1 ──────────────────────────────────────────────────────────────────────
C = 0.5 * math.log2(math.pi * math.e / 2)


def test_q1_record_settings_worked_example():
    r = run("Q-1", matrix_params=30_000_000, embed_params=4_194_304)
    h_m = 6 - math.log2(12.85) + C
    h_e = 8 - math.log2(20) + C
    assert round(h_m, 4) == 3.3634 and round(h_e, 4) == 4.7252
    assert step(r, "Entropy per weight (matrices)")["result"] == pytest.approx(h_m, abs=1e-12)
    assert step(r, "Compressed size (matrices)")["result"] == pytest.approx(30e6 * h_m / 8, rel=1e-12)
    assert step(r, "Compressed size (embedding)")["result"] == pytest.approx(4_194_304 * h_e / 8, rel=1e-12)
    total = 30e6 * h_m / 8 + 4_194_304 * h_e / 8
    assert step(r, "Estimated artifact size")["result"] == pytest.approx(total, rel=1e-12)
    assert step(r, "Fit against the budget")["result"] == pytest.approx(16e6 - total, rel=1e-9)
    assert r["verdict"] == "FITS"
    check = step(r, "Approximation regime (matrices)")["result"]
    assert check["in_regime"] is True and check["bin_width_sigma"] == pytest.approx(0.4015625)
    eq = step(r, "(b, k) ≈ (b+1, 2k) equivalence")["result"]
    assert eq["H(6, 12.85)"] == pytest.approx(eq["H(7, 25.7)"], abs=1e-12) == pytest.approx(eq["H(5, 6.425)"])


def test_q1_k_that_fits_lands_on_the_budget():
    r = run("Q-1", matrix_params=40_000_000, embed_params=4_194_304)
    assert r["verdict"] == "OVER BUDGET"
    k_fit = step(r, "k that fits (matrices)")["result"]
    assert k_fit > 12.85 and f"{k_fit:.4g}" in r["mitigation"]
    again = run("Q-1", matrix_params=40_000_000, embed_params=4_194_304, matrix_k=k_fit)
    assert step(again, "Fit against the budget")["result"] == pytest.approx(0, abs=1e-3)
    # the equivalence: int7 at 2k is the same size
    same = run("Q-1", matrix_params=40_000_000, embed_params=4_194_304, matrix_bits=7, matrix_k=2 * k_fit)
    assert step(same, "Fit against the budget")["result"] == pytest.approx(0, abs=1e-3)


def test_q1_out_of_regime_is_flagged():
    coarse = run("Q-1", matrix_params=30_000_000, embed_params=0, matrix_bits=4)
    assert coarse["verdict"] == "OUT OF REGIME"
    assert "bins are 1.61σ wide" in coarse["reason"]
    clipped = run("Q-1", matrix_params=1000, embed_params=0, matrix_k=1)
    assert clipped["verdict"] == "OUT OF REGIME" and "clipped" in clipped["reason"]
    impossible = run("Q-1", matrix_params=1000, embed_params=0, matrix_bits=3, matrix_k=1)
    assert "impossible" in impossible["reason"]


def test_q1_edge_cases():
    no_embed = run("Q-1", matrix_params=1_000_000, embed_params=0)
    assert not any("embedding" in s["name"] for s in no_embed["chain"])
    nothing_left = run("Q-1", matrix_params=1_000_000, embed_params=0, overhead_bytes=16_000_000)
    assert step(nothing_left, "k that fits (matrices)")["result"] is None
    assert "no k fits" in step(nothing_left, "k that fits (matrices)")["interpretation"]
    assert nothing_left["verdict"] == "OVER BUDGET"
    raw = run("Q-1", matrix_params=1000, embed_params=0)
    assert step(raw, "k that fits (matrices)")["result"] is None
    assert "any k fits" in step(raw, "k that fits (matrices)")["interpretation"]
    wide = run("Q-1", matrix_params=1000, embed_params=0, matrix_bits=12)
    assert step(wide, "Approximation regime (matrices)")["result"]["H_exact_model_bits"] is None


@pytest.mark.parametrize("params,code,param", [
    (dict(matrix_params=1000), "missing_param", "embed_params"),
    (dict(matrix_params=1000, embed_params=0, matrix_bits=0), "out_of_range", "matrix_bits"),
    (dict(matrix_params=1000, embed_params=0, matrix_k=0), "out_of_range", "matrix_k"),
    (dict(matrix_params=1000, embed_params=-1), "out_of_range", "embed_params"),
    # a unit that is not the parameter's (issue 15: "16MB" is now read as 16,000,000 bytes, see below)
    (dict(matrix_params="30M", embed_params=0, budget_bytes="16M tokens"), "invalid_value", "budget_bytes"),
])
def test_q1_errors(params, code, param):
    err = error("Q-1", **params)
    assert err["code"] == code and err["param"] == param


def test_q1_budget_in_megabytes_is_read_exactly():
    a = run("Q-1", matrix_params="30M", embed_params=0, budget_bytes="16MB")
    assert a["inputs"]["budget_bytes"] == 16_000_000
    assert a["chain"] == run("Q-1", matrix_params="30M", embed_params=0, budget_bytes=16_000_000)["chain"]


# ── R-1 ──────────────────────────────────────────────────────────────────────
CORRECTED = [1.08035, 1.08097, 1.08127, 1.08060, 1.08135]
PRE_FIX = [1.07751, 1.07809, 1.07813, 1.07801, 1.07862]
NATS_PER_BPB = 2.79210 / 1.08091  # the record's val_loss / val_bpb


def test_r1_seed_record_claim():
    r = run("R-1", run_bpb=CORRECTED, baseline_bpb=1.08563, nats_per_bpb=NATS_PER_BPB)
    mean = step(r, "Mean run val_bpb")["result"]
    assert round(mean, 5) == 1.08091
    assert round(step(r, "Improvement in bpb")["result"], 5) == 0.00472
    delta_nats = step(r, "Improvement in nats per token")["result"]
    assert delta_nats == pytest.approx(0.01219, abs=1e-5)  # seed: "+0.01219 nats per token, 2.4× the bar"
    assert round(delta_nats / 0.005, 1) == 2.4
    # independent t-test with the statistics module
    imps = [(1.08563 - x) * NATS_PER_BPB for x in CORRECTED]
    t = (statistics.mean(imps) - 0.005) / (statistics.stdev(imps) / math.sqrt(5))
    assert step(r, "t statistic (one-sided)")["result"] == pytest.approx(t, rel=1e-9)
    p = step(r, "p-value")["result"]
    assert p < 0.01 and p == pytest.approx(6.54e-5, rel=1e-2)
    assert step(r, "Improvement needed for significance")["inputs"]["t_crit"] == pytest.approx(3.746947, abs=1e-5)
    assert r["verdict"] == "CLAIM SUPPORTED"


def test_r1_seed_other_comparisons():
    # pre-fix mean 1.07807 vs 1.08563: −0.01952 nats per token, margin +0.01452 over the bar
    r = run("R-1", run_bpb=PRE_FIX, baseline_bpb=1.08563, nats_per_bpb=NATS_PER_BPB)
    assert round(step(r, "Mean run val_bpb")["result"], 5) == 1.07807
    assert step(r, "Improvement in nats per token")["result"] == pytest.approx(0.01952, abs=2e-5)
    assert step(r, "Margin over the bar")["result"] == pytest.approx(0.01452, abs=2e-5)
    # corrected vs the authors' own earlier PR (1.08279): +0.00486 nats — essentially tied, below the bar
    tied = run("R-1", run_bpb=CORRECTED, baseline_bpb=1.08279, nats_per_bpb=NATS_PER_BPB)
    assert step(tied, "Improvement in nats per token")["result"] == pytest.approx(0.00486, abs=1e-5)
    assert tied["verdict"] == "BELOW BAR"


def test_r1_not_significant_and_not_testable():
    # mean 1.07667, s = 0.00764 bpb: clears the bar on average, t ≈ 1.59 with df = 2
    values = [1.070, 1.085, 1.075]
    r = run("R-1", run_bpb="1.070,1.085,1.075", baseline_bpb=1.08563, nats_per_bpb=2.583)
    t = ((1.08563 - statistics.mean(values)) * 2.583 - 0.005) / (statistics.stdev(values) * 2.583 / math.sqrt(3))
    assert step(r, "t statistic (one-sided)")["result"] == pytest.approx(t, rel=1e-9)
    assert t == pytest.approx(1.594, abs=1e-3)
    assert r["verdict"] == "NOT SIGNIFICANT"
    # df = 2 has a closed form: P(T > t) = ½ − t / (2√(t² + 2))
    assert step(r, "p-value")["result"] == pytest.approx(0.5 - t / (2 * math.sqrt(t * t + 2)), rel=1e-9)
    assert 0.01 < step(r, "p-value")["result"] < 0.5
    one = run("R-1", run_bpb="1.07", baseline_bpb=1.08563, nats_per_bpb=2.583)
    assert one["verdict"] == "NOT TESTABLE" and step(one, "p-value")["result"] is None
    same = run("R-1", run_bpb="1.07,1.07,1.07", baseline_bpb=1.08563, nats_per_bpb=2.583)
    assert same["verdict"] == "NOT TESTABLE" and "zero spread" in same["reason"]
    worse = run("R-1", run_bpb="1.09,1.091", baseline_bpb=1.08563, nats_per_bpb=2.583)
    assert worse["verdict"] == "BELOW BAR"


def test_r1_list_forms_agree():
    as_list = taf.run_recipe_json("R-1", json.dumps({"run_bpb": CORRECTED, "baseline_bpb": 1.08563,
                                                     "nats_per_bpb": 2.583}))
    as_text = taf.run_recipe_json("R-1", json.dumps({"run_bpb": ",".join(map(str, CORRECTED)),
                                                     "baseline_bpb": 1.08563, "nats_per_bpb": 2.583}))
    as_json_text = taf.run_recipe_json("R-1", json.dumps({"run_bpb": json.dumps(CORRECTED),
                                                          "baseline_bpb": 1.08563, "nats_per_bpb": 2.583}))
    assert as_list == as_text == as_json_text
    assert '"verdict":"CLAIM SUPPORTED"' in as_list


@pytest.mark.parametrize("value,code,position,needle", [
    ("1.08,abc,1.09", "invalid_value", 1, "run_bpb (item 2)"),
    ("1.08,,1.09", "invalid_value", 1, "item 2 is empty"),
    ("1.08,-1", "out_of_range", 1, "run_bpb (item 2)"),
    ("[1.08, true]", "invalid_value", 1, "run_bpb (item 2)"),
    ("1.08,nan", "invalid_value", 1, "NaN"),
    ("[1.08,", "invalid_value", None, "not a valid JSON list"),
    ("", "missing_param", None, "run_bpb is required"),
])
def test_r1_bad_list_elements(value, code, position, needle):
    err = error("R-1", run_bpb=value, baseline_bpb=1.08563, nats_per_bpb=2.583)
    assert err["code"] == code and err["param"] == "run_bpb"
    assert err.get("position") == position
    assert needle in err["message"]


@pytest.mark.parametrize("params,code,param", [
    (dict(run_bpb="1.08", nats_per_bpb=2.583), "missing_param", "baseline_bpb"),
    (dict(run_bpb="1.08", baseline_bpb=1.08, nats_per_bpb=0), "out_of_range", "nats_per_bpb"),
    (dict(run_bpb="1.08", baseline_bpb=1.08, nats_per_bpb=2.5, alpha=0), "out_of_range", "alpha"),
    (dict(run_bpb="1.08", baseline_bpb=1.08, nats_per_bpb=2.5, bar_nats=-1), "out_of_range", "bar_nats"),
])
def test_r1_errors(params, code, param):
    err = error("R-1", **params)
    assert err["code"] == code and err["param"] == param


# ── P-1 ──────────────────────────────────────────────────────────────────────
def test_p1_pass_at_the_bounds():
    # exactly at every pre-registered bound: Int4 5/32, Int8 3/32, Int8 = Int4 + 1
    r = run("P-1", int4_mismatches="5,2,0,0", int8_mismatches="3,3,1,0")
    assert r["verdict"] == "PASS"
    assert step(r, "Checks passed")["result"] == 12
    assert step(r, "Int4 vs oracle")["result"] == {"passed": 4, "failed": 0, "failing_prompts": []}
    assert step(r, "Int4 vs oracle")["interpretation"] == "bound 5/32 = 15.6 % of tokens: 4/4 prompts pass"
    assert step(r, "Drift rule")["result"] == {"passed": 4, "failed": 0, "failing_prompts": []}
    assert r["reason"] == "All 4 prompt(s) are within the bounds (Int4 ≤ 5/32, Int8 ≤ 3/32, Int8 ≤ Int4 + 1)."


def test_p1_failing_prompts_are_named():
    r = run("P-1", int4_mismatches="2,6,0,1", int8_mismatches="1,4,2,3",
            prompt_names="arithmetic,completion,code,greeting")
    assert r["verdict"] == "FAIL"
    assert r["reason"].startswith("3 of 4 prompt(s) break a pre-registered bound — ")
    assert "prompt 2 (completion): Int4 6/32 > 5, Int8 4/32 > 3" in r["reason"]
    assert "prompt 3 (code): drift Int8 2 > Int4 0 + 1" in r["reason"]
    assert "prompt 4 (greeting): drift Int8 3 > Int4 1 + 1" in r["reason"]
    assert "prompt 1" not in r["reason"]
    assert step(r, "Checks passed")["result"] == 12 - 4
    assert step(r, "Int4 vs oracle")["result"] == {"passed": 3, "failed": 1, "failing_prompts": [2],
                                                   "failing_names": ["completion"]}
    assert step(r, "Int4 vs oracle")["interpretation"] == (
        "bound 5/32 = 15.6 % of tokens: 3/4 prompts pass; failing: prompt 2 (completion) with 6/32 = 18.8 %")
    assert step(r, "Int8 vs oracle")["result"]["failing_prompts"] == [2]
    drift = step(r, "Drift rule")["result"]
    assert drift == {"passed": 2, "failed": 2, "failing_prompts": [3, 4], "failing_names": ["code", "greeting"]}
    assert step(r, "Drift rule")["interpretation"] == ("2/4 prompts pass; failing: prompt 3 (code) with Int8 2 > "
                                                       "Int4 0 + 1, prompt 4 (greeting) with Int8 3 > Int4 1 + 1")


def test_p1_default_names_and_json_lists():
    r = run("P-1", int4_mismatches=[0, 0], int8_mismatches="[2, 0]")
    assert r["verdict"] == "FAIL"
    assert r["reason"] == "1 of 2 prompt(s) break a pre-registered bound — prompt 1: drift Int8 2 > Int4 0 + 1."
    assert step(r, "Drift rule")["result"] == {"passed": 1, "failed": 1, "failing_prompts": [1]}
    looser = run("P-1", int4_mismatches=[0, 0], int8_mismatches="[2, 0]", drift_slack=2)
    assert looser["verdict"] == "PASS"


@pytest.mark.parametrize("params,code,param,position,needle", [
    (dict(int4_mismatches="1,2,3", int8_mismatches="1,2"), "invalid_value", "int8_mismatches", None,
     "int8_mismatches has 2 value(s) but int4_mismatches has 3"),
    (dict(int4_mismatches="1,x,3", int8_mismatches="1,2,3"), "invalid_value", "int4_mismatches", 1, "(item 2)"),
    (dict(int4_mismatches="1,2,3", int8_mismatches="1,2,3.5"), "invalid_value", "int8_mismatches", 2, "(item 3)"),
    (dict(int4_mismatches="1,-2", int8_mismatches="1,2"), "out_of_range", "int4_mismatches", 1, "(item 2)"),
    (dict(int4_mismatches="1,40", int8_mismatches="1,2"), "out_of_range", "int4_mismatches", 1,
     "more mismatched tokens than tokens_per_prompt = 32"),
    (dict(int4_mismatches="1", int8_mismatches="1", int4_max=33), "out_of_range", "int4_max", None,
     "≤ tokens_per_prompt"),
    (dict(int4_mismatches="1,2", int8_mismatches="1,2", prompt_names="a"), "invalid_value", "prompt_names", None,
     "names 1 prompt(s)"),
    (dict(int4_mismatches="1,2", int8_mismatches="1,2", prompt_names="a,"), "invalid_value", "prompt_names", None,
     "empty names"),
    (dict(int8_mismatches="1,2"), "missing_param", "int4_mismatches", None, "is required"),
    (dict(int4_mismatches="1", int8_mismatches="1", tokens_per_prompt=0), "out_of_range", "tokens_per_prompt", None,
     "out of range"),
])
def test_p1_errors(params, code, param, position, needle):
    err = error("P-1", **params)
    assert err["code"] == code and err["param"] == param
    assert err.get("position") == position
    assert needle in err["message"]


# ── every recipe: CLI, strict JSON, determinism ──────────────────────────────
EXAMPLES = {
    "F-1": ["vocab_size=263", "max_seq_len=512", "d_model=128", "n_layers=2", "corpus_tokens=72071", "eval_n=16"],
    "E-1": ["n=16", "c=4", "k=8"],
    "G-1": ["n_params=494032768", "num_steps=2700", "batch_size=4", "seq_length=2048"],
    "Q-1": ["matrix_params=30M", "embed_params=4194304"],
    "R-1": ["run_bpb=1.08035,1.08097,1.08127,1.08060,1.08135", "baseline_bpb=1.08563", "nats_per_bpb=2.5831"],
    "P-1": ["int4_mismatches=2,6,0,1", "int8_mismatches=1,4,2,3"],
}
VERDICTS = {"F-1": "BELOW EVERY PUBLISHED FLOOR", "E-1": "UNDERPOWERED", "G-1": "SEVERE", "Q-1": "FITS",
            "R-1": "CLAIM SUPPORTED", "P-1": "FAIL"}


@pytest.mark.parametrize("recipe_id", list(EXAMPLES))
def test_cli_text_and_json(recipe_id):
    text = taf_cli("run", recipe_id, *EXAMPLES[recipe_id])
    assert text.returncode == 0, text.stderr
    assert f"VERDICT: {VERDICTS[recipe_id]}" in text.stdout and " 1. " in text.stdout
    out = taf_cli("run", recipe_id, *EXAMPLES[recipe_id], "--json")
    assert out.returncode == 0, out.stderr
    params = dict(a.split("=", 1) for a in EXAMPLES[recipe_id])
    assert out.stdout == taf.run_recipe_json(recipe_id, json.dumps(params)) + "\n"
    decoded = json.loads(out.stdout)
    assert decoded["verdict"] == VERDICTS[recipe_id] and decoded["caveats"]
    assert "NaN" not in out.stdout and "Infinity" not in out.stdout
    # deterministic: the same inputs give the same bytes
    assert taf.run_recipe_json(recipe_id, json.dumps(params)) == taf.run_recipe_json(recipe_id, json.dumps(params))


@pytest.mark.parametrize("args,needle", [
    (("run", "E-1", "n=16", "c=1", "k=17"), "k = 17 is out of range"),
    (("run", "P-1", "int4_mismatches=1,2", "int8_mismatches=1"), "int8_mismatches has 1 value(s)"),
    (("run", "R-1", "run_bpb=1.08,abc", "baseline_bpb=1.08", "nats_per_bpb=2.5"), "run_bpb (item 2)"),
    (("run", "G-1", "num_steps=1", "batch_size=1", "seq_length=1"), "n_params is required"),
    (("run", "Q-1", "matrix_params=1000", "embed_params=0", "matrix_bits=0"), "matrix_bits = '0' is out of range"),
    (("run", "F-1", "vocab_size=263"), "is required"),
])
def test_cli_errors_exit_2(args, needle):
    out = taf_cli(*args)
    assert out.returncode == 2
    assert needle in out.stderr and "Traceback" not in out.stderr
    assert out.stdout == ""


@pytest.mark.parametrize("recipe_id", list(EXAMPLES))
def test_describe_lists_the_issue_parameter_names(recipe_id):
    names = [p["name"] for p in next(r for r in taf.list_recipes() if r["id"] == recipe_id)["params"]]
    expected = {
        "F-1": ["vocab_size", "max_seq_len", "d_model", "n_layers", "ffn_mult", "corpus_tokens", "eval_n",
                "tokens_per_param"],
        "E-1": ["n", "c", "k", "confidence"],
        "G-1": ["n_params", "num_steps", "batch_size", "seq_length", "tokens_per_param"],
        "Q-1": ["matrix_params", "matrix_bits", "matrix_k", "embed_params", "embed_bits", "embed_k", "budget_bytes",
                "overhead_bytes"],
        "R-1": ["run_bpb", "baseline_bpb", "nats_per_bpb", "bar_nats", "alpha"],
        "P-1": ["tokens_per_prompt", "int4_mismatches", "int8_mismatches", "int4_max", "int8_max", "drift_slack"],
    }[recipe_id]
    assert names[:len(expected)] == expected
    described = {p["name"]: p for p in next(r for r in taf.list_recipes() if r["id"] == recipe_id)["params"]}
    defaults = {"ffn_mult": 4, "tokens_per_param": 20.0, "confidence": 0.95, "budget_bytes": 16_000_000,
                "overhead_bytes": 0, "bar_nats": 0.005, "alpha": 0.01, "tokens_per_prompt": 32, "int4_max": 5,
                "int8_max": 3, "drift_slack": 1}
    for name, default in defaults.items():
        if name in described:
            assert described[name]["default"] == default
    assert described.get("n_params", {}).get("preset_key", "n_params") == "n_params"
