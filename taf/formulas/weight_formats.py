"""Weight storage formats, tensor by tensor: how many bytes a checkpoint really holds.

Input: a tensor inventory (rows ``{name, shape, count, params, group}`` as
:mod:`taf.modelconfig.inventory` and :mod:`taf.model.record` give them; names as in the
Hugging Face checkpoint, ``*`` = every layer) and a few architecture facts. Output: one row per
tensor name with the storage type chosen for it and its bytes, plus totals by group.

Formats (what each stores, per tensor):

- ``fp32`` / ``bf16`` / ``fp16``: 4 / 2 / 2 bytes per parameter, every tensor.
- ``fp8`` (vLLM / llm-compressor "FP8", per-tensor scales): every linear layer inside the
  blocks in 1 byte + one fp32 weight scale and one fp32 input scale per matrix; embeddings, the
  output head, norms and MoE routers stay 16-bit.
- ``int8`` (per-output-channel, as bitsandbytes LLM.int8 stores it: int8 ``CB`` + fp32 ``SCB``
  per row): linear layers 1 byte + 4 bytes per output channel; the rest 16-bit.
- ``int4-awq`` (AutoAWQ GEMM, 4 bit, group 128, zero point): per linear layer ``qweight``
  in·out/2 bytes, ``qzeros`` (in/128)·out/2 bytes (int32-packed 4-bit zeros), ``scales``
  (in/128)·out fp16; embeddings, output head, norms, routers 16-bit.
- ``int4-gptq`` (AutoGPTQ / GPTQModel, 4 bit, group 128): as AWQ plus ``g_idx``, one int32 per
  input channel.
- ``nf4`` (bitsandbytes 4-bit NF4, double quantisation): 4 bits per weight, one 8-bit absmax per
  64-element block, one fp32 absmax per 256 blocks, and per tensor a 256-entry fp32 code book,
  a 16-entry fp32 quant map and an fp32 offset (1,092 bytes); every ``nn.Linear`` except the
  output head (transformers' default skip list); embeddings and norms 16-bit.
- ``mxfp4`` (OCP microscaling FP4, as gpt-oss ships it): MoE expert weights in 4 bits with one
  8-bit (E8M0) scale per 32 elements = 4.25 bits; everything else bf16. Only MoE models.
- GGUF (llama.cpp): per-tensor types chosen by llama.cpp's quantisation rules, reproduced in
  :func:`gguf_tensor_type` from ``src/llama-quant.cpp`` (``llama_tensor_get_type_impl``,
  ``tensor_type_fallback``, ``tensor_allows_quantization``) at commit
  007dbbf3fd17eefe9b47fee45f48f7ba5e62b714 of github.com/ggml-org/llama.cpp, with the block
  sizes of ``ggml/src/ggml-common.h``. 1-D tensors (norms, biases), MoE routers and learned
  positions stay F32, as ``convert_hf_to_gguf.py`` writes them and the quantiser keeps them.

Exactness: the tensor list and the arithmetic are exact; what is assumed is the format's
convention (the group size, which modules a tool skips), stated above. A GGUF file adds its
metadata (tokenizer, a few MB) to the tensor bytes counted here.
"""

from __future__ import annotations

import re

# ── GGML block types: (elements per block, bytes per block) — ggml-common.h ─────────────
GGML_BLOCKS = {
    "F32": (1, 4),
    "F16": (1, 2),
    "BF16": (1, 2),
    "Q8_0": (32, 34),  # fp16 scale + 32 int8
    "Q5_0": (32, 22),  # fp16 scale + 4 bytes high bits + 16 bytes nibbles
    "Q5_1": (32, 24),
    "Q4_0": (32, 18),  # fp16 scale + 16 bytes nibbles
    "Q4_1": (32, 20),
    "Q6_K": (256, 210),
    "Q5_K": (256, 176),
    "Q4_K": (256, 144),
    "Q3_K": (256, 110),
    "Q2_K": (256, 84),
    "MXFP4": (32, 17),
}

#: llama.cpp file types this recipe offers → their default tensor type (llama_ftype_get_default_type)
GGUF_FTYPES = {
    "Q8_0": "Q8_0",
    "Q6_K": "Q6_K",
    "Q5_K_M": "Q5_K",
    "Q5_K_S": "Q5_K",
    "Q5_0": "Q5_0",
    "Q4_K_M": "Q4_K",
    "Q4_K_S": "Q4_K",
    "Q4_0": "Q4_0",
    "Q3_K_M": "Q3_K",
    "Q2_K": "Q2_K",
}
#: non-quantised GGUF files (what llama.cpp runs for weight_format bf16/fp16/fp32)
GGUF_FLOAT_FTYPES = {"bf16": "BF16", "fp16": "F16", "fp32": "F32"}

#: fallback when a row length is not a multiple of the block (tensor_type_fallback)
GGML_FALLBACK = {"Q2_K": "Q4_0", "Q3_K": "Q4_0", "Q4_K": "Q5_0", "Q5_K": "Q5_1", "Q6_K": "Q8_0"}

FLOAT_FORMATS = ("fp32", "bf16", "fp16")
HF_QUANT_FORMATS = ("fp8", "int8", "int4-awq", "int4-gptq", "nf4", "mxfp4")
GGUF_FORMATS = tuple(GGUF_FTYPES)
WEIGHT_FORMATS = FLOAT_FORMATS + HF_QUANT_FORMATS + GGUF_FORMATS

GROUP_SIZE_INT4 = 128
NF4_BLOCK = 64
NF4_NESTED_BLOCK = 256
NF4_PER_TENSOR_BYTES = 256 * 4 + 16 * 4 + 4
MX_BLOCK = 32

LLAMA_QUANT_SOURCE = (
    "llama.cpp src/llama-quant.cpp (llama_tensor_get_type_impl), commit "
    "007dbbf3fd17eefe9b47fee45f48f7ba5e62b714, https://github.com/ggml-org/llama.cpp/blob/"
    "007dbbf3fd17eefe9b47fee45f48f7ba5e62b714/src/llama-quant.cpp"
)

#: groups holding the linear layers inside the blocks (what quantisers quantise)
BLOCK_GROUPS = ("attention", "mlp", "experts", "shared_experts", "ssm", "other")

# ── tensor roles (llama.cpp's tensor_category, from Hugging Face names) ──────────────────
_ROLE_BY_LEAF = {
    "q_proj": "attn_q",
    "query": "attn_q",
    "wq": "attn_q",
    "k_proj": "attn_k",
    "key": "attn_k",
    "wk": "attn_k",
    "v_proj": "attn_v",
    "value": "attn_v",
    "wv": "attn_v",
    "qkv_proj": "attn_qkv",
    "c_attn": "attn_qkv",
    "query_key_value": "attn_qkv",
    "Wqkv": "attn_qkv",
    "W_pack": "attn_qkv",
    "kv_b_proj": "attn_kv_b",
    "o_proj": "attn_output",
    "out_proj": "attn_output",
    "wo": "attn_output",
    "gate_proj": "ffn_gate",
    "w1": "ffn_gate",
    "up_proj": "ffn_up",
    "w3": "ffn_up",
    "c_fc": "ffn_up",
    "fc1": "ffn_up",
    "dense_h_to_4h": "ffn_up",
    "gate_up_proj": "ffn_up",
    "down_proj": "ffn_down",
    "w2": "ffn_down",
    "fc2": "ffn_down",
    "dense_4h_to_h": "ffn_down",
}


def tensor_role(row: dict) -> str:
    """llama.cpp's category for one inventory row: token_embd, output, attn_q/k/v/qkv/kv_b/output,
    ffn_gate/up/down, router, position, float (1-D: norms, biases), or other (a 2-D weight with no rule)."""
    name, group = row["name"], row["group"]
    if group == "embedding":
        return "token_embd"
    if group == "output":
        return "output"
    if group == "position":
        return "position"
    if group == "router" or name.endswith("shared_expert_gate.weight"):
        return "router"
    if len(row["shape"]) < 2 or not name.endswith("weight") or group == "norm":
        return "float"
    leaf = name.rsplit(".", 2)[-2] if name.count(".") >= 2 else name
    if leaf in ("c_proj", "dense"):
        return "attn_output" if group == "attention" else "ffn_down"
    return _ROLE_BY_LEAF.get(leaf, "other")


def row_length(row: dict, model_type: str | None) -> int:
    """ne[0] of the tensor in GGUF: the input dimension (GPT-2's Conv1D stores (in, out) and is transposed)."""
    shape = row["shape"]
    if model_type == "gpt2" and tensor_role(row) in ("attn_qkv", "attn_output", "ffn_up", "ffn_down"):
        return shape[0]
    return shape[-1]


_LAYER_SET = re.compile(r"\.(?:layers|h|blocks|layer)\.(\*|\{[^}]*\})\.")


def layer_indices(name: str, n_layers: int) -> list[int] | None:
    """The layers a tensor name covers ('*' = all, '{a..b}', '{a}', '{a,b,c}'); None if unreadable."""
    m = _LAYER_SET.search(name)
    if m is None:
        return None
    spec = m.group(1)
    if spec == "*":
        return list(range(n_layers))
    body = spec[1:-1]
    if "…" in body:
        return None
    if ".." in body:
        a, _, b = body.partition("..")
        if a.isdigit() and b.isdigit():
            return list(range(int(a), int(b) + 1))
        return None
    parts = body.split(",")
    if all(p.strip().isdigit() for p in parts):
        return [int(p) for p in parts]
    return None


def use_more_bits(i_layer: int, n_layers: int) -> bool:
    """llama.cpp's use_more_bits: the first and last eighth of the layers and every third one between."""
    return i_layer < n_layers // 8 or i_layer >= 7 * n_layers // 8 or (i_layer - n_layers // 8) % 3 == 2


class GGUFContext:
    """The model facts llama.cpp's rules consult (hparams, arch, model type, tied embeddings)."""

    __slots__ = ("n_layers", "n_gqa", "n_expert", "arch", "is_70b", "tied", "n_attention_wv")

    def __init__(
        self,
        *,
        n_layers: int,
        n_heads: int,
        n_kv_heads: int,
        n_experts: int,
        model_type: str | None,
        tied: bool,
        n_attention_wv: int,
    ):
        self.n_layers = n_layers
        self.n_gqa = n_heads // max(1, n_kv_heads)
        self.n_expert = n_experts
        self.arch = (model_type or "").lower()
        # llama.cpp's LLM_TYPE_70B: llama with 80 layers and GQA, qwen2 with 80 layers
        self.is_70b = n_layers == 80 and ((self.arch == "llama" and n_heads != n_kv_heads) or self.arch == "qwen2")
        self.tied = tied
        self.n_attention_wv = n_attention_wv


def _fits_blocks(ne0: int, ggml_type: str) -> bool:
    return ne0 % GGML_BLOCKS[ggml_type][0] == 0


def gguf_tensor_type(
    ftype: str,
    role: str,
    ne0: int,
    ctx: GGUFContext,
    *,
    i_attention_wv: int = 0,
    i_layer: int = 0,
    float_type: str = "BF16",
) -> str:
    """The GGML type llama.cpp's quantiser gives one tensor of a ``ftype`` file (the K-quant mixes' rules).

    ``i_attention_wv``: this tensor's index among the attention-V-like tensors (attn_v, attn_qkv,
    attn_kv_b), in layer order; ``i_layer``: its layer (ffn_down rules). Follows
    ``llama_tensor_get_type`` then ``llama_tensor_get_type_impl`` (branch order kept: attn_qkv is
    attention-V-like, so the later attn_qkv branch of the source is never reached), then
    ``tensor_type_fallback``.
    """
    if ftype in GGUF_FLOAT_FTYPES.values():
        return "F32" if role in ("float", "router", "position") else ftype
    # tensor_allows_quantization: 1-D tensors, norms, routers, learned positions are not quantised
    if role in ("float", "router", "position"):
        return "F32"
    default = GGUF_FTYPES[ftype]
    new = default
    falcon = ctx.arch == "falcon"
    if role == "output" or (ctx.tied and role == "token_embd"):
        if falcon or ne0 % GGML_BLOCKS[default][0] != 0:
            new = "Q8_0"
        elif new != "Q8_0":
            new = "Q6_K"
    elif role == "token_embd":
        pass  # K-quant and legacy mixes keep the default type for an untied token embedding
    elif role in ("attn_v", "attn_qkv", "attn_kv_b"):
        n = ctx.n_attention_wv
        i = i_attention_wv
        if ftype == "Q2_K":
            new = "Q4_K" if ctx.n_gqa >= 4 else "Q3_K"
        elif ftype == "Q3_K_M":
            new = "Q5_K" if i < 2 else "Q4_K"
        elif ftype in ("Q4_K_M", "Q5_K_M") and use_more_bits(i, n):
            new = "Q6_K"
        elif ftype == "Q4_K_S" and i < 4:
            new = "Q5_K"
        if ctx.is_70b and new in ("Q3_K", "Q4_K"):
            new = "Q5_K"
        if ctx.n_expert == 8:
            new = "Q8_0"
    elif role == "attn_k":
        if ctx.n_expert == 8:
            new = "Q8_0"
    elif role == "ffn_down":
        i, n = i_layer, ctx.n_layers
        if ftype == "Q2_K":
            new = "Q3_K"
        elif ftype == "Q3_K_M":
            new = "Q5_K" if i < n // 16 else ("Q4_K" if not falcon or use_more_bits(i, n) else "Q3_K")
        elif ftype == "Q4_K_M":
            if falcon:
                new = "Q6_K" if i < n // 16 else ("Q5_K" if use_more_bits(i, n) else "Q4_K")
            elif use_more_bits(i, n):
                new = "Q6_K"
        elif ftype == "Q5_K_M" and use_more_bits(i, n):
            new = "Q6_K"
        elif ftype == "Q4_K_S" and not falcon and i < n // 8:
            new = "Q5_K"
    elif role == "attn_output":
        if not falcon:
            if ctx.n_expert == 8:
                if ftype in ("Q2_K", "Q3_K_M", "Q4_K_S", "Q4_K_M"):
                    new = "Q5_K"
            elif ftype == "Q2_K":
                new = "Q3_K"
            elif ftype == "Q3_K_M":
                new = "Q4_K"
    # tensor_type_fallback: the row length must be a multiple of the block
    if not _fits_blocks(ne0, new):
        new = GGML_FALLBACK.get(new, new)
        if not _fits_blocks(ne0, new):
            new = "F16"
    return new


def ggml_bytes(n_elements: int, ggml_type: str) -> int:
    """Bytes of ``n_elements`` stored as ``ggml_type`` (a whole number of blocks)."""
    per_block, block_bytes = GGML_BLOCKS[ggml_type]
    return -(-n_elements // per_block) * block_bytes


# ── the plan for a whole model ──────────────────────────────────────────────────────────
class WeightPlan:
    """Bytes per tensor name for one format: ``rows`` (name, group, role, count, params, storage, bytes),
    ``by_group`` totals, ``total_bytes``, ``by_type`` (GGUF: bytes per GGML type) and ``notes``."""

    __slots__ = ("weight_format", "rows", "by_group", "total_bytes", "by_type", "notes", "params")

    def __init__(self, weight_format: str):
        self.weight_format = weight_format
        self.rows: list = []
        self.by_group: dict = {}
        self.by_type: dict = {}
        self.total_bytes = 0
        self.params = 0
        self.notes: list = []

    def add(
        self, row: dict, role: str, storage: str, n_bytes: int, params: int | None = None, count: int | None = None
    ) -> None:
        n_bytes = int(n_bytes)
        params = row["params"] if params is None else params
        self.rows.append(
            {
                "name": row["name"],
                "group": row["group"],
                "role": role,
                "count": row["count"] if count is None else count,
                "params": params,
                "storage": storage,
                "bytes": n_bytes,
            }
        )
        self.by_group[row["group"]] = self.by_group.get(row["group"], 0) + n_bytes
        self.by_type[storage] = self.by_type.get(storage, 0) + n_bytes
        self.total_bytes += n_bytes
        self.params += params

    @property
    def bits_per_weight(self) -> float:
        return 8 * self.total_bytes / self.params if self.params else 0.0


def _hf_16bit(row: dict) -> int:
    return 2 * row["params"]


def _linear_dims(row: dict, model_type: str | None) -> tuple[int, int]:
    """(in, out) of one copy of a linear weight."""
    d_in = row_length(row, model_type)
    one = row["params"] // row["count"]
    return d_in, one // d_in


def plan_weights(
    tensors: list,
    weight_format: str,
    *,
    n_layers: int,
    n_heads: int,
    n_kv_heads: int,
    n_experts: int = 0,
    model_type: str | None = None,
    tied: bool = False,
    gguf_for_float: bool = False,
) -> WeightPlan:
    """Bytes of every tensor in ``weight_format`` (see the module docstring for each format's rules).

    ``gguf_for_float``: store bf16/fp16/fp32 as a GGUF file of that type (llama.cpp: norms,
    routers, positions F32) instead of a safetensors checkpoint.
    """
    plan = WeightPlan(weight_format)
    if weight_format in GGUF_FTYPES or (gguf_for_float and weight_format in GGUF_FLOAT_FTYPES):
        return _plan_gguf(
            plan,
            tensors,
            weight_format,
            n_layers=n_layers,
            n_heads=n_heads,
            n_kv_heads=n_kv_heads,
            n_experts=n_experts,
            model_type=model_type,
            tied=tied,
        )
    for row in tensors:
        role = tensor_role(row)
        quantisable = row["group"] in BLOCK_GROUPS and role not in ("float", "router", "position")
        p, c = row["params"], row["count"]
        if weight_format == "fp32":
            plan.add(row, role, "fp32", 4 * p)
        elif weight_format in ("bf16", "fp16"):
            plan.add(row, role, weight_format, 2 * p)
        elif weight_format == "mxfp4":
            if row["group"] == "experts" and role != "float":
                plan.add(row, role, "mxfp4", p // 2 + -(-p // MX_BLOCK))
            else:
                plan.add(row, role, "bf16", _hf_16bit(row))
        elif weight_format == "nf4":
            if (quantisable or role == "router") and role != "output":
                one = p // c
                blocks = -(-one // NF4_BLOCK)
                per = -(-one // 2) + blocks + 4 * -(-blocks // NF4_NESTED_BLOCK) + NF4_PER_TENSOR_BYTES
                plan.add(row, role, "nf4", per * c)
            else:
                plan.add(row, role, "bf16", _hf_16bit(row))
        elif not quantisable:
            plan.add(row, role, "bf16", _hf_16bit(row))
        elif weight_format == "fp8":
            plan.add(row, role, "fp8", p + 8 * c)
        elif weight_format == "int8":
            d_in, d_out = _linear_dims(row, model_type)
            plan.add(row, role, "int8", p + 4 * d_out * c)
        elif weight_format in ("int4-awq", "int4-gptq"):
            d_in, d_out = _linear_dims(row, model_type)
            groups = -(-d_in // GROUP_SIZE_INT4)
            per = d_in * d_out // 2 + groups * d_out // 2 + groups * d_out * 2
            if weight_format == "int4-gptq":
                per += 4 * d_in
            plan.add(row, role, weight_format, per * c)
        else:  # pragma: no cover - guarded by WEIGHT_FORMATS
            raise ValueError(weight_format)
    return plan


def _plan_gguf(
    plan: WeightPlan,
    tensors: list,
    weight_format: str,
    *,
    n_layers: int,
    n_heads: int,
    n_kv_heads: int,
    n_experts: int,
    model_type: str | None,
    tied: bool,
) -> WeightPlan:
    ftype = GGUF_FLOAT_FTYPES.get(weight_format, weight_format)
    roles = [tensor_role(row) for row in tensors]
    n_wv = sum(row["count"] for row, role in zip(tensors, roles) if role in ("attn_v", "attn_qkv", "attn_kv_b"))
    has_output = any(role == "output" for role in roles)
    ctx = GGUFContext(
        n_layers=n_layers,
        n_heads=n_heads,
        n_kv_heads=n_kv_heads,
        n_experts=n_experts,
        model_type=model_type,
        tied=tied or not has_output,
        n_attention_wv=n_wv,
    )
    approximate = False
    layers_of: list[list[int] | None] = []
    for row, role in zip(tensors, roles):
        layers: list[int] | None = None
        if role in ("attn_v", "attn_qkv", "attn_kv_b", "ffn_down"):
            layers = layer_indices(row["name"], n_layers)
            if layers is None or row["count"] % len(layers):
                approximate = True
                layers = [i * n_layers // row["count"] for i in range(row["count"])]
        layers_of.append(layers)
    # i_attention_wv: the position of each attention-V-like tensor in layer order
    wv_order = sorted(
        (layer, k)
        for k, role in enumerate(roles)
        if role in ("attn_v", "attn_qkv", "attn_kv_b")
        for layer in layers_of[k] or ()  # always a list for these roles (set in the loop above)
    )
    wv_index: dict[tuple[int, int], int] = {}
    for i, key in enumerate(wv_order):
        wv_index.setdefault(key, i)
    for k, (row, role) in enumerate(zip(tensors, roles)):
        ne0 = row_length(row, model_type)
        one = row["params"] // row["count"]
        layers = layers_of[k]
        if layers is None:
            t = gguf_tensor_type(ftype, role, ne0, ctx)
            plan.add(row, role, t, ggml_bytes(one, t) * row["count"])
            continue
        per_layer = row["count"] // len(layers)
        by_type: dict = {}
        for layer in layers:
            t = gguf_tensor_type(ftype, role, ne0, ctx, i_attention_wv=wv_index.get((layer, k), 0), i_layer=layer)
            by_type[t] = by_type.get(t, 0) + per_layer
        for t, copies in sorted(by_type.items()):
            plan.add(row, role, t, ggml_bytes(one, t) * copies, params=one * copies, count=copies)
    if approximate:
        plan.notes.append(
            "some tensors cover layers the name does not list one by one; their per-layer GGUF "
            "types were spread evenly (the total may differ by a few tensors' worth)"
        )
    return plan
