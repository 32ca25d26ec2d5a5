"""Rental prices per GPU-hour, separate from the accelerator catalog: dated, sourced.

An accelerator with no row here is owned hardware: nothing is costed at $0 on it. Prices move
weekly; each row says where it came from and when. The rows are the typical cloud prices of the
TAF Agent module's ``GPU_CATALOG`` (reference ``taf-agent``), mapped onto catalog ids; that module is their source, so
they are typical on-demand/spot levels as of that module's date, not quotes — re-check with a provider.
"""

from __future__ import annotations

from .gpus import TAF_AGENT_AS_OF, TAF_AGENT_SOURCE  # the TAF Agent module's GPU_CATALOG (reference "taf-agent")


def _row(
    accelerator_id: str, usd_per_hour: float, source: str = TAF_AGENT_SOURCE, as_of: str = TAF_AGENT_AS_OF
) -> dict:
    return {"accelerator_id": accelerator_id, "usd_per_hour": float(usd_per_hour), "source": source, "as_of": as_of}


RENTAL_PRICES = (
    _row("nvidia-h100-sxm", 2.5),
    _row("nvidia-h100-pcie", 2.0),
    _row("nvidia-h200-sxm", 3.5),
    _row("nvidia-b200", 5.0),
    _row("nvidia-a100-sxm-80gb", 1.2),
    _row("nvidia-a100-40gb", 1.0),
    _row("nvidia-l40s", 0.7),
    _row("amd-mi300x", 2.1),
    _row("nvidia-rtx-4090", 0.4),
    _row("nvidia-rtx-5090", 0.7),
)

PRICE_BY_ACCELERATOR = {row["accelerator_id"]: row for row in RENTAL_PRICES}


def rental_price(accelerator_id: str) -> dict | None:
    """The price row of an accelerator, or None (owned hardware: no price)."""
    return PRICE_BY_ACCELERATOR.get(accelerator_id)
