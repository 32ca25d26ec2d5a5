"""Every citation key resolves to a reference a reader can follow; every data row has a source and a date."""
import ast
import re
from pathlib import Path

import pytest

import taf
from taf.data.api_prices import API_PRICES
from taf.data.floors import FLOORS
from taf.references import REFERENCES, TAF_SECTION_PREFIX, references_for

from conftest import EXAMPLES

TAF_DIR = Path(taf.__file__).resolve().parent
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.mark.parametrize("key", sorted(REFERENCES))
def test_every_reference_is_complete_and_followable(key):
    ref = REFERENCES[key]
    assert {"label", "authors", "title", "year", "venue", "url"} <= set(ref)
    assert ref["url"].startswith("https://")
    assert all(isinstance(ref[f], str) and ref[f].strip() for f in ("label", "authors", "title", "venue"))
    assert isinstance(ref["year"], int) and 1800 < ref["year"] < 2100
    if "arxiv" in ref:
        assert ref["url"] == f"https://arxiv.org/abs/{ref['arxiv']}"
    if "doi" in ref:
        assert ref["url"] == f"https://doi.org/{ref['doi']}"
    # nothing points at a document that does not ship with the package
    assert "shared/seeds" not in str(ref) and "SPEC" not in str(ref) and "seed 0" not in str(ref)


#: modules whose every step cites a TAF § or a reference key (the planner recipes may also use plain labels)
CITING_MODULES = {"base.py", "x1_build_vs_buy.py", "x2_long_context.py", "x3_budget.py", "x5_serving_hardware.py",
                  "x19_kv_compression.py", "x21_imprint.py", "x22_invariant.py", "x23_ih_phase.py",
                  "f1_scale_floor.py", "e1_eval_power.py", "g1_token_gate.py", "q1_quant_budget.py",
                  "r1_record_claim.py", "p1_parity_gate.py", "m1_model_config.py"}


def _literal_keys_in_source():
    """Citation keys written in the package: refs=(…) anywhere; step sections and recipe sections of
    the citing modules."""
    keys = set()
    for path in TAF_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        citing = path.name in CITING_MODULES
        for node in ast.walk(tree):
            if citing and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "step" and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                keys.add((path.name, node.args[0].value))
            if isinstance(node, ast.keyword) and (node.arg == "refs" or (citing and node.arg == "sections")) \
                    and isinstance(node.value, (ast.Tuple, ast.List)):
                keys.update((path.name, e.value) for e in node.value.elts
                            if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return sorted(keys)


def test_source_has_citations():
    assert len(_literal_keys_in_source()) > 50


@pytest.mark.parametrize("where,key", _literal_keys_in_source())
def test_every_key_written_in_the_package_resolves(where, key):
    assert key.startswith(TAF_SECTION_PREFIX) or key in REFERENCES, f"{where}: unknown citation key {key!r}"


def test_every_recipe_cites_known_references():
    for recipe in taf.list_recipes():
        if recipe["id"] in EXAMPLES:  # the recipes this test covers (the planner's own cite in their steps)
            assert recipe["refs"], recipe["id"]
        assert all(k in REFERENCES for k in recipe["refs"]), recipe["id"]
        assert not any("seed" in s.lower() or "SPEC" in s for s in recipe["sections"]), recipe["sections"]


def test_results_carry_the_references_their_steps_cite(example_result):
    used = [k for s in example_result["chain"] for k in s["refs"]]
    assert used and all(k in REFERENCES for k in used)
    assert example_result["references"] == references_for(used)
    for s in example_result["chain"]:
        assert "seed" not in s["section"].lower() and "SPEC" not in s["section"]
        if s["section"].startswith(TAF_SECTION_PREFIX):
            assert s["refs"][0] == "taf"
        else:
            assert s["section"] == REFERENCES[s["refs"][0]]["label"]


def test_cli_text_lists_the_references():
    result = taf.run_recipe("E-1", **EXAMPLES["E-1"][0])
    text = taf.textfmt.format_result(result) if hasattr(taf, "textfmt") else None
    if text is None:
        from taf.textfmt import format_result
        text = format_result(result)
    assert "References:" in text
    assert "[Wilson 1927] Edwin B. Wilson (1927). Probable Inference" in text
    assert "https://doi.org/10.1080/01621459.1927.10502953" in text
    assert "https://arxiv.org/abs/2107.03374" in text


def _data_rows():
    rows = [("api_prices", r["name"], r) for r in API_PRICES] + [("floors", r["name"], r) for r in FLOORS]
    return rows


@pytest.mark.parametrize("table,name,row", _data_rows(), ids=[f"{t}:{n}" for t, n, _ in _data_rows()])
def test_every_data_row_has_a_followable_source_and_date(table, name, row):
    assert row["source"].startswith("https://"), (table, name)
    assert DATE.match(row["as_of"]), (table, name)
    assert "seed" not in row["source"].lower()
    for key in row.get("refs", ()):
        assert key in REFERENCES


def test_no_data_row_points_at_the_seed_documents():
    """Every table in taf/data names a source a user can follow, never the project's own seed files."""
    for path in (TAF_DIR / "data").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "shared/seeds" not in text, path.name
