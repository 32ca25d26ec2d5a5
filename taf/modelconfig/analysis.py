"""From config.json to every number M-1 reports: counts, KV cache, weights, θ, T_train, SWA.

:func:`analyze` is the one entry point; it raises :class:`~taf.params.ParamError`
(structured, on the parameter ``config``) for anything it cannot read, and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..data.presets import ArchParams
from ..numeric import defined
from ..params import ParamError, show
from ..textfmt import format_bound
from . import counts
from .families import GENERIC, family_for
from .inventory import EMBEDDING_GROUPS, READERS, Model, group_totals
from .reader import LIMITS, MISSING, Reader, check_int, config_error, parse_config_text

#: weight precisions reported (name → bits per parameter)
WEIGHT_PRECISIONS = (("bf16", 16), ("int8", 8), ("4-bit", 4))
#: keys that say "this object is a language-model config" (else look in text_config)
HIDDEN_KEYS = ("hidden_size", "n_embd", "d_model", "n_embed")


@dataclass
class Analysis:
    model: Model
    reader: Reader
    rules: dict
    generic: bool
    model_type: str | None
    name: str | None
    nested: str | None
    kv_dtype_bytes: float
    # positions
    theta: float | None = None
    theta_note: str = ""
    T_max: int = 0
    T_max_note: str = ""
    T_train: int = 0
    T_train_note: str = ""
    rope_scaling: dict | None = None
    # sliding window
    windows: list = field(default_factory=list)
    swa_on: bool = False
    swa_note: str = ""
    # counts
    total: int = 0
    embedding: int = 0
    non_embedding: int = 0
    by_group: dict = field(default_factory=dict)
    active: int | None = None
    active_without_input_embedding: int | None = None
    # per layer: kind, window, kv_elements_per_token, state_elements, is_moe (what the record reads)
    layers: list = field(default_factory=list)
    # buffers the checkpoint carries outside parameters() (e.g. e_score_correction_bias): name → elements
    buffers: dict = field(default_factory=dict)
    # KV cache
    kv_per_token: int | float = 0
    state_elements: int = 0
    kv_at_context: int | float = 0
    kv_full_equivalent: int | float = 0
    caveats: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.rules["label"]

    def preset(self) -> dict:
        """The architecture parameters every recipe accepts (preset field names)."""
        n_kv, d_head = self.model.preset_kv
        return ArchParams(
            theta=self.theta,
            T_train=self.T_train,
            n_attention_heads=self.model.summary["n_attention_heads"],
            n_kv_heads=n_kv,
            d_head=d_head,
            n_layers=self.model.summary["n_layers"],
            n_params=self.total,
            has_SWA=self.swa_on,
        )._asdict()


def _check_kv_dtype(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 8:
        raise ParamError(
            "out_of_range",
            f"kv_dtype_bytes = {show(value)} is out of range: it must be > 0 and ≤ 8 (bytes).",
            param="kv_dtype_bytes",
        )
    return value


def analyze(config, kv_dtype_bytes: float = 2) -> Analysis:
    """Read ``config`` (config.json text or a dict) and compute everything M-1 reports."""
    kv_dtype_bytes = _check_kv_dtype(kv_dtype_bytes)
    cfg = parse_config_text(config)
    top = Reader(cfg)
    model_type = top.text("model_type")
    name = cfg.get("_name_or_path") if isinstance(cfg.get("_name_or_path"), str) else None
    caveats: list[str] = []
    r, nested = top, None
    architectures: list | None = cfg.get("architectures") if isinstance(cfg.get("architectures"), list) else None
    if not top.first(HIDDEN_KEYS) and top.present("text_config"):
        inner = defined(top.obj("text_config"))  # present (checked above): an object, or an error
        if top.present("tie_word_embeddings"):
            # transformers ties the multimodal model's head by the top-level flag (Qwen3-VL, Qwen3.5)
            inner = dict(inner, tie_word_embeddings=top.bool("tie_word_embeddings", ("tie_word_embeddings",), False))
        r, nested = Reader(inner, prefix="text_config."), "text_config"
        model_type = r.text("model_type") or model_type
        caveats.append(
            "Multimodal config: only the language model in text_config is counted; the vision/audio "
            "encoder and its projector are not."
        )
    elif top.present("vision_config"):  # Qwen2-VL / Qwen2.5-VL: the decoder's keys at the top level
        caveats.append(
            "Multimodal config: only the language model is counted; the vision encoder in vision_config and "
            "its projector are not."
        )
    rules = family_for(model_type, architectures)
    generic = rules is GENERIC
    defaults = rules["class_defaults"]
    absent = [k for k in defaults if k not in r.cfg]
    if absent:  # what transformers does: the config class fills the keys the file leaves out
        r = Reader(dict(r.cfg, **{k: defaults[k] for k in absent}), prefix=r.prefix)
        filled = ", ".join(f"{k} = {defaults[k]}" for k in absent)
        caveats.append(
            f"config.json leaves {len(absent)} key(s) to the {rules['label']} config class; its transformers "
            f"defaults were used: {filled}."
        )
    if not generic and family_for(model_type) is GENERIC:
        # the rules came from architectures (model_type alone gives the generic ones), so it is a list
        named = next(a for a in defined(architectures) if a in rules["architectures"])
        caveats.append(
            f"model_type {model_type!r} is not one taf lists, but architectures names {named}, so the "
            f"{rules['label']} rules were used."
        )
    if generic:
        caveats.append(
            f"model_type {model_type!r} is not one of the architectures taf knows, so the generic decoder "
            "rules were used (gated MLP, RMSNorm, biases only where attention_bias/mlp_bias say so, "
            "tie_word_embeddings default true): the count is exact only if the model follows them."
            if model_type
            else "config.json has no model_type, so the generic decoder rules were used (gated MLP, RMSNorm, "
            "biases only where attention_bias/mlp_bias say so): the count is exact only if the model "
            "follows them."
        )
    model = READERS[rules["reader"]](r, rules, model_type)
    a = Analysis(
        model=model,
        reader=r,
        rules=rules,
        generic=generic,
        model_type=model_type,
        name=name[:120] if name else None,
        nested=nested,
        kv_dtype_bytes=kv_dtype_bytes,
        caveats=caveats,
    )
    _positions(a)
    _sliding_window(a)
    _totals(a)
    _kv(a)
    return a


# ── θ, context length, T_train ──────────────────────────────────────────────
def _positions(a: Analysis) -> None:
    r, m, rules = a.reader, a.model, a.rules
    default = rules["max_pos_default"]
    a.T_max = r.int(
        "T_max",
        m.max_pos_keys,
        default=MISSING if default is None else default,
        limit="positions",
        needed_for="for the context length (T_train and the KV cache at full context)",
    )
    src = r.sources.get("T_max", "")
    a.T_max_note = (
        f"{src} = {a.T_max:,}"
        if not src.startswith("default")
        else f"{m.max_pos_keys[0]} absent: the {rules['label']} default {a.T_max:,}"
    )

    # θ
    if m.pos != "rope":
        a.theta = None
        kind = {"learned": "learned absolute positions", "alibi": "ALiBi position biases"}.get(
            m.pos, "no position encoding in the attention layers"
        )
        a.theta_note = f"no RoPE ({kind}): θ is undefined"
    else:
        key = r.first(m.theta_keys)
        params = r.obj("rope_parameters")
        if m.nested_theta is not None:
            a.theta, where = m.nested_theta
            a.theta_note = f"{where} = {format_bound(a.theta)}"
        elif key is not None:
            a.theta = r.number("theta", m.theta_keys, maximum=1e12)
            a.theta_note = f"{r.key(key)} = {format_bound(a.theta)}"
        elif params is not None and (from_params := _rope_params_theta(r, params)) is not None:
            a.theta, where = from_params
            a.theta_note = f"{where} = {format_bound(a.theta)}"
        elif rules["theta_default"] is not None:
            a.theta = rules["theta_default"]
            a.theta_note = (
                f"{m.theta_keys[0]} absent: the {rules['label']} default θ = {format_bound(rules['theta_default'])} "
                "(its transformers config class)"
            )
        else:
            a.theta = None
            a.theta_note = "rope_theta absent and the architecture is unknown: θ cannot be read — give theta explicitly"

    # T_train: the pre-scaling length when rope_scaling is set
    scaling = r.obj("rope_scaling")
    if scaling is None:
        params = r.obj("rope_parameters")
        if params is not None and _scaling_type(params) not in (None, "default"):
            scaling = params
    if scaling is not None and _scaling_type(scaling) in (None, "default", "mrope") and "factor" not in scaling:
        # no length scaling (mrope only splits the rotary dims among time, height and width)
        scaling = None
    if m.pos != "rope" or scaling is None:
        a.T_train = a.T_max
        a.T_train_note = f"no rope_scaling: T_train = {a.T_max_note}"
        return
    kind = _scaling_type(scaling) or "unnamed"
    factor = scaling.get("factor")
    factor_text = (
        f", factor {format_bound(factor)}"
        if isinstance(factor, (int, float)) and not isinstance(factor, bool) and 0 < factor < 1e9
        else ""
    )
    a.rope_scaling = {"type": kind, "factor": factor if factor_text else None}
    where = "rope_scaling" if r.present("rope_scaling") else "rope_parameters"
    if scaling.get("original_max_position_embeddings") is not None:
        key = r.key(f"{where}.original_max_position_embeddings")
        a.T_train = check_int(key, scaling["original_max_position_embeddings"], minimum=1, maximum=LIMITS["positions"])
        a.T_train_note = (
            f"rope_scaling ({kind}{factor_text}) is set: T_train = {key} = {a.T_train:,}, the length "
            f"before scaling (the model serves up to {a.T_max:,})"
        )
    elif r.present("original_max_position_embeddings"):
        a.T_train = r.int("T_train", ("original_max_position_embeddings",), limit="positions")
        a.T_train_note = (
            f"rope_scaling ({kind}{factor_text}) is set: T_train = "
            f"{r.key('original_max_position_embeddings')} = {a.T_train:,}, the length before scaling "
            f"(the model serves up to {a.T_max:,})"
        )
    else:
        a.T_train = a.T_max
        a.T_train_note = (
            f"rope_scaling ({kind}{factor_text}) is set but states no original_max_position_embeddings: "
            f"T_train = {a.T_max_note}"
        )
        a.caveats.append(
            "rope_scaling is set without original_max_position_embeddings, so T_train was taken as "
            "max_position_embeddings; if you know the pre-scaling training length, pass T_train "
            "explicitly."
        )


def _scaling_type(scaling: dict):
    value = scaling.get("rope_type", scaling.get("type"))
    return value if isinstance(value, str) else None


def _rope_params_theta(r: Reader, params: dict) -> tuple[float, str] | None:
    """θ from a transformers-v5 ``rope_parameters`` object (flat, or per layer type)."""
    if params.get("rope_theta") is not None:
        return float(_theta_value(r, "rope_parameters.rope_theta", params["rope_theta"])), "rope_parameters.rope_theta"
    full = params.get("full_attention")
    if isinstance(full, dict) and full.get("rope_theta") is not None:
        key = "rope_parameters.full_attention.rope_theta"
        return float(_theta_value(r, key, full["rope_theta"])), key
    return None


def _theta_value(r: Reader, key: str, value):
    from .reader import check_number

    return check_number(r.key(key), value, maximum=1e12)


# ── sliding-window attention ────────────────────────────────────────────────
def _sliding_window(a: Analysis) -> None:
    r, rules, m = a.reader, a.rules, a.model
    n_layers = m.summary["n_layers"]
    windows: list = [None] * n_layers
    layer_types = r.str_list("layer_types") if rules["reader"] == "decoder" else None
    how = ""
    if m.windows:  # the reader laid the layer types out itself (attention that differs by layer type)
        windows, how = list(m.windows), m.windows_note
    elif layer_types is not None:
        if len(layer_types) != n_layers:
            raise config_error(
                r.key("layer_types"),
                f"config.json key {r.key('layer_types')!r} lists "
                f"{len(layer_types):,} layers but num_hidden_layers = "
                f"{n_layers:,}.",
                value=len(layer_types),
            )
        if "sliding_attention" in layer_types:
            w = r.int(
                "sliding_window",
                ("sliding_window",),
                limit="positions",
                needed_for="because layer_types has sliding_attention layers",
            )
            windows = [w if t == "sliding_attention" else None for t in layer_types]
        other = sorted(
            {
                t
                for t in layer_types
                if t not in ("sliding_attention", "full_attention", "linear_attention", "chunked_attention")
            }
        )
        if other:
            a.caveats.append(
                f"layer_types has {', '.join(repr(t) for t in other[:4])} layers; they were treated as "
                "full attention for the KV cache."
            )
        how = f"{r.key('layer_types')}"
    elif rules["reader"] == "decoder":
        windows, how = _family_windows(a, n_layers)
    elif r.present("sliding_window"):
        a.swa_note = (
            f"{r.key('sliding_window')} is present but the {rules['label']} architecture "
            f"has no sliding-window layers; ignored"
        )
    a.windows = windows
    sliding = [w for w in windows if w is not None]
    binding = [w for w in sliding if w < a.T_max]
    a.swa_on = bool(binding)
    if not a.swa_note:
        if not sliding:
            a.swa_note = how or "no sliding-window layers: every layer attends to the whole context"
        elif not binding:
            a.swa_note = (
                f"{how}: {len(sliding)} of {n_layers} layers have a window of {min(sliding):,} tokens, "
                f"which is ≥ the context length {a.T_max:,}, so it never binds: SWA is effectively off"
            )
        else:
            sizes = sorted(set(sliding))
            a.swa_note = (
                f"{how}: {len(sliding)} of {n_layers} layers slide (window "
                f"{', '.join(f'{s:,}' for s in sizes)} tokens), "
                f"{n_layers - len(sliding)} attend globally"
            )


def _family_windows(a: Analysis, n_layers: int) -> tuple[list, str]:
    r, rules = a.reader, a.rules
    rule = rules["swa"]
    none = [None] * n_layers
    key = r.key("sliding_window")
    if rule == "none":
        if r.present("sliding_window"):
            a.swa_note = f"{key} is present but {rules['label']} has no sliding-window attention; ignored"
        return none, ""
    if rule in ("all", "qwen"):
        if not r.present("sliding_window"):
            return none, f"{key} is null or absent: no sliding-window layers"
        w = r.int("sliding_window", ("sliding_window",), limit="positions")
        use = r.bool("use_sliding_window", ("use_sliding_window",), rule == "all")
        if not use:
            a.swa_note = (
                f"{key} = {w:,} is set but {r.key('use_sliding_window')} = false: sliding-window "
                "attention is OFF, every layer attends globally"
            )
            return none, ""
        if rule == "all":
            return [w] * n_layers, f"{key} = {w:,} on every layer"
        start = r.int("max_window_layers", ("max_window_layers",), default=28, minimum=0, limit="layers")
        return (
            [w if i >= start else None for i in range(n_layers)],
            f"use_sliding_window = true, {key} = {w:,} on layers ≥ max_window_layers = {start}",
        )
    if rule == "alternate":
        w = r.int("sliding_window", ("sliding_window", "sliding_window_size"), default=4096, limit="positions")
        return (
            [w if i % 2 == 0 else None for i in range(n_layers)],
            f"{rules['label']} alternates: even layers slide ({r.sources.get('sliding_window')} = {w:,}), odd "
            "layers are global",
        )
    # pattern (Gemma 3): every P-th layer is global
    w = r.int("sliding_window", ("sliding_window",), default=4096, limit="positions")
    p = r.int("sliding_window_pattern", ("sliding_window_pattern",), default=6, limit="layers")
    return (
        [w if (i + 1) % p else None for i in range(n_layers)],
        f"{rules['label']}: every {p}th layer is global (sliding_window_pattern = {p}), the others slide "
        f"({r.sources.get('sliding_window')} = {w:,})",
    )


# ── counts ──────────────────────────────────────────────────────────────────
def _totals(a: Analysis) -> None:
    m = a.model
    a.by_group = group_totals(m.tensors)
    a.total = sum(t["params"] for t in m.tensors)
    a.embedding = sum(a.by_group.get(g, 0) for g in EMBEDDING_GROUPS)
    a.non_embedding = a.total - a.embedding
    if m.moe:
        inactive = m.moe["n_moe_layers"] * (m.moe["n_experts"] - m.moe["top_k"]) * m.moe["expert_params"]
        a.active = a.total - inactive
        a.active_without_input_embedding = a.active - a.by_group.get("embedding", 0)


def _layers(a: Analysis) -> None:
    """Per-layer kinds: the reader's own list (hybrids, chunked attention) merged with the sliding windows."""
    m = a.model
    n_layers = m.summary["n_layers"]
    moe_layers = set(m.moe.get("layers", ())) if m.moe else set()
    windows = a.windows or [None] * n_layers
    base = (
        m.layer_kinds
        or [
            {
                "kind": "mla" if m.kv_kind == "mla" else "full",
                "kv_elements_per_token": m.kv_elements_per_layer,
                "state_elements": 0,
            }
        ]
        * n_layers
    )
    chunk = None
    if any(row["kind"] == "chunked" for row in base):
        chunk = a.reader.int(
            "attention_chunk_size",
            ("attention_chunk_size",),
            limit="positions",
            needed_for="for the chunked-attention layers",
        )
    a.layers = []
    for i, row in enumerate(base):
        kind, window = row["kind"], row.get("window")
        if kind == "chunked":
            window = chunk
        elif kind in ("full", "sliding", "mla") and windows[i] is not None:
            kind, window = ("mla" if kind == "mla" else "sliding"), windows[i]
        a.layers.append(
            {
                "kind": kind,
                "window": window,
                "kv_elements_per_token": row["kv_elements_per_token"],
                "state_elements": row.get("state_elements", 0),
                "is_moe": i in moe_layers,
                "kv_heads": row.get("kv_heads"),
                "compress_ratio": row.get("compress_ratio"),
                "compressed_elements": row.get("compressed_elements", 0),
            }
        )
    a.windows = [row["window"] if row["kind"] in ("sliding", "chunked", "compressed") else None for row in a.layers]
    a.buffers = dict(m.buffers)
    if a.buffers:
        n_buf = sum(a.buffers.values())
        names = sorted({name.rsplit(".", 1)[-1] for name in a.buffers})
        a.caveats.append(
            f"N leaves out {n_buf:,} elements of persistent buffers ({', '.join(names)}): the checkpoint "
            "stores them, but transformers keeps them outside the model's parameters, so N counts as "
            "transformers does."
        )
    compressed = [row for row in a.layers if row["kind"] == "compressed"]
    if compressed:
        rates = sorted({row["compress_ratio"] for row in compressed})
        a.swa_note = (
            f"{m.windows_note}: the windows bind, and {len(compressed)} of {n_layers} layers also keep compressed "
            f"entries of the whole context (one per {' or '.join(f'{x:,}' for x in rates)} tokens)"
        )
    chunked = [row for row in a.layers if row["kind"] == "chunked"]
    if chunked:
        chunk = defined(chunk)  # read above, because some layers are chunked
        a.swa_on = a.swa_on or chunk < a.T_max
        a.swa_note = (
            f"{len(chunked)} of {n_layers} layers attend within chunks of {chunk:,} tokens "
            f"(attention_chunk_size), {n_layers - len(chunked)} attend globally"
        )


def _kv(a: Analysis) -> None:
    _layers(a)
    B = a.kv_dtype_bytes
    kv_rows = [row for row in a.layers if row["kv_elements_per_token"]]
    # per layer: its (windowed) K/V per token plus, on compressed layers (DeepSeek-V4), e elements per m tokens
    per_token = sum(
        row["kv_elements_per_token"]
        + counts.kv_compressed_elements_per_token(row["compressed_elements"], row["compress_ratio"])
        for row in kv_rows
    )
    a.kv_per_token = _kv_bytes(per_token, B)
    held = sum(
        row["kv_elements_per_token"] * counts.kv_tokens_held(row["window"], a.T_max)
        + row["compressed_elements"] * counts.kv_compressed_entries(row["compress_ratio"], a.T_max)
        for row in kv_rows
    )
    a.state_elements = sum(row["state_elements"] for row in a.layers)
    # at the context length: what every attention layer holds plus the fixed state of SSM / linear layers
    # integer element counts and B > 0 (_check_kv_dtype): inside kv_bytes' domain
    a.kv_at_context = defined(counts.kv_bytes(held + a.state_elements, B))
    a.kv_full_equivalent = _kv_bytes(per_token * a.T_max, B)


def _kv_bytes(elements: int | float, bytes_per_element: float) -> int | float:
    """Bytes of ``elements`` (a compressed rate can make the per-token count fractional)."""
    if isinstance(elements, int):
        return defined(counts.kv_bytes(elements, bytes_per_element))  # B > 0 (_check_kv_dtype)
    return counts.as_int_if_integral(elements * bytes_per_element)
