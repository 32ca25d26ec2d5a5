"""X-22 Compute-Context Invariant: does γ·ln(N²·D) lie in the panel band 51.2 ± 16.8?

§29 (claim F2-Chinchilla): K = γ·ln(N²·D) with D = 20·N (Chinchilla compute-optimal)
when the training tokens are not given. The measured ``gamma_obs`` is required — the
TAF Agent module's signature had no default for it — and is echoed in the inputs like every
declared parameter (SPEC §5).
"""

from __future__ import annotations

from ..chain import Verdict
from ..formulas import attention as att
from ..formulas import panel
from ..formulas.scaling import CHINCHILLA_TOKENS_PER_PARAM as TPP
from ..formulas.scaling import chinchilla_optimal_tokens
from ..numeric import defined
from ..params import Param
from .base import N_PARAMS, T_EVAL, T_TRAIN, THETA, Recipe

GAMMA_OBS = Param(
    "gamma_obs",
    "float",
    "Measured attention decay exponent γ of the model (at T_eval).",
    min=-5,
    max=5,
)
D_TOKENS = Param(
    "D_tokens",
    "float",
    "Training tokens D (default: 20·N, Chinchilla compute-optimal).",
    unit="tokens",
    default=None,
    min=0,
    min_exclusive=True,
    max=1e16,
)

PARAMS = (THETA, T_TRAIN, N_PARAMS, GAMMA_OBS, D_TOKENS, T_EVAL)


def run(p, chain) -> Verdict:
    chinchilla_default = p.D_tokens is None
    D = chinchilla_optimal_tokens(p.n_params) if chinchilla_default else p.D_tokens
    # a finite γ_obs, N > 0 and D > 0 (validated): inside the domain of compute_invariant_K and γ_Padé
    inv = defined(panel.compute_invariant_K(p.gamma_obs, p.n_params, D))
    chain.step(
        "§29",
        "K = γ·log(N²·D)",
        "K = γ_obs × ln(N²·D)" + (f"  with D = {TPP:g}·N" if chinchilla_default else ""),
        {"gamma": p.gamma_obs, "N": p.n_params, "D": D},
        inv["K"],
        f"K = {inv['K']:.2f} (panel mean {inv['panel_mean']:.1f} ± {inv['panel_std']:.1f})"
        + (
            f"; D = {TPP:g}·N is the Chinchilla default, not the model's real token count" if chinchilla_default else ""
        ),
        status="exploratory",
    )

    chain.step(
        "§29",
        "z-score vs panel",
        f"z = (K − μ)/σ,  μ = {panel.K_PANEL_MEAN}, σ = {panel.K_PANEL_STD};  in band ⟺ |z| ≤ 1",
        {"K": inv["K"], "mean": inv["panel_mean"], "std": inv["panel_std"]},
        inv["z_score"],
        inv["interpretation"],
        status="exploratory",
    )

    g_pade = defined(att.gamma_pade(p.theta, p.T_eval))
    pade_diff = p.gamma_obs - g_pade
    chain.step(
        "§26.1",
        "γ deviation from Padé",
        "Δ = γ_obs − γ_Padé(θ, T_eval)",
        {"gamma_obs": p.gamma_obs, "gamma_pade": g_pade},
        pade_diff,
        "negative = anomaly (sub-Padé); positive = supra-Padé",
    )

    chain.caveat(
        f"The band {panel.K_PANEL_MEAN} ± {panel.K_PANEL_STD} is the spread of a 22-model panel (CV "
        f"0.33); being in band is weak "
        "evidence of anything."
    )
    if chinchilla_default:
        chain.caveat(
            f"D_tokens not given: D = {TPP:g}·N assumes a Chinchilla-optimal run. Most released models "
            f"train on "
            "far more tokens, which raises K; give D_tokens for a real check."
        )

    figures = {
        "K": inv["K"],
        "z_score": inv["z_score"],
        "in_band": inv["in_distribution"],
        "gamma_minus_gamma_pade": pade_diff,
        "D_tokens": D,
    }
    if inv["in_distribution"]:
        return Verdict(
            "IN-BAND",
            f"K = {inv['K']:.2f} is within ±1σ of the panel mean {inv['panel_mean']:.1f} "
            f"(z = {inv['z_score']:+.2f}).",
            "Model conforms to the compute-context invariant. No action needed.",
            tone="good",
            figures=figures,
        )
    return Verdict(
        "OUTLIER",
        f"K = {inv['K']:.2f} ({inv['interpretation']}). |z| = {abs(inv['z_score']):.2f} > 1.",
        "High K (over-concentrating attention for the given compute) or low K (under-using compute "
        "for attention concentration). Check the tokenizer, training recipe and fine-tuning history.",
        tone="caution",
        figures=figures,
    )


RECIPE = Recipe(
    id="X-22",
    name="Compute-Context Invariant",
    description=f"Does γ × log(N²·D) lie in the panel band {panel.K_PANEL_MEAN} ± {panel.K_PANEL_STD}? Detects "
    "training/scaling anomalies.",
    category="diagnostic",
    sections=("§26", "§29"),
    params=PARAMS,
    run=run,
)
