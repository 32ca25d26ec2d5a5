"""S-1 against published measurements (taf/data/measurements_serving.py), at each row's stated tolerance.

Run as a script (``python tests/test_serving_measurements.py``) to print the comparison table the
README shows.
"""
import math
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import taf  # noqa: E402
from taf.data.accelerators import find_accelerator, usable_memory_bytes  # noqa: E402
from taf.data.measurements_serving import MEASUREMENTS  # noqa: E402
from taf.formulas import serving_memory as sm  # noqa: E402
from taf.formulas import weight_formats as wf  # noqa: E402
from taf.model.record import record_from_config  # noqa: E402

CONFIGS = pathlib.Path(__file__).resolve().parent / "fixtures" / "configs"
GiB = 2**30


def config_of(row):
    if row.get("config") is not None:
        return dict(row["config"])
    return (CONFIGS / f"{row['model']}.json").read_text()


def plan_of(row, gguf_for_float=False):
    r = record_from_config(config_of(row))
    return wf.plan_weights(list(r.tensors), row["weight_format"], n_layers=r.n_layers,
                           n_heads=r.n_attention_heads, n_kv_heads=r.n_kv_heads,
                           n_experts=(r.moe or {}).get("n_experts", 0), model_type=r.family,
                           tied=r.tied_embeddings, gguf_for_float=gguf_for_float)


def predict(row):
    """taf's prediction for one measurement row (same unit as ``value``)."""
    kind = row["kind"]
    if kind == "gguf_size":
        return plan_of(row).total_bytes
    if kind == "gguf_types":
        counts = {}
        for t in plan_of(row).rows:
            counts[t["storage"]] = counts.get(t["storage"], 0) + t["count"]
        return {k: counts.get(k, 0) for k in row["value"]}
    if kind == "weights":
        return plan_of(row, gguf_for_float=row["engine"] == "llama.cpp").total_bytes
    if kind == "kv_blocks":
        return record_from_config(config_of(row)).kv_bytes_per_token(2)
    if kind == "visible_memory":
        return sm.visible_memory_bytes(usable_memory_bytes(find_accelerator(row["gpu"])), False)
    if kind == "kv_tokens":
        r = taf.run_recipe("S-1", config=config_of(row), gpu=row["gpu"], engine=row["engine"], n_gpus=row["n_gpus"],
                           context_tokens=1024)
        kv = next(s for s in r["chain"] if s["name"] == "KV cache")
        return kv["breakdown"]["per_gpu_bytes"] // 1024   # K + V bytes per token on one GPU
    if kind == "kv_pool":
        extra = {k: row[k] for k in ("weight_format", "n_gpus", "gpu_memory_utilization") if k in row}
        r = taf.run_recipe("S-1", config=config_of(row), gpu=row["gpu"], engine=row["engine"],
                           context_tokens=row["context_tokens"], **extra)
        pool = next(s for s in r["chain"] if s["name"] == "Paged KV pool")
        return pool["breakdown"]["pool_bytes"]
    raise ValueError(kind)


def relative_error(predicted, measured):
    return (predicted - measured) / measured


def _rows(kind):
    return [pytest.param(row, id=row["id"]) for row in MEASUREMENTS
            if row["kind"] == kind and row.get("tested", True)]


def test_every_row_is_sourced_and_dated():
    for row in MEASUREMENTS:
        assert row["source"].startswith("https://"), row["id"]
        assert row["quote"] and row["as_of"]
        assert row["tolerance"] is not None


@pytest.mark.parametrize("row", _rows("gguf_size"))
def test_gguf_file_size_within_3_percent(row):
    assert abs(relative_error(predict(row), row["value"])) <= row["tolerance"] == 0.03


@pytest.mark.parametrize("row", _rows("gguf_types"))
def test_gguf_tensor_types_exact(row):
    assert predict(row) == row["value"]


@pytest.mark.parametrize("row", _rows("weights"))
def test_engine_weights_within_2_percent(row):
    assert abs(relative_error(predict(row), row["value"])) <= row["tolerance"] == 0.02


@pytest.mark.parametrize("row", _rows("kv_blocks"))
def test_vllm_kv_blocks_exact(row):
    per_token = predict(row)
    assert per_token == 131_072
    v = row["value"]
    # the printed pool (two decimals of GiB) divided into 16-token blocks brackets the printed block count
    low = math.floor((v["pool_gib"] - 0.005) * GiB / (16 * per_token))
    high = math.floor((v["pool_gib"] + 0.005) * GiB / (16 * per_token))
    assert low <= v["blocks"] <= high
    assert v["blocks"] * 16 == v["tokens"]


@pytest.mark.parametrize("row", _rows("kv_tokens"))
def test_sglang_kv_tokens_exact(row):
    per_token = predict(row)
    assert per_token == 48_128
    assert round(row["value"]["tokens"] * per_token / 2 / GiB, 2) == row["value"]["k_gib"]


@pytest.mark.parametrize("row", _rows("visible_memory"))
def test_visible_memory_within_2_percent(row):
    assert abs(relative_error(predict(row), row["value"])) <= row["tolerance"] == 0.02


@pytest.mark.parametrize("row", _rows("kv_pool"))
def test_vllm_kv_pool_within_10_percent(row):
    assert abs(relative_error(predict(row), row["value"])) <= row["tolerance"] == 0.10


def table() -> str:
    lines = ["| measurement | published | taf | error | tolerance | source |", "|---|---|---|---|---|---|"]
    for row in MEASUREMENTS:
        got = predict(row)
        if row["kind"] == "gguf_types":
            pub = ", ".join(f"{k} {v}" for k, v in row["value"].items())
            mine = ", ".join(f"{k} {v}" for k, v in got.items())
            err = "exact" if got == row["value"] else "MISS"
        elif row["kind"] == "kv_tokens":
            v = row["value"]
            pub = f"{v['tokens']:,} tokens, K {v['k_gib']:.2f} GiB"
            mine = f"{got // 2:,} B of K/token: {v['tokens'] * got / 2 / GiB:.3f} GiB"
            err = "exact" if round(v["tokens"] * got / 2 / GiB, 2) == v["k_gib"] else "MISS"
        elif row["kind"] == "kv_blocks":
            v = row["value"]
            low = math.floor((v["pool_gib"] - 0.005) * GiB / (16 * got))
            high = math.floor((v["pool_gib"] + 0.005) * GiB / (16 * got))
            pub = f"{v['blocks']:,} blocks in {v['pool_gib']:.2f} GiB"
            mine = f"{got:,} B/token: {low:,}–{high:,} blocks"
            err = "exact" if low <= v["blocks"] <= high else "MISS"
        else:
            unit = GiB if row["kind"] in ("visible_memory", "kv_pool") or row["id"].startswith("data-on-eks") \
                else 1e9
            suffix = " GiB" if unit == GiB else " GB"
            pub = f"{row['value'] / unit:,.2f}{suffix}"
            mine = f"{got / unit:,.3f}{suffix}"
            err = f"{relative_error(got, row['value']):+.2%}"
        tol = "exact" if row["tolerance"] == 0 else f"±{row['tolerance']:.0%}"
        if not row.get("tested", True):
            tol = "reported only"
        lines.append(f"| {row['id']} | {pub} | {mine} | {err} | {tol} | {row['source']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())


def test_a10_llama_31_at_full_context_fits_with_limits_like_the_log():
    # the OCI log: vLLM refuses max_model_len 131072 because the pool holds 37,696 tokens
    row = next(r for r in MEASUREMENTS if r["id"] == "oci-a10-llama-3.1-8b-kv-blocks")
    r = taf.run_recipe("S-1", config=config_of(row), gpu="A10", context_tokens=131072)
    assert r["verdict"] == "FITS WITH LIMITS"
    published = row["value"]["tokens"]
    assert abs(relative_error(r["figures"]["max_context_tokens"], published)) <= 0.10
    assert "--max-model-len " + str(r["figures"]["max_context_tokens"]) in r["mitigation"]
