"""Input as people type it (issue 15), on the page: the one Python parser reads "5,000", "$5,000",
"5 000", "8K" and "24GB" to exact values, the page computes the same result as the exact number does,
and the echo shows the value read (with the k = 1,000 rule for "8K"); what is ambiguous stays an error.
"""
from __future__ import annotations

import json

import taf

from .conftest import result_key, wait_new_result, wait_ready, wait_until

LLAMA = "meta-llama/Meta-Llama-3-8B"


def run_json(recipe, params: dict) -> str:
    return taf.run_recipe_json(recipe, json.dumps(params, ensure_ascii=False, separators=(",", ":")))


def field(page, form: str, name: str):
    return page.locator(f'fieldset[data-form="{form}"] .field[data-param="{name}"]')


def type_and_wait(page, form: str, name: str, text: str):
    before = result_key(page)
    box = field(page, form, name)
    box.locator("input").fill(text)
    wait_new_result(page, before)
    return box


def open_ready(make_context, server, query):
    ctx, watch = make_context()
    page = ctx.new_page()
    page.goto(server + query)
    wait_ready(page)
    return page


def test_casual_numbers_read_to_exact_values(make_context, server):
    page = open_ready(make_context, server, "?r=X-3&USD_budget=1000")
    exact = run_json("X-3", {"USD_budget": 5000})
    assert exact != run_json("X-3", {"USD_budget": 1000})
    for typed in ("5,000", "$5,000", "5 000", "5\u202f000"):
        box = type_and_wait(page, "X-3", "USD_budget", typed)
        assert page.evaluate("() => window.tafPage.lastText()") == exact, typed
        assert "5,000" in box.locator("output").text_content(), typed
        assert not box.locator(".err").is_visible(), typed
    # ambiguous: a decimal comma or a thousands comma? refused, with the reason, beside the field
    box = type_and_wait(page, "X-3", "USD_budget", "1,5")
    expected = json.loads(run_json("X-3", {"USD_budget": "1,5"}))["error"]
    assert expected["param"] == "USD_budget"
    assert box.locator(".err").is_visible()
    assert box.locator(".err").text_content() == expected["message"]


def test_suffixes_and_units_read_exactly_and_echo_their_rule(make_context, server):
    page = open_ready(make_context, server, f"?r=X-2&preset={LLAMA}&T_eval=4000")
    box = type_and_wait(page, "X-2", "T_eval", "8K")
    assert page.evaluate("() => window.tafPage.lastText()") == run_json("X-2", {"preset": LLAMA, "T_eval": 8000})
    # the echo shows the value read and the k = 1,000 rule, as Python's parser states it
    wait_until(page, "() => document.querySelector('fieldset[data-form=\"X-2\"] .field[data-param=\"T_eval\"] "
                     "output').textContent === '= 8,000 tokens (K = 1,000; write 8192 for 2¹³)'")
    assert box.locator("output").text_content() == "= 8,000 tokens (K = 1,000; write 8192 for 2¹³)"
    custom = {"model": LLAMA, "gpu": "custom", "gpu_memory_GB": 20, "gpu_bandwidth_GB_s": 1000, "gpu_tflops": 100}
    query = "?r=S-1&" + "&".join(f"{k}={v}" for k, v in custom.items())
    page = open_ready(make_context, server, query)
    type_and_wait(page, "S-1", "gpu_memory_GB", "24GB")
    assert page.evaluate("() => window.tafPage.lastText()") == run_json("S-1", {**custom, "gpu_memory_GB": 24})
    # a unit of another kind names the expected unit
    box = type_and_wait(page, "S-1", "gpu_memory_GB", "24 tokens")
    expected = json.loads(run_json("S-1", {**custom, "gpu_memory_GB": "24 tokens"}))["error"]
    assert box.locator(".err").text_content() == expected["message"]
    assert "GB" in expected["message"]
