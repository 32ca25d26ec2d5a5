"""The symbols the chains use, in plain words.

Each entry: ``symbol`` (as it is written in formulas), ``name``, ``meaning`` (one or two plain
sentences), optional ``unit`` and ``ref`` (a citation key of :mod:`taf.references`). A step lists
the glossary entries its name and formula use (``symbols``, found by :func:`symbols_in`), and a
result carries those entries (``glossary``), so the page and the markdown export can explain every
symbol where it appears.
"""

from __future__ import annotations

import re

#: entry id → entry; ``pattern`` (a regular expression) finds the symbol in a step's name or formula
GLOSSARY: dict[str, dict] = {
    "gamma": {
        "symbol": "γ",
        "name": "attention decay exponent",
        "meaning": "How fast attention weight falls with token distance d: weight ∝ d^−γ. Between 0 and 1 "
        "(Phase A) attention reaches a finite horizon; at γ ≥ 1 it concentrates locally, at γ ≤ 0 "
        "the positional signal has collapsed (Phase B).",
        "ref": "taf",
        "pattern": r"γ(?!_Padé)",
    },
    "gamma_pade": {
        "symbol": "γ_Padé",
        "name": "Padé estimate of γ",
        "meaning": "The closed-form γ from the RoPE base θ and the context length T: (2θ − T√2)/(2θ + T√2).",
        "ref": "taf",
        "pattern": r"γ_Padé",
    },
    "theta": {
        "symbol": "θ",
        "name": "RoPE base",
        "meaning": "The base of the rotary position embedding (rope_theta in config.json); larger θ rotates "
        "slower and reaches further.",
        "ref": "hf-config",
        "pattern": r"θ",
    },
    "delta": {
        "symbol": "δ",
        "name": "γ corrections",
        "meaning": "Empirical shifts added to γ_Padé (values in taf.formulas.attention): δ_GQA for grouped-query "
        "attention (replicates), δ_post-IH from 400 M parameters (exploratory), δ_SWA (disabled: fit "
        "on one model).",
        "ref": "taf",
        "pattern": r"δ",
    },
    "d_horizon": {
        "symbol": "d_horizon",
        "name": "attention horizon",
        "meaning": "The distance past which retrieval decays in the closed form, θ(1 − γ)√2/(1 + γ). With no δ "
        "correction it equals the context length itself (a tautology, not a prediction).",
        "unit": "tokens",
        "ref": "taf",
        "pattern": r"d_horizon|\bd_h\b|d_h_obs",
    },
    "L_NIAH": {
        "symbol": "L_NIAH^c",
        "name": "needle-in-a-haystack ceiling",
        "meaning": "2·d_horizon: the length at which the closed form puts a 50 % needle-retrieval rate.",
        "unit": "tokens",
        "ref": "taf",
        "pattern": r"L_NIAH",
    },
    "chi": {
        "symbol": "χ",
        "name": "susceptibility",
        "meaning": "1/|γ − 1|: how sharply attention reacts near γ = 1, where it diverges.",
        "ref": "taf",
        "pattern": r"χ",
    },
    "P_hallucinate": {
        "symbol": "P_hallucinate",
        "name": "closed-form miss probability",
        "meaning": "The closed form's probability of missing a needle at length L; it inherits the d_horizon "
        "tautology when no δ applies.",
        "unit": "probability",
        "ref": "taf",
        "pattern": r"P_hallucinate",
    },
    "D_f": {
        "symbol": "D_f",
        "name": "KV window holding a fraction f of attention",
        "meaning": "The smallest window D whose d^−γ attention mass is at least f (90 %) of the mass over the "
        "whole context; defined for γ in [0.65, 0.85].",
        "unit": "tokens",
        "ref": "taf",
        "pattern": r"D_f\b",
    },
    "soft_decay_regime": {
        "symbol": "r",
        "name": "soft-decay regime ratio",
        "meaning": "d_horizon / (T_train/2): from 1.2 soft KV decay applies, from 0.8 it is borderline, below "
        "that a hard cutoff is safer.",
        "ref": "taf",
        "pattern": r"[Ss]oft-decay regime|r = d_h",
    },
    "T_train": {
        "symbol": "T_train",
        "name": "training context length",
        "meaning": "The context length the model was trained at (before any RoPE scaling).",
        "unit": "tokens",
        "ref": "hf-config",
        "pattern": r"T_train",
    },
    "T_eval": {
        "symbol": "T_eval",
        "name": "evaluation or serving length",
        "meaning": "The context length you want to serve or evaluate at.",
        "unit": "tokens",
        "pattern": r"T_eval",
    },
    "KV_cache": {
        "symbol": "KV cache",
        "name": "key/value cache",
        "meaning": "The keys and values of past tokens kept per layer while generating: "
        "2 · layers · KV heads · head size · tokens · bytes per element.",
        "unit": "bytes",
        "pattern": r"\bKV\b|B_kv|n_kv",
    },
    "GQA": {
        "symbol": "GQA",
        "name": "grouped-query attention",
        "meaning": "Several query heads share one key/value head (n_kv_heads < n_attention_heads), which "
        "shrinks the KV cache.",
        "pattern": r"GQA",
    },
    "SWA": {
        "symbol": "SWA",
        "name": "sliding-window attention",
        "meaning": "Layers that attend only to the last W tokens; their KV cache stops growing at W.",
        "pattern": r"SWA|[Ss]liding-window",
    },
    "MFU": {
        "symbol": "MFU",
        "name": "model FLOPs utilisation",
        "meaning": "The fraction of the GPU's peak compute a training run sustains (typically 0.3–0.6).",
        "pattern": r"MFU",
    },
    "chinchilla": {
        "symbol": "D = 20·N",
        "name": "Chinchilla compute-optimal tokens",
        "meaning": "About 20 training tokens per parameter minimise loss for a fixed compute budget.",
        "unit": "tokens",
        "ref": "hoffmann2022",
        "pattern": r"Chinchilla|20·N|D_opt|r·N",
    },
    "training_flops": {
        "symbol": "C = 6·N·D",
        "name": "training compute",
        "meaning": "Training FLOPs ≈ 6 × parameters × training tokens.",
        "unit": "FLOPs",
        "ref": "kaplan2020",
        "pattern": r"6·N·D|6 · N · D",
    },
    "IH": {
        "symbol": "IH",
        "name": "induction heads",
        "meaning": "Attention heads that copy a token seen after an earlier occurrence of the current one; "
        "the TAF panel places their formation around 400 M parameters.",
        "ref": "taf",
        "pattern": r"\bIH\b|post-IH|pre-IH|Δγ",
    },
    "K_invariant": {
        "symbol": "K",
        "name": "compute-context invariant",
        "meaning": "γ · ln(N² · D); the TAF panel of 22 models spreads as 51.2 ± 16.8.",
        "ref": "taf",
        "pattern": r"K = γ|\(K − μ\)",
    },
    "pass_at_k": {
        "symbol": "pass@k",
        "name": "pass@k",
        "meaning": "The probability that at least one of k sampled answers is correct; estimated without bias "
        "from n samples with c correct as 1 − C(n−c, k)/C(n, k).",
        "unit": "probability",
        "ref": "chen2021",
        "pattern": r"pass@",
    },
    "wilson": {
        "symbol": "Wilson interval",
        "name": "Wilson score interval",
        "meaning": "A confidence interval for a success rate that behaves well for small n and for 0 or n "
        "successes.",
        "unit": "probability",
        "ref": "wilson1927",
        "pattern": r"Wilson",
    },
    "t_test": {
        "symbol": "t",
        "name": "Student's t statistic",
        "meaning": "The mean improvement over the bar divided by its standard error; its one-sided p-value "
        "says how likely a margin this large is by chance.",
        "ref": "student1908",
        "pattern": r"\bt = |t-test|\bp-value|one-sided p",
    },
    "bpb": {
        "symbol": "bpb",
        "name": "bits per byte",
        "meaning": "Validation loss measured in bits per byte of text, comparable across tokenizers; "
        "nats per token = bpb × (val_loss / val_bpb).",
        "ref": "parameter-golf",
        "pattern": r"bpb",
    },
    "entropy": {
        "symbol": "H",
        "name": "entropy per weight",
        "meaning": "Bits a compressor needs per quantized weight: ≈ b − log2 k + ½·log2(πe/2) for b-bit weights "
        "clipped at k standard deviations.",
        "unit": "bits",
        "ref": "parameter-golf",
        "pattern": r"\bH ≈|\bH\(|n·H|n · H",
    },
}

_PATTERN = None


def symbols_in(*texts: str) -> list[str]:
    """The glossary ids whose symbol appears in any of ``texts``, in glossary order.

    One combined expression, compiled on first use (import stays cheap in the page's worker).
    """
    global _PATTERN
    cached = _CACHE.get(texts)
    if cached is not None:
        return list(cached)
    if _PATTERN is None:
        _PATTERN = re.compile("|".join(f"(?P<{key}>{entry['pattern']})" for key, entry in GLOSSARY.items()))
    found = {m.lastgroup for text in texts if text for m in _PATTERN.finditer(text)}
    keys = tuple(key for key in GLOSSARY if key in found)
    if len(_CACHE) < _CACHE_MAX:  # step names and formulas repeat from run to run
        _CACHE[texts] = keys
    return list(keys)


_CACHE: dict = {}
_CACHE_MAX = 4096


def entries_for(keys) -> dict:
    """``{id: {symbol, name, meaning, unit?, ref?}}`` for each id in ``keys`` (first-use order, once)."""
    out: dict[str, dict] = {}
    for key in keys:
        if key not in out:
            out[key] = {k: v for k, v in GLOSSARY[key].items() if k != "pattern"}
    return out
