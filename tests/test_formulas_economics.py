"""§19 / §20 / §24 formulas and the GPU / API catalogs, against hand-derived values and the seed's numbers."""
import math

import pytest

from taf.data.api_prices import API_MODEL_NAMES, API_PRICES, API_PRICES_BY_NAME
from taf.data.gpus import GPU_NAMES, GPUS, GPUS_BY_NAME, OWNED_GPU_NAMES, PRICED_GPU_NAMES
from taf.formulas import economics as econ
from taf.formulas import hardware as hw
from taf.formulas import inference as inf

approx = pytest.approx


# ── data tables ─────────────────────────────────────────────────────────────
SEED_GPUS = {  # name: (bf16 TFLOPs, VRAM GB, GB/s, $/h (None = seed's 0.0 "local"), TDP W) — seed 002 GPU_CATALOG
    "H100 SXM": (989, 80, 3350, 2.5, 700),
    "H100 PCIe": (756, 80, 2000, 2.0, 350),
    "H200": (989, 141, 4800, 3.5, 700),
    "B200": (2250, 192, 8000, 5.0, 1000),
    "A100 80GB": (312, 80, 2000, 1.2, 400),
    "A100 40GB": (312, 40, 1555, 1.0, 400),
    "L40S": (362, 48, 864, 0.7, 350),
    "MI300X": (1307, 192, 5300, 2.1, 750),
    "RTX 4090": (165, 24, 1008, 0.4, 450),
    "RTX 5090": (419, 32, 1792, 0.7, 575),
    "RTX 5060Ti": (36, 16, 448, None, 180),
}

SEED_APIS = {  # seed 002 API_PRICING (USD per Mtok)
    "GPT-4o": (2.5, 10.0),
    "GPT-4o-mini": (0.15, 0.60),
    "Claude-Opus-4": (15.0, 75.0),
    "Claude-Sonnet-4": (3.0, 15.0),
    "Claude-Haiku-4": (0.80, 4.0),
    "Gemini-1.5-Pro": (1.25, 5.0),
    "DeepSeek-V3": (0.27, 1.10),
    "Llama-3.3-70B (Together)": (0.88, 0.88),
}

SOURCE = "https://github.com/karlesmarin/tafagent/blob/main/python/taf_browser.py"


def test_gpu_catalog_is_the_seeds_eleven_rows():
    assert GPU_NAMES == tuple(SEED_GPUS)
    assert len(GPUS) == 11
    for row in GPUS:
        flops, vram, bw, price, tdp = SEED_GPUS[row["name"]]
        assert (row["bf16_tflops"], row["vram_gb"], row["bandwidth_gb_s"], row["usd_per_hour"], row["tdp_w"]) == \
            (flops, vram, bw, price, tdp)
        assert row["source"] == SOURCE and row["as_of"] == "2026-05-02"
        assert set(row) == {"name", "bf16_tflops", "vram_gb", "bandwidth_gb_s", "usd_per_hour", "tdp_w", "source",
                            "as_of"}
    assert GPUS_BY_NAME["RTX 5060Ti"]["usd_per_hour"] is None  # seed 0.0 = local/owned, never $0
    assert OWNED_GPU_NAMES == ("RTX 5060Ti",)
    assert PRICED_GPU_NAMES == GPU_NAMES[:-1]


def test_api_prices_are_the_seeds_eight_rows():
    assert API_MODEL_NAMES == tuple(SEED_APIS)
    assert len(API_PRICES) == 8
    for row in API_PRICES:
        assert (row["input_usd_per_mtok"], row["output_usd_per_mtok"]) == SEED_APIS[row["name"]]
        assert row["source"].startswith("https://") and row["as_of"] == "2026-05-02"
        assert row["refs"][-1] == "taf-agent"  # the record the numbers come from
    assert API_PRICES_BY_NAME["GPT-4o"]["source"] == "https://openai.com/api/pricing/"
    assert API_PRICES_BY_NAME["GPT-4o"]["output_usd_per_mtok"] == 10.0


# ── §19 inference ───────────────────────────────────────────────────────────
def test_model_weights_memory():
    assert inf.model_weights_bytes(8e9, 2) == 16e9
    assert inf.model_weights_gb(8e9) == 16.0          # BF16 default
    assert inf.model_weights_gb(70e9, 2) == 140.0
    assert inf.model_weights_gb(8e9, 0.5) == 4.0      # INT4
    assert inf.model_weights_gb(7.6e9, 1) == approx(7.6)
    assert inf.model_weights_gb(-1, 2) is None
    assert inf.model_weights_gb(8e9, 0) is None


def test_decode_throughput_is_bandwidth_over_model_bytes():
    assert inf.decode_tokens_per_second(3350, 16) == 209.375   # H100 SXM, 8B BF16
    assert inf.decode_tokens_per_second(1792, 16) == 112.0     # RTX 5090
    assert inf.decode_tokens_per_second(5300, 140) == approx(37.857142857)
    assert inf.decode_tokens_per_second(3350, 0) is None
    assert inf.decode_tokens_per_second(-1, 16) is None


def test_kv_cache_bytes_still_there():
    # 2·L·n_kv·d_head·seq·B: Llama-3-8B at 4096 in bf16 = 536,870,912 bytes
    assert inf.kv_cache_bytes(32, 8, 128, 4096, 2) == 536_870_912


# ── §20 hardware ────────────────────────────────────────────────────────────
def test_training_hours_and_cost_h100_cluster():
    # 8B at 20·N = 160B tokens: C = 7.68e21; 8× H100 SXM at MFU 0.45 → 3.5604e15 FLOP/s
    assert hw.effective_flops_per_second(989, 0.45, 8) == approx(3.5604e15)
    hours = hw.training_hours(8e9, 160e9, 989, 0.45, 8)
    assert hours == approx(7.68e21 / 3.5604e15 / 3600)
    assert hours == approx(599.1836123, rel=1e-9)
    assert hw.training_cost_usd(hours, 2.5, 8) == approx(11983.672246, rel=1e-9)
    run = hw.training_run_cost(8e9, 160e9, 989, 2.5, 8, 0.45)
    assert run["total_FLOPs"] == 7.68e21
    assert run["days"] == approx(24.965983847)
    assert run["gpu_hours"] == approx(4793.4688986)
    assert run["USD"] == approx(11983.672246, rel=1e-9)


def test_training_cost_a100():
    # 1B on 20B tokens, 4× A100 80GB at 0.5: C = 1.2e20 / 6.24e14 = 192,307.69 s = 53.4188 h; × 1.2 × 4
    hours = hw.training_hours(1e9, 2e10, 312, 0.5, 4)
    assert hours == approx(53.418803418)
    assert hw.training_cost_usd(hours, 1.2, 4) == approx(256.41025641)


def test_no_rental_price_is_never_zero_dollars():
    hours = hw.training_hours(8e9, 160e9, 36, 0.45, 1)
    assert hours is not None and hours > 0
    assert hw.training_cost_usd(hours, None, 1) is None
    assert hw.training_cost_usd(hours, 0.0, 1) is None
    run = hw.training_run_cost(8e9, 160e9, 36, None, 1, 0.45)
    assert run["USD"] is None and run["hours"] == approx(hours)
    assert hw.self_hosted_usd_per_mtok(448, 16, None) is None
    assert hw.self_hosted_usd_per_mtok(448, 16, 0.0) is None
    assert hw.usd_per_mtok(28.0, None) is None
    assert hw.affordable_hours(5000, None, 1) is None
    assert hw.affordable_hours(5000, 0.0, 1) is None


def test_training_domain():
    assert hw.training_hours(8e9, 160e9, 989, 0, 8) is None       # MFU 0
    assert hw.training_hours(8e9, 160e9, 989, 1.5, 8) is None     # MFU > 1
    assert hw.training_hours(8e9, 160e9, 989, 0.45, 0) is None    # no GPUs
    assert hw.training_hours(-1, 160e9, 989, 0.45, 8) is None
    assert hw.training_hours(1e15, 1e18, 165, 1e-300, 1) is None  # overflows → None, not inf
    assert hw.effective_flops_per_second(989, 5e-324, 1e-30) is None  # underflows to 0 → None


def test_affordable_hours_and_compute():
    # $5,000 on 1 H100 SXM at $2.5/h = 2,000 h; C = 989e12 · 0.45 · 2000 · 3600 = 3.20436e21
    assert hw.affordable_hours(5000, 2.5, 1) == 2000.0
    assert hw.affordable_hours(5000, 2.5, 2) == 1000.0
    assert hw.compute_in_hours(989, 0.45, 1, 2000) == approx(3.20436e21)
    # the budget buys the same FLOPs whatever the GPU count
    assert hw.compute_in_hours(989, 0.45, 2, 1000) == approx(3.20436e21)
    assert hw.affordable_hours(-1, 2.5, 1) is None


def test_self_hosted_usd_per_mtok():
    # 8B BF16 (16 GB) on one H100 SXM: 209.375 tok/s → 4,776.1 s/Mtok → 1.32670 h → × $2.5 = $3.31675
    assert hw.self_hosted_usd_per_mtok(3350, 16, 2.5) == approx(3.3167495854, rel=1e-9)
    assert hw.usd_per_mtok(209.375, 2.5) == approx(3.3167495854, rel=1e-9)
    # 1B BF16 on A100 80GB: 1,000 tok/s → 1e6/1000/3600 · 1.2 = $0.3333
    assert hw.self_hosted_usd_per_mtok(2000, 2, 1.2) == approx(1 / 3)
    # batching divides it
    assert hw.self_hosted_usd_per_mtok(3350, 16, 2.5, batch=4) == approx(3.3167495854 / 4)
    assert hw.self_hosted_usd_per_mtok(3350, 0, 2.5) is None
    assert hw.self_hosted_usd_per_mtok(3350, 16, 2.5, batch=0) is None
    # the seed's X-5 day-based form gives the same number: $/day / (tok/day / 1e6)
    assert hw.usd_per_mtok(112.0, 0.7) == approx(0.7 * 24 / (112 * 86400 / 1e6))
    assert hw.usd_per_mtok(112.0, 0.7) == approx(1.7361111111)


# ── §24 economics ───────────────────────────────────────────────────────────
@pytest.mark.parametrize("name,blended", [
    ("GPT-4o", 6.25), ("GPT-4o-mini", 0.375), ("Claude-Opus-4", 45.0), ("Claude-Sonnet-4", 9.0),
    ("Claude-Haiku-4", 2.4), ("Gemini-1.5-Pro", 3.125), ("DeepSeek-V3", 0.685), ("Llama-3.3-70B (Together)", 0.88),
])
def test_api_blended_price(name, blended):
    row = API_PRICES_BY_NAME[name]
    assert econ.api_blended_usd_per_mtok(row["input_usd_per_mtok"], row["output_usd_per_mtok"]) == approx(blended)


def test_api_blended_price_share_and_domain():
    assert econ.api_blended_usd_per_mtok(2.5, 10.0, input_share=0.75) == approx(4.375)
    assert econ.api_blended_usd_per_mtok(2.5, 10.0, input_share=1.0) == 2.5
    assert econ.api_blended_usd_per_mtok(2.5, 10.0, input_share=1.5) is None
    assert econ.api_blended_usd_per_mtok(-1, 10.0) is None


def test_break_even_volume():
    # $11,983.67 of training, GPT-4o $6.25 vs self $3.31675: savings $2.93325/Mtok → 4,085.46 Mtok
    be = econ.break_even_volume(11983.672246564056, 6.25, 3.3167495854063023)
    assert be["savings_per_Mtok"] == approx(2.9332504146)
    assert be["Mtok_breakeven"] == approx(4085.4582981, rel=1e-9)
    assert be["tokens_breakeven"] == approx(4.0854582981e9, rel=1e-9)
    assert econ.break_even_mtok(1000, 3.0, 1.0) == 500.0
    assert econ.months_to_break_even(4085.4582981, 10) == approx(408.54582981)
    assert econ.months_to_break_even(500, 1000) == 0.5


def test_never_breaks_even():
    # GPT-4o-mini blends to $0.375, below the $3.32 self-hosted price
    be = econ.break_even_volume(11983.67, 0.375, 3.3167495854)
    assert be["Mtok_breakeven"] is None and be["tokens_breakeven"] is None
    assert "never breaks even" in be["reason"]
    assert be["savings_per_Mtok"] == approx(0.375 - 3.3167495854)
    assert econ.break_even_mtok(100, 2.0, 2.0) is None        # savings exactly 0
    assert econ.months_to_break_even(None, 10) is None
    assert econ.months_to_break_even(100, 0) is None
    assert econ.months_to_break_even(1e300, 1e-300) is None   # overflow → None, not inf
