"""§24 API prices: USD per million input and output tokens for eight hosted models.

The rows of the TAF module (seed 002, ``API_PRICING``), numbers unchanged. Prices
change often; ``as_of`` is the date of the seed. Row order is display order.
"""
from __future__ import annotations

SEED_SOURCE = "TAF Browser seed module (shared/seeds/002), curated from vendor docs 2026"
SEED_AS_OF = "2026-05-02"


def _row(name, input_usd_per_mtok, output_usd_per_mtok):
    return {
        "name": name,
        "input_usd_per_mtok": float(input_usd_per_mtok),
        "output_usd_per_mtok": float(output_usd_per_mtok),
        "source": SEED_SOURCE,
        "as_of": SEED_AS_OF,
    }


API_PRICES = (
    _row("GPT-4o", 2.5, 10.0),
    _row("GPT-4o-mini", 0.15, 0.60),
    _row("Claude-Opus-4", 15.0, 75.0),
    _row("Claude-Sonnet-4", 3.0, 15.0),
    _row("Claude-Haiku-4", 0.80, 4.0),
    _row("Gemini-1.5-Pro", 1.25, 5.0),
    _row("DeepSeek-V3", 0.27, 1.10),
    _row("Llama-3.3-70B (Together)", 0.88, 0.88),
)

API_PRICES_BY_NAME = {row["name"]: row for row in API_PRICES}

#: every API model name, in display order (the choices of an ``api_model`` parameter)
API_MODEL_NAMES = tuple(row["name"] for row in API_PRICES)
