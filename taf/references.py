"""Citation keys → full references.

Every step of a chain and every data row names where its formula or figure comes from by a
key of :data:`REFERENCES`; a result lists the full reference of each key it uses (``references``)
so a reader can follow every number to a source. Each entry has:

- ``label``: the short form shown next to a step ("Wilson 1927", "TAF §26");
- ``authors``, ``title``, ``year``;
- ``venue``: the journal, conference, preprint server or repository — or plainly
  ``"unpublished"``/"preprint (not peer-reviewed)" where that is the truth;
- ``url``: an address a user can open (DOI or arXiv address where one exists);
- optional ``doi`` / ``arxiv``, and ``note`` (what the reference supports here).

The TAF section numbers (§17 … §34) in step ``section`` fields are the numbering of the
Thermodynamic Attention Framework (key ``taf``).
"""

from __future__ import annotations

from typing import Any

#: citation key → reference (plain data; display order is the order of first use in a result)
REFERENCES: dict[str, dict[str, Any]] = {
    "taf": {
        "label": "TAF",
        "authors": "Carles Marin",
        "title": "Predicting How Transformers Attend (the Thermodynamic Attention Framework, TAF)",
        "year": 2026,
        "venue": "preprint on Zenodo (not peer-reviewed); formulas and recipes as implemented in the TAF Agent "
        "module python/taf_browser.py of github.com/karlesmarin/tafagent",
        "doi": "10.5281/zenodo.19826343",
        "url": "https://doi.org/10.5281/zenodo.19826343",
        "note": "The § numbers (§17 pre-training … §34 diagnostics) are this framework's section numbers. Its "
        "empirical constants (δ corrections, panel bands) come from the author's own panel measurements, "
        "published with the code at https://github.com/karlesmarin/tafagent (data/).",
    },
    "taf-agent": {
        "label": "TAF Agent module",
        "authors": "Carles Marin",
        "title": "TAF Agent: python/taf_browser.py (GPU_CATALOG, API_PRICING, PRESETS tables)",
        "year": 2026,
        "venue": "software repository (GitHub), v0.5.3 of 2026-05-02",
        "url": "https://github.com/karlesmarin/tafagent/blob/main/python/taf_browser.py",
        "note": "The tables as that module records them; rows here keep its numbers and name the vendor page to "
        "re-check.",
    },
    "hoffmann2022": {
        "label": "Hoffmann et al. 2022",
        "authors": "Jordan Hoffmann, Sebastian Borgeaud, Arthur Mensch, et al.",
        "title": "Training Compute-Optimal Large Language Models",
        "year": 2022,
        "venue": "NeurIPS 2022",
        "arxiv": "2203.15556",
        "url": "https://arxiv.org/abs/2203.15556",
        "note": "Chinchilla: about 20 training tokens per parameter is compute-optimal.",
    },
    "kaplan2020": {
        "label": "Kaplan et al. 2020",
        "authors": "Jared Kaplan, Sam McCandlish, Tom Henighan, et al.",
        "title": "Scaling Laws for Neural Language Models",
        "year": 2020,
        "venue": "arXiv preprint",
        "arxiv": "2001.08361",
        "url": "https://arxiv.org/abs/2001.08361",
        "note": "Training compute C ≈ 6·N·D FLOPs.",
    },
    "chen2021": {
        "label": "Chen et al. 2021",
        "authors": "Mark Chen, Jerry Tworek, Heewoo Jun, et al.",
        "title": "Evaluating Large Language Models Trained on Code",
        "year": 2021,
        "venue": "arXiv preprint",
        "arxiv": "2107.03374",
        "url": "https://arxiv.org/abs/2107.03374",
        "note": "The unbiased pass@k estimator 1 − C(n−c, k)/C(n, k).",
    },
    "wilson1927": {
        "label": "Wilson 1927",
        "authors": "Edwin B. Wilson",
        "title": "Probable Inference, the Law of Succession, and Statistical Inference",
        "year": 1927,
        "venue": "Journal of the American Statistical Association 22(158), 209–212",
        "doi": "10.1080/01621459.1927.10502953",
        "url": "https://doi.org/10.1080/01621459.1927.10502953",
        "note": "The Wilson score interval for a binomial proportion.",
    },
    "student1908": {
        "label": "Student 1908",
        "authors": "Student (William Sealy Gosset)",
        "title": "The Probable Error of a Mean",
        "year": 1908,
        "venue": "Biometrika 6(1), 1–25",
        "doi": "10.1093/biomet/6.1.1",
        "url": "https://doi.org/10.1093/biomet/6.1.1",
        "note": "Student's t distribution and the one-sample t-test.",
    },
    "floor-oracle": {
        "label": "floor_oracle",
        "authors": "gHashTag",
        "title": "floor_oracle — a tiny deterministic scale-gap / eval-power calculator",
        "year": 2026,
        "venue": "GitHub gist (software, Apache-2.0), 2026-06-14; unpublished otherwise",
        "url": "https://gist.github.com/gHashTag/5329efee1f6af8fb8e9694546600158b",
        "note": "The exact parameter law 776·d + L·(12·d² + 2·d), the published-floor table and the "
        "no-fabrication rule for capability fields.",
    },
    "aprender-1708": {
        "label": "aprender PR #1708",
        "authors": "Noah Gift",
        "title": "feat(pretrain): Chinchilla compute-optimal gate warning (pull request #1708 and its audit)",
        "year": 2026,
        "venue": "GitHub pull request, paiml/aprender, merged 2026-05-16",
        "url": "https://github.com/paiml/aprender/pull/1708",
        "note": "D = steps × batch × seq against 20·N; SEVERE below 5·N; the audit asks for a hard block "
        "below 10·N. The 5 and 10 thresholds are engineering choices, not published results.",
    },
    "parameter-golf": {
        "label": "parameter-golf PR #1394",
        "authors": "clarkkev and the OpenAI parameter-golf participants",
        "title": "Record: SP8192 + GPTQ Embeddings + Depth Recurrence + MuonEq-R + SDClip — val_bpb 1.08563 "
        "(pull request #1394 and the record claims that follow it)",
        "year": 2026,
        "venue": "GitHub pull request, openai/parameter-golf",
        "url": "https://github.com/openai/parameter-golf/pull/1394",
        "note": "The 16,000,000-byte artifact budget, per-seed val_bpb, nats per token and the 0.005-nat record "
        "bar; the clipped-Gaussian entropy estimate H ≈ b − log2 k + ½·log2(πe/2) used for SDClip.",
    },
    "tiny-model-ground-truth": {
        "label": "tiny-model-ground-truth",
        "authors": "Pragmatic AI Labs (paiml)",
        "title": "tiny-model-ground-truth: Popperian parity checks for model conversions and runtimes "
        "(CLAIMS.md: pre-registered claims)",
        "year": 2026,
        "venue": "GitHub repository (software)",
        "url": "https://github.com/paiml/tiny-model-ground-truth",
        "note": "Pre-registered mismatch bounds: Int4 ≤ 5/32 tokens, Int8 ≤ 3/32, drift Int8 ≤ Int4 + 1.",
    },
    "tinycodelm": {
        "label": "Piterbarg et al. 2024",
        "authors": "Ulyana Piterbarg, Lerrel Pinto, Rob Fergus",
        "title": "Training Language Models on Synthetic Edit Sequences Improves Code Synthesis",
        "year": 2024,
        "venue": "arXiv preprint (ICLR 2025)",
        "arxiv": "2410.02749",
        "url": "https://arxiv.org/abs/2410.02749",
        "note": "TinyCodeLM-150M and -400M HumanEval pass@1.",
    },
    "phi1": {
        "label": "Gunasekar et al. 2023",
        "authors": "Suriya Gunasekar, Yi Zhang, Jyoti Aneja, et al.",
        "title": "Textbooks Are All You Need",
        "year": 2023,
        "venue": "arXiv preprint",
        "arxiv": "2306.11644",
        "url": "https://arxiv.org/abs/2306.11644",
        "note": "phi-1-small (350M) HumanEval pass@1.",
    },
    "smollm2": {
        "label": "Ben Allal et al. 2025",
        "authors": "Loubna Ben Allal, Anton Lozhkov, Elie Bakouch, et al.",
        "title": "SmolLM2: When Smol Goes Big — Data-Centric Training of a Small Language Model",
        "year": 2025,
        "venue": "arXiv preprint",
        "arxiv": "2502.02737",
        "url": "https://arxiv.org/abs/2502.02737",
        "note": "SmolLM-135M HumanEval pass@1 as reported there.",
    },
    "hf-config": {
        "label": "Hugging Face config.json",
        "authors": "Hugging Face",
        "title": "Transformers model configuration (config.json) and the modelling code that reads it",
        "year": 2026,
        "venue": "software documentation",
        "url": "https://huggingface.co/docs/transformers/main_classes/configuration",
        "note": "Field meanings (hidden_size, num_key_value_heads, rope_theta, tie_word_embeddings, …).",
    },
    # vendor pages the API price rows name (re-check there: prices change often)
    "openai-pricing": {
        "label": "OpenAI API pricing",
        "authors": "OpenAI",
        "title": "API pricing",
        "year": 2026,
        "venue": "vendor web page",
        "url": "https://openai.com/api/pricing/",
    },
    "anthropic-pricing": {
        "label": "Anthropic API pricing",
        "authors": "Anthropic",
        "title": "Claude API pricing",
        "year": 2026,
        "venue": "vendor web page",
        "url": "https://www.anthropic.com/pricing#api",
    },
    "google-pricing": {
        "label": "Gemini API pricing",
        "authors": "Google",
        "title": "Gemini Developer API pricing",
        "year": 2026,
        "venue": "vendor web page",
        "url": "https://ai.google.dev/gemini-api/docs/pricing",
    },
    "deepseek-pricing": {
        "label": "DeepSeek API pricing",
        "authors": "DeepSeek",
        "title": "Models & Pricing",
        "year": 2026,
        "venue": "vendor web page",
        "url": "https://api-docs.deepseek.com/quick_start/pricing",
    },
    "together-pricing": {
        "label": "Together AI pricing",
        "authors": "Together AI",
        "title": "Serverless inference pricing",
        "year": 2026,
        "venue": "vendor web page",
        "url": "https://www.together.ai/pricing",
    },
    # ── planner: training memory (T-1) and serving speed (S-2) ───────────────────────────
    "rajbhandari2020": {
        "label": "Rajbhandari et al. 2020",
        "authors": "Samyam Rajbhandari, Jeff Rasley, Olatunji Ruwase, Yuxiong He",
        "title": "ZeRO: Memory Optimizations Toward Training Trillion Parameter Models",
        "year": 2020,
        "venue": "SC20",
        "arxiv": "1910.02054",
        "url": "https://arxiv.org/abs/1910.02054",
        "note": "Mixed-precision Adam holds 2 + 2 + 12 bytes per parameter (§3.1); ZeRO stages 1/2/3 shard optimizer "
        "states, gradients and parameters (§5).",
    },
    "hu2021": {
        "label": "Hu et al. 2021",
        "authors": "Edward J. Hu, Yelong Shen, Phillip Wallis, et al.",
        "title": "LoRA: Low-Rank Adaptation of Large Language Models",
        "year": 2021,
        "venue": "ICLR 2022",
        "arxiv": "2106.09685",
        "url": "https://arxiv.org/abs/2106.09685",
        "note": "An adapter of rank r on a d_out × d_in matrix has r·(d_in + d_out) parameters.",
    },
    "peft": {
        "label": "PEFT LoRA guide",
        "authors": "Hugging Face",
        "title": "PEFT: LoRA developer guide (target_modules='all-linear')",
        "year": 2026,
        "venue": "software documentation",
        "url": "https://huggingface.co/docs/peft/developer_guides/lora",
        "note": "'all-linear' targets every linear layer except the output layer.",
    },
    "dettmers2023": {
        "label": "Dettmers et al. 2023",
        "authors": "Tim Dettmers, Artidoro Pagnoni, Ari Holtzman, Luke Zettlemoyer",
        "title": "QLoRA: Efficient Finetuning of Quantized LLMs",
        "year": 2023,
        "venue": "NeurIPS 2023",
        "arxiv": "2305.14314",
        "url": "https://arxiv.org/abs/2305.14314",
        "note": "NF4 with double quantisation: 4 bits + 0.127 bits of scales per parameter (§3).",
    },
    "dettmers2022": {
        "label": "Dettmers et al. 2022",
        "authors": "Tim Dettmers, Mike Lewis, Sam Shleifer, Luke Zettlemoyer",
        "title": "8-bit Optimizers via Block-wise Quantization",
        "year": 2022,
        "venue": "ICLR 2022",
        "arxiv": "2110.02861",
        "url": "https://arxiv.org/abs/2110.02861",
        "note": "Adam states in 8 bits with block-wise (2,048) fp32 scales.",
    },
    "shazeer2018": {
        "label": "Shazeer & Stern 2018",
        "authors": "Noam Shazeer, Mitchell Stern",
        "title": "Adafactor: Adaptive Learning Rates with Sublinear Memory Cost",
        "year": 2018,
        "venue": "ICML 2018",
        "arxiv": "1804.04235",
        "url": "https://arxiv.org/abs/1804.04235",
        "note": "Factored second moment: a row and a column vector per matrix.",
    },
    "korthikanti2022": {
        "label": "Korthikanti et al. 2022",
        "authors": "Vijay Korthikanti, Jared Casper, Sangkug Lym, et al.",
        "title": "Reducing Activation Recomputation in Large Transformer Models",
        "year": 2022,
        "venue": "MLSys 2023",
        "arxiv": "2205.05198",
        "url": "https://arxiv.org/abs/2205.05198",
        "note": "Activation memory per layer, 34·s·b·h + 5·a·s²·b bytes for a GPT layer (§4.1), re-derived here "
        "tensor by tensor for gated-MLP / GQA layers.",
    },
    "pytorch-cuda-memory": {
        "label": "PyTorch CUDA memory notes",
        "authors": "PyTorch",
        "title": "CUDA semantics: memory management (caching allocator)",
        "year": 2026,
        "venue": "software documentation",
        "url": "https://pytorch.org/docs/stable/notes/cuda.html#memory-management",
        "note": "The CUDA context and the caching allocator's reserve come on top of the tensors.",
    },
    "llama3-2024": {
        "label": "Llama Team 2024",
        "authors": "Llama Team, AI @ Meta",
        "title": "The Llama 3 Herd of Models",
        "year": 2024,
        "venue": "arXiv preprint",
        "arxiv": "2407.21783",
        "url": "https://arxiv.org/abs/2407.21783",
        "note": "38–43 % BF16 model-FLOPs utilisation on H100 (§3.3.4): the default MFU / η_flops here.",
    },
    "williams2009": {
        "label": "Williams et al. 2009",
        "authors": "Samuel Williams, Andrew Waterman, David Patterson",
        "title": "Roofline: An Insightful Visual Performance Model for Multicore Architectures",
        "year": 2009,
        "venue": "Communications of the ACM 52(4)",
        "doi": "10.1145/1498765.1498785",
        "url": "https://doi.org/10.1145/1498765.1498785",
        "note": "A kernel takes the longer of its memory time and its compute time.",
    },
    "shoeybi2019": {
        "label": "Shoeybi et al. 2019",
        "authors": "Mohammad Shoeybi, Mostofa Patwary, Raul Puri, et al.",
        "title": "Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism",
        "year": 2019,
        "venue": "arXiv preprint",
        "arxiv": "1909.08053",
        "url": "https://arxiv.org/abs/1909.08053",
        "note": "Tensor parallelism: two all-reduces per transformer layer (§3).",
    },
    "patarasuk2009": {
        "label": "Patarasuk & Yuan 2009",
        "authors": "Pitch Patarasuk, Xin Yuan",
        "title": "Bandwidth optimal all-reduce algorithms for clusters of workstations",
        "year": 2009,
        "venue": "Journal of Parallel and Distributed Computing 69(2)",
        "doi": "10.1016/j.jpdc.2008.09.002",
        "url": "https://doi.org/10.1016/j.jpdc.2008.09.002",
        "note": "Ring all-reduce: each node sends and receives 2·(n−1)/n of the message.",
    },
    "gpustack-qwen3-8b": {
        "label": "GPUStack Qwen3-8B on H100",
        "authors": "GPUStack",
        "title": "Optimizing Qwen3-8B Latency on NVIDIA H100 GPUs (performance lab)",
        "year": 2025,
        "venue": "software documentation (GitHub)",
        "url": "https://github.com/gpustack/gpustack/blob/1dbc3b8130da92d31539404545a1aff5c3992f8c/docs/"
        "performance-lab/qwen3-8b/h100-latency.md",
        "note": "vLLM / SGLang / TensorRT-LLM serving benchmarks (TPOT, throughput) used to derive and test S-2.",
    },
    "llama-cpp-bench": {
        "label": "llama.cpp llama-bench tables",
        "authors": "ggml-org / Johannes Gäßler",
        "title": "CUDA performance tables in llama.cpp pull requests",
        "year": 2025,
        "venue": "software repository (GitHub)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/15802",
        "note": "llama-bench t/s on consumer GPUs (PRs #15802, #17505, #7676) used to derive and test S-2.",
    },
    # serving engines and formats (S-1): the source files whose rules the memory models follow
    "llama-cpp": {
        "label": "llama.cpp",
        "authors": "ggml-org and contributors",
        "title": "llama.cpp: src/llama-quant.cpp (per-tensor quantisation types), ggml/src/ggml-common.h (block "
        "sizes), llama-server",
        "year": 2026,
        "venue": "software repository (GitHub), commit 007dbbf3fd17eefe9b47fee45f48f7ba5e62b714",
        "url": "https://github.com/ggml-org/llama.cpp/blob/007dbbf3fd17eefe9b47fee45f48f7ba5e62b714/src/llama-quant.cpp",
        "note": "llama_tensor_get_type_impl / tensor_type_fallback: which GGML type each tensor of a K-quant mix gets.",
    },
    "vllm": {
        "label": "vLLM",
        "authors": "vLLM project",
        "title": "vLLM: gpu_worker.determine_available_memory (KV pool), EngineArgs.get_batch_defaults",
        "year": 2026,
        "venue": "software repository (GitHub)",
        "url": "https://github.com/vllm-project/vllm/blob/main/vllm/engine/arg_utils.py",
        "note": "gpu_memory_utilization × memory − weights − profiled activation peak − non-torch memory = KV pool, "
        "in blocks of 16 tokens; max_num_batched_tokens 8,192 (≥ 70 GiB, not A100) else 2,048.",
    },
    "sglang": {
        "label": "SGLang",
        "authors": "SGLang project",
        "title": "SGLang: server_args.py (mem_fraction_static), model_runner.profile_max_num_token",
        "year": 2026,
        "venue": "software repository (GitHub)",
        "url": "https://github.com/sgl-project/sglang/blob/main/python/sglang/srt/server_args.py",
    },
    "hf-transformers": {
        "label": "transformers",
        "authors": "Hugging Face",
        "title": "transformers generate() with DynamicCache; bitsandbytes / AWQ / GPTQ quantizers",
        "year": 2026,
        "venue": "software documentation",
        "url": "https://huggingface.co/docs/transformers/main/en/quantization/overview",
    },
    "accelerator-datasheets": {
        "label": "vendor datasheets",
        "authors": "NVIDIA, AMD, Intel, Apple",
        "title": "Accelerator datasheets and product pages (memory, bandwidth, peak compute)",
        "year": 2026,
        "venue": "vendor web pages (each catalog row names its own page)",
        "url": "https://www.nvidia.com/en-us/data-center/h100/",
        "note": "Each row of taf/data/accelerators.py carries the page it was read from and the date checked.",
    },
}

#: the prefix of a TAF section number; a step whose section starts with it cites ``taf``
TAF_SECTION_PREFIX = "§"


def reference(key: str) -> dict:
    """The full reference for ``key`` (a copy); ``KeyError`` names the unknown key."""
    try:
        entry = REFERENCES[key]
    except KeyError:
        raise KeyError(f"unknown citation key {key!r}; known: {', '.join(sorted(REFERENCES))}") from None
    return dict(entry)


def label(key: str) -> str:
    """The short form of a reference ("Wilson 1927")."""
    return reference(key)["label"]


def references_for(keys) -> dict:
    """``{key: reference}`` for each key in ``keys`` in first-use order (duplicates once)."""
    out: dict[str, dict] = {}
    for key in keys:
        if key not in out:
            out[key] = reference(key)
    return out
