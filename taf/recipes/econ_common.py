"""Shared pieces of the economics / hardware recipes (X-1, X-3, X-5).

The ``gpu``, ``api_model`` and ``mfu`` parameter declarations (choices from the catalogs in
``taf/data``), the "this GPU has no rental price" error, and readable number
formatting for interpretations.
"""

from __future__ import annotations

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


#: X-1 and X-3: the training run's model FLOPs utilisation
MFU = Param(
    "mfu",
    "float",
    "Model FLOPs utilisation: the fraction of peak BF16 compute sustained in training.",
    unit="fraction",
    default=0.45,
    min=0,
    min_exclusive=True,
    max=1,
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
