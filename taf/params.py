"""Parameter schema, parsing and validation.

A recipe declares its parameters as :class:`Param` objects. That one declaration
drives validation (here), the command line (``taf run X-2 T_eval=32k``), the URL of
the page, the web form and the docs.

Values arrive as numbers, booleans or strings. Strings are parsed strictly:

* SI suffixes ``k``/``K`` = 10^3, ``M`` = 10^6, ``B``/``G`` = 10^9, ``T`` = 10^12
  (``32k`` is 32,000 — write ``32768`` for 2^15), scientific notation (``1.5e9``)
  and ``_`` digit separators (``32_000``);
* booleans ``true/false/1/0/yes/no`` (any case);
* lists as a comma-separated string or a JSON list.

Nothing silently truncates: ``2.5`` for an integer parameter is an error, not 2.
Every failure raises :class:`ParamError`, which carries the structured error of
SPEC §3 (``code``, ``message``, ``param`` …).
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from .numeric import all_finite
from .textfmt import format_bound

ERROR_CODES = (
    "unknown_recipe",
    "unknown_preset",
    "missing_param",
    "unknown_param",
    "invalid_value",
    "out_of_range",
    "unknown_choice",
    "invalid_json",
    "internal_error",
)

TYPES = ("int", "float", "bool", "str", "choice", "list")

#: SI suffixes as powers of ten (k = 10^3 … T = 10^12): a suffix shifts the decimal exponent, exactly
SI_EXPONENTS = {"k": 3, "K": 3, "M": 6, "B": 9, "G": 9, "T": 12}

TRUE_WORDS = ("true", "1", "yes", "on")
FALSE_WORDS = ("false", "0", "no", "off")

MAX_STRING_CHARS = 2_000_000
MAX_LIST_ITEMS = 10_000
#: JSON text (a request's parameters, a config.json) is read up to this many characters …
MAX_JSON_CHARS = 5_000_000
#: … and up to this many levels of ``[``/``{`` inside each other (real requests and configs use 2–5;
#: a bound well below any recursion limit gives CPython and Pyodide the same answer)
MAX_JSON_DEPTH = 32
#: Python refuses to convert integer text longer than this (``sys.get_int_max_str_digits()``)
MAX_INT_DIGITS = 4300
#: a number written with more characters than this is rejected ("too long to be a number")
MAX_NUMBER_CHARS = 100
#: integers whose decimal exponent exceeds this are handled as "too large" without building them
#: (int(Decimal("1e999999999")) would take hours); every numeric parameter's range is far smaller
HUGE_EXPONENT = 1000


class _Required:
    """Sentinel: the parameter has no default and must be given."""

    def __repr__(self) -> str:  # pragma: no cover - cosmetic
        return "REQUIRED"


REQUIRED = _Required()


class ParamError(ValueError):
    """A structured, user-facing error: a bad value, so a ``ValueError``.

    ``error`` is the dict that goes under the ``"error"`` key of a result.
    """

    def __init__(self, code: str, message: str, param: str | None = None, **extra: Any):
        if code not in ERROR_CODES:
            raise TypeError(f"ParamError code {code!r} is not one of {ERROR_CODES}")
        message = safe_text(message)
        super().__init__(message)
        self.error: dict[str, Any] = {"code": code, "message": message}
        if param is not None:
            self.error["param"] = safe_text(param)
        for key, value in extra.items():
            if value is not None:
                self.error[key] = safe_text(value) if isinstance(value, str) else value

    def as_result(self) -> dict:
        return {"error": dict(self.error)}


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be written as UTF-8 (a lone surrogate such as U+D800), or None if it can."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return (
            f"character {exc.start + 1:,} is U+{ord(text[exc.start]):04X}, a lone surrogate, which is not "
            "text and cannot be written as UTF-8"
        )
    return None


def safe_text(text: str) -> str:
    """``text`` with anything UTF-8 cannot hold (lone surrogates) written as ``\\udXXX`` escapes."""
    if text_problem(text) is None:
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


#: an int with more bits than this has over 1,000 digits: shown by size, never converted to text
_HUGE_INT_BITS = 3322


def show(value: Any, limit: int = 60) -> str:
    """A short, safe rendering of a received value for an error message.

    Bounded for any input: long text is cut before it is rendered, huge integers are described
    by their size (never converted to digits), containers are shown a few levels and items deep.
    """
    text = _brief(value, limit, 0)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _brief(value: Any, limit: int, depth: int) -> str:
    if isinstance(value, str):
        return repr(value[: limit + 1])  # repr escapes lone surrogates and control characters
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        if value.bit_length() > _HUGE_INT_BITS:
            return f"<an integer of about {value.bit_length() * 0.30103:,.0f} digits>"
        return str(value)
    if isinstance(value, float):
        return json.dumps(value, allow_nan=True)
    if isinstance(value, (list, tuple, dict)):
        opener, closer = ("{", "}") if isinstance(value, dict) else ("[", "]")
        if depth >= 3:
            return opener + "…" + closer
        parts, used = [], 0
        items = value.items() if isinstance(value, dict) else value
        for index, item in enumerate(items):
            if used > limit or index >= limit:
                parts.append("…")
                break
            part = (
                _brief(item[0], limit, depth + 1) + ": " + _brief(item[1], limit, depth + 1)
                if isinstance(value, dict)
                else _brief(item, limit, depth + 1)
            )
            parts.append(part)
            used += len(part) + 2
        return opener + ", ".join(parts) + closer
    return f"a {type(value).__name__}"


#: input widgets a parameter may ask for beyond the one its type implies ("json": a text area with a
#: "load from a local file" button, for a pasted or uploaded config.json)
WIDGETS = (None, "json")


@dataclasses.dataclass(frozen=True, slots=True, repr=False)
class Param:
    """One declared recipe parameter (immutable; ``replace()`` makes a changed copy).

    ``default`` absent (``REQUIRED``) means the caller must supply it; ``None`` means
    optional with no value. ``min``/``max`` bound numeric values (and list items);
    ``min_exclusive``/``max_exclusive`` make the bound strict. ``preset_key`` names
    the preset field that fills this parameter (usually the same name); ``None``
    means presets never fill it. ``default_from`` (with ``default=None``) names
    another parameter whose resolved value is the default ("T_eval defaults to
    T_train"). ``max_chars`` bounds a text parameter.
    """

    name: str
    type: str
    help: str
    unit: str = ""
    default: Any = REQUIRED
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    max_exclusive: bool = False
    choices: tuple = ()
    item_type: str = "float"
    preset_key: str | None = None
    default_from: str | None = None
    max_chars: int = MAX_STRING_CHARS
    widget: str | None = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise TypeError(f"{self.name}: parameter type {self.type!r} is not one of {TYPES}")
        if self.type == "choice" and not self.choices:
            raise TypeError(f"{self.name}: a choice parameter needs choices")
        if self.widget not in WIDGETS:
            raise TypeError(f"{self.name}: widget {self.widget!r} is not one of {WIDGETS}")

    def replace(self, **changes: Any) -> Param:
        """A copy with some fields changed (``N_PARAMS.replace(name="N_params", min=1)``)."""
        return dataclasses.replace(self, **changes)

    def __repr__(self) -> str:
        return f"Param({self.name!r}, {self.type!r})"

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def describe(self) -> dict:
        """The JSON-ready description used by ``list_recipes()``, the form and the docs."""
        out: dict[str, Any] = {"name": self.name, "type": self.type, "unit": self.unit}
        if not self.required:
            out["default"] = self.default
        if self.min is not None:
            out["min"] = self.min
            if self.min_exclusive:
                out["min_exclusive"] = True
        if self.max is not None:
            out["max"] = self.max
            if self.max_exclusive:
                out["max_exclusive"] = True
        if self.choices:
            out["choices"] = list(self.choices)
        if self.type == "list":
            out["item_type"] = self.item_type
        if self.preset_key is not None:
            out["preset_key"] = self.preset_key
        if self.default_from is not None:
            out["default_from"] = self.default_from
        if self.widget is not None:
            out["widget"] = self.widget
        out["help"] = self.help
        return out

    def allowed_text(self) -> str:
        """What values are allowed, as a phrase for error messages."""
        if self.type == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.type == "bool":
            return "true or false"
        if self.type == "str":
            return "text"
        if self.type == "list":
            kind = "a comma-separated list of " + ("integers" if self.item_type == "int" else "numbers")
        else:
            kind = {"int": "an integer", "float": "a number"}[self.type]
        return kind + self.range_text()

    def range_text(self) -> str:
        parts = []
        if self.min is not None:
            parts.append(("> " if self.min_exclusive else "≥ ") + format_bound(self.min))
        if self.max is not None:
            parts.append(("< " if self.max_exclusive else "≤ ") + format_bound(self.max))
        return (" " + " and ".join(parts)) if parts else ""

    # ── parsing ────────────────────────────────────────────────────────────
    def parse(self, raw: Any) -> Any:
        """Parse and validate one raw value; raise ParamError on anything wrong."""
        if self.type == "int":
            return self._check_range(_parse_number(self, raw, integer=True), raw)
        if self.type == "float":
            return self._check_range(_parse_number(self, raw, integer=False), raw)
        if self.type == "bool":
            return _parse_bool(self, raw)
        if self.type == "choice":
            return _parse_choice(self, raw)
        if self.type == "list":
            return _parse_list(self, raw)
        return _parse_str(self, raw)

    def _check_range(self, value: int | float, raw: Any, position: int | None = None) -> int | float:
        if not _in_range(self, value, value):
            where = f" (item {position + 1})" if position is not None else ""
            raise ParamError(
                "out_of_range",
                f"{self.name}{where} = {show(raw)} is out of range: it must be{self.range_text()}"
                + (f" ({self.unit})" if self.unit else "")
                + ".",
                param=self.name,
                value=_json_safe(raw),
                min=self.min,
                max=self.max,
                position=position,
            )
        return value


def _in_range(param: Param, low: int | float, high: int | float) -> bool:
    """True when every value between ``low`` and ``high`` lies within ``param``'s bounds (the one
    bounds test: :meth:`Param._check_range` asks it for one value, the list fast paths for min/max)."""
    if param.min is not None and (low <= param.min if param.min_exclusive else low < param.min):
        return False
    if param.max is not None and (high >= param.max if param.max_exclusive else high > param.max):
        return False
    return True


def _json_safe(raw: Any) -> Any:
    """Echo a received value in an error, only if it is plain JSON (no NaN, no 5,000-digit integer)."""
    if isinstance(raw, float) and not math.isfinite(raw):
        return str(raw)
    if isinstance(raw, int) and not isinstance(raw, bool) and raw.bit_length() > _HUGE_INT_BITS:
        return show(raw)
    if isinstance(raw, (str, int, float, bool)) or raw is None:
        if isinstance(raw, str) and len(raw) > 200:
            return raw[:200] + "…"
        return raw
    return show(raw)


def _invalid(param: Param, raw: Any, why: str, position: int | None = None) -> ParamError:
    where = f" (item {position + 1})" if position is not None else ""
    return ParamError(
        "invalid_value",
        f"{param.name}{where} = {show(raw)} is not valid: {why}; expected {param.allowed_text()}.",
        param=param.name,
        value=_json_safe(raw),
        position=position,
    )


def _finite_exponent(exponent: int | str) -> int:
    """The exponent of a finite Decimal's ``as_tuple()``: always an int (the letters 'n', 'N', 'F'
    mark NaN, sNaN and infinity, which :func:`parse_number_text` never returns)."""
    return cast(int, exponent)


def parse_number_text(text: str) -> Decimal | None:
    """Parse '32k', '1.5e9', '8B', '32_000' to an exact Decimal; None if it is not a number.

    The SI suffix scales the exponent (exact, never rounded to the decimal context's
    28 digits). This is the reference parser: :func:`_fast_text_number` and the list
    fast paths return a value only where it equals this one.
    """
    s = text.strip()
    if not s:
        return None
    shift = 0
    if s[-1] in SI_EXPONENTS:
        shift = SI_EXPONENTS[s[-1]]
        s = s[:-1].strip()
    if "_" in s:
        if s.startswith("_") or s.endswith("_") or "__" in s:
            return None
        s = s.replace("_", "")
    if not s or any(c not in "0123456789+-.eE" for c in s):
        return None
    try:
        value = Decimal(s)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    if shift:
        sign, digits, exponent = value.as_tuple()
        value = Decimal((sign, digits, _finite_exponent(exponent) + shift))
    return value


# ── casual input (issue 15): 5,000 · 5 000 · $5,000 · 24 GB · 80GiB · 8k tokens ─────────────────
#: characters that may group thousands (all the same one within a number): comma, space, no-break
#: space, thin space, narrow no-break space
GROUP_SEPARATORS = ",\u0020\u00a0\u2009\u202f"
#: byte units as exact integer multiples of a byte (SI powers of ten, IEC powers of two)
BYTE_UNITS = {
    "byte": 1,
    "bytes": 1,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "tb": 10**12,
    "pb": 10**15,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
    "pib": 2**50,
}
#: other unit words, by the parameter unit they mean
UNIT_WORDS = {
    "tokens": ("token", "tokens", "tok", "toks"),
    "USD": ("usd", "dollar", "dollars", "$"),
    "params": ("param", "params", "parameter", "parameters"),
}
#: a parameter unit that is a size in bytes, as bytes
_BYTE_PARAM_UNITS = {"bytes": 1, "GB": 10**9, "GiB": 2**30, "MB": 10**6, "MiB": 2**20, "TB": 10**12}
#: sign, currency, number (digits with separators, fraction, exponent), multiplier, unit word (pattern
#: texts, like _GROUPED: compiled on first use through re's cache, so `import taf` compiles nothing)
_CASUAL = (
    r"([+-]?)\s*(\$?)\s*([0-9][0-9,\u0020\u00a0\u2009\u202f]*(?:\.[0-9,\u0020\u00a0\u2009\u202f]*)?"
    r"(?:[eE][+-]?[0-9]+)?)"
    r"\s*([kKMGT]?)\s*([A-Za-z$][A-Za-z/]*)?\s*"
)
_GROUPED = r"[0-9]{1,3}(?:(?P<sep>[,\u0020\u00a0\u2009\u202f])[0-9]{3})(?:(?P=sep)[0-9]{3})*"
#: digits as superscripts, for powers in notes (2¹³)
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _unit_factor(param: Param, word: str) -> tuple[int, int] | None:
    """How many of ``param``'s unit one ``word`` is, as an exact fraction (numerator, denominator):
    (1, 1) for its own unit word; (10⁹, 1) for GB of a bytes parameter; (2³⁰, 10⁹) for GiB of a GB
    parameter; rates alike (``TB/s`` of a ``GB/s`` parameter). None when ``word`` is not a unit of it."""
    low = word.lower()
    unit = param.unit
    if unit.endswith("/s") and low.endswith("/s"):  # a rate: the sizes per second compare as sizes
        unit, low = unit[:-2], low[:-2]
    if unit in _BYTE_PARAM_UNITS:
        size = BYTE_UNITS.get(low)
        return None if size is None else (size, _BYTE_PARAM_UNITS[unit])
    if low in UNIT_WORDS.get(unit, ()):
        return (1, 1)
    if unit and low in (unit.lower(), unit.lower() + "s", unit.lower().rstrip("s")):
        return (1, 1)
    return None


def _unit_family(word: str) -> str | None:
    """What a known unit word measures (for the error when it is not the parameter's unit)."""
    low = word.lower()
    if low in BYTE_UNITS:
        return "a size in bytes"
    for unit, words in UNIT_WORDS.items():
        if low in words:
            return {"tokens": "a number of tokens", "USD": "an amount in USD", "params": "a parameter count"}[unit]
    return None


def _casual_parts(param: Param, m: re.Match) -> tuple[str, str, str, str, str | None]:
    """The parts of casual number text, with a letter that begins a unit word given back to it:
    ``24GB``/``80GiB`` (a byte unit), ``8 GPUs``, ``5 Mtok/month`` (the parameter's own unit)."""
    sign, dollar, number, multiplier, word = m.groups()
    if multiplier and word:
        joined = multiplier + word
        if joined.lower() in BYTE_UNITS or _unit_factor(param, joined) is not None:
            multiplier, word = "", joined
    if word and word.lower() == "b" and not multiplier:
        multiplier, word = "B", None  # "8 B" is 8 billion, as "8B"
    return sign, dollar, number, multiplier, word


def parse_casual_text(param: Param, raw: str, position: int | None = None) -> Decimal | None:
    """Number text as people type it, exactly: thousands separators (``5,000``, ``5 000`` with plain,
    no-break or thin spaces, ``1,234,567``), a ``$`` for amounts in USD, and a unit word that matches
    the parameter's unit (``8k tokens``, ``24 GB`` / ``80GiB`` for a size in bytes, ``8B params``).

    None when the text has none of these forms (the caller reports "cannot parse"); a ParamError
    when it is ambiguous (``1,5``: a decimal comma or a typo?), badly grouped (``5,00``) or carries
    a unit that is not the parameter's (``24 GB`` for a number of tokens).
    """
    m = re.fullmatch(_CASUAL, raw)
    if m is None:
        return None
    sign, dollar, number, multiplier, word = _casual_parts(param, m)
    if not (dollar or word or any(c in number for c in GROUP_SEPARATORS)):
        return None  # nothing casual here: the strict parser's own error applies
    number = number.rstrip(GROUP_SEPARATORS)
    whole, dot, rest = number.partition(".")
    if any(c in rest for c in GROUP_SEPARATORS):
        if "," in rest and "." in number:
            raise _invalid(
                param,
                raw,
                "it is ambiguous: it uses '.' for thousands and ',' for decimals (or "
                "the other way round); write the plain number, e.g. 1234.5",
                position,
            )
        raise _invalid(
            param, raw, "separators belong only between groups of three digits before the decimal point", position
        )
    if any(c in whole for c in GROUP_SEPARATORS) and not re.fullmatch(_GROUPED, whole):
        groups = re.split(f"[{GROUP_SEPARATORS}]", whole)
        if "," in whole and not dot and len(groups) == 2 and 1 <= len(groups[1]) <= 2:
            raise _invalid(
                param,
                raw,
                f"it is ambiguous: the comma could be a decimal comma "
                f"({groups[0]}.{groups[1]}) or a thousands separator; write "
                f"{groups[0]}.{groups[1]} for a decimal, or the whole number without "
                "commas",
                position,
            )
        raise _invalid(
            param,
            raw,
            "thousands separators (',' or a space) must split the digits into groups of "
            "three, the same separator throughout (5,000 or 1 234 567)",
            position,
        )
    digits = re.sub(f"[{GROUP_SEPARATORS}]", "", number)
    factor: Any = 1
    if dollar and param.unit != "USD":
        raise _invalid(
            param,
            raw,
            f"'$' marks an amount in USD, but {param.name} is "
            + (f"in {param.unit}" if param.unit else "not an amount of money"),
            position,
        )
    if word:
        unit_factor = _unit_factor(param, word)
        if unit_factor is None:
            family = _unit_family(word)
            if family is None:
                return None  # an unknown word: "cannot parse it as a number"
            expected = f"in {param.unit}" if param.unit else "a plain number (no unit)"
            raise _invalid(param, raw, f"{word!r} makes it {family}, but {param.name} is {expected}", position)
        if multiplier and BYTE_UNITS.get(word.lower().removesuffix("/s"), 1) != 1:
            raise _invalid(param, raw, f"it has two size prefixes ({multiplier} and {word}); write one", position)
        factor = unit_factor
    value = parse_number_text(sign + digits + multiplier)
    if value is None:
        return None
    if factor != 1:
        # exact: multiply by numerator · 10^k / denominator (the denominators are 2^a·5^b, so 10^k divides)
        numerator, denominator = factor
        k = 0
        while 10**k % denominator:
            k += 1
        sign_bit, coefficient, exponent = value.as_tuple()
        digits_value = int("".join(map(str, coefficient)) or "0") * numerator * (10**k // denominator)
        value = Decimal((sign_bit, tuple(map(int, str(digits_value))), _finite_exponent(exponent) - k))
    return value


def input_note(param: Param, raw: Any) -> str | None:
    """The rule behind a value typed with a multiplier or a unit, for the page's echo and the CLI:
    ``8k`` → ``k = 1,000; write 8192 for 2¹³``; ``80GiB`` → ``GiB = 2³⁰ bytes``. None for a plain number."""
    if not isinstance(raw, str) or param.type not in ("int", "float") or len(raw) > MAX_NUMBER_CHARS:
        return None
    m = re.fullmatch(_CASUAL, raw.strip())
    if m is None:
        return None
    _, _, number, multiplier, word = _casual_parts(param, m)
    notes = []
    if multiplier:
        power = SI_EXPONENTS[multiplier]
        notes.append(f"{multiplier} = {10 ** power:,}")
        mantissa = re.sub(f"[{GROUP_SEPARATORS}]", "", number)
        if mantissa.isdigit() and power in (3, 6) and int(mantissa) > 0:
            n = int(mantissa)
            if n & (n - 1) == 0:  # a power of two: 8k is often meant as 8 × 1,024
                exponent = n.bit_length() - 1 + power // 3 * 10
                notes.append(f"write {2 ** exponent} for 2{str(exponent).translate(_SUPERSCRIPT)}")
    factor = _unit_factor(param, word) if word else None
    size_word = word.lower().removesuffix("/s") if word else ""
    if factor is not None and factor[0] != factor[1] and size_word in BYTE_UNITS:
        size = BYTE_UNITS[size_word]
        if size & (size - 1) == 0:
            rule = f"2{str(size.bit_length() - 1).translate(_SUPERSCRIPT)}"
        else:
            rule = f"10{str(len(str(size)) - 1).translate(_SUPERSCRIPT)}"
        canonical = next(
            u for u in ("kB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "PiB") if u.lower() == size_word
        )
        notes.append(f"{canonical} = {rule} bytes")
    return "; ".join(notes) or None


#: what number text may look like, for `taf describe`, `taf --help` and the README
INPUT_FORMS = (
    "Numbers: 32000, 32_000, 5,000 or 5 000 (thousands in groups of three; 1,5 is refused as "
    "ambiguous), 1.5e9; suffixes k = 1,000, M = 10⁶, B/G = 10⁹, T = 10¹² (32k is 32,000: write "
    "32768 for 2¹⁵); the parameter's unit may follow: 8k tokens, $5,000 or 5000 USD, 24 GB or "
    "80GiB for a size in bytes (GB = 10⁹, GiB = 2³⁰). Booleans: true/false, yes/no, on/off, 1/0. "
    "Lists: comma-separated (1.08,1.09) or [1.08, 1.09]. Nothing is rounded: 2.5 for an integer "
    "is an error."
)


#: a plain decimal number: sign, integer digits, fraction digits, exponent (ASCII only)
_PLAIN_NUMBER = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?", re.ASCII)


def _fast_text_number(text: str, integer: bool) -> int | float | None:
    """The value of number text in the common forms, without ``decimal``; None when unsure.

    Handles ASCII text without ``_``: plain integers, decimals, scientific notation and
    an SI suffix. Integers are exact (integer arithmetic on the digits); floats come from
    ``float()`` of the decimal text with the suffix folded into the exponent, which is
    correctly rounded — the same value as ``float(parse_number_text(text))``. Anything
    else (underscores, non-ASCII, a fractional integer, NaN/inf, overflow, junk) returns
    None and the caller falls back to :func:`parse_number_text`, which decides exactly
    and produces the precise error.
    """
    s = text.strip()
    if not s or not s.isascii() or "_" in s:
        return None
    shift = SI_EXPONENTS.get(s[-1])
    if shift is not None:
        s = s[:-1].strip()
    if integer:
        try:
            whole_value: int | None = int(s)  # ASCII, no '_', stripped: exactly the digits with an optional sign
        except ValueError:
            whole_value = None
        if whole_value is not None:
            return whole_value * 10**shift if shift else whole_value
        m = _PLAIN_NUMBER.fullmatch(s)
        if m is None:
            return None
        sign, whole, frac, exp = m.groups()
        frac = frac or ""
        if not whole and not frac:
            return None
        digits = (whole + frac).lstrip("0")
        e = (int(exp) if exp else 0) + (shift or 0) - len(frac)
        if abs(e) > HUGE_EXPONENT or len(digits) - 1 + e > HUGE_EXPONENT:
            return None  # the exact path decides (and reports "too large" past 10^HUGE_EXPONENT)
        n = int(digits or "0")
        if e >= 0:
            n *= 10**e
        else:
            n, rest = divmod(n, 10**-e)
            if rest:
                return None  # a fractional part: the exact path explains it
        return -n if sign == "-" else n
    if shift is not None:
        m = _PLAIN_NUMBER.fullmatch(s)
        if m is None or not (m.group(2) or m.group(3)):
            return None
        exp = m.group(4)
        mantissa = s[: m.start(4) - 1] if exp else s
        s = f"{mantissa}e{(int(exp) if exp else 0) + shift}"
    try:
        value = float(s)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _parse_number(param: Param, raw: Any, integer: bool, position: int | None = None, fast: bool = True) -> int | float:
    if isinstance(raw, bool):
        raise _invalid(param, raw, "a boolean is not a number", position)
    if isinstance(raw, int):
        if raw.bit_length() > _HUGE_INT_BITS:
            # over 1,000 digits: far outside every range; never converted (to text or a float)
            param._check_range(-math.inf if raw < 0 else math.inf, raw, position)
            raise _invalid(param, raw, "the number is too large", position)
        if integer:
            return raw
        try:
            return float(raw)
        except OverflowError:
            raise _invalid(param, raw, "the number is too large", position) from None
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise _invalid(param, raw, "NaN and infinity are not allowed", position)
        if integer:
            if not raw.is_integer():
                raise _invalid(param, raw, "it has a fractional part and would be truncated", position)
            return int(raw)
        return raw
    if isinstance(raw, str):
        if len(raw) > MAX_NUMBER_CHARS:
            raise _invalid(param, raw, "the text is too long to be a number", position)
        if fast:
            fast_value = _fast_text_number(raw, integer)
            if fast_value is not None:
                return fast_value
        value = parse_number_text(raw)
        if value is None:
            value = parse_casual_text(param, raw, position)  # 5,000 · $5,000 · 24 GB · 8k tokens
        if value is None:
            low = raw.strip().lower()
            if low in ("nan", "inf", "+inf", "-inf", "infinity", "-infinity"):
                raise _invalid(param, raw, "NaN and infinity are not allowed", position)
            if raw.strip().endswith("m"):
                raise _invalid(param, raw, "unknown suffix 'm' (use M for million)", position)
            raise _invalid(param, raw, "cannot parse it as a number (suffixes: k, M, B/G, T)", position)
        if integer:
            if value != value.to_integral_value():
                raise _invalid(param, raw, "it has a fractional part and would be truncated", position)
            if value and value.adjusted() > HUGE_EXPONENT:
                # far outside every range: report it without building a billion-digit integer
                param._check_range(math.copysign(math.inf, value), raw, position)
                raise _invalid(param, raw, "the number is too large", position)
            return int(value)
        result = float(value)
        if not math.isfinite(result):
            raise _invalid(param, raw, "the number is too large", position)
        return result
    raise _invalid(param, raw, f"a {type(raw).__name__} is not a number", position)


def _parse_bool(param: Param, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        low = raw.strip().lower()
        if low in TRUE_WORDS:
            return True
        if low in FALSE_WORDS:
            return False
    raise _invalid(param, raw, "cannot read it as a boolean (true/false, yes/no, on/off, 1/0)")


def choice_key(text: str) -> str:
    """A choice's name folded for matching: lower case, letters and digits only (``A100 80GB`` → ``a10080gb``)."""
    return re.sub("[^a-z0-9]", "", text.lower())  # ASCII only: the same in every Unicode version


def _parse_choice(param: Param, raw: Any) -> str:
    """One of ``param.choices``: exactly, case-insensitively, or by its folded name (``a100-80gb``,
    ``gpt4o mini``) when exactly one choice folds to it."""
    if isinstance(raw, str) and len(raw) <= 200:
        text = raw.strip()
        if text in param.choices:
            return text
        for fold in (str.lower, choice_key):
            key = fold(text)
            matches = [c for c in param.choices if fold(c) == key]
            if len(matches) == 1 and key:
                return matches[0]
    suggestion = None
    if isinstance(raw, str) and len(raw) <= 200:
        close = difflib.get_close_matches(raw.strip(), list(param.choices), n=1, cutoff=0.5)
        suggestion = close[0] if close else None
    hint = f" Did you mean {suggestion!r}?" if suggestion else ""
    raise ParamError(
        "unknown_choice",
        f"{param.name} = {show(raw)} is not a known choice; allowed: " + ", ".join(param.choices) + "." + hint,
        param=param.name,
        value=_json_safe(raw),
        choices=list(param.choices),
        suggestion=suggestion,
    )


def _parse_str(param: Param, raw: Any) -> str:
    if isinstance(raw, str):
        if len(raw) > param.max_chars:
            raise _invalid(param, f"<{len(raw):,} characters>", f"text longer than {param.max_chars:,} characters")
        problem = text_problem(raw)
        if problem:
            raise _invalid(param, raw, problem)
        return raw
    raise _invalid(param, raw, f"a {type(raw).__name__} is not text")


def _parse_list(param: Param, raw: Any, fast: bool = True) -> list:
    """Parse a list parameter; ``fast=False`` skips the fast paths (the reference, for tests)."""
    integer = param.item_type == "int"
    items: list
    if isinstance(raw, (list, tuple)):
        items = list(raw)
    elif isinstance(raw, str):
        text = raw.strip()
        if text.startswith("["):
            if text.count("[") > 1 or "{" in text:  # checked before parsing: nesting never reaches json
                raise _invalid(
                    param,
                    raw,
                    "a list parameter is a flat list of numbers; lists inside it (and objects) are not allowed",
                )
            if len(text) > MAX_JSON_CHARS:
                raise _invalid(param, f"<{len(text):,} characters>", f"longer than {MAX_JSON_CHARS:,} characters")
            try:
                items = json.loads(text)
            except ValueError:
                raise _invalid(param, raw, "it starts with '[' but is not a valid JSON list")
            if not isinstance(items, list):
                raise _invalid(param, raw, "not a list")
        elif not text:
            items = []
        else:
            values = _fast_list_text(param, text, integer) if fast else None
            if values is not None:
                return values
            items = text.split(",")
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        items = [raw]
    else:
        raise _invalid(param, raw, f"a {type(raw).__name__} is not a list")
    if not items:
        raise _invalid(param, raw, "the list is empty")
    if len(items) > MAX_LIST_ITEMS:
        raise _invalid(param, f"<{len(items):,} items>", f"more than {MAX_LIST_ITEMS:,} items")
    values = _fast_list_values(param, items, integer) if fast else None
    if values is not None:
        return values
    out = []
    for i, item in enumerate(items):
        if isinstance(item, str) and not item.strip():
            raise _invalid(param, raw, f"item {i + 1} is empty", position=i)
        value = _parse_number(param, item, integer=integer, position=i, fast=fast)
        out.append(param._check_range(value, item, position=i))
    return out


# ── list fast paths ──────────────────────────────────────────────────────────
# A list of up to MAX_LIST_ITEMS values must parse in well under a millisecond (SPEC §9: every
# recipe ≤ 5 ms in Pyodide). The fast paths work on the whole list at C level (one JSON parse,
# min/max, map) and return a value only when every item is certainly valid and equal to what the
# per-item path gives; on any doubt they return None and the per-item path runs, which produces
# the same values or the precise, positioned error.

#: a JSON decoder that reads integers as floats ("-0" → -0.0, as float(Decimal("-0")))
_FLOAT_JSON = json.JSONDecoder(parse_int=float)


def _fast_list_values(param: Param, items: list, integer: bool) -> list | None:
    """Already-typed items (a JSON list): all ints (or ints/floats for a float list), finite, in range."""
    types = set(map(type, items))
    if integer:
        if types != {int}:
            return None  # floats like 2.0, strings, booleans: the per-item path decides
        values = items
        if max(max(values).bit_length(), min(values).bit_length()) > _HUGE_INT_BITS:
            return None  # a 1,000-digit integer: the per-item path reports it
    else:
        if not types <= {int, float}:
            return None
        try:
            values = list(map(float, items)) if int in types else items
        except OverflowError:  # an int too large for a float
            return None
        if not all_finite(values):
            return None
    if not _in_range(param, min(values), max(values)):
        return None
    return list(values)


#: for the text fast path: digits become '0' and JSON whitespace a space (then one scan finds long
#: digit runs and double spaces), and the characters a JSON number list may contain are deleted
#: (anything left over sends the text to the per-item path)
_NORMALIZE = str.maketrans({**{d: "0" for d in "123456789"}, "\t": " ", "\n": " ", "\r": " "})
_INT_CHARS = str.maketrans("", "", "0, -")
_FLOAT_CHARS = str.maketrans("", "", "0, -+.eE")
#: a JSON number of more than MAX_NUMBER_CHARS − 2 characters has a run of at least this many digits
_LONG_DIGIT_RUN = "0" * 32


def _fast_list_text(param: Param, text: str, integer: bool) -> list | None:
    """A comma-separated list of plain numbers (optionally with SI suffixes), parsed at C level.

    The text qualifies only if, after the suffix rewrite, it holds nothing but digits, commas,
    '-' (and '+', '.', 'e', 'E' for floats) and single whitespace characters; it is then read
    as one JSON array, which from these characters can only hold numbers. Every JSON number is
    valid for :func:`parse_number_text` and has the same value: an exact int (integer lists,
    where JSON floats such as ``2.0`` are refused) or the correctly rounded float (float lists,
    integers read as floats so that ``-0`` is -0.0). An item longer than MAX_NUMBER_CHARS,
    which the per-item path rejects, would need a run of 32 digits: that is looked for.
    Anything read differently or not at all (``+1``, ``01``, ``.5``, ``1_000``, ``1.5k`` in an
    integer list, NaN, words, empty items, overflow) returns None.
    """
    count = text.count(",") + 1
    if count > MAX_LIST_ITEMS:
        return None
    body = text
    for suffix, shift in SI_EXPONENTS.items():
        if suffix not in body:
            continue
        # only a suffix that ends an item ("32k," or a final "32k") is rewritten: "32k" → "32000"
        # (integers, only without '.'/'e' so that the digits are a JSON integer) or "1.5k" → "1.5e3"
        if integer:
            if "." in text or "e" in text or "E" in text:
                return None
            scaled = "0" * shift
        else:
            scaled = f"e{shift}"
        body = body.replace(suffix + ",", scaled + ",")
        if body.endswith(suffix):
            body = body[:-1] + scaled
    shape = body.translate(_NORMALIZE)
    if shape.translate(_INT_CHARS if integer else _FLOAT_CHARS) or "  " in shape:
        return None
    if _LONG_DIGIT_RUN in shape and max(map(len, text.split(","))) > MAX_NUMBER_CHARS:
        return None
    try:  # one JSON array: from these characters JSON can only produce numbers
        values = (json.loads if integer else _FLOAT_JSON.decode)("[" + body + "]")
    except ValueError:
        return None
    low, high = min(values), max(values)
    if not integer and not (math.isfinite(low) and math.isfinite(high)):
        return None  # an overflow such as 1e999 (NaN cannot occur: no letters but e/E)
    if not _in_range(param, low, high):
        return None
    return values


# ── bounded JSON ─────────────────────────────────────────────────────────────
#: every byte but the four brackets and the quote: deleted before measuring nesting
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')
_BRACKET_STEPS = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")


def json_nesting_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when JSON ``text`` nests ``[``/``{`` more than ``limit`` levels deep (or would make a
    parser descend that far before failing), decided without parsing and at C speed.

    Escaped backslashes and then escaped quotes are removed (left to right, as JSON pairs them), every
    byte but brackets and quotes is deleted, and what lies between a quote pair (a string's brackets)
    is dropped; the running depth over the remaining brackets is an ``accumulate`` over their bytes.
    Over the valid prefix a parser walks before it fails this is exact, so the depth it reports is never
    less than the parser's descent. UTF-8 continuation bytes never equal an ASCII bracket."""
    if text.count("[") + text.count("{") <= limit:
        return False
    from itertools import accumulate, count
    from operator import sub

    raw = text.encode("utf-8", "surrogatepass")
    if b"\\" in raw:
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    pieces = raw.translate(None, _NOT_STRUCTURE).split(b'"')
    outside = pieces[0::2]
    if len(pieces) % 2 == 0:  # an unterminated string: its brackets count, as a parser would fail only at its end
        outside.append(pieces[-1])
    brackets = b"".join(outside)
    if not brackets:
        return False
    # openers count 2, closers 0: the running sum minus the position is the depth after each bracket
    steps = brackets.translate(_BRACKET_STEPS)
    return max(map(sub, accumulate(steps), count(1))) > limit


def json_limits_problem(text: str) -> str | None:
    """Why JSON ``text`` is refused before parsing (too long, nested too deep), or None."""
    if len(text) > MAX_JSON_CHARS:
        return f"it is {len(text):,} characters long; JSON is read up to {MAX_JSON_CHARS:,} characters"
    if json_nesting_exceeds(text):
        return (
            f"it nests lists or objects more than {MAX_JSON_DEPTH} levels deep; JSON is read up to "
            f"{MAX_JSON_DEPTH} levels"
        )
    return text_problem(text)


def json_value_problem(exc: ValueError) -> str:
    """A JSON parse failure in words, the same in CPython and Pyodide."""
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
    # the only other ValueError json raises: integer text over Python's digit limit
    return f"it holds an integer of more than {MAX_INT_DIGITS:,} digits"


def suggest_name(name: str, known: list[str]) -> str | None:
    """The closest known parameter name, for a did-you-mean hint."""
    by_lower = {k.lower(): k for k in known}
    if name.lower() in by_lower:
        return by_lower[name.lower()]
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
        close = [by_lower[c] for c in close]
    return close[0] if close else None
