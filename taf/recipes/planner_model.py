"""The model a planner recipe (S-2, T-1) works on.

It is resolved as S-1 resolves it (``config``, a catalog / preset ``model``, or architecture
numbers for an approximate record) and ends in a :class:`PlannerModel`: the tensor inventory
and the dimensions the speed and training formulas need. Nothing is re-read from config.json
here: the numbers come from the architecture record (``taf.model.record``).
"""

from __future__ import annotations


class PlannerModel:
    """What S-2 and T-1 need of a model (plain attributes; built by :func:`planner_model`)."""

    __slots__ = (
        "id",
        "label",
        "tensors",
        "d_model",
        "n_layers",
        "n_heads",
        "n_kv_heads",
        "d_head",
        "vocab_size",
        "tied",
        "windows",
        "kv_elements_per_layer",
        "kv_kind",
        "moe",
        "total_params",
        "gated",
        "mlp_width_active",
        "caveats",
        "T_max",
        "record",
    )

    def __init__(
        self,
        *,
        id: str,
        label: str,
        tensors,
        d_model: int,
        n_layers: int,
        n_heads: int,
        n_kv_heads: int,
        d_head: int,
        vocab_size: int,
        tied: bool,
        windows: list,
        kv_elements_per_layer: int,
        record,
        moe: dict | None,
        total_params: int,
        gated: bool,
        mlp_width_active: float,
        caveats: list,
        T_max: int,
        kv_kind: str = "gqa",
    ):
        self.id = id
        self.label = label
        self.tensors = tensors
        self.d_model = d_model
        self.n_layers = n_layers
        self.n_heads = n_heads
        self.n_kv_heads = n_kv_heads
        self.d_head = d_head
        self.vocab_size = vocab_size
        self.tied = tied
        self.windows = windows
        self.kv_elements_per_layer = kv_elements_per_layer
        self.kv_kind = kv_kind
        self.record = record
        self.moe = moe
        self.total_params = total_params
        self.gated = gated
        self.mlp_width_active = mlp_width_active
        self.caveats = caveats
        self.T_max = T_max

    # ── derived ──────────────────────────────────────────────────────────────
    @property
    def q_dim(self) -> int:
        return self.n_heads * self.d_head

    @property
    def kv_dim(self) -> int:
        return self.n_kv_heads * self.d_head

    @property
    def expert_share(self) -> float:
        """Share of each routed expert's weights a token uses: top_k / n_experts (1 for dense)."""
        return self.moe["top_k"] / self.moe["n_experts"] if self.moe else 1.0

    def matmul_params(self, expert_fraction: float | None = None) -> float:
        """Parameters one token multiplies with: every linear layer (routed experts scaled by
        ``expert_fraction``, default top_k/E) plus the output head (the tied embedding when tied).
        The input-embedding lookup is not a matmul."""
        frac = self.expert_share if expert_fraction is None else expert_fraction
        total = 0.0
        for t in self.tensors:
            if len(t["shape"]) != 2 or not t["name"].endswith(".weight"):
                continue
            g = t["group"]
            if g in ("embedding", "position", "norm"):
                continue
            total += t["params"] * (frac if g == "experts" else 1.0)
        if self.tied:
            total += self.vocab_size * self.d_model
        return total

    def active_params(self) -> float:
        """Parameters used per token (all for a dense model; MoE: shared parts + top_k experts)."""
        return sum(t["params"] * (self.expert_share if t["group"] == "experts" else 1.0) for t in self.tensors)

    def params_in(self, group: str) -> int:
        return sum(t["params"] for t in self.tensors if t["group"] == group)

    def attention_layers(self, seq: int) -> float:
        """Layer-equivalents of attention span at ``seq`` tokens: a full layer counts 1, a sliding layer
        min(seq, W)/seq (its keys are capped at the window)."""
        if not self.windows:
            return float(self.n_layers)
        return sum(1.0 if w is None else min(seq, w) / seq for w in self.windows)

    def kv_bytes_per_sequence(self, context: int, bytes_per_element: float) -> float:
        """KV-cache bytes of one sequence at ``context`` tokens: every layer's K/V (or MLA latent) for the
        tokens it holds (sliding layers at most their window)."""
        if self.record is not None:
            return float(self.record.kv_bytes(context, bytes_per_element))
        held = (
            sum(context if w is None else min(context, w) for w in self.windows)
            if self.windows
            else self.n_layers * context
        )
        return float(self.kv_elements_per_layer * held * bytes_per_element)


def _from_record(rec, model_id: str | None) -> PlannerModel:
    """The planner's view of an architecture record (``taf.model.record.ModelRecord``)."""
    d = rec.hidden_size
    n_layers = rec.n_layers
    tensors = rec.tensors
    by_group: dict = {}
    for t in tensors:
        by_group[t["group"]] = by_group.get(t["group"], 0) + t["params"]
    gated = any(
        t["group"] in ("mlp", "experts", "shared_experts")
        and any(k in t["name"] for k in ("gate_proj", "gate_up_proj", ".w1.", ".w3."))
        for t in tensors
    )
    per_matrix = 3 if gated else 2
    width = by_group.get("mlp", 0) / n_layers / (per_matrix * d)
    moe = None
    if rec.moe:
        moe = dict(rec.moe)
        n_moe = moe.get("n_moe_layers") or len(moe.get("moe_layers", ())) or n_layers
        expert_ff = moe["expert_params"] / (per_matrix * d)
        shared = by_group.get("shared_experts", 0) / n_moe / (per_matrix * d)
        width += (moe["top_k"] * expert_ff + shared) * n_moe / n_layers
        moe["n_moe_layers"] = n_moe
    windows = [layer.window if layer.kind in ("sliding", "chunked") else None for layer in rec.layers]
    kv_per_layer = max((layer.kv_elements_per_token for layer in rec.layers), default=0)
    name = model_id or rec.id or "custom model"
    return PlannerModel(
        id=name,
        label=(model_id or rec.id).split("/")[-1]
        if (model_id or rec.id)
        else f"this {getattr(rec, 'family_label', None) or 'custom'} model",
        tensors=tensors,
        d_model=d,
        n_layers=n_layers,
        n_heads=rec.n_attention_heads,
        n_kv_heads=rec.n_kv_heads,
        d_head=rec.d_head,
        vocab_size=rec.vocab_size,
        tied=rec.tied_embeddings,
        windows=windows,
        kv_elements_per_layer=kv_per_layer,
        record=rec,
        moe=moe,
        total_params=rec.total_params,
        gated=gated,
        mlp_width_active=width,
        caveats=list(rec.caveats),
        T_max=rec.T_max,
    )


def planner_model(p) -> PlannerModel:
    """The model of ``p`` as S-1 resolves it: ``config`` (exact), ``model`` / ``preset`` through the catalog
    (exact), else S-1's approximate record from the architecture numbers (a caveat says so)."""
    from ..params import ParamError
    from .s1_will_it_fit import APPROX_VOCAB, resolve_model

    try:
        record, _ = resolve_model(p)
    except ParamError as exc:  # S-1's wording names S-1; say it for the recipe at hand
        if exc.error.get("code") == "missing_param":
            exc.error["message"] = exc.error["message"].replace("S-1 needs a model", "This recipe needs a model")
        raise
    pm = _from_record(record, p.model)
    if not getattr(record, "exact", False):
        pm.caveats.append(
            "The model came from architecture numbers, not a config.json: tensor shapes are "
            f"approximate (attention from the heads, the rest of N as a gated MLP, a {APPROX_VOCAB:,}-"
            "token vocabulary, no embedding), so LoRA counts and memory are approximate. Give "
            "config= (or a catalog model) for exact numbers."
        )
    return pm
