"""F-1 Scale floor & eval power: how far below the published floors is a small model?

From floor_oracle (reference ``floor-oracle``). The exact parameter count by two
independent derivations (closed form and per-tensor sum, which must agree), the
Chinchilla deficit r·N/D, the multiplicative gap to each published floor on both
axes (parameters and tokens), and the eval power of a 0-success result (Wilson 95 %
upper bound). It is a planning tool, not a scoreboard: capability is never
computed here — without a measured result it stays "not measured".
"""

from __future__ import annotations

import math

from ..chain import Verdict
from ..data.floors import FLOORS
from ..formulas import architecture as arch
from ..formulas import eval_stats
from ..formulas.scaling import CHINCHILLA_TOKENS_FORMULA, chinchilla_optimal_tokens
from ..numeric import defined
from ..params import Param
from .base import Recipe
from .scaling_params import TOKENS_PER_PARAM

CONFIDENCE = 0.95
NOT_MEASURED = "not measured"
# parameter ranges keep every count below 2^53, so the page (JavaScript numbers) shows it exactly

PARAMS = (
    Param(
        "vocab_size",
        "int",
        "Vocabulary size (rows of the token embedding; the output head is tied to it).",
        unit="tokens",
        min=1,
        max=10**7,
    ),
    Param(
        "max_seq_len",
        "int",
        "Learned position embeddings (maximum sequence length); 0 for none (RoPE, ALiBi).",
        unit="positions",
        min=0,
        max=10**8,
    ),
    Param("d_model", "int", "Model (hidden) dimension d.", unit="dims", min=1, max=10**5),
    Param("n_layers", "int", "Number of transformer layers L.", unit="layers", min=1, max=1000),
    Param(
        "ffn_mult", "int", "MLP width multiplier m (d_ff = m·d; a two-matrix MLP).", unit="×", default=4, min=1, max=64
    ),
    Param("corpus_tokens", "int", "Tokens the model is (or will be) trained on.", unit="tokens", min=1, max=10**15),
    Param(
        "eval_n",
        "int",
        "Number of problems in the evaluation set (for the eval-power bound).",
        unit="problems",
        min=1,
        max=10**9,
    ),
    TOKENS_PER_PARAM,
)


def _gap(floor_value: int, ours: int) -> float:
    """Multiplicative gap floor / ours (> 1 means we are below the floor)."""
    return floor_value / ours


#: how each answer reads for "how far below the published floors?"
TONES = {"BELOW EVERY PUBLISHED FLOOR": "caution", "AT OR ABOVE A FLOOR": "good", "PARAMETER LAW MISMATCH": "bad"}


def run(p, chain) -> Verdict:
    dims = (p.vocab_size, p.max_seq_len, p.d_model, p.n_layers, p.ffn_mult)
    n_closed = defined(arch.gpt_params_closed_form(*dims))  # the parameters' ranges are its domain
    chain.step(
        "floor-oracle",
        "Parameter count (closed form)",
        "N = (V + S + 1)·d + L·((4 + 2m)·d² + 2·d)",
        {
            "vocab_size": p.vocab_size,
            "max_seq_len": p.max_seq_len,
            "d_model": p.d_model,
            "n_layers": p.n_layers,
            "ffn_mult": p.ffn_mult,
        },
        n_closed,
        f"{n_closed:,} parameters: embeddings (V + S)·d, final norm d, and per layer 4·d² attention + "
        f"2m·d² MLP + 2·d norm terms",
        unit="params",
        breakdown={
            "embeddings_and_final_norm": (p.vocab_size + p.max_seq_len + 1) * p.d_model,
            "per_layer": (4 + 2 * p.ffn_mult) * p.d_model**2 + 2 * p.d_model,
            "layers": p.n_layers,
        },
        status="validated",
    )

    tensors = defined(arch.gpt_param_tensors(*dims))
    n_tensor = defined(arch.gpt_params_tensor_sum(*dims))
    table = {}
    for name, shape in tensors["model"]:
        table[f"{name} [{'×'.join(str(s) for s in shape)}]"] = math.prod(shape)
    for name, shape in tensors["per_layer"]:
        table[f"per layer ×{p.n_layers}: {name} [{'×'.join(str(s) for s in shape)}]"] = math.prod(shape)
    agree = n_tensor == n_closed
    chain.step(
        "floor-oracle",
        "Parameter count (per-tensor sum)",
        "N = Σ_model prod(shape) + L · Σ_layer prod(shape)",
        {"tensors_once": len(tensors["model"]), "tensors_per_layer": len(tensors["per_layer"]), "n_layers": p.n_layers},
        n_tensor,
        (
            f"{n_tensor:,} parameters — agrees exactly with the closed form (two independent derivations)"
            if agree
            else f"{n_tensor:,} parameters — DISAGREES with the closed form ({n_closed:,})"
        ),
        unit="params",
        breakdown=table,
        status="validated" if agree else None,
    )
    if not agree:
        chain.caveat(
            "The two parameter derivations disagree, so the parameter law is wrong; nothing downstream "
            "of it can be trusted."
        )
        return Verdict(
            "PARAMETER LAW MISMATCH",
            f"Closed form {n_closed:,} ≠ per-tensor sum {n_tensor:,}.",
            "Fix the parameter law before using any gap or deficit.",
            tone="bad",
            figures={"params_closed_form": n_closed, "params_tensor_sum": n_tensor},
        )
    n = n_closed

    d_opt = chinchilla_optimal_tokens(n, p.tokens_per_param)
    chain.step(
        "§17.30",
        "Compute-optimal tokens",
        CHINCHILLA_TOKENS_FORMULA,
        {"tokens_per_param": p.tokens_per_param, "n_params": n},
        d_opt,
        f"{d_opt:,.0f} tokens would be compute-optimal for {n:,} parameters",
        unit="tokens",
        status="validated",
    )

    deficit = d_opt / p.corpus_tokens
    chain.step(
        "§17.30",
        "Chinchilla deficit",
        "deficit = r·N / D",
        {"optimal_tokens": d_opt, "corpus_tokens": p.corpus_tokens},
        deficit,
        (
            f"the corpus is {deficit:,.1f}× smaller than compute-optimal for this model"
            if deficit > 1
            else f"the corpus covers {1 / deficit:,.2f}× the compute-optimal tokens (no deficit)"
        ),
        unit="×",
    )

    rows = []
    for floor in FLOORS:
        param_gap = _gap(floor["params"], n)
        token_gap = _gap(floor["tokens"], p.corpus_tokens)
        rows.append(
            {
                "name": floor["name"],
                "arxiv": floor["arxiv"],
                "floor_params": floor["params"],
                "floor_tokens": floor["tokens"],
                "reported_pass1_pct": floor["reported_pass1_pct"],
                "param_gap_x": param_gap,
                "token_gap_x": token_gap,
                "below_on_params": n < floor["params"],
                "below_on_tokens": p.corpus_tokens < floor["tokens"],
            }
        )
    below_every = all(r["below_on_params"] or r["below_on_tokens"] for r in rows)
    chain.step(
        "floor-oracle",
        "Gap to published floors",
        "gap_params = N_floor / N;  gap_tokens = D_floor / D  (> 1: below the floor)",
        {"n_params": n, "corpus_tokens": p.corpus_tokens, "floors": len(FLOORS)},
        rows,
        "; ".join(
            f"{r['name']} (arXiv:{r['arxiv']}): ×{r['param_gap_x']:,.1f} params, ×{r['token_gap_x']:,.1f} tokens"
            for r in rows
        ),
        unit="×",
        refs=tuple(dict.fromkeys(ref for floor in FLOORS for ref in floor["refs"])),
    )

    upper = defined(eval_stats.wilson_zero_success_upper(p.eval_n, CONFIDENCE))  # eval_n ≥ 1
    chain.step(
        "wilson1927",
        "Eval power: Wilson 95 % upper bound for 0 successes",
        "u = z² / (n + z²),  z = Φ⁻¹(0.975)",
        {"eval_n": p.eval_n, "z": eval_stats.z_two_sided(CONFIDENCE)},
        upper,
        f"a measured 0/{p.eval_n:,} is consistent with any true pass rate up to {upper * 100:.2f} %",
        unit="probability",
        status="validated",
    )

    lowest = min(rows, key=lambda r: r["reported_pass1_pct"])
    rate = lowest["reported_pass1_pct"] / 100
    n_needed = eval_stats.n_to_rule_out_rate_with_zero_successes(rate, CONFIDENCE)
    resolves = upper < rate
    chain.step(
        "wilson1927",
        "Eval size to resolve the lowest floor",
        "n_min = ⌊z²(1 − p)/p⌋ + 1  (smallest n with z²/(n + z²) < p)",
        {"p": rate, "floor": lowest["name"], "eval_n": p.eval_n},
        n_needed,
        (
            f"0/n rules out {lowest['reported_pass1_pct']} % (the lowest reported floor pass@1, "
            f"{lowest['name']}) only from n = {n_needed:,} problems; eval_n = {p.eval_n:,} "
            + ("is enough" if resolves else "is not")
        ),
        unit="problems",
    )

    chain.step(
        "floor-oracle",
        "Capability (pass@1)",
        "measured c / n — requires a real eval run",
        {"eval_n": p.eval_n},
        NOT_MEASURED,
        "this recipe never invents a capability number; run the eval and use E-1 on the measured c/n",
    )

    chain.caveat(
        "Floor figures are as floor_oracle typed them from the papers (each row carries its "
        "arXiv id); a transcription slip is possible. The math is checked, the literature is not."
    )
    chain.caveat(
        "The parameter law is floor_oracle's architecture: learned token and position embeddings, tied "
        "output head, four d×d attention projections, a two-matrix MLP, no linear biases, two "
        "d-vectors of norm/bias terms per layer. For a real config.json use M-1."
    )
    chain.caveat(
        "Floors are small code models with a reported HumanEval pass@1; being below every floor makes a "
        "null result expected, it does not prove the model cannot learn the task."
    )

    data_first = ""
    if deficit > 1:
        data_first = (
            f"Data is the first bottleneck: {p.corpus_tokens:,} tokens are compute-optimal for only "
            f"{p.corpus_tokens / p.tokens_per_param:,.0f} parameters, {deficit:,.1f}× fewer than this "
            "model. "
        )
    figures = {
        "params": n,
        "chinchilla_deficit": deficit,
        "wilson_upper_zero_successes": upper,
        "eval_n_to_resolve_lowest_floor": n_needed,
        "below_every_floor": below_every,
    }

    def answer(label: str, reason: str, mitigation: str) -> Verdict:
        return Verdict(label, reason, mitigation, tone=TONES[label], figures=figures)

    if below_every:
        nearest = min(rows, key=lambda r: r["param_gap_x"] * r["token_gap_x"])
        both = all(r["below_on_params"] and r["below_on_tokens"] for r in rows)
        axis = "on both axes, parameters and tokens" if both else "on at least one axis"
        min_param_gap = min(r["param_gap_x"] for r in rows)
        min_token_gap = min(r["token_gap_x"] for r in rows)
        return answer(
            "BELOW EVERY PUBLISHED FLOOR",
            f"{n:,} parameters on {p.corpus_tokens:,} tokens is below every published floor {axis} "
            f"(smallest gaps ×{min_param_gap:,.1f} params, ×{min_token_gap:,.1f} tokens): a measured 0/n is the "
            f"expected outcome, not a bug — 0/{p.eval_n:,} is consistent with a true rate up to {upper * 100:.1f} %.",
            f"The closest floor in compute is {nearest['name']} ({nearest['floor_params']:,} params on "
            f"{nearest['floor_tokens']:,} tokens): ×{nearest['param_gap_x']:,.1f} parameters and "
            f"×{nearest['token_gap_x']:,.1f} tokens away. "
            + data_first
            + f"To read a null result at all, evaluate on ≥ {n_needed:,} problems.",
        )
    at = [r["name"] for r in rows if not (r["below_on_params"] or r["below_on_tokens"])]
    return answer(
        "AT OR ABOVE A FLOOR",
        f"{n:,} parameters on {p.corpus_tokens:,} tokens is at or above {', '.join(at)} on both axes: scale alone "
        "does not explain a null result.",
        "Investigate data format, tokenizer and architecture; measure pass@1 on a real eval and check its power "
        f"with E-1 (0/{p.eval_n:,} still allows a true rate up to {upper * 100:.1f} %).",
    )


RECIPE = Recipe(
    id="F-1",
    name="Scale Floor & Eval Power",
    description="How far below the published capability floors is a small model, and can its eval tell?",
    category="scale-floor",
    sections=("floor-oracle", "§17"),
    params=PARAMS,
    run=run,
    in_profile=False,
)
