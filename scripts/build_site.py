#!/usr/bin/env python3
"""Build the static TAF Browser page into ``site/`` (and optionally serve it).

    python3 scripts/build_site.py                 # build site/
    python3 scripts/build_site.py --serve         # build, then serve on http://127.0.0.1:8000/
    python3 scripts/build_site.py --serve --port 8123 [--no-build]

What goes into ``site/`` (SPEC §6–§7):

* ``index.html`` — rendered by jinja2 from ``web/index.html.j2`` and the recipe schemas
  (``taf.list_recipes()``) and presets (``taf.list_presets()``): every form, the recipe
  list and the preset list exist as static HTML before any Python runs in the browser.
* ``boot.js``, ``app.js``, ``render.js``, ``worker.js``, ``style.css``, ``icon.svg`` — copied
  from ``web/``; ``sw.js`` — the Service Worker, rendered with its precache list (every site
  file with its sha256 content hash).
* ``pyodide/`` — the Pyodide runtime (``pyodide.mjs``, ``pyodide.asm.mjs``,
  ``pyodide.asm.wasm``, ``python_stdlib.zip``, ``pyodide-lock.json``) from the npm package
  ``pyodide`` at :data:`PYODIDE_VERSION`, fetched once with ``npm pack``, checked against
  :data:`PYODIDE_INTEGRITY` and cached in ``.cache/pyodide/`` so a rebuild needs no network;
  plus the ``taf`` wheel, built here with the standard library (deterministic bytes), and a
  ``taf`` entry with the wheel's sha256 added to the copy of ``pyodide-lock.json``
  (``loadPackage('taf')`` works with it).
* ``pyodide/snapshot.bin.gz`` — a Pyodide memory snapshot made under Node with the same runtime
  (scripts/make_snapshot.mjs) after installing the wheel and importing every module of taf; the
  page's worker boots from it (~3× faster than the ordinary boot, see bench/) after checking its
  integrity, taf version and build id, and falls back to the ordinary boot (fetch the wheel with
  its sha256 as Subresource Integrity, ``unpackArchive``) if anything about it fails. The build
  fails if the snapshot cannot be made. Its bytes are the same from build to build except for the
  random-number state Python seeds at start-up from the OS (ChaCha20 and Mersenne Twister states,
  a few KB) and a few clock readings: so the site's build id leaves the snapshot out (it hashes
  everything else, the snapshot script included).
* ``_headers`` and ``.htaccess`` — the response headers (:data:`SECURITY_HEADERS`) for Netlify /
  Cloudflare Pages and Apache; ``--serve`` sends the same; docs/headers-nginx.conf for nginx.
* ``precomputed/*.txt.gz`` — results computed by CPython at build time for the states the
  page links to (every recipe without and with every preset, every Profile of the preset
  list, the examples), so such a link renders before Pyodide is ready. Each line is
  ``key<TAB>json``; the json is exactly what the worker returns for the same call
  (tests/browser/test_parity.py checks every one).
"""
from __future__ import annotations

import argparse
import base64
import functools
import gzip
import hashlib
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # build from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))

# the page's requests and their cache keys, and the query keys it reserves, are taf's (one source)
from taf.links import PRIVATE_LINK_MAX, PRIVATE_PARAMS, RESERVED_KEYS, page_query  # noqa: E402
from taf.links import encode_query_value as _q  # noqa: E402
from taf.registry import blank_field_text, input_echo_json  # noqa: E402
from taf.textfmt import format_default  # noqa: E402
from taf.request_key import MODEL_RECIPE, echo_key, group_key, request_json, request_key, worker_call  # noqa: E402

WEB = ROOT / "web"
SITE = ROOT / "site"
CACHE = ROOT / ".cache" / "pyodide"

#: the npm package ``pyodide`` this site ships (Python 3.14 inside)
PYODIDE_VERSION = "314.0.7"
#: ``npm view pyodide@314.0.7 dist.integrity`` — checked on every build
PYODIDE_INTEGRITY = ("sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A==")
#: the runtime files the page needs (nothing else from the package is shipped)
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")

#: first-party static files copied verbatim from web/
STATIC_FILES = ("boot.js", "app.js", "render.js", "charts.js", "worker.js", "style.css", "icon.svg")

#: the Node script that makes the Pyodide memory snapshot (run with the pinned runtime)
SNAPSHOT_SCRIPT = ROOT / "scripts" / "make_snapshot.mjs"
#: modules of the wheel the page never imports (the command line): left out of the snapshot. taf.cli
#: brings argparse; without it the heap stays at 31.5 MB instead of 37.7 MB (snapshot −300 KB gzipped)
SNAPSHOT_LEAVES_OUT = ("taf.__main__", "taf.cli")
#: the environment Python starts with in the snapshot and in the worker's ordinary boot: a fixed hash
#: seed (dict and set layouts do not depend on a random seed) and -OO (no docstrings in memory: −500 KB
#: of snapshot gzipped; taf reads no docstring and has no assert, tests/test_lint.py)
PYTHON_ENV = {"PYTHONHASHSEED": "0", "PYTHONOPTIMIZE": "2"}
#: where the snapshot goes in the site (gzip; the worker inflates it with DecompressionStream)
SNAPSHOT_FILE = "pyodide/snapshot.bin.gz"
#: the line of web/worker.js that the build stamps with the build id
WORKER_BUILD_LINE = "const BUILD = 'dev';"

#: the one Content-Security-Policy of the site (document, Web Worker and Service Worker): only this
#: origin, WebAssembly compilation for Pyodide, and huggingface.co for the config.json a user asks
#: for by model id. Sent as a header by ``--serve`` and by the header files for static hosts; the
#: page repeats it in a <meta> tag (without frame-ancestors, which a <meta> policy cannot carry).
CSP_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self' https://huggingface.co",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
)
CSP_HEADER = "; ".join(CSP_DIRECTIVES)
CSP_META = "; ".join(d for d in CSP_DIRECTIVES if not d.startswith("frame-ancestors"))
#: response headers every file of the site should be served with (any static host)
SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP_HEADER),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)
#: files written for static hosts, not part of the page (not pre-cached)
HOST_FILES = ("_headers", ".htaccess")

#: fixed timestamp for every zip entry (the earliest a zip can hold) → same bytes every build
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

#: curated example links shown on the page (and pre-computed). Entries naming a recipe or preset
#: that is not registered are skipped, so the list never breaks the build.
EXAMPLES = (
    {"title": "Llama-3-8B at 32K context", "view": "recipe", "recipe": "X-2",
     "preset": "meta-llama/Meta-Llama-3-8B", "params": {"T_eval": "32000"}},
    {"title": "Qwen2.5-7B at its 32K training length", "view": "recipe", "recipe": "X-2",
     "preset": "Qwen/Qwen2.5-7B", "params": {}},
    {"title": "TAF card of Mistral-7B", "view": "profile", "preset": "mistralai/Mistral-7B-v0.1", "params": {}},
    {"title": "Three 7–8B models at 32K, side by side", "view": "compare", "recipe": "X-2",
     "models": ["meta-llama/Meta-Llama-3-8B", "mistralai/Mistral-7B-v0.1", "Qwen/Qwen2.5-7B"],
     "params": {"T_eval": "32000"}},
)

MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".gz": "application/gzip",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
}


class BuildError(Exception):
    """A build step failed; the message says what to do."""


# ── Pyodide runtime ─────────────────────────────────────────────────────────
def sri_sha512(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def pyodide_tarball(cache_dir: Path = CACHE, offline: bool = False) -> bytes:
    """The verified bytes of ``pyodide-<PYODIDE_VERSION>.tgz``, from the cache or ``npm pack``."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    tgz = cache_dir / f"pyodide-{PYODIDE_VERSION}.tgz"
    if tgz.exists():
        data = tgz.read_bytes()
        if sri_sha512(data) == PYODIDE_INTEGRITY:
            return data
        print(f"build_site: cached {tgz} fails its integrity check; fetching it again", file=sys.stderr)
        tgz.unlink()
    if offline:
        raise BuildError(f"{tgz} is not cached and --offline was given")
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm is needed once to fetch the Pyodide runtime (`apt-get install npm`, "
                         "or run `make site`, which installs it)")
    with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
        cmd = [npm, "pack", f"pyodide@{PYODIDE_VERSION}", "--pack-destination", tmp, "--silent"]
        print("build_site: fetching the Pyodide runtime:", " ".join(cmd[1:]), file=sys.stderr)
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        fetched = Path(tmp) / f"pyodide-{PYODIDE_VERSION}.tgz"
        if proc.returncode != 0 or not fetched.exists():
            raise BuildError(f"`npm pack pyodide@{PYODIDE_VERSION}` failed: {proc.stderr.strip()[-500:]}")
        data = fetched.read_bytes()
        if sri_sha512(data) != PYODIDE_INTEGRITY:
            raise BuildError(f"pyodide-{PYODIDE_VERSION}.tgz from npm has integrity {sri_sha512(data)}, "
                             f"expected {PYODIDE_INTEGRITY}; refusing to use it")
        os.replace(fetched, tgz)
    return data


def pyodide_files(tarball: bytes) -> dict[str, bytes]:
    """The runtime files of :data:`PYODIDE_FILES` from the npm tarball."""
    out: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        for name in PYODIDE_FILES:
            member = tar.extractfile(f"package/{name}")
            if member is None:
                raise BuildError(f"the pyodide package has no {name}")
            out[name] = member.read()
    return out


# ── the taf wheel ───────────────────────────────────────────────────────────
def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def _zip_entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3  # unix, whatever the build host
    return info


def build_wheel(package_dir: Path, version: str) -> tuple[str, bytes]:
    """A pure-Python wheel of ``package_dir`` with deterministic bytes: ``(file name, bytes)``.

    Entries are sorted, every timestamp is 1980-01-01 and the permissions fixed, so the
    same sources always give the same wheel (and the same sha256 in the lock file). The sources
    go in as they are: the page boots from the memory snapshot, which holds the compiled modules
    (the wheel is only fetched by the fallback boot), so blanking docstrings and comments, as
    earlier builds did, no longer pays (measured: +56 KB wheel, +133 KB gzipped snapshot).
    """
    files: dict[str, bytes] = {}
    for path in sorted(package_dir.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
            continue
        files[path.relative_to(package_dir.parent).as_posix()] = path.read_bytes()
    dist_info = f"taf-{version}.dist-info"
    files[f"{dist_info}/METADATA"] = (
        "Metadata-Version: 2.1\nName: taf\nVersion: " + version + "\n"
        "Summary: TAF Browser: viability calculators for training and serving large language models.\n"
        "Requires-Python: >=3.10\nLicense: Apache-2.0\n").encode()
    files[f"{dist_info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: taf build_site.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n").encode()
    files[f"{dist_info}/top_level.txt"] = b"taf\n"
    record = "".join(f"{name},{_record_hash(data)},{len(data)}\n" for name, data in sorted(files.items()))
    record += f"{dist_info}/RECORD,,\n"
    files[f"{dist_info}/RECORD"] = record.encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        # dist-info last, RECORD last of all (the wheel convention)
        order = sorted(n for n in files if not n.startswith(dist_info)) + \
            sorted(n for n in files if n.startswith(dist_info) and not n.endswith("/RECORD")) + \
            [f"{dist_info}/RECORD"]
        for name in order:
            zf.writestr(_zip_entry(name), files[name], compresslevel=9)
    return f"taf-{version}-py3-none-any.whl", buf.getvalue()


def lock_with_taf(lock_bytes: bytes, wheel_name: str, wheel: bytes, version: str) -> bytes:
    """The site's lock file: Pyodide's ``info`` block and one package, ``taf``, with the wheel's sha256.

    The other ~360 entries of Pyodide's lock name wheels the site does not ship (it copies only
    the runtime files), so they are dropped: ``loadPackage`` of any of them could only fail, and the
    worker would download and parse ~110 KB of JSON it never uses.
    """
    lock = json.loads(lock_bytes)
    lock["packages"] = {"taf": {
        "name": "taf",
        "version": version,
        "file_name": wheel_name,
        "install_dir": "site",
        "sha256": hashlib.sha256(wheel).hexdigest(),
        "package_type": "package",
        "imports": ["taf"],
        "depends": [],
        "unvendored_tests": False,
    }}
    return json.dumps(lock, sort_keys=True, separators=(",", ":")).encode()


# ── page data from the schemas ──────────────────────────────────────────────
def json_dumps(value) -> str:
    """JSON text exactly as the page's ``JSON.stringify`` writes it (``taf.request_key.request_json``)."""
    return request_json(value)


def preset_source_text(presets: list[dict]) -> str:
    """One line on where the presets come from (the page names no other host: sources are in `taf presets --json`)."""
    from_catalog = [p["id"] for p in presets if isinstance(p.get("source"), dict)]
    other_sources = sorted({f"{p['source']} (as of {p['as_of']})" for p in presets if isinstance(p.get("source"), str)})
    text = (f"{len(from_catalog)} presets are catalog models read from their published config.json; each row's "
            "source (repository, path, commit) and curated facts are listed by `taf presets --json`")
    return text + ("" if not other_sources else "; the others: " + "; ".join(other_sources))


def page_param(param) -> dict:
    """One form field: the parameter's schema (``Param.describe()``) plus what the page shows with it."""
    # a long text parameter (a config.json) gets a "load from a local file" button
    return {**param.describe(), "allowed": param.allowed_text(), "load_file": param.widget == "json",
            "placeholder": blank_field_text(param)}


def page_model():
    """Everything the template needs, taken from taf's public API (plus the profile fields)."""
    import taf
    from taf.recipes import all_recipes

    recipes = taf.list_recipes()
    presets = taf.list_presets()
    objects = {r.id: r for r in all_recipes()}
    for recipe in recipes:
        obj = objects[recipe["id"]]
        recipe["in_profile"] = obj.in_profile
        recipe["uses_presets"] = any("preset_key" in p for p in recipe["params"])
        for p, param in zip(recipe["params"], obj.params):
            assert p["name"] == param.name
            p.update(page_param(param))
            if p["name"] in RESERVED_KEYS:
                raise BuildError(f"recipe {recipe['id']} has a parameter named {p['name']!r}, which the page "
                                 f"reserves for its own URL state ({', '.join(RESERVED_KEYS)})")
    # Profile: the architecture parameters (those a preset fills) plus the profile's extras, as
    # taf.profile.profile_params lists them (the one derivation of the form from ARCH_FIELDS)
    from taf.profile import profile_params as taf_profile_params
    profile_params = [page_param(p) for p in taf_profile_params()]
    # Profile also takes the model as a config.json (the M-1 recipe's `config` text)
    model = next((r for r in recipes if r["id"] == MODEL_RECIPE), None)
    config = next((p for p in model["params"] if p["name"] == "config"), None) if model else None
    if config is not None:
        profile_params.append({**config, "default": None, "allowed": "text (optional)", "placeholder": "optional",
                               "help": "Or describe the model by its config.json (pasted or loaded; read "
                                       "locally): it fills the architecture, values above override it."})
    categories: dict[str, list[dict]] = {}
    for recipe in recipes:
        categories.setdefault(recipe["category"], []).append(recipe)
    return taf, recipes, presets, profile_params, categories




def form_orders(recipes, profile_params) -> dict[str, list[str]]:
    """Field order of every form: the order the page writes parameters in links and requests."""
    orders = {r["id"]: [p["name"] for p in r["params"]] for r in recipes}
    orders["profile"] = [p["name"] for p in profile_params]
    return orders


def normalize_state(state: dict, orders: dict[str, list[str]]) -> dict:
    """``state`` with its parameters in the page's order (form fields first, then the rest)."""
    view = state.get("view", "recipe")
    if view == "model":
        state = {**state, "recipe": MODEL_RECIPE}
    order = orders.get("profile" if view == "profile" else state.get("recipe"), [])
    params = state.get("params", {})
    ordered = {k: params[k] for k in order if k in params}
    ordered.update({k: v for k, v in params.items() if k not in ordered})
    return {**state, "params": ordered}


def default_compare_models(presets: list[dict]) -> list[str]:
    """The models a fresh Compare view starts with (the first two presets)."""
    return [p["id"] for p in presets[:2]]


def example_links(recipes, presets, orders) -> list[dict]:
    """EXAMPLES that fit the registered recipes and presets, each with its page query."""
    recipe_ids = {r["id"]: r for r in recipes}
    preset_ids = {p["id"] for p in presets}
    out = []
    for ex in EXAMPLES:
        if ex.get("recipe") and ex["recipe"] not in recipe_ids:
            continue
        if ex.get("preset") and ex["preset"] not in preset_ids:
            continue
        if any(m not in preset_ids for m in ex.get("models", ())):
            continue
        if ex.get("recipe"):
            names = {p["name"] for p in recipe_ids[ex["recipe"]]["params"]}
            if any(k not in names for k in ex["params"]):
                continue
        ex = normalize_state(ex, orders)
        out.append({**ex, "query": page_query(ex)})
    return out


def call_taf(taf, fn: str, recipe: str, args: str) -> str:
    if fn == "run":
        return taf.run_recipe_json(recipe, args)
    if fn == "profile":
        return taf.profile_model_json(args)
    if fn == "compare":
        return taf.compare_models_json(args)
    raise ValueError(fn)


def precomputed_states(recipes, presets, orders) -> list[dict]:
    """The states whose results ship with the site: every state the page links to."""
    states: list[dict] = []
    for recipe in recipes:
        states.append({"view": "recipe", "recipe": recipe["id"], "params": {}})
        if recipe["uses_presets"]:
            for preset in presets:
                states.append({"view": "recipe", "recipe": recipe["id"], "preset": preset["id"], "params": {}})
    states.append({"view": "profile", "params": {}})
    for preset in presets:
        states.append({"view": "profile", "preset": preset["id"], "params": {}})
    for ex in example_links(recipes, presets, orders):
        states.append({k: ex[k] for k in ("view", "recipe", "preset", "models", "params") if k in ex})
    states += landing_card_states(recipes, presets)  # the landing's worked examples (page helper)
    return [normalize_state(st, orders) for st in states]


# ── the landing view's cards (scripts/landing.py; owned by the page) ────────
def landing_card_states(recipes, presets) -> list[dict]:
    """The landing cards' states (worked examples), as page states."""
    import landing
    keys = ("view", "recipe", "preset", "models", "params")
    return [{k: c[k] for k in keys if k in c} for c in landing.landing_states(recipes, presets, MODEL_RECIPE)]


def landing_view(taf, recipes, presets, orders) -> list[dict]:
    """The landing's groups of cards, each with its link and its pre-computed verdict and tone."""
    import landing
    cards = landing.landing_states(recipes, presets, MODEL_RECIPE)
    states = [normalize_state(st, orders) for st in landing_card_states(recipes, presets)]
    results = {i: json.loads(call_taf(taf, *worker_call(st))) for i, st in enumerate(states)}
    return landing.landing_groups(cards, recipes, results, [page_query(st) for st in states])
    # (a card whose example cannot be computed yet is left out: the landing never opens on an error)


def landing_links(groups) -> dict[str, str]:
    import landing
    return landing.recipe_links(groups)


def group_name(fn: str, recipe: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in recipe)
    return fn if fn == "profile" else f"{fn}-{safe}"


def precompute(taf, recipes, presets, orders) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """``{file group: (group key, [(request key, result json), (echo key, echo json), ...])}`` computed by
    CPython, deduplicated, in order; the keys are ``taf.request_key``'s (the page looks results and
    their echoes up by the same keys)."""
    groups: dict[str, tuple[str, dict[str, str]]] = {}
    for state in precomputed_states(recipes, presets, orders):
        fn, recipe, args = worker_call(state)
        key = request_key(fn, recipe, args)
        _, group = groups.setdefault(group_name(fn, recipe), (group_key(fn, recipe), {}))
        if key not in group:
            group[key] = call_taf(taf, fn, recipe, args)
            # what the form echoes beside each field (value and where it came from): Python's answer
            group[echo_key(fn, recipe, args)] = input_echo_json(fn, recipe, args, group[key])
    return {g: (index_key, list(entries.items())) for g, (index_key, entries) in groups.items()}


def gzip_bytes(data: bytes) -> bytes:
    """gzip with a zero timestamp and no file name, so equal input gives equal bytes."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    return buf.getvalue()


# ── build ───────────────────────────────────────────────────────────────────
def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sri_sha256(data: bytes) -> str:
    """Subresource Integrity value of ``data`` (what ``fetch(url, {integrity})`` checks)."""
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def make_snapshot(runtime: dict[str, bytes], wheel_name: str, wheel: bytes, build_id: str,
                  cache_dir: Path = CACHE) -> tuple[bytes, dict]:
    """The Pyodide memory snapshot (raw bytes) and what it imported, made under Node.

    The runtime goes to a fixed folder of the cache (``runtime-<version>/``), so the snapshot —
    which holds the paths it was made from — does not depend on a temporary folder. Raises
    :class:`BuildError` (the build fails) when Node is missing or the snapshot cannot be made.
    """
    node = shutil.which("node")
    if node is None:
        raise BuildError("Node.js is needed to make the Pyodide memory snapshot (`apt-get install nodejs`, "
                         "or run `make site`, which installs it)")
    work = cache_dir / f"runtime-{PYODIDE_VERSION}"
    work.mkdir(parents=True, exist_ok=True)
    for name, data in {**runtime, wheel_name: wheel}.items():
        path = work / name
        if not path.exists() or path.read_bytes() != data:
            tmp = path.with_name(f".{name}.{os.getpid()}")
            tmp.write_bytes(data)
            os.replace(tmp, path)
    out = work / f"snapshot.{os.getpid()}.bin"
    try:
        options = json.dumps({"leave_out": list(SNAPSHOT_LEAVES_OUT), "env": PYTHON_ENV})
        proc = subprocess.run([node, str(SNAPSHOT_SCRIPT), str(work), str(work / wheel_name), build_id, str(out),
                               options],
                              capture_output=True, text=True, timeout=600)
        if proc.returncode != 0 or not out.exists():
            raise BuildError(f"the Pyodide memory snapshot could not be made (node exited {proc.returncode}): "
                             f"{(proc.stderr or proc.stdout).strip()[-1500:]}")
        data = out.read_bytes()
    finally:
        out.unlink(missing_ok=True)
    try:
        report = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError) as err:
        raise BuildError(f"the snapshot script did not report what it imported: {proc.stdout[-500:]!r}") from err
    return data, report


def wheel_modules(wheel: bytes) -> set[str]:
    """The dotted names of every module in a wheel (packages by their ``__init__``)."""
    with zipfile.ZipFile(io.BytesIO(wheel)) as zf:
        names = [n[:-3] for n in zf.namelist() if n.endswith(".py")]
    return {n.removesuffix("/__init__").replace("/", ".") for n in names}


def build_id_of(files: dict[str, bytes], html_without_id: str) -> str:
    """The build id: a hash of every file of the site (worker.js before its stamp, the page with
    placeholders instead of the id and the snapshot's hash) and of the snapshot script. Two builds
    of the same sources have the same id; any change to what the page runs gives a new one."""
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(f"{name}\0{sha256_hex(data)}\n".encode())
    digest.update(b"index.html\0" + sha256_hex(html_without_id.encode()).encode())
    digest.update(b"snapshot-script\0" + sha256_hex(SNAPSHOT_SCRIPT.read_bytes()).encode())
    return digest.hexdigest()[:16]


def header_files() -> dict[str, bytes]:
    """Ready-made response-header files for static hosts: ``_headers`` (Netlify, Cloudflare Pages)
    and ``.htaccess`` (Apache, mod_headers + mod_mime); docs/headers-nginx.conf is the nginx one."""
    netlify = "# Response headers for Netlify and Cloudflare Pages (written by scripts/build_site.py)\n/*\n"
    netlify += "".join(f"  {k}: {v}\n" for k, v in SECURITY_HEADERS)
    netlify += "/pyodide/*\n  Cache-Control: no-cache\n"
    apache = "# Response headers for Apache (mod_headers, mod_mime), written by scripts/build_site.py\n"
    apache += "".join(f'Header always set {k} "{v}"\n' for k, v in SECURITY_HEADERS)
    apache += "AddType application/wasm .wasm\nAddType text/javascript .mjs\n"
    return {"_headers": netlify.encode(), ".htaccess": apache.encode()}


def nginx_snippet() -> str:
    """The nginx configuration lines for the site (docs/headers-nginx.conf holds exactly this)."""
    out = ("# nginx: in the server or location block that serves site/ (scripts/build_site.py nginx_snippet();\n"
           "# a test keeps this file equal to it). MIME types: nginx's mime.types must map .wasm to\n"
           "# application/wasm and .mjs to text/javascript (add the lines there if they are missing).\n")
    out += "".join(f"add_header {k} \"{v}\" always;\n" for k, v in SECURITY_HEADERS)
    return out


def build(out_dir: Path = SITE, cache_dir: Path = CACHE, offline: bool = False, quiet: bool = False,
          runtime: dict[str, bytes] | None = None, snapshot: bool | None = None) -> dict:
    """Write the whole site to ``out_dir``; returns a summary (file sizes, counts).

    ``runtime`` replaces the Pyodide runtime files (tests that need no browser pass stubs; such
    a build has no memory snapshot). ``snapshot`` (default: with the real runtime) makes the
    Pyodide memory snapshot under Node; the build fails if it cannot be made.
    """
    import jinja2

    taf, recipes, presets, profile_params, categories = page_model()
    version = taf.__version__

    if snapshot is None:
        snapshot = runtime is None
    if runtime is None:
        runtime = pyodide_files(pyodide_tarball(cache_dir, offline=offline))
    runtime = dict(runtime)
    wheel_name, wheel = build_wheel(ROOT / "taf", version)
    runtime["pyodide-lock.json"] = lock_with_taf(runtime["pyodide-lock.json"], wheel_name, wheel, version)

    files: dict[str, bytes] = {}
    for name, data in runtime.items():
        files[f"pyodide/{name}"] = data
    files[f"pyodide/{wheel_name}"] = wheel
    for name in STATIC_FILES:
        files[name] = (WEB / name).read_bytes()
    if WORKER_BUILD_LINE.encode() not in files["worker.js"]:
        raise BuildError(f"web/worker.js has no line {WORKER_BUILD_LINE!r} for the build id")

    orders = form_orders(recipes, profile_params)
    groups = precompute(taf, recipes, presets, orders)
    precomputed_index = {}
    n_results = 0
    for group, (index_key, entries) in sorted(groups.items()):
        text = "".join(f"{key}\t{result}\n" for key, result in entries)
        assert all("\n" not in k + r and "\t" not in k for k, r in entries)
        path = f"precomputed/{group}.txt.gz"
        files[path] = gzip_bytes(text.encode("utf-8"))
        precomputed_index[index_key] = path
        n_results += sum(1 for key, _ in entries if not key.startswith("echo "))

    landing = landing_view(taf, recipes, presets, orders)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(WEB)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["number"] = format_default
    env.filters["urlq"] = _q
    recipe_ids = [r["id"] for r in recipes]
    model_recipe = MODEL_RECIPE if MODEL_RECIPE in recipe_ids else None
    # every file the page or its worker fetches is fetched with its Subresource Integrity (sha256),
    # and the page's scripts and style sheet carry it: a file of another build is refused, never mixed in
    integrity = {path: sri_sha256(files[path]) for path in sorted(files) if path.startswith("precomputed/")}
    lock_path, wheel_path = "pyodide/pyodide-lock.json", f"pyodide/{wheel_name}"
    placeholder_id, placeholder_sri = "0" * 16, "sha256-" + "A" * 43 + "="

    def render(build_id: str, snapshot_sri: str | None) -> str:
        boot = {"build": build_id, "taf_version": version, "env": PYTHON_ENV,
                "lock": [lock_path, sri_sha256(files[lock_path])],
                "wheel": [wheel_path, sri_sha256(wheel)],
                "snapshot": [SNAPSHOT_FILE, snapshot_sri] if snapshot_sri else None}
        build_info = {
            "build": build_id,
            "model_recipe": model_recipe,
            "taf_version": version,
            "pyodide_version": PYODIDE_VERSION,
            "precomputed": precomputed_index,
            "integrity": integrity,
            "boot": boot,
            "compare_default": default_compare_models(presets),
            "compare_min": getattr(taf.registry, "COMPARE_MIN_MODELS", 2),
            "compare_max": getattr(taf.registry, "COMPARE_MAX_MODELS", 6),
            "reserved": list(RESERVED_KEYS),
            "private_params": list(PRIVATE_PARAMS),
            "private_link_max": PRIVATE_LINK_MAX,
        }
        meta = ("id", "label", "source", "as_of", "family", "facts")
        preset_columns = [k for k in (presets[0] if presets else {}) if k not in meta]
        html = env.get_template("index.html.j2").render(
            recipes=recipes, presets=presets, categories=categories, profile_params=profile_params,
            examples=example_links(recipes, presets, orders), landing=landing, recipe_links=landing_links(landing),
            taf_version=version, pyodide_version=PYODIDE_VERSION,
            build_info=script_json(build_info), compare_max=build_info["compare_max"],
            model_recipe=model_recipe, preset_columns=preset_columns,
            preset_sources=[preset_source_text(presets)],
            link_recipe=next((r["id"] for r in recipes if r["uses_presets"]), None),
            csp=CSP_META, build_id=build_id, sri={n: sri_sha256(files[n]) for n in STATIC_FILES},
        )
        return re.sub(r"\n[ \t]+", "\n", html)  # drop template indentation

    build_id = build_id_of(files, render(placeholder_id, placeholder_sri if snapshot else None))
    files["worker.js"] = files["worker.js"].replace(WORKER_BUILD_LINE.encode(),
                                                    f"const BUILD = '{build_id}';".encode(), 1)
    snapshot_report = None
    if snapshot:
        raw, snapshot_report = make_snapshot(runtime, wheel_name, wheel, build_id, cache_dir)
        expected = {r["id"] for r in recipes}
        if snapshot_report.get("taf") != version or set(snapshot_report.get("recipes", ())) != expected:
            raise BuildError(f"the snapshot imported taf {snapshot_report.get('taf')} with recipes "
                             f"{snapshot_report.get('recipes')}; expected taf {version} with {sorted(expected)}")
        # the worker booted from the snapshot does not install the wheel: every module must be in it
        missing = wheel_modules(wheel) - set(snapshot_report.get("modules", ())) - set(SNAPSHOT_LEAVES_OUT)
        if missing:
            raise BuildError(f"the snapshot lacks the taf modules {sorted(missing)} (not importable in the browser)")
        files[SNAPSHOT_FILE] = gzip_bytes(raw)
    files["index.html"] = render(build_id, sri_sha256(files[SNAPSHOT_FILE]) if snapshot else None).encode("utf-8")

    # the Service Worker: precache every file of the site, listed with its content hash; its cache
    # is named after the build, so two builds never share one
    # (with a snapshot, the wheel is only fetched by the fallback boot: not pre-cached, saving 1/3 of
    # the first-party transfer; a fallback boot fetches it from the server)
    not_cached = {"index.html", wheel_path} if snapshot else {"index.html"}
    precache = [["./", sha256_hex(files["index.html"])[:16]]]
    precache += [[name, sha256_hex(data)[:16]] for name, data in sorted(files.items()) if name not in not_cached]
    sw = env.get_template("sw.js.j2").render(precache=json_dumps(precache), build_id=build_id)
    files["sw.js"] = sw.encode("utf-8")
    files.update(header_files())

    if out_dir.exists():
        shutil.rmtree(out_dir)
    for name, data in files.items():
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    runtime_names = {f"pyodide/{n}" for n in PYODIDE_FILES} | {SNAPSHOT_FILE}
    first_party = {n: len(d) for n, d in files.items() if n not in runtime_names and n not in HOST_FILES}
    summary = {
        "out_dir": str(out_dir),
        "build_id": build_id,
        "recipes": len(recipes),
        "presets": len(presets),
        "precomputed_results": n_results,
        "wheel": wheel_name,
        "wheel_sha256": sha256_hex(wheel),
        "snapshot": {"file": SNAPSHOT_FILE, "bytes": len(files[SNAPSHOT_FILE]), "raw_bytes": len(raw),
                     "modules": len(snapshot_report["modules"])} if snapshot else None,
        "first_party_bytes": sum(first_party.values()),
        "first_party": dict(sorted(first_party.items())),
        "runtime_bytes": sum(len(d) for n, d in files.items() if n in runtime_names),
    }
    if not quiet:
        print(f"build_site: wrote {out_dir} — build {build_id}, {len(recipes)} recipes, {len(presets)} presets, "
              f"{n_results} pre-computed results, first-party {summary['first_party_bytes']:,} bytes, "
              f"Pyodide runtime {summary['runtime_bytes']:,} bytes"
              + (f" (memory snapshot {len(files[SNAPSHOT_FILE]):,} gzipped)" if snapshot else " (no memory snapshot)"),
              file=sys.stderr)
    return summary


def script_json(value) -> str:
    """JSON safe to place inside a <script> element (no '<', '>' or '&' characters)."""
    return json_dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ── serve ───────────────────────────────────────────────────────────────────
class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the right MIME types and the site's security headers (:data:`SECURITY_HEADERS`:
    Content-Security-Policy for the page, its worker and its Service Worker alike, no framing, no
    MIME sniffing); revalidated on every load (no stale builds)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    protocol_version = "HTTP/1.1"  # keep-alive: the page's dozen requests reuse connections
    quiet = False

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        for name, value in SECURITY_HEADERS:
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        if not self.quiet:
            super().log_message(format, *args)


class _QuietHandler(SiteHandler):
    quiet = True


class SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # a browser dropping a connection mid-transfer (page closed, reload) is not an error
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


def make_server(directory: Path = SITE, port: int = 8000, quiet: bool = False) -> SiteServer:
    """A threaded HTTP server for ``directory`` on 127.0.0.1 (``port=0`` picks a free port)."""
    handler = functools.partial(_QuietHandler if quiet else SiteHandler, directory=str(directory))
    return SiteServer(("127.0.0.1", port), handler)


def serve_in_thread(directory: Path, port: int = 0) -> tuple[SiteServer, str]:
    """Start a quiet server in a daemon thread; returns ``(server, base URL)``."""
    server = make_server(directory, port, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=SITE, help="output folder (default: site/)")
    parser.add_argument("--serve", action="store_true", help="serve the site on 127.0.0.1 after building")
    parser.add_argument("--port", type=int, default=8000, help="port for --serve (default 8000)")
    parser.add_argument("--no-build", action="store_true", help="with --serve: serve the existing build")
    parser.add_argument("--offline", action="store_true", help="fail instead of fetching the Pyodide runtime")
    args = parser.parse_args(argv)
    try:
        if not (args.serve and args.no_build):
            build(args.out, offline=args.offline)
    except BuildError as err:
        print(f"build_site: error: {err}", file=sys.stderr)
        return 1
    if args.serve:
        try:
            server = make_server(args.out, args.port)
        except OSError as err:
            print(f"build_site: cannot listen on 127.0.0.1:{args.port}: {err}", file=sys.stderr)
            return 1
        print(f"Serving {args.out} on http://127.0.0.1:{server.server_address[1]}/  (Ctrl-C to stop)",
              file=sys.stderr)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
