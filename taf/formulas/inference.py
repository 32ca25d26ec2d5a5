"""§19 Inference memory and throughput."""
from __future__ import annotations


def kv_cache_bytes(n_layers: int, n_kv_heads: int, d_head: int, seq_len: float,
                   bytes_per_element: float = 2.0, batch: int = 1) -> float:
    """§19.1 KV-cache size for ``batch`` sequences of ``seq_len`` tokens.

    bytes = 2 · L · n_kv · d_head · seq · B · batch   (the 2 is one K and one V tensor)

    Units: bytes; seq in tokens; B in bytes per element (2 for bf16). Domain: all
    inputs ≥ 0. Evidence: exact accounting (validated) for standard MHA/GQA caches.
    """
    return 2 * n_layers * n_kv_heads * d_head * seq_len * bytes_per_element * batch


def bytes_breakdown(n_bytes: float) -> dict:
    """The same size in bytes, MB (10^6) and GB (10^9)."""
    return {"bytes": n_bytes, "MB": n_bytes / 1e6, "GB": n_bytes / 1e9}
