"""Roofline speed of LLM serving: prefill (time to first token), decode per step, the knee batch,
tensor-parallel communication, cost per million tokens (S-2, X-5).

A step takes max(bytes / (bandwidth · η_bw), FLOPs / (peak · η_flops)) — the roofline (Williams,
Waterman & Patterson 2009, CACM 52(4)) — plus, with tensor parallelism, the all-reduces. η are
the achieved shares of peak (efficiency factors, named parameters of the recipes, defaults from
published measurements: ``taf.data.measurements_speed``).

Arithmetic: FLOPs and bytes per step from the tensor inventory (exact counts). Estimates: the
times (they rest on the efficiency factors) and the MoE expected-experts formula (uniform routing).

- FLOPs of a matmul with N weights on T tokens: 2·N·T (one multiply-add per weight and token).
- Causal attention over a prompt of P tokens, per layer: QKᵀ and PV each 2·q_dim FLOPs per
  (query, key) pair, Σ_{i=1..P} min(i, W) pairs (W = window; W = P for a full layer).
- Decode step: every weight a token touches is read once per step whatever the batch (that is
  what batching buys); the KV cache of every sequence is read once.
- MoE: with E experts, k per token and B tokens routed independently and uniformly, the expected
  number of distinct experts a layer reads is E·(1 − (1 − k/E)^B).
- Ring all-reduce of M bytes over n GPUs: each GPU sends and receives 2·(n−1)/n·M bytes
  (Patarasuk & Yuan 2009); tensor parallelism needs two all-reduces per layer (after attention
  and after the MLP), Shoeybi et al. 2019 (Megatron-LM) §3.
"""

from __future__ import annotations


def causal_pairs(prompt_tokens: int, window: int | None = None) -> int:
    """(query, key) pairs of causal attention over ``prompt_tokens``: Σ_{i=1..P} min(i, W)."""
    p = prompt_tokens
    w = p if window is None or window >= p else window
    return w * (w + 1) // 2 + (p - w) * w


def window_counts(windows: list) -> dict:
    """Layers per attention window ({None: full layers, W: layers sliding over W tokens})."""
    counts: dict = {}
    for w in windows:
        counts[w] = counts.get(w, 0) + 1
    return counts


def prefill_flops(matmul_params: float, prompt_tokens: int, q_dim: int, windows: dict) -> dict:
    """FLOPs to prefill one prompt: 2·N·P (matmuls) + 4·q_dim·Σ_layers pairs (QKᵀ and PV).
    ``windows``: layers per window, as :func:`window_counts` gives them."""
    matmul = 2.0 * matmul_params * prompt_tokens
    attention = 4.0 * q_dim * sum(n * causal_pairs(prompt_tokens, w) for w, n in windows.items())
    return {"matmul": matmul, "attention": attention, "total": matmul + attention}


def decode_flops_per_token(matmul_params: float, context: int, q_dim: int, windows: dict) -> float:
    """FLOPs of one decode step for one sequence: 2·N + 4·q_dim·Σ_layers keys held (``windows`` as
    :func:`window_counts` gives them)."""
    keys = sum(n * (context if w is None else min(context, w)) for w, n in windows.items())
    return 2.0 * matmul_params + 4.0 * q_dim * keys


def expected_experts_touched(n_experts: int, top_k: int, batch: int) -> float:
    """Expected distinct experts one MoE layer reads for ``batch`` tokens: E·(1 − (1 − k/E)^B)."""
    return n_experts * (1.0 - (1.0 - top_k / n_experts) ** batch)


def step_time(
    bytes_read: float, flops: float, bandwidth: float, peak_flops: float, eff_bandwidth: float, eff_flops: float
) -> dict:
    """Roofline time of one step: the slower of the memory and the compute time; ``bound`` names it."""
    t_mem = bytes_read / (bandwidth * eff_bandwidth)
    t_cmp = flops / (peak_flops * eff_flops)
    return {
        "memory_s": t_mem,
        "compute_s": t_cmp,
        "time_s": max(t_mem, t_cmp),
        "bound": "compute" if t_cmp > t_mem else "memory",
    }


def allreduce_time(message_bytes: float, n_gpus: int, link_bytes_per_s: float, latency_s: float) -> float:
    """Ring all-reduce of ``message_bytes``: 2·(n−1)/n·M / link bandwidth + a fixed latency (0 for n = 1)."""
    if n_gpus <= 1:
        return 0.0
    return 2.0 * (n_gpus - 1) / n_gpus * message_bytes / link_bytes_per_s + latency_s


def usd_per_million_tokens(usd_per_hour_total: float, tokens_per_s: float) -> float | None:
    """USD per 10⁶ tokens at ``tokens_per_s`` on hardware costing ``usd_per_hour_total``; None at 0 tok/s."""
    if tokens_per_s <= 0:
        return None
    return usd_per_hour_total / (tokens_per_s * 3600.0) * 1e6
