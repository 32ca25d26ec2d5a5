"""Q-1 Quantized artifact budget: will the compressed, quantized model fit in N bytes?

From parameter-golf PR #1394 (a record PR; reference ``parameter-golf``). Each parameter group (the weight
matrices, the embedding) is quantized to b bits with its clip range set to k
standard deviations; after a general-purpose compressor its size is about its
entropy, H ≈ b − log2 k + ½·log2(πe/2) bits per weight. The recipe sums the groups,
checks the byte budget (16,000,000 by default, the parameter-golf cap), finds the k
that fits, shows the (b, k) ≈ (b+1, 2k) equivalence, and checks every estimate
against the exact entropy of the same Gaussian model so it can say when the
approximation leaves its regime.
"""

from __future__ import annotations

from ..chain import Verdict
from ..formulas import quantization as qz
from ..numeric import defined
from ..params import Param
from .base import Recipe

#: regime limits (heuristic): clipped share, bin width in σ, |approximation − exact model| in bits
MAX_CLIPPED = 0.01
MAX_BIN_WIDTH_SIGMA = 1.0
MAX_MODEL_ERROR_BITS = 0.05

PARAMS = (
    Param(
        "matrix_params", "int", "Number of weights in the quantized weight matrices.", unit="params", min=1, max=10**13
    ),
    Param(
        "matrix_bits",
        "int",
        "Quantizer bits b for the matrices (the parameter-golf record: 6).",
        unit="bits",
        default=6,
        min=1,
        max=16,
    ),
    Param(
        "matrix_k",
        "float",
        "Clip range of the matrices in standard deviations, c = k·σ (record: 12.85).",
        unit="σ",
        default=12.85,
        min=0,
        min_exclusive=True,
        max=10**4,
    ),
    Param(
        "embed_params",
        "int",
        "Number of weights in the quantized embedding (0 if it has no own group).",
        unit="params",
        min=0,
        max=10**13,
    ),
    Param(
        "embed_bits", "int", "Quantizer bits b for the embedding (record: 8).", unit="bits", default=8, min=1, max=16
    ),
    Param(
        "embed_k",
        "float",
        "Clip range of the embedding in standard deviations (record: 20).",
        unit="σ",
        default=20.0,
        min=0,
        min_exclusive=True,
        max=10**4,
    ),
    Param(
        "budget_bytes",
        "int",
        "Artifact size limit (the parameter-golf cap: 16,000,000 bytes).",
        unit="bytes",
        default=16_000_000,
        min=1,
        max=10**15,
    ),
    Param(
        "overhead_bytes",
        "int",
        "Bytes outside the quantized weights: code, scales, unquantized tensors, container.",
        unit="bytes",
        default=0,
        min=0,
        max=10**15,
    ),
)


def _regime(bits: int, k: float, h: float) -> tuple[dict, list[str]]:
    """The approximation checks of one group, and the list of violated ones (b ≥ 1 and k > 0, validated)."""
    clipped = defined(qz.clipped_fraction(k))
    width = defined(qz.bin_width_over_sigma(bits, k))
    exact = qz.quantized_gaussian_entropy(bits, k)
    error = None if exact is None else h - exact
    flags = []
    if not 0 < h <= bits:
        flags.append(f"H ≈ {h:.3f} bits is impossible for a {bits}-bit code (must be in (0, {bits}])")
    if clipped > MAX_CLIPPED:
        flags.append(f"{clipped * 100:.2f} % of weights clipped (k = {k:g} is not ≫ 1)")
    if width > MAX_BIN_WIDTH_SIGMA:
        flags.append(f"bins are {width:.3g}σ wide (not ≪ σ)")
    if error is not None and abs(error) > MAX_MODEL_ERROR_BITS:
        flags.append(f"the approximation is off by {error:+.3f} bits/weight from the exact Gaussian model")
    check = {
        "clipped_fraction": clipped,
        "bin_width_sigma": width,
        "H_exact_model_bits": exact,
        "approximation_error_bits": error,
        "in_regime": not flags,
    }
    return check, flags


#: how each answer reads for "does it fit the byte budget?"
TONES = {"FITS": "good", "OVER BUDGET": "bad", "OUT OF REGIME": "caution"}


def run(p, chain) -> Verdict:
    groups = [("matrices", p.matrix_params, p.matrix_bits, p.matrix_k)]
    if p.embed_params > 0:
        groups.append(("embedding", p.embed_params, p.embed_bits, p.embed_k))

    sizes: dict[str, float] = {}
    all_flags: list[str] = []
    for name, count, bits, k in groups:
        h = defined(qz.entropy_bits_per_weight(bits, k))  # b ≥ 1, k > 0 (validated)
        chain.step(
            "parameter-golf",
            f"Entropy per weight ({name})",
            "H ≈ b − log2 k + ½·log2(πe/2)",
            {"bits": bits, "k": k},
            h,
            f"{h:.4f} bits per weight vs {bits} raw bits ({bits / h:.2f}× smaller after compression)"
            if h > 0
            else "not positive: the approximation has broken down (bins far wider than σ)",
            unit="bits/weight",
            status="exploratory",
        )

        check, flags = _regime(bits, k, h)
        exact_text = (
            f"exact model not computed for b > {qz.EXACT_MAX_BITS}"
            if check["H_exact_model_bits"] is None
            else f"exact Gaussian model {check['H_exact_model_bits']:.4f} bits"
        )
        chain.step(
            "parameter-golf",
            f"Approximation regime ({name})",
            "clipped = erfc(k/√2);  bin width = 2k/2^b σ;  H_model = −Σ p_i log2 p_i over the 2^b bins",
            {"bits": bits, "k": k, "H_approx": h},
            check,
            (
                f"inside the regime ({exact_text})"
                if not flags
                else "OUTSIDE the regime: " + "; ".join(flags) + f" ({exact_text})"
            ),
        )
        all_flags.extend(f"{name}: {f}" for f in flags)

        size = defined(qz.compressed_bytes(count, max(h, 0.0)))
        sizes[name] = size
        chain.step(
            "parameter-golf",
            f"Compressed size ({name})",
            "bytes = n · H / 8",
            {"n_params": count, "H": h},
            size,
            f"{size:,.0f} bytes for {count:,} weights (raw {bits}-bit: {count * bits / 8:,.0f})",
            unit="bytes",
        )

    total = sum(sizes.values()) + p.overhead_bytes
    chain.step(
        "parameter-golf",
        "Estimated artifact size",
        "total = Σ_groups n·H/8 + overhead",
        {**{f"{k}_bytes": v for k, v in sizes.items()}, "overhead_bytes": p.overhead_bytes},
        total,
        f"{total:,.0f} bytes ({total / 1e6:.3f} MB)",
        unit="bytes",
    )

    headroom = p.budget_bytes - total
    fits = headroom >= 0
    chain.step(
        "parameter-golf",
        "Fit against the budget",
        "headroom = budget − total",
        {"budget_bytes": p.budget_bytes, "total_bytes": total},
        headroom,
        (
            f"fits with {headroom:,.0f} bytes to spare ({headroom / p.budget_bytes * 100:.2f} % of the budget)"
            if fits
            else f"over the budget by {-headroom:,.0f} bytes ({-headroom / p.budget_bytes * 100:.2f} %)"
        ),
        unit="bytes",
    )

    available = p.budget_bytes - p.overhead_bytes - sizes.get("embedding", 0.0)
    k_fit = qz.k_to_fit(p.matrix_params, p.matrix_bits, available) if available > 0 else None
    raw_fits = available > 0 and p.matrix_params * p.matrix_bits / 8 <= available
    if raw_fits:
        k_fit = None
        k_text = (
            f"any k fits: even raw {p.matrix_bits}-bit matrices ({p.matrix_params * p.matrix_bits / 8:,.0f} "
            f"bytes) fit in the {available:,.0f} bytes left"
        )
    elif k_fit is None:
        k_text = f"no k fits: the embedding and overhead alone leave {available:,.0f} bytes"
    else:
        k_text = (
            f"matrices at b = {p.matrix_bits} fit for k ≥ {k_fit:.4g} (now {p.matrix_k:g}); "
            f"bins at that k are {qz.bin_width_over_sigma(p.matrix_bits, k_fit):.3g}σ wide"
        )
    chain.step(
        "parameter-golf",
        "k that fits (matrices)",
        "k = 2^(b + ½·log2(πe/2) − 8·bytes_left / n)",
        {"matrix_params": p.matrix_params, "matrix_bits": p.matrix_bits, "bytes_left": available},
        k_fit,
        k_text,
        unit="σ",
        status="exploratory",
    )

    b, k = p.matrix_bits, p.matrix_k
    equivalence = {
        f"H({b}, {k:g})": qz.entropy_bits_per_weight(b, k),
        f"H({b + 1}, {2 * k:g})": qz.entropy_bits_per_weight(b + 1, 2 * k),
    }
    if b > 1:
        equivalence[f"H({b - 1}, {k / 2:g})"] = qz.entropy_bits_per_weight(b - 1, k / 2)
    model = {
        f"H_model({b}, {k:g})": qz.quantized_gaussian_entropy(b, k),
        f"H_model({b + 1}, {2 * k:g})": qz.quantized_gaussian_entropy(b + 1, 2 * k),
    }
    if all(v is not None for v in model.values()):
        model_text = (
            f"; exact model {model[f'H_model({b}, {k:g})']:.4f} vs "
            f"{model[f'H_model({b + 1}, {2 * k:g})']:.4f} bits — the extra outer bins of (b+1, 2k) hold "
            "only the weights beyond k·σ"
        )
    else:
        model_text = ""
    chain.step(
        "parameter-golf",
        "(b, k) ≈ (b+1, 2k) equivalence",
        "H(b+1, 2k) = (b+1) − log2(2k) + C = H(b, k)",
        {"bits": b, "k": k},
        equivalence,
        f"int{b} at k = {k:g} and int{b + 1} at k = {2 * k:g} give the same estimated size{model_text}",
        unit="bits/weight",
        breakdown=model,
    )

    chain.caveat(
        "The record's approximation (parameter-golf PR #1394): compressed size ≈ entropy of the "
        "quantized weights, for weights "
        "w ~ N(0, σ²) clipped at c = k·σ. It holds when c ≫ σ (little clipping), the bins are narrow "
        "compared with σ, and there are many weights per bin (per row, if rows are quantized separately)."
    )
    chain.caveat(
        "It ignores clipping, real weights are only roughly normal, and compressors see the full byte "
        "stream, not the marginal histogram: they can beat the entropy if the weights have structure, and "
        "per-row scales and the container cost extra (overhead_bytes). Verify by compressing the artifact."
    )
    chain.caveat(
        "The record's evidence: the row standard deviation predicted a matrix's compression ratio at a fixed "
        "clip width with R² = 0.995 on trained networks."
    )

    summary = f"estimated {total:,.0f} bytes vs budget {p.budget_bytes:,} " + (
        f"({headroom:,.0f} bytes headroom)" if fits else f"({-headroom:,.0f} bytes over)"
    )
    figures = {
        "artifact_bytes": total,
        "budget_bytes": p.budget_bytes,
        "headroom_bytes": headroom,
        "fits": fits,
        "matrix_k_to_fit": k_fit,
    }

    def answer(label: str, reason: str, mitigation: str) -> Verdict:
        return Verdict(label, reason, mitigation, tone=TONES[label], figures=figures)

    if all_flags:
        return answer(
            "OUT OF REGIME",
            f"The entropy approximation does not hold for these inputs ({'; '.join(all_flags)}), so the "
            f"{summary} is not reliable.",
            "Move k and b back into the regime (k ≳ 2.6 so under 1 % is clipped, bins narrower than σ); "
            "for Gaussian weights the exact-model entropy in the regime step is the better estimate; or "
            "measure: quantize and compress the real weights.",
        )
    if fits:
        return answer(
            "FITS",
            f"The {summary}.",
            "Confirm by compressing the real artifact; the estimate ignores structure the compressor may "
            "exploit and costs outside the weights.",
        )
    fix = (
        f"raise matrix_k to ≥ {k_fit:.4g} (wider clip, lower entropy)"
        if k_fit is not None
        else "shrink the embedding group or the overhead: nothing is left for the matrices"
    )
    saving = p.matrix_params / 8
    lower_b = (
        f"; or lower matrix_bits to {p.matrix_bits - 1} at the same k (saves about {saving:,.0f} bytes — "
        "halving k with it would save nothing, since (b, k) ≈ (b+1, 2k))"
        if p.matrix_bits > 1
        else ""
    )
    return answer("OVER BUDGET", f"The {summary}.", f"{fix[0].upper()}{fix[1:]}{lower_b}; or cut parameters.")


RECIPE = Recipe(
    id="Q-1",
    name="Quantized Artifact Budget",
    description="How big is the compressed, quantized model, and does it fit the byte budget?",
    category="quantization",
    sections=("parameter-golf",),
    params=PARAMS,
    run=run,
    in_profile=False,
)
