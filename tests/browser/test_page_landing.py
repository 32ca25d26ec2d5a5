"""The page a newcomer meets (issue 15): the landing, phone first, loading without a stale answer,
charts with their tables, and the small things (Copied, focus, one announcement per result)."""
from __future__ import annotations

import json
import sys

import taf

from .conftest import ROOT, result_key, wait_new_result, wait_ready, wait_result, wait_until

sys.path.insert(0, str(ROOT / "scripts"))
import build_site  # noqa: E402
import landing  # noqa: E402

LLAMA = "meta-llama/Meta-Llama-3-8B"
LINK = f"?r=X-2&preset={LLAMA}&T_eval=32000"


def page_text(page) -> str:
    return page.evaluate("() => window.tafPage.lastText()")


def landing_cards() -> list[tuple[str, str]]:
    """Every landing card the build makes: its link and the JSON it must open on (CPython)."""
    recipes, presets = taf.list_recipes(), taf.list_presets()
    for r in recipes:
        r["uses_presets"] = any("preset_key" in p for p in r["params"])
    orders = {r["id"]: [p["name"] for p in r["params"]] for r in recipes}
    cards = []
    for state in landing.landing_states(recipes, presets, build_site.MODEL_RECIPE):
        state = build_site.normalize_state({k: v for k, v in state.items() if k != "question"}, orders)
        text = build_site.call_taf(taf, *build_site.worker_call(state))
        if "error" not in json.loads(text):
            cards.append((build_site.page_query(state), text))
    return cards


def test_the_bare_url_opens_the_questions_with_no_error(make_context, server):
    ctx, watch = make_context()
    page = ctx.new_page()
    page.goto(server)
    page.wait_for_selector("#landing .card")
    assert page.evaluate("() => location.search") == ""
    assert page.is_visible("#landing") and page.is_hidden("#workspace")
    # grouped, in plain words
    groups = page.locator("#landing .landing-group h2").all_text_contents()
    assert groups[:5] == ["Serve it", "Train it", "Long context", "Evaluate it", "Know your model"]
    assert page.locator("#landing .card").count() >= 15
    # nothing reads as an error, to the eye or to a screen reader
    assert page.locator(".err:visible, [aria-invalid]").count() == 0
    wait_ready(page)
    page.wait_for_timeout(900)  # past the announcement's settle time
    assert "rror" not in page.text_content("#announce")
    assert page.evaluate("() => location.search") == ""


def test_every_landing_card_opens_its_worked_example_at_once(make_context, server):
    """Each card shows its example's verdict and opens its recipe on that example, pre-computed."""
    cards = landing_cards()
    ctx, watch = make_context()
    page = ctx.new_page()
    page.goto(server)
    page.wait_for_selector("#landing .card")
    hrefs = page.locator("#landing .card a").evaluate_all("(as) => as.map((a) => a.getAttribute('href'))")
    expected = dict(cards)
    assert sorted(hrefs) == sorted(expected)  # (the page shows them grouped)
    recipe_ids = {json.loads(text).get("recipe_id") for _, text in cards}
    for extra in ("S-1", "S-2", "T-1", "X-5", "X-2", "X-1", "E-1"):  # the new recipes slot in
        assert extra in recipe_ids
    for i, href in enumerate(hrefs):
        text = expected[href]
        data = json.loads(text)
        card = page.locator("#landing .card").nth(i)
        if "verdict" in data:
            assert card.locator(".badge").text_content() == data["verdict"]
            assert card.locator(".badge").get_attribute("class") == f"badge tone-{data['tone']}"
        card.locator("a").click()
        wait_until(page, "(t) => window.tafPage.lastText() === t && document.querySelector('#result').dataset.status === 'ok'", text)
        assert page.get_attribute("#result", "data-source") in ("precomputed", "memo", "worker")
        assert page.is_hidden("#general-error")
        page.go_back()
        page.wait_for_selector("#landing .card")
        assert page.is_visible("#landing")


def test_the_verdict_colour_comes_from_the_tone(make_context, server):
    query = f"?r=S-1&preset={LLAMA}&context_tokens=8192&gpu=nvidia-rtx-4090"
    ctx, watch = make_context()
    page = ctx.new_page()
    page.goto(server + query)
    wait_result(page)
    data = json.loads(page_text(page))
    assert data["tone"] == "good"
    banner = page.locator("#result .verdict")
    assert banner.get_attribute("class") == "verdict tone-good"
    assert banner.locator(".verdict-word").text_content() == "favourable"  # in words, not colour alone
    colours = page.evaluate("""() => { const v = document.querySelector('#result .verdict'); const probe = document.createElement('div');
        probe.className = 'verdict tone-bad'; document.body.append(probe); const bad = getComputedStyle(probe).backgroundColor; probe.remove();
        return [getComputedStyle(v).backgroundColor, bad]; }""")
    assert colours[0] != colours[1]


def test_charts_render_with_their_data_table(make_context, server):
    query = f"?r=S-1&preset={LLAMA}&context_tokens=8192&gpu=nvidia-rtx-4090"
    expected = json.loads(taf.run_recipe_json("S-1", json.dumps({"preset": LLAMA, "context_tokens": "8192",
                                                                   "gpu": "nvidia-rtx-4090"})))
    spec = expected["charts"][0]
    assert spec["kind"] == "stacked_bar"
    for scheme in ("light", "dark"):
        ctx, watch = make_context(color_scheme=scheme, viewport={"width": 390, "height": 844}, device_scale_factor=2)
        page = ctx.new_page()
        page.goto(server + query)
        wait_result(page)
        chart = page.locator(f'#result figure.chart[data-chart="{spec["id"]}"]')
        assert chart.count() == 1
        svg = chart.locator("svg.chart-svg")
        assert svg.get_attribute("role") == "img"
        assert svg.locator(":scope > title").text_content() == spec["title"]
        assert chart.locator("svg desc").text_content() == spec.get("note")
        # one rectangle per non-zero segment, each named in words
        segments = [(s["name"], v) for s in spec["series"] for v in s["values"] if v]
        assert svg.locator(".bars rect").count() == len(segments)
        titles = svg.locator(".bars rect title").all_text_contents()
        assert all(any(name in t for t in titles) for name, _ in segments)
        # every reference line drawn and labelled in text
        assert svg.locator(".markers line").count() == len(spec.get("markers", []))
        labels = svg.locator(".markers text").all_text_contents()
        assert all(any(m["label"] in t for t in labels) for m in spec.get("markers", []))
        # the legend names every series; the table gives every number exactly
        assert chart.locator(".chart-legend li").all_text_contents() == [f" {s['name']}" for s in spec["series"]]
        chart.locator(".chart-table summary").click()
        table = chart.locator("table.chart-data")
        assert table.is_visible()
        head = table.locator("thead th").all_text_contents()
        assert head[1:1 + len(spec["series"])] == [f"{s['name']} ({spec['y']['unit']})" for s in spec["series"]]
        first_row = table.locator("tbody tr").first.locator("td").evaluate_all("(tds) => tds.map((td) => td.title)")
        assert [float(t) for t in first_row[:len(spec["series"])]] == [s["values"][0] for s in spec["series"]]
        # crisp on a phone: vector, scaled to its box, no sideways overflow of the page
        box = svg.bounding_box()
        assert 300 <= box["width"] <= 390
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_a_phone_shows_the_verdict_in_the_first_screen(make_context, server):
    for scheme in ("light", "dark"):
        for query in (LINK, f"?view=compare&r=X-2&m={LLAMA}&m=Qwen/Qwen2.5-7B&T_eval=32000", f"?view=profile&preset={LLAMA}"):
            ctx, watch = make_context(viewport={"width": 390, "height": 844}, color_scheme=scheme, is_mobile=True,
                                      has_touch=True)
            page = ctx.new_page()
            page.goto(server + query)
            wait_result(page)
            box = page.locator("#result .verdict").bounding_box()
            assert box["y"] + box["height"] <= 844, (query, box)  # in the first screen, whole
            form = page.locator("#controls").bounding_box()
            assert form["y"] > box["y"]  # the form comes after the result
            ctx.close()


def test_compare_tables_hint_at_sideways_scrolling(make_context, server):
    ctx, watch = make_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.goto(server + f"?view=compare&r=X-2&m={LLAMA}&m=Qwen/Qwen2.5-7B&T_eval=32000")
    wait_result(page)
    region = page.locator("#result .scroll:has(.compare-table)")
    wait_until(page, "() => document.querySelector('#result .scroll:has(.compare-table)').classList.contains('overflows')")
    assert page.locator("#result .scroll-hint").is_visible()
    assert page.text_content("#result .scroll-hint") == "The table scrolls sideways →"
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label")


def test_a_result_for_other_inputs_is_never_shown_as_current(make_context, server):
    """Python held back (its runtime download paused): after an edit, the old result is marked
    outdated in words and its echoes cleared until the new result arrives; the status says what
    is loading and how far."""
    ctx, watch = make_context()
    held = []
    ctx.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    page = ctx.new_page()
    page.goto(server + LINK)
    wait_result(page)
    assert page.get_attribute("#result", "data-source") == "precomputed"
    assert page.is_hidden("#outdated")
    t_eval = page.locator('fieldset[data-form="X-2"] .field[data-param="T_eval"]')
    assert t_eval.locator("output").text_content() == "= 32,000 tokens"
    page.evaluate("""() => { window.announcements = []; new MutationObserver(() =>
        window.announcements.push(document.querySelector('#announce').textContent))
        .observe(document.querySelector('#announce'), {childList: true, characterData: true, subtree: true}); }""")
    t_eval.locator("input").fill("32768")
    wait_until(page, "() => !document.querySelector('#outdated').hidden")
    assert page.text_content("#outdated").startswith("Outdated: the result below is for other inputs.")
    assert "step 1 of 2" in page.text_content("#outdated")
    assert page.get_attribute("#result", "class") == "result-box stale"
    assert t_eval.locator("output").text_content() == ""  # the echo no longer claims 32,000
    status = page.text_content("#status-text")
    assert status.startswith("Loading Python in the background — step 1 of 2: the Python runtime")
    page.wait_for_timeout(900)
    assert page.evaluate("() => window.announcements") == []  # the outdated verdict is never announced
    assert held, "the runtime was never requested"
    for route in held:
        route.continue_()
    wait_until(page, "() => document.querySelector('#result').dataset.source === 'worker'")
    assert page.is_hidden("#outdated")
    assert "stale" not in page.get_attribute("#result", "class")
    expected = taf.run_recipe_json("X-2", json.dumps({"preset": LLAMA, "T_eval": "32768"}, separators=(",", ":")))
    assert page_text(page) == expected
    assert t_eval.locator("output").text_content() == "= 32,768 tokens"


def test_one_announcement_per_settled_result(make_context, server):
    ctx, watch = make_context()
    page = ctx.new_page()
    page.goto(server + LINK)
    wait_ready(page)
    page.evaluate("""() => { window.announcements = []; new MutationObserver(() =>
        window.announcements.push(document.querySelector('#announce').textContent))
        .observe(document.querySelector('#announce'), {childList: true, characterData: true, subtree: true}); }""")
    box = page.locator('fieldset[data-form="X-2"] .field[data-param="T_eval"] input')
    box.fill("")
    box.type("32768", delay=60)
    page.wait_for_timeout(1500)
    said = page.evaluate("() => window.announcements")
    assert len(said) == 1, said
    assert said[0].startswith("Verdict: ") and "32,768" in said[0]


def test_copied_feedback_and_focus_kept_on_remove(make_context, server):
    ctx, watch = make_context(permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    page.goto(server + f"?view=compare&r=X-2&m={LLAMA}&m=Qwen/Qwen2.5-7B&m=mistralai/Mistral-7B-v0.1")
    wait_result(page)
    page.click("#copy-link")
    wait_until(page, "() => document.querySelector('#copied').textContent === 'Link copied.'")
    assert page.is_visible("#copied")
    assert page.locator("#copy-link[data-copied]").count() == 1  # "✓ Copied" on the button itself
    assert page.evaluate("() => getComputedStyle(document.querySelector('#copy-link'), '::after').content") == '" ✓ Copied"'
    # Remove keeps the keyboard focus on a Remove button
    wait_ready(page)
    before = result_key(page)
    page.locator(".remove-model").nth(1).focus()
    page.keyboard.press("Enter")
    wait_new_result(page, before)
    assert page.locator(".model-row").count() == 2
    assert page.evaluate("() => document.activeElement.classList.contains('remove-model')")
    assert page.evaluate("() => document.activeElement.closest('.model-row') === document.querySelectorAll('.model-row')[1]")
    # the status pill is never an empty box
    assert page.evaluate("() => Array.from(document.querySelectorAll('.pill')).every((p) => p.hidden ? "
                         "getComputedStyle(p).display === 'none' : p.textContent.trim() !== '')")


def test_headings_descend_one_level_at_a_time(make_context, server):
    ctx, watch = make_context()
    page = ctx.new_page()
    for query in ("", LINK, f"?view=profile&preset={LLAMA}"):
        page.goto(server + query)
        page.wait_for_selector("#landing .card" if not query else "#result[data-status]")
        levels = page.evaluate("""() => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
            .filter((h) => h.offsetParent !== null || h.closest('summary')).map((h) => +h.tagName[1])""")
        assert levels[0] == 1
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (query, levels)
