"""§24 Economics: blended API prices and the build-vs-buy break-even volume."""

from __future__ import annotations

import math


def api_blended_usd_per_mtok(
    input_usd_per_mtok: float, output_usd_per_mtok: float, input_share: float = 0.5
) -> float | None:
    """§24 Blended API price: s · input + (1 − s) · output; with s = 0.5, (input + output) / 2.

    Units: USD per million tokens (both prices and the result); s is the share of
    input tokens in the traffic, in [0, 1]. Domain: prices ≥ 0, 0 ≤ s ≤ 1; ``None``
    otherwise. The TAF Agent module fixes s = 0.5 (equal input and output volume), which real
    traffic rarely has. Evidence: exact arithmetic; the 50/50 mix is a heuristic.
    """
    if input_usd_per_mtok < 0 or output_usd_per_mtok < 0 or not 0 <= input_share <= 1:
        return None
    return input_share * input_usd_per_mtok + (1 - input_share) * output_usd_per_mtok


def savings_per_mtok(api_usd_per_mtok: float, self_usd_per_mtok: float) -> float:
    """§24.3 What self-hosting saves per million tokens: API − self (USD/Mtok; may be ≤ 0).

    Evidence: exact arithmetic.
    """
    return api_usd_per_mtok - self_usd_per_mtok


def break_even_mtok(training_usd: float, api_usd_per_mtok: float, self_usd_per_mtok: float) -> float | None:
    """§24.3 Break-even volume: Mtok = training USD / (API − self USD/Mtok).

    Units: million tokens; training cost in USD; prices in USD per million tokens.
    Domain: training_usd ≥ 0 and API > self. When self-hosting costs as much as the
    API or more (savings ≤ 0) it never breaks even: ``None`` (also ``None`` if the
    quotient overflows). TAF Agent module:
    ``break_even_volume``. Evidence: exact arithmetic on estimated inputs.
    """
    savings = savings_per_mtok(api_usd_per_mtok, self_usd_per_mtok)
    if training_usd < 0 or savings <= 0:
        return None
    mtok = training_usd / savings
    return mtok if math.isfinite(mtok) else None


def break_even_volume(training_usd: float, api_usd_per_mtok: float, self_usd_per_mtok: float) -> dict:
    """§24.3 Break-even volume with its reason.

    Returns ``{"savings_per_Mtok", "Mtok_breakeven", "tokens_breakeven", "reason"}``
    (USD/Mtok, Mtok, tokens, text). ``Mtok_breakeven`` and ``tokens_breakeven`` are
    ``None`` — with the reason saying why — when the savings per token are ≤ 0
    (never breaks even), the training cost is negative (undefined) or the volume
    exceeds the floating-point range.
    """
    savings = savings_per_mtok(api_usd_per_mtok, self_usd_per_mtok)
    mtok = break_even_mtok(training_usd, api_usd_per_mtok, self_usd_per_mtok)
    if mtok is not None:
        reason = "break-even when cumulative volume reaches training cost / savings per Mtok"
    elif savings <= 0:
        reason = (
            "self-hosting costs at least as much per token as the API "
            f"(savings {savings:.4g} USD/Mtok ≤ 0): never breaks even"
        )
    elif training_usd < 0:
        reason = "training cost is negative: undefined"
    else:
        reason = "the break-even volume is beyond the floating-point range: effectively never"
    return {
        "savings_per_Mtok": savings,
        "Mtok_breakeven": mtok,
        "tokens_breakeven": None if mtok is None or not math.isfinite(mtok * 1e6) else mtok * 1e6,
        "reason": reason,
    }


def months_to_break_even(mtok_breakeven: float | None, monthly_mtok: float) -> float | None:
    """§24.3 Payback time: months = break-even Mtok / monthly Mtok.

    Units: months; volumes in million tokens (per month). Domain: monthly > 0 and a
    defined break-even; ``None`` otherwise (and when the quotient overflows). Evidence: exact arithmetic, assuming a
    constant monthly volume.
    """
    if mtok_breakeven is None or monthly_mtok <= 0:
        return None
    months = mtok_breakeven / monthly_mtok
    return months if math.isfinite(months) else None
