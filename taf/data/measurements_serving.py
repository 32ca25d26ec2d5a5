"""Published serving-memory measurements S-1 is checked against (tests/test_serving_measurements.py).

Each row: what was measured, on which model / format / engine / GPU, the published number with its
unit, a verbatim quote, the source URL (a log or file listing someone published), the date checked,
the ``kind`` of check and its stated tolerance:

- ``gguf_size`` — a GGUF file size from a Hugging Face repository's file table: ≤ 3 %;
- ``gguf_types`` — how many tensors of each GGML type llama.cpp's loader reports: exact;
- ``weights`` — weight bytes an engine reports after loading: ≤ 2 %;
- ``kv_blocks`` — vLLM's KV blocks for the pool it reports: exact (the pool's printed rounding);
- ``visible_memory`` / ``kv_pool`` / ``activation`` — engine estimates, reported with their error
  (the README table); visible memory is tested at ≤ 2 %, the KV pool at ≤ 10 %.

No constant of the memory model was fitted to any row here. Where a row was read while an
assumption was chosen, ``note`` says so (the driver reserve was read off H100 logs, not these rows).
The models are given by fixture config.json files (tests/fixtures/configs) or, where the log prints
the hyper-parameters, by a config built from them (``config``).
"""

from __future__ import annotations

AS_OF = "2026-11-26"


def _gguf(repo: str, prefix: str, fmt: str, bits: int, size_gb: float) -> dict:
    """One row of a TheBloke "Provided files" table (a Mistral-7B-architecture repository)."""
    return {
        "id": f"{repo.lower()}-{fmt}",
        "kind": "gguf_size",
        "model": "mistral-7b-v0.1",  # the fine-tunes share Mistral-7B-v0.1's architecture and 32,000 vocabulary
        "weight_format": fmt,
        "value": size_gb * 1e9,
        "unit": "bytes",
        "quote": f"| [{prefix}.{fmt}.gguf](https://huggingface.co/TheBloke/{repo}/blob/main/{prefix}.{fmt}.gguf) | "
        f"{fmt} | {bits} | {size_gb:.2f} GB|",
        "source": f"https://huggingface.co/TheBloke/{repo}",
        "as_of": AS_OF,
        "tolerance": 0.03,
    }


#: Qwen3-235B-A22B's architecture (its published config.json; 235,093,634,560 parameters, 22.19 B active)
QWEN3_235B = {
    "model_type": "qwen3_moe",
    "hidden_size": 4096,
    "intermediate_size": 12288,
    "moe_intermediate_size": 1536,
    "num_experts": 128,
    "num_experts_per_tok": 8,
    "num_hidden_layers": 94,
    "num_attention_heads": 64,
    "num_key_value_heads": 4,
    "head_dim": 128,
    "vocab_size": 151936,
    "tie_word_embeddings": False,
    "max_position_embeddings": 40960,
    "rope_theta": 1000000.0,
    "decoder_sparse_step": 1,
    "mlp_only_layers": [],
    "norm_topk_prob": True,
}

MISTRAL = ("Mistral-7B-Instruct-v0.1-GGUF", "mistral-7b-instruct-v0.1")
ZEPHYR = ("zephyr-7B-beta-GGUF", "zephyr-7b-beta")


MEASUREMENTS = (
    # ── GGUF file sizes (TheBloke's "Provided files" table; GB = 10⁹ bytes, two decimals) ─────────
    _gguf(*MISTRAL, "Q3_K_M", 3, 3.52),
    _gguf(*MISTRAL, "Q4_0", 4, 4.11),
    _gguf(*MISTRAL, "Q4_K_S", 4, 4.14),
    _gguf(*MISTRAL, "Q4_K_M", 4, 4.37),
    _gguf(*MISTRAL, "Q5_0", 5, 5.00),
    _gguf(*MISTRAL, "Q5_K_S", 5, 5.00),
    _gguf(*MISTRAL, "Q5_K_M", 5, 5.13),
    _gguf(*MISTRAL, "Q6_K", 6, 5.94),
    _gguf(*ZEPHYR, "Q8_0", 8, 7.70),
    {
        "id": "qwen3-30b-a3b-gguf-Q4_K_M",
        "kind": "gguf_size",
        "model": "qwen3-30b-a3b",
        "weight_format": "Q4_K_M",
        "value": 18_556_685_824,
        "unit": "bytes",
        "quote": 'DEFAULT_REPO = "Qwen/Qwen3-30B-A3B-GGUF" … DEFAULT_FILE = "Qwen3-30B-A3B-Q4_K_M.gguf" … '
        "DEFAULT_SIZE = 18_556_685_824",
        "source": "https://huggingface.co/Qwen/Qwen3-30B-A3B-GGUF/blob/dae61f032d7880e6effe712505db4de5d06d6549/"
        "Qwen3-30B-A3B-Q4_K_M.gguf",
        "as_of": AS_OF,
        "tolerance": 0.03,
        "note": "An MoE file (128 experts, ffn_*_exps 3-D tensors). The byte count is the one a public download "
        "script pins together with the file's SHA-256 (0d003f66…) at that revision; a second public project "
        "pins the same size and hash.",
    },
    # ── llama.cpp's loader: tensors per GGML type ──────────────────────────────────────────
    {
        "id": "llamafile-516-llama-3.1-8b-q4_k_m-types",
        "kind": "gguf_types",
        "model": "llama-3.1-8b",
        "weight_format": "Q4_K_M",
        "value": {"Q4_K": 193, "Q6_K": 33},
        "unit": "tensors",
        "quote": (
            "llama_model_loader: - type  f32:   66 tensors / - type q4_K:  193 tensors / - type q6_K:   33 tensors"
        ),
        "source": "https://github.com/mozilla-ai/llamafile/issues/516",
        "as_of": AS_OF,
        "tolerance": 0,
        "note": "f32: 66 in the file = the 65 norms counted here + rope_freqs.weight (Llama 3.1's 64 RoPE scaling "
        "factors), which llama.cpp adds and the Hugging Face checkpoint does not have.",
    },
    {
        "id": "textgen-6398-88-layer-q4_k_m-types",
        "kind": "gguf_types",
        "model": None,
        "config": {
            "model_type": "mistral",
            "hidden_size": 12288,
            "num_hidden_layers": 88,
            "num_attention_heads": 96,
            "num_key_value_heads": 8,
            "head_dim": 128,
            "intermediate_size": 28672,
            "vocab_size": 32768,
            "max_position_embeddings": 131072,
            "rope_theta": 1000000.0,
            "tie_word_embeddings": False,
            "sliding_window": None,
        },
        "weight_format": "Q4_K_M",
        "value": {"Q4_K": 529, "Q6_K": 89},
        "unit": "tensors",
        "quote": "llama_model_loader: - type q4_K:  529 tensors / - type q6_K:   89 tensors … n_vocab = 32768 … "
        "n_embd = 12288 / n_layer = 88 / n_head = 96 / n_head_kv = 8 … n_ff = 28672",
        "source": "https://github.com/oobabooga/textgen/issues/6398",
        "as_of": AS_OF,
        "tolerance": 0,
        "note": "The log prints the hyper-parameters (a Mistral-Large-sized model) and the type counts; the file's "
        "K-quant mix is not named in the quoted lines — these counts are what the Q4_K_M rules give.",
    },
    # ── weights as the engines load them ───────────────────────────────────────────────────
    {
        "id": "ollama-8361-llama-3.1-8b-f16-buffer",
        "kind": "weights",
        "model": "llama-3.1-8b",
        "weight_format": "fp16",
        "engine": "llama.cpp",
        "value": 15317.02 * 2**20,
        "unit": "bytes",
        "quote": "llm_load_tensors:   CPU_Mapped model buffer size = 15317.02 MiB",
        "source": "https://github.com/ollama/ollama/issues/8361",
        "as_of": AS_OF,
        "tolerance": 0.02,
        "note": "An F16 GGUF of Llama-3.1-8B: 2-D tensors F16, norms F32; the file also holds rope_freqs (256 B).",
    },
    {
        "id": "data-on-eks-a10g-deepseek-r1-distill-llama-8b-weights",
        "kind": "weights",
        "model": "llama-3.1-8b",  # DeepSeek-R1-Distill-Llama-8B is Llama-3.1-8B's architecture
        "weight_format": "bf16",
        "engine": "vllm",
        "value": 14.99 * 2**30,
        "unit": "bytes",
        "quote": "INFO model_runner.py:1115] Loading model weights took 14.99 GiB",
        "source": "https://github.com/awslabs/data-on-eks/blob/203430549f008325cf24fa6d5410d18ec42e860c/website/"
        "docs/gen-ai/inference/GPUs/ray-vllm-deepseek.md",
        "as_of": AS_OF,
        "tolerance": 0.02,
    },
    # ── vLLM's KV pool ─────────────────────────────────────────────────────────────────────
    {
        "id": "oci-a10-llama-3.1-8b-kv-blocks",
        "kind": "kv_blocks",
        "model": "llama-3.1-8b",
        "engine": "vllm",
        "value": {"pool_gib": 4.60, "blocks": 2356, "tokens": 37696},
        "unit": "blocks",
        "quote": "the rest of the memory reserved for KV Cache is 4.60GiB. … # CUDA blocks: 2356 … the maximum "
        "number of tokens that can be stored in KV cache (37696)",
        "source": "https://github.com/oracle-samples/oci-data-science-ai-samples/blob/main/ai-quick-actions/"
        "troubleshooting-tips.md",
        "as_of": AS_OF,
        "tolerance": 0,
        "note": "max seq len 131072 and 14.99 GiB of bf16 weights: Llama-3.1-8B on an A10 (the page's shape).",
    },
    # ── SGLang's KV pool (Qwen3-235B-A22B-FP8, TP 4 on H100) ───────────────────────────────
    {
        "id": "vllm-21348-sglang-qwen3-235b-kv-tokens",
        "kind": "kv_tokens",
        "model": None,
        "config": QWEN3_235B,
        "engine": "sglang",
        "n_gpus": 4,
        "gpu": "nvidia-h100-sxm",
        "value": {"tokens": 367404, "k_gib": 8.23},
        "unit": "tokens",
        "quote": "KV Cache is allocated. #tokens: 367404, K size: 8.23 GB, V size: 8.23 GB",
        "source": "https://github.com/vllm-project/vllm/issues/21348",
        "as_of": AS_OF,
        "tolerance": 0,
        "note": "SGLang prints GiB as 'GB'. 94 layers × 1 KV head per GPU (4 heads over TP 4) × 128 × 2 bytes = "
        "24,064 bytes of K per token: 367,404 tokens hold 8.23 GiB of K.",
    },
    {
        "id": "vllm-21348-sglang-qwen3-235b-kv-pool",
        "kind": "kv_pool",
        "model": None,
        "config": QWEN3_235B,
        "weight_format": "fp8",
        "gpu": "nvidia-h100-sxm",
        "engine": "sglang",
        "n_gpus": 4,
        "gpu_memory_utilization": 0.93,
        "context_tokens": 32768,
        "value": 2 * 8.23 * 2**30,
        "unit": "bytes",
        "quote": "--tp 4 … --mem-fraction-static 0.93 … KV Cache is allocated. #tokens: 367404, K size: 8.23 GB, "
        "V size: 8.23 GB",
        "source": "https://github.com/vllm-project/vllm/issues/21348",
        "as_of": AS_OF,
        "tolerance": 0.10,
        "tested": False,
        "note": "Reported, not tested: the TP-buffer term was added to SGLang's pool (as vLLM's already had it) "
        "after this log was read, so the row is not an independent check. The FP8 checkpoint is "
        "block-quantised; weights here use per-tensor fp8.",
    },
    # ── engine estimates (reported; visible memory and pool tested at stated tolerances) ──────
    {
        "id": "oci-a10-visible-memory",
        "kind": "visible_memory",
        "gpu": "nvidia-a10",
        "value": 22.07 * 2**30,
        "unit": "bytes",
        "quote": "the current vLLM instance can use total_gpu_memory (22.07GiB) x gpu_memory_utilization (0.90) "
        "= 19.86GiB",
        "source": "https://github.com/oracle-samples/oci-data-science-ai-samples/blob/main/ai-quick-actions/"
        "troubleshooting-tips.md",
        "as_of": AS_OF,
        "tolerance": 0.02,
    },
    {
        "id": "data-on-eks-a10g-visible-memory",
        "kind": "visible_memory",
        "gpu": "nvidia-a10g",
        "value": 22.30 * 2**30,
        "unit": "bytes",
        "quote": "vLLM instance can use total GPU memory (22.30 GiB) x utilization (0.90) = 20.07 GiB",
        "source": "https://github.com/awslabs/data-on-eks/blob/203430549f008325cf24fa6d5410d18ec42e860c/website/"
        "docs/gen-ai/inference/GPUs/ray-vllm-deepseek.md",
        "as_of": AS_OF,
        "tolerance": 0.02,
    },
    {
        "id": "oci-a10-llama-3.1-8b-kv-pool",
        "kind": "kv_pool",
        "model": "llama-3.1-8b",
        "gpu": "nvidia-a10",
        "engine": "vllm",
        "context_tokens": 131072,
        "value": 4.60 * 2**30,
        "unit": "bytes",
        "quote": "model weights take 14.99GiB; non_torch_memory takes 0.05GiB; PyTorch activation peak memory takes "
        "0.22GiB; the rest of the memory reserved for KV Cache is 4.60GiB.",
        "source": "https://github.com/oracle-samples/oci-data-science-ai-samples/blob/main/ai-quick-actions/"
        "troubleshooting-tips.md",
        "as_of": AS_OF,
        "tolerance": 0.10,
        "activation_bytes": 0.22 * 2**30,
    },
    {
        "id": "data-on-eks-a10g-kv-pool",
        "kind": "kv_pool",
        "model": "llama-3.1-8b",
        "gpu": "nvidia-a10g",
        "engine": "vllm",
        "context_tokens": 8192,
        "value": 4.17 * 2**30,
        "unit": "bytes",
        "quote": "Model weights: 14.99 GiB | Activation memory: 0.85 GiB | KV Cache: 4.17 GiB",
        "source": "https://github.com/awslabs/data-on-eks/blob/203430549f008325cf24fa6d5410d18ec42e860c/website/"
        "docs/gen-ai/inference/GPUs/ray-vllm-deepseek.md",
        "as_of": AS_OF,
        "tolerance": 0.10,
        "activation_bytes": 0.85 * 2**30,
        "note": "The page does not state max_model_len or max_num_batched_tokens; its 0.85 GiB activation peak is "
        "larger than the default-settings estimate.",
    },
)

MEASUREMENTS_BY_ID = {row["id"]: row for row in MEASUREMENTS}
