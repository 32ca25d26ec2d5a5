"""§28–§31 panel findings: learned imprint, decomposition v2, compute-context invariant,
induction-head phase probe, famous-constant proximity.

These are empirical regularities of the TAF panel (n = 22 LLMs measured in the
2026-04-28 session), not derivations. Every function is pure, takes plain numbers,
returns plain JSON values and returns ``None`` outside its domain instead of raising.
"""

from __future__ import annotations

import math
from typing import Any

from ..evidence import EXPLORATORY
from .attention import POST_IH_MIN_PARAMS, gamma_decompose, gamma_pade
from .scaling import CHINCHILLA_TOKENS_PER_PARAM

#: §28 learned-imprint slope ν = −1/(2π) ≈ −0.1592 (panel n = 22; the TAF Agent module calls it
#: "derived, error 0.3 %")
NU_IMPRINT = -1.0 / (2.0 * math.pi)
#: §28 reference size P₀ = 14 M parameters (pythia-14m, the smallest panel model)
P0_IMPRINT_M = 14.0
#: P_M below this (in millions of parameters) is floored here before the logarithm
P_M_FLOOR = 1e-3
#: §28.2 95 % half-width of the γ_random prediction
IMPRINT_CI_HALF_WIDTH = 0.18
#: §28.3 instruction-tuning correction (F9, tentative: n = 3, p = 0.06)
DELTA_INSTRUCT = -0.10
#: §29 compute-context invariant K on the panel: mean ± standard deviation (n = 22, CV 0.329)
K_PANEL_MEAN = 51.2
K_PANEL_STD = 16.8
#: §30 Δγ = γ_text − γ_random on the panel
IH_PANEL_PRE_MEAN = -0.19  # P < 400 M, n = 7
IH_PANEL_POST_MEAN = 0.03  # P ≥ 400 M, n = 15
IH_PANEL_STD = 0.26
#: |Δγ| at or below this is a tie (float noise), never a phase decision
IH_TIE_TOL = 1e-9

_PHI = (1.0 + math.sqrt(5.0)) / 2.0
#: §31 the constants the panel's γ values were compared with, in display order
FAMOUS_CONSTANTS = (
    ("1−1/φ (golden conjugate)", 1.0 - 1.0 / _PHI),
    ("1/√2", 1.0 / math.sqrt(2.0)),
    ("1−1/√2", 1.0 - 1.0 / math.sqrt(2.0)),
    ("log_10(e)", math.log10(math.e)),
    ("1/π", 1.0 / math.pi),
    ("2/π", 2.0 / math.pi),
    ("1/φ", 1.0 / _PHI),
    ("ln(2)", math.log(2.0)),
    ("z*_Cayley = (√17−3)/2", (math.sqrt(17.0) - 3.0) / 2.0),
)


def _finite(*values) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values)


def imprint_shift(n_params_M: float) -> float | None:
    """§28.1 Learned positional imprint of a model of P_M million parameters.

    δ_imprint = ν · log10(P_M / P₀),  ν = −1/(2π),  P₀ = 14 (M)

    Units: ``n_params_M`` in millions of parameters; result dimensionless (a shift
    of γ). P_M below 10^−3 (1,000 parameters) is floored at 10^−3 before the
    logarithm, as in the TAF Agent module. Domain: P_M ≥ 0 and finite; ``None`` otherwise.
    Larger models → more negative shift. Evidence: exploratory (panel fit,
    n = 22; 95 % CI of the prediction ±0.18; not independently replicated).
    """
    if not _finite(n_params_M) or n_params_M < 0:
        return None
    return NU_IMPRINT * math.log10(max(n_params_M, P_M_FLOOR) / P0_IMPRINT_M)


def gamma_random_predict(theta: float, T_eval: float, n_params_M: float) -> float | None:
    """§28.1 Predicted γ on random-token input.

    γ_random = γ_Padé(θ, T) + ν · log10(P_M / 14),  ν = −1/(2π), P_M floored at 10^−3

    Units: θ dimensionless (> 0), T in tokens (> 0), P_M in millions of parameters
    (≥ 0); result dimensionless. ``None`` outside that domain. RoPE-Padé alone
    predicts no size dependence; the weights add a learned bias ∝ log(P).
    Evidence: exploratory (panel n = 22, 95 % CI ±0.18).
    """
    g_pade = gamma_pade(theta, T_eval) if _finite(theta, T_eval) else None
    shift = imprint_shift(n_params_M)
    if g_pade is None or shift is None:
        return None
    return g_pade + shift


def imprint_purity(gamma_random_obs: float, theta: float, T_eval: float, n_params_M: float) -> dict | None:
    """§28.2 How far a measured γ_random sits from the imprint prediction.

    residual = γ_random_obs − γ_random_pred;  |residual| < 0.18 → "clean (within CI)",
    residual ≤ −0.18 → "over-imprinted" (stronger imprint than predicted),
    residual ≥ +0.18 → "under-imprinted" (weaker imprint: cleaner or less trained).

    Units: γ values dimensionless; θ, T (tokens) and P_M (millions) as in
    :func:`gamma_random_predict`. ``None`` if the prediction is undefined or
    γ_random_obs is not finite. Evidence: exploratory (the ±0.18 band is the
    panel's 95 % CI, n = 22).
    """
    pred = gamma_random_predict(theta, T_eval, n_params_M)
    if pred is None or not _finite(gamma_random_obs):
        return None
    g_pade = gamma_pade(theta, T_eval)
    if g_pade is None:  # not reached: the prediction exists only where γ_Padé does
        return None
    residual = gamma_random_obs - pred
    if abs(residual) < IMPRINT_CI_HALF_WIDTH:
        purity = "clean (within CI)"
    elif residual < 0:
        purity = "over-imprinted"
    else:
        purity = "under-imprinted"
    return {
        "gamma_random_obs": gamma_random_obs,
        "gamma_random_pred": pred,
        "gamma_pade_only": g_pade,
        "imprint_predicted": pred - g_pade,
        "imprint_residual": residual,
        "purity": purity,
        "ci_95_half_width": IMPRINT_CI_HALF_WIDTH,
    }


def gamma_decompose_v2(
    gamma_pade_value: float,
    n_params_M: float,
    has_GQA: bool = False,
    has_SWA: bool = False,
    corpus: str = "text",
    is_instruct: bool = False,
) -> dict | None:
    """§28.3 Decomposition v2 (six axes): v1 plus the imprint and instruct axes.

    γ = γ_Padé + δ_imprint·𝟙[corpus = random] + δ_GQA + δ_SWA + δ_post-IH + δ_instruct

    * δ_imprint = ν·log10(P_M/14) on random-token input only (exploratory, n = 22);
    * δ_GQA = +0.11 with grouped-query attention (validated: replicates);
    * δ_SWA = 0 — the fitted −0.21 rested on one model; disabled, status reported;
    * δ_post-IH = −0.15 for P_M ≥ 400 (exploratory: does not replicate);
    * δ_instruct = −0.10 for instruction-tuned models (tentative: n = 3, p = 0.06).

    Units: γ dimensionless, ``n_params_M`` in millions of parameters. ``corpus`` is
    "text" or "random". Returns ``None`` for another corpus or a non-finite input.
    """
    if corpus not in ("text", "random") or not _finite(gamma_pade_value):
        return None
    shift = imprint_shift(n_params_M)
    if shift is None:
        return None
    delta_imprint = shift if corpus == "random" else 0.0
    delta_instruct = DELTA_INSTRUCT if is_instruct else 0.0
    v1 = gamma_decompose(gamma_pade_value, has_GQA=has_GQA, has_SWA=has_SWA, n_params=n_params_M * 1e6)
    out: dict[str, Any] = {
        "pade_centroid": gamma_pade_value,
        "delta_imprint": delta_imprint,
        "delta_imprint_status": EXPLORATORY if corpus == "random" else None,
    }  # n = 22
    out.update((k, v) for k, v in v1.items() if k.startswith("delta_"))
    out["delta_instruct"] = delta_instruct
    out["delta_instruct_status"] = EXPLORATORY if delta_instruct != 0 else None  # tentative: n = 3, p = 0.06
    out["gamma_corrected"] = (
        gamma_pade_value + delta_imprint + v1["delta_GQA"] + v1["delta_SWA"] + v1["delta_post_IH"] + delta_instruct
    )
    out["corpus"] = corpus
    out["axes"] = ["pade", "imprint", "GQA", "SWA", "IH", "instruct"]
    return out


def compute_invariant_K(gamma: float, n_params: float, D_tokens: float | None = None) -> dict | None:
    """§29 Compute-context invariant (claim F2-Chinchilla).

    K = γ · ln(N² · D),  D = 20·N (Chinchilla compute-optimal) when not given;
    z = (K − 51.2) / 16.8; in band ⟺ |z| ≤ 1 (K ∈ [34.4, 68.0]).

    Units: γ dimensionless; N in parameters (> 0); D in training tokens (> 0);
    K dimensionless (natural log; computed as 2·ln N + ln D when N²·D under- or
    overflows a double). ``None`` outside the domain. Evidence: exploratory (panel n = 22, K = 51.2 ± 16.8, CV 0.329).
    """
    if not _finite(gamma, n_params) or n_params <= 0:
        return None
    if D_tokens is None:
        D_tokens = CHINCHILLA_TOKENS_PER_PARAM * n_params
    if not _finite(D_tokens) or D_tokens <= 0:
        return None
    argument = n_params * n_params * D_tokens
    if math.isfinite(argument) and argument > 0:
        log_argument = math.log(argument)  # the TAF Agent module's form (the same bits)
    else:  # N²·D under- or overflows a double: the same logarithm as a sum
        log_argument = 2.0 * math.log(n_params) + math.log(D_tokens)
    K = gamma * log_argument
    z = (K - K_PANEL_MEAN) / K_PANEL_STD
    in_band = abs(z) <= 1.0
    return {
        "K": K,
        "D_tokens": D_tokens,
        "panel_mean": K_PANEL_MEAN,
        "panel_std": K_PANEL_STD,
        "z_score": z,
        "in_distribution": in_band,
        "interpretation": "in-band" if in_band else ("high-K outlier" if z > 0 else "low-K outlier"),
    }


def ih_expected_phase(n_params: float) -> str | None:
    """§30 Size rule for induction-head formation: P ≥ 400 M parameters ⇒ "post-IH", else "pre-IH".

    Units: parameters. ``None`` for a non-finite or negative size. Evidence:
    exploratory (panel: pre-IH n = 7, post-IH n = 15).
    """
    if not _finite(n_params) or n_params < 0:
        return None
    return "post-IH" if n_params >= POST_IH_MIN_PARAMS else "pre-IH"


def ih_phase_check(gamma_text: float, gamma_random: float, n_params: float | None = None) -> dict | None:
    """§30 Induction-head phase probe from two measured γ.

    Δγ = γ_text − γ_random;  Δγ > 0 ⇒ "post-IH" (text concentrates more than random
    input), Δγ < 0 ⇒ "pre-IH"; |Δγ| ≤ 10^−9 is a tie ⇒ "ambiguous" (no phase is
    decided on float noise). Panel: pre-IH ⟨Δγ⟩ = −0.19 ± 0.26 (n = 7), post-IH
    +0.03 ± 0.26 (n = 15) — the two overlap heavily, so one sign is weak evidence.

    Units: γ dimensionless; ``n_params`` in parameters (optional; gives the size
    expectation P ≥ 400 M). ``consistent`` is ``None`` when either side is
    unknown (ambiguous Δγ or no size). ``None`` for non-finite γ. Evidence:
    exploratory.
    """
    if not _finite(gamma_text, gamma_random):
        return None
    delta = gamma_text - gamma_random
    if abs(delta) <= IH_TIE_TOL:
        observed = "ambiguous"
    else:
        observed = "post-IH" if delta > 0 else "pre-IH"
    expected = ih_expected_phase(n_params) if n_params is not None else None
    consistent = None if (expected is None or observed == "ambiguous") else (observed == expected)
    return {
        "delta_gamma": delta,
        "phase_observed": observed,
        "phase_expected_by_size": expected,
        "consistent": consistent,
        "panel_pre_IH_mean": IH_PANEL_PRE_MEAN,
        "panel_post_IH_mean": IH_PANEL_POST_MEAN,
        "panel_std": IH_PANEL_STD,
    }


def famous_constant_proximity(gamma: float, tolerance: float = 0.01) -> dict | None:
    """§31 Named mathematical constants within ``tolerance`` of γ.

    hits = { c ∈ FAMOUS_CONSTANTS : |γ − c| ≤ tolerance }, sorted by error (then by
    table order), at most 3 returned; ``n_hits`` counts all of them.

    Units: dimensionless. Domain: finite γ, tolerance ≥ 0; ``None`` otherwise.
    Evidence: exploratory and probably coincidental — 4 panel hits (e.g.
    CodeLlama-13b γ = 0.3823 ≈ 1−1/φ) from a continuous distribution.
    """
    if not _finite(gamma, tolerance) or tolerance < 0:
        return None
    hits = []
    for index, (name, value) in enumerate(FAMOUS_CONSTANTS):
        error = abs(gamma - value)
        if error <= tolerance:
            hits.append((error, index, {"constant": name, "value": value, "error": error}))
    hits.sort(key=lambda h: (h[0], h[1]))
    return {
        "gamma": gamma,
        "tolerance": tolerance,
        "n_hits": len(hits),
        "hits": [h[2] for h in hits[:3]],
        "caveat": "n = 4 hits in the panel; could be coincidence (continuous distribution)",
    }
