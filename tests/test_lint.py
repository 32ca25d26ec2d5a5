"""The style check of taf/ as part of the test suite: ruff (lint + format) and mypy report nothing.

`make test` runs the same commands first (`make lint`); this test makes `pytest` alone (what a
contributor runs before landing) fail on a finding too. The tools are the versions pinned in
pyproject.toml's test extra (`make deps` installs them): other versions may report other findings.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _pins() -> dict[str, str]:
    """The exact pins of pyproject.toml's test extra (read as text: tomllib needs Python 3.11)."""
    extra = re.search(r"^test = \[(.*)\]$", (ROOT / "pyproject.toml").read_text(), re.M)
    assert extra is not None, "pyproject.toml has no test extra"
    return dict(re.findall(r'"([a-z]+)==([0-9.]+)"', extra.group(1)))


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_lint_tools_are_pinned():
    assert _pins() == {"ruff": "0.8.4", "mypy": "1.13.0"}


@pytest.mark.parametrize("tool", ["ruff", "mypy"])
def test_installed_tool_is_the_pinned_version(tool):
    done = _run(tool, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[1] == _pins()[tool], done.stdout


@pytest.mark.parametrize(
    "command",
    [("ruff", "check", "taf"), ("ruff", "format", "--check", "taf"), ("mypy",)],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_taf_is_lint_clean(command):
    done = _run(*command)
    assert done.returncode == 0, f"`{' '.join(command)}` found problems:\n{done.stdout}{done.stderr}"


def test_defined_passes_values_and_refuses_none():
    from taf.numeric import defined

    assert defined(0) == 0 and defined(0.0) == 0.0 and defined("") == ""  # falsy values are values
    with pytest.raises(TypeError, match="came out None"):
        defined(None)


def test_a_none_where_a_value_is_guaranteed_is_an_internal_error():
    """The boundary reports the TypeError of defined() as internal_error (a bug), never as a number."""
    from taf.numeric import defined
    from taf.registry import guarded

    error = guarded(lambda: {"x": defined(None)})["error"]
    assert error["code"] == "internal_error"
    assert "came out None" in error["message"]


def test_no_assert_statements_in_the_package():
    """``python -O`` strips asserts: a check the package relies on is an ``if`` with a structured error."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "taf"
    found = [
        f"{path.relative_to(package.parent)}:{node.lineno}"
        for path in sorted(package.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assert)
    ]
    assert found == []
