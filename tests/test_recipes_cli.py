"""F-1, E-1, G-1, Q-1, R-1, P-1 through the CLI: text and JSON, errors exit 2, registration order."""
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


def test_registered_in_order_and_not_in_profile():
    ids = [r["id"] for r in taf.list_recipes()]
    new = ["F-1", "E-1", "G-1", "Q-1", "R-1", "P-1"]
    assert [i for i in ids if i in new] == new
    assert ids.index("F-1") > ids.index("X-23")
    from taf.registry import get_recipe
    assert not any(get_recipe(i).in_profile for i in new)


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
