"""Plain-text rendering of results for the command line."""
from __future__ import annotations

from typing import Any

WIDTH = 78


def format_value(value: Any, unit: str = "") -> str:
    """A number with sensible precision and its unit: 47781.002 → '47,781.0 tokens'."""
    if value is None:
        return "undefined"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, float):
        magnitude = abs(value)
        if value == 0:
            text = "0"
        elif magnitude >= 1e15 or magnitude < 1e-4:
            text = f"{value:.4e}"
        elif magnitude >= 1000:
            text = f"{value:,.1f}"
        else:
            text = f"{value:.6g}"
    elif isinstance(value, str):
        text = value
    elif isinstance(value, dict):
        return " · ".join(f"{k} = {_scalar_list(v) if isinstance(v, list) else format_value(v)}"
                          for k, v in value.items()
                          if not isinstance(v, dict) and not (isinstance(v, list) and _nested(v)))
    elif isinstance(value, list):
        return f"{len(value)} item(s)"
    else:
        text = str(value)
    if unit == "×":
        return text + "×"
    return f"{text} {unit}" if unit else text


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
            lines.append(f"{indent}{i}. " + ", ".join(f"{k}={format_value(v)}" for k, v in item.items()
                                                          if not isinstance(v, (dict, list))))
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
            lines.append(f"    result:  {len(res)} item(s)")
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
