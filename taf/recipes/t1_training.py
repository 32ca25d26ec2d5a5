"""T-1 Can I train or fine-tune it? Memory per GPU, what fits, step time, total time and cost.

Full fine-tuning, LoRA or QLoRA of a model described exactly by its config.json: the
trainable parameters come from the real tensor shapes (LoRA adapters r·(d_in + d_out) per
targeted layer), then weights, gradients, optimizer states, master weights, activations
(with or without gradient checkpointing, fused or materialised attention), the logits at
the loss and a framework overhead, each split across GPUs per the ZeRO stage → peak
memory per GPU against capacity; the largest micro-batch and sequence length that fit;
step time from the training FLOPs at a stated MFU; total time and rental cost.

Arithmetic (exact): parameter counts and state bytes. Estimates: activations, overhead,
time (see ``taf.formulas.training_memory`` for every formula and its source).
"""

from __future__ import annotations

from types import SimpleNamespace

from ..chain import Verdict, chart
from ..formulas import training_memory as tm
from ..params import Param
from ..textfmt import format_gb, format_si, format_usd
from .base import Recipe
from .planner_hardware import HARDWARE_PARAMS, hardware
from .planner_model import planner_model
from .s1_will_it_fit import CONFIG, D_HEAD, MODEL, N_HEADS, N_KV_HEADS, N_LAYERS, N_PARAMS, T_TRAIN

METHOD = Param(
    "method",
    "choice",
    "full = every weight trained; lora = frozen base + low-rank adapters; qlora = LoRA on an NF4 4-bit base.",
    default="lora",
    choices=tm.METHODS,
)
OPTIMIZER = Param(
    "optimizer",
    "choice",
    "Optimizer: adamw (fp32 m, v), adamw-8bit (bitsandbytes), adafactor (factored, no momentum), sgd (no momentum).",
    default="adamw",
    choices=tm.OPTIMIZERS,
)
PRECISION = Param(
    "precision",
    "choice",
    "Training precision: bf16-/fp16-mixed (16-bit weights and gradients, fp32 "
    "master), bf16 (pure, no fp32 master), fp32.",
    default="bf16-mixed",
    choices=tm.PRECISIONS,
)
LORA_RANK = Param("lora_rank", "int", "LoRA rank r (lora and qlora).", unit="", default=16, min=1, max=65536)
LORA_TARGETS = Param(
    "lora_targets",
    "choice",
    "Layers LoRA adapts: attention (q, k, v, o) or all-linear (+ MLP, experts and routers, as PEFT's all-linear).",
    default="all-linear",
    choices=tm.LORA_TARGETS,
)
SEQ_LENGTH = Param(
    "seq_length", "int", "Tokens per training sequence.", unit="tokens", default=2048, min=1, max=10_000_000
)
MICRO_BATCH = Param(
    "micro_batch", "int", "Sequences per GPU per step.", unit="sequences", default=1, min=1, max=1_000_000
)
CHECKPOINTING = Param(
    "gradient_checkpointing",
    "bool",
    "Recompute each layer in the backward pass (keeps only layer inputs).",
    default=True,
)
FUSED_ATTENTION = Param(
    "fused_attention",
    "bool",
    "Fused (flash / SDPA) attention; false = eager attention that materialises the seq×seq scores.",
    default=True,
)
CHUNKED_LOSS = Param(
    "chunked_loss",
    "bool",
    "Chunked cross-entropy (torchtune) instead of fp32 logits for the whole sequence (Hugging Face default).",
    default=False,
)
ZERO_STAGE = Param(
    "zero_stage",
    "choice",
    "ZeRO stage over n_gpus: 0 none, 1 optimizer, 2 + gradients, 3 / fsdp + weights.",
    default="0",
    choices=tm.ZERO_STAGES,
)
OVERHEAD_GB = Param(
    "overhead_gb",
    "float",
    "Framework overhead per GPU (CUDA context, cuBLAS workspace, allocator slack) — an assumption, editable.",
    unit="GB",
    default=1.5,
    min=0,
    max=1000,
)
MFU = Param(
    "mfu",
    "float",
    "Model FLOPs utilisation assumed for the step time (share of peak 16-bit compute).",
    unit="fraction",
    default=0.4,
    min=0.01,
    max=1,
)
TRAIN_TOKENS = Param(
    "train_tokens",
    "float",
    "Tokens to train on (all epochs), for time and cost.",
    unit="tokens",
    default=1e8,
    min=1,
    max=1e16,
)

PARAMS = (
    (
        MODEL,
        CONFIG,
        METHOD,
        OPTIMIZER,
        PRECISION,
        LORA_RANK,
        LORA_TARGETS,
        SEQ_LENGTH,
        MICRO_BATCH,
        CHECKPOINTING,
        FUSED_ATTENTION,
        CHUNKED_LOSS,
        ZERO_STAGE,
    )
    + HARDWARE_PARAMS
    + (OVERHEAD_GB, MFU, TRAIN_TOKENS)
    + (N_PARAMS, N_LAYERS, N_HEADS, N_KV_HEADS, D_HEAD, T_TRAIN)
)

#: MFU default: Llama 3 pre-training reports 38–43 % BF16 MFU on H100 (Llama Team 2024, arXiv:2407.21783 §3.3.4)
MFU_SOURCE = "Llama Team 2024, The Llama 3 Herd of Models, arXiv:2407.21783 §3.3.4 (38–43 % BF16 MFU)"


# ── the memory model (used by T-1, X-1 and X-3) ──────────────────────────────
def trainable_shapes(model, s) -> list:
    """Trainable tensors as (shape, count): every tensor for full fine-tuning, the LoRA A/B matrices otherwise."""
    if s.method == "full":
        return [(t["shape"], t["count"]) for t in model.tensors]
    return tm.lora_adapter_shapes(model.tensors, s.lora_targets, s.lora_rank)


def memory_plan(model, s) -> dict:
    """Every memory component per GPU for the set-up ``s`` (attributes: method, optimizer, precision,
    lora_rank, lora_targets, seq_length, micro_batch, gradient_checkpointing, fused_attention,
    chunked_loss, zero_stage, n_gpus, overhead_gb)."""
    pb = tm.precision_bytes(s.precision)
    shapes = trainable_shapes(model, s)
    trainable = sum(tm._numel(shape) * count for shape, count in shapes)
    split = tm.zero_split(s.zero_stage, s.n_gpus)
    frozen = tm.frozen_weight_bytes(model.tensors, s.method, s.precision)
    weights = (frozen + trainable * pb["weight"]) / split["weights"]
    if split["weights"] > 1:  # ZeRO-3 / FSDP gathers one layer's full weights at a time
        per_layer = (frozen + trainable * pb["weight"]) / model.n_layers
        weights += per_layer
    grads = trainable * pb["grad"] / split["gradients"]
    master = trainable * pb["master"] / split["master"]
    opt_states = tm.optimizer_state_bytes(s.optimizer, shapes) / split["optimizer"]
    per_layer_token = tm.activation_bytes_per_token_layer(
        model.d_model,
        model.q_dim,
        model.kv_dim,
        model.n_heads,
        model.mlp_width_active,
        model.gated,
        pb["activation"],
        s.fused_attention,
        s.seq_length,
    )
    logits = tm.logits_bytes_per_token(model.vocab_size, pb["activation"], s.chunked_loss)
    acts = tm.activation_bytes(
        n_layers=model.n_layers,
        d_model=model.d_model,
        per_layer_token=per_layer_token,
        logits_per_token=logits,
        tokens=s.micro_batch * s.seq_length,
        checkpointing=s.gradient_checkpointing,
        act_bytes=pb["activation"],
    )
    overhead = s.overhead_gb * 1e9
    total = weights + grads + master + opt_states + acts["total"] + overhead
    return {
        "trainable_params": trainable,
        "frozen_weight_bytes": frozen,
        "weights": weights,
        "gradients": grads,
        "master": master,
        "optimizer": opt_states,
        "activations": acts["total"],
        "activation_layers": acts["layers"],
        "activation_logits": acts["logits"],
        "activation_per_token_layer": per_layer_token,
        "logits_per_token": logits,
        "overhead": overhead,
        "total": total,
        "split": split,
    }


def full_training_state_bytes_per_param(precision: str = "bf16-mixed", optimizer: str = "adamw") -> float:
    """Bytes per parameter T-1 counts for training every weight, before activations: weights + gradients +
    fp32 master + optimizer states (bf16-mixed AdamW: 2 + 2 + 4 + 8 = 16, the TAF Agent module's 16·N)."""
    pb = tm.precision_bytes(precision)
    return pb["weight"] + pb["grad"] + pb["master"] + tm.optimizer_state_bytes(optimizer, [([1, 1], 1)])


def training_state_step(chain, n_params: float, n_gpus: int, capacity_bytes: float, gpu_label: str) -> dict:
    """The T-1 step X-1 and X-3 share: training-state bytes per GPU for pre-training N parameters with
    bf16-mixed AdamW under ZeRO-3 over ``n_gpus`` — T-1's accounting, so the three recipes agree."""
    per_param = full_training_state_bytes_per_param()
    pb = tm.precision_bytes("bf16-mixed")
    per_gpu = per_param * n_params / n_gpus
    fits = per_gpu <= capacity_bytes
    chain.step(
        "rajbhandari2020",
        "Training state per GPU (T-1 model)",
        "bytes/GPU = N·(weights 2 + gradients 2 + fp32 master 4 + AdamW m, v 8) / n_gpus  (bf16-mixed, ZeRO-3)",
        {"N": n_params, "n_gpus": n_gpus, "bytes_per_param": per_param, "capacity_bytes": capacity_bytes},
        per_gpu,
        f"{per_gpu / 1e9:,.1f} GB per GPU of {capacity_bytes / 1e9:,.0f} GB on {gpu_label}: "
        f"{'fits' if fits else 'does NOT fit'} before activations — T-1's accounting "
        f"({pb['weight']} + {pb['grad']} + {pb['master']} + 8 = {per_param:g} bytes per parameter), the same "
        "16·N as the 16N training-memory rule (§17.20); T-1 adds activations from the "
        "architecture (run T-1 with the model's config)",
        unit="bytes",
        breakdown={"fits_before_activations": fits},
        status="validated",
    )
    return {"per_gpu": per_gpu, "fits": fits, "bytes_per_param": per_param}


def _with(s, **changes):
    d = dict(vars(s))
    d.update(changes)
    return SimpleNamespace(**d)


def max_fitting(model, s, capacity: float, name: str, hi: int) -> int:
    """The largest value of ``name`` (micro_batch or seq_length) in [1, hi] that fits; 0 if even 1 does not."""
    if memory_plan(model, _with(s, **{name: 1}))["total"] > capacity:
        return 0
    lo, top = 1, hi
    while lo < top:
        mid = (lo + top + 1) // 2
        if memory_plan(model, _with(s, **{name: mid}))["total"] <= capacity:
            lo = mid
        else:
            top = mid - 1
    return lo


def alternatives(model, s, capacity: float) -> list:
    """Changes that make the set-up fit, cheapest first (each one change away, or the GPUs needed)."""
    options: list[tuple[str, dict]] = []
    if not s.gradient_checkpointing:
        options.append(("gradient_checkpointing=true", {"gradient_checkpointing": True}))
    if not s.fused_attention:
        options.append(("fused_attention=true", {"fused_attention": True}))
    if s.micro_batch > 1:
        options.append(("micro_batch=1", {"micro_batch": 1}))
    if s.method == "full":
        if s.optimizer == "adamw":
            options.append(("optimizer=adamw-8bit", {"optimizer": "adamw-8bit"}))
        options.append(("method=lora", {"method": "lora"}))
    if s.method != "qlora":
        options.append(("method=qlora", {"method": "qlora"}))
    if not s.chunked_loss:
        options.append(("chunked_loss=true", {"chunked_loss": True}))
    out = []
    for label, change in options:
        total = memory_plan(model, _with(s, **change))["total"]
        if total <= capacity:
            out.append({"change": label, "total_bytes_per_gpu": total})
    # ZeRO-3 over more GPUs (same set-up otherwise)
    for n in (2, 4, 8, 16, 32, 64):
        if n <= s.n_gpus:
            continue
        total = memory_plan(model, _with(s, zero_stage="3", n_gpus=n))["total"]
        if total <= capacity:
            out.append({"change": f"zero_stage=3 over n_gpus={n}", "total_bytes_per_gpu": total})
            break
    return out


def run(p, chain) -> Verdict:
    model = planner_model(p)
    hw = hardware(p)
    capacity = hw.memory_bytes
    mem = memory_plan(model, p)
    pb = tm.precision_bytes(p.precision)
    for c in model.caveats:
        chain.caveat(c)

    # 1 — the model
    active = model.active_params()
    chain.step(
        "hf-config",
        "Model parameters",
        "N = Σ tensor params (from config.json shapes)",
        {"model": model.id, "n_layers": model.n_layers, "d_model": model.d_model},
        model.total_params,
        f"{format_si(model.total_params)} parameters"
        + (f", {format_si(active)} active per token (MoE)" if model.moe else ""),
        unit="params",
        breakdown={"active_params": active, "tensors": len(model.tensors)},
        status="validated",
    )

    # 2 — trainable parameters
    if p.method == "full":
        formula = "trainable = N (every tensor)"
        text = f"every one of the {format_si(model.total_params)} parameters is trained"
        targets = None
    else:
        formula = "trainable = Σ r·(d_in + d_out)·count over the targeted linear layers"
        targeted = tm.lora_target_tensors(model.tensors, p.lora_targets)
        targets = [t["name"] for t in targeted]
        text = (
            f"{mem['trainable_params']:,} adapter parameters (rank {p.lora_rank} on {len(targeted)} "
            f"{p.lora_targets} weight kinds) = {100 * mem['trainable_params'] / model.total_params:.3g} % of "
            "the model; exact from the tensor shapes"
        )
    chain.step(
        "hu2021",
        "Trainable parameters",
        formula,
        {"method": p.method, "lora_rank": p.lora_rank, "lora_targets": p.lora_targets},
        mem["trainable_params"],
        text,
        unit="params",
        breakdown={"targets": targets} if targets else None,
        status="validated",
        refs=("peft",) if p.method != "full" else (),
    )

    # 3 — weights
    split = mem["split"]
    shard = f" ÷ {p.n_gpus} (ZeRO-3 / FSDP) + one layer gathered" if split["weights"] > 1 else ""
    if p.method == "qlora":
        wformula = (
            f"NF4 linear layers at {tm.nf4_bits_per_weight():.4g} bits (4 + 8/64 + 32/(64·256), double-"
            f"quantised scales) + the rest at {pb['weight']} B + adapters at {pb['weight']} B{shard}"
        )
    elif p.method == "lora":
        wformula = f"(N + adapters) × {pb['weight']} B{shard}"
    else:
        wformula = f"N × {pb['weight']} B{shard}"
    chain.step(
        "dettmers2023" if p.method == "qlora" else "rajbhandari2020",
        "Weights per GPU",
        wformula,
        {
            "frozen_weight_bytes": mem["frozen_weight_bytes"],
            "trainable": mem["trainable_params"],
            "weight_bytes": pb["weight"],
            "zero_stage": p.zero_stage,
            "n_gpus": p.n_gpus,
        },
        mem["weights"],
        format_gb(mem["weights"]),
        unit="bytes",
        status="validated",
    )

    # 4 — gradients
    chain.step(
        "rajbhandari2020",
        "Gradients per GPU",
        f"trainable × {pb['grad']} B" + (f" ÷ {p.n_gpus}" if split["gradients"] > 1 else ""),
        {"trainable": mem["trainable_params"], "grad_bytes": pb["grad"]},
        mem["gradients"],
        format_gb(mem["gradients"]),
        unit="bytes",
        status="validated",
    )

    # 5 — optimizer + master
    opt_text = {
        "adamw": "fp32 m and v: 8 B per trainable parameter",
        "adamw-8bit": "two 8-bit states + fp32 absmax per 2,048 values: ≈ 2 B per parameter",
        "adafactor": "factored second moment: 4·(rows + cols) B per matrix",
        "sgd": "no state (no momentum)",
    }[p.optimizer]
    opt_total = mem["optimizer"] + mem["master"]
    chain.step(
        "rajbhandari2020",
        "Optimizer states + master weights per GPU",
        f"optimizer states ({opt_text}) + fp32 master {pb['master']} B × trainable"
        + (f", ÷ {p.n_gpus} (ZeRO ≥ 1)" if split["optimizer"] > 1 else ""),
        {"optimizer": p.optimizer, "precision": p.precision, "trainable": mem["trainable_params"]},
        opt_total,
        f"{format_gb(mem['optimizer'])} optimizer states + {format_gb(mem['master'])} master weights",
        unit="bytes",
        breakdown={"optimizer_bytes": mem["optimizer"], "master_bytes": mem["master"]},
        status="validated",
        refs={"adamw-8bit": ("dettmers2022",), "adafactor": ("shazeer2018",)}.get(p.optimizer, ()),
    )

    # 6 — activations
    tokens = p.micro_batch * p.seq_length
    attn = (
        "fused attention (no seq×seq scores)"
        if p.fused_attention
        else "materialised attention scores ((4 + e)·heads·seq per token per layer)"
    )
    ckpt = (
        "checkpointing: layer inputs e·h per token per layer + one layer recomputed"
        if p.gradient_checkpointing
        else "no checkpointing: every layer keeps its saved tensors"
    )
    chain.step(
        "korthikanti2022",
        "Activations per GPU",
        "layers: "
        + ("L·e·h·tokens + per_layer·tokens" if p.gradient_checkpointing else "L·per_layer·tokens")
        + "; logits: tokens·V·(e + 12"
        + ("/8" if p.chunked_loss else "")
        + ")",
        {
            "tokens": tokens,
            "per_layer_bytes_per_token": mem["activation_per_token_layer"],
            "logits_bytes_per_token": mem["logits_per_token"],
            "n_layers": model.n_layers,
        },
        mem["activations"],
        f"{format_gb(mem['activations'])} ({format_gb(mem['activation_layers'])} layers with {ckpt}; "
        f"{format_gb(mem['activation_logits'])} logits at the loss); {attn}. Estimate.",
        unit="bytes",
        breakdown={"layers_bytes": mem["activation_layers"], "logits_bytes": mem["activation_logits"]},
        status="exploratory",
    )

    # 7 — overhead
    chain.step(
        "pytorch-cuda-memory",
        "Framework overhead",
        "fixed per GPU (assumption)",
        {"overhead_gb": p.overhead_gb},
        mem["overhead"],
        f"{format_gb(mem['overhead'])}: CUDA context, cuBLAS workspace, allocator slack (an assumption, editable)",
        unit="bytes",
    )

    # 8 — total vs capacity
    fits = mem["total"] <= capacity
    chain.step(
        "rajbhandari2020",
        "Peak memory per GPU",
        "weights + gradients + optimizer + master + activations + overhead ≤ capacity",
        {"total_bytes": mem["total"], "capacity_bytes": capacity, "gpu": hw.name},
        mem["total"],
        f"{format_gb(mem['total'])} of {format_gb(capacity)} on {hw.name}: {'fits' if fits else 'does NOT fit'} "
        f"({100 * mem['total'] / capacity:.0f} %)",
        unit="bytes",
        breakdown={"fits": fits},
    )

    # 9 — largest micro-batch and sequence length
    max_mb = max_fitting(model, p, capacity, "micro_batch", 1_000_000)
    max_seq = max_fitting(model, p, capacity, "seq_length", 10_000_000)
    chain.step(
        "korthikanti2022",
        "Largest micro-batch and sequence that fit",
        "largest value with peak memory ≤ capacity (the other held as set)",
        {"seq_length": p.seq_length, "micro_batch": p.micro_batch},
        {"max_micro_batch": max_mb, "max_seq_length": max_seq},
        (
            f"micro_batch ≤ {max_mb:,} at {p.seq_length:,} tokens; seq_length ≤ {max_seq:,} tokens at micro_batch "
            f"{p.micro_batch}"
        )
        if max_mb
        else "nothing fits even at micro_batch 1",
    )

    # 10 — step time
    flops = tm.training_flops_per_token(
        model.matmul_params(),
        p.method,
        p.gradient_checkpointing,
        model.attention_layers(p.seq_length),
        p.seq_length,
        model.q_dim,
    )
    tokens_per_step = tokens * p.n_gpus
    step_time = flops["total"] * tokens_per_step / (p.n_gpus * hw.peak_flops * p.mfu)
    chain.step(
        "llama3-2024",
        "Step time",
        f"t = FLOPs/token × tokens / (n_gpus · peak · MFU); FLOPs/token = {flops['multiplier']:g}·N_matmul + "
        "attention",
        {
            "N_matmul": model.matmul_params(),
            "flops_per_token": flops["total"],
            "tokens_per_step": tokens_per_step,
            "peak_flops": hw.peak_flops,
            "mfu": p.mfu,
            "n_gpus": p.n_gpus,
        },
        step_time,
        f"{step_time:.3g} s per step of {tokens_per_step:,} tokens "
        f"({tokens_per_step / step_time:,.0f} tokens/s) at MFU {p.mfu:g} — an assumption "
        f"(default from {MFU_SOURCE})",
        unit="s",
        status="exploratory",
        refs=("kaplan2020",),
    )

    # 11 — total time and cost
    tokens_per_s = tokens_per_step / step_time
    hours = p.train_tokens / tokens_per_s / 3600
    cost = hours * p.n_gpus * hw.usd_per_hour if hw.usd_per_hour else None
    chain.step(
        "llama3-2024",
        "Training time and cost",
        "hours = train_tokens / tokens_per_s / 3600; USD = hours · n_gpus · USD/GPU-hour",
        {"train_tokens": p.train_tokens, "tokens_per_s": tokens_per_s, "usd_per_gpu_hour": hw.usd_per_hour},
        {"train_hours": hours, "cost_usd": cost},
        f"{hours:,.2f} h on {p.n_gpus}× {hw.name}"
        + (f", {format_usd(cost)}" if cost is not None else " (no rental price: owned hardware, not costed)"),
    )

    chain.caveat(
        "Parameter counts and weight/gradient/optimizer bytes are exact arithmetic on the tensor shapes; "
        "activations, overhead and step time are estimates (eager PyTorch accounting, no CPU offload, no "
        "paged optimizer). Fused kernels (Liger, Unsloth) save more activation memory than modelled."
    )

    # chart: stacked memory per GPU against capacity
    parts = [
        ("weights", mem["weights"]),
        ("gradients", mem["gradients"]),
        ("optimizer + master", mem["optimizer"] + mem["master"]),
        ("activations", mem["activations"]),
        ("overhead", mem["overhead"]),
    ]
    charts = [
        chart(
            "t1_memory",
            "stacked_bar",
            "Memory per GPU",
            x={"label": "set-up", "unit": "", "categories": [f"{p.method}, {hw.name}"]},
            y={"label": "memory", "unit": "GB", "scale": "linear"},
            series=[{"name": name, "values": [round(v / 1e9, 4)]} for name, v in parts],
            markers=[{"axis": "y", "value": round(capacity / 1e9, 4), "label": f"{hw.name} capacity"}],
            note=f"Peak memory per GPU {format_gb(mem['total'])} against {format_gb(capacity)} capacity.",
        )
    ]
    figures = {
        "trainable_params": mem["trainable_params"],
        "weights_bytes_per_gpu": mem["weights"],
        "gradients_bytes_per_gpu": mem["gradients"],
        "optimizer_bytes_per_gpu": mem["optimizer"] + mem["master"],
        "activation_bytes_per_gpu": mem["activations"],
        "total_bytes_per_gpu": mem["total"],
        "capacity_bytes_per_gpu": capacity,
        "fits": fits,
        "max_micro_batch": max_mb,
        "max_seq_length": max_seq,
        "step_time_s": step_time,
        "train_hours": hours,
        "cost_usd": cost,
    }

    if fits:
        return Verdict(
            "FITS",
            f"{p.method} fine-tuning of {model.label} needs {format_gb(mem['total'])} per GPU, within "
            f"{hw.name}'s {format_gb(capacity)} ({100 * mem['total'] / capacity:.0f} %).",
            f"Up to micro_batch {max_mb:,} at {p.seq_length:,} tokens, or {max_seq:,} tokens at micro_batch "
            f"{p.micro_batch}. ~{hours:,.1f} h for {format_si(p.train_tokens)} tokens"
            + (f" ({format_usd(cost)})." if cost is not None else "."),
            tone="good" if mem["total"] <= 0.9 * capacity else "caution",
            figures=figures,
            charts=charts,
        )
    alts = alternatives(model, p, capacity)
    if alts:
        fix = "; ".join(f"{a['change']} → {format_gb(a['total_bytes_per_gpu'])}" for a in alts)
        mitigation = f"What would fit on {hw.name}: {fix}."
    else:
        mitigation = (
            f"No single change fits it on {hw.name}: combine QLoRA with gradient checkpointing and a shorter "
            "sequence, or use GPUs with more memory."
        )
    return Verdict(
        "DOES NOT FIT",
        f"{p.method} fine-tuning of {model.label} needs {format_gb(mem['total'])} per GPU, more "
        f"than {hw.name}'s {format_gb(capacity)}.",
        mitigation,
        tone="bad",
        figures=figures,
        charts=charts,
    )


RECIPE = Recipe(
    id="T-1",
    name="Can I train or fine-tune it?",
    description="Full / LoRA / QLoRA memory per GPU against capacity, what fits, step time, total time and cost.",
    category="training",
    sections=("rajbhandari2020", "hu2021", "dettmers2023", "korthikanti2022"),
    params=PARAMS,
    run=run,
    in_profile=False,
)
