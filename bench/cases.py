"""The compute cases the benchmark times inside Pyodide (and, for reference, in CPython).

Each case is one worker call, exactly as the page makes it: ``(group, label, fn, recipe, args_json)``
with ``fn`` ∈ run | profile | compare (see web/worker.js). Groups:

* ``preset``  — every recipe that takes a model, on every preset (extra required inputs filled in);
* ``example`` — every recipe that takes no model, on the example inputs of its golden tests;
* ``stress``  — large valid inputs: T_eval = 10^7 on every preset for the context recipes,
  Compare over 6 models, Profile of every preset and at T_eval = 10^7, M-1 and Profile with the
  largest config.json fixture, and the extremes of the other recipes' ranges;
* ``beyond``  — inputs past the SPEC's "T_eval up to 10^7" (T_eval = 10^9, the schema maximum):
  reported, not held to the target.
"""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "tests" / "fixtures" / "configs"

#: inputs a recipe needs besides the preset (values from its golden tests)
WITH_PRESET = {
    "X-22": {"gamma_obs": "0.5"},
    "G-1": {"num_steps": "2700", "batch_size": "4", "seq_length": "2048"},
}

#: recipes that take no model: the example inputs of tests/test_recipes_other_seeds.py
EXAMPLES = {
    "F-1": {"vocab_size": "263", "max_seq_len": "512", "d_model": "128", "n_layers": "2",
            "corpus_tokens": "72071", "eval_n": "16"},
    "E-1": {"n": "16", "c": "4", "k": "8"},
    "Q-1": {"matrix_params": "30M", "embed_params": "4194304"},
    "R-1": {"run_bpb": "1.08035,1.08097,1.08127,1.08060,1.08135", "baseline_bpb": "1.08563",
            "nats_per_bpb": "2.5831"},
    "P-1": {"int4_mismatches": "2,6,0,1", "int8_mismatches": "1,4,2,3"},
    "X-3": {},
}

#: recipes whose cost could grow with T_eval (they are run at 10^7 on every preset)
CONTEXT_RECIPES = ("X-2", "X-19", "X-21", "X-22", "X-5")

SIX_MODELS = ("meta-llama/Meta-Llama-3-8B", "mistralai/Mistral-7B-v0.1", "Qwen/Qwen2.5-7B",
              "google/gemma-2-9b-it", "meta-llama/Llama-3.3-70B-Instruct", "microsoft/phi-3-mini-4k-instruct")


def _j(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def largest_config() -> tuple[str, str]:
    """(file name, text) of the largest config.json fixture."""
    path = max(sorted(CONFIGS.glob("*.json")), key=lambda p: p.stat().st_size)
    return path.name, path.read_text(encoding="utf-8")


def compute_cases(recipes: list[dict], presets: list[dict]) -> list[tuple[str, str, str, str, str]]:
    """Every case, in a fixed order."""
    preset_ids = [p["id"] for p in presets]
    uses_presets = {r["id"]: any("preset_key" in p for p in r["params"]) for r in recipes}
    ids = [r["id"] for r in recipes]
    cases = []

    def add(group, label, fn, recipe, args):
        cases.append((group, label, fn, recipe, _j(args)))

    for rid in ids:
        if rid == "M-1":
            continue
        if uses_presets[rid]:
            for pid in preset_ids:
                add("preset", f"{rid} {pid}", "run", rid, {"preset": pid, **WITH_PRESET.get(rid, {})})
        elif rid in EXAMPLES:
            add("example", f"{rid} example", "run", rid, EXAMPLES[rid])
    cfg_name, cfg_text = largest_config()
    if "M-1" in ids:
        add("example", f"M-1 {cfg_name}", "run", "M-1", {"config": cfg_text})

    # ── stress ──
    for rid in CONTEXT_RECIPES:
        if rid not in ids:
            continue
        for pid in preset_ids:
            add("stress", f"{rid} {pid} T_eval=1e7", "run", rid,
                {"preset": pid, **WITH_PRESET.get(rid, {}), "T_eval": "10000000"})
    add("stress", "X-2 theta=1e12 T_train=1e9 T_eval=1e7", "run", "X-2",
        {"preset": "meta-llama/Meta-Llama-3-8B", "theta": "1e12", "T_train": "1000000000", "T_eval": "10000000"})
    add("stress", "X-19 theta=1 T_eval=1e7", "run", "X-19",
        {"preset": "meta-llama/Meta-Llama-3-8B", "theta": "1", "T_eval": "10000000"})
    for rid in ("X-2", "X-19", "X-5"):
        add("stress", f"Compare {rid} × 6 models T_eval=1e7", "compare", rid,
            {"recipe_id": rid, "models": [{"preset": m} for m in SIX_MODELS], "shared_params": {"T_eval": "10000000"}})
    add("stress", "Compare X-2 × 6 models", "compare", "X-2",
        {"recipe_id": "X-2", "models": [{"preset": m} for m in SIX_MODELS], "shared_params": {}})
    for pid in preset_ids:
        add("stress", f"Profile {pid}", "profile", "-", {"preset": pid})
    for pid in preset_ids:
        add("stress", f"Profile {pid} T_eval=1e7", "profile", "-", {"preset": pid, "T_eval": "10000000"})
    add("stress", f"Profile config={cfg_name} T_eval=1e7", "profile", "-", {"config": cfg_text, "T_eval": "10000000"})
    add("stress", "X-1 D_tokens=1e18 monthly=1e12", "run", "X-1",
        {"preset": "meta-llama/Llama-3.3-70B-Instruct", "D_tokens": "1e18", "monthly_tokens_M": "1e12"})
    add("stress", "X-3 USD=1e12 n_gpus=1e6", "run", "X-3", {"USD_budget": "1e12", "n_gpus": "1000000"})
    add("stress", "X-5 N=1e15 users=1e7 T_eval=1e7", "run", "X-5",
        {"N_params": "1e15", "T_eval": "10000000", "concurrent_users": "10000000", "target_tokens_per_day": "1e18"})
    add("stress", "F-1 at the schema maxima", "run", "F-1",
        {"vocab_size": "10000000", "max_seq_len": "100000000", "d_model": "100000", "n_layers": "1000",
         "ffn_mult": "64", "corpus_tokens": "1e15", "eval_n": "1000000000"})
    add("stress", "E-1 n=1e5 c=5e4 k=5e4", "run", "E-1", {"n": "100000", "c": "50000", "k": "50000"})
    add("stress", "E-1 n=1e5 c=99999 k=1e5", "run", "E-1", {"n": "100000", "c": "99999", "k": "100000"})
    add("stress", "G-1 num_steps=1e10", "run", "G-1",
        {"n_params": "1e15", "num_steps": "10000000000", "batch_size": "10000000", "seq_length": "100000000"})
    add("stress", "Q-1 1e13 params", "run", "Q-1", {"matrix_params": "10000000000000", "embed_params": "10000000000000",
                                                     "matrix_bits": "16"})
    # list inputs: the cost grows with the list (parsing every item, exact sums, one row per item)
    for n in (10, 100, 1000, 10_000):
        seeds = ",".join(f"{1.08 + (i % 97) * 1e-5:.5f}" for i in range(n))
        add("stress", f"R-1 {n:,} seeds", "run", "R-1",
            {"run_bpb": seeds, "baseline_bpb": "1.09", "nats_per_bpb": "2.5831"})
    for n in (10, 100, 1000, 10_000):
        int4 = ",".join(str(i % 6) for i in range(n))
        int8 = ",".join(str(i % 4) for i in range(n))
        add("stress", f"P-1 {n:,} prompts", "run", "P-1", {"int4_mismatches": int4, "int8_mismatches": int8})
        # the worst case: every prompt breaks all three bounds, so every prompt is listed three times
        add("stress", f"P-1 {n:,} prompts, all failing", "run", "P-1",
            {"int4_mismatches": ",".join(["6"] * n), "int8_mismatches": ",".join(["32"] * n)})

    # ── beyond the target's range ──
    for rid in ("X-2", "X-19"):
        add("beyond", f"{rid} Meta-Llama-3-8B T_eval=1e9", "run", rid,
            {"preset": "meta-llama/Meta-Llama-3-8B", "T_eval": "1000000000"})
    return cases


def cpython_times(cases, reps: int = 5) -> dict[str, dict]:
    """Median / max of ``reps`` calls of each case in this CPython (for reference)."""
    import statistics
    import time

    import taf

    fns = {"run": taf.run_recipe_json, "profile": lambda _r, a: taf.profile_model_json(a),
           "compare": lambda _r, a: taf.compare_models_json(a)}
    out = {}
    for group, label, fn, recipe, args in cases:
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            text = fns[fn](recipe, args)
            times.append((time.perf_counter() - t) * 1000)
        out[label] = {"median_ms": statistics.median(times), "max_ms": max(times),
                      "error": json.loads(text).get("error", {}).get("code")}
    return out


if __name__ == "__main__":  # python3 bench/cases.py: the CPython times, slowest first
    import sys

    sys.path.insert(0, str(ROOT))
    import taf

    cs = compute_cases(taf.list_recipes(), taf.list_presets())
    times = cpython_times(cs)
    for label, t in sorted(times.items(), key=lambda kv: -kv[1]["median_ms"])[:40]:
        print(f"{t['median_ms']:8.2f} ms  {t['max_ms']:8.2f}  {t['error'] or '':14} {label}")
    print(len(cs), "cases")
