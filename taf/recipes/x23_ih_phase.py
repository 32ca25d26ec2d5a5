"""X-23 IH-Phase Detector: is this checkpoint pre- or post-induction-head formation?

§30: the size rule (P ≥ 400 M ⇒ post-IH) and, when both measured exponents are
given, the Δγ probe sign(γ_text − γ_random) > 0 ⇔ post-IH. The two γ go together:
one without the other is a ``missing_param`` error naming the absent one (a result
that silently ignored half the input would read as a size-only prediction). A tie
Δγ = 0 (within 10^−9) decides no phase: the verdict is AMBIGUOUS.
"""

from __future__ import annotations

from ..chain import Verdict
from ..formulas import panel
from ..formulas.attention import POST_IH_MIN_PARAMS
from ..numeric import defined
from ..params import Param, ParamError, show
from .base import N_PARAMS, Recipe

GAMMA_TEXT = Param(
    "gamma_text",
    "float",
    "Measured γ on natural text (optional; give it together with gamma_random).",
    default=None,
    min=-5,
    max=5,
)
GAMMA_RANDOM = Param(
    "gamma_random",
    "float",
    "Measured γ on random-token input (optional; give it together with gamma_text).",
    default=None,
    min=-5,
    max=5,
)

PARAMS = (N_PARAMS, GAMMA_TEXT, GAMMA_RANDOM)


def _check_pair(p) -> None:
    if (p.gamma_text is None) == (p.gamma_random is None):
        return
    given, missing = ("gamma_text", "gamma_random") if p.gamma_random is None else ("gamma_random", "gamma_text")
    raise ParamError(
        "missing_param",
        f"{missing} is required when {given} is given ({given} = {show(getattr(p, given))}): the Δγ "
        f"probe needs both γ_text and γ_random; give {missing} as a number between −5 and 5, or "
        "leave both out for the size-only prediction.",
        param=missing,
    )


def run(p, chain) -> Verdict:
    _check_pair(p)
    n_params_M = p.n_params / 1e6
    expected = defined(panel.ih_expected_phase(p.n_params))  # N > 0 (validated)
    threshold_M = POST_IH_MIN_PARAMS / 1e6
    chain.step(
        "§30",
        "Size-based phase prediction",
        f"P ≥ {threshold_M:g} M ⇒ post-IH, else pre-IH",
        {"n_params_M": n_params_M, "threshold_M": threshold_M},
        expected,
        f"P = {n_params_M:,.0f} M is {'at or above' if expected == 'post-IH' else 'below'} "
        f"{threshold_M:g} M → {expected}",
        status="exploratory",
    )

    figures = {"n_params": p.n_params, "phase_predicted": expected}
    if p.gamma_text is None:
        return Verdict(
            f"PREDICTED {expected.upper()}",
            f"Only size given: P = {n_params_M:,.0f} M. Provide gamma_text + gamma_random to verify via "
            "the Δγ probe.",
            "Run the E4 protocol with corpus=mongo and corpus=random; compare the γ values.",
            tone="neutral",
            figures=figures,
        )

    check = defined(panel.ih_phase_check(p.gamma_text, p.gamma_random, p.n_params))  # both γ given, finite
    delta = check["delta_gamma"]
    observed = check["phase_observed"]
    chain.step(
        "§30",
        "Δγ discriminator",
        "Δγ = γ_text − γ_random;  Δγ > 0 ⇒ post-IH, Δγ < 0 ⇒ pre-IH",
        {"gamma_text": p.gamma_text, "gamma_random": p.gamma_random},
        delta,
        f"observed phase: {observed}" + (" (Δγ = 0: the sign decides nothing)" if observed == "ambiguous" else ""),
        breakdown=check,
        status="exploratory",
    )
    chain.caveat(
        f"Panel Δγ: pre-IH {panel.IH_PANEL_PRE_MEAN:+.2f} ± {panel.IH_PANEL_STD} (n = 7), post-IH "
        f"{panel.IH_PANEL_POST_MEAN:+.2f} ± {panel.IH_PANEL_STD} (n = 15). The groups overlap "
        "heavily, so the sign of one Δγ is weak evidence."
    )

    figures.update(delta_gamma=delta, phase_observed=observed)
    if observed == "ambiguous":
        return Verdict(
            "AMBIGUOUS",
            f"Δγ = {delta:+.3f}: γ_text equals γ_random, so the probe cannot tell the phase (size "
            f"predicts {expected}).",
            "Re-measure γ_text and γ_random with more prompts; a tie carries no phase information.",
            tone="caution",
            figures=figures,
        )
    if check["consistent"]:
        return Verdict(
            f"CONFIRMED {observed.upper()}",
            f"Δγ = {delta:+.3f} sign matches the size prediction ({expected}).",
            "Phase confirmed. Use this checkpoint for downstream tasks accordingly.",
            tone="good",
            figures=figures,
        )
    return Verdict(
        "ANOMALY",
        f"Δγ = {delta:+.3f} suggests {observed}, but size predicts {expected}. Investigate.",
        "Possible causes: incomplete training, anomalous fine-tuning, format conversion, tokenizer "
        "corruption (cf. F5 OLMo Δγ = 0.30).",
        tone="bad",
        figures=figures,
    )


RECIPE = Recipe(
    id="X-23",
    name="IH-Phase Detector",
    description="Is this model pre- or post-induction-head? Cheap probe via sign(γ_text − γ_random).",
    category="diagnostic",
    sections=("§30",),
    params=PARAMS,
    run=run,
)
