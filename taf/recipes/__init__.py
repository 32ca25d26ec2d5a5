"""One module per recipe. ``ALL_RECIPES`` is the registry, in display order."""
from __future__ import annotations

from .x1_build_vs_buy import RECIPE as X1
from .x2_long_context import RECIPE as X2
from .x3_budget import RECIPE as X3
from .x5_serving_hardware import RECIPE as X5
from .x19_kv_compression import RECIPE as X19
from .x21_imprint import RECIPE as X21
from .x22_invariant import RECIPE as X22
from .x23_ih_phase import RECIPE as X23
from .f1_scale_floor import RECIPE as F1
from .e1_eval_power import RECIPE as E1
from .g1_token_gate import RECIPE as G1
from .q1_quant_budget import RECIPE as Q1
from .r1_record_claim import RECIPE as R1
from .p1_parity_gate import RECIPE as P1
from .m1_model_config import RECIPE as M1

ALL_RECIPES = (
    X1,
    X2,
    X3,
    X5,
    X19,
    X21,
    X22,
    X23,
    F1,
    E1,
    G1,
    Q1,
    R1,
    P1,
    M1,
)
