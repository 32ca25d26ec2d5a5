"""R-1 Record claim check: the parameter-golf record PR's corrected 5-seed mean and comparisons."""
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
