"""X-19 KV Compression Decision: γ-soft KV decay, a hard D_f cutoff, or literature methods?

The TAF Agent module's steps: γ_Padé, the decomposition, the D_f window (§26.7), the soft-decay
regime (§26.8) and the baseline KV memory, then the TAF Agent module's decision table. Two
corrections (SPEC §5): the D_f step shows the discrete-sum definition it actually
computes (the TAF Agent module printed the continuum closed form), and when no δ correction
applies the regime step is marked as a tautology — d_horizon(θ, γ_Padé(θ, T)) = T_eval
identically, so the regime test only compares T_eval with T_train (decided exactly,
never on a floating-point tie).
"""

from __future__ import annotations

from ..chain import Verdict
from ..formulas import attention as att
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

#: the D_f coverage fraction (TAF §26.7)
DF_FRACTION = 0.90

#: how each recommendation reads: a TAF method that fits (good), a fallback (caution), TAF not applicable
TONES = {
    "USE SOFT DECAY": "good",
    "USE D_f HARD CUTOFF": "good",
    "USE SOFT DECAY (caveat)": "caution",
    "USE LITERATURE METHODS": "neutral",
    "USE HARD T_train CUTOFF": "caution",
}

PARAMS = (THETA, T_TRAIN, T_EVAL, N_ATTENTION_HEADS, N_KV_HEADS, D_HEAD, N_LAYERS, N_PARAMS, HAS_SWA, KV_BYTES)

DF_FORMULA = "D_f = min{D : Σ_{d≤D} d^−γ ≥ f·Σ_{d≤N} d^−γ},  N = T_eval"
REGIME_FORMULA = att.SOFT_DECAY_FORMULA


def run(p, chain) -> Verdict:
    check_kv_heads(p)
    gs = gamma_steps(p, chain)
    g_corr, no_delta = gs.gamma_corrected, gs.no_delta

    df = att.df_window(g_corr, p.T_eval, DF_FRACTION)
    zone_ok = df is not None
    chain.step(
        "§26.7",
        "D_f window (γ in [0.65, 0.85])",
        DF_FORMULA,
        {"gamma": g_corr, "N": p.T_eval, "f": DF_FRACTION},
        df,
        (
            f"D_f = {df:,} tokens hold {DF_FRACTION:.0%} of the d^−γ attention mass over N = {p.T_eval:,} "
            "(exact discrete sum)"
        )
        if zone_ok
        else f"NOT applicable (γ = {g_corr:.3f} outside the calibrated zone [0.65, 0.85])",
        unit="tokens",
        status="exploratory",
    )

    regime, ratio, dh = att.soft_decay_regime_checked(p.theta, g_corr, p.T_eval, p.T_train, no_delta)
    tautology = no_delta and dh is not None
    if dh is None:
        regime_text = (
            f"d_horizon is not defined (γ = {g_corr:.3f} is outside (0, 1), so attention has no finite "
            f"horizon); regime: {regime}"
        )
    elif tautology:
        regime_text = (
            f"d_horizon = {dh:,.1f} = T_eval identically (no δ applies), so r = T_eval/(T_train/2) "
            f"= {ratio:.4g}: the test only says whether T_eval ≥ 0.6·T_train; regime: {regime}"
        )
    else:
        regime_text = f"d_horizon = {dh:,.0f} tokens; r = {ratio:.4g}; regime: {regime}"
    chain.step(
        "§26.8",
        "Soft-decay regime",
        REGIME_FORMULA,
        {"theta": p.theta, "gamma": g_corr, "T_train": p.T_train},
        regime,
        regime_text,
        breakdown={"d_horizon": dh, "ratio": ratio},
        status="tautology" if tautology else "exploratory",
    )

    kv = kv_cache_step(
        chain,
        p,
        section="§19.1",
        name="Baseline KV memory",
        seq=p.T_eval,
        bytes_per_element=p.bytes_per_element,
        text=lambda kv: f"{kv / 1e9:.2f} GB per request without compression",
    )

    if tautology:
        chain.caveat(
            "No δ correction applies, so d_horizon(θ, γ_Padé(θ, T_eval)) = T_eval identically: the "
            "soft-decay regime test reduces to T_eval ≥ 0.6·T_train (applies) or ≥ 0.4·T_train "
            "(borderline) and says nothing about the model's attention."
        )
    elif dh is not None:
        chain.caveat(
            "d_horizon differs from T_eval only through the δ corrections (δ_GQA validated; δ_post-IH "
            "exploratory, does not replicate); without them it equals T_eval identically."
        )
    if p.has_SWA:
        chain.caveat(
            "Sliding-window attention: its δ_SWA correction is disabled (fit on one model), and SWA "
            "layers already bound their own KV window."
        )
    if zone_ok:
        chain.caveat(
            "D_f is the exact discrete-sum window of a pure d^−γ attention profile; real attention "
            "also has sinks and local peaks the power law does not model."
        )

    figures = {
        "gamma_corrected": g_corr,
        "df_window_tokens": df,
        "soft_decay_ratio": ratio,
        "soft_decay_regime": regime,
        "d_horizon_tokens": dh,
        "kv_cache_bytes": kv,
    }

    def answer(label: str, reason: str, mitigation: str) -> Verdict:
        return Verdict(label, reason, mitigation, tone=TONES[label], figures=figures)

    if regime == "applies" and zone_ok:
        return answer(
            "USE SOFT DECAY",
            "d_horizon ≳ T_train/2 AND γ in the compression zone [0.65, 0.85]. Soft decay (1 − d/d_h)^γ "
            "is best (−21 % PPL vs hard cutoff per F17).",
            "Implement as a 4D attention_mask additive bias with eager attention.",
        )
    if zone_ok:
        return answer(
            "USE D_f HARD CUTOFF",
            f"γ in the [0.65, 0.85] zone but d_h < 1.2 · T_train/2 (regime: {regime}). Hard truncation "
            f"at D_f = {df:,} tokens keeps {DF_FRACTION:.0%} of the attention mass.",
            f"Set cache_max_len = D_f = {df:,}.",
        )
    if regime == "applies":
        return answer(
            "USE SOFT DECAY (caveat)",
            f"The soft-decay regime applies but γ = {g_corr:.3f} is outside the D_f validity zone "
            f"[0.65, 0.85]. "
            "Soft decay only.",
            "Soft decay; do not use the D_f window.",
        )
    if g_corr >= 1 or g_corr <= 0:
        return answer(
            "USE LITERATURE METHODS",
            f"γ = {g_corr:.3f} is outside Phase A (0, 1). The TAF formulas do not apply.",
            "Use SnapKV / PyramidKV / FastGen (literature heuristics).",
        )
    return answer(
        "USE HARD T_train CUTOFF",
        f"The soft-decay regime is not met (regime: {regime}) AND γ = {g_corr:.3f} outside the D_f "
        f"zone. Cap the context "
        "at T_train.",
        f"Set seq_len ≤ {p.T_train:,}, no extension.",
    )


RECIPE = Recipe(
    id="X-19",
    name="KV Compression Decision",
    description="Should I use soft decay, a D_f cutoff, or literature methods to compress the KV cache?",
    category="kv-compression",
    sections=("§26", "§19"),
    params=PARAMS,
    run=run,
)
