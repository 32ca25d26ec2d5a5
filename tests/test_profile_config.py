"""Profile of a model described by a pasted config.json (issue 5: 'run the Profile with that model')."""
from pathlib import Path

import taf

CONFIGS = Path(__file__).parent / "fixtures" / "configs"


def test_profile_from_config_uses_exact_count_and_overrides():
    text = (CONFIGS / "qwen2.5-0.5b.json").read_text()
    card = taf.profile_model(config=text, T_eval=16000)
    assert card["model"]["n_params"] == 494_032_768.0
    assert card["model"]["theta"] == 1e6 and card["model"]["n_kv_heads"] == 2
    assert card["results"]["X-2"]["inputs"]["T_eval"] == 16000
    # explicit values override the config
    card = taf.profile_model(config=text, T_train=4096)
    assert card["model"]["T_train"] == 4096
    # the same card from the derived parameters (what a link carries)
    derived = taf.preset_from_config(text)
    assert taf.profile_model(**derived, T_eval=16000) == taf.profile_model(config=text, T_eval=16000)


def test_profile_from_bad_config_is_a_structured_error():
    assert taf.profile_model(config="{")["error"]["code"] == "invalid_json"
    e = taf.profile_model(config='{"model_type": "llama", "hidden_size": 64}')["error"]
    assert e["code"] == "invalid_value" and "num_hidden_layers" in e["message"]
