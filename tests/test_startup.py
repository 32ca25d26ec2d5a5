"""What `import taf` loads. Recipe modules load on first use: the command line pays only for the
recipe it runs (importing every recipe, Profile and the config.json reader up front cost 0.5–1.7 s
more per `taf` command on the 2-core test machine). The page's worker is not affected either way:
it boots from a memory snapshot holding every module (scripts/make_snapshot.mjs)."""
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


def test_running_a_recipe_loads_only_that_recipe():
    loaded = _modules_after("import taf; taf.run_recipe('X-2', preset='meta-llama/Meta-Llama-3-8B')")
    recipe_modules = {f"taf.recipes.{module}" for _, module in RECIPE_MODULES}
    recipes = [m for m in loaded if m in recipe_modules]
    assert recipes == ["taf.recipes.x2_long_context"]


def test_registry_table_matches_the_modules():
    assert [r.id for r in all_recipes()] == list(RECIPE_IDS)
    assert [r["id"] for r in taf.list_recipes()] == list(RECIPE_IDS)
    assert load_recipe("X-2") is taf.registry.get_recipe(" x-2 ")
