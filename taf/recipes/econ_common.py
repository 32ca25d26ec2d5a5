"""Shared pieces of the economics / hardware recipes (X-1, X-3, X-5).

The ``gpu`` and ``api_model`` parameter declarations (choices from the catalogs in
``taf/data``), the "this GPU has no rental price" error, and readable number
formatting for interpretations.
"""

from __future__ import annotations

import math

from ..data.api_prices import API_MODEL_NAMES
from ..data.gpus import GPU_NAMES, GPUS_BY_NAME, PRICED_GPU_NAMES
from ..params import Param, ParamError


def gpu_param(help_text: str, default: str = "H100 SXM") -> Param:
    return Param("gpu", "choice", help_text, default=default, choices=GPU_NAMES)


def api_model_param(default: str = "GPT-4o") -> Param:
    return Param(
        "api_model",
        "choice",
        "Hosted API model to compare against (prices in USD per million tokens).",
        default=default,
        choices=API_MODEL_NAMES,
    )


def priced_gpu(name: str, what: str) -> dict:
    """The catalog row of ``name``; a structured error if it has no rental price.

    ``what`` completes "… so <what> cannot be costed".
    """
    row = GPUS_BY_NAME[name]
    if row["usd_per_hour"] is None:
        raise ParamError(
            "out_of_range",
            f"gpu = {name!r} has no rental price (it is local/owned hardware), so {what} cannot be costed; "
            f"choose a GPU with a rental price: {', '.join(PRICED_GPU_NAMES)}.",
            param="gpu",
            value=name,
            choices=list(PRICED_GPU_NAMES),
        )
    return row


# ── readable numbers ────────────────────────────────────────────────────────
_SI = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def si(x: float | None, digits: int = 3) -> str:
    """8e9 → '8B', 1.6e11 → '160B', 5.1675e9 → '5.17B' (suffixes as the inputs accept them)."""
    if x is None:
        return "not defined"
    if x == 0:
        return "0"
    magnitude = abs(x)
    if magnitude >= 1e15:
        return sci(x, digits)
    for scale, suffix in _SI:
        if magnitude >= scale:
            return f"{x / scale:.{digits}g}{suffix}"
    return f"{x:.{digits}g}"


def sci(x: float | None, digits: int = 3) -> str:
    """7.68e21 → '7.68e21' (no '+' and no leading zero in the exponent)."""
    if x is None:
        return "not defined"
    if x == 0:
        return "0"
    exponent = math.floor(math.log10(abs(x)))
    mantissa = x / 10**exponent
    if round(abs(mantissa), digits - 1) >= 10:
        exponent += 1
        mantissa = x / 10**exponent
    return f"{mantissa:.{digits}g}e{exponent}"


def usd(x: float | None) -> str:
    """$11,984 for large amounts, $3.32 for small ones, $0.0123 for fractions of a cent."""
    if x is None:
        return "not defined"
    magnitude = abs(x)
    if magnitude >= 100:
        return f"${x:,.0f}"
    if magnitude >= 0.1 or x == 0:
        return f"${x:,.2f}"
    return f"${x:.3g}"


def plain(x: float | None) -> str:
    """A user-given quantity as typed: 10.0 → '10', 2.5 → '2.5', 1e6 → '1,000,000'."""
    if x is None:
        return "not defined"
    return f"{x:,.10g}"


def num(x: float | None, decimals: int = 1) -> str:
    """A plain number with thousands separators: 4085.5 → '4,085.5'."""
    if x is None:
        return "not defined"
    return f"{x:,.{decimals}f}"


def ratio(x: float | None) -> str:
    """A multiple: 0.96768 → '0.97', 2.862 → '2.86', 1234.5 → '1,234'."""
    if x is None:
        return "not defined"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.2f}"
