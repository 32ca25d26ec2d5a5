"""§20 GPU catalog: peak dense BF16 compute, memory, bandwidth, rental price, power.

The eleven rows of the TAF Agent module's ``GPU_CATALOG`` (reference ``taf-agent``), numbers unchanged.
``usd_per_hour`` is the TAF Agent module's typical cloud (spot) rental price for one GPU; it is
``None`` for hardware the TAF Agent module lists at $0.0/h because it is local/owned (the
RTX 5060Ti): such a GPU has no rental price, so nothing may be costed at $0 on it.
Row order is display order.
"""

from __future__ import annotations

TAF_AGENT_SOURCE = "https://github.com/karlesmarin/tafagent/blob/main/python/taf_browser.py"
TAF_AGENT_AS_OF = "2026-05-02"


def _row(name, bf16_tflops, vram_gb, bandwidth_gb_s, usd_per_hour, tdp_w):
    return {
        "name": name,
        "bf16_tflops": float(bf16_tflops),  # peak dense BF16, TFLOP/s
        "vram_gb": float(vram_gb),  # GB (10^9 bytes)
        "bandwidth_gb_s": float(bandwidth_gb_s),  # memory bandwidth, GB/s
        "usd_per_hour": None if usd_per_hour is None else float(usd_per_hour),  # USD per GPU-hour
        "tdp_w": float(tdp_w),  # board power, W
        "source": TAF_AGENT_SOURCE,
        "as_of": TAF_AGENT_AS_OF,
    }


GPUS = (
    _row("H100 SXM", 989, 80, 3350, 2.5, 700),
    _row("H100 PCIe", 756, 80, 2000, 2.0, 350),
    _row("H200", 989, 141, 4800, 3.5, 700),
    _row("B200", 2250, 192, 8000, 5.0, 1000),
    _row("A100 80GB", 312, 80, 2000, 1.2, 400),
    _row("A100 40GB", 312, 40, 1555, 1.0, 400),
    _row("L40S", 362, 48, 864, 0.7, 350),
    _row("MI300X", 1307, 192, 5300, 2.1, 750),
    _row("RTX 4090", 165, 24, 1008, 0.4, 450),
    _row("RTX 5090", 419, 32, 1792, 0.7, 575),
    _row("RTX 5060Ti", 36, 16, 448, None, 180),  # TAF Agent module: 0.0 $/h, "local" — owned, no rental price
)

GPUS_BY_NAME = {row["name"]: row for row in GPUS}

#: every GPU name, in display order (the choices of a ``gpu`` parameter)
GPU_NAMES = tuple(row["name"] for row in GPUS)

#: GPUs that have a rental price (can be costed)
PRICED_GPU_NAMES = tuple(row["name"] for row in GPUS if row["usd_per_hour"] is not None)

#: GPUs without a rental price (local / owned hardware)
OWNED_GPU_NAMES = tuple(row["name"] for row in GPUS if row["usd_per_hour"] is None)

#: each GPU name of the TAF Agent module's catalog → its row in the accelerator catalog (taf.data.accelerators),
#: where these names are aliases. The numbers above stay as that module records them for X-1/X-3/X-5 (their
#: goldens); the accelerator catalog carries datasheet figures with sources (they differ where the module rounded
#: or erred).
TAF_AGENT_ACCELERATOR_IDS = {
    "H100 SXM": "nvidia-h100-sxm",
    "H100 PCIe": "nvidia-h100-pcie",
    "H200": "nvidia-h200-sxm",
    "B200": "nvidia-b200",
    "A100 80GB": "nvidia-a100-sxm-80gb",
    "A100 40GB": "nvidia-a100-40gb",
    "L40S": "nvidia-l40s",
    "MI300X": "amd-mi300x",
    "RTX 4090": "nvidia-rtx-4090",
    "RTX 5090": "nvidia-rtx-5090",
    "RTX 5060Ti": "nvidia-rtx-5060-ti-16gb",
}
