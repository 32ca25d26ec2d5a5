"""Numeric helpers below every other module (no taf imports)."""

from __future__ import annotations

import math


def all_finite(values) -> bool:
    """True when no float in ``values`` (a sequence of floats) is NaN or ±inf: one C-level fsum,
    item by item only when the sum itself overflows or meets inf − inf."""
    try:
        return math.isfinite(math.fsum(values))
    except (OverflowError, ValueError):  # a finite sum too large, or inf − inf
        return all(map(math.isfinite, values))
