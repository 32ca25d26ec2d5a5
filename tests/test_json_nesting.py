"""taf.params.json_nesting_exceeds: the depth a JSON parser would reach, measured without parsing."""

from __future__ import annotations

import json

import pytest

from taf.params import MAX_JSON_DEPTH, json_nesting_exceeds


def nested(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


@pytest.mark.parametrize(
    "text, limit, expected",
    [
        (nested(3), 3, False),
        (nested(4), 3, True),
        # brackets inside strings do not nest, whatever escapes surround them
        ('["[[[[[[", "]]]]"]', 1, False),
        ('["\\"[[[[[[\\""]', 1, False),  # escaped quotes stay inside the string
        ('["\\\\", [[[1]]]]', 3, True),  # an escaped backslash ends before the closing quote
        ('["\\\\\\"[[[[["]', 1, False),  # escaped backslash, then an escaped quote: still one string
        ('{"k[": {"é[": ["\\ud83d\\ude00"]}}', 3, False),
        ('{"k[": {"é[": [["\\ud83d\\ude00"]]}}', 3, True),
        # an unterminated string: a parser fails at its end, after its brackets; they count (conservative)
        ('[[ "abc [[[[', 3, True),
    ],
)
def test_depth_is_a_parsers(text: str, limit: int, expected: bool) -> None:
    assert json_nesting_exceeds(text, limit) is expected


def test_depth_equals_the_parsed_depth_at_the_limit() -> None:
    # the object is one level, the list inside it MAX_JSON_DEPTH - 1 more: exactly the limit
    ok = json.dumps({"a": [{"b": "[[[{{{"}] * 2, "c": json.loads(nested(MAX_JSON_DEPTH - 1))})
    deep = json.dumps({"a": json.loads(nested(MAX_JSON_DEPTH))})
    json.loads(ok)
    assert not json_nesting_exceeds(ok)
    assert json_nesting_exceeds(deep)
