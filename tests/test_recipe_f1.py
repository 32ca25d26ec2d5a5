"""F-1 Scale floor & eval power: golden values from floor_oracle's report, the rest derived by hand."""
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
