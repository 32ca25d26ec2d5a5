"""§26 γ-thermodynamics: attention decay exponent, horizon, NIAH ceiling, KV windows.

γ is the exponent of the power law a(d) ∝ d^−γ that attention weight follows with
token distance d. Phase A is 0 < γ < 1 (long-range attention possible); Phase B is
γ ≤ 0 (T far too large for θ) or γ ≥ 1 (Hagedorn: attention concentrates locally).

Every function here is pure, takes plain numbers and returns ``None`` outside its
domain instead of raising. Evidence status follows the TAF framework (reference ``taf``),
in the vocabulary of :mod:`taf.evidence`.
"""

from __future__ import annotations

import math
from fractions import Fraction

from ..evidence import DISABLED, EXPLORATORY, VALIDATED

SQRT2 = math.sqrt(2.0)

#: §26.10 decomposition constants and their evidence status.
DELTA_GQA = 0.11  # replicates (group mean +0.115 on n = 9/13)
DELTA_SWA_FITTED = -0.21  # fitted on n = 1: disabled, applied as 0
DELTA_POST_IH = -0.15  # exploratory: does not replicate (group mean ≈ 0)
POST_IH_MIN_PARAMS = 4e8  # size rule for induction-head formation (§30)

#: display formulas, owned here and shown by every step that computes them
GAMMA_PADE_FORMULA = "γ = (2θ − T√2)/(2θ + T√2)"
DECOMPOSITION_FORMULA = "γ_corrected = γ_Padé + δ_GQA + δ_SWA + δ_post_IH"
D_HORIZON_FORMULA = "d_h = θ(1 − γ)√2/(1 + γ)"

#: §26.7 calibrated zone of the D_f window.
DF_GAMMA_MIN = 0.65
DF_GAMMA_MAX = 0.85


def gamma_pade(theta: float, T_eval: float) -> float | None:
    """§26.1 Padé estimate of the attention decay exponent.

    γ_Padé(θ, T) = (2θ − T√2) / (2θ + T√2)

    Parameters: ``theta`` RoPE base θ (dimensionless, > 0); ``T_eval`` evaluation
    length T (tokens, > 0). Returns γ (dimensionless, in (−1, 1)); ``None`` if
    θ ≤ 0 or T ≤ 0. Evidence: validated (TAF F1, median MAE < 5 % on the panel).
    """
    if theta <= 0 or T_eval <= 0:
        return None
    t_sqrt2 = T_eval * SQRT2
    return (2 * theta - t_sqrt2) / (2 * theta + t_sqrt2)


def gamma_decompose(
    gamma_pade_value: float, has_GQA: bool = False, has_SWA: bool = False, n_params: float = 0.0
) -> dict:
    """§26.10 Decomposition v1: γ_corrected = γ_Padé + δ_GQA + δ_SWA + δ_post-IH.

    * δ_GQA = +0.11 when the model uses grouped-query attention (n_kv < n_heads).
      Status: validated (replicates in the 2026-05-02 re-audit).
    * δ_SWA = 0. The fitted −0.21 rested on a single model (n = 1); it is disabled
      and only its status is reported.
    * δ_post-IH = −0.15 when N ≥ 4·10^8 parameters. Status: exploratory — it does
      not replicate (group mean ≈ 0 on n = 16/6).

    ``n_params`` is in parameters (not millions). Returns a dict with each δ, its
    evidence status (:mod:`taf.evidence`; ``None`` where the correction does not apply) and
    ``gamma_corrected``.
    """
    delta_gqa = DELTA_GQA if has_GQA else 0.0
    delta_swa = 0.0
    delta_post_ih = DELTA_POST_IH if n_params >= POST_IH_MIN_PARAMS else 0.0
    return {
        "pade_centroid": gamma_pade_value,
        "delta_GQA": delta_gqa,
        "delta_GQA_status": VALIDATED if has_GQA else None,
        "delta_SWA": delta_swa,
        "delta_SWA_status": DISABLED if has_SWA else None,
        "delta_post_IH": delta_post_ih,
        "delta_post_IH_status": EXPLORATORY if delta_post_ih != 0 else None,
        "gamma_corrected": gamma_pade_value + delta_gqa + delta_swa + delta_post_ih,
    }


def d_horizon(theta: float, gamma: float) -> float | None:
    """§26.2 Attention horizon, the distance past which retrieval decays.

    d_h(θ, γ) = θ · (1 − γ) · √2 / (1 + γ)

    Units: tokens (θ dimensionless). Domain: γ ∈ (0, 1) and θ > 0; ``None``
    otherwise. Identity: d_h(θ, γ_Padé(θ, T)) = T exactly (in real arithmetic), so
    with no δ correction the "horizon" is the evaluation length itself — a
    tautology, not a prediction. Evidence: the identity is exact; its use as a
    NIAH predictor (claim F2) is tautological.
    """
    if theta <= 0 or not (0.0 < gamma < 1.0):
        return None
    return theta * (1 - gamma) * SQRT2 / (1 + gamma)


def l_niah(d_horizon_value: float | None) -> float | None:
    """§26.5 NIAH 50 % ceiling: L_NIAH^c = 2 · d_h (tokens). ``None`` if d_h is undefined.

    Evidence: exploratory (inherits the tautology of d_horizon when no δ applies).
    """
    return None if d_horizon_value is None else 2 * d_horizon_value


def chi_susceptibility(gamma: float) -> float | None:
    """§26.16 Susceptibility χ = 1 / |γ − 1| (dimensionless).

    Diverges at γ = 1: returns ``None`` there. Evidence: exploratory (analogy).
    """
    if gamma == 1.0:
        return None
    return 1.0 / abs(gamma - 1.0)


def p_hallucinate(L: float, theta: float, gamma: float) -> float | None:
    """§26.9 Probability of a horizon-overshoot miss at length L.

    P(L, θ, γ) = max(0, 1 − (d_h / L)^(1 − γ)) · √χ / (1 + √χ),  χ = 1/|γ − 1|

    Units: probability in [0, 1); L in tokens. Domain: γ ∈ (0, 1), θ > 0, L > 0;
    ``None`` otherwise. Evidence: exploratory.
    """
    dh = d_horizon(theta, gamma)
    if dh is None or L <= 0:
        return None
    chi = chi_susceptibility(gamma)
    if chi is None:
        return None
    geometric = max(0.0, 1.0 - (dh / L) ** (1 - gamma))
    root = math.sqrt(chi)
    return geometric * root / (1 + root)


def theta_design(gamma_target: float, T_eval: float) -> float | None:
    """§26.3 RoPE base that puts γ_Padé at ``gamma_target`` for length T (Padé inverse).

    θ_design(γ*, T) = T · √2 · (1 + γ*) / (2 · (1 − γ*))

    Domain: γ* ∈ (−1, 1), T > 0; ``None`` otherwise. Units: dimensionless θ.
    Evidence: exact inverse of §26.1.
    """
    if not (-1.0 < gamma_target < 1.0) or T_eval <= 0:
        return None
    return T_eval * SQRT2 * (1 + gamma_target) / (2 * (1 - gamma_target))


def alpha_opt(gamma_target: float, T_eval: float, theta_nominal: float) -> float | None:
    """§26.4 NTK scaling factor α = θ_design(γ*, T) / θ_nominal (dimensionless).

    ``None`` where θ_design is undefined or θ_nominal ≤ 0.
    """
    design = theta_design(gamma_target, T_eval)
    if design is None or theta_nominal <= 0:
        return None
    return design / theta_nominal


# ── §26.7 D_f window ──────────────────────────────────────────────────────────
_EM_HEAD = 32  # terms summed directly before the Euler–Maclaurin tail
# Bernoulli numbers B_2, B_4, …, B_12 divided by (2k)!
_BERNOULLI_OVER_FACTORIAL = (
    1 / 12,
    -1 / 720,
    1 / 30240,
    -1 / 1209600,
    1 / 47900160,
    -691 / 1307674368000,
)


def power_sum(gamma: float, n: int) -> float:
    """Σ_{d=1}^{n} d^−γ for γ > 0, γ ≠ 1, n ≥ 0 — in O(1) time.

    The first 31 terms are summed exactly (``math.fsum``); the tail from d = 32 is
    the Euler–Maclaurin expansion with six Bernoulli corrections, whose remainder
    is below 10^−16 relative for γ ∈ (0, 2). Used by :func:`df_window`.
    """
    if n <= 0:
        return 0.0
    if n < _EM_HEAD:
        return math.fsum(d**-gamma for d in range(1, n + 1))
    head = math.fsum(d**-gamma for d in range(1, _EM_HEAD))
    a, b = float(_EM_HEAD), float(n)
    s = 1.0 - gamma
    terms = [(b**s - a**s) / s, (a**-gamma + b**-gamma) / 2]
    # f(x) = x^−γ; f^(k)(x) = (−γ)(−γ−1)…(−γ−k+1) · x^(−γ−k)
    coefficient = -gamma  # f'(x) coefficient
    order = 1
    for b_over_fact in _BERNOULLI_OVER_FACTORIAL:
        deriv_b = coefficient * b ** (-gamma - order)
        deriv_a = coefficient * a ** (-gamma - order)
        terms.append(b_over_fact * (deriv_b - deriv_a))
        # advance two derivative orders
        coefficient *= (-gamma - order) * (-gamma - order - 1)
        order += 2
    return head + math.fsum(terms)


def df_window(gamma: float, N: int, f: float = 0.90) -> int | None:
    """§26.7 KV compression window D_f: the smallest D whose attention mass reaches f.

    D_f(γ, N, f) = min { D ∈ [1, N] : Σ_{d=1}^{D} d^−γ ≥ f · Σ_{d=1}^{N} d^−γ }

    This is the discrete definition (the TAF Agent module's closed form
    [(1−f) + f·N^(1−γ)]^(1/(1−γ)) is its continuum approximation). It is computed
    by binary search over D with :func:`power_sum`, O(log N) sums of O(1) cost, so
    N = 10^7 takes microseconds. Units: D and N in tokens; f a fraction in (0, 1].
    Domain: γ ∈ [0.65, 0.85] (the calibrated zone) — ``None`` outside; N ≥ 1.
    Evidence: exploratory (calibrated on the panel zone only).
    """
    if not (DF_GAMMA_MIN <= gamma <= DF_GAMMA_MAX):
        return None
    if N <= 0:
        return 1
    target = f * power_sum(gamma, N)
    low, high = 1, N  # invariant: answer in [low, high]
    while low < high:
        mid = (low + high) // 2
        if power_sum(gamma, mid) >= target:
            high = mid
        else:
            low = mid + 1
    return low


def df_window_bruteforce(gamma: float, N: int, f: float = 0.90) -> int | None:
    """Reference O(N) implementation of :func:`df_window` (for tests only)."""
    if not (DF_GAMMA_MIN <= gamma <= DF_GAMMA_MAX):
        return None
    if N <= 0:
        return 1
    weights = [d**-gamma for d in range(1, N + 1)]
    target = f * math.fsum(weights)
    partial = []
    for d, w in enumerate(weights, start=1):
        partial.append(w)
        if math.fsum(partial) >= target:
            return d
    return N


#: §26.8 soft-decay regime thresholds on r = d_h / max(1, T_train/2)
SOFT_DECAY_APPLIES = 1.2
SOFT_DECAY_BORDERLINE = 0.8
SOFT_DECAY_FORMULA = (
    f"r = d_h / max(1, T_train/2);  r ≥ {SOFT_DECAY_APPLIES} → applies, "
    f"r ≥ {SOFT_DECAY_BORDERLINE} → borderline, else use-hard-cutoff"
)


def _regime_of(ratio) -> str:
    """The regime word for r (a float or an exact Fraction)."""
    if ratio >= _exact(SOFT_DECAY_APPLIES) if not isinstance(ratio, float) else ratio >= SOFT_DECAY_APPLIES:
        return "applies"
    if ratio >= _exact(SOFT_DECAY_BORDERLINE) if not isinstance(ratio, float) else ratio >= SOFT_DECAY_BORDERLINE:
        return "borderline"
    return "use-hard-cutoff"


def _exact(decimal_constant: float):
    """The exact rational a decimal constant is written as (1.2 → 6/5, not its binary neighbour)."""
    return Fraction(str(decimal_constant))


def soft_decay_regime(theta: float, gamma: float, T_train: float) -> tuple[str, float | None]:
    """§26.8 Soft KV-decay regime bound: does d_h reach about half the training length?

    r = d_h / max(1, T_train / 2);  r ≥ 1.2 → "applies", r ≥ 0.8 → "borderline",
    otherwise (or d_h undefined) → "use-hard-cutoff".

    Returns (regime, r); r is ``None`` when d_h is undefined. Evidence: exploratory
    (TAF F17).
    """
    dh = d_horizon(theta, gamma)
    if dh is None:
        return "use-hard-cutoff", None
    ratio = dh / max(1.0, T_train / 2)
    return _regime_of(ratio), ratio


def soft_decay_regime_checked(
    theta: float, gamma: float, T_eval: int, T_train: int, no_delta: bool
) -> tuple[str, float | None, float | None]:
    """§26.8 regime, tie-safe: returns (regime, r, d_h).

    When no δ correction applies and d_h is defined, the identity d_h(θ, γ_Padé(θ, T_eval)) = T_eval
    holds, so r = T_eval / max(1, T_train/2) is a rational number: the regime is decided on that
    exact value (a computed d_h a few ulps below T_eval must not flip "applies" to "borderline").
    Evidence: tautology when ``no_delta`` (the test reduces to T_eval against T_train), else exploratory.
    """
    regime, ratio = soft_decay_regime(theta, gamma, T_train)
    dh = d_horizon(theta, gamma)
    if no_delta and dh is not None:
        exact = Fraction(T_eval) / max(Fraction(1), Fraction(T_train, 2))
        regime = _regime_of(exact)
        ratio = float(exact)
    return regime, ratio, dh


def phase_label(gamma: float | None) -> str:
    """Plain-language phase of γ (§26): Phase A in (0, 1), Phase B otherwise."""
    if gamma is None:
        return "not defined (γ could not be computed)"
    if 0 < gamma < 1:
        return "Phase A (0 < γ < 1: attention has a finite horizon)"
    if gamma >= 1:
        return "Phase B / Hagedorn (γ ≥ 1: attention concentrates locally)"
    return "Phase B / catastrophic (γ ≤ 0: T too large for θ)"
