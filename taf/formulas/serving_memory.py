"""Serving memory per GPU: weights, KV cache, activation / compute buffer and runtime overhead, per engine.

What is exact and what is estimated:

- exact (arithmetic on the architecture): the weight bytes of each tensor in its format
  (:mod:`taf.formulas.weight_formats`), the KV cache of each layer kind at a context and dtype,
  and how tensor parallelism splits them;
- engine estimates (stated assumptions, checked against published start-up logs in
  :mod:`taf.data.measurements_serving`): the activation peak vLLM profiles, llama.cpp's compute
  buffer, the CUDA context and driver reserve, CUDA-graph memory.

The engines (each its own memory model, from its source):

- **vLLM** (``vllm/v1/worker/gpu_worker.py`` ``determine_available_memory``; defaults in
  ``vllm/engine/arg_utils.py`` ``EngineArgs.get_batch_defaults``): it may use
  ``gpu_memory_utilization`` × the GPU's memory (default 0.9); it loads the weights, runs a dummy
  forward pass of ``max_num_batched_tokens`` tokens (default 8,192 on GPUs with ≥ 70 GiB that are
  not A100s, else 2,048 for ``vllm serve``) and a dummy sampler pass over ``max_num_seqs`` rows
  (1,024 / 256), and gives everything left to a paged KV pool in blocks of 16 tokens. CUDA graphs
  are captured afterwards, in the remaining 1 − utilisation.
- **SGLang** (``python/sglang/srt/server_args.py``, ``model_runner.py`` ``profile_max_num_token``):
  the KV pool gets ``mem_fraction_static`` × memory minus the weights (default 0.88 at TP 1, 0.87 at
  TP 2, 0.85 at TP 4, 0.81 at TP 8, 0.79 at TP 16 — the TP-based rule of ``ServerArgs.__post_init__``;
  newer releases size it from the GPU's memory); activations (a ``chunked_prefill_size`` of 2,048
  tokens under 25,000 MiB, else 8,192) and CUDA graphs live in the rest.
- **llama.cpp** (``llama-server``): the token embedding always stays in host memory (the CPU
  buffer of ``load_tensors``); the KV cache is allocated for the whole ``-c`` context at start-up
  (``-np`` slots share it); a compute buffer sized for ``-ub`` (512) tokens; ``-ngl`` layers on the
  GPU, the rest (and their KV) in system memory. Flash attention on (``-fa on``), so the attention
  scores are not materialised.
- **transformers** (``generate``): no pre-allocation; weights, then the KV cache grows with the
  tokens; the peak is the prefill of the whole prompt batch at once.
"""

from __future__ import annotations

GiB = 2**30
MiB = 2**20

ENGINES = ("vllm", "sglang", "llama.cpp", "transformers")

#: bytes per KV element by cache dtype (q8_0 / q4_0: llama.cpp blocks of 32 with an fp16 scale)
KV_DTYPE_BYTES = {"bf16": 2, "fp16": 2, "fp32": 4, "fp8": 1, "q8_0": 34 / 32, "q4_0": 18 / 32}
KV_DTYPES = tuple(KV_DTYPE_BYTES)
#: which KV dtypes each engine offers (vLLM/SGLang: --kv-cache-dtype fp8; llama.cpp: --cache-type-k/v)
ENGINE_KV_DTYPES = {
    "vllm": ("bf16", "fp16", "fp32", "fp8"),
    "sglang": ("bf16", "fp16", "fp32", "fp8"),
    "llama.cpp": ("bf16", "fp16", "fp32", "q8_0", "q4_0"),
    "transformers": ("bf16", "fp16", "fp32"),
}

# ── assumptions (estimates; each stated in the chain) ────────────────────────────────────
#: share of a discrete GPU's memory the driver keeps out of reach (observed: an 80 GiB H100 shows
#: ≈ 79.1–79.2 GiB to CUDA in vLLM start-up logs)
DRIVER_RESERVE_SHARE = 0.01
#: CUDA context, cuBLAS/NCCL workspaces and other memory outside PyTorch's allocator, per GPU
CUDA_CONTEXT_BYTES = int(0.4 * GiB)
#: extra communication buffers per GPU under tensor parallelism (NCCL, custom all-reduce)
TP_COMM_BYTES = int(0.25 * GiB)
#: vLLM's CUDA-graph capture (piecewise graphs for the default capture sizes), per GPU
VLLM_CUDA_GRAPH_BYTES = int(0.5 * GiB)
VLLM_BLOCK_TOKENS = 16
VLLM_GPU_MEMORY_UTILIZATION = 0.9
#: SGLang's default mem_fraction_static by tensor-parallel size (server_args.py, TP-based rule)
SGLANG_MEM_FRACTION = ((16, 0.79), (8, 0.81), (4, 0.85), (2, 0.87), (1, 0.88))
LLAMA_CPP_UBATCH = 512
LLAMA_CPP_CTX_PAD = 256
ACTIVATION_BYTES = 2  # bf16 activations
LOGIT_BYTES = 4  # fp32 logits in the samplers


def sglang_mem_fraction(tp: int) -> float:
    for min_tp, fraction in SGLANG_MEM_FRACTION:
        if tp >= min_tp:
            return fraction
    return SGLANG_MEM_FRACTION[-1][1]


def sglang_chunked_prefill_size(memory_bytes: int) -> int:
    """SGLang's default chunked_prefill_size: 2,048 tokens on GPUs under 25,000 MiB, else 8,192 (server_args.py)."""
    return 2048 if memory_bytes < 25_000 * MiB else 8192


def vllm_batch_defaults(memory_bytes: int, label: str) -> tuple[int, int]:
    """(max_num_batched_tokens, max_num_seqs) that ``vllm serve`` picks for this GPU."""
    if memory_bytes >= 70 * GiB and "a100" not in label.lower():
        return 8192, 1024
    return 2048, 256


def visible_memory_bytes(usable_bytes: int, apple: bool) -> int:
    """Memory an engine sees: the usable memory minus the driver reserve (none on Apple's unified memory,
    whose Metal limit is already the usable share)."""
    return usable_bytes if apple else int(usable_bytes * (1 - DRIVER_RESERVE_SHARE))


def pad_up(n: int, multiple: int) -> int:
    return -(-n // multiple) * multiple


# ── tensor parallelism ──────────────────────────────────────────────────────────────────
#: groups split across tensor-parallel GPUs (vocab-parallel embedding and LM head included)
TP_SPLIT_GROUPS = ("embedding", "output", "attention", "mlp", "experts", "shared_experts", "ssm", "other")


def tp_weight_bytes_per_gpu(plan_by_group: dict, tp: int) -> tuple[int, int]:
    """(bytes per GPU, replicated bytes) under tensor parallelism: matrices split, norms/routers/positions copied."""
    split = sum(v for g, v in plan_by_group.items() if g in TP_SPLIT_GROUPS)
    replicated = sum(v for g, v in plan_by_group.items() if g not in TP_SPLIT_GROUPS)
    return -(-split // tp) + replicated, replicated


def kv_heads_per_gpu(n_kv_heads: int, tp: int) -> int:
    """KV heads each GPU stores: n_kv/tp, or one replicated head when tp > n_kv (vLLM, SGLang)."""
    return max(1, n_kv_heads // tp)


def kv_tp_factor(kind: str, n_kv_heads: int, tp: int) -> float:
    """Share of one layer's KV a GPU holds: MLA latents are replicated on every GPU; GQA heads split."""
    if kind == "mla":
        return 1.0
    return kv_heads_per_gpu(n_kv_heads, tp) / n_kv_heads


# ── activations / compute buffers (estimates) ──────────────────────────────────────────
def forward_activation_bytes(tokens: int, d_model: int, ff_per_token: int) -> int:
    """Live activations of one forward pass over ``tokens`` tokens, at the MLP (its widest point):
    residual + normed hidden (2·d) + gate/up output and activation (ff_per_token) per token, bf16."""
    return tokens * ACTIVATION_BYTES * (2 * d_model + ff_per_token)


def mlp_width_per_gpu(record, tp: int, width: int | None = None) -> int:
    """Activation elements per token inside the MLP on one GPU: 3·ff for a gated MLP (gate+up output,
    then the product), for MoE top_k routed experts (+ shared ones) — from the tensor shapes."""
    if width is not None:  # the one-GPU width, already computed by the caller
        return -(-width // tp)
    widths = {"mlp": 0, "experts": 0, "shared_experts": 0}
    for t in record.tensors:
        g = t["group"]
        if g in widths and t["name"].endswith("weight") and len(t["shape"]) == 2:
            out_dim = max(t["shape"]) if g == "mlp" else t["shape"][0]
            if any(k in t["name"] for k in ("down_proj", ".w2.", "c_proj", "fc2", "dense_4h_to_h")):
                continue
            widths[g] = max(widths[g], out_dim)
    ff_dense = widths["mlp"]
    one_gpu_width = 3 * ff_dense if ff_dense else 0
    if record.moe:
        top_k = record.moe["top_k"]
        one_gpu_width = max(one_gpu_width, 3 * widths["experts"] * top_k + 3 * widths["shared_experts"])
    if not one_gpu_width:
        one_gpu_width = 3 * 4 * record.hidden_size
    return -(-one_gpu_width // tp)


def vllm_activation_bytes(
    record, tp: int, max_num_batched_tokens: int, max_num_seqs: int, width: int | None = None
) -> dict:
    """vLLM's profiled activation peak: the larger of the dummy forward pass (``max_num_batched_tokens``
    tokens) and the dummy sampler pass (``max_num_seqs`` rows of fp32 logits and probabilities over the
    whole vocabulary, with the forward pass's hidden states still alive)."""
    forward = forward_activation_bytes(max_num_batched_tokens, record.hidden_size, mlp_width_per_gpu(record, tp, width))
    rows = min(max_num_seqs, max_num_batched_tokens)
    sampler = (
        max_num_batched_tokens * record.hidden_size * ACTIVATION_BYTES + 2 * rows * record.vocab_size * LOGIT_BYTES
    )
    return {"forward_bytes": forward, "sampler_bytes": sampler, "peak_bytes": max(forward, sampler)}


def llama_cpp_compute_buffer_bytes(
    record, n_ubatch: int = LLAMA_CPP_UBATCH, flash_attention: bool = True, n_ctx: int = 0, width: int | None = None
) -> int:
    """llama.cpp's compute buffer on the GPU: the graph's largest live tensors for one micro-batch, f32 —
    the logits (n_ubatch × n_vocab), the FFN (2·n_ff) or, without flash attention, the attention scores
    (n_head × n_ctx), plus three n_embd-wide tensors."""
    widest = max(record.vocab_size, 2 * (mlp_width_per_gpu(record, 1, width) // 3))
    if not flash_attention:
        widest = max(widest, record.n_attention_heads * n_ctx)
    return n_ubatch * 4 * (widest + 3 * record.hidden_size)


def transformers_prefill_bytes(record, tokens: int, batch: int, width: int | None = None) -> int:
    """transformers' prefill peak: the whole prompt batch in one forward pass (bf16) plus the last
    position's fp32 logits per sequence."""
    return (
        forward_activation_bytes(tokens, record.hidden_size, mlp_width_per_gpu(record, 1, width))
        + batch * record.vocab_size * LOGIT_BYTES
    )
