"""Numeric helpers below every other module (no taf imports)."""

from __future__ import annotations

import math
from typing import TypeVar

T = TypeVar("T")


def all_finite(values) -> bool:
    """True when no float in ``values`` (a sequence of floats) is NaN or ±inf: one C-level fsum,
    item by item only when the sum itself overflows or meets inf − inf."""
    try:
        return math.isfinite(math.fsum(values))
    except (OverflowError, ValueError):  # a finite sum too large, or inf − inf
        return all(map(math.isfinite, values))


def defined(value: T | None) -> T:
    """``value``, where the caller's checked inputs guarantee it is not None: a formula's result inside
    its domain (a recipe's validated parameters put it there), or a value read exactly when the branch
    it is used in runs. None would be a bug, raised as ``TypeError`` (the boundary reports it as
    ``internal_error``), never passed on as a number."""
    if value is None:
        raise TypeError("a value the checked inputs guarantee came out None")
    return value
