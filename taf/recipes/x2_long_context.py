"""X-2 Long Context Viability: will model M serve length L doing NIAH retrieval?

Steps 1–6 are the TAF Agent module's (γ_Padé, decomposition, d_horizon, L_NIAH,
P_hallucinate, KV memory), then the training-length step and, when the user gives
a measured ``gamma_obs``, the measured horizon. The verdict is honest about the
identity d_horizon(θ, γ_Padé(θ, T)) = T (SPEC §4–§5): with no δ correction the
closed-form horizon is the evaluation length itself, so the closed form never says
YES on its own past the training length, and a floating-point tie decides nothing.
"""

from __future__ import annotations

import math

from ..chain import Verdict, chart
from ..formulas import attention as att
from ..numeric import defined
from ..params import Param
from .base import (
    D_HEAD,
    HAS_SWA,
    KV_BYTES,
    N_ATTENTION_HEADS,
    N_KV_HEADS,
    N_LAYERS,
    N_PARAMS,
    T_EVAL,
    T_TRAIN,
    THETA,
    Recipe,
    check_kv_heads,
    gamma_steps,
)
from .model_steps import kv_cache_step

#: relative tolerance under which "T_eval equals the horizon" (a tie, not a margin)
HORIZON_REL_TOL = 1e-9
#: the γ target of the TAF Agent module's NTK mitigation
GAMMA_TARGET = 0.85

GAMMA_OBS = Param(
    "gamma_obs",
    "float",
    "Measured attention decay exponent γ of the model at T_eval (optional; enables the measured path).",
    default=None,
    min=-5,
    max=5,
)

PARAMS = (
    THETA,
    T_TRAIN,
    T_EVAL,
    N_ATTENTION_HEADS,
    N_KV_HEADS,
    D_HEAD,
    N_LAYERS,
    N_PARAMS,
    HAS_SWA,
    KV_BYTES,
    GAMMA_OBS,
)


def at_horizon(length: float, horizon: float) -> bool:
    """True when ``length`` equals ``horizon`` up to floating-point noise."""
    return math.isclose(length, horizon, rel_tol=HORIZON_REL_TOL)


def phase_b_reason(gamma: float, which: str) -> str:
    if gamma >= 1:
        return (
            f"{which} = {gamma:.4f} ≥ 1: Phase B (Hagedorn) — attention concentrates locally and "
            "long-range retrieval fails."
        )
    return (
        f"{which} = {gamma:.4f} ≤ 0: Phase B (catastrophic) — T_eval is far too long for θ; "
        "the positional signal has collapsed."
    )


def ntk_mitigation(T_eval: int, theta: float) -> str:
    # γ* ∈ (−1, 1), T_eval ≥ 1 and θ > 0 (validated): inside the domain of both
    design = defined(att.theta_design(GAMMA_TARGET, T_eval))
    alpha = defined(att.alpha_opt(GAMMA_TARGET, T_eval, theta))
    if alpha <= 1:
        return (
            f"θ = {theta:,.0f} already puts γ_Padé ≥ {GAMMA_TARGET} at T = {T_eval:,} "
            f"(θ_design = {design:,.0f}, α_opt = {alpha:.2f}); no RoPE-base increase is needed."
        )
    effort = "fine-tuning required" if alpha > 8 else "zero-shot may work"
    return (
        f"Apply NTK-aware RoPE extension: θ_design(γ = {GAMMA_TARGET}, T = {T_eval:,}) = {design:,.0f}, "
        f"α_opt = {alpha:.2f} × θ ({effort})."
    )


#: how each answer reads for "will it serve length L?"
TONES = {"YES": "good", "DEGRADED": "caution", "BEYOND TRAINING CONTEXT": "caution", "NO": "bad"}

#: context lengths of the γ / horizon charts: powers of two from 2^10 to 2^24 (plus T_eval and T_train)
CHART_CONTEXTS = tuple(2**k for k in range(10, 25))


def context_charts(p, decomp: dict) -> list:
    """γ and the closed-form horizon against context length, with T_eval and T_train marked."""
    deltas = decomp["delta_GQA"] + decomp["delta_SWA"] + decomp["delta_post_IH"]
    contexts = sorted(set(CHART_CONTEXTS) | {p.T_eval, p.T_train})
    gamma_points, corrected_points, horizon_points = [], [], []
    for T in contexts:
        g = att.gamma_pade(p.theta, T)
        gamma_points.append([T, g])
        corrected_points.append([T, g + deltas])
        horizon_points.append([T, att.d_horizon(p.theta, g + deltas)])
    context_axis = {"label": "context length T", "unit": "tokens", "scale": "log"}
    markers = [
        {"axis": "x", "value": p.T_eval, "label": "T_eval"},
        {"axis": "x", "value": p.T_train, "label": "T_train"},
    ]
    return [
        chart(
            "gamma_vs_context",
            "line",
            "Attention decay γ against context length",
            x=context_axis,
            y={"label": "γ", "unit": "", "scale": "linear"},
            series=[
                {"name": "γ_Padé", "points": gamma_points},
                {"name": "γ_corrected (with δ)", "points": corrected_points},
            ],
            markers=markers + [{"axis": "y", "value": 1, "label": "γ = 1 (Phase B above)"}],
            note="γ falls as the context grows; the closed form has a finite horizon only while 0 < γ < 1.",
        ),
        chart(
            "horizon_vs_context",
            "line",
            "Closed-form horizon d_horizon against context length",
            x=context_axis,
            y={"label": "d_horizon", "unit": "tokens", "scale": "log"},
            series=[
                {"name": "d_horizon(θ, γ_corrected)", "points": horizon_points},
                {"name": "d = T (the identity without δ)", "points": [[T, T] for T in contexts]},
            ],
            markers=markers,
            note="Without δ corrections d_horizon equals the context length itself; a null point means no "
            "finite horizon (γ outside (0, 1)).",
        ),
    ]


def _miss_text(p_hallu, T_eval: int, no_delta: bool, beyond: bool) -> str:
    """What the closed-form miss probability means for this question (never a reassurance it cannot give)."""
    if p_hallu is None:
        return "not defined: γ is outside (0, 1) (Phase B), where the closed form has no horizon"
    text = f"{p_hallu * 100:.1f} % closed-form miss probability at L = {T_eval:,}"
    if no_delta:
        return text + (
            " — only because L equals the closed-form horizon by construction (tautology); it is not "
            "evidence that retrieval works at this length"
        )
    if beyond:
        return text + " — but L is beyond the training context, which the closed form does not see"
    return text


def run(p, chain) -> Verdict:
    check_kv_heads(p)
    gs = gamma_steps(p, chain)
    g_pade, decomp, g_corr, no_delta = gs.gamma_pade, gs.decomposition, gs.gamma_corrected, gs.no_delta

    dh = att.d_horizon(p.theta, g_corr)
    if dh is None:
        dh_text = "not defined: γ_corrected is outside (0, 1) (Phase B), so there is no finite horizon"
    elif no_delta:
        dh_text = (
            f"d_h = {dh:,.1f} tokens = T_eval: the identity d_h(θ, γ_Padé(θ, T)) = T makes this the "
            "evaluation length itself, not a prediction"
        )
    else:
        dh_text = f"horizon at d = {dh:,.0f} tokens (differs from T_eval only through the δ corrections)"
    chain.step(
        "§26.2",
        "d_horizon",
        att.D_HORIZON_FORMULA,
        {"theta": p.theta, "gamma": g_corr},
        dh,
        dh_text,
        unit="tokens",
        status="tautology" if no_delta else "exploratory",
    )

    l_niah = att.l_niah(dh)
    chain.step(
        "§26.5",
        "L_NIAH^c",
        "L_NIAH^c = 2·d_horizon",
        {"d_horizon": dh},
        l_niah,
        "not defined: no finite horizon (Phase B)" if l_niah is None else f"NIAH 50 % at L = {l_niah:,.0f} tokens",
        unit="tokens",
        status="tautology" if no_delta else "exploratory",
    )

    p_hallu = att.p_hallucinate(p.T_eval, p.theta, g_corr)
    chain.step(
        "§26.9",
        "P_hallucinate",
        "P = max(0, 1 − (d_h/L)^(1−γ)) · √χ/(1 + √χ),  χ = 1/|γ − 1|",
        {"L": p.T_eval, "theta": p.theta, "gamma": g_corr},
        p_hallu,
        _miss_text(p_hallu, p.T_eval, no_delta, p.T_eval > p.T_train),
        unit="probability",
        status="exploratory",
    )

    kv = kv_cache_step(
        chain,
        p,
        section="§19.1",
        name="KV cache memory",
        seq=p.T_eval,
        bytes_per_element=p.bytes_per_element,
        text=lambda kv: f"{kv / 1e9:.2f} GB per request at T_eval",
    )

    train_ratio = p.T_eval / p.T_train
    beyond = p.T_eval > p.T_train
    chain.step(
        "§26.8",
        "Training length",
        "r_train = T_eval / T_train",
        {"T_eval": p.T_eval, "T_train": p.T_train},
        train_ratio,
        (
            f"T_eval is {train_ratio:.2f}× the training context: beyond what the model was trained on"
            if beyond
            else "within the training context"
        ),
        unit="×",
    )

    dh_obs = None
    if p.gamma_obs is not None:
        dh_obs = att.d_horizon(p.theta, p.gamma_obs)
        chain.step(
            "§26.2",
            "d_horizon (measured γ)",
            "d_h_obs = θ(1 − γ_obs)√2/(1 + γ_obs)",
            {"theta": p.theta, "gamma_obs": p.gamma_obs},
            dh_obs,
            "not defined: γ_obs is outside (0, 1), so the measured decay has no finite horizon"
            if dh_obs is None
            else f"measured horizon at d = {dh_obs:,.0f} tokens; 2·d_h_obs = {2 * dh_obs:,.0f}",
            unit="tokens",
        )

    # caveats
    if no_delta:
        chain.caveat(
            "No δ correction applies, so d_horizon(θ, γ_Padé(θ, T_eval)) = T_eval identically: the "
            "closed-form horizon restates the evaluation length and predicts nothing (claim F2 is "
            "tautological). Measure γ and pass gamma_obs for a real test."
        )
    else:
        chain.caveat(
            "The closed-form horizon differs from T_eval only through the δ corrections "
            "(δ_GQA validated; δ_post-IH exploratory, does not replicate); without them "
            "d_horizon = T_eval identically."
        )
    if p.has_SWA:
        chain.caveat(
            "Sliding-window attention: its δ_SWA correction is disabled (fit on one model), and "
            "SWA layers cannot attend past their window whatever γ says."
        )
    if beyond and p.gamma_obs is not None:
        chain.caveat(
            f"T_eval exceeds T_train ({p.T_train:,}); gamma_obs is only meaningful if it was measured at T_eval."
        )

    # verdict
    figures = {
        "gamma_pade": g_pade,
        "gamma_corrected": g_corr,
        "d_horizon_tokens": dh,
        "l_niah_tokens": l_niah,
        "p_hallucinate": p_hallu,
        "kv_cache_bytes": kv,
        "t_eval_over_t_train": train_ratio,
        "d_horizon_measured_tokens": dh_obs,
    }
    charts = context_charts(p, decomp)

    def answer(label: str, reason: str, mitigation: str) -> Verdict:
        return Verdict(label, reason, mitigation, tone=TONES[label], figures=figures, charts=charts)

    gamma_used, which = (p.gamma_obs, "γ_obs") if p.gamma_obs is not None else (g_corr, "γ_corrected")
    if not 0 < gamma_used < 1:
        return answer("NO", phase_b_reason(gamma_used, which), ntk_mitigation(p.T_eval, p.theta))

    if p.gamma_obs is not None:
        dh_obs = defined(dh_obs)  # 0 < γ_obs < 1 (checked above) and θ > 0: the measured horizon exists
        if p.T_eval < dh_obs and not at_horizon(p.T_eval, dh_obs):
            margin = (1 - p.T_eval / dh_obs) * 100
            return answer(
                "YES",
                f"Measured: L = {p.T_eval:,} is inside d_h_obs = {dh_obs:,.0f} ({margin:.0f} % margin).",
                "None required.",
            )
        if p.T_eval < 2 * dh_obs and not at_horizon(p.T_eval, 2 * dh_obs):
            return answer(
                "DEGRADED",
                f"Measured: L = {p.T_eval:,} is between d_h_obs = {dh_obs:,.0f} and "
                f"2·d_h_obs = {2 * dh_obs:,.0f}: retrieval degrades.",
                "Shorten the context, or extend RoPE. " + ntk_mitigation(p.T_eval, p.theta),
            )
        return answer(
            "NO",
            f"Measured: L = {p.T_eval:,} is at or beyond 2·d_h_obs = {2 * dh_obs:,.0f}.",
            ntk_mitigation(p.T_eval, p.theta),
        )

    # 0 < γ_corrected < 1 (checked above) and θ > 0: the horizon and the NIAH ceiling exist
    dh, l_niah = defined(dh), defined(l_niah)
    if beyond:
        yarn = p.T_eval / p.T_train
        return answer(
            "BEYOND TRAINING CONTEXT",
            f"T_eval = {p.T_eval:,} is {yarn:.2f}× the training context T_train = {p.T_train:,}. The closed-form "
            f"horizon ({dh:,.0f} tokens) comes from the identity d_h(θ, γ_Padé) = T plus δ corrections, so it "
            "cannot vouch for lengths the model never saw.",
            f"Extend the context the model was trained on: YaRN with scale factor s = T_eval/T_train = {yarn:.2f}, "
            "or long-context fine-tuning. "
            + ntk_mitigation(p.T_eval, p.theta)
            + " Then measure γ at T_eval and rerun with gamma_obs.",
        )

    # With no δ correction, d_h = T_eval by identity; the computed d_h can miss T_eval by far more than
    # HORIZON_REL_TOL when θ ≫ T_eval (1 − γ_Padé loses digits), so the tie is decided by the identity.
    tie = no_delta or at_horizon(p.T_eval, dh)
    if p.T_eval < dh and not tie:
        margin = (1 - p.T_eval / dh) * 100
        return answer(
            "YES",
            f"L = {p.T_eval:,} is inside d_horizon = {dh:,.0f} ({margin:.0f} % margin), within "
            "the training context. The margin comes from the δ corrections only.",
            "None required; confirm with a measured gamma_obs before relying on the margin.",
        )
    if tie:
        return answer(
            "DEGRADED",
            f"L = {p.T_eval:,} is at the horizon itself (d_horizon = T_eval, no margin): "
            "the closed form cannot separate success from failure here.",
            "Measure γ on the model at T_eval and rerun with gamma_obs.",
        )
    if p.T_eval < l_niah:
        return answer(
            "DEGRADED",
            f"L = {p.T_eval:,} is between d_horizon ({dh:,.0f}) and L_NIAH^c ({l_niah:,.0f}).",
            "Consider context contraction or NTK extension.",
        )
    return answer(
        "NO", f"L = {p.T_eval:,} exceeds the NIAH ceiling L_NIAH^c = {l_niah:,.0f}.", ntk_mitigation(p.T_eval, p.theta)
    )


RECIPE = Recipe(
    id="X-2",
    name="Long Context Viability",
    description="Will model M serve length L doing needle-in-a-haystack retrieval?",
    category="long-context",
    sections=("§26", "§19"),
    params=PARAMS,
    run=run,
)
