"""Parsing and validation of parameter values (SPEC §3)."""
import math

import pytest

from taf.params import REQUIRED, Param, ParamError, parse_number_text

INT = Param("T_eval", "int", "length", unit="tokens", min=1, max=10**9)
FLOAT = Param("theta", "float", "base", min=0, min_exclusive=True, max=1e12)
BOOL = Param("has_SWA", "bool", "swa", default=False)
CHOICE = Param("gpu", "choice", "gpu", choices=("H100 SXM", "A100 80GB"), default="H100 SXM")
LIST = Param("run_bpb", "list", "values", item_type="float", min=0)
INTLIST = Param("mismatches", "list", "counts", item_type="int", min=0, max=32)


def error_of(param, raw):
    with pytest.raises(ParamError) as info:
        param.parse(raw)
    return info.value.error


@pytest.mark.parametrize("text,expected", [
    ("32k", 32_000), ("32K", 32_000), ("8B", 8_000_000_000), ("8G", 8_000_000_000), ("1.5e9", 1_500_000_000),
    ("2M", 2_000_000), ("1T", 10**12), ("32768", 32768), ("32_000", 32_000), (" 4096 ", 4096), ("1.1k", 1100),
])
def test_int_parsing_with_suffixes(text, expected):
    value = INT.parse(text) if expected <= 10**9 else None
    if expected <= 10**9:
        assert value == expected and isinstance(value, int)
    assert parse_number_text(text) == expected


def test_float_parsing_is_exact_decimal():
    assert FLOAT.parse("0.1k") == 100.0
    assert FLOAT.parse("500000") == 500000.0 and isinstance(FLOAT.parse(500000), float)
    assert FLOAT.parse("1.5e9") == 1.5e9
    assert FLOAT.parse("8B") == 8e9


def test_int_never_truncates():
    err = error_of(INT, "2.5")
    assert err["code"] == "invalid_value" and err["param"] == "T_eval" and "truncated" in err["message"]
    assert error_of(INT, 2.5)["code"] == "invalid_value"
    assert error_of(INT, "1.0001k")["code"] == "invalid_value"
    assert INT.parse(32000.0) == 32000  # an exactly integral float is fine


@pytest.mark.parametrize("raw", ["abc", "", "nan", "inf", "-inf", "1e", "k", "3m", "1__0", float("nan"), float("inf"),
                                 True, None, [1], {"a": 1}])
def test_invalid_numbers(raw):
    if raw == "" or raw is None:
        # blanks are "not given"; resolution handles them (see test_registry_errors)
        with pytest.raises(ParamError):
            INT.parse(raw)
        return
    err = error_of(INT, raw)
    assert err["code"] == "invalid_value"
    assert err["param"] == "T_eval"


def test_lowercase_m_is_explained():
    assert "use M for million" in error_of(FLOAT, "3m")["message"]


def test_range_errors_name_bounds():
    err = error_of(INT, 0)
    assert err["code"] == "out_of_range" and "≥ 1" in err["message"] and "0" in err["message"]
    err = error_of(FLOAT, 0)
    assert err["code"] == "out_of_range" and "> 0" in err["message"]
    assert error_of(INT, "2B")["code"] == "out_of_range"


@pytest.mark.parametrize("raw,expected", [("true", True), ("FALSE", False), ("yes", True), ("no", False),
                                          ("1", True), ("0", False), (True, True), (0, False)])
def test_bool(raw, expected):
    assert BOOL.parse(raw) is expected


def test_bool_rejects_other():
    assert error_of(BOOL, "maybe")["code"] == "invalid_value"
    assert error_of(BOOL, 2)["code"] == "invalid_value"


def test_choice_exact_and_case_folded():
    assert CHOICE.parse("H100 SXM") == "H100 SXM"
    assert CHOICE.parse("h100 sxm") == "H100 SXM"
    err = error_of(CHOICE, "H100")
    assert err["code"] == "unknown_choice"
    assert err["choices"] == ["H100 SXM", "A100 80GB"]
    assert "H100 SXM" in err["message"]


def test_lists_from_text_and_json():
    assert LIST.parse("1.08, 1.09,1.1") == [1.08, 1.09, 1.1]
    assert LIST.parse("[1.08, 1.09]") == [1.08, 1.09]
    assert LIST.parse([1, "2k"]) == [1.0, 2000.0]
    assert INTLIST.parse("0,1,5") == [0, 1, 5]


def test_list_errors_name_position():
    err = error_of(LIST, "1.0,abc,2")
    assert err["code"] == "invalid_value" and err["position"] == 1 and "item 2" in err["message"]
    err = error_of(INTLIST, "1,2,40")
    assert err["code"] == "out_of_range" and err["position"] == 2
    assert error_of(INTLIST, "1,2.5")["code"] == "invalid_value"
    assert error_of(LIST, "1,,2")["code"] == "invalid_value"
    assert error_of(LIST, "[1, 2")["code"] == "invalid_value"


def test_describe_marks_required_and_default():
    assert "default" not in INT.describe()
    assert INT.required and INT.default is REQUIRED
    assert BOOL.describe()["default"] is False
    assert CHOICE.describe()["choices"] == ["H100 SXM", "A100 80GB"]
    assert FLOAT.describe()["min_exclusive"] is True


def test_messages_are_one_sentence_without_traceback():
    for param, raw in [(INT, "x"), (INT, -1), (CHOICE, "nope"), (LIST, "a")]:
        message = error_of(param, raw)["message"]
        assert "Traceback" not in message and message.endswith((".", "?"))
        assert param.name in message
        assert not math.isnan(len(message))


# ── casual input (issue 15): exact values, ambiguity refused, units checked ─────────────────────
TOKENS = Param("T_eval", "int", "length", unit="tokens", min=1, max=10**9)
USD = Param("USD_budget", "float", "budget", unit="USD", min=0, min_exclusive=True)
BYTES = Param("budget_bytes", "int", "size", unit="bytes", min=1)
FBYTES = Param("memory", "float", "size", unit="bytes", min=0)
GPUS = Param("n_gpus", "int", "gpus", unit="GPUs", min=1)


@pytest.mark.parametrize("param,text,expected", [
    (TOKENS, "5,000", 5000), (TOKENS, "5 000", 5000), (TOKENS, "5\u00a0000", 5000), (TOKENS, "5\u2009000", 5000),
    (TOKENS, "5\u202f000", 5000), (TOKENS, "1,234,567", 1234567), (TOKENS, "1 234 567", 1234567),
    (TOKENS, "8K", 8000), (TOKENS, "8k tokens", 8000), (TOKENS, "8 k tokens", 8000), (TOKENS, "32k", 32000),
    (TOKENS, "1 token", 1), (TOKENS, "8,000 tokens", 8000),
    (USD, "$5,000", 5000.0), (USD, "$5k", 5000.0), (USD, "5000 USD", 5000.0), (USD, "$ 1,234.56", 1234.56),
    (USD, "5,000 dollars", 5000.0),
    (BYTES, "24GB", 24 * 10**9), (BYTES, "24 GB", 24 * 10**9), (BYTES, "80GiB", 80 * 2**30),
    (BYTES, "80 gib", 80 * 2**30), (BYTES, "0.5 GiB", 2**29), (BYTES, "1.5 kB", 1500), (BYTES, "512 MiB", 2**29),
    (BYTES, "16MB", 16_000_000), (BYTES, "2 TB", 2 * 10**12), (BYTES, "100 bytes", 100),
    (FBYTES, "1.1 GiB", 1.1 * 2**30), (GPUS, "8 GPUs", 8), (GPUS, "1 GPU", 1),
])
def test_casual_forms_are_exact(param, text, expected):
    value = param.parse(text)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("param,text,needle", [
    (TOKENS, "1,5", "it is ambiguous: the comma could be a decimal comma (1.5) or a thousands separator"),
    (TOKENS, "5,00", "it is ambiguous: the comma could be a decimal comma (5.00)"),
    (TOKENS, "1.234,5", "it is ambiguous: it uses '.' for thousands and ',' for decimals"),
    (TOKENS, "5,000,00", "groups of three"), (TOKENS, "1,000 000", "the same separator throughout"),
    (TOKENS, "12,34,567", "groups of three"),
    (TOKENS, "24GB", "'GB' makes it a size in bytes, but T_eval is in tokens"),
    (TOKENS, "$5", "'$' marks an amount in USD, but T_eval is in tokens"),
    (USD, "5 tokens", "'tokens' makes it a number of tokens, but USD_budget is in USD"),
    (BYTES, "2 kGB", "it has two size prefixes (k and GB)"),
    (BYTES, "1.5 bytes", "fractional part"), (GPUS, "8 GB", "but n_gpus is in GPUs"),
    (TOKENS, "１２", "cannot parse"), (TOKENS, "0x10", "cannot parse"), (TOKENS, "∞", "cannot parse"),
])
def test_casual_forms_refused_with_the_reason(param, text, needle):
    err = error_of(param, text)
    assert err["code"] == "invalid_value" and err["param"] == param.name and needle in err["message"], err


@pytest.mark.parametrize("param,text,note", [
    (TOKENS, "8k", "k = 1,000; write 8192 for 2¹³"), (TOKENS, "8K tokens", "K = 1,000; write 8192 for 2¹³"),
    (TOKENS, "32k", "k = 1,000; write 32768 for 2¹⁵"), (TOKENS, "5k", "k = 1,000"),
    (TOKENS, "1M", "M = 1,000,000; write 1048576 for 2²⁰"), (BYTES, "80GiB", "GiB = 2³⁰ bytes"),
    (BYTES, "24 GB", "GB = 10⁹ bytes"), (TOKENS, "5,000", None), (TOKENS, "8192", None), (USD, "$5k", "k = 1,000"),
])
def test_input_note_states_the_rule(param, text, note):
    from taf.params import input_note
    assert input_note(param, text) == note


def test_lists_keep_commas_as_item_separators():
    assert LIST.parse("1,234") == [1.0, 234.0]
    assert INTLIST.parse("1, 2, 3") == [1, 2, 3]


def test_booleans_on_off():
    assert BOOL.parse("on") is True and BOOL.parse("OFF") is False
    assert "on/off" in error_of(BOOL, "maybe")["message"]


def test_choice_by_folded_canonical_name():
    assert CHOICE.parse("a100-80gb") == "A100 80GB" and CHOICE.parse("h100sxm") == "H100 SXM"
    assert error_of(CHOICE, "a100")["code"] == "unknown_choice"


GB = Param("gpu_memory_GB", "float", "memory", unit="GB", min=0, min_exclusive=True)
GB_S = Param("gpu_bandwidth_GB_s", "float", "bandwidth", unit="GB/s", min=0, min_exclusive=True)


@pytest.mark.parametrize("param,text,expected", [
    (GB, "80GB", 80.0), (GB, "80 GiB", 85.89934592), (GB, "512 MiB", 0.536870912), (GB, "1.5 TB", 1500.0),
    (GB, "24", 24.0), (GB_S, "3.35 TB/s", 3350.0), (GB_S, "900 GB/s", 900.0), (GB_S, "1 TiB/s", 1099.511627776),
])
def test_sizes_convert_exactly_to_the_parameters_unit(param, text, expected):
    # 2^30 / 10^9 = 1.073741824 exactly: 80 GiB = 85.89934592 GB, and the float is the correctly rounded one
    assert param.parse(text) == expected


def test_size_for_a_rate_and_two_prefixes_are_refused():
    assert "'GB' makes it a size in bytes, but gpu_bandwidth_GB_s is in GB/s" in error_of(GB_S, "900 GB")["message"]
    assert "two size prefixes (k and GB)" in error_of(GB, "2 kGB")["message"]
    from taf.params import input_note
    assert input_note(GB, "80 GiB") == "GiB = 2³⁰ bytes" and input_note(GB, "80GB") is None
