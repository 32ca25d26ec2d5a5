"""How the page's Python starts and survives (issues 14 and 16), in headless Chromium.

* The worker boots from the build's memory snapshot; a broken snapshot (bytes of another build,
  or corrupt content with a matching hash) falls back to the ordinary boot, says so in the status
  line, and computes the same results.
* A page runs one build from start to finish: deploying build B over a cached build A leaves an
  open page of A working as A (its files from A's cache, its worker A's) with a "new version"
  notice; after the reload everything is B.
* When Python in the worker dies, the page says so, restarts the worker, and computes again.
* The server's Content-Security-Policy covers the page's workers (a worker cannot reach another
  origin) and forbids framing.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import json
import shutil
import threading

import pytest
import taf

from .conftest import BOOT_TIMEOUT_MS, Watch, build_site, wait_new_result, wait_ready, wait_result, wait_until

LLAMA = "meta-llama/Meta-Llama-3-8B"
#: a state with no pre-computed result: Python computes it
FRESH = {"preset": LLAMA, "T_eval": "23456"}
FRESH_LINK = f"?r=X-2&preset={LLAMA}&T_eval=23456"


def run_json(recipe: str, params: dict) -> str:
    return taf.run_recipe_json(recipe, json.dumps(params, ensure_ascii=False, separators=(",", ":")))


def ready_entries(page) -> list[dict]:
    return page.evaluate("() => window.tafPage.statusLog.filter((s) => s.state === 'ready')")


def copy_site(site, dest):
    shutil.copytree(site[0], dest)
    return dest


@pytest.fixture
def serve():
    """``serve(directory) -> base URL`` of a fresh server (stopped at teardown)."""
    servers = []

    def start(directory, handler=None):
        if handler is None:
            srv, base = build_site.serve_in_thread(directory)
        else:
            srv = build_site.SiteServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
            threading.Thread(target=srv.serve_forever, daemon=True).start()
            base = f"http://127.0.0.1:{srv.server_address[1]}/"
        servers.append(srv)
        return base

    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


def open_watched(browser, base, query="", allowed_errors=()):
    ctx = browser.new_context()
    watch = Watch(base)
    watch.allowed_errors.extend(allowed_errors)
    ctx.on("request", lambda r: watch.requests.append(r.url))
    page = watch.attach(ctx.new_page())
    page.goto(base + query)
    return ctx, watch, page


# ── the snapshot and its fallback ───────────────────────────────────────────
def test_the_worker_boots_from_the_snapshot(make_context, server, site):
    ctx, watch = make_context(service_workers="block")  # (its pre-cache would fetch every file)
    page = ctx.new_page()
    page.goto(server + FRESH_LINK)
    wait_ready(page)
    ready = ready_entries(page)
    assert len(ready) == 1 and ready[0]["snapshot"] is True and ready[0]["note"] is None
    assert ready[0]["build"] == site[1]["build_id"] == page.evaluate("() => window.tafPage.build")
    wait_until(page, "() => document.querySelector('#result').dataset.source === 'worker'")
    assert page.evaluate("() => window.tafPage.lastText()") == run_json("X-2", FRESH)
    # booted from the snapshot, the worker fetched neither the wheel nor anything to install
    assert not [u for u in watch.requests if u.endswith(".whl")]
    assert any(u.endswith(build_site.SNAPSHOT_FILE) for u in watch.requests)


def _corrupt_snapshot(out, keep_hash: bool):
    """Replace the snapshot: with bytes that fail the page's integrity check (``keep_hash`` False:
    a file of another build), or with a corrupt snapshot whose hash the page and SW list."""
    path = out / build_site.SNAPSHOT_FILE
    old = path.read_bytes()
    raw = gzip.decompress(old)
    new = build_site.gzip_bytes(raw[: len(raw) // 2] + bytes(len(raw) - len(raw) // 2))
    path.write_bytes(new)
    if keep_hash:
        for name, a, b in (("index.html", build_site.sri_sha256(old), build_site.sri_sha256(new)),
                           ("sw.js", build_site.sha256_hex(old)[:16], build_site.sha256_hex(new)[:16])):
            text = (out / name).read_text()
            assert text.count(a) == 1
            (out / name).write_text(text.replace(a, b))


@pytest.mark.parametrize("damage", ["another build's bytes", "corrupt, hash listed"])
def test_a_broken_snapshot_falls_back_to_the_ordinary_boot(browser, site, tmp_path, serve, damage):
    out = copy_site(site, tmp_path / "site")
    _corrupt_snapshot(out, keep_hash=damage != "another build's bytes")
    base = serve(out)
    # the browser reports the refused bytes (integrity) or Pyodide the failed restore as errors
    ctx, watch, page = open_watched(browser, base, FRESH_LINK,
                                    allowed_errors=("integrity", "snapshot", "null function", "RuntimeError"))
    try:
        wait_ready(page)
        ready = ready_entries(page)
        assert len(ready) == 1 and ready[0]["snapshot"] is False
        assert "start-up snapshot failed" in ready[0]["note"]
        status = page.text_content("#status-text")
        assert status.startswith("Python ready") and "the start-up snapshot failed" in status
        log = page.evaluate("() => window.tafPage.statusLog.map((s) => s.message)")
        assert any(m.startswith("Loading Python the ordinary way") for m in log)
        wait_until(page, "() => document.querySelector('#result').dataset.source === 'worker'")
        assert page.evaluate("() => window.tafPage.lastText()") == run_json("X-2", FRESH)
        texts = page.evaluate("(c) => window.tafPage.batch(c)", [
            {"fn": "run", "recipe": "M-1", "args": "{}"},
            {"fn": "profile", "recipe": "-", "args": json.dumps({"preset": LLAMA})}])
        assert texts == [taf.run_recipe_json("M-1", "{}"), taf.profile_model_json(json.dumps({"preset": LLAMA}))]
        assert any(u.endswith(".whl") for u in watch.requests)  # the ordinary boot installs the wheel
    finally:
        ctx.close()
    watch.check()


# ── the worker survives ─────────────────────────────────────────────────────
def test_when_python_dies_the_page_restarts_it_and_computes_again(browser, server):
    ctx, watch, page = open_watched(browser, server, FRESH_LINK,
                                    allowed_errors=("fatal", "Maximum call stack", "RangeError", "Python stopped"))
    try:
        wait_ready(page)
        wait_until(page, "() => document.querySelector('#result').dataset.source === 'worker'")
        said = page.evaluate("() => window.tafPage.crashPython()")
        assert said.startswith("stopped: Python stopped"), said
        wait_until(page, "() => window.tafPage.statusLog.filter((s) => s.state === 'ready').length === 2")
        log = page.evaluate("() => window.tafPage.statusLog.map((s) => s.state)")
        dead = log.index("dead")
        assert log[dead + 1:].count("ready") == 1 and log[-1] == "ready" and "loading" in log[dead + 1:]
        assert "restarted after Python stopped" in page.text_content("#status-text")
        # the new interpreter computes: an edit, and a call the old one answered before
        before = page.evaluate("() => document.querySelector('#result').dataset.key")
        page.locator('fieldset[data-form="X-2"] .field[data-param="T_eval"] input').fill("34567")
        wait_new_result(page, before)
        assert page.evaluate("() => window.tafPage.lastText()") == run_json("X-2", {**FRESH, "T_eval": "34567"})
        assert page.evaluate("(c) => window.tafPage.call(c.fn, c.recipe, c.args)",
                             {"fn": "run", "recipe": "X-2", "args": json.dumps(FRESH, separators=(",", ":"))}) \
            == run_json("X-2", FRESH)
    finally:
        ctx.close()
    watch.check()


# ── one page, one build ─────────────────────────────────────────────────────
def test_a_new_build_never_mixes_into_an_open_page(browser, site, tmp_path, serve, monkeypatch):
    deployed = copy_site(site, tmp_path / "deployed")
    build_a = site[1]["build_id"]
    base = serve(deployed)
    ctx, watch, page = open_watched(browser, base, FRESH_LINK)
    try:
        wait_ready(page)
        page.wait_for_selector("body[data-offline=ready]", timeout=BOOT_TIMEOUT_MS)
        page.reload()  # now served by build A's Service Worker, from its cache
        wait_ready(page)
        assert page.evaluate("() => !!navigator.serviceWorker.controller")

        # deploy build B (a different page: one more example) over A
        monkeypatch.setattr(build_site, "EXAMPLES", build_site.EXAMPLES + (
            {"title": "Llama-3-8B at 16K context", "view": "recipe", "recipe": "X-2", "preset": LLAMA,
             "params": {"T_eval": "16000"}},))
        summary_b = build_site.build(tmp_path / "b", quiet=True)
        build_b = summary_b["build_id"]
        assert build_b != build_a
        shutil.rmtree(deployed)
        shutil.copytree(tmp_path / "b", deployed)

        page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")
        page.wait_for_selector("#update:not([hidden])", timeout=BOOT_TIMEOUT_MS)
        assert "A new version is available" in page.text_content("#update")
        # A keeps working as A: its worker, and files it had not loaded yet come from A's cache
        assert page.evaluate("() => window.tafPage.build") == build_a
        assert [r["build"] for r in ready_entries(page)] == [build_a]
        mistral = "mistralai/Mistral-7B-v0.1"
        page.evaluate("(href) => document.querySelector(`a[href='${href}']`).click()",
                      build_site.page_query({"view": "profile", "preset": mistral}))
        wait_until(page, "() => document.querySelector('#result').dataset.key.startsWith('profile')")
        wait_result(page)
        assert page.evaluate("() => document.querySelector('#result').dataset.source") == "precomputed"
        assert page.evaluate("() => window.tafPage.lastText()") == taf.profile_model_json(json.dumps({"preset": mistral}))
        before = page.evaluate("() => document.querySelector('#result').dataset.key")
        page.locator('fieldset[data-form="profile"] .field[data-param="T_eval"] input').fill("45678")
        wait_new_result(page, before)
        assert page.evaluate("() => document.querySelector('#result').dataset.source") == "worker"
        assert sorted(page.evaluate("() => caches.keys()")) == sorted(["taf-" + build_a, "taf-" + build_b])

        # the user accepts the new version: the page reloads, and everything is B
        with page.expect_navigation():
            page.click("#update-reload")
        wait_ready(page)
        assert page.evaluate("() => window.tafPage.build") == build_b
        ready = ready_entries(page)
        assert [r["build"] for r in ready] == [build_b] and ready[0]["snapshot"] is True
        assert page.locator("#update").is_hidden()
        assert page.evaluate("() => caches.keys()") == ["taf-" + build_b]
        assert json.loads(page.text_content("#build-info"))["build"] == build_b
    finally:
        ctx.close()
    watch.check()


# ── the policy covers workers and framing ───────────────────────────────────
PROBE_WORKER = """
fetch(%s, { mode: 'no-cors' }).then(() => postMessage('fetched'), () => postMessage('blocked'));
"""


class _PlainHandler(http.server.SimpleHTTPRequestHandler):
    """A server with no security headers (the control)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **build_site.MIME_TYPES}

    def log_message(self, *args):
        pass


def test_the_policy_keeps_workers_in_the_origin_and_the_page_out_of_frames(browser, site, tmp_path, serve):
    out = copy_site(site, tmp_path / "site")
    other = serve(tmp_path / "site", handler=_PlainHandler)  # another origin (port), no headers
    (out / "_probe").mkdir()
    (out / "_probe" / "worker.js").write_text(PROBE_WORKER % json.dumps(other + "icon.svg"))
    base = serve(out)
    (out / "_probe" / "frame.html").write_text(f'<!doctype html><title>frame</title><iframe src="{base}"></iframe>')
    probe = "() => new Promise((ok) => { const w = new Worker('_probe/worker.js'); w.onmessage = (e) => ok(e.data); })"
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(base + "icon.svg")
        assert page.evaluate(probe) == "blocked"  # the worker's own response carries the policy
        page.goto(other + "icon.svg")
        assert page.evaluate(probe) == "fetched"  # control: the same worker without the policy
        page.goto(other + "_probe/frame.html")
        page.wait_for_timeout(500)
        framed = page.frames[1]
        assert not framed.url.startswith(base), framed.url  # frame-ancestors 'none': not shown
    finally:
        ctx.close()
