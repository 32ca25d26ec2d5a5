"""The model catalog (taf.model.catalog) and the presets derived from it (issue 11)."""
import gzip
import json
from pathlib import Path

import pytest

import taf
from taf.data import presets as preset_data
from taf.model import presets as preset_rows
from taf.data.catalog_data import CATALOG_JSON
from taf.model.catalog import _architecture, entries, find_entry, identify, record_for
from taf.model.record import record_from_config

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "configs"
SOURCES = json.loads((ROOT / "tools" / "catalog" / "SOURCES.json").read_text())


def test_every_entry_has_a_source_a_date_and_a_config_the_reader_reads_exactly():
    ids = [e["id"] for e in entries()]
    assert len(ids) == len(set(ids))
    for e in entries():
        assert e["source"] and e["as_of"], e["id"]
        src = e["source"]
        assert src.get("url") or (src.get("repo") and src.get("commit")), e["id"]
        r = record_for(e["id"])
        assert r.exact, e["id"]
        # the stored totals are the record's (a stale catalog after a reader change fails here)
        assert (r.total_params, r.active_params, r.family) == (e["total_params"], e["active_params"], e["family"])
        for fact in e.get("facts", ()):
            assert fact["source"] and fact["as_of"] and fact["field"] in ("T_train", "theta")


def test_catalog_configs_give_the_same_record_as_their_fixture():
    manifest = json.loads((FIXTURES / "MANIFEST.json").read_text()) if (FIXTURES / "MANIFEST.json").exists() else {}
    files = {m["hf_id"]: FIXTURES / f"{name}.json" for name, m in manifest.items() if m.get("hf_id")}
    files.update({row["id"]: ROOT / row["file"] for row in SOURCES["extra"] + SOURCES["legacy"]})
    checked = 0
    for e in entries():
        path = files.get(e["id"])
        if path is None or not path.exists():
            continue
        full = record_from_config(path.read_text())
        stored = record_from_config(e["config"])
        assert _architecture(full) == _architecture(stored), e["id"]   # everything but the name
        checked += 1
    assert checked >= 8


def test_the_catalog_is_small_enough_for_the_page():
    # SPEC §9: first-party files ≤ 300 KB compressed in total; the catalog stays a small part of it
    assert len(gzip.compress(CATALOG_JSON.encode("utf-8"), 9)) < 40_000


def test_featured_presets_are_catalog_models_with_records():
    rows = taf.list_presets()
    assert [r["id"] for r in rows] == list(preset_data.FEATURED)
    assert len(rows) == 11
    for row in rows:
        r = record_for(row["id"])
        assert {k: row[k] for k in preset_data.ARCH_FIELDS} == dict(r.to_preset())
        assert row["active_params"] == r.active_params and row["family"] == r.family
        assert isinstance(row["source"], dict) and row["as_of"]


def test_pythia_from_sizing_keys_matches_the_published_totals():
    # gpu_poor keeps only the sizing keys; the rest are GPTNeoXConfig defaults, read by architecture name.
    # Pythia paper (Biderman et al. 2023, arXiv 2304.01373), Table 1, total parameters:
    # 2.8B → 2,775,208,960; 1.4B → 1,414,647,808; 1B → 1,011,781,632
    assert taf.get_preset("EleutherAI/pythia-2.8b")["n_params"] == 2_775_208_960
    assert taf.get_preset("EleutherAI/pythia-1.4b")["n_params"] == 1_414_647_808
    assert taf.get_preset("EleutherAI/pythia-1b")["n_params"] == 1_011_781_632


def test_curated_facts_override_the_config_with_their_source():
    row = taf.get_preset("mistralai/Mistral-7B-v0.1")
    assert row["T_train"] == 8192                       # the paper's context_len; config.json says 32,768
    assert record_from_config((FIXTURES / "mistral-7b-v0.1.json").read_text()).T_train == 32768
    facts = preset_rows.preset_row("mistralai/Mistral-7B-v0.1")["facts"]
    assert facts[0]["field"] == "T_train" and "2310.06825" in facts[0]["source"]
    assert taf.get_preset("meta-llama/Llama-3.2-1B")["T_train"] == 131072
    assert taf.get_preset("Qwen/Qwen2.5-7B")["T_train"] == 32768


def test_old_preset_ids_keep_working():
    for old, new in preset_data.OLD_IDS.items():
        assert taf.get_preset(old) == taf.get_preset(new) != {}
        r = taf.run_recipe("X-2", preset=old, T_eval=4096)
        assert r["preset"] == new
    # every seed preset id still resolves
    for model_id in ("EleutherAI/pythia-2.8b", "EleutherAI/pythia-1b", "EleutherAI/pythia-1.4b",
                     "meta-llama/Meta-Llama-3-8B", "meta-llama/Llama-3.2-1B", "meta-llama/Llama-3.3-70B-Instruct",
                     "mistralai/Mistral-7B-v0.1", "Qwen/Qwen2.5-7B", "Qwen/Qwen2.5-1.5B", "google/gemma-2-9b-it",
                     "microsoft/phi-3-mini-4k-instruct"):
        assert taf.get_preset(model_id), model_id
        assert "error" not in taf.run_recipe("X-2", preset=model_id)


def test_any_catalog_model_is_a_preset():
    r = taf.run_recipe("X-5", preset="Qwen/Qwen3-235B-A22B")
    assert r["preset"] == "Qwen/Qwen3-235B-A22B"
    assert taf.get_preset("qwen/qwen3-235b-a22b") == taf.get_preset("Qwen/Qwen3-235B-A22B")  # any case
    e = taf.run_recipe("X-2", preset="Qwen/Qwen3-235B-A22")["error"]
    assert e["code"] == "unknown_preset" and e["suggestion"] == "Qwen/Qwen3-235B-A22B"


def test_search_models_by_name():
    hits = taf.search_models("qwen3 30b")
    assert hits[0]["id"] == "Qwen/Qwen3-30B-A3B"
    assert hits[0]["total_params"] == 30_532_122_624 and hits[0]["active_params"] == 3_353_032_704
    assert set(hits[0]) == {"id", "label", "family", "total_params", "active_params", "featured"}
    assert all("llama" in h["id"].lower() for h in taf.search_models("LLAMA"))
    assert [h["id"] for h in taf.search_models("")] == [i for i in preset_data.FEATURED if find_entry(i)]
    assert taf.search_models("no-such-model-xyz") == []
    assert taf.search_models(None) == [] and taf.search_models(5) == [] and taf.search_models("a", limit=0) == []
    assert len(taf.search_models("qwen", limit=3)) == 3
    assert json.loads(taf.search_models_json("mistral 7b"))[0]["id"].startswith("mistralai/")


def test_identify_needs_a_name_and_the_same_architecture():
    text = (FIXTURES / "mistral-7b-v0.1.json").read_text()
    cfg = json.loads(text)
    assert identify(cfg) is None                                   # unnamed: never guessed from numbers
    assert identify(cfg, name="mistralai/Mistral-7B-v0.1") == "mistralai/Mistral-7B-v0.1"
    assert identify(dict(cfg, _name_or_path="mistralai/Mistral-7B-v0.1")) == "mistralai/Mistral-7B-v0.1"
    assert identify(dict(cfg, num_hidden_layers=16), name="mistralai/Mistral-7B-v0.1") is None
    assert identify(cfg, name="not/a-model") is None and identify("text") is None
    # a named config carries the catalog's curated facts (T_train 8,192)
    named = taf.run_recipe("X-2", config=json.dumps(dict(cfg, _name_or_path="mistralai/Mistral-7B-v0.1")))
    assert named["preset"] == "mistralai/Mistral-7B-v0.1" and named["inputs"]["T_train"] == 8192
    unnamed = taf.run_recipe("X-2", config=text)
    assert "preset" not in unnamed and unnamed["inputs"]["T_train"] == 32768


def test_preset_and_config_together_is_an_error():
    e = taf.run_recipe("X-2", preset="mistralai/Mistral-7B-v0.1",
                       config=(FIXTURES / "mistral-7b-v0.1.json").read_text())["error"]
    assert e["code"] == "invalid_value" and e["param"] == "config"


@pytest.mark.parametrize("bad, code", [
    ("{", "invalid_json"),
    ('{"model_type": "llama", "hidden_size": true}', "invalid_value"),
    ('{"model_type": "llama", "hidden_size": 1e12, "num_hidden_layers": 2}', "out_of_range"),
    ('{"model_type": "llama", "text_config": {"text_config": {"text_config": 5}}}', "invalid_value"),
    ("[" * 5000 + "]" * 5000, "invalid_json"),
])
def test_malformed_configs_are_structured_errors_in_every_view(bad, code):
    for result in (taf.run_recipe("X-5", config=bad), taf.run_recipe("X-2", config=bad),
                   taf.profile_model(config=bad),
                   taf.compare_models([{"config": bad}, "mistralai/Mistral-7B-v0.1"], "X-5")["rows"][0]):
        assert result["error"]["code"] == code, result
        assert result["error"]["param"] == "config"
