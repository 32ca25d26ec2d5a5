"""Shared fixtures and helpers for the test modules.

``EXAMPLES``: for every recipe, a few inputs that give a result (not an error), chosen to reach
different verdicts. Tests that must hold for every recipe (references, tone, figures, wording,
markdown) run over these.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import taf

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "tests" / "fixtures" / "configs"

LLAMA3_8B = "meta-llama/Meta-Llama-3-8B"
SMALL_MHA = dict(theta=10000, T_train=2048, n_attention_heads=12, n_kv_heads=12, d_head=64, n_layers=12,
                 n_params=124e6)

#: recipe id → list of parameter dicts that each give a result
EXAMPLES: dict[str, list[dict]] = {
    "X-1": [dict(N_params=7e9), dict(N_params=1e9, monthly_tokens_M=100000), dict(N_params=70e9, api_model="GPT-4o-mini")],
    "X-2": [dict(preset=LLAMA3_8B, T_eval=32000), dict(preset=LLAMA3_8B), dict(preset="Qwen/Qwen2.5-7B"),
            dict(SMALL_MHA, T_eval=1024), dict(SMALL_MHA, gamma_obs=0.7, T_eval=1000),
            dict(preset="mistralai/Mistral-7B-v0.1", T_eval=32000)],
    "X-3": [dict(), dict(USD_budget=100), dict(USD_budget=1e6, n_gpus=8)],
    "X-5": [dict(N_params=8e9), dict(N_params=70e9, target_tokens_per_day=1e9), dict(N_params=1e9, T_eval=1000)],
    "X-19": [dict(preset=LLAMA3_8B), dict(preset="EleutherAI/pythia-1b"), dict(SMALL_MHA, T_eval=1024)],
    "X-21": [dict(preset="EleutherAI/pythia-1b"), dict(preset="EleutherAI/pythia-1b", gamma_random_obs=0.5)],
    "X-22": [dict(preset=LLAMA3_8B, gamma_obs=1.045), dict(preset="EleutherAI/pythia-1b", gamma_obs=0.8)],
    "X-23": [dict(n_params=1e9), dict(n_params=1e8, gamma_text=0.6, gamma_random=0.8),
             dict(n_params=1e9, gamma_text=0.9, gamma_random=0.8)],
    "F-1": [dict(vocab_size=263, max_seq_len=512, d_model=128, n_layers=2, corpus_tokens=72071, eval_n=16),
            dict(vocab_size=32000, max_seq_len=2048, d_model=1024, n_layers=24, corpus_tokens=100e9, eval_n=2000)],
    "E-1": [dict(n=16, c=4, k=8), dict(n=2000, c=1000), dict(n=10, c=0)],
    "G-1": [dict(n_params=494032768, num_steps=2700, batch_size=4, seq_length=2048),
            dict(n_params=1e8, num_steps=100000, batch_size=512, seq_length=2048),
            dict(n_params=1e8, num_steps=1000, batch_size=512, seq_length=2048)],
    "Q-1": [dict(matrix_params="30M", embed_params=4194304), dict(matrix_params="100M", embed_params=4194304)],
    "R-1": [dict(run_bpb="1.08035,1.08097,1.08127,1.08060,1.08135", baseline_bpb=1.08563, nats_per_bpb=2.5831),
            dict(run_bpb="1.0850,1.0851", baseline_bpb=1.08563, nats_per_bpb=2.5831),
            dict(run_bpb="1.08", baseline_bpb=1.09, nats_per_bpb=2.58)],
    "P-1": [dict(int4_mismatches="2,6,0,1", int8_mismatches="1,4,2,3"),
            dict(int4_mismatches="0,1,2", int8_mismatches="0,1,2")],
    "M-1": [dict(config=(CONFIGS / "llama-3-8b.json").read_text()),
            dict(config=(CONFIGS / "mistral-7b-v0.1.json").read_text()),
            dict(config=(CONFIGS / "qwen3-30b-a3b.json").read_text())],
}

EXAMPLE_CASES = [(recipe_id, i) for recipe_id, cases in EXAMPLES.items() for i in range(len(cases))]


def example_id(case) -> str:
    return f"{case[0]}#{case[1]}"


@pytest.fixture(params=EXAMPLE_CASES, ids=[example_id(c) for c in EXAMPLE_CASES])
def example_result(request) -> dict:
    """The result of one entry of EXAMPLES (fails the test if it is an error)."""
    recipe_id, i = request.param
    result = taf.run_recipe(recipe_id, **EXAMPLES[recipe_id][i])
    assert "error" not in result, (recipe_id, i, result.get("error"))
    return result


def run(recipe_id: str, **params) -> dict:
    """A recipe's result; fails when it is an error or not strict JSON."""
    result = taf.run_recipe(recipe_id, **params)
    assert "error" not in result, result.get("error")
    json.dumps(result, allow_nan=False)
    return result


def config_text(name: str) -> str:
    """The text of the fixture config ``tests/fixtures/configs/<name>.json``."""
    return (CONFIGS / f"{name}.json").read_text()


def steps_by_name(result: dict) -> dict:
    return {s["name"]: s for s in result["chain"]}


def steps_by_number(result: dict) -> dict:
    return {s["step"]: s for s in result["chain"]}


def error(recipe_id: str, **params) -> dict:
    """A recipe's error dict; fails when it gives a result."""
    result = taf.run_recipe(recipe_id, **params)
    assert set(result) == {"error"}, result
    return result["error"]


def step(result: dict, name: str) -> dict:
    """The step called ``name`` of a result."""
    matches = [s for s in result["chain"] if s["name"] == name]
    assert len(matches) == 1, f"{len(matches)} steps named {name!r} in {[s['name'] for s in result['chain']]}"
    return matches[0]


def strict_loads(text: str):
    """json.loads that refuses NaN / Infinity (strict RFC 8259)."""
    def reject(constant):
        raise ValueError(f"non-strict JSON constant {constant}")
    return json.loads(text, parse_constant=reject)


def is_finite_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def taf_cli(*args):
    """Run ``python -m taf`` with ``args``; the CompletedProcess (text)."""
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "taf", *args], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
