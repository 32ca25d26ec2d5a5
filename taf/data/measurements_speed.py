"""Published serving-speed measurements: S-2's efficiency defaults come from some, its tests from the others.

Every row: source URL (pinned to the commit read), a verbatim quote, the date checked, the set-up
in S-2's parameters and the measured value. ``role`` says what the row is for:

- ``derive``: an efficiency default (``EFFICIENCY`` below) is computed from these rows — the
  achieved share of peak bandwidth = roofline time at 100 % / measured time, averaged;
- ``test``: held out; ``tests/test_s2_serving.py`` compares S-2's estimate with it at ±35 % and
  README reports every comparison (misses included).

No test row ever feeds a default.
"""

from __future__ import annotations

CHECKED = "2026-11-26"

GPUSTACK_QWEN3_8B_H100 = (
    "https://github.com/gpustack/gpustack/blob/1dbc3b8130da92d31539404545a1aff5c3992f8c/"
    "docs/performance-lab/qwen3-8b/h100-latency.md"
)
LLAMA_CPP_PR_15802 = "https://github.com/ggml-org/llama.cpp/pull/15802"
LLAMA_CPP_PR_17505 = "https://github.com/ggml-org/llama.cpp/pull/17505"

# GPUStack's Qwen3-8B study: one H100 SXM, vLLM v0.11.0 / SGLang v0.5.3.post3 / TensorRT-LLM v1.2.0rc1 at their
# defaults, `vllm bench serve` on 100 ShareGPT requests: "Total input tokens: 23260", "Total generated tokens:
# 22061" → 232.6 prompt and 220.6 output tokens per request on average.
_SHAREGPT = {"prompt_tokens": 233, "output_tokens": 221}
_QWEN3_8B_H100 = dict(
    _SHAREGPT, model_config="qwen3-8b", weight_format="bf16", kv_cache_dtype="bf16", gpu="nvidia-h100-sxm", n_gpus=1
)

SPEED = (
    # ── derivation rows ──────────────────────────────────────────────────────────────
    {
        "id": "gpustack-qwen3-8b-h100-sglang-c4",
        "role": "derive",
        "efficiency": "serving-engine",
        "setup": dict(_QWEN3_8B_H100, engine="sglang", batch=4),
        "quantity": "time_per_output_token_ms",
        "measured": 7.19,
        "source": GPUSTACK_QWEN3_8B_H100,
        "quote": "SGLang … Maximum request concurrency: 4 … Mean TPOT (ms): 7.19",
        "checked": CHECKED,
    },
    {
        "id": "gpustack-qwen3-8b-h100-trtllm-c4",
        "role": "derive",
        "efficiency": "serving-engine",
        "setup": dict(_QWEN3_8B_H100, engine="sglang", batch=4),  # TensorRT-LLM: same roofline, engine not modelled
        "quantity": "time_per_output_token_ms",
        "measured": 7.67,
        "source": GPUSTACK_QWEN3_8B_H100,
        "quote": "TensorRT-LLM … Maximum request concurrency: 4 … Mean TPOT (ms): 7.67",
        "checked": CHECKED,
    },
    # llama-bench pp512 with micro-batch 1 = 512 single-token steps (context 1 … 512); "llama 8B" = Llama 3 8B
    {
        "id": "llamacpp-rtx3090-llama3-8b-q4_0-ub1",
        "role": "derive",
        "efficiency": "llama.cpp",
        "setup": {
            "model_config": "llama-3-8b",
            "weight_format": "Q4_0",
            "kv_cache_dtype": "fp16",
            "engine": "llama.cpp",
            "gpu": "nvidia-rtx-3090",
            "n_gpus": 1,
            "batch": 1,
            "prompt_tokens": 1,
            "output_tokens": 512,
        },
        "quantity": "decode_tokens_per_s",
        "measured": 155.02,
        "source": LLAMA_CPP_PR_15802,
        "quote": (
            "| RTX 3090      | llama 8B Q4_0   | Yes                |            "
            "       1 | pp512    |         155.02 |"
        ),
        "checked": CHECKED,
    },
    # ── held-out test rows ───────────────────────────────────────────────────────────
    {
        "id": "gpustack-qwen3-8b-h100-vllm-c1",
        "role": "test",
        "setup": dict(_QWEN3_8B_H100, engine="vllm", batch=1),
        "quantity": "time_per_output_token_ms",
        "measured": 7.28,
        "source": GPUSTACK_QWEN3_8B_H100,
        "quote": "# BS=1 … Maximum request concurrency: 1 … Mean TPOT (ms): 7.28",
        "checked": CHECKED,
    },
    {
        "id": "gpustack-qwen3-8b-h100-vllm-c2",
        "role": "test",
        "setup": dict(_QWEN3_8B_H100, engine="vllm", batch=2),
        "quantity": "time_per_output_token_ms",
        "measured": 7.37,
        "source": GPUSTACK_QWEN3_8B_H100,
        "quote": "# BS=2 … Maximum request concurrency: 2 … Mean TPOT (ms): 7.37",
        "checked": CHECKED,
    },
    {
        "id": "gpustack-qwen3-8b-h100-vllm-c4",
        "role": "test",
        "setup": dict(_QWEN3_8B_H100, engine="vllm", batch=4),
        "quantity": "time_per_output_token_ms",
        "measured": 7.38,
        "source": GPUSTACK_QWEN3_8B_H100,
        "quote": "# BS=4 … Maximum request concurrency: 4 … Mean TPOT (ms): 7.38",
        "checked": CHECKED,
    },
    {
        "id": "gpustack-qwen3-8b-h100-vllm-c8",
        "role": "test",
        "setup": dict(_QWEN3_8B_H100, engine="vllm", batch=8),
        "quantity": "time_per_output_token_ms",
        "measured": 7.71,
        "source": GPUSTACK_QWEN3_8B_H100,
        "quote": "# BS=8 … Maximum request concurrency: 8 … Mean TPOT (ms): 7.71",
        "checked": CHECKED,
    },
    {
        "id": "gpustack-qwen3-8b-h100-vllm-c8-throughput",
        "role": "test",
        "setup": dict(_QWEN3_8B_H100, engine="vllm", batch=8),
        "quantity": "throughput_tokens_per_s",
        "measured": 917.28,
        "source": GPUSTACK_QWEN3_8B_H100,
        "quote": "# BS=8 … Output token throughput (tok/s):         917.28",
        "checked": CHECKED,
    },
    {
        "id": "gpustack-qwen3-8b-h100-vllm-c1-throughput",
        "role": "test",
        "setup": dict(_QWEN3_8B_H100, engine="vllm", batch=1),
        "quantity": "throughput_tokens_per_s",
        "measured": 132.86,
        "source": GPUSTACK_QWEN3_8B_H100,
        "quote": "# BS=1 … Output token throughput (tok/s):         132.86",
        "checked": CHECKED,
    },
    {
        "id": "gpustack-qwen3-8b-fp8-h100-sglang-c4",
        "role": "test",
        "setup": dict(_QWEN3_8B_H100, engine="sglang", batch=4, weight_format="fp8"),
        "quantity": "time_per_output_token_ms",
        "measured": 5.65,
        "source": GPUSTACK_QWEN3_8B_H100,
        "quote": "python3 -m sglang.launch_server --model-path Qwen/Qwen3-8B-FP8 … Mean TPOT (ms): 5.65",
        "checked": CHECKED,
    },
    # llama-bench pp512@d32768, micro-batch 1: 512 single-token steps after 32,768 tokens of context
    # llama-bench pp512 with micro-batch 512: prefill of 512 tokens (compute-bound)
    {
        "id": "llamacpp-rtx4090-llama3-8b-q4_0-pp512",
        "role": "test",
        "setup": {
            "model_config": "llama-3-8b",
            "weight_format": "Q4_0",
            "kv_cache_dtype": "fp16",
            "engine": "llama.cpp",
            "gpu": "nvidia-rtx-4090",
            "n_gpus": 1,
            "batch": 1,
            "prompt_tokens": 512,
            "output_tokens": 1,
        },
        "quantity": "prefill_tokens_per_s",
        "measured": 10358.75,
        "source": "https://github.com/ggml-org/llama.cpp/pull/7676",
        "quote": (
            "| RTX 4090   | llama 8B Q4_0   |                 512 | pp512    |    "
            "    7776.11 |               10358.75 |"
        ),
        "checked": CHECKED,
    },
    {
        "id": "llamacpp-rtx4090-llama3-8b-q4_0-ub1-d32768",
        "role": "test",
        "setup": {
            "model_config": "llama-3-8b",
            "weight_format": "Q4_0",
            "kv_cache_dtype": "fp16",
            "engine": "llama.cpp",
            "gpu": "nvidia-rtx-4090",
            "n_gpus": 1,
            "batch": 1,
            "prompt_tokens": 32768,
            "output_tokens": 512,
        },
        "quantity": "decode_tokens_per_s",
        "measured": 98.14,
        "source": LLAMA_CPP_PR_17505,
        "quote": "| RTX 4090              | llama 8B Q4_0   |                   1 | pp512@d32768   |          98.14 |",
        "checked": CHECKED,
    },
)

#: test rows outside ±35 %, kept and reported in README, with the reason we believe explains the miss
KNOWN_MISSES = {
    "llamacpp-rtx4090-llama3-8b-q4_0-pp512": (
        "prefill predicted at 0.42× the measured rate: llama.cpp multiplies quantised weights on int8 tensor cores "
        "(MMQ), faster than the bf16 peak S-2 uses, and η_flops is a training MFU, not a prefill measurement"
    ),
}

#: achieved share of peak memory bandwidth in decode, by engine group (derived from the ``derive`` rows;
#: ``tests/test_s2_serving.py`` recomputes each from its rows)
EFFICIENCY_BANDWIDTH = {"serving-engine": 0.62, "llama.cpp": 0.73}
#: which group each engine's default comes from (transformers: no measurement of its own — the
#: serving-engine value is used and the result says so)
ENGINE_GROUP = {
    "vllm": "serving-engine",
    "sglang": "serving-engine",
    "transformers": "serving-engine",
    "llama.cpp": "llama.cpp",
}
#: achieved share of peak 16-bit compute in prefill: the sustained MFU Llama 3 pre-training reports
#: (38–43 % BF16 on H100; Llama Team 2024, arXiv:2407.21783 §3.3.4) — the same source T-1's MFU uses
EFFICIENCY_FLOPS = 0.4
EFFICIENCY_FLOPS_SOURCE = "Llama Team 2024, The Llama 3 Herd of Models, arXiv:2407.21783 §3.3.4 (38–43 % BF16 MFU)"
#: latency per all-reduce under tensor parallelism — an assumption (not measured here), editable
ALLREDUCE_LATENCY_US = 10.0
