"""The one number formatter (taf/textfmt.py) and the golden file the page's JS formatter is tested against."""
import json
from pathlib import Path

import pytest

from taf.textfmt import format_number, format_value, golden_cases

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "format_golden.json"


def test_golden_file_is_what_python_prints():
    """tests/fixtures/format_golden.json is emitted by Python; regenerate with
    python3 -c "import json,taf.textfmt as t; print(json.dumps(t.golden_cases(), ensure_ascii=False, indent=1))"
    > tests/fixtures/format_golden.json"""
    assert json.loads(GOLDEN.read_text(encoding="utf-8")) == golden_cases()


@pytest.mark.parametrize("value,text", [
    (8030261248, "8,030,261,248"),         # integers keep every digit
    (5167494557.3, "5,167,494,557"),       # from 1,000 up: an integer (the old '5,167,494,557.3 params')
    (47781.002, "47,781"),
    (0.9134089936270703, "0.9134"),        # 4 significant digits below 1,000
    (136.8, "136.8"), (2.5, "2.5"), (1.0, "1"), (32000.0, "32,000"),
    (1e15, "1e15"), (1.2345e18, "1.23e18"), (9.995e15, "1e16"),  # scientific, 3 digits, exact tie → away from 0
    (1.5e-5, "1.5e-5"), (0.0001, "0.0001"),
    (1234.5, "1,235"), (-1234.5, "-1,235"),  # exact binary tie → away from zero, as JS toFixed
    (2.675, "2.675"), (999.96, "1,000"), (0.30000000000000004, "0.3"),
    (True, "yes"), (0, "0"),
])
def test_format_number(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize("value,unit,text", [
    (1, "GPUs", "1 GPU"), (8, "GPUs", "8 GPUs"), (1.0, "tokens", "1 token"), (0, "tokens", "0 tokens"),
    (2.5, "×", "2.5×"), (12.5, "%", "12.5 %"), (None, "tokens", "—"), ([1, 2], "", "2 items"), ([1], "", "1 item"),
])
def test_format_value_units(value, unit, text):
    assert format_value(value, unit) == text


def test_rounding_matches_javascript_rules():
    """toFixed/toPrecision round the exact binary value, ties away from zero; so does textfmt."""
    assert format_number(0.5) == "0.5" and format_number(1.0005) == "1"  # 1.0005 is 1.000499999… in binary
    assert format_number(1000.5) == "1,001" and format_number(1001.5) == "1,002"  # exact ties: away from 0
