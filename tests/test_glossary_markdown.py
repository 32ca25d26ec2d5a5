"""The glossary (every step lists the symbols it uses) and the Markdown export of a result."""
import re
import subprocess
import sys

import taf
from taf.glossary import GLOSSARY, entries_for, symbols_in
from taf.markdown import result_markdown
from taf.references import REFERENCES

from conftest import ROOT


def test_glossary_entries_are_complete():
    for key, entry in GLOSSARY.items():
        assert entry["symbol"] and entry["name"] and len(entry["meaning"]) > 20, key
        assert entry.get("ref") is None or entry["ref"] in REFERENCES, key


def test_symbols_found_in_formulas():
    assert symbols_in("γ = (2θ − T√2)/(2θ + T√2)") == ["gamma", "theta"]
    assert symbols_in("d_h = θ(1 − γ)√2/(1 + γ)") == ["gamma", "theta", "d_horizon"]
    assert symbols_in("L_NIAH^c = 2·d_horizon") == ["d_horizon", "L_NIAH"]
    assert symbols_in("nothing here") == []


def test_every_step_lists_its_symbols(example_result):
    used = []
    for step in example_result["chain"]:
        assert step.get("symbols", []) == symbols_in(step["name"], step["formula"])
        used += step.get("symbols", [])
    assert example_result["glossary"] == entries_for(used)


def test_x2_steps_explain_gamma_and_the_horizon():
    r = taf.run_recipe("X-2", preset="meta-llama/Meta-Llama-3-8B", T_eval=32000)
    assert "gamma" in r["chain"][0]["symbols"] and "d_horizon" in r["chain"][2]["symbols"]
    assert {"gamma", "delta", "d_horizon", "L_NIAH", "chi"} <= set(r["glossary"])


def test_markdown_is_the_chain_as_a_table(example_result):
    text = result_markdown(example_result)
    assert text.startswith(f"## {example_result['recipe_id']} · ")
    assert f"**Verdict: {example_result['verdict']}**" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| #")]
    assert len(rows) == len(example_result["chain"])
    assert all(len(re.split(r"(?<!\\)\|", row)) == 9 for row in rows)  # seven cells, pipes inside escaped
    for ref in example_result["references"].values():
        assert ref["url"] in text


def test_markdown_from_python_and_cli_agree():
    result = taf.run_recipe("G-1", n_params=494032768, num_steps=2700, batch_size=4, seq_length=2048)
    assert taf.result_markdown(result) == result_markdown(result)
    out = subprocess.run([sys.executable, "-m", "taf", "run", "G-1", "n_params=494032768", "num_steps=2700",
                          "batch_size=4", "seq_length=2048", "--markdown"], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out == result_markdown(result) + "\n"
    assert "| 1 | aprender PR #1708 | Training tokens" in out


def test_markdown_of_an_error():
    assert result_markdown(taf.run_recipe("E-1", n=3, c=5)).startswith("**Error (c):**")
