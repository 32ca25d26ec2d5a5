"""The page's number formatter (web/render.js fmtValue) writes every number exactly as Python's one
formatter does (taf/textfmt.py format_value): checked on the golden cases Python emits
(tests/fixtures/format_golden.json) and on the numbers of real results."""
from __future__ import annotations

import json

import taf
from taf.textfmt import SINGULAR, format_value

from .conftest import ROOT

GOLDEN = json.loads((ROOT / "tests" / "fixtures" / "format_golden.json").read_text(encoding="utf-8"))


def test_the_golden_cases_read_the_same_in_the_page(make_context, server):
    ctx, watch = make_context()
    page = ctx.new_page()
    page.goto(server)
    page.wait_for_selector("#landing .card")
    assert len(GOLDEN) >= 50
    got = page.evaluate("(cases) => cases.map((c) => window.tafPage.format(c.value, c.unit))", GOLDEN)
    wrong = [(c["value"], c["unit"], c["text"], g) for c, g in zip(GOLDEN, got) if g != c["text"]]
    assert not wrong, wrong
    assert page.evaluate("() => window.tafPage.singular()") == SINGULAR


def test_every_number_of_real_results_reads_the_same(make_context, server):
    """Every (value, unit) of the steps of every recipe's worked examples, formatted both ways."""
    cases = []
    for query in (["X-2", {"preset": "meta-llama/Meta-Llama-3-8B", "T_eval": "32000"}],
                  ["X-1", {"N_params": "8B"}], ["X-3", {"USD_budget": "5000"}], ["E-1", {"n": "16", "c": "4"}],
                  ["S-2", {"preset": "meta-llama/Meta-Llama-3-8B"}], ["X-5", {"preset": "Qwen/Qwen2.5-7B"}]):
        result = json.loads(taf.run_recipe_json(query[0], json.dumps(query[1])))
        for step in result["chain"]:
            if isinstance(step["result"], (int, float)) and not isinstance(step["result"], bool):
                cases.append({"value": step["result"], "unit": step.get("unit") or ""})
            for value in (step.get("inputs") or {}).values():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    cases.append({"value": value, "unit": ""})
    assert len(cases) > 60
    ctx, watch = make_context()
    page = ctx.new_page()
    page.goto(server)
    page.wait_for_selector("#landing .card")
    got = page.evaluate("(cases) => cases.map((c) => window.tafPage.format(c.value, c.unit))", cases)
    wrong = [(c, g, format_value(c["value"], c["unit"])) for c, g in zip(cases, got)
             if g != format_value(c["value"], c["unit"])]
    assert not wrong, wrong
