"""S-1 Will it fit? Serving memory per GPU against capacity, every format and engine, with the command.

The chain: the model (exact from its config.json, or approximate from architecture numbers), the
hardware (what the engine can see), the weights tensor by tensor in their real storage format, the
KV cache by layer kind and dtype, the engine's activation / compute buffer and runtime overhead,
the engine's budget (vLLM's and SGLang's paged KV pool in tokens; llama.cpp's host side), the total
per GPU against capacity, the limits (largest context at this batch, most sequences at this
context), the precision ladder and the command line that runs this configuration.

Exact: weights and KV cache (arithmetic on the tensor shapes and layers). Estimates: activation
peak, compute buffer, CUDA context, driver reserve, CUDA graphs — see
:mod:`taf.formulas.serving_memory` for each assumption and ``taf/data/measurements_serving.py``
for the published measurements they are checked against.
"""

from __future__ import annotations

from ..chain import Verdict, chart
from ..data.accelerators import ACCELERATOR_IDS, find_accelerator, usable_memory_bytes
from ..formulas import serving_memory as sm
from ..formulas import weight_formats as wf
from ..numeric import defined
from ..params import Param, ParamError
from ..textfmt import format_gb, format_gib
from .base import Recipe, constraint_error
from .m1_model_config import CONFIG_MAX_CHARS, ConfigParam

GB = 1e9
GiB = sm.GiB
#: the citation key of each engine's memory model
ENGINE_REFS = {"vllm": "vllm", "sglang": "sglang", "llama.cpp": "llama-cpp", "transformers": "hf-transformers"}
#: context searches stop here (tokens)
CONTEXT_SEARCH_MAX = 10_000_000
BATCH_SEARCH_MAX = 1_000_000
LADDER_GPU_COUNTS = (1, 2, 4, 8)


class GpuParam(Param):
    """The accelerator: a catalog id, or any label / alias the catalog knows ("RTX 4090", "H100 SXM")."""

    def parse(self, raw):
        row = find_accelerator(raw) if isinstance(raw, str) else None
        if row is not None:
            return row["id"]
        return super().parse(raw)


MODEL = Param(
    "model",
    "str",
    "Catalog model id (a preset fills it): its config.json gives the exact tensors.",
    default=None,
    preset_key="id",
    max_chars=200,
)
CONFIG = ConfigParam(
    "config",
    "str",
    "The text of a config.json (overrides model): exact tensors and layers.",
    default=None,
    max_chars=CONFIG_MAX_CHARS,
)
WEIGHT_FORMAT = Param(
    "weight_format",
    "choice",
    "How the weights are stored: bf16/fp16/fp32, fp8, int8, AWQ/GPTQ int4 (group 128), NF4, "
    "MXFP4 (MoE experts), or a llama.cpp GGUF type.",
    default="bf16",
    choices=wf.WEIGHT_FORMATS,
)
KV_CACHE_DTYPE = Param(
    "kv_cache_dtype",
    "choice",
    "KV-cache element type (fp8: vLLM/SGLang; q8_0/q4_0: llama.cpp).",
    default="bf16",
    choices=sm.KV_DTYPES,
)
CONTEXT_TOKENS = Param(
    "context_tokens",
    "int",
    "Tokens per sequence (prompt + output); default: the model's training length.",
    unit="tokens",
    default=None,
    min=1,
    max=CONTEXT_SEARCH_MAX,
)
BATCH = Param(
    "batch",
    "int",
    "Concurrent sequences, each with its own KV cache.",
    unit="sequences",
    default=1,
    min=1,
    max=BATCH_SEARCH_MAX,
)
ENGINE = Param(
    "engine", "choice", "Serving engine (each has its own memory model).", default="vllm", choices=sm.ENGINES
)
GPU = GpuParam(
    "gpu",
    "choice",
    "Accelerator (catalog id or name), or custom with gpu_memory_GB.",
    default="nvidia-h100-sxm",
    choices=ACCELERATOR_IDS + ("custom",),
)
N_GPUS = Param(
    "n_gpus",
    "int",
    "GPUs serving one copy of the model (tensor parallel for vLLM/SGLang; layer "
    "split for llama.cpp and transformers).",
    unit="GPUs",
    default=1,
    min=1,
    max=64,
)
GPU_MEMORY_GB = Param(
    "gpu_memory_GB",
    "float",
    "Memory of one custom GPU (GB as the vendor states it, read as GiB like every catalog row).",
    unit="GB",
    default=None,
    min=0.5,
    max=4096,
)
GPU_BANDWIDTH_GB_S = Param(
    "gpu_bandwidth_GB_s",
    "float",
    "Memory bandwidth of a custom GPU (for S-2; not used by the fit).",
    unit="GB/s",
    default=None,
    min=1,
    max=1e6,
)
GPU_TFLOPS = Param(
    "gpu_tflops",
    "float",
    "Dense bf16 peak of a custom GPU (for S-2; not used by the fit).",
    unit="TFLOP/s",
    default=None,
    min=0.1,
    max=1e6,
)
GPU_MEMORY_UTILIZATION = Param(
    "gpu_memory_utilization",
    "float",
    "Share of GPU memory vLLM may use (default 0.9) / SGLang's mem_fraction_static (default by TP size).",
    default=None,
    min=0.05,
    max=1.0,
)
N_GPU_LAYERS = Param(
    "n_gpu_layers",
    "int",
    "llama.cpp -ngl: layers offloaded to the GPU (default all; the rest and their KV stay in system memory).",
    unit="layers",
    default=None,
    min=0,
    max=10000,
)
# architecture numbers: the approximate path when no config / catalog record is available
N_PARAMS = Param(
    "n_params",
    "float",
    "Total parameters (only without a config: weights are then approximate).",
    unit="params",
    default=None,
    min=1e6,
    max=1e15,
    preset_key="n_params",
)
N_LAYERS = Param(
    "n_layers",
    "int",
    "Layers (without a config).",
    unit="layers",
    default=None,
    min=1,
    max=10000,
    preset_key="n_layers",
)
N_HEADS = Param(
    "n_attention_heads",
    "int",
    "Query heads (without a config).",
    unit="heads",
    default=None,
    min=1,
    max=4096,
    preset_key="n_attention_heads",
)
N_KV_HEADS = Param(
    "n_kv_heads",
    "int",
    "KV heads (without a config).",
    unit="heads",
    default=None,
    min=1,
    max=4096,
    preset_key="n_kv_heads",
)
D_HEAD = Param(
    "d_head",
    "int",
    "Head dimension (without a config).",
    unit="dims",
    default=None,
    min=1,
    max=65536,
    preset_key="d_head",
)
T_TRAIN = Param(
    "T_train",
    "int",
    "Training context length (without a config; the default context).",
    unit="tokens",
    default=None,
    min=1,
    max=10**9,
    preset_key="T_train",
)

PARAMS = (
    MODEL,
    CONFIG,
    WEIGHT_FORMAT,
    KV_CACHE_DTYPE,
    CONTEXT_TOKENS,
    BATCH,
    ENGINE,
    GPU,
    N_GPUS,
    GPU_MEMORY_GB,
    GPU_BANDWIDTH_GB_S,
    GPU_TFLOPS,
    GPU_MEMORY_UTILIZATION,
    N_GPU_LAYERS,
    N_PARAMS,
    N_LAYERS,
    N_HEADS,
    N_KV_HEADS,
    D_HEAD,
    T_TRAIN,
)

#: assumed vocabulary for the approximate path (only the sampler / compute-buffer estimates use it)
APPROX_VOCAB = 32000


# ── the model ────────────────────────────────────────────────────────────────────────
class ApproxRecord:
    """A model described by architecture numbers only: attention tensors from the heads, the rest of N
    as a gated MLP whose width is rounded to a multiple of 256, no embedding detail (weights are
    approximate; the KV cache is exact for full attention)."""

    def __init__(self, p):
        from ..model.record import LayerSpec

        missing = [
            name
            for name in ("n_params", "n_layers", "n_attention_heads", "n_kv_heads", "d_head")
            if getattr(p, name) is None
        ]
        if missing:
            raise ParamError(
                "missing_param",
                f"S-1 needs a model: give preset=<catalog id>, config=<config.json>, or "
                f"the architecture numbers ({', '.join(missing)} missing).",
                param=missing[0],
            )
        if p.n_kv_heads > p.n_attention_heads:
            raise constraint_error(
                "n_kv_heads", p.n_kv_heads, f"it must be ≤ n_attention_heads = {p.n_attention_heads}"
            )
        L, h, kv, dh = p.n_layers, p.n_attention_heads, p.n_kv_heads, p.d_head
        d = h * dh
        self.id = p.model
        self.label = p.model or "custom model"
        self.family = "llama"
        self.n_layers, self.hidden_size, self.vocab_size = L, d, APPROX_VOCAB
        self.n_attention_heads, self.n_kv_heads, self.d_head = h, kv, dh
        self.T_train = p.T_train or 4096
        self.T_max = self.T_train
        self.tied_embeddings = False
        total = int(p.n_params)
        attn = L * (2 * d * d + 2 * kv * dh * d)
        rest = max(0, total - attn)
        ff = max(256, round(rest / (3 * d * L) / 256) * 256)  # a width the block formats can store
        tensors = [
            {
                "name": "model.layers.*.self_attn.q_proj.weight",
                "shape": (d, d),
                "count": L,
                "params": L * d * d,
                "group": "attention",
            },
            {
                "name": "model.layers.*.self_attn.k_proj.weight",
                "shape": (kv * dh, d),
                "count": L,
                "params": L * kv * dh * d,
                "group": "attention",
            },
            {
                "name": "model.layers.*.self_attn.v_proj.weight",
                "shape": (kv * dh, d),
                "count": L,
                "params": L * kv * dh * d,
                "group": "attention",
            },
            {
                "name": "model.layers.*.self_attn.o_proj.weight",
                "shape": (d, d),
                "count": L,
                "params": L * d * d,
                "group": "attention",
            },
        ]
        for leaf, shape in (("gate_proj", (ff, d)), ("up_proj", (ff, d)), ("down_proj", (d, ff))):
            tensors.append(
                {
                    "name": f"model.layers.*.mlp.{leaf}.weight",
                    "shape": shape,
                    "count": L,
                    "params": L * ff * d,
                    "group": "mlp",
                }
            )
        self.tensors = tuple(tensors)
        self.total_params = sum(t["params"] for t in tensors)
        self.moe = None
        self.layers = tuple(LayerSpec(i, "full", None, 2 * kv * dh) for i in range(L))
        self.exact = False
        self.caveats = ()


def resolve_model(p):
    """(record, how it was obtained)."""
    from ..model.record import record_from_config

    if p.config:
        return record_from_config(p.config), "config.json (exact)"
    if p.model:
        record = catalog_record(p.model)
        if record is not None:
            return record, f"catalog config.json of {record.id or p.model} (exact)"
    return ApproxRecord(p), "architecture numbers (approximate weights)"


def catalog_record(model_id: str):
    """The catalog's record of ``model_id`` (None when the catalog does not know it)."""
    from ..model.catalog import record_for

    return record_for(model_id)


# ── one configuration's memory ─────────────────────────────────────────────────────────
#: weight plans of recent (model, format) pairs: the page re-runs S-1 on every edit of the same model
_PLAN_CACHE: dict = {}
_PLAN_CACHE_MAX = 64


def cached_plan(record, weight_format: str, gguf: bool) -> wf.WeightPlan:
    """The weight plan of ``record`` in ``weight_format`` (read-only; shared between runs)."""
    key = (
        weight_format,
        gguf,
        record.family,
        record.n_layers,
        record.n_attention_heads,
        record.n_kv_heads,
        record.tied_embeddings,
        (record.moe or {}).get("n_experts", 0),
        tuple((t["name"], tuple(t["shape"]), t["count"], t["group"]) for t in record.tensors),
    )
    plan = _PLAN_CACHE.get(key)
    if plan is None:
        if len(_PLAN_CACHE) >= _PLAN_CACHE_MAX:
            _PLAN_CACHE.pop(next(iter(_PLAN_CACHE)))
        plan = _PLAN_CACHE[key] = wf.plan_weights(
            list(record.tensors),
            weight_format,
            n_layers=record.n_layers,
            n_heads=record.n_attention_heads,
            n_kv_heads=record.n_kv_heads,
            n_experts=(record.moe or {}).get("n_experts", 0),
            model_type=record.family,
            tied=record.tied_embeddings,
            gguf_for_float=gguf,
        )
    return plan


class Setup:
    """Everything one (format, KV dtype, engine, GPU, n_gpus) configuration puts on each GPU.

    Static parts are computed once; :meth:`kv_per_gpu`, :meth:`total_per_gpu` and :meth:`fits`
    answer for any (context, batch), so the limits and the ladder search cheaply.
    """

    def __init__(
        self, record, weight_format, kv_dtype, engine, acc, n_gpus, util, n_gpu_layers, apple, plans: dict | None = None
    ):
        self.record, self.weight_format, self.kv_dtype, self.engine = record, weight_format, kv_dtype, engine
        self.acc, self.n_gpus, self.apple = acc, n_gpus, apple
        L = record.n_layers
        plans = {} if plans is None else plans
        key = (weight_format, engine == "llama.cpp")
        if key not in plans:
            plans[key] = cached_plan(record, weight_format, engine == "llama.cpp")
        self.plan = plans[key]
        self.kv_element_bytes = sm.KV_DTYPE_BYTES[kv_dtype]
        self.capacity = usable_memory_bytes(acc)
        self.visible = sm.visible_memory_bytes(self.capacity, apple)
        self.tp = n_gpus if engine in ("vllm", "sglang") else 1
        self.layer_split = 1 if engine in ("vllm", "sglang") else n_gpus
        # KV coefficients per GPU: full/MLA layers grow with every token, windowed ones up to W
        self.kv_full = 0.0
        self.kv_windows: dict = {}
        self.kv_state = 0.0
        n_kv = record.n_kv_heads
        self.offloaded_layers = L
        if engine == "llama.cpp":
            ngl = L + 1 if n_gpu_layers is None else n_gpu_layers
            self.offloaded_layers = min(ngl, L)
            self.output_on_gpu = ngl > L
        else:
            self.output_on_gpu = True
        share_layers = self.offloaded_layers / L if L else 1.0
        if "mlp_width" not in plans:
            plans["mlp_width"] = sm.mlp_width_per_gpu(record, 1)
        self.mlp_width = plans["mlp_width"]
        if "layers" not in plans:
            groups: dict = {}
            for layer in record.layers:
                heads = layer.kv_heads or n_kv  # a layer's own KV heads where they differ (Gemma 4, MiMo)
                # a compressed layer (DeepSeek-V4) grows by e/m elements per token over the whole context
                key_l = (
                    layer.kind,
                    layer.window,
                    layer.kv_elements_per_token,
                    layer.state_elements,
                    heads,
                    layer.compressed_rate(),
                )
                groups[key_l] = groups.get(key_l, 0) + 1
            plans["layers"] = groups
        for (kind, window, elements, state, heads, compressed), count in plans["layers"].items():
            factor = sm.kv_tp_factor(kind, heads, self.tp) * share_layers / self.layer_split * count
            if kind in ("linear", "ssm"):
                self.kv_state += state * factor
            elif kind in ("sliding", "chunked", "compressed") and window:
                self.kv_windows[window] = self.kv_windows.get(window, 0) + elements * factor
            else:
                self.kv_full += elements * factor
            self.kv_full += compressed * factor
        self.kv_window_items = tuple(self.kv_windows.items())
        # weights per GPU
        by_group = self.plan.by_group
        if engine in ("vllm", "sglang"):
            self.weights_per_gpu, self.replicated = sm.tp_weight_bytes_per_gpu(by_group, self.tp)
            self.host_weights = 0
        elif engine == "llama.cpp":
            embd = by_group.get("embedding", 0)
            output = by_group.get("output", 0)
            blocks = self.plan.total_bytes - embd - output
            gpu_blocks = blocks * self.offloaded_layers // L if L else blocks
            gpu_total = gpu_blocks + (output if self.output_on_gpu else 0)
            self.weights_per_gpu = -(-gpu_total // n_gpus)
            self.host_weights = self.plan.total_bytes - gpu_total
            self.replicated = 0
        else:
            self.weights_per_gpu = -(-self.plan.total_bytes // n_gpus)
            self.host_weights = 0
            self.replicated = 0
        # engine constants
        self.cuda_context = 0 if apple else sm.CUDA_CONTEXT_BYTES
        self.tp_comm = sm.TP_COMM_BYTES if self.tp > 1 else 0
        self.cuda_graphs = sm.VLLM_CUDA_GRAPH_BYTES if engine == "vllm" and not apple else 0
        self.activation_detail: dict = {}
        self.util = None
        self.pool = None
        if engine == "vllm":
            self.util = sm.VLLM_GPU_MEMORY_UTILIZATION if util is None else util
            self.max_batched_tokens, self.max_num_seqs = sm.vllm_batch_defaults(acc["memory_bytes"], acc["label"])
            self.activation_detail = sm.vllm_activation_bytes(
                record, self.tp, self.max_batched_tokens, self.max_num_seqs, self.mlp_width
            )
            self.activation = self.activation_detail["peak_bytes"]
            self.budget = int(self.util * self.visible)
            self.pool = self.budget - self.weights_per_gpu - self.activation - self.cuda_context - self.tp_comm
        elif engine == "sglang":
            self.util = sm.sglang_mem_fraction(self.tp) if util is None else util
            self.max_batched_tokens = sm.sglang_chunked_prefill_size(acc["memory_bytes"])
            self.activation = sm.forward_activation_bytes(
                self.max_batched_tokens, record.hidden_size, sm.mlp_width_per_gpu(record, self.tp, self.mlp_width)
            )
            self.budget = int(self.util * self.visible)
            self.pool = self.budget - self.weights_per_gpu - self.cuda_context - self.tp_comm
        elif engine == "llama.cpp":
            self.activation = (
                sm.llama_cpp_compute_buffer_bytes(record, width=self.mlp_width)
                if self.offloaded_layers or self.output_on_gpu
                else 0
            )
            self.budget = self.visible
        else:
            self.activation = 0  # depends on the prompt: see prefill_bytes()
            self.budget = self.visible
        self.overhead = self.cuda_context + self.tp_comm + self.cuda_graphs
        self.pool_tokens: int | None = None  # set with the pool (vLLM, SGLang)
        if self.pool is not None:
            self.pool = max(0, self.pool)
            per_token = self.kv_bytes_one_token()
            block = sm.VLLM_BLOCK_TOKENS if engine == "vllm" else 1
            self.pool_tokens = int(self.pool // (per_token * block)) * block if per_token else 0

    # ── KV ──────────────────────────────────────────────────────────────────────
    def kv_bytes_one_token(self) -> float:
        """KV bytes per token per GPU with every window still filling (the paged pool's unit)."""
        return (self.kv_full + sum(self.kv_windows.values())) * self.kv_element_bytes

    def kv_per_gpu(self, context: int, batch: int) -> float:
        """KV bytes on one GPU for ``batch`` sequences of ``context`` tokens."""
        B = self.kv_element_bytes
        if self.engine == "llama.cpp":
            n_ctx = sm.pad_up(context * batch, sm.LLAMA_CPP_CTX_PAD)
            held = self.kv_full * n_ctx
            for w, e in self.kv_window_items:
                held += e * min(n_ctx, sm.pad_up(batch * w + sm.LLAMA_CPP_UBATCH, sm.LLAMA_CPP_CTX_PAD))
            return (held + self.kv_state * batch) * B
        if self.engine == "vllm":
            context = sm.pad_up(context, sm.VLLM_BLOCK_TOKENS)
        held = self.kv_full * context
        for w, e in self.kv_window_items:
            held += e * min(context, w)
        return (held + self.kv_state) * batch * B

    def prefill_bytes(self, context: int, batch: int) -> int:
        if self.engine != "transformers":
            return self.activation
        return sm.transformers_prefill_bytes(self.record, context * batch, batch, self.mlp_width)

    def total_per_gpu(self, context: int, batch: int) -> float:
        """Bytes on one GPU for this load: what the engine allocates (vLLM/SGLang: their whole budget)."""
        if self.pool is not None:
            used = self.weights_per_gpu + self.pool + self.overhead
            return used + (self.activation if self.engine == "vllm" else 0)
        return (
            self.weights_per_gpu + self.kv_per_gpu(context, batch) + self.prefill_bytes(context, batch) + self.overhead
        )

    def weights_fit(self) -> bool:
        if self.pool is not None and self.pool_tokens is not None:  # both set together, or neither
            return self.pool > 0 and self.pool_tokens > 0
        return self.weights_per_gpu + self.overhead + self.activation < self.budget

    def fits(self, context: int, batch: int) -> bool:
        if self.pool is not None and self.pool_tokens is not None:
            return self.pool_tokens > 0 and self.kv_per_gpu(context, batch) <= self.pool
        return self.total_per_gpu(context, batch) <= self.budget

    def _room(self) -> float:
        """Bytes left for the KV cache (pool, or budget minus everything else), for search bounds only."""
        if self.pool is not None:
            return self.pool
        return self.budget - self.weights_per_gpu - self.overhead

    def max_context(self, batch: int) -> int:
        """Largest context (tokens) that fits at ``batch`` sequences (0 if none)."""
        grow = self.kv_full * self.kv_element_bytes * batch
        hi = CONTEXT_SEARCH_MAX
        if grow > 0:  # past every window only full layers grow: the answer lies below room/growth + 2 chunks
            hi = min(hi, int(max(0, self._room()) // grow) + 2 * sm.LLAMA_CPP_CTX_PAD + 1)
        return _largest(lambda t: self.fits(t, batch), hi)

    def max_batch(self, context: int) -> int:
        per_seq = self.kv_per_gpu(context, 1)
        hi = BATCH_SEARCH_MAX
        if per_seq > 0:
            hi = min(hi, int(max(0, self._room()) // per_seq) + 2)
        return _largest(lambda b: self.fits(context, b), hi)


def _largest(ok, hi: int) -> int:
    """The largest n in [1, hi] with ok(n) (ok monotone decreasing), 0 if ok(1) is false."""
    if not ok(1):
        return 0
    if ok(hi):
        return hi
    lo = 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            lo = mid
        else:
            hi = mid
    return lo


# ── validation ─────────────────────────────────────────────────────────────────────────
GGUF_ONLY = set(wf.GGUF_FORMATS)


def check_combination(p, record, acc) -> None:
    engine, fmt = p.engine, p.weight_format
    if fmt in GGUF_ONLY and engine != "llama.cpp":
        raise ParamError(
            "invalid_value",
            f"weight_format = {fmt!r} is a llama.cpp GGUF type, but engine = {engine!r}; "
            "use engine=llama.cpp, or a format this engine loads (bf16, fp8, int8, "
            "int4-awq, int4-gptq, nf4).",
            param="weight_format",
            value=fmt,
        )
    if engine == "llama.cpp" and fmt not in GGUF_ONLY and fmt not in wf.GGUF_FLOAT_FTYPES:
        raise ParamError(
            "invalid_value",
            f"weight_format = {fmt!r} is not a GGUF type, and llama.cpp runs GGUF files; "
            f"choose one of {', '.join(wf.GGUF_FORMATS)} or bf16/fp16/fp32.",
            param="weight_format",
            value=fmt,
        )
    if fmt == "mxfp4" and not record.moe:
        raise ParamError(
            "invalid_value",
            "weight_format = 'mxfp4' quantises MoE expert weights (as gpt-oss ships "
            "it), and this model has no experts; choose fp8, int4-awq or nf4.",
            param="weight_format",
            value=fmt,
        )
    if p.kv_cache_dtype not in sm.ENGINE_KV_DTYPES[engine]:
        raise ParamError(
            "invalid_value",
            f"kv_cache_dtype = {p.kv_cache_dtype!r} is not offered by {engine}; allowed: "
            f"{', '.join(sm.ENGINE_KV_DTYPES[engine])}.",
            param="kv_cache_dtype",
            value=p.kv_cache_dtype,
        )
    if acc["kind"] == "apple" and engine in ("vllm", "sglang"):
        raise ParamError(
            "invalid_value",
            f"engine = {engine!r} does not run on Apple silicon GPUs; use "
            "engine=llama.cpp (Metal) or transformers (MPS).",
            param="engine",
            value=engine,
        )
    if engine in ("vllm", "sglang") and p.n_gpus > 1:
        h, kv = record.n_attention_heads, record.n_kv_heads
        if h % p.n_gpus:
            raise constraint_error(
                "n_gpus",
                p.n_gpus,
                f"tensor parallelism splits the {h} attention heads evenly, so n_gpus must divide {h}",
            )
        if kv % p.n_gpus and p.n_gpus % kv:
            raise constraint_error(
                "n_gpus",
                p.n_gpus,
                f"the {kv} KV heads must split evenly (n_gpus divides {kv}) or "
                f"be replicated (n_gpus a multiple of {kv})",
            )
    if p.n_gpu_layers is not None and engine != "llama.cpp":
        raise ParamError(
            "invalid_value",
            f"n_gpu_layers is llama.cpp's -ngl; engine = {engine!r} keeps every layer "
            "on the GPU. Leave it empty or use engine=llama.cpp.",
            param="n_gpu_layers",
            value=p.n_gpu_layers,
        )


def custom_accelerator(p) -> dict:
    if p.gpu_memory_GB is None:
        raise ParamError(
            "missing_param", "gpu = 'custom' needs gpu_memory_GB (the memory of one GPU).", param="gpu_memory_GB"
        )
    return {
        "id": "custom",
        "label": f"custom GPU ({p.gpu_memory_GB:g} GB)",
        "vendor": "custom",
        "kind": "custom",
        "memory_bytes": int(p.gpu_memory_GB * GiB),
        "usable_memory_share": 1.0,
        "ecc_reserve_share": 0.0,
        "source": "user input",
        "as_of": None,
    }


# ── commands ───────────────────────────────────────────────────────────────────────────
def launch_command(p, record, setup: Setup, context: int) -> str:
    model = record.id or "<model>"
    engine = p.engine
    if engine == "vllm":
        parts = ["vllm serve", model]
        quant = {
            "fp8": "fp8",
            "int8": "bitsandbytes",
            "int4-awq": "awq",
            "int4-gptq": "gptq",
            "nf4": "bitsandbytes",
            "mxfp4": "mxfp4",
        }.get(p.weight_format)
        if p.weight_format in ("int4-awq", "int4-gptq"):
            parts[1] = f"{model}  # an {p.weight_format.split('-')[1].upper()} checkpoint of it"
            parts = [parts[0], parts[1].split("  #")[0]] + [f"--quantization {quant}"]
        elif quant:
            parts.append(f"--quantization {quant}")
        if p.weight_format in ("fp16", "fp32"):
            parts.append(f"--dtype {'float16' if p.weight_format == 'fp16' else 'float32'}")
        parts.append(f"--max-model-len {context}")
        parts.append(f"--tensor-parallel-size {p.n_gpus}")
        parts.append(f"--gpu-memory-utilization {setup.util:g}")
        parts.append(f"--kv-cache-dtype {'fp8' if p.kv_cache_dtype == 'fp8' else 'auto'}")
        parts.append(f"--max-num-batched-tokens {setup.max_batched_tokens}")
        return " ".join(parts)
    if engine == "sglang":
        parts = ["python -m sglang.launch_server", f"--model-path {model}"]
        quant = {
            "fp8": "fp8",
            "int8": "w8a8_int8",
            "int4-awq": "awq",
            "int4-gptq": "gptq",
            "nf4": "bitsandbytes",
            "mxfp4": "mxfp4",
        }.get(p.weight_format)
        if quant:
            parts.append(f"--quantization {quant}")
        parts.append(f"--context-length {context}")
        parts.append(f"--max-running-requests {p.batch}")
        parts.append(f"--tp {p.n_gpus}")
        parts.append(f"--mem-fraction-static {setup.util:g}")
        if p.kv_cache_dtype == "fp8":
            parts.append("--kv-cache-dtype fp8_e4m3")
        return " ".join(parts)
    if engine == "llama.cpp":
        name = (record.id or record.label or "model").split("/")[-1]
        fmt = wf.GGUF_FLOAT_FTYPES.get(p.weight_format, p.weight_format)
        ngl = record.n_layers + 1 if p.n_gpu_layers is None else p.n_gpu_layers
        cache = {"bf16": "f16", "fp16": "f16", "fp32": "f32"}.get(p.kv_cache_dtype, p.kv_cache_dtype)
        parts = [
            "llama-server",
            f"-m {name}-{fmt}.gguf",
            f"-c {context * p.batch}",
            f"-np {p.batch}",
            f"-ngl {ngl}",
            "-fa on",
            f"-ub {sm.LLAMA_CPP_UBATCH}",
            f"--cache-type-k {cache}",
            f"--cache-type-v {cache}",
        ]
        if p.n_gpus > 1:
            parts.append("--split-mode layer")
        return " ".join(parts)
    dtype = {"fp16": "torch.float16", "fp32": "torch.float32"}.get(p.weight_format, "torch.bfloat16")
    quant = {
        "nf4": ", quantization_config=BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type='nf4', "
        "bnb_4bit_use_double_quant=True)",
        "int8": ", quantization_config=BitsAndBytesConfig(load_in_8bit=True)",
    }.get(p.weight_format, "")
    return (
        f'python -c "from transformers import AutoModelForCausalLM, BitsAndBytesConfig; import torch; '
        f"m = AutoModelForCausalLM.from_pretrained('{model}', torch_dtype={dtype}, device_map='auto'{quant})\""
    )


#: formats a launch command cannot make from the base checkpoint: point it at a quantized one
PREQUANTIZED_NOTE = {
    "int4-awq": "; point it at an AWQ checkpoint of this model (the id shown is the base model)",
    "int4-gptq": "; point it at a GPTQ checkpoint of this model (the id shown is the base model)",
    "mxfp4": "; the MXFP4 checkpoint is the one the model ships (as gpt-oss does)",
}


# ── the ladder ─────────────────────────────────────────────────────────────────────────
def ladder_options(engine: str) -> list:
    weights: tuple[str, ...]
    kvs: tuple[str, ...]
    if engine in ("vllm", "sglang"):
        weights = ("bf16", "fp8", "int4-awq")
        kvs = ("bf16", "fp8")
    elif engine == "llama.cpp":
        weights = ("bf16", "Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M", "Q2_K")
        kvs = ("bf16", "q8_0")
    else:
        weights = ("bf16", "int8", "nf4")
        kvs = ("bf16",)
    return [(w, k) for w in weights for k in kvs]


def _gpu_counts(record, engine: str) -> tuple:
    if engine in ("vllm", "sglang"):
        h, kv = record.n_attention_heads, record.n_kv_heads
        return tuple(n for n in LADDER_GPU_COUNTS if h % n == 0 and (kv % n == 0 or n % kv == 0))
    return LADDER_GPU_COUNTS


# ── run ────────────────────────────────────────────────────────────────────────────────
def run(p, chain) -> Verdict:
    record, how = resolve_model(p)
    if p.gpu == "custom":
        acc = custom_accelerator(p)
    else:
        acc = defined(find_accelerator(p.gpu))  # p.gpu is one of the accelerators' ids (a validated choice)
    apple = acc["kind"] == "apple"
    check_combination(p, record, acc)
    if p.gpu_memory_utilization is not None and p.engine not in ("vllm", "sglang"):
        raise ParamError(
            "invalid_value",
            f"gpu_memory_utilization is vLLM's / SGLang's memory share; engine = "
            f"{p.engine!r} has none. Leave it empty or use engine=vllm or sglang.",
            param="gpu_memory_utilization",
            value=p.gpu_memory_utilization,
        )
    if p.gpu != "custom" and p.gpu_memory_GB is not None:
        chain.caveat(
            f"gpu_memory_GB = {p.gpu_memory_GB:g} was ignored: it describes gpu=custom, and "
            f"{acc['label']} has its datasheet memory."
        )
    context = p.context_tokens if p.context_tokens is not None else record.T_train
    B = p.batch
    plans: dict = {}
    setup = Setup(
        record,
        p.weight_format,
        p.kv_cache_dtype,
        p.engine,
        acc,
        p.n_gpus,
        p.gpu_memory_utilization,
        p.n_gpu_layers,
        apple,
        plans,
    )
    exact = bool(getattr(record, "exact", False))

    # 1 — model
    kinds: dict = {}
    for layer in record.layers:
        kinds[layer.kind] = kinds.get(layer.kind, 0) + 1
    chain.step(
        "hf-config",
        "Model",
        "tensors and layers from the config reader (taf.model.record)",
        {"model": record.id or record.label, "source": how},
        {
            "total_params": record.total_params,
            "n_layers": record.n_layers,
            "layer_kinds": kinds,
            "n_attention_heads": record.n_attention_heads,
            "n_kv_heads": record.n_kv_heads,
            "d_head": record.d_head,
            "T_train": record.T_train,
            "T_max": record.T_max,
            "moe": None if not record.moe else {k: record.moe[k] for k in ("n_experts", "top_k")},
        },
        f"{record.label}: {record.total_params / 1e9:,.2f} B parameters, {record.n_layers} layers "
        f"({', '.join(f'{n} {k}' for k, n in kinds.items())}), "
        + (
            f"an MLA latent of {record.layers[0].kv_elements_per_token} elements per token and layer"
            if "mla" in kinds
            else f"{record.n_kv_heads} KV heads of {record.d_head}"
        )
        + f"; from {how}.",
        status="validated" if exact else None,
    )
    if not exact:
        chain.caveat(
            "The model came from architecture numbers, not a config.json: weights are approximate (attention "
            "from the heads, the rest of N as a gated MLP, no embedding detail) and the activation estimates "
            f"assume a {APPROX_VOCAB:,}-token vocabulary. Give preset= or config= for exact bytes."
        )

    # 2 — hardware
    hw_inputs = {
        "gpu": acc["id"],
        "memory_bytes": acc["memory_bytes"],
        "n_gpus": p.n_gpus,
        "usable_memory_share": acc["usable_memory_share"],
        "ecc_reserve_share": acc["ecc_reserve_share"],
        "driver_reserve_share": 0 if apple else sm.DRIVER_RESERVE_SHARE,
    }
    text = (
        f"{acc['label']}: {format_gib(acc['memory_bytes'])} per GPU × {p.n_gpus}; an engine sees "
        f"{format_gib(setup.visible)}"
    )
    notes = []
    if apple:
        notes.append(
            f"macOS lets the GPU wire {acc['usable_memory_share']:.0%} of unified memory "
            "(recommendedMaxWorkingSetSize; raise it with sudo sysctl iogpu.wired_limit_mb)"
        )
    if acc["ecc_reserve_share"]:
        notes.append("ECC on GDDR takes 1/16")
    if not apple:
        notes.append(f"the driver keeps ≈ {sm.DRIVER_RESERVE_SHARE:.0%} (estimate)")
    flops = acc.get("peak_flops") or {}
    if p.weight_format == "bf16" and "bf16" in flops and flops.get("bf16") is None and flops.get("fp16"):
        chain.caveat(
            f"{acc['label']} has no bf16 tensor cores: run the weights in fp16 (weight_format=fp16; "
            "same bytes) or expect a slow fallback."
        )
    chain.step(
        "accelerator-datasheets",
        "Memory an engine can use per GPU",
        "visible = memory × usable_share × (1 − ECC reserve) × (1 − driver reserve)",
        hw_inputs,
        setup.visible,
        text + " (" + "; ".join(notes) + ").",
        unit="bytes",
        breakdown={"source": acc.get("source"), "as_of": acc.get("as_of")},
    )

    # 3 — weights
    plan = setup.plan
    group_text = ", ".join(f"{g} {format_gb(v)}" for g, v in sorted(plan.by_group.items(), key=lambda kv: -kv[1]) if v)
    rows = [dict(r) for r in plan.rows]
    w_text = (
        f"{format_gb(plan.total_bytes)} in {p.weight_format} ({plan.bits_per_weight:.3f} bits per weight on average, "
        f"scales and higher-precision tensors included): {group_text}."
    )
    if p.engine == "llama.cpp" or p.weight_format in wf.GGUF_FORMATS:
        types = ", ".join(f"{t} {format_gb(v)}" for t, v in sorted(plan.by_type.items(), key=lambda kv: -kv[1]))
        w_text += f" GGUF types: {types} (llama.cpp's per-tensor rules, {wf.LLAMA_QUANT_SOURCE.split(',')[0]})."
    chain.step(
        "§19",
        "Weights in their storage format",
        "bytes = Σ tensors bytes(format, shape) — blocks, scales, zero points and 16-bit tensors counted as stored",
        {"weight_format": p.weight_format, "tensors": len(record.tensors)},
        plan.total_bytes,
        w_text,
        unit="bytes",
        breakdown={"by_group": plan.by_group, "by_type": plan.by_type, "tensors": rows},
        status="validated" if exact else None,
        refs=("llama-cpp",) if p.engine == "llama.cpp" else (),
    )
    for note in plan.notes:
        chain.caveat(note)
    if p.engine in ("vllm", "sglang"):
        wtext = (
            f"{format_gb(setup.weights_per_gpu)} per GPU: the matrices (embedding and LM head vocab-parallel) split "
            "over "
            f"{setup.tp} GPU(s); {format_gb(setup.replicated)} of norms/routers copied on each."
        )
        formula = "per GPU = split / tp + replicated"
    elif p.engine == "llama.cpp":
        wtext = (
            f"{format_gb(setup.weights_per_gpu)} per GPU for {setup.offloaded_layers}/{record.n_layers} layers"
            f"{' + output' if setup.output_on_gpu else ''}; {format_gb(setup.host_weights)} stay in system memory "
            "(the token embedding always: llama.cpp looks rows up on the host)."
        )
        formula = "GPU = offloaded layers + output (−ngl > n_layers); host = token embedding + the rest"
    else:
        wtext = f"{format_gb(setup.weights_per_gpu)} per GPU (device_map='auto' spreads layers over {p.n_gpus} GPU(s))."
        formula = "per GPU = weights / n_gpus"
    chain.step(
        ENGINE_REFS[p.engine],
        "Weights per GPU",
        formula,
        {"weights_bytes": plan.total_bytes, "n_gpus": p.n_gpus, "engine": p.engine},
        setup.weights_per_gpu,
        wtext,
        unit="bytes",
        breakdown={"replicated_bytes": setup.replicated, "host_bytes": setup.host_weights},
    )

    if p.engine == "vllm" and any(layer.kind in ("sliding", "chunked", "compressed") for layer in record.layers):
        chain.caveat(
            "This model has sliding-window layers. The KV here holds min(context, window) tokens per such "
            "layer; vLLM's pool is counted in tokens of every layer, while its hybrid KV-cache manager can "
            "admit more: the pool in tokens is a lower bound."
        )
    # 4 — KV cache
    Bkv = setup.kv_element_bytes
    kv_total = _int(record_kv_bytes(record, context, B, Bkv))
    kv_gpu = _int(setup.kv_per_gpu(context, B))
    per_kind: dict[str, float] = {}
    for layer in record.layers:
        per_kind[layer.kind] = (
            per_kind.get(layer.kind, 0) + (layer.kv_elements_held(context) + layer.state_elements) * B * Bkv
        )
    kv_text = (
        f"{format_gb(kv_total)} for {B} × {context:,} tokens in {p.kv_cache_dtype} "
        f"({record_kv_per_token(record, Bkv):,.0f} bytes per token while every window fills); "
        f"{format_gb(kv_gpu)} per GPU"
    )
    if p.engine in ("vllm", "sglang") and setup.tp > 1:
        kv_text += (
            f" (KV heads split over {setup.tp} GPUs"
            + ("; replicated, as there are fewer KV heads than GPUs" if record.n_kv_heads < setup.tp else "")
            + ("; MLA latents are replicated on every GPU" if "mla" in per_kind else "")
            + ")"
        )
    if p.engine == "llama.cpp":
        kv_text += (
            f" (llama.cpp allocates the whole -c {context * B:,} context at start-up"
            + (
                f"; {setup.offloaded_layers} of {record.n_layers} layers' KV on the GPU"
                if setup.offloaded_layers < record.n_layers
                else ""
            )
            + ")"
        )
    chain.step(
        "§19.1",
        "KV cache",
        "bytes = batch · B_kv · Σ_layers E_layer · min(context, window_layer) (+ fixed "
        "state); per GPU: × KV heads per GPU / KV heads",
        {"context_tokens": context, "batch": B, "kv_cache_dtype": p.kv_cache_dtype, "bytes_per_element": Bkv},
        kv_total,
        kv_text + ".",
        unit="bytes",
        breakdown={"per_layer_kind": per_kind, "per_gpu_bytes": kv_gpu},
        status="validated" if exact else None,
    )

    # 5 — activation / compute buffer (estimate)
    act = setup.prefill_bytes(context, B)
    if p.engine == "vllm":
        d = setup.activation_detail
        act_text = (
            f"≈ {format_gib(act)} profiled peak (estimate): forward pass of max_num_batched_tokens = "
            f"{setup.max_batched_tokens:,} tokens {format_gib(d['forward_bytes'])}, sampler over max_num_seqs = "
            f"{setup.max_num_seqs:,} rows {format_gib(d['sampler_bytes'])}; vLLM reserves the larger."
        )
        act_formula = "max(T_batch·2·(2d + w_mlp/tp), T_batch·2d + 2·rows·vocab·4)"
    elif p.engine == "sglang":
        act_text = (
            f"≈ {format_gib(act)} for a {setup.max_batched_tokens:,}-token prefill chunk (estimate); SGLang keeps it "
            "outside mem_fraction_static."
        )
        act_formula = "T_chunk·2·(2d + w_mlp/tp)"
    elif p.engine == "llama.cpp":
        act_text = (
            f"≈ {format_gib(act)} compute buffer for -ub {sm.LLAMA_CPP_UBATCH} (estimate: logits n_ubatch × n_vocab "
            "f32 or the FFN, whichever is wider, + three hidden-size tensors; flash attention on)."
        )
        act_formula = "n_ubatch·4·(max(n_vocab, 2·n_ff) + 3·n_embd)"
    else:
        act_text = (
            f"≈ {format_gib(act)} at the prefill of {B} × {context:,} tokens in one pass (estimate; transformers "
            "allocates as it goes)."
        )
        act_formula = "tokens·2·(2d + w_mlp) + batch·vocab·4"
    chain.step(
        ENGINE_REFS[p.engine],
        "Activation / compute buffer per GPU",
        act_formula,
        {"engine": p.engine, "hidden_size": record.hidden_size, "vocab_size": record.vocab_size},
        act,
        act_text,
        unit="bytes",
    )
    chain.caveat(
        "Activation peak, compute buffer, CUDA context, driver reserve and CUDA graphs are engine estimates "
        "(stated in steps 5–6 and checked against published start-up logs, see the README); weights and "
        "KV cache are exact arithmetic on the tensors."
    )

    # 6 — overhead
    chain.step(
        ENGINE_REFS[p.engine],
        "Runtime overhead per GPU",
        "CUDA context + TP communication buffers + CUDA graphs",
        {
            "cuda_context_bytes": setup.cuda_context,
            "tp_comm_bytes": setup.tp_comm,
            "cuda_graph_bytes": setup.cuda_graphs,
        },
        setup.overhead,
        f"≈ {format_gib(setup.overhead)} (estimate)"
        + (": none on Apple's Metal beyond the working-set limit" if apple else "")
        + ".",
        unit="bytes",
    )

    # 7 — the engine's budget
    if setup.pool is not None:
        budget_name = "gpu_memory_utilization" if p.engine == "vllm" else "mem_fraction_static"
        pool_formula = (
            "pool = util·visible − weights − activation − non-torch"
            if p.engine == "vllm"
            else "pool = mem_fraction_static·visible − weights − CUDA context − TP buffers"
        )
        per_tok = setup.kv_bytes_one_token()
        max_seqs = setup.pool_tokens // context if context else 0
        chain.step(
            ENGINE_REFS[p.engine],
            "Paged KV pool",
            pool_formula,
            {
                budget_name: setup.util,
                "visible_bytes": setup.visible,
                "weights_bytes_per_gpu": setup.weights_per_gpu,
                "activation_bytes": setup.activation if p.engine == "vllm" else 0,
                "non_torch_bytes": setup.cuda_context + setup.tp_comm,
            },
            setup.pool_tokens,
            (
                f"{format_gib(setup.pool)} for the KV cache = {setup.pool_tokens:,} tokens at {per_tok:,.0f} bytes per "
                f"token per GPU: {max_seqs:,} sequences of {context:,} tokens at once."
                if setup.pool_tokens
                else "nothing is left for the KV cache: the engine refuses to start."
            ),
            unit="tokens",
            breakdown={"pool_bytes": setup.pool},
        )
        if p.engine == "vllm" and not apple:
            headroom = setup.visible - setup.budget
            if headroom < setup.cuda_graphs:
                chain.caveat(
                    f"gpu_memory_utilization = {setup.util:g} leaves {format_gib(headroom)} outside vLLM's budget, "
                    f"less than the ≈ {format_gib(setup.cuda_graphs)} CUDA graphs take: add --enforce-eager or lower "
                    "it."
                )
        if p.engine == "sglang" and setup.activation + sm.VLLM_CUDA_GRAPH_BYTES > setup.visible - setup.budget:
            chain.caveat(
                f"mem_fraction_static = {setup.util:g} leaves {format_gib(setup.visible - setup.budget)} for "
                f"activations (≈ {format_gib(setup.activation)}) and CUDA graphs: lower it if SGLang runs out of "
                "memory at start-up."
            )
    elif setup.host_weights:
        chain.step(
            ENGINE_REFS[p.engine],
            "System memory (host)",
            "token embedding + layers not offloaded",
            {"host_weight_bytes": setup.host_weights},
            setup.host_weights,
            f"{format_gb(setup.host_weights)} of weights in system RAM (mmap'd from the GGUF file).",
            unit="bytes",
        )

    # 8 — total
    total = _int(setup.total_per_gpu(context, B))
    fits = setup.fits(context, B)
    capacity = acc["memory_bytes"]
    chain.step(
        "§20",
        "Total per GPU against capacity",
        "total = weights + KV (vLLM/SGLang: the whole pool) + activation + overhead ≤ visible memory",
        {
            "weights_bytes_per_gpu": setup.weights_per_gpu,
            "kv_bytes_per_gpu": kv_gpu,
            "activation_bytes_per_gpu": act,
            "overhead_bytes_per_gpu": setup.overhead,
            "capacity_bytes_per_gpu": capacity,
        },
        total,
        f"{format_gb(total)} of {format_gb(capacity)} per GPU ({total / capacity:.0%})"
        + (
            f"; the {B} × {context:,}-token KV cache needs {format_gb(kv_gpu)} of the {format_gb(setup.pool)} pool"
            if setup.pool is not None
            else ""
        )
        + ("" if fits else " — does not fit")
        + ".",
        unit="bytes",
    )

    # 9 — limits
    max_ctx = setup.max_context(B)
    max_b = setup.max_batch(context)
    T_cap = record.T_max
    chain.step(
        "§20",
        "Limits at this configuration",
        "largest context with batch fixed; most sequences with context fixed (searched on the memory model)",
        {"batch": B, "context_tokens": context},
        {"max_context_tokens": max_ctx, "max_batch": max_b},
        (f"up to {max_ctx:,} tokens per sequence at batch {B}" if max_ctx else "no context fits at this batch")
        + (f" (the model is trained for {T_cap:,})" if max_ctx > T_cap else "")
        + f"; up to {max_b:,} sequences of {context:,} tokens."
        if max_ctx or max_b
        else "nothing fits: the weights and engine overhead alone exceed the memory.",
    )
    if context > record.T_max:
        chain.caveat(
            f"context_tokens = {context:,} is above the model's maximum {record.T_max:,} "
            "(max_position_embeddings): the memory is computed, but the model was not trained for it and "
            "vLLM refuses it without VLLM_ALLOW_LONG_MAX_MODEL_LEN=1."
        )

    # 10 — ladder
    ladder = []
    best = None
    for w, k in ladder_options(p.engine):
        if w == "mxfp4" and not record.moe:
            continue
        s = Setup(record, w, k, p.engine, acc, p.n_gpus, p.gpu_memory_utilization, p.n_gpu_layers, apple, plans)
        ok = s.fits(context, B)
        row = {
            "weight_format": w,
            "kv_cache_dtype": k,
            "weights_bytes_per_gpu": s.weights_per_gpu,
            "fits": ok,
            "max_context_tokens": s.max_context(B),
        }
        ladder.append(row)
        if ok and best is None:
            best = row
    needed_gpus = None
    for n in _gpu_counts(record, p.engine):
        if n <= p.n_gpus:
            continue
        s = Setup(
            record,
            p.weight_format,
            p.kv_cache_dtype,
            p.engine,
            acc,
            n,
            p.gpu_memory_utilization,
            p.n_gpu_layers,
            apple,
            plans,
        )
        if s.fits(context, B):
            needed_gpus = n
            break
    lad_text = (
        f"best that fits {B} × {context:,} tokens: {best['weight_format']} weights with {best['kv_cache_dtype']} KV"
        if best
        else f"no format on the ladder fits {B} × {context:,} tokens on {p.n_gpus} GPU(s)"
    )
    if not fits:
        lad_text += (
            f"; in {p.weight_format} it takes {needed_gpus} GPUs"
            if needed_gpus
            else f"; in {p.weight_format} not even {max(LADDER_GPU_COUNTS)} GPUs suffice"
        )
    chain.step(
        "§20",
        "Precision ladder",
        "highest-precision weight format (then KV dtype) that fits; GPUs needed at the chosen format",
        {"engine": p.engine, "n_gpus": p.n_gpus},
        ladder,
        lad_text + ".",
        breakdown={"best": best, "gpus_needed_at_format": needed_gpus if not fits else p.n_gpus},
    )

    # 11 — command
    if fits or max_ctx:
        run_context = context if fits else min(max_ctx, context)
        command = launch_command(p, record, setup, run_context)
        cmd_text = (
            "Runs this configuration"
            + ("" if fits else f" at the largest context that fits ({run_context:,})")
            + "; its flags (context, TP degree, memory share, KV dtype) are what the estimate assumed"
            + PREQUANTIZED_NOTE.get(p.weight_format, "")
            + "."
        )
    elif best or needed_gpus:
        alt_p = (
            _with(p, weight_format=best["weight_format"], kv_cache_dtype=best["kv_cache_dtype"])
            if best
            else _with(p, n_gpus=needed_gpus)
        )
        alt_setup = Setup(
            record,
            alt_p.weight_format,
            alt_p.kv_cache_dtype,
            p.engine,
            acc,
            alt_p.n_gpus,
            p.gpu_memory_utilization,
            p.n_gpu_layers,
            apple,
            plans,
        )
        command = launch_command(alt_p, record, alt_setup, context)
        cmd_text = (
            "This configuration cannot start; the command runs the ladder's alternative ("
            + (f"{alt_p.weight_format} weights, {alt_p.kv_cache_dtype} KV" if best else f"{needed_gpus} GPUs")
            + ") with the flags that estimate assumed."
        )
    else:
        command = ""
        cmd_text = "Nothing on the ladder fits, so there is no command to run."
    chain.step(
        ENGINE_REFS[p.engine],
        "Launch command",
        "the flags this estimate assumed",
        {"engine": p.engine},
        command,
        cmd_text,
    )

    # verdict
    figures = {
        "weights_bytes": plan.total_bytes,
        "weights_bytes_per_gpu": setup.weights_per_gpu,
        "kv_bytes": kv_total,
        "kv_bytes_per_gpu": kv_gpu,
        "activation_bytes_per_gpu": act,
        "overhead_bytes_per_gpu": setup.overhead,
        "total_bytes_per_gpu": total,
        "capacity_bytes_per_gpu": capacity,
        "fits": fits,
        "max_context_tokens": max_ctx,
        "max_batch": max_b,
        "kv_pool_tokens": setup.pool_tokens,
        "host_bytes": setup.host_weights,
    }
    charts = [memory_chart(p, setup, kv_gpu, act, capacity)]
    where = f"{p.n_gpus}× {acc['label']}" if p.n_gpus > 1 else acc["label"]
    what = f"{record.label} in {p.weight_format} ({p.kv_cache_dtype} KV) on {where} with {p.engine}"
    if fits:
        reason = (
            f"{what}: {format_gb(total)} of {format_gb(capacity)} per GPU for {B} × {context:,} tokens"
            + (f"; the KV pool holds {setup.pool_tokens:,} tokens" if setup.pool_tokens else "")
            + "."
        )
        mitigation = (
            f"Run: {command}. Headroom: up to {max_ctx:,} tokens at batch {B}, or {max_b:,} sequences of "
            f"{context:,} tokens."
        )
        return Verdict("FITS", reason, mitigation, tone="good", figures=figures, charts=charts)
    if max_ctx or max_b:
        limits = []
        if max_ctx:
            limits.append(f"{max_ctx:,} tokens per sequence at batch {B}")
        if max_b:
            limits.append(f"{max_b:,} sequence(s) of {context:,} tokens")
        reason = f"{what}: the weights fit, but {B} × {context:,} tokens do not; it fits " + " or ".join(limits) + "."
        alt = _alternatives(best, needed_gpus, p)
        return Verdict(
            "FITS WITH LIMITS",
            reason,
            f"Run it within those limits ({command}){alt}",
            tone="caution",
            figures=figures,
            charts=charts,
        )
    reason = (
        f"{what}: weights {format_gb(setup.weights_per_gpu)} per GPU plus engine overhead leave no room on "
        f"{format_gb(capacity)}."
    )
    alt = _alternatives(best, needed_gpus, p).lstrip("; ")
    mitigation = (
        (alt[0].upper() + alt[1:] + (f" Run: {command}" if command else ""))
        if len(alt) > 1
        else "Nothing on the precision ladder fits this GPU; use a larger GPU or more GPUs."
    )
    return Verdict("DOES NOT FIT", reason, mitigation, tone="bad", figures=figures, charts=charts)


def _with(p, **changes):
    from types import SimpleNamespace

    values = dict(vars(p))
    values.update(changes)
    return SimpleNamespace(**values)


def _alternatives(best, needed_gpus, p) -> str:
    parts = []
    if best:
        parts.append(f"{best['weight_format']} weights with {best['kv_cache_dtype']} KV fit on {p.n_gpus} GPU(s)")
    if needed_gpus:
        parts.append(f"{p.weight_format} fits on {needed_gpus} GPUs (n_gpus={needed_gpus})")
    return ("; or: " + "; or ".join(parts) + ".") if parts else "."


def _int(x: float) -> int:
    """Bytes as an integer (KV sizes at fractional bytes per element round up)."""
    return int(-(-x // 1))


def record_kv_bytes(record, context: int, batch: int, bytes_per_element: float) -> float:
    """KV bytes of ``batch`` sequences at ``context`` from the layer specs (exact or approximate record alike)."""
    elements = sum(layer.kv_elements_held(context) + layer.state_elements for layer in record.layers)
    return elements * batch * bytes_per_element


def record_kv_per_token(record, bytes_per_element: float) -> float:
    return sum(layer.kv_rate() for layer in record.layers) * bytes_per_element


def memory_chart(p, setup: Setup, kv_gpu: float, act: float, capacity: int) -> dict:
    segments: list[tuple[str, float]] = [("weights", setup.weights_per_gpu)]
    if setup.pool is not None:
        used = min(kv_gpu, setup.pool)
        segments.append(("KV cache in use", used))
        segments.append(("KV pool, free", max(0, setup.pool - used)))
        if kv_gpu > setup.pool:
            segments.append(("KV cache beyond the pool", kv_gpu - setup.pool))
    else:
        segments.append(("KV cache", kv_gpu))
    segments.append(("activation / compute buffer", act if setup.engine != "sglang" else 0))
    segments.append(("runtime overhead", setup.overhead))
    series = [{"name": name, "values": [round(value / GB, 4)]} for name, value in segments]
    markers = [
        {"axis": "y", "value": round(capacity / GB, 4), "label": "capacity"},
        {"axis": "y", "value": round(setup.visible / GB, 4), "label": "usable by the engine"},
    ]
    if setup.util is not None:
        markers.append(
            {
                "axis": "y",
                "value": round(setup.budget / GB, 4),
                "label": f"{'gpu_memory_utilization' if setup.engine == 'vllm' else 'mem_fraction_static'} "
                f"{setup.util:g}",
            }
        )
    return chart(
        "s1-memory",
        "stacked_bar",
        "Memory per GPU against capacity",
        x={"label": "GPU", "unit": "", "categories": ["per GPU"]},
        y={"label": "memory", "unit": "GB", "scale": "linear"},
        series=series,
        markers=markers,
        note="Each segment is one component of the memory on one GPU (GB = 10⁹ bytes); the lines mark the "
        "GPU's capacity, what the engine can see, and the engine's budget.",
    )


RECIPE = Recipe(
    id="S-1",
    name="Will it fit?",
    description="Does model M fit on my GPU at this context, in this format and engine — and how many users?",
    category="serving",
    sections=("§19", "§20"),
    params=PARAMS,
    run=run,
    in_profile=False,
)
