"""R-1 Record claim check: does a multi-seed run beat the baseline by the bar, significantly?

From parameter-golf PR #1394 and the record PRs after it (reference ``parameter-golf``).
Per-seed val_bpb of a run against the baseline's val_bpb; the improvement is converted to nats per token with the run's
val_loss / val_bpb ratio, compared with the record bar (0.005 nats), and tested
one-sided — H0: improvement ≤ bar — with Student's t at α = 0.01, implemented on
the standard library (regularized incomplete beta), no SciPy.
"""

from __future__ import annotations

import math
from fractions import Fraction

from ..chain import Verdict
from ..formulas import eval_stats
from ..numeric import defined
from ..params import Param
from ..textfmt import format_decimals
from .base import Recipe

PARAMS = (
    Param(
        "run_bpb",
        "list",
        "Per-seed val_bpb of the run (comma-separated or a JSON list), one value per seed.",
        unit="bpb",
        item_type="float",
        min=0,
        min_exclusive=True,
        max=100,
    ),
    Param(
        "baseline_bpb",
        "float",
        "The baseline's val_bpb as ONE number (e.g. the previous record's published "
        "seed mean); it is treated as a constant, its own seed spread is not modelled.",
        unit="bpb",
        min=0,
        min_exclusive=True,
        max=100,
    ),
    Param(
        "nats_per_bpb",
        "float",
        "The run's val_loss / val_bpb ratio (= ln 2 × bytes per token; ≈ 2.583 for the record's SP8192 tokenizer).",
        unit="nats/bpb",
        min=0,
        min_exclusive=True,
        max=100,
    ),
    Param(
        "bar_nats",
        "float",
        "Minimum improvement a record must show, in nats per token.",
        unit="nats/token",
        default=0.005,
        min=0,
        max=10,
    ),
    Param(
        "alpha",
        "float",
        "Significance level of the one-sided t-test.",
        unit="probability",
        default=0.01,
        min=1e-12,
        max=0.5,
    ),
)


#: how each answer reads for "does the claim hold?"
TONES = {"CLAIM SUPPORTED": "good", "NOT SIGNIFICANT": "caution", "NOT TESTABLE": "neutral", "BELOW BAR": "bad"}


def run(p, chain) -> Verdict:
    values = p.run_bpb
    n = len(values)
    # Σx and Σ(x − x̄)² exactly, in integers over a common denominator D, computed once (C-level sums)
    low, high = min(values), max(values)
    sum_num, squares_num, D = defined(eval_stats.exact_float_sums(values, low, high))  # finite floats (parsed)
    mean_exact = Fraction(sum_num, n * D)
    mean = float(mean_exact)
    chain.step(
        "parameter-golf",
        "Mean run val_bpb",
        "x̄ = Σ x_i / n",
        {"n_seeds": n},
        mean,
        f"{format_decimals(mean)} bpb over {n:,} seed(s)"
        + (f", from {format_decimals(low)} to {format_decimals(high)}" if n > 1 else ""),
        unit="bpb",
        breakdown={
            "lowest_bpb": low,
            "lowest_seed": values.index(low) + 1,
            "highest_bpb": high,
            "highest_seed": values.index(high) + 1,
        },
    )

    # the exact variance rounded once, then square-rooted, as eval_stats.sample_std_exact
    s_bpb = math.sqrt(float(eval_stats.variance_from_sums(squares_num, D, n))) if n >= 2 else None
    chain.step(
        "parameter-golf",
        "Seed spread",
        "s = √(Σ(x_i − x̄)² / (n − 1))",
        {"n_seeds": n},
        s_bpb,
        "not defined: one seed has no spread" if s_bpb is None else f"{s_bpb:.6f} bpb sample standard deviation",
        unit="bpb",
    )

    delta_exact = Fraction(p.baseline_bpb) - mean_exact
    delta_bpb = float(delta_exact)
    chain.step(
        "parameter-golf",
        "Improvement in bpb",
        "Δ_bpb = baseline − x̄",
        {"baseline_bpb": p.baseline_bpb, "mean_bpb": mean},
        delta_bpb,
        (
            f"{format_decimals(delta_bpb)} bpb better than the baseline"
            if delta_bpb > 0
            else f"{format_decimals(-delta_bpb)} bpb worse than (or equal to) the baseline"
        ),
        unit="bpb",
    )

    ratio = Fraction(p.nats_per_bpb)
    delta_nats_exact = delta_exact * ratio
    delta_nats = float(delta_nats_exact)
    chain.step(
        "parameter-golf",
        "Improvement in nats per token",
        "Δ_nats = Δ_bpb × (val_loss / val_bpb)",
        {"delta_bpb": delta_bpb, "nats_per_bpb": p.nats_per_bpb},
        delta_nats,
        f"{format_decimals(delta_nats)} nats per token",
        unit="nats/token",
    )

    margin_exact = delta_nats_exact - Fraction(p.bar_nats)
    margin = float(margin_exact)
    chain.step(
        "parameter-golf",
        "Margin over the bar",
        "margin = Δ_nats − bar",
        {"delta_nats": delta_nats, "bar_nats": p.bar_nats},
        margin,
        (
            f"{format_decimals(margin)} nats above the {p.bar_nats:g}-nat bar ({delta_nats / p.bar_nats:.2f}× the bar)"
            if margin > 0 and p.bar_nats > 0
            else f"{format_decimals(margin)} nats relative to the {p.bar_nats:g}-nat bar"
            + (" — the mean does not clear it" if margin <= 0 else "")
        ),
        unit="nats/token",
    )

    df = n - 1
    s_nats = (
        None if s_bpb is None else math.sqrt(float(eval_stats.variance_from_sums(squares_num, D, n) * ratio * ratio))
    )
    t = None
    why = None
    if n < 2 or s_nats is None:  # the same test: s is defined from two seeds on
        why = "one seed gives no spread, so no t-test is possible"
    elif s_nats == 0:
        why = "every seed has the same value (zero spread): the t statistic diverges"
    else:
        t = margin * math.sqrt(n) / s_nats
        if not math.isfinite(t):
            t, why = None, "the spread is too small for a finite t statistic"
    chain.step(
        "student1908",
        "t statistic (one-sided)",
        "t = (Δ_nats − bar) / (s_nats / √n),  df = n − 1",
        {"margin": margin, "s_nats": s_nats, "n_seeds": n, "df": df},
        t,
        why if t is None else f"t = {t:.3f} with {df} degree(s) of freedom",
    )

    p_value = None if t is None else eval_stats.student_t_sf(t, df)
    chain.step(
        "student1908",
        "p-value",
        "p = P(T_df > t)  (regularized incomplete beta)",
        {"t": t, "df": df},
        p_value,
        f"not defined: {why}"
        if p_value is None
        else f"p = {p_value:.3g} " + ("<" if p_value < p.alpha else "≥") + f" α = {p.alpha:g}",
        unit="probability",
        status="validated",
    )

    t_crit = eval_stats.student_t_isf(p.alpha, df) if df >= 1 else None
    needed = None
    if t_crit is not None and s_nats is not None:
        needed = p.bar_nats + t_crit * s_nats / math.sqrt(n)
    chain.step(
        "student1908",
        "Improvement needed for significance",
        "Δ_needed = bar + t_{1−α, df} · s_nats / √n",
        {"bar_nats": p.bar_nats, "t_crit": t_crit, "s_nats": s_nats, "n_seeds": n},
        needed,
        "not defined without a seed spread"
        if needed is None
        else (
            f"with this spread the mean must beat the baseline by ≥ {format_decimals(needed)} nats "
            f"({format_decimals(needed / p.nats_per_bpb)} bpb); t_crit = {t_crit:.3f}"
        ),
        unit="nats/token",
    )

    chain.caveat(
        "baseline_bpb is one number treated as exact: the baseline's own seed-to-seed spread is not "
        "modelled (a Welch test on both sets of seeds would be stricter)."
    )
    chain.caveat(
        "The nats conversion uses the run's val_loss / val_bpb ratio (= ln 2 × bytes per token of its "
        "tokenizer); "
        "the seeds are assumed independent and the val set fixed."
    )

    head = (
        f"mean {format_decimals(mean)} vs baseline {p.baseline_bpb:g} bpb: Δ = {format_decimals(delta_bpb)} bpb = "
        f"{format_decimals(delta_nats)} nats/token"
    )
    figures = {
        "mean_bpb": mean,
        "delta_nats_per_token": delta_nats,
        "margin_nats": margin,
        "t_statistic": t,
        "p_value": p_value,
        "significant": p_value is not None and p_value < p.alpha,
    }

    def answer(label: str, reason: str, mitigation: str) -> Verdict:
        return Verdict(label, reason, mitigation, tone=TONES[label], figures=figures)

    if margin <= 0:
        return answer(
            "BELOW BAR",
            f"{head}, which does not exceed the {p.bar_nats:g}-nat bar (margin {format_decimals(margin)}).",
            f"A record needs a mean improvement above {p.bar_nats:g} nats per token "
            f"({format_decimals(p.bar_nats / p.nats_per_bpb)} bpb); improve the run or claim a non-record result.",
        )
    if p_value is None:
        return answer(
            "NOT TESTABLE",
            f"{head}, {format_decimals(margin)} over the bar, but {why}.",
            "Run more seeds (the record PRs use 3–5) and rerun the check.",
        )
    test = f"t = {t:.2f}, df = {df}, one-sided p = {p_value:.3g}"
    if p_value < p.alpha:
        return answer(
            "CLAIM SUPPORTED",
            f"{head}: {format_decimals(margin)} over the {p.bar_nats:g}-nat bar; {test} < α = {p.alpha:g}.",
            "None required; report the per-seed values, the spread and the test with the claim.",
        )
    return answer(
        "NOT SIGNIFICANT",
        f"{head}: the mean clears the {p.bar_nats:g}-nat bar but {test} ≥ α = {p.alpha:g}.",
        f"Run more seeds or reduce seed variance; with this spread the mean improvement must reach "
        f"{format_decimals(defined(needed))} nats per token.",  # defined: n ≥ 2 seeds with a spread gave a p-value
    )


RECIPE = Recipe(
    id="R-1",
    name="Record Claim Check",
    description="Does a multi-seed run beat the baseline by the record bar, with a significant t-test?",
    category="evaluation",
    sections=("parameter-golf", "student1908"),
    params=PARAMS,
    run=run,
    in_profile=False,
)
