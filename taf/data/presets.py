"""Model presets: the featured catalog models, their architecture parameters derived from the record.

A preset is a catalog model (``taf.model.catalog``, real config.json files with sources): its
architecture parameters are ``ModelRecord.to_preset()`` of the model's record, with any curated
fact the config does not state correctly (e.g. the training length) applied — each fact carries
its own source. ``FEATURED`` lists the presets shown first (the TAF Agent module's eleven models), in display
order; every other catalog model is accepted as ``preset=`` too. Nothing is computed at import:
the rows are built on first use.

The TAF Agent module (reference ``taf-agent``) rounded these rows (``n_params`` 8e9 for Llama-3-8B); the exact
counts from the configs replace them — see the README for each changed value.
"""

from __future__ import annotations

from typing import NamedTuple


class ArchParams(NamedTuple):
    """The architecture parameters a model fills (a preset, a catalog model, a config.json): the one
    definition of the architecture field list. Every other use derives from it — ``ARCH_FIELDS``, the
    record's ``to_preset()``, the config reader's ``Analysis.preset()``, the Profile form
    (``taf.profile.profile_params``), registry and CLI help. Build a row with keywords
    (``ArchParams(theta=…, …)._asdict()``): a missing or extra field is a TypeError, not a drift.
    """

    theta: float | None  #: RoPE base θ (None without RoPE)
    T_train: int  #: training context length, tokens
    n_attention_heads: int
    n_kv_heads: int
    d_head: int
    n_layers: int
    n_params: int | float  #: total parameters
    has_SWA: bool  #: a sliding window binds below the model's context


#: the architecture fields a preset fills, in display order (derived from :class:`ArchParams`)
ARCH_FIELDS: tuple[str, ...] = ArchParams._fields
#: what a preset row carries besides ARCH_FIELDS (MoE-aware serving figures come from the record)
EXTRA_FIELDS = ("active_params",)

#: the featured presets (the TAF Agent module's eleven models), in display order
FEATURED = (
    "EleutherAI/pythia-2.8b",
    "EleutherAI/pythia-1b",
    "EleutherAI/pythia-1.4b",
    "meta-llama/Meta-Llama-3-8B",
    "meta-llama/Llama-3.2-1B",
    "meta-llama/Llama-3.3-70B-Instruct",
    "mistralai/Mistral-7B-v0.1",
    "Qwen/Qwen2.5-7B",
    "Qwen/Qwen2.5-1.5B",
    "google/gemma-2-9b",
    "microsoft/Phi-3-mini-4k-instruct",
)

#: old preset ids that now name a catalog model by another id (links made earlier keep working)
OLD_IDS = {
    "google/gemma-2-9b-it": "google/gemma-2-9b",
    "microsoft/phi-3-mini-4k-instruct": "microsoft/Phi-3-mini-4k-instruct",
}
