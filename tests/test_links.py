"""Reading a page link in Python (taf.read_link): the CLI's rules, visible errors, canonical values."""
import json

import pytest

import taf
from taf.params import ERROR_CODES

LLAMA = "meta-llama/Meta-Llama-3-8B"


def codes(link):
    return [(e["code"], e.get("param")) for e in link["errors"]]


@pytest.mark.parametrize("word,expected", [("yes", "true"), ("YES", "true"), ("1", "true"), ("TRUE", "true"),
                                           ("on", "true"), ("no", "false"), ("0", "false"), ("Off", "false")])
def test_booleans_read_as_the_cli_reads_them(word, expected):
    link = taf.read_link(f"?r=X-2&preset={LLAMA}&has_SWA={word}")
    assert link["params"] == {"has_SWA": expected} and link["errors"] == []
    assert link["query"] == f"?r=X-2&preset={LLAMA}&has_SWA={expected}"
    # and the run gets the same value as `taf run X-2 has_SWA=<word>`
    assert taf.run_recipe("X-2", preset=LLAMA, has_SWA=word)["inputs"]["has_SWA"] is (expected == "true")


def test_choices_case_insensitive_and_by_folded_name():
    link = taf.read_link("?r=X-1&gpu=a100%2080gb&api_model=gpt-4o-mini")
    assert link["params"] == {"gpu": "A100 80GB", "api_model": "GPT-4o-mini"} and link["errors"] == []
    assert link["query"] == "?r=X-1&gpu=A100%2080GB&api_model=GPT-4o-mini"
    assert taf.read_link("?r=X-1&gpu=a100-80gb")["params"] == {"gpu": "A100 80GB"}
    bad = taf.read_link("?r=X-1&gpu=a100")
    assert bad["params"] == {} and codes(bad) == [("unknown_choice", "gpu")]


def test_numbers_keep_what_was_typed():
    link = taf.read_link("?r=X-2&T_eval=32k&theta=500000&T_train=8192&n_attention_heads=32&n_kv_heads=8"
                         "&d_head=128&n_layers=32&n_params=8B")
    assert link["params"]["T_eval"] == "32k" and link["params"]["n_params"] == "8B" and link["errors"] == []


def test_invalid_value_is_an_error_not_a_substitution():
    link = taf.read_link("?r=X-2&has_SWA=maybe&T_eval=abc")
    assert link["params"] == {}
    assert codes(link) == [("invalid_value", "has_SWA"), ("invalid_value", "T_eval")]
    assert link["errors"][1]["value"] == "abc"


def test_duplicates_are_an_error_and_the_first_value_is_kept():
    link = taf.read_link("?r=X-2&T_eval=1000&T_eval=abc")
    assert link["params"] == {"T_eval": "1000"}
    assert codes(link) == [("invalid_value", "T_eval")]
    assert link["errors"][0]["message"] == "The link gives T_eval twice ('1000' and 'abc'); give it once."


def test_unknown_recipe_view_and_keys():
    link = taf.read_link("?r=X-99")
    assert link["recipe"] is None and codes(link) == [("unknown_recipe", "r")] and link["query"] == ""
    link = taf.read_link("?view=nope&r=X-2")
    assert link["view"] == "recipe" and codes(link) == [("unknown_choice", "view")]
    link = taf.read_link("?r=X-2&__proto__=abc&T_evl=5")
    assert codes(link) == [("unknown_param", "__proto__"), ("unknown_param", "T_evl")]
    assert link["errors"][1]["suggestion"] == "T_eval"


def test_views():
    assert taf.read_link("")["view"] is None and taf.read_link("?")["errors"] == []
    assert taf.read_link("?r=x-2")["recipe"] == "X-2"
    model = taf.read_link("?view=model&kv_dtype_bytes=1")
    assert model["view"] == "model" and model["recipe"] == "M-1" and model["params"] == {"kv_dtype_bytes": "1"}
    cmp = taf.read_link("?view=compare&r=X-2&m=Qwen/Qwen2.5-7B&m=meta-llama/meta-llama-3-8b&T_eval=16k")
    assert cmp["models"] == ["Qwen/Qwen2.5-7B", LLAMA] and cmp["params"] == {"T_eval": "16k"}
    assert cmp["query"] == f"?view=compare&r=X-2&m=Qwen/Qwen2.5-7B&m={LLAMA}&T_eval=16k"
    prof = taf.read_link("?view=profile&preset=Meta-Llama-3-8B&T_eval=1e999")
    assert prof["preset"] == LLAMA and codes(prof) == [("out_of_range", "T_eval")]
    orphan = taf.read_link("?T_eval=5")
    assert orphan["view"] is None and codes(orphan) == [("unknown_param", "T_eval")]


def test_hostile_links_never_raise_and_stay_strict_utf8():
    for query in ["?r=R-1&run_bpb=" + "[" * 2000 + "]" * 2000, "?r=X-2&T_eval=%ED%A0%80", "?r=X-2&T_eval=x\ud800",
                  "?r=X-2&\ud800=1", "?r=X-2&T_eval=" + "9" * 5000, "?%=%&&&=", "?r=" + "x" * 100_000, None, 5]:
        link = taf.read_link(query)
        text = taf.read_link_json(query)
        text.encode("utf-8")
        assert json.loads(text) == json.loads(json.dumps(link))
        for e in link["errors"]:
            assert e["code"] in ERROR_CODES and e["code"] != "internal_error"
    nested = taf.read_link("?r=R-1&run_bpb=" + "[" * 2000 + "]" * 2000)
    assert codes(nested) == [("invalid_value", "run_bpb")] and "flat list" in nested["errors"][0]["message"]
