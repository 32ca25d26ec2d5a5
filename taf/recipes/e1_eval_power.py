"""E-1 Eval power: what does c correct out of n tell you, and is n big enough?

pass@1 = c/n, the unbiased pass@k of Chen et al. 2021 computed exactly with
integers, the two-sided Wilson score interval at any confidence, and the number of
samples needed for an interval as narrow as you want.
"""

from __future__ import annotations

import math
from fractions import Fraction

from ..chain import Verdict, chart
from ..formulas import eval_stats
from ..numeric import defined
from ..params import Param
from ..textfmt import format_percent
from .base import Recipe, constraint_error

#: binomials larger than this are not echoed (JavaScript numbers are exact only up to 2^53)
MAX_EXACT_JSON_INT = 2**53
MAX_SAMPLES = 100_000

PARAMS = (
    Param("n", "int", "Number of samples (or problems) evaluated.", unit="samples", min=1, max=MAX_SAMPLES),
    Param("c", "int", "How many of the n samples were correct (0 ≤ c ≤ n).", unit="samples", min=0, max=MAX_SAMPLES),
    Param(
        "k",
        "int",
        "Attempts allowed per problem for pass@k (k ≤ n).",
        unit="samples",
        default=1,
        min=1,
        max=MAX_SAMPLES,
    ),
    Param(
        "confidence",
        "float",
        "Two-sided confidence level of the Wilson interval.",
        unit="probability",
        default=0.95,
        min=0,
        max=1,
        min_exclusive=True,
        max_exclusive=True,
    ),
    Param(
        "target_half_width",
        "float",
        "Interval half-width you need to tell results apart (0.05 = ±5 percentage points).",
        unit="probability",
        default=0.05,
        min=0,
        max=0.5,
        min_exclusive=True,
    ),
)


def _binomial_breakdown(n: int, c: int, k: int) -> dict | None:
    """C(n−c, k), C(n, k) and the exact pass@k, when small enough to echo exactly."""
    if n > 1000:
        return None
    den = math.comb(n, k)
    if den > MAX_EXACT_JSON_INT:
        return None
    num = math.comb(n - c, k)
    exact = 1 - Fraction(num, den)
    return {"C(n−c,k)": num, "C(n,k)": den, "exact": f"{exact.numerator}/{exact.denominator}"}


#: the k of the pass@k chart (those ≤ n), plus the k asked for
CHART_KS = (1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000)


def pass_at_k_chart(n: int, c: int, k: int) -> dict:
    """Unbiased pass@k against k for these n and c."""
    ks = sorted({x for x in CHART_KS if x <= n} | {k})
    return chart(
        "pass_at_k",
        "line",
        "pass@k against the number of attempts k",
        x={"label": "attempts k", "unit": "", "scale": "log"},
        y={"label": "pass@k", "unit": "probability", "scale": "linear"},
        series=[{"name": f"pass@k (n = {n:,}, c = {c:,})", "points": [[x, eval_stats.pass_at_k(n, c, x)] for x in ks]}],
        markers=[{"axis": "x", "value": k, "label": f"k = {k:,}"}],
        note="The chance that k samples drawn from the n include a correct one.",
    )


def run(p, chain) -> Verdict:
    if p.c > p.n:
        raise constraint_error(
            "c", p.c, f"it must be ≤ n = {p.n:,} (there cannot be more correct samples than samples)"
        )
    if p.k > p.n:
        raise constraint_error(
            "k", p.k, f"it must be ≤ n = {p.n:,} (pass@k draws k of the n samples; k > n is undefined)"
        )

    # 0 ≤ c ≤ n, 1 ≤ k ≤ n (checked above), 0 < confidence < 1: every formula below is inside its domain
    p1 = defined(eval_stats.pass_at_1(p.n, p.c))
    chain.step(
        "chen2021",
        "pass@1",
        "pass@1 = c / n",
        {"n": p.n, "c": p.c},
        p1,
        f"{p.c:,} of {p.n:,} samples correct = {format_percent(p1)}",
        unit="probability",
        status="validated",
    )

    pk = defined(eval_stats.pass_at_k(p.n, p.c, p.k))
    chain.step(
        "chen2021",
        f"pass@{p.k} (unbiased)",
        "pass@k = 1 − C(n−c, k) / C(n, k)  (exact integers)",
        {"n": p.n, "c": p.c, "k": p.k},
        pk,
        f"probability that {p.k:,} sample(s) drawn from the {p.n:,} include a correct one: {format_percent(pk)}",
        unit="probability",
        breakdown=_binomial_breakdown(p.n, p.c, p.k),
        status="validated",
    )

    z = eval_stats.z_two_sided(p.confidence)
    low, high = defined(eval_stats.wilson_interval(p.c, p.n, p.confidence))
    level = f"{p.confidence * 100:g} %"
    chain.step(
        "wilson1927",
        f"Wilson {level} interval",
        "p̂ = c/n;  (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)",
        {"c": p.c, "n": p.n, "confidence": p.confidence, "z": z},
        {"low": low, "high": high},
        f"the true rate lies in [{format_percent(low)}, {format_percent(high)}] at {level} confidence",
        unit="probability",
        status="validated",
    )

    half = defined(eval_stats.wilson_half_width(p1, p.n, p.confidence))
    enough = half <= p.target_half_width
    chain.step(
        "wilson1927",
        "Interval half-width",
        "half = z·√(n·p̂(1−p̂) + z²/4) / (n + z²)",
        {"p_hat": p1, "n": p.n, "z": z},
        half,
        f"±{half * 100:.2f} percentage points — "
        + ("within" if enough else "wider than")
        + f" the target ±{p.target_half_width * 100:g}",
        unit="probability",
    )

    n_needed = eval_stats.n_for_wilson_half_width(p1, p.target_half_width, p.confidence)
    chain.step(
        "wilson1927",
        "Samples for the target half-width",
        "smallest n with half(p̂, n) ≤ target  (bisection; p̂ held fixed)",
        {"p_hat": p1, "target_half_width": p.target_half_width, "confidence": p.confidence},
        n_needed,
        (
            f"about {n_needed:,} samples give ±{p.target_half_width * 100:g} percentage points at the observed rate"
            if n_needed is not None
            else "not reachable with any practical n"
        ),
        unit="samples",
    )

    chain.caveat(
        "The interval treats the n samples as independent trials. Several samples of the same problem "
        "are correlated: for a benchmark score use the number of problems as n."
    )
    chain.caveat(
        "pass@k here is the estimator for one problem (or a pooled count); a benchmark's pass@k is the "
        "mean of the per-problem estimates."
    )

    ci = (
        f"{level} Wilson interval [{format_percent(low)}, {format_percent(high)}] (±{half * 100:.1f} percentage points)"
    )
    figures = {
        "pass_at_1": p1,
        f"pass_at_{p.k}": pk,
        "wilson_low": low,
        "wilson_high": high,
        "half_width": half,
        "samples_for_target": n_needed,
        "enough_power": enough,
    }
    charts = [pass_at_k_chart(p.n, p.c, p.k)]
    if enough:
        return Verdict(
            "ENOUGH POWER",
            f"pass@1 = {format_percent(p1)} ({p.c:,}/{p.n:,}), {ci}: within the target ±{p.target_half_width * 100:g}.",
            "None required; report the interval with the point estimate.",
            tone="good",
            figures=figures,
            charts=charts,
        )
    more = f"about {n_needed:,} samples" if n_needed is not None else "far more samples"
    return Verdict(
        "UNDERPOWERED",
        f"pass@1 = {format_percent(p1)} ({p.c:,}/{p.n:,}), {ci}: wider than the target "
        f"±{p.target_half_width * 100:g}, so differences smaller than that cannot be told apart.",
        f"Evaluate on {more} (at the same rate) to reach ±{p.target_half_width * 100:g} percentage "
        "points, or compare models on the same problems with a paired test.",
        tone="caution",
        figures=figures,
        charts=charts,
    )


RECIPE = Recipe(
    id="E-1",
    name="Eval Power",
    description="pass@1, unbiased pass@k and the Wilson interval: can this eval tell?",
    category="evaluation",
    sections=("chen2021", "wilson1927"),
    params=PARAMS,
    run=run,
    in_profile=False,
)
