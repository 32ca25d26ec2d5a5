"""What a recipe is, and the parameter declarations several recipes share.

A recipe is its parameter schema plus one function ``run(p, chain) -> Verdict``:
``p`` holds the resolved, validated parameters as attributes; ``run`` appends
steps to ``chain`` and returns the verdict. ``run`` may raise
:class:`~taf.params.ParamError` for a constraint between parameters (for example
``n_kv_heads`` > ``n_attention_heads``); everything else is validated before it
is called.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from types import SimpleNamespace

from ..chain import Chain, Verdict
from ..numeric import defined
from ..params import Param, ParamError, show
from ..references import REFERENCES, TAF_SECTION_PREFIX, label
from ..textfmt import format_bound


@dataclasses.dataclass(frozen=True, slots=True, repr=False)
class Recipe:
    """One recipe: its id and texts, its parameter schema and ``run(p, chain) -> Verdict``.

    ``in_profile``: whether Profile (the TAF card of one model) runs this recipe. Immutable.
    """

    id: str
    name: str
    description: str
    category: str
    sections: tuple
    params: tuple
    run: Callable[[SimpleNamespace, Chain], Verdict]
    in_profile: bool = True

    def __repr__(self) -> str:
        return f"Recipe(id={self.id!r}, name={self.name!r})"

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    @property
    def param_names(self) -> list[str]:
        return [p.name for p in self.params]

    def describe(self) -> dict:
        """The recipe as data; ``sections`` shows TAF § numbers and reference labels, ``refs`` the citation keys."""
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "category": self.category,
            "sections": [label(s) if s in REFERENCES else s for s in self.sections],
            "refs": self.refs,
            "params": [p.describe() for p in self.params],
        }

    @property
    def refs(self) -> list[str]:
        """The citation keys of the recipe's sections (``taf`` for § numbers), each once."""
        keys = ["taf" if s.startswith(TAF_SECTION_PREFIX) else s for s in self.sections]
        return list(dict.fromkeys(k for k in keys if k in REFERENCES))


def constraint_error(param: str, value, requirement: str) -> ParamError:
    """An ``out_of_range`` error for a constraint that involves another parameter."""
    return ParamError(
        "out_of_range",
        f"{param} = {show(value)} is out of range: {requirement}.",
        param=param,
        value=value,
    )


def check_kv_heads(p: SimpleNamespace) -> None:
    """n_kv_heads must not exceed n_attention_heads (GQA shares K/V across query heads)."""
    if p.n_kv_heads > p.n_attention_heads:
        raise constraint_error(
            "n_kv_heads",
            p.n_kv_heads,
            f"it must be ≤ n_attention_heads = {format_bound(p.n_attention_heads)}",
        )


# ── shared declarations ──────────────────────────────────────────────────────
THETA = Param(
    "theta",
    "float",
    "RoPE base θ (rope_theta in config.json).",
    unit="",
    min=0,
    min_exclusive=True,
    max=1e12,
    preset_key="theta",
)
T_TRAIN = Param(
    "T_train", "int", "Context length the model was trained at.", unit="tokens", min=1, max=10**9, preset_key="T_train"
)
T_EVAL = Param(
    "T_eval",
    "int",
    "Context length you want to serve or evaluate at (default: T_train).",
    unit="tokens",
    default=None,
    default_from="T_train",
    min=1,
    max=10**9,
)
N_ATTENTION_HEADS = Param(
    "n_attention_heads",
    "int",
    "Number of query heads per layer.",
    unit="heads",
    min=1,
    max=4096,
    preset_key="n_attention_heads",
)
N_KV_HEADS = Param(
    "n_kv_heads",
    "int",
    "Number of key/value heads per layer (< query heads means GQA).",
    unit="heads",
    min=1,
    max=4096,
    preset_key="n_kv_heads",
)
D_HEAD = Param("d_head", "int", "Dimension of one attention head.", unit="dims", min=1, max=65536, preset_key="d_head")
N_LAYERS = Param(
    "n_layers", "int", "Number of transformer layers.", unit="layers", min=1, max=10000, preset_key="n_layers"
)
N_PARAMS = Param(
    "n_params",
    "float",
    "Model size (total parameters).",
    unit="params",
    min=0,
    min_exclusive=True,
    max=1e15,
    preset_key="n_params",
)
HAS_SWA = Param(
    "has_SWA", "bool", "Whether the model uses sliding-window attention layers.", default=False, preset_key="has_SWA"
)
KV_BYTES = Param(
    "bytes_per_element",
    "float",
    "Bytes per KV-cache element (2 = bf16/fp16, 1 = int8/fp8).",
    unit="bytes",
    default=2.0,
    min=0.125,
    max=8,
)


class GammaSteps:
    """What the two opening steps of the γ recipes computed.

    ``no_delta``: no δ correction applies, so d_horizon(θ, γ_corrected) = T_eval identically.
    """

    __slots__ = ("has_gqa", "gamma_pade", "decomposition", "gamma_corrected", "no_delta")

    def __init__(self, has_gqa: bool, gamma_pade: float, decomposition: dict, gamma_corrected: float, no_delta: bool):
        self.has_gqa = has_gqa
        self.gamma_pade = gamma_pade
        self.decomposition = decomposition
        self.gamma_corrected = gamma_corrected
        self.no_delta = no_delta


def gamma_steps(p: SimpleNamespace, chain: Chain) -> GammaSteps:
    """Steps §26.1 (γ_Padé at T_eval) and §26.10 (decomposition v1), shared by X-2 and X-19."""
    from ..formulas import attention as att

    has_gqa = p.n_kv_heads < p.n_attention_heads
    # θ > 0 and T_eval ≥ 1 (THETA, T_EVAL): inside the domain of gamma_pade, which is None only outside it
    g_pade = defined(att.gamma_pade(p.theta, p.T_eval))
    chain.step(
        "§26.1",
        "γ_Padé",
        att.GAMMA_PADE_FORMULA,
        {"theta": p.theta, "T_eval": p.T_eval},
        g_pade,
        att.phase_label(g_pade),
        status="validated",
    )
    decomp = att.gamma_decompose(g_pade, has_GQA=has_gqa, has_SWA=p.has_SWA, n_params=p.n_params)
    g_corr = decomp["gamma_corrected"]
    parts = []
    if decomp["delta_GQA"]:
        parts.append(f"δ_GQA {att.DELTA_GQA:+g} (GQA; replicates)")
    if decomp["delta_post_IH"]:
        sign = f"{att.DELTA_POST_IH:+g}".replace("-", "−")
        parts.append(f"δ_post-IH {sign} (N ≥ {att.POST_IH_MIN_PARAMS / 1e6:g} M; exploratory, does not replicate)")
    if p.has_SWA:
        parts.append("δ_SWA disabled (fit on n = 1)")
    chain.step(
        "§26.10",
        "γ-decomposition",
        att.DECOMPOSITION_FORMULA,
        {"gamma_pade": g_pade, "has_GQA": has_gqa, "has_SWA": p.has_SWA, "n_params": p.n_params},
        g_corr,
        ("; ".join(parts) if parts else "no δ correction applies: γ_corrected = γ_Padé")
        + f" → {att.phase_label(g_corr)}",
        breakdown=decomp,
        status="exploratory" if decomp["delta_post_IH"] else ("validated" if has_gqa else None),
    )
    no_delta = decomp["delta_GQA"] == 0 and decomp["delta_post_IH"] == 0
    return GammaSteps(has_gqa, g_pade, decomp, g_corr, no_delta)
