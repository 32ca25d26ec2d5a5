"""P-1 Quantization parity gate: the pre-registered tiny-model-ground-truth bounds."""
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
