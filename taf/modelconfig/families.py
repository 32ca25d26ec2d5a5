"""Per-family rules: how each Hugging Face ``model_type`` lays out its tensors.

One row per family (data, not code). The fields say which reader builds the
architecture and, for the Llama-like decoders, the switches that differ between
families: biases, per-head q/k norms, norms per layer, MLP kind, tied embeddings,
sliding-window layout, MoE layout, and the defaults the transformers config class
uses when a key is absent (θ and the context length).

Switch values: ``qkv_bias`` / ``o_bias`` are ``True``, ``False`` or the name of the
config key that decides (default false when absent). ``swa`` is one of
``none`` (no sliding window, even if a key is present), ``all`` (``sliding_window`` on
every layer when not null), ``qwen`` (only when ``use_sliding_window`` is true, on layers
≥ ``max_window_layers``), ``alternate`` (Gemma 2: even layers slide), ``pattern``
(Gemma 3: every ``sliding_window_pattern``-th layer is global). A ``layer_types`` list in
the config overrides the family layout.
"""
from __future__ import annotations

SOURCE_AS_OF = "2025-06-01"


def _family(family, label, model_types, reader, *, theta=10000.0, max_pos=2048, tied=False,
            qkv_bias="attention_bias", o_bias="attention_bias", mlp_bias=False, qk_norm=False,
            norms_per_layer=2, mlp="gated", layout="separate", swa="none", moe=None, source=""):
    return {
        "family": family,
        "label": label,
        "model_types": model_types,
        "reader": reader,
        "theta_default": theta,
        "max_pos_default": max_pos,
        "tied_default": tied,
        "qkv_bias": qkv_bias,
        "o_bias": o_bias,
        "mlp_bias": mlp_bias,
        "qk_norm": qk_norm,
        "norms_per_layer": norms_per_layer,
        "mlp": mlp,
        "layout": layout,
        "swa": swa,
        "moe": moe,
        "source": source,
        "as_of": SOURCE_AS_OF,
    }


FAMILIES = (
    _family("llama", "Llama", ("llama",), "decoder", theta=10000.0, max_pos=2048, mlp_bias="mlp_bias",
            source="transformers LlamaConfig / modeling_llama.py (attention_bias on q, k, v, o; mlp_bias)"),
    _family("mistral", "Mistral", ("mistral",), "decoder", theta=10000.0, max_pos=131072, qkv_bias=False,
            o_bias=False, swa="all", source="transformers MistralConfig / modeling_mistral.py"),
    _family("mixtral", "Mixtral (MoE)", ("mixtral",), "decoder", theta=1e6, max_pos=131072, qkv_bias=False,
            o_bias=False, swa="all", moe="mixtral", source="transformers MixtralConfig / modeling_mixtral.py"),
    _family("qwen2", "Qwen2 / Qwen2.5", ("qwen2",), "decoder", theta=10000.0, max_pos=32768, qkv_bias=True,
            o_bias=False, swa="qwen", source="transformers Qwen2Config / modeling_qwen2.py (q, k, v bias; no o bias)"),
    _family("qwen2_moe", "Qwen2-MoE", ("qwen2_moe",), "decoder", theta=10000.0, max_pos=8192, qkv_bias=True,
            o_bias=False, swa="qwen", moe="qwen_moe",
            source="transformers Qwen2MoeConfig / modeling_qwen2_moe.py (shared expert + shared-expert gate)"),
    _family("qwen3", "Qwen3", ("qwen3",), "decoder", theta=10000.0, max_pos=32768, qk_norm=True, swa="qwen",
            source="transformers Qwen3Config / modeling_qwen3.py (per-head q_norm, k_norm)"),
    _family("qwen3_moe", "Qwen3-MoE", ("qwen3_moe",), "decoder", theta=10000.0, max_pos=32768, qk_norm=True,
            swa="qwen", moe="qwen_moe", source="transformers Qwen3MoeConfig / modeling_qwen3_moe.py"),
    _family("gemma", "Gemma", ("gemma",), "decoder", theta=10000.0, max_pos=8192, tied=True,
            source="transformers GemmaConfig / modeling_gemma.py (embeddings always tied)"),
    _family("gemma2", "Gemma 2", ("gemma2",), "decoder", theta=10000.0, max_pos=8192, tied=True,
            norms_per_layer=4, swa="alternate",
            source="transformers Gemma2Config / modeling_gemma2.py (pre/post norms; even layers slide)"),
    _family("gemma3_text", "Gemma 3", ("gemma3_text", "gemma3"), "decoder", theta=1e6, max_pos=131072, tied=True,
            qk_norm=True, norms_per_layer=4, swa="pattern",
            source="transformers Gemma3TextConfig / modeling_gemma3.py (q/k norms; 5 local : 1 global)"),
    _family("phi3", "Phi-3", ("phi3",), "decoder", theta=10000.0, max_pos=4096, qkv_bias=False, o_bias=False,
            layout="fused", swa="all", source="transformers Phi3Config / modeling_phi3.py (fused qkv, gate_up)"),
    _family("gpt2", "GPT-2", ("gpt2",), "gpt2", theta=None, max_pos=1024, tied=True,
            source="transformers GPT2Config / modeling_gpt2.py (learned positions, LayerNorm, biases)"),
    _family("gpt_neox", "GPT-NeoX / Pythia", ("gpt_neox",), "gpt_neox", theta=10000.0, max_pos=2048,
            source="transformers GPTNeoXConfig / modeling_gpt_neox.py (fused qkv, partial rotary)"),
    _family("falcon", "Falcon", ("falcon", "RefinedWeb", "RefinedWebModel"), "falcon", theta=10000.0,
            max_pos=2048, tied=True, source="transformers FalconConfig / modeling_falcon.py"),
    _family("deepseek_v2", "DeepSeek-V2 (MLA + MoE)", ("deepseek_v2",), "deepseek", theta=10000.0, max_pos=2048,
            source="DeepSeek-V2 configuration_deepseek.py / modeling_deepseek.py"),
    _family("deepseek_v3", "DeepSeek-V3 (MLA + MoE)", ("deepseek_v3",), "deepseek", theta=10000.0, max_pos=4096,
            source="DeepSeek-V3 configuration_deepseek.py / modeling_deepseek.py"),
)

#: the rules used for an unknown model_type (stated in a caveat)
GENERIC = _family("generic", "unknown architecture (generic decoder rules)", (), "decoder", theta=None,
                  max_pos=None, tied=True, mlp_bias="mlp_bias", swa="all",
                  source="generic pre-norm decoder: gated MLP, RMSNorm, biases only if attention_bias/mlp_bias "
                         "say so, tie_word_embeddings default true (PretrainedConfig)")

FAMILY_BY_MODEL_TYPE = {mt: row for row in FAMILIES for mt in row["model_types"]}


def family_for(model_type: str | None) -> dict:
    """The rules row for ``model_type`` (exact match, then case-insensitive); GENERIC if unknown."""
    if model_type is None:
        return GENERIC
    if model_type in FAMILY_BY_MODEL_TYPE:
        return FAMILY_BY_MODEL_TYPE[model_type]
    folded = {k.lower(): v for k, v in FAMILY_BY_MODEL_TYPE.items()}
    return folded.get(model_type.lower(), GENERIC)
