"""The architecture record: every number about a model's shape, from one reading of its config.json.

``record_from_config(config)`` reads a Hugging Face config.json through the config reader
(:func:`taf.modelconfig.analyze` — the only reader) and returns a :class:`ModelRecord`;
``taf.model.catalog.record_for(model_id)`` builds it for a catalog model (or preset alias). Every
recipe, Profile and Compare compute from it, so a model gives the same numbers in
every view.

KV cache, per layer kind (``LayerSpec.kind``):

* ``full`` — keeps every token: ``kv_elements_per_token`` × context;
* ``sliding`` / ``chunked`` — keeps at most its ``window`` tokens (ring buffer / chunk);
* ``mla`` — keeps its compressed latent per token (DeepSeek-V2 §2.1.2), for every token;
* ``compressed`` — DeepSeek-V4 CSA / HCA: a sliding ``window`` of ``kv_elements_per_token`` per token, plus
  one ``compressed_elements`` entry per ``compress_ratio`` tokens of the whole context (⌊context/m⌋ entries);
* ``linear`` / ``ssm`` — keep a fixed state (``state_elements``) per sequence and no KV;
* ``mlp`` — a feed-forward-only layer (Nemotron-H's ``-`` and ``E`` blocks): no cache at all.

Units: elements and bytes; ``bytes_per_element`` is 2 for bf16/fp16, 1 for fp8/int8.
Evidence status: exact accounting of the tensors transformers allocates.
"""

from __future__ import annotations

from typing import Any

from ..data.presets import ArchParams
from ..numeric import defined
from ..params import ParamError, show

#: layer kinds (the attention or mixer each layer uses)
LAYER_KINDS = ("full", "sliding", "chunked", "mla", "compressed", "linear", "ssm", "mlp")
#: kinds whose per-token K/V is held for at most ``window`` tokens (a compressed layer's window part)
WINDOWED_KINDS = ("sliding", "chunked", "compressed")
#: kinds that keep a fixed per-sequence state instead of a per-token KV cache
STATE_KINDS = ("linear", "ssm", "mlp")


class LayerSpec:
    """One layer: its index, kind, window (tokens, or None), KV elements per token, fixed state, MoE or dense,
    its KV heads when they differ from the model's (``None``: the record's ``n_kv_heads``), and for a
    ``compressed`` layer the tokens per compressed entry and the elements of one entry."""

    __slots__ = (
        "index",
        "kind",
        "window",
        "kv_elements_per_token",
        "state_elements",
        "is_moe",
        "kv_heads",
        "compress_ratio",
        "compressed_elements",
    )

    def __init__(
        self,
        index: int,
        kind: str,
        window: int | None,
        kv_elements_per_token: int,
        state_elements: int = 0,
        is_moe: bool = False,
        kv_heads: int | None = None,
        compress_ratio: int | None = None,
        compressed_elements: int = 0,
    ):
        self.index = index
        self.kind = kind
        self.window = window
        self.kv_elements_per_token = kv_elements_per_token
        self.state_elements = state_elements
        self.is_moe = is_moe
        self.kv_heads = kv_heads
        self.compress_ratio = compress_ratio
        self.compressed_elements = compressed_elements

    def _fields(self) -> tuple:
        return tuple(getattr(self, s) for s in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LayerSpec) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return "LayerSpec(" + ", ".join(f"{s}={getattr(self, s)!r}" for s in self.__slots__) + ")"

    def tokens_held(self, context_tokens: int) -> int:
        """Tokens this layer keeps in its KV cache at ``context_tokens`` (0 for state layers)."""
        if self.kind in STATE_KINDS:
            return 0
        if self.kind in WINDOWED_KINDS and self.window is not None:
            return min(context_tokens, self.window)
        return context_tokens

    def kv_rate(self) -> int | float:
        """KV elements this layer adds per token while inside its window: its K/V plus e/m compressed."""
        if self.kind in STATE_KINDS:
            return 0
        return self.kv_elements_per_token + self.compressed_rate()

    def compressed_rate(self) -> int | float:
        """Compressed KV elements per token (e/m; 0 for an uncompressed layer)."""
        from ..modelconfig.counts import kv_compressed_elements_per_token

        # the reader checked e (integer ≥ 0) and m (integer ≥ 1 or None): inside the formula's domain
        return defined(kv_compressed_elements_per_token(self.compressed_elements, self.compress_ratio))

    def kv_elements_held(self, context_tokens: int) -> int:
        """KV elements this layer holds at ``context_tokens``: E·held(context) + e·⌊context/m⌋ (+ no state)."""
        from ..modelconfig.counts import kv_compressed_entries

        return self.kv_elements_per_token * self.tokens_held(context_tokens) + self.compressed_elements * (
            kv_compressed_entries(self.compress_ratio, context_tokens) or 0
        )

    def as_dict(self) -> dict:
        return {s: getattr(self, s) for s in self.__slots__}


class ModelRecord:
    """One model's architecture, exact (from a config) — see the module docstring for the KV rules.

    Attributes: ``id``, ``label``, ``family``, ``n_layers``, ``hidden_size``, ``vocab_size``,
    ``n_attention_heads``, ``n_kv_heads``, ``d_head``, ``theta`` (None without RoPE), ``T_train``,
    ``T_max``, ``tied_embeddings``, ``total_params``, ``embedding_params``, ``active_params``
    (= total for a dense model), ``exact``, ``layers`` (tuple of :class:`LayerSpec`),
    ``tensors`` (tuple of {name, shape, count, params, group}), ``moe`` (None or
    {n_experts, top_k, n_shared_experts, expert_params, moe_layers}), ``caveats``,
    ``facts`` (curated corrections applied, each with its source), ``preset_kv`` (the
    (n_kv_heads, d_head) pair the scalar recipes get; MLA maps its latent onto it).
    """

    def __init__(self, **fields: Any):
        self.id: str | None = fields.pop("id")
        self.label: str = fields.pop("label")
        self.family: str = fields.pop("family")
        self.family_label: str = fields.pop("family_label")
        self.n_layers: int = fields.pop("n_layers")
        self.hidden_size: int = fields.pop("hidden_size")
        self.vocab_size: int = fields.pop("vocab_size")
        self.n_attention_heads: int = fields.pop("n_attention_heads")
        self.n_kv_heads: int = fields.pop("n_kv_heads")
        self.d_head: int = fields.pop("d_head")
        self.theta: float | None = fields.pop("theta")
        self.T_train: int = fields.pop("T_train")
        self.T_max: int = fields.pop("T_max")
        self.tied_embeddings: bool = fields.pop("tied_embeddings")
        self.total_params: int = fields.pop("total_params")
        self.embedding_params: int = fields.pop("embedding_params")
        self.active_params: int = fields.pop("active_params")
        self.exact: bool = fields.pop("exact")
        self.layers: tuple = fields.pop("layers")
        self.tensors: tuple = fields.pop("tensors")
        self.moe: dict | None = fields.pop("moe")
        self.preset_kv: tuple = fields.pop("preset_kv")
        self.caveats: tuple = tuple(fields.pop("caveats", ()))
        self.facts: tuple = tuple(fields.pop("facts", ()))
        if fields:
            raise TypeError(f"unknown ModelRecord fields: {', '.join(sorted(fields))}")

    def __repr__(self) -> str:
        return (
            f"ModelRecord(id={self.id!r}, family={self.family!r}, total_params={self.total_params:,}, "
            f"active_params={self.active_params:,}, n_layers={self.n_layers})"
        )

    # ── derived facts ───────────────────────────────────────────────────────
    @property
    def is_moe(self) -> bool:
        return self.moe is not None

    @property
    def has_sliding_window(self) -> bool:
        """True when a windowed layer's window is shorter than the model's context (it binds)."""
        return any(
            layer.kind in WINDOWED_KINDS and layer.window is not None and layer.window < self.T_max
            for layer in self.layers
        )

    def layer_counts(self) -> dict:
        """Layers per kind, in LAYER_KINDS order, omitting kinds with none."""
        counts = {k: 0 for k in LAYER_KINDS}
        for layer in self.layers:
            counts[layer.kind] += 1
        return {k: n for k, n in counts.items() if n}

    # ── KV cache ─────────────────────────────────────────────────────────────
    def kv_elements_per_token(self) -> int:
        """KV elements one token adds while it is inside every window: Σ over the caching layers."""
        return sum(layer.kv_rate() for layer in self.layers)

    def kv_bytes_per_token(self, bytes_per_element: float = 2) -> int | float:
        """KV bytes per token, summed over every layer that caches tokens (full, sliding, chunked, MLA).

        = the cache's growth per token below every window, and the figure M-1 reports
        (Llama-3-8B: 32 layers · 2·8·128 elements · 2 bytes = 131,072 bytes). Past a sliding
        window that layer stops growing: see :meth:`kv_growth_bytes_per_token` and :meth:`kv_bytes`.
        """
        return _bytes(self.kv_elements_per_token(), bytes_per_element)

    def kv_growth_bytes_per_token(self, bytes_per_element: float = 2) -> int | float:
        """KV bytes one more token adds once every windowed layer is full (full and MLA layers only)."""
        elements = sum(
            (0 if layer.kind in WINDOWED_KINDS and layer.window else layer.kv_elements_per_token)
            + layer.compressed_rate()
            for layer in self.layers
            if layer.kind not in STATE_KINDS
        )
        return _bytes(elements, bytes_per_element)

    def kv_bytes(self, context_tokens: int, bytes_per_element: float = 2, batch: int = 1) -> int | float:
        """KV cache (plus fixed state) for ``batch`` sequences of ``context_tokens`` tokens.

        bytes = batch · B · (Σ_layers E_layer · held_layer(context) + Σ_state-layers S_layer), where
        held = min(context, window) for sliding/chunked layers and = context for full/MLA layers.
        """
        _check_count("context_tokens", context_tokens)
        _check_count("batch", batch)
        elements = sum(layer.kv_elements_held(context_tokens) + layer.state_elements for layer in self.layers)
        return _bytes(elements * batch, bytes_per_element)

    def kv_tokens_held(self, context_tokens: int) -> int:
        """Σ over caching layers of the tokens each holds at ``context_tokens`` (layer·tokens)."""
        _check_count("context_tokens", context_tokens)
        return sum(layer.tokens_held(context_tokens) for layer in self.layers if layer.kind not in STATE_KINDS)

    def state_bytes(self, bytes_per_element: float = 2) -> int | float:
        """Fixed per-sequence state of linear-attention / state-space layers (0 when there are none)."""
        return _bytes(sum(layer.state_elements for layer in self.layers), bytes_per_element)

    def kv_full_equivalent_bytes(self, context_tokens: int, bytes_per_element: float = 2) -> int | float:
        """What the cache would hold if no layer had a window: kv_bytes_per_token · context (+ state)."""
        _check_count("context_tokens", context_tokens)
        elements = self.kv_elements_per_token() * context_tokens + sum(layer.state_elements for layer in self.layers)
        return _bytes(elements, bytes_per_element)

    # ── parameters ───────────────────────────────────────────────────────────
    def weight_bytes(self, bytes_per_weight: float, active: bool = False) -> int | float:
        """Bytes of all weights (or the weights one token reads, for MoE) at ``bytes_per_weight``."""
        return _bytes(self.active_params if active else self.total_params, bytes_per_weight)

    def to_preset(self) -> dict:
        """The architecture parameters the γ recipes take (preset field names).

        ``n_params`` is the exact total; ``n_kv_heads``/``d_head`` are the pair whose
        2·L·n_kv·d_head equals the per-layer cache (for MLA: one head of half the latent);
        ``has_SWA`` is True when a window binds below the model's context.
        """
        n_kv, d_head = self.preset_kv
        return ArchParams(
            theta=self.theta,
            T_train=self.T_train,
            n_attention_heads=self.n_attention_heads,
            n_kv_heads=n_kv,
            d_head=d_head,
            n_layers=self.n_layers,
            n_params=self.total_params,
            has_SWA=self.has_sliding_window,
        )._asdict()

    def summary(self) -> dict:
        """A plain-JSON summary (no tensor list): what lists, searches and tests compare."""
        return {
            "id": self.id,
            "label": self.label,
            "family": self.family,
            "n_layers": self.n_layers,
            "hidden_size": self.hidden_size,
            "vocab_size": self.vocab_size,
            "n_attention_heads": self.n_attention_heads,
            "n_kv_heads": self.n_kv_heads,
            "d_head": self.d_head,
            "theta": self.theta,
            "T_train": self.T_train,
            "T_max": self.T_max,
            "tied_embeddings": self.tied_embeddings,
            "total_params": self.total_params,
            "embedding_params": self.embedding_params,
            "active_params": self.active_params,
            "kv_bytes_per_token_bf16": self.kv_bytes_per_token(2),
            "layer_kinds": self.layer_counts(),
            "moe": None if self.moe is None else {k: v for k, v in self.moe.items() if k != "moe_layers"},
            "exact": self.exact,
        }

    def with_facts(self, facts: list | tuple, model_id: str | None = None, label: str | None = None) -> ModelRecord:
        """A copy with curated facts applied: each {field, value, source, as_of, note}; fields T_train/theta."""
        fields = {k: getattr(self, k) for k in _FIELDS}
        for fact in facts:
            if fact["field"] not in CURATABLE:
                raise ValueError(f"fact field {fact['field']!r} is not curatable")
            fields[fact["field"]] = fact["value"]
        fields["facts"] = tuple(self.facts) + tuple(facts)
        if model_id is not None:
            fields["id"] = model_id
        if label is not None:
            fields["label"] = label
        return ModelRecord(**fields)


_FIELDS = (
    "id",
    "label",
    "family",
    "family_label",
    "n_layers",
    "hidden_size",
    "vocab_size",
    "n_attention_heads",
    "n_kv_heads",
    "d_head",
    "theta",
    "T_train",
    "T_max",
    "tied_embeddings",
    "total_params",
    "embedding_params",
    "active_params",
    "exact",
    "layers",
    "tensors",
    "moe",
    "preset_kv",
    "caveats",
    "facts",
)
#: record fields a curated fact may set (the config cannot state them correctly)
CURATABLE = ("T_train", "theta")


def _check_count(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ParamError("invalid_value", f"{name} = {show(value)} is not valid: expected an integer ≥ 0.", param=name)


def _bytes(elements: int, bytes_per_element: float) -> int | float:
    """elements · B, exact (an int when integral)."""
    if (
        isinstance(bytes_per_element, bool)
        or not isinstance(bytes_per_element, (int, float))
        or not 0 < bytes_per_element <= 64
    ):
        raise ParamError(
            "out_of_range",
            f"bytes_per_element = {show(bytes_per_element)} is out of range: it must be > 0 and ≤ 64 (bytes).",
            param="bytes_per_element",
        )
    from ..modelconfig.counts import exact_product

    return exact_product(elements, bytes_per_element)


# ── building a record from the config reader ─────────────────────────────────
def record_from_config(config: dict | str, name: str | None = None) -> ModelRecord:
    """The record of the model a config.json (text or dict) describes; ParamError on a bad config."""
    from ..modelconfig import analyze  # late: the reader is a fifth of the package

    return record_from_analysis(analyze(config), name)


def record_from_analysis(a, name: str | None = None) -> ModelRecord:
    """The record of one :class:`taf.modelconfig.Analysis` (the reader's result)."""
    m = a.model
    s = m.summary
    n_layers = s["n_layers"]
    layers = tuple(_layer_specs(a))
    if len(layers) != n_layers:  # the reader's per-layer list disagrees with its layer count: a reader bug
        raise ValueError(f"reader gave {len(layers)} layer specs for {n_layers} layers")
    moe = None
    if m.moe:
        moe_layers = tuple(m.moe.get("layers", ()))
        moe = {
            "n_experts": m.moe["n_experts"],
            "top_k": m.moe["top_k"],
            "n_shared_experts": m.moe.get("n_shared_experts", 0),
            "expert_params": m.moe["expert_params"],
            "moe_layers": moe_layers,
            "n_moe_layers": m.moe["n_moe_layers"],
        }
    model_id = name if name is not None else a.name
    return ModelRecord(
        id=model_id,
        label=(model_id.split("/")[-1] if model_id else a.label),
        family=a.rules["family"],
        family_label=a.label,
        n_layers=n_layers,
        hidden_size=s["d_model"],
        vocab_size=s["vocab_size"],
        n_attention_heads=s["n_attention_heads"],
        n_kv_heads=s["n_kv_heads"],
        d_head=s["d_head"],
        theta=a.theta,
        T_train=a.T_train,
        T_max=a.T_max,
        tied_embeddings=s["tied_embeddings"],
        total_params=a.total,
        embedding_params=a.embedding,
        active_params=a.active if a.active is not None else a.total,
        exact=not a.generic,
        layers=layers,
        tensors=tuple(dict(t, shape=tuple(t["shape"])) for t in m.tensors),
        moe=moe,
        preset_kv=tuple(a.model.preset_kv),
        caveats=tuple(a.caveats),
    )


def _layer_specs(a) -> list:
    """Per-layer specs from the reader.

    A reader that knows per-layer kinds exposes ``Analysis.layers`` (dicts with kind, window,
    kv_elements_per_token, state_elements); otherwise every layer caches
    ``model.kv_elements_per_layer`` per token, as MLA (``kv_kind == "mla"``), sliding (a
    window in ``Analysis.windows``) or full attention.
    """
    m = a.model
    moe_set = set(m.moe.get("layers", ())) if m.moe else set()
    explicit = getattr(a, "layers", None)
    if explicit:
        return [
            LayerSpec(
                i,
                d["kind"],
                d.get("window"),
                d.get("kv_elements_per_token", 0),
                d.get("state_elements", 0),
                d.get("is_moe", i in moe_set),
                d.get("kv_heads"),
                d.get("compress_ratio"),
                d.get("compressed_elements", 0),
            )
            for i, d in enumerate(explicit)
        ]
    n_layers = m.summary["n_layers"]
    windows = a.windows or [None] * n_layers
    per_layer = m.kv_elements_per_layer
    specs = []
    for i in range(n_layers):
        w = windows[i]
        if m.kv_kind == "mla":
            kind = "mla"
        elif w is not None:
            kind = "sliding"
        else:
            kind = "full"
        specs.append(LayerSpec(i, kind, w if kind == "sliding" else None, per_layer, 0, i in moe_set))
    return specs
