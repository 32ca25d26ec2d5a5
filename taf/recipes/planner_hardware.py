"""The accelerator a planner recipe (S-2, T-1) runs on: a catalog GPU or ``custom`` hardware.

Catalog rows come from ``taf.data.gpus`` (the seed's eleven GPUs) until S-1's accelerator
catalog (``taf.data.accelerators``) lands. ``gpu=custom`` takes the four ``custom_*``
numbers; they are ignored for a catalog GPU.
"""
from __future__ import annotations

from ..data.gpus import GPU_NAMES, GPUS_BY_NAME
from ..params import Param, ParamError

CUSTOM = "custom"

GPU = Param("gpu", "choice", "Accelerator (one GPU); `custom` uses the custom_* values.", default="H100 SXM",
            choices=GPU_NAMES + (CUSTOM,))
N_GPUS = Param("n_gpus", "int", "Number of GPUs.", unit="GPUs", default=1, min=1, max=4096)
CUSTOM_MEMORY_GB = Param("custom_memory_gb", "float", "gpu=custom: memory per GPU.", unit="GB", default=24.0,
                         min=0, min_exclusive=True, max=1e5)
CUSTOM_TFLOPS = Param("custom_tflops", "float", "gpu=custom: peak dense 16-bit tensor compute.", unit="TFLOP/s",
                      default=165.0, min=0, min_exclusive=True, max=1e6)
CUSTOM_BANDWIDTH = Param("custom_bandwidth_gb_s", "float", "gpu=custom: memory bandwidth.", unit="GB/s",
                         default=1008.0, min=0, min_exclusive=True, max=1e6)
CUSTOM_PRICE = Param("custom_usd_per_hour", "float", "gpu=custom: rental price per GPU-hour (0 = owned, not costed).",
                     unit="USD/h", default=0.0, min=0, max=1e6)

HARDWARE_PARAMS = (GPU, N_GPUS, CUSTOM_MEMORY_GB, CUSTOM_TFLOPS, CUSTOM_BANDWIDTH, CUSTOM_PRICE)

#: GPU-to-GPU bandwidth per direction assumed for tensor parallelism when the catalog has none (bytes/s):
#: NVLink 4 on H100/H200 SXM 450 GB/s per direction (900 GB/s bidirectional), NVIDIA H100 datasheet;
#: PCIe 4.0 x16 ≈ 32 GB/s per direction for boards without NVLink
NVLINK_H100_BYTES_PER_S = 450e9
PCIE4_BYTES_PER_S = 32e9
_INTERCONNECT = {"H100 SXM": NVLINK_H100_BYTES_PER_S, "H200": NVLINK_H100_BYTES_PER_S, "B200": 900e9,
                 "A100 80GB": 300e9, "A100 40GB": 300e9, "MI300X": 448e9}

#: hardware classes for the efficiency defaults
DATACENTER = ("H100 SXM", "H100 PCIe", "H200", "B200", "A100 80GB", "A100 40GB", "L40S", "MI300X")


class Hardware:
    __slots__ = ("name", "memory_bytes", "peak_flops", "bandwidth_bytes_per_s", "usd_per_hour",
                 "interconnect_bytes_per_s", "kind", "source")

    def __init__(self, name, memory_bytes, peak_flops, bandwidth_bytes_per_s, usd_per_hour, interconnect, kind,
                 source):
        self.name = name
        self.memory_bytes = memory_bytes
        self.peak_flops = peak_flops
        self.bandwidth_bytes_per_s = bandwidth_bytes_per_s
        self.usd_per_hour = usd_per_hour
        self.interconnect_bytes_per_s = interconnect
        self.kind = kind
        self.source = source


def hardware_from_row(row: dict) -> Hardware:
    name = row["name"]
    return Hardware(name, row["vram_gb"] * 1e9, row["bf16_tflops"] * 1e12, row["bandwidth_gb_s"] * 1e9,
                    row["usd_per_hour"], _INTERCONNECT.get(name, PCIE4_BYTES_PER_S),
                    "datacenter" if name in DATACENTER else "consumer", row["source"])


def hardware(p) -> Hardware:
    if p.gpu == CUSTOM:
        return Hardware("custom", p.custom_memory_gb * 1e9, p.custom_tflops * 1e12, p.custom_bandwidth_gb_s * 1e9,
                        p.custom_usd_per_hour or None, PCIE4_BYTES_PER_S, "custom", "your custom_* values")
    if p.gpu not in GPUS_BY_NAME:
        raise ParamError("unknown_choice", f"gpu = {p.gpu!r} is not in the catalog.", param="gpu")
    return hardware_from_row(GPUS_BY_NAME[p.gpu])
