"""M-1 through the public API, preset_from_config with every recipe, the CLI, and no-traceback properties."""
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import taf
from taf import cli
from taf.registry import get_recipe
from taf.recipes import RECIPE_IDS

CONFIGS = Path(__file__).parent / "fixtures" / "configs"
LLAMA = CONFIGS / "llama-3-8b.json"
ALLOWED_ERRORS = {"invalid_json", "invalid_value", "out_of_range", "missing_param"}


def text(name: str) -> str:
    return (CONFIGS / f"{name}.json").read_text()


def step(result: dict, name: str) -> dict:
    matches = [s for s in result["chain"] if s["name"] == name]
    assert len(matches) == 1, [s["name"] for s in result["chain"]]
    return matches[0]


# ── the recipe ───────────────────────────────────────────────────────────────
def test_m1_registered_last_and_not_in_profile():
    assert taf.list_recipes()[-1]["id"] == "M-1"
    assert get_recipe("M-1").in_profile is False
    params = {p["name"]: p for p in taf.list_recipes()[-1]["params"]}
    assert params["config"]["type"] == "str" and "default" not in params["config"]
    assert params["kv_dtype_bytes"]["default"] == 2.0


def test_m1_llama3_8b_chain():
    r = taf.run_recipe("M-1", config=LLAMA.read_text())
    assert "error" not in r, r
    assert r["verdict"] == "READ: 8.03 B PARAMETERS" and r["tone"] == "neutral"  # was "PARSED"
    assert r["figures"]["total_params"] == 8_030_261_248 and r["figures"]["kv_bytes_per_token"] == 131_072
    assert step(r, "Total parameters N")["result"] == 8_030_261_248
    assert step(r, "Non-embedding parameters")["result"] == 6_979_588_096
    assert step(r, "KV cache per token")["result"] == 131_072
    assert step(r, "KV cache at context length")["result"]["bytes"] == 1_073_741_824
    assert step(r, "RoPE base θ")["result"] == 500000.0
    assert step(r, "Training context T_train")["result"] == 8192
    assert step(r, "Sliding-window attention")["result"] is False
    assert step(r, "Weights size")["breakdown"] == {"bf16_bytes": 16_060_522_496, "int8_bytes": 8_030_261_248,
                                                    "4-bit_bytes": 4_015_130_624}
    assert step(r, "Custom model (preset)")["result"] == taf.preset_from_config(LLAMA.read_text())
    assert "8,030,261,248" in r["reason"] and "128 KiB" in r["reason"]
    assert "X-2" in r["mitigation"] and "X-5" in r["mitigation"]
    assert [s["step"] for s in r["chain"]] == list(range(1, len(r["chain"]) + 1))


def test_m1_gives_tensor_inventory_and_key_sources():
    r = taf.run_recipe("M-1", config=text("qwen2.5-0.5b"))
    arch = step(r, "Architecture")
    assert arch["breakdown"]["n_kv_heads"] == "num_key_value_heads"
    assert arch["breakdown"]["qkv_bias"] == "always (architecture)"
    inventory = step(r, "Tensor inventory")["result"]
    q_bias = [t for t in inventory if t["name"] == "model.layers.*.self_attn.q_proj.bias"][0]
    assert q_bias == {"name": "model.layers.*.self_attn.q_proj.bias", "shape": [896], "count": 24,
                      "params": 896 * 24, "group": "attention"}
    assert not any(t["name"] == "lm_head.weight" for t in inventory)   # tied
    assert sum(t["params"] for t in inventory) == 494_032_768
    swa = step(r, "Sliding-window attention")
    assert swa["result"] is False and "use_sliding_window = false" in swa["interpretation"]


def test_m1_moe_active_step_and_mla_kv():
    r = taf.run_recipe("M-1", config=text("mixtral-8x7b-v0.1"))
    assert step(r, "Active parameters per token")["result"] == 12_879_925_248
    assert "active per token" in r["reason"]
    ds = taf.run_recipe("M-1", config=text("deepseek-v3"))
    kv = step(ds, "KV cache per token")
    assert kv["result"] == 70_272 and "kv_lora_rank" in kv["formula"]
    # (its 256-element router score buffer is outside parameters(), as in the main layers)
    assert step(ds, "Multi-token-prediction modules (not in N)")["result"] == 11_610_067_968
    assert step(ds, "Training context T_train")["result"] == 4096
    assert any("MLA" in c for c in ds["caveats"])


def test_m1_gpt2_has_no_theta():
    r = taf.run_recipe("M-1", config=text("gpt2"))
    assert step(r, "Total parameters N")["result"] == 124_439_808
    assert step(r, "RoPE base θ")["result"] is None
    assert "no RoPE" in r["reason"]


def test_m1_generic_verdict_label():
    cfg = json.loads(LLAMA.read_text())
    cfg["model_type"] = "unknown_thing"
    cfg["architectures"] = ["UnknownThingForCausalLM"]  # (a known class here would name the family)
    r = taf.run_recipe("M-1", config=cfg)
    assert r["verdict"] == "READ: 8.03 B PARAMETERS (GENERIC RULES)" and r["tone"] == "caution"
    assert any("generic decoder rules" in c for c in r["caveats"])
    assert step(r, "Total parameters N")["status"] == "exploratory"


def test_m1_accepts_dict_and_json_and_is_deterministic():
    cfg = json.loads(LLAMA.read_text())
    from_dict = taf.run_recipe("M-1", config=cfg)
    from_text = taf.run_recipe("M-1", config=LLAMA.read_text())
    assert from_dict["chain"] == from_text["chain"] and from_dict["verdict"] == from_text["verdict"]
    assert from_dict["inputs"]["config"] == json.dumps(cfg, ensure_ascii=False)
    a = taf.run_recipe_json("M-1", json.dumps({"config": LLAMA.read_text()}))
    b = taf.run_recipe_json("M-1", json.dumps({"config": LLAMA.read_text()}))
    assert a == b and json.loads(a)["verdict"] == "READ: 8.03 B PARAMETERS"
    # the worker may also send the config as a JSON object
    c = json.loads(taf.run_recipe_json("M-1", json.dumps({"config": cfg, "kv_dtype_bytes": 1})))
    assert step(c, "KV cache per token")["result"] == 65_536


def test_m1_kv_dtype_bytes_param():
    r = taf.run_recipe("M-1", config=LLAMA.read_text(), kv_dtype_bytes="1")
    assert step(r, "KV cache per token")["result"] == 65_536
    assert taf.run_recipe("M-1", config=LLAMA.read_text(), kv_dtype_bytes=0)["error"]["code"] == "out_of_range"


@pytest.mark.parametrize("config,code", [
    ("not json at all", "invalid_json"),
    ('{"model_type": "llama", "hidden_size": 4096,}', "invalid_json"),
    ("[]", "invalid_value"),
    ("", "missing_param"),
    ('{"model_type": "llama"}', "invalid_value"),
    (12, "invalid_value"),
    ([1, 2], "invalid_value"),
    ("x" * 1_000_001, "invalid_value"),
])
def test_m1_bad_configs_are_structured_errors(config, code):
    r = taf.run_recipe("M-1", config=config)
    assert r["error"]["code"] == code
    assert r["error"]["param"] == "config"
    json.loads(taf.run_recipe_json("M-1", json.dumps({"config": config})))


def test_m1_missing_key_message_names_key():
    cfg = json.loads(LLAMA.read_text())
    del cfg["vocab_size"]
    err = taf.run_recipe("M-1", config=cfg)["error"]
    assert err == {"code": "invalid_value", "param": "config", "key": "vocab_size",
                   "message": err["message"]}
    assert "'vocab_size'" in err["message"]


# ── preset_from_config with every recipe ────────────────────────────────────────
def test_preset_from_config_fields():
    preset = taf.preset_from_config(LLAMA.read_text())
    assert preset == {"theta": 500000.0, "T_train": 8192, "n_attention_heads": 32, "n_kv_heads": 8, "d_head": 128,
                      "n_layers": 32, "n_params": 8_030_261_248, "has_SWA": False}
    assert taf.preset_from_config(json.loads(LLAMA.read_text())) == preset
    assert json.loads(taf.preset_from_config_json(LLAMA.read_text())) == preset
    assert taf.preset_from_config(text("gemma-2-9b"))["has_SWA"] is True


def test_preset_from_config_bad_input_never_raises():
    assert taf.preset_from_config("{")["error"]["code"] == "invalid_json"
    assert taf.preset_from_config(None)["error"]["code"] == "invalid_value"
    assert taf.preset_from_config(LLAMA.read_text(), "Z-9")["error"]["code"] == "unknown_recipe"
    assert json.loads(taf.preset_from_config_json("nope"))["error"]["code"] == "invalid_json"


def test_x2_accepts_the_spread_preset():
    r = taf.run_recipe("X-2", **taf.preset_from_config(LLAMA.read_text()), T_eval=32000)
    assert "error" not in r, r
    assert r["inputs"]["theta"] == 500000.0 and r["inputs"]["n_params"] == 8_030_261_248.0
    assert r["inputs"]["T_train"] == 8192 and r["verdict"] == "BEYOND TRAINING CONTEXT"


def test_x19_accepts_the_spread_preset():
    r = taf.run_recipe("X-19", **taf.preset_from_config(text("qwen2.5-7b")), T_eval=65536)
    assert "error" not in r, r
    assert r["inputs"]["n_kv_heads"] == 4 and r["inputs"]["n_params"] == 7_615_616_512.0


def test_x5_and_g1_take_their_own_names_via_recipe_id():
    x5 = taf.preset_from_config(text("qwen2.5-7b"), "X-5")
    assert x5 == {"N_params": 7_615_616_512, "n_layers": 28, "n_kv_heads": 4, "d_head": 128, "n_attention_heads": 28}
    r = taf.run_recipe("X-5", **x5, T_eval=32000)
    assert "error" not in r, r
    g1 = taf.preset_from_config(text("gpt2"), "G-1")
    assert g1 == {"n_params": 124_439_808}
    r = taf.run_recipe("G-1", **g1, num_steps=1000, batch_size=8, seq_length=1024)
    assert "error" not in r, r
    assert r["inputs"]["n_params"] == 124_439_808


@pytest.mark.parametrize("recipe_id", sorted(RECIPE_IDS))
@pytest.mark.parametrize("name", ["llama-3-8b", "deepseek-v3", "gpt2", "gemma-2-9b"])
def test_every_recipe_accepts_preset_for_its_id(recipe_id, name):
    """The filtered preset only holds names the recipe declares; what is left missing is not architecture."""
    preset = taf.preset_from_config(text(name), recipe_id)
    declared = {p.name: p for p in get_recipe(recipe_id).params}
    assert set(preset) <= set(declared)
    r = taf.run_recipe(recipe_id, **preset)
    if "error" in r:
        assert r["error"]["code"] == "missing_param", r
        missing = declared[r["error"]["param"]]
        # only a parameter a preset cannot fill — or θ for a model without RoPE
        assert missing.preset_key is None or (name == "gpt2" and missing.preset_key == "theta"), r


def test_gpt2_preset_theta_none_is_reported_missing():
    preset = taf.preset_from_config(text("gpt2"))
    assert preset["theta"] is None
    err = taf.run_recipe("X-2", **preset)["error"]
    assert err["code"] == "missing_param" and err["param"] == "theta"


def test_profile_and_compare_accept_the_preset():
    llama = taf.preset_from_config(LLAMA.read_text())
    card = taf.profile_model(**llama, T_eval=32000)
    assert "error" not in card, card
    assert card["model"]["n_params"] == 8_030_261_248.0
    assert card["model"]["theta"] == 500000.0
    qwen = taf.preset_from_config(text("qwen2.5-7b"))
    original = dict(llama)
    table = taf.compare_models([dict(llama, label="Llama-3-8B"), dict(qwen, label="Qwen2.5-7B")], "X-2",
                               {"T_eval": 32000})
    assert "error" not in table, table
    assert [row["label"] for row in table["rows"]] == ["Llama-3-8B", "Qwen2.5-7B"]
    assert all("error" not in row for row in table["rows"])
    assert llama == original


# ── CLI ─────────────────────────────────────────────────────────────────────────
def test_cli_model_text(capsys):
    assert cli.main(["model", str(LLAMA)]) == 0
    out = capsys.readouterr().out
    assert "VERDICT: READ: 8.03 B PARAMETERS" in out and "8,030,261,248" in out and "131,072 bytes" in out
    assert f"config={LLAMA} (" in out     # the config text itself is not dumped


def test_cli_model_json_is_run_recipe_json(capsys):
    assert cli.main(["model", str(LLAMA), "--json"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == taf.run_recipe_json("M-1", json.dumps({"config": LLAMA.read_text()}))
    assert cli.main(["model", str(LLAMA), "kv_dtype_bytes=1", "--json"]) == 0
    assert step(json.loads(capsys.readouterr().out), "KV cache per token")["result"] == 65_536


@pytest.mark.parametrize("argv", [["model", "{missing}"], ["model", "{dir}"], ["run", "X-2", "--config", "{missing}"],
                                  ["profile", "--config", "{missing}"], ["model", "{bad}"],
                                  ["run", "X-2", "--config", "{bad}"]])
def test_cli_bad_files_exit_2(argv, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    paths = {"missing": str(tmp_path / "missing.json"), "dir": str(tmp_path), "bad": str(bad)}
    assert cli.main([a.format(**paths) for a in argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("taf: error: ")
    assert "Traceback" not in captured.err


def test_cli_run_with_config_and_override(capsys):
    assert cli.main(["run", "X-2", "--config", str(LLAMA), "T_eval=32000", "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["inputs"]["n_params"] == 8_030_261_248.0 and r["inputs"]["T_eval"] == 32000
    assert cli.main(["run", "X-2", "--config", str(LLAMA), "n_layers=16", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["inputs"]["n_layers"] == 16
    assert cli.main(["run", "X-5", "--config", str(CONFIGS / "qwen2.5-7b.json"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["inputs"]["N_params"] == 7_615_616_512.0
    assert cli.main(["run", "M-1", "--config", str(CONFIGS / "gpt2.json"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "READ: 124.4 M PARAMETERS"  # GPT-2 124,439,808


def test_cli_profile_with_config(capsys):
    assert cli.main(["profile", "--config", str(CONFIGS / "qwen2.5-7b.json"), "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["model"]["n_params"] == 7_615_616_512.0 and card["model"]["n_kv_heads"] == 4


# ── properties: no input produces a traceback ────────────────────────────────────
JSON_SCALARS = st.none() | st.booleans() | st.integers(-10**12, 10**12) | \
    st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20)
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)
KNOWN_KEYS = ["model_type", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads",
              "head_dim", "intermediate_size", "vocab_size", "tie_word_embeddings", "rope_theta", "rope_scaling",
              "max_position_embeddings", "sliding_window", "use_sliding_window", "max_window_layers", "layer_types",
              "num_local_experts", "num_experts", "num_experts_per_tok", "moe_intermediate_size", "n_routed_experts",
              "kv_lora_rank", "q_lora_rank", "qk_rope_head_dim", "first_k_dense_replace", "text_config", "n_embd",
              "multi_query", "new_decoder_architecture", "rotary_pct", "sliding_window_pattern", "mlp_only_layers",
              "decoder_sparse_step", "shared_expert_intermediate_size", "attention_bias", "rope_parameters"]
FIXTURES = sorted(p.stem for p in CONFIGS.glob("*.json") if p.stem not in ("MANIFEST", "transformers_golden"))
SMALL_INTS = st.integers(-3, 70000) | st.sampled_from([0, 1, 2, 7, 64, 4096, 10**6, 10**7, 10**9])


def check(config) -> dict:
    result = taf.run_recipe("M-1", config=config)
    assert isinstance(result, dict)
    if "error" in result:
        assert result["error"]["code"] in ALLOWED_ERRORS, result
        assert result["error"]["message"]
    else:
        assert result["verdict"].startswith("READ: ")
        total = step(result, "Total parameters N")["result"]
        assert isinstance(total, int) and total > 0
    text_out = taf.run_recipe_json("M-1", json.dumps({"config": config}, allow_nan=False))
    assert json.loads(text_out) == json.loads(json.dumps(result, allow_nan=False))
    preset = taf.preset_from_config(config)
    assert ("error" in preset) == ("error" in result)
    return result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(max_size=10), JSON_VALUES, max_size=12))
def test_random_json_objects_never_crash(obj):
    check(obj)
    check(json.dumps(obj))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(FIXTURES), key=st.sampled_from(KNOWN_KEYS),
       value=JSON_VALUES | SMALL_INTS, drop=st.sampled_from([None] + KNOWN_KEYS))
def test_mutated_published_configs_never_crash(name, key, value, drop):
    cfg = json.loads(text(name))
    cfg[key] = value
    if drop is not None:
        cfg.pop(drop, None)
    # a config that transformers wrote with Infinity in it goes in as text (a request JSON cannot hold it)
    check(cfg if all_finite_json(cfg) else json.dumps(cfg))


def all_finite_json(value) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except ValueError:
        return False
    return True


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=200))
def test_random_text_never_crashes(s):
    check(s)
