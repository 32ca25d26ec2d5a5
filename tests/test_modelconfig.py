"""taf.modelconfig: exact parameter counts, KV cache, θ, T_train and SWA from published config.json files.

Every expected figure was derived by hand, tensor by tensor (see the comments), and
cross-checked against a published count where one exists.
"""
import json
from pathlib import Path

import pytest

from taf.modelconfig import analyze, counts, family_for
from taf.modelconfig.families import FAMILIES, GENERIC
from taf.params import ParamError

CONFIGS = Path(__file__).parent / "fixtures" / "configs"


def load(name: str) -> dict:
    return json.loads((CONFIGS / f"{name}.json").read_text())


def text(name: str) -> str:
    return (CONFIGS / f"{name}.json").read_text()


# name: (total N, embedding params, KV bytes/token in bf16, KV bytes at the config's context length)
EXACT = {
    # 32·(41,943,040 attn + 176,160,768 MLP + 8,192 norms) + 4,096 + 2·128,256·4,096; spec oracle
    "llama-3-8b": (8_030_261_248, 1_050_673_152, 131_072, 1_073_741_824),
    "llama-3.1-8b": (8_030_261_248, 1_050_673_152, 131_072, 131_072 * 131_072),
    # MHA: 32·(4·4096² + 3·4096·11008 + 8192) + 4096 + 2·32000·4096; published 6,738,415,616
    "llama-2-7b": (6_738_415_616, 262_144_000, 524_288, 524_288 * 4096),
    # as Llama-3-8B's layers with a 32,000 vocabulary; window 4096 on every layer
    "mistral-7b-v0.1": (7_241_732_096, 262_144_000, 131_072, 131_072 * 4096),
    # 32·(attn + 8 experts·176,160,768 + router 4096·8 + norms) + embeddings
    "mixtral-8x7b-v0.1": (46_702_792_704, 262_144_000, 131_072, 131_072 * 32768),
    # q/k/v biases, tied embeddings; spec oracle
    "qwen2.5-0.5b": (494_032_768, 136_134_656, 12_288, 12_288 * 32768),
    "qwen2.5-7b": (7_615_616_512, 1_089_994_752, 57_344, 57_344 * 131072),
    "qwen1.5-moe-a2.7b": (14_315_784_192, 622_329_856, 196_608, 196_608 * 8192),
    # per-head q/k norms (2·128 per layer); published 8,190,735,360 / 596,049,920 / 30,532,122,624
    "qwen3-8b": (8_190_735_360, 1_244_659_712, 147_456, 147_456 * 40960),
    "qwen3-0.6b": (596_049_920, 155_582_464, 114_688, 114_688 * 40960),
    "qwen3-30b-a3b": (30_532_122_624, 622_329_856, 98_304, 98_304 * 40960),
    # head_dim 256 explicit, MQA, tied; published 2,506,172,416 / 8,537,680,896
    "gemma-2b": (2_506_172_416, 524_288_000, 18_432, 18_432 * 8192),
    "gemma-7b": (8_537_680_896, 786_432_000, 458_752, 458_752 * 8192),
    # 4 norms per layer; even layers slide (4096): 21·8192·4096 + 21·8192·8192
    "gemma-2-9b": (9_241_705_984, 917_504_000, 344_064, 21 * 8192 * (4096 + 8192)),
    "gemma-2-2b": (2_614_341_888, 589_824_000, 106_496, 13 * 4096 * (4096 + 8192)),
    # q/k norms, 22 sliding layers (512) + 4 global; published 999,885,952
    "gemma-3-1b": (999_885_952, 301_989_888, 26_624, 1024 * (22 * 512 + 4 * 32768)),
    # fused qkv + gate_up; window 2047 on every layer; published 3,821,079,552 (Phi-3/3.5-mini)
    "phi-3-mini-4k": (3_821_079_552, 197_001_216, 393_216, 393_216 * 2047),
    # wte + wpe, LayerNorm + biases everywhere, tied; spec oracle
    "gpt2": (124_439_808, 39_383_808, 36_864, 36_864 * 1024),
    # Pythia paper / HF: 162,322,944 and 1,011,781,632
    "pythia-160m": (162_322_944, 77_266_944, 36_864, 36_864 * 2048),
    "pythia-1b": (1_011_781_632, 206_045_184, 131_072, 131_072 * 2048),
    # multi-query fused qkv (71 + 2)·64, one LayerNorm (parallel attn), tied
    "falcon-7b": (6_921_720_704, 295_469_056, 8_192, 8_192 * 2048),
    # new decoder architecture: (128 + 2·8)·64 qkv, ln_attn + ln_mlp
    "falcon-40b": (41_303_293_952, 532_676_608, 122_880, 122_880 * 2048),
    # MLA + DeepSeekMoE; published 15,706,484,224 and 671,026,419,200 ("671B")
    "deepseek-v2-lite": (15_706_484_224, 419_430_400, 31_104, 31_104 * 163840),
    # the 58 × 256 router e_score_correction_bias elements are a buffer in transformers (outside parameters()):
    # reported separately, not in N — 671,026,419,200 with them
    "deepseek-v3": (671_026_404_352, 1_853_358_080, 70_272, 70_272 * 163840),
}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_exact_counts_and_kv(name):
    total, embedding, kv_token, kv_ctx = EXACT[name]
    a = analyze(text(name))
    assert a.total == total
    assert a.embedding == embedding
    assert a.non_embedding == total - embedding
    assert a.kv_per_token == kv_token
    assert a.kv_at_context == kv_ctx
    assert isinstance(a.total, int) and isinstance(a.kv_per_token, int)


def test_every_fixture_is_covered():
    """Every hand-derived oracle has its fixture; every fixture is either hand-derived here or listed in the
    manifest with its source (and then checked against the transformers golden)."""
    stems = {p.stem for p in CONFIGS.glob("*.json")} - {"MANIFEST", "transformers_golden"}
    manifest = json.loads((CONFIGS / "MANIFEST.json").read_text())
    assert set(EXACT) <= stems
    assert stems <= set(EXACT) | set(manifest)
    assert set(manifest) <= stems


@pytest.mark.parametrize("name,active", [
    ("mixtral-8x7b-v0.1", 12_879_925_248),   # published "12.9B active"
    ("qwen3-30b-a3b", 3_353_032_704),        # published "3.3B activated"
    ("qwen1.5-moe-a2.7b", 2_689_173_504),    # "A2.7B"
    ("deepseek-v2-lite", 2_661_150_208),
    ("deepseek-v3", 37_552_282_624),
])
def test_moe_active_parameters(name, active):
    a = analyze(text(name))
    assert a.active == active
    assert a.active < a.total


def test_deepseek_active_without_input_embedding_matches_published_convention():
    # DeepSeek reports activated params without the input-embedding lookup:
    # V3 "36.6B (including 0.9B for the output head)", V2-Lite "2.4B".
    # (without the 14,848-element score-correction buffer, which transformers keeps outside parameters())
    assert analyze(text("deepseek-v3")).active_without_input_embedding == 36_625_603_584
    assert analyze(text("deepseek-v2-lite")).active_without_input_embedding == 2_451_435_008


def test_deepseek_v3_mtp_module_is_reported_but_not_counted():
    a = analyze(text("deepseek-v3"))
    # one MoE decoder layer 11,507,286,016 (its 256-element score buffer aside) + eh_proj 2·7168·7168 + enorm,
    # hnorm, shared_head.norm
    assert a.model.mtp_params == 11_507_286_016 + 2 * 7168 * 7168 + 3 * 7168
    assert a.total == 671_026_404_352
    assert a.buffers == {"model.layers.{3..60}.mlp.gate.e_score_correction_bias": 58 * 256}


def test_deepseek_mla_kv_and_preset_mapping():
    a = analyze(text("deepseek-v3"))
    assert a.kv_per_token == 61 * (512 + 64) * 2
    assert a.model.kv_naive_elements_per_layer == 128 * (192 + 128)
    assert a.model.preset_kv == (1, 288)
    # an independent tensor-by-tensor recount of the V3 checkpoint lists 45,395 main-model tensors, 58 of them
    # the router score-correction buffers (reported apart from the parameters)
    assert sum(t["count"] for t in a.model.tensors) == 45_395 - 58
    # decompressed K/V per token (what a naive implementation caches): 61·128·(192 + 128)·2 bytes
    assert counts.kv_bytes(a.model.kv_naive_elements_per_layer * 61, 2) == 4_997_120
    preset = a.preset()
    # the other recipes' 2·L·n_kv·d_head·B then equals the MLA latent cache
    assert 2 * preset["n_layers"] * preset["n_kv_heads"] * preset["d_head"] * 2 == a.kv_per_token
    v2 = analyze(text("deepseek-v2-lite"))
    names = [t["name"] for t in v2.model.tensors]
    assert "model.layers.*.self_attn.q_proj.weight" in names          # q_lora_rank null: full-rank q
    assert not any("e_score_correction_bias" in n for n in names)      # topk_method greedy
    v3_names = [t["name"] for t in a.model.tensors]
    assert "model.layers.{3..60}.mlp.gate.e_score_correction_bias" in a.buffers
    assert not any("e_score_correction_bias" in n for n in v3_names)
    assert "model.layers.{0..2}.mlp.gate_proj.weight" in v3_names


def test_llama_kv_oracle_and_breakdown():
    a = analyze(text("llama-3-8b"))
    assert a.by_group == {"embedding": 525_336_576, "output": 525_336_576, "attention": 1_342_177_280,
                          "mlp": 5_637_144_576, "norm": 266_240}
    assert sum(t["params"] for t in a.model.tensors) == a.total
    # kv_dtype_bytes = 1 halves it exactly; 0.5 (4-bit) quarters it
    assert analyze(text("llama-3-8b"), 1).kv_per_token == 65_536
    assert analyze(text("llama-3-8b"), 0.5).kv_per_token == 32_768


@pytest.mark.parametrize("name,theta,t_train,t_max,swa", [
    ("llama-3-8b", 500000.0, 8192, 8192, False),
    ("llama-3.1-8b", 500000.0, 8192, 131072, False),     # rope_scaling llama3: original 8192
    ("llama-2-7b", 10000.0, 4096, 4096, False),          # rope_theta absent: Llama default
    ("mistral-7b-v0.1", 10000.0, 32768, 32768, True),
    ("mixtral-8x7b-v0.1", 1e6, 32768, 32768, False),     # sliding_window null
    ("qwen2.5-7b", 1e6, 131072, 131072, False),          # use_sliding_window false
    ("qwen2.5-0.5b", 1e6, 32768, 32768, False),
    ("gemma-2-9b", 10000.0, 8192, 8192, True),
    ("gemma-3-1b", 1e6, 32768, 32768, True),
    ("phi-3-mini-4k", 10000.0, 4096, 4096, True),
    ("gpt2", None, 1024, 1024, False),
    ("pythia-160m", 10000.0, 2048, 2048, False),         # rotary_emb_base
    ("falcon-7b", 10000.0, 2048, 2048, False),           # both absent: Falcon defaults
    ("deepseek-v3", 10000.0, 4096, 163840, False),       # yarn, original 4096
])
def test_theta_t_train_swa(name, theta, t_train, t_max, swa):
    a = analyze(text(name))
    assert a.theta == theta
    assert a.T_train == t_train
    assert a.T_max == t_max
    assert a.swa_on is swa


def test_theta_notes_say_where_theta_came_from():
    assert analyze(text("llama-2-7b")).theta_note.startswith("rope_theta absent: the Llama default θ = 10,000")
    assert analyze(text("pythia-160m")).theta_note == "rotary_emb_base = 10,000"
    assert "no RoPE" in analyze(text("gpt2")).theta_note
    assert "original_max_position_embeddings = 8,192" in analyze(text("llama-3.1-8b")).T_train_note
    assert "max_position_embeddings absent" in analyze(text("falcon-7b")).T_max_note


def test_qwen_sliding_window_set_but_off():
    a = analyze(text("qwen2.5-7b"))
    assert a.swa_on is False
    assert "use_sliding_window = false" in a.swa_note and "OFF" in a.swa_note
    assert all(w is None for w in a.windows)


def test_qwen_sliding_window_on_uses_max_window_layers():
    cfg = load("qwen2.5-7b")
    cfg.update(use_sliding_window=True, sliding_window=4096, max_window_layers=14)
    a = analyze(cfg)
    assert a.swa_on is True
    assert a.windows == [None] * 14 + [4096] * 14
    per_layer = 4 * 128 * 2 * 2
    assert a.kv_at_context == per_layer * (14 * 131072 + 14 * 4096)
    assert a.total == 7_615_616_512


def test_window_not_below_context_never_binds():
    cfg = load("mistral-7b-v0.1")
    cfg["sliding_window"] = 32768
    a = analyze(cfg)
    assert a.swa_on is False and "never binds" in a.swa_note
    assert a.kv_at_context == 131_072 * 32768


def test_layer_types_override_family_layout():
    cfg = load("gemma-2-9b")
    cfg["layer_types"] = ["full_attention"] * 40 + ["sliding_attention"] * 2
    a = analyze(cfg)
    assert a.windows == [None] * 40 + [4096] * 2
    assert a.kv_at_context == 8192 * (40 * 8192 + 2 * 4096)


def test_rope_scaling_without_original_length_falls_back_with_caveat():
    cfg = load("llama-2-7b")
    cfg["rope_scaling"] = {"type": "linear", "factor": 2.0}
    a = analyze(cfg)
    assert a.T_train == 4096
    assert any("original_max_position_embeddings" in c for c in a.caveats)


def test_phi3_longrope_uses_top_level_original_length():
    cfg = load("phi-3-mini-4k")
    cfg.update(max_position_embeddings=131072, sliding_window=262144,
               rope_scaling={"type": "longrope", "long_factor": [1.0] * 48, "short_factor": [1.0] * 48})
    a = analyze(cfg)
    assert a.T_train == 4096 and a.T_max == 131072
    assert a.swa_on is False


def test_transformers_v5_rope_parameters():
    cfg = load("llama-3-8b")
    del cfg["rope_theta"]
    cfg["rope_parameters"] = {"rope_theta": 500000.0, "rope_type": "default"}
    a = analyze(cfg)
    assert a.theta == 500000.0 and a.T_train == 8192
    assert a.theta_note == "rope_parameters.rope_theta = 500,000"


def test_biases_and_norm_options():
    cfg = load("llama-3-8b")
    cfg["attention_bias"] = True
    cfg["mlp_bias"] = True
    a = analyze(cfg)
    # q, k, v, o biases: 4096 + 1024 + 1024 + 4096; MLP: 14336 + 14336 + 4096; per layer, × 32
    assert a.total == 8_030_261_248 + 32 * (4096 + 1024 + 1024 + 4096 + 14336 + 14336 + 4096)
    neox = load("pythia-160m")
    neox["attention_bias"] = False
    assert analyze(neox).total == 162_322_944 - 12 * (3 * 768 + 768)


def test_tied_and_untied_output_head():
    cfg = load("qwen2.5-0.5b")
    cfg["tie_word_embeddings"] = False
    a = analyze(cfg)
    assert a.total == 494_032_768 + 151_936 * 896
    assert a.by_group["output"] == 151_936 * 896


def test_unknown_model_type_uses_generic_rules_with_caveat():
    cfg = load("llama-3-8b")
    cfg["model_type"] = "my_llama_fork"
    cfg["architectures"] = ["MyLlamaForkForCausalLM"]
    a = analyze(cfg)
    assert a.generic and a.rules is GENERIC
    assert a.total == 8_030_261_248     # the config states everything the generic rules need
    assert any("generic decoder rules" in c for c in a.caveats)
    del cfg["model_type"]
    assert analyze(cfg).generic


def test_family_recognised_by_architectures():
    # Kimi-K2's model_type "kimi_k2" is listed; an unknown model_type with a known class in architectures is
    # read by that class's rules, and the caveat says so
    cfg = load("llama-3-8b")
    cfg["model_type"] = "my_llama_fork"
    a = analyze(cfg)
    assert not a.generic and a.rules["family"] == "llama" and a.total == 8_030_261_248
    assert any("LlamaForCausalLM" in c for c in a.caveats)


def test_generic_moe_keys_are_read():
    cfg = load("mixtral-8x7b-v0.1")
    cfg["model_type"] = "some_moe"
    cfg["architectures"] = ["SomeMoeForCausalLM"]
    a = analyze(cfg)
    assert a.generic and a.total == 46_702_792_704 and a.active == 12_879_925_248


def test_multimodal_text_config_is_read():
    inner = load("gemma-3-1b")
    a = analyze({"model_type": "gemma3", "architectures": ["Gemma3ForConditionalGeneration"], "text_config": inner})
    assert a.total == 999_885_952 and a.nested == "text_config"
    assert any("vision" in c for c in a.caveats)
    del inner["model_type"]
    assert analyze({"model_type": "gemma3", "text_config": inner}).total == 999_885_952


def test_every_family_has_source_and_as_of():
    types = {mt for row in FAMILIES for mt in row["model_types"]}
    for needed in ("llama", "mistral", "mixtral", "qwen2", "qwen2_moe", "qwen3", "qwen3_moe", "gemma", "gemma2",
                   "gemma3_text", "phi3", "gpt2", "gpt_neox", "falcon", "deepseek_v2", "deepseek_v3"):
        assert needed in types
    assert all(row["source"] and row["as_of"] for row in FAMILIES + (GENERIC,))
    assert family_for("LLAMA")["family"] == "llama"
    assert family_for("nope") is GENERIC


# ── errors: structured, naming the key ─────────────────────────────────────────
def error_of(config, **kw) -> dict:
    with pytest.raises(ParamError) as info:
        analyze(config, **kw)
    err = info.value.error
    assert err.get("param") in ("config", "kv_dtype_bytes")
    assert err["message"]
    return err


def test_malformed_json():
    err = error_of('{"model_type": "llama",')
    assert err["code"] == "invalid_json" and "line 1" in err["message"]
    nan_size = error_of('{"hidden_size": NaN}')  # read as Python's json reads it, refused where a size is needed
    assert nan_size["code"] == "invalid_value" and nan_size["key"] == "hidden_size"
    assert error_of("[1, 2, 3]")["code"] == "invalid_value"
    assert error_of('"a string"')["code"] == "invalid_value"
    assert error_of("   ")["code"] == "invalid_value"
    assert error_of("[" * 100_000)["code"] == "invalid_json"


@pytest.mark.parametrize("key", ["num_hidden_layers", "hidden_size", "num_attention_heads", "vocab_size",
                                 "intermediate_size"])
def test_missing_key_is_named(key):
    cfg = load("llama-3-8b")
    del cfg[key]
    err = error_of(cfg)
    assert err["code"] == "invalid_value" and err["key"] == key
    assert repr(key) in err["message"]


def test_missing_mla_key_is_named():
    cfg = load("deepseek-v3")
    del cfg["kv_lora_rank"]
    err = error_of(cfg)
    assert err["key"] == "kv_lora_rank" and "kv_lora_rank" in err["message"]


@pytest.mark.parametrize("value,code", [
    (-1, "out_of_range"), (0, "out_of_range"), (2_000_000, "out_of_range"), (10**30, "out_of_range"),
    (32.5, "invalid_value"), (True, "invalid_value"), ("32", "invalid_value"), (None, "invalid_value"),
    ([32], "invalid_value"), ({"n": 32}, "invalid_value"),
])
def test_absurd_layer_counts(value, code):
    cfg = load("llama-3-8b")
    cfg["num_hidden_layers"] = value
    err = error_of(cfg)
    assert err["code"] == code and err["key"] == "num_hidden_layers"


def test_integral_float_sizes_are_accepted():
    cfg = load("llama-3-8b")
    cfg["num_hidden_layers"] = 32.0
    assert analyze(cfg).total == 8_030_261_248


@pytest.mark.parametrize("patch,key", [
    ({"num_key_value_heads": 64}, "num_key_value_heads"),        # more KV heads than query heads
    ({"num_key_value_heads": 5}, "num_key_value_heads"),         # does not divide 32
    ({"hidden_size": 4097}, "num_attention_heads"),              # not divisible, no head_dim
    ({"tie_word_embeddings": "no"}, "tie_word_embeddings"),
    ({"rope_theta": -5}, "rope_theta"),
    ({"rope_theta": "big"}, "rope_theta"),
    ({"rope_scaling": "yarn"}, "rope_scaling"),
    ({"rope_scaling": {"rope_type": "llama3", "factor": 8, "original_max_position_embeddings": 0}},
     "rope_scaling.original_max_position_embeddings"),
    ({"model_type": 7}, "model_type"),
    ({"max_position_embeddings": 0}, "max_position_embeddings"),
])
def test_wrong_types_and_values_name_the_key(patch, key):
    cfg = load("llama-3-8b")
    cfg.update(patch)
    err = error_of(cfg)
    assert err["code"] in ("invalid_value", "out_of_range")
    assert err["key"] == key


def test_moe_and_window_inconsistencies():
    cfg = load("mixtral-8x7b-v0.1")
    cfg["num_experts_per_tok"] = 9
    assert error_of(cfg)["key"] == "num_experts_per_tok"
    cfg = load("gemma-2-9b")
    cfg["layer_types"] = ["full_attention"] * 3
    assert error_of(cfg)["key"] == "layer_types"
    cfg = load("qwen3-30b-a3b")
    cfg["mlp_only_layers"] = [1, "two"]
    assert error_of(cfg)["key"] == "mlp_only_layers[1]"


def test_dict_with_non_json_values_is_an_error():
    assert error_of({"hidden_size": float("nan")})["code"] == "invalid_value"
    assert error_of({"hidden_size": {1, 2}})["code"] == "invalid_value"


def test_kv_dtype_bytes_range():
    assert error_of(text("gpt2"), kv_dtype_bytes=0)["param"] == "kv_dtype_bytes"


# ── the arithmetic ───────────────────────────────────────────────────────────
def test_count_formulas():
    assert counts.linear_params(4096, 1024) == 4_194_304
    assert counts.linear_params(768, 2304, bias=True) == 768 * 2304 + 2304
    assert counts.norm_params(768, bias=True) == 1536
    assert counts.mlp_params(4096, 14336, gated=True) == 176_160_768
    assert counts.mlp_params(768, 3072, gated=False, bias=True) == 2 * 768 * 3072 + 3072 + 768
    assert counts.kv_elements_per_token_gqa(8, 128) == 2048
    assert counts.kv_elements_per_token_mla(512, 64) == 576
    assert counts.kv_bytes(2048 * 32, 2.0) == 131_072 and isinstance(counts.kv_bytes(2048 * 32, 2.0), int)
    assert counts.kv_bytes(3, 0.5) == 1.5
    assert counts.kv_tokens_held(4096, 32768) == 4096 and counts.kv_tokens_held(None, 100) == 100
    assert counts.weight_bytes(8_030_261_248, 4) == 4_015_130_624
    assert counts.weight_bytes(3, 4) == 1.5
    assert counts.weight_bytes(10**20 + 1, 16) == 2 * (10**20 + 1)      # exact for big N


def test_count_formulas_return_none_outside_domain():
    assert counts.linear_params(-1, 3) is None
    assert counts.mlp_params(1.5, 3, gated=True) is None
    assert counts.kv_bytes(10, 0) is None and counts.kv_bytes(10, True) is None
    assert counts.kv_tokens_held(0, 10) is None
    assert counts.weight_bytes(10, -4) is None


def test_over_long_text_value_is_an_error_not_cut():
    # a name-like key longer than 200 characters used to be cut silently to its first 200
    cfg = load("llama-3-8b")
    cfg["model_type"] = "x" * 201
    err = error_of(cfg)
    assert err["code"] == "invalid_value" and err["key"] == "model_type"
    assert "it is 201 characters long" in err["message"] and "at most 200 characters" in err["message"]
    assert err["value"] == "x" * 200 + "…"  # the echo in the error is shortened, and says so
    cfg["model_type"] = "my_" + "x" * 197  # exactly 200: accepted whole, generic rules
    a = analyze(cfg)
    assert a.model_type == "my_" + "x" * 197 and a.rules["family"] == "llama"  # by architectures
    ds = load("deepseek-v3")
    ds["topk_method"] = "t" * 250
    assert error_of(ds)["key"] == "topk_method"


# ── attention that differs by layer type; DeepSeek-V4's compressed layers ───────────────
def test_m1_kv_step_sums_the_layer_groups():
    """MiMo-V2-Flash: 9 global layers 4 KV heads × (192 K + 128 V), 39 sliding layers 8 × (192 + 128), bf16."""
    import taf

    r = taf.run_recipe("M-1", config=text("mimo-v2-flash"))
    step = next(s for s in r["chain"] if s["name"] == "KV cache per token")
    assert step["result"] == (9 * 4 * 320 + 39 * 8 * 320) * 2 == 222_720
    shapes = {(g["layers"], g["n_kv_heads"], g["d_head"], g["v_head_dim"]) for g in step["inputs"]["groups"]}
    assert shapes == {(9, 4, 192, 128), (39, 8, 192, 128)}
    # the preset's single pair carries the same KV per token: 2·48·4·290 = 111,360 elements
    assert (r["figures"]["kv_bytes_per_token"], analyze(text("mimo-v2-flash")).preset()["d_head"]) == (222_720, 290)


def test_gemma4_class_defaults_add_per_layer_embeddings():
    """Gemma4TextConfig leaves hidden_size_per_layer_input = 256: one packed 262,144 × 30·256 table, its
    2,816 → 7,680 projection and norm, and per layer a 2,816 → 256 gate, 256 → 2,816 projection and norm."""
    base, defaults = analyze(text("gemma-4-26b-a4b")), analyze(text("gemma-4-26b-a4b-class-defaults"))
    ple = 262_144 * 30 * 256 + 30 * 256 * 2816 + 256 + 30 * (256 * 2816 * 2 + 2816)
    # global_head_dim (512), sliding_window (1,024 → 512) and layer_types default to the same shapes here
    assert defaults.total - base.total == ple
    assert defaults.embedding - base.embedding == 262_144 * 30 * 256


@pytest.mark.parametrize(
    "name, change, key",
    [
        ("deepseek-v4-flash", {"compress_ratios": [0, 7] + [4] * 41}, "compress_ratios"),
        ("deepseek-v4-flash", {"layer_types": ["sliding_attention"] * 42 + ["global"]}, "layer_types"),
        ("deepseek-v4-flash", {"mlp_layer_types": ["moe"] * 5}, "mlp_layer_types"),
        ("deepseek-v4-flash", {"o_groups": 7}, "o_groups"),
        ("mimo-v2-flash", {"hybrid_layer_pattern": [0, 1, 1]}, "layer_types"),
        ("mimo-v2-flash", {"swa_num_key_value_heads": 5}, "swa_num_key_value_heads"),
    ],
)
def test_bad_layer_layouts_are_structured_errors(name, change, key):
    err = error_of(dict(load(name), **change))
    assert err["param"] == "config" and err["key"] == key, err


def test_dbrx_reads_its_nested_attn_and_ffn_config():
    # databricks/dbrx model/config.json: kv_n_heads and θ live in attn_config, the expert sizes in ffn_config.
    # Hand-derived: per block Wqkv (6144 + 2·8·128)·6144 + out_proj 6144² + 2 LayerNorm weights + router 16·6144
    # + 16 experts × 3·10752·6144; wte and the untied head 100352·6144 each; final norm 6144.
    a = analyze(text("dbrx-instruct"))
    block = (6144 + 2 * 8 * 128) * 6144 + 6144**2 + 2 * 6144 + 16 * 6144 + 16 * 3 * 10752 * 6144
    assert a.total == 40 * block + 2 * 100352 * 6144 + 6144 == 131_596_523_520
    assert a.active == a.total - 40 * 12 * 3 * 10752 * 6144 == 36_469_708_800  # 4 of 16 experts per token
    assert a.kv_per_token == 40 * 2 * 8 * 128 * 2  # bf16
    assert (a.theta, a.T_max) == (500000.0, 32768)
    assert "attn_config.rope_theta" in a.theta_note
    for nested, key in (("attn_config", "kv_n_heads"), ("ffn_config", "moe_top_k")):
        cfg = load("dbrx-instruct")
        cfg[nested][key] = 17 if key == "moe_top_k" else 7
        assert error_of(cfg)["key"] == f"{nested}.{key}"
    cfg = load("dbrx-instruct")
    cfg["ffn_config"] = "big"
    assert error_of(cfg)["key"] == "ffn_config"
