"""Evaluation statistics: pass@k, Wilson score intervals and Student's t.

Everything here is the standard library only. Binomial ratios are computed exactly
with integers and rounded once at the end; the Student-t distribution comes from the
regularized incomplete beta function, evaluated by its continued fraction.

References: Chen et al. 2021 (arXiv:2107.03374) for the unbiased pass@k estimator;
Wilson 1927 for the score interval; Press et al., *Numerical Recipes*, §6.4 for the
incomplete-beta continued fraction (citation keys ``chen2021``, ``wilson1927``, ``student1908``
in :mod:`taf.references`; ``floor-oracle`` for the zero-success Wilson bound, ``parameter-golf``
for the record-claim t-test).
"""

from __future__ import annotations

import math
import operator
from fractions import Fraction
from statistics import NormalDist

from ..numeric import all_finite, defined

#: pass@k is exactly 1 − r; once r < 2^−64 the correctly rounded float of 1 − r is 1.0
_NEGLIGIBLE_LOG2 = 64.0


# ── pass@k ───────────────────────────────────────────────────────────────────
def pass_at_1(n: int, c: int) -> float | None:
    """pass@1 = c / n: the fraction of the n samples that pass (probability).

    Domain: integers 0 ≤ c ≤ n, n ≥ 1; ``None`` otherwise. Evidence: exact.
    """
    if not _valid_counts(n, c, 1):
        return None
    return c / n


def pass_at_k_exact(n: int, c: int, k: int) -> Fraction | None:
    """Unbiased pass@k as an exact fraction: 1 − C(n−c, k) / C(n, k) (Chen et al. 2021).

    n samples per problem, c of them correct, k the budget of attempts: the
    probability that k samples drawn without replacement from the n include at
    least one correct one. Domain: integers n ≥ 1, 0 ≤ c ≤ n, 1 ≤ k ≤ n; ``None``
    otherwise. Cost grows with the size of C(n, k) — use :func:`pass_at_k` for a float.
    Evidence: exact (combinatorial identity).
    """
    if not _valid_counts(n, c, k):
        return None
    return 1 - Fraction(math.comb(n - c, k), math.comb(n, k))


def pass_at_k(n: int, c: int, k: int) -> float | None:
    """Unbiased pass@k = 1 − C(n−c, k) / C(n, k), correctly rounded to a float (probability).

    Computed exactly with integers: C(n−c, k)/C(n, k) = Π_{i<m} (n−a−i)/(n−i) with
    m = min(c, k), a = max(c, k), as one integer fraction rounded once. When that
    ratio is provably below 2^−64 (each factor ≤ (n−a)/n) the exact result rounds to
    1.0 and is returned without forming the big integers. pass@1 = c/n. Domain:
    integers n ≥ 1, 0 ≤ c ≤ n, 1 ≤ k ≤ n; ``None`` otherwise (k > n is undefined:
    you cannot draw more samples than were generated). Evidence: exact (Chen et al.
    2021, arXiv:2107.03374; floor_oracle computes it with 128-bit binomials).
    """
    if not _valid_counts(n, c, k):
        return None
    if c == 0:
        return 0.0
    if n - c < k:
        return 1.0  # every k-subset contains a correct sample
    m, a = min(c, k), max(c, k)
    if m * (math.log2(n) - math.log2(n - a)) > _NEGLIGIBLE_LOG2:
        return 1.0
    num = math.perm(n - a, m)
    den = math.perm(n, m)
    return (den - num) / den  # int / int is correctly rounded in Python


def _valid_counts(n, c, k) -> bool:
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (n, c, k))
    return ints and n >= 1 and 0 <= c <= n and 1 <= k <= n


# ── Wilson score interval ────────────────────────────────────────────────────
def z_two_sided(confidence: float) -> float | None:
    """The standard-normal quantile z with P(|Z| ≤ z) = confidence (dimensionless).

    z = Φ⁻¹(1 − (1 − confidence)/2) = −Φ⁻¹((1 − confidence)/2), from ``statistics.NormalDist``
    (the second form stays exact for a confidence within 1e-16 of 1); 0.95 → 1.959963984540054.
    Domain: 0 < confidence < 1; ``None`` otherwise. Evidence: exact (to float precision).
    """
    if not 0 < confidence < 1:
        return None
    return -NormalDist().inv_cdf((1 - confidence) / 2)


def wilson_interval(c: int, n: int, confidence: float = 0.95) -> tuple[float, float] | None:
    """Two-sided Wilson score interval for a success rate from c successes in n trials.

    With p̂ = c/n and z = :func:`z_two_sided` (confidence):
    centre = (p̂ + z²/(2n)) / (1 + z²/n), half = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/(4n²));
    interval = (centre − half, centre + half). For c = 0 the lower end is exactly 0 and
    the upper end is z²/(n + z²); for c = n the upper end is exactly 1. Units:
    probabilities. Domain: integers 0 ≤ c ≤ n, n ≥ 1, 0 < confidence < 1; ``None``
    otherwise. Evidence: validated (Wilson 1927; good coverage even for c = 0).
    """
    z = z_two_sided(confidence)
    if z is None or not _valid_counts(n, c, 1):
        return None
    z2 = z * z
    if c == 0:
        return 0.0, z2 / (n + z2)
    if c == n:
        return n / (n + z2), 1.0
    p = c / n
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def wilson_zero_success_upper(n: int, confidence: float = 0.95) -> float | None:
    """Upper Wilson bound for 0 successes in n trials: z² / (n + z²) (probability).

    The largest true rate still consistent with 0/n at the given two-sided
    confidence. n = 4 / 16 / 32 at 95 % → 0.4899 / 0.1936 / 0.1072 (floor_oracle, reference ``floor-oracle``).
    Domain: integer n ≥ 1, 0 < confidence < 1; ``None`` otherwise. Evidence: validated.
    """
    interval = wilson_interval(0, n, confidence)
    return None if interval is None else interval[1]


def wilson_half_width(p_hat: float, n: float, confidence: float = 0.95) -> float | None:
    """Half-width of the Wilson interval at observed rate p̂ and n trials (probability).

    half = z · √(n·p̂(1−p̂) + z²/4) / (n + z²), strictly decreasing in n. Domain:
    0 ≤ p̂ ≤ 1, n > 0, 0 < confidence < 1; ``None`` otherwise. Evidence: exact algebra.
    """
    z = z_two_sided(confidence)
    if z is None or not 0 <= p_hat <= 1 or not n > 0:
        return None
    return _wilson_half_width(z, p_hat, n)


def _wilson_half_width(z: float, p_hat: float, n: float) -> float:
    """:func:`wilson_half_width` inside its domain, given z."""
    z2 = z * z
    return z * math.sqrt(n * p_hat * (1 - p_hat) + z2 / 4) / (n + z2)


def n_for_wilson_half_width(p_hat: float, target: float, confidence: float = 0.95, n_max: int = 10**12) -> int | None:
    """The smallest n whose Wilson half-width at rate p̂ is ≤ target (trials).

    Bisection on the strictly decreasing :func:`wilson_half_width`. Assumes the rate
    stays p̂ as n grows (a planning figure, not a guarantee). Domain: 0 ≤ p̂ ≤ 1,
    0 < target < 1, 0 < confidence < 1; ``None`` otherwise or when even n_max is not
    enough. Evidence: exact algebra + bisection.
    """
    if not 0 < target < 1:
        return None
    z = z_two_sided(confidence)
    if z is None or not 0 <= p_hat <= 1:  # the domain of wilson_half_width (n ≥ 1 > 0 here)
        return None
    if _wilson_half_width(z, p_hat, 1) <= target:
        return 1
    if _wilson_half_width(z, p_hat, n_max) > target:
        return None
    lo, hi = 1, n_max  # half(lo) > target ≥ half(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _wilson_half_width(z, p_hat, mid) <= target:
            hi = mid
        else:
            lo = mid
    return hi


def n_to_rule_out_rate_with_zero_successes(rate: float, confidence: float = 0.95) -> int | None:
    """The smallest n for which 0/n puts ``rate`` above the Wilson upper bound (trials).

    z²/(n + z²) < rate  ⇔  n > z²(1 − rate)/rate, so n = ⌊z²(1 − rate)/rate⌋ + 1.
    Below this n, a 0-success eval cannot tell a model with true rate ``rate`` from
    a dead one. Domain: 0 < rate < 1, 0 < confidence < 1; ``None`` otherwise.
    Evidence: exact algebra.
    """
    z = z_two_sided(confidence)
    if z is None or not 0 < rate < 1:
        return None
    return math.floor(z * z * (1 - rate) / rate) + 1


# ── exact mean and spread ────────────────────────────────────────────────────
def exact_sum_and_squares(values) -> tuple[int, int, int] | None:
    """Exact Σx and Σ(x − x̄)² of finite ints/floats, in integers: ``(S, Q, D)``.

    Every float is a dyadic rational, so with one common power-of-two denominator D
    x_i = N_i / D exactly, Σx = S / D with S = ΣN_i, and
    Σ(x − x̄)² = Σ(n·N_i − S)² / (n·D)² = Q / (n·D)² with Q = n·(n·ΣN_i² − S²).
    Integer arithmetic is exact; lists of floats go through :func:`exact_float_sums`
    (C-level map/sum), other inputs use D = the largest denominator among the x_i. S/D and
    Q/D² are the same rationals either way. Domain: a non-empty sequence of finite numbers
    (not booleans); ``None`` otherwise. Evidence: exact.
    """
    values = list(values)
    if not values:
        return None
    types = set(map(type, values))
    if types == {float}:
        if not all_finite(values):
            return None
        return exact_float_sums(values, min(values), max(values))
    if not types <= {int, float} or not all(map(_finite, values)):
        return None
    return _exact_sums_by_ratios(values)


def exact_float_sums(values: list, low: float, high: float) -> tuple[int, int, int] | None:
    """:func:`exact_sum_and_squares` for a list of finite floats whose min and max the caller
    already knows (``low``, ``high``) — e.g. a parsed list parameter: ``(S, Q, D)``, exact.

    When the range allows it, D = 2^(52 − e) with e the binary exponent of the smallest
    non-zero |x|: a multiple of every x_i's denominator, so each N_i = x_i·D is an exact
    float integer (a power-of-two scaling) and S = ΣN_i, ΣN_i² are C-level sums over ints.
    Subnormals or a range wider than the float exponent fall back to exact
    ``as_integer_ratio`` per value. Domain: a non-empty list of finite floats with
    min = low ≤ high = max; ``None`` when the list is empty or low/high are not finite
    (the items themselves are the caller's guarantee: checking them again would cost as much
    as the sums — :func:`exact_sum_and_squares` checks). Evidence: exact.
    """
    n = len(values)
    if not n or not (math.isfinite(low) and math.isfinite(high) and low <= high):
        return None
    if high < 0:
        low, high = -high, -low
    elif low <= 0:  # zeros or both signs
        high = max(-low, high)  # the largest |x|
        low = min(filter(None, map(abs, values)), default=0.0)  # the smallest non-zero |x|
    if not low:  # all zeros
        return 0, 0, 1
    shift = max(0, 52 - (math.frexp(low)[1] - 1))
    if low >= 2.0**-1022 and shift <= 1023 and math.frexp(high)[1] + shift <= 1023:
        scale = math.ldexp(1.0, shift)
        nums = list(map(int, map(scale.__mul__, values)))
        S = sum(nums)
        return S, n * (n * _sum_of_products(nums, nums) - S * S), 1 << shift
    return _exact_sums_by_ratios(values)


def _exact_sums_by_ratios(values: list) -> tuple[int, int, int]:
    ratios = [v.as_integer_ratio() for v in values]
    D = max(d for _, d in ratios)  # every denominator is a power of two (1 for an int)
    nums = [num * (D // d) for num, d in ratios]
    S = sum(nums)
    n = len(nums)
    return S, n * (n * _sum_of_products(nums, nums) - S * S), D


#: Σ a_i·b_i over ints, exact: math.sumprod (Python ≥ 3.12, a little faster) or sum(map(mul))
_sum_of_products = getattr(math, "sumprod", None) or (lambda a, b: sum(map(operator.mul, a, b)))


def mean_exact(values) -> float | None:
    """Arithmetic mean, summed exactly (integers, see :func:`exact_sum_and_squares`) and
    rounded once (same units as values).

    Domain: a non-empty sequence of finite numbers; ``None`` otherwise. Evidence: exact.
    """
    values = list(values)
    exact = exact_sum_and_squares(values)
    if exact is None:
        return None
    S, _, D = exact
    return float(Fraction(S, len(values) * D))


def sample_std_exact(values) -> float | None:
    """Sample standard deviation s = √(Σ(x − x̄)² / (n − 1)), exact until the final sqrt.

    The variance is exact (integers, see :func:`exact_sum_and_squares`), converted to a
    float once, then square-rooted (IEEE sqrt is correctly rounded), so the result is the
    same on every platform. Units: those of the values. Domain: at least two finite
    numbers; ``None`` otherwise. Evidence: exact.
    """
    values = list(values)
    exact = exact_sum_and_squares(values)
    if exact is None or len(values) < 2:
        return None
    _, Q, D = exact
    return math.sqrt(float(variance_from_sums(Q, D, len(values))))


def variance_from_sums(Q: int, D: int, n: int) -> Fraction:
    """The exact sample variance Σ(x − x̄)² / (n − 1) = Q / ((n·D)²·(n − 1)), from the integers
    ``(S, Q, D)`` of :func:`exact_sum_and_squares` (units: those of the values, squared).

    Domain: n ≥ 2. Evidence: exact.
    """
    return Fraction(Q, (n * D) ** 2 * (n - 1))


def _finite(v) -> bool:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return False
    return isinstance(v, int) or math.isfinite(v)


# ── Student's t ──────────────────────────────────────────────────────────────
_BETACF_MAX_ITER = 20000
_BETACF_EPS = 1e-16
_TINY = 1e-300
#: smallest tail probability :func:`student_t_isf` inverts
ISF_MIN_P = 1e-150


def _lentz_step(aa: float, c: float, d: float) -> tuple[float, float, float]:
    """One modified-Lentz update for the continued fraction term ``aa``: (c, d, c·d)."""
    d = 1.0 + aa * d
    if abs(d) < _TINY:
        d = _TINY
    c = 1.0 + aa / c
    if abs(c) < _TINY:
        c = _TINY
    d = 1.0 / d
    return c, d, d * c


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz, NR §6.4)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    if abs(d) < _TINY:
        d = _TINY
    d = 1.0 / d
    h = d
    for m in range(1, _BETACF_MAX_ITER + 1):
        m2 = 2 * m
        c, d, delta = _lentz_step(m * (b - m) * x / ((qam + m2) * (a + m2)), c, d)  # even term
        h *= delta
        c, d, delta = _lentz_step(-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)), c, d)  # odd term
        h *= delta
        if abs(delta - 1.0) < _BETACF_EPS:
            break
    return h


def regularized_incomplete_beta(a: float, b: float, x: float, y: float | None = None) -> float | None:
    """I_x(a, b) = B(x; a, b) / B(a, b), the regularized incomplete beta function.

    Evaluated by its continued fraction, which converges fast for x < (a+1)/(a+b+2);
    otherwise through I_x(a, b) = 1 − I_{1−x}(b, a). ``y`` may pass 1 − x computed
    without cancellation. Dimensionless, in [0, 1]. Domain: a > 0, b > 0, 0 ≤ x ≤ 1;
    ``None`` otherwise. Evidence: exact method, float precision (≈ 1e-14 relative).
    """
    if y is None:
        y = 1.0 - x
    if not (a > 0 and b > 0 and 0 <= x <= 1 and 0 <= y <= 1):
        return None
    if x == 0:
        return 0.0
    if y == 0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(y)
    front = math.exp(log_front)
    if x < (a + 1) / (a + b + 2):
        return min(1.0, max(0.0, front * _betacf(a, b, x) / a))
    return min(1.0, max(0.0, 1.0 - front * _betacf(b, a, y) / b))


def student_t_sf(t: float, df: float) -> float | None:
    """Upper tail P(T > t) of Student's t with df degrees of freedom (probability).

    For t ≥ 0: P(T > t) = ½ · I_{df/(df+t²)}(df/2, ½); for t < 0: 1 − P(T > −t).
    Domain: finite t, df > 0; ``None`` otherwise. Checks: df = 1 is the Cauchy law,
    P(T > t) = ½ − atan(t)/π; t = 2.776, df = 4 → two-sided 0.05; t = 3.747,
    df = 4 → one-sided 0.01. Evidence: exact method, float precision.
    """
    if not (_finite(t) and _finite(df) and df > 0):
        return None
    if t < 0:
        upper = student_t_sf(-t, df)
        return None if upper is None else 1.0 - upper
    if t <= 1:
        t2 = t * t
        x, y = df / (df + t2), t2 / (df + t2)
    else:
        r = (df / t) / t  # df/t², without overflowing t² for huge t
        x, y = r / (1 + r), 1 / (1 + r)
    ib = regularized_incomplete_beta(df / 2, 0.5, x, y)
    return None if ib is None else 0.5 * ib


def student_t_cdf(t: float, df: float) -> float | None:
    """P(T ≤ t) = 1 − :func:`student_t_sf` (probability). Domain: finite t, df > 0."""
    upper = student_t_sf(t, df)
    return None if upper is None else 1.0 - upper


def student_t_two_sided_p(t: float, df: float) -> float | None:
    """Two-sided p-value P(|T| ≥ |t|) = 2 · P(T > |t|) (probability). Domain: finite t, df > 0."""
    upper = student_t_sf(abs(t), df) if _finite(t) else None
    return None if upper is None else min(1.0, 2 * upper)


def student_t_pdf(t: float, df: float) -> float | None:
    """Density of Student's t: Γ((ν+1)/2) / (√(νπ) Γ(ν/2)) · (1 + t²/ν)^(−(ν+1)/2). Domain: df > 0."""
    if not (_finite(t) and _finite(df) and df > 0):
        return None
    log_pdf = (
        math.lgamma((df + 1) / 2)
        - math.lgamma(df / 2)
        - 0.5 * math.log(df * math.pi)
        - (df + 1) / 2 * math.log1p(t * t / df)
    )
    return math.exp(log_pdf)


def student_t_isf(p: float, df: float) -> float | None:
    """The critical value t with P(T > t) = p (inverse upper tail; dimensionless).

    Bracketed Newton iteration on :func:`student_t_sf` (bisection whenever a Newton
    step leaves the bracket), deterministic. One-sided α = 0.01, df = 4 → 3.7469;
    α = 0.025, df = 4 → 2.7764. Domain: 1e-150 ≤ p < 1 (below that the tail underflows
    for small df), df > 0; ``None`` otherwise. Evidence: exact method, float precision
    (≈ 1e-12 relative).
    """
    if not (_finite(p) and _finite(df) and ISF_MIN_P <= p < 1 and df > 0):
        return None
    if p == 0.5:
        return 0.0
    if p > 0.5:
        upper = student_t_isf(1 - p, df) if 1 - p >= ISF_MIN_P else None
        return None if upper is None else -upper

    def upper_tail(t: float) -> float:
        # P(T > t) exists for every finite t once df passed the test above (finite, > 0): x, y ∈ [0, 1]
        return defined(student_t_sf(t, df))

    lo, hi = 0.0, 1.0
    while upper_tail(hi) > p:
        lo, hi = hi, hi * 2
        if hi > 1e300:
            return None
    t = min(max(-NormalDist().inv_cdf(p), lo), hi)
    for _ in range(200):
        f = upper_tail(t) - p
        if f > 0:
            lo = t
        else:
            hi = t
        density = student_t_pdf(t, df)
        new_t = t + f / density if density is not None and density > 0 else None
        if new_t is None or not lo < new_t < hi:
            new_t = (lo + hi) / 2
        if abs(new_t - t) <= 1e-13 * max(1.0, abs(t)) or hi - lo <= 1e-13 * max(1.0, hi):
            return new_t
        t = new_t
    return t
