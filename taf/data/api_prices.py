"""API prices (TAF §24): USD per million input and output tokens for eight hosted models.

Each row names the vendor's pricing page to re-check (``source``, prices change often) and the
record it was taken from: the TAF Agent module's ``API_PRICING`` table (reference ``taf-agent``),
recorded on ``as_of``; the numbers are that record's, unchanged. This project has not re-checked
them against the vendor pages since. Row order is display order.
"""

from __future__ import annotations

from ..references import REFERENCES

#: the date the TAF Agent module (v0.5.3) recorded these prices
AS_OF = "2026-05-02"


def _row(name, input_usd_per_mtok, output_usd_per_mtok, vendor_ref):
    return {
        "name": name,
        "input_usd_per_mtok": float(input_usd_per_mtok),
        "output_usd_per_mtok": float(output_usd_per_mtok),
        "source": REFERENCES[vendor_ref]["url"],
        "refs": [vendor_ref, "taf-agent"],
        "as_of": AS_OF,
    }


API_PRICES = (
    _row("GPT-4o", 2.5, 10.0, "openai-pricing"),
    _row("GPT-4o-mini", 0.15, 0.60, "openai-pricing"),
    _row("Claude-Opus-4", 15.0, 75.0, "anthropic-pricing"),
    _row("Claude-Sonnet-4", 3.0, 15.0, "anthropic-pricing"),
    _row("Claude-Haiku-4", 0.80, 4.0, "anthropic-pricing"),
    _row("Gemini-1.5-Pro", 1.25, 5.0, "google-pricing"),
    _row("DeepSeek-V3", 0.27, 1.10, "deepseek-pricing"),
    _row("Llama-3.3-70B (Together)", 0.88, 0.88, "together-pricing"),
)

API_PRICES_BY_NAME = {row["name"]: row for row in API_PRICES}

#: every API model name, in display order (the choices of an ``api_model`` parameter)
API_MODEL_NAMES = tuple(row["name"] for row in API_PRICES)
