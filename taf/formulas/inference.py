"""§19 Inference memory and throughput."""

from __future__ import annotations


def kv_cache_bytes(
    n_layers: int, n_kv_heads: int, d_head: int, seq_len: float, bytes_per_element: float = 2.0, batch: int = 1
) -> float:
    """§19.1 KV-cache size for ``batch`` sequences of ``seq_len`` tokens.

    bytes = 2 · L · n_kv · d_head · seq · B · batch   (the 2 is one K and one V tensor)

    Units: bytes; seq in tokens; B in bytes per element (2 for bf16). Domain: all
    inputs ≥ 0. Evidence: exact accounting (validated) for standard MHA/GQA caches.
    """
    return 2 * n_layers * n_kv_heads * d_head * seq_len * bytes_per_element * batch


def bytes_breakdown(n_bytes: float) -> dict:
    """The same size in bytes, MB (10^6) and GB (10^9)."""
    return {"bytes": n_bytes, "MB": n_bytes / 1e6, "GB": n_bytes / 1e9}


#: bytes per weight of common formats (BF16/FP16 = 2, INT8/FP8 = 1, INT4 = 0.5)
BYTES_BF16 = 2.0
BYTES_INT8 = 1.0
BYTES_INT4 = 0.5


def model_weights_bytes(n_params: float, bytes_per_weight: float = BYTES_BF16) -> float | None:
    """§19 Inference memory of the model weights alone: bytes = N · B.

    Units: bytes; N in parameters; B in bytes per weight (2 = BF16, 1 = INT8,
    0.5 = INT4). Domain: N ≥ 0, B > 0; ``None`` outside it. KV cache, activations
    and runtime overhead are not included. TAF Agent module: ``model_weights_memory``.
    Evidence: exact accounting (validated).
    """
    if n_params < 0 or bytes_per_weight <= 0:
        return None
    return n_params * bytes_per_weight


def model_weights_gb(n_params: float, bytes_per_weight: float = BYTES_BF16) -> float | None:
    """§19 Weights memory in GB (10^9 bytes): GB = N · B / 10^9.

    Same domain and evidence as :func:`model_weights_bytes`; ``None`` outside it.
    """
    n_bytes = model_weights_bytes(n_params, bytes_per_weight)
    return None if n_bytes is None else n_bytes / 1e9


def decode_tokens_per_second(bandwidth_gb_s: float, model_gb: float) -> float | None:
    """§19.7 Memory-bound decode throughput of one stream: tok/s = bandwidth / model bytes.

    Every generated token reads all the weights once, so at batch 1 the speed is
    memory bandwidth (GB/s) divided by the weights' size (GB). Units: tokens per
    second. Domain: bandwidth ≥ 0, model_gb > 0; ``None`` otherwise. Ignores KV-cache
    reads, compute limits and batching (which multiplies throughput). TAF Agent module:
    ``inference_decode_throughput``. Evidence: heuristic upper bound for batch-1
    decode (roofline).
    """
    if model_gb <= 0 or bandwidth_gb_s < 0:
        return None
    return bandwidth_gb_s / model_gb
