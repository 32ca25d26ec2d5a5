"""CPython ↔ Pyodide parity: the same call gives the same JSON text in both (SPEC §3, §8).

Every recipe × (no preset + every preset), stress inputs, error cases, every Profile, Compare,
and every pre-computed result shipped with the site are computed inside Pyodide (in the page's
worker booted from the build's memory snapshot, one batch per group) and by this CPython; the
texts must be identical, byte for byte.
"""
from __future__ import annotations

import gzip
import json

import pytest
import taf

from .conftest import BOOT_TIMEOUT_MS, Watch, build_site, wait_ready

RECIPES = taf.list_recipes()
PRESETS = [p["id"] for p in taf.list_presets()]


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@pytest.fixture(scope="module")
def py_page(browser, server):
    ctx = browser.new_context()
    watch = Watch(server)
    ctx.on("request", lambda r: watch.requests.append(r.url))
    page = watch.attach(ctx.new_page())
    page.goto(server)
    wait_ready(page, timeout=BOOT_TIMEOUT_MS)
    # the interpreter compared here is the one the page uses: booted from the build's memory snapshot
    ready = page.evaluate("() => window.tafPage.statusLog.find((s) => s.state === 'ready')")
    assert ready["snapshot"] is True and ready["note"] is None, ready
    yield page
    ctx.close()
    watch.check()


def _reject(name):
    raise AssertionError(f"non-strict JSON constant {name}")


def check(page, calls: list[dict]) -> int:
    """Run ``calls`` in Pyodide (one batch) and in CPython; assert identical texts."""
    browser_texts = page.evaluate("(calls) => window.tafPage.batch(calls)", calls)
    assert len(browser_texts) == len(calls)
    for call, text in zip(calls, browser_texts):
        expected = build_site.call_taf(taf, call["fn"], call["recipe"], call["args"])
        assert text == expected, f"{call}: Pyodide and CPython differ"
        json.loads(text, parse_constant=_reject)  # strict JSON: no NaN / Infinity
    return len(calls)


def recipe_calls(recipe: dict) -> list[dict]:
    rid = recipe["id"]
    names = [p["name"] for p in recipe["params"]]
    cases: list[dict] = [{}]
    if any("preset_key" in p for p in recipe["params"]):
        cases += [{"preset": p} for p in PRESETS]
        if "T_eval" in names:  # stress: ten million tokens
            cases += [{"preset": p, "T_eval": "10000000"} for p in PRESETS[:4]]
            cases.append({"preset": PRESETS[3], "T_eval": "1e7", "bytes_per_element": "1"} if "bytes_per_element" in names
                         else {"preset": PRESETS[3], "T_eval": "1e7"})
    numeric = [p["name"] for p in recipe["params"] if p["type"] in ("int", "float")]
    # error cases: every code a form can produce
    cases.append({"no_such_param": "1"})
    if numeric:
        cases += [{numeric[0]: "nan"}, {numeric[0]: "-1e400"}, {numeric[0]: "12q"}, {numeric[0]: "1e999"}]
    choice = [p for p in recipe["params"] if p["type"] == "choice"]
    if choice:
        cases.append({choice[0]["name"]: choice[0]["choices"][0].lower() + "x"})
    cases.append({"preset": "no/such-model"})
    calls = [{"fn": "run", "recipe": rid, "args": dumps(c)} for c in cases]
    calls += [{"fn": "run", "recipe": rid, "args": text} for text in ("", "{", "[1]", "null", '{"a": NaN}')]
    if any("preset_key" in p for p in recipe["params"]):
        for i in range(0, len(PRESETS), 6):
            models = [{"preset": p} for p in PRESETS[i:i + 6]]
            if len(models) >= 2:
                calls.append({"fn": "compare", "recipe": rid,
                              "args": dumps({"recipe_id": rid, "models": models, "shared_params": {}})})
        calls.append({"fn": "compare", "recipe": rid,
                      "args": dumps({"recipe_id": rid, "models": [{"preset": PRESETS[0]}], "shared_params": {}})})
    return calls


@pytest.mark.parametrize("recipe", RECIPES, ids=[r["id"] for r in RECIPES])
def test_recipe_parity(py_page, recipe):
    assert check(py_page, recipe_calls(recipe)) >= 6


def test_profile_parity(py_page):
    calls = [{"fn": "profile", "recipe": "-", "args": dumps({"preset": p})} for p in PRESETS]
    calls += [{"fn": "profile", "recipe": "-", "args": dumps({"preset": p, "T_eval": "10000000"})} for p in PRESETS[:3]]
    calls += [{"fn": "profile", "recipe": "-", "args": a} for a in ("{}", '{"T_evl": 3}', '{"preset": "x"}', "[")]
    assert check(py_page, calls) == len(PRESETS) + 7


def test_unknown_recipe_and_bad_requests(py_page):
    calls = [{"fn": "run", "recipe": rid, "args": "{}"} for rid in ("X-99", "x-2", "", "M1")]
    calls += [{"fn": "compare", "recipe": "-", "args": a} for a in
              ("{}", '{"recipe_id": "X-99", "models": []}', '{"models": "abc"}', '{"models": [1, 2]}')]
    assert check(py_page, calls) == 8


def test_every_precomputed_result_is_what_pyodide_computes(py_page, site):
    """The pre-rendered JSON shipped with the site equals the worker's output, byte for byte."""
    out, summary = site
    total = 0
    for path in sorted((out / "precomputed").glob("*.txt.gz")):
        lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
        calls, shipped, results = [], [], {}
        for line in lines:
            key, text = line.split("\t", 1)
            if key.startswith("echo "):  # a result's form echo: what Pyodide's echo call answers for it
                fn, recipe, args = key.removeprefix("echo ").split(" ", 2)
                request = json.dumps([fn, recipe, args, results[key.removeprefix("echo ")]])
                calls.append({"fn": "echo", "recipe": "-", "args": request})
                shipped.append(text)
                continue
            fn, recipe, args = key.split(" ", 2)
            calls.append({"fn": fn, "recipe": recipe, "args": args})
            shipped.append(text)
            results[key] = text
            total += 1
        browser_texts = py_page.evaluate("(calls) => window.tafPage.batch(calls)", calls)
        assert browser_texts == shipped, f"{path.name}: pre-computed results differ from Pyodide's"
    assert total == summary["precomputed_results"] > 0


# ── hostile input (issue 16): the same answer in Pyodide and CPython, never a crashed interpreter ──
def hostile_calls() -> list[dict]:
    """Hostile requests as JSON text (surrogates as \\ud800 escapes, so both sides build them alike)."""
    deep = "[" * 3000 + "]" * 3000
    calls = []
    for recipe in RECIPES:
        rid = recipe["id"]
        params = recipe["params"]
        base = '"preset": "%s", ' % PRESETS[3] if any("preset_key" in p for p in params) else ""
        texts = ['{%s"\\ud800": 1}' % base, '{%s"x": %s}' % (base, deep), '{%s"x": 1%s}' % (base, "0" * 5000),
                 '{%s"x": %s}' % (base, '{"a": ' * 40 + "1" + "}" * 40)]
        for p in params:
            name = p["name"]
            values = ['"\\ud800"', '"1\\udfff"', json.dumps(deep), "1" + "0" * 5000, "-1" + "0" * 1200,
                      '"１２"', '"1_000"', '"0x10"', '"∞"', '"nan"', '"1e999"', '"-0"', '"<script>"', '"\\"; rm"',
                      '"5,000"', '"5 000"', '"$5,000"', '"8k tokens"', '"24GB"', '"80GiB"', '"1,5"', '"5,00"',
                      "[[1]]", "{}", "true", "null"]
            texts += ['{%s"%s": %s}' % (base, name, v) for v in values]
        calls += [{"fn": "run", "recipe": rid, "args": t} for t in texts]
    calls += [{"fn": "run", "recipe": "M-1", "args": json.dumps({"config": c})} for c in
              ("{" * 3000, "[" * 3000 + "]" * 3000, '{"model_type": "llama", "_name_or_path": "x\\ud800"}',
               '{"hidden_size": 1' + "0" * 5000 + "}", '{"hidden_size": 1e999}')]
    calls += [{"fn": "run", "recipe": "M-1", "args": '{"config": "x\\ud800"}'}]
    calls += [{"fn": "run", "recipe": rid, "args": "{}"} for rid in ("X-99<script>", "X-2" * 5000)]
    calls += [{"fn": "profile", "recipe": "-", "args": a} for a in
              ('{"preset": "%s", "T_eval": %s}' % (PRESETS[3], deep), '{"preset": "\\ud800"}',
               '{"preset": "%s", "T_eval": 1%s}' % (PRESETS[3], "0" * 5000), deep)]
    calls += [{"fn": "compare", "recipe": "X-2", "args": a} for a in
              ('{"recipe_id": "X-2", "models": [{"preset": "%s"}, {"preset": "%s", "label": "\\ud800"}], '
               '"shared_params": {"bogus": %s}}' % (PRESETS[0], PRESETS[1], "9" * 4000),
               '{"recipe_id": "X-2", "models": %s}' % deep)]
    return calls


def test_hostile_input_parity(py_page):
    calls = hostile_calls()
    for start in range(0, len(calls), 200):
        check(py_page, calls[start:start + 200])
    # the interpreter survived all of it: an ordinary request still answers
    assert check(py_page, [{"fn": "run", "recipe": "X-2", "args": dumps({"preset": PRESETS[3]})}]) == 1
    for text in py_page.evaluate("(calls) => window.tafPage.batch(calls)", calls[:50]):
        text.encode("utf-8")
