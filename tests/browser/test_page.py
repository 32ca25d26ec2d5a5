"""End-to-end tests of the page in headless Chromium (SPEC §6, §8; issue 3).

Every context is watched by conftest.make_context: a console error, an uncaught exception or a
request to any host but the test server fails the test.
"""
from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import taf
import taf.links

from .conftest import (BOOT_TIMEOUT_MS, ROOT, build_site, result_key, wait_new_result, wait_ready, wait_result,
                       wait_until)

LLAMA = "meta-llama/Meta-Llama-3-8B"
LINK = f"?r=X-2&preset={LLAMA}&T_eval=32000"


def open_page(make_context, server, query, **options):
    ctx, watch = make_context(**options)
    page = ctx.new_page()
    page.goto(server + query)
    wait_result(page)
    return ctx, watch, page


def page_text(page) -> str:
    return page.evaluate("() => window.tafPage.lastText()")


def run_json(recipe, params: dict) -> str:
    return taf.run_recipe_json(recipe, json.dumps(params, ensure_ascii=False, separators=(",", ":")))


def field(page, form: str, name: str):
    return page.locator(f'fieldset[data-form="{form}"] .field[data-param="{name}"]')


def cli_json(*args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "taf", *args], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.rstrip("\n")


# ── preset link ─────────────────────────────────────────────────────────────
def test_preset_link_shows_the_verdict_taf_prints_before_python_is_ready(make_context, server):
    expected = cli_json("run", "X-2", "--preset", LLAMA, "T_eval=32000", "--json")
    verdict = json.loads(expected)["verdict"]
    assert verdict == "BEYOND TRAINING CONTEXT"
    ctx, watch, page = open_page(make_context, server, LINK)
    # the pre-computed result is on screen while Python is still loading
    assert page.get_attribute("#result", "data-source") == "precomputed"
    assert page.get_attribute("body", "data-py") == "loading"
    assert page.text_content(".verdict-text").replace("Verdict: ", "") == verdict
    assert page_text(page) == expected  # the same bytes as `taf run … --json`
    assert field(page, "X-2", "T_eval").locator("input").input_value() == "32000"
    assert field(page, "X-2", "T_eval").locator("output").text_content() == "= 32,000 tokens"
    assert field(page, "X-2", "theta").locator("output").text_content() == "= 500,000 (preset)"
    assert "4.19 GB per request" in page.text_content("#result")
    assert page.input_value("#preset") == LLAMA
    # and Python, once loaded, computes exactly the same text
    wait_ready(page)
    args = json.dumps({"preset": LLAMA, "T_eval": "32000"}, separators=(",", ":"))
    assert page.evaluate("(a) => window.tafPage.call('run', 'X-2', a)", args) == expected
    assert page.get_attribute("#result", "data-source") == "precomputed"


def test_the_page_is_laid_out_once_the_first_result_or_the_form_can_show(make_context, server):
    """body.booting hides all but the header until the pre-computed result is on screen (one big
    layout instead of two); a link without a pre-computed result shows its form at once."""
    script = "() => [document.body.classList.contains('booting'), getComputedStyle(document.querySelector('main')).display]"
    ctx, watch = make_context()
    page = ctx.new_page()
    page.goto(server + f"?r=X-2&preset={LLAMA}&T_eval=32000")
    wait_result(page)
    booting, display = page.evaluate(script)
    assert booting is False and display != "none"
    assert page.is_visible("#controls") and page.is_visible("#catalog")
    # not pre-computed (an unusual T_eval): the form shows while Python loads, not after
    page = ctx.new_page()
    page.goto(server + f"?r=X-2&preset={LLAMA}&T_eval=12345")
    wait_until(page, "() => document.querySelector('#result').dataset.source !== undefined")
    booting, display = page.evaluate(script)
    assert booting is False and display != "none"
    assert page.is_visible('fieldset.params[data-form="X-2"] [name="T_eval"]')


def test_profile_and_compare_links_are_precomputed_too(make_context, server):
    ctx, watch, page = open_page(make_context, server, f"?view=profile&preset={LLAMA}")
    assert page.get_attribute("#result", "data-source") == "precomputed"
    assert page_text(page) == taf.profile_model_json(json.dumps({"preset": LLAMA}))
    assert "X-2 · Long Context Viability" in page.text_content("#result")
    # each full chain is rendered when it is opened (not on every re-render)
    results = json.loads(page_text(page))["results"]
    chains = page.locator("#result details.sub-result")
    assert chains.count() == len(results)
    assert page.locator("#result details.sub-result .step-name").count() == 0
    chains.first.locator("summary").click()
    wait_until(page, "() => document.querySelectorAll('#result details.sub-result .step-name').length > 0")
    first_id = next(iter(results))
    assert chains.first.locator(".step-name").count() == len(results[first_id]["chain"])
    assert page.locator("#result details.sub-result .step-name").count() == len(results[first_id]["chain"])
    models = [LLAMA, "mistralai/Mistral-7B-v0.1", "Qwen/Qwen2.5-7B"]  # an example link of the page
    query = build_site.page_query({"view": "compare", "recipe": "X-2", "models": models, "params": {"T_eval": "32000"}})
    assert page.locator(f'#landing .card a[href="{query}"]').count() == 1
    page.goto(server + query)
    wait_result(page)
    assert page.get_attribute("#result", "data-source") == "precomputed"
    request = {"recipe_id": "X-2", "models": [{"preset": m} for m in models], "shared_params": {"T_eval": "32000"}}
    assert page_text(page) == taf.compare_models_json(json.dumps(request))
    assert page.locator(".compare-table tbody tr").count() == 3


# ── edits and errors ────────────────────────────────────────────────────────
def test_editing_a_field_recomputes_in_python(make_context, server):
    ctx, watch, page = open_page(make_context, server, LINK)
    wait_ready(page)
    before = result_key(page)
    t_eval = field(page, "X-2", "T_eval")
    t_eval.locator("input").fill("4k")
    wait_new_result(page, before)
    assert page.get_attribute("#result", "data-source") == "worker"
    expected = run_json("X-2", {"preset": LLAMA, "T_eval": "4k"})
    assert page_text(page) == expected
    assert page.text_content(".verdict-text").replace("Verdict: ", "") == json.loads(expected)["verdict"]
    # the echo says how "4k" was read (the rule comes from Python's parser, added once Python answers)
    wait_until(page, "() => document.querySelector('fieldset[data-form=\"X-2\"] .field[data-param=\"T_eval\"] "
                     "output').textContent === '= 4,000 tokens (k = 1,000; write 4096 for 2¹²)'")
    assert page.evaluate("() => location.search") == f"?r=X-2&preset={LLAMA}&T_eval=4k"
    # a select (bool) recomputes too, and a preset change
    before = result_key(page)
    field(page, "X-2", "has_SWA").locator("select").select_option("true")
    wait_new_result(page, before)
    assert page_text(page) == run_json("X-2", {"preset": LLAMA, "T_eval": "4k", "has_SWA": "true"})
    before = result_key(page)
    page.select_option("#preset", "Qwen/Qwen2.5-7B")
    wait_new_result(page, before)
    assert page_text(page) == run_json("X-2", {"preset": "Qwen/Qwen2.5-7B", "T_eval": "4k", "has_SWA": "true"})


def test_a_bad_value_shows_its_error_beside_the_field(make_context, server):
    ctx, watch, page = open_page(make_context, server, LINK)
    wait_ready(page)
    for bad in ("32q", "0", "2.5"):
        before = result_key(page)
        t_eval = field(page, "X-2", "T_eval")
        t_eval.locator("input").fill(bad)
        wait_new_result(page, before)
        expected = json.loads(run_json("X-2", {"preset": LLAMA, "T_eval": bad}))["error"]
        assert expected["param"] == "T_eval"
        err = t_eval.locator(".err")
        assert err.is_visible()
        assert err.text_content() == expected["message"]
        assert t_eval.locator("input").get_attribute("aria-invalid") == "true"
        assert page.get_attribute("#result", "data-status") == "error"
        assert page.locator("#result .verdict").count() == 0
        # the error is attached to the input for screen readers
        described = t_eval.locator("input").get_attribute("aria-describedby").split()
        assert err.get_attribute("id") in described
    # fixing the value clears the error
    before = result_key(page)
    field(page, "X-2", "T_eval").locator("input").fill("8192")
    wait_new_result(page, before)
    assert not field(page, "X-2", "T_eval").locator(".err").is_visible()
    assert page.get_attribute("#result", "data-status") == "ok"


def test_a_bad_preset_and_an_unknown_parameter_from_a_link(make_context, server):
    """Python reads the link (taf.links.read_link): each problem sits next to its field, nothing is
    computed with a substitute, the address keeps only what was understood."""
    query = "?r=X-2&preset=meta-llama/Llama-9&T_evl=5"
    ctx, watch, page = open_page(make_context, server, query)
    wait_ready(page)
    errors = {e["param"]: e for e in taf.links.read_link(query)["errors"]}
    assert errors["preset"]["code"] == "unknown_preset" and errors["T_evl"]["code"] == "unknown_param"
    wait_until(page, "(m) => document.querySelector('#preset-err').textContent === m", errors["preset"]["message"])
    assert page.locator("#preset-err").is_visible()
    # the unknown parameter is listed with its error and a remove button
    assert page.locator("#extras").is_visible()
    assert "T_evl=5" in page.text_content("#extras-list")
    assert page.locator('#extras li[data-param="T_evl"] .err').text_content() == errors["T_evl"]["message"]
    assert page.get_attribute("#result", "data-source") == "link"  # nothing computed
    assert page.locator("#result .verdict").count() == 0
    assert page.evaluate("() => location.search") == "?r=X-2"
    page.select_option("#preset", LLAMA)  # one problem fixed: the other still stands
    assert page.get_attribute("#result", "data-source") == "link"
    page.locator('#extras li[data-param="T_evl"] button').click()
    wait_until(page, "() => document.querySelector('#result').dataset.status === 'ok'")
    assert page_text(page) == run_json("X-2", {"preset": LLAMA})
    assert page.evaluate("() => location.search") == f"?r=X-2&preset={LLAMA}"


# ── links restore every view ────────────────────────────────────────────────
def copied_link(page) -> str:
    page.click("#copy-link")
    wait_until(page, "() => document.querySelector('#copied').textContent.includes('copied')")
    link = page.evaluate("() => navigator.clipboard.readText()")
    assert link == page.input_value("#permalink")
    return link


def reopen(make_context, link: str):
    ctx, watch = make_context()
    page = ctx.new_page()
    page.goto(link)
    wait_result(page)  # a result is only marked once it is rendered (pre-computed or from Python)
    return page


def test_a_copied_link_restores_recipe_profile_and_compare(make_context, server):
    ctx, watch = make_context(permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    page.goto(server + "?r=X-2")
    wait_result(page)
    wait_ready(page)

    # recipe view: another recipe (its form is empty: it opens on its worked example), a preset, a typed value and a choice
    before = result_key(page)
    page.select_option("#recipe", "X-5")
    wait_new_result(page, before)
    before = result_key(page)
    page.select_option("#preset", "Qwen/Qwen2.5-7B")
    wait_new_result(page, before)
    before = result_key(page)
    field(page, "X-5", "concurrent_users").locator("input").fill("16")
    wait_new_result(page, before)
    recipe_text = page_text(page)
    assert json.loads(recipe_text)["inputs"]["concurrent_users"] == 16
    link = copied_link(page)
    assert link.endswith("?r=X-5&preset=Qwen/Qwen2.5-7B&concurrent_users=16")
    other = reopen(make_context, link)
    assert page_text(other) == recipe_text
    assert other.input_value("#recipe") == "X-5"
    assert field(other, "X-5", "concurrent_users").locator("input").input_value() == "16"
    assert other.text_content("#result") == page.text_content("#result")

    # profile view, with T_eval carried over and changed
    before = result_key(page)
    page.click('.views .tab[data-view="profile"]')
    wait_new_result(page, before)
    before = result_key(page)
    field(page, "profile", "T_eval").locator("input").fill("65536")
    wait_new_result(page, before)
    profile_text = page_text(page)
    assert profile_text == taf.profile_model_json(json.dumps({"preset": "Qwen/Qwen2.5-7B", "T_eval": "65536"}))
    link = copied_link(page)
    assert "view=profile" in link
    other = reopen(make_context, link)
    assert page_text(other) == profile_text
    assert other.text_content("#result") == page.text_content("#result")

    # compare view: three models, a shared parameter
    before = result_key(page)
    page.click('.views .tab[data-view="compare"]')
    wait_new_result(page, before)
    before = result_key(page)
    page.click("#add-model")
    wait_new_result(page, before)
    before = result_key(page)
    page.locator(".model-select").nth(2).select_option("google/gemma-2-9b")
    wait_new_result(page, before)
    before = result_key(page)
    field(page, "X-5", "T_eval").locator("input").fill("32k")
    wait_new_result(page, before)
    compare_text = page_text(page)
    models = page.evaluate("() => window.tafPage.state().models")
    assert len(models) == 3 and models[0] == "Qwen/Qwen2.5-7B" and models[2] == "google/gemma-2-9b"
    # T_eval came along from the Profile (the X-5 form has it) and was then changed
    request = {"recipe_id": "X-5", "models": [{"preset": m} for m in models], "shared_params": {"T_eval": "32k"}}
    assert compare_text == taf.compare_models_json(json.dumps(request))
    link = copied_link(page)
    other = reopen(make_context, link)
    assert page_text(other) == compare_text
    assert other.text_content("#result") == page.text_content("#result")
    # back and forward restore the views too
    page.go_back()
    wait_until(page, "() => document.body.dataset.view === 'profile' && document.querySelector('#result').dataset.key.startsWith('profile')")


def test_every_recipe_opens_from_the_recipe_list(make_context, server):
    """Each recipe of the list opens on its worked example: a result, never an error."""
    ctx, watch = make_context()
    page = ctx.new_page()
    page.goto(server)
    wait_ready(page)
    for recipe in taf.list_recipes():
        link = page.locator(f'.recipe-list a[data-recipe="{recipe["id"]}"]')
        href = link.get_attribute("href")
        assert href.startswith(f"?r={recipe['id']}")
        before = result_key(page)
        link.click()
        wait_new_result(page, before)
        assert page.evaluate("() => location.search") == href
        data = json.loads(page_text(page))
        if not href.startswith(f"?r={recipe['id']}&"):  # no worked example (M-1 needs a config.json)
            # a neutral prompt to fill in what it needs, not an error
            assert data["error"]["code"] == "missing_param"
            assert page.get_attribute("#result", "data-status") == "prompt"
            assert page.locator("#general-error").is_hidden()
            assert page.text_content("#result .placeholder").startswith(f"Fill in {data['error']['param']}")
            continue
        assert "error" not in data, (recipe["id"], data)
        assert data["recipe_id"] == recipe["id"]
        assert page.locator(f'fieldset[data-form="{recipe["id"]}"]').is_visible()
        names = page.locator(f'fieldset[data-form="{recipe["id"]}"] .field').evaluate_all(
            "(fs) => fs.map((f) => f.dataset.param)")
        assert names == [p["name"] for p in recipe["params"]]


# ── actions ─────────────────────────────────────────────────────────────────
def test_download_json_and_the_command_line(make_context, server):
    ctx, watch, page = open_page(make_context, server, LINK)
    with page.expect_download() as info:
        page.click("#download")
    data = Path(info.value.path()).read_text(encoding="utf-8")
    assert data == page_text(page)
    assert info.value.suggested_filename.endswith(".json")
    command = page.text_content("#command")
    assert command == f"taf run X-2 --preset {LLAMA} T_eval=32000 --json"
    assert cli_json(*shlex.split(command)[1:]) == data


def test_markdown_export_is_taf_s_own(make_context, server):
    """Copy Markdown, next to Copy link and Download JSON: the text taf.result_markdown writes."""
    ctx, watch = make_context(permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    page.goto(server + LINK)
    wait_result(page)
    assert page.is_visible("#markdown")
    wait_ready(page)
    page.click("#markdown")
    wait_until(page, "() => document.querySelector('#copied').textContent === 'Markdown copied.'")
    text = page.evaluate("() => navigator.clipboard.readText()")
    assert text == taf.result_markdown(json.loads(page_text(page)))
    assert "| " in text and "BEYOND TRAINING CONTEXT" in text


def test_the_lock_entry_loads_taf_through_load_package(make_context, server, site):
    ctx, watch = make_context()
    page = ctx.new_page()
    page.goto(server)
    wait_ready(page)
    report = json.loads(page.evaluate("() => window.tafPage.verifyLock()"))
    assert report["errors"] == []
    assert report["loaded"]
    lock = json.loads((site[0] / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["packages"]["taf"]["sha256"] == site[1]["wheel_sha256"]


# ── offline ─────────────────────────────────────────────────────────────────
def test_the_page_works_offline_after_one_visit(make_context, site):
    server, base = build_site.serve_in_thread(site[0])
    try:
        ctx, watch = make_context()
        watch.base = base
        page = ctx.new_page()
        page.goto(base + LINK)
        wait_ready(page)
        page.wait_for_selector("body[data-offline=ready]", timeout=BOOT_TIMEOUT_MS)
        assert page.text_content("#offline") == "Available offline"
        # the Service Worker does not take over the page it did not serve (one page, one build):
        # it is active, and serves the next load
        assert page.evaluate("() => navigator.serviceWorker.controller === null")
        wait_until(page, "() => navigator.serviceWorker.ready.then((r) => r.active && r.active.state === 'activated')")
    finally:
        server.shutdown()
        server.server_close()
    # the server is gone: the reload comes from the Service Worker's cache, Python included
    page.reload()
    wait_result(page)
    assert page.text_content(".verdict-text").replace("Verdict: ", "") == "BEYOND TRAINING CONTEXT"
    wait_ready(page)
    before = result_key(page)
    field(page, "X-2", "T_eval").locator("input").fill("16000")
    wait_new_result(page, before)
    assert page_text(page) == run_json("X-2", {"preset": LLAMA, "T_eval": "16000"})
    assert page.text_content("#offline") == "Available offline"


# ── safety and accessibility ────────────────────────────────────────────────
def test_untrusted_text_from_a_link_is_shown_as_text(make_context, server):
    evil = "<img src=x onerror=window.pwned=1>"
    ctx, watch, page = open_page(make_context, server,
                                 "?r=X-2&preset=" + build_site._q(evil) + "&T_eval=" + build_site._q("<b>9</b>"))
    wait_ready(page)
    wait_until(page, "() => document.querySelector('#result').dataset.source !== 'waiting'")
    assert evil in page.text_content("#preset-err")
    assert page.locator("#controls img, #output img, #output b").count() == 0
    assert page.evaluate("() => window.pwned === undefined")
    csp = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "default-src 'self'" in csp and "script-src 'self' 'wasm-unsafe-eval'" in csp
    # one other host, for the one request the user asks for (a config.json from Hugging Face)
    assert "connect-src 'self' https://huggingface.co;" in csp
    assert re.findall(r"https?://[^ ;']+", csp) == ["https://huggingface.co"]


def test_labels_live_region_and_keyboard(make_context, server):
    ctx, watch, page = open_page(make_context, server, LINK)
    wait_ready(page)
    unlabeled = page.evaluate("""() => Array.from(document.querySelectorAll('input, select, textarea'))
        .filter((c) => c.type !== 'hidden' && !c.closest('template') && !(c.labels && c.labels.length)
                && !c.getAttribute('aria-label') && !c.closest('.sr-only'))
        .map((c) => c.outerHTML.slice(0, 80))""")
    assert unlabeled == []
    assert page.get_attribute("#announce", "aria-live") == "polite"
    assert page.text_content("#announce").startswith("Verdict: BEYOND TRAINING CONTEXT")
    # keyboard only: focus T_eval, type, and the result follows
    before = result_key(page)
    page.locator('fieldset[data-form="X-2"]').get_by_label("T_eval").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("2000")
    page.keyboard.press("Enter")
    wait_new_result(page, before)
    assert page_text(page) == run_json("X-2", {"preset": LLAMA, "T_eval": "2000"})
    assert "Verdict:" in page.text_content("#announce")


def test_phone_sized_light_and_dark(make_context, server):
    colours = {}
    for scheme in ("light", "dark"):
        ctx, watch, page = open_page(make_context, server, LINK, viewport={"width": 390, "height": 844},
                                     color_scheme=scheme, is_mobile=True, has_touch=True)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{scheme}: the page is {overflow}px wider than a phone"
        colours[scheme] = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        box = page.locator(".verdict").bounding_box()
        assert box["width"] <= 390
    def luminance(rgb):
        r, g, b = (int(x) for x in re.findall(r"\d+", rgb)[:3])
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
    assert luminance(colours["light"]) > 0.8 and luminance(colours["dark"]) < 0.2


def test_model_view_reads_a_config_json_locally(make_context, server):
    config = (ROOT / "tests" / "fixtures" / "configs" / "llama-3-8b.json").read_text()
    ctx, watch, page = open_page(make_context, server, "?view=model")
    wait_ready(page)
    before = result_key(page)
    page.locator('fieldset[data-form="M-1"] input[type=file]').set_input_files(
        str(ROOT / "tests" / "fixtures" / "configs" / "llama-3-8b.json"))
    wait_new_result(page, before)
    expected = run_json("M-1", {"config": config})
    assert page_text(page) == expected
    assert "8,030,261,248" in page.text_content("#result")
    # the config travels in the link's fragment (never sent to a server): reopening it elsewhere
    # gives the same result
    link = page.input_value("#permalink")
    assert "?view=model#config=" in link
    assert page.evaluate("() => location.search") == "?view=model"
    assert page_text(reopen(make_context, link)) == expected
    # the same model as a Profile: the architecture parameters go into the link
    before = result_key(page)
    page.click("#use-in-profile")
    wait_new_result(page, before)
    assert page.evaluate("() => document.body.dataset.view") == "profile"
    params = page.evaluate("() => window.tafPage.state().params")
    assert params["theta"] == "500000" and params["n_layers"] == "32"
    assert page_text(page) == taf.profile_model_json(json.dumps(params))
    # a Profile link made by an earlier version carries the config.json in its query: it still
    # opens (into the Profile's config field), and the address moves it to the fragment
    other = reopen(make_context, server + build_site.page_query({"view": "profile", "params": {"config": config}}))
    wait_ready(other)
    wait_until(other, "() => location.search === '?view=profile' && location.hash.startsWith('#config=')")
    assert page_text(other) == taf.profile_model_json(json.dumps({"config": config}))
    assert other.locator("#extras").is_hidden()
    assert field(other, "profile", "config").locator("textarea").input_value() == config
    assert field(other, "profile", "theta").locator("output").text_content() == "= 500,000 (config.json)"


def test_a_runtime_that_fails_to_load_is_a_readable_message(make_context, server):
    ctx, watch = make_context()
    ctx.route("**/pyodide.asm.wasm", lambda route: route.abort())
    page = ctx.new_page()
    page.goto(server + LINK)
    wait_result(page)  # the pre-computed result still shows
    assert page.text_content(".verdict-text").replace("Verdict: ", "") == "BEYOND TRAINING CONTEXT"
    page.wait_for_selector("body[data-py=error]", timeout=BOOT_TIMEOUT_MS)
    status = page.text_content("#status-text")
    assert status.startswith("Python could not load: the Python runtime (pyodide.asm.wasm) did not load")
    assert "Pre-computed results still show" in status
    assert page.get_attribute("#status", "class") == "pill state-error"
    # an edit that needs Python says so instead of spinning
    field(page, "X-2", "T_eval").locator("input").fill("1000")
    wait_until(page, "() => !document.querySelector('#general-error').hidden")
    assert "Python is not available" in page.text_content("#general-error")
    # Pyodide itself leaves the failed fetch of the runtime as an unhandled rejection in the worker
    watch.allowed_errors += ["net::ERR_FAILED", "Failed to load resource", "Failed to fetch"]
