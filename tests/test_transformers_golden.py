"""The config reader against Hugging Face transformers, fixture by fixture — exact equality.

``tests/fixtures/configs/transformers_golden.json`` is written by ``tools/transformers_golden.py``
(run by hand in a throwaway venv with CPU torch and transformers; its docstring has the commands):
it builds each real config.json fixture on the meta device and counts the parameters, the
embedding parameters, the parameters one token uses (MoE) and the bf16 KV bytes per token. Every
fixture transformers can build is compared here, except the few listed in the golden's
``not_compared`` with the reason (also in the README's M-1 section). Each fixture's source is in
``MANIFEST.json``.
"""
import json
from pathlib import Path

import pytest

from taf.model.record import record_from_config
from taf.modelconfig import analyze

CONFIGS = Path(__file__).parent / "fixtures" / "configs"
GOLDEN = json.loads((CONFIGS / "transformers_golden.json").read_text())
MANIFEST = json.loads((CONFIGS / "MANIFEST.json").read_text())
MODELS = GOLDEN["models"]
NOT_COMPARED = GOLDEN["not_compared"]
BUILT = sorted(slug for slug, row in MODELS.items() if "error" not in row)
COMPARED = [slug for slug in BUILT if slug not in NOT_COMPARED]


def test_golden_is_large_and_sourced():
    assert GOLDEN["transformers_version"] and GOLDEN["date"]
    assert len(COMPARED) >= 60
    assert set(NOT_COMPARED) <= set(BUILT)
    assert all(reason for reason in NOT_COMPARED.values())
    for slug in MODELS:  # every golden row is a fixture on disk, and all but the hand-derived oracles are sourced
        assert (CONFIGS / f"{slug}.json").exists(), slug
    released = [slug for slug in COMPARED if slug in MANIFEST and MANIFEST[slug]["hf_id"]]
    assert len(released) >= 60  # real config.json files of released models
    for slug in released:
        row = MANIFEST[slug]
        assert row["repo"] and row["commit"] and row["path"] and row["checked"], slug
    for slug, row in MANIFEST.items():  # the rest: config-class defaults written by transformers itself, or a
        if not row["hf_id"]:             # real config with keys left to the class defaults
            assert row["note"]
            assert (slug.startswith("transformers-defaults-") and row["repo"].startswith("pypi:transformers==")) \
                or MANIFEST[row["derived_from"]]["hf_id"]


def test_models_transformers_cannot_build_say_why():
    failed = {slug: row["error"] for slug, row in MODELS.items() if "error" in row}
    assert all(reason for reason in failed.values())


@pytest.mark.parametrize("slug", COMPARED)
def test_reader_equals_transformers(slug):
    want = MODELS[slug]
    a = analyze((CONFIGS / f"{slug}.json").read_text())
    got = {"total": a.total, "embedding": a.embedding, "active": a.active if a.active is not None else a.total,
           "kv_bytes_per_token": a.kv_per_token}
    assert got == {k: want[k] for k in got}
    # persistent checkpoint buffers outside parameters() (router score corrections, Gemma 4's layer scalars,
    # DeepSeek-V4's hash-routing table): reported apart, with the same element count
    assert sum(a.buffers.values()) == sum(want["buffers"].values())


@pytest.mark.parametrize("slug", COMPARED)
def test_record_layers_match_transformers(slug):
    want = MODELS[slug]["layers"]
    r = record_from_config((CONFIGS / f"{slug}.json").read_text())
    assert r.total_params == MODELS[slug]["total"]
    assert len(r.layers) == len(want)
    assert [layer.kv_elements_per_token for layer in r.layers] == [row["kv_elements_per_token"] for row in want]
    # state-space / linear-attention layers hold no KV; windows that transformers' layer_types lists agree.
    # (A "full" golden layer may be sliding here: Mistral-style configs slide every layer by sliding_window
    # without listing layer_types, which the golden tool reads.)
    for layer, row in zip(r.layers, want):
        if row["kind"] in ("linear", "ssm"):
            assert layer.kind in ("linear", "ssm", "mlp") and layer.kv_elements_per_token == 0
        elif row["kind"] in ("sliding", "chunked", "mla", "compressed"):
            assert (layer.kind, layer.window) == (row["kind"], row.get("window")), (slug, layer.index)
            # DeepSeek-V4 CSA / HCA: one compressed entry of this many elements per compress_ratio tokens
            assert (layer.compress_ratio, layer.compressed_elements) == (
                row.get("compress_ratio"), row.get("compressed_elements", 0)), (slug, layer.index)
        else:
            assert layer.kind in ("full", "sliding"), (slug, layer.index)
