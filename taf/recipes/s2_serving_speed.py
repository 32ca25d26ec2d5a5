"""S-2 How fast? A roofline: time to first token, time per output token, throughput and cost vs batch.

The same model, format, engine and hardware as S-1 (its parameters and its memory ``Setup``), plus
``prompt_tokens``, ``output_tokens`` and ``batch``. Step by step: prefill FLOPs (matmuls on the
active parameters + causal attention over the prompt) against compute → time to first token; per
decode step the bytes read (weights a token touches — for MoE the experts the batch touches — plus
the KV cache of every sequence) against bandwidth and the FLOPs against compute → time per output
token, which one bounds it, and the batch where decode turns compute-bound; with tensor parallelism
the all-reduces over the interconnect; aggregate throughput; $/Mtok on rented GPUs.

Arithmetic: bytes and FLOPs (from the exact tensor inventory). Estimates: the times, which rest on
the efficiency factors (named parameters; defaults derived from published measurements in
``taf/data/measurements_speed.py``, tested on others held out).
"""

from __future__ import annotations

from ..chain import Verdict, chart
from ..data import measurements_speed as ms
from ..data.accelerators import find_accelerator
from ..data.rental_prices import rental_price
from ..formulas import roofline as rl
from ..params import Param
from ..textfmt import format_ms, format_usd
from . import s1_will_it_fit as s1
from .base import Recipe
from .planner_model import _from_record

PROMPT_TOKENS = Param(
    "prompt_tokens", "int", "Prompt tokens per request.", unit="tokens", default=1024, min=1, max=10_000_000
)
OUTPUT_TOKENS = Param(
    "output_tokens", "int", "Output tokens per request.", unit="tokens", default=256, min=1, max=10_000_000
)
BATCH = Param(
    "batch", "int", "Concurrent sequences decoding together.", unit="sequences", default=1, min=1, max=100_000
)
EFF_BW = Param(
    "efficiency_bandwidth",
    "float",
    "Achieved share of peak memory bandwidth in decode (default: per engine, from published measurements).",
    unit="fraction",
    default=None,
    min=0.01,
    max=1,
)
EFF_FLOPS = Param(
    "efficiency_flops",
    "float",
    "Achieved share of peak compute (default 0.4, the MFU Llama 3 reports).",
    unit="fraction",
    default=None,
    min=0.01,
    max=1,
)
ALLREDUCE_LATENCY = Param(
    "allreduce_latency_us",
    "float",
    "Fixed latency of one all-reduce under tensor parallelism (assumption).",
    unit="µs",
    default=ms.ALLREDUCE_LATENCY_US,
    min=0,
    max=1e6,
)
INTERCONNECT = Param(
    "interconnect_GB_s",
    "float",
    "GPU-to-GPU bandwidth per direction for tensor parallelism (default: half the catalog's bidirectional figure).",
    unit="GB/s",
    default=None,
    min=0.1,
    max=1e5,
)

PARAMS = (
    s1.MODEL,
    s1.CONFIG,
    s1.WEIGHT_FORMAT,
    s1.KV_CACHE_DTYPE,
    s1.ENGINE,
    s1.GPU,
    s1.N_GPUS,
    PROMPT_TOKENS,
    OUTPUT_TOKENS,
    BATCH,
    EFF_BW,
    EFF_FLOPS,
    ALLREDUCE_LATENCY,
    INTERCONNECT,
    s1.N_GPU_LAYERS,
    s1.GPU_MEMORY_GB,
    s1.GPU_BANDWIDTH_GB_S,
    s1.GPU_TFLOPS,
    s1.N_PARAMS,
    s1.N_LAYERS,
    s1.N_HEADS,
    s1.N_KV_HEADS,
    s1.D_HEAD,
    s1.T_TRAIN,
)

#: batches drawn in the chart (and scanned for the knee)
CHART_BATCHES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
KNEE_SEARCH_MAX = 1 << 20


class Speed:
    """The roofline of one configuration; ``decode(batch, context)`` and ``prefill(prompt)`` give times."""

    def __init__(self, p, record, acc, setup, eff_bw: float, eff_flops: float):
        self.p, self.record, self.acc, self.setup = p, record, acc, setup
        self.model = _from_record(record, p.model)
        self.eff_bw, self.eff_flops = eff_bw, eff_flops
        self.bandwidth = acc["bandwidth_bytes_per_s"]
        flops = acc.get("peak_flops") or {}
        fp8 = p.weight_format == "fp8" and flops.get("fp8")
        self.peak = flops.get("fp8") if fp8 else flops.get("bf16")
        self.peak_kind = "fp8" if fp8 else "bf16"
        self.tp = setup.tp
        self.layer_split = setup.layer_split
        by_group = setup.plan.by_group
        # bytes a decode step reads per GPU: the weights on it, minus the input embedding (a lookup reads
        # B rows, not the table) unless it doubles as the output head; experts scaled by the share touched
        embd = by_group.get("embedding", 0) if not record.tied_embeddings else 0
        self.expert_bytes = by_group.get("experts", 0)
        if p.engine in ("vllm", "sglang"):
            per_gpu = setup.weights_per_gpu - embd / self.tp
            self.expert_bytes_gpu = self.expert_bytes / self.tp
        elif p.engine == "llama.cpp":
            per_gpu = setup.weights_per_gpu  # the token embedding stays on the host already
            self.expert_bytes_gpu = self.expert_bytes / self.layer_split
        else:
            per_gpu = setup.weights_per_gpu - embd / self.layer_split
            self.expert_bytes_gpu = self.expert_bytes / self.layer_split
        self.dense_bytes_gpu = per_gpu - self.expert_bytes_gpu
        self.link = (
            p.interconnect_GB_s * 1e9 if p.interconnect_GB_s else (acc.get("interconnect_bytes_per_s") or 64e9) / 2
        )
        self.matmul = self.model.matmul_params()
        self.windows = rl.window_counts(self.model.windows or [None] * record.n_layers)
        self._prefill_cache: dict = {}

    # ── pieces ───────────────────────────────────────────────────────────────
    def weight_bytes_read(self, batch: int) -> float:
        """Weight bytes one GPU reads per decode step at ``batch`` (MoE: the experts touched)."""
        moe = self.model.moe
        if not moe:
            return self.dense_bytes_gpu + self.expert_bytes_gpu
        touched = rl.expected_experts_touched(moe["n_experts"], moe["top_k"], batch)
        return self.dense_bytes_gpu + self.expert_bytes_gpu * touched / moe["n_experts"]

    def comm_time(self, tokens: int) -> float:
        """Tensor-parallel all-reduces per step: two per layer of tokens·d_model 16-bit values."""
        if self.tp <= 1:
            return 0.0
        msg = tokens * self.record.hidden_size * 2
        one = rl.allreduce_time(msg, self.tp, self.link, self.p.allreduce_latency_us * 1e-6)
        return 2 * self.record.n_layers * one

    def _roof(self, bytes_read: float, flops: float) -> dict:
        if self.peak:
            r = rl.step_time(bytes_read, flops, self.bandwidth, self.peak, self.eff_bw, self.eff_flops)
        else:  # no published compute peak (Apple): memory roofline only
            t = bytes_read / (self.bandwidth * self.eff_bw)
            r = {"memory_s": t, "compute_s": None, "time_s": t, "bound": "memory"}
        return r

    def decode(self, batch: int, context: int) -> dict:
        """One decode step for ``batch`` sequences at ``context`` tokens each (per GPU, then × stages)."""
        w = self.weight_bytes_read(batch)
        kv = (
            self.setup.kv_per_gpu(context, batch)
            if self.p.engine != "llama.cpp"
            else self.setup.kv_per_gpu(context, 1) * batch
        )
        flops = batch * rl.decode_flops_per_token(self.matmul, context, self.model.q_dim, self.windows)
        flops /= self.tp * self.layer_split
        r = self._roof(w + kv, flops)
        # layer split (llama.cpp / transformers over n GPUs): the stages run one after another
        r["time_s"] = r["time_s"] * self.layer_split
        r["comm_s"] = self.comm_time(batch)
        r["time_s"] += r["comm_s"]
        r.update(weight_bytes=w, kv_bytes=kv, flops=flops)
        return r

    def prefill(self, prompt: int) -> dict:
        if prompt in self._prefill_cache:
            return dict(self._prefill_cache[prompt])
        f = rl.prefill_flops(self.matmul, prompt, self.model.q_dim, self.windows)
        flops = f["total"] / (self.tp * self.layer_split)
        r = self._roof(self.weight_bytes_read(prompt), flops)
        r["time_s"] = r["time_s"] * self.layer_split
        r["comm_s"] = self.comm_time(prompt)
        r["time_s"] += r["comm_s"]
        r.update(flops=f["total"], matmul_flops=f["matmul"], attention_flops=f["attention"])
        self._prefill_cache[prompt] = r
        return dict(r)

    def context(self) -> int:
        """Average context over the output: prompt + output/2 (rounded down)."""
        return self.p.prompt_tokens + self.p.output_tokens // 2

    def throughput(self, batch: int) -> float:
        """Output tokens/s of ``batch`` concurrent requests cycling prefill + output decode steps:
        B·O / (B·t_prefill + O·t_step)."""
        t_pre = self.prefill(self.p.prompt_tokens)["time_s"]
        t_step = self.decode(batch, self.context())["time_s"]
        o = self.p.output_tokens
        return batch * o / (batch * t_pre + o * t_step)

    def knee(self) -> int | None:
        """Smallest batch at which a decode step turns compute-bound (None: never within 2²⁰ or no peak)."""
        if not self.peak:
            return None
        c = self.context()

        def compute_bound(b: int) -> bool:
            return self.decode(b, c)["bound"] == "compute"

        if compute_bound(1):
            return 1
        hi = 2
        while not compute_bound(hi):
            if hi >= KNEE_SEARCH_MAX:
                return None
            hi *= 2
        lo = hi // 2
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if compute_bound(mid):
                hi = mid
            else:
                lo = mid
        return hi


def efficiency_defaults(engine: str) -> tuple[float, float, str]:
    group = ms.ENGINE_GROUP[engine]
    return ms.EFFICIENCY_BANDWIDTH[group], ms.EFFICIENCY_FLOPS, group


def build(p, resolved=None, plans: dict | None = None):
    """(record, how, accelerator, S-1 setup, Speed) for the parameters ``p`` (S-1's checks apply).

    ``resolved``: a (record, how) pair already resolved for ``p``; ``plans``: S-1's weight-plan cache, shared
    when one model is costed on many accelerators (X-5)."""
    record, how = resolved if resolved is not None else s1.resolve_model(p)
    if p.gpu == "custom":
        acc = dict(s1.custom_accelerator(p))
        if p.gpu_bandwidth_GB_s is None:
            from ..params import ParamError

            raise ParamError(
                "missing_param",
                "gpu = 'custom' needs gpu_bandwidth_GB_s for the speed estimate.",
                param="gpu_bandwidth_GB_s",
            )
        acc["bandwidth_bytes_per_s"] = p.gpu_bandwidth_GB_s * 1e9
        acc["peak_flops"] = {"bf16": p.gpu_tflops * 1e12} if p.gpu_tflops else {}
        acc["interconnect_bytes_per_s"] = None
    else:
        found = find_accelerator(p.gpu)
        if found is None:
            from ..params import ParamError

            raise ParamError("unknown_choice", f"gpu = {p.gpu!r} is not in the accelerator catalog.", param="gpu")
        acc = found
    s1.check_combination(p, record, acc)
    setup = s1.Setup(
        record,
        p.weight_format,
        p.kv_cache_dtype,
        p.engine,
        acc,
        p.n_gpus,
        None,
        p.n_gpu_layers,
        acc["kind"] == "apple",
        plans,
    )
    if setup.offloaded_layers < record.n_layers:
        from ..params import ParamError

        raise ParamError(
            "invalid_value",
            f"n_gpu_layers = {p.n_gpu_layers} leaves layers in system memory; S-2 "
            "models GPU speed only. Offload every layer (leave n_gpu_layers empty).",
            param="n_gpu_layers",
            value=p.n_gpu_layers,
        )
    bw_default, flops_default, _ = efficiency_defaults(p.engine)
    eff_bw = p.efficiency_bandwidth or bw_default
    eff_flops = p.efficiency_flops or flops_default
    return record, how, acc, setup, Speed(p, record, acc, setup, eff_bw, eff_flops)


def run(p, chain) -> Verdict:
    record, how, acc, setup, sp = build(p)
    price_row = rental_price(acc["id"])
    price = price_row["usd_per_hour"] if price_row else None
    gpus = p.n_gpus
    bw_default, _, group = efficiency_defaults(p.engine)

    # 1 — model and hardware
    chain.step(
        "hf-config",
        "Model and hardware",
        "active parameters from the tensors; peak bandwidth and compute from the catalog",
        {
            "model": record.id or record.label,
            "gpu": acc["id"],
            "n_gpus": gpus,
            "engine": p.engine,
            "weight_format": p.weight_format,
        },
        {"matmul_params": sp.matmul, "bandwidth_bytes_per_s": sp.bandwidth, "peak_flops": sp.peak},
        f"{record.label} ({how}); {sp.matmul / 1e9:,.2f} B parameters multiply each token"
        + (f" (MoE: {sp.model.moe['top_k']} of {sp.model.moe['n_experts']} experts)" if sp.model.moe else "")
        + f"; {acc['label']}: {sp.bandwidth / 1e12:,.2f} TB/s, "
        + (f"{sp.peak / 1e12:,.0f} TFLOP/s dense {sp.peak_kind}" if sp.peak else "no published compute peak"),
        status="validated",
    )

    # 2 — efficiency factors
    src = {
        "serving-engine": "mean of SGLang and TensorRT-LLM decode on Qwen3-8B/H100 (GPUStack)",
        "llama.cpp": "llama-bench, Llama 3 8B Q4_0 on an RTX 3090 (llama.cpp PR #15802)",
    }[group]
    note = " (no measurement of transformers itself: the serving-engine value)" if p.engine == "transformers" else ""
    chain.step(
        "gpustack-qwen3-8b" if group == "serving-engine" else "llama-cpp-bench",
        "Efficiency factors",
        "η_bw = achieved / peak bandwidth; η_flops = achieved / peak compute",
        {"engine": p.engine, "efficiency_bandwidth": p.efficiency_bandwidth, "efficiency_flops": p.efficiency_flops},
        {"efficiency_bandwidth": sp.eff_bw, "efficiency_flops": sp.eff_flops},
        f"η_bw = {sp.eff_bw:g}"
        + (f" (default for {p.engine}: {src}{note})" if p.efficiency_bandwidth is None else " (yours)")
        + f"; η_flops = {sp.eff_flops:g}"
        + (f" (default: {ms.EFFICIENCY_FLOPS_SOURCE})" if p.efficiency_flops is None else " (yours)"),
        status="exploratory",
        refs=("llama3-2024",),
    )

    # 3 — prefill → TTFT
    pre = sp.prefill(p.prompt_tokens)
    ttft = pre["time_s"]
    chain.step(
        "williams2009",
        "Prefill → time to first token",
        "FLOPs = 2·N·P + 4·q_dim·Σ_layers Σ_{i≤P} min(i, W); t = max(FLOPs/(peak·η_flops), "
        "weights/(BW·η_bw))" + (" + all-reduces" if sp.tp > 1 else ""),
        {
            "prompt_tokens": p.prompt_tokens,
            "matmul_flops": pre["matmul_flops"],
            "attention_flops": pre["attention_flops"],
        },
        ttft,
        f"{format_ms(ttft)} to prefill {p.prompt_tokens:,} tokens ({pre['bound']}-bound; "
        f"{p.prompt_tokens / ttft:,.0f} tokens/s) on an idle server — queueing and HTTP not included",
        unit="s",
        breakdown={"memory_s": pre["memory_s"], "compute_s": pre["compute_s"], "comm_s": pre["comm_s"]},
        status="exploratory",
    )

    # 4 — decode step at this batch
    ctx = sp.context()
    dec = sp.decode(p.batch, ctx)
    tpot = dec["time_s"]
    moe_text = ""
    if sp.model.moe:
        m = sp.model.moe
        moe_text = (
            f"; MoE: {rl.expected_experts_touched(m['n_experts'], m['top_k'], p.batch):,.1f} of "
            f"{m['n_experts']} experts per layer touched by {p.batch} token(s) = E·(1 − (1 − k/E)^B)"
        )
    chain.step(
        "williams2009",
        "Decode step → time per output token",
        "bytes = weights touched + KV of every sequence; FLOPs = B·(2·N + 4·q_dim·keys); "
        "t = max(bytes/(BW·η_bw), FLOPs/(peak·η_flops))" + (" + all-reduces" if sp.tp > 1 else ""),
        {
            "batch": p.batch,
            "context_tokens": ctx,
            "weight_bytes": dec["weight_bytes"],
            "kv_bytes": dec["kv_bytes"],
            "flops": dec["flops"],
        },
        tpot,
        f"{format_ms(tpot)} per step at batch {p.batch} (average context {ctx:,} tokens): "
        f"{dec['bound']}-bound — {dec['weight_bytes'] / 1e9:,.2f} GB weights + "
        f"{dec['kv_bytes'] / 1e9:,.3f} GB KV per GPU{moe_text}",
        unit="s",
        breakdown={"memory_s": dec["memory_s"], "compute_s": dec["compute_s"], "comm_s": dec["comm_s"]},
        status="exploratory",
    )

    # 5 — tensor parallelism
    if sp.tp > 1:
        chain.step(
            "shoeybi2019",
            "Tensor-parallel all-reduces",
            "2 per layer × (2·(n−1)/n · B·d·2 bytes / link + latency)",
            {"n_gpus": sp.tp, "link_bytes_per_s": sp.link, "allreduce_latency_us": p.allreduce_latency_us},
            dec["comm_s"],
            f"{format_ms(dec['comm_s'])} per decode step over {sp.link / 1e9:,.0f} GB/s per "
            f"direction (assumed: {'yours' if p.interconnect_GB_s else 'half the catalog figure'})"
            f"; latency {p.allreduce_latency_us:g} µs per all-reduce (assumption)",
            unit="s",
            status="exploratory",
            refs=("patarasuk2009",),
        )

    # 6 — knee
    knee = sp.knee()
    chain.step(
        "williams2009",
        "Batch where decode turns compute-bound",
        "smallest B with FLOPs/(peak·η_flops) > bytes/(BW·η_bw)",
        {"context_tokens": ctx},
        knee,
        (
            f"decode is compute-bound from batch {knee:,}"
            if knee
            else "decode stays memory-bound at every batch (the KV cache grows as fast as the compute"
            + (", or no compute peak is published)" if not sp.peak else ")")
        ),
    )

    # 7 — throughput and cost
    thr = sp.throughput(p.batch)
    per_seq = 1.0 / tpot
    cost = rl.usd_per_million_tokens(price * gpus, thr) if price else None
    fits_batch = setup.max_batch(p.prompt_tokens + p.output_tokens)
    chain.step(
        "williams2009",
        "Throughput and cost",
        "tokens/s = B·O/(B·t_prefill + O·t_step); USD/Mtok = USD/h·n / (tokens/s·3600)·10⁶",
        {"batch": p.batch, "output_tokens": p.output_tokens, "usd_per_gpu_hour": price, "n_gpus": gpus},
        {"throughput_tokens_per_s": thr, "usd_per_million_output_tokens": cost},
        f"{thr:,.0f} output tokens/s over {p.batch} sequence(s) ({per_seq:,.1f} tokens/s each)"
        + (
            f"; {format_usd(cost)}/Mtok at {format_usd(price)}/GPU-hour"
            if cost is not None
            else "; no rental price (owned hardware): not costed"
        )
        + f". S-1: up to {fits_batch:,} sequences of {p.prompt_tokens + p.output_tokens:,} tokens fit.",
    )

    chain.caveat(
        "Times are roofline estimates: achieved bandwidth and compute are the efficiency factors (step 2), "
        "not measured on your set-up. Scheduler gaps, sampling, speculative decoding, prefix caching and "
        "chunked-prefill interference are not modelled; TTFT excludes queueing and HTTP."
    )
    if acc.get("kind") == "apple" and p.efficiency_bandwidth is None:
        chain.caveat(
            "The bandwidth efficiency default was derived on NVIDIA GPUs; no Apple-silicon measurement is in "
            "the data yet, and Metal typically reaches a smaller share of the unified-memory bandwidth, so "
            "this estimate is likely optimistic (set efficiency_bandwidth to override)."
        )
    if any(layer.kind == "compressed" for layer in getattr(record, "layers", ())):
        chain.caveat(
            "Compressed-attention layers (DeepSeek-V4 CSA/HCA) are counted as full attention in the attention "
            "FLOPs: a query there reads its window plus one entry per compress_ratio tokens (and CSA's indexer "
            "selects among them), so prefill and compute-bound decode times are overstated; KV bytes use the "
            "real compressed layout."
        )
    if sp.model.moe:
        chain.caveat(
            "MoE expert reads assume uniform, independent routing (E·(1 − (1 − k/E)^B) experts per layer); "
            "real routers are skewed, so fewer distinct experts may be read."
        )

    # charts: tokens/s and time per token against batch, knee marked
    batches = [b for b in CHART_BATCHES if b <= max(p.batch, fits_batch or 1, 1)] or [1]
    if p.batch not in batches:
        batches = sorted(set(batches) | {p.batch})
    pts_thr, pts_seq, pts_t = [], [], []
    for b in batches:
        d = sp.decode(b, ctx)["time_s"]
        pts_thr.append([b, round(sp.throughput(b), 3)])
        pts_seq.append([b, round(1.0 / d, 3)])
        pts_t.append([b, round(d * 1e3, 4)])
    markers = [{"axis": "x", "value": knee, "label": "compute-bound from here"}] if knee else []
    charts = [
        chart(
            "s2_tokens_per_s",
            "line",
            "Tokens per second against batch",
            x={"label": "batch", "unit": "sequences", "scale": "log"},
            y={"label": "tokens per second", "unit": "tokens/s", "scale": "log"},
            series=[
                {"name": "throughput (all sequences)", "points": pts_thr},
                {"name": "per sequence", "points": pts_seq},
            ],
            markers=markers,
            note="Aggregate throughput rises with batch while decode is memory-bound; "
            "per-sequence speed falls once it turns compute-bound.",
        ),
        chart(
            "s2_time_per_token",
            "line",
            "Time per output token against batch",
            x={"label": "batch", "unit": "sequences", "scale": "log"},
            y={"label": "time per output token", "unit": "ms", "scale": "linear"},
            series=[{"name": "time per output token", "points": pts_t}],
            markers=markers,
            note="Flat while memory-bound (the weights are read once per step for every sequence), rising "
            "past the knee.",
        ),
    ]
    figures = {
        "ttft_ms": ttft * 1e3,
        "prefill_tokens_per_s": p.prompt_tokens / ttft,
        "time_per_output_token_ms": tpot * 1e3,
        "decode_tokens_per_s": per_seq,
        "throughput_tokens_per_s": thr,
        "bound": dec["bound"],
        "knee_batch": knee,
        "usd_per_million_output_tokens": cost,
        "max_batch_that_fits": fits_batch,
    }

    if not setup.fits(p.prompt_tokens + p.output_tokens, p.batch):
        return Verdict(
            "DOES NOT FIT",
            f"{p.batch} sequence(s) of {p.prompt_tokens + p.output_tokens:,} tokens do not "
            f"fit on {gpus}× {acc['label']} (S-1); the speeds above assume they would.",
            f"Lower the batch to ≤ {fits_batch:,}, use a smaller weight format or KV dtype, or more GPUs "
            "(run S-1 for the options).",
            tone="bad",
            figures=figures,
            charts=charts,
        )
    label = f"{per_seq:,.0f} tokens/s per user, {thr:,.0f} tokens/s in total"
    reason = (
        f"{record.label} on {gpus}× {acc['label']} with {p.engine}: first token in {format_ms(ttft)}, then "
        f"{format_ms(tpot)} per token at batch {p.batch} ({dec['bound']}-bound)."
    )
    if knee and p.batch < knee:
        mitigation = (
            f"Decode is memory-bound up to batch {knee:,}: more concurrent sequences raise throughput almost "
            f"for free (S-1 fits up to {fits_batch:,})."
        )
    elif knee:
        mitigation = (
            "Decode is compute-bound at this batch: a larger batch adds throughput only slowly and slows "
            "each user; a faster GPU or a lower-precision format (fp8) helps."
        )
    else:
        mitigation = f"Memory-bound at every batch: batch up to the memory limit (S-1: {fits_batch:,})."
    if cost is not None:
        mitigation += f" Cost at this batch: {format_usd(cost)} per million output tokens."
    tone = "good" if per_seq >= 20 else "caution"
    return Verdict(label, reason, mitigation, tone=tone, figures=figures, charts=charts)


RECIPE = Recipe(
    id="S-2",
    name="How fast?",
    description="Time to first token, time per output token, throughput against batch and $/Mtok — a roofline "
    "with sourced efficiency factors.",
    category="serving",
    sections=("williams2009", "gpustack-qwen3-8b", "llama-cpp-bench"),
    params=PARAMS,
    run=run,
    in_profile=False,
)
