"""X-3 Budget Pre-flight: given a $ budget, what model is feasible to train?

The TAF Agent module's five steps (§20.11 affordable hours, §17.10 compute, §17.30
Chinchilla-optimal N, §17.60 emergence tier, §17.20 16·N training memory) and its
verdicts (TINY-MODEL, MEMORY-LIMITED, GO), with the SPEC §5 corrections: an unknown
GPU is an ``unknown_choice`` error and a GPU with no rental price a clear error
(the TAF Agent module raised KeyError / ZeroDivisionError); the 16·N memory check compares with
n_gpus × VRAM — ZeRO-3 sharding, stated as the assumption (the TAF Agent module compared with
one GPU's VRAM whatever n_gpus was).

Step 1 is wall-clock hours on n_gpus GPUs; the TAF Agent module called it "GPU-hours", which is
the same number only for n_gpus = 1 (GPU-hours = hours · n_gpus, in the breakdown).
"""

from __future__ import annotations

import math

from ..chain import Verdict
from ..data.gpus import TAF_AGENT_AS_OF
from ..formulas import hardware as hw
from ..formulas.scaling import (
    CHINCHILLA_TOKENS_PER_PARAM,
    chinchilla_optimal_tokens,
    chinchilla_params_for_compute,
    emergence_tier,
    training_memory_bytes,
)
from ..numeric import defined
from ..params import Param
from ..textfmt import format_fixed, format_scientific, format_si, format_usd, format_value
from .base import Recipe
from .econ_common import MFU, gpu_param, priced_gpu

USD_BUDGET = Param(
    "USD_budget",
    "float",
    "Compute budget for the training run (GPU rental).",
    unit="USD",
    default=5000.0,
    min=0,
    min_exclusive=True,
    max=1e12,
)
GPU = gpu_param("GPU to rent for training (must have a rental price).")
N_GPUS = Param(
    "n_gpus",
    "int",
    "Number of GPUs rented together (training state is sharded across them, ZeRO-3).",
    unit="GPUs",
    default=1,
    min=0,
    min_exclusive=True,
    max=1_000_000,
)

PARAMS = (USD_BUDGET, GPU, MFU, N_GPUS)

#: below this many parameters X-3 recommends fine-tuning instead (§17.60 lowest tier)
TINY_MODEL_PARAMS = 1e8


def run(p, chain) -> Verdict:
    gpu = priced_gpu(p.gpu, "a training budget on it")

    # 1 — affordable hours
    # budget > 0, a priced GPU, 0 < MFU ≤ 1, n_gpus ≥ 1 (validated): inside both formulas' domains
    hours = defined(hw.affordable_hours(p.USD_budget, gpu["usd_per_hour"], p.n_gpus))
    chain.step(
        "§20.11",
        "Affordable training hours",
        "hours = USD / (USD/h · n_gpus)",
        {"USD": p.USD_budget, "gpu": p.gpu, "usd_per_hour": gpu["usd_per_hour"], "n_gpus": p.n_gpus},
        hours,
        f"{format_fixed(hours, 0)} h wall-clock on {p.n_gpus}× {p.gpu} ({hours / 24:,.1f} days at full use; "
        f"{format_fixed(hours * p.n_gpus, 0)} GPU-hours at {format_usd(gpu['usd_per_hour'])}/GPU-hour)",
        unit="hours",
        breakdown={"days": hours / 24, "gpu_hours": hours * p.n_gpus},
    )

    # 2 — compute the budget buys
    max_flops = defined(hw.compute_in_hours(gpu["bf16_tflops"], p.mfu, p.n_gpus, hours))
    chain.step(
        "§17.10",
        "Max training FLOPs",
        "C = peak·10¹²·MFU·n_gpus·hours·3600",
        {"peak_TFLOPs": gpu["bf16_tflops"], "MFU": p.mfu, "n_gpus": p.n_gpus, "hours": hours},
        max_flops,
        f"{format_scientific(max_flops)} effective FLOPs (independent of n_gpus: the budget buys GPU-hours)",
        unit="FLOPs",
    )

    # 3 — Chinchilla-optimal N at D = 20N
    n_opt = chinchilla_params_for_compute(max_flops)
    d_opt = chinchilla_optimal_tokens(n_opt)
    chain.step(
        "§17.30",
        "Chinchilla-optimal N",
        "N = √(C/120) at D = 20N  (6·N·20N = C)",
        {"max_FLOPs": max_flops},
        n_opt,
        f"N ≈ {format_si(n_opt)} params with D = {format_si(d_opt)} tokens",
        unit="params",
        breakdown={"D_tokens": d_opt, "tokens_per_param": CHINCHILLA_TOKENS_PER_PARAM},
        status="validated",
    )

    # 4 — emergence tier
    tier = emergence_tier(n_opt)
    chain.step(
        "§17.60",
        "Emergence threshold",
        "capability tier by N (heuristic after Wei et al. 2022)",
        {"N": n_opt},
        str(tier),
        f'N ≈ {format_si(n_opt)} params falls in the tier "{tier.name}" (tiers at 100M, 1B, 10B, 100B)',
        status="exploratory",
    )

    # 5 — training memory vs the GPUs' pooled VRAM (ZeRO-3)
    mem_bytes = training_memory_bytes(n_opt)
    mem_gb = mem_bytes / 1e9
    capacity_gb = p.n_gpus * gpu["vram_gb"]
    fits = mem_gb <= capacity_gb
    gpus_needed = max(1, math.ceil(mem_gb / gpu["vram_gb"]))
    chain.step(
        "§17.20",
        "16N training memory",
        "bytes = 16·N (weights + grads + AdamW); fits if ≤ n_gpus × VRAM (ZeRO-3 sharding)",
        {"N": n_opt, "n_gpus": p.n_gpus, "vram_GB": gpu["vram_gb"]},
        mem_gb,
        f"{mem_gb:,.1f} GB needed; {'fits in' if fits else 'EXCEEDS'} {p.n_gpus} × {gpu['vram_gb']:.0f} GB "
        f"= {capacity_gb:,.0f} GB VRAM — assumes ZeRO-3 shards the 16·N bytes evenly across "
        f"{format_value(p.n_gpus, 'GPUs')}; activations not included",
        unit="GB",
        breakdown={"bytes": mem_bytes, "capacity_GB": capacity_gb, "fits": fits, "gpus_needed": gpus_needed},
    )

    # 6 — T-1's accounting of the same state, per GPU (the three recipes agree)
    from .t1_training import training_state_step

    training_state_step(chain, n_opt, p.n_gpus, gpu["vram_gb"] * 1e9, p.gpu)

    # caveats
    chain.caveat(
        "Memory check assumes ZeRO-3 (fully sharded data parallel): the 16·N bytes of weights, gradients "
        "and AdamW state are split evenly across the n_gpus GPUs, so it compares with n_gpus × VRAM. "
        "Without sharding every GPU must hold all 16·N bytes."
    )
    chain.caveat(
        "16·N excludes activations, which grow with batch size and sequence length (activation "
        "checkpointing reduces them); leave headroom."
    )
    chain.caveat(
        "The whole budget goes to GPU rental at the catalog price (as of "
        f"{TAF_AGENT_AS_OF}) at the given MFU, for one Chinchilla-optimal run (D = "
        f"{CHINCHILLA_TOKENS_PER_PARAM:g}·N): "
        "no data, storage, "
        "evaluation or failed runs."
    )
    chain.caveat("Emergence tiers are a coarse heuristic: capabilities depend on data and training, not size alone.")

    # verdict (in this order: tiny first, then memory, then go); the label says what the budget buys
    figures = {
        "affordable_hours": hours,
        "max_training_flops": max_flops,
        "chinchilla_params": n_opt,
        "chinchilla_tokens": d_opt,
        "training_memory_bytes": mem_bytes,
        "capacity_bytes": capacity_gb * 1e9,
        "fits": fits,
        "gpus_needed": gpus_needed,
        "capability_tier": tier.name,
    }
    if n_opt < TINY_MODEL_PARAMS:
        return Verdict(
            f"TINY-MODEL: only ~{format_si(n_opt)} params",
            f"{format_usd(p.USD_budget)} on {p.gpu} supports only ~{format_si(n_opt)} params (below "
            f"{format_si(TINY_MODEL_PARAMS)}) at Chinchilla-optimal D = {format_si(d_opt)} tokens.",
            "Use LoRA fine-tuning of larger pretrained model instead.",
            tone="caution",
            figures=figures,
        )
    if not fits:
        return Verdict(
            f"MEMORY-LIMITED: {format_si(n_opt)} params need ≥ {gpus_needed}× {p.gpu}",
            f"Chinchilla N ({format_si(n_opt)} params) needs {mem_gb:,.1f} GB of training state, more than "
            f"{p.n_gpus} × {p.gpu} = {capacity_gb:,.0f} GB even with ZeRO-3 sharding.",
            f"Use ZeRO-3 across ≥ {gpus_needed}× {p.gpu} (the same budget buys the same FLOPs, in less "
            f"wall-clock time) OR train a smaller N on more than {CHINCHILLA_TOKENS_PER_PARAM:g} tokens per "
            "parameter.",
            tone="caution",
            figures=figures,
        )
    days = hours / 24
    return Verdict(
        f"GO: {format_si(n_opt)} params on {format_si(d_opt)} tokens",
        f"At {format_usd(p.USD_budget)}, train a {format_si(n_opt)}-param model on {format_si(d_opt)} tokens in "
        f"~{days:,.1f} days on {p.n_gpus}× {p.gpu}. Capability tier: {tier.name}.",
        "None — proceed with Chinchilla-optimal recipe.",
        tone="good",
        figures=figures,
    )


RECIPE = Recipe(
    id="X-3",
    name="Budget Pre-flight",
    description="Given a $ budget, what model is feasible to train?",
    category="training-budget",
    sections=("§17", "§20"),
    params=PARAMS,
    run=run,
)
