"""Every result: a tone, headline figures, charts where promised, and words a user can read.

No literal 'undefined', no history words ('seed', 'the challenge'), no internal names, no
Spanish, and no step interpretation that reassures under a cautionary verdict.
"""
import re

import pytest

import taf
from taf.chain import CHART_KINDS, TONES

from conftest import EXAMPLES, is_finite_number

CHARTED = {"X-1": "cost_vs_volume", "X-2": "gamma_vs_context", "G-1": "tokens_per_param", "E-1": "pass_at_k"}
#: words from the project's history or internals ('seed' alone is fine: R-1 counts random seeds)
FORBIDDEN = re.compile(r"\bundefined\b|\bseed 0\d\d\b|\bthe seed('s)?\b|seed module|shared/seeds|the challenge|"
                       r"r[ée]gimen|color darkred|SPEC §|not_applicable|exploratory_n", re.I)


def _user_text(result: dict):
    yield "verdict", result["verdict"]
    yield "reason", result["reason"]
    yield "mitigation", result["mitigation"]
    for c in result["caveats"]:
        yield "caveat", c
    for s in result["chain"]:
        yield f"step {s['step']} name", s["name"]
        yield f"step {s['step']} section", s["section"]
        if s.get("interpretation"):
            yield f"step {s['step']} interpretation", s["interpretation"]


def test_every_result_has_a_tone_and_headline_figures(example_result):
    assert example_result["tone"] in TONES
    figures = example_result["figures"]
    assert figures, example_result["recipe_id"]
    for name, value in figures.items():
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name), name
        assert value is None or isinstance(value, (bool, str)) or is_finite_number(value), (name, value)


def test_words_a_user_sees(example_result):
    for where, text in _user_text(example_result):
        found = FORBIDDEN.search(text)
        assert not found, f"{example_result['recipe_id']} {where}: {found.group(0)!r} in {text!r}"


@pytest.mark.parametrize("recipe_id,chart_id", sorted(CHARTED.items()))
def test_charts_carry_their_data(recipe_id, chart_id):
    for params in EXAMPLES[recipe_id]:
        result = taf.run_recipe(recipe_id, **params)
        chart = next(c for c in result["charts"] if c["id"] == chart_id)
        assert chart["kind"] in CHART_KINDS and chart["note"]
        assert chart["x"]["label"] and chart["y"]["label"] and "unit" in chart["y"]
        for series in chart["series"]:
            data = series.get("points") or series.get("values")
            assert series["name"] and data


def test_x2_chart_is_the_formula():
    r = taf.run_recipe("X-2", preset="meta-llama/Meta-Llama-3-8B", T_eval=32000)
    chart = r["charts"][0]
    pade = dict(map(tuple, chart["series"][0]["points"]))
    assert pade[32000] == r["chain"][0]["result"]                      # γ_Padé at T_eval, as step 1
    corrected = dict(map(tuple, chart["series"][1]["points"]))
    assert corrected[32000] == pytest.approx(r["figures"]["gamma_corrected"])
    horizon = dict(map(tuple, r["charts"][1]["series"][0]["points"]))
    assert horizon[32000] == pytest.approx(r["figures"]["d_horizon_tokens"])


def test_x1_chart_crosses_at_break_even():
    r = taf.run_recipe("X-1", N_params=1e9, monthly_tokens_M=100000)
    api, custom = r["charts"][0]["series"]
    be = r["figures"]["break_even_mtok"]
    at = {tuple(a)[0]: (tuple(a)[1], tuple(c)[1]) for a, c in zip(api["points"], custom["points"])}
    assert at[be][0] == pytest.approx(at[be][1], rel=1e-9)             # the two costs meet at break-even
    assert r["verdict"] == "YES (custom)" and r["tone"] == "good"


def test_e1_pass_at_k_points_are_the_estimator():
    r = taf.run_recipe("E-1", n=16, c=4, k=8)
    points = dict(map(tuple, r["charts"][0]["series"][0]["points"]))
    assert points[8] == r["chain"][1]["result"] and points[1] == 0.25
    assert 16 not in points and points[10] == 1 - (6 * 5 * 4 * 3) / (16 * 15 * 14 * 13)  # C(12,10)/C(16,10)


def test_x2_interpretations_never_reassure_under_caution():
    """The old chain said 'Phase A (long-range OK)' and '0.0 % miss' under a DEGRADED / BEYOND verdict."""
    from conftest import SMALL_MHA
    for params in (dict(preset="meta-llama/Meta-Llama-3-8B", T_eval=32000), dict(SMALL_MHA, T_eval=1024)):
        r = taf.run_recipe("X-2", **params)
        assert r["tone"] == "caution"
        text = " ".join(s.get("interpretation", "") for s in r["chain"])
        assert "long-range OK" not in text
        miss = next(s for s in r["chain"] if s["name"] == "P_hallucinate")["interpretation"]
        assert "tautology" in miss or "beyond the training context" in miss


def test_x5_headline_names_the_gpu():
    # issue 13: the GPU S-2 costs cheapest at a realistic batch (S-1 fit); a batch meets the 10M tokens/day
    r = taf.run_recipe("X-5", N_params=8e9)
    assert r["verdict"] == f"YES: {r['figures']['gpu']}" and r["tone"] == "good"
    r = taf.run_recipe("X-5", N_params=70e9, target_tokens_per_day=1e12)
    assert r["figures"]["gpu"] in r["verdict"] and r["verdict"].endswith("BUT NO SINGLE GPU MEETS THE TARGET")
    assert r["tone"] == "caution"


def test_profile_and_compare_rows_carry_tone():
    card = taf.profile_model(preset="mistralai/Mistral-7B-v0.1")
    assert card["recipes"] and all(row["tone"] in TONES for row in card["recipes"])
    not_run = [row for row in card["recipes"] if row["verdict"] == "NOT RUN"]
    assert not_run and all(row["tone"] == "neutral" for row in not_run)
    table = taf.compare_models(["meta-llama/Meta-Llama-3-8B", "Qwen/Qwen2.5-7B"], "X-2", {"T_eval": 32000})
    assert all(row["tone"] == row["result"]["tone"] for row in table["rows"])
    text = repr(card) + repr(table)
    assert "undefined" not in text
