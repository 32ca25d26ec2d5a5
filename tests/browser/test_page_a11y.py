"""Accessibility of every view, light and dark: axe-core (npm, pinned: tests/browser/axe.py) reports
zero violations; plus the focus ring's contrast, which axe does not measure (issue 15)."""
from __future__ import annotations

import json
import re

import pytest

from .axe import axe_source
from .conftest import wait_ready, wait_result, wait_until

LLAMA = "meta-llama/Meta-Llama-3-8B"
VIEWS = {
    "landing": "",
    "recipe": f"?r=X-2&preset={LLAMA}&T_eval=32000",
    "recipe-chart": f"?r=S-1&preset={LLAMA}&context_tokens=8192&gpu=nvidia-rtx-4090",
    "profile": f"?view=profile&preset={LLAMA}",
    "compare": f"?view=compare&r=X-2&m={LLAMA}&m=mistralai/Mistral-7B-v0.1&m=Qwen/Qwen2.5-7B&T_eval=32000",
    "model": "?view=model",
}


@pytest.fixture(scope="module")
def axe_js():
    return axe_source()


def violations(page, axe_js) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_js)  # (evaluated by the test harness, not by the page: its CSP stays as it is)
    found = page.evaluate("""() => axe.run(document, {resultTypes: ['violations']}).then((r) => r.violations.map((v) =>
        ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ')
          + ' :: ' + n.failureSummary)})))""")
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_reports_no_violation_on_any_view(make_context, server, axe_js, scheme):
    ctx, watch = make_context(color_scheme=scheme)
    page = ctx.new_page()
    report = {}
    for name, query in VIEWS.items():
        page.goto(server + query)
        if name == "landing":
            page.wait_for_selector("#landing .card")
        else:
            wait_result(page)
        if name in ("profile", "compare"):  # a full chain opened, and the data table of a chart
            page.locator("#result details.sub-result summary").first.click()
            wait_until(page, "() => document.querySelector('#result details.sub-result .step')")
        if name == "recipe-chart":
            page.locator("#result .chart-table summary").first.click()
        report[name] = violations(page, axe_js)
    wait_ready(page)
    report["recipe, Python ready"] = violations(page, axe_js)
    bad = {k: v for k, v in report.items() if v}
    assert not bad, json.dumps(bad, indent=1)


def _luminance(rgb: str) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (float(x) for x in re.findall(r"[\d.]+", rgb)[:3])
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_ring_has_3_to_1_contrast_against_the_page(make_context, server, scheme):
    ctx, watch = make_context(color_scheme=scheme)
    page = ctx.new_page()
    page.goto(server + VIEWS["recipe"])
    wait_result(page)
    page.keyboard.press("Tab")  # the skip link, then the view buttons
    page.keyboard.press("Tab")
    ring, background, panel = page.evaluate("""() => [getComputedStyle(document.activeElement).outlineColor,
        getComputedStyle(document.body).backgroundColor,
        getComputedStyle(document.querySelector('.panel')).backgroundColor]""")
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert _contrast(ring, background) >= 3, (ring, background)
    assert _contrast(ring, panel) >= 3, (ring, panel)
