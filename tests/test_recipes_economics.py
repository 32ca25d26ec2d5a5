"""Golden tests of X-1 (Custom Training vs API), X-3 (Budget Pre-flight) and X-5 (Hardware Selection).

Expected numbers are derived by hand from the seed's formulas (seed 002: run_recipe_x1/x3/x5,
cost_per_training_run, cost_per_inference_token, break_even_volume), written out below, plus
every SPEC §5 correction.
"""
import json
import math
import os
import subprocess
import sys

import pytest

import taf
from taf.recipes import x5_serving_hardware as x5
from conftest import error, run, strict_loads, taf_cli
from conftest import steps_by_number as steps

approx = pytest.approx
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# ── hand derivations from the seed's formulas ───────────────────────────────
def seed_x1(N, D=None, flops_tf=989, usd_h=2.5, bw=3350, n_gpus=8, mfu=0.45, api=(2.5, 10.0)):
    D = 20 * N if D is None else D
    C = 6 * N * D
    hours = C / (flops_tf * 1e12 * mfu * n_gpus) / 3600
    usd = hours * usd_h * n_gpus
    tok_s = bw / (N * 2 / 1e9)
    self_price = 1e6 / tok_s / 3600 * usd_h
    blended = (api[0] + api[1]) / 2
    savings = blended - self_price
    mtok = usd / savings if savings > 0 else None
    return {"D": D, "C": C, "hours": hours, "usd": usd, "tok_s": tok_s, "self": self_price, "api": blended,
            "savings": savings, "mtok": mtok}


# ── X-1 ─────────────────────────────────────────────────────────────────────
def test_x1_8b_on_8x_h100_vs_gpt4o_at_10m_per_month():
    r = run("X-1", N_params="8B")
    assert r["inputs"] == {"N_params": 8e9, "D_tokens": None, "gpu": "H100 SXM", "n_gpus": 8, "mfu": 0.45,
                           "api_model": "GPT-4o", "monthly_tokens_M": 10.0}
    s = steps(r)
    assert [x["section"] for x in r["chain"]] == ["§17.30", "§17.10", "§20.11", "§19.9 / §20.12", "§24", "§24.3",
                                               "Rajbhandari et al. 2020"]   # + T-1's training-state step
    assert [x["name"] for x in r["chain"]] == ["Chinchilla optimal D", "Training FLOPs", "Training cost",
                                               "Self-inference $/Mtok", "GPT-4o blended price", "Break-even tokens",
                                               "Training state per GPU (T-1 model)"]
    assert [x["unit"] for x in r["chain"]] == ["tokens", "FLOPs", "USD", "USD/Mtok", "USD/Mtok", "Mtok", "bytes"]
    # T-1: 16 bytes per parameter over 8 GPUs (ZeRO-3) = 16 GB per GPU for 8B parameters
    assert r["chain"][6]["result"] == 16 * 8e9 / 8
    # D = 20·8e9 = 1.6e11; C = 6·8e9·1.6e11 = 7.68e21
    assert s[1]["result"] == 1.6e11 and s[1]["formula"] == "D = 20·N"
    assert s[2]["result"] == 7.68e21 and s[2]["formula"] == "C = 6·N·D"
    # 7.68e21 / (989e12·0.45·8 = 3.5604e15) = 2,157,061 s = 599.18 h → × $2.5 × 8 = $11,983.67 over 25.0 days
    assert s[3]["result"] == approx(11983.672246564, rel=1e-12)
    assert s[3]["breakdown"]["hours"] == approx(599.18361233, rel=1e-9)
    assert s[3]["breakdown"]["days"] == approx(24.965983847, rel=1e-9)
    assert "$11,984 over 25.0 days" in s[3]["interpretation"]
    # 16 GB BF16, 3350/16 = 209.375 tok/s → $3.3167/Mtok
    assert s[4]["inputs"]["model_GB"] == 16.0
    assert s[4]["breakdown"]["tok_per_sec"] == 209.375
    assert s[4]["result"] == approx(3.3167495854063, rel=1e-12)
    # GPT-4o (2.5 + 10)/2 = 6.25
    assert s[5]["result"] == 6.25
    # 11,983.67 / (6.25 − 3.3167) = 4,085.46 Mtok → 408.5 months at 10 M/month
    assert s[6]["result"] == approx(4085.4582980512, rel=1e-12)
    assert s[6]["breakdown"]["months_at_your_volume"] == approx(408.54582980512, rel=1e-12)
    assert "break-even at 4,085 Mtok (408.5 months" in s[6]["interpretation"]
    assert r["verdict"] == "NO (API)"
    assert "408.5 months" in r["reason"]
    assert r["mitigation"].startswith("Use GPT-4o API")
    seed = seed_x1(8e9)
    assert (s[3]["result"], s[4]["result"], s[6]["result"]) == (approx(seed["usd"]), approx(seed["self"]),
                                                               approx(seed["mtok"]))
    assert any("50/50" in c for c in r["caveats"])
    assert any("batch 1" in c for c in r["caveats"])


def test_x1_yes_custom_at_high_volume():
    # same costs; 5,000 M tokens/month ≥ 4,085 Mtok → pays back in 0.82 months
    r = run("X-1", N_params=8e9, monthly_tokens_M="5k")
    assert r["verdict"] == "YES (custom)"
    assert "break-even in 0.8 months" in r["reason"]
    assert r["mitigation"] == "Train on 8× H100 SXM; serve self-hosted."


def test_x1_never_breaks_even_against_a_cheap_api():
    # GPT-4o-mini blends to (0.15 + 0.60)/2 = 0.375 < 3.3167 self-hosted → savings ≤ 0
    r = run("X-1", N_params="8B", api_model="GPT-4o-mini")
    s = steps(r)
    assert s[5]["result"] == approx(0.375)
    assert s[6]["result"] is None
    assert s[6]["breakdown"]["savings_per_Mtok"] == approx(0.375 - 3.3167495854063)
    assert "never breaks even" in s[6]["interpretation"]
    assert r["verdict"] == "NO"
    assert r["mitigation"] == "Stick with GPT-4o-mini API."


def test_x1_opus_a100_and_explicit_tokens():
    # 1B on 4× A100 80GB at MFU 0.5 vs Claude-Haiku-4: C = 1.2e20, 53.42 h, $256.41;
    # self 2 GB → 1000 tok/s → $0.3333/Mtok; Haiku (0.8+4)/2 = 2.4; 256.41/2.0667 = 124.07 Mtok
    r = run("X-1", N_params="1B", gpu="A100 80GB", n_gpus=4, mfu=0.5, api_model="Claude-Haiku-4",
            monthly_tokens_M=200)
    s = steps(r)
    seed = seed_x1(1e9, flops_tf=312, usd_h=1.2, bw=2000, n_gpus=4, mfu=0.5, api=(0.8, 4.0))
    assert s[3]["result"] == approx(256.41025641, rel=1e-9) == approx(seed["usd"])
    assert s[4]["result"] == approx(1 / 3)
    assert s[5]["result"] == approx(2.4)
    assert s[6]["result"] == approx(124.0694789, rel=1e-9) == approx(seed["mtok"])
    assert r["verdict"] == "YES (custom)"
    # explicit D_tokens: step 1 still shows 20·N, steps 2–3 use the given D
    r = run("X-1", N_params="1B", D_tokens="100B")
    s = steps(r)
    assert s[1]["result"] == 2e10 and "using your D_tokens = 100B tokens (100 tokens per parameter)" in \
        s[1]["interpretation"]
    assert s[2]["result"] == 6e20
    assert s[3]["result"] == approx(seed_x1(1e9, D=1e11)["usd"])
    # Claude-Opus-4 blends to 45: 11,983.67 / (45 − 3.3167) = 287.49 Mtok → YES at 300 M/month
    r = run("X-1", N_params="8B", api_model="Claude-Opus-4", monthly_tokens_M=300)
    assert steps(r)[6]["result"] == approx(seed_x1(8e9, api=(15.0, 75.0))["mtok"])
    assert steps(r)[6]["result"] == approx(287.493709, rel=1e-8)
    assert r["verdict"] == "YES (custom)"


def test_x1_preset_fills_n_params_and_flags_multi_gpu_serving():
    # Llama-3.3-70B with the seed's row: N = 70e9 → C = 5.88e23 → $917,500 on 8× H100 SXM; 140 GB BF16 > 80 GB
    exact = run("X-1", preset="meta-llama/Llama-3.3-70B-Instruct")
    assert exact["inputs"]["N_params"] == 70_553_706_496  # issue 11: exact count of the config (the seed said 70e9)
    assert steps(exact)[2]["result"] == approx(6 * 70_553_706_496 * 20 * 70_553_706_496)
    r = run("X-1", preset="meta-llama/Llama-3.3-70B-Instruct", N_params=70e9)
    s = steps(r)
    assert s[2]["result"] == approx(5.88e23)
    assert s[3]["result"] == approx(917499.906378, rel=1e-9) == approx(seed_x1(70e9)["usd"])
    assert s[4]["result"] == approx(29.0215588723, rel=1e-9)   # 1e6/(3350/140)/3600 · 2.5
    assert r["verdict"] == "NO"                                 # $29.02 self ≥ $6.25 API
    assert any("needs ≥ 2 GPUs" in c for c in r["caveats"])
    # an explicit value overrides the preset
    assert run("X-1", preset="meta-llama/Llama-3.3-70B-Instruct", N_params="8B")["inputs"]["N_params"] == 8e9


def test_x1_corrections_unknown_choices_and_ranges():
    e = error("X-1", N_params="8B", gpu="H300")
    assert e["code"] == "unknown_choice" and e["param"] == "gpu" and "H100 SXM" in e["choices"]
    e = error("X-1", N_params="8B", api_model="GPT-5")
    assert e["code"] == "unknown_choice" and e["param"] == "api_model"  # the seed priced it at $2/$8
    for name in ("monthly_tokens_M", "n_gpus", "mfu"):
        e = error("X-1", N_params="8B", **{name: 0})
        assert e["code"] == "out_of_range" and e["param"] == name
    e = error("X-1", N_params="8B", mfu=1.2)
    assert e["code"] == "out_of_range" and e["param"] == "mfu"
    assert run("X-1", N_params="8B", mfu=1)["inputs"]["mfu"] == 1.0
    assert error("X-1")["code"] == "missing_param"


def test_x1_gpu_without_rental_price_is_an_error_not_zero_dollars():
    e = error("X-1", N_params="8B", gpu="RTX 5060Ti")
    assert e["code"] == "out_of_range" and e["param"] == "gpu"
    assert "'RTX 5060Ti' has no rental price" in e["message"]
    assert "H100 SXM" in e["message"] and "RTX 5090" in e["message"]
    assert "RTX 5060Ti" not in e["choices"] and len(e["choices"]) == 10


def test_x1_absurd_mfu_is_a_structured_error():
    e = error("X-1", N_params="1000T", D_tokens=1e18, gpu="RTX 4090", n_gpus=1, mfu=1e-300)
    assert e["code"] == "out_of_range" and e["param"] == "mfu"


# ── X-3 ─────────────────────────────────────────────────────────────────────
def seed_x3(budget, flops_tf=989, usd_h=2.5, vram=80, n_gpus=1, mfu=0.45):
    hours = budget / (usd_h * n_gpus)
    C = flops_tf * 1e12 * mfu * n_gpus * hours * 3600
    N = math.sqrt(C / 120)
    return {"hours": hours, "C": C, "N": N, "D": 20 * N, "GB": 16 * N / 1e9}


def test_x3_5000_dollars_on_one_h100_is_memory_limited():
    r = run("X-3")
    assert r["inputs"] == {"USD_budget": 5000.0, "gpu": "H100 SXM", "mfu": 0.45, "n_gpus": 1}
    s = steps(r)
    assert [x["section"] for x in r["chain"]] == ["§20.11", "§17.10", "§17.30", "§17.60", "§17.20",
                                               "Rajbhandari et al. 2020"]   # + T-1's training-state step
    assert [x.get("unit") for x in r["chain"]] == ["hours", "FLOPs", "params", None, "GB", "bytes"]
    # T-1's accounting gives the seed's 16·N, per GPU (X-3, X-1 and T-1 agree)
    assert r["chain"][5]["result"] == approx(r["chain"][4]["result"] * 1e9)
    # 5000 / 2.5 = 2,000 h; C = 989e12·0.45·2000·3600 = 3.20436e21; N = √(C/120) = 5.1675e9; 16N = 82.68 GB
    assert s[1]["result"] == 2000.0
    assert s[2]["result"] == approx(3.20436e21)
    assert s[3]["result"] == approx(5.16749455e9, rel=1e-8) == approx(seed_x3(5000)["N"])
    assert s[3]["breakdown"]["D_tokens"] == approx(1.03349891e11, rel=1e-8)
    assert s[4]["result"] == "above 1B — basic instruction-following, not strong reasoning"
    assert s[5]["result"] == approx(82.6799129, rel=1e-8)
    assert s[5]["breakdown"]["fits"] is False and s[5]["breakdown"]["capacity_GB"] == 80
    assert "EXCEEDS 1 × 80 GB" in s[5]["interpretation"] and "ZeRO-3" in s[5]["interpretation"]
    assert r["verdict"] == "MEMORY-LIMITED: 5.17B params need ≥ 2× H100 SXM" and r["tone"] == "caution"
    assert "≥ 2× H100 SXM" in r["mitigation"]
    assert any("ZeRO-3" in c for c in r["caveats"])


def test_x3_zero3_sharding_over_n_gpus():
    # 2 GPUs: same FLOPs (the budget buys GPU-hours), 1,000 h; 82.68 GB ≤ 2 × 80 → GO (the seed said MEMORY-LIMITED)
    r = run("X-3", n_gpus=2)
    s = steps(r)
    assert s[1]["result"] == 1000.0
    assert s[2]["result"] == approx(3.20436e21)
    assert s[5]["breakdown"]["capacity_GB"] == 160 and s[5]["breakdown"]["fits"] is True
    assert r["verdict"].startswith("GO: ") and r["tone"] == "good"
    assert "5.17B-param model on 103B tokens in ~41.7 days" in r["reason"]
    assert "above 1B" in r["reason"]


def test_x3_big_budget_on_b200_and_tiny_budget():
    # $50,000 on 8× B200 at MFU 0.4: 1,250 h; C = 2250e12·0.4·8·1250·3600 = 3.24e22; N = 1.643e10; 262.9 GB ≤ 1536
    r = run("X-3", USD_budget="50k", gpu="B200", n_gpus=8, mfu=0.4)
    s = steps(r)
    expected = seed_x3(50000, flops_tf=2250, usd_h=5.0, vram=192, n_gpus=8, mfu=0.4)
    assert s[1]["result"] == 1250.0
    assert s[2]["result"] == approx(3.24e22)
    assert s[3]["result"] == approx(expected["N"]) == approx(1.6431677e10, rel=1e-7)
    assert s[5]["result"] == approx(262.906834, rel=1e-7)
    assert s[4]["result"].startswith("above 10B")
    assert r["verdict"].startswith("GO: ") and r["tone"] == "good"
    # $1 on one H100: 0.4 h → C = 6.4087e17 → N = 7.31e7 < 1e8 → TINY-MODEL
    r = run("X-3", USD_budget=1)
    assert steps(r)[3]["result"] == approx(seed_x3(1)["N"]) == approx(7.3079409e7, rel=1e-7)
    assert r["verdict"] == "TINY-MODEL: only ~73.1M params" and r["tone"] == "caution"
    assert r["mitigation"] == "Use LoRA fine-tuning of larger pretrained model instead."


def test_x3_errors():
    e = error("X-3", gpu="H300")
    assert e["code"] == "unknown_choice" and e["param"] == "gpu"       # the seed raised KeyError
    e = error("X-3", gpu="RTX 5060Ti")                                 # the seed raised ZeroDivisionError
    assert e["code"] == "out_of_range" and e["param"] == "gpu" and "no rental price" in e["message"]
    for name in ("USD_budget", "n_gpus", "mfu"):
        assert error("X-3", **{name: 0})["code"] == "out_of_range"


# ── X-5 ─────────────────────────────────────────────────────────────────────
def seed_x5_candidate(N, bw, usd_h, bytes_per_weight=2.0, target=1e7):
    w_gb = N * bytes_per_weight / 1e9
    tok_s = bw / w_gb
    tok_day = tok_s * 86400
    return {"tok_per_sec": tok_s, "USD_per_Mtok": usd_h * 24 / (tok_day / 1e6), "users_supported": tok_day / target}


def test_x5_8b_at_4096_on_defaults():
    r = run("X-5", N_params=8e9)
    assert r["inputs"] == {"N_params": 8e9, "T_eval": 4096, "n_layers": 32, "n_kv_heads": 8, "d_head": 128,
                           "bytes_per_weight": 2.0, "kv_bytes_per_element": 2.0, "target_tokens_per_day": 1e7,
                           "concurrent_users": 1, "n_attention_heads": 32}
    s = steps(r)
    assert [x["section"] for x in r["chain"][:5]] == ["§19", "§19.1", "§20.3", "§20", "§20"]
    assert [x.get("unit") for x in r["chain"][:3]] == ["GB", "GB", "GB"]
    assert s[1]["result"] == 16.0
    # KV = 2·32·8·128·4096·2 = 536,870,912 bytes
    assert s[2]["breakdown"]["bytes"] == 536_870_912
    assert s[2]["result"] == approx(0.536870912)
    assert s[3]["result"] == approx(16.536870912)
    assert s[4]["name"] == "Eligible GPUs (≥16.5 GB)"
    top = s[4]["result"]
    # 10 rentable GPUs fit (all but the 16 GB RTX 5060Ti); $/Mtok = $/h·24 / (BW/16·86400/1e6)
    assert s[4]["breakdown"] == {"n_rentable_fit": 10, "n_owned_fit": 0}
    assert [c["gpu"] for c in top] == ["RTX 5090", "MI300X", "RTX 4090", "A100 80GB", "B200"]
    for c, (bw, price) in zip(top, [(1792, 0.7), (5300, 2.1), (1008, 0.4), (2000, 1.2), (8000, 5.0)]):
        expected = seed_x5_candidate(8e9, bw, price)
        assert c["tok_per_sec"] == approx(expected["tok_per_sec"])
        assert c["USD_per_Mtok"] == approx(expected["USD_per_Mtok"], rel=1e-12)
        assert c["users_supported"] == approx(expected["users_supported"])
        assert c["owned"] is False
    assert top[0]["USD_per_Mtok"] == approx(1.7361111111)   # 16.8 $/day / 9.6768 Mtok/day
    assert top[0]["tok_per_sec"] == 112.0
    assert top[0]["users_supported"] == approx(0.96768)
    assert s[5]["result"] == []
    # issue 13: the verdict names the GPU S-2 costs cheapest at a realistic batch (S-1 fit); the seed's batch-1
    # figure stays in the reason (old label "YES" → "YES: <GPU>", README)
    assert r["verdict"] == f"YES: {r['figures']['gpu']}" and r["tone"] == "good"
    assert "At batch 1 (one stream, steps 4–5) the cheapest is RTX 5090 at $1.74/Mtok, 0.97× your daily target." \
        in r["reason"]
    assert f"--max-num-seqs {r['figures']['batch']}" in r["mitigation"]


def test_x5_owned_gpu_listed_apart_never_ranked_first():
    # Qwen2.5-7B preset: 15.2 GB weights + KV 2·28·4·128·4096·2 = 0.2349 GB → 15.43 GB fits the 16 GB RTX 5060Ti.
    # The seed ranked it first at $0/Mtok; here it is owned hardware with no $/Mtok.
    # the seed's row (N = 7.6e9); issue 11: the preset's exact 7,615,616,512 (15.23 GB) still fits the 16 GB card
    exact = run("X-5", preset="Qwen/Qwen2.5-7B")
    assert exact["inputs"]["N_params"] == 7_615_616_512
    assert [c["gpu"] for c in steps(exact)[5]["result"]] == ["RTX 5060Ti"]
    r = run("X-5", preset="Qwen/Qwen2.5-7B", N_params=7.6e9)
    assert (r["inputs"]["N_params"], r["inputs"]["n_layers"], r["inputs"]["n_kv_heads"], r["inputs"]["d_head"]) == \
        (7.6e9, 28, 4, 128)
    s = steps(r)
    assert s[2]["breakdown"]["bytes"] == 234_881_024
    assert s[3]["result"] == approx(15.434881024)
    assert all(c["gpu"] != "RTX 5060Ti" for c in s[4]["result"])
    assert s[4]["result"][0]["gpu"] == "RTX 5090"
    assert s[4]["result"][0]["USD_per_Mtok"] == approx(seed_x5_candidate(7.6e9, 1792, 0.7)["USD_per_Mtok"])
    owned = s[5]["result"]
    assert [c["gpu"] for c in owned] == ["RTX 5060Ti"]
    assert owned[0]["owned"] is True and "USD_per_Mtok" not in owned[0] and "USD_per_day" not in owned[0]
    assert owned[0]["tok_per_sec"] == approx(448 / 15.2)
    assert r["verdict"].startswith("YES: ") and "the cheapest is RTX 5090" in r["reason"]
    assert "Your owned RTX 5060Ti also fits" in r["mitigation"]
    # strict JSON; an owned GPU has no cost columns at all (never NaN/Infinity, never "undefined")
    text = taf.run_recipe_json("X-5", json.dumps({"preset": "Qwen/Qwen2.5-7B"}))
    assert strict_loads(text)["chain"][4]["result"][0]["owned"] is True


def test_x5_kv_precision_is_separate_from_weight_precision():
    # INT4 weights: 8e9 · 0.5 = 4 GB; the KV cache stays at 2 bytes/element = 0.537 GB
    # (the seed used bytes_per_weight for the KV cache and got 0.134 GB)
    r = run("X-5", N_params="8B", bytes_per_weight=0.5)
    s = steps(r)
    assert s[1]["result"] == 4.0
    assert s[2]["breakdown"]["bytes"] == 536_870_912
    assert s[3]["result"] == approx(4.536870912)
    assert "independent of the 0.5-byte weights" in s[2]["interpretation"]
    # an 8-bit KV cache halves it; INT4 KV reproduces the seed's number
    assert steps(run("X-5", N_params="8B", bytes_per_weight=0.5, kv_bytes_per_element=1))[2]["breakdown"]["bytes"] \
        == 268_435_456
    assert steps(run("X-5", N_params="8B", bytes_per_weight=0.5, kv_bytes_per_element=0.5))[2]["breakdown"]["bytes"] \
        == 134_217_728
    # 4.54 GB total now fits the 16 GB RTX 5060Ti, listed as owned hardware
    assert [c["gpu"] for c in s[5]["result"]] == ["RTX 5060Ti"]


def test_x5_too_big_for_any_gpu():
    # 400B BF16 = 800 GB > 192 GB → NO; 800.54/192 → 5× MI300X (cheapest 192 GB GPU) = 960 GB
    r = run("X-5", N_params="400B")
    s = steps(r)
    assert s[4]["result"] == [] and s[5]["result"] == []
    assert r["verdict"] == "NO: NO SINGLE GPU FITS" and r["tone"] == "bad"
    assert "No single GPU has ≥800.5 GB VRAM" in r["reason"]
    assert "5× MI300X = 960 GB" in r["mitigation"]
    # Llama-3.3-70B with 100 concurrent users: 141.1 + 100 · 2·80·8·128·4096·2 B = 141.1 + 134.2 GB > 192 → NO
    # (issue 11: weights are 2 · 70,553,706,496 B = 141.107 GB from the config; the seed's row said 70e9 → 140 GB)
    r = run("X-5", preset="meta-llama/Llama-3.3-70B-Instruct", concurrent_users=100)
    assert steps(r)[3]["result"] == approx(141.107412992 + 100 * 1.34217728)
    assert r["verdict"] == "NO: NO SINGLE GPU FITS"
    # ... one user fits MI300X/B200 (192 GB) and H200 (141 GB)? 141.34 GB > 141 → only the 192 GB GPUs
    r = run("X-5", preset="meta-llama/Llama-3.3-70B-Instruct")
    assert [c["gpu"] for c in steps(r)[4]["result"]] == ["MI300X", "B200"]
    assert r["verdict"].startswith("YES: ")


def test_x5_ties_break_by_name_and_owned_only(monkeypatch):
    def gpu(name, vram, bw, price):
        return {"name": name, "bf16_tflops": 1.0, "vram_gb": vram, "bandwidth_gb_s": bw, "usd_per_hour": price,
                "tdp_w": 1.0, "source": "test", "as_of": "2026-05-02"}
    monkeypatch.setattr(x5, "GPUS", (gpu("Zeta", 80, 2000, 1.0), gpu("Alpha", 80, 2000, 1.0),
                                     gpu("Mid", 80, 1000, 1.0), gpu("Home", 80, 4000, None)))
    r = run("X-5", N_params="8B")
    s = steps(r)
    assert [c["gpu"] for c in s[4]["result"]] == ["Alpha", "Zeta", "Mid"]
    assert s[4]["result"][0]["USD_per_Mtok"] == s[4]["result"][1]["USD_per_Mtok"]
    assert [c["gpu"] for c in s[5]["result"]] == ["Home"]     # 0 $/h would have ranked first in the seed
    assert "the cheapest is Alpha" in r["reason"]
    monkeypatch.setattr(x5, "GPUS", (gpu("Home", 80, 4000, None), gpu("Small", 8, 2000, 1.0)))
    monkeypatch.setattr(x5, "realistic_candidates", lambda p: ([], "bf16", "bf16"))
    r = run("X-5", N_params="8B")
    assert r["verdict"] == "YES: YOUR OWNED Home" and r["reason"].startswith("Only owned hardware fits: Home")
    assert r["tone"] == "good" and r["figures"]["gpu"] == "Home" and r["figures"]["usd_per_mtok"] is None


def test_x5_errors():
    assert error("X-5")["code"] == "missing_param"
    assert error("X-5", N_params="8B", kv_bytes_per_element=0)["code"] == "out_of_range"
    assert error("X-5", N_params="8B", concurrent_users=0)["code"] == "out_of_range"
    assert error("X-5", N_params="8B", bytes_per_weght=1)["code"] == "unknown_param"


# ── registry, JSON, determinism ─────────────────────────────────────────────
def test_registration_order_and_schema():
    ids = [r["id"] for r in taf.list_recipes()]
    assert ids[:4] == ["X-1", "X-2", "X-3", "X-5"]
    by_id = {r["id"]: r for r in taf.list_recipes()}
    assert [p["name"] for p in by_id["X-1"]["params"]] == ["N_params", "D_tokens", "gpu", "n_gpus", "mfu",
                                                           "api_model", "monthly_tokens_M"]
    assert [p["name"] for p in by_id["X-3"]["params"]] == ["USD_budget", "gpu", "mfu", "n_gpus"]
    assert [p["name"] for p in by_id["X-5"]["params"]] == ["N_params", "T_eval", "n_layers", "n_kv_heads", "d_head",
                                                           "bytes_per_weight", "kv_bytes_per_element",
                                                           "target_tokens_per_day", "concurrent_users",
                                                           "n_attention_heads"]
    x1 = {p["name"]: p for p in by_id["X-1"]["params"]}
    assert x1["gpu"]["type"] == "choice" and len(x1["gpu"]["choices"]) == 11 and x1["gpu"]["default"] == "H100 SXM"
    assert x1["api_model"]["type"] == "choice" and len(x1["api_model"]["choices"]) == 8
    assert x1["N_params"]["preset_key"] == "n_params"
    x5p = {p["name"]: p for p in by_id["X-5"]["params"]}
    assert {k: x5p[k]["preset_key"] for k in ("N_params", "n_layers", "n_kv_heads", "d_head")} == \
        {"N_params": "n_params", "n_layers": "n_layers", "n_kv_heads": "n_kv_heads", "d_head": "d_head"}
    assert (x5p["T_eval"]["default"], x5p["n_layers"]["default"], x5p["n_kv_heads"]["default"],
            x5p["d_head"]["default"]) == (4096, 32, 8, 128)


@pytest.mark.parametrize("recipe_id,params", [
    ("X-1", {"N_params": "8B"}),
    ("X-1", {"N_params": "8B", "api_model": "GPT-4o-mini"}),
    ("X-1", {"preset": "meta-llama/Llama-3.3-70B-Instruct"}),
    ("X-3", {}),
    ("X-3", {"USD_budget": 1}),
    ("X-5", {"N_params": "8B"}),
    ("X-5", {"preset": "Qwen/Qwen2.5-7B"}),
    ("X-5", {"N_params": "400B"}),
])
def test_strict_json_and_deterministic(recipe_id, params):
    text = taf.run_recipe_json(recipe_id, json.dumps(params))
    assert "NaN" not in text and "Infinity" not in text
    decoded = strict_loads(text)
    assert decoded["recipe_id"] == recipe_id and decoded["verdict"]
    assert text == taf.run_recipe_json(recipe_id, json.dumps(params))
    assert decoded == json.loads(json.dumps(taf.run_recipe(recipe_id, **params)))
    for step in decoded["chain"]:
        if isinstance(step["result"], (int, float)) and not isinstance(step["result"], bool):
            assert step.get("unit"), step


def test_json_errors_are_structured():
    decoded = strict_loads(taf.run_recipe_json("X-1", '{"N_params": "8B", "gpu": "RTX 5060Ti"}'))
    assert decoded["error"]["code"] == "out_of_range" and decoded["error"]["param"] == "gpu"
    decoded = strict_loads(taf.run_recipe_json("X-3", '{"gpu": "TPU v5"}'))
    assert decoded["error"]["code"] == "unknown_choice"


def test_profile_runs_the_economics_recipes():
    card = taf.profile_model(preset="meta-llama/Meta-Llama-3-8B")
    verdicts = {row["recipe_id"]: row["verdict"] for row in card["recipes"]}
    assert verdicts["X-1"] == "NO (API)" and verdicts["X-3"].startswith("MEMORY-LIMITED: ") and verdicts["X-5"].startswith("YES: ")


# ── CLI ─────────────────────────────────────────────────────────────────────
def test_cli_x1():
    out = taf_cli("run", "X-1", "N_params=8B")
    assert out.returncode == 0, out.stderr
    assert "VERDICT: NO (API)" in out.stdout
    assert "11,984 USD" in out.stdout and "4,085 Mtok" in out.stdout
    out = taf_cli("run", "X-1", "N_params=8B", "monthly_tokens_M=5k")
    assert out.returncode == 0 and "VERDICT: YES (custom)" in out.stdout


def test_cli_x3():
    out = taf_cli("run", "X-3", "USD_budget=5000", "gpu=H100 SXM")
    assert out.returncode == 0, out.stderr
    assert "VERDICT: MEMORY-LIMITED: 5.17B params need ≥ 2× H100 SXM" in out.stdout and "82.68 GB" in out.stdout
    out = taf_cli("run", "X-3", "n_gpus=2")
    assert out.returncode == 0 and "VERDICT: GO" in out.stdout


def test_cli_x5_with_preset_and_json():
    out = taf_cli("run", "X-5", "--preset", "Qwen/Qwen2.5-7B")
    assert out.returncode == 0, out.stderr
    assert "VERDICT: YES" in out.stdout and "the cheapest is RTX 5090" in out.stdout
    assert "gpu=RTX 5060Ti" in out.stdout and "owned=yes" in out.stdout
    out = taf_cli("run", "X-5", "N_params=8B", "--json")
    assert out.returncode == 0
    assert out.stdout == taf.run_recipe_json("X-5", json.dumps({"N_params": "8B"})) + "\n"


@pytest.mark.parametrize("args,needle", [
    (("run", "X-1", "N_params=8B", "gpu=RTX 5060Ti"), "no rental price"),
    (("run", "X-1", "N_params=8B", "gpu=H300"), "is not a known choice"),
    (("run", "X-1", "N_params=8B", "mfu=0"), "mfu = '0' is out of range"),
    (("run", "X-3", "gpu=RTX 5060Ti"), "no rental price"),
    (("run", "X-5", "N_params=abc"), "N_params = 'abc' is not valid"),
])
def test_cli_bad_values_exit_2(args, needle):
    out = taf_cli(*args)
    assert out.returncode == 2
    assert needle in out.stderr
    assert out.stdout == "" and "Traceback" not in out.stderr
