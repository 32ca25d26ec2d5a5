"""The TAF card sections of a Profile: model summary, key numbers, diagnostics, falsification status.

The TAF Agent module's ``profile_model`` card, with two honesty corrections: claim F2 ("d_horizon
predicts NIAH") is shown as tautological — d_horizon(θ, γ_Padé(θ, T)) = T, so the
closed form restates the evaluation length — never as "applicable"; and the F17
soft-decay status uses the same tie-safe §26.8 regime as recipe X-19. Everything is
computed from the closed-form γ_decomposed (no measurement), as in the TAF Agent module.
"""

from __future__ import annotations

from .formulas import attention as att
from .formulas import diagnostics as diag
from .formulas import panel
from .formulas.inference import kv_cache_bytes
from .formulas.scaling import CHINCHILLA_TOKENS_PER_PARAM
from .numeric import defined

DEFAULT_KV_BYTES = 2.0


def architecture_class(has_gqa: bool, has_swa: bool, n_params: float) -> str:
    """The TAF Agent module's species map of RoPE architectures (by SWA, GQA and the 400 M IH size rule)."""
    post_ih = n_params >= att.POST_IH_MIN_PARAMS
    if has_swa:
        return "SWA-alternating (gemma/phi family signature)"
    if has_gqa and post_ih:
        return "RoPE-GQA post-IH (Llama-3 / Mistral / Qwen-style)"
    if has_gqa:
        return "RoPE-GQA pre-IH (small GQA model)"
    if post_ih:
        return "RoPE-MHA post-IH (classical Llama-2 / pythia-large)"
    return "RoPE-MHA pre-IH (small MHA model)"


def _resolved(results: dict, name: str, fallback):
    """A parameter as resolved by the γ recipes (X-2, then X-19), else ``fallback``."""
    for recipe_id in ("X-2", "X-19"):
        value = results.get(recipe_id, {}).get("inputs", {}).get(name)
        if value is not None:
            return value
    return fallback


def card_sections(model: dict, explicit: dict, results: dict) -> dict:
    theta, T_train, n_params = model["theta"], model["T_train"], model["n_params"]
    T_eval = _resolved(results, "T_eval", T_train)
    kv_bytes_per_element = _resolved(results, "bytes_per_element", DEFAULT_KV_BYTES)
    has_gqa = model["n_kv_heads"] < model["n_attention_heads"]
    has_swa = model["has_SWA"]

    # the model was resolved through X-2's parameters (θ > 0, T ≥ 1, N > 0): inside the domains of
    # gamma_pade and compute_invariant_K, which return None only outside them
    g_pade = defined(att.gamma_pade(theta, T_eval))
    decomp = att.gamma_decompose(g_pade, has_gqa, has_swa, n_params)
    g_corr = decomp["gamma_corrected"]
    no_delta = decomp["delta_GQA"] == 0 and decomp["delta_post_IH"] == 0
    dh = att.d_horizon(theta, g_corr)
    # the TAF Agent module reports χ only for 0 < γ < 2; it diverges at γ = 1 (None there too)
    chi = att.chi_susceptibility(g_corr) if 0 < g_corr < 2 else None
    n_params_M = n_params / 1e6
    g_random = panel.gamma_random_predict(theta, T_eval, n_params_M)
    invariant = defined(panel.compute_invariant_K(g_corr, n_params))
    kv_gb = kv_cache_bytes(model["n_layers"], model["n_kv_heads"], model["d_head"], T_eval, kv_bytes_per_element) / 1e9

    summary = {
        "architecture_class": architecture_class(has_gqa, has_swa, n_params),
        "n_params": n_params,
        "T_train": T_train,
        "T_eval": T_eval,
        "rope_theta": theta,
        "n_layers": model["n_layers"],
        "n_attention_heads": model["n_attention_heads"],
        "n_kv_heads": model["n_kv_heads"],
        "d_head": model["d_head"],
        "has_GQA": has_gqa,
        "has_SWA": has_swa,
    }

    def row(name, value, unit="", note=None):
        out = {"name": name, "value": value, "unit": unit}
        if note:
            out["note"] = note
        return out

    numbers = [
        row("γ_Padé", g_pade, note="validated (F1)"),
        row("δ_GQA", decomp["delta_GQA"], note="validated (replicates)" if has_gqa else "not applicable (MHA)"),
        row(
            "δ_SWA",
            decomp["delta_SWA"],
            note="disabled (fitted −0.21 on n = 1)" if has_swa else "not applicable (no SWA)",
        ),
        row(
            "δ_post-IH",
            decomp["delta_post_IH"],
            note="exploratory, does not replicate" if decomp["delta_post_IH"] else "not applicable (N < 4·10⁸)",
        ),
        row("γ_decomposed", g_corr, note="γ_Padé + δ_GQA + δ_SWA + δ_post-IH"),
        row(
            "d_horizon",
            dh,
            "tokens",
            note=(
                "not defined: γ_decomposed is outside (0, 1), so there is no finite horizon"
                if dh is None
                else "= T_eval identically (no δ applies): a tautology, not a prediction"
                if no_delta
                else "differs from T_eval only through the δ corrections"
            ),
        ),
        row("L_NIAH^c", att.l_niah(dh), "tokens", note="2·d_horizon"),
        row(
            "χ susceptibility",
            chi,
            note="not defined: χ = 1/|γ − 1| diverges at γ = 1 (reported for 0 < γ < 2 only)" if chi is None else None,
        ),
        row("KV cache per request", kv_gb, "GB", note=f"at T_eval, {kv_bytes_per_element:g} bytes per element"),
        row(
            "γ_random predicted",
            g_random,
            note=f"γ_Padé + ν·log10(P/14M), ±{panel.IMPRINT_CI_HALF_WIDTH:g} (exploratory)",
        ),
        row(
            "Compute invariant K",
            invariant["K"],
            note=f"γ_decomposed · ln(N²·{CHINCHILLA_TOKENS_PER_PARAM:g}N); "
            f"panel {panel.K_PANEL_MEAN:g} ± {panel.K_PANEL_STD:g}",
        ),
        row("K in band", invariant["in_distribution"], note=f"z = {invariant['z_score']:+.2f}; in band ⟺ |z| ≤ 1"),
    ]

    diagnostics = {
        "gamma_source": "γ_decomposed (closed form at T_eval; no measurement)",
        "hagedorn_safety": diag.hagedorn_safety(g_corr),
        "bimodal_phase_class": diag.bimodal_phase_class(g_corr),
        "nearest_famous_constants": diag.nearest_famous_constants(g_corr, max_results=2, tolerance=0.02),
        "imprint_predicted_shift": None if g_random is None else g_random - g_pade,
        "compute_invariant": invariant,
    }

    regime, ratio, _ = att.soft_decay_regime_checked(theta, g_corr, T_eval, T_train, no_delta)
    if dh is None:
        f17 = "out of scope (d_horizon is not defined: γ_decomposed is outside (0, 1))"
    else:
        f17 = {
            "applies": "applies",
            "borderline": "borderline",
            "use-hard-cutoff": "outside the regime (use a hard cutoff)",
        }[regime]
        f17 += f" (r = d_h/(T_train/2) = {ratio:.3g})"
        if no_delta:
            f17 += "; tautological here: d_horizon = T_eval, so r only compares T_eval with T_train"
    f2 = (
        "tautological: d_horizon(θ, γ_Padé(θ, T)) = T identically, so the closed form restates the evaluation "
        "length; only the δ corrections move it"
        + (" (none applies here)" if no_delta else " (δ applied here)")
        + ("" if dh is not None else "; d_horizon is undefined here (γ_decomposed outside (0, 1))")
    )
    falsification = [
        {
            "id": "F1",
            "claim": "γ_Padé median MAE < 5 %",
            "status": "in scope" if 0 < g_corr < 1 else "out of scope (Phase B)",
        },
        {"id": "F2", "claim": "d_horizon predicts NIAH", "status": f2},
        {
            "id": "F10",
            "claim": "GQA Δγ < −0.1 ⇒ post-IH",
            "status": "in scope" if has_gqa else "not applicable (MHA: n_kv_heads = n_attention_heads)",
        },
        {
            "id": "F11",
            "claim": "SWA Δγ > +0.3 (gemma signature)",
            "status": "in scope (δ_SWA itself is disabled)" if has_swa else "not applicable (no sliding window)",
        },
        {"id": "F17", "claim": "Soft KV decay regime (d_h ≳ T_train/2)", "status": f17},
    ]
    return {
        "model_summary": summary,
        "key_numbers": numbers,
        "diagnostics": diagnostics,
        "falsification_status": falsification,
    }
