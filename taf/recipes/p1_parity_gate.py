"""P-1 Quantization parity gate: do Int4 and Int8 outputs stay within their pre-registered bounds?

From seed 001 (tiny-model-ground-truth): greedy decoding is deterministic, so each
prompt's output is compared token by token with the float32 oracle. Pre-registered
bounds, per prompt of 32 generated tokens: Int4 ≤ 5 mismatched tokens, Int8 ≤ 3,
and the drift rule Int8 ≤ Int4 + 1 (the finer quantization may not drift further
than the coarser one). In the seed's Popperian reading a single failure is evidence
of a bug in the conversion or the runtime.
"""
from __future__ import annotations

from ..chain import Verdict
from ..params import Param, ParamError, show
from .base import Recipe, constraint_error

PARAMS = (
    Param("tokens_per_prompt", "int", "Tokens generated per prompt (greedy) and compared with the oracle.",
          unit="tokens", default=32, min=1, max=10**6),
    Param("int4_mismatches", "list", "Mismatched tokens per prompt for Int4 vs the oracle (comma-separated or a "
          "JSON list, one value per prompt).", unit="tokens", item_type="int", min=0, max=10**6),
    Param("int8_mismatches", "list", "Mismatched tokens per prompt for Int8 vs the oracle, same prompts in the "
          "same order.", unit="tokens", item_type="int", min=0, max=10**6),
    Param("int4_max", "int", "Pre-registered bound: at most this many Int4 mismatches per prompt.", unit="tokens",
          default=5, min=0, max=10**6),
    Param("int8_max", "int", "Pre-registered bound: at most this many Int8 mismatches per prompt.", unit="tokens",
          default=3, min=0, max=10**6),
    Param("drift_slack", "int", "Drift rule: Int8 mismatches ≤ Int4 mismatches + this slack.", unit="tokens",
          default=1, min=0, max=10**6),
    Param("prompt_names", "str", "Optional names of the prompts, comma-separated, in the same order "
          "(default: prompt 1, prompt 2, …).", default=None, max_chars=10_000),
)


def _names(p, count: int) -> list[str]:
    if p.prompt_names is None or not p.prompt_names.strip():
        return [f"prompt {i}" for i in range(1, count + 1)]
    names = [part.strip() for part in p.prompt_names.split(",")]
    if len(names) != count or any(not name for name in names):
        raise ParamError("invalid_value",
                         f"prompt_names = {show(p.prompt_names)} is not valid: it names {len(names)} prompt(s) "
                         f"(empty names not allowed) but the mismatch lists have {count}; give one non-empty name "
                         "per prompt, comma-separated.",
                         param="prompt_names", value=p.prompt_names[:200])
    return names


def _validate(p) -> None:
    if len(p.int8_mismatches) != len(p.int4_mismatches):
        raise ParamError("invalid_value",
                         f"int8_mismatches has {len(p.int8_mismatches)} value(s) but int4_mismatches has "
                         f"{len(p.int4_mismatches)}; give one count per prompt in both lists, same prompts in the "
                         "same order.",
                         param="int8_mismatches", value=show(p.int8_mismatches, 200))
    for name, values in (("int4_mismatches", p.int4_mismatches), ("int8_mismatches", p.int8_mismatches)):
        for i, v in enumerate(values):
            if v > p.tokens_per_prompt:
                raise ParamError("out_of_range",
                                 f"{name} (item {i + 1}) = {v} is out of range: a prompt cannot have more "
                                 f"mismatched tokens than tokens_per_prompt = {p.tokens_per_prompt}.",
                                 param=name, value=v, position=i, max=p.tokens_per_prompt)
    for name in ("int4_max", "int8_max"):
        if getattr(p, name) > p.tokens_per_prompt:
            raise constraint_error(name, getattr(p, name),
                                   f"it must be ≤ tokens_per_prompt = {p.tokens_per_prompt} (a larger bound "
                                   "can never fail)")


def run(p, chain) -> Verdict:
    _validate(p)
    names = _names(p, len(p.int4_mismatches))
    total = p.tokens_per_prompt
    rows4, rows8, rows_drift = [], [], []
    failures: dict[str, list[str]] = {}

    def fail(prompt: str, rule: str) -> None:
        failures.setdefault(prompt, []).append(rule)

    for i, (name, m4, m8) in enumerate(zip(names, p.int4_mismatches, p.int8_mismatches), start=1):
        ok4 = m4 <= p.int4_max
        ok8 = m8 <= p.int8_max
        okd = m8 <= m4 + p.drift_slack
        rows4.append({"prompt": i, "name": name, "mismatches": m4, "rate": m4 / total, "pass": ok4})
        rows8.append({"prompt": i, "name": name, "mismatches": m8, "rate": m8 / total, "pass": ok8})
        rows_drift.append({"prompt": i, "name": name, "int8": m8, "int4_plus_slack": m4 + p.drift_slack,
                           "pass": okd})
        if not ok4:
            fail(f"{i} ({name})", f"Int4 {m4}/{total} > {p.int4_max}")
        if not ok8:
            fail(f"{i} ({name})", f"Int8 {m8}/{total} > {p.int8_max}")
        if not okd:
            fail(f"{i} ({name})", f"drift Int8 {m8} > Int4 {m4} + {p.drift_slack}")

    def summary(rows) -> str:
        bad = [f"{r['prompt']} ({r['name']})" for r in rows if not r["pass"]]
        return f"{len(rows) - len(bad)}/{len(rows)} prompts pass" + (f"; failing: {', '.join(bad)}" if bad else "")

    chain.step("seed 001", "Int4 vs oracle", f"mismatches_i ≤ {p.int4_max} of {total}",
               {"int4_max": p.int4_max, "tokens_per_prompt": total}, rows4,
               f"bound {p.int4_max}/{total} = {p.int4_max / total * 100:.1f} % of tokens: " + summary(rows4))
    chain.step("seed 001", "Int8 vs oracle", f"mismatches_i ≤ {p.int8_max} of {total}",
               {"int8_max": p.int8_max, "tokens_per_prompt": total}, rows8,
               f"bound {p.int8_max}/{total} = {p.int8_max / total * 100:.1f} % of tokens: " + summary(rows8))
    chain.step("seed 001", "Drift rule", f"Int8_i ≤ Int4_i + {p.drift_slack}", {"drift_slack": p.drift_slack},
               rows_drift, summary(rows_drift))
    checks = 3 * len(names)
    failed = sum(len(v) for v in failures.values())
    chain.step("seed 001", "Checks passed", "passed = checks − failed  (3 checks per prompt)",
               {"prompts": len(names), "checks": checks}, checks - failed,
               f"{checks - failed} of {checks} checks pass", unit="checks")

    chain.caveat("Greedy decoding is deterministic, so each check is exact (no confidence interval): one failure "
                 "is evidence of a bug, and passing corroborates parity on these prompts only.")
    chain.caveat("The bounds are pre-registered (seed 001: Int4 ≤ 5/32, Int8 ≤ 3/32, Int8 ≤ Int4 + 1); changing "
                 "them after seeing the results defeats the test.")

    if failures:
        listed = "; ".join(f"prompt {k}: {', '.join(v)}" for k, v in failures.items())
        return Verdict("FAIL", f"{len(failures)} of {len(names)} prompt(s) break a pre-registered bound — {listed}.",
                       "Treat it as a bug in the quantized conversion or runtime: inspect the failing prompts' "
                       "first diverging token and the tensors involved (e.g. dequantization of fused weights), "
                       "and file it; do not widen the bounds.")
    return Verdict("PASS", f"All {len(names)} prompt(s) are within the bounds (Int4 ≤ {p.int4_max}/{total}, "
                           f"Int8 ≤ {p.int8_max}/{total}, Int8 ≤ Int4 + {p.drift_slack}).",
                   "None required; add prompts and models to make the falsification attempt harder.")


RECIPE = Recipe(
    id="P-1",
    name="Quantization Parity Gate",
    description="Do Int4/Int8 greedy outputs stay within the pre-registered mismatch bounds per prompt?",
    category="quantization",
    sections=("seed 001",),
    params=PARAMS,
    run=run,
    in_profile=False,
)
