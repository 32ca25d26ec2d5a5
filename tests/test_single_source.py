"""Facts that live once (issue 10): each test fails if the fact is written a second time.

* the architecture field list: ``taf.data.presets.ArchParams`` (``ARCH_FIELDS``);
* which value wins: ``taf.registry.resolve_declared`` / ``value_origins``;
* number formatting: ``taf.textfmt`` (no local formatters elsewhere in ``taf/``);
* request keys: ``taf.requests`` (the page's JS is checked against its golden cases in
  tests/browser/test_page_requests.py).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import taf
from taf.data.presets import ARCH_FIELDS, ArchParams
from taf.model.catalog import record_for
from taf.modelconfig import analyze
from taf.profile import PROFILE_EXTRA_PARAMS, profile_params
from taf.recipes import all_recipes

ROOT = Path(__file__).resolve().parent.parent
TAF = ROOT / "taf"
PY_SOURCES = sorted(TAF.rglob("*.py")) + sorted((ROOT / "scripts").glob("*.py"))
JS_SOURCES = sorted((ROOT / "web").glob("*.js")) + sorted((ROOT / "web").glob("*.j2"))
CONFIGS = ROOT / "tests" / "fixtures" / "configs"


# ── 1. the architecture field list ──────────────────────────────────────────
def test_the_field_list_is_the_named_tuple():
    assert ARCH_FIELDS == ArchParams._fields
    assert ARCH_FIELDS == (
        "theta", "T_train", "n_attention_heads", "n_kv_heads", "d_head", "n_layers", "n_params", "has_SWA",
    )


def test_every_builder_of_an_architecture_row_follows_it():
    record = record_for("meta-llama/Meta-Llama-3-8B")
    assert tuple(record.to_preset()) == ARCH_FIELDS
    assert record.to_preset()["n_params"] == 8_030_261_248
    analysis = analyze((CONFIGS / "llama-3-8b.json").read_text(encoding="utf-8"))
    assert tuple(analysis.preset()) == ARCH_FIELDS
    assert tuple(taf.get_preset("Qwen/Qwen2.5-7B")) == ARCH_FIELDS
    assert tuple(taf.preset_from_config((CONFIGS / "llama-3-8b.json").read_text(encoding="utf-8"))) == ARCH_FIELDS


def test_the_profile_form_is_derived_from_it():
    names = [p.name for p in profile_params()]
    assert names == list(ARCH_FIELDS) + list(PROFILE_EXTRA_PARAMS)
    assert [p.preset_key for p in profile_params()[: len(ARCH_FIELDS)]] == list(ARCH_FIELDS)


def test_every_preset_key_of_a_recipe_is_an_architecture_field_or_the_model_id():
    keys = {p.preset_key for r in all_recipes() for p in r.params if p.preset_key is not None}
    assert keys - set(ARCH_FIELDS) == {"id"}  # S-1 / S-2 / T-1 take the catalog model itself


def _string_collections(tree: ast.AST):
    """Every tuple/list/set literal of strings and every dict literal with string keys, as sets of strings."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            yield node, {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
        elif isinstance(node, ast.Dict):
            yield node, {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "dict":
            yield node, {k.arg for k in node.keywords if k.arg}


def test_no_second_copy_of_the_field_list_anywhere():
    """No literal in taf/ or scripts/ is a list of architecture fields (six or more of them, making up
    three quarters of it or more); summaries that mix a few of them with other keys are not copies."""
    copies = []
    for path in PY_SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, strings in _string_collections(tree):
            named = strings & set(ARCH_FIELDS)
            if len(named) >= 6 and 4 * len(named) >= 3 * len(strings):
                copies.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not copies, copies
    for path in JS_SOURCES:
        text = path.read_text(encoding="utf-8")
        named = {f for f in ARCH_FIELDS if re.search(rf"['\"`]{f}['\"`]", text)}
        assert len(named) < 2, f"{path.relative_to(ROOT)} names architecture fields {sorted(named)}"


# ── 4. request keys ─────────────────────────────────────────────────────────
REQUEST_GOLDEN = ROOT / "tests" / "fixtures" / "request_golden.json"


def test_the_request_golden_file_is_what_python_emits():
    """tests/fixtures/request_golden.json is emitted by Python; regenerate with
    python3 -c "import json,taf.request_key as t; print(json.dumps(t.golden_cases(), ensure_ascii=False, indent=1))"
    > tests/fixtures/request_golden.json"""
    import json

    from taf.request_key import golden_cases

    assert json.loads(REQUEST_GOLDEN.read_text(encoding="utf-8")) == golden_cases()


def test_request_keys_by_hand():
    from taf.request_key import group_key, request_key, state_key, worker_call

    state = {"view": "recipe", "recipe": "X-2", "preset": "meta-llama/Meta-Llama-3-8B", "params": {"T_eval": "32k"}}
    assert worker_call(state) == ("run", "X-2", '{"preset":"meta-llama/Meta-Llama-3-8B","T_eval":"32k"}')
    assert state_key(state) == 'run X-2 {"preset":"meta-llama/Meta-Llama-3-8B","T_eval":"32k"}'
    assert request_key("profile", "-", "{}") == "profile - {}"
    assert group_key("compare", "X-5") == "compare X-5"
    # the Model view runs M-1 whatever recipe the state names; Compare ignores a preset
    assert worker_call({"view": "model", "recipe": "X-2", "preset": "p", "params": {"config": "{}"}}) == (
        "run", "M-1", '{"config":"{}"}')
    assert worker_call({"view": "compare", "recipe": "X-2", "preset": "p", "models": ["a", "b"], "params": {}}) == (
        "compare", "X-2", '{"recipe_id":"X-2","models":[{"preset":"a"},{"preset":"b"}],"shared_params":{}}')
    # JSON.stringify keeps non-ASCII and escapes control characters
    assert worker_call({"view": "profile", "params": {"x": "γ\t\x01"}})[2] == '{"x":"γ\\t\\u0001"}'


def test_build_site_and_links_use_the_engines_requests():
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import build_site

    import taf.links
    import taf.request_key

    assert build_site.worker_call is taf.request_key.worker_call
    assert build_site.request_key is taf.request_key.request_key
    assert build_site.MODEL_RECIPE is taf.request_key.MODEL_RECIPE is taf.links.MODEL_RECIPE
    assert build_site.RESERVED_KEYS is taf.links.RESERVED_KEYS


def test_no_hand_built_key_in_the_page_or_the_build():
    """The key formats are written once in Python and once in web/boot.js (checked by the golden test)."""
    js_key = re.compile(r"`\$\{[^}]*fn\}\s\$\{")
    for path in JS_SOURCES:
        hits = js_key.findall(path.read_text(encoding="utf-8"))
        assert len(hits) == (2 if path.name == "boot.js" else 0), (path.name, hits)
    py_key = re.compile(r"f[\"']\{fn\} \{")
    for path in PY_SOURCES:
        hits = py_key.findall(path.read_text(encoding="utf-8"))
        assert len(hits) == (2 if path.name == "request_key.py" else 0), (path.name, hits)
