"""The accelerator T-1 trains on: S-1's catalog (``taf.data.accelerators``) or ``custom`` hardware.

The ``gpu`` parameter and the ``gpu_memory_GB`` / ``gpu_tflops`` custom values are S-1's own
declarations (one source of truth); the rental price comes from ``taf.data.rental_prices`` (an
accelerator without a price is owned hardware: its time is given, its cost is not).
"""

from __future__ import annotations

from ..data.accelerators import find_accelerator, usable_memory_bytes
from ..data.rental_prices import rental_price
from ..params import Param, ParamError
from .s1_will_it_fit import GPU, GPU_MEMORY_GB, GPU_TFLOPS

N_GPUS = Param(
    "n_gpus", "int", "Number of GPUs (data parallel; ZeRO shards over them).", unit="GPUs", default=1, min=1, max=4096
)
CUSTOM_PRICE = Param(
    "gpu_usd_per_hour",
    "float",
    "gpu=custom: rental price per GPU-hour (empty = owned, not costed).",
    unit="USD/h",
    default=None,
    min=0,
    max=1e6,
)

HARDWARE_PARAMS = (GPU, N_GPUS, GPU_MEMORY_GB, GPU_TFLOPS, CUSTOM_PRICE)


class Hardware:
    __slots__ = ("name", "memory_bytes", "peak_flops", "usd_per_hour", "source")

    def __init__(self, name, memory_bytes, peak_flops, usd_per_hour, source):
        self.name = name
        self.memory_bytes = memory_bytes
        self.peak_flops = peak_flops
        self.usd_per_hour = usd_per_hour
        self.source = source


def hardware(p) -> Hardware:
    """The accelerator named by ``p.gpu`` (custom: ``gpu_memory_GB`` read as GiB like every catalog row, and
    ``gpu_tflops``); a structured error when a needed number is missing."""
    if p.gpu == "custom":
        if p.gpu_memory_GB is None:
            raise ParamError(
                "missing_param", "gpu = 'custom' needs gpu_memory_GB (the memory of one GPU).", param="gpu_memory_GB"
            )
        if p.gpu_tflops is None:
            raise ParamError(
                "missing_param",
                "gpu = 'custom' needs gpu_tflops (dense bf16 peak) for the step time.",
                param="gpu_tflops",
            )
        return Hardware(
            f"custom GPU ({p.gpu_memory_GB:g} GB)",
            p.gpu_memory_GB * 2**30,
            p.gpu_tflops * 1e12,
            p.gpu_usd_per_hour or None,
            "your gpu_* values",
        )
    acc = find_accelerator(p.gpu)
    if acc is None:
        raise ParamError("unknown_choice", f"gpu = {p.gpu!r} is not in the accelerator catalog.", param="gpu")
    peak = (acc.get("peak_flops") or {}).get("bf16")
    if not peak:
        raise ParamError(
            "invalid_value",
            f"gpu = {p.gpu!r} has no published bf16 peak, so the step time cannot be "
            "estimated; use gpu=custom with gpu_memory_GB and gpu_tflops.",
            param="gpu",
            value=p.gpu,
        )
    price = rental_price(acc["id"])
    return Hardware(
        acc["label"], usable_memory_bytes(acc), peak, price["usd_per_hour"] if price else None, acc["source"]
    )
