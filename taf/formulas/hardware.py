"""§20 Hardware and cost: training-run time and price, affordable compute, self-hosted $/Mtok.

A GPU with no rental price (``usd_per_hour`` is ``None`` — local / owned hardware)
cannot be costed: every cost function then returns ``None``, never $0.
"""

from __future__ import annotations

import math
from typing import TypeGuard

SECONDS_PER_HOUR = 3600.0
HOURS_PER_DAY = 24.0
TERA = 1e12
MEGA = 1e6


def _has_price(usd_per_hour: float | None) -> TypeGuard[float]:
    """A positive rental price (a float, so the callers' arithmetic is typed as such)."""
    return usd_per_hour is not None and usd_per_hour > 0


def effective_flops_per_second(peak_tflops: float, mfu: float, n_gpus: float) -> float | None:
    """Sustained cluster compute: FLOP/s = peak · 10^12 · MFU · n_gpus.

    Units: FLOP/s; peak in TFLOP/s per GPU; MFU (model FLOPs utilisation) a fraction
    in (0, 1]; n_gpus ≥ 1. Domain: peak > 0, 0 < MFU ≤ 1, n_gpus > 0; ``None``
    otherwise (and when the product underflows to 0 or overflows). Section §20.11.
    Evidence: validated (exact arithmetic given MFU; MFU itself is an estimate).
    """
    if peak_tflops <= 0 or not 0 < mfu <= 1 or n_gpus <= 0:
        return None
    rate = peak_tflops * TERA * mfu * n_gpus
    return rate if 0 < rate < math.inf else None


def training_hours(n_params: float, n_tokens: float, peak_tflops: float, mfu: float, n_gpus: float) -> float | None:
    """§20.11 Wall-clock training time: hours = 6·N·D / (peak · MFU · n_gpus) / 3600.

    Units: hours; N in parameters, D in tokens, peak in TFLOP/s per GPU (×10^12),
    MFU a fraction, n_gpus a count. Domain: N, D ≥ 0 and the domain of
    :func:`effective_flops_per_second`; ``None`` outside it (and when the time
    overflows the floating-point range). Uses C = 6ND (§17.10).
    TAF Agent module: ``cost_per_training_run``. Evidence: validated accounting; MFU is the user's
    estimate.
    """
    rate = effective_flops_per_second(peak_tflops, mfu, n_gpus)
    if rate is None or n_params < 0 or n_tokens < 0:
        return None
    hours = 6 * n_params * n_tokens / rate / SECONDS_PER_HOUR
    return hours if math.isfinite(hours) else None


def training_cost_usd(hours: float | None, usd_per_hour: float | None, n_gpus: float) -> float | None:
    """§20.11 Training-run price: USD = hours · (USD per GPU-hour) · n_gpus.

    Units: USD; hours wall-clock; price per GPU-hour. Domain: hours ≥ 0, price > 0,
    n_gpus > 0. A GPU without a rental price (``None`` or ≤ 0) returns ``None`` — it
    is never costed at $0. Evidence: exact arithmetic (prices are a dated snapshot).
    """
    if hours is None or hours < 0 or not _has_price(usd_per_hour) or n_gpus <= 0:
        return None
    cost = hours * usd_per_hour * n_gpus
    return cost if math.isfinite(cost) else None


def training_run_cost(
    n_params: float, n_tokens: float, peak_tflops: float, usd_per_hour: float | None, n_gpus: int, mfu: float
) -> dict | None:
    """§20.11 A whole training run: FLOPs, hours, days, GPU-hours and USD.

    Returns ``{"total_FLOPs", "effective_FLOPs_per_s", "hours", "days", "gpu_hours",
    "USD"}`` (FLOPs, FLOP/s, hours, days, GPU-hours, USD). ``USD`` is ``None`` when
    the GPU has no rental price (or the cost overflows). ``None`` when the time itself
    is undefined (see :func:`training_hours`) or the GPU-hours overflow. Evidence: as :func:`training_hours`.
    """
    hours = training_hours(n_params, n_tokens, peak_tflops, mfu, n_gpus)
    if hours is None:
        return None
    gpu_hours = hours * n_gpus
    if not math.isfinite(gpu_hours):
        return None
    return {
        "total_FLOPs": 6 * n_params * n_tokens,
        "effective_FLOPs_per_s": effective_flops_per_second(peak_tflops, mfu, n_gpus),
        "hours": hours,
        "days": hours / HOURS_PER_DAY,
        "gpu_hours": gpu_hours,
        "USD": training_cost_usd(hours, usd_per_hour, n_gpus),
    }


def affordable_hours(usd_budget: float, usd_per_hour: float | None, n_gpus: float) -> float | None:
    """§20.11 inverse: wall-clock hours a budget buys on n GPUs: hours = USD / (price · n_gpus).

    Units: hours (wall-clock; GPU-hours = hours · n_gpus). Domain: budget ≥ 0,
    price > 0, n_gpus > 0; ``None`` otherwise (a GPU with no rental price has no
    affordable-hours figure — it is not infinite). Evidence: exact arithmetic.
    """
    if usd_budget < 0 or not _has_price(usd_per_hour) or n_gpus <= 0:
        return None
    return usd_budget / (usd_per_hour * n_gpus)


def compute_in_hours(peak_tflops: float, mfu: float, n_gpus: float, hours: float) -> float | None:
    """§17.10 / §20.11 Training compute delivered in a time: C = peak · 10^12 · MFU · n_gpus · hours · 3600.

    Units: FLOPs. Domain: as :func:`effective_flops_per_second`, hours ≥ 0; ``None``
    otherwise. Evidence: exact given MFU.
    """
    rate = effective_flops_per_second(peak_tflops, mfu, n_gpus)
    if rate is None or hours is None or hours < 0:
        return None
    return rate * hours * SECONDS_PER_HOUR


def usd_per_mtok(tokens_per_second: float | None, usd_per_hour: float | None) -> float | None:
    """§19.9 / §20.12 Price of a million generated tokens: USD/Mtok = (10^6 / tok/s) / 3600 · USD/h.

    Units: USD per million tokens; throughput in tokens per second; price in USD per
    hour of the hardware producing that throughput. Domain: tok/s > 0 and price > 0;
    ``None`` otherwise (no rental price → no cost, never $0). Evidence: exact
    arithmetic on the throughput estimate.
    """
    if tokens_per_second is None or tokens_per_second <= 0 or not _has_price(usd_per_hour):
        return None
    return MEGA / tokens_per_second / SECONDS_PER_HOUR * usd_per_hour


def self_hosted_usd_per_mtok(
    bandwidth_gb_s: float, model_gb: float, usd_per_hour: float | None, batch: int = 1
) -> float | None:
    """§19.9 / §20.12 Self-hosted serving price from memory-bound decode on one GPU.

    tok/s = bandwidth / model_GB · batch (§19.7);  USD/Mtok = 10^6 / tok/s / 3600 · USD/h.

    Units: USD per million tokens; bandwidth in GB/s; model size in GB; price per
    GPU-hour. Domain: bandwidth > 0, model_gb > 0, batch ≥ 1, price > 0; ``None``
    otherwise (in particular for a GPU with no rental price). With batch = 1 this is
    the single-user worst case: batching divides it roughly by the batch size until
    decode becomes compute-bound. TAF Agent module: ``cost_per_inference_token``. Evidence:
    heuristic (roofline estimate).
    """
    if bandwidth_gb_s <= 0 or model_gb <= 0 or batch < 1:
        return None
    return usd_per_mtok(bandwidth_gb_s / model_gb * batch, usd_per_hour)
