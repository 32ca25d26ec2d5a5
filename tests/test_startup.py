"""What `import taf` loads, and registry.warm_up: the page's Python worker (Pyodide) compiles every
module from source on import, so start-up cost is the code imported (see bench/ and web/worker.js)."""
from __future__ import annotations

import json
import subprocess
import sys

import taf
from taf.recipes import RECIPE_IDS, RECIPE_MODULES, all_recipes, load_recipe


def _modules_after(code: str) -> list[str]:
    """The taf.* modules (and dataclasses / decimal) loaded after running ``code`` in a fresh interpreter."""
    script = code + "\nimport sys, json; print(json.dumps(sorted(m for m in sys.modules if m.startswith('taf')" \
                    " or m in ('decimal', 'dataclasses'))))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_taf_loads_no_recipe_module():
    loaded = _modules_after("import taf")
    assert not [m for m in loaded if m.startswith("taf.recipes.") and m != "taf.recipes.base"]
    assert not [m for m in loaded if m.startswith(("taf.formulas.", "taf.modelconfig", "taf.profile"))]
    assert "decimal" not in loaded


def test_running_a_recipe_loads_only_that_recipe():
    loaded = _modules_after("import taf; taf.run_recipe('X-2', preset='meta-llama/Meta-Llama-3-8B')")
    recipe_modules = {f"taf.recipes.{module}" for _, module in RECIPE_MODULES}
    recipes = [m for m in loaded if m in recipe_modules]
    assert recipes == ["taf.recipes.x2_long_context"]


def test_warm_up_imports_what_it_is_asked_for():
    loaded = _modules_after("import taf.registry as r; print(r.warm_up('{\"recipes\": [\"X-19\", \"P-1\"]}'))")
    recipe_modules = {f"taf.recipes.{module}" for _, module in RECIPE_MODULES}
    recipes = sorted(m for m in loaded if m in recipe_modules)
    assert recipes == ["taf.recipes.p1_parity_gate", "taf.recipes.x19_kv_compression"]
    loaded = _modules_after("import taf.registry as r; r.warm_up('{\"profile\": true, \"config\": true}')")
    assert {f"taf.recipes.{module}" for _, module in RECIPE_MODULES} <= set(loaded)
    assert "taf.profile" in loaded and "taf.modelconfig" in loaded


def test_warm_up_returns_the_ids_and_ignores_junk():
    from taf.registry import warm_up
    assert warm_up(json.dumps({"recipes": ["X-2", "nope", 5, None]})) == ["X-2"]
    assert warm_up(json.dumps({"compare": True, "recipes": ["X-5"]})) == ["X-5"]
    assert warm_up(json.dumps({"profile": True})) == list(RECIPE_IDS)
    for junk in ("", "[1", "[]", "null", "{\"recipes\": 3}", None, 7):
        assert warm_up(junk) == []


def test_registry_table_matches_the_modules():
    assert [r.id for r in all_recipes()] == list(RECIPE_IDS)
    assert [r["id"] for r in taf.list_recipes()] == list(RECIPE_IDS)
    assert load_recipe("X-2") is taf.registry.get_recipe(" x-2 ")
