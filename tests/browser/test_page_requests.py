"""The page builds every request and cache key exactly as Python does (taf/request_key.py): web/app.js
``buildRequest``/``requestKey`` and web/boot.js ``groupKey``/``callTarget`` are checked on the golden
cases Python emits (tests/fixtures/request_golden.json), and on the keys of the pre-computed results
the build wrote (the page finds a pre-computed result only under Python's key)."""
from __future__ import annotations

import json

from taf.request_key import golden_cases

from .conftest import ROOT

GOLDEN = json.loads((ROOT / "tests" / "fixtures" / "request_golden.json").read_text(encoding="utf-8"))


def test_the_golden_file_is_current():
    assert GOLDEN == golden_cases()


def test_the_page_builds_the_golden_requests(make_context, server):
    ctx, watch = make_context()
    page = ctx.new_page()
    page.goto(server)
    page.wait_for_selector("#landing .card")
    assert len(GOLDEN) >= 15
    got = page.evaluate("(cases) => cases.map((c) => window.tafPage.request(c.state))", GOLDEN)
    want = [{k: c[k] for k in ("fn", "recipe", "args", "key", "echo_key", "group")} for c in GOLDEN]
    wrong = [(w, g) for w, g in zip(want, got) if w != g]
    assert not wrong, wrong


def test_a_preset_link_finds_its_precomputed_result_under_pythons_key(make_context, server):
    """The page shows a pre-computed result only when its key is the one Python wrote in the file."""
    ctx, watch = make_context()
    page = ctx.new_page()
    page.goto(server + "?r=X-2&preset=meta-llama/Meta-Llama-3-8B")
    page.wait_for_selector("#result[data-source]")
    assert page.get_attribute("#result", "data-source") == "precomputed"
    assert page.get_attribute("#result", "data-key") == (
        'run X-2 {"preset":"meta-llama/Meta-Llama-3-8B"}'
    )


#: link states beyond the request golden's: every character class a query value can hold
LINK_STATES = [
    {"view": "recipe", "recipe": "X-2", "params": {"T_eval": "32 000 tokens & more = 1+1 %20 #x ?y"}},
    {"view": "recipe", "recipe": "S-1", "params": {"model": "org/name,v2:β", "gpu": "RTX 4090 ✓ 🚀"}},
    {"view": "compare", "recipe": "X-5", "models": ["Qwen/Qwen3-8B", "google/gemma-3-27b-it"], "params": {}},
    {"view": "profile", "preset": "mistralai/Mistral-7B-v0.1", "params": {"T_eval": "8K"}},
    {"view": "model", "preset": "Qwen/Qwen3-30B-A3B", "params": {}},
    {"view": "recipe", "recipe": "R-1", "params": {"run_bpb": "1.08035,1.08097", "note": "'quotes' \"and\" (parens) *~!"}},
]


def test_the_page_writes_links_as_python_does(make_context, server):
    """web/app.js ``stateToQuery`` writes every link query exactly as ``taf.links.page_query``."""
    from taf.links import page_query

    states = [c["state"] for c in GOLDEN] + LINK_STATES
    ctx, watch = make_context()
    page = ctx.new_page()
    page.goto(server)
    page.wait_for_selector("#landing .card")
    got = page.evaluate("(states) => states.map((s) => window.tafPage.linkQuery(s))", states)
    want = [page_query(s) for s in states]
    wrong = [(s, w, g) for s, w, g in zip(states, want, got) if w != g]
    assert not wrong, wrong
