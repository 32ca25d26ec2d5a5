"""Q-1 Quantized artifact budget: the parameter-golf record settings, derived by hand."""
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
