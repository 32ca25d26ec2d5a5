"""The architecture record (taf.model.record): built from the config reader, exact, one answer per model.

Oracles: Llama-3-8B 8,030,261,248 parameters and 131,072 KV bytes/token in bf16 (SPEC §5 M-1);
per-layer KV arithmetic derived by hand below.
"""
import json
from pathlib import Path

import pytest

from taf.model.record import LAYER_KINDS, LayerSpec, ModelRecord, record_from_config
from taf.modelconfig import analyze
from taf.params import ParamError

CONFIGS = Path(__file__).parent / "fixtures" / "configs"


def text(name: str) -> str:
    return (CONFIGS / f"{name}.json").read_text()


def test_llama3_8b_exact_counts_and_kv():
    r = record_from_config(text("llama-3-8b"), name="meta-llama/Meta-Llama-3-8B")
    assert r.id == "meta-llama/Meta-Llama-3-8B" and r.label == "Meta-Llama-3-8B" and r.family == "llama"
    assert r.total_params == 8_030_261_248 and r.active_params == r.total_params and r.exact
    assert r.embedding_params == 2 * 128_256 * 4096
    # 32 layers · 2 (K, V) · 8 KV heads · 128 dims · 2 bytes
    assert r.kv_bytes_per_token(2) == 131_072 == 32 * 2 * 8 * 128 * 2
    assert r.kv_bytes(32_000, 2) == 131_072 * 32_000
    assert r.kv_bytes(1000, 2, batch=3) == 3 * 131_072 * 1000
    assert r.kv_growth_bytes_per_token(2) == 131_072
    assert r.state_bytes(2) == 0
    assert [l.kind for l in r.layers] == ["full"] * 32 and r.moe is None
    assert r.to_preset() == {"theta": 500_000.0, "T_train": 8192, "n_attention_heads": 32, "n_kv_heads": 8,
                             "d_head": 128, "n_layers": 32, "n_params": 8_030_261_248, "has_SWA": False}
    assert isinstance(r.total_params, int) and isinstance(r.kv_bytes_per_token(2), int)


def test_mistral_sliding_window_holds_at_most_the_window():
    r = record_from_config(text("mistral-7b-v0.1"))
    assert all(l.kind == "sliding" and l.window == 4096 for l in r.layers)
    assert r.has_sliding_window and r.to_preset()["has_SWA"] is True
    # per token while inside the window: as Llama-3-8B's layers
    assert r.kv_bytes_per_token(2) == 131_072
    # at 32K every layer holds its 4,096-token window: 32 · 2·8·128 · 4096 · 2 = 536,870,912 B (M-1's figure)
    assert r.kv_bytes(32_768, 2) == 536_870_912 == analyze(text("mistral-7b-v0.1")).kv_at_context
    assert r.kv_bytes(2048, 2) == 131_072 * 2048
    assert r.kv_growth_bytes_per_token(2) == 0
    assert r.kv_full_equivalent_bytes(32_768, 2) == 131_072 * 32_768  # the seed's 4.29 GB, for comparison


def test_gemma2_alternating_layers():
    r = record_from_config(text("gemma-2-9b"))
    assert r.layer_counts() == {"full": 21, "sliding": 21}
    # 2·8·256 = 4096 elements per layer per token; at 8192: 21·8192 + 21·4096 tokens·layers
    assert r.kv_bytes(8192, 2) == 4096 * 2 * (21 * 8192 + 21 * 4096)
    assert r.kv_growth_bytes_per_token(2) == 21 * 4096 * 2


def test_qwen3_30b_a3b_active_parameters():
    r = record_from_config(text("qwen3-30b-a3b"))
    a = analyze(text("qwen3-30b-a3b"))
    assert r.total_params == 30_532_122_624 == a.total
    assert r.active_params == a.active == 3_353_032_704
    # total − 48 MoE layers · (128 − 8) idle experts · 3·2048·768
    assert r.active_params == r.total_params - 48 * 120 * 3 * 2048 * 768
    assert r.moe == {"n_experts": 128, "top_k": 8, "n_shared_experts": 0, "expert_params": 3 * 2048 * 768,
                     "moe_layers": tuple(range(48)), "n_moe_layers": 48}
    assert all(l.is_moe for l in r.layers)
    assert r.weight_bytes(2, active=True) == 2 * 3_353_032_704


def test_deepseek_v3_mla_latent_and_shared_expert():
    r = record_from_config(text("deepseek-v3"))
    assert r.layer_counts() == {"mla": 61}
    # latent 512 + RoPE key 64 per layer per token
    assert r.kv_bytes_per_token(2) == 61 * 576 * 2 == 70_272
    assert r.moe["n_shared_experts"] == 1 and r.moe["n_moe_layers"] == 58
    assert r.moe["moe_layers"] == tuple(range(3, 61))
    assert [l.is_moe for l in r.layers[:4]] == [False, False, False, True]
    # the scalar preset maps the latent onto 2·L·n_kv·d_head: 2·1·288 = 576
    p = r.to_preset()
    assert 2 * p["n_kv_heads"] * p["d_head"] == 576


def test_tensors_sum_to_total_and_groups_are_known():
    from taf.modelconfig.inventory import GROUPS
    for name in ("llama-3-8b", "qwen3-30b-a3b", "deepseek-v3", "gpt2"):
        r = record_from_config(text(name))
        assert sum(t["params"] for t in r.tensors) == r.total_params
        assert {t["group"] for t in r.tensors} <= set(GROUPS)
        assert all(set(t) == {"name", "shape", "count", "params", "group"} for t in r.tensors)


def test_state_layers_hold_a_fixed_state_once_per_sequence():
    """A hand-built hybrid: 2 full layers + 2 SSM layers with a 1,000-element state each."""
    full = [LayerSpec(i, "full", None, 100) for i in (0, 2)]
    ssm = [LayerSpec(i, "ssm", None, 0, state_elements=1000) for i in (1, 3)]
    base = record_from_config(text("llama-3-8b"))
    fields = {k: getattr(base, k) for k in ("id", "label", "family", "family_label", "n_layers", "hidden_size",
                                            "vocab_size", "n_attention_heads", "n_kv_heads", "d_head", "theta",
                                            "T_train", "T_max", "tied_embeddings", "total_params",
                                            "embedding_params", "active_params", "exact", "tensors", "moe",
                                            "preset_kv")}
    r = ModelRecord(**dict(fields, n_layers=4, layers=(full[0], ssm[0], full[1], ssm[1])))
    assert r.kv_bytes_per_token(2) == 400
    assert r.state_bytes(2) == 4000
    assert r.kv_bytes(10, 2) == (2 * 100 * 10 + 2 * 1000) * 2
    assert r.kv_bytes(10, 2, batch=2) == 2 * (2 * 100 * 10 + 2 * 1000) * 2
    assert set(LAYER_KINDS) >= {l.kind for l in r.layers}


def test_record_agrees_with_the_reader_for_every_fixture():
    for path in sorted(CONFIGS.glob("*.json")):
        if path.stem in ("MANIFEST", "transformers_golden"):
            continue
        try:
            a = analyze(path.read_text())
        except ParamError:  # the reader refuses it: so must the record
            with pytest.raises(ParamError):
                record_from_config(path.read_text())
            continue
        r = record_from_config(path.read_text())
        assert r.total_params == a.total, path.name
        assert r.kv_bytes_per_token(2) == a.kv_per_token, path.name
        assert r.kv_bytes(a.T_max, 2) == a.kv_at_context, path.name
        assert r.to_preset() == a.preset(), path.name


@pytest.mark.parametrize("bad, code", [
    ("{", "invalid_json"),
    ('{"model_type": "llama", "hidden_size": "4096"}', "invalid_value"),
    ('{"model_type": "llama", "hidden_size": 1e30}', "out_of_range"),
    ('[1, 2]', "invalid_value"),
])
def test_bad_config_is_a_structured_error(bad, code):
    with pytest.raises(ParamError) as exc:
        record_from_config(bad)
    assert exc.value.error["code"] == code and exc.value.error["param"] == "config"


def test_kv_arguments_are_checked():
    r = record_from_config(text("llama-3-8b"))
    with pytest.raises(ParamError):
        r.kv_bytes(-1, 2)
    with pytest.raises(ParamError):
        r.kv_bytes(10, 0)
    with pytest.raises(ParamError):
        r.kv_bytes(10.5, 2)
