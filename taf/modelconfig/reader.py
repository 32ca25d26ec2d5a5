"""Reading a Hugging Face ``config.json`` strictly, remembering which key every value came from.

Every failure is a :class:`~taf.params.ParamError` on the parameter ``config`` with a
message that names the offending key: ``invalid_json`` when the text is not JSON,
``invalid_value`` when a key is missing, has the wrong type or an absurd size. Nothing
here raises anything else on any input.
"""

from __future__ import annotations

import builtins
import json
import math
import re
from typing import Any, overload

from ..params import ParamError, json_limits_problem, json_value_problem, show, text_problem
from ..textfmt import format_bound

PARAM = "config"

#: upper bounds on the sizes a config may state (anything beyond is not a real model)
LIMITS = {
    "layers": 100_000,
    "width": 10_000_000,  # hidden size, FFN width, ranks, head dims
    "heads": 100_000,
    "vocab": 100_000_000,
    "experts": 100_000,
    "positions": 1_000_000_000,  # context lengths
}

#: the longest text value accepted for a name-like key (model_type, topk_method)
MAX_TEXT_CHARS = 200

MISSING = object()


def _safe(value: Any) -> Any:
    """A received value echoed in an error: plain JSON scalars only, long text cut."""
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return value if len(value) <= 200 else value[:200] + "…"
    return show(value)


def config_error(key: str | None, message: str, value: Any = MISSING) -> ParamError:
    """An ``invalid_value`` error on ``config`` naming ``key``."""
    extra = {}
    if key is not None:
        extra["key"] = key
    if value is not MISSING:
        extra["value"] = _safe(value)
    return ParamError("invalid_value", message, param=PARAM, **extra)


#: a \\u escape of a UTF-16 surrogate (U+D800–U+DFFF): only such an escape can make a lone surrogate
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


def parse_config_text(text: Any) -> dict:
    """Parse config.json text (or take a dict) into a dict; structured errors otherwise."""
    if isinstance(text, dict):
        try:  # the same values a config.json file can hold (Infinity/NaN as transformers writes them)
            text = json.dumps(text, ensure_ascii=False)
        except (ValueError, TypeError, RecursionError) as exc:
            raise config_error(
                None,
                f"config is a dict that is not plain JSON ({type(exc).__name__}: "
                f"{show(str(exc), 100)}); use only JSON values (no Python objects).",
            )
    if not isinstance(text, str):
        raise config_error(
            None, f"config must be the text of a config.json (a JSON object), got a {type(text).__name__}."
        )
    if not text.strip():
        raise config_error(
            None,
            "config is empty: paste the text of a Hugging Face config.json "
            '(a JSON object such as {"model_type": "llama", ...}).',
            value="",
        )
    problem = json_limits_problem(text)  # size, nesting depth, lone surrogates: before parsing
    if problem:
        raise ParamError("invalid_json", f"config is not read: {problem}.", param=PARAM)
    try:
        # Infinity / -Infinity / NaN are read as Python's json reads them: transformers writes them (e.g.
        # Nemotron-H's time_step_limit); a size that is not finite is refused where it is read
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParamError(
            "invalid_json",
            f"config is not valid JSON: {exc.msg} at line {exc.lineno}, column "
            f"{exc.colno}; paste the whole config.json file.",
            param=PARAM,
            line=exc.lineno,
            column=exc.colno,
        )
    except ValueError as exc:  # an integer over Python's digit limit
        raise ParamError("invalid_json", f"config cannot be read as JSON: {json_value_problem(exc)}.", param=PARAM)
    if isinstance(value, dict) and _SURROGATE_ESCAPE.search(text):  # may spell a lone surrogate ("\\ud800")
        problem = text_problem(json.dumps(value, ensure_ascii=False))
        if problem:
            raise ParamError(
                "invalid_json",
                "config is not read: a \\u escape in it spells a lone surrogate (U+D800–U+DFFF), which is not text.",
                param=PARAM,
            )
    if not isinstance(value, dict):
        raise config_error(
            None,
            f"config must be a JSON object (config.json holds one {{...}}), got a JSON "
            f"{_json_type(value)}: {show(value)}.",
            value=value,
        )
    return value


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null" if value is None else type(value).__name__


class Reader:
    """Typed access to one config dict; ``sources`` records where each field came from."""

    def __init__(self, cfg: dict, prefix: str = ""):
        self.cfg = cfg
        self.prefix = prefix
        self.sources: dict[str, str] = {}

    # ── raw access ──────────────────────────────────────────────────────────
    def key(self, name: str) -> str:
        """The key as the user should see it (``text_config.hidden_size`` for nested configs)."""
        return self.prefix + name

    def present(self, name: str) -> bool:
        """True when the key exists and is not null."""
        return self.cfg.get(name) is not None

    def first(self, keys: tuple) -> str | None:
        for k in keys:
            if self.present(k):
                return k
        return None

    def note(self, field: str, text: str) -> None:
        self.sources[field] = text

    # ── typed getters ───────────────────────────────────────────────────────
    def int(
        self,
        field: str,
        keys: tuple,
        *,
        default: Any = MISSING,
        minimum: int = 1,
        limit: str = "width",
        needed_for: str = "",
    ) -> int:
        """An integer size read from the first present key of ``keys``.

        Missing → ``default`` (recorded as such) or an error naming ``keys[0]``.
        Booleans, text, fractions, and values outside [minimum, LIMITS[limit]] are errors.
        """
        k = self.first(keys)
        if k is None:
            if default is MISSING:
                also = f" (also looked for {', '.join(repr(self.key(x)) for x in keys[1:])})" if len(keys) > 1 else ""
                why = f", which is needed {needed_for}" if needed_for else ""
                raise config_error(
                    self.key(keys[0]),
                    f"config.json has no {self.key(keys[0])!r}{also}{why}; "
                    "add the key from the model's published config.json.",
                )
            self.note(field, f"default {format_bound(default)} ({self.key(keys[0])} absent)")
            return default
        value = self.cfg[k]
        out = check_int(self.key(k), value, minimum=minimum, maximum=LIMITS[limit])
        self.note(field, self.key(k))
        return out

    @overload
    def number(self, field: str, keys: tuple, *, maximum: float = 1e15) -> float: ...

    @overload
    def number(self, field: str, keys: tuple, *, default: float | None, maximum: float = 1e15) -> float | None: ...

    def number(self, field: str, keys: tuple, *, default: Any = MISSING, maximum: float = 1e15) -> float | None:
        """A positive finite number (θ, factors); missing → ``default`` (without one: an error, never None)."""
        k = self.first(keys)
        if k is None:
            if default is MISSING:
                raise config_error(self.key(keys[0]), f"config.json has no {self.key(keys[0])!r}.")
            return default
        value = self.cfg[k]
        out = check_number(self.key(k), value, maximum=maximum)
        self.note(field, self.key(k))
        return out

    def bool(self, field: str, keys: tuple, default: bool) -> bool:
        """A JSON boolean; missing → ``default`` (recorded as such)."""
        k = self.first(keys)
        if k is None:
            self.note(field, f"default {'true' if default else 'false'} ({self.key(keys[0])} absent)")
            return default
        value = self.cfg[k]
        if not isinstance(value, bool):
            raise config_error(
                self.key(k),
                f"config.json key {self.key(k)!r} = {show(value)} is not valid: expected true or false.",
                value=value,
            )
        self.note(field, self.key(k))
        return value

    def text(self, name: str) -> str | None:
        """An optional short string value (model_type, topk_method …), whole.

        Other types, and text longer than MAX_TEXT_CHARS (these keys hold short names; a longer
        value is not a real config and would otherwise be echoed into every result), are errors.
        """
        if not self.present(name):
            return None
        value = self.cfg[name]
        if not isinstance(value, str):
            raise config_error(
                self.key(name),
                f"config.json key {self.key(name)!r} = {show(value)} is not valid: expected text.",
                value=value,
            )
        if len(value) > MAX_TEXT_CHARS:
            raise config_error(
                self.key(name),
                f"config.json key {self.key(name)!r} = {show(value)} is not valid: "
                f"it is {len(value):,} characters long, and this key holds a short "
                f"name (at most {MAX_TEXT_CHARS} characters).",
                value=value,
            )
        return value

    def obj(self, name: str) -> dict | None:
        """An optional nested object (rope_scaling, text_config …)."""
        if not self.present(name):
            return None
        value = self.cfg[name]
        if not isinstance(value, dict):
            raise config_error(
                self.key(name),
                f"config.json key {self.key(name)!r} = {show(value)} is not valid: "
                "expected an object {...} or null.",
                value=value,
            )
        return value

    # builtins.int: inside this class, ``int`` names the getter above
    def int_list(self, name: str, *, maximum: builtins.int) -> list[builtins.int]:
        """An optional list of integers (mlp_only_layers); missing → []."""
        if not self.present(name):
            return []
        value = self.cfg[name]
        if not isinstance(value, list):
            raise config_error(
                self.key(name),
                f"config.json key {self.key(name)!r} = {show(value)} is not valid: "
                "expected a list of layer indices.",
                value=value,
            )
        return [check_int(f"{self.key(name)}[{i}]", v, minimum=0, maximum=maximum) for i, v in enumerate(value)]

    def str_list(self, name: str) -> list[str] | None:
        """An optional list of strings (layer_types); missing → None."""
        if not self.present(name):
            return None
        value = self.cfg[name]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise config_error(
                self.key(name),
                f"config.json key {self.key(name)!r} = {show(value)} is not valid: expected a list of strings.",
                value=value,
            )
        return value


def check_int(key: str, value: Any, *, minimum: int, maximum: int) -> int:
    """Validate one integer size from the config; ``key`` names it in the error."""
    if isinstance(value, bool):
        raise config_error(
            key,
            f"config.json key {key!r} = {show(value)} is not valid: a boolean is not a "
            f"size; expected an integer ≥ {format_bound(minimum)}.",
            value=value,
        )
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise config_error(
                key,
                f"config.json key {key!r} = {show(value)} is not valid: expected an integer "
                f"≥ {format_bound(minimum)} (it would have to be truncated).",
                value=value,
            )
        value = int(value)
    if not isinstance(value, int):
        raise config_error(
            key,
            f"config.json key {key!r} = {show(value)} is not valid: expected an integer "
            f"≥ {format_bound(minimum)}, got a JSON {_json_type(value)}.",
            value=value,
        )
    if value < minimum or value > maximum:
        raise ParamError(
            "out_of_range",
            f"config.json key {key!r} = {format_bound(value)} is out of range: it must be "
            f"≥ {format_bound(minimum)} and ≤ {format_bound(maximum)}.",
            param=PARAM,
            key=key,
            value=value,
            min=minimum,
            max=maximum,
        )
    return value


def check_number(key: str, value: Any, *, maximum: float) -> float:
    """Validate one positive finite number from the config (θ, scaling factors)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise config_error(
            key,
            f"config.json key {key!r} = {show(value)} is not valid: expected a positive "
            f"number, got a JSON {_json_type(value)}.",
            value=value,
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise config_error(
            key,
            f"config.json key {key!r} = {show(value)} is not valid: expected a finite positive number.",
            value=value,
        )
    if value <= 0 or value > maximum:
        raise ParamError(
            "out_of_range",
            f"config.json key {key!r} = {show(value)} is out of range: it must be > 0 and ≤ {maximum:g}.",
            param=PARAM,
            key=key,
            value=_safe(value),
        )
    return float(value)
