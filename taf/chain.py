"""Chains of steps, verdicts and strict-JSON serialisation.

A recipe receives a :class:`Chain`, appends numbered steps to it with
:meth:`Chain.step` and returns a :class:`Verdict`. The registry wraps both into the
result dict of SPEC §3. :func:`to_json` writes that dict as strict RFC 8259 JSON —
the same bytes in CPython and in Pyodide.
"""

from __future__ import annotations

import json
import math
from typing import Any

from .evidence import STATUSES
from .glossary import entries_for, symbols_in
from .numeric import all_finite
from .references import REFERENCES, TAF_SECTION_PREFIX, label, references_for

SCHEMA_VERSION = 1

#: the evidence vocabulary a step's ``status`` uses (taf.evidence)
STEP_STATUSES = STATUSES

#: how a verdict reads for the user's question; the page colours the banner from this, never from words
TONES = ("good", "caution", "bad", "neutral")

#: chart kinds a result may carry in ``charts`` (drawn by the page, listed as data in JSON/CLI)
CHART_KINDS = ("line", "stacked_bar", "bar")


class Verdict:
    """The end of a chain: a short label, the reason it holds, what to do about it, and its tone.

    ``tone`` is one of :data:`TONES` (data, so no reader re-parses the label). ``figures`` are the
    result's headline numbers by name, units in the name (``weights_bytes_per_gpu``, ``fits``);
    ``charts`` are chart specifications built with :func:`chart` from data the chain computed.
    """

    __slots__ = ("verdict", "reason", "mitigation", "tone", "figures", "charts")

    def __init__(
        self,
        verdict: str,
        reason: str,
        mitigation: str,
        *,
        tone: str = "neutral",
        figures: dict | None = None,
        charts: list | None = None,
    ):
        if tone not in TONES:
            raise ValueError(f"tone {tone!r} is not one of {TONES}")
        self.verdict = verdict
        self.reason = reason
        self.mitigation = mitigation
        self.tone = tone
        self.figures = figures or {}
        self.charts = charts or []

    def __repr__(self) -> str:
        return f"Verdict({self.verdict!r}, {self.reason!r}, {self.mitigation!r}, tone={self.tone!r})"


def chart(
    chart_id: str,
    kind: str,
    title: str,
    *,
    x: dict,
    y: dict,
    series: list,
    markers: list | None = None,
    note: str | None = None,
) -> dict:
    """One chart specification, plain data (SPEC §3 ``charts``).

    - ``kind``: ``line`` (each series has ``points`` [[x, y], …]), ``stacked_bar`` (each series is one
      stacked segment: ``{"name", "values": [y per category]}``, categories in ``x["categories"]``) or
      ``bar`` (one series, ``values`` per category).
    - ``x`` / ``y``: ``{"label", "unit", "scale": "linear" | "log"}`` (``x`` of a bar chart has
      ``categories`` instead of a scale).
    - ``markers``: reference lines ``{"axis": "x" | "y", "value", "label"}`` (a capacity, the 20 D/N line).
    - ``note``: one sentence on what the chart shows, for the table alternative and screen readers.
    """
    if kind not in CHART_KINDS:
        raise ValueError(f"chart kind {kind!r} is not one of {CHART_KINDS}")
    spec: dict[str, Any] = {"id": chart_id, "kind": kind, "title": title, "x": x, "y": y, "series": series}
    if markers:
        spec["markers"] = markers
    if note:
        spec["note"] = note
    return spec


def finite_or_none(x: Any) -> Any:
    """Return ``x`` unless it is a non-finite float, in which case ``None``."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def clean(value: Any) -> Any:
    """Deep-copy a value into plain JSON types (dict/list/str/int/float/bool/None).

    Non-finite floats are a programming error here — recipes must turn a diverging
    quantity into ``None`` and say why — so they raise ``ValueError``.
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"non-finite float {value!r} in a result")
        return value
    if isinstance(value, dict):
        if len(value) >= _FAST_MIN and _plain_scalars(value.values()) and set(map(type, value)) == {str}:
            return dict(value)
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if len(value) >= _FAST_MIN and _plain_scalars(value):
            return list(value)
        return [clean(v) for v in value]
    raise TypeError(f"value of type {type(value).__name__} cannot go into a result")


#: containers at least this long are checked at C level first (a 10,000-item list of numbers must
#: not cost 10,000 Python calls); shorter ones go item by item
_FAST_MIN = 16
_PLAIN = frozenset((int, str, bool, type(None)))


def _plain_scalars(values) -> bool:
    """True when every value is exactly an int, str, bool, None or finite float (no subclasses)."""
    types = set(map(type, values))
    if types <= _PLAIN:
        return True
    if types == {float}:
        return all_finite(values)
    if float in types and types <= _PLAIN | {float}:
        return all(map(math.isfinite, filter(float.__instancecheck__, values)))
    return False


class Chain:
    """An ordered list of steps plus the caveats that apply to the whole result."""

    __slots__ = ("steps", "caveats")

    def __init__(self) -> None:
        self.steps: list = []
        self.caveats: list = []

    def step(
        self,
        section: str,
        name: str,
        formula: str,
        inputs: dict,
        result: Any,
        interpretation: str | None = None,
        *,
        unit: str | None = None,
        breakdown: dict | None = None,
        status: str | None = None,
        refs: tuple = (),
    ) -> Any:
        """Append a step; returns ``result`` so a recipe can write ``x = chain.step(...)``.

        ``section`` is a TAF section number ("§26.1", citing ``taf``) or a citation key of
        :mod:`taf.references` ("wilson1927"), shown as its short label. ``refs`` adds further keys.
        """
        if status is not None and status not in STEP_STATUSES:
            raise ValueError(f"step status {status!r} is not one of {STEP_STATUSES}")
        if section.startswith(TAF_SECTION_PREFIX):
            keys = ["taf"]
        elif section in REFERENCES:
            keys = [section]
            section = label(section)
        else:  # this project's own model (a planner recipe id such as "T-1"): its sources come in ``refs``
            keys = []
        keys.extend(key for key in refs if key not in keys)
        for key in keys:
            label(key)  # an unknown key fails here, when the recipe is written, not in a reader's hands
        entry: dict[str, Any] = {
            "step": len(self.steps) + 1,
            "section": section,
            "refs": keys,
            "name": name,
            "formula": formula,
            "inputs": clean(inputs),
            "result": clean(result),
        }
        if unit:
            entry["unit"] = unit
        if interpretation:
            entry["interpretation"] = interpretation
        if breakdown:
            entry["breakdown"] = clean(breakdown)
        if status:
            entry["status"] = status
        symbols = symbols_in(name, formula)
        if symbols:
            entry["symbols"] = symbols
        self.steps.append(entry)
        return result

    def caveat(self, text: str) -> None:
        if text not in self.caveats:
            self.caveats.append(text)


def build_result(
    recipe_id: str,
    recipe_name: str,
    inputs: dict,
    chain: Chain,
    verdict: Verdict,
    preset: str | None = None,
) -> dict:
    """Assemble the SPEC §3 result dict."""
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "recipe_id": recipe_id,
        "recipe_name": recipe_name,
    }
    if preset is not None:
        out["preset"] = preset
    out["inputs"] = clean(inputs)
    out["chain"] = chain.steps
    out["verdict"] = verdict.verdict
    out["reason"] = verdict.reason
    out["mitigation"] = verdict.mitigation
    out["tone"] = verdict.tone
    out["caveats"] = list(chain.caveats)
    out["figures"] = clean(verdict.figures)
    out["charts"] = clean(verdict.charts)
    out["references"] = references_for(key for step in chain.steps for key in step["refs"])
    out["glossary"] = entries_for(key for step in chain.steps for key in step.get("symbols", ()))
    return out


def to_json(value: Any) -> str:
    """Strict JSON text (no NaN/Infinity), deterministic, UTF-8 characters kept."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
