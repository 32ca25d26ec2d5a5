"""Exact parameter, KV-cache and weight-size arithmetic for transformer tensors.

Pure functions on integers (sizes come validated from the config reader). Each
returns ``None`` outside its domain instead of raising. Evidence status: exact
accounting — the counts are the element counts of the tensors the reference
implementations allocate, checked against published totals in the tests.
"""

from __future__ import annotations


def _ints(*values) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values)


def linear_params(d_in: int, d_out: int, bias: bool = False) -> int | None:
    """Parameters of one dense projection: P = d_in·d_out + (d_out if bias).

    Units: params (elements); d_in, d_out in dims. Domain: integers ≥ 0, else None.
    Reference: torch.nn.Linear. Status: exact.
    """
    if not _ints(d_in, d_out):
        return None
    return d_in * d_out + (d_out if bias else 0)


def norm_params(dim: int, bias: bool = False) -> int | None:
    """Parameters of one normalisation layer: P = dim (RMSNorm scale) + dim (LayerNorm bias).

    Units: params; dim in dims. Domain: integer ≥ 0, else None. Status: exact.
    """
    if not _ints(dim):
        return None
    return dim * (2 if bias else 1)


def mlp_params(d_model: int, d_ff: int, gated: bool, bias: bool = False) -> int | None:
    """Parameters of one feed-forward block.

    Gated (SwiGLU/GeGLU: gate, up, down): P = 3·d·d_ff (+ 2·d_ff + d with biases).
    Plain (up, down): P = 2·d·d_ff (+ d_ff + d with biases).
    Units: params; d_model, d_ff in dims. Domain: integers ≥ 0, else None. Status: exact.
    """
    if not _ints(d_model, d_ff):
        return None
    if gated:
        return 3 * d_model * d_ff + ((2 * d_ff + d_model) if bias else 0)
    return 2 * d_model * d_ff + ((d_ff + d_model) if bias else 0)


def kv_elements_per_token_gqa(n_kv_heads: int, head_dim: int, v_head_dim: int | None = None) -> int | None:
    """KV-cache elements one layer stores per token with (grouped-query) attention.

    E = n_kv·(d_k + d_v), = 2·n_kv·d_head when d_v = d_k (§19.1: the 2 is K and V).
    Units: elements; head dims in dims. Domain: integers ≥ 0, else None. Status: exact.
    """
    v = head_dim if v_head_dim is None else v_head_dim
    if not _ints(n_kv_heads, head_dim, v):
        return None
    return n_kv_heads * (head_dim + v)


def kv_elements_per_token_mla(kv_lora_rank: int, qk_rope_head_dim: int) -> int | None:
    """KV-cache elements one MLA layer stores per token (DeepSeek-V2 §2.1.2).

    E = d_c + d_h^R: the compressed latent c_KV (kv_lora_rank) plus the decoupled RoPE key
    (qk_rope_head_dim), shared by all heads. Units: elements. Domain: integers ≥ 0, else
    None. Status: exact for engines that cache the latent (vLLM, SGLang, DeepSeek's own).
    """
    if not _ints(kv_lora_rank, qk_rope_head_dim):
        return None
    return kv_lora_rank + qk_rope_head_dim


def kv_compressed_elements_per_token(compressed_elements: int, compress_ratio: int | None) -> int | float | None:
    """KV elements per token of a compressed cache (DeepSeek-V4 CSA / HCA layers): one entry of e elements
    per m tokens, E = e / m (an int when m divides e).

    Units: elements. Domain: e ≥ 0 integer, m ≥ 1 integer or None (no compression: 0); else None.
    Reference: DeepSeek-V4 (transformers DeepseekV4HCACache / DeepseekV4CSACache; vLLM MLAAttentionSpec
    with compress_ratio). Status: exact as a rate; at a context of T tokens the cache holds ⌊T/m⌋ entries.
    """
    if compress_ratio is None:
        return 0
    if not _ints(compressed_elements, compress_ratio) or compress_ratio < 1:
        return None
    whole, rest = divmod(compressed_elements, compress_ratio)
    return whole if rest == 0 else compressed_elements / compress_ratio


def kv_compressed_entries(compress_ratio: int | None, seq_len: int) -> int | None:
    """Compressed entries one layer holds at ``seq_len`` tokens: ⌊T/m⌋ (only complete windows are compressed).

    Units: entries. Domain: T ≥ 0, m ≥ 1 or None (0 entries); else None. Status: exact.
    """
    if compress_ratio is None:
        return 0
    if not _ints(seq_len, compress_ratio) or compress_ratio < 1:
        return None
    return seq_len // compress_ratio


def kv_bytes(elements: int, bytes_per_element: float) -> int | float | None:
    """Bytes for ``elements`` cache elements at ``bytes_per_element`` (2 = bf16).

    bytes = E·B. Units: bytes. Domain: E ≥ 0 integer, B > 0; else None. Integral results
    are returned as int so byte counts stay exact. Status: exact.
    """
    if not _ints(elements) or isinstance(bytes_per_element, bool) or not isinstance(bytes_per_element, (int, float)):
        return None
    if not bytes_per_element > 0:
        return None
    return exact_product(elements, bytes_per_element)


def kv_tokens_held(window: int | None, seq_len: int) -> int | None:
    """Tokens one layer keeps in its cache at sequence length ``seq_len``.

    held = min(seq, W) for a sliding-window layer of width W, = seq for a global layer.
    Units: tokens. Domain: seq ≥ 0, W ≥ 1 or None; else None. Status: exact (ring-buffer caches).
    """
    if not _ints(seq_len) or (window is not None and (not _ints(window) or window < 1)):
        return None
    return seq_len if window is None else min(seq_len, window)


def weight_bytes(n_params: int, bits: float) -> float | None:
    """Bytes of the weights at ``bits`` per parameter: bytes = N·b/8.

    Units: bytes; N in params, b in bits. Domain: N ≥ 0 integer, b > 0; else None.
    Excludes quantization scales/zero-points (≈ 0.25–0.5 extra bit per weight for 4-bit
    group formats). Status: exact for the payload.
    """
    if not _ints(n_params) or isinstance(bits, bool) or not isinstance(bits, (int, float)) or not bits > 0:
        return None
    return exact_product(n_params, bits, 8)


def exact_product(n: int, factor: float, divisor: int = 1) -> int | float:
    """n·factor/divisor, as an exact int when the result is integral (no float rounding on big n)."""
    if float(factor).is_integer():
        whole = n * int(factor)
        return whole // divisor if whole % divisor == 0 else whole / divisor
    return as_int_if_integral(n * factor / divisor)


def as_int_if_integral(x: float | int) -> int | float:
    """An integral float becomes an int (exact byte counts); anything else unchanged."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 2**63:
        return int(x)
    return x
