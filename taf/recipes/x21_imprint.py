"""X-21 Imprint Purity Diagnostic: how clean is the model's RoPE-Padé prediction?

Predicts γ on random-token input with the learned-imprint law (§28.1)
γ_random = γ_Padé(θ, T) + ν·log10(P/14M), ν = −1/(2π), and — when the user gives a
measured ``gamma_random_obs`` — compares the two (§28.2, 95 % CI ±0.18).

The TAF Agent module also listed n_attention_heads, n_kv_heads, d_head and n_layers for this
recipe without using them; they are not declared here, so nobody has to supply
numbers that change nothing.
"""

from __future__ import annotations

from ..chain import Verdict
from ..formulas import attention as att
from ..formulas import panel
from ..numeric import defined
from ..params import Param
from .base import N_PARAMS, T_EVAL, T_TRAIN, THETA, Recipe

GAMMA_RANDOM_OBS = Param(
    "gamma_random_obs",
    "float",
    "Measured γ on random-token input at T_eval (optional; enables the purity check).",
    default=None,
    min=-5,
    max=5,
)

PARAMS = (THETA, T_TRAIN, T_EVAL, N_PARAMS, GAMMA_RANDOM_OBS)


def run(p, chain) -> Verdict:
    g_pade = att.gamma_pade(p.theta, p.T_eval)
    chain.step(
        "§26.1",
        "γ_Padé",
        att.GAMMA_PADE_FORMULA,
        {"theta": p.theta, "T_eval": p.T_eval},
        g_pade,
        att.phase_label(g_pade),
        status="validated",
    )

    n_params_M = p.n_params / 1e6
    shift = panel.imprint_shift(n_params_M)
    floored = n_params_M < panel.P_M_FLOOR
    chain.step(
        "§28.1",
        "Imprint shift",
        "δ_imprint = ν·log10(P_M/P₀),  ν = −1/(2π), P₀ = 14 M" + (", P_M floored at 10^−3" if floored else ""),
        {"P_M": n_params_M, "P_0_M": panel.P0_IMPRINT_M, "nu": panel.NU_IMPRINT},
        shift,
        "Bigger model → stronger imprint (more negative shift)."
        + (f" (P_M = {n_params_M:g} M is below the 10^−3 M floor.)" if floored else ""),
        status="exploratory",
    )

    g_pred = panel.gamma_random_predict(p.theta, p.T_eval, n_params_M)
    chain.step(
        "§28.1",
        "γ_random predicted",
        "γ_random = γ_Padé + ν·log10(P_M/P₀)",
        {"gamma_pade": g_pade, "imprint": shift},
        g_pred,
        f"Predicted γ_random = {g_pred:.4f} ± {panel.IMPRINT_CI_HALF_WIDTH} (95 % CI)",
        status="exploratory",
    )

    chain.caveat("The imprint law is a panel fit (n = 22 LLMs, 95 % CI ±0.18), not an independent replication.")

    figures = {"gamma_pade": g_pade, "imprint_shift": shift, "gamma_random_predicted": g_pred}
    if p.gamma_random_obs is None:
        return Verdict(
            "PREDICTION ONLY",
            f"Predicted γ_random = {g_pred:.4f}. Provide gamma_random_obs to check purity (measure on "
            "random-token sequences, e.g. via the E4 protocol).",
            "To measure: run a 150-prompt forward pass on random-token sequences across distances d = 10..1000 "
            "and fit a power law (E4 protocol, https://github.com/karlesmarin/tafagent).",
            tone="neutral",
            figures=figures,
        )

    # θ > 0, T_eval ≥ 1, N > 0 and a finite γ_random_obs (validated): inside the formula's domain
    purity = defined(panel.imprint_purity(p.gamma_random_obs, p.theta, p.T_eval, n_params_M))
    residual = purity["imprint_residual"]
    chain.step(
        "§28.2",
        "Imprint purity",
        "residual = γ_random_obs − γ_random_pred;  clean ⟺ |residual| < 0.18",
        {"gamma_random_obs": p.gamma_random_obs, "gamma_random_pred": purity["gamma_random_pred"]},
        residual,
        f"{purity['purity']} (residual {residual:+.4f})",
        breakdown=purity,
        status="exploratory",
    )
    label = {"clean (within CI)": "CLEAN", "over-imprinted": "OVER-IMPRINTED", "under-imprinted": "UNDER-IMPRINTED"}[
        purity["purity"]
    ]
    figures.update(gamma_random_observed=p.gamma_random_obs, imprint_residual=residual)
    return Verdict(
        label,
        f"Residual γ_random_obs − γ_pred = {residual:+.4f}. The 95 % CI is ±{panel.IMPRINT_CI_HALF_WIDTH}.",
        "Models far from the prediction may have anomalous training (e.g. heavy fine-tuning, format "
        "conversion). Compare with the native checkpoint."
        if label != "CLEAN"
        else "None required: the measured imprint matches the size prediction.",
        tone="good" if label == "CLEAN" else "caution",
        figures=figures,
    )


RECIPE = Recipe(
    id="X-21",
    name="Imprint Purity Diagnostic",
    description="How clean is the model's RoPE-Padé prediction? Predicts γ on random-token input via ν = −1/(2π).",
    category="diagnostic",
    sections=("§26", "§28"),
    params=PARAMS,
    run=run,
)
