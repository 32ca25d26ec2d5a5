"""X-5 Hardware Selection: which GPU serves my model cheapest?

The seed's steps (§19 weights memory, §19.1 KV cache per request, §20.3 total
memory, §20 eligible GPUs ranked by $/Mtok) and verdicts (YES, NO), with the SPEC §5
corrections: the KV-cache precision is its own parameter, ``kv_bytes_per_element``
(default 2) — the seed reused ``bytes_per_weight``, so INT4 weights shrank the KV
cache too; GPUs without a rental price (local / owned hardware) are listed
separately in step 5 with no $/Mtok, never ranked first at $0/Mtok. Priced GPUs are
ranked by $/Mtok with ties broken by name.
"""
from __future__ import annotations

import math

from ..chain import Verdict
from ..data.gpus import GPUS, SEED_AS_OF
from ..formulas import hardware as hw
from ..formulas.inference import decode_tokens_per_second, model_weights_bytes
from ..params import Param
from .base import D_HEAD, N_KV_HEADS, N_LAYERS, N_PARAMS, Recipe
from ..textfmt import format_number
from .econ_common import plain, ratio, si, usd
from .model_steps import decode_weights_gb, kv_cache_step

N_PARAMS_X5 = N_PARAMS.replace(name="N_params", min=1, min_exclusive=False,
                                  help="Size of the model to serve (total parameters).")
T_EVAL_X5 = Param("T_eval", "int", "Context length each request holds in the KV cache (prompt + output).",
                  unit="tokens", default=4096, min=1, max=10**9)
N_LAYERS_X5 = N_LAYERS.replace(default=32)
N_KV_HEADS_X5 = N_KV_HEADS.replace(default=8)
D_HEAD_X5 = D_HEAD.replace(default=128)
BYTES_PER_WEIGHT = Param("bytes_per_weight", "float",
                         "Bytes per model weight (2 = BF16/FP16, 1 = INT8/FP8, 0.5 = INT4).", unit="bytes",
                         default=2.0, min=0.125, max=8)
KV_BYTES_PER_ELEMENT = Param("kv_bytes_per_element", "float",
                             "Bytes per KV-cache element (2 = BF16/FP16, 1 = INT8/FP8), independent of the weights.",
                             unit="bytes", default=2.0, min=0.125, max=8)
TARGET_TOKENS_PER_DAY = Param("target_tokens_per_day", "float", "Tokens you need to generate per day.",
                              unit="tokens/day", default=10_000_000.0, min=1, max=1e18)
CONCURRENT_USERS = Param("concurrent_users", "int", "Requests held in memory at once (each needs its own KV cache).",
                         unit="users", default=1, min=1, max=10_000_000)

PARAMS = (N_PARAMS_X5, T_EVAL_X5, N_LAYERS_X5, N_KV_HEADS_X5, D_HEAD_X5, BYTES_PER_WEIGHT, KV_BYTES_PER_ELEMENT,
          TARGET_TOKENS_PER_DAY, CONCURRENT_USERS)

#: how many ranked candidates step 4 shows (the seed's top 5)
TOP_N = 5
SECONDS_PER_DAY = hw.HOURS_PER_DAY * 3600.0


def candidate(row: dict, weights_gb: float, target_tokens_per_day: float) -> dict:
    """One GPU's serving estimate (memory-bound, single stream). USD fields are None without a rental price."""
    tok_s = decode_tokens_per_second(row["bandwidth_gb_s"], weights_gb)
    tok_day = tok_s * SECONDS_PER_DAY
    price = row["usd_per_hour"]
    out = {
        "gpu": row["name"],
        "vram_GB": row["vram_gb"],
        "bw_GB_s": row["bandwidth_gb_s"],
        "tok_per_sec": tok_s,
        "tok_per_day": tok_day,
        "users_supported": tok_day / target_tokens_per_day,
        "owned": price is None,
    }
    if price is not None:  # owned hardware has no rental price: no cost columns at all (not "undefined")
        out["USD_per_day"] = price * hw.HOURS_PER_DAY
        out["USD_per_Mtok"] = hw.usd_per_mtok(tok_s, price)
    return out


def run(p, chain) -> Verdict:
    # 1 — weights
    w_bytes = model_weights_bytes(p.N_params, p.bytes_per_weight)
    w_gb = w_bytes / 1e9
    chain.step("§19", "Model weights memory", "GB = N · bytes_per_weight / 10⁹",
               {"N": p.N_params, "bytes_per_weight": p.bytes_per_weight}, w_gb,
               f"{w_gb:,.1f} GB for weights ({si(p.N_params)} params × {plain(p.bytes_per_weight)} bytes)",
               unit="GB", breakdown={"bytes": w_bytes}, status="validated")

    # 1b — weights one decoded token reads (MoE: the active experts only; from the model's record)
    decode_gb, moe_active = decode_weights_gb(p, w_gb, p.bytes_per_weight)
    if moe_active:
        record = p.model_record
        chain.step("§19.7", "Weights read per token (MoE active)", "GB = N_active · bytes_per_weight / 10⁹",
                   {"N_active": record.active_params, "N_total": record.total_params,
                    "bytes_per_weight": p.bytes_per_weight}, decode_gb,
                   f"{decode_gb:,.1f} GB read per decoded token: {record.moe['top_k']} of {record.moe['n_experts']} "
                   f"routed experts per token ({si(record.active_params)} of {si(record.total_params)} params "
                   "active); decode speed below uses this, memory uses all the weights",
                   unit="GB", breakdown={"bytes": decode_gb * 1e9})

    # 2 — KV cache per request (its own precision)
    def kv_text(kv_bytes: float) -> str:
        text = (f"{kv_bytes / 1e9:,.2f} GB per concurrent request at {p.T_eval:,} tokens "
                f"({plain(p.kv_bytes_per_element)} bytes per KV element")
        if p.kv_bytes_per_element != p.bytes_per_weight:
            text += f", independent of the {plain(p.bytes_per_weight)}-byte weights"
        return text + ")"

    kv_bytes = kv_cache_step(chain, p, section="§19.1", name="KV cache (per request)", seq=p.T_eval,
                             bytes_per_element=p.kv_bytes_per_element, text=kv_text, seq_name="seq",
                             kv_name="kv_bytes_per_element", seed_formula="bytes = 2·L·n_kv·d_head·seq·B_kv",
                             unit="GB")
    kv_gb = kv_bytes / 1e9

    # 3 — total memory
    total_gb = w_gb + kv_gb * p.concurrent_users
    users = "1 concurrent user" if p.concurrent_users == 1 else f"{p.concurrent_users:,} concurrent users"
    chain.step("§20.3", "Total GPU memory", "GB = weights + KV · concurrent_users",
               {"weights_GB": w_gb, "kv_GB": kv_gb, "concurrent_users": p.concurrent_users}, total_gb,
               f"{total_gb:,.1f} GB for {users}", unit="GB")

    decode_name = "active_weights_GB" if moe_active else "weights_GB"

    # 4 — scan the catalog: priced GPUs ranked by $/Mtok, owned ones apart
    fitting = [candidate(row, decode_gb, p.target_tokens_per_day) for row in GPUS if row["vram_gb"] >= total_gb]
    priced = sorted((c for c in fitting if not c["owned"]), key=lambda c: (c["USD_per_Mtok"], c["gpu"]))
    owned = sorted((c for c in fitting if c["owned"]), key=lambda c: c["gpu"])
    top = priced[:TOP_N]
    if top:
        text = (f"{len(priced)} rentable GPU(s) fit; cheapest: {top[0]['gpu']} at {usd(top[0]['USD_per_Mtok'])}/Mtok "
                f"({top[0]['tok_per_sec']:,.0f} tok/s single-stream)")
        if len(priced) > TOP_N:
            text += f"; showing the top {TOP_N}"
    else:
        text = f"no rentable GPU has ≥ {total_gb:,.1f} GB VRAM"
    chain.step("§20", f"Eligible GPUs (≥{total_gb:,.1f} GB)",
               f"keep VRAM ≥ total; tok/s = BW / {decode_name}; USD/Mtok = USD/h·24 / (tok/s·86400 / 10⁶); "
               "rank rentable GPUs by USD/Mtok (ties by name)",
               {"min_VRAM_GB": total_gb, "weights_GB": w_gb, **({decode_name: decode_gb} if moe_active else {}),
                "target_tokens_per_day": p.target_tokens_per_day},
               top, text, breakdown={"n_rentable_fit": len(priced), "n_owned_fit": len(owned)})

    # 5 — owned / local hardware that fits (no rental price, so no $/Mtok and no rank)
    owned_names = [row["name"] for row in GPUS if row["usd_per_hour"] is None]
    if owned:
        text = "; ".join(f"{c['gpu']} fits: {c['tok_per_sec']:,.0f} tok/s single-stream" for c in owned)
        text += " — owned/local hardware with no rental price, so it has no $/Mtok and is not ranked"
    elif owned_names:
        text = (f"none of the owned/local GPUs ({', '.join(owned_names)}) has ≥ {total_gb:,.1f} GB VRAM")
    else:
        text = "the catalog has no owned/local GPUs"
    chain.step("§20", "Owned GPUs that fit (no rental price)",
               f"keep VRAM ≥ total among GPUs without a rental price; tok/s = BW / {decode_name}",
               {"min_VRAM_GB": total_gb}, owned, text)

    # caveats
    chain.caveat("Throughput is single-stream memory-bound decode: each token reads every weight once, "
                 "tok/s = bandwidth / weight bytes. It ignores KV-cache reads (large at long context), prefill and "
                 "kernel efficiency, so real single-stream speed is lower.")
    chain.caveat("$/Mtok and users_supported are for one stream (batch 1); concurrent_users only adds KV memory. "
                 "Batching serves many requests from the same weight reads and lowers $/Mtok roughly in proportion "
                 "until decode becomes compute-bound.")
    chain.caveat("The VRAM check counts weights + KV cache only; activations, the CUDA context and framework "
                 "buffers need extra headroom.")
    chain.caveat(f"Rental prices are a snapshot as of {SEED_AS_OF}. GPUs without a rental price "
                 f"({', '.join(owned_names) or 'none'}) are listed as owned hardware in step 5, never ranked at "
                 "$0/Mtok.")

    # verdict: the label names the GPU picked, and says so when one stream falls short of the target
    figures = {"weights_bytes": w_bytes, "kv_cache_bytes_per_request": kv_bytes, "total_memory_bytes": total_gb * 1e9,
               "n_rentable_gpus_fit": len(priced), "n_owned_gpus_fit": len(owned)}
    if not fitting:
        biggest = max(row["vram_gb"] for row in GPUS)
        rentable_big = sorted((row for row in GPUS if row["vram_gb"] == biggest and row["usd_per_hour"] is not None),
                              key=lambda row: (row["usd_per_hour"], row["name"]))
        k = math.ceil(total_gb / biggest)
        example = f"{k}× {rentable_big[0]['name']} = {k * biggest:,.0f} GB" if rentable_big else f"{k} GPUs"
        return Verdict("NO: NO SINGLE GPU FITS",
                       f"No single GPU has ≥{total_gb:,.1f} GB VRAM (the largest has {biggest:,.0f} GB).",
                       f"Use tensor parallelism across multiple GPUs (e.g. {example}), or quantize: "
                       "bytes_per_weight=1 (INT8) halves the weights, kv_bytes_per_element=1 halves the KV cache.",
                       tone="bad", figures=figures)
    if top:
        best = top[0]
        reason = (f"Best GPU: {best['gpu']} at {usd(best['USD_per_Mtok'])}/Mtok. "
                  f"Supports {ratio(best['users_supported'])}× your daily target.")
        mitigation = f"Provision {best['gpu']}, expected {best['tok_per_sec']:,.0f} tok/s decode."
    else:
        best = owned[0]
        reason = (f"Only owned hardware fits: {best['gpu']} (no rental price, so no $/Mtok). "
                  f"Supports {ratio(best['users_supported'])}× your daily target.")
        mitigation = f"Serve on your {best['gpu']}, expected {best['tok_per_sec']:,.0f} tok/s decode."
    if best["users_supported"] < 1:
        replicas = math.ceil(1 / best["users_supported"])
        mitigation += (f" One stream covers only {best['users_supported']:.3g}× your {si(p.target_tokens_per_day)} "
                       f"tokens/day: batch requests or run ≥ {replicas} replicas.")
    if owned and top:
        mitigation += " " + " ".join(f"Your owned {c['gpu']} also fits ({c['tok_per_sec']:,.0f} tok/s, no rental cost)."
                                      for c in owned)
    figures.update(gpu=best["gpu"], owned=best["owned"], decode_tokens_per_s=best["tok_per_sec"],
                   usd_per_mtok=best.get("USD_per_Mtok"), target_coverage=best["users_supported"])
    label = f"YES: {'YOUR OWNED ' if best['owned'] else ''}{best['gpu']}"
    if best["users_supported"] < 1:
        label += f", BUT ONE STREAM COVERS ONLY {format_number(best['users_supported'])}× THE TARGET"
    return Verdict(label, reason, mitigation, tone="good" if best["users_supported"] >= 1 else "caution",
                   figures=figures)


RECIPE = Recipe(
    id="X-5",
    name="Hardware Selection",
    description="Which GPU should I use to serve my model at target throughput?",
    category="serving",
    sections=("§19", "§20"),
    params=PARAMS,
    run=run,
)
