"""The command-line tool, through a subprocess (as a user runs it)."""
import json
import subprocess
import sys

import pytest

import taf

LLAMA = "meta-llama/Meta-Llama-3-8B"


def taf_cli(*args):
    return subprocess.run([sys.executable, "-m", "taf", *args], capture_output=True, text=True, timeout=60)


def test_list_shows_every_recipe():
    out = taf_cli("list")
    assert out.returncode == 0
    for recipe in taf.list_recipes():
        assert recipe["id"] in out.stdout and recipe["name"] in out.stdout


def test_run_text_shows_chain_and_verdict():
    out = taf_cli("run", "X-2", "--preset", LLAMA, "T_eval=32000")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "1. γ_Padé  (§26.1)" in text
    assert "formula: γ = (2θ − T√2)/(2θ + T√2)" in text
    assert "47,781 tokens" in text
    assert "VERDICT: BEYOND TRAINING CONTEXT" in text
    assert "Mitigation:" in text and "Caveats:" in text


def test_run_json_is_exactly_run_recipe_json():
    out = taf_cli("run", "X-2", "--preset", LLAMA, "T_eval=32000", "--json")
    assert out.returncode == 0
    expected = taf.run_recipe_json("X-2", json.dumps({"preset": LLAMA, "T_eval": "32000"}))
    assert out.stdout == expected + "\n"


def test_assignments_before_options():
    a = taf_cli("run", "X-2", "T_eval=32k", "--preset", LLAMA, "--json")
    b = taf_cli("run", "X-2", "--preset", LLAMA, "T_eval=32000", "--json")
    assert a.returncode == 0 and a.stdout == b.stdout


@pytest.mark.parametrize("args,needle", [
    (("run", "X-2", "--preset", LLAMA, "T_eval=abc"), "T_eval = 'abc' is not valid"),
    (("run", "X-2", "--preset", "nope"), "preset = 'nope' is not a known model"),
    (("run", "X-42"), "Unknown recipe 'X-42'"),
    (("run", "X-2", "--preset", LLAMA, "T_evl=5"), "Did you mean 'T_eval'"),
    (("run", "X-2", "T_eval=5"), "theta is required"),
    (("run", "X-2", "--preset", LLAMA, "oops"), "expected name=value"),
    (("run", "X-2", "--preset", LLAMA, "T_eval=0"), "out of range"),
    (("profile",), "is required"),
    (("compare", "X-2", "--preset", LLAMA), "Compare takes 2 to 6 models"),
])
def test_bad_input_exits_2_with_message_on_stderr(args, needle):
    out = taf_cli(*args)
    assert out.returncode == 2
    assert needle in out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""


def test_profile_and_compare():
    out = taf_cli("profile", "--preset", LLAMA)
    assert out.returncode == 0 and "TAF card · meta-llama/Meta-Llama-3-8B" in out.stdout and "X-2" in out.stdout
    out = taf_cli("compare", "X-2", "--preset", LLAMA, "--preset", "Qwen/Qwen2.5-7B", "T_eval=16k")
    assert out.returncode == 0
    assert "meta-llama/Meta-Llama-3-8B:" in out.stdout and "Qwen/Qwen2.5-7B:" in out.stdout
    out = taf_cli("compare", "X-2", "--preset", LLAMA, "--preset", "Qwen/Qwen2.5-7B", "T_eval=16k", "--json")
    table = json.loads(out.stdout)
    assert table["view"] == "compare" and len(table["rows"]) == 2


def test_describe_and_presets():
    out = taf_cli("describe", "X-2")
    assert out.returncode == 0 and "T_eval [tokens]" in out.stdout and "default: T_train" in out.stdout
    out = taf_cli("presets")
    assert out.returncode == 0 and out.stdout.count("\n") == 11


def test_console_script_entry_point():
    import shutil
    exe = shutil.which("taf")
    assert exe, "the `taf` console script is not installed (pip install -e .)"
    out = subprocess.run([exe, "run", "X-2", "--preset", LLAMA, "T_eval=32000"], capture_output=True, text=True)
    assert out.returncode == 0 and "BEYOND TRAINING CONTEXT" in out.stdout
