"""The TAF card sections of a Profile: model summary, key numbers, diagnostics, falsification status."""
from __future__ import annotations

from .formulas import attention as att
from .formulas.inference import kv_cache_bytes


def card_sections(model: dict, explicit: dict, results: dict) -> dict:
    x2 = results.get("X-2")
    T_eval = x2["inputs"]["T_eval"] if x2 else model["T_train"]
    has_gqa = model["n_kv_heads"] < model["n_attention_heads"]
    g_pade = att.gamma_pade(model["theta"], T_eval)
    decomp = att.gamma_decompose(g_pade, has_gqa, model["has_SWA"], model["n_params"])
    g_corr = decomp["gamma_corrected"]
    dh = att.d_horizon(model["theta"], g_corr)
    no_delta = decomp["delta_GQA"] == 0 and decomp["delta_post_IH"] == 0
    summary = {
        "n_params": model["n_params"],
        "T_train": model["T_train"],
        "T_eval": T_eval,
        "rope_theta": model["theta"],
        "has_GQA": has_gqa,
        "has_SWA": model["has_SWA"],
    }
    numbers = [
        {"name": "γ_Padé", "value": g_pade, "unit": ""},
        {"name": "γ_corrected", "value": g_corr, "unit": ""},
        {"name": "d_horizon", "value": dh, "unit": "tokens"},
        {"name": "L_NIAH^c", "value": att.l_niah(dh), "unit": "tokens"},
        {"name": "χ susceptibility", "value": att.chi_susceptibility(g_corr), "unit": ""},
        {"name": "KV cache per request", "unit": "GB",
         "value": kv_cache_bytes(model["n_layers"], model["n_kv_heads"], model["d_head"], T_eval) / 1e9},
    ]
    falsification = [
        {"id": "F1", "claim": "γ_Padé median MAE < 5 %",
         "status": "in scope" if 0 < g_corr < 1 else "out of scope (Phase B)"},
        {"id": "F2", "claim": "d_horizon predicts NIAH",
         "status": "tautological: d_horizon(θ, γ_Padé(θ, T)) = T; only the δ corrections move it"
                   + ("" if no_delta else " (δ applied here)")},
    ]
    return {"model_summary": summary, "key_numbers": numbers, "diagnostics": {},
            "falsification_status": falsification}
