"""Developer tool: count every config fixture as Hugging Face ``transformers`` builds it → a golden file.

Not part of the package, not run in CI (it needs torch and transformers). Rerun it in a throwaway
virtual environment with the CPU build of torch:

    python3 -m venv /tmp/tfvenv
    /tmp/tfvenv/bin/pip install torch==2.13.0 transformers accelerate   # CPU torch (a local wheel is fine)
    /tmp/tfvenv/bin/python tools/transformers_golden.py                  # writes tests/fixtures/configs/transformers_golden.json
    /tmp/tfvenv/bin/python tools/transformers_golden.py qwen3-8b gpt2    # print some fixtures, write nothing
    /tmp/tfvenv/bin/python tools/transformers_golden.py --update gpt2    # recount some fixtures in the golden file
    /tmp/tfvenv/bin/python tools/transformers_golden.py --write-class-defaults   # (re)write the defaults fixtures
    /tmp/tfvenv/bin/python tools/transformers_golden.py --write-derived          # only the DERIVED ones

``--write-class-defaults`` writes ``transformers-defaults-<family>.json``: the config.json transformers itself
writes for a config class's defaults (``XConfig().to_json_string(use_diff=False)``), for families no public
repository vendored a real config of (OPT, BLOOM, Mamba, Mamba-2, Jamba, DBRX, OLMoE, Cohere). They test the
reader's class defaults and layouts; they are not released models.

For each ``tests/fixtures/configs/<slug>.json`` it loads the config with ``AutoConfig`` (or, when the
``model_type`` is unknown to transformers, with the config class of the transformers model named in
``architectures``), builds the model on the meta device (``with torch.device("meta"):
AutoModelForCausalLM.from_config(cfg)``; the image-text-to-text class for multimodal configs) and counts:

* ``total`` — ``sum(p.numel() for p in model.parameters())`` (tied weights once). For a multimodal
  model only the language model and its head are counted (the text part; the vision tower and
  projector are not);
* ``embedding`` — parameters of every ``nn.Embedding`` of the language model (token and learned
  position tables) plus the output head when it is not tied to the input embedding;
* ``active`` — parameters one token uses: every parameter except routed experts, plus top_k/E of
  each routed-expert tensor (a parameter under a module named ``experts``, as transformers lays
  them out, fused 3-D tensors or a list of experts alike); equals ``total`` for dense models;
* ``kv_bytes_per_token`` — bf16 (2 bytes) K/V cache elements one token adds across all attention
  layers, read from the built attention modules: ``k_proj.out_features + v_proj.out_features``;
  a layer whose one projection serves as K and V (Gemma 4 ``attention_k_eq_v``) caches both, 2 × k_proj;
  a layer that reuses an earlier layer's K/V (Gemma 4 KV sharing) caches nothing;
  MLA layers cache the latent ``kv_a_proj_with_mqa.out_features`` (kv_lora_rank + qk_rope_head_dim,
  the convention of vLLM/SGLang; transformers' eager cache stores decompressed K/V instead); fused
  projections use the module's KV heads × head dim. Sliding-window layers count here too (their
  cap is the window, recorded per layer); state-space and linear-attention layers add no KV.
  DeepSeek-V4 (the convention of transformers' DeepseekV4HCACache/CSACache and of vLLM's
  DeepseekV4SWACache + MLAAttentionSpec(compress_ratio)): every layer keeps a window of one K = V
  entry of ``kv_proj.out_features`` per token (stored once), and a CSA / HCA layer adds one compressed
  entry of ``compressor.head_dim`` (+ ``indexer.head_dim`` on CSA) per ``compress_rate`` tokens: per
  token = window entry + entry / rate (kind ``compressed``, with window, compress_ratio,
  compressed_elements per layer);
* ``layers`` — per layer: kind (full / sliding / chunked / mla / linear / ssm), window, KV elements
  per token;
* ``buffers`` — persistent buffers that checkpoints carry but ``parameters()`` excludes (e.g.
  DeepSeek's ``e_score_correction_bias``), counted separately; rotary ``inv_freq`` and masks are
  non-persistent and not listed.

A family this transformers version cannot build gets ``{"error": reason}`` instead of numbers.
"""
from __future__ import annotations

import datetime
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import torch
import transformers
from torch import nn

CONFIGS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "configs"
GOLDEN = CONFIGS / "transformers_golden.json"
SKIP = {"MANIFEST", "transformers_golden"}
#: fixtures transformers builds but tests/test_transformers_golden.py does not compare, and why (kept in the golden)
NOT_COMPARED = {
    "phi-1.5": "config in the old remote-code 'phi-msft' format (n_embd, n_layer, ...): transformers' PhiConfig "
               "ignores those keys and builds its own defaults, so the golden is not this model",
    "phi-2": "config in the old remote-code 'phi-msft' format (n_embd, n_layer, ...): transformers' PhiConfig "
             "ignores those keys and builds its own defaults, so the golden is not this model",
}
EXPERTS = re.compile(r"(^|\.)experts(\.|$)")
BYTES_PER_ELEMENT = 2


def load_config(raw: dict):
    """AutoConfig from the dict; else the config class of the model class named in ``architectures``.

    ``auto_map`` (remote code) is dropped: the count is of transformers' own implementation.
    """
    raw = {k: v for k, v in raw.items() if k != "auto_map"}
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "config.json").write_text(json.dumps(raw))
        try:
            return transformers.AutoConfig.from_pretrained(tmp, trust_remote_code=False), "AutoConfig"
        except (ValueError, KeyError) as exc:
            for arch in raw.get("architectures") or []:
                cls = getattr(transformers, arch, None)
                if cls is not None and getattr(cls, "config_class", None) is not None:
                    data = {k: v for k, v in raw.items() if k not in ("model_type", "auto_map")}
                    return cls.config_class(**data), f"{arch}.config_class"
            raise ValueError(f"transformers {transformers.__version__} has no config class for model_type "
                             f"{raw.get('model_type')!r} nor for architectures {raw.get('architectures')}: {exc}")


def build(cfg, raw: dict):
    """The model on the meta device, by the first Auto class that accepts the config."""
    errors = []
    arch_cls = None
    for arch in raw.get("architectures") or []:
        arch_cls = getattr(transformers, arch, None)
        if arch_cls is not None:
            break
    attempts = [("AutoModelForCausalLM", transformers.AutoModelForCausalLM.from_config),
                ("AutoModelForImageTextToText", transformers.AutoModelForImageTextToText.from_config)]
    if arch_cls is not None:
        attempts.append((arch_cls.__name__, arch_cls._from_config))
    for name, make in attempts:
        try:
            with torch.device("meta"):
                return make(cfg), name
        except Exception as exc:  # noqa: BLE001 — recorded, then the next class is tried
            errors.append(f"{name}: {type(exc).__name__}: {str(exc)[:200]}")
    raise RuntimeError("; ".join(errors))


def language_model(model):
    """(the text decoder module, the output head or None) of a causal or multimodal model."""
    inner = getattr(model, "model", None)
    for name in ("language_model", "text_model"):
        if inner is not None and isinstance(getattr(inner, name, None), nn.Module):
            return getattr(inner, name), model.get_output_embeddings()
    return model, None


def unique_params(module) -> dict:
    seen, out = set(), {}
    for name, p in module.named_parameters():
        if id(p) not in seen:
            seen.add(id(p))
            out[name] = p
    return out


def text_config(cfg):
    sub = getattr(cfg, "get_text_config", None)
    return sub() if sub else cfg


def first_attr(obj, names, default=None):
    for n in names:
        v = getattr(obj, n, None)
        if v is not None:
            return v
    return default


def moe_shape(tc) -> tuple[int, int] | None:
    e = first_attr(tc, ("num_local_experts", "num_experts", "n_routed_experts", "moe_num_experts", "num_moe_experts"))
    if e is None and getattr(tc, "ffn_config", None) is not None:
        fc = tc.ffn_config
        e = first_attr(fc, ("moe_num_experts",)) if not isinstance(fc, dict) else fc.get("moe_num_experts")
        k = first_attr(fc, ("moe_top_k",)) if not isinstance(fc, dict) else fc.get("moe_top_k")
        return (e, k) if e else None
    k = first_attr(tc, ("num_experts_per_tok", "num_experts_per_token", "moe_top_k", "top_k", "experts_per_token",
                        "top_k_experts"))
    return (e, k) if e and k else None


def decoder_layers(lm):
    for path in ("layers", "model.layers", "h", "transformer.h", "decoder.layers", "model.decoder.layers",
                 "gpt_neox.layers", "blocks", "backbone.layers", "transformer.blocks"):
        obj = lm
        for part in path.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                break
        if isinstance(obj, nn.ModuleList):
            return obj
    raise RuntimeError("no decoder layer list found")


def attention_kv(layer, tc) -> tuple[str, int] | None:
    """(kind, KV elements per token) of one decoder layer's attention, None for a layer without KV."""
    for mod_name, mod in layer.named_modules():
        if mod is layer:
            continue
        kv_a = getattr(mod, "kv_a_proj_with_mqa", None)
        if isinstance(kv_a, nn.Linear):
            return "mla", kv_a.out_features
        if getattr(mod, "is_kv_shared_layer", False):  # Gemma 4: reuses an earlier layer's K/V, caches nothing
            return "attention", 0
        k, v = getattr(mod, "k_proj", None), getattr(mod, "v_proj", None)
        if isinstance(k, nn.Linear) and isinstance(v, nn.Linear) and "linear_attn" not in mod_name:
            return "attention", k.out_features + v.out_features
        if isinstance(k, nn.Linear) and v is None and hasattr(mod, "v_proj") and "linear_attn" not in mod_name:
            # one projection serves as K and V (Gemma 4 attention_k_eq_v): the cache still keeps both tensors
            return "attention", 2 * k.out_features
        for fused in ("qkv_proj", "query_key_value", "c_attn", "Wqkv", "qkv"):
            if isinstance(getattr(mod, fused, None), (nn.Linear, transformers.pytorch_utils.Conv1D)):
                heads = first_attr(mod, ("num_heads", "num_attention_heads", "n_head"),
                                   first_attr(tc, ("num_attention_heads", "n_head")))
                kv = first_attr(mod, ("num_key_value_heads", "num_kv_heads", "kv_heads", "n_kv_heads"))
                if kv is None:
                    kv = first_attr(tc, ("num_key_value_heads", "num_kv_heads"), heads)
                hd = first_attr(mod, ("head_dim", "head_size"), None)
                if hd is None:
                    hidden = first_attr(tc, ("hidden_size", "n_embd", "d_model"))
                    hd = hidden // heads
                return "attention", 2 * kv * hd
    return None


def compressed_kv(layer) -> dict | None:
    """DeepSeek-V4 attention: its sliding window of one K = V entry (kv_proj, stored once: the cache's values
    are its keys) and, with a compressor, one compressed entry (head_dim, + the indexer's) per compress_rate."""
    attn = getattr(layer, "self_attn", None)
    if attn is None or not hasattr(attn, "compressor") or not isinstance(getattr(attn, "kv_proj", None), nn.Linear):
        return None
    row = {"kind": "sliding", "kv_elements_per_token": attn.kv_proj.out_features, "window": attn.sliding_window}
    comp = attn.compressor
    if comp is not None:
        indexer = getattr(comp, "indexer", None)
        row.update(kind="compressed", compress_ratio=comp.compress_rate,
                   compressed_elements=comp.head_dim + (indexer.head_dim if indexer is not None else 0))
    return row


def layer_table(lm, tc) -> list[dict]:
    types = list(getattr(tc, "layer_types", None) or [])
    out = []
    for i, layer in enumerate(decoder_layers(lm)):
        compressed = compressed_kv(layer)
        if compressed is not None:
            out.append(compressed)
            continue
        kv = attention_kv(layer, tc)
        lt = types[i] if i < len(types) else None
        window = None
        if kv is None:
            kind = "linear" if lt in ("linear_attention",) or any("linear_attn" in n for n, _ in layer.named_modules()) \
                else "ssm"
            out.append({"kind": kind, "kv_elements_per_token": 0})
            continue
        kind, elements = kv
        if kind != "mla":
            kind = "full"
            if lt in ("sliding_attention",):
                kind, window = "sliding", getattr(tc, "sliding_window", None)
            elif lt in ("chunked_attention",):
                kind, window = "chunked", getattr(tc, "attention_chunk_size", None)
        row = {"kind": kind, "kv_elements_per_token": elements}
        if window is not None:
            row["window"] = window
        out.append(row)
    return out


def count(slug: str) -> dict:
    raw = json.loads((CONFIGS / f"{slug}.json").read_text())
    cfg, how = load_config(raw)
    model, auto = build(cfg, raw)
    lm, head = language_model(model)
    params = unique_params(lm)
    if head is not None and all(head.weight is not p for p in params.values()):
        params["lm_head.weight"] = head.weight
    total = sum(p.numel() for p in params.values())
    emb_ids = {id(m.weight) for m in lm.modules() if isinstance(m, nn.Embedding)}
    out_emb = model.get_output_embeddings()
    embedding = sum(p.numel() for p in params.values() if id(p) in emb_ids)
    if out_emb is not None and id(out_emb.weight) not in emb_ids and any(out_emb.weight is p for p in params.values()):
        embedding += out_emb.weight.numel()
    tc = text_config(cfg)
    moe = moe_shape(tc)
    expert = sum(p.numel() for n, p in params.items() if EXPERTS.search(n))
    if expert:
        if moe is None:
            raise RuntimeError("expert tensors found but no expert count / top-k in the config")
        e, k = moe
        inactive = expert * (e - k)
        if inactive % e:
            raise RuntimeError(f"expert parameters {expert} not divisible by {e} experts")
        active = total - inactive // e
    else:
        active = total
    layers = layer_table(lm, tc)
    kv = sum(r["kv_elements_per_token"] + r.get("compressed_elements", 0) / r.get("compress_ratio", 1)
             for r in layers) * BYTES_PER_ELEMENT
    kv = int(kv) if float(kv).is_integer() else kv
    buffers = {}
    persistent = dict(lm.named_buffers())
    non_persistent = set()
    for mod_name, mod in lm.named_modules():
        for b in getattr(mod, "_non_persistent_buffers_set", ()):
            non_persistent.add(f"{mod_name}.{b}" if mod_name else b)
    for name, b in persistent.items():
        if name not in non_persistent:
            key = re.sub(r"\.\d+\.", ".*.", name)
            buffers[key] = buffers.get(key, 0) + b.numel()
    return {"total": total, "embedding": embedding, "active": active, "kv_bytes_per_token": kv,
            "expert_params": expert, "moe": {"n_experts": moe[0], "top_k": moe[1]} if expert else None,
            "buffers": buffers, "class": type(model).__name__, "built_by": auto, "config_by": how,
            "layers": layers}


#: family → transformers config class whose defaults become a fixture (see --write-class-defaults)
CLASS_DEFAULTS = {"opt": "OPTConfig", "bloom": "BloomConfig", "mamba": "MambaConfig", "mamba2": "Mamba2Config",
                  "jamba": "JambaConfig", "dbrx": "DbrxConfig", "olmoe": "OlmoeConfig", "cohere": "CohereConfig"}


#: fixtures derived from a real one by leaving keys to the config class (tests the reader's class defaults)
#: (a dotted key names a key inside a nested object, e.g. text_config.head_dim)
DERIVED = {"gemma-3-1b-it-class-defaults": ("gemma-3-1b-it", ["num_attention_heads", "num_key_value_heads", "head_dim",
                                                              "vocab_size", "sliding_window_pattern"]),
           "gemma-4-26b-a4b-class-defaults": ("gemma-4-26b-a4b", [
               "text_config.global_head_dim", "text_config.hidden_size_per_layer_input",
               "text_config.vocab_size_per_layer_input", "text_config.sliding_window", "text_config.layer_types"]),
           "mimo-v2-flash-class-defaults": ("mimo-v2-flash", [
               "head_dim", "v_head_dim", "hybrid_layer_pattern", "moe_layer_freq", "sliding_window",
               "sliding_window_size", "swa_num_key_value_heads", "swa_head_dim", "swa_v_head_dim",
               "add_swa_attention_sink_bias", "add_full_attention_sink_bias"]),
           "deepseek-v4-flash-class-defaults": ("deepseek-v4-flash", [
               "compress_ratios", "num_hash_layers", "o_groups", "o_lora_rank", "index_n_heads", "index_head_dim",
               "hc_mult", "sliding_window", "n_shared_experts"])}

#: variants of a real config with some keys set, for layouts no released fixture shows (not released models)
VARIANTS = {"gemma-4-26b-a4b-kv-shared-variant": ("gemma-4-26b-a4b", {
    "text_config.num_kv_shared_layers": 10, "text_config.use_double_wide_mlp": True,
    "text_config.attention_k_eq_v": False, "text_config.hidden_size_per_layer_input": 256})}


def _at(raw: dict, dotted: str) -> tuple[dict, str]:
    """(the object holding a dotted key, its last part)."""
    *path, last = dotted.split(".")
    for part in path:
        raw = raw[part]
    return raw, last


def write_class_defaults(derived_only: bool = False) -> None:
    manifest_path = CONFIGS / "MANIFEST.json"
    manifest = json.loads(manifest_path.read_text())
    for family, cls_name in ({} if derived_only else CLASS_DEFAULTS).items():
        cls = getattr(transformers, cls_name)
        cfg = cls()
        cfg.architectures = [cls_name.replace("Config", "ForCausalLM")]
        slug = f"transformers-defaults-{family}"
        (CONFIGS / f"{slug}.json").write_text(cfg.to_json_string(use_diff=False))
        like = re.search(r"similar configuration to that of\s+(?:the\s+)?\[([^\]]+)\]", " ".join((cls.__doc__ or "").split()))
        manifest[slug] = {"hf_id": None, "like": like.group(1) if like else None,
                          "repo": f"pypi:transformers=={transformers.__version__}",
                          "path": f"{cls.__module__.replace('.', '/')}.py ({cls_name}() defaults, to_json_string)",
                          "commit": None, "checked": datetime.date.today().isoformat(),
                          "note": "written by transformers from its config class defaults; not a released model"}
        print("wrote", slug)
    derived = {slug: (base, {k: None for k in keys}) for slug, (base, keys) in DERIVED.items()}
    for slug, (base, changes) in {**derived, **VARIANTS}.items():
        raw = json.loads((CONFIGS / f"{base}.json").read_text())
        for key, value in changes.items():
            obj, last = _at(raw, key)
            if value is None:
                obj.pop(last, None)
            else:
                obj[last] = value
        (CONFIGS / f"{slug}.json").write_text(json.dumps(raw, indent=2) + "\n")
        note = (f"{base} with {', '.join(changes)} removed, left to the config class defaults" if slug in derived
                else f"{base} with {', '.join(f'{k} = {json.dumps(v)}' for k, v in changes.items())} set: a variant "
                     "for a layout no released fixture shows, not a released model")
        manifest[slug] = {"hf_id": None, "derived_from": base, "repo": manifest[base]["repo"],
                          "path": manifest[base]["path"], "commit": manifest[base]["commit"],
                          "checked": datetime.date.today().isoformat(), "note": note}
        print("wrote", slug)
    manifest_path.write_text(json.dumps(dict(sorted(manifest.items())), indent=2, ensure_ascii=False) + "\n")


def update(slugs: list[str]) -> None:
    """Recount ``slugs`` and rewrite only their rows (and not_compared) in the golden file."""
    golden = json.loads(GOLDEN.read_text())
    for slug in slugs:
        try:
            golden["models"][slug] = count(slug)
        except Exception as exc:  # noqa: BLE001 — the reason goes into the golden file
            golden["models"][slug] = {"error": f"{type(exc).__name__}: {str(exc)[:600]}"}
        print("updated", slug, flush=True)
    golden["models"] = dict(sorted(golden["models"].items()))
    golden["not_compared"] = {k: v for k, v in NOT_COMPARED.items() if k in golden["models"]}
    golden["conventions"] = __doc__.split("counts:", 1)[1].split("A family this", 1)[0].strip()
    GOLDEN.write_text(json.dumps(golden, indent=1, sort_keys=False) + "\n")


def main(argv: list[str]) -> None:
    if argv in (["--write-class-defaults"], ["--write-derived"]):
        write_class_defaults(derived_only=argv == ["--write-derived"])
        return
    if argv[:1] == ["--update"]:
        update(argv[1:])
        return
    slugs = argv or sorted(p.stem for p in CONFIGS.glob("*.json") if p.stem not in SKIP)
    results = {}
    for slug in slugs:
        try:
            results[slug] = count(slug)
        except Exception as exc:  # noqa: BLE001 — the reason goes into the golden file
            results[slug] = {"error": f"{type(exc).__name__}: {str(exc)[:600]}"}
        r = results[slug]
        print(slug, r.get("error") or {k: r[k] for k in ("total", "embedding", "active", "kv_bytes_per_token")},
              flush=True)
    if argv:
        return
    golden = {
        "transformers_version": transformers.__version__,
        "torch_version": torch.__version__,
        "date": datetime.date.today().isoformat(),
        "command": "/tmp/tfvenv/bin/python tools/transformers_golden.py",
        "conventions": __doc__.split("counts:", 1)[1].split("A family this", 1)[0].strip(),
        "not_compared": {k: v for k, v in NOT_COMPARED.items() if k in results},
        "models": results,
    }
    GOLDEN.write_text(json.dumps(golden, indent=1, sort_keys=False) + "\n")
    print(f"wrote {GOLDEN} ({sum('error' not in r for r in results.values())} counted, "
          f"{sum('error' in r for r in results.values())} not built)")


if __name__ == "__main__":
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    main(sys.argv[1:])
