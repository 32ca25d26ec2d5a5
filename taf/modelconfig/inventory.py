"""Tensor inventories: the tensors a model allocates, tensor by tensor, for each family reader.

A reader takes a :class:`~taf.modelconfig.reader.Reader` on the config and the family's
rules row and returns a :class:`Model`: the architecture summary, the tensor list
(name, shape, how many copies, group), the KV-cache layout and the MoE layout. Totals
are sums over that list — nothing is estimated.

Tensor names follow the Hugging Face checkpoints (``model.layers.*.self_attn.q_proj.weight``);
shapes are (out, in) for ``nn.Linear`` and (in, out) for GPT-2's ``Conv1D``, as stored.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..params import ParamError, format_number
from . import counts
from .reader import LIMITS, MISSING, Reader, check_int, config_error

#: tensor groups, in display order; the first three are "embedding" parameters
GROUPS = ("embedding", "position", "output", "attention", "mlp", "experts", "shared_experts", "router", "norm")
EMBEDDING_GROUPS = ("embedding", "position", "output")


@dataclass
class Model:
    family: dict
    model_type: str | None
    summary: dict = field(default_factory=dict)
    tensors: list = field(default_factory=list)
    #: KV-cache elements one layer stores per token (uniform across layers)
    kv_elements_per_layer: int = 0
    kv_kind: str = "gqa"              # gqa | mla
    kv_naive_elements_per_layer: int | None = None   # MLA: decompressed K/V per layer
    windows: list = field(default_factory=list)      # per layer: sliding window W or None
    pos: str = "rope"                 # rope | learned | alibi
    theta_keys: tuple = ("rope_theta",)
    max_pos_keys: tuple = ("max_position_embeddings",)
    #: (n_kv_heads, d_head) handed to the other recipes, and why
    preset_kv: tuple = (1, 1)
    preset_kv_note: str = ""
    #: MoE: number of MoE layers, experts, experts per token, params of one routed expert
    moe: dict | None = None
    mtp_params: int = 0
    mtp_layers: int = 0
    notes: list = field(default_factory=list)
    caveats: list = field(default_factory=list)

    def add(self, name: str, shape: list, count: int, group: str) -> None:
        """Append one tensor row (``count`` copies of ``shape``) unless it is empty."""
        n = 1
        for s in shape:
            n *= s
        if count <= 0 or n <= 0:
            return
        self.tensors.append({"name": name, "shape": list(shape), "count": count, "params": n * count,
                             "group": group})


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


def _heads(r: Reader, hidden: int, *, kv_keys=("num_key_value_heads", "num_kv_heads", "n_head_kv"),
           head_keys=("num_attention_heads", "n_head", "num_heads"), explicit_head_dim: bool = True):
    h = r.int("n_attention_heads", head_keys, limit="heads", needed_for="for the attention projections")
    kv = r.int("n_kv_heads", kv_keys, default=h, limit="heads") if kv_keys else h
    if kv_keys and not r.first(kv_keys):
        r.note("n_kv_heads", f"= {r.sources.get('n_attention_heads', 'num_attention_heads')} "
                             f"({kv_keys[0]} absent: multi-head attention)")
    if kv > h:
        raise config_error(r.key(kv_keys[0]), f"config.json key {r.key(kv_keys[0])!r} = {format_number(kv)} is not "
                                              f"valid: it must be ≤ num_attention_heads = {format_number(h)}.", value=kv)
    if h % kv:
        raise config_error(r.key(kv_keys[0]), f"config.json key {r.key(kv_keys[0])!r} = {format_number(kv)} is not "
                                              f"valid: num_attention_heads = {format_number(h)} must be a multiple of "
                                              "it (each KV head serves a whole group of query heads).", value=kv)
    if explicit_head_dim and r.present("head_dim"):
        dh = r.int("d_head", ("head_dim",), limit="width")
    else:
        if hidden % h:
            raise config_error(r.key(head_keys[0]), f"hidden size {format_number(hidden)} is not divisible by "
                                                    f"{r.key(head_keys[0])} = {format_number(h)}, and the config has no "
                                                    "head_dim to say otherwise.", value=h)
        dh = hidden // h
        r.note("d_head", f"{r.sources.get('d_model', 'hidden_size')} / {r.sources.get('n_attention_heads')}")
    return h, kv, dh


def _vocab(r: Reader) -> int:
    return r.int("vocab_size", ("vocab_size",), limit="vocab", needed_for="for the embedding matrix")


# ── Llama-like decoders (Llama, Mistral, Mixtral, Qwen, Gemma, Phi-3, generic) ──
def read_decoder(r: Reader, rules: dict, model_type: str | None) -> Model:
    m = Model(rules, model_type)
    d = r.int("d_model", ("hidden_size", "n_embd", "d_model"), needed_for="for every weight matrix")
    n_layers = r.int("n_layers", ("num_hidden_layers", "n_layer", "num_layers"), limit="layers",
                     needed_for="to count the layers")
    h, kv, dh = _heads(r, d)
    vocab = _vocab(r)
    tied = r.bool("tie_word_embeddings", ("tie_word_embeddings",), rules["tied_default"])
    qkv_bias = _flag(r, "qkv_bias", rules["qkv_bias"])
    o_bias = _flag(r, "o_bias", rules["o_bias"])
    mlp_bias = _flag(r, "mlp_bias", rules["mlp_bias"])
    fused = rules["layout"] == "fused"

    moe = _read_moe(r, rules, d, n_layers)
    dense_layers = [i for i in range(n_layers) if moe is None or i not in moe["layer_set"]]
    ff = None
    if dense_layers:
        ff = r.int("d_ff", ("intermediate_size", "n_inner", "ffn_dim", "ffn_hidden_size"),
                   needed_for="for the feed-forward (MLP) matrices")

    m.add("model.embed_tokens.weight", [vocab, d], 1, "embedding")
    q_out, kv_out = h * dh, kv * dh
    if fused:
        m.add("model.layers.*.self_attn.qkv_proj.weight", [q_out + 2 * kv_out, d], n_layers, "attention")
        if qkv_bias:
            m.add("model.layers.*.self_attn.qkv_proj.bias", [q_out + 2 * kv_out], n_layers, "attention")
    else:
        for name, out in (("q_proj", q_out), ("k_proj", kv_out), ("v_proj", kv_out)):
            m.add(f"model.layers.*.self_attn.{name}.weight", [out, d], n_layers, "attention")
            if qkv_bias:
                m.add(f"model.layers.*.self_attn.{name}.bias", [out], n_layers, "attention")
    m.add("model.layers.*.self_attn.o_proj.weight", [d, q_out], n_layers, "attention")
    if o_bias:
        m.add("model.layers.*.self_attn.o_proj.bias", [d], n_layers, "attention")
    if rules["qk_norm"]:
        m.add("model.layers.*.self_attn.q_norm.weight", [dh], n_layers, "norm")
        m.add("model.layers.*.self_attn.k_norm.weight", [dh], n_layers, "norm")
    norm_names = ("input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm",
                  "post_feedforward_layernorm")[: rules["norms_per_layer"]]
    for name in norm_names:
        m.add(f"model.layers.*.{name}.weight", [d], n_layers, "norm")

    if dense_layers:
        where = layer_set(dense_layers, n_layers)
        _gated_mlp(m, f"model.layers.{where}.mlp", d, ff, len(dense_layers), "mlp", mlp_bias, fused)
    if moe is not None:
        _moe_tensors(m, moe, d, n_layers)

    m.add("model.norm.weight", [d], 1, "norm")
    if not tied:
        m.add("lm_head.weight", [vocab, d], 1, "output")

    m.kv_elements_per_layer = counts.kv_elements_per_token_gqa(kv, dh)
    m.preset_kv = (kv, dh)
    m.summary = {
        "d_model": d, "n_layers": n_layers, "n_attention_heads": h, "n_kv_heads": kv, "d_head": dh,
        "attention": _attention_label(h, kv), "d_ff": ff, "vocab_size": vocab, "tied_embeddings": tied,
        "mlp": "gated (gate, up, down)" + (" fused gate_up" if fused else ""),
        "norm": "RMSNorm (weight only), " + f"{rules['norms_per_layer']} per layer"
                + (" + per-head q/k norms" if rules["qk_norm"] else ""),
        "biases": _bias_label(qkv_bias, o_bias, mlp_bias),
        "positions": "RoPE",
    }
    if moe is not None:
        m.summary["moe"] = _moe_summary(moe)
    return m


def _attention_label(h: int, kv: int) -> str:
    if kv == h:
        return f"multi-head ({h} heads)"
    if kv == 1:
        return f"multi-query ({h} query heads, 1 KV head)"
    return f"grouped-query ({h} query heads, {kv} KV heads, {h // kv} per group)"


def _bias_label(qkv: bool, o: bool, mlp: bool) -> str:
    parts = [name for name, on in (("q/k/v", qkv), ("o", o), ("MLP", mlp)) if on]
    return ("biases on " + ", ".join(parts)) if parts else "no linear biases"


def _gated_mlp(m: Model, prefix: str, d: int, ff: int, count: int, group: str, bias: bool, fused: bool,
               names=("gate_proj", "up_proj", "down_proj")) -> None:
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


def _read_moe(r: Reader, rules: dict, d: int, n_layers: int) -> dict | None:
    """The MoE layout of a Llama-like decoder (Mixtral, Qwen-MoE, or generic expert keys)."""
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
    if kind == "mixtral":
        n_exp = r.int("n_experts", ("num_local_experts",), limit="experts", needed_for="for the expert count")
        ff_key = ("intermediate_size",)
        names, prefix = ("w1", "w3", "w2"), "block_sparse_moe"
    elif kind == "qwen_moe":
        n_exp = r.int("n_experts", ("num_experts",), limit="experts", needed_for="for the expert count")
        ff_key = ("moe_intermediate_size",)
        names, prefix = ("gate_proj", "up_proj", "down_proj"), "mlp"
    else:
        n_exp = r.int("n_experts", ("num_local_experts", "num_experts", "n_routed_experts"), limit="experts")
        ff_key = ("moe_intermediate_size", "intermediate_size")
        names, prefix = ("gate_proj", "up_proj", "down_proj"), "mlp"
    top_k = r.int("experts_per_token", ("num_experts_per_tok", "num_experts_per_token", "top_k"), limit="experts",
                  needed_for="for the active parameters per token")
    if top_k > n_exp:
        raise config_error(r.key("num_experts_per_tok"), f"config.json key {r.key('num_experts_per_tok')!r} = "
                                                         f"{format_number(top_k)} is not valid: it must be ≤ the "
                                                         f"number of experts ({format_number(n_exp)}).", value=top_k)
    expert_ff = r.int("expert_d_ff", ff_key, needed_for="for the expert matrices")
    layers = list(range(n_layers))
    shared_ff, shared_gate = 0, False
    if kind == "qwen_moe":
        step = r.int("decoder_sparse_step", ("decoder_sparse_step",), default=1, limit="layers")
        only_dense = set(r.int_list("mlp_only_layers", maximum=LIMITS["layers"]))
        layers = [i for i in layers if i not in only_dense and (i + 1) % step == 0]
        if r.present("shared_expert_intermediate_size"):
            shared_ff = r.int("shared_expert_d_ff", ("shared_expert_intermediate_size",), minimum=0)
            shared_gate = shared_ff > 0
    return {"kind": kind, "n_experts": n_exp, "top_k": top_k, "expert_ff": expert_ff, "layers": layers,
            "layer_set": set(layers), "names": names, "prefix": prefix, "shared_ff": shared_ff,
            "shared_gate": shared_gate, "shared_prefix": f"{prefix}.shared_expert", "score_bias": False,
            "expert_params": counts.mlp_params(d, expert_ff, gated=True)}


def _moe_tensors(m: Model, moe: dict, d: int, n_layers: int) -> None:
    n_moe = len(moe["layers"])
    if n_moe == 0:
        return
    where = layer_set(moe["layers"], n_layers)
    base = f"model.layers.{where}.{moe['prefix']}"
    m.add(f"{base}.gate.weight", [moe["n_experts"], d], n_moe, "router")
    if moe["score_bias"]:
        m.add(f"{base}.gate.e_score_correction_bias", [moe["n_experts"]], n_moe, "router")
    _gated_mlp(m, f"{base}.experts.*", d, moe["expert_ff"], n_moe * moe["n_experts"], "experts", False, False,
               names=moe["names"])
    if moe["shared_ff"]:
        _gated_mlp(m, f"model.layers.{where}.{moe['shared_prefix']}", d, moe["shared_ff"], n_moe,
                   "shared_experts", False, False)
    if moe["shared_gate"]:
        m.add(f"{base}.shared_expert_gate.weight", [1, d], n_moe, "router")
    n_shared = 0
    if moe["shared_ff"]:
        n_shared = moe["shared_ff"] // moe["expert_ff"] if moe["kind"] == "deepseek" else 1
    m.moe = {"n_moe_layers": n_moe, "n_experts": moe["n_experts"], "top_k": moe["top_k"],
             "expert_params": moe["expert_params"], "layers": list(moe["layers"]), "n_shared_experts": n_shared}


def _moe_summary(moe: dict) -> str:
    text = (f"{moe['n_experts']} routed experts (d_ff = {moe['expert_ff']}), {moe['top_k']} per token, "
            f"on {len(moe['layers'])} layers")
    if moe["shared_ff"]:
        text += f"; shared expert d_ff = {moe['shared_ff']}" + (" with a sigmoid gate" if moe["shared_gate"] else "")
    return text


# ── GPT-2 ────────────────────────────────────────────────────────────────────
def read_gpt2(r: Reader, rules: dict, model_type: str | None) -> Model:
    m = Model(rules, model_type, pos="learned", max_pos_keys=("n_positions", "max_position_embeddings", "n_ctx"))
    d = r.int("d_model", ("n_embd", "hidden_size"), needed_for="for every weight matrix")
    n_layers = r.int("n_layers", ("n_layer", "num_hidden_layers"), limit="layers", needed_for="to count the layers")
    h, kv, dh = _heads(r, d, kv_keys=(), head_keys=("n_head", "num_attention_heads"), explicit_head_dim=False)
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
        m.add(f"transformer.h.*.{ln}.weight", [d], n_layers, "norm")
        m.add(f"transformer.h.*.{ln}.bias", [d], n_layers, "norm")
    m.add("transformer.h.*.attn.c_attn.weight", [d, 3 * d], n_layers, "attention")
    m.add("transformer.h.*.attn.c_attn.bias", [3 * d], n_layers, "attention")
    m.add("transformer.h.*.attn.c_proj.weight", [d, d], n_layers, "attention")
    m.add("transformer.h.*.attn.c_proj.bias", [d], n_layers, "attention")
    m.add("transformer.h.*.mlp.c_fc.weight", [d, ff], n_layers, "mlp")
    m.add("transformer.h.*.mlp.c_fc.bias", [ff], n_layers, "mlp")
    m.add("transformer.h.*.mlp.c_proj.weight", [ff, d], n_layers, "mlp")
    m.add("transformer.h.*.mlp.c_proj.bias", [d], n_layers, "mlp")
    m.add("transformer.ln_f.weight", [d], 1, "norm")
    m.add("transformer.ln_f.bias", [d], 1, "norm")
    if not tied:
        m.add("lm_head.weight", [vocab, d], 1, "output")
    m.kv_elements_per_layer = counts.kv_elements_per_token_gqa(h, dh)
    m.preset_kv = (h, dh)
    m.summary = {
        "d_model": d, "n_layers": n_layers, "n_attention_heads": h, "n_kv_heads": h, "d_head": dh,
        "attention": _attention_label(h, h), "d_ff": ff, "vocab_size": vocab, "tied_embeddings": tied,
        "mlp": "plain (c_fc, GELU, c_proj)", "norm": "LayerNorm (weight + bias), 2 per layer",
        "biases": "biases on every linear layer", "positions": f"learned absolute ({n_pos:,} positions)",
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
        m.add(f"gpt_neox.layers.*.{ln}.weight", [d], n_layers, "norm")
        m.add(f"gpt_neox.layers.*.{ln}.bias", [d], n_layers, "norm")
    m.add("gpt_neox.layers.*.attention.query_key_value.weight", [3 * d, d], n_layers, "attention")
    if bias:
        m.add("gpt_neox.layers.*.attention.query_key_value.bias", [3 * d], n_layers, "attention")
    m.add("gpt_neox.layers.*.attention.dense.weight", [d, d], n_layers, "attention")
    if bias:
        m.add("gpt_neox.layers.*.attention.dense.bias", [d], n_layers, "attention")
    m.add("gpt_neox.layers.*.mlp.dense_h_to_4h.weight", [ff, d], n_layers, "mlp")
    m.add("gpt_neox.layers.*.mlp.dense_h_to_4h.bias", [ff], n_layers, "mlp")
    m.add("gpt_neox.layers.*.mlp.dense_4h_to_h.weight", [d, ff], n_layers, "mlp")
    m.add("gpt_neox.layers.*.mlp.dense_4h_to_h.bias", [d], n_layers, "mlp")
    m.add("gpt_neox.final_layer_norm.weight", [d], 1, "norm")
    m.add("gpt_neox.final_layer_norm.bias", [d], 1, "norm")
    if not tied:
        m.add("embed_out.weight", [vocab, d], 1, "output")
    m.kv_elements_per_layer = counts.kv_elements_per_token_gqa(h, dh)
    m.preset_kv = (h, dh)
    rot_dims = int(dh * rotary)
    m.summary = {
        "d_model": d, "n_layers": n_layers, "n_attention_heads": h, "n_kv_heads": h, "d_head": dh,
        "attention": _attention_label(h, h) + ", fused query_key_value", "d_ff": ff, "vocab_size": vocab,
        "tied_embeddings": tied, "mlp": "plain (dense_h_to_4h, GELU, dense_4h_to_h) with biases",
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
    h = r.int("n_attention_heads", ("num_attention_heads", "n_head"), limit="heads",
              needed_for="for the attention projections")
    if d % h:
        raise config_error(r.key("num_attention_heads"), f"hidden size {format_number(d)} is not divisible by "
                                                          f"num_attention_heads = {format_number(h)}.", value=h)
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
            raise config_error(r.key("num_kv_heads"), f"config.json key 'num_kv_heads' = {format_number(kv)} is not "
                                                      f"valid: it must divide num_attention_heads = {format_number(h)}.",
                               value=kv)
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
    if not parallel:
        lns = ("input_layernorm", "post_attention_layernorm")
    elif n_ln_rule == 2:
        lns = ("ln_attn", "ln_mlp")
    else:
        lns = ("input_layernorm",)
    m.add("transformer.word_embeddings.weight", [vocab, d], 1, "embedding")
    for ln in lns:
        m.add(f"transformer.h.*.{ln}.weight", [d], n_layers, "norm")
        m.add(f"transformer.h.*.{ln}.bias", [d], n_layers, "norm")
    qkv_out = (h + 2 * kv) * dh
    m.add("transformer.h.*.self_attention.query_key_value.weight", [qkv_out, d], n_layers, "attention")
    if bias:
        m.add("transformer.h.*.self_attention.query_key_value.bias", [qkv_out], n_layers, "attention")
    m.add("transformer.h.*.self_attention.dense.weight", [d, d], n_layers, "attention")
    if bias:
        m.add("transformer.h.*.self_attention.dense.bias", [d], n_layers, "attention")
    m.add("transformer.h.*.mlp.dense_h_to_4h.weight", [ff, d], n_layers, "mlp")
    if bias:
        m.add("transformer.h.*.mlp.dense_h_to_4h.bias", [ff], n_layers, "mlp")
    m.add("transformer.h.*.mlp.dense_4h_to_h.weight", [d, ff], n_layers, "mlp")
    if bias:
        m.add("transformer.h.*.mlp.dense_4h_to_h.bias", [d], n_layers, "mlp")
    m.add("transformer.ln_f.weight", [d], 1, "norm")
    m.add("transformer.ln_f.bias", [d], 1, "norm")
    if not tied:
        m.add("lm_head.weight", [vocab, d], 1, "output")
    m.pos = "alibi" if alibi else "rope"
    m.kv_elements_per_layer = counts.kv_elements_per_token_gqa(kv, dh)
    m.preset_kv = (kv, dh)
    m.summary = {
        "d_model": d, "n_layers": n_layers, "n_attention_heads": h, "n_kv_heads": kv, "d_head": dh,
        "attention": _attention_label(h, kv) + ", fused query_key_value", "d_ff": ff, "vocab_size": vocab,
        "tied_embeddings": tied, "mlp": "plain (dense_h_to_4h, GELU, dense_4h_to_h)",
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
    q_lora = r.int("q_lora_rank", ("q_lora_rank",), default=0, minimum=1)
    if not q_lora:
        r.note("q_lora_rank", "none (q_lora_rank null or absent: full-rank q_proj)")
    kv_lora = r.int("kv_lora_rank", ("kv_lora_rank",), needed_for="for the MLA latent (KV cache and kv_a/kv_b)")
    nope = r.int("qk_nope_head_dim", ("qk_nope_head_dim",), needed_for="for the MLA query/key head size")
    rope = r.int("qk_rope_head_dim", ("qk_rope_head_dim",), needed_for="for the MLA decoupled RoPE key")
    v_dim = r.int("v_head_dim", ("v_head_dim",), needed_for="for the MLA value heads")
    attn_bias = r.bool("attention_bias", ("attention_bias",), False)
    tied = r.bool("tie_word_embeddings", ("tie_word_embeddings",), False)
    n_routed = r.int("n_experts", ("n_routed_experts",), default=0, minimum=1, limit="experts")
    moe_layers: list[int] = []
    moe = None
    if n_routed:
        top_k = r.int("experts_per_token", ("num_experts_per_tok",), limit="experts",
                      needed_for="for the active parameters per token")
        if top_k > n_routed:
            raise config_error("num_experts_per_tok", f"config.json key 'num_experts_per_tok' = {format_number(top_k)} "
                                                      f"is not valid: it must be ≤ n_routed_experts = "
                                                      f"{format_number(n_routed)}.", value=top_k)
        expert_ff = r.int("expert_d_ff", ("moe_intermediate_size",), needed_for="for the expert matrices")
        n_shared = r.int("n_shared_experts", ("n_shared_experts",), default=0, minimum=0, limit="experts")
        first_dense = r.int("first_k_dense_replace", ("first_k_dense_replace",), default=0, minimum=0, limit="layers")
        freq = r.int("moe_layer_freq", ("moe_layer_freq",), default=1, limit="layers")
        topk_method = r.text("topk_method") or ("noaux_tc" if rules["family"] == "deepseek_v3" else "greedy")
        moe_layers = [i for i in range(n_layers) if i >= first_dense and i % freq == 0]
        moe = {"kind": "deepseek", "n_experts": n_routed, "top_k": top_k, "expert_ff": expert_ff,
               "layers": moe_layers, "layer_set": set(moe_layers), "names": ("gate_proj", "up_proj", "down_proj"),
               "prefix": "mlp", "shared_ff": expert_ff * n_shared, "shared_gate": False,
               "shared_prefix": "mlp.shared_experts", "score_bias": topk_method == "noaux_tc",
               "expert_params": counts.mlp_params(d, expert_ff, gated=True)}
    dense_layers = [i for i in range(n_layers) if i not in set(moe_layers)]
    ff = r.int("d_ff", ("intermediate_size",), needed_for="for the dense MLP layers") if dense_layers else None

    qk_dim = nope + rope
    m.add("model.embed_tokens.weight", [vocab, d], 1, "embedding")
    _mla_tensors(m, "model.layers.*.self_attn", d, h, q_lora, kv_lora, nope, rope, v_dim, attn_bias, n_layers)
    m.add("model.layers.*.input_layernorm.weight", [d], n_layers, "norm")
    m.add("model.layers.*.post_attention_layernorm.weight", [d], n_layers, "norm")
    if dense_layers:
        _gated_mlp(m, f"model.layers.{layer_set(dense_layers, n_layers)}.mlp", d, ff, len(dense_layers), "mlp",
                   False, False)
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
        is_moe = moe is not None and idx >= first_dense and idx % freq == 0
        if is_moe:
            one = dict(moe, layers=[0])
            _moe_tensors(layer, one, d, 1)
        elif ff:
            _gated_mlp(layer, "mlp", d, ff, 1, "mlp", False, False)
        per_module = sum(t["params"] for t in layer.tensors) + 2 * d + 3 * d + counts.linear_params(2 * d, d)
        m.mtp_layers = mtp
        m.mtp_params = mtp * per_module

    m.kv_elements_per_layer = counts.kv_elements_per_token_mla(kv_lora, rope)
    m.kv_naive_elements_per_layer = h * (qk_dim + v_dim)
    latent = kv_lora + rope
    m.preset_kv = (1, (latent + 1) // 2)
    m.preset_kv_note = (f"MLA caches one {latent}-element latent per layer shared by all heads, so the preset hands "
                        f"the other recipes n_kv_heads = 1 and d_head = {latent}/2 = {(latent + 1) // 2}, which makes "
                        f"their 2·L·n_kv·d_head equal the MLA cache"
                        + (" (rounded up by one element: the latent size is odd)" if latent % 2 else ""))
    m.summary = {
        "d_model": d, "n_layers": n_layers, "n_attention_heads": h, "n_kv_heads": kv_stated, "d_head": qk_dim,
        "attention": (f"multi-head latent attention (MLA): {h} heads, q/k head dim {nope} + {rope} (RoPE), "
                      f"v head dim {v_dim}, KV latent rank {kv_lora}"
                      + (f", query latent rank {q_lora}" if q_lora else ", full-rank query")),
        "kv_lora_rank": kv_lora, "qk_rope_head_dim": rope, "q_lora_rank": q_lora or None,
        "d_ff": ff, "vocab_size": vocab, "tied_embeddings": tied, "mlp": "gated (gate, up, down)",
        "norm": "RMSNorm (weight only), 2 per layer + latent norms",
        "biases": "biases on q_a/kv_a/o" if attn_bias else "no linear biases", "positions": "RoPE (decoupled key)",
    }
    if moe is not None:
        m.summary["moe"] = (f"{n_routed} routed experts (d_ff = {moe['expert_ff']}), {moe['top_k']} per token, "
                            f"{moe['shared_ff'] // moe['expert_ff']} shared, on {len(moe_layers)} of {n_layers} layers"
                            + (" (router score-correction bias)" if moe["score_bias"] else ""))
    return m


def _mla_tensors(m: Model, prefix: str, d: int, h: int, q_lora: int, kv_lora: int, nope: int, rope: int,
                 v_dim: int, bias: bool, count: int) -> None:
    p = f"{prefix}." if prefix else ""
    qk_dim = nope + rope
    if q_lora:
        m.add(f"{p}q_a_proj.weight", [q_lora, d], count, "attention")
        if bias:
            m.add(f"{p}q_a_proj.bias", [q_lora], count, "attention")
        m.add(f"{p}q_a_layernorm.weight", [q_lora], count, "norm")
        m.add(f"{p}q_b_proj.weight", [h * qk_dim, q_lora], count, "attention")
    else:
        m.add(f"{p}q_proj.weight", [h * qk_dim, d], count, "attention")
    m.add(f"{p}kv_a_proj_with_mqa.weight", [kv_lora + rope, d], count, "attention")
    if bias:
        m.add(f"{p}kv_a_proj_with_mqa.bias", [kv_lora + rope], count, "attention")
    m.add(f"{p}kv_a_layernorm.weight", [kv_lora], count, "norm")
    m.add(f"{p}kv_b_proj.weight", [h * (nope + v_dim), kv_lora], count, "attention")
    m.add(f"{p}o_proj.weight", [d, h * v_dim], count, "attention")
    if bias:
        m.add(f"{p}o_proj.bias", [d], count, "attention")


READERS = {"decoder": read_decoder, "gpt2": read_gpt2, "gpt_neox": read_gpt_neox, "falcon": read_falcon,
           "deepseek": read_deepseek}


def group_totals(tensors: list) -> dict:
    """Parameters per group, in GROUPS order, omitting empty groups."""
    totals = {g: 0 for g in GROUPS}
    for t in tensors:
        totals[t["group"]] += t["params"]
    return {g: n for g, n in totals.items() if n}


__all__ = ["Model", "READERS", "GROUPS", "EMBEDDING_GROUPS", "group_totals", "layer_set", "ParamError", "MISSING"]
