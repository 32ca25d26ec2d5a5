"""M-1 Model from config.json: exact parameters, KV cache per token, θ, T_train — and a custom model.

The user pastes (or uploads) a Hugging Face ``config.json``; nothing is fetched. The
chain reads the architecture (saying which key each number came from), builds the
tensor inventory, sums it exactly (total, embedding, non-embedding, MoE active per
token), gives the KV cache per token and at the model's context length (GQA,
sliding-window layers, MLA latent), the weights at bf16/int8/4-bit, θ and T_train, and
ends with the preset every other recipe accepts (``taf.preset_from_config``).

``config`` is declared as text (so the CLI, the URL and the form treat it as one
string); from Python a dict is accepted too and is serialised to JSON text first.
"""

from __future__ import annotations

import json
from typing import Any

from ..chain import Verdict
from ..formulas.inference import bytes_breakdown
from ..modelconfig import counts
from ..modelconfig.analysis import WEIGHT_PRECISIONS, Analysis, analyze
from ..numeric import defined
from ..params import Param, ParamError
from ..textfmt import format_billions, format_gb_or_mb, format_kib
from .base import Recipe

CONFIG_MAX_CHARS = 1_000_000


class ConfigParam(Param):
    """A text parameter that also accepts a JSON object (a dict) and serialises it."""

    def parse(self, raw: Any) -> Any:
        if isinstance(raw, dict):
            try:
                raw = json.dumps(raw, ensure_ascii=False, allow_nan=False)
            except (ValueError, TypeError, RecursionError) as exc:
                raise ParamError(
                    "invalid_value",
                    f"config is a dict that is not plain JSON ({type(exc).__name__}: "
                    f"{str(exc)[:100]}); give the config.json text or a dict of JSON "
                    "values (no NaN, no Python objects).",
                    param=self.name,
                )
        elif isinstance(raw, (bytes, bytearray)):
            try:
                raw = bytes(raw).decode("utf-8")
            except UnicodeDecodeError:
                raise ParamError(
                    "invalid_value", "config bytes are not UTF-8 text; give the config.json text.", param=self.name
                )
        elif not isinstance(raw, str):
            raise ParamError(
                "invalid_value",
                f"config = a {type(raw).__name__} is not valid: expected the text of a "
                "config.json (or, from Python, a dict).",
                param=self.name,
            )
        return super().parse(raw)


CONFIG = ConfigParam(
    "config",
    "str",
    "The text of a Hugging Face config.json (pasted or uploaded; read locally, nothing is fetched).",
    max_chars=CONFIG_MAX_CHARS,
    widget="json",
)
KV_DTYPE_BYTES = Param(
    "kv_dtype_bytes",
    "float",
    "Bytes per KV-cache element (2 = bf16/fp16, 1 = int8/fp8, 0.5 = 4-bit).",
    unit="bytes",
    default=2.0,
    min=0,
    min_exclusive=True,
    max=8,
)

PARAMS = (CONFIG, KV_DTYPE_BYTES)


def run(p, chain) -> Verdict:
    a = analyze(p.config, p.kv_dtype_bytes)
    m = a.model
    status = "exploratory" if a.generic else "validated"
    title = a.label + (f" — {a.name}" if a.name else "")

    # 1. architecture
    arch = {"family": a.rules["family"], "model_type": a.model_type}
    arch.update({k: v for k, v in m.summary.items() if v is not None})
    if a.nested:
        arch["read_from"] = a.nested
    chain.step(
        "hf-config",
        "Architecture",
        "model_type → family rules; sizes read from the config keys in the breakdown",
        {"model_type": a.model_type, "rules": a.rules["family"]},
        arch,
        f"{title}: {m.summary['n_layers']} layers, d_model {m.summary['d_model']:,}, {m.summary['attention']}"
        + (f", {m.summary['moe']}" if m.summary.get("moe") else "")
        + ".",
        breakdown=dict(a.reader.sources),
        status=None if not a.generic else "exploratory",
    )

    # 2. inventory
    n_copies = sum(t["count"] for t in m.tensors)
    chain.step(
        "§17",
        "Tensor inventory",
        "P(tensor) = Π shape × copies (one row per tensor name; * = every layer)",
        {"tensor_names": len(m.tensors), "tensors": n_copies},
        m.tensors,
        f"{len(m.tensors)} tensor names, {n_copies:,} tensors in all; shapes as stored in the checkpoint.",
        unit="params",
        status=status,
    )

    # 3–5. totals
    chain.step(
        "§17",
        "Total parameters N",
        "N = Σ over tensors of Π(shape) × copies",
        dict(a.by_group),
        a.total,
        f"{format_billions(a.total)} parameters ({a.total:,}); tied embeddings are counted once."
        if m.summary.get("tied_embeddings")
        else f"{format_billions(a.total)} parameters ({a.total:,}).",
        unit="params",
        breakdown=dict(a.by_group),
        status=status,
    )
    emb_inputs = {
        "token_embedding": a.by_group.get("embedding", 0),
        "learned_positions": a.by_group.get("position", 0),
        "output_head": a.by_group.get("output", 0),
    }
    chain.step(
        "§17",
        "Embedding parameters",
        "N_emb = token embedding + learned positions + untied output head",
        emb_inputs,
        a.embedding,
        f"{format_billions(a.embedding)} ({a.embedding / a.total * 100:.1f} % of N)"
        + ("; the output head is tied to the token embedding" if m.summary.get("tied_embeddings") else ""),
        unit="params",
        status=status,
    )
    chain.step(
        "§17",
        "Non-embedding parameters",
        "N_non-emb = N − N_emb",
        {"N": a.total, "N_emb": a.embedding},
        a.non_embedding,
        f"{format_billions(a.non_embedding)} — the N of Kaplan-style scaling laws.",
        unit="params",
        status=status,
    )

    # 6. MoE
    if m.moe:
        mo = m.moe
        # the analysis sets both for every MoE model
        active, active_without_embedding = defined(a.active), defined(a.active_without_input_embedding)
        chain.step(
            "§17",
            "Active parameters per token",
            "N_active = N − L_moe·(E − k)·P_expert",
            {
                "N": a.total,
                "L_moe": mo["n_moe_layers"],
                "E": mo["n_experts"],
                "k": mo["top_k"],
                "P_expert": mo["expert_params"],
            },
            active,
            f"{format_billions(active)} of {format_billions(a.total)} ({active / a.total * 100:.1f} %) used per token "
            f"(every non-expert tensor counts as active); {format_billions(active_without_embedding)} without "
            "the input-embedding lookup, the convention DeepSeek reports.",
            unit="params",
            breakdown={
                "active_without_input_embedding": active_without_embedding,
                "inactive_expert_params": a.total - active,
            },
            status=status,
        )
    if m.mtp_params:
        chain.step(
            "§17",
            "Multi-token-prediction modules (not in N)",
            "P_MTP = n_mtp·(one decoder layer + eh_proj 2d·d + 3 norms); embedding and head shared",
            {"num_nextn_predict_layers": m.mtp_layers},
            m.mtp_params,
            f"{format_billions(m.mtp_params)} more parameters sit in the checkpoint for multi-token prediction "
            f"(training / speculative decoding); N + MTP = {format_billions(a.total + m.mtp_params)}, and "
            f"{format_billions(a.total + m.mtp_params + a.embedding)} with the copies of the embedding and output "
            "head that checkpoints such as DeepSeek-V3's store for it.",
            unit="params",
        )

    # 7. KV cache per token
    L = m.summary["n_layers"]
    B = a.kv_dtype_bytes
    if m.kv_kind == "mla":
        cfg_inputs = {
            "n_layers": L,
            "kv_lora_rank": m.summary["kv_lora_rank"],
            "qk_rope_head_dim": m.summary["qk_rope_head_dim"],
            "bytes_per_element": B,
        }
        naive = defined(counts.kv_bytes(m.kv_naive_elements_per_layer * L, B))  # integer elements, B > 0
        chain.step(
            "§19.1",
            "KV cache per token",
            "bytes/token = L·(kv_lora_rank + qk_rope_head_dim)·B  (MLA latent)",
            cfg_inputs,
            a.kv_per_token,
            f"{format_kib(a.kv_per_token)} per token: one {m.kv_elements_per_layer}-element latent per layer, shared "
            f"by all {m.summary['n_attention_heads']} heads. An implementation that caches the decompressed "
            f"K and V needs {format_kib(naive)} per token ({naive / a.kv_per_token:.0f}×).",
            unit="bytes",
            breakdown={"decompressed_kv_bytes_per_token": naive},
            status=status,
        )
    elif m.kv_groups:  # K/V shapes differ between layer groups (Gemma 4, MiMo-V2-Flash, DeepSeek-V4)
        compressed = any(g.get("compress_ratio") for g in m.kv_groups)
        chain.step(
            "§19.1",
            "KV cache per token",
            "bytes/token = Σ_groups L_g·(E_g + e_g/m_g)·B  (E: the window's K = V entry; e: one compressed entry "
            "per m tokens)"
            if compressed
            else "bytes/token = Σ_groups L_g·n_kv,g·(d_k,g + d_v,g)·B",
            {"groups": [{k: g[k] for k in g if k != "label"} for g in m.kv_groups], "bytes_per_element": B},
            a.kv_per_token,
            f"{format_kib(a.kv_per_token)} per token at {B:g} bytes/element, summed over the layer groups: "
            + "; ".join(
                f"{g['layers']} × "
                + (
                    f"({g['kv_elements_per_token']:,} + {g['compressed_elements']:,}/{g['compress_ratio']:,})"
                    if g.get("compress_ratio")
                    else f"{g['kv_elements_per_token']:,}"
                )
                + f" elements ({g['label']})"
                for g in m.kv_groups
            )
            + ("; sliding-window layers stop growing past their window (next step)." if a.swa_on else "."),
            unit="bytes",
            status=status,
        )
    else:
        n_kv, dh = m.summary["n_kv_heads"], m.summary["d_head"]
        chain.step(
            "§19.1",
            "KV cache per token",
            "bytes/token = 2·L·n_kv·d_head·B",
            {"n_layers": L, "n_kv_heads": n_kv, "d_head": dh, "bytes_per_element": B},
            a.kv_per_token,
            f"{format_kib(a.kv_per_token)} per token at {B:g} bytes/element"
            + (
                f" (GQA saves {m.summary['n_attention_heads'] // n_kv}× over multi-head)"
                if n_kv < m.summary["n_attention_heads"]
                else ""
            )
            + ("; sliding-window layers stop growing past their window (next step)." if a.swa_on else "."),
            unit="bytes",
            status=status,
        )

    # 8. KV cache at the context length
    sliding = [w for w in a.windows if w is not None and w < a.T_max]
    if sliding:
        formula = "bytes = Σ_layers (per-layer bytes/token)·min(T, W_layer)" + (
            " + Σ_compressed e·⌊T/m⌋" if m.kv_kind == "compressed" else ""
        )
        text = (
            f"{format_gb_or_mb(a.kv_at_context)} per sequence at T = {a.T_max:,}: {len(sliding)} of {L} layers hold "
            "only their "
            f"window, vs {format_gb_or_mb(a.kv_full_equivalent)} if every layer attended globally."
        )
        if m.kv_kind == "compressed":
            text = (
                f"{format_gb_or_mb(a.kv_at_context)} per sequence at T = {a.T_max:,}: every layer holds its window, "
                "and the compressed layers one entry per m tokens of the whole context (⌊T/m⌋ entries)."
            )
    else:
        formula = "bytes = bytes/token × T"
        text = f"{format_gb_or_mb(a.kv_at_context)} per sequence at the model's context length T = {a.T_max:,} tokens."
    chain.step(
        "§19.1",
        "KV cache at context length",
        formula,
        {"bytes_per_token": a.kv_per_token, "T": a.T_max, "sliding_layers": len(sliding)},
        bytes_breakdown(a.kv_at_context),
        text,
        status=status,
    )

    # 9. weights
    sizes = {name: defined(counts.weight_bytes(a.total, bits)) for name, bits in WEIGHT_PRECISIONS}  # N ≥ 0, b > 0
    chain.step(
        "§19",
        "Weights size",
        "bytes = N·b/8 for b = 16, 8, 4 bits",
        {"N": a.total},
        {name: n / 1e9 for name, n in sizes.items()},
        ", ".join(f"{format_gb_or_mb(n)} at {name}" for name, n in sizes.items())
        + " — payload only: 4-bit group formats add scales (≈ 0.25–0.5 bit/weight).",
        unit="GB",
        breakdown={f"{name}_bytes": n for name, n in sizes.items()},
    )

    # 10. θ
    chain.step(
        "§26",
        "RoPE base θ",
        "θ = rope_theta from config.json, else the architecture's default",
        {"source": a.reader.sources.get("theta", "default" if a.theta is not None else "none")},
        a.theta,
        a.theta_note,
    )

    # 11. T_train
    chain.step(
        "§26",
        "Training context T_train",
        "T_train = original_max_position_embeddings if rope_scaling is set, else max_position_embeddings",
        {"max_position_embeddings": a.T_max, "rope_scaling": a.rope_scaling["type"] if a.rope_scaling else None},
        a.T_train,
        a.T_train_note,
        unit="tokens",
    )

    # 12. SWA
    chain.step(
        "hf-config",
        "Sliding-window attention",
        "SWA on ⇔ some layer has a window W < context length",
        {
            "sliding_layers": len([w for w in a.windows if w is not None]),
            "n_layers": L,
            "window": min(sliding) if sliding else None,
        },
        a.swa_on,
        a.swa_note,
    )

    # 13. the custom model
    preset = a.preset()
    text = "Pass these to any recipe (taf.preset_from_config(config), or --config FILE on the command line)."
    if m.preset_kv_note:
        text += " " + m.preset_kv_note + "."
    if a.theta is None:
        text += " θ is undefined (no RoPE), so the γ recipes need an explicit theta."
    chain.step("hf-config", "Custom model (preset)", "preset_from_config(config)", {"n_params": a.total}, preset, text)

    _caveats(a, chain)
    return _verdict(a)


def _caveats(a: Analysis, chain) -> None:
    for text in a.caveats:
        chain.caveat(text)
    chain.caveat(
        "T_train is what config.json states (the pre-scaling length when rope_scaling is set, else "
        "max_position_embeddings); a model card may give a different pre-training length — pass T_train "
        "explicitly to override it."
    )
    if a.swa_on:
        chain.caveat(
            "The other recipes size the KV cache as 2·L·n_kv·d_head·T for every layer; for this "
            "sliding-window model that overstates the cache at long T — the 'KV cache at context length' "
            "step here is exact."
        )
    if a.model.kv_kind == "mla":
        chain.caveat(
            "MLA: the preset encodes the latent cache as n_kv_heads = 1 with d_head = half the latent size, "
            "so KV figures in the other recipes are exact, and δ_GQA applies (one latent serves all heads)."
        )


def _verdict(a: Analysis) -> Verdict:
    # the headline says what was read: "READ: 8.03 B PARAMETERS" (was "PARSED")
    label = f"READ: {format_billions(a.total).upper()} PARAMETERS" + (" (GENERIC RULES)" if a.generic else "")
    who = a.label + (f" ({a.name})" if a.name else "")
    reason = (
        f"{who}: N = {a.total:,} parameters ({format_billions(a.total)}; {format_billions(a.non_embedding)} "
        "non-embedding" + (f"; {format_billions(a.active)} active per token" if a.active is not None else "") + "); "
        f"KV cache {a.kv_per_token:,} bytes ({format_kib(a.kv_per_token)}) per token at {a.kv_dtype_bytes:g} "
        f"bytes/element, {format_gb_or_mb(a.kv_at_context)} at its {a.T_max:,}-token context; "
        + (f"θ = {a.theta:,.0f}" if a.theta is not None else "no RoPE θ")
        + f", T_train = {a.T_train:,}"
        + (", sliding-window attention on" if a.swa_on else "")
        + "."
    )
    if a.theta is None:
        mitigation = (
            "Use it as a custom model where θ is not needed — X-5 (serving GPU) and the training recipes — "
            "via taf.preset_from_config(config) or --config FILE; the γ recipes (X-2, X-19 …) need a RoPE "
            "base θ, which this model does not have."
        )
    else:
        mitigation = (
            "Run it through the other recipes as a custom model — X-2 (long context at your T_eval), X-5 "
            "(cheapest serving GPU), X-19 (KV compression), G-1 (token gate) and Profile — via "
            "taf.preset_from_config(config) or `taf run X-2 --config config.json T_eval=32000`."
        )
    if a.generic:
        mitigation += " Check the tensor inventory against the model's checkpoint: the generic rules are assumptions."
    figures = {
        "total_params": a.total,
        "embedding_params": a.embedding,
        "non_embedding_params": a.non_embedding,
        "active_params": a.active,
        "kv_bytes_per_token": a.kv_per_token,
        "kv_bytes_at_max_context": a.kv_at_context,
        "max_context_tokens": a.T_max,
        "theta": a.theta,
        "T_train": a.T_train,
        "sliding_window": a.swa_on,
        "exact": not a.generic,
    }
    return Verdict(label, reason, mitigation, tone="caution" if a.generic else "neutral", figures=figures)


RECIPE = Recipe(
    id="M-1",
    name="Model from config.json",
    description="Paste a Hugging Face config.json: exact parameter count, KV cache per token, θ, T_train, "
    "and a custom model for every recipe.",
    category="model",
    sections=("§17", "§19", "§26"),
    params=PARAMS,
    run=run,
    in_profile=False,
)
