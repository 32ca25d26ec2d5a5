"""Training and fine-tuning memory and time, component by component (T-1, X-1, X-3).

Everything here is a pure function of the model's tensor inventory (the rows of
``taf.modelconfig`` / ``taf.model.record``: ``{name, shape, count, params, group}``)
and the training set-up. Arithmetic (exact): trainable parameters, LoRA adapter
counts, weight / gradient / optimizer-state bytes. Estimates (stated assumptions):
activation bytes, framework overhead, step time at a model-FLOPs utilisation.

Sources of the accounting:
- mixed precision with Adam = 2 + 2 + 12 bytes per parameter (bf16 weights and
  gradients, fp32 master + m + v): Rajbhandari et al. 2020, ZeRO (arXiv:1910.02054) §3.1;
  ZeRO stages 1/2/3 shard optimizer states / + gradients / + parameters (§5).
- QLoRA NF4 with double quantisation: 4 bits per weight + 8-bit absmax per 64 weights +
  fp32 absmax per 256 first-level scales = 4.127 bits (Dettmers et al. 2023,
  arXiv:2305.14314 §3, "0.127 bits per parameter").
- 8-bit AdamW: two 8-bit states + one fp32 absmax per block of 2048 per state (Dettmers
  et al. 2022, arXiv:2110.02861); tensors under 4,096 elements stay 32-bit
  (bitsandbytes ``min_8bit_size``).
- Adafactor without momentum keeps a row and a column factor of the second moment per
  matrix (Shazeer & Stern 2018, arXiv:1804.04235).
- Activations per layer: the tensors autograd saves, after Korthikanti et al. 2022
  (arXiv:2205.05198 §4.1, 34·s·b·h + 5·a·s²·b bytes for a GPT layer), re-derived for a
  gated-MLP / RMSNorm / GQA layer without dropout (see :func:`activation_bytes_per_token_layer`).
- LoRA adapters: r·(d_in + d_out) per targeted linear layer (Hu et al. 2021,
  arXiv:2106.09685); targets as PEFT resolves them (``all-linear`` = every linear layer
  but the output head, experts and routers included).
"""

from __future__ import annotations

import math

METHODS = ("full", "lora", "qlora")
OPTIMIZERS = ("adamw", "adamw-8bit", "adafactor", "sgd")
PRECISIONS = ("bf16-mixed", "fp16-mixed", "bf16", "fp32")
LORA_TARGETS = ("attention", "all-linear")
ZERO_STAGES = ("0", "1", "2", "3", "fsdp")

#: groups whose 2-D weights are not linear layers PEFT would adapt (embeddings, the output head, norms)
NON_LINEAR_GROUPS = ("embedding", "position", "output", "norm")

# QLoRA NF4 storage (Dettmers et al. 2023 §3): 4-bit codes, one 8-bit absmax per 64 weights,
# one fp32 absmax (and offset) per 256 first-level scales
NF4_BITS = 4
NF4_BLOCK = 64
NF4_SCALE_BITS = 8
NF4_SECOND_BLOCK = 256
NF4_SECOND_SCALE_BITS = 32

# 8-bit AdamW (Dettmers et al. 2022): block-wise quantised states
ADAM8_BLOCK = 2048
ADAM8_MIN_SIZE = 4096

#: torchtune's chunked cross-entropy splits the logits in 8 chunks (num_output_chunks)
LOSS_CHUNKS = 8


def nf4_bits_per_weight() -> float:
    """Bits per NF4 weight with double-quantised scales: 4 + 8/64 + 32/(64·256) = 4.127 bits."""
    return NF4_BITS + NF4_SCALE_BITS / NF4_BLOCK + NF4_SECOND_SCALE_BITS / (NF4_BLOCK * NF4_SECOND_BLOCK)


def is_linear(tensor: dict) -> bool:
    """A linear layer's weight: 2-D, named ``….weight``, outside embeddings / output head / norms."""
    return len(tensor["shape"]) == 2 and tensor["name"].endswith(".weight") and tensor["group"] not in NON_LINEAR_GROUPS


def lora_target_tensors(tensors, targets: str) -> list:
    """The linear layers LoRA adapts: ``attention`` = the attention projections (q, k, v, o — or the fused
    qkv, or MLA's projections); ``all-linear`` = every linear layer but the output head (PEFT's rule:
    MLP, experts and routers included)."""
    if targets not in LORA_TARGETS:
        raise ValueError(targets)
    linear = [t for t in tensors if is_linear(t)]
    if targets == "attention":
        return [t for t in linear if t["group"] == "attention"]
    return linear


def lora_adapter_params(tensors, targets: str, rank: int) -> int:
    """Exact LoRA adapter parameters: Σ r·(d_in + d_out)·count over the targeted linear layers
    (A is r×d_in, B is d_out×r)."""
    return sum(rank * (t["shape"][0] + t["shape"][1]) * t["count"] for t in lora_target_tensors(tensors, targets))


def lora_adapter_shapes(tensors, targets: str, rank: int) -> list:
    """The adapter matrices as (shape, count) pairs: A = [r, d_in], B = [d_out, r] per target."""
    out = []
    for t in lora_target_tensors(tensors, targets):
        d_out, d_in = t["shape"]
        out.append(([rank, d_in], t["count"]))
        out.append(([d_out, rank], t["count"]))
    return out


def _numel(shape) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def optimizer_state_bytes(optimizer: str, shapes) -> float:
    """Optimizer-state bytes for trainable tensors given as (shape, count) pairs.

    adamw: fp32 m and v, 8 B/param. adamw-8bit: two 8-bit states + an fp32 absmax per 2,048
    values per state (tensors under 4,096 elements stay 32-bit, 8 B/param). adafactor (no
    momentum): a matrix keeps fp32 row + column factors, 4·(rows + cols) bytes; a vector a full
    fp32 second moment. sgd (no momentum): nothing.
    """
    total = 0.0
    for shape, count in shapes:
        n = _numel(shape)
        if optimizer == "adamw":
            per = 8.0 * n
        elif optimizer == "adamw-8bit":
            per = 8.0 * n if n < ADAM8_MIN_SIZE else 2.0 * n + 2 * 4.0 * math.ceil(n / ADAM8_BLOCK)
        elif optimizer == "adafactor":
            per = 4.0 * (shape[0] + _numel(shape[1:])) if len(shape) >= 2 else 4.0 * n
        elif optimizer == "sgd":
            per = 0.0
        else:
            raise ValueError(optimizer)
        total += per * count
    return total


def precision_bytes(precision: str) -> dict:
    """Bytes per trainable parameter for weights, gradients and the fp32 master copy, and per activation.

    bf16-/fp16-mixed (ZeRO §3.1 accounting): 16-bit weights and gradients + fp32 master weights;
    bf16 (pure, e.g. torchtune's default): 16-bit weights and gradients, no master; fp32: 4 + 4, no master.
    """
    if precision in ("bf16-mixed", "fp16-mixed"):
        return {"weight": 2, "grad": 2, "master": 4, "activation": 2}
    if precision == "bf16":
        return {"weight": 2, "grad": 2, "master": 0, "activation": 2}
    if precision == "fp32":
        return {"weight": 4, "grad": 4, "master": 0, "activation": 4}
    raise ValueError(precision)


def frozen_weight_bytes(tensors, method: str, precision: str) -> float:
    """Bytes of the weights that are not trained: none for full fine-tuning; the whole base model at the
    compute precision for LoRA; for QLoRA every linear layer in NF4 (4.127 bits) and the rest
    (embeddings, output head, norms) at 16 bits (32 with fp32)."""
    if method == "full":
        return 0.0
    wb = precision_bytes(precision)["weight"]
    if method == "lora":
        return float(sum(t["params"] for t in tensors) * wb)
    if method == "qlora":
        quantised = sum(t["params"] for t in tensors if is_linear(t))
        rest = sum(t["params"] for t in tensors) - quantised
        return quantised * nf4_bits_per_weight() / 8 + rest * wb
    raise ValueError(method)


def activation_bytes_per_token_layer(
    d_model: int,
    q_dim: int,
    kv_dim: int,
    n_heads: int,
    mlp_width: float,
    gated: bool,
    act_bytes: int,
    fused_attention: bool,
    seq_length: int,
) -> float:
    """Bytes autograd keeps per token for one decoder layer (no checkpointing, no dropout).

    Saved tensors, e = bytes per activation element:
    two RMSNorms, each its fp32 input (4·h) and its e-byte normalised output (e·h) → 2·(4 + e)·h;
    the attention input and the MLP input, e·h each; q, k, v after RoPE, e·(q + 2·kv); the attention
    output (o_proj input), e·q; the fused kernel's log-sum-exp, 4 bytes per head; the MLP
    intermediates — gated: gate, up, SiLU(gate), their product = 4·e·f; plain: fc1 output and its
    activation = 2·e·f. Materialised attention (no fused kernel) also keeps the scores for every
    head: the fp32 softmax output and its e-byte copy, (4 + e)·n_heads·seq per token.
    """
    e = act_bytes
    per: float = 2 * (4 + e) * d_model + 2 * e * d_model + e * (q_dim + 2 * kv_dim) + e * q_dim
    per += (4 if gated else 2) * e * mlp_width
    if fused_attention:
        per += 4 * n_heads
    else:
        per += (4 + e) * n_heads * seq_length
    return float(per)


def logits_bytes_per_token(vocab_size: int, act_bytes: int, chunked_loss: bool) -> float:
    """Bytes of the output logits per token at the loss: the e-byte logits, their fp32 upcast, the saved
    fp32 log-softmax and its fp32 gradient (e + 12 bytes per vocabulary entry); a chunked loss
    (torchtune, 8 chunks) holds the e-byte logits and one chunk in fp32 at a time."""
    fp32_part = 12.0 / LOSS_CHUNKS if chunked_loss else 12.0
    return vocab_size * (act_bytes + fp32_part)


def activation_bytes(
    *,
    n_layers: int,
    d_model: int,
    per_layer_token: float,
    logits_per_token: float,
    tokens: int,
    checkpointing: bool,
    act_bytes: int,
) -> dict:
    """Activation bytes for ``tokens`` = micro_batch × seq_length tokens on one GPU.

    Without checkpointing every layer keeps its saved tensors: n_layers·per_layer. With (per-layer)
    gradient checkpointing each layer keeps only its input (e·h per token) and one layer's tensors are
    recomputed at a time during the backward pass: n_layers·e·h + per_layer. The logits at the loss
    come on top either way.
    """
    if checkpointing:
        layers = n_layers * act_bytes * d_model * tokens + per_layer_token * tokens
    else:
        layers = n_layers * per_layer_token * tokens
    logits = logits_per_token * tokens
    return {"layers": float(layers), "logits": float(logits), "total": float(layers + logits)}


def zero_split(stage: str, n_gpus: int) -> dict:
    """Divisors per component under ZeRO (data parallel over ``n_gpus``): stage 1 shards optimizer states
    (and the master weights), 2 also gradients, 3 / FSDP full shard also the weights. Activations are
    never sharded (each GPU runs its own micro-batch)."""
    if stage not in ZERO_STAGES:
        raise ValueError(stage)
    level = 3 if stage == "fsdp" else int(stage)
    n = n_gpus
    return {
        "optimizer": n if level >= 1 else 1,
        "master": n if level >= 1 else 1,
        "gradients": n if level >= 2 else 1,
        "weights": n if level >= 3 else 1,
    }


def training_flops_per_token(
    matmul_params: float, method: str, checkpointing: bool, n_layers_attn: float, seq_length: int, q_dim: int
) -> dict:
    """Training FLOPs per token.

    Matmuls: forward 2·N; backward 4·N when the weights are trained (gradients for activations and
    for weights), 2·N when they are frozen (LoRA, QLoRA: activation gradients only; the adapters are
    negligible) → 6·N full, 4·N LoRA; full checkpointing recomputes the forward, +2·N (8·N, 6·N).
    Attention (causal, averaged over positions): forward 2·seq·q_dim per layer; backward twice that;
    recompute once more with checkpointing.
    """
    k = 6.0 if method == "full" else 4.0
    if checkpointing:
        k += 2.0
    attn_fwd = 2.0 * seq_length * q_dim * n_layers_attn
    attn = attn_fwd * (4.0 if checkpointing else 3.0)
    return {"matmul": k * matmul_params, "attention": attn, "total": k * matmul_params + attn, "multiplier": k}
