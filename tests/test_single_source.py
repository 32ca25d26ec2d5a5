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
    assert build_site.page_query is taf.links.page_query  # the links the build writes = the links Python reads
    state = {"view": "compare", "recipe": "X-5", "models": ["a/b", "c d"], "params": {"T_eval": "32k"}}
    assert taf.links.page_query(state) == "?view=compare&r=X-5&m=a/b&m=c%20d&T_eval=32k"
    assert taf.links.read_link(taf.links.page_query({"view": "profile", "preset": "Qwen/Qwen2.5-7B"}))["query"] == (
        "?view=profile&preset=Qwen/Qwen2.5-7B"
    )


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


# ── 3. number formatting ────────────────────────────────────────────────────
NUMERIC_SPEC = re.compile(r"[,.]?\.?\d*[efgn%]$|,$|,\.\d+[efg]?$")


def _numeric_specs(node: ast.AST) -> list[str]:
    specs = []
    for n in ast.walk(node):
        if isinstance(n, ast.FormattedValue) and n.format_spec is not None:
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in n.format_spec.values)
            if NUMERIC_SPEC.search(text):
                specs.append(text)
    return specs


def _is_text(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return True
    if isinstance(node, ast.IfExp):
        return _is_text(node.body) and _is_text(node.orelse)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_text(node.left) and _is_text(node.right)
    return False


def _words(node: ast.AST) -> int:
    """Characters of constant text in a returned expression beside its format specs (a unit, or prose)."""
    text = sum(len(n.value) for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str))
    return text - sum(map(len, _numeric_specs(node)))


def number_formatters(tree: ast.AST) -> list[tuple[int, str]]:
    """Small functions (≤ 4 statements) that return a number with a format spec and at most a unit
    (≤ 16 characters of text beside it): a local number formatter. Prose that quotes a number is not one."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        body = [b for b in node.body if not (isinstance(b, ast.Expr) and isinstance(b.value, ast.Constant))]
        returns = [n.value for n in ast.walk(node) if isinstance(n, ast.Return) and n.value is not None]
        if (
            len(body) <= 4
            and returns
            and all(_is_text(r) for r in returns)
            and any(_numeric_specs(r) for r in returns)
            and all(_words(r) <= 16 for r in returns)
        ):
            found.append((node.lineno, node.name))
    return found


def test_the_rule_finds_the_formatters_it_replaced():
    old = '''
def si(x, digits=3):
    if x is None:
        return "not defined"
    return f"{x:.{digits}g}"
def _pct(x):
    return f"{x * 100:.2f} %"
def gb(n):
    return f"{n / 1e9:,.2f} GB" if n >= 1e9 else f"{n / 1e6:,.1f} MB"
def label(i, names):
    return f"prompt {i} ({names[i - 1]})"
'''
    assert [name for _, name in number_formatters(ast.parse(old))] == ["si", "_pct", "gb"]


def test_numbers_are_formatted_only_in_textfmt():
    found = []
    for path in sorted(TAF.rglob("*.py")):
        if path.name == "textfmt.py":
            continue
        for line, name in number_formatters(ast.parse(path.read_text(encoding="utf-8"))):
            found.append(f"{path.relative_to(ROOT)}:{line} {name}")
    assert not found, "number formatters outside taf/textfmt.py: " + ", ".join(found)


def test_the_prose_forms():
    from taf import textfmt as t

    assert t.format_si(5.1675e9) == "5.17B" and t.format_si(8e9) == "8B" and t.format_si(None) == "not defined"
    assert t.format_si(2.5e15) == "2.5e15" and t.format_scientific(7.68e21) == "7.68e21"
    assert t.format_scientific(9.996e20) == "1e21"
    assert t.format_usd(11984.4) == "$11,984" and t.format_usd(3.316) == "$3.32" and t.format_usd(0.01234) == "$0.0123"
    assert t.format_plain(1e6) == "1,000,000" and t.format_fixed(4085.5) == "4,085.5"
    assert t.format_ratio(0.96768) == "0.97" and t.format_ratio(1234.5) == "1,234"
    assert t.format_decimals(1.0809123) == "1.08091" and t.format_sig4(20.5) == "20.5" and t.format_sig4(12345.6) == "12,346"
    assert t.format_percent(0.1072) == "10.72 %" and t.format_ms(0.01234) == "12.34 ms"
    assert t.format_gb(16e9) == "16.00 GB" and t.format_gib(2**34) == "16.00 GiB"
    assert t.format_gb_or_mb(536_870_912) == "536.9 MB" and t.format_gb_or_mb(1_073_741_824) == "1.07 GB"
    assert t.format_billions(8_030_261_248) == "8.03 B" and t.format_billions(124_439_808) == "124.4 M"
    assert t.format_kib(131072) == "128 KiB" and t.format_kib(512) == "512 bytes" and t.format_kib(1536 + 51) == "1.5 KiB"
    assert t.format_bound(32000) == "32,000" and t.format_bound(1e-9) == "1e-09" and t.format_bound(2.5) == "2.5"


# ── 2. which value wins ─────────────────────────────────────────────────────
def test_the_precedence_table():
    """typed > the model's (preset or config.json) > default; blank counts as not given; a model that does
    not state a value (None) falls through; nothing for a required parameter is None (missing)."""
    from taf.params import Param
    from taf.registry import VALUE_SOURCES, resolve_declared, value_source

    theta = Param("theta", "float", "θ", min=1, preset_key="theta")
    bpe = Param("bytes_per_element", "float", "B", default=2.0, preset_key="bytes_per_element")
    plain = Param("T_eval", "int", "T", default=4096)
    row = {"theta": 500000.0, "bytes_per_element": None}
    table = [
        # (param, params, model row, source, resolved value)
        (theta, {"theta": "10k"}, row, "typed", 10000.0),
        (theta, {"theta": ""}, row, "model", 500000.0),
        (theta, {"theta": None}, row, "model", 500000.0),
        (theta, {}, row, "model", 500000.0),
        (theta, {}, None, None, None),
        (theta, {}, {"theta": None}, None, None),
        (bpe, {}, row, "default", 2.0),
        (bpe, {"bytes_per_element": "1"}, row, "typed", 1.0),
        (bpe, {}, {"bytes_per_element": 1}, "model", 1.0),
        (plain, {}, {"T_eval": 8}, "default", 4096),  # no preset_key: a model never fills it
        (plain, {"T_eval": " 8k "}, None, "typed", 8000),
    ]
    assert VALUE_SOURCES == ("typed", "model", "default")
    for p, params, model_row, source, value in table:
        assert value_source(p, params, model_row) == source, (p.name, params, model_row)
        if source is not None:
            assert resolve_declared([p], params, model_row) == {p.name: value}


def test_the_page_echo_is_pythons_answer():
    """The echo beside each field (value + where it came from) is computed by taf, for each view."""
    import json

    from taf.registry import input_echo
    from taf.request_key import worker_call

    def echo(state):
        fn, recipe, args = worker_call(state)
        if fn == "run":
            text = taf.run_recipe_json(recipe, args)
        elif fn == "profile":
            text = taf.profile_model_json(args)
        else:
            text = taf.compare_models_json(args)
        return input_echo(fn, recipe, args, text)

    llama = "meta-llama/Meta-Llama-3-8B"
    got = echo({"view": "recipe", "recipe": "X-2", "preset": llama, "params": {"T_eval": "32k", "theta": ""}})
    assert got["theta"] == {"value": 500000.0, "from": "preset"}
    assert got["T_eval"] == {"value": 32000, "from": "typed"}
    assert got["bytes_per_element"] == {"value": 2.0, "from": "default"}
    assert got["gamma_obs"] == {"value": None, "from": "default"}
    config = (CONFIGS / "llama-3-8b.json").read_text(encoding="utf-8")
    got = echo({"view": "profile", "params": {"n_layers": "30", "config": config}})
    assert got["theta"] == {"value": 500000.0, "from": "config.json"}
    assert got["n_layers"] == {"value": 30, "from": "typed"}
    assert got["T_eval"] == {"value": 8192, "from": "default"}  # X-2's T_eval defaults to T_train
    got = echo({"view": "compare", "recipe": "X-2", "models": [llama, "Qwen/Qwen2.5-7B"], "params": {"T_eval": "16k"}})
    assert got["T_eval"] == {"value": 16000, "from": "typed"}
    assert got["theta"] == {"value": None, "from": "per model"}
    # an error result echoes nothing; bad input never raises
    assert echo({"view": "recipe", "recipe": "X-2", "params": {}}) == {}
    assert input_echo("run", "X-99", "{", "not json") == {}
    assert json.loads(taf.registry.input_echo_json("run", "X-2", "{}", "[]")) == {}


def test_no_precedence_decided_in_the_page():
    """web/*.js never chooses between typed, preset, config.json and default: it renders Python's ``from``."""
    for path in JS_SOURCES:
        text = path.read_text(encoding="utf-8")
        assert "presetKey && st" not in text and "st.params.config ?" not in text, path.name
        assert "profileValues" not in text, path.name


def test_the_blank_field_says_what_the_precedence_gives():
    from taf.params import Param
    from taf.recipes import load_recipe
    from taf.registry import blank_field_text

    x2 = load_recipe("X-2")
    assert blank_field_text(x2.param("theta")) == "from preset"
    assert blank_field_text(x2.param("has_SWA")) == "preset, else no"
    assert blank_field_text(x2.param("T_eval")) == "= T_train"
    assert blank_field_text(x2.param("gamma_obs")) == "optional"
    assert blank_field_text(x2.param("bytes_per_element")) == "2"
    assert blank_field_text(Param("n", "int", "samples")) == "required"
    assert blank_field_text(Param("T", "int", "tokens", default=500000)) == "500,000"


# ── 5. no history words in developer text either ────────────────────────────
HISTORY = re.compile(r"\b[Tt]he seed(?!s)\b|\b[Ss]eed 0\d\d\b|\b[Ss]eed:|\bthe challenge\b|shared/seeds|\bSEED_|\bseed_(?!s)")


def test_no_history_words_in_the_package_source():
    """Docstrings, comments and names say what a number's provenance is (a reference key of
    taf/references.py: the TAF framework, the TAF Agent module, floor_oracle, a pull request …),
    never "the seed" or "the challenge". (R-1's random seeds are seeds.)"""
    found = []
    for path in sorted(TAF.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if HISTORY.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not found, "\n".join(found)


def test_profiles_parameters_are_one_union():
    """What Profile takes (every recipe's parameters, first declaration wins) is registry.profile_declared,
    read by Profile, its link reader, its echo and its input notes — never rebuilt."""
    from taf.registry import profile_declared

    declared = profile_declared()
    assert list(declared)[:3] == [p.name for p in all_recipes()[0].params][:3]
    assert {p.name for r in all_recipes() for p in r.params} == set(declared)
    rebuilt = [
        f"{path.relative_to(ROOT)}"
        for path in sorted(TAF.rglob("*.py"))
        if "setdefault(p.name, p)" in path.read_text(encoding="utf-8")
    ]
    assert rebuilt == ["taf/registry.py"], rebuilt


def test_every_pasted_file_parameter_stays_out_of_the_query():
    """A parameter whose widget takes a pasted file (config.json) travels only in a link's fragment."""
    from taf.links import PRIVATE_LINK_MAX, PRIVATE_PARAMS, page_query
    from taf.registry import get_recipe, list_recipes

    file_params = {
        p.name for r in list_recipes() for p in get_recipe(r["id"]).params if p.widget == "json"
    }
    assert file_params and file_params <= set(PRIVATE_PARAMS)
    config = '{"model_type": "llama"}'
    state = {"view": "model", "params": {"config": config, "T_eval": "8K"}}
    assert page_query(state) == "?view=model&T_eval=8K#config=%7B%22model_type%22:%20%22llama%22%7D"
    too_long = {"view": "model", "params": {"config": "x" * (PRIVATE_LINK_MAX + 1)}}
    assert page_query(too_long) == "?view=model"
