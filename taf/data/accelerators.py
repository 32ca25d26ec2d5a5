"""The accelerator catalog: memory, bandwidth, dense peak compute, interconnect — one row per product.

Every row carries the vendor page or datasheet it was read from (``source``) and the date it
was checked (``as_of``). Units are SI bytes and FLOP/s; no row has a price (rental prices are a
separate, dated table: :mod:`taf.data.rental_prices`; a GPU without one is owned hardware).

Conventions (the same for every row):

- ``memory_bytes``: the memory the vendor states, read as binary gigabytes (2³⁰ bytes): memory
  chips and HBM stacks come in binary sizes (a "24 GB" RTX 4090 has twelve 2 GiB chips, and
  ``nvidia-smi`` reports 24,564 MiB of 24,576). What an engine can use is less: see
  ``ecc_reserve_share`` and the driver reserve in :mod:`taf.formulas.serving_memory`.
- ``ecc_reserve_share``: data-centre GDDR cards ship with ECC on, and ECC on GDDR takes 1/16 of
  the memory (NVIDIA: "ECC … reserves 6.25 % of memory"); HBM carries ECC on the side, so 0.
- ``usable_memory_share``: the share of memory the GPU may use. 1 for discrete accelerators; for
  Apple silicon, macOS caps Metal's working set (``recommendedMaxWorkingSetSize``) at about 2/3 of
  unified memory on machines with ≤ 36 GB and 3/4 above (see :data:`APPLE_GPU_SHARE_SOURCES`;
  ``sudo sysctl iogpu.wired_limit_mb=…`` raises it).
- ``peak_flops``: dense (no 2:4 sparsity) tensor-core peak per precision, FLOP/s (INT8 in OP/s);
  ``None`` where the product has no such mode or the vendor publishes no figure. GeForce cards
  are given with FP32 accumulation (what bf16 inference uses), from NVIDIA's architecture
  whitepapers; those with only an "AI TOPS" (FP4, sparse) figure are derived from it (÷2 for
  dense, ÷2 per precision step) and say so in ``note``.
- ``interconnect_bytes_per_s``: GPU-to-GPU bandwidth the vendor states (NVLink / Infinity Fabric
  / Gaudi RoCE, total per GPU); PCIe cards without a bridge: their PCIe link, both directions.

``aliases`` keep the GPU names of the seed catalog (:mod:`taf.data.gpus`, used by X-1/X-3/X-5)
working: ``"RTX 4090"`` finds ``nvidia-rtx-4090``.
"""
from __future__ import annotations

AS_OF = "2026-11-26"

GiB = 2**30
TB = 1e12
GB = 1e9

KINDS = ("datacenter", "workstation", "consumer", "apple")

#: where the Apple unified-memory share comes from (Metal's recommendedMaxWorkingSetSize defaults)
APPLE_GPU_SHARE_SOURCES = (
    "https://github.com/exo-explore/exo/pull/1672",      # "~10.67 GB on 16GB M4" = 2/3 of 16 GiB
    "https://github.com/gpustack/gpustack/issues/1375",  # "recommended max working set … 75% of total RAM"
)
#: ≤ this many GiB of unified memory: the GPU may wire 2/3 of it, above: 3/4
APPLE_SMALL_MEMORY_GIB = 36

_NV_AMPERE_WP = "https://www.nvidia.com/content/PDF/nvidia-ampere-ga-102-gpu-architecture-whitepaper-v2.pdf"
_NV_ADA_WP = "https://images.nvidia.com/aem-dam/Solutions/geforce/ada/nvidia-ada-gpu-architecture.pdf"
_NV_BLACKWELL_WP = ("https://images.nvidia.com/aem-dam/Solutions/geforce/blackwell/"
                    "nvidia-rtx-blackwell-gpu-architecture.pdf")


def _flops(bf16=None, fp16=None, fp8=None, int8=None, fp4=None) -> dict:
    """Dense peak per precision in TFLOP/s (TOP/s for int8) → FLOP/s."""
    def scale(x):
        return None if x is None else float(x) * TB
    return {"bf16": scale(bf16), "fp16": scale(fp16 if fp16 is not None else bf16), "fp8": scale(fp8),
            "int8": scale(int8), "fp4": scale(fp4)}


def _row(acc_id, label, vendor, kind, memory_gib, memory_type, bandwidth_gb_s, flops, interconnect_gb_s, tdp_w,
         source, *, ecc=False, aliases=(), note=None):
    usable = 1.0
    if kind == "apple":
        usable = 2 / 3 if memory_gib <= APPLE_SMALL_MEMORY_GIB else 3 / 4
    row = {
        "id": acc_id,
        "label": label,
        "vendor": vendor,
        "kind": kind,
        "memory_bytes": int(memory_gib * GiB),
        "memory_type": memory_type,
        "usable_memory_share": usable,
        "ecc_reserve_share": 1 / 16 if ecc else 0.0,
        "bandwidth_bytes_per_s": float(bandwidth_gb_s) * GB,
        "peak_flops": flops,
        "interconnect_bytes_per_s": None if interconnect_gb_s is None else float(interconnect_gb_s) * GB,
        "tdp_w": None if tdp_w is None else float(tdp_w),
        "source": source,
        "as_of": AS_OF,
        "aliases": tuple(aliases),
    }
    if note:
        row["note"] = note
    return row


ACCELERATORS = (
    # ── NVIDIA data centre ────────────────────────────────────────────────────────────────
    _row("nvidia-h100-sxm", "NVIDIA H100 SXM 80GB", "NVIDIA", "datacenter", 80, "HBM3", 3350,
         _flops(989.4, fp8=1978.9, int8=1978.9), 900, 700, "https://www.nvidia.com/en-us/data-center/h100/",
         aliases=("H100 SXM", "H100", "H100-SXM", "H100 80GB")),
    _row("nvidia-h100-pcie", "NVIDIA H100 PCIe 80GB", "NVIDIA", "datacenter", 80, "HBM2e", 2000,
         _flops(756.5, fp8=1513, int8=1513), 600, 350, "https://www.nvidia.com/en-us/data-center/h100/",
         aliases=("H100 PCIe",), note="NVLink bridge 600 GB/s; PCIe Gen5 128 GB/s"),
    _row("nvidia-h100-nvl", "NVIDIA H100 NVL 94GB", "NVIDIA", "datacenter", 94, "HBM3", 3900,
         _flops(835.5, fp8=1670.5, int8=1670.5), 600, 400, "https://www.nvidia.com/en-us/data-center/h100/",
         aliases=("H100 NVL",)),
    _row("nvidia-h200-sxm", "NVIDIA H200 SXM 141GB", "NVIDIA", "datacenter", 141, "HBM3e", 4800,
         _flops(989.4, fp8=1978.9, int8=1978.9), 900, 700, "https://www.nvidia.com/en-us/data-center/h200/",
         aliases=("H200", "H200 SXM")),
    _row("nvidia-h200-nvl", "NVIDIA H200 NVL 141GB", "NVIDIA", "datacenter", 141, "HBM3e", 4800,
         _flops(835.5, fp8=1670.5, int8=1670.5), 900, 600, "https://www.nvidia.com/en-us/data-center/h200/",
         aliases=("H200 NVL",)),
    _row("nvidia-b200", "NVIDIA B200 180GB (HGX B200)", "NVIDIA", "datacenter", 180, "HBM3e", 7700,
         _flops(2250, fp8=4500, int8=4500, fp4=9000), 1800, 1000, "https://www.nvidia.com/en-us/data-center/hgx/",
         aliases=("B200",), note="HGX B200 figures for 8 GPUs (1.44 TB, 62 TB/s, 72 PFLOPS FP8 sparse) ÷ 8, sparse ÷ 2"),
    _row("nvidia-b300", "NVIDIA B300 288GB (HGX B300)", "NVIDIA", "datacenter", 288, "HBM3e", 8000,
         _flops(2250, fp8=4500, int8=None, fp4=13500), 1800, 1100, "https://www.nvidia.com/en-us/data-center/hgx/",
         aliases=("B300",), note="HGX B300 figures for 8 GPUs ÷ 8; INT8 not stated for Blackwell Ultra"),
    _row("nvidia-gb200", "NVIDIA GB200 (one Blackwell GPU of GB200 NVL72)", "NVIDIA", "datacenter", 186, "HBM3e",
         8000, _flops(2500, fp8=5000, int8=5000, fp4=10000), 1800, 1200,
         "https://www.nvidia.com/en-us/data-center/gb200-nvl72/",
         aliases=("GB200",), note="GB200 NVL72 figures (13.4 TB HBM3e, 576 TB/s, 360 PFLOPS BF16 sparse) ÷ 72 GPUs"),
    _row("nvidia-a100-sxm-80gb", "NVIDIA A100 SXM 80GB", "NVIDIA", "datacenter", 80, "HBM2e", 2039,
         _flops(312, int8=624), 600, 400, "https://www.nvidia.com/en-us/data-center/a100/",
         aliases=("A100 80GB", "A100", "A100-80GB", "A100 SXM 80GB")),
    _row("nvidia-a100-pcie-80gb", "NVIDIA A100 PCIe 80GB", "NVIDIA", "datacenter", 80, "HBM2e", 1935,
         _flops(312, int8=624), 600, 300, "https://www.nvidia.com/en-us/data-center/a100/",
         aliases=("A100 PCIe 80GB",), note="NVLink bridge for 2 GPUs 600 GB/s"),
    _row("nvidia-a100-40gb", "NVIDIA A100 SXM 40GB", "NVIDIA", "datacenter", 40, "HBM2", 1555,
         _flops(312, int8=624), 600, 400, "https://www.nvidia.com/en-us/data-center/a100/",
         aliases=("A100 40GB", "A100-40GB")),
    _row("nvidia-a10", "NVIDIA A10 24GB", "NVIDIA", "datacenter", 24, "GDDR6", 600,
         _flops(125, int8=250), 64, 150, "https://www.nvidia.com/en-us/data-center/products/a10-gpu/",
         ecc=True, aliases=("A10",)),
    _row("nvidia-a10g", "NVIDIA A10G 24GB (AWS G5)", "NVIDIA", "datacenter", 24, "GDDR6", 600,
         _flops(None), 64, 300, "https://aws.amazon.com/ec2/instance-types/g5/",
         ecc=True, aliases=("A10G",),
         note="AWS states 24 GB per GPU; neither AWS nor NVIDIA publishes A10G tensor peaks (none assumed)"),
    _row("nvidia-l4", "NVIDIA L4 24GB", "NVIDIA", "datacenter", 24, "GDDR6", 300,
         _flops(121, fp8=242.5, int8=242.5), 64, 72, "https://www.nvidia.com/en-us/data-center/l4/",
         ecc=True, aliases=("L4",)),
    _row("nvidia-l40s", "NVIDIA L40S 48GB", "NVIDIA", "datacenter", 48, "GDDR6", 864,
         _flops(362.05, fp8=733, int8=733), 64, 350, "https://www.nvidia.com/en-us/data-center/l40s/",
         ecc=True, aliases=("L40S",)),
    _row("nvidia-l40", "NVIDIA L40 48GB", "NVIDIA", "datacenter", 48, "GDDR6", 864,
         _flops(181.05, fp8=362, int8=362), 64, 300, "https://www.nvidia.com/en-us/data-center/l40/",
         ecc=True, aliases=("L40",)),
    _row("nvidia-a40", "NVIDIA A40 48GB", "NVIDIA", "datacenter", 48, "GDDR6", 696,
         _flops(149.7, int8=299.3), 112.5, 300, "https://www.nvidia.com/en-us/data-center/a40/",
         ecc=True, aliases=("A40",), note="NVLink bridge for 2 GPUs 112.5 GB/s"),
    _row("nvidia-t4", "NVIDIA T4 16GB", "NVIDIA", "datacenter", 16, "GDDR6", 320,
         {"bf16": None, "fp16": 65 * TB, "fp8": None, "int8": 130 * TB, "fp4": None}, 32, 70,
         "https://www.nvidia.com/en-us/data-center/tesla-t4/", ecc=True, aliases=("T4",),
         note="Turing: FP16 tensor cores, no bf16"),
    _row("nvidia-v100-16gb", "NVIDIA V100 SXM2 16GB", "NVIDIA", "datacenter", 16, "HBM2", 900,
         {"bf16": None, "fp16": 125 * TB, "fp8": None, "int8": None, "fp4": None}, 300, 300,
         "https://www.nvidia.com/en-us/data-center/v100/", aliases=("V100 16GB", "V100"),
         note="Volta: FP16 tensor cores, no bf16"),
    _row("nvidia-v100-32gb", "NVIDIA V100 SXM2 32GB", "NVIDIA", "datacenter", 32, "HBM2", 900,
         {"bf16": None, "fp16": 125 * TB, "fp8": None, "int8": None, "fp4": None}, 300, 300,
         "https://www.nvidia.com/en-us/data-center/v100/", aliases=("V100 32GB",),
         note="Volta: FP16 tensor cores, no bf16"),
    # ── NVIDIA workstation ───────────────────────────────────────────────────────────────
    _row("nvidia-rtx-pro-6000", "NVIDIA RTX PRO 6000 Blackwell 96GB", "NVIDIA", "workstation", 96, "GDDR7", 1792,
         _flops(500, fp8=1000, int8=1000, fp4=2000), 128, 600,
         "https://www.nvidia.com/en-us/products/workstations/professional-desktop-gpus/rtx-pro-6000/",
         ecc=False, aliases=("RTX PRO 6000",),
         note="derived from 4,000 AI TOPS (FP4, sparse): ÷2 dense, ÷2 per precision step; PCIe Gen5 x16"),
    _row("nvidia-rtx-6000-ada", "NVIDIA RTX 6000 Ada 48GB", "NVIDIA", "workstation", 48, "GDDR6", 960,
         _flops(364.25, fp8=728.5, int8=728.5), 64, 300,
         "https://www.nvidia.com/en-us/design-visualization/rtx-6000/", ecc=False,
         aliases=("RTX 6000 Ada",), note="from 1,457 TFLOPS FP8 sparse; ECC off by default; PCIe Gen4 x16"),
    _row("nvidia-rtx-a6000", "NVIDIA RTX A6000 48GB", "NVIDIA", "workstation", 48, "GDDR6", 768,
         _flops(154.8, int8=309.7), 112.5, 300,
         "https://www.nvidia.com/en-us/design-visualization/rtx-a6000/", aliases=("RTX A6000", "A6000")),
    # ── NVIDIA GeForce ───────────────────────────────────────────────────────────────────
    _row("nvidia-rtx-5090", "NVIDIA GeForce RTX 5090 32GB", "NVIDIA", "consumer", 32, "GDDR7", 1792,
         _flops(209.5, fp8=419, int8=838, fp4=1676), 128, 575,
         "https://www.nvidia.com/en-us/geforce/graphics-cards/50-series/rtx-5090/", aliases=("RTX 5090",),
         note=f"bf16/fp16 with FP32 accumulate, RTX Blackwell whitepaper {_NV_BLACKWELL_WP}"),
    _row("nvidia-rtx-5080", "NVIDIA GeForce RTX 5080 16GB", "NVIDIA", "consumer", 16, "GDDR7", 960,
         _flops(112.6, fp8=225.1, int8=450.2, fp4=900.4), 128, 360,
         "https://www.nvidia.com/en-us/geforce/graphics-cards/50-series/rtx-5080/", aliases=("RTX 5080",),
         note="derived from 1,801 AI TOPS (FP4, sparse)"),
    _row("nvidia-rtx-5060-ti-16gb", "NVIDIA GeForce RTX 5060 Ti 16GB", "NVIDIA", "consumer", 16, "GDDR7", 448,
         _flops(47.4, fp8=94.9, int8=189.8, fp4=379.5), 64, 180,
         "https://www.nvidia.com/en-us/geforce/graphics-cards/50-series/rtx-5060-family/",
         aliases=("RTX 5060Ti", "RTX 5060 Ti"), note="derived from 759 AI TOPS (FP4, sparse)"),
    _row("nvidia-rtx-4090", "NVIDIA GeForce RTX 4090 24GB", "NVIDIA", "consumer", 24, "GDDR6X", 1008,
         _flops(165.2, fp8=330.3, int8=660.6), 64, 450,
         "https://www.nvidia.com/en-us/geforce/graphics-cards/40-series/rtx-4090/", aliases=("RTX 4090", "4090"),
         note=f"tensor peaks with FP32 accumulate from the Ada whitepaper {_NV_ADA_WP}"),
    _row("nvidia-rtx-4080", "NVIDIA GeForce RTX 4080 16GB", "NVIDIA", "consumer", 16, "GDDR6X", 716.8,
         _flops(97.5, fp8=194.9, int8=389.9), 64, 320,
         "https://www.nvidia.com/en-us/geforce/graphics-cards/40-series/rtx-4080-family/", aliases=("RTX 4080",),
         note=f"tensor peaks with FP32 accumulate from the Ada whitepaper {_NV_ADA_WP}"),
    _row("nvidia-rtx-4070", "NVIDIA GeForce RTX 4070 12GB", "NVIDIA", "consumer", 12, "GDDR6X", 504,
         _flops(58.3, fp8=116.6, int8=233.2), 64, 200,
         "https://www.nvidia.com/en-us/geforce/graphics-cards/40-series/rtx-4070-family/", aliases=("RTX 4070",),
         note="derived from 466 AI TOPS (FP8, sparse)"),
    _row("nvidia-rtx-4060-ti-16gb", "NVIDIA GeForce RTX 4060 Ti 16GB", "NVIDIA", "consumer", 16, "GDDR6", 288,
         _flops(44.1, fp8=88.3, int8=176.5), 32, 165,
         "https://www.nvidia.com/en-us/geforce/graphics-cards/40-series/rtx-4060-4060ti/",
         aliases=("RTX 4060 Ti", "RTX 4060Ti"), note="derived from 353 AI TOPS (FP8, sparse); PCIe Gen4 x8"),
    _row("nvidia-rtx-3090", "NVIDIA GeForce RTX 3090 24GB", "NVIDIA", "consumer", 24, "GDDR6X", 936,
         _flops(71, int8=284), 112.5, 350,
         "https://www.nvidia.com/en-us/geforce/graphics-cards/30-series/rtx-3090-3090ti/", aliases=("RTX 3090",),
         note=f"tensor peaks with FP32 accumulate from the GA102 whitepaper {_NV_AMPERE_WP}; NVLink bridge"),
    _row("nvidia-rtx-3060-12gb", "NVIDIA GeForce RTX 3060 12GB", "NVIDIA", "consumer", 12, "GDDR6", 360,
         _flops(25.5, int8=102), 32, 170,
         "https://www.nvidia.com/en-us/geforce/graphics-cards/30-series/rtx-3060-3060ti/", aliases=("RTX 3060",),
         note="tensor peak scaled from the GA102 whitepaper by cores × clock (3,584 × 1.78 GHz)"),
    # ── AMD ──────────────────────────────────────────────────────────────────────────────
    _row("amd-mi355x", "AMD Instinct MI355X 288GB", "AMD", "datacenter", 288, "HBM3E", 8000,
         _flops(2516.6, fp8=5033.2, int8=5033.2, fp4=10066.3), 1075, 1400,
         "https://www.amd.com/en/products/accelerators/instinct/mi350/mi355x.html", aliases=("MI355X",)),
    _row("amd-mi325x", "AMD Instinct MI325X 256GB", "AMD", "datacenter", 256, "HBM3E", 6000,
         _flops(1307.4, fp8=2614.9, int8=2614.9), 896, 1000,
         "https://www.amd.com/en/products/accelerators/instinct/mi300/mi325x.html", aliases=("MI325X",)),
    _row("amd-mi300x", "AMD Instinct MI300X 192GB", "AMD", "datacenter", 192, "HBM3", 5300,
         _flops(1307.4, fp8=2614.9, int8=2614.9), 896, 750,
         "https://www.amd.com/en/products/accelerators/instinct/mi300/mi300x.html", aliases=("MI300X",)),
    _row("amd-mi250x", "AMD Instinct MI250X (one GCD, 64GB)", "AMD", "datacenter", 64, "HBM2e", 1638.4,
         _flops(191.5, int8=191.5), 400, 280,
         "https://www.amd.com/en/products/accelerators/instinct/mi200/mi250x.html", aliases=("MI250X",),
         note="the module (128 GB, 3.2768 TB/s, 383 TFLOPS bf16, 560 W) holds two dies (GCDs) that software sees "
              "as two GPUs: one row per GCD, module figures ÷ 2"),
    _row("amd-rx-7900-xtx", "AMD Radeon RX 7900 XTX 24GB", "AMD", "consumer", 24, "GDDR6", 960,
         _flops(122.8, int8=122.8), 64, 355,
         "https://www.amd.com/en/products/graphics/desktops/radeon/7000-series/amd-radeon-rx-7900xtx.html",
         aliases=("RX 7900 XTX", "7900 XTX")),
    # ── Intel ────────────────────────────────────────────────────────────────────────────
    _row("intel-gaudi-3", "Intel Gaudi 3 128GB (OAM)", "Intel", "datacenter", 128, "HBM2e", 3700,
         _flops(1835, fp8=1835), 1200, 900,
         "https://www.intel.com/content/www/us/en/products/details/processors/ai-accelerators/gaudi.html",
         aliases=("Gaudi 3", "Gaudi3"), note="24 × 200 GbE RoCE on chip (1.2 TB/s bidirectional)"),
    # ── Apple silicon (unified memory; the GPU may use usable_memory_share of it) ────────
    _row("apple-m4-max-128gb", "Apple M4 Max 128GB", "Apple", "apple", 128, "LPDDR5X (unified)", 546,
         _flops(None), None, None, "https://www.apple.com/macbook-pro/specs/", aliases=("M4 Max",),
         note="Apple publishes no GPU TFLOPS"),
    _row("apple-m4-max-64gb", "Apple M4 Max 64GB", "Apple", "apple", 64, "LPDDR5X (unified)", 546,
         _flops(None), None, None, "https://www.apple.com/macbook-pro/specs/", note="Apple publishes no GPU TFLOPS"),
    _row("apple-m4-max-36gb", "Apple M4 Max 36GB (14-core CPU)", "Apple", "apple", 36, "LPDDR5X (unified)", 410,
         _flops(None), None, None, "https://www.apple.com/macbook-pro/specs/", note="Apple publishes no GPU TFLOPS"),
    _row("apple-m4-pro-48gb", "Apple M4 Pro 48GB", "Apple", "apple", 48, "LPDDR5X (unified)", 273,
         _flops(None), None, None, "https://www.apple.com/mac-mini/specs/", aliases=("M4 Pro",),
         note="Apple publishes no GPU TFLOPS"),
    _row("apple-m4-pro-24gb", "Apple M4 Pro 24GB", "Apple", "apple", 24, "LPDDR5X (unified)", 273,
         _flops(None), None, None, "https://www.apple.com/mac-mini/specs/", note="Apple publishes no GPU TFLOPS"),
    _row("apple-m4-32gb", "Apple M4 32GB", "Apple", "apple", 32, "LPDDR5X (unified)", 120,
         _flops(None), None, None, "https://www.apple.com/mac-mini/specs/", aliases=("M4",),
         note="Apple publishes no GPU TFLOPS"),
    _row("apple-m3-ultra-512gb", "Apple M3 Ultra 512GB", "Apple", "apple", 512, "LPDDR5 (unified)", 819,
         _flops(None), None, None, "https://www.apple.com/mac-studio/specs/", aliases=("M3 Ultra",),
         note="Apple publishes no GPU TFLOPS"),
    _row("apple-m3-ultra-96gb", "Apple M3 Ultra 96GB", "Apple", "apple", 96, "LPDDR5 (unified)", 819,
         _flops(None), None, None, "https://www.apple.com/mac-studio/specs/", note="Apple publishes no GPU TFLOPS"),
    _row("apple-m3-max-128gb", "Apple M3 Max 128GB", "Apple", "apple", 128, "LPDDR5 (unified)", 400,
         _flops(None), None, None, "https://support.apple.com/en-us/117737", aliases=("M3 Max",),
         note="Apple publishes no GPU TFLOPS"),
    _row("apple-m3-pro-36gb", "Apple M3 Pro 36GB", "Apple", "apple", 36, "LPDDR5 (unified)", 150,
         _flops(None), None, None, "https://support.apple.com/en-us/117737", aliases=("M3 Pro",),
         note="Apple publishes no GPU TFLOPS"),
    _row("apple-m2-ultra-192gb", "Apple M2 Ultra 192GB", "Apple", "apple", 192, "LPDDR5 (unified)", 800,
         _flops(None), None, None, "https://support.apple.com/en-us/111835", aliases=("M2 Ultra",),
         note="Apple publishes no GPU TFLOPS"),
    _row("apple-m2-max-96gb", "Apple M2 Max 96GB", "Apple", "apple", 96, "LPDDR5 (unified)", 400,
         _flops(None), None, None, "https://support.apple.com/en-us/111838", aliases=("M2 Max",),
         note="Apple publishes no GPU TFLOPS"),
    _row("apple-m2-pro-32gb", "Apple M2 Pro 32GB", "Apple", "apple", 32, "LPDDR5 (unified)", 200,
         _flops(None), None, None, "https://support.apple.com/en-us/111838", aliases=("M2 Pro",),
         note="Apple publishes no GPU TFLOPS"),
)

ACCELERATORS_BY_ID = {row["id"]: row for row in ACCELERATORS}

#: every accelerator id, in display order (the choices of S-1's ``gpu``, plus "custom")
ACCELERATOR_IDS = tuple(row["id"] for row in ACCELERATORS)


def _key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


_LOOKUP: dict = {}
for _r in ACCELERATORS:
    for _name in (_r["id"], _r["label"], *_r["aliases"]):
        _LOOKUP.setdefault(_key(_name), _r["id"])


def find_accelerator(name: str) -> dict | None:
    """The row named by an id, a label or an alias (case, spaces and dashes ignored); None if unknown."""
    if not isinstance(name, str):
        return None
    acc_id = _LOOKUP.get(_key(name))
    return None if acc_id is None else ACCELERATORS_BY_ID[acc_id]


def usable_memory_bytes(row: dict) -> int:
    """What the GPU may allocate before any engine: memory × usable share × (1 − ECC reserve)."""
    return int(row["memory_bytes"] * row["usable_memory_share"] * (1 - row["ecc_reserve_share"]))
