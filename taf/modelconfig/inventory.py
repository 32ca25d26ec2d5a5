"""Tensor inventories: the tensors a model allocates, tensor by tensor, for each family reader.

A reader takes a :class:`~taf.modelconfig.reader.Reader` on the config and the family's
rules row and returns a :class:`Model`: the architecture summary, the tensor list
(name, shape, how many copies, group), the KV-cache layout and the MoE layout. Totals
are sums over that list — nothing is estimated.

Tensor names follow the Hugging Face checkpoints (``model.layers.*.self_attn.q_proj.weight``);
shapes are (out, in) for ``nn.Linear`` and (in, out) for GPT-2's ``Conv1D``, as stored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from ..numeric import defined
from ..params import ParamError
from ..textfmt import format_bound
from . import counts
from .reader import LIMITS, MISSING, Reader, check_int, config_error

#: tensor groups, in display order; the first three are "embedding" parameters
GROUPS = (
    "embedding",
    "position",
    "output",
    "attention",
    "ssm",
    "mlp",
    "per_layer_input",
    "residual",
    "experts",
    "shared_experts",
    "router",
    "norm",
    "output_bias",
)
EMBEDDING_GROUPS = ("embedding", "position", "output")


@dataclass
class Model:
    family: dict
    model_type: str | None
    summary: dict = field(default_factory=dict)
    tensors: list = field(default_factory=list)
    #: KV-cache elements one layer stores per token (uniform across layers)
    kv_elements_per_layer: int = 0
    kv_kind: str = "gqa"  # gqa | mla | compressed (DeepSeek-V4: sliding window + compressed entries)
    kv_naive_elements_per_layer: int | None = None  # MLA: decompressed K/V per layer
    windows: list = field(default_factory=list)  # per layer: sliding window W or None, when the reader lays them out
    windows_note: str = ""
    #: attention layers grouped by K/V shape, when they differ (or V is narrower than K): for the M-1 KV step
    kv_groups: list = field(default_factory=list)
    pos: str = "rope"  # rope | learned | alibi
    theta_keys: tuple = ("rope_theta",)
    #: (θ, where) when the reader found θ in a nested object (DBRX: attn_config.rope_theta)
    nested_theta: tuple[float, str] | None = None
    max_pos_keys: tuple = ("max_position_embeddings",)
    #: (n_kv_heads, d_head) handed to the other recipes, and why
    preset_kv: tuple = (1, 1)
    preset_kv_note: str = ""
    #: MoE: number of MoE layers, experts, experts per token, params of one routed expert
    moe: dict | None = None
    mtp_params: int = 0
    mtp_layers: int = 0
    #: per layer, when the reader knows more than "every layer alike": dicts with kind (full / sliding /
    #: chunked / mla / linear / ssm), window, kv_elements_per_token, state_elements
    layer_kinds: list | None = None
    #: persistent buffers the checkpoint carries outside parameters() (name → elements), not in the total
    buffers: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    caveats: list = field(default_factory=list)

    def linear(self, name: str, out: int, inp: int, count: int, group: str, bias: bool = False) -> None:
        """``count`` copies of one ``nn.Linear`` (``name`` without ``.weight``): weight (out, in), bias (out) if any."""
        self.add(f"{name}.weight", [out, inp], count, group)
        if bias:
            self.add(f"{name}.bias", [out], count, group)

    def norm(self, name: str, dim: int, count: int, bias: bool = False) -> None:
        """``count`` copies of one normalisation layer: weight (dim), and bias (dim) for a LayerNorm with bias."""
        self.add(f"{name}.weight", [dim], count, "norm")
        if bias:
            self.add(f"{name}.bias", [dim], count, "norm")

    def add(self, name: str, shape: list, count: int, group: str) -> None:
        """Append one tensor row (``count`` copies of ``shape``) unless it is empty."""
        n = 1
        for s in shape:
            n *= s
        if count <= 0 or n <= 0:
            return
        self.tensors.append({"name": name, "shape": list(shape), "count": count, "params": n * count, "group": group})


def layer_set(indices: list[int], n_layers: int) -> str:
    """'*' for every layer, '{a..b}' for a contiguous run, '{a}' for one, else a short list."""
    if len(indices) == n_layers:
        return "*"
    if not indices:
        return "{}"
    if indices == list(range(indices[0], indices[-1] + 1)):
        return f"{{{indices[0]}}}" if len(indices) == 1 else f"{{{indices[0]}..{indices[-1]}}}"
    if len(indices) <= 6:
        return "{" + ",".join(str(i) for i in indices) + "}"
    return "{" + ",".join(str(i) for i in indices[:3]) + f",… {len(indices)} layers}}"


# ── shared pieces ────────────────────────────────────────────────────────────
def _flag(r: Reader, field_name: str, rule, default: bool = False) -> bool:
    """A bias/tie switch: a fixed rule value, or the config key the rule names."""
    if isinstance(rule, bool):
        r.note(field_name, f"{'always' if rule else 'never'} (architecture)")
        return rule
    return r.bool(field_name, (rule,), default)


def _heads(
    r: Reader,
    hidden: int,
    *,
    kv_keys=("num_key_value_heads", "num_kv_heads", "n_head_kv"),
    head_keys=("num_attention_heads", "n_head", "num_heads"),
    explicit_head_dim: bool = True,
):
    h = r.int("n_attention_heads", head_keys, limit="heads", needed_for="for the attention projections")
    kv = r.int("n_kv_heads", kv_keys, default=h, limit="heads") if kv_keys else h
    if kv_keys and not r.first(kv_keys):
        r.note(
            "n_kv_heads",
            f"= {r.sources.get('n_attention_heads', 'num_attention_heads')} "
            f"({kv_keys[0]} absent: multi-head attention)",
        )
    if kv > h:
        raise config_error(
            r.key(kv_keys[0]),
            f"config.json key {r.key(kv_keys[0])!r} = {format_bound(kv)} is not "
            f"valid: it must be ≤ num_attention_heads = {format_bound(h)}.",
            value=kv,
        )
    if h % kv:
        raise config_error(
            r.key(kv_keys[0]),
            f"config.json key {r.key(kv_keys[0])!r} = {format_bound(kv)} is not "
            f"valid: num_attention_heads = {format_bound(h)} must be a multiple of "
            "it (each KV head serves a whole group of query heads).",
            value=kv,
        )
    if explicit_head_dim and r.present("head_dim"):
        dh = r.int("d_head", ("head_dim",), limit="width")
    else:
        if hidden % h:
            raise config_error(
                r.key(head_keys[0]),
                f"hidden size {format_bound(hidden)} is not divisible by "
                f"{r.key(head_keys[0])} = {format_bound(h)}, and the config has no "
                "head_dim to say otherwise.",
                value=h,
            )
        dh = hidden // h
        r.note("d_head", f"{r.sources.get('d_model', 'hidden_size')} / {r.sources.get('n_attention_heads')}")
    return h, kv, dh


def _vocab(r: Reader) -> int:
    return r.int("vocab_size", ("vocab_size",), limit="vocab", needed_for="for the embedding matrix")


# ── Llama-like decoders (Llama, Mistral, Mixtral, Qwen, Gemma, Phi-3, OLMo-2, Cohere, gpt-oss, Llama 4 …) ──
def read_decoder(r: Reader, rules: dict, model_type: str | None) -> Model:
    m = Model(rules, model_type)
    d = r.int("d_model", ("hidden_size", "n_embd", "d_model"), needed_for="for every weight matrix")
    n_layers = r.int(
        "n_layers", ("num_hidden_layers", "n_layer", "num_layers"), limit="layers", needed_for="to count the layers"
    )
    h, kv, dh = _heads(r, d)
    vocab = _vocab(r)
    tied = r.bool("tie_word_embeddings", ("tie_word_embeddings",), rules["tied_default"])
    qkv_bias = _flag(r, "qkv_bias", rules["qkv_bias"])
    o_bias = _flag(r, "o_bias", rules["o_bias"])
    mlp_bias = _flag(r, "mlp_bias", rules["mlp_bias"])
    fused = rules["layout"] == "fused"
    norm_bias = rules["norm_bias"]
    qk_norm = rules["qk_norm"]
    if qk_norm == "key":  # use_qk_norm decides (GLM-4.5: per-head RMSNorm)
        qk_norm = "head" if r.bool("qk_norm", ("use_qk_norm",), False) else False
    attn_gate = rules["attn_gate"]
    if isinstance(attn_gate, str):
        attn_gate = r.bool("attn_output_gate", (attn_gate,), True)

    kinds = _decoder_layer_kinds(m, r, rules, n_layers)
    specs = _attention_specs(r, rules, kinds, h, kv, dh)
    attn_layers = [i for i, k in enumerate(kinds) if k != "linear"]
    linear_layers = [i for i, k in enumerate(kinds) if k == "linear"]

    moe = _read_moe(r, rules, d, n_layers)
    dense_layers = [i for i in range(n_layers) if moe is None or moe["beside_mlp"] or i not in moe["layer_set"]]
    ff = None
    if dense_layers:
        ff = r.int("d_ff", rules["dense_ff_keys"], needed_for="for the feed-forward (MLP) matrices")

    m.add("model.embed_tokens.weight", [vocab, d], 1, "embedding")
    for spec, layers in _spec_groups(specs):
        _attention_tensors(
            m,
            f"model.layers.{layer_set(layers, n_layers)}.self_attn",
            spec,
            d,
            len(layers),
            qkv_bias=qkv_bias,
            o_bias=o_bias,
            qk_norm=qk_norm,
            fused=fused,
            gate=attn_gate,
        )
    state = 0
    if linear_layers:
        state = _gated_deltanet(m, r, rules, d, linear_layers, n_layers)
    for name in rules["norm_names"]:
        m.norm(f"model.layers.*.{name}", d, n_layers, norm_bias)

    if dense_layers:
        for layers, width in _dense_widths(r, rules, specs, dense_layers, defined(ff)):  # read for dense layers
            where = layer_set(layers, n_layers)
            if rules["mlp"] == "plain":
                _plain_mlp(m, f"model.layers.{where}.mlp", d, width, len(layers), mlp_bias)
            else:
                _gated_mlp(m, f"model.layers.{where}.mlp", d, width, len(layers), "mlp", mlp_bias, fused)
    if moe is not None:
        _moe_tensors(m, moe, d, n_layers)
    if rules["per_layer_input"]:
        _per_layer_inputs(m, r, d, n_layers)
    for name in rules["layer_buffers"]:
        m.buffers[f"model.layers.*.{name}"] = n_layers

    if rules["norm_names"]:  # OLMo (1) normalises without parameters, final norm included
        m.norm("model.norm", d, 1, norm_bias)
    if not tied:
        m.add("lm_head.weight", [vocab, d], 1, "output")

    base = next(spec for spec in specs if spec is not None)
    m.kv_elements_per_layer = base.kv_elements_per_token
    m.preset_kv = (kv, dh)
    mixed = len({spec for spec in specs if spec is not None}) > 1
    if mixed or base.v_head_dim != base.d_head:
        m.kv_groups = [
            {
                "layers": len(layers),
                "n_kv_heads": spec.kv_heads if spec.own_kv else 0,
                "d_head": spec.d_head,
                "v_head_dim": spec.v_head_dim,
                "kv_elements_per_token": spec.kv_elements_per_token,
                "label": spec.label(),
            }
            for spec, layers in _spec_groups(specs)
        ]
    if mixed:  # per-layer shapes differ: the preset's pair makes 2·L·n_kv·d_head the model's KV per token
        total = sum(spec.kv_elements_per_token for spec in specs if spec is not None)
        m.preset_kv = (kv, -(-total // (2 * n_layers * kv)))
        m.preset_kv_note = (
            f"the layers cache different K/V shapes ({_spec_groups_label(specs, n_layers)}), so the preset hands "
            f"the other recipes n_kv_heads = {kv} and d_head = {m.preset_kv[1]}, which makes their "
            f"2·L·n_kv·d_head equal the model's {total:,} KV elements per token"
            + ("" if total % (2 * n_layers * kv) == 0 else " (rounded up)")
        )
    if linear_layers or mixed or set(kinds) & {"chunked", "sliding"}:
        m.layer_kinds = [
            {
                "kind": k,
                "kv_elements_per_token": 0 if spec is None else spec.kv_elements_per_token,
                "state_elements": state if k == "linear" else 0,
                "kv_heads": spec.kv_heads if mixed and spec is not None else None,
            }
            for k, spec in zip(kinds, specs)
        ]
    norm_kind = "LayerNorm (weight + bias)" if norm_bias else "RMSNorm (weight only)"
    m.summary = {
        "d_model": d,
        "n_layers": n_layers,
        "n_attention_heads": h,
        "n_kv_heads": kv,
        "d_head": dh,
        "attention": _attention_label(h, kv)
        + (" with output gate" if attn_gate else "")
        + (" and learned attention sinks" if base.sinks else "")
        + (f"; per layer: {_spec_groups_label(specs, n_layers)}" if mixed else ""),
        "d_ff": ff,
        "vocab_size": vocab,
        "tied_embeddings": tied,
        "mlp": ("plain (up, down)" if rules["mlp"] == "plain" else "gated (gate, up, down)")
        + (" fused gate_up" if fused else ""),
        "norm": f"{norm_kind}, {len(rules['norm_names'])} per layer"
        + {"head": " + per-head q/k norms", "full": " + full-width q/k norms"}.get(qk_norm, ""),
        "biases": _bias_label(qkv_bias, o_bias, mlp_bias),
        "positions": "RoPE",
    }
    if linear_layers:
        m.summary["layers"] = (
            f"{len(linear_layers)} linear-attention (gated DeltaNet) layers with a fixed state, "
            f"{len(attn_layers)} attention layers"
        )
    if moe is not None:
        m.summary["moe"] = _moe_summary(moe)
    return m


@dataclass(frozen=True)
class AttentionSpec:
    """One attention layer's shape: query heads, KV heads, K and V head dims, and what it keeps."""

    heads: int
    kv_heads: int
    d_head: int
    v_head_dim: int
    #: one projection serves as K and V (Gemma 4 global layers): no v_proj, but the cache still keeps both
    k_eq_v: bool = False
    sinks: bool = False
    #: False: the layer reuses an earlier layer's K/V (Gemma 4 KV sharing): no k/v weights, nothing cached
    own_kv: bool = True

    @property
    def kv_elements_per_token(self) -> int:
        return self.kv_heads * (self.d_head + self.v_head_dim) if self.own_kv else 0

    def label(self) -> str:
        if not self.own_kv:
            return f"{self.heads} heads × {self.d_head}, K/V reused from an earlier layer"
        dims = str(self.d_head) if self.d_head == self.v_head_dim else f"{self.d_head} (K) / {self.v_head_dim} (V)"
        return (
            f"{self.heads} heads, {self.kv_heads} KV heads × {dims}"
            + (", K = V projection" if self.k_eq_v else "")
            + (", sinks" if self.sinks else "")
        )


def _plain_attention(m: Model, p: str, h: int, kv: int, dh: int, d: int, count: int, bias: bool) -> None:
    """Separate q/k/v/o projections of ``count`` layers (biases on all four or none), nothing else."""
    spec = AttentionSpec(h, kv, dh, dh)
    _attention_tensors(m, p, spec, d, count, qkv_bias=bias, o_bias=bias, qk_norm=False, fused=False, gate=False)


def _decoder_layer_kinds(m: Model, r: Reader, rules: dict, n_layers: int) -> list[str]:
    """'full' / 'linear' / 'chunked' per layer, and 'sliding' for families whose attention differs by
    layer type (their windows are laid out here, in ``m.windows``; the others' by the analysis)."""
    if rules["typed_attention"]:
        return _typed_layer_kinds(m, r, rules, n_layers)
    types = r.str_list("layer_types")
    if types is not None and len(types) == n_layers:
        return [
            "linear" if t == "linear_attention" else "chunked" if t == "chunked_attention" else "full" for t in types
        ]
    if rules["linear_attention"]:
        every = r.int("full_attention_interval", ("full_attention_interval",), default=4, limit="layers")
        return ["full" if (i + 1) % every == 0 else "linear" for i in range(n_layers)]
    if rules["chunked"] and r.present("attention_chunk_size"):
        # Llama 4: every no_rope_layer_interval-th layer is global (NoPE), the others chunked
        no_rope = r.int_list("no_rope_layers", maximum=1)
        if len(no_rope) != n_layers:
            every = r.int("no_rope_layer_interval", ("no_rope_layer_interval",), default=4, limit="layers")
            no_rope = [int((i + 1) % every != 0) for i in range(n_layers)]
        return ["chunked" if flag else "full" for flag in no_rope]
    return ["full"] * n_layers


def _typed_layer_kinds(m: Model, r: Reader, rules: dict, n_layers: int) -> list[str]:
    """Sliding / full layers of Gemma 4 and MiMo-V2-Flash, as their transformers config classes lay them out."""
    layout = rules["typed_attention"]["layout"]
    types = r.str_list("layer_types")
    how = r.key("layer_types")
    if types is None and layout == "mimo" and r.present("hybrid_layer_pattern"):
        types = ["sliding_attention" if x else "full_attention" for x in r.int_list("hybrid_layer_pattern", maximum=1)]
        how = f"{r.key('hybrid_layer_pattern')} (1 = sliding)"
    elif types is None and layout == "mimo":  # MiMoV2FlashConfig: layer 0 and every 6th layer global
        types = ["full_attention" if i == 0 or (i + 1) % 6 == 0 else "sliding_attention" for i in range(n_layers)]
        how = "the MiMoV2FlashConfig default (layer 0 and every 6th layer global)"
    elif types is None:  # Gemma4TextConfig: every 6th layer global
        types = ["sliding_attention" if (i + 1) % 6 else "full_attention" for i in range(n_layers)]
        how = "the Gemma4TextConfig default (every 6th layer global)"
    if len(types) != n_layers:
        raise config_error(
            r.key("layer_types"),
            f"config.json lays out {len(types):,} layer types but num_hidden_layers = {n_layers:,}.",
            value=len(types),
        )
    if layout == "gemma4" and types[-1] != "full_attention":
        types = types[:-1] + ["full_attention"]
        how += "; the last layer is global (Gemma4TextConfig forces it)"
    kinds = ["sliding" if t == "sliding_attention" else "full" for t in types]
    if "sliding" in kinds:
        if layout == "mimo" and r.present("sliding_window_size"):  # the query plus sliding_window_size tokens
            window = r.int("sliding_window", ("sliding_window_size",), limit="positions") + 1
            how += f", window = {r.key('sliding_window_size')} + 1 = {window:,} (MiMoV2FlashConfig)"
        else:
            window = r.int("sliding_window", ("sliding_window",), limit="positions")
            if layout == "gemma4" and r.cfg.get("use_bidirectional_attention") == "all":
                window = window // 2 + 1  # Gemma4TextConfig: exclusive bounds for bidirectional attention
            how += f", window {window:,}"
        m.windows = [window if k == "sliding" else None for k in kinds]
        m.windows_note = how
    return kinds


def _attention_specs(r: Reader, rules: dict, kinds: list[str], h: int, kv: int, dh: int) -> list:
    """Per layer, the :class:`AttentionSpec` (None for a linear-attention layer): the config's heads and head
    dims, overridden per layer type where the family's ``typed_attention`` row says so."""
    typed = rules["typed_attention"] or {}
    dv = r.int("v_head_dim", (typed["v_head_dim"],), default=dh) if typed.get("v_head_dim") else dh
    base = AttentionSpec(h, kv, dh, dv, sinks=rules["sinks"])
    by_kind = {
        kind: _typed_spec(r, base, kind, typed["by_kind"][kind]) for kind in typed.get("by_kind", {}) if kind in kinds
    }
    shared_from = len(kinds)
    if typed.get("kv_shared"):
        n_shared = r.int("kv_shared_layers", (typed["kv_shared"],), default=0, minimum=0, limit="layers")
        shared_from = len(kinds) - min(n_shared, len(kinds))
    specs = []
    for i, kind in enumerate(kinds):
        spec = None if kind == "linear" else by_kind.get(kind, base)
        if spec is not None and i >= shared_from:
            spec = replace(spec, own_kv=False)
        specs.append(spec)
    return specs


def _typed_spec(r: Reader, base: AttentionSpec, kind: str, rule: dict) -> AttentionSpec:
    k_eq_v = r.bool(f"k_eq_v_{kind}", (rule["k_eq_v"],), False) if "k_eq_v" in rule else False
    kv = base.kv_heads
    if "kv_heads" in rule and (k_eq_v or not rule.get("kv_heads_with_k_eq_v")):
        key, factor = rule["kv_heads"]
        kv = r.int(f"n_kv_heads_{kind}", (key,), default=base.kv_heads * factor, limit="heads")
        if base.heads % kv:
            raise config_error(
                r.key(key),
                f"config.json key {r.key(key)!r} = {format_bound(kv)} is not valid: num_attention_heads = "
                f"{format_bound(base.heads)} must be a multiple of it.",
                value=kv,
            )
    dk = r.int(f"d_head_{kind}", (rule["d_head"],), default=base.d_head) if "d_head" in rule else base.d_head
    if "v_head_dim" in rule:
        dv = r.int(f"v_head_dim_{kind}", (rule["v_head_dim"],), default=base.v_head_dim)
    else:  # V as wide as K unless the family states a V width
        dv = dk if base.v_head_dim == base.d_head else base.v_head_dim
    sinks = base.sinks
    if "sinks" in rule:
        key, default = rule["sinks"]
        sinks = r.bool(f"sinks_{kind}", (key,), default)
    return replace(base, kv_heads=kv, d_head=dk, v_head_dim=dv, k_eq_v=k_eq_v, sinks=sinks)


def _spec_groups(specs: list) -> list:
    """(spec, layer indices) for each distinct attention spec, in layer order of first appearance."""
    groups: dict = {}
    for i, spec in enumerate(specs):
        if spec is not None:
            groups.setdefault(spec, []).append(i)
    return list(groups.items())


def _spec_groups_label(specs: list, n_layers: int) -> str:
    return "; ".join(f"{len(layers)} layers {spec.label()}" for spec, layers in _spec_groups(specs))


def _attention_tensors(
    m: Model,
    p: str,
    spec: AttentionSpec,
    d: int,
    count: int,
    *,
    qkv_bias: bool,
    o_bias: bool,
    qk_norm,
    fused: bool,
    gate: bool,
) -> None:
    """The q/k/v/o projections (+ biases, sinks, q/k norms) of ``count`` layers alike."""
    q_out, k_out, v_out = spec.heads * spec.d_head, spec.kv_heads * spec.d_head, spec.kv_heads * spec.v_head_dim
    if fused:
        m.linear(f"{p}.qkv_proj", q_out + k_out + v_out, d, count, "attention", qkv_bias)
    else:
        projections = [("q_proj", 2 * q_out if gate else q_out)]  # gated attention: q_proj also makes the gate
        if spec.own_kv:
            projections.append(("k_proj", k_out))
            if not spec.k_eq_v:
                projections.append(("v_proj", v_out))
        for name, out in projections:
            m.linear(f"{p}.{name}", out, d, count, "attention", qkv_bias)
    m.linear(f"{p}.o_proj", d, spec.heads * spec.v_head_dim, count, "attention", o_bias)
    if spec.sinks:
        m.add(f"{p}.sinks", [spec.heads], count, "attention")
    if qk_norm in ("head", "full"):  # per head, or one norm over all heads together (OLMo-2, MiniMax-M2)
        m.add(f"{p}.q_norm.weight", [spec.d_head if qk_norm == "head" else q_out], count, "norm")
        if spec.own_kv:
            m.add(f"{p}.k_norm.weight", [spec.d_head if qk_norm == "head" else k_out], count, "norm")


def _dense_widths(r: Reader, rules: dict, specs: list, dense_layers: list[int], ff: int) -> list:
    """(layers, d_ff) groups of the dense MLPs: Gemma 4 doubles the width on KV-sharing layers
    when use_double_wide_mlp is set; every other family has one width."""
    wide = set()
    if rules["typed_attention"] and rules["typed_attention"].get("kv_shared"):
        if r.bool("double_wide_mlp", ("use_double_wide_mlp",), False):
            wide = {i for i in dense_layers if specs[i] is not None and not specs[i].own_kv}
    groups = [([i for i in dense_layers if i not in wide], ff), ([i for i in dense_layers if i in wide], 2 * ff)]
    return [(layers, width) for layers, width in groups if layers]


def _per_layer_inputs(m: Model, r: Reader, d: int, n_layers: int) -> None:
    """Gemma 4 per-layer embeddings (PLE): one packed table and its projection, a gate/projection/norm per layer."""
    ple = r.int("per_layer_input_size", ("hidden_size_per_layer_input",), default=0, minimum=0)
    if not ple:
        return
    vocab = r.int("per_layer_vocab_size", ("vocab_size_per_layer_input",), limit="vocab")
    m.add("model.embed_tokens_per_layer.weight", [vocab, n_layers * ple], 1, "embedding")
    m.add("model.per_layer_model_projection.weight", [n_layers * ple, d], 1, "per_layer_input")
    m.add("model.per_layer_projection_norm.weight", [ple], 1, "norm")
    m.add("model.layers.*.per_layer_input_gate.weight", [ple, d], n_layers, "per_layer_input")
    m.add("model.layers.*.per_layer_projection.weight", [d, ple], n_layers, "per_layer_input")
    m.add("model.layers.*.post_per_layer_input_norm.weight", [d], n_layers, "norm")


def _gated_deltanet(m: Model, r: Reader, rules: dict, d: int, layers: list[int], n_layers: int) -> int:
    """Gated DeltaNet linear-attention tensors (Qwen3-Next, Qwen3.5); returns the state elements per layer."""
    kh = r.int("linear_num_key_heads", ("linear_num_key_heads",), default=16, limit="heads")
    vh = r.int("linear_num_value_heads", ("linear_num_value_heads",), default=32, limit="heads")
    kd = r.int("linear_key_head_dim", ("linear_key_head_dim",), default=128)
    vd = r.int("linear_value_head_dim", ("linear_value_head_dim",), default=128)
    kernel = r.int("linear_conv_kernel_dim", ("linear_conv_kernel_dim",), default=4, limit="layers")
    key_dim, value_dim = kh * kd, vh * vd
    conv_dim = 2 * key_dim + value_dim
    n = len(layers)
    p = f"model.layers.{layer_set(layers, n_layers)}.linear_attn"
    m.add(f"{p}.in_proj_qkvz.weight", [conv_dim + value_dim, d], n, "attention")
    m.add(f"{p}.in_proj_ba.weight", [2 * vh, d], n, "attention")
    m.add(f"{p}.conv1d.weight", [conv_dim, 1, kernel], n, "attention")
    m.add(f"{p}.dt_bias", [vh], n, "attention")
    m.add(f"{p}.A_log", [vh], n, "attention")
    m.add(f"{p}.norm.weight", [vd], n, "norm")
    m.add(f"{p}.out_proj.weight", [d, value_dim], n, "attention")
    # the cache keeps the last conv_kernel inputs of the short convolution and one vh × kd × vd state
    return conv_dim * kernel + vh * kd * vd


def _plain_mlp(m: Model, prefix: str, d: int, ff: int, count: int, bias: bool) -> None:
    m.linear(f"{prefix}.c_fc", ff, d, count, "mlp", bias)
    m.linear(f"{prefix}.c_proj", d, ff, count, "mlp", bias)


def _attention_label(h: int, kv: int) -> str:
    if kv == h:
        return f"multi-head ({h} heads)"
    if kv == 1:
        return f"multi-query ({h} query heads, 1 KV head)"
    return f"grouped-query ({h} query heads, {kv} KV heads, {h // kv} per group)"


def _bias_label(qkv: bool, o: bool, mlp: bool) -> str:
    parts = [name for name, on in (("q/k/v", qkv), ("o", o), ("MLP", mlp)) if on]
    return ("biases on " + ", ".join(parts)) if parts else "no linear biases"


def _gated_mlp(
    m: Model,
    prefix: str,
    d: int,
    ff: int,
    count: int,
    group: str,
    bias: bool,
    fused: bool,
    names=("gate_proj", "up_proj", "down_proj"),
) -> None:
    gate, up, down = names
    if fused:
        m.add(f"{prefix}.gate_up_proj.weight", [2 * ff, d], count, group)
        if bias:
            m.add(f"{prefix}.gate_up_proj.bias", [2 * ff], count, group)
    else:
        for name in (gate, up):
            m.add(f"{prefix}.{name}.weight", [ff, d], count, group)
            if bias:
                m.add(f"{prefix}.{name}.bias", [ff], count, group)
    m.add(f"{prefix}.{down}.weight", [d, ff], count, group)
    if bias:
        m.add(f"{prefix}.{down}.bias", [d], count, group)


GATE_UP_DOWN = ("gate_proj", "up_proj", "down_proj")


def _moe_layout(experts: tuple, ff: tuple, prefix: str = "mlp", names: tuple = GATE_UP_DOWN, **extra) -> dict:
    """How one MoE layout names its keys: expert count and expert width keys, module prefix, expert names."""
    return {"experts": experts, "ff": ff, "prefix": prefix, "names": names, **extra}


MOE_LAYOUTS = {
    "mixtral": _moe_layout(("num_local_experts",), ("intermediate_size",), "block_sparse_moe", ("w1", "w3", "w2")),
    "qwen_moe": _moe_layout(("num_experts",), ("moe_intermediate_size",)),
    "gpt_oss": _moe_layout(("num_local_experts",), ("intermediate_size",)),
    "llama4": _moe_layout(("num_local_experts",), ("intermediate_size",), "feed_forward"),
    "minimax": _moe_layout(("num_local_experts",), ("intermediate_size",), "mlp", ("w1", "w3", "w2")),
    "glm4_moe": _moe_layout(("n_routed_experts",), ("moe_intermediate_size",)),
    # Gemma 4: beside the dense MLP on every layer, when enable_moe_block is set
    "gemma4": _moe_layout(
        ("num_experts",), ("moe_intermediate_size",), "", enabled_by="enable_moe_block", beside_mlp=True, fused=True
    ),
    # MiMo-V2-Flash: DeepSeek-V3-style sigmoid router, no shared expert; MoE where mlp_layer_types says sparse
    "mimo": _moe_layout(("n_routed_experts",), ("moe_intermediate_size",), fused=True),
    "olmoe": _moe_layout(("num_experts",), ("intermediate_size",)),
    "generic": _moe_layout(
        ("num_local_experts", "num_experts", "n_routed_experts"), ("moe_intermediate_size", "intermediate_size")
    ),
}


def _experts_per_token(r: Reader, n_experts: int, keys: tuple = ("num_experts_per_tok",), default=MISSING) -> int:
    """Top-k: the experts each token is routed to, at most the number of experts."""
    top_k = r.int(
        "experts_per_token", keys, default=default, limit="experts", needed_for="for the active parameters per token"
    )
    if top_k > n_experts:
        key = r.key(r.first(keys) or keys[0])
        raise config_error(
            key,
            f"config.json key {key!r} = {format_bound(top_k)} is not valid: it must be ≤ the number of experts "
            f"({format_bound(n_experts)}).",
            value=top_k,
        )
    return top_k


def _read_moe(r: Reader, rules: dict, d: int, n_layers: int) -> dict | None:
    """The MoE layout of a Llama-like decoder (Mixtral, Qwen-MoE, gpt-oss, Llama 4, GLM-4.5 …, generic keys)."""
    kind = rules["moe"]
    if kind is None and rules["family"] == "generic":
        key = r.first(("num_local_experts", "num_experts", "n_routed_experts"))
        if key is None:
            return None
        n = check_int(r.key(key), r.cfg[key], minimum=0, maximum=LIMITS["experts"])
        if n <= 1:
            return None
        kind = "generic"
    if kind is None:
        return None
    lay = MOE_LAYOUTS[kind]
    if rules["linear_attention"] and not r.first(lay["experts"]):
        return None  # Qwen3.5 dense models share the family with its MoE models
    if "enabled_by" in lay and not r.bool("moe", (lay["enabled_by"],), False):
        return None
    n_exp = r.int("n_experts", lay["experts"], limit="experts", needed_for="for the expert count")
    top_k = _experts_per_token(
        r, n_exp, ("num_experts_per_tok", "num_experts_per_token", "top_k", "experts_per_token", "top_k_experts")
    )
    expert_ff = r.int("expert_d_ff", lay["ff"], needed_for="for the expert matrices")
    layers = list(range(n_layers))
    shared_ff, shared_gate, n_shared = 0, False, 0
    if kind == "qwen_moe":
        step = r.int("decoder_sparse_step", ("decoder_sparse_step",), default=1, limit="layers")
        only_dense = set(r.int_list("mlp_only_layers", maximum=LIMITS["layers"]))
        layers = [i for i in layers if i not in only_dense and (i + 1) % step == 0]
        if r.present("shared_expert_intermediate_size"):
            shared_ff = r.int("shared_expert_d_ff", ("shared_expert_intermediate_size",), minimum=0)
            shared_gate, n_shared = shared_ff > 0, int(shared_ff > 0)
    elif kind == "llama4":
        moe_layers = r.int_list("moe_layers", maximum=LIMITS["layers"])
        if not moe_layers:
            step = r.int("interleave_moe_layer_step", ("interleave_moe_layer_step",), default=1, limit="layers")
            moe_layers = list(range(step - 1, n_layers, step))
        layers = [i for i in layers if i in set(moe_layers)]
        shared_ff, n_shared = expert_ff, 1  # one ungated shared expert as wide as a routed one
    elif kind == "glm4_moe":
        first_dense = r.int("first_k_dense_replace", ("first_k_dense_replace",), default=1, minimum=0, limit="layers")
        layers = [i for i in layers if i >= first_dense]
        n_shared = r.int("n_shared_experts", ("n_shared_experts",), default=1, minimum=0, limit="experts")
        shared_ff = expert_ff * n_shared
    elif kind == "mimo":
        layers = _mimo_moe_layers(r, n_layers)
    expert_bias = kind == "gpt_oss"
    expert_params = counts.mlp_params(d, expert_ff, gated=True, bias=expert_bias)
    return {
        "kind": kind,
        "n_experts": n_exp,
        "top_k": top_k,
        "expert_ff": expert_ff,
        "layers": layers,
        "layer_set": set(layers),
        "names": lay["names"],
        "prefix": lay["prefix"],
        "shared_ff": shared_ff,
        "shared_gate": shared_gate,
        "n_shared": n_shared,
        "shared_prefix": f"{lay['prefix']}.shared_expert" + ("s" if kind == "glm4_moe" else ""),
        "score_bias": kind in ("glm4_moe", "minimax", "mimo"),
        "expert_bias": expert_bias,
        "router_bias": kind == "gpt_oss",
        "expert_params": expert_params,
        "beside_mlp": lay.get("beside_mlp", False),
        "fused": lay.get("fused", False),
    }


def _mimo_moe_layers(r: Reader, n_layers: int) -> list[int]:
    """MiMo-V2-Flash's MoE layers: mlp_layer_types ('sparse'), else moe_layer_freq as a per-layer 0/1 list,
    else the MiMoV2FlashConfig default (layer 0 dense, the rest MoE)."""
    types = r.str_list("mlp_layer_types")
    if types is not None:
        flags = [t == "sparse" for t in types]
    elif isinstance(r.cfg.get("moe_layer_freq"), list):
        flags = [bool(x) for x in r.int_list("moe_layer_freq", maximum=1)]
    else:
        flags = [i > 0 for i in range(n_layers)]
    if len(flags) != n_layers:
        raise config_error(
            r.key("mlp_layer_types"),
            f"config.json lays out {len(flags):,} MLP layer types but num_hidden_layers = {n_layers:,}.",
            value=len(flags),
        )
    return [i for i, moe in enumerate(flags) if moe]


def _moe_tensors(m: Model, moe: dict, d: int, n_layers: int) -> None:
    n_moe = len(moe["layers"])
    if n_moe == 0:
        return
    where = layer_set(moe["layers"], n_layers)
    base = f"model.layers.{where}" + (f".{moe['prefix']}" if moe["prefix"] else "")
    router = {"gpt_oss": "router", "llama4": "router", "jamba": "router", "gemma4": "router.proj"}.get(
        moe["kind"], "gate"
    )
    m.add(f"{base}.{router}.weight", [moe["n_experts"], d], n_moe, "router")
    if moe["router_bias"]:
        m.add(f"{base}.{router}.bias", [moe["n_experts"]], n_moe, "router")
    if moe["kind"] == "gemma4":  # the router's input scale and per-expert output scale; 3 more norms per layer
        m.add(f"{base}.router.scale", [d], n_moe, "router")
        m.add(f"{base}.router.per_expert_scale", [moe["n_experts"]], n_moe, "router")
        for name in ("pre_feedforward_layernorm_2", "post_feedforward_layernorm_1", "post_feedforward_layernorm_2"):
            m.add(f"{base}.{name}.weight", [d], n_moe, "norm")
    if moe["score_bias"]:  # a buffer in transformers: kept out of parameters(), reported separately
        m.buffers[f"{base}.gate.e_score_correction_bias"] = moe["n_experts"] * n_moe
    fused = moe.get("fused", False)
    _gated_mlp(
        m,
        f"{base}.experts" + ("" if fused else ".*"),
        d,
        moe["expert_ff"],
        n_moe * moe["n_experts"],
        "experts",
        moe["expert_bias"],
        fused,
        names=moe["names"],
    )
    if moe["shared_ff"]:
        _gated_mlp(
            m,
            f"model.layers.{where}.{moe['shared_prefix']}",
            d,
            moe["shared_ff"],
            n_moe,
            "shared_experts",
            False,
            False,
        )
    if moe["shared_gate"]:
        m.add(f"{base}.shared_expert_gate.weight", [1, d], n_moe, "router")
    n_shared = moe.get("n_shared", 0)
    if moe["shared_ff"] and moe["kind"] == "deepseek":
        n_shared = moe["shared_ff"] // moe["expert_ff"]
    m.moe = {
        "n_moe_layers": n_moe,
        "n_experts": moe["n_experts"],
        "top_k": moe["top_k"],
        "expert_params": moe["expert_params"],
        "layers": list(moe["layers"]),
        "n_shared_experts": n_shared,
    }


def _moe_summary(moe: dict) -> str:
    text = (
        f"{moe['n_experts']} routed experts (d_ff = {moe['expert_ff']}), {moe['top_k']} per token, "
        f"on {len(moe['layers'])} layers"
    )
    if moe["shared_ff"]:
        text += f"; shared expert d_ff = {moe['shared_ff']}" + (" with a sigmoid gate" if moe["shared_gate"] else "")
    return text


# ── GPT-2 ────────────────────────────────────────────────────────────────────
def read_gpt2(r: Reader, rules: dict, model_type: str | None) -> Model:
    m = Model(rules, model_type, pos="learned", max_pos_keys=("n_positions", "max_position_embeddings", "n_ctx"))
    d = r.int("d_model", ("n_embd", "hidden_size"), needed_for="for every weight matrix")
    n_layers = r.int("n_layers", ("n_layer", "num_hidden_layers"), limit="layers", needed_for="to count the layers")
    h, kv, dh = _heads(r, d, kv_keys=(), head_keys=("n_head", "num_attention_heads"), explicit_head_dim=False)
    if rules["family"] == "gpt_bigcode" and r.bool("multi_query", ("multi_query",), True):
        kv = 1  # GPT-BigCode: one shared K/V head (GPTBigCodeConfig.multi_query default true)
    vocab = _vocab(r)
    n_pos = r.int("n_positions", m.max_pos_keys, default=rules["max_pos_default"], limit="positions")
    if r.present("n_inner"):
        ff = r.int("d_ff", ("n_inner",))
    else:
        ff = 4 * d
        r.note("d_ff", f"4 × n_embd = {ff:,} (n_inner absent or null)")
    tied = r.bool("tie_word_embeddings", ("tie_word_embeddings",), True)
    m.add("transformer.wte.weight", [vocab, d], 1, "embedding")
    m.add("transformer.wpe.weight", [n_pos, d], 1, "position")
    for ln in ("ln_1", "ln_2"):
        m.norm(f"transformer.h.*.{ln}", d, n_layers, True)
    qkv = d + 2 * kv * dh
    m.add("transformer.h.*.attn.c_attn.weight", [d, qkv], n_layers, "attention")
    m.add("transformer.h.*.attn.c_attn.bias", [qkv], n_layers, "attention")
    m.linear("transformer.h.*.attn.c_proj", d, d, n_layers, "attention", True)
    m.add("transformer.h.*.mlp.c_fc.weight", [d, ff], n_layers, "mlp")
    m.add("transformer.h.*.mlp.c_fc.bias", [ff], n_layers, "mlp")
    m.add("transformer.h.*.mlp.c_proj.weight", [ff, d], n_layers, "mlp")
    m.add("transformer.h.*.mlp.c_proj.bias", [d], n_layers, "mlp")
    m.norm("transformer.ln_f", d, 1, True)
    if not tied:
        m.add("lm_head.weight", [vocab, d], 1, "output")
    m.kv_elements_per_layer = defined(counts.kv_elements_per_token_gqa(kv, dh))
    m.preset_kv = (kv, dh)
    m.summary = {
        "d_model": d,
        "n_layers": n_layers,
        "n_attention_heads": h,
        "n_kv_heads": kv,
        "d_head": dh,
        "attention": _attention_label(h, kv),
        "d_ff": ff,
        "vocab_size": vocab,
        "tied_embeddings": tied,
        "mlp": "plain (c_fc, GELU, c_proj)",
        "norm": "LayerNorm (weight + bias), 2 per layer",
        "biases": "biases on every linear layer",
        "positions": f"learned absolute ({n_pos:,} positions)",
    }
    return m


# ── GPT-NeoX / Pythia ────────────────────────────────────────────────────────
def read_gpt_neox(r: Reader, rules: dict, model_type: str | None) -> Model:
    m = Model(rules, model_type, theta_keys=("rope_theta", "rotary_emb_base"))
    d = r.int("d_model", ("hidden_size",), needed_for="for every weight matrix")
    n_layers = r.int("n_layers", ("num_hidden_layers",), limit="layers", needed_for="to count the layers")
    h, kv, dh = _heads(r, d, kv_keys=(), head_keys=("num_attention_heads",), explicit_head_dim=False)
    vocab = _vocab(r)
    ff = r.int("d_ff", ("intermediate_size",), needed_for="for the MLP matrices")
    tied = r.bool("tie_word_embeddings", ("tie_word_embeddings",), False)
    bias = r.bool("attention_bias", ("attention_bias",), True)
    rotary = r.number("rotary_pct", ("rotary_pct", "partial_rotary_factor"), default=0.25, maximum=1.0)
    if not r.first(("rotary_pct", "partial_rotary_factor")):
        r.note("rotary_pct", "default 0.25 (rotary_pct absent)")
    parallel = r.bool("use_parallel_residual", ("use_parallel_residual",), True)
    m.add("gpt_neox.embed_in.weight", [vocab, d], 1, "embedding")
    for ln in ("input_layernorm", "post_attention_layernorm"):
        m.norm(f"gpt_neox.layers.*.{ln}", d, n_layers, True)
    m.linear("gpt_neox.layers.*.attention.query_key_value", 3 * d, d, n_layers, "attention", bias)
    m.linear("gpt_neox.layers.*.attention.dense", d, d, n_layers, "attention", bias)
    m.linear("gpt_neox.layers.*.mlp.dense_h_to_4h", ff, d, n_layers, "mlp", True)
    m.linear("gpt_neox.layers.*.mlp.dense_4h_to_h", d, ff, n_layers, "mlp", True)
    m.norm("gpt_neox.final_layer_norm", d, 1, True)
    if not tied:
        m.add("embed_out.weight", [vocab, d], 1, "output")
    m.kv_elements_per_layer = defined(counts.kv_elements_per_token_gqa(h, dh))
    m.preset_kv = (h, dh)
    rot_dims = int(dh * rotary)
    m.summary = {
        "d_model": d,
        "n_layers": n_layers,
        "n_attention_heads": h,
        "n_kv_heads": h,
        "d_head": dh,
        "attention": _attention_label(h, h) + ", fused query_key_value",
        "d_ff": ff,
        "vocab_size": vocab,
        "tied_embeddings": tied,
        "mlp": "plain (dense_h_to_4h, GELU, dense_4h_to_h) with biases",
        "norm": "LayerNorm (weight + bias), 2 per layer",
        "biases": "biases on every linear layer" if bias else "MLP biases only",
        "positions": f"RoPE on {rot_dims} of {dh} head dims (rotary_pct = {rotary:g})",
        "residual": "parallel attention + MLP" if parallel else "sequential",
    }
    return m


# ── Falcon ───────────────────────────────────────────────────────────────────
def read_falcon(r: Reader, rules: dict, model_type: str | None) -> Model:
    m = Model(rules, model_type)
    d = r.int("d_model", ("hidden_size", "n_embed"), needed_for="for every weight matrix")
    n_layers = r.int("n_layers", ("num_hidden_layers", "n_layer"), limit="layers", needed_for="to count the layers")
    h = r.int(
        "n_attention_heads",
        ("num_attention_heads", "n_head"),
        limit="heads",
        needed_for="for the attention projections",
    )
    if d % h:
        raise config_error(
            r.key("num_attention_heads"),
            f"hidden size {format_bound(d)} is not divisible by num_attention_heads = {format_bound(h)}.",
            value=h,
        )
    dh = d // h
    r.note("d_head", "hidden_size / num_attention_heads")
    vocab = _vocab(r)
    new_arch = r.bool("new_decoder_architecture", ("new_decoder_architecture",), model_type == "RefinedWeb")
    multi_query = r.bool("multi_query", ("multi_query",), True)
    parallel = r.bool("parallel_attn", ("parallel_attn",), True)
    bias = r.bool("bias", ("bias",), False)
    alibi = r.bool("alibi", ("alibi",), False)
    tied = r.bool("tie_word_embeddings", ("tie_word_embeddings",), True)
    if new_arch:
        kv = r.int("n_kv_heads", ("num_kv_heads", "n_head_kv"), default=h, limit="heads")
        if kv > h or h % kv:
            raise config_error(
                r.key("num_kv_heads"),
                f"config.json key 'num_kv_heads' = {format_bound(kv)} is not "
                f"valid: it must divide num_attention_heads = {format_bound(h)}.",
                value=kv,
            )
    elif multi_query:
        kv = 1
        r.note("n_kv_heads", "1 (multi_query = true)")
    else:
        kv = h
        r.note("n_kv_heads", "= num_attention_heads (multi_query = false)")
    ff = r.int("d_ff", ("ffn_hidden_size",), default=4 * d)
    n_ln_rule = 2 if new_arch else None
    if r.present("num_ln_in_parallel_attn"):
        n_ln_rule = r.int("num_ln_in_parallel_attn", ("num_ln_in_parallel_attn",), limit="layers")
    lns: tuple[str, ...]
    if not parallel:
        lns = ("input_layernorm", "post_attention_layernorm")
    elif n_ln_rule == 2:
        lns = ("ln_attn", "ln_mlp")
    else:
        lns = ("input_layernorm",)
    m.add("transformer.word_embeddings.weight", [vocab, d], 1, "embedding")
    for ln in lns:
        m.norm(f"transformer.h.*.{ln}", d, n_layers, True)
    qkv_out = (h + 2 * kv) * dh
    m.linear("transformer.h.*.self_attention.query_key_value", qkv_out, d, n_layers, "attention", bias)
    m.linear("transformer.h.*.self_attention.dense", d, d, n_layers, "attention", bias)
    m.linear("transformer.h.*.mlp.dense_h_to_4h", ff, d, n_layers, "mlp", bias)
    m.linear("transformer.h.*.mlp.dense_4h_to_h", d, ff, n_layers, "mlp", bias)
    m.norm("transformer.ln_f", d, 1, True)
    if not tied:
        m.add("lm_head.weight", [vocab, d], 1, "output")
    m.pos = "alibi" if alibi else "rope"
    m.kv_elements_per_layer = defined(counts.kv_elements_per_token_gqa(kv, dh))
    m.preset_kv = (kv, dh)
    m.summary = {
        "d_model": d,
        "n_layers": n_layers,
        "n_attention_heads": h,
        "n_kv_heads": kv,
        "d_head": dh,
        "attention": _attention_label(h, kv) + ", fused query_key_value",
        "d_ff": ff,
        "vocab_size": vocab,
        "tied_embeddings": tied,
        "mlp": "plain (dense_h_to_4h, GELU, dense_4h_to_h)",
        "norm": f"LayerNorm (weight + bias), {len(lns)} per layer",
        "biases": "biases on every linear layer" if bias else "no linear biases",
        "positions": "ALiBi" if alibi else "RoPE",
        "residual": ("parallel attention + MLP" if parallel else "sequential")
        + (" (new decoder architecture)" if new_arch else ""),
    }
    return m


# ── DeepSeek-V2 / V3: MLA + DeepSeekMoE ──────────────────────────────────────
def read_deepseek(r: Reader, rules: dict, model_type: str | None) -> Model:
    m = Model(rules, model_type, kv_kind="mla")
    d = r.int("d_model", ("hidden_size",), needed_for="for every weight matrix")
    n_layers = r.int("n_layers", ("num_hidden_layers",), limit="layers", needed_for="to count the layers")
    h = r.int("n_attention_heads", ("num_attention_heads",), limit="heads", needed_for="for the attention projections")
    kv_stated = r.int("n_kv_heads", ("num_key_value_heads",), default=h, limit="heads")
    vocab = _vocab(r)
    if "q_lora_rank" in r.cfg and r.cfg["q_lora_rank"] is None:
        q_lora = 0
        r.note("q_lora_rank", "none (q_lora_rank null: full-rank q_proj)")
    else:  # absent: the config class default (DeepseekV2Config / DeepseekV3Config: 1536)
        q_lora = r.int("q_lora_rank", ("q_lora_rank",), default=1536)
    kv_lora = r.int("kv_lora_rank", ("kv_lora_rank",), needed_for="for the MLA latent (KV cache and kv_a/kv_b)")
    nope = r.int("qk_nope_head_dim", ("qk_nope_head_dim",), needed_for="for the MLA query/key head size")
    rope = r.int("qk_rope_head_dim", ("qk_rope_head_dim",), needed_for="for the MLA decoupled RoPE key")
    v_dim = r.int("v_head_dim", ("v_head_dim",), needed_for="for the MLA value heads")
    attn_bias = r.bool("attention_bias", ("attention_bias",), False)
    tied = r.bool("tie_word_embeddings", ("tie_word_embeddings",), False)
    n_routed = r.int("n_experts", ("n_routed_experts",), default=0, minimum=1, limit="experts")
    moe_layers: list[int] = []
    moe: dict[str, Any] | None = None
    if n_routed:
        top_k = _experts_per_token(r, n_routed)
        expert_ff = r.int("expert_d_ff", ("moe_intermediate_size",), needed_for="for the expert matrices")
        n_shared = r.int("n_shared_experts", ("n_shared_experts",), default=0, minimum=0, limit="experts")
        first_dense = r.int("first_k_dense_replace", ("first_k_dense_replace",), default=0, minimum=0, limit="layers")
        freq = r.int("moe_layer_freq", ("moe_layer_freq",), default=1, limit="layers")
        topk_method = r.text("topk_method") or ("greedy" if rules["family"] == "deepseek_v2" else "noaux_tc")
        moe_layers = [i for i in range(n_layers) if i >= first_dense and i % freq == 0]
        moe = {
            "kind": "deepseek",
            "n_experts": n_routed,
            "top_k": top_k,
            "expert_ff": expert_ff,
            "layers": moe_layers,
            "layer_set": set(moe_layers),
            "names": ("gate_proj", "up_proj", "down_proj"),
            "prefix": "mlp",
            "shared_ff": expert_ff * n_shared,
            "shared_gate": False,
            "shared_prefix": "mlp.shared_experts",
            "score_bias": topk_method == "noaux_tc",
            "expert_bias": False,
            "router_bias": False,
            "n_shared": n_shared,
            "expert_params": counts.mlp_params(d, expert_ff, gated=True),
        }
    dense_layers = [i for i in range(n_layers) if i not in set(moe_layers)]
    ff = r.int("d_ff", ("intermediate_size",), needed_for="for the dense MLP layers") if dense_layers else None

    qk_dim = nope + rope
    m.add("model.embed_tokens.weight", [vocab, d], 1, "embedding")
    _mla_tensors(m, "model.layers.*.self_attn", d, h, q_lora, kv_lora, nope, rope, v_dim, attn_bias, n_layers)
    if rules["indexer"]:  # DeepSeek sparse attention: a lightning indexer per layer picks the keys to attend
        ih = r.int("index_n_heads", ("index_n_heads",), default=64, limit="heads")
        idim = r.int("index_head_dim", ("index_head_dim",), default=128)
        p = "model.layers.*.self_attn.indexer"
        m.add(f"{p}.wq_b.weight", [ih * idim, q_lora or d], n_layers, "attention")
        m.add(f"{p}.wk.weight", [idim, d], n_layers, "attention")
        m.norm(f"{p}.k_norm", idim, n_layers, True)
        m.add(f"{p}.weights_proj.weight", [ih, d], n_layers, "attention")
    m.add("model.layers.*.input_layernorm.weight", [d], n_layers, "norm")
    m.add("model.layers.*.post_attention_layernorm.weight", [d], n_layers, "norm")
    if dense_layers:
        _gated_mlp(
            m,
            f"model.layers.{layer_set(dense_layers, n_layers)}.mlp",
            d,
            defined(ff),  # read above whenever there are dense layers
            len(dense_layers),
            "mlp",
            False,
            False,
        )
    if moe is not None:
        _moe_tensors(m, moe, d, n_layers)
    m.add("model.norm.weight", [d], 1, "norm")
    if not tied:
        m.add("lm_head.weight", [vocab, d], 1, "output")

    # multi-token-prediction modules (DeepSeek-V3): stored in the checkpoint, not part of the model
    mtp = r.int("mtp_layers", ("num_nextn_predict_layers",), default=0, minimum=0, limit="layers")
    if mtp:
        layer = Model(rules, model_type)
        _mla_tensors(layer, "", d, h, q_lora, kv_lora, nope, rope, v_dim, attn_bias, 1)
        idx = n_layers
        if moe is not None and idx >= first_dense and idx % freq == 0:
            one = dict(moe, layers=[0])
            _moe_tensors(layer, one, d, 1)
        elif ff:
            _gated_mlp(layer, "mlp", d, ff, 1, "mlp", False, False)
        per_module = sum(t["params"] for t in layer.tensors) + 2 * d + 3 * d + counts.linear_params(2 * d, d)
        m.mtp_layers = mtp
        m.mtp_params = mtp * per_module

    m.kv_elements_per_layer = defined(counts.kv_elements_per_token_mla(kv_lora, rope))
    m.kv_naive_elements_per_layer = h * (qk_dim + v_dim)
    latent = kv_lora + rope
    m.preset_kv = (1, (latent + 1) // 2)
    m.preset_kv_note = (
        f"MLA caches one {latent}-element latent per layer shared by all heads, so the preset hands "
        f"the other recipes n_kv_heads = 1 and d_head = {latent}/2 = {(latent + 1) // 2}, which makes "
        f"their 2·L·n_kv·d_head equal the MLA cache"
        + (" (rounded up by one element: the latent size is odd)" if latent % 2 else "")
    )
    m.summary = {
        "d_model": d,
        "n_layers": n_layers,
        "n_attention_heads": h,
        "n_kv_heads": kv_stated,
        "d_head": qk_dim,
        "attention": (
            f"multi-head latent attention (MLA): {h} heads, q/k head dim {nope} + {rope} (RoPE), "
            f"v head dim {v_dim}, KV latent rank {kv_lora}"
            + (f", query latent rank {q_lora}" if q_lora else ", full-rank query")
        ),
        "kv_lora_rank": kv_lora,
        "qk_rope_head_dim": rope,
        "q_lora_rank": q_lora or None,
        "d_ff": ff,
        "vocab_size": vocab,
        "tied_embeddings": tied,
        "mlp": "gated (gate, up, down)",
        "norm": "RMSNorm (weight only), 2 per layer + latent norms",
        "biases": "biases on q_a/kv_a/o" if attn_bias else "no linear biases",
        "positions": "RoPE (decoupled key)",
    }
    if moe is not None:
        m.summary["moe"] = (
            f"{n_routed} routed experts (d_ff = {moe['expert_ff']}), {moe['top_k']} per token, "
            f"{moe['shared_ff'] // moe['expert_ff']} shared, on {len(moe_layers)} of {n_layers} layers"
            + (" (router score-correction bias)" if moe["score_bias"] else "")
        )
    return m


def _mla_tensors(
    m: Model,
    prefix: str,
    d: int,
    h: int,
    q_lora: int,
    kv_lora: int,
    nope: int,
    rope: int,
    v_dim: int,
    bias: bool,
    count: int,
) -> None:
    p = f"{prefix}." if prefix else ""
    qk_dim = nope + rope
    if q_lora:
        m.linear(f"{p}q_a_proj", q_lora, d, count, "attention", bias)
        m.add(f"{p}q_a_layernorm.weight", [q_lora], count, "norm")
        m.add(f"{p}q_b_proj.weight", [h * qk_dim, q_lora], count, "attention")
    else:
        m.add(f"{p}q_proj.weight", [h * qk_dim, d], count, "attention")
    m.linear(f"{p}kv_a_proj_with_mqa", kv_lora + rope, d, count, "attention", bias)
    m.add(f"{p}kv_a_layernorm.weight", [kv_lora], count, "norm")
    m.add(f"{p}kv_b_proj.weight", [h * (nope + v_dim), kv_lora], count, "attention")
    m.linear(f"{p}o_proj", d, h * v_dim, count, "attention", bias)


# ── DeepSeek-V4: compressed sparse attention, hash-routed experts, hyper-connections ──
#: layer kind per compress ratio in a DeepSeek-V4 config's compress_ratios (DeepseekV4Config's mapping)
DEEPSEEK_V4_RATIO_TYPES = {0: "sliding", 4: "csa", 128: "hca"}
DEEPSEEK_V4_LAYER_TYPES = {
    "sliding_attention": "sliding",
    "compressed_sparse_attention": "csa",
    "heavily_compressed_attention": "hca",
}


def read_deepseek_v4(r: Reader, rules: dict, model_type: str | None) -> Model:
    m = Model(rules, model_type, kv_kind="compressed")
    d = r.int("d_model", ("hidden_size",), needed_for="for every weight matrix")
    n_layers = r.int("n_layers", ("num_hidden_layers",), limit="layers", needed_for="to count the layers")
    h = r.int("n_attention_heads", ("num_attention_heads",), limit="heads", needed_for="for the attention projections")
    hd = r.int("d_head", ("head_dim",), needed_for="for the attention heads and the KV entries")
    vocab = _vocab(r)
    tied = r.bool("tie_word_embeddings", ("tie_word_embeddings",), False)
    q_lora = r.int("q_lora_rank", ("q_lora_rank",))
    groups = r.int("o_groups", ("o_groups",), limit="heads")
    o_lora = r.int("o_lora_rank", ("o_lora_rank",))
    if (h * hd) % groups:
        raise config_error(
            r.key("o_groups"),
            f"config.json key {r.key('o_groups')!r} = {format_bound(groups)} is not valid: it must divide "
            f"num_attention_heads × head_dim = {format_bound(h * hd)} (the grouped output projection).",
            value=groups,
        )
    streams = r.int("hc_mult", ("hc_mult",), limit="heads")
    window = r.int("sliding_window", ("sliding_window",), limit="positions")
    ih = r.int("index_n_heads", ("index_n_heads",), limit="heads")
    ihd = r.int("index_head_dim", ("index_head_dim",))
    types, how = _deepseek_v4_layer_types(r, n_layers)
    rates = _deepseek_v4_compress_rates(r)
    n_exp = r.int("n_experts", ("n_routed_experts",), limit="experts", needed_for="for the expert count")
    top_k = _experts_per_token(r, n_exp)
    ff = r.int("expert_d_ff", ("moe_intermediate_size",), needed_for="for the expert and shared-expert matrices")
    n_shared = r.int("n_shared_experts", ("n_shared_experts",), default=1, minimum=0, limit="experts")
    mlp_types = r.str_list("mlp_layer_types")
    if mlp_types is None:
        n_hash = r.int("n_hash_layers", ("num_hash_layers",), default=3, minimum=0, limit="layers")
        mlp_types = ["hash_moe" if i < n_hash else "moe" for i in range(n_layers)]
    if len(mlp_types) != n_layers:
        raise config_error(
            r.key("mlp_layer_types"),
            f"config.json key {r.key('mlp_layer_types')!r} lists {len(mlp_types):,} layers but num_hidden_layers = "
            f"{n_layers:,}.",
            value=len(mlp_types),
        )
    hash_layers = [i for i, t in enumerate(mlp_types) if t == "hash_moe"]

    where = {kind: [i for i, t in enumerate(types) if t == kind] for kind in ("sliding", "csa", "hca")}
    p = "model.layers.*.self_attn"
    m.add("model.embed_tokens.weight", [vocab, d], 1, "embedding")
    m.add(f"{p}.q_a_proj.weight", [q_lora, d], n_layers, "attention")
    m.add(f"{p}.q_a_norm.weight", [q_lora], n_layers, "norm")
    m.add(f"{p}.q_b_proj.weight", [h * hd, q_lora], n_layers, "attention")
    m.add(f"{p}.kv_proj.weight", [hd, d], n_layers, "attention")  # one K = V head (shared-KV MQA)
    m.add(f"{p}.kv_norm.weight", [hd], n_layers, "norm")
    m.add(f"{p}.o_a_proj.weight", [groups * o_lora, h * hd // groups], n_layers, "attention")  # grouped, block-diagonal
    m.add(f"{p}.o_b_proj.weight", [d, groups * o_lora], n_layers, "attention")
    m.add(f"{p}.sinks", [h], n_layers, "attention")
    for kind, series in (("hca", 1), ("csa", 2)):  # CSA compresses two overlapping series (2 × head_dim)
        if where[kind]:
            _kv_compressor(
                m,
                f"model.layers.{layer_set(where[kind], n_layers)}.self_attn.compressor",
                d,
                hd,
                series,
                rates[kind],
                len(where[kind]),
            )
    if where["csa"]:  # the lightning indexer: its own compressor at index_head_dim, queries and head weights
        c, q = f"model.layers.{layer_set(where['csa'], n_layers)}.self_attn.compressor.indexer", len(where["csa"])
        _kv_compressor(m, c, d, ihd, 2, rates["csa"], q)
        m.add(f"{c}.q_b_proj.weight", [ih * ihd, q_lora], q, "attention")
        m.add(f"{c}.scorer.weights_proj.weight", [ih, d], q, "attention")
    for name in ("input_layernorm", "post_attention_layernorm"):
        m.add(f"model.layers.*.{name}.weight", [d], n_layers, "norm")
    mixes = (2 + streams) * streams  # hyper-connections: pre, post (n each) and comb (n × n) mixing weights
    for name in ("attn_hc", "ffn_hc"):
        m.add(f"model.layers.*.{name}.fn", [mixes, streams * d], n_layers, "residual")
        m.add(f"model.layers.*.{name}.base", [mixes], n_layers, "residual")
        m.add(f"model.layers.*.{name}.scale", [3], n_layers, "residual")
    moe = {
        "kind": "deepseek_v4",
        "n_experts": n_exp,
        "top_k": top_k,
        "expert_ff": ff,
        "layers": list(range(n_layers)),
        "names": ("gate_proj", "up_proj", "down_proj"),
        "prefix": "mlp",
        "shared_ff": ff * n_shared,
        "shared_gate": False,
        "n_shared": n_shared,
        "shared_prefix": "mlp.shared_experts",
        "score_bias": False,
        "expert_bias": False,
        "router_bias": False,
        "fused": True,
        "expert_params": counts.mlp_params(d, ff, gated=True),
    }
    _moe_tensors(m, moe, d, n_layers)
    # routing buffers outside parameters(): the hash layers' frozen token → experts table, the others' score bias
    if hash_layers:
        m.buffers[f"model.layers.{layer_set(hash_layers, n_layers)}.mlp.gate.tid2eid"] = (
            len(hash_layers) * vocab * top_k
        )
    scored = [i for i in range(n_layers) if i not in set(hash_layers)]
    if scored:
        m.buffers[f"model.layers.{layer_set(scored, n_layers)}.mlp.gate.e_score_correction_bias"] = len(scored) * n_exp
    m.add("model.norm.weight", [d], 1, "norm")
    m.add("model.hc_head.hc_fn", [streams, streams * d], 1, "residual")
    m.add("model.hc_head.hc_base", [streams], 1, "residual")
    m.add("model.hc_head.hc_scale", [1], 1, "residual")
    if not tied:
        m.add("lm_head.weight", [vocab, d], 1, "output")

    # KV cache: every layer keeps its sliding window of one head_dim K = V entry per token; a CSA layer adds one
    # compressed entry (head_dim + the indexer's index_head_dim) per rate tokens, an HCA layer one head_dim entry
    compressed = {"csa": hd + ihd, "hca": hd}
    m.layer_kinds = [
        {"kind": "sliding", "window": window, "kv_elements_per_token": hd}
        if t == "sliding"
        else {
            "kind": "compressed",
            "window": window,
            "kv_elements_per_token": hd,
            "compress_ratio": rates[t],
            "compressed_elements": compressed[t],
        }
        for t in types
    ]
    m.windows = [window] * n_layers
    m.windows_note = f"{how}; every layer also keeps a {window:,}-token sliding window ({r.key('sliding_window')})"
    m.kv_elements_per_layer = hd
    per_token = sum(
        row["kv_elements_per_token"]
        + counts.kv_compressed_elements_per_token(row.get("compressed_elements", 0), row.get("compress_ratio"))
        for row in m.layer_kinds
    )
    m.preset_kv = (1, math.ceil(per_token / (2 * n_layers)))
    m.preset_kv_note = (
        f"DeepSeek-V4 layers cache a {window:,}-token window of one {hd}-element K = V entry plus compressed "
        f"entries, so the preset hands the other recipes n_kv_heads = 1 and d_head = {m.preset_kv[1]}, which makes "
        "their 2·L·n_kv·d_head the model's KV elements per token (rounded up)"
    )
    m.kv_groups = [
        {
            "layers": len(where[t]),
            "n_kv_heads": 1,
            "d_head": hd,
            "v_head_dim": 0,
            "kv_elements_per_token": hd,
            "window": window,
            "compress_ratio": rates.get(t),
            "compressed_elements": compressed.get(t, 0),
            "label": {
                "sliding": "sliding window only",
                "csa": f"CSA: window + 1 entry of {hd} + {ihd} (indexer) " f"per {rates['csa']} tokens",
                "hca": f"HCA: window + 1 entry of {hd} per {rates['hca']} tokens",
            }[t],
        }
        for t in ("sliding", "csa", "hca")
        if where[t]
    ]
    m.summary = {
        "d_model": d,
        "n_layers": n_layers,
        "n_attention_heads": h,
        "n_kv_heads": 1,
        "d_head": hd,
        "attention": (
            f"shared-KV multi-query attention ({h} heads × {hd}, one K = V head, sinks, grouped output projection "
            f"{groups} × {o_lora}); {len(where['csa'])} CSA layers (1 compressed entry per {rates['csa']} tokens, "
            f"lightning indexer {ih} × {ihd}), {len(where['hca'])} HCA layers (1 per {rates['hca']} tokens), "
            f"{len(where['sliding'])} sliding-only layers; window {window:,} on every layer"
        ),
        "d_ff": None,
        "vocab_size": vocab,
        "tied_embeddings": tied,
        "mlp": "MoE on every layer (gated, fused gate_up) with a shared expert",
        "norm": f"RMSNorm (weight only), 2 per layer + q/kv/compressor norms; {streams} hyper-connection streams",
        "biases": "no linear biases",
        "positions": "RoPE (partial, interleaved; YaRN on the compressed branches)",
        "moe": (
            f"{n_exp} routed experts (d_ff = {ff}), {top_k} per token, {n_shared} shared, on {n_layers} layers; "
            f"the first {len(hash_layers)} route by a frozen token → experts table (tid2eid)"
        ),
    }
    return m


def _deepseek_v4_layer_types(r: Reader, n_layers: int) -> tuple[list[str], str]:
    """'sliding' / 'csa' / 'hca' per layer as DeepseekV4Config lays them out: layer_types, else the legacy
    compress_ratios (0 / 4 / 128 per layer, extra entries for MTP dropped), else 2 HCA layers then HCA/CSA."""
    names = r.str_list("layer_types")
    if names is not None:
        bad = sorted(set(names) - set(DEEPSEEK_V4_LAYER_TYPES))
        if bad:
            raise config_error(
                r.key("layer_types"),
                f"config.json key {r.key('layer_types')!r} has {bad[0]!r}; DeepSeek-V4 layers are "
                f"{', '.join(DEEPSEEK_V4_LAYER_TYPES)}.",
                value=bad[0],
            )
        types, how = [DEEPSEEK_V4_LAYER_TYPES[t] for t in names], r.key("layer_types")
    elif r.present("compress_ratios"):
        ratios = r.int_list("compress_ratios", maximum=LIMITS["positions"])
        bad_ratios = sorted(set(ratios) - set(DEEPSEEK_V4_RATIO_TYPES))
        if bad_ratios:
            raise config_error(
                r.key("compress_ratios"),
                f"config.json key {r.key('compress_ratios')!r} has {bad_ratios[0]}; DeepSeek-V4 compress ratios "
                "are 0 (sliding only), 4 (CSA) or 128 (HCA).",
                value=bad_ratios[0],
            )
        types, how = [DEEPSEEK_V4_RATIO_TYPES[x] for x in ratios[:n_layers]], r.key("compress_ratios")
    else:
        types = ["hca"] * min(n_layers, 2) + ["csa" if i % 2 else "hca" for i in range(max(n_layers - 2, 0))]
        how = "the DeepseekV4Config default (2 HCA layers, then HCA / CSA alternating)"
    if len(types) != n_layers:
        raise config_error(
            r.key("layer_types"),
            f"config.json lays out {len(types):,} DeepSeek-V4 layer types but num_hidden_layers = {n_layers:,}.",
            value=len(types),
        )
    return types, how


def _deepseek_v4_compress_rates(r: Reader) -> dict:
    """Tokens per compressed entry: compress_rates, else compress_rate_csa / compress_rate_hca, else 4 / 128."""
    given = r.obj("compress_rates") or {}
    rates = {}
    for kind, name, default in (
        ("csa", "compressed_sparse_attention", 4),
        ("hca", "heavily_compressed_attention", 128),
    ):
        if given.get(name) is not None:
            rates[kind] = check_int(
                r.key(f"compress_rates.{name}"), given[name], minimum=1, maximum=LIMITS["positions"]
            )
        else:
            rates[kind] = r.int(f"compress_rate_{kind}", (f"compress_rate_{kind}",), default=default, limit="positions")
    return rates


def _kv_compressor(m: Model, p: str, d: int, dim: int, series: int, rate: int, count: int) -> None:
    """A DeepSeek-V4 KV compressor: KV and gate projections for ``series`` overlapping series of ``dim``, a
    learned position bias per window slot, and the norm of the compressed entry."""
    m.add(f"{p}.kv_proj.weight", [series * dim, d], count, "attention")
    m.add(f"{p}.gate_proj.weight", [series * dim, d], count, "attention")
    m.add(f"{p}.position_bias", [rate, series * dim], count, "attention")
    m.add(f"{p}.kv_norm.weight", [dim], count, "norm")


# ── GPT-J ────────────────────────────────────────────────────────────────────
def read_gptj(r: Reader, rules: dict, model_type: str | None) -> Model:
    m = Model(rules, model_type, max_pos_keys=("n_positions", "max_position_embeddings"))
    d = r.int("d_model", ("n_embd", "hidden_size"), needed_for="for every weight matrix")
    n_layers = r.int("n_layers", ("n_layer", "num_hidden_layers"), limit="layers", needed_for="to count the layers")
    h, kv, dh = _heads(r, d, kv_keys=(), head_keys=("n_head", "num_attention_heads"), explicit_head_dim=False)
    vocab = _vocab(r)
    ff = r.int("d_ff", ("n_inner",), default=4 * d)
    tied = r.bool("tie_word_embeddings", ("tie_word_embeddings",), False)
    m.add("transformer.wte.weight", [vocab, d], 1, "embedding")
    m.norm("transformer.h.*.ln_1", d, n_layers, True)
    for name in ("q_proj", "k_proj", "v_proj", "out_proj"):
        m.add(f"transformer.h.*.attn.{name}.weight", [d, d], n_layers, "attention")
    m.linear("transformer.h.*.mlp.fc_in", ff, d, n_layers, "mlp", True)
    m.linear("transformer.h.*.mlp.fc_out", d, ff, n_layers, "mlp", True)
    m.norm("transformer.ln_f", d, 1, True)
    if not tied:
        m.add("lm_head.weight", [vocab, d], 1, "output")
        m.add("lm_head.bias", [vocab], 1, "output_bias")
    m.kv_elements_per_layer = defined(counts.kv_elements_per_token_gqa(h, dh))
    m.preset_kv = (h, dh)
    m.summary = {
        "d_model": d,
        "n_layers": n_layers,
        "n_attention_heads": h,
        "n_kv_heads": h,
        "d_head": dh,
        "attention": _attention_label(h, h),
        "d_ff": ff,
        "vocab_size": vocab,
        "tied_embeddings": tied,
        "mlp": "plain (fc_in, GELU, fc_out) with biases",
        "norm": "LayerNorm (weight + bias), 1 per layer",
        "biases": "MLP and output-head biases; none on attention",
        "positions": "RoPE (rotary_dim of each head)",
        "residual": "parallel attention + MLP",
    }
    return m


# ── Phi-1 / Phi-1.5 / Phi-2 ──────────────────────────────────────────────────
def read_phi(r: Reader, rules: dict, model_type: str | None) -> Model:
    m = Model(rules, model_type)
    d = r.int("d_model", ("hidden_size", "n_embd"), needed_for="for every weight matrix")
    n_layers = r.int("n_layers", ("num_hidden_layers", "n_layer"), limit="layers", needed_for="to count the layers")
    h, kv, dh = _heads(r, d, head_keys=("num_attention_heads", "n_head"))
    vocab = _vocab(r)
    ff = r.int("d_ff", ("intermediate_size", "n_inner"), default=4 * d)
    tied = r.bool("tie_word_embeddings", ("tie_word_embeddings",), False)
    qk_ln = r.bool("qk_layernorm", ("qk_layernorm",), False)
    m.add("model.embed_tokens.weight", [vocab, d], 1, "embedding")
    for name, out in (("q_proj", h * dh), ("k_proj", kv * dh), ("v_proj", kv * dh)):
        m.linear(f"model.layers.*.self_attn.{name}", out, d, n_layers, "attention", True)
    m.linear("model.layers.*.self_attn.dense", d, h * dh, n_layers, "attention", True)
    if qk_ln:
        for name in ("q_layernorm", "k_layernorm"):
            m.norm(f"model.layers.*.self_attn.{name}", dh, n_layers, True)
    m.linear("model.layers.*.mlp.fc1", ff, d, n_layers, "mlp", True)
    m.linear("model.layers.*.mlp.fc2", d, ff, n_layers, "mlp", True)
    m.norm("model.layers.*.input_layernorm", d, n_layers, True)
    m.norm("model.final_layernorm", d, 1, True)
    if not tied:
        m.add("lm_head.weight", [vocab, d], 1, "output")
        m.add("lm_head.bias", [vocab], 1, "output_bias")
    m.kv_elements_per_layer = defined(counts.kv_elements_per_token_gqa(kv, dh))
    m.preset_kv = (kv, dh)
    m.summary = {
        "d_model": d,
        "n_layers": n_layers,
        "n_attention_heads": h,
        "n_kv_heads": kv,
        "d_head": dh,
        "attention": _attention_label(h, kv),
        "d_ff": ff,
        "vocab_size": vocab,
        "tied_embeddings": tied,
        "mlp": "plain (fc1, GELU, fc2) with biases",
        "norm": "LayerNorm (weight + bias), 1 per layer",
        "biases": "biases on every linear layer and the output head",
        "positions": "RoPE (partial)",
        "residual": "parallel attention + MLP",
    }
    return m


# ── Nemotron-H: Mamba-2, attention, MLP and MoE layers in one pattern ───────
NEMOTRON_H_LAYER = {"M": "mamba", "*": "attention", "-": "mlp", "E": "moe"}
NEMOTRON_H_TYPES = {
    "mamba": "mamba",
    "linear_attention": "mamba",
    "attention": "attention",
    "full_attention": "attention",
    "mlp": "mlp",
    "moe": "moe",
}


def read_nemotron_h(r: Reader, rules: dict, model_type: str | None) -> Model:
    m = Model(rules, model_type)
    d = r.int("d_model", ("hidden_size",), needed_for="for every weight matrix")
    pattern = r.text("hybrid_override_pattern")
    if pattern is not None:
        bad = sorted(set(pattern) - set(NEMOTRON_H_LAYER))
        if bad:
            raise config_error(
                r.key("hybrid_override_pattern"),
                f"config.json key "
                f"{r.key('hybrid_override_pattern')!r} has {bad[0]!r}, which is not a layer kind: "
                "expected M (Mamba-2), * (attention), - (MLP) or E (MoE).",
                value=pattern,
            )
        blocks = [NEMOTRON_H_LAYER[c] for c in pattern]
        r.note("n_layers", "len(hybrid_override_pattern)")
    else:
        types = r.str_list("layers_block_type")
        if types is None:
            raise config_error(
                r.key("hybrid_override_pattern"),
                "config.json has no 'hybrid_override_pattern' "
                "(nor 'layers_block_type'), which is needed to lay out the Nemotron-H layers.",
            )
        unknown = sorted(set(types) - set(NEMOTRON_H_TYPES))
        if unknown:
            raise config_error(
                r.key("layers_block_type"),
                f"config.json key {r.key('layers_block_type')!r} has {unknown[0]!r}, which is not a layer kind.",
                value=unknown[0],
            )
        blocks = [NEMOTRON_H_TYPES[t] for t in types]
    if not blocks or len(blocks) > LIMITS["layers"]:
        raise config_error(r.key("hybrid_override_pattern"), "the Nemotron-H layer pattern is empty or too long.")
    n_layers = len(blocks)
    h, kv, dh = _heads(r, d)
    vocab = _vocab(r)
    tied = r.bool("tie_word_embeddings", ("tie_word_embeddings",), False)
    attn_bias = r.bool("attention_bias", ("attention_bias",), False)
    mlp_bias = r.bool("mlp_bias", ("mlp_bias",), False)
    idx = {kind: [i for i, b in enumerate(blocks) if b == kind] for kind in ("mamba", "attention", "mlp", "moe")}
    where = {kind: layer_set(ix, n_layers) for kind, ix in idx.items()}
    m.add("model.embeddings.weight", [vocab, d], 1, "embedding")
    m.add("model.layers.*.norm.weight", [d], n_layers, "norm")
    state = 0
    if idx["mamba"]:
        heads = r.int("mamba_num_heads", ("mamba_num_heads",), default=128, limit="heads")
        head_dim = r.int("mamba_head_dim", ("mamba_head_dim",), default=64)
        d_state = r.int("ssm_state_size", ("ssm_state_size",), default=128)
        groups = r.int("n_groups", ("n_groups",), default=8, limit="heads")
        kernel = r.int("conv_kernel", ("conv_kernel",), default=4, limit="layers")
        conv_bias = r.bool("use_conv_bias", ("use_conv_bias",), True)
        bias = r.bool("use_bias", ("use_bias",), False)
        p = f"model.layers.{where['mamba']}.mixer"
        state = _mamba2(m, p, d, heads, head_dim, groups, d_state, kernel, len(idx["mamba"]), conv_bias, bias)
    if idx["attention"]:
        _plain_attention(m, f"model.layers.{where['attention']}.mixer", h, kv, dh, d, len(idx["attention"]), attn_bias)
    ff = None
    if idx["mlp"]:
        ff = r.int("d_ff", ("intermediate_size",), needed_for="for the MLP layers")
        n, p = len(idx["mlp"]), f"model.layers.{where['mlp']}.mixer"
        m.linear(f"{p}.up_proj", ff, d, n, "mlp", mlp_bias)
        m.linear(f"{p}.down_proj", d, ff, n, "mlp", mlp_bias)
    if idx["moe"]:
        n_exp = r.int(
            "n_experts", ("n_routed_experts", "num_experts"), limit="experts", needed_for="for the expert count"
        )
        top_k = _experts_per_token(r, n_exp)
        expert_ff = r.int("expert_d_ff", ("moe_intermediate_size",), needed_for="for the expert matrices")
        shared_ff = r.int("shared_expert_d_ff", ("moe_shared_expert_intermediate_size",), default=0, minimum=0)
        n, p = len(idx["moe"]), f"model.layers.{where['moe']}.mixer"
        m.add(f"{p}.gate.weight", [n_exp, d], n, "router")
        m.buffers[f"{p}.gate.e_score_correction_bias"] = n_exp * n
        # latent MoE (Nemotron 3): the experts work in a moe_latent_size space, projected in and out once
        width = r.int("moe_latent_size", ("moe_latent_size",), default=d)
        if width != d:
            m.add(f"{p}.fc1_latent_proj.weight", [width, d], n, "mlp")
            m.add(f"{p}.fc2_latent_proj.weight", [d, width], n, "mlp")
        m.add(f"{p}.experts.*.up_proj.weight", [expert_ff, width], n * n_exp, "experts")
        m.add(f"{p}.experts.*.down_proj.weight", [width, expert_ff], n * n_exp, "experts")
        if shared_ff:
            m.add(f"{p}.shared_experts.up_proj.weight", [shared_ff, d], n, "shared_experts")
            m.add(f"{p}.shared_experts.down_proj.weight", [d, shared_ff], n, "shared_experts")
        m.moe = {
            "n_moe_layers": n,
            "n_experts": n_exp,
            "top_k": top_k,
            "expert_params": 2 * width * expert_ff,
            "layers": list(idx["moe"]),
            "n_shared_experts": int(shared_ff > 0),
        }
    m.add("model.norm_f.weight", [d], 1, "norm")
    if not tied:
        m.add("lm_head.weight", [vocab, d], 1, "output")
    m.kv_elements_per_layer = defined(counts.kv_elements_per_token_gqa(kv, dh))
    m.preset_kv = (kv, dh)
    m.layer_kinds = [
        {
            "kind": "full" if b == "attention" else "ssm" if b == "mamba" else "mlp",
            "kv_elements_per_token": m.kv_elements_per_layer if b == "attention" else 0,
            "state_elements": state if b == "mamba" else 0,
        }
        for b in blocks
    ]
    m.summary = {
        "d_model": d,
        "n_layers": n_layers,
        "n_attention_heads": h,
        "n_kv_heads": kv,
        "d_head": dh,
        "attention": _attention_label(h, kv) + f" on {len(idx['attention'])} layers",
        "d_ff": ff,
        "vocab_size": vocab,
        "tied_embeddings": tied,
        "layers": (
            f"{len(idx['mamba'])} Mamba-2, {len(idx['attention'])} attention, {len(idx['mlp'])} MLP, "
            f"{len(idx['moe'])} MoE layers (one mixer per layer)"
        ),
        "mlp": "plain (up, ReLU², down)",
        "norm": "RMSNorm (weight only), 1 per layer + gated norm in Mamba-2",
        "biases": _bias_label(attn_bias, attn_bias, mlp_bias),
        "positions": "none (no RoPE)",
    }
    m.pos = "none"
    return m


# ── OPT ──────────────────────────────────────────────────────────────────────
def read_opt(r: Reader, rules: dict, model_type: str | None) -> Model:
    m = Model(rules, model_type, pos="learned")
    d = r.int("d_model", ("hidden_size",), needed_for="for every weight matrix")
    n_layers = r.int("n_layers", ("num_hidden_layers",), limit="layers", needed_for="to count the layers")
    h, kv, dh = _heads(r, d, kv_keys=(), explicit_head_dim=False)
    vocab = _vocab(r)
    ff = r.int("d_ff", ("ffn_dim",), default=3072)
    proj = r.int("word_embed_proj_dim", ("word_embed_proj_dim",), default=d)
    n_pos = r.int("T_max", ("max_position_embeddings",), default=2048, limit="positions")
    tied = r.bool("tie_word_embeddings", ("tie_word_embeddings",), True)
    bias = r.bool("enable_bias", ("enable_bias",), True)
    affine = r.bool("layer_norm_elementwise_affine", ("layer_norm_elementwise_affine",), True)
    final_ln = r.bool("do_layer_norm_before", ("do_layer_norm_before",), True) and not r.bool(
        "_remove_final_layer_norm", ("_remove_final_layer_norm",), False
    )
    p = "model.decoder"
    m.add(f"{p}.embed_tokens.weight", [vocab, proj], 1, "embedding")
    m.add(f"{p}.embed_positions.weight", [n_pos + 2, d], 1, "position")  # OPT offsets positions by 2
    if proj != d:
        m.add(f"{p}.project_in.weight", [d, proj], 1, "attention")
        m.add(f"{p}.project_out.weight", [proj, d], 1, "attention")
    for name in ("q_proj", "k_proj", "v_proj", "out_proj"):
        m.linear(f"{p}.layers.*.self_attn.{name}", d, d, n_layers, "attention", bias)
    m.add(f"{p}.layers.*.fc1.weight", [ff, d], n_layers, "mlp")
    m.add(f"{p}.layers.*.fc2.weight", [d, ff], n_layers, "mlp")
    if bias:
        m.add(f"{p}.layers.*.fc1.bias", [ff], n_layers, "mlp")
        m.add(f"{p}.layers.*.fc2.bias", [d], n_layers, "mlp")
    if affine:
        for ln in ("self_attn_layer_norm", "final_layer_norm"):
            m.norm(f"{p}.layers.*.{ln}", d, n_layers, True)
        if final_ln:
            m.norm(f"{p}.final_layer_norm", d, 1, True)
    if not tied:
        m.add("lm_head.weight", [vocab, proj], 1, "output")
    m.kv_elements_per_layer = defined(counts.kv_elements_per_token_gqa(h, dh))
    m.preset_kv = (h, dh)
    m.max_pos_keys = ("max_position_embeddings",)
    m.summary = {
        "d_model": d,
        "n_layers": n_layers,
        "n_attention_heads": h,
        "n_kv_heads": h,
        "d_head": dh,
        "attention": _attention_label(h, h),
        "d_ff": ff,
        "vocab_size": vocab,
        "tied_embeddings": tied,
        "mlp": "plain (fc1, ReLU, fc2)",
        "norm": "LayerNorm (weight + bias), 2 per layer",
        "biases": "biases on every linear layer" if bias else "no linear biases",
        "positions": f"learned absolute ({n_pos:,} positions + 2 offset rows)",
    }
    return m


# ── BLOOM ────────────────────────────────────────────────────────────────────
def read_bloom(r: Reader, rules: dict, model_type: str | None) -> Model:
    m = Model(rules, model_type, pos="alibi", max_pos_keys=("seq_length", "max_position_embeddings"))
    d = r.int("d_model", ("hidden_size", "n_embed"), needed_for="for every weight matrix")
    n_layers = r.int("n_layers", ("n_layer", "num_hidden_layers"), limit="layers", needed_for="to count the layers")
    h, kv, dh = _heads(r, d, kv_keys=(), head_keys=("n_head", "num_attention_heads"), explicit_head_dim=False)
    vocab = _vocab(r)
    tied = r.bool("tie_word_embeddings", ("tie_word_embeddings",), True)
    m.add("transformer.word_embeddings.weight", [vocab, d], 1, "embedding")
    m.norm("transformer.word_embeddings_layernorm", d, 1, True)
    for ln in ("input_layernorm", "post_attention_layernorm"):
        m.norm(f"transformer.h.*.{ln}", d, n_layers, True)
    m.linear("transformer.h.*.self_attention.query_key_value", 3 * d, d, n_layers, "attention", True)
    m.linear("transformer.h.*.self_attention.dense", d, d, n_layers, "attention", True)
    m.linear("transformer.h.*.mlp.dense_h_to_4h", 4 * d, d, n_layers, "mlp", True)
    m.linear("transformer.h.*.mlp.dense_4h_to_h", d, 4 * d, n_layers, "mlp", True)
    m.norm("transformer.ln_f", d, 1, True)
    if not tied:
        m.add("lm_head.weight", [vocab, d], 1, "output")
    m.kv_elements_per_layer = defined(counts.kv_elements_per_token_gqa(h, dh))
    m.preset_kv = (h, dh)
    m.summary = {
        "d_model": d,
        "n_layers": n_layers,
        "n_attention_heads": h,
        "n_kv_heads": h,
        "d_head": dh,
        "attention": _attention_label(h, h) + ", fused query_key_value",
        "d_ff": 4 * d,
        "vocab_size": vocab,
        "tied_embeddings": tied,
        "mlp": "plain (dense_h_to_4h, GELU, dense_4h_to_h) with biases",
        "norm": "LayerNorm (weight + bias), 2 per layer + one after the embedding",
        "biases": "biases on every linear layer",
        "positions": "ALiBi",
    }
    return m


# ── Mamba (1) and Mamba-2 state-space models, Jamba (Mamba + attention + MoE) ──
def _dt_rank(r: Reader, key: str, d: int) -> int:
    value = r.cfg.get(key)
    if value is None or value == "auto":
        r.note("dt_rank", f"ceil(hidden_size / 16) ({key} auto)")
        return -(-d // 16)
    return r.int("dt_rank", (key,))


def _mamba1(
    m: Model,
    p: str,
    d: int,
    inner: int,
    d_state: int,
    kernel: int,
    dt_rank: int,
    n: int,
    conv_bias: bool,
    proj_bias: bool,
    jamba_norms: bool = False,
) -> int:
    """Mamba (S6) mixer tensors; returns the state elements per layer (conv window + SSM state)."""
    m.linear(f"{p}.in_proj", 2 * inner, d, n, "ssm", proj_bias)
    m.add(f"{p}.conv1d.weight", [inner, 1, kernel], n, "ssm")
    if conv_bias:
        m.add(f"{p}.conv1d.bias", [inner], n, "ssm")
    m.add(f"{p}.x_proj.weight", [dt_rank + 2 * d_state, inner], n, "ssm")
    m.linear(f"{p}.dt_proj", inner, dt_rank, n, "ssm", True)
    m.add(f"{p}.A_log", [inner, d_state], n, "ssm")
    m.add(f"{p}.D", [inner], n, "ssm")
    m.linear(f"{p}.out_proj", d, inner, n, "ssm", proj_bias)
    if jamba_norms:
        m.add(f"{p}.dt_layernorm.weight", [dt_rank], n, "norm")
        m.add(f"{p}.b_layernorm.weight", [d_state], n, "norm")
        m.add(f"{p}.c_layernorm.weight", [d_state], n, "norm")
    return inner * kernel + inner * d_state


def _mamba2(
    m: Model,
    p: str,
    d: int,
    heads: int,
    head_dim: int,
    groups: int,
    d_state: int,
    kernel: int,
    n: int,
    conv_bias: bool,
    bias: bool,
) -> int:
    """Mamba-2 (SSD) mixer tensors (Mamba-2, Nemotron-H); returns the state elements per layer."""
    inner = heads * head_dim
    conv_dim = inner + 2 * groups * d_state
    m.linear(f"{p}.in_proj", inner + conv_dim + heads, d, n, "ssm", bias)  # z, x, B, C and dt together
    m.add(f"{p}.conv1d.weight", [conv_dim, 1, kernel], n, "ssm")
    if conv_bias:
        m.add(f"{p}.conv1d.bias", [conv_dim], n, "ssm")
    for name in ("dt_bias", "A_log", "D"):
        m.add(f"{p}.{name}", [heads], n, "ssm")
    m.norm(f"{p}.norm", inner, n)
    m.linear(f"{p}.out_proj", d, inner, n, "ssm", bias)
    return conv_dim * kernel + heads * head_dim * d_state  # conv window + SSM state, per sequence


def _ssm_summary(d: int, n_layers: int, vocab: int, tied: bool, what: str) -> dict:
    return {
        "d_model": d,
        "n_layers": n_layers,
        "n_attention_heads": 1,
        "n_kv_heads": 1,
        "d_head": 1,
        "attention": "none (state-space layers)",
        "d_ff": None,
        "vocab_size": vocab,
        "tied_embeddings": tied,
        "layers": what,
        "mlp": "none",
        "norm": "RMSNorm (weight only), 1 per layer",
        "biases": "conv1d and dt biases",
        "positions": "none",
    }


def read_mamba(r: Reader, rules: dict, model_type: str | None) -> Model:
    m = Model(rules, model_type, pos="none")
    d = r.int("d_model", ("hidden_size", "d_model"), needed_for="for every weight matrix")
    n_layers = r.int("n_layers", ("num_hidden_layers", "n_layer"), limit="layers", needed_for="to count the layers")
    vocab = _vocab(r)
    tied = r.bool("tie_word_embeddings", ("tie_word_embeddings",), rules["tied_default"])
    d_state = r.int("state_size", ("state_size",), default=16 if rules["family"] == "mamba" else 128)
    kernel = r.int("conv_kernel", ("conv_kernel",), default=4, limit="layers")
    conv_bias = r.bool("use_conv_bias", ("use_conv_bias",), True)
    bias = r.bool("use_bias", ("use_bias",), False)
    m.add("backbone.embeddings.weight", [vocab, d], 1, "embedding")
    m.add("backbone.layers.*.norm.weight", [d], n_layers, "norm")
    p = "backbone.layers.*.mixer"
    if rules["family"] == "mamba":
        inner = r.int("d_inner", ("intermediate_size",), default=2 * d)
        state = _mamba1(m, p, d, inner, d_state, kernel, _dt_rank(r, "time_step_rank", d), n_layers, conv_bias, bias)
        what = f"{n_layers} Mamba (selective SSM) layers"
    else:
        heads = r.int("mamba_num_heads", ("num_heads",), default=128, limit="heads")
        head_dim = r.int("mamba_head_dim", ("head_dim",), default=64)
        groups = r.int("n_groups", ("n_groups",), default=8, limit="heads")
        state = _mamba2(m, p, d, heads, head_dim, groups, d_state, kernel, n_layers, conv_bias, bias)
        what = f"{n_layers} Mamba-2 (SSD) layers"
    m.add("backbone.norm_f.weight", [d], 1, "norm")
    if not tied:
        m.add("lm_head.weight", [vocab, d], 1, "output")
    m.kv_elements_per_layer = 0
    m.preset_kv = (1, 1)
    m.layer_kinds = [{"kind": "ssm", "kv_elements_per_token": 0, "state_elements": state}] * n_layers
    m.summary = _ssm_summary(d, n_layers, vocab, tied, what)
    return m


def read_jamba(r: Reader, rules: dict, model_type: str | None) -> Model:
    m = Model(rules, model_type, pos="none")
    d = r.int("d_model", ("hidden_size",), needed_for="for every weight matrix")
    n_layers = r.int("n_layers", ("num_hidden_layers",), limit="layers", needed_for="to count the layers")
    h, kv, dh = _heads(r, d, explicit_head_dim=False)
    vocab = _vocab(r)
    tied = r.bool("tie_word_embeddings", ("tie_word_embeddings",), False)
    attn_period = r.int("attn_layer_period", ("attn_layer_period",), default=8, limit="layers")
    attn_offset = r.int("attn_layer_offset", ("attn_layer_offset",), default=4, minimum=0, limit="layers")
    exp_period = r.int("expert_layer_period", ("expert_layer_period",), default=2, limit="layers")
    exp_offset = r.int("expert_layer_offset", ("expert_layer_offset",), default=1, minimum=0, limit="layers")
    n_exp = r.int("n_experts", ("num_experts",), default=16, limit="experts")
    attn = [i for i in range(n_layers) if i % attn_period == attn_offset]
    mamba = [i for i in range(n_layers) if i not in set(attn)]
    moe_layers = [i for i in range(n_layers) if n_exp > 1 and i % exp_period == exp_offset]
    dense = [i for i in range(n_layers) if i not in set(moe_layers)]
    ff = r.int("d_ff", ("intermediate_size",), needed_for="for the MLP and expert matrices")
    m.add("model.embed_tokens.weight", [vocab, d], 1, "embedding")
    for ln in ("input_layernorm", "pre_ff_layernorm"):
        m.add(f"model.layers.*.{ln}.weight", [d], n_layers, "norm")
    if attn:
        _plain_attention(m, f"model.layers.{layer_set(attn, n_layers)}.self_attn", h, kv, dh, d, len(attn), False)
    state = 0
    if mamba:
        inner = r.int("mamba_expand", ("mamba_expand",), default=2, limit="layers") * d
        state = _mamba1(
            m,
            f"model.layers.{layer_set(mamba, n_layers)}.mamba",
            d,
            inner,
            r.int("mamba_d_state", ("mamba_d_state",), default=16),
            r.int("mamba_d_conv", ("mamba_d_conv",), default=4, limit="layers"),
            _dt_rank(r, "mamba_dt_rank", d),
            len(mamba),
            r.bool("mamba_conv_bias", ("mamba_conv_bias",), True),
            r.bool("mamba_proj_bias", ("mamba_proj_bias",), False),
            jamba_norms=True,
        )
    if dense:
        _gated_mlp(m, f"model.layers.{layer_set(dense, n_layers)}.feed_forward", d, ff, len(dense), "mlp", False, False)
    if moe_layers:
        top_k = _experts_per_token(r, n_exp, default=2)
        moe = {
            "kind": "jamba",
            "n_experts": n_exp,
            "top_k": top_k,
            "expert_ff": ff,
            "layers": moe_layers,
            "layer_set": set(moe_layers),
            "names": ("gate_proj", "up_proj", "down_proj"),
            "prefix": "feed_forward",
            "shared_ff": 0,
            "shared_gate": False,
            "n_shared": 0,
            "shared_prefix": "",
            "score_bias": False,
            "expert_bias": False,
            "router_bias": False,
            "expert_params": counts.mlp_params(d, ff, gated=True),
        }
        _moe_tensors(m, moe, d, n_layers)
    m.add("model.final_layernorm.weight", [d], 1, "norm")
    if not tied:
        m.add("lm_head.weight", [vocab, d], 1, "output")
    m.kv_elements_per_layer = defined(counts.kv_elements_per_token_gqa(kv, dh))
    m.preset_kv = (kv, dh)
    m.layer_kinds = [
        {"kind": "full", "kv_elements_per_token": m.kv_elements_per_layer, "state_elements": 0}
        if i in set(attn)
        else {"kind": "ssm", "kv_elements_per_token": 0, "state_elements": state}
        for i in range(n_layers)
    ]
    m.summary = {
        "d_model": d,
        "n_layers": n_layers,
        "n_attention_heads": h,
        "n_kv_heads": kv,
        "d_head": dh,
        "attention": _attention_label(h, kv) + f" on {len(attn)} layers",
        "d_ff": ff,
        "vocab_size": vocab,
        "tied_embeddings": tied,
        "layers": f"{len(mamba)} Mamba layers, {len(attn)} attention layers",
        "mlp": "gated (gate, up, down)",
        "norm": "RMSNorm (weight only), 2 per layer",
        "biases": "no linear biases",
        "positions": "none (no RoPE)",
    }
    return m


# ── DBRX (MoE; attention and expert sizes in nested attn_config / ffn_config) ──
def _nested(r: Reader, name: str) -> Reader:
    """A Reader on a nested config object (absent → empty: the sub-config class defaults apply)."""
    return Reader(r.obj(name) or {}, prefix=r.key(f"{name}."))


def read_dbrx(r: Reader, rules: dict, model_type: str | None) -> Model:
    m = Model(rules, model_type, max_pos_keys=("max_seq_len", "max_position_embeddings"))
    d = r.int("d_model", ("d_model", "hidden_size"), needed_for="for every weight matrix")
    n_layers = r.int("n_layers", ("n_layers", "num_hidden_layers"), limit="layers", needed_for="to count the layers")
    attn, ffn = _nested(r, "attn_config"), _nested(r, "ffn_config")
    # DbrxAttentionConfig / DbrxFFNConfig defaults (transformers 5.24) for keys the nested objects leave out
    h = r.int("n_attention_heads", ("n_heads", "num_attention_heads"), needed_for="for the attention projections")
    kv = attn.int("n_kv_heads", ("kv_n_heads",), default=1, limit="heads")
    if kv > h or h % kv:
        raise config_error(
            attn.key("kv_n_heads"),
            f"config.json key {attn.key('kv_n_heads')!r} = {format_bound(kv)} is not valid: n_heads = "
            f"{format_bound(h)} must be a multiple of it (each KV head serves a whole group of query heads).",
            value=kv,
        )
    if d % h:
        raise config_error(
            r.key("n_heads"),
            f"d_model {format_bound(d)} is not divisible by n_heads = {format_bound(h)}.",
            value=h,
        )
    dh = d // h
    vocab = _vocab(r)
    if r.bool("tie_word_embeddings", ("tie_word_embeddings",), False):
        raise config_error(
            r.key("tie_word_embeddings"),
            "config.json key 'tie_word_embeddings' = true is not valid for DBRX: its output head is never tied "
            "(transformers' DbrxConfig refuses it).",
            value=True,
        )
    ff = ffn.int("expert_d_ff", ("ffn_hidden_size",), default=3584, needed_for="for the expert matrices")
    n_exp = ffn.int("n_experts", ("moe_num_experts",), default=4, limit="experts")
    top_k = _experts_per_token(ffn, n_exp, ("moe_top_k",), default=1)
    if attn.present("rope_theta"):
        m.nested_theta = (attn.number("theta", ("rope_theta",), maximum=1e12), attn.key("rope_theta"))
    for sub in (attn, ffn):
        r.sources.update(sub.sources)
    p = "transformer.blocks.*"
    m.add("transformer.wte.weight", [vocab, d], 1, "embedding")
    m.add(f"{p}.norm_attn_norm.norm_1.weight", [d], n_layers, "norm")  # LayerNorm without bias
    m.add(f"{p}.norm_attn_norm.attn.Wqkv.weight", [d + 2 * kv * dh, d], n_layers, "attention")
    m.add(f"{p}.norm_attn_norm.attn.out_proj.weight", [d, d], n_layers, "attention")
    m.add(f"{p}.norm_attn_norm.norm_2.weight", [d], n_layers, "norm")
    m.add(f"{p}.ffn.router.layer.weight", [n_exp, d], n_layers, "router")
    for name in ("w1", "v1", "w2"):  # each expert's gate, up and down matrices, fused along the experts
        m.add(f"{p}.ffn.experts.mlp.{name}", [ff, d], n_layers * n_exp, "experts")
    m.add("transformer.norm_f.weight", [d], 1, "norm")
    m.add("lm_head.weight", [vocab, d], 1, "output")
    m.moe = {
        "n_moe_layers": n_layers,
        "n_experts": n_exp,
        "top_k": top_k,
        "expert_params": counts.mlp_params(d, ff, gated=True),
        "layers": list(range(n_layers)),
        "n_shared_experts": 0,
    }
    m.kv_elements_per_layer = defined(counts.kv_elements_per_token_gqa(kv, dh))
    m.preset_kv = (kv, dh)
    m.summary = {
        "d_model": d,
        "n_layers": n_layers,
        "n_attention_heads": h,
        "n_kv_heads": kv,
        "d_head": dh,
        "attention": _attention_label(h, kv) + ", fused Wqkv",
        "d_ff": None,
        "vocab_size": vocab,
        "tied_embeddings": False,
        "mlp": "gated experts (w1, v1, w2)",
        "norm": "LayerNorm (weight only), 2 per layer",
        "biases": "no linear biases",
        "positions": "RoPE",
        "moe": f"{n_exp} routed experts (d_ff = {ff}), {top_k} per token, on {n_layers} layers",
    }
    return m


READERS = {
    "opt": read_opt,
    "bloom": read_bloom,
    "mamba": read_mamba,
    "jamba": read_jamba,
    "gptj": read_gptj,
    "phi": read_phi,
    "nemotron_h": read_nemotron_h,
    "decoder": read_decoder,
    "gpt2": read_gpt2,
    "gpt_neox": read_gpt_neox,
    "falcon": read_falcon,
    "deepseek": read_deepseek,
    "deepseek_v4": read_deepseek_v4,
    "dbrx": read_dbrx,
}


def group_totals(tensors: list) -> dict:
    """Parameters per group, in GROUPS order, omitting empty groups."""
    totals = {g: 0 for g in GROUPS}
    for t in tensors:
        totals[t["group"]] += t["params"]
    return {g: n for g, n in totals.items() if n}


__all__ = ["Model", "READERS", "GROUPS", "EMBEDDING_GROUPS", "group_totals", "layer_set", "ParamError", "MISSING"]
