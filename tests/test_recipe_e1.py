"""E-1 Eval power: pass@k against floor_oracle's table, Wilson intervals, exact binomials."""
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
