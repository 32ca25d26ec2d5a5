"""Browser tests: the built site in real headless Chromium (Debian's ``chromium``) via Playwright.

One session builds the site once (into a temporary folder), serves it on a free port of
127.0.0.1 in a thread and launches one browser; each test gets a fresh browser context whose
console, page errors and requests are watched: any console error, uncaught exception or request
to another origin fails the test that caused it.
"""
from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import build_site  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: generous: a cold Pyodide boot is ~2 s on an idle 2-core machine, much more when it is busy
BOOT_TIMEOUT_MS = 90_000


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The site, built once for the session (the Pyodide runtime comes from .cache/pyodide/)."""
    out = tmp_path_factory.mktemp("site")
    summary = build_site.build(out, quiet=True)
    return out, summary


@pytest.fixture(scope="session")
def server(site):
    srv, base = build_site.serve_in_thread(site[0])
    yield base
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or CHROMIUM
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield b
        b.close()


class Watch:
    """Console errors, page errors and requests of one browser context."""

    def __init__(self, base: str):
        self.base = base
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.allowed_errors: list[str] = []

    def attach(self, page):
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        return page

    def foreign(self) -> list[str]:
        return [u for u in self.requests
                if not (u.startswith(self.base) or u.startswith("blob:") or u.startswith("data:"))]

    def check(self):
        errors = [e for e in self.errors if not any(a in e for a in self.allowed_errors)]
        assert not errors, "console or page errors:\n" + "\n".join(errors)
        assert not self.foreign(), "requests left the origin: " + ", ".join(self.foreign())
        assert self.requests, "no request was observed (the watcher is broken)"


@pytest.fixture
def make_context(browser, server):
    """``make_context(**options) -> (context, watch)``; every context is checked at teardown."""
    made = []

    def make(**options):
        ctx = browser.new_context(**options)
        watch = Watch(server)
        ctx.on("request", lambda r: watch.requests.append(r.url))
        ctx.on("page", watch.attach)
        made.append((ctx, watch))
        return ctx, watch

    yield make
    for ctx, watch in made:
        ctx.close()
    for ctx, watch in made:
        watch.check()


def page_state(page) -> str:
    """What the page says about itself, for the message of a failed wait."""
    try:
        return page.evaluate("""() => JSON.stringify({url: location.href, py: document.body.dataset.py,
            status: document.querySelector('#status-text').textContent, result: {...document.querySelector('#result').dataset},
            log: window.tafPage && window.tafPage.statusLog})""")
    except Exception as err:  # noqa: BLE001 - diagnostics only
        return f"(unavailable: {err})"


def _wait_selector(page, selector, timeout):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    try:
        page.wait_for_selector(selector, timeout=timeout)
    except PlaywrightTimeout as err:
        raise AssertionError(f"timed out waiting for {selector}; page state: {page_state(page)}") from err


def wait_result(page, timeout=BOOT_TIMEOUT_MS):
    """Wait until a result (or an error) from Python or the pre-computed set is on screen."""
    _wait_selector(page, "#result[data-status]", timeout)


def wait_ready(page, timeout=BOOT_TIMEOUT_MS):
    _wait_selector(page, "body[data-py=ready]", timeout)


def wait_until(page, fn: str, arg=None, timeout=BOOT_TIMEOUT_MS, interval=0.03):
    """Poll ``page.evaluate(fn, arg)`` until it is truthy (``page.wait_for_function`` evaluates a
    string, which the page's Content-Security-Policy forbids)."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        value = page.evaluate(fn, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {fn}; page state: {page_state(page)}")
        time.sleep(interval)


def result_key(page) -> str | None:
    return page.evaluate("() => document.querySelector('#result').dataset.key || null")


def wait_new_result(page, key_before: str | None, timeout=BOOT_TIMEOUT_MS) -> str:
    """Wait for a rendered result whose request key differs from ``key_before``; returns the key."""
    return wait_until(page, "(before) => { const r = document.querySelector('#result'); "
                            "return r.dataset.status && r.dataset.key !== before && !r.classList.contains('stale') "
                            "&& r.dataset.key; }", key_before, timeout)
