#!/usr/bin/env python3
"""Take the README's screenshots of the page: ``docs/screenshot.png`` (desktop, light) and
``docs/screenshot-phone-dark.png`` (phone-sized, dark), on the preset link of the README.

    python3 scripts/screenshot.py        # builds site/, serves it on a free port, shoots

Uses Python playwright with Debian's chromium, like the browser tests.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_site  # noqa: E402

LINK = "?r=X-2&preset=meta-llama/Meta-Llama-3-8B&T_eval=32000"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DOCS = build_site.ROOT / "docs"


def main() -> int:
    from playwright.sync_api import sync_playwright

    build_site.build(build_site.SITE)
    server, base = build_site.serve_in_thread(build_site.SITE)
    DOCS.mkdir(exist_ok=True)
    shots = (
        ("screenshot.png", {"viewport": {"width": 1280, "height": 860}, "color_scheme": "light"}),
        ("screenshot-phone-dark.png", {"viewport": {"width": 390, "height": 844}, "color_scheme": "dark",
                                       "is_mobile": True, "device_scale_factor": 2}),
    )
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=FLAGS)
            for name, options in shots:
                ctx = browser.new_context(**options)
                page = ctx.new_page()
                page.goto(base + LINK)
                page.wait_for_selector("body[data-py=ready]", timeout=120_000)
                page.wait_for_selector("body[data-offline=ready]", timeout=120_000)
                page.screenshot(path=str(DOCS / name))
                ctx.close()
                print(f"wrote {DOCS / name}", file=sys.stderr)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
