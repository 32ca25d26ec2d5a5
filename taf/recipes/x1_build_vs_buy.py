"""X-1 Custom Training vs API: train a custom model or pay a hosted API?

The TAF Agent module's six steps (§17.30 Chinchilla D, §17.10 FLOPs, §20.11 training cost,
§19.9/§20.12 self-hosted $/Mtok, §24 blended API price, §24.3 break-even volume)
and its verdict rule, with the SPEC §5 corrections: an unknown GPU or API model is
an ``unknown_choice`` error (the TAF Agent module crashed, or priced an unknown API at $2/$8);
a GPU with no rental price cannot be costed (an error, not $0); zero volume, zero
GPUs and zero MFU are rejected by range.
"""

from __future__ import annotations

import math

from ..chain import Verdict, chart
from ..data.api_prices import API_PRICES_BY_NAME
from ..data.gpus import TAF_AGENT_AS_OF
from ..formulas import economics as econ
from ..formulas import hardware as hw
from ..formulas.inference import BYTES_BF16, decode_tokens_per_second, model_weights_gb
from ..formulas.scaling import chinchilla_optimal_tokens, training_flops
from ..numeric import defined
from ..params import Param
from ..textfmt import format_fixed, format_plain, format_scientific, format_si, format_usd
from .base import N_PARAMS, Recipe, constraint_error
from .econ_common import MFU, api_model_param, gpu_param, priced_gpu
from .model_steps import decode_weights_gb

N_PARAMS_X1 = N_PARAMS.replace(
    name="N_params", min=1, min_exclusive=False, help="Size of the custom model you would train (total parameters)."
)
D_TOKENS = Param(
    "D_tokens",
    "float",
    "Training tokens (default: Chinchilla-optimal D = 20·N).",
    unit="tokens",
    default=None,
    min=0,
    min_exclusive=True,
    max=1e18,
)
GPU = gpu_param("GPU used to train and to serve the custom model (must have a rental price).")
N_GPUS = Param(
    "n_gpus",
    "int",
    "Number of GPUs for the training run.",
    unit="GPUs",
    default=8,
    min=0,
    min_exclusive=True,
    max=1_000_000,
)
API_MODEL = api_model_param()
MONTHLY_TOKENS_M = Param(
    "monthly_tokens_M",
    "float",
    "Your token volume per month, in millions of tokens.",
    unit="Mtok/month",
    default=10.0,
    min=0,
    min_exclusive=True,
    max=1e12,
)

PARAMS = (N_PARAMS_X1, D_TOKENS, GPU, N_GPUS, MFU, API_MODEL, MONTHLY_TOKENS_M)

#: the TAF Agent module serves the custom model in BF16, one user at a time
SERVING_BYTES_PER_WEIGHT = BYTES_BF16
SERVING_BATCH = 1


#: how each answer reads for "train custom or pay an API?"
TONES = {"YES (custom)": "good", "NO (API)": "caution", "NO": "bad"}

#: monthly volumes of the cost chart: 1 to 10^8 million tokens a month, one point per decade
CHART_VOLUMES_MTOK = tuple(10.0**k for k in range(0, 9))


def cost_chart(train_usd: float, self_price: float, api_price: float, volume: float, break_even, api_model: str):
    """Cost of one month of traffic against monthly volume: the API, and custom (training + serving)."""
    volumes = sorted(set(CHART_VOLUMES_MTOK) | {float(volume)} | ({float(break_even)} if break_even else set()))
    markers = [{"axis": "x", "value": volume, "label": "your volume"}]
    if break_even:
        markers.append({"axis": "x", "value": break_even, "label": "break-even"})
    return chart(
        "cost_vs_volume",
        "line",
        "Cost of one month of traffic against monthly volume",
        x={"label": "monthly volume", "unit": "Mtok/month", "scale": "log"},
        y={"label": "cost", "unit": "USD", "scale": "log"},
        series=[
            {"name": f"{api_model} API", "points": [[v, api_price * v] for v in volumes]},
            {
                "name": "custom: training + self-hosted serving",
                "points": [[v, train_usd + self_price * v] for v in volumes],
            },
        ],
        markers=markers,
        note="Custom pays back within a month where its line falls below the API's (the verdict rule).",
    )


def run(p, chain) -> Verdict:
    gpu = priced_gpu(p.gpu, "training and serving on it")
    api = API_PRICES_BY_NAME[p.api_model]

    # 1 — Chinchilla-optimal D
    d_opt = chinchilla_optimal_tokens(p.N_params)
    d_used = d_opt if p.D_tokens is None else p.D_tokens
    text = f"recommended D = {format_si(d_opt)} tokens (20 tokens per parameter)"
    if p.D_tokens is not None:
        text += f"; using your D_tokens = {format_si(d_used)} tokens ({d_used / p.N_params:.3g} tokens per parameter)"
    chain.step(
        "§17.30",
        "Chinchilla optimal D",
        "D = 20·N",
        {"N_params": p.N_params},
        d_opt,
        text,
        unit="tokens",
        status="validated",
    )

    # 2 — training FLOPs
    flops = training_flops(p.N_params, d_used)
    chain.step(
        "§17.10",
        "Training FLOPs",
        "C = 6·N·D",
        {"N": p.N_params, "D": d_used},
        flops,
        f"{format_scientific(flops)} FLOPs total",
        unit="FLOPs",
        status="validated",
    )

    # 3 — training cost
    run_cost = hw.training_run_cost(p.N_params, d_used, gpu["bf16_tflops"], gpu["usd_per_hour"], p.n_gpus, p.mfu)
    if run_cost is None or run_cost["USD"] is None:
        # only an absurdly small MFU makes the run time overflow (N, D and n_gpus are bounded)
        raise constraint_error(
            "mfu",
            p.mfu,
            "at this MFU the training run would take longer than can be "
            "represented; give a realistic utilisation such as 0.3–0.6",
        )
    train_usd = run_cost["USD"]
    chain.step(
        "§20.11",
        "Training cost",
        "hours = C / (peak·10¹²·MFU·n_gpus) / 3600;  USD = hours · USD/h · n_gpus",
        {
            "gpu": p.gpu,
            "peak_TFLOPs": gpu["bf16_tflops"],
            "usd_per_hour": gpu["usd_per_hour"],
            "n_gpus": p.n_gpus,
            "mfu": p.mfu,
            "total_FLOPs": flops,
        },
        train_usd,
        f"{format_usd(train_usd)} over {run_cost['days']:.1f} days ({format_fixed(run_cost['hours'], 0)} h wall-clock, "
        f"{format_fixed(run_cost['gpu_hours'], 0)} GPU-hours) on {p.n_gpus}× {p.gpu} at {p.mfu * 100:.0f} % MFU",
        unit="USD",
        breakdown={
            "hours": run_cost["hours"],
            "days": run_cost["days"],
            "gpu_hours": run_cost["gpu_hours"],
            "effective_FLOPs_per_s": run_cost["effective_FLOPs_per_s"],
        },
    )

    # 4 — self-hosted serving price (memory-bound decode, one GPU, one user)
    # N > 0 and a priced GPU (bandwidth > 0, price > 0): each formula below is inside its domain
    model_gb = defined(model_weights_gb(p.N_params, SERVING_BYTES_PER_WEIGHT))
    # a mixture-of-experts model (from its record) reads only its active experts per decoded token
    read_gb, moe_active = decode_weights_gb(p, model_gb, SERVING_BYTES_PER_WEIGHT)
    tok_s = defined(decode_tokens_per_second(gpu["bandwidth_gb_s"], read_gb)) * SERVING_BATCH
    self_price = defined(
        hw.self_hosted_usd_per_mtok(gpu["bandwidth_gb_s"], read_gb, gpu["usd_per_hour"], SERVING_BATCH)
    )
    inputs = {
        "model_GB": model_gb,
        "gpu": p.gpu,
        "bandwidth_GB_s": gpu["bandwidth_gb_s"],
        "usd_per_hour": gpu["usd_per_hour"],
    }
    if moe_active:
        inputs["active_model_GB"] = read_gb
    chain.step(
        "§19.9 / §20.12",
        "Self-inference $/Mtok",
        (
            "tok/s = BW / active_model_GB (BF16, batch 1; MoE: the active experts' weights)"
            if moe_active
            else "tok/s = BW / model_GB (BF16, batch 1)"
        )
        + ";  USD/Mtok = 10⁶ / tok/s / 3600 · USD/h",
        inputs,
        self_price,
        f"{format_usd(self_price)} per million tokens (single user: {tok_s:,.0f} tok/s on one {p.gpu}"
        + (
            f"; {read_gb:,.1f} of {model_gb:,.1f} GB of weights read per token, the active experts)"
            if moe_active
            else ")"
        ),
        unit="USD/Mtok",
        breakdown={"tok_per_sec": tok_s, "batch": SERVING_BATCH},
    )

    # 5 — blended API price
    # the catalog's prices are ≥ 0
    api_price = defined(econ.api_blended_usd_per_mtok(api["input_usd_per_mtok"], api["output_usd_per_mtok"]))
    chain.step(
        "§24",
        f"{p.api_model} blended price",
        "(input + output) / 2 USD/Mtok",
        {
            "api_model": p.api_model,
            "input_USD_per_Mtok": api["input_usd_per_mtok"],
            "output_USD_per_Mtok": api["output_usd_per_mtok"],
        },
        api_price,
        f"{format_usd(api_price)}/Mtok blended (input {format_usd(api['input_usd_per_mtok'])}, "
        f"output {format_usd(api['output_usd_per_mtok'])} per Mtok)",
        unit="USD/Mtok",
    )

    # 6 — break-even volume
    be = econ.break_even_volume(train_usd, api_price, self_price)
    mtok = be["Mtok_breakeven"]
    months = econ.months_to_break_even(mtok, p.monthly_tokens_M)
    never = be["savings_per_Mtok"] <= 0
    if never:
        text = (
            f"never breaks even: self-hosting costs {format_usd(self_price)}/Mtok, the API "
            f"{format_usd(api_price)}/Mtok "
            f"(savings {format_usd(be['savings_per_Mtok'])}/Mtok ≤ 0)"
        )
    elif mtok is None or months is None:
        text = (
            f"effectively never: {be['reason'] if mtok is None else 'the payback time overflows'} "
            f"(saves {format_usd(be['savings_per_Mtok'])}/Mtok against {format_usd(train_usd)} of training)"
        )
    else:
        text = (
            f"break-even at {format_fixed(mtok, 0)} Mtok ({months:,.1f} months at {format_plain(p.monthly_tokens_M)} M "
            f"tokens/month; saves {format_usd(be['savings_per_Mtok'])}/Mtok)"
        )
    chain.step(
        "§24.3",
        "Break-even tokens",
        "Mtok = training USD / (API − self USD/Mtok)",
        {"training_cost": train_usd, "api_USD_per_Mtok": api_price, "self_USD_per_Mtok": self_price},
        mtok,
        text,
        unit="Mtok",
        breakdown={
            "savings_per_Mtok": be["savings_per_Mtok"],
            "tokens_breakeven": be["tokens_breakeven"],
            "months_at_your_volume": months,
        },
    )

    # 7 — T-1's accounting of the training state per GPU (X-1, X-3 and T-1 agree)
    from .t1_training import training_state_step

    state = training_state_step(chain, p.N_params, p.n_gpus, gpu["vram_gb"] * 1e9, p.gpu)
    if not state["fits"]:
        need = math.ceil(state["bytes_per_param"] * p.N_params / (gpu["vram_gb"] * 1e9))
        chain.caveat(
            f"Training {format_si(p.N_params)} parameters needs {state['per_gpu'] / 1e9:,.0f} GB of training state "
            f"per GPU on {p.n_gpus}× {p.gpu} even with ZeRO-3 (T-1): at least {need} such GPUs, before "
            "activations. The cost above assumes the run fits."
        )

    # caveats
    chain.caveat(
        "Self-hosted $/Mtok assumes one user at a time (batch 1) and memory-bound decode on one "
        f"{p.gpu} with BF16 weights: a pessimistic serving cost — batching users lowers it roughly in "
        "proportion until decode becomes compute-bound, and prefill (input) tokens are far cheaper than "
        "decoded ones."
    )
    chain.caveat(
        "The API price is blended 50/50, (input + output) / 2; input-heavy traffic (long prompts, short "
        "answers) makes the API cheaper than this."
    )
    chain.caveat(
        "Training cost is GPU rental for one run at the given MFU (C = 6·N·D): no data, engineering, "
        "evaluation, failed runs or idle time. GPU and API prices are a snapshot as of "
        f"{TAF_AGENT_AS_OF}."
    )
    chain.caveat(
        "Assumes the custom model matches the API model's quality on your task; the recipe does not check that."
    )
    chain.caveat(
        "Verdict rule: YES (custom) only when one month of your volume covers the training cost "
        "(payback ≤ 1 month); slower paybacks are NO (API), with the months shown."
    )
    if model_gb > gpu["vram_gb"]:
        k = math.ceil(model_gb / gpu["vram_gb"])
        chain.caveat(
            f"The BF16 weights ({model_gb:,.1f} GB) exceed one {p.gpu}'s {gpu['vram_gb']:.0f} GB: serving "
            f"needs ≥ {k} GPUs (tensor parallel). In this memory-bound model that leaves $/Mtok unchanged "
            f"({k}× the bandwidth at {k}× the price)."
        )

    # verdict
    figures = {
        "chinchilla_tokens": d_opt,
        "training_tokens": d_used,
        "training_flops": flops,
        "training_cost_usd": train_usd,
        "training_days": run_cost["days"],
        "self_hosted_usd_per_mtok": self_price,
        "api_usd_per_mtok": api_price,
        "break_even_mtok": mtok,
        "months_to_break_even": months,
    }
    charts = [cost_chart(train_usd, self_price, api_price, p.monthly_tokens_M, mtok, p.api_model)]

    def answer(label: str, reason: str, mitigation: str) -> Verdict:
        return Verdict(label, reason, mitigation, tone=TONES[label], figures=figures, charts=charts)

    if never:
        return answer(
            "NO",
            f"Self-hosting costs {format_usd(self_price)}/Mtok, at least the {p.api_model} API's "
            f"{format_usd(api_price)}/Mtok: it never breaks even.",
            f"Stick with {p.api_model} API.",
        )
    if mtok is None or months is None:
        return answer(
            "NO (API)",
            f"At {format_plain(p.monthly_tokens_M)} M tokens/month, saving {format_usd(be['savings_per_Mtok'])}/Mtok "
            f"never "
            f"recovers {format_usd(train_usd)} of training in any realistic time.",
            f"Use {p.api_model} API (cheaper for your volume).",
        )
    if p.monthly_tokens_M >= mtok:
        return answer(
            "YES (custom)",
            f"At {format_plain(p.monthly_tokens_M)} M tokens/month, break-even in {months:.1f} months "
            f"(training {format_usd(train_usd)}, saving {format_usd(be['savings_per_Mtok'])}/Mtok). "
            "Long-term custom is cheaper.",
            f"Train on {p.n_gpus}× {p.gpu}; serve self-hosted.",
        )
    return answer(
        "NO (API)",
        f"At {format_plain(p.monthly_tokens_M)} M tokens/month, break-even in {months:,.1f} months — too slow "
        f"(training {format_usd(train_usd)} ÷ savings {format_usd(be['savings_per_Mtok'])}/Mtok = "
        f"{format_fixed(mtok, 0)} Mtok).",
        f"Use {p.api_model} API (cheaper for your volume); custom pays back within a month only from "
        f"{format_fixed(mtok, 0)} M tokens/month.",
    )


RECIPE = Recipe(
    id="X-1",
    name="Custom Training vs API",
    description="Should I train a custom model or use a frontier API for my domain task?",
    category="build-vs-buy",
    sections=("§17", "§19", "§20", "§24"),
    params=PARAMS,
    run=run,
)
