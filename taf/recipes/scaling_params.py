"""Parameters of the pre-training scaling recipes (F-1, G-1), declared once.

Kept out of ``recipes/base.py`` so that ``import taf`` (the CLI's start) loads no formula module.
"""

from __future__ import annotations

from ..formulas.scaling import CHINCHILLA_TOKENS_PER_PARAM
from ..params import Param

#: F-1 and G-1: the Chinchilla ratio r of D_opt = r·N (scaling.CHINCHILLA_TOKENS_PER_PARAM by default)
TOKENS_PER_PARAM = Param(
    "tokens_per_param",
    "float",
    "Compute-optimal tokens per parameter (Chinchilla: 20).",
    unit="tokens/param",
    default=CHINCHILLA_TOKENS_PER_PARAM,
    min=0.01,
    max=10**4,
)
