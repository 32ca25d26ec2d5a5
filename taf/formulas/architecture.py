"""Parameter counts of a small GPT-style transformer from its constants.

Two independent derivations of the same number (``floor_oracle``, reference ``floor-oracle``): a
closed form and a sum over tensor shapes. They must agree; a disagreement means the
law is wrong. The architecture is the floor_oracle gist's: learned token and position
embeddings, an output head tied to the token embedding, per layer four d×d
attention projections (q, k, v, o), a two-matrix MLP d → m·d → d without biases,
and two d-vectors of norm/bias terms; one final d-vector norm. Real configs
(GQA, gated MLPs, untied heads, biases) need the config.json counter (M-1).
"""

from __future__ import annotations

import math


def _valid(vocab_size, max_seq_len, d_model, n_layers, ffn_mult) -> bool:
    values = (vocab_size, max_seq_len, d_model, n_layers, ffn_mult)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return False
    return vocab_size >= 1 and max_seq_len >= 0 and d_model >= 1 and n_layers >= 0 and ffn_mult >= 1


def gpt_params_closed_form(
    vocab_size: int, max_seq_len: int, d_model: int, n_layers: int, ffn_mult: int = 4
) -> int | None:
    """N = (V + S + 1)·d + L·((4 + 2m)·d² + 2·d), exactly (parameters).

    V = vocab_size (tokens), S = max_seq_len (learned positions; 0 for none), d =
    d_model, L = n_layers, m = ffn_mult (d_ff = m·d). With m = 4 the per-layer term
    is 12·d² + 2·d, and V = 263, S = 512 give the floor_oracle gist's law 776·d + L·(12·d² + 2·d):
    d = 128, L = 2 → 493,056; d = 64, L = 2 → 148,224. Domain: integers V ≥ 1, S ≥ 0,
    d ≥ 1, L ≥ 0, m ≥ 1; ``None`` otherwise. Source: floor_oracle's ``params_closed``.
    Evidence: exact for the architecture described in this module.
    """
    if not _valid(vocab_size, max_seq_len, d_model, n_layers, ffn_mult):
        return None
    d = d_model
    return (vocab_size + max_seq_len + 1) * d + n_layers * ((4 + 2 * ffn_mult) * d * d + 2 * d)


def gpt_param_tensors(vocab_size: int, max_seq_len: int, d_model: int, n_layers: int, ffn_mult: int = 4) -> dict | None:
    """The tensor shapes of the architecture: ``{"model": [...], "per_layer": [...]}``.

    Each entry is ``(name, shape)``; ``model`` tensors occur once, ``per_layer`` ones
    n_layers times. Domain as :func:`gpt_params_closed_form`; ``None`` otherwise.
    """
    if not _valid(vocab_size, max_seq_len, d_model, n_layers, ffn_mult):
        return None
    d, d_ff = d_model, ffn_mult * d_model
    model: list[tuple[str, tuple[int, ...]]] = [("token_embedding (tied output head)", (vocab_size, d))]
    if max_seq_len:
        model.append(("position_embedding", (max_seq_len, d)))
    model.append(("final_norm", (d,)))
    per_layer = [
        ("attn.q", (d, d)),
        ("attn.k", (d, d)),
        ("attn.v", (d, d)),
        ("attn.o", (d, d)),
        ("mlp.up", (d, d_ff)),
        ("mlp.down", (d_ff, d)),
        ("norm_1", (d,)),
        ("norm_2", (d,)),
    ]
    return {"model": model, "per_layer": per_layer}


def gpt_params_tensor_sum(
    vocab_size: int, max_seq_len: int, d_model: int, n_layers: int, ffn_mult: int = 4
) -> int | None:
    """N = Σ over tensors of the product of the shape (parameters), independent of the closed form.

    Σ_model prod(shape) + n_layers · Σ_layer prod(shape), over :func:`gpt_param_tensors`.
    Domain as :func:`gpt_params_closed_form`; ``None`` otherwise. Source: floor_oracle
    ``params_tensor_sum``. Evidence: exact.
    """
    tensors = gpt_param_tensors(vocab_size, max_seq_len, d_model, n_layers, ffn_mult)
    if tensors is None:
        return None
    once = sum(math.prod(shape) for _, shape in tensors["model"])
    block = sum(math.prod(shape) for _, shape in tensors["per_layer"])
    return once + n_layers * block
