"""One module per recipe. ``ALL_RECIPES`` is the registry, in display order."""
from __future__ import annotations

from .x2_long_context import RECIPE as X2

ALL_RECIPES = (
    X2,
)
