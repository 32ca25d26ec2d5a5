"""S-1 Will it fit?: the accelerator catalog, weight formats, engine memory models and the recipe.

Hand-derived values (weights per format from the tensor shapes, KV bytes) are exact; engine
estimates are tested for their structure here and against published measurements in
tests/test_serving_measurements.py.
"""
import json
import subprocess
import sys

import pytest

import taf
from conftest import config_text as config
from conftest import run as run_recipe
from taf.data.accelerators import ACCELERATORS, KINDS, find_accelerator, usable_memory_bytes
from taf.data.gpus import GPUS, TAF_AGENT_ACCELERATOR_IDS
from taf.data.rental_prices import RENTAL_PRICES, rental_price
from taf.formulas import weight_formats as wf
from taf.model.record import record_from_config

GiB = 2**30


def plan(name, fmt, **kw):
    r = record_from_config(config(name))
    return wf.plan_weights(list(r.tensors), fmt, n_layers=r.n_layers, n_heads=r.n_attention_heads,
                           n_kv_heads=r.n_kv_heads, n_experts=(r.moe or {}).get("n_experts", 0),
                           model_type=r.family, tied=r.tied_embeddings, **kw)


# ── catalog ──────────────────────────────────────────────────────────────────────────
def test_catalog_has_forty_sourced_rows():
    assert len(ACCELERATORS) >= 40
    ids = [row["id"] for row in ACCELERATORS]
    assert len(set(ids)) == len(ids)
    for row in ACCELERATORS:
        assert row["source"].startswith("https://"), row["id"]
        assert row["as_of"] == "2026-11-26"
        assert row["kind"] in KINDS
        assert row["memory_bytes"] > 0 and row["bandwidth_bytes_per_s"] > 0
        assert set(row["peak_flops"]) == {"bf16", "fp16", "fp8", "int8", "fp4"}
        assert "usd_per_hour" not in row  # prices live in their own table


@pytest.mark.parametrize("name", ["H100 SXM", "H100 PCIe", "H100 NVL", "H200", "B200", "B300", "GB200", "A100 80GB",
                                  "A100 40GB", "A10", "A10G", "L4", "L40S", "T4", "V100 16GB", "V100 32GB",
                                  "RTX 6000 Ada", "RTX PRO 6000", "RTX 3060", "RTX 3090", "RTX 4060 Ti", "RTX 4070",
                                  "RTX 4080", "RTX 4090", "RTX 5080", "RTX 5090", "MI250X", "MI300X", "MI325X",
                                  "MI355X", "RX 7900 XTX", "M2 Max", "M2 Ultra", "M3 Max", "M3 Ultra", "M4 Max",
                                  "M4 Pro", "Gaudi 3"])
def test_issue_list_is_in_the_catalog(name):
    assert find_accelerator(name) is not None, name


def test_seed_gpu_names_are_aliases_and_seed_numbers_unchanged():
    for row in GPUS:
        assert find_accelerator(row["name"])["id"] == TAF_AGENT_ACCELERATOR_IDS[row["name"]]
    # the seed table itself keeps the seed's numbers (X-1/X-3/X-5 goldens)
    seed = {row["name"]: (row["bf16_tflops"], row["vram_gb"], row["usd_per_hour"]) for row in GPUS}
    assert seed["RTX 5090"] == (419.0, 32.0, 0.7) and seed["RTX 5060Ti"] == (36.0, 16.0, None)


def test_datasheet_values():
    h100 = find_accelerator("nvidia-h100-sxm")
    assert h100["memory_bytes"] == 80 * GiB and h100["bandwidth_bytes_per_s"] == 3.35e12
    assert h100["peak_flops"]["bf16"] == 989.4e12
    assert find_accelerator("RTX 4090")["peak_flops"]["fp8"] == 330.3e12
    assert find_accelerator("T4")["peak_flops"]["bf16"] is None  # Turing has no bf16


def test_apple_usable_share_and_ecc():
    assert find_accelerator("apple-m2-pro-32gb")["usable_memory_share"] == pytest.approx(2 / 3)
    m4max = find_accelerator("M4 Max")
    assert m4max["usable_memory_share"] == 0.75
    assert usable_memory_bytes(m4max) == 96 * GiB
    l4 = find_accelerator("L4")
    assert usable_memory_bytes(l4) == int(24 * GiB * 15 / 16)


def test_rental_prices_are_separate_dated_and_point_at_the_catalog():
    for row in RENTAL_PRICES:
        assert find_accelerator(row["accelerator_id"])["id"] == row["accelerator_id"]
        assert row["as_of"] and row["source"]
    assert rental_price("nvidia-rtx-5060-ti-16gb") is None  # owned hardware
    assert rental_price("nvidia-h100-sxm")["usd_per_hour"] == 2.5


# ── weight formats, hand-derived ─────────────────────────────────────────────────────
LLAMA3_8B = 8_030_261_248
LLAMA3_8B_1D = 32 * 2 * 4096 + 4096          # norms


def test_float_formats_are_bytes_times_params():
    assert plan("llama-3-8b", "bf16").total_bytes == 2 * LLAMA3_8B
    assert plan("llama-3-8b", "fp32").total_bytes == 4 * LLAMA3_8B


def test_q8_0_every_matrix_in_34_byte_blocks_norms_f32():
    p = plan("llama-3-8b", "Q8_0")
    assert p.total_bytes == (LLAMA3_8B - LLAMA3_8B_1D) * 34 // 32 + LLAMA3_8B_1D * 4


def test_q4_k_m_tensor_types_match_llama_cpp_loader_counts():
    # llama.cpp prints "type f32: 65 tensors, type q4_K: 193 tensors, type q6_K: 33 tensors" for
    # Llama-3-8B Q4_K_M: attn_v and ffn_down on 16 of 32 layers (use_more_bits) + output in Q6_K
    p = plan("llama-3-8b", "Q4_K_M")
    counts = {}
    for row in p.rows:
        counts[row["storage"]] = counts.get(row["storage"], 0) + row["count"]
    assert counts == {"F32": 65, "Q4_K": 193, "Q6_K": 33}


def test_use_more_bits_is_llama_cpp_rule():
    assert [i for i in range(32) if wf.use_more_bits(i, 32)] == \
        [0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31]


def test_tied_embedding_gets_output_rule_and_narrow_rows_fall_back():
    # Qwen2.5-0.5B: tied embedding (output rule → Q6_K), but rows of 896 (896 % 256 ≠ 0) → Q8_0;
    # matrices reading 896-wide rows fall back: Q4_K → Q5_0, attn_v's Q6_K → Q8_0; ffn_down reads
    # 4864 = 19 · 256 wide rows and keeps Q6_K / Q4_K
    p = plan("qwen2.5-0.5b", "Q4_K_M")
    storage = {}
    for r in p.rows:
        storage.setdefault(r["role"], set()).add(r["storage"])
    assert storage["token_embd"] == {"Q8_0"}
    assert storage["attn_q"] == storage["ffn_up"] == {"Q5_0"}
    assert storage["attn_v"] == {"Q8_0", "Q5_0"}
    assert storage["ffn_down"] == {"Q6_K", "Q4_K"}


def test_awq_and_gptq_bytes_for_one_matrix():
    # q_proj of Llama-3-8B: 4096 × 4096, group 128 → qweight 8 MiB, qzeros 32·4096/2, scales 32·4096·2
    per = 4096 * 4096 // 2 + 32 * 4096 // 2 + 32 * 4096 * 2
    p = plan("llama-3-8b", "int4-awq")
    q = next(r for r in p.rows if r["name"].endswith("q_proj.weight"))
    assert q["bytes"] == 32 * per
    g = next(r for r in plan("llama-3-8b", "int4-gptq").rows if r["name"].endswith("q_proj.weight"))
    assert g["bytes"] == 32 * (per + 4 * 4096)
    assert next(r for r in p.rows if r["group"] == "embedding")["storage"] == "bf16"


def test_nf4_double_quant_bytes_for_one_matrix():
    n = 4096 * 4096
    blocks = n // 64
    per = n // 2 + blocks + 4 * (blocks // 256) + 1092
    q = next(r for r in plan("llama-3-8b", "nf4").rows if r["name"].endswith("q_proj.weight"))
    assert q["bytes"] == 32 * per


def test_mxfp4_only_experts():
    p = plan("qwen3-30b-a3b", "mxfp4")
    experts = sum(r["bytes"] for r in p.rows if r["group"] == "experts")
    n_expert_params = sum(r["params"] for r in p.rows if r["group"] == "experts")
    assert experts == n_expert_params // 2 + n_expert_params // 32
    assert all(r["storage"] == "bf16" for r in p.rows if r["group"] != "experts")


# ── the recipe ───────────────────────────────────────────────────────────────────────
def run(**kw):
    """S-1's result (fails on an error)."""
    return run_recipe("S-1", **kw)


def test_done_when_llama3_8b_q4_k_m_rtx_4090_fits_with_llama_server_command():
    r = run(config=config("llama-3-8b"), weight_format="Q4_K_M", engine="llama.cpp", gpu="RTX 4090",
            context_tokens=8192)
    assert r["verdict"] == "FITS" and r["tone"] == "good"
    f = r["figures"]
    assert f["fits"] is True
    assert f["kv_bytes"] == 131_072 * 8192 == f["kv_bytes_per_gpu"]   # f16 KV, the whole -c context
    assert f["host_bytes"] == 525_336_576 * 144 // 256                  # token_embd (Q4_K) stays on the host
    assert f["weights_bytes_per_gpu"] + f["host_bytes"] == f["weights_bytes"]
    command = r["chain"][-1]["result"]
    assert command.startswith("llama-server ") and " -c 8192 " in command and " -ngl 33 " in command
    assert f["capacity_bytes_per_gpu"] == 24 * GiB
    assert f["kv_pool_tokens"] is None


def test_done_when_70b_bf16_on_one_h100_does_not_fit_with_ladder():
    r = run(preset="meta-llama/Llama-3.3-70B-Instruct", gpu="H100 SXM", context_tokens=8192)
    assert r["verdict"] == "DOES NOT FIT" and r["tone"] == "bad"
    ladder = next(s for s in r["chain"] if s["name"] == "Precision ladder")
    assert ladder["breakdown"]["best"]["weight_format"] == "fp8"
    assert ladder["breakdown"]["gpus_needed_at_format"] == 2
    assert "fp8" in r["mitigation"] and "n_gpus=2" in r["mitigation"]
    assert r["chain"][-1]["result"].startswith("vllm serve meta-llama/Llama-3.3-70B-Instruct --quantization fp8")


def test_figures_have_the_issue_names():
    r = run(config=config("llama-3-8b"), gpu="H100")
    for name in ("weights_bytes", "weights_bytes_per_gpu", "kv_bytes", "kv_bytes_per_gpu", "activation_bytes_per_gpu",
                 "overhead_bytes_per_gpu", "total_bytes_per_gpu", "capacity_bytes_per_gpu", "fits",
                 "max_context_tokens", "max_batch", "kv_pool_tokens"):
        assert name in r["figures"], name
    assert r["figures"]["kv_pool_tokens"] % 16 == 0 and r["figures"]["kv_pool_tokens"] > 100_000


def test_vllm_pool_tokens_are_pool_bytes_over_kv_per_token():
    r = run(config=config("llama-3-8b"), gpu="H100", context_tokens=8192)
    pool = next(s for s in r["chain"] if s["name"] == "Paged KV pool")
    assert pool["result"] == pool["breakdown"]["pool_bytes"] // (16 * 131_072) * 16
    assert r["figures"]["max_batch"] == pool["result"] // 8192


def test_tensor_parallel_splits_weights_and_kv_heads():
    one = run(config=config("llama-3-8b"), gpu="H100")["figures"]
    two = run(config=config("llama-3-8b"), gpu="H100", n_gpus=2)["figures"]
    assert two["kv_bytes_per_gpu"] == one["kv_bytes_per_gpu"] // 2
    norms = LLAMA3_8B_1D * 2
    assert two["weights_bytes_per_gpu"] == (2 * LLAMA3_8B - norms) // 2 + norms


def test_fits_with_limits_names_the_limits():
    r = run(config=config("llama-3-8b"), gpu="RTX 4090", context_tokens=8192, batch=64)
    assert r["verdict"] == "FITS WITH LIMITS" and r["tone"] == "caution"
    f = r["figures"]
    assert 0 < f["max_batch"] < 64 and f["max_context_tokens"] < 8192 * 64
    assert f"{f['max_batch']:,} sequence" in r["reason"]


def test_chart_is_a_stacked_bar_against_capacity():
    r = run(config=config("llama-3-8b"), gpu="RTX 4090", engine="llama.cpp", weight_format="Q4_K_M",
            context_tokens=8192)
    (c,) = r["charts"]
    assert c["kind"] == "stacked_bar" and c["x"]["categories"] == ["per GPU"]
    cap = next(m for m in c["markers"] if m["label"] == "capacity")
    assert cap["value"] == round(24 * GiB / 1e9, 4)
    total = sum(s["values"][0] for s in c["series"])
    assert total == pytest.approx(r["figures"]["total_bytes_per_gpu"] / 1e9, abs=1e-3)


@pytest.mark.parametrize("kw, code, param", [
    (dict(weight_format="Q4_K_M", engine="vllm"), "invalid_value", "weight_format"),
    (dict(weight_format="int4-awq", engine="llama.cpp"), "invalid_value", "weight_format"),
    (dict(weight_format="mxfp4"), "invalid_value", "weight_format"),
    (dict(kv_cache_dtype="q4_0", engine="vllm"), "invalid_value", "kv_cache_dtype"),
    (dict(n_gpus=0), "out_of_range", "n_gpus"),
    (dict(n_gpus=3), "out_of_range", "n_gpus"),
    (dict(gpu="M4 Max"), "invalid_value", "engine"),
    (dict(gpu="custom"), "missing_param", "gpu_memory_GB"),
    (dict(gpu="Voodoo 5"), "unknown_choice", "gpu"),
    (dict(n_gpu_layers=10), "invalid_value", "n_gpu_layers"),
])
def test_bad_input_is_a_structured_error(kw, code, param):
    r = taf.run_recipe("S-1", config=config("llama-3-8b"), **kw)
    assert r["error"]["code"] == code and r["error"]["param"] == param, r


def test_no_model_is_a_missing_param_error():
    r = taf.run_recipe("S-1")
    assert r["error"]["code"] == "missing_param"


def test_context_above_the_model_is_a_caveat_not_an_error():
    r = run(config=config("llama-3-8b"), gpu="H100", context_tokens=32768)
    assert any("above the model's maximum 8,192" in c for c in r["caveats"])


def test_custom_gpu_and_partial_offload():
    r = run(config=config("llama-3-8b"), gpu="custom", gpu_memory_GB=8, engine="llama.cpp", weight_format="Q4_K_M",
            context_tokens=4096, n_gpu_layers=20)
    f = r["figures"]
    assert f["capacity_bytes_per_gpu"] == 8 * GiB
    assert f["kv_bytes_per_gpu"] == 131_072 * 4096 * 20 // 32
    assert " -ngl 20 " in r["chain"][-1]["result"]


def test_apple_unified_memory_with_llama_cpp():
    r = run(config=config("llama-3-8b"), gpu="M4 Max", engine="llama.cpp", weight_format="Q8_0",
            context_tokens=8192)
    assert r["verdict"] == "FITS"
    assert r["figures"]["overhead_bytes_per_gpu"] == 0


def test_cli_json_is_run_recipe_json():
    params = {"preset": "meta-llama/Meta-Llama-3-8B", "gpu": "RTX 4090", "engine": "llama.cpp",
              "weight_format": "Q4_K_M", "context_tokens": "8192"}
    out = subprocess.run([sys.executable, "-m", "taf", "run", "S-1", "--preset", params["preset"], "gpu=RTX 4090",
                          "engine=llama.cpp", "weight_format=Q4_K_M", "context_tokens=8192", "--json"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout == taf.run_recipe_json("S-1", json.dumps(params)) + "\n"


def test_deterministic_strict_json():
    a = taf.run_recipe_json("S-1", json.dumps({"config": config("qwen3-30b-a3b"), "weight_format": "fp8"}))
    b = taf.run_recipe_json("S-1", json.dumps({"config": config("qwen3-30b-a3b"), "weight_format": "fp8"}))
    assert a == b and "NaN" not in a and "Infinity" not in a
    assert json.loads(a)["verdict"] in ("FITS", "FITS WITH LIMITS", "DOES NOT FIT")


def test_sglang_pool_is_mem_fraction_minus_weights_and_context():
    r = run(config=config("llama-3-8b"), gpu="H100", engine="sglang", context_tokens=8192)
    pool = next(s for s in r["chain"] if s["name"] == "Paged KV pool")
    assert pool["inputs"]["mem_fraction_static"] == 0.88
    visible = int(80 * GiB * 0.99)
    expected = int(0.88 * visible) - 2 * LLAMA3_8B - int(0.4 * GiB)
    assert pool["breakdown"]["pool_bytes"] == expected
    assert pool["result"] == expected // 131_072
    assert "--mem-fraction-static 0.88" in r["chain"][-1]["result"]


def test_transformers_grows_with_the_prompt():
    short = run(config=config("llama-3-8b"), gpu="A100 80GB", engine="transformers", context_tokens=1024)
    long = run(config=config("llama-3-8b"), gpu="A100 80GB", engine="transformers", context_tokens=8192)
    assert long["figures"]["activation_bytes_per_gpu"] > short["figures"]["activation_bytes_per_gpu"]
    assert long["figures"]["kv_bytes_per_gpu"] == 8 * short["figures"]["kv_bytes_per_gpu"]
    assert short["figures"]["kv_pool_tokens"] is None


def test_sliding_window_layers_hold_at_most_their_window():
    r = run(config=config("gemma-2-9b"), gpu="H100", context_tokens=8192)
    kinds = next(s for s in r["chain"] if s["name"] == "KV cache")["breakdown"]["per_layer_kind"]
    # Gemma 2 9B: 21 sliding layers (window 4096) and 21 global layers, 2·8·256 elements per token each, bf16
    per_layer_token = 2 * 8 * 256 * 2
    assert kinds["sliding"] == 21 * 4096 * per_layer_token
    assert kinds["full"] == 21 * 8192 * per_layer_token


def test_mla_latent_is_replicated_under_tensor_parallelism():
    one = run(config=config("deepseek-v2-lite"), gpu="H100", context_tokens=4096)["figures"]
    two = run(config=config("deepseek-v2-lite"), gpu="H100", context_tokens=4096, n_gpus=2)["figures"]
    assert two["kv_bytes_per_gpu"] == one["kv_bytes_per_gpu"] == one["kv_bytes"]
    assert one["kv_bytes"] == 27 * 576 * 4096 * 2


def test_kv_cache_dtype_changes_only_the_kv():
    a = run(config=config("llama-3-8b"), gpu="RTX 4090", engine="llama.cpp", weight_format="Q4_K_M",
            context_tokens=8192)["figures"]
    b = run(config=config("llama-3-8b"), gpu="RTX 4090", engine="llama.cpp", weight_format="Q4_K_M",
            context_tokens=8192, kv_cache_dtype="q8_0")["figures"]
    assert b["weights_bytes"] == a["weights_bytes"]
    assert b["kv_bytes_per_gpu"] == a["kv_bytes_per_gpu"] // 2 * 34 // 32


def test_fp8_and_int8_bytes_hand_derived():
    r = record_from_config(config("llama-3-8b"))
    linear = [t for t in r.tensors if t["group"] in ("attention", "mlp")]
    n_linear = sum(t["params"] for t in linear)
    copies = sum(t["count"] for t in linear)
    sixteen = 2 * (LLAMA3_8B - n_linear)                       # embeddings, lm_head, norms stay bf16
    assert plan("llama-3-8b", "fp8").total_bytes == n_linear + 8 * copies + sixteen
    out_channels = sum(t["shape"][0] * t["count"] for t in linear)
    assert plan("llama-3-8b", "int8").total_bytes == n_linear + 4 * out_channels + sixteen


def test_launch_commands_carry_the_assumed_flags():
    v = run(config=config("llama-3-8b"), gpu="H100", n_gpus=2, kv_cache_dtype="fp8", context_tokens=16384,
            gpu_memory_utilization=0.85)["chain"][-1]["result"]
    for flag in ("--max-model-len 16384", "--tensor-parallel-size 2", "--gpu-memory-utilization 0.85",
                 "--kv-cache-dtype fp8", "--max-num-batched-tokens 8192"):
        assert flag in v, (flag, v)
    s = run(config=config("llama-3-8b"), gpu="H100", engine="sglang", n_gpus=2, weight_format="fp8",
            context_tokens=16384)["chain"][-1]["result"]
    for flag in ("python -m sglang.launch_server", "--context-length 16384", "--tp 2", "--mem-fraction-static 0.87",
                 "--quantization fp8"):
        assert flag in s, (flag, s)
    ll = run(config=config("llama-3-8b"), gpu="RTX 4090", engine="llama.cpp", weight_format="Q5_K_M",
             context_tokens=4096, batch=4, kv_cache_dtype="q8_0")["chain"][-1]["result"]
    for flag in ("-c 16384", "-np 4", "--cache-type-k q8_0", "--cache-type-v q8_0", "-fa on", "Q5_K_M.gguf"):
        assert flag in ll, (flag, ll)


def test_engine_share_only_for_engines_that_have_one():
    r = taf.run_recipe("S-1", config=config("llama-3-8b"), engine="llama.cpp", weight_format="Q8_0",
                       gpu_memory_utilization=0.8)
    assert r["error"]["param"] == "gpu_memory_utilization"
    r = run(config=config("llama-3-8b"), gpu="H100", gpu_memory_GB=12)
    assert any("gpu_memory_GB = 12 was ignored" in c for c in r["caveats"])


def test_done_when_by_preset_uses_the_catalog_config_exactly():
    r = run(preset="meta-llama/Meta-Llama-3-8B", weight_format="Q4_K_M", engine="llama.cpp", gpu="RTX 4090",
            context_tokens=8192)
    assert r["verdict"] == "FITS" and r["chain"][0]["status"] == "validated"
    assert r["figures"]["weights_bytes"] == plan("llama-3-8b", "Q4_K_M").total_bytes
    big = run(preset="meta-llama/Llama-3.3-70B-Instruct", gpu="H100", context_tokens=8192)
    assert big["verdict"] == "DOES NOT FIT"
    assert big["figures"]["weights_bytes"] == 2 * 70_553_706_496
    assert not any("architecture numbers" in c for c in big["caveats"])


def test_kv_follows_each_layers_own_heads_and_dims():
    """MiMo-V2-Flash: 9 global layers with 4 KV heads × (192 K + 128 V) and 39 sliding layers (window 129) with
    8 KV heads × (192 + 128); Gemma 4 26B-A4B: 25 sliding layers (window 1,024) with 8 KV heads × 2·256 and 5
    global layers with 2 KV heads × 2·512 (one K = V projection, both cached). bf16, 32,768 tokens, by hand."""
    mimo = run(config=config("mimo-v2-flash"), gpu="H100", engine="sglang", context_tokens=32768)
    kinds = next(s for s in mimo["chain"] if s["name"] == "KV cache")["breakdown"]["per_layer_kind"]
    assert kinds == {"full": 9 * 4 * (192 + 128) * 32768 * 2, "sliding": 39 * 8 * (192 + 128) * 129 * 2}
    assert mimo["figures"]["kv_bytes"] == 780_733_440
    gemma = run(config=config("gemma-4-26b-a4b"), gpu="H100", engine="sglang", context_tokens=32768)
    kinds = next(s for s in gemma["chain"] if s["name"] == "KV cache")["breakdown"]["per_layer_kind"]
    assert kinds == {"sliding": 25 * 8 * 2 * 256 * 1024 * 2, "full": 5 * 2 * 2 * 512 * 32768 * 2}
    assert gemma["figures"]["kv_bytes"] == 880_803_840
    # tensor parallel over 8 GPUs: 8-head layers split, the 4- and 2-head global layers keep one head per GPU
    tp = run(config=config("mimo-v2-flash"), gpu="H100", engine="sglang", context_tokens=32768, n_gpus=8)
    assert tp["figures"]["kv_bytes_per_gpu"] == 9 * 1 * 320 * 32768 * 2 + 39 * 1 * 320 * 129 * 2
    tp = run(config=config("gemma-4-26b-a4b"), gpu="H100", engine="sglang", context_tokens=32768, n_gpus=8)
    assert tp["figures"]["kv_bytes_per_gpu"] == 25 * 1 * 512 * 1024 * 2 + 5 * 1 * 1024 * 32768 * 2


def test_deepseek_v4_keeps_windows_and_compressed_entries():
    """DeepSeek-V4-Flash (the layout of transformers' DeepseekV4 caches and vLLM's SWA + compressed MLA specs):
    every one of 43 layers keeps a 128-token window of one 512-element K = V entry; 21 CSA layers add one
    512 + 128 (indexer) entry per 4 tokens, 20 HCA layers one 512 entry per 128 tokens. bf16, 32,768 tokens,
    by hand; one KV head, so tensor parallelism replicates it."""
    r = run(config=config("deepseek-v4-flash"), gpu="H100", engine="sglang", context_tokens=32768, n_gpus=8)
    window = 512 * 128
    csa, hca = 640 * (32768 // 4), 512 * (32768 // 128)
    kinds = next(s for s in r["chain"] if s["name"] == "KV cache")["breakdown"]["per_layer_kind"]
    assert kinds == {"sliding": 2 * window * 2, "compressed": (41 * window + 21 * csa + 20 * hca) * 2}
    assert r["figures"]["kv_bytes"] == r["figures"]["kv_bytes_per_gpu"] == 231_079_936
    record = record_from_config(config("deepseek-v4-flash"))
    assert record.kv_bytes_per_token(2) == (43 * 512 + 21 * 640 // 4 + 20 * 512 // 128) * 2 == 50_912
    assert record.kv_growth_bytes_per_token(2) == (21 * 160 + 20 * 4) * 2
