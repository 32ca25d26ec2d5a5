"""G-1 Pre-training token gate: is this run under-provisioned for its model size?

From the Chinchilla gate of a pre-training CLI and its audit (reference ``aprender-1708``): training tokens
D = steps × batch × seq against the compute-optimal D = 20·N (Hoffmann et al. 2022,
arXiv:2203.15556). Below 20·N the model has room for more training; below 10·N the
audited gate blocks the run unless forced; below 5·N the model memorises rather
than generalises. The gate also suggests the ``num_steps`` that reaches 20·N.
"""

from __future__ import annotations

from ..chain import Verdict, chart
from ..formulas import scaling
from ..numeric import defined
from ..params import Param
from ..textfmt import format_sig4
from .base import Recipe, constraint_error
from .scaling_params import TOKENS_PER_PARAM

PARAMS = (
    Param(
        "n_params",
        "float",
        "Model size N (total parameters); a preset fills it.",
        unit="params",
        min=1,
        max=1e15,
        preset_key="n_params",
    ),
    Param("num_steps", "int", "Planned optimizer steps.", unit="steps", min=1, max=10**10),
    Param(
        "batch_size",
        "int",
        "Sequences per optimizer step (global batch, all devices and accumulation).",
        unit="sequences",
        min=1,
        max=10**7,
    ),
    Param("seq_length", "int", "Tokens per sequence.", unit="tokens", min=1, max=10**8),
    TOKENS_PER_PARAM,
    Param(
        "block_ratio",
        "float",
        "D/N below which the gate blocks the run unless forced (the gate's audit: 10).",
        unit="tokens/param",
        default=scaling.TOKEN_GATE_BLOCK_RATIO,
        min=0,
        max=10**4,
    ),
    Param(
        "severe_ratio",
        "float",
        "D/N below which the model memorises rather than generalises (the gate: 5).",
        unit="tokens/param",
        default=scaling.TOKEN_GATE_SEVERE_RATIO,
        min=0,
        max=10**4,
    ),
)


#: how each gate band reads
TONES = {"SEVERE": "bad", "BLOCKED": "bad", "BELOW-OPTIMAL": "caution", "COMPUTE-OPTIMAL": "good"}


def run(p, chain) -> Verdict:
    if p.block_ratio > p.tokens_per_param:
        raise constraint_error(
            "block_ratio",
            p.block_ratio,
            f"it must be ≤ tokens_per_param = {p.tokens_per_param:g} (the compute-optimal ratio)",
        )
    if p.severe_ratio > p.block_ratio:
        raise constraint_error("severe_ratio", p.severe_ratio, f"it must be ≤ block_ratio = {p.block_ratio:g}")

    n = p.n_params
    tokens_per_step = p.batch_size * p.seq_length
    d = defined(scaling.training_tokens(p.num_steps, p.batch_size, p.seq_length))  # integers ≥ 1
    chain.step(
        "aprender-1708",
        "Training tokens",
        "D = num_steps × batch_size × seq_length",
        {"num_steps": p.num_steps, "batch_size": p.batch_size, "seq_length": p.seq_length},
        d,
        f"{d:,} tokens processed ({tokens_per_step:,} per step)",
        unit="tokens",
        status="validated",
    )

    d_opt = scaling.chinchilla_optimal_tokens(n, p.tokens_per_param)
    chain.step(
        "§17.30",
        "Compute-optimal tokens",
        scaling.CHINCHILLA_TOKENS_FORMULA,
        {"tokens_per_param": p.tokens_per_param, "n_params": n},
        d_opt,
        f"{d_opt:,.0f} tokens for {n:,.0f} parameters",
        unit="tokens",
        status="validated",
    )

    ratio = defined(scaling.tokens_per_param_ratio(d, n))  # N ≥ 1
    share = d / d_opt
    chain.step(
        "§17.30",
        "Tokens per parameter",
        "D / N",
        {"tokens": d, "n_params": n},
        ratio,
        f"{format_sig4(ratio)} tokens per parameter = {share * 100:.3g} % of compute-optimal "
        f"({p.tokens_per_param:g}·N)",
        unit="tokens/param",
    )

    label = scaling.token_gate_label(ratio, p.tokens_per_param, p.block_ratio, p.severe_ratio)
    thresholds = {
        f"severe ({p.severe_ratio:g}·N)": p.severe_ratio * n,
        f"block ({p.block_ratio:g}·N)": p.block_ratio * n,
        f"compute-optimal ({p.tokens_per_param:g}·N)": d_opt,
    }
    chain.step(
        "aprender-1708",
        "Gate thresholds",
        f"SEVERE if D < {p.severe_ratio:g}·N; BLOCKED if D < {p.block_ratio:g}·N; "
        f"BELOW-OPTIMAL if D < {p.tokens_per_param:g}·N",
        {"tokens": d, "n_params": n},
        thresholds,
        f"D = {d:,} tokens falls in the {label} band",
        unit="tokens",
    )

    steps_opt = scaling.steps_to_reach_tokens(d_opt, tokens_per_step)
    steps_block = scaling.steps_to_reach_tokens(p.block_ratio * n, tokens_per_step)
    steps_severe = scaling.steps_to_reach_tokens(p.severe_ratio * n, tokens_per_step)
    chain.step(
        "aprender-1708",
        "num_steps for compute-optimal",
        "num_steps = ⌈r·N / (batch_size × seq_length)⌉",
        {"optimal_tokens": d_opt, "tokens_per_step": tokens_per_step},
        steps_opt,
        (
            f"{steps_opt:,} steps reach {p.tokens_per_param:g}·N "
            + (
                f"({steps_opt / p.num_steps:,.1f}× the planned {p.num_steps:,})"
                if steps_opt > p.num_steps
                else f"(the planned {p.num_steps:,} already do)"
            )
        ),
        unit="steps",
        breakdown={
            f"steps to {p.severe_ratio:g}·N": steps_severe,
            f"steps to {p.block_ratio:g}·N": steps_block,
            f"steps to {p.tokens_per_param:g}·N": steps_opt,
        },
    )

    flops = scaling.training_flops(n, d)
    flops_opt = scaling.training_flops(n, d_opt)
    chain.step(
        "§17.10",
        "Training compute",
        "C = 6 · N · D",
        {"n_params": n, "tokens": d},
        {"planned_FLOPs": flops, "compute_optimal_FLOPs": flops_opt},
        f"planned {flops:.3e} FLOPs; {flops_opt:.3e} FLOPs at {p.tokens_per_param:g}·N",
        unit="FLOPs",
    )

    chain.caveat(
        "D counts tokens processed, repeats included: more steps over the same corpus raise D without "
        "adding data. The gate's audit (aprender PR #1708) found the binding constraint was data "
        "diversity, not "
        "steps."
    )
    chain.caveat(
        f"{p.tokens_per_param:g} tokens per parameter is the compute-optimal point for training loss "
        "(Chinchilla); models meant for cheap inference are often trained far beyond it. The block "
        f"({p.block_ratio:g}) and severe ({p.severe_ratio:g}) thresholds are engineering choices "
        f"(aprender PR #1708), "
        "not fitted laws."
    )

    plan = (
        f"set num_steps ≥ {steps_opt:,} (at {tokens_per_step:,} tokens per step) or widen the corpus to "
        f"{d_opt:,.0f} unique tokens; or train a smaller model: N = D/{p.tokens_per_param:g} = "
        f"{scaling.chinchilla_optimal_params(d, p.tokens_per_param):,.0f} parameters"
    )
    fraction = f"D/N = {format_sig4(ratio)} ({share * 100:.3g} % of compute-optimal)"
    figures = {
        "training_tokens": d,
        "compute_optimal_tokens": d_opt,
        "tokens_per_param": ratio,
        "share_of_compute_optimal": share,
        "steps_to_compute_optimal": steps_opt,
        "planned_flops": flops,
        "compute_optimal_flops": flops_opt,
    }
    charts = [
        chart(
            "tokens_per_param",
            "bar",
            "Tokens per parameter against the gate's lines",
            x={"label": "run", "unit": "", "categories": ["planned run"]},
            y={"label": "D/N", "unit": "tokens/param", "scale": "log"},
            series=[{"name": "D/N", "values": [ratio]}],
            markers=[
                {"axis": "y", "value": p.severe_ratio, "label": f"severe ({p.severe_ratio:g})"},
                {"axis": "y", "value": p.block_ratio, "label": f"block ({p.block_ratio:g})"},
                {"axis": "y", "value": p.tokens_per_param, "label": f"compute-optimal ({p.tokens_per_param:g})"},
            ],
            note=f"The planned run's {format_sig4(ratio)} tokens per parameter against the severe, block and "
            "compute-optimal lines.",
        )
    ]

    def answer(label: str, reason: str, mitigation: str) -> Verdict:
        return Verdict(label, reason, mitigation, tone=TONES[label], figures=figures, charts=charts)

    if label == "SEVERE":
        return answer(
            "SEVERE",
            f"{fraction} is below {p.severe_ratio:g}: the model will memorise, not generalise; the gate "
            f"also blocks it (below {p.block_ratio:g}·N).",
            "Do not launch as planned: " + plan + ". Override only deliberately "
            "(--force-under-provisioned), e.g. for a resume or an ablation.",
        )
    if label == "BLOCKED":
        return answer(
            "BLOCKED",
            f"{fraction} is below {p.block_ratio:g}: the audited gate fails fast unless forced.",
            "Either " + plan + ", or pass --force-under-provisioned for a deliberate short run.",
        )
    if label == "BELOW-OPTIMAL":
        return answer(
            "BELOW-OPTIMAL",
            f"{fraction} is below {p.tokens_per_param:g}: the model has room for more training "
            "(a warning, not a block).",
            "To reach compute-optimal, " + plan + ".",
        )
    return answer(
        "COMPUTE-OPTIMAL",
        f"{fraction} reaches {p.tokens_per_param:g} tokens per parameter.",
        "None required; check that the tokens are unique data, not repeated epochs.",
    )


RECIPE = Recipe(
    id="G-1",
    name="Pre-training Token Gate",
    description="Is a pre-training run under-provisioned in tokens for its model size (Chinchilla gate)?",
    category="pre-training",
    sections=("§17", "aprender-1708"),
    params=PARAMS,
    run=run,
    in_profile=False,
)
