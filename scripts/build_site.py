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
  plus the ``taf`` wheel, built here with the standard library (deterministic bytes; comments
  and docstrings blanked, lines kept — see :func:`strip_source`), and a ``taf`` entry with the
  wheel's sha256 added to the copy of ``pyodide-lock.json``. ``loadPackage('taf')`` works with
  it; the page's worker reads the same entry and fetches the wheel with that sha256 as
  Subresource Integrity while Pyodide boots, then installs it with ``unpackArchive``: the same
  integrity check, ~30 ms instead of ~200 ms (loadPackage first imports Pyodide's package
  manager modules; the SPEC §7 probe measured 22 ms vs 100 ms).
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
import tokenize
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # build from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))

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

#: query keys the page reserves; no recipe parameter may use them
RESERVED_KEYS = ("view", "r", "preset", "m")

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


def strip_source(text: str) -> str:
    """Python source with comments and docstrings blanked, every line kept in place.

    The browser only runs the package, so the wheel it downloads leaves out what is there
    for readers (about a quarter of the bytes). Line numbers stay the same, so a traceback
    still points at the right line of the repository's file. A docstring becomes ``...``
    (a module docstring disappears, so ``from __future__`` stays first).
    """
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    cuts = []
    previous = None
    for i, tok in enumerate(tokens):
        if tok.type == tokenize.COMMENT:
            cuts.append((tok.start, tok.end, ""))
        elif (tok.type == tokenize.STRING and i + 1 < len(tokens) and tokens[i + 1].type == tokenize.NEWLINE
              and (previous is None or previous.type in (tokenize.INDENT, tokenize.DEDENT, tokenize.NEWLINE))):
            cuts.append((tok.start, tok.end, "" if previous is None else "..."))
        if tok.type not in (tokenize.NL, tokenize.COMMENT, tokenize.ENCODING):
            previous = tok
    out = text
    for (start_row, start_col), (end_row, end_col), replacement in reversed(cuts):
        a = offsets[start_row - 1] + start_col
        b = offsets[end_row - 1] + end_col
        out = out[:a] + replacement + "\n" * (end_row - start_row) + out[b:]
    return "\n".join(line.rstrip() for line in out.split("\n"))


def _zip_entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3  # unix, whatever the build host
    return info


def build_wheel(package_dir: Path, version: str, strip: bool = True) -> tuple[str, bytes]:
    """A pure-Python wheel of ``package_dir`` with deterministic bytes: ``(file name, bytes)``.

    Entries are sorted, every timestamp is 1980-01-01 and the permissions fixed, so the
    same sources always give the same wheel (and the same sha256 in the lock file). With
    ``strip``, ``.py`` files go in through :func:`strip_source`.
    """
    files: dict[str, bytes] = {}
    for path in sorted(package_dir.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
            continue
        rel = path.relative_to(package_dir.parent).as_posix()
        data = path.read_bytes()
        if strip and path.suffix == ".py":
            stripped = strip_source(data.decode("utf-8"))
            try:
                compile(stripped, rel, "exec", dont_inherit=True)
            except SyntaxError as err:  # pragma: no cover - would be a bug in strip_source
                raise BuildError(f"stripping {rel} broke it: {err}") from err
            data = stripped.encode("utf-8")
        files[rel] = data
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
    """JSON text exactly as the page's ``JSON.stringify`` writes a request (compact, UTF-8 kept)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def request_key(fn: str, recipe: str, args: str) -> str:
    """The cache key of one worker call (mirrored by ``requestKey`` in web/app.js)."""
    return f"{fn} {recipe} {args}"


def preset_source_text(presets: list[dict]) -> str:
    """One line on where the presets come from (the page names no other host: sources are in `taf presets --json`)."""
    from_catalog = [p["id"] for p in presets if isinstance(p.get("source"), dict)]
    seed = sorted({f"{p['source']} (as of {p['as_of']})" for p in presets if isinstance(p.get("source"), str)})
    text = (f"{len(from_catalog)} presets are catalog models read from their published config.json; each row's "
            "source (repository, path, commit) and curated facts are listed by `taf presets --json`")
    return text + ("" if not seed else "; the others: " + "; ".join(seed))


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
            p["allowed"] = param.allowed_text()
            # a long text parameter (a config.json) gets a "load from a local file" button
            p["load_file"] = p.get("widget") == "json"
            if p["name"] in RESERVED_KEYS:
                raise BuildError(f"recipe {recipe['id']} has a parameter named {p['name']!r}, which the page "
                                 f"reserves for its own URL state ({', '.join(RESERVED_KEYS)})")
    # Profile: the architecture parameters (those a preset fills) plus the profile's extras.
    try:
        from taf.profile import PROFILE_EXTRA_PARAMS
    except ImportError:  # pragma: no cover - older taf
        PROFILE_EXTRA_PARAMS = ()
    # one field per preset field: the parameter named like it (n_params, not X-1's N_params),
    # in the order of the preset fields, then the profile's extra parameters (T_eval)
    try:
        from taf.data.presets import ARCH_FIELDS
    except ImportError:  # pragma: no cover - older taf
        ARCH_FIELDS = ()
    by_key: dict[str, dict] = {}
    extra: dict[str, dict] = {}
    for recipe in recipes:
        if not recipe["in_profile"]:
            continue
        for p in recipe["params"]:
            key = p.get("preset_key")
            if key is not None and (key not in by_key or (p["name"] == key and by_key[key]["name"] != key)):
                by_key[key] = p
            elif key is None and p["name"] in PROFILE_EXTRA_PARAMS and p["name"] not in extra:
                extra[p["name"]] = p
    keys = [k for k in ARCH_FIELDS if k in by_key] + [k for k in by_key if k not in ARCH_FIELDS]
    profile_params = [by_key[k] for k in keys] + [extra[n] for n in PROFILE_EXTRA_PARAMS if n in extra]
    # Profile also takes the model as a config.json (the M-1 recipe's `config` text)
    model = next((r for r in recipes if r["id"] == MODEL_RECIPE), None)
    config = next((p for p in model["params"] if p["name"] == "config"), None) if model else None
    if config is not None:
        profile_params.append({**config, "default": None, "allowed": "text (optional)",
                               "help": "Or describe the model by its config.json (pasted or loaded; read "
                                       "locally): it fills the architecture, values above override it."})
    categories: dict[str, list[dict]] = {}
    for recipe in recipes:
        categories.setdefault(recipe["category"], []).append(recipe)
    return taf, recipes, presets, profile_params, categories


#: the recipe behind the "Model from config.json" view, when it is registered
MODEL_RECIPE = "M-1"


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


def _q(value: str) -> str:
    """Percent-encode like the page's ``encodeURIComponent`` with / , : kept readable."""
    from urllib.parse import quote
    return quote(value, safe="/,:!*'()~")


def page_query(state: dict) -> str:
    """The page URL query of a state, in the page's canonical order (web/app.js ``stateToQuery``)."""
    parts = []
    view = state.get("view", "recipe")
    if view != "recipe":
        parts.append(("view", view))
    if view in ("recipe", "compare") and state.get("recipe"):
        parts.append(("r", state["recipe"]))
    if view in ("recipe", "profile") and state.get("preset"):
        parts.append(("preset", state["preset"]))
    for m in state.get("models", ()):
        parts.append(("m", m))
    for k, v in state.get("params", {}).items():
        parts.append((k, v))
    return "?" + "&".join(f"{_q(k)}={_q(v)}" for k, v in parts)


def worker_call(state: dict) -> tuple[str, str, str]:
    """``(fn, recipe, args_json)`` of a state, exactly as web/app.js ``buildRequest`` makes it."""
    view = state.get("view", "recipe")
    params = dict(state.get("params", {}))
    if view == "profile":
        args = ({"preset": state["preset"]} if state.get("preset") else {}) | params
        return "profile", "-", json_dumps(args)
    if view == "compare":
        request = {"recipe_id": state["recipe"], "models": [{"preset": m} for m in state.get("models", ())],
                   "shared_params": params}
        return "compare", state["recipe"], json_dumps(request)
    if view == "model":
        return "run", MODEL_RECIPE, json_dumps(params)
    args = ({"preset": state["preset"]} if state.get("preset") else {}) | params
    return "run", state["recipe"], json_dumps(args)


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


def precompute(taf, recipes, presets, orders) -> dict[str, list[tuple[str, str]]]:
    """``{group: [(key, result json), ...]}`` computed by CPython, deduplicated, in order."""
    groups: dict[str, dict[str, str]] = {}
    for state in precomputed_states(recipes, presets, orders):
        fn, recipe, args = worker_call(state)
        key = request_key(fn, recipe, args)
        group = groups.setdefault(group_name(fn, recipe), {})
        if key not in group:
            group[key] = call_taf(taf, fn, recipe, args)
    return {g: list(entries.items()) for g, entries in groups.items()}


def gzip_bytes(data: bytes) -> bytes:
    """gzip with a zero timestamp and no file name, so equal input gives equal bytes."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    return buf.getvalue()


# ── build ───────────────────────────────────────────────────────────────────
def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build(out_dir: Path = SITE, cache_dir: Path = CACHE, offline: bool = False, quiet: bool = False,
          runtime: dict[str, bytes] | None = None) -> dict:
    """Write the whole site to ``out_dir``; returns a summary (file sizes, counts).

    ``runtime`` replaces the Pyodide runtime files (tests that need no browser pass stubs).
    """
    import jinja2

    taf, recipes, presets, profile_params, categories = page_model()
    version = taf.__version__

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

    orders = form_orders(recipes, profile_params)
    groups = precompute(taf, recipes, presets, orders)
    precomputed_index = {}
    n_results = 0
    for group, entries in sorted(groups.items()):
        text = "".join(f"{key}\t{result}\n" for key, result in entries)
        assert all("\n" not in k + r and "\t" not in k for k, r in entries)
        path = f"precomputed/{group}.txt.gz"
        files[path] = gzip_bytes(text.encode("utf-8"))
        fn, recipe = entries[0][0].split(" ", 2)[:2]
        precomputed_index[f"{fn} {recipe}"] = path
        n_results += len(entries)

    landing = landing_view(taf, recipes, presets, orders)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(WEB)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["number"] = _number_text
    env.filters["urlq"] = _q
    recipe_ids = [r["id"] for r in recipes]
    model_recipe = MODEL_RECIPE if MODEL_RECIPE in recipe_ids else None
    build_info = {
        "model_recipe": model_recipe,
        "taf_version": version,
        "pyodide_version": PYODIDE_VERSION,
        "precomputed": precomputed_index,
        "compare_default": default_compare_models(presets),
        "compare_min": getattr(taf.registry, "COMPARE_MIN_MODELS", 2),
        "compare_max": getattr(taf.registry, "COMPARE_MAX_MODELS", 6),
        "reserved": list(RESERVED_KEYS),
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
    )
    files["index.html"] = re.sub(r"\n[ \t]+", "\n", html).encode("utf-8")  # drop template indentation

    # the Service Worker: precache every file of the site, listed with its content hash
    precache = [["./", sha256_hex(files["index.html"])[:16]]]
    precache += [[name, sha256_hex(data)[:16]] for name, data in sorted(files.items()) if name != "index.html"]
    version_hash = sha256_hex(json_dumps(precache).encode())[:16]
    sw = env.get_template("sw.js.j2").render(precache=json_dumps(precache), cache_version=version_hash)
    files["sw.js"] = sw.encode("utf-8")

    if out_dir.exists():
        shutil.rmtree(out_dir)
    for name, data in files.items():
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    first_party = {n: len(d) for n, d in files.items()
                   if not (n.startswith("pyodide/") and n[len("pyodide/"):] in PYODIDE_FILES)}
    summary = {
        "out_dir": str(out_dir),
        "recipes": len(recipes),
        "presets": len(presets),
        "precomputed_results": n_results,
        "wheel": wheel_name,
        "wheel_sha256": sha256_hex(wheel),
        "first_party_bytes": sum(first_party.values()),
        "first_party": dict(sorted(first_party.items())),
        "runtime_bytes": sum(len(d) for n, d in files.items() if n not in first_party),
    }
    if not quiet:
        print(f"build_site: wrote {out_dir} — {len(recipes)} recipes, {len(presets)} presets, "
              f"{n_results} pre-computed results, first-party {summary['first_party_bytes']:,} bytes, "
              f"Pyodide runtime {summary['runtime_bytes']:,} bytes", file=sys.stderr)
    return summary


def script_json(value) -> str:
    """JSON safe to place inside a <script> element (no '<', '>' or '&' characters)."""
    return json_dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _number_text(value) -> str:
    """A default value as the form shows it: 2.0 → '2', 500000.0 → '500,000', 1e-9 stays."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(_number_text(v) for v in value)
    return str(value)


# ── serve ───────────────────────────────────────────────────────────────────
class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the right MIME types; revalidated on every load (no stale builds)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    protocol_version = "HTTP/1.1"  # keep-alive: the page's dozen requests reuse connections
    quiet = False

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
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
