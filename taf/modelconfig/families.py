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


NORMS_2 = ("input_layernorm", "post_attention_layernorm")
NORMS_4 = ("input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm")


def _family(family, label, model_types, reader, *, theta=10000.0, max_pos=2048, tied=False,
            qkv_bias="attention_bias", o_bias="attention_bias", mlp_bias=False, qk_norm=False,
            norm_names=NORMS_2, norm_bias=False, mlp="gated", layout="separate", swa="none", moe=None,
            sinks=False, attn_gate=False, linear_attention=False, chunked=False, indexer=False,
            dense_ff_keys=("intermediate_size", "n_inner", "ffn_dim", "ffn_hidden_size"), architectures=(),
            class_defaults=None, source=""):
    return {
        "family": family,
        "label": label,
        "model_types": model_types,
        "architectures": architectures,
        "reader": reader,
        "theta_default": theta,
        "max_pos_default": max_pos,
        "tied_default": tied,
        "qkv_bias": qkv_bias,
        "o_bias": o_bias,
        "mlp_bias": mlp_bias,
        "qk_norm": qk_norm,
        "norm_names": norm_names,
        "norms_per_layer": len(norm_names),
        "norm_bias": norm_bias,
        "mlp": mlp,
        "layout": layout,
        "swa": swa,
        "moe": moe,
        "sinks": sinks,
        "attn_gate": attn_gate,
        "linear_attention": linear_attention,
        "chunked": chunked,
        "indexer": indexer,
        # keys a config may leave to its transformers config class: the class default, filled in when absent
        "class_defaults": class_defaults or {},
        "dense_ff_keys": dense_ff_keys,
        "source": source,
        "as_of": SOURCE_AS_OF,
    }


TF = "transformers 5.24 "
FAMILIES = (
    _family("llama", "Llama", ("llama",), "decoder", theta=10000.0, max_pos=2048, mlp_bias="mlp_bias",
            architectures=("LlamaForCausalLM",),
            source="transformers LlamaConfig / modeling_llama.py (attention_bias on q, k, v, o; mlp_bias)"),
    _family("mistral", "Mistral", ("mistral",), "decoder", theta=10000.0, max_pos=131072, qkv_bias=False,
            o_bias=False, swa="all", architectures=("MistralForCausalLM",),
            source="transformers MistralConfig / modeling_mistral.py"),
    _family("mixtral", "Mixtral (MoE)", ("mixtral",), "decoder", theta=1e6, max_pos=131072, qkv_bias=False,
            o_bias=False, swa="all", moe="mixtral", architectures=("MixtralForCausalLM",),
            source="transformers MixtralConfig / modeling_mixtral.py"),
    _family("qwen2", "Qwen2 / Qwen2.5", ("qwen2",), "decoder", theta=10000.0, max_pos=32768, qkv_bias=True,
            o_bias=False, swa="qwen", architectures=("Qwen2ForCausalLM",),
            source="transformers Qwen2Config / modeling_qwen2.py (q, k, v bias; no o bias)"),
    _family("qwen2_moe", "Qwen2-MoE", ("qwen2_moe",), "decoder", theta=10000.0, max_pos=8192, qkv_bias=True,
            o_bias=False, swa="qwen", moe="qwen_moe", architectures=("Qwen2MoeForCausalLM",),
            source="transformers Qwen2MoeConfig / modeling_qwen2_moe.py (shared expert + shared-expert gate)"),
    _family("qwen3", "Qwen3", ("qwen3", "qwen3_vl_text"), "decoder", theta=10000.0, max_pos=32768, qk_norm="head",
            swa="qwen", architectures=("Qwen3ForCausalLM",),
            source="transformers Qwen3Config / modeling_qwen3.py (per-head q_norm, k_norm); Qwen3-VL's text model "
                   "(Qwen3VLTextConfig) is the same decoder"),
    _family("qwen3_moe", "Qwen3-MoE", ("qwen3_moe", "qwen3_vl_moe_text"), "decoder", theta=10000.0, max_pos=32768,
            qk_norm="head", swa="qwen", moe="qwen_moe", architectures=("Qwen3MoeForCausalLM",),
            source="transformers Qwen3MoeConfig / modeling_qwen3_moe.py; Qwen3VLMoeTextConfig the same"),
    _family("qwen3_next", "Qwen3-Next / Qwen3.5 (hybrid linear attention)",
            ("qwen3_next", "qwen3_5_text", "qwen3_5_moe_text"), "decoder", theta=10000.0, max_pos=32768,
            qkv_bias=False, o_bias=False, qk_norm="head", attn_gate=True, linear_attention=True, moe="qwen_moe",
            architectures=("Qwen3NextForCausalLM",),
            source=TF + "Qwen3NextConfig / Qwen3_5TextConfig / Qwen3_5MoeTextConfig (gated DeltaNet layers, "
                        "gated attention every full_attention_interval-th layer)"),
    _family("gemma", "Gemma", ("gemma",), "decoder", theta=10000.0, max_pos=8192, tied=True,
            architectures=("GemmaForCausalLM",),
            source="transformers GemmaConfig / modeling_gemma.py (embeddings always tied)"),
    _family("gemma2", "Gemma 2", ("gemma2",), "decoder", theta=10000.0, max_pos=8192, tied=True,
            norm_names=NORMS_4, swa="alternate", architectures=("Gemma2ForCausalLM",),
            source="transformers Gemma2Config / modeling_gemma2.py (pre/post norms; even layers slide)"),
    _family("gemma3_text", "Gemma 3", ("gemma3_text", "gemma3"), "decoder", theta=1e6, max_pos=131072, tied=True,
            qk_norm="head", norm_names=NORMS_4, swa="pattern", architectures=("Gemma3ForCausalLM",),
            class_defaults={"vocab_size": 262208, "hidden_size": 2304, "intermediate_size": 9216,
                            "num_hidden_layers": 26, "num_attention_heads": 8, "num_key_value_heads": 4,
                            "head_dim": 256, "sliding_window": 4096, "max_position_embeddings": 131072},
            source="transformers Gemma3TextConfig / modeling_gemma3.py (q/k norms; 5 local : 1 global); class defaults "
                   "from transformers 5.24 Gemma3TextConfig()"),
    _family("phi3", "Phi-3", ("phi3",), "decoder", theta=10000.0, max_pos=4096, qkv_bias=False, o_bias=False,
            layout="fused", swa="all", architectures=("Phi3ForCausalLM",),
            source="transformers Phi3Config / modeling_phi3.py (fused qkv, gate_up)"),
    _family("olmo2", "OLMo 2", ("olmo2",), "decoder", theta=10000.0, max_pos=2048, qk_norm="full",
            norm_names=("post_attention_layernorm", "post_feedforward_layernorm"), architectures=("Olmo2ForCausalLM",),
            source=TF + "Olmo2Config / modeling_olmo2.py (full-width q/k RMSNorm; norms after attention and MLP)"),
    _family("cohere", "Cohere / Command-R", ("cohere",), "decoder", theta=10000.0, max_pos=8192, tied=True,
            norm_names=("input_layernorm",), architectures=("CohereForCausalLM",),
            source=TF + "CohereConfig / modeling_cohere.py (one LayerNorm per layer, parallel attention + MLP; "
                        "tie_word_embeddings default true)"),
    _family("stablelm", "StableLM", ("stablelm",), "decoder", theta=10000.0, max_pos=4096, qkv_bias="use_qkv_bias",
            o_bias=False, norm_bias=True, architectures=("StableLmForCausalLM",),
            source=TF + "StableLmConfig / modeling_stablelm.py (LayerNorm with bias; use_qkv_bias)"),
    _family("starcoder2", "StarCoder2", ("starcoder2",), "decoder", theta=10000.0, max_pos=4096, tied=True,
            qkv_bias="use_bias", o_bias="use_bias", mlp_bias="use_bias", norm_bias=True, mlp="plain", swa="all",
            architectures=("Starcoder2ForCausalLM",),
            source=TF + "Starcoder2Config / modeling_starcoder2.py (plain c_fc/c_proj MLP, biases by use_bias, "
                        "LayerNorm with bias)"),
    _family("gpt_oss", "gpt-oss (MoE)", ("gpt_oss",), "decoder", theta=150000.0, max_pos=131072, qkv_bias=True,
            o_bias=True, sinks=True, moe="gpt_oss", swa="all", architectures=("GptOssForCausalLM",),
            source=TF + "GptOssConfig / modeling_gpt_oss.py (attention sinks; expert and router biases; "
                        "alternating sliding / full layers)"),
    _family("llama4", "Llama 4 (MoE)", ("llama4_text", "llama4"), "decoder", theta=500000.0, max_pos=131072,
            qkv_bias="attention_bias", o_bias="attention_bias", moe="llama4", chunked=True,
            dense_ff_keys=("intermediate_size_mlp",), architectures=("Llama4ForCausalLM",),
            source=TF + "Llama4TextConfig / modeling_llama4.py (shared expert; MoE every interleave_moe_layer_step-th "
                        "layer, dense MLP intermediate_size_mlp elsewhere; chunked attention on RoPE layers; "
                        "use_qk_norm is a weightless L2 norm)"),
    _family("minimax_m2", "MiniMax-M2 (MoE)", ("minimax_m2",), "decoder", theta=5e6, max_pos=196608, qkv_bias=False,
            o_bias=False, qk_norm="full", moe="minimax", architectures=("MiniMaxM2ForCausalLM",),
            source=TF + "MiniMaxM2Config / modeling_minimax_m2.py (full-width q/k norms; sigmoid router with "
                        "e_score_correction_bias buffer)"),
    _family("glm4_moe", "GLM-4.5 / GLM-4.7 (MoE)", ("glm4_moe",), "decoder", theta=1e6, max_pos=131072,
            qkv_bias="attention_bias", o_bias=False, qk_norm="key", moe="glm4_moe",
            architectures=("Glm4MoeForCausalLM",),
            source=TF + "Glm4MoeConfig / modeling_glm4_moe.py (q/k/v bias by attention_bias; first_k_dense_replace "
                        "dense layers; shared experts; e_score_correction_bias buffer)"),
    _family("gpt2", "GPT-2", ("gpt2",), "gpt2", theta=None, max_pos=1024, tied=True,
            architectures=("GPT2LMHeadModel",),
            source="transformers GPT2Config / modeling_gpt2.py (learned positions, LayerNorm, biases)"),
    _family("olmo", "OLMo", ("olmo",), "decoder", theta=10000.0, max_pos=2048, norm_names=(),
            architectures=("OlmoForCausalLM",),
            source=TF + "OlmoConfig / modeling_olmo.py (LayerNorm without parameters)"),
    _family("olmoe", "OLMoE (MoE)", ("olmoe",), "decoder", theta=10000.0, max_pos=4096, qk_norm="full", moe="olmoe",
            architectures=("OlmoeForCausalLM",),
            source=TF + "OlmoeConfig / modeling_olmoe.py (full-width q/k norms; 64 experts, 8 per token)"),
    _family("opt", "OPT", ("opt",), "opt", theta=None, max_pos=2048, tied=True, architectures=("OPTForCausalLM",),
            source=TF + "OPTConfig / modeling_opt.py (learned positions offset by 2, LayerNorm, biases)"),
    _family("bloom", "BLOOM", ("bloom",), "bloom", theta=None, max_pos=2048, tied=True,
            architectures=("BloomForCausalLM",),
            source=TF + "BloomConfig / modeling_bloom.py (ALiBi, embedding LayerNorm, fused qkv)"),
    _family("mamba", "Mamba (state space)", ("mamba", "falcon_mamba"), "mamba", theta=None, max_pos=2048,
            tied=True, architectures=("MambaForCausalLM",),
            source=TF + "MambaConfig / modeling_mamba.py (no attention: a fixed state per sequence)"),
    _family("mamba2", "Mamba-2 (state space)", ("mamba2",), "mamba", theta=None, max_pos=2048,
            architectures=("Mamba2ForCausalLM",),
            source=TF + "Mamba2Config / modeling_mamba2.py (SSD heads; tie_word_embeddings default false)"),
    _family("jamba", "Jamba (Mamba + attention + MoE)", ("jamba",), "jamba", theta=None, max_pos=262144,
            architectures=("JambaForCausalLM",),
            source=TF + "JambaConfig / modeling_jamba.py (attention every attn_layer_period-th layer, MoE every "
                        "expert_layer_period-th)"),
    _family("gpt_bigcode", "GPT-BigCode / SantaCoder / StarCoder", ("gpt_bigcode",), "gpt2", theta=None,
            max_pos=1024, tied=True, architectures=("GPTBigCodeForCausalLM",),
            source=TF + "GPTBigCodeConfig / modeling_gpt_bigcode.py (GPT-2 layout, multi_query default true)"),
    _family("gptj", "GPT-J", ("gptj",), "gptj", theta=10000.0, max_pos=2048, architectures=("GPTJForCausalLM",),
            source=TF + "GPTJConfig / modeling_gptj.py (no attention biases; biased MLP and output head)"),
    _family("phi", "Phi-1 / Phi-1.5 / Phi-2", ("phi",), "phi", theta=10000.0, max_pos=2048,
            architectures=("PhiForCausalLM",),
            source=TF + "PhiConfig / modeling_phi.py (one LayerNorm, parallel attention + MLP, biases everywhere)"),
    _family("nemotron_h", "Nemotron-H (Mamba-2 hybrid)", ("nemotron_h",), "nemotron_h", theta=None, max_pos=4096,
            architectures=("NemotronHForCausalLM",),
            source=TF + "NemotronHConfig / modeling_nemotron_h.py (hybrid_override_pattern: M Mamba-2, * attention, "
                        "- MLP, E MoE; one mixer and one norm per layer)"),
    _family("gpt_neox", "GPT-NeoX / Pythia", ("gpt_neox",), "gpt_neox", theta=10000.0, max_pos=2048,
            architectures=("GPTNeoXForCausalLM",),
            source="transformers GPTNeoXConfig / modeling_gpt_neox.py (fused qkv, partial rotary)"),
    _family("falcon", "Falcon", ("falcon", "RefinedWeb", "RefinedWebModel"), "falcon", theta=10000.0,
            max_pos=2048, tied=True, architectures=("FalconForCausalLM",),
            source="transformers FalconConfig / modeling_falcon.py"),
    _family("deepseek_v2", "DeepSeek-V2 (MLA + MoE)", ("deepseek_v2",), "deepseek", theta=10000.0, max_pos=2048,
            architectures=("DeepseekV2ForCausalLM",),
            source="DeepSeek-V2 configuration_deepseek.py / modeling_deepseek.py"),
    _family("deepseek_v3", "DeepSeek-V3 (MLA + MoE)", ("deepseek_v3", "kimi_k2", "kimi_k25"), "deepseek",
            theta=10000.0, max_pos=4096, architectures=("DeepseekV3ForCausalLM",),
            source="DeepSeek-V3 configuration_deepseek.py / modeling_deepseek.py; Kimi-K2 ships this architecture "
                   "(architectures = DeepseekV3ForCausalLM)"),
    _family("deepseek_v32", "DeepSeek-V3.2 (MLA + sparse attention + MoE)", ("deepseek_v32",), "deepseek",
            theta=10000.0, max_pos=163840, indexer=True, architectures=("DeepseekV32ForCausalLM",),
            source=TF + "DeepseekV32Config / modeling_deepseek_v32.py (DeepSeek-V3 + lightning indexer per layer)"),
    _family("glm_moe_dsa", "GLM-5 (MLA + sparse attention + MoE)", ("glm_moe_dsa",), "deepseek", theta=1e6,
            max_pos=202752, indexer=True, architectures=("GlmMoeDsaForCausalLM",),
            source=TF + "GlmMoeDsaConfig / modeling_glm_moe_dsa.py (DeepSeek-V3.2 layout)"),
    _family("glm4_moe_lite", "GLM-4.7-Flash (MLA + MoE)", ("glm4_moe_lite",), "deepseek", theta=1e6,
            max_pos=202752, architectures=("Glm4MoeLiteForCausalLM",),
            source=TF + "Glm4MoeLiteConfig / modeling_glm4_moe_lite.py (DeepSeek-V3 layout: MLA + shared experts)"),
)

#: the rules used for an unknown model_type (stated in a caveat)
GENERIC = _family("generic", "unknown architecture (generic decoder rules)", (), "decoder", theta=None,
                  max_pos=None, tied=True, mlp_bias="mlp_bias", swa="all",
                  source="generic pre-norm decoder: gated MLP, RMSNorm, biases only if attention_bias/mlp_bias "
                         "say so, tie_word_embeddings default true (PretrainedConfig)")

FAMILY_BY_MODEL_TYPE = {mt: row for row in FAMILIES for mt in row["model_types"]}
FAMILY_BY_ARCHITECTURE = {arch: row for row in FAMILIES for arch in row["architectures"]}


def family_for(model_type: str | None, architectures=None) -> dict:
    """The rules row for ``model_type`` (exact, then case-insensitive), else for a class named in
    ``architectures`` (e.g. Kimi-K2's ``kimi_k2`` ships DeepseekV3ForCausalLM); GENERIC if neither is known."""
    if model_type is not None:
        if model_type in FAMILY_BY_MODEL_TYPE:
            return FAMILY_BY_MODEL_TYPE[model_type]
        folded = {k.lower(): v for k, v in FAMILY_BY_MODEL_TYPE.items()}
        if model_type.lower() in folded:
            return folded[model_type.lower()]
    for arch in architectures or ():
        if isinstance(arch, str) and arch in FAMILY_BY_ARCHITECTURE:
            return FAMILY_BY_ARCHITECTURE[arch]
    return GENERIC
