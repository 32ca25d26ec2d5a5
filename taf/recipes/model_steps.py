"""Chain steps that read the model's architecture record when the model came from a preset or a config.

A recipe run on a catalog model, a preset or a pasted config.json gets ``p.model_record`` (a
:class:`~taf.model.record.ModelRecord`); run on explicit scalar parameters it gets None and
these steps use the TAF framework's formulas on those parameters, with the TAF framework's numbers.

* :func:`kv_cache_step` — KV cache at a context: the TAF framework's 2·L·n_kv·d_head·seq·B when every layer
  is a full-attention layer of that size (the record gives the same bytes), else the per-layer
  sum (a sliding-window layer holds at most its window, MLA its latent, a state-space layer a
  fixed state);
* :func:`decode_weights_gb` — the weights one decoded token reads: the active parameters of a
  mixture-of-experts model, all of them for a dense one.
"""

from __future__ import annotations

from ..formulas.inference import bytes_breakdown, kv_cache_bytes

SCALAR_KV_FORMULA = "bytes = 2·L·n_kv·d_head·seq·B"
LAYER_KV_FORMULA = (
    "bytes = B · Σ_layers E_layer · held_layer(seq) (+ fixed state); held = min(seq, window) on "
    "sliding-window layers, seq on full and MLA layers"
)


def record_of(p):
    """The architecture record attached to the resolved parameters, or None."""
    return getattr(p, "model_record", None)


def uniform_full_attention(record, n_layers: int, n_kv_heads: int, d_head: int) -> bool:
    """True when every layer is full attention caching 2·n_kv·d_head elements per token (scalar formula exact)."""
    per_layer = 2 * n_kv_heads * d_head
    return len(record.layers) == n_layers and all(
        layer.kind == "full" and layer.kv_elements_per_token == per_layer for layer in record.layers
    )


def kv_cache_step(
    chain,
    p,
    *,
    section: str,
    name: str,
    seq: int,
    bytes_per_element: float,
    text,
    seq_name: str = "seq_len",
    kv_name: str = "bytes_per_element",
    scalar_formula: str = SCALAR_KV_FORMULA,
    unit: str | None = None,
    status: str | None = "validated",
) -> float:
    """Append the KV-cache step and return its bytes. ``text(kv_bytes) -> str`` writes the interpretation.

    ``unit``: None keeps the TAF framework's result layout ({bytes, MB, GB}); "GB" reports GB with the bytes in
    the breakdown (as X-5 does).
    """
    record = record_of(p)
    if record is None or uniform_full_attention(record, p.n_layers, p.n_kv_heads, p.d_head):
        kv = kv_cache_bytes(p.n_layers, p.n_kv_heads, p.d_head, seq, bytes_per_element)
        inputs = {
            "n_layers": p.n_layers,
            "n_kv_heads": p.n_kv_heads,
            "d_head": p.d_head,
            seq_name: seq,
            kv_name: bytes_per_element,
        }
        formula = scalar_formula
        breakdown = None
        extra = ""
    else:
        kv = float(record.kv_bytes(seq, bytes_per_element))
        full_equivalent = kv_cache_bytes(p.n_layers, p.n_kv_heads, p.d_head, seq, bytes_per_element)
        counts = record.layer_counts()
        inputs = {"model": record.id or record.label, "layers": counts, seq_name: seq, kv_name: bytes_per_element}
        formula = LAYER_KV_FORMULA
        breakdown = {
            "layers": counts,
            "tokens_held_layer_sum": record.kv_tokens_held(seq),
            "kv_elements_per_token": record.kv_elements_per_token(),
            "state_bytes": record.state_bytes(bytes_per_element),
            "every_layer_all_tokens_bytes": full_equivalent,
        }
        extra = _layout_note(record, seq, kv, full_equivalent)
    result: float | dict
    if unit == "GB":
        result = kv / 1e9
        breakdown = dict(bytes_breakdown(kv), **(breakdown or {}))
    else:
        result = bytes_breakdown(kv)
    chain.step(section, name, formula, inputs, result, text(kv) + extra, unit=unit, breakdown=breakdown, status=status)
    return kv


def _layout_note(record, seq: int, kv: float, full_equivalent: float) -> str:
    parts = []
    windows = sorted({layer.window for layer in record.layers if layer.window})
    n_windowed = sum(1 for layer in record.layers if layer.window)
    if n_windowed:
        parts.append(
            f"{n_windowed} of {len(record.layers)} layers slide (window "
            f"{', '.join(f'{w:,}' for w in windows)} tokens) and hold at most their window"
        )
    n_mla = sum(1 for layer in record.layers if layer.kind == "mla")
    if n_mla:
        parts.append(f"{n_mla} MLA layers cache a {record.layers[0].kv_elements_per_token}-element latent per token")
    n_state = sum(1 for layer in record.layers if layer.kind in ("ssm", "linear"))
    if n_state:
        parts.append(f"{n_state} state-space / linear-attention layers keep a fixed state and no KV cache")
    text = "; ".join(parts)
    if full_equivalent != kv:
        text += f" — 2·L·n_kv·d_head·seq·B, every layer holding every token, would give {full_equivalent / 1e9:,.2f} GB"
    return f" ({text})" if text else ""


def decode_weights_gb(p, weights_gb: float, bytes_per_weight: float) -> tuple[float, bool]:
    """GB of weights one decoded token reads, and whether that is the MoE active subset."""
    record = record_of(p)
    if record is None or not record.is_moe or record.active_params >= record.total_params:
        return weights_gb, False
    return record.active_params * bytes_per_weight / 1e9, True
