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
        "url": "https://zenodo.org/records/20314038",
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
        "label": "OpenAI API pricing", "authors": "OpenAI", "title": "API pricing", "year": 2026,
        "venue": "vendor web page", "url": "https://openai.com/api/pricing/",
    },
    "anthropic-pricing": {
        "label": "Anthropic API pricing", "authors": "Anthropic", "title": "Claude API pricing", "year": 2026,
        "venue": "vendor web page", "url": "https://www.anthropic.com/pricing#api",
    },
    "google-pricing": {
        "label": "Gemini API pricing", "authors": "Google", "title": "Gemini Developer API pricing", "year": 2026,
        "venue": "vendor web page", "url": "https://ai.google.dev/gemini-api/docs/pricing",
    },
    "deepseek-pricing": {
        "label": "DeepSeek API pricing", "authors": "DeepSeek", "title": "Models & Pricing", "year": 2026,
        "venue": "vendor web page", "url": "https://api-docs.deepseek.com/quick_start/pricing",
    },
    "together-pricing": {
        "label": "Together AI pricing", "authors": "Together AI", "title": "Serverless inference pricing",
        "year": 2026, "venue": "vendor web page", "url": "https://www.together.ai/pricing",
    },
    # serving engines and formats (S-1): the source files whose rules the memory models follow
    "llama-cpp": {
        "label": "llama.cpp", "authors": "ggml-org and contributors",
        "title": "llama.cpp: src/llama-quant.cpp (per-tensor quantisation types), ggml/src/ggml-common.h (block "
                 "sizes), llama-server",
        "year": 2026, "venue": "software repository (GitHub), commit 007dbbf3fd17eefe9b47fee45f48f7ba5e62b714",
        "url": "https://github.com/ggml-org/llama.cpp/blob/007dbbf3fd17eefe9b47fee45f48f7ba5e62b714/src/llama-quant.cpp",
        "note": "llama_tensor_get_type_impl / tensor_type_fallback: which GGML type each tensor of a K-quant mix gets.",
    },
    "vllm": {
        "label": "vLLM", "authors": "vLLM project",
        "title": "vLLM: gpu_worker.determine_available_memory (KV pool), EngineArgs.get_batch_defaults",
        "year": 2026, "venue": "software repository (GitHub)",
        "url": "https://github.com/vllm-project/vllm/blob/main/vllm/engine/arg_utils.py",
        "note": "gpu_memory_utilization × memory − weights − profiled activation peak − non-torch memory = KV pool, "
                "in blocks of 16 tokens; max_num_batched_tokens 8,192 (≥ 70 GiB, not A100) else 2,048.",
    },
    "sglang": {
        "label": "SGLang", "authors": "SGLang project",
        "title": "SGLang: server_args.py (mem_fraction_static), model_runner.profile_max_num_token",
        "year": 2026, "venue": "software repository (GitHub)",
        "url": "https://github.com/sgl-project/sglang/blob/main/python/sglang/srt/server_args.py",
    },
    "hf-transformers": {
        "label": "transformers", "authors": "Hugging Face",
        "title": "transformers generate() with DynamicCache; bitsandbytes / AWQ / GPTQ quantizers",
        "year": 2026, "venue": "software documentation",
        "url": "https://huggingface.co/docs/transformers/main/en/quantization/overview",
    },
    "accelerator-datasheets": {
        "label": "vendor datasheets", "authors": "NVIDIA, AMD, Intel, Apple",
        "title": "Accelerator datasheets and product pages (memory, bandwidth, peak compute)",
        "year": 2026, "venue": "vendor web pages (each catalog row names its own page)",
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
