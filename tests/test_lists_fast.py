"""Long list inputs (SPEC §9: every recipe fast for ANY valid input, lists up to MAX_LIST_ITEMS).

The list parser, ``chain.clean`` and the exact sums have C-level fast paths; these tests check
that each fast path gives exactly what the reference (item-by-item / Decimal / Fraction) path
gives — same values, same types, same sign of zero, same error — and that P-1 and R-1 stay
complete and correct at 10,000 items.
"""
import json
import math
import subprocess
import sys
import time
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

import taf
from taf import chain as chain_mod
from taf.formulas import eval_stats as es
from taf.params import (MAX_LIST_ITEMS, Param, ParamError, _fast_list_text, _fast_list_values, _fast_text_number,
                        _parse_list, _parse_number, parse_number_text)

FLOATS = Param("run_bpb", "list", "values", unit="bpb", item_type="float", min=0, min_exclusive=True, max=100)
INTS = Param("counts", "list", "counts", unit="tokens", item_type="int", min=0, max=10**6)
WIDE_FLOATS = Param("x", "list", "any number", item_type="float")
WIDE_INTS = Param("n", "list", "any integer", item_type="int")
LIST_PARAMS = (FLOATS, INTS, WIDE_FLOATS, WIDE_INTS)


def outcome(param, raw, fast):
    """('ok', [repr of each value]) or ('error', the structured error) — repr keeps -0.0 and int/float apart."""
    try:
        return "ok", [repr(v) for v in _parse_list(param, raw, fast=fast)]
    except ParamError as err:
        return "error", err.error


def assert_same(param, raw):
    fast, slow = outcome(param, raw, True), outcome(param, raw, False)
    assert fast == slow, (param.name, raw)
    return fast


# items that int() / float() / JSON read differently from the strict parser, or that sit on an edge
TRICKY = [
    "0", "-0", "+0", "00", "007", "-007", "1", "+1", "-1", "12", "  12  ", "\t12\n", "\x0b12", "1 2", "1\u00a0",
    "1.", ".5", "-.5", "1.0", "2.0", "2.5", "1e3", "1E3", "1e+3", "1e-3", "-1e-3", "1e", "e3", "1e3.5", "1.5e1",
    "1_000", "1__0", "_1", "1_", "1_0.5", "+_1", "1._5", "١٢", "１２", "nan", "NaN", "-nan", "inf", "-inf", "+inf",
    "Infinity", "-Infinity", "infinity", "1e999", "-1e999", "1e-400", "5e-324", "9007199254740993",
    "123456789012345678901234567890", "1.00000000000000011102230246251565404236316680908203124999999",
    "32k", "32K", "1.5k", "0.05k", "1.1k", "1e3k", "1k5", "k", "-k", "1 k", "1k ", "1kk", "2M", "8B", "8G",
    "1T", "0k", "-0k", "3m", "true", "false", "null", "[1]", "{}", '"1"', "0x10", "1/2", "", " ", "--1", "1-",
    "9" * 100, "9" * 101, "1" + "0" * 99, "0" * 101, "1." + "0" * 98, "1." + "0" * 99, " " * 99 + "1",
    " " * 100 + "1", "  1", "1  ",
]


@pytest.mark.parametrize("param", LIST_PARAMS, ids=lambda p: p.name)
@pytest.mark.parametrize("item", TRICKY)
def test_each_tricky_item_fast_equals_slow(param, item):
    for raw in (item, f"1,{item}", f"{item},2", f"1,{item},3"):
        assert_same(param, raw)


def test_tricky_items_agree_with_the_reference_values():
    # spot checks of the values themselves (not just fast == slow)
    assert _parse_list(INTS, "32k,1.5k,0.05k,1e3,007,+1,-0") == [32000, 1500, 50, 1000, 7, 1, 0]
    assert [repr(v) for v in _parse_list(WIDE_FLOATS, "-0,-0k,1.5k,1e3k,0.1")] == \
        ["-0.0", "-0.0", "1500.0", "1000000.0", "0.1"]
    assert _parse_list(WIDE_INTS, "123456789012345678901234567890") == [123456789012345678901234567890]


def test_the_fast_paths_take_the_usual_inputs():
    # the page sends comma-separated text: these must not fall back to the item-by-item path
    assert _fast_list_text(INTS, "0,1,2, 3,32,32k,1M", True) == [0, 1, 2, 3, 32, 32000, 1000000]
    assert _fast_list_text(FLOATS, "1.08035, 1.08097,2.5e1,0.05k,7", False) == [1.08035, 1.08097, 25.0, 50.0, 7.0]
    assert _fast_list_text(INTS, ",".join(["32"] * MAX_LIST_ITEMS), True) == [32] * MAX_LIST_ITEMS
    assert _fast_list_values(INTS, [1, 2, 3], True) == [1, 2, 3]
    assert _fast_list_values(FLOATS, [1, 2.5], False) == [1.0, 2.5]
    # and they step aside whenever the strict parser might disagree
    for text in ("+1,2", "01,2", "1.5k,2", "1,,2", "1_000", "1,nan", "1  ,2", "1e3,2", "1,-1", "1," + "1" * 101):
        assert _fast_list_text(INTS, text, True) is None, text
    for text in (".5", "1.", "1e999", "1,0", "1,true", "1.08,200", "0.5k,1", "1\u00a0,2"):
        assert _fast_list_text(FLOATS, text, False) is None, text


@pytest.mark.parametrize("param", LIST_PARAMS, ids=lambda p: p.name)
@pytest.mark.parametrize("items", [
    [1, 2, 3], [0, -0.0, 2.5], [True, 1], [1, None], [1, "2"], [1.0, 2.0], [10**400], [-(10**400), 1.5],
    [float("nan")], [float("inf"), 1], [1e308, 1e308], [1, [2]], ["1", "2k"], [1, 2.5],
])
def test_json_list_items_fast_equals_slow(param, items):
    assert_same(param, items)
    assert_same(param, json.dumps(items, allow_nan=True))


TOKENS = st.sampled_from(TRICKY + ["3", "42", "1.08035", "99", "100", "100.0", "1e2", "0.001", "5", "6", "32"])
SEPARATORS = st.sampled_from([",", ", ", " ,", " , ", ",\t", ",\n", ",  "])


@settings(max_examples=600, deadline=None)
@given(st.lists(TOKENS, min_size=1, max_size=8), SEPARATORS, st.sampled_from(LIST_PARAMS))
def test_property_fast_list_parse_equals_slow(tokens, sep, param):
    assert_same(param, sep.join(tokens))
    assert_same(param, ",".join(tokens))


PLAIN_ITEM = st.from_regex(r"\A[ \t]?[+-]?[0-9]{0,3}(\.[0-9]{0,3})?([eE][+-]?[0-9]{1,3})?[kKMBGT]?[ \t]?\Z")


@settings(max_examples=600, deadline=None)
@given(st.lists(PLAIN_ITEM, min_size=1, max_size=6), st.sampled_from(LIST_PARAMS))
def test_property_number_shaped_items_fast_equals_slow(items, param):
    assert_same(param, ",".join(items))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.integers(-10**7, 10**7), st.floats(-1e3, 1e3), st.floats(allow_nan=True,
                                                                                      allow_infinity=True)),
                min_size=1, max_size=8), st.sampled_from(LIST_PARAMS))
def test_property_numbers_as_text_and_json(values, param):
    assert_same(param, values)
    assert_same(param, ",".join(map(repr, values)))
    assert_same(param, ",".join(map(str, values)))


NUMBER_TEXT = st.one_of(
    TOKENS,
    st.from_regex(r"\A[+-]?[0-9]{0,25}(\.[0-9]{0,25})?([eE][+-]?[0-9]{1,4})?[kKMBGT]?\Z"),
    st.text(alphabet="0123456789+-.eEkMBT_ ", max_size=30),
)


@settings(max_examples=1500, deadline=None)
@given(NUMBER_TEXT, st.booleans())
def test_property_scalar_fast_path_equals_decimal_path(text, integer):
    fast = _fast_text_number(text, integer)
    if fast is None:
        return  # the caller goes to the Decimal path itself
    exact = parse_number_text(text)
    assert exact is not None, text
    if integer:
        assert type(fast) is int and exact == fast, text
    else:
        assert type(fast) is float and repr(fast) == repr(float(exact)), text
    # and the full scalar parse (length limit included) is the same with and without the fast path
    assert scalar_outcome(text, integer, True) == scalar_outcome(text, integer, False), text


def scalar_outcome(text, integer, fast):
    try:
        return repr(_parse_number(WIDE_INTS if integer else WIDE_FLOATS, text, integer, fast=fast))
    except ParamError as err:
        return err.error


def test_decimal_path_is_exact_beyond_28_digits():
    # 1 + 2^-53 is the midpoint between 1.0 and the next float; just below it rounds down to 1.0.
    # Rounding to 28 digits first (the decimal context) would push it up to the midpoint and beyond.
    below = "1.00000000000000011102230246251565404236316680908203124999999"
    assert float(parse_number_text(below)) == 1.0 == float(below)
    assert _parse_list(WIDE_FLOATS, below, fast=False) == [1.0]
    assert parse_number_text("123456789012345678901234567890k") == 123456789012345678901234567890000


def test_a_billion_digit_integer_is_rejected_at_once():
    start = time.perf_counter()
    err = taf.run_recipe("X-2", preset="meta-llama/Meta-Llama-3-8B", T_eval="1e999999999")["error"]
    assert time.perf_counter() - start < 1.0  # it used to build the integer (hours)
    assert err["code"] == "out_of_range" and "T_eval = '1e999999999' is out of range" in err["message"]


def test_a_huge_json_integer_in_a_float_list_is_an_error_not_a_crash():
    err = taf.run_recipe("R-1", run_bpb=[1.08, 10**400], baseline_bpb=1.09, nats_per_bpb=2.5)["error"]
    assert err["code"] == "invalid_value" and err["position"] == 1 and "too large" in err["message"]


# ── 10,000 items ─────────────────────────────────────────────────────────────
N = MAX_LIST_ITEMS


def steps(result):
    return {s["name"]: s for s in result["chain"]}


def test_p1_10000_prompts_all_pass():
    r = taf.run_recipe("P-1", int4_mismatches=",".join(["5"] * N), int8_mismatches=",".join(["3"] * N),
                       drift_slack=0, int4_max=5, int8_max=3, tokens_per_prompt=32)
    # 3 ≤ 5 + 0: the drift rule holds too
    assert r["verdict"] == "PASS" and r["reason"].startswith("All 10,000 prompt(s) are within the bounds")
    s = steps(r)
    for name in ("Int4 vs oracle", "Int8 vs oracle", "Drift rule"):
        assert s[name]["result"] == {"passed": N, "failed": 0, "failing_prompts": []}
    assert s["Checks passed"]["result"] == 3 * N
    assert r["inputs"]["int4_mismatches"] == [5] * N


def test_p1_10000_prompts_every_check_fails():
    text = taf.run_recipe_json("P-1", json.dumps({"int4_mismatches": ",".join(["6"] * N),
                                                  "int8_mismatches": ",".join(["32"] * N)}))
    r = json.loads(text)
    s = steps(r)
    everyone = list(range(1, N + 1))
    for name in ("Int4 vs oracle", "Int8 vs oracle", "Drift rule"):
        assert s[name]["result"] == {"passed": 0, "failed": N, "failing_prompts": everyone}
        assert "the 10,000 failing prompts are all listed in failing_prompts" in s[name]["interpretation"]
    assert s["Checks passed"]["result"] == 0
    assert r["verdict"] == "FAIL"
    assert r["reason"] == ("10,000 of 10,000 prompt(s) break a pre-registered bound — 10,000 fail the Int4 bound "
                           "(5/32), 10,000 the Int8 bound (3/32) and 10,000 the drift rule (Int8 ≤ Int4 + 1); "
                           "steps 1–3 list every failing prompt.")
    assert len(r["reason"]) < 300


def test_p1_10000_prompts_scattered_failures_are_all_listed():
    int4 = [i % 7 for i in range(N)]            # 6 > 5 at every 7th prompt (i ≡ 6 mod 7)
    int8 = [(i * 3) % 5 for i in range(N)]      # 4 > 3 where 3i ≡ 4 (mod 5), i.e. i ≡ 3 (mod 5)
    r = taf.run_recipe("P-1", int4_mismatches=int4, int8_mismatches=int8)
    s = steps(r)
    fail4 = [i + 1 for i in range(N) if int4[i] > 5]
    fail8 = [i + 1 for i in range(N) if int8[i] > 3]
    faild = [i + 1 for i in range(N) if int8[i] > int4[i] + 1]
    assert s["Int4 vs oracle"]["result"]["failing_prompts"] == fail4 and len(fail4) == 1428
    assert s["Int8 vs oracle"]["result"]["failing_prompts"] == fail8 and len(fail8) == 2000
    assert s["Drift rule"]["result"]["failing_prompts"] == faild
    assert s["Drift rule"]["result"]["passed"] == N - len(faild)
    assert s["Checks passed"]["result"] == 3 * N - len(fail4) - len(fail8) - len(faild)
    union = len(set(fail4) | set(fail8) | set(faild))
    assert r["reason"].startswith(f"{union:,} of 10,000 prompt(s) break a pre-registered bound — ")


def test_p1_few_failures_among_10000_are_named_in_the_reason():
    int4 = [0] * N
    int8 = [0] * N
    int4[9_999] = 7
    int8[4_999] = 2
    r = taf.run_recipe("P-1", int4_mismatches=int4, int8_mismatches=int8)
    assert r["reason"] == ("2 of 10,000 prompt(s) break a pre-registered bound — prompt 5000: drift Int8 2 > Int4 "
                           "0 + 1; prompt 10000: Int4 7/32 > 5.")


def test_p1_large_counts_take_the_general_path():
    # counts ≥ 256 cannot use the bytes table: same answers through the item-by-item comparison
    r = taf.run_recipe("P-1", tokens_per_prompt=1000, int4_max=300, int8_max=299, drift_slack=0,
                       int4_mismatches="300,301,0,999", int8_mismatches="299,300,1,999")
    s = steps(r)
    assert s["Int4 vs oracle"]["result"]["failing_prompts"] == [2, 4]
    assert s["Int8 vs oracle"]["result"]["failing_prompts"] == [2, 4]
    assert s["Drift rule"]["result"]["failing_prompts"] == [3]


@pytest.mark.parametrize("param,bad", [("int4_mismatches", "x"), ("int8_mismatches", "2.5")])
def test_bad_item_at_position_9999_is_named(param, bad):
    values = ["1"] * N
    values[9_999] = bad
    params = {"int4_mismatches": ",".join(["1"] * N), "int8_mismatches": ",".join(["1"] * N)}
    params[param] = ",".join(values)
    err = taf.run_recipe("P-1", **params)["error"]
    assert err["code"] == "invalid_value" and err["param"] == param and err["position"] == 9_999
    assert f"{param} (item 10000) = '{bad}' is not valid" in err["message"]


def test_item_over_tokens_per_prompt_at_position_9999_is_named():
    values = [1] * N
    values[9_999] = 33
    err = taf.run_recipe("P-1", int4_mismatches=values, int8_mismatches=[1] * N)["error"]
    assert err["code"] == "out_of_range" and err["position"] == 9_999
    assert "int4_mismatches (item 10000) = 33 is out of range" in err["message"]


def test_10001_items_are_refused():
    err = taf.run_recipe("R-1", run_bpb=",".join(["1.08"] * (N + 1)), baseline_bpb=1.09, nats_per_bpb=2.5)["error"]
    assert err["code"] == "invalid_value" and "more than 10,000 items" in err["message"]


def test_r1_10000_seeds_exact_mean_and_spread():
    values_text = [f"{1.08 + (i % 97) * 1e-5:.5f}" for i in range(N)]
    values = [float(v) for v in values_text]
    r = taf.run_recipe("R-1", run_bpb=",".join(values_text), baseline_bpb="1.09", nats_per_bpb="2.5831")
    s = steps(r)
    exact = [Fraction(v) for v in values]
    mean = sum(exact) / N
    assert s["Mean run val_bpb"]["result"] == float(mean)
    assert s["Mean run val_bpb"]["breakdown"] == {"lowest_bpb": 1.08, "lowest_seed": 1, "highest_bpb": 1.08096,
                                                   "highest_seed": 97}
    variance = sum((x - mean) ** 2 for x in exact) / (N - 1)
    assert s["Seed spread"]["result"] == math.sqrt(float(variance))
    assert s["Improvement in bpb"]["result"] == float(Fraction(1.09) - mean)
    assert r["inputs"]["run_bpb"] == values
    assert r["verdict"] == "CLAIM SUPPORTED"
    # the same result from a JSON list
    as_list = taf.run_recipe_json("R-1", json.dumps({"run_bpb": values, "baseline_bpb": "1.09",
                                                     "nats_per_bpb": "2.5831"}))
    assert as_list == taf.run_recipe_json("R-1", json.dumps({"run_bpb": ",".join(values_text),
                                                             "baseline_bpb": "1.09", "nats_per_bpb": "2.5831"}))


def test_r1_mean_step_reports_lowest_and_highest_seed():
    r = taf.run_recipe("R-1", run_bpb="1.08035,1.08097,1.08127,1.08060,1.08135", baseline_bpb=1.08563,
                       nats_per_bpb=2.5831)
    mean_step = steps(r)["Mean run val_bpb"]
    assert mean_step["breakdown"] == {"lowest_bpb": 1.08035, "lowest_seed": 1, "highest_bpb": 1.08135,
                                      "highest_seed": 5}
    assert mean_step["interpretation"] == "1.08091 bpb over 5 seed(s), from 1.08035 to 1.08135"


# ── exact sums ───────────────────────────────────────────────────────────────
def reference_sums(values):
    exact = [Fraction(v) for v in values]
    mean = sum(exact) / len(exact)
    return sum(exact), sum((x - mean) ** 2 for x in exact)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers(-10**30, 10**30)),
                min_size=1, max_size=12))
def test_property_exact_sum_and_squares_is_exact(values):
    S, Q, D = es.exact_sum_and_squares(values)
    n = len(values)
    total, squares = reference_sums(values)
    assert Fraction(S, D) == total
    assert Fraction(Q, (n * D) ** 2) == squares


@pytest.mark.parametrize("values", [[0.0, 0.0], [-0.0, 2.5], [5e-324, 1.0], [1e-300, -1e300], [1e308, -1e308],
                                    [2.0 ** -1000] * 3, [-3.5, -1.25], [1e308, 1e308], [10**400, 1, 0.5]])
def test_exact_sums_edge_ranges(values):
    S, Q, D = es.exact_sum_and_squares(values)
    total, squares = reference_sums(values)
    assert Fraction(S, D) == total and Fraction(Q, (len(values) * D) ** 2) == squares


def test_exact_sums_reject_non_finite_and_non_numbers():
    for bad in ([1.0, float("nan")], [float("inf"), 1.0], [float("inf"), float("-inf")], [True, 1.0], [],
                ["1"], [1, None]):
        assert es.exact_sum_and_squares(bad) is None, bad
    assert es.exact_sum_and_squares([10**400, 1]) is not None  # ints of any size are finite


# ── clean() ──────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("value", [
    list(range(100)), [0.5] * 100, ["a"] * 50 + [1] * 50, [True, None, 1, "x", 2.5] * 20,
    {f"k{i}": i * 0.5 for i in range(100)}, {f"k{i}": None for i in range(100)}, tuple(range(40)),
])
def test_clean_fast_path_copies_plain_containers(value):
    out = chain_mod.clean(value)
    expected = [v for v in value] if isinstance(value, (list, tuple)) else dict(value)
    assert out == expected and type(out) is type(expected) and out is not value


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_clean_long_lists_still_reject_non_finite(bad):
    for container in ([1.0] * 99 + [bad], [1] * 99 + [bad], {f"k{i}": 1.0 for i in range(99)} | {"z": bad}):
        with pytest.raises(ValueError, match="non-finite float"):
            chain_mod.clean(container)


def test_clean_long_containers_convert_keys_and_nested_values():
    assert chain_mod.clean({i: (i, i) for i in range(20)}) == {str(i): [i, i] for i in range(20)}
    assert chain_mod.clean([(1, 2)] * 20) == [[1, 2]] * 20
    with pytest.raises(TypeError):
        chain_mod.clean([1] * 30 + [object()])


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_property_p1_failing_prompts_match_a_plain_reference(data):
    """P-1's C-level flag arithmetic (bytes, translate tables, slack near 255) against the obvious loop."""
    tokens = data.draw(st.sampled_from([32, 255, 256, 300, 1000]), label="tokens")
    n = data.draw(st.integers(1, 40), label="n")
    values = st.integers(0, tokens)
    m4 = data.draw(st.lists(values, min_size=n, max_size=n), label="m4")
    m8 = data.draw(st.lists(values, min_size=n, max_size=n), label="m8")
    int4_max = data.draw(st.integers(0, tokens), label="int4_max")
    int8_max = data.draw(st.integers(0, tokens), label="int8_max")
    slack = data.draw(st.sampled_from([0, 1, 2, 254, 255, 256, 1000]), label="slack")
    r = taf.run_recipe("P-1", tokens_per_prompt=tokens, int4_mismatches=m4, int8_mismatches=m8,
                       int4_max=int4_max, int8_max=int8_max, drift_slack=slack)
    steps = {s["name"]: s["result"] for s in r["chain"]}
    expect4 = [i for i, v in enumerate(m4, 1) if v > int4_max]
    expect8 = [i for i, v in enumerate(m8, 1) if v > int8_max]
    expectd = [i for i, (a, b) in enumerate(zip(m4, m8), 1) if b > a + slack]
    assert steps["Int4 vs oracle"]["failing_prompts"] == expect4
    assert steps["Int8 vs oracle"]["failing_prompts"] == expect8
    assert steps["Drift rule"]["failing_prompts"] == expectd
    assert steps["Checks passed"] == 3 * n - len(expect4) - len(expect8) - len(expectd)
    assert r["verdict"] == ("FAIL" if expect4 or expect8 or expectd else "PASS")
