"""X-5 beyond the seed (issue 13): the ranking at a realistic batch agrees with S-1 (fit) and S-2 (speed)."""
from __future__ import annotations

import pytest

import taf
from taf.data.rental_prices import rental_price


def x5(**kw):
    r = taf.run_recipe("X-5", **kw)
    assert "error" not in r, r
    return r


def test_realistic_batch_cost_is_s2_cost_at_the_s1_batch():
    r = x5(N_params=8e9)
    f = r["figures"]
    step = next(s for s in r["chain"] if s["name"].startswith("Cost at a realistic batch"))
    best = step["result"][0]
    assert best["gpu"] == f["gpu"] and best["batch"] == f["batch"]
    # S-1: the batch is min(sequences that fit, vLLM max_num_seqs)
    fit = taf.run_recipe("S-1", n_params=8e9, n_layers=32, n_attention_heads=32, n_kv_heads=8, d_head=128,
                         T_train=4096, gpu=best["id"], context_tokens=4096)
    assert best["batch_fits"] == fit["figures"]["max_batch"]
    # S-2 at that batch and context gives the same step time, hence the same $/Mtok
    s2 = taf.run_recipe("S-2", n_params=8e9, n_layers=32, n_attention_heads=32, n_kv_heads=8, d_head=128,
                        T_train=4096, gpu=best["id"], batch=best["batch"], prompt_tokens=4096, output_tokens=1)
    assert "error" not in s2, s2
    tok_s = best["batch"] / (s2["figures"]["time_per_output_token_ms"] / 1e3)
    assert best["tok_per_sec"] == pytest.approx(tok_s, rel=1e-9)
    price = rental_price(best["id"])["usd_per_hour"]
    assert best["USD_per_Mtok"] == pytest.approx(price / (tok_s * 3600) * 1e6, rel=1e-12)
    # a realistic batch costs far less per token than the seed's single stream
    assert f["usd_per_mtok"] < f["batch1_usd_per_mtok"] / 5


def test_verdict_says_when_no_single_gpu_meets_the_target():
    r = x5(N_params=70e9, target_tokens_per_day=1e12)
    assert r["verdict"].endswith("BUT NO SINGLE GPU MEETS THE TARGET") and r["tone"] == "caution"
    assert r["figures"]["gpu"] in r["verdict"] and "replicas" in r["mitigation"]


def test_concurrent_users_that_fit_nowhere_is_no():
    r = x5(N_params=70e9, concurrent_users=1000)
    assert r["verdict"] == "NO: NO SINGLE GPU FITS" and r["tone"] == "bad"
