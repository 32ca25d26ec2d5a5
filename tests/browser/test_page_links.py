"""Links on the page (issue 16) and the Model view's privacy and Hugging Face fetch (issue 11).

One reading of a link: the page asks Python (taf.links.read_link, the CLI's rules) and shows what it
did not understand next to the field; a pasted config.json never goes into the query string; the
only request to another host is the config.json a user asks Hugging Face for, on the click.
"""
from __future__ import annotations

import json

import taf
import taf.links

from .conftest import ROOT, wait_ready, wait_result, wait_until

LLAMA = "meta-llama/Meta-Llama-3-8B"
CONFIG = (ROOT / "tests" / "fixtures" / "configs" / "llama-3-8b.json").read_text()


def page_text(page) -> str:
    return page.evaluate("() => window.tafPage.lastText()")


def run_json(recipe, params: dict) -> str:
    return taf.run_recipe_json(recipe, json.dumps(params, ensure_ascii=False, separators=(",", ":")))


def field(page, form: str, name: str):
    return page.locator(f'fieldset[data-form="{form}"] .field[data-param="{name}"]')


def open_ready(make_context, server, query, **options):
    ctx, watch = make_context(**options)
    page = ctx.new_page()
    page.goto(server + query)
    wait_ready(page)
    return ctx, watch, page


def test_link_values_read_with_the_cli_rules_and_rewritten_canonically(make_context, server):
    cases = [  # (link, the canonical query Python keeps, recipe, the values the result must use)
        (f"?r=X-2&preset={LLAMA}&has_SWA=yes", f"?r=X-2&preset={LLAMA}&has_SWA=true", "X-2", {"has_SWA": True}),
        (f"?r=X-2&preset={LLAMA}&has_SWA=ON", f"?r=X-2&preset={LLAMA}&has_SWA=true", "X-2", {"has_SWA": True}),
        (f"?r=X-2&preset={LLAMA}&has_SWA=0", f"?r=X-2&preset={LLAMA}&has_SWA=false", "X-2", {"has_SWA": False}),
        ("?r=X-1&N_params=8B&api_model=gpt-4o-mini", "?r=X-1&N_params=8B&api_model=GPT-4o-mini", "X-1",
         {"api_model": "GPT-4o-mini"}),
    ]
    ctx, watch = make_context()
    for link, canonical, recipe, values in cases:
        assert taf.links.read_link(link)["query"] == canonical  # what Python says, independently
        page = ctx.new_page()
        page.goto(server + link)
        wait_ready(page)
        wait_until(page, "(q) => location.search === q && document.querySelector('#result').dataset.status === 'ok'"
                         " && !document.querySelector('#result').classList.contains('stale')", canonical)
        data = json.loads(page_text(page))
        for name, value in values.items():
            assert data["inputs"][name] == value, (link, data["inputs"])
        params = dict(p.split("=", 1) for p in canonical[1:].split("&") if not p.startswith(("r=", "preset=")))
        args = ({"preset": LLAMA} if "preset=" in canonical else {}) | params
        assert page_text(page) == run_json(recipe, args)
        # the field shows the canonical value, and a <select> is never silently blank
        for name in values:
            control = field(page, recipe, name).locator("[name]")
            assert control.input_value() == params[name]
        page.close()


def test_what_a_link_gets_wrong_is_an_error_next_to_its_field(make_context, server):
    for link, param in ((f"?r=X-2&preset={LLAMA}&has_SWA=maybe", "has_SWA"),
                        (f"?r=X-2&preset={LLAMA}&T_eval=1000&T_eval=abc", "T_eval"),
                        ("?r=X-1&N_params=8B&api_model=gpt-99", "api_model")):
        expected = [e for e in taf.links.read_link(link)["errors"] if e["param"] == param]
        assert expected, link
        ctx, watch, page = open_ready(make_context, server, link)
        err = field(page, link.split("&")[0][3:], param).locator(".err")
        wait_until(page, "(m) => document.querySelector('.field[data-invalid] .err:not([hidden])')"
                         " && Array.from(document.querySelectorAll('.field .err')).some((e) => e.textContent === m)",
                   expected[0]["message"])
        assert err.is_visible() and err.text_content() == expected[0]["message"]
        # nothing is computed with a substitute value, and the address keeps only what was understood
        assert page.get_attribute("#result", "data-source") == "link"
        assert page.locator("#result .verdict").count() == 0
        assert param not in page.evaluate("() => location.search") or param == "T_eval"
        ctx.close()


def test_unknown_recipe_and_view_are_visible_errors(make_context, server):
    for link in ("?r=X-99", "?view=nope", "?view=nope&r=X-2"):
        ctx, watch = make_context()
        page = ctx.new_page()
        page.goto(server + link)
        page.wait_for_selector("#link-error:not([hidden])")
        text = page.text_content("#link-error")
        assert ("X-99" in text) if "X-99" in link else ("nope" in text), text
        if link == "?view=nope&r=X-2":  # the recipe the link names still opens
            wait_result(page)
            assert page.evaluate("() => document.body.dataset.view") == "recipe"
        else:
            assert page.is_visible("#landing")
        ctx.close()


def test_a_pasted_config_never_reaches_a_server(make_context, server):
    secret = "acme/SECRET-internal-model"
    config = json.loads(CONFIG)
    config["_name_or_path"] = secret
    text = json.dumps(config, indent=2)
    ctx, watch = make_context()
    bodies = []
    ctx.on("request", lambda r: bodies.append((r.url, r.post_data or "", json.dumps(r.headers))))
    page = ctx.new_page()
    page.goto(server + "?view=model")
    wait_ready(page)
    field(page, "M-1", "config").locator("textarea").fill(text)
    wait_until(page, "() => document.querySelector('#result').dataset.status === 'ok'")
    assert page_text(page) == run_json("M-1", {"config": text})
    link = page.input_value("#permalink")
    query, _, fragment = link.partition("#")
    assert query.endswith("?view=model") and fragment.startswith("config=")
    # the link restores it (from the fragment), in a new page and after a reload
    other = ctx.new_page()
    other.goto(link)
    wait_until(other, "() => document.querySelector('#result').dataset.status === 'ok'")
    assert page_text(other) == page_text(page)
    page.reload()
    wait_until(page, "() => document.querySelector('#result').dataset.status === 'ok'")
    assert page_text(page) == page_text(other)
    assert bodies
    leaked = [b for b in bodies if "SECRET" in b[0] + b[1] + b[2]]
    assert not leaked, leaked


def test_models_fetched_from_hugging_face_only_on_the_click(make_context, server):
    ctx, watch = make_context()
    seen = []
    answers = {
        "meta-llama/Meta-Llama-3-8B": (200, CONFIG),
        "acme/gated-model": (401, '{"error":"Access to model acme/gated-model is restricted."}'),
        "acme/no-such-model": (404, '{"error":"Repository Not Found"}'),
    }

    def hugging_face(route):
        url = route.request.url
        seen.append(url)
        model = url.split("huggingface.co/", 1)[1].split("/resolve/", 1)[0]
        if model == "acme/offline":
            route.abort("internetdisconnected")
            return
        status, body = answers[model]
        route.fulfill(status=status, body=body, headers={"Access-Control-Allow-Origin": "*",
                                                         "Content-Type": "application/json"})

    ctx.route("https://huggingface.co/**", hugging_face)
    page = ctx.new_page()
    page.goto(server + "?view=model")
    wait_ready(page)
    page.fill("#hf-id", LLAMA)
    page.wait_for_timeout(500)
    assert seen == []  # nothing is requested before the click
    page.click("#hf-fetch")
    wait_until(page, "() => document.querySelector('#result').dataset.status === 'ok'")
    assert seen == ["https://huggingface.co/meta-llama/Meta-Llama-3-8B/resolve/main/config.json"]
    assert page_text(page) == run_json("M-1", {"config": CONFIG})  # as if the file were pasted
    assert page.text_content("#hf-msg").startswith("Read meta-llama/Meta-Llama-3-8B's config.json")
    for model, words in (("acme/gated-model", "gated or private"), ("acme/no-such-model", "has no model"),
                         ("acme/offline", "Could not reach huggingface.co")):
        page.fill("#hf-id", model)
        page.click("#hf-fetch")
        wait_until(page, "(w) => document.querySelector('#hf-msg').textContent.includes(w)", words)
        assert "paste it below" in page.text_content("#hf-msg")
    page.fill("#hf-id", "not an id")
    page.click("#hf-fetch")
    wait_until(page, "() => document.querySelector('#hf-msg').textContent.includes('org/name')")
    assert len(seen) == 4
    # (the watcher allows these: they were asked for, answered by fixtures, and nothing else left)
    watch.requests = [u for u in watch.requests if not u.startswith("https://huggingface.co/")]
    watch.allowed_errors += ["huggingface.co", "Failed to load resource", "ERR_INTERNET_DISCONNECTED"]


def test_the_catalog_is_searched_by_name_where_a_model_is_chosen(make_context, server):
    hits = taf.search_models("qwen3 30b")
    assert hits, "the catalog has no Qwen3-30B"
    model = hits[0]["id"]
    ctx, watch, page = open_ready(make_context, server, f"?r=X-2&preset={LLAMA}")
    page.fill("#model-search", "qwen3 30b")
    page.wait_for_selector(f'#model-hits button[data-model="{model}"]')
    assert page.locator("#model-hits button").all_text_contents() == [h["id"] for h in hits]
    page.click(f'#model-hits button[data-model="{model}"]')
    wait_until(page, "(m) => window.tafPage.state().preset === m && document.querySelector('#result').dataset.status === 'ok'"
                     " && !document.querySelector('#result').classList.contains('stale')", model)
    assert page_text(page) == run_json("X-2", {"preset": model})
    # Compare: a picked model joins the table
    page.click('.views .tab[data-view="compare"]')
    wait_until(page, "() => document.body.dataset.view === 'compare'")
    count = page.locator(".model-row").count()
    page.fill("#model-search", "gemma")
    page.locator("#model-hits button").first.click()
    assert page.locator(".model-row").count() == count + 1
