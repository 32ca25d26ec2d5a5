"""Number formatting, once: the general rule (:func:`format_number` / :func:`format_value`, which the
page's JavaScript formatter is checked against) and the fixed-precision forms recipes write in their
prose (``format_si``, ``format_usd``, ``format_gb`` …, each named for what it writes); plus the
plain-text rendering of results for the command line. No other module of ``taf`` formats numbers
with a helper of its own (tests/test_single_source.py).
"""

from __future__ import annotations

import math
from typing import Any

#: units written in the plural that read in the singular for exactly one ("1 GPU", not "1 GPUs")
SINGULAR = {
    "tokens": "token",
    "params": "param",
    "parameters": "parameter",
    "layers": "layer",
    "heads": "head",
    "bytes": "byte",
    "GPUs": "GPU",
    "GPU-hours": "GPU-hour",
    "hours": "hour",
    "days": "day",
    "seconds": "second",
    "problems": "problem",
    "prompts": "prompt",
    "samples": "sample",
    "seeds": "seed",
    "steps": "step",
    "users": "user",
    "dims": "dim",
    "sequences": "sequence",
    "requests": "request",
    "experts": "expert",
    "checks": "check",
    "models": "model",
    "bits": "bit",
    "items": "item",
}

#: below this magnitude and from ``SCI_HIGH`` up, numbers are written in scientific notation
SCI_LOW = 1e-4
SCI_HIGH = 1e15
#: significant digits of a number below 1000 (larger ones are rounded to an integer)
SIGNIFICANT = 4
#: significant digits of the mantissa in scientific notation
SCI_SIGNIFICANT = 3


def _round_half_up(numerator: int, denominator: int) -> int:
    """round(n/d) for n ≥ 0, d > 0, ties away from zero (as JavaScript's toFixed/toPrecision)."""
    return (2 * numerator + denominator) // (2 * denominator)


def _decimal_digits(x: float, decimals: int) -> tuple[int, int]:
    """|x| rounded (exactly, ties away from zero) to ``decimals`` places, as (digits, decimals)."""
    num, den = abs(x).as_integer_ratio()
    if decimals >= 0:
        return _round_half_up(num * 10**decimals, den), decimals
    scaled = _round_half_up(num, den * 10**-decimals)
    return scaled * 10**-decimals, 0


def _exponent10(x: float) -> int:
    """e with 10^e ≤ |x| < 10^(e+1), exactly (x ≠ 0)."""
    num, den = abs(x).as_integer_ratio()
    e = len(str(num // den)) - 1 if num >= den else -len(str(den // num))
    while num * 10 ** max(0, -e) < den * 10 ** max(0, e):  # 10^e > |x|
        e -= 1
    while num * 10 ** max(0, -e - 1) >= den * 10 ** max(0, e + 1):  # 10^(e+1) ≤ |x|
        e += 1
    return e


def _group(digits: int) -> str:
    return f"{digits:,}"


def _fixed(digits: int, decimals: int, strip: bool) -> str:
    """digits · 10^-decimals as text, integer part grouped, trailing fractional zeros stripped."""
    whole, frac = divmod(digits, 10**decimals) if decimals else (digits, 0)
    text = _group(whole)
    if decimals:
        frac_text = str(frac).rjust(decimals, "0")
        if strip:
            frac_text = frac_text.rstrip("0")
        if frac_text:
            text += "." + frac_text
    return text


def _significant(x: float, e: int, places: int) -> int:
    """|x| / 10^(e − places + 1) rounded (exactly, ties away from zero): ``places`` digits when 10^e ≤ |x|."""
    num, den = abs(x).as_integer_ratio()
    shift = e - places + 1
    if shift >= 0:
        return _round_half_up(num, den * 10**shift)
    return _round_half_up(num * 10**-shift, den)


def _scientific(x: float) -> str:
    e = _exponent10(x)
    digits = _significant(x, e, SCI_SIGNIFICANT)
    if digits >= 10**SCI_SIGNIFICANT:  # 9.995e3 rounds up to 10.0e3
        e += 1
        digits = _significant(x, e, SCI_SIGNIFICANT)
    mantissa = _fixed(digits, SCI_SIGNIFICANT - 1, strip=True)
    return f"{'-' if x < 0 else ''}{mantissa}e{e}"


def format_number(x: int | float) -> str:
    """A number as text, the one rule every view uses (the page's formatter is tested against it).

    - integers (and floats with no fractional part) below 10^15: every digit, thousands grouped
      (``8,030,261,248``);
    - 10^15 and up, or below 10^-4: scientific, 3 significant digits (``1.23e18``, ``5e-5``);
    - from 1,000 up: rounded to an integer (``47,781``);
    - below 1,000: 4 significant digits, trailing zeros dropped (``0.9134``, ``123.5``, ``2.5``).

    Rounding is exact on the binary value, ties away from zero (JavaScript's toFixed/toPrecision).
    """
    if isinstance(x, bool):
        return "yes" if x else "no"
    if x == 0:
        return "0"
    magnitude = abs(x)
    sign = "-" if x < 0 else ""
    if magnitude >= SCI_HIGH or (isinstance(x, float) and magnitude < SCI_LOW):
        return _scientific(float(x))
    if isinstance(x, int):
        return sign + _group(abs(x))
    if magnitude >= 1000 or x.is_integer():
        digits, _ = _decimal_digits(x, 0)
        return sign + _group(digits)
    decimals = SIGNIFICANT - 1 - _exponent10(x)
    digits, decimals = _decimal_digits(x, decimals)
    return sign + _fixed(digits, decimals, strip=True)


def unit_text(value: Any, unit: str) -> str:
    """``unit`` as it reads after ``value``: singular for exactly one ("1 GPU")."""
    if unit in SINGULAR and not isinstance(value, bool) and isinstance(value, (int, float)) and abs(value) == 1:
        return SINGULAR[unit]
    return unit


def with_unit(text: str, value: Any, unit: str) -> str:
    """``text`` followed by its unit: "2.5×", "12 %", "1 GPU", "8 GPUs"."""
    if not unit:
        return text
    if unit == "×":
        return text + "×"
    return f"{text} {unit_text(value, unit)}"


def format_value(value: Any, unit: str = "") -> str:
    """A value with sensible precision and its unit: 47781.002 → '47,781 tokens'; None → '—'.

    (A step whose result is ``None`` says why in its interpretation.)
    """
    if value is None:
        return "—"
    if isinstance(value, (bool, int, float)):
        return with_unit(format_number(value), value, unit)
    if isinstance(value, str):
        return with_unit(value, value, unit)
    if isinstance(value, dict):
        return " · ".join(
            f"{k} = {_scalar_list(v) if isinstance(v, list) else format_value(v)}"
            for k, v in value.items()
            if not isinstance(v, dict) and not (isinstance(v, list) and _nested(v))
        )
    if isinstance(value, list):
        return f"{len(value)} item" + ("" if len(value) == 1 else "s")
    return with_unit(str(value), value, unit)


# ── fixed-precision forms for recipe prose (each differs from format_number on purpose) ────
#: what the prose forms write for an undefined quantity (None)
NOT_DEFINED = "not defined"
_SI_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def format_default(value: Any) -> str:
    """A default value as a form shows it: 2.0 → '2', 500000.0 → '500,000', True → 'yes', 1e-9 stays."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(format_default(v) for v in value)
    return str(value)


def format_bound(x: float | int) -> str:
    """A bound or count in an error message: 32000 → '32,000', 1e-09 → '1e-09', 2.5 → '2.5' (``:g``)."""
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) < 1e15):
        return f"{int(x):,}"
    return f"{x:g}"


def format_si(x: float | None, digits: int = 3) -> str:
    """8e9 → '8B', 1.6e11 → '160B', 5.1675e9 → '5.17B' (suffixes as the inputs accept them)."""
    if x is None:
        return NOT_DEFINED
    if x == 0:
        return "0"
    magnitude = abs(x)
    if magnitude >= 1e15:
        return format_scientific(x, digits)
    for scale, suffix in _SI_SUFFIXES:
        if magnitude >= scale:
            return f"{x / scale:.{digits}g}{suffix}"
    return f"{x:.{digits}g}"


def format_scientific(x: float | None, digits: int = 3) -> str:
    """7.68e21 → '7.68e21' (no '+' and no leading zero in the exponent)."""
    if x is None:
        return NOT_DEFINED
    if x == 0:
        return "0"
    exponent = math.floor(math.log10(abs(x)))
    mantissa = x / 10**exponent
    if round(abs(mantissa), digits - 1) >= 10:
        exponent += 1
        mantissa = x / 10**exponent
    return f"{mantissa:.{digits}g}e{exponent}"


def format_usd(x: float | None) -> str:
    """$11,984 for large amounts, $3.32 for small ones, $0.0123 for fractions of a cent."""
    if x is None:
        return NOT_DEFINED
    magnitude = abs(x)
    if magnitude >= 100:
        return f"${x:,.0f}"
    if magnitude >= 0.1 or x == 0:
        return f"${x:,.2f}"
    return f"${x:.3g}"


def format_plain(x: float | None) -> str:
    """A user-given quantity as typed: 10.0 → '10', 2.5 → '2.5', 1e6 → '1,000,000'."""
    if x is None:
        return NOT_DEFINED
    return f"{x:,.10g}"


def format_fixed(x: float | None, decimals: int = 1) -> str:
    """A plain number with thousands separators and fixed decimals: 4085.5 → '4,085.5'."""
    if x is None:
        return NOT_DEFINED
    return f"{x:,.{decimals}f}"


def format_decimals(x: float, decimals: int = 5) -> str:
    """Fixed decimals, no separators (bits per byte, p-values): 1.080912 → '1.08091'."""
    return f"{x:.{decimals}f}"


def format_ratio(x: float | None) -> str:
    """A multiple: 0.96768 → '0.97', 2.862 → '2.86', 1234.5 → '1,234'."""
    if x is None:
        return NOT_DEFINED
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.2f}"


def format_sig4(x: float) -> str:
    """Four significant digits below 1,000 (``:,.4g``), an integer from 1,000: 20.5 → '20.5'."""
    return f"{x:,.4g}" if x < 1000 else f"{x:,.0f}"


def format_percent(fraction: float) -> str:
    """A fraction as a percentage with two decimals: 0.1072 → '10.72 %'."""
    return f"{fraction * 100:.2f} %"


def format_gb(n_bytes: float) -> str:
    """Bytes in decimal GB with two decimals: 16e9 → '16.00 GB'."""
    return f"{n_bytes / 1e9:,.2f} GB"


def format_gib(n_bytes: float) -> str:
    """Bytes in GiB (2³⁰) with two decimals: 2**34 → '16.00 GiB'."""
    return f"{n_bytes / 2**30:,.2f} GiB"


def format_gb_or_mb(n_bytes: int | float) -> str:
    """Decimal GB (MB below 1 GB): 1.07e9 → '1.07 GB', 5.4e8 → '540.0 MB'."""
    return f"{n_bytes / 1e9:,.2f} GB" if n_bytes >= 1e9 else f"{n_bytes / 1e6:,.1f} MB"


def format_billions(n: int | float) -> str:
    """8030261248 → '8.03 B'; below a billion in millions ('124.4 M')."""
    return f"{n / 1e9:,.2f} B" if n >= 1e9 else f"{n / 1e6:,.1f} M"


def format_kib(n_bytes: int | float) -> str:
    """131072 → '128 KiB'; below 1 KiB in bytes ('512 bytes')."""
    if n_bytes < 1024:
        return f"{n_bytes:g} bytes"
    value = n_bytes / 1024
    return f"{value:,.0f} KiB" if float(value).is_integer() else f"{value:,.1f} KiB"


def format_ms(seconds: float) -> str:
    """Seconds in milliseconds with two decimals: 0.01234 → '12.34 ms'."""
    return f"{seconds * 1e3:,.2f} ms"


#: (value, unit) cases of the golden file the page's JavaScript formatter is tested against
GOLDEN_CASES: tuple = (
    (None, ""),
    (True, ""),
    (False, ""),
    (0, ""),
    (0.0, "tokens"),
    (1, "GPUs"),
    (1.0, "GPUs"),
    (2, "GPUs"),
    (1, "tokens"),
    (-1, "tokens"),
    (32000, "tokens"),
    (32768, ""),
    (8030261248, "params"),
    (5167494557.3, "params"),
    (47781.002, "tokens"),
    (1234.5, ""),
    (-1234.5, ""),
    (999.96, ""),
    (999.94, ""),
    (0.9134089936270703, ""),
    (0.5, ""),
    (2.5, "×"),
    (136.8, "×"),
    (41.13, "×"),
    (0.0001, ""),
    (0.00009999, ""),
    (1e-9, ""),
    (-2.5e-7, "probability"),
    (1.5e9, ""),
    (8e9, "params"),
    (1e15, "FLOPs"),
    (1.2345e18, "FLOPs"),
    (9.9951e20, ""),
    (123.456, "ms"),
    (12.5, "%"),
    (100, "%"),
    (0.1072, "probability"),
    (3.14159, "GB"),
    (1.0e3, "tokens"),
    (10**20, ""),
    (-7, "layers"),
    (0.30000000000000004, ""),
    (16000000, "bytes"),
    (1, "bytes"),
    (0.125, "bytes"),
    (24, "GB"),
    ("text", ""),
    ("H100 SXM", "GPUs"),
    (1.005, ""),
    (2.675, ""),
    (0.045, ""),
    (1e-4, ""),
)


def golden_cases() -> list[dict]:
    """[{value, unit, text}] for tests/fixtures/format_golden.json (see tests/test_textfmt.py)."""
    return [{"value": v, "unit": u, "text": format_value(v, u)} for v, u in GOLDEN_CASES]


def _nested(items: list) -> bool:
    return any(isinstance(v, (dict, list)) for v in items)


def _scalar_list(items: list) -> str:
    """A list of plain values, complete: '[3, 4]' (numbers without thousands separators), '[]' when empty."""
    return "[" + ", ".join(v if isinstance(v, str) else str(v) for v in items) + "]"


def _inputs_text(inputs: dict) -> str:
    return ", ".join(f"{k}={format_value(v)}" for k, v in inputs.items())


def _list_lines(items: list, indent: str) -> list[str]:
    lines = []
    for i, item in enumerate(items, start=1):
        if isinstance(item, dict):
            lines.append(
                f"{indent}{i}. "
                + ", ".join(f"{k}={format_value(v)}" for k, v in item.items() if not isinstance(v, (dict, list)))
            )
        else:
            lines.append(f"{indent}{i}. {format_value(item)}")
    return lines


def format_result(result: dict) -> str:
    """The chain of a recipe result as readable text."""
    lines = [f"{result['recipe_id']} · {result['recipe_name']}"]
    if result.get("preset"):
        lines.append(f"model: {result['preset']}")
    lines.append("inputs: " + _inputs_text(result["inputs"]))
    lines.append("")
    for step in result["chain"]:
        status = f"  [{step['status']}]" if step.get("status") else ""
        lines.append(f"{step['step']:>2}. {step['name']}  ({step['section']}){status}")
        lines.append(f"    formula: {step['formula']}")
        if step.get("inputs"):
            lines.append(f"    inputs:  {_inputs_text(step['inputs'])}")
        res = step["result"]
        if isinstance(res, list):
            lines.append(f"    result:  {format_value(res)}")
            lines.extend(_list_lines(res, "      "))
        else:
            lines.append(f"    result:  {format_value(res, step.get('unit', ''))}")
        if step.get("interpretation"):
            lines.append(f"    meaning: {step['interpretation']}")
    lines.append("")
    lines.append(f"VERDICT: {result['verdict']}")
    lines.append(f"Reason: {result['reason']}")
    lines.append(f"Mitigation: {result['mitigation']}")
    if result.get("caveats"):
        lines.append("Caveats:")
        lines.extend(f"  - {c}" for c in result["caveats"])
    if result.get("references"):
        lines.append("References:")
        lines.extend(f"  [{ref['label']}] {_citation(ref)}" for ref in result["references"].values())
    return "\n".join(lines)


def _citation(ref: dict) -> str:
    """authors (year). title. venue. url"""
    return f"{ref['authors']} ({ref['year']}). {ref['title']}. {ref['venue']}. {ref['url']}"


def format_profile(card: dict) -> str:
    lines = [f"TAF card · {card.get('preset') or 'custom model'}"]
    lines.append("model: " + _inputs_text(card["model"]))
    lines.append("")
    lines.append("Key numbers:")
    for row in card.get("key_numbers", []):
        lines.append(f"  {row['name']}: {format_value(row['value'], row.get('unit', ''))}")
    diagnostics = card.get("diagnostics") or {}
    if diagnostics:
        lines.append("Diagnostics:")
        for name, value in diagnostics.items():
            shown = value.get("label") or value.get("message") if isinstance(value, dict) else None
            lines.append(f"  {name}: {shown if shown else format_value(value)}")
    lines.append("Verdicts:")
    for row in card["recipes"]:
        lines.append(f"  {row['recipe_id']:<5} {row['verdict']:<26} {row['reason']}")
    if card.get("falsification_status"):
        lines.append("Falsification status:")
        for row in card["falsification_status"]:
            lines.append(f"  {row['id']}: {row['claim']} — {row['status']}")
    return "\n".join(lines)


def format_compare(table: dict) -> str:
    lines = [f"Compare · {table['recipe_id']} {table['recipe_name']}"]
    if table.get("shared_params"):
        lines.append("shared: " + _inputs_text(table["shared_params"]))
    lines.append("")
    for row in table["rows"]:
        if "error" in row:
            lines.append(f"{row['label']}: ERROR — {row['error']['message']}")
            continue
        lines.append(f"{row['label']}: {row['verdict']}")
        lines.append(f"    {row['reason']}")
        for number in row["key_numbers"]:
            lines.append(f"    {number['name']}: {format_value(number['value'], number.get('unit', ''))}")
    return "\n".join(lines)
