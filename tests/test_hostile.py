"""Hostile input (issue 16): no input reaches ``internal_error``, a traceback, a hang or output that is not
strict UTF-8 JSON — over every parameter of every recipe (``taf.list_recipes()``, so new recipes are
covered without editing this file), Profile, Compare, M-1/config.json and links.

Two sources of hostile values: the committed corpus (tests/fixtures/hostile_corpus.json: surrogates,
nesting, huge integers and strings, odd numerals, wrong types, injection strings) and hypothesis.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import taf
from taf.params import ERROR_CODES, MAX_JSON_DEPTH

CORPUS = json.loads((Path(__file__).parent / "fixtures" / "hostile_corpus.json").read_text(encoding="utf-8"))
RECIPES = taf.list_recipes()
PRESETS = [p["id"] for p in taf.list_presets()]
LLAMA = "meta-llama/Meta-Llama-3-8B"
KNOWN_CODES = set(ERROR_CODES) - {"internal_error"}


def build(entry):
    """A corpus entry as the Python value it stands for."""
    kind = entry["kind"]
    if kind == "json":
        return entry["value"]
    if kind == "int":
        return entry.get("sign", 1) * (10 ** (entry["digits"] - 1) + 7)
    if kind == "repeat":
        return entry["text"] * entry["times"]
    if kind == "float":
        return float(entry["name"])
    if kind == "nested":
        value = entry["leaf"]
        for _ in range(entry["depth"]):
            value = {"a": value} if entry.get("object") else [value]
        return value
    raise AssertionError(kind)


VALUES = [build(e) for e in CORPUS["values"]]
CONFIGS = [build(e) for e in CORPUS["configs"]]


def strict_utf8_json(value) -> str:
    """The value as strict JSON that encodes as UTF-8 (the assertion of this file), and its text."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    text.encode("utf-8")  # raises on a lone surrogate
    return text


def check(result: dict) -> dict:
    """A result or a structured error with a known code; always strict UTF-8 JSON."""
    strict_utf8_json(result)
    if "error" in result:
        err = result["error"]
        assert err["code"] in KNOWN_CODES, err
        assert isinstance(err["message"], str) and err["message"] and "\n" not in err["message"], err
        assert "Traceback" not in err["message"]
    return result


def check_text(text: str) -> dict:
    """A JSON text answer: strict JSON, UTF-8 encodable, and a valid result/error."""
    text.encode("utf-8")
    value = json.loads(text, parse_constant=lambda name: pytest.fail(f"non-strict JSON constant {name}"))
    return check(value)


def base_params(recipe: dict) -> dict:
    """A preset for recipes that take one, so a hostile value meets an otherwise complete request."""
    return {"preset": LLAMA} if any("preset_key" in p for p in recipe["params"]) else {}


def json_forms(value):
    """The JSON texts a value can travel as (none for values JSON cannot carry)."""
    try:
        return [json.dumps(value, ensure_ascii=False, allow_nan=False)]
    except (ValueError, TypeError, RecursionError):
        return []


# ── the corpus over every parameter of every recipe ─────────────────────────────────────────────
@pytest.mark.parametrize("recipe", RECIPES, ids=[r["id"] for r in RECIPES])
def test_corpus_over_every_parameter(recipe):
    base = base_params(recipe)
    names = [p["name"] for p in recipe["params"]] + ["preset", "\ud800", "__proto__"]
    for name in names:
        for value in VALUES:
            check(taf.run_recipe(recipe["id"], **{**base, name: value}))
            for value_json in json_forms(value):
                if len(value_json) < 200_000:
                    params_text = json.dumps(base, ensure_ascii=False)[:-1] + (", " if base else "") \
                        + json.dumps(name, ensure_ascii=False) + ": " + value_json + "}"
                    check_text(taf.run_recipe_json(recipe["id"], params_text))


@pytest.mark.parametrize("value", VALUES[:40] + VALUES[-16:], ids=range(56))
def test_corpus_as_recipe_id_and_whole_request(value):
    check(taf.run_recipe(value))
    if isinstance(value, str):
        check_text(taf.run_recipe_json("X-2", value))
        check_text(taf.profile_model_json(value))
        check_text(taf.compare_models_json(value))
        check_text(taf.read_link_json("?r=X-2&T_eval=" + value))
        check_text(taf.read_link_json(value))
        check_text(taf.input_notes_json("X-2", value))


def test_corpus_over_profile_and_compare():
    profile_names = ["T_eval", "theta", "n_layers", "has_SWA", "config", "preset", "\ud800"]
    for value in VALUES:
        for name in profile_names:
            check(taf.profile_model(**({"preset": LLAMA} if name != "preset" else {}), **{name: value}))
        check(taf.compare_models([{"preset": LLAMA}, {"preset": PRESETS[1], "T_eval": value}], "X-2",
                                 {"T_eval": value, "bogus": value}))
        check(taf.compare_models([{"preset": LLAMA, "label": value}, value], "X-2"))
        check(taf.compare_models(value, "X-2", value))
        check(taf.compare_models([{"preset": LLAMA}, {"preset": PRESETS[1]}], value))


def test_corpus_over_config_json():
    for config in CONFIGS + VALUES:
        check(taf.run_recipe("M-1", config=config))
        check(taf.preset_from_config(config))
        check(taf.profile_model(config=config))
        check_text(taf.preset_from_config_json(config))


# ── the specific cases of issue 16 ───────────────────────────────────────────────────────────────
def test_nested_list_is_invalid_value_naming_the_parameter():
    for depth in (2, 1_000, 3_000):
        text = "[" * depth + "]" * depth
        err = check(taf.run_recipe("R-1", baseline_bpb=1.1, nats_per_bpb=2.5, run_bpb=text))["error"]
        assert err["code"] == "invalid_value" and err["param"] == "run_bpb"
        assert "flat list of numbers; lists inside it (and objects) are not allowed" in err["message"]


def test_json_nesting_limit_is_stated():
    deep = '{"run_bpb": ' + "[" * 40 + "]" * 40 + "}"
    err = check_text(taf.run_recipe_json("R-1", deep))["error"]
    assert err["code"] == "invalid_json"
    assert err["message"] == (f"params_json is not read: it nests lists or objects more than {MAX_JSON_DEPTH} levels "
                              f"deep; JSON is read up to {MAX_JSON_DEPTH} levels.")
    ok = '{"a": ' * (MAX_JSON_DEPTH - 1) + "1" + "}" * (MAX_JSON_DEPTH - 1)
    assert check_text(taf.run_recipe_json("R-1", ok))["error"]["code"] == "unknown_param"
    err = check(taf.run_recipe("M-1", config='{"a": ' * 3000 + "1" + "}" * 3000))["error"]
    assert err["code"] == "invalid_json" and f"up to {MAX_JSON_DEPTH} levels" in err["message"]


def test_json_size_limit_is_stated():
    big = '{"T_eval": "' + " " * 5_000_000 + '"}'
    err = check_text(taf.run_recipe_json("X-2", big))["error"]
    assert err["message"] == ("params_json is not read: it is 5,000,014 characters long; JSON is read up to "
                              "5,000,000 characters.")


def test_huge_integers_never_reach_int_or_the_output():
    start = time.perf_counter()
    huge = 10 ** 5000
    err = check(taf.run_recipe("X-2", preset=LLAMA, T_eval=huge))["error"]
    assert err["code"] == "out_of_range" and err["value"] == "<an integer of about 5,000 digits>"
    err = check(taf.run_recipe("X-2", preset=LLAMA, gamma_obs=-huge))["error"]
    assert err["code"] in ("out_of_range", "invalid_value") and err["param"] == "gamma_obs"
    text = '{"preset": "%s", "T_eval": 1%s}' % (LLAMA, "0" * 5000)
    err = check_text(taf.run_recipe_json("X-2", text))["error"]
    assert err["message"] == ("params_json is not valid JSON (it holds an integer of more than 4,300 digits); "
                              'send an object such as {"T_eval": 32000}.')
    # Compare echoes shared values: a huge one must still serialise
    table = check(taf.compare_models([{"preset": LLAMA}, {"preset": PRESETS[1]}], "X-2", {"bogus": huge}))
    assert table["shared_params"] == {"bogus": "<an integer of about 5,000 digits>"}
    assert time.perf_counter() - start < 2


def test_lone_surrogates_are_rejected_or_escaped():
    err = check(taf.run_recipe("M-1", config='{"model_type": "llama", "_name_or_path": "x\ud800"}'))["error"]
    assert err["code"] == "invalid_value" and err["param"] == "config"
    assert "character 44 is U+D800, a lone surrogate, which is not text" in err["message"]
    err = check(taf.run_recipe("X-2", preset=LLAMA, T_eval="32k\ud800"))["error"]
    assert err["value"] == "32k\\ud800" and "'32k\\ud800'" in err["message"]
    err = check(taf.run_recipe("X-2", preset=LLAMA, **{"T_\ud800": 1}))["error"]
    assert err["code"] == "unknown_param" and err["param"] == "T_\\ud800"
    err = check_text(taf.run_recipe_json("X-2", '{"preset": "\\ud800"}'))["error"]
    assert err["code"] == "unknown_preset" and err["value"] == "\\ud800"


def test_odd_numerals_are_refused_or_read_exactly():
    cases = {"１２": None, "0x10": None, "∞": None, "nan": None, "1e999": None, "-0": 0, "1_000": 1000,
             "1,000": 1000, "1 000": 1000, "8k tokens": 8000, "'12'": None}
    for text, expected in cases.items():
        result = check(taf.run_recipe("X-2", preset=LLAMA, T_eval=text))
        if expected is None or expected < 1:
            assert "error" in result and result["error"]["param"] == "T_eval", text
        else:
            assert result["inputs"]["T_eval"] == expected, text


# ── hypothesis: arbitrary hostile values at every parameter ──────────────────────────────────────
HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),  # any code point, lone surrogates included
    st.text(alphabet=st.sampled_from("0123456789,._ $+-eEkKMBGTiBb\u00a0\u2009\u202f[]{}\"'\\:\ud800"), max_size=30),
    st.sampled_from(["１２", "1_000", "0x10", "∞", "nan", "1e999", "-0", "<script>", '"; rm', "yes", "on", "ON"]),
    st.from_regex(r"\A[+-]?\$?[0-9]{1,4}([, \u00a0][0-9]{1,4}){0,3}(\.[0-9]{0,3})? ?[kKMGT]? ?(GB|GiB|tokens|USD)?\Z"),
)
NESTED = st.recursive(st.one_of(st.integers(), st.floats(), st.text(max_size=5), st.booleans(), st.none()),
                      lambda inner: st.one_of(st.lists(inner, max_size=3),
                                              st.dictionaries(st.text(max_size=3), inner, max_size=3)),
                      max_leaves=10)
HOSTILE = st.one_of(
    HOSTILE_TEXT,
    st.integers(min_value=-10 ** 6000, max_value=10 ** 6000),
    st.integers(min_value=-2 ** 70, max_value=2 ** 70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.none(), NESTED,
    st.lists(HOSTILE_TEXT, max_size=4),
)
PARAMS = [(r["id"], p["name"]) for r in RECIPES for p in r["params"]] + [(r["id"], "preset") for r in RECIPES]


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PARAMS), HOSTILE)
def test_property_no_input_reaches_internal_error(target, value):
    recipe_id, name = target
    recipe = next(r for r in RECIPES if r["id"] == recipe_id)
    result = check(taf.run_recipe(recipe_id, **{**base_params(recipe), name: value}))
    for text in json_forms({**base_params(recipe), name: value}):
        assert check_text(taf.run_recipe_json(recipe_id, text)) == json.loads(strict_utf8_json(result)) \
            or "error" in result  # Python values JSON carries differently (tuples, -0.0 …) may differ


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["T_eval", "theta", "n_layers", "has_SWA", "config", "n_params"]), HOSTILE)
def test_property_profile_and_compare(name, value):
    check(taf.profile_model(preset=LLAMA, **{name: value}))
    check(taf.compare_models([{"preset": LLAMA}, {"preset": PRESETS[1], name: value}], "X-2", {name: value}))


@settings(max_examples=300, deadline=None)
@given(st.one_of(HOSTILE_TEXT, st.text(max_size=200), NESTED.map(lambda v: json.dumps(v))))
def test_property_config_json(text):
    check(taf.run_recipe("M-1", config=text))
    check_text(taf.preset_from_config_json(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["r", "view", "preset", "m", "T_eval", "has_SWA", "gpu", "__proto__",
                                           "run_bpb"]), HOSTILE_TEXT), max_size=6))
def test_property_links(pairs):
    from urllib.parse import quote
    query = "?" + "&".join(f"{quote(k, errors='surrogatepass')}={quote(v, errors='surrogatepass')}" for k, v in pairs)
    link = taf.read_link(query)
    strict_utf8_json(link)
    assert all(e["code"] in KNOWN_CODES for e in link["errors"])
    # what was understood reads back to itself
    again = taf.read_link(link["query"])
    assert again["params"] == link["params"] and again["query"] == link["query"]
    if not link["errors"]:
        assert again == link



def test_warm_up_and_config_helpers_take_anything():
    from taf.registry import warm_up
    for request in ("[" * 3000, '{"recipes": ' + "[" * 3000 + "]" * 3000 + "}", '{"recipes": ["\\ud800"]}',
                    "x" * 6_000_000, None, 5, '{"recipes": ["X-2"], "profile": "yes"}'):
        assert isinstance(warm_up(request), list)
    assert warm_up('{"recipes": ["X-2", "nope"]}') == ["X-2"]
    for recipe_id in ("\ud800", 10 ** 5000, None, ["X-2"], "X-99"):
        check(taf.preset_from_config('{"model_type": "llama"}', recipe_id))
