"""scripts/build_site.py without a browser or network: the wheel, the lock entry, the rendered
page, the Service Worker's precache list, the pre-computed results and the server's MIME types.
The Pyodide runtime is replaced by stub files here; tests/browser/ uses the real one."""
from __future__ import annotations

import base64
import gzip
import hashlib
import html
import html.parser
import io
import json
import re
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

import taf
import taf.registry

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import build_site  # noqa: E402

STUB_LOCK = json.dumps({"info": {"python": "3.14.2"}, "packages": {"micropip": {"name": "micropip"}}}).encode()
STUB_RUNTIME = {name: f"stub {name}".encode() for name in build_site.PYODIDE_FILES}
STUB_RUNTIME["pyodide-lock.json"] = STUB_LOCK


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    summary = build_site.build(out, runtime=STUB_RUNTIME, quiet=True)
    return out, summary


def site_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


# ── the wheel ───────────────────────────────────────────────────────────────
def test_wheel_is_deterministic_and_complete():
    name, wheel = build_site.build_wheel(ROOT / "taf", taf.__version__)
    assert name == f"taf-{taf.__version__}-py3-none-any.whl"
    assert build_site.build_wheel(ROOT / "taf", taf.__version__)[1] == wheel
    zf = zipfile.ZipFile(io.BytesIO(wheel))
    names = zf.namelist()
    sources = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "taf").rglob("*.py")
                     if "__pycache__" not in p.parts)
    assert sorted(n for n in names if n.startswith("taf/")) == sources
    assert all(zf.read(n) == (ROOT / n).read_bytes() for n in sources)  # the sources as they are
    modules = build_site.wheel_modules(wheel)
    assert {"taf", "taf.registry", "taf.recipes", "taf.recipes.x2_long_context", "taf.__main__"} <= modules
    assert len(modules) == len(sources)
    assert names[-1] == f"taf-{taf.__version__}.dist-info/RECORD"
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in zf.infolist())
    metadata = zf.read(f"taf-{taf.__version__}.dist-info/METADATA").decode()
    assert f"Name: taf\nVersion: {taf.__version__}\n" in metadata
    assert "Root-Is-Purelib: true" in zf.read(f"taf-{taf.__version__}.dist-info/WHEEL").decode()
    # RECORD lists every other file with its urlsafe-base64 sha256 and size
    record = zf.read(f"taf-{taf.__version__}.dist-info/RECORD").decode().splitlines()
    assert len(record) == len(names)
    for line in record[:-1]:
        path, digest, size = line.rsplit(",", 2)
        data = zf.read(path)
        expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert digest == f"sha256={expected}" and int(size) == len(data)
    assert record[-1] == f"taf-{taf.__version__}.dist-info/RECORD,,"


def test_lock_entry_carries_the_wheel_sha256():
    name, wheel = build_site.build_wheel(ROOT / "taf", taf.__version__)
    lock = json.loads(build_site.lock_with_taf(STUB_LOCK, name, wheel, taf.__version__))
    entry = lock["packages"]["taf"]
    assert entry["file_name"] == name and entry["version"] == taf.__version__
    assert entry["sha256"] == hashlib.sha256(wheel).hexdigest()
    assert entry["imports"] == ["taf"] and entry["depends"] == [] and entry["install_dir"] == "site"
    assert list(lock["packages"]) == ["taf"]  # the site ships no other package: no entry promises one
    assert lock["info"] == json.loads(STUB_LOCK)["info"]


# ── the Pyodide runtime pin ─────────────────────────────────────────────────
def test_runtime_pin_and_integrity_check(tmp_path):
    assert re.fullmatch(r"\d+\.\d+\.\d+", build_site.PYODIDE_VERSION)
    assert build_site.PYODIDE_INTEGRITY.startswith("sha512-")
    assert len(base64.b64decode(build_site.PYODIDE_INTEGRITY[7:])) == 64
    assert build_site.sri_sha512(b"abc") == "sha512-" + base64.b64encode(hashlib.sha512(b"abc").digest()).decode()
    # a cached tarball that fails the check is not used (and is not fetched again with --offline)
    bad = tmp_path / f"pyodide-{build_site.PYODIDE_VERSION}.tgz"
    bad.write_bytes(b"not the pyodide package")
    with pytest.raises(build_site.BuildError, match="not cached"):
        build_site.pyodide_tarball(tmp_path, offline=True)
    assert not bad.exists()


# ── the page ────────────────────────────────────────────────────────────────
class _Forms(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.form = None
        self.fields: dict[str, list[str]] = {}
        self.options: dict[str, list[str]] = {}
        self.select = None
        self.in_option = False
        self.links: list[str] = []
        self.meta: dict[str, str] = {}
        self.scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "fieldset" and "data-form" in a:
            self.form = a["data-form"]
            self.fields[self.form] = []
        if tag == "div" and a.get("class") == "field" and self.form:
            self.fields[self.form].append(a["data-param"])
        if tag == "select" and "id" in a:
            self.select = a["id"]
            self.options[self.select] = []
        if tag == "option" and self.select:
            self.in_option = True
        if tag == "a":
            self.links.append(a.get("href", ""))
        if tag == "meta" and "http-equiv" in a:
            self.meta[a["http-equiv"]] = a["content"]
        if tag in ("script", "link", "img"):
            self.scripts.append(a)

    def handle_endtag(self, tag):
        if tag == "fieldset":
            self.form = None
        if tag == "select":
            self.select = None
        if tag == "option":
            self.in_option = False

    def handle_data(self, data):
        if self.in_option and self.select:
            self.options[self.select].append(data.strip())


def test_every_form_recipe_and_preset_is_static_html(built):
    out, summary = built
    page = _Forms()
    page.feed((out / "index.html").read_text(encoding="utf-8"))
    recipes = taf.list_recipes()
    for recipe in recipes:
        assert page.fields[recipe["id"]] == [p["name"] for p in recipe["params"]], recipe["id"]
        # the recipe list opens each recipe (on its worked example, scripts/landing.py)
        assert any(link == f"?r={recipe['id']}" or link.startswith(f"?r={recipe['id']}&") for link in page.links)
    by_category: dict[str, list[str]] = {}
    for r in recipes:  # the recipe picker groups by category, in order of first appearance
        by_category.setdefault(r["category"], []).append(f"{r['id']} · {r['name']}")
    assert page.options["recipe"] == [label for labels in by_category.values() for label in labels]
    presets = [p["id"] for p in taf.list_presets()]
    assert page.options["preset"][1:] == presets
    for preset in presets:
        assert build_site.page_query({"view": "profile", "preset": preset}) in page.links
    assert "T_eval" in page.fields["profile"] and "theta" in page.fields["profile"]
    csp = page.meta["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "'wasm-unsafe-eval'" in csp and "unsafe-inline" not in csp
    # no inline script: every script is a file of the site (or inert JSON)
    for attrs in page.scripts:
        src = attrs.get("src") or attrs.get("href")
        assert src is None and attrs.get("type") == "application/json" or not re.match(r"[a-z]+:", src or ""), attrs


def test_the_page_loads_nothing_from_another_host(built):
    """No code names another host; HTML names one only as text or as a link a reader follows
    (``<a href>``: a reference, a data row's source); data (JSON) may carry source addresses."""
    out, summary = built
    for name, data in site_files(out).items():
        if name.startswith("pyodide/") or name.endswith(".gz") or name.endswith(".json"):
            continue
        # the one other host the site may reach is in its Content-Security-Policy (connect-src, for a
        # config.json the user asks for by model id: the header files for static hosts repeat it)
        text = data.decode("utf-8").replace(build_site.CSP_HEADER, "")
        if name.endswith(".html"):
            attrs = re.findall(r"<(\w+)[^>]*?\s([\w-]+)=[\"']?(https?://[^\s\"'<>]+)", text)
            bad = [(tag, attr, url) for tag, attr, url in attrs if (tag, attr) != ("a", "href")]
            assert not bad, f"{name} loads from other hosts: {bad}"
            assert "url(http" not in text, name
            continue
        urls = set(re.findall(r"https?://[^\s\"'<>)]+", text)) - {"http://www.w3.org/2000/svg"}
        if name == "app.js":  # the one request a user may ask for: a config.json from Hugging Face
            urls = {u for u in urls if u.split("/")[2] != "huggingface.co"}
        assert not urls, f"{name} names other hosts: {urls}"


def test_service_worker_precaches_every_file_with_its_hash(built):
    out, summary = built
    files = site_files(out)
    sw = files.pop("sw.js").decode()
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", sw).group(1))
    listed = {path: digest for path, digest in precache}
    index = files.pop("index.html")
    assert listed.pop("./") == hashlib.sha256(index).hexdigest()[:16]
    assert set(listed) == set(files) - set(build_site.HOST_FILES)
    for path, digest in listed.items():
        assert hashlib.sha256(files[path]).hexdigest().startswith(digest), path
    # one cache per build, named after the build id the page and the worker carry
    assert re.search(r"const BUILD = '([0-9a-f]{16})'", sw).group(1) == summary["build_id"]
    assert f"const BUILD = '{summary['build_id']}';".encode() in files["worker.js"]
    assert f'"build":"{summary["build_id"]}"'.encode() in index


def test_build_is_byte_for_byte_reproducible(built, tmp_path):
    out, summary = built
    again = build_site.build(tmp_path / "again", runtime=STUB_RUNTIME, quiet=True)
    assert site_files(out) == site_files(tmp_path / "again")
    assert again["wheel_sha256"] == summary["wheel_sha256"]


def test_precomputed_results_are_cpython_results_of_the_linked_states(built):
    out, summary = built
    info = json.loads(re.search(r'<script type="application/json" id="build-info">(.*?)</script>',
                                (out / "index.html").read_text(encoding="utf-8")).group(1))
    keys = set()
    for group, path in info["precomputed"].items():
        results = {}
        for line in gzip.decompress((out / path).read_bytes()).decode().splitlines():
            key, text = line.split("\t", 1)
            if key.startswith("echo "):  # the form echo of the result just before it (Python's answer)
                fn, recipe, args = key.removeprefix("echo ").split(" ", 2)
                assert text == taf.registry.input_echo_json(fn, recipe, args, results[key.removeprefix("echo ")])
                continue
            fn, recipe, args = key.split(" ", 2)
            assert f"{fn} {recipe}" == group
            assert text == build_site.call_taf(taf, fn, recipe, args)
            assert f"echo {key}" not in keys
            results[key] = text
            keys.add(key)
    assert len(keys) == summary["precomputed_results"]
    llama = "meta-llama/Meta-Llama-3-8B"
    for recipe in taf.list_recipes():  # the recipe list links …
        assert f'run {recipe["id"]} {{}}' in keys
    for preset in taf.list_presets():  # … every recipe × preset, and every Profile of the preset list
        assert f'profile - {{"preset":"{preset["id"]}"}}' in keys
        assert f'run X-2 {{"preset":"{preset["id"]}"}}' in keys
    assert f'run X-2 {{"preset":"{llama}","T_eval":"32000"}}' in keys  # the README's link
    assert len(build_site.example_links(taf.list_recipes(), taf.list_presets(), {})) == len(build_site.EXAMPLES)


def test_link_format():
    state = {"recipe": "X-2", "preset": "meta-llama/Meta-Llama-3-8B", "params": {"T_eval": "32000"}}
    assert build_site.page_query(state) == "?r=X-2&preset=meta-llama/Meta-Llama-3-8B&T_eval=32000"
    assert build_site.worker_call(state) == ("run", "X-2", '{"preset":"meta-llama/Meta-Llama-3-8B","T_eval":"32000"}')
    compare = {"view": "compare", "recipe": "X-5", "models": ["a/b", "c d"], "params": {"T_eval": "32k"}}
    assert build_site.page_query(compare) == "?view=compare&r=X-5&m=a/b&m=c%20d&T_eval=32k"
    assert build_site.worker_call(compare) == (
        "compare", "X-5", '{"recipe_id":"X-5","models":[{"preset":"a/b"},{"preset":"c d"}],"shared_params":{"T_eval":"32k"}}')
    profile = {"view": "profile", "preset": "p", "params": {"T_eval": "1e7"}}
    assert build_site.page_query(profile) == "?view=profile&preset=p&T_eval=1e7"
    assert build_site.worker_call(profile) == ("profile", "-", '{"preset":"p","T_eval":"1e7"}')
    assert build_site.page_query({"recipe": "X-2", "params": {"x": "<&>é"}}) == "?r=X-2&x=%3C%26%3E%C3%A9"
    assert build_site.script_json({"a": "</script>&"}) == '{"a":"\\u003c/script\\u003e\\u0026"}'


def test_server_mime_types(built):
    out, summary = built
    server, base = build_site.serve_in_thread(out)
    try:
        expected = {"": "text/html", "app.js": "text/javascript", "pyodide/pyodide.mjs": "text/javascript",
                    "pyodide/pyodide.asm.wasm": "application/wasm", "pyodide/pyodide-lock.json": "application/json",
                    "style.css": "text/css", "sw.js": "text/javascript", "icon.svg": "image/svg+xml"}
        for path, mime in expected.items():
            with urllib.request.urlopen(base + path) as response:
                assert response.headers["Content-Type"].split(";")[0] == mime, path
        assert base.startswith("http://127.0.0.1:")
    finally:
        server.shutdown()
        server.server_close()


# ── response headers (issue 16: defence in depth) ───────────────────────────
def test_server_sends_the_security_headers_on_every_file(built):
    """Document, worker script, Service Worker, runtime, data, a 404: each response carries the
    policy (so a worker or the Service Worker never runs without one), no framing, no sniffing."""
    out, summary = built
    server, base = build_site.serve_in_thread(out)
    try:
        for path in ("", "index.html", "?r=X-2&T_eval=1", "worker.js", "sw.js", "boot.js", "pyodide/pyodide.mjs",
                     "pyodide/pyodide.asm.wasm", "pyodide/pyodide-lock.json", "no-such-file"):
            try:
                response = urllib.request.urlopen(base + path)
            except urllib.error.HTTPError as err:  # the 404 carries them too
                response = err
            with response:
                headers = response.headers
                assert headers["Content-Security-Policy"] == build_site.CSP_HEADER, path
                assert headers["X-Content-Type-Options"] == "nosniff", path
                assert headers["X-Frame-Options"] == "DENY", path
                assert headers["Referrer-Policy"] == "no-referrer", path
    finally:
        server.shutdown()
        server.server_close()
    csp = dict(d.split(" ", 1) for d in build_site.CSP_HEADER.split("; "))
    assert csp["default-src"] == "'self'" and csp["frame-ancestors"] == "'none'"
    assert csp["script-src"] == "'self' 'wasm-unsafe-eval'"  # no 'unsafe-eval', no 'unsafe-inline'
    assert csp["connect-src"] == "'self' https://huggingface.co"  # the config.json a user asks for by id
    assert csp["worker-src"] == "'self'" and csp["object-src"] == "'none'"
    # the <meta> copy is the same policy without frame-ancestors (which a <meta> policy cannot carry)
    assert build_site.CSP_META == build_site.CSP_HEADER.replace("; frame-ancestors 'none'", "")
    page = html.unescape((out / "index.html").read_text())
    assert f'<meta http-equiv="Content-Security-Policy" content="{build_site.CSP_META}">' in page


def test_header_files_for_static_hosts_say_the_same(built):
    out, summary = built
    netlify = (out / "_headers").read_text()
    apache = (out / ".htaccess").read_text()
    nginx = (ROOT / "docs" / "headers-nginx.conf").read_text()
    assert nginx == build_site.nginx_snippet(), "docs/headers-nginx.conf is stale: regenerate it from nginx_snippet()"
    for name, value in build_site.SECURITY_HEADERS:
        assert f"\n  {name}: {value}\n" in netlify
        assert f'Header always set {name} "{value}"\n' in apache
        assert f'add_header {name} "{value}" always;\n' in nginx
    assert netlify.splitlines()[1] == "/*"
    assert "AddType application/wasm .wasm" in apache and "application/wasm" in nginx
