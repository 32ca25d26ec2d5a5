"""The model a planner recipe (S-2, T-1) works on: one exact description from config.json.

``model`` names a catalog / preset model (resolved through the architecture record,
``taf.model.record``, when it is available); ``config`` is a pasted config.json. Both end
in a :class:`PlannerModel`: the tensor inventory and the dimensions the speed and
training formulas need. Nothing is re-read from config.json here: the numbers come from
the config reader (``taf.modelconfig``) that M-1 and the record use.
"""
from __future__ import annotations

from ..params import Param, ParamError, show
from .m1_model_config import ConfigParam

MODEL = Param("model", "str", "Model id (a catalog or preset model, e.g. Qwen/Qwen3-8B); or paste its config.json "
                              "into `config`.", default=None, preset_key="id", max_chars=200)
CONFIG = ConfigParam("config", "str", "The text of the model's Hugging Face config.json (overrides `model`; read "
                                      "locally, nothing is fetched).", default=None, max_chars=1_000_000)


class PlannerModel:
    """What S-2 and T-1 need of a model (plain attributes; built by :func:`planner_model`)."""

    __slots__ = ("id", "label", "tensors", "d_model", "n_layers", "n_heads", "n_kv_heads", "d_head", "vocab_size",
                 "tied", "windows", "kv_elements_per_layer", "kv_kind", "moe", "total_params", "gated",
                 "mlp_width_active", "caveats", "T_max")

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw.get(k))

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
        held = sum(context if w is None else min(context, w) for w in self.windows) if self.windows \
            else self.n_layers * context
        return float(self.kv_elements_per_layer * held * bytes_per_element)


def _from_analysis(a, model_id: str | None) -> PlannerModel:
    m = a.model
    s = m.summary
    d = s["d_model"]
    n_layers = s["n_layers"]
    gated = any(t["group"] in ("mlp", "experts", "shared_experts") and
                any(k in t["name"] for k in ("gate_proj", "gate_up_proj", ".w1.", "w3")) for t in m.tensors)
    per_matrix = 3 if gated else 2
    mlp_dense = a.by_group.get("mlp", 0) / n_layers / (per_matrix * d)
    moe = None
    if m.moe:
        moe = dict(m.moe)
        n_moe = moe["n_moe_layers"]
        expert_ff = moe["expert_params"] / (per_matrix * d)
        shared = a.by_group.get("shared_experts", 0) / max(1, n_moe) / (per_matrix * d)
        moe_width = moe["top_k"] * expert_ff + shared
        width = (mlp_dense * n_layers + moe_width * n_moe) / n_layers
    else:
        width = mlp_dense
    return PlannerModel(
        id=model_id or a.name or "custom model", label=(model_id or a.name or "custom model").split("/")[-1],
        tensors=m.tensors, d_model=d, n_layers=n_layers, n_heads=s["n_attention_heads"],
        n_kv_heads=s.get("n_kv_heads", s["n_attention_heads"]), d_head=s["d_head"], vocab_size=s["vocab_size"],
        tied=s.get("tied_embeddings", False), windows=list(a.windows), kv_elements_per_layer=m.kv_elements_per_layer,
        kv_kind=m.kv_kind, moe=moe, total_params=a.total, gated=gated, mlp_width_active=width,
        caveats=list(a.caveats), T_max=a.T_max)


def _record_config(model_id: str):
    """The config the architecture record holds for ``model_id`` (None when unknown or not available)."""
    try:
        from ..model import record as rec  # lands with the architecture record (issue 11)
    except ImportError:
        return None
    getter = getattr(rec, "config_for_model", None)
    if getter is not None:
        return getter(model_id)
    record = rec.record_for_model(model_id)
    return getattr(record, "config", None) if record is not None else None


def planner_model(p) -> PlannerModel:
    """The model named by ``p.config`` (preferred) or ``p.model``; a structured error otherwise."""
    from ..modelconfig.analysis import analyze

    if p.config:
        return _from_analysis(analyze(p.config), p.model)
    if not p.model:
        raise ParamError("missing_param", "Give a model: model=<catalog id> (or preset=<id>), or paste its "
                                          "config.json into config.", param="model")
    cfg = _record_config(p.model)
    if cfg is None:
        raise ParamError("unknown_choice", f"model = {show(p.model)} is not a model taf has a config.json for; "
                                           "paste the model's config.json into config instead.",
                         param="model", value=p.model)
    return _from_analysis(analyze(cfg), p.model)
