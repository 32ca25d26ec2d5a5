"""The command-line tool, through a subprocess (as a user runs it)."""
import json
import subprocess
import sys

import pytest

import taf
from conftest import taf_cli

LLAMA = "meta-llama/Meta-Llama-3-8B"


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


# ── edges (issue 16 point 7): exit 2 with one sentence on stderr, 1 only when output cannot be written ──
def shell(command):
    """Run ``taf`` through sh, for redirections a subprocess argument list cannot express (closed fds)."""
    return subprocess.run(["sh", "-c", command.replace("TAF", f"'{sys.executable}' -m taf")],
                          capture_output=True, text=True, timeout=60)


def one_sentence(stderr):
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("taf: error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_model_from_closed_stdin():
    out = shell("TAF model - <&-")
    assert out.returncode == 2 and out.stdout == ""
    assert "cannot read standard input ('-'): it is closed" in one_sentence(out.stderr)


def test_list_json_to_a_full_device_is_exit_1_without_traceback():
    out = shell("TAF list --json > /dev/full")
    assert out.returncode == 1
    assert one_sentence(out.stderr) == "taf: error: cannot write output: No space left on device"


def test_model_from_dev_zero_stops_at_the_size_cap():
    out = taf_cli("model", "/dev/zero")
    assert out.returncode == 2 and out.stdout == ""
    assert one_sentence(out.stderr) == ("taf: error: cannot read config file '/dev/zero': it is larger than "
                                        "1,000,000 bytes, the limit for a config.json")


def test_bad_value_with_stderr_closed_still_exits_2():
    out = shell("TAF run X-2 T_eval=abc 2>&-")
    assert out.returncode == 2 and out.stdout == "" and out.stderr == ""


def test_model_file_and_config_assignment_is_an_error(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"model_type": "llama", "hidden_size": 64}))
    out = taf_cli("model", str(path), "config=5")
    assert out.returncode == 2 and out.stdout == ""
    assert "config='5' is not used: `taf model` reads the config from its file argument" in one_sentence(out.stderr)


def test_duplicate_assignment_is_an_error():
    out = taf_cli("run", "X-2", "--preset", LLAMA, "T_eval=1000", "T_eval=2000")
    assert out.returncode == 2 and "parameter 'T_eval' is given twice" in one_sentence(out.stderr)


def test_lone_surrogate_in_a_config_is_one_sentence(tmp_path):
    path = tmp_path / "config.json"
    path.write_text('{"model_type": "llama", "_name_or_path": "x\\ud800", "hidden_size": 64}', encoding="utf-8")
    out = taf_cli("model", str(path))
    assert out.returncode == 2 and out.stdout == ""
    assert "lone surrogate" in one_sentence(out.stderr)


def test_non_utf8_file_and_argument(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"model_type": "caf\xe9"}')
    out = taf_cli("model", str(path))
    assert out.returncode == 2 and "is not UTF-8 text (byte 20)" in one_sentence(out.stderr)
    # an argument that is not UTF-8 (decoded with surrogateescape) is reported, not a traceback
    out = subprocess.run([sys.executable.encode(), b"-m", b"taf", b"run", b"X-2", b"T_eval=\xff"],
                         capture_output=True, timeout=60)
    assert out.returncode == 2 and b"Traceback" not in out.stderr and out.stderr.count(b"\n") == 1


def test_casual_values_on_the_command_line_and_the_rule_echoed():
    out = taf_cli("run", "X-2", "--preset", LLAMA, "T_eval=8k tokens")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("(read T_eval = 8k tokens: k = 1,000; write 8192 for 2¹³)\n")
    a = taf_cli("run", "X-2", "--preset", LLAMA, "T_eval=8,000", "--json")
    b = taf_cli("run", "X-2", "--preset", LLAMA, "T_eval=8000", "--json")
    assert a.returncode == 0 and a.stdout == b.stdout
    out = taf_cli("run", "X-2", "--preset", LLAMA, "T_eval=1,5")
    assert out.returncode == 2 and "ambiguous" in one_sentence(out.stderr)


def test_describe_lists_the_accepted_forms():
    out = taf_cli("describe", "X-3")
    assert out.returncode == 0 and "5,000 or 5 000" in out.stdout and "$5,000" in out.stdout


@pytest.mark.parametrize("args", [("run",), ("bogus",), ("run", "X-2", "--nope"), ("model",)])
def test_usage_errors_are_one_sentence_and_exit_2(args):
    out = taf_cli(*args)
    assert out.returncode == 2 and out.stdout == ""
    assert "--help" in one_sentence(out.stderr)
