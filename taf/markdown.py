"""A result as Markdown: the verdict, the chain as a table, caveats, symbols and references.

``result_markdown(result)`` takes the dict :func:`taf.run_recipe` returns (or its JSON, decoded)
and writes GitHub-flavoured Markdown; numbers go through :mod:`taf.textfmt`, so they read as in
the CLI and on the page. An error result becomes one line with the message.
"""

from __future__ import annotations

from .textfmt import format_value

TONE_WORDS = {"good": "favourable", "caution": "caution", "bad": "unfavourable", "neutral": "for information"}


def _cell(text) -> str:
    """Text safe inside a table cell: no line breaks, pipes escaped."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def _inputs(inputs: dict) -> str:
    return ", ".join(f"{k} = {format_value(v)}" for k, v in inputs.items())


def _result(step: dict) -> str:
    value = step.get("result")
    if isinstance(value, list):
        return format_value(value)
    return format_value(value, step.get("unit", ""))


def result_markdown(result: dict) -> str:
    """The Markdown text of one recipe result (see the module docstring)."""
    if "error" in result:
        error = result["error"]
        where = f" ({error['param']})" if error.get("param") else ""
        return f"**Error{where}:** {error.get('message', '')}\n"
    lines = [f"## {result['recipe_id']} · {result['recipe_name']}", ""]
    if result.get("preset"):
        lines += [f"Model: `{result['preset']}`", ""]
    tone = result.get("tone", "neutral")
    lines += [
        f"**Verdict: {result['verdict']}** ({TONE_WORDS.get(tone, tone)})",
        "",
        f"**Reason:** {result['reason']}",
        "",
        f"**Mitigation:** {result['mitigation']}",
        "",
    ]
    lines += ["| # | source | step | formula | inputs | result | meaning |", "|---|---|---|---|---|---|---|"]
    for step in result["chain"]:
        status = f" *({step['status']})*" if step.get("status") else ""
        lines.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    step["step"],
                    step["section"],
                    step["name"] + status,
                    f"`{step['formula']}`",
                    _inputs(step.get("inputs") or {}),
                    _result(step),
                    step.get("interpretation", ""),
                )
            )
            + " |"
        )
    lines.append("")
    lines += ["**Inputs:** " + _inputs(result["inputs"]), ""]
    if result.get("figures"):
        lines += ["**Figures:** " + ", ".join(f"{k} = {format_value(v)}" for k, v in result["figures"].items()), ""]
    if result.get("caveats"):
        lines += ["**Caveats**", ""] + [f"- {c}" for c in result["caveats"]] + [""]
    if result.get("glossary"):
        lines += (
            ["**Symbols**", ""]
            + [f"- **{g['symbol']}** — {g['name']}: {g['meaning']}" for g in result["glossary"].values()]
            + [""]
        )
    if result.get("references"):
        lines += (
            ["**References**", ""]
            + [
                f"- [{r['label']}] {r['authors']} ({r['year']}). *{r['title']}*. {r['venue']}. <{r['url']}>"
                for r in result["references"].values()
            ]
            + [""]
        )
    return "\n".join(lines)
