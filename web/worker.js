// TAF Browser — the Python worker. Boots Pyodide from the site's own pyodide/ folder and answers calls
// from the page: {id, fn, recipe, args} → the JSON text taf returns. Every URL is absolute and under
// this folder: nothing is fetched from any other host.
//
// It boots from the memory snapshot the build made under Node (scripts/make_snapshot.mjs: taf and
// everything the page's Python uses already imported), checks that the snapshot is this build's
// (taf version and build id), and falls back to the ordinary boot — saying so in the status line —
// if anything about the snapshot fails. Every file it fetches carries the Subresource Integrity the
// page's build lists, so no file of another build is ever mixed in. A snapshot holds memory, not
// files: the build imports every module of taf before taking it (and checks that it did), so the
// worker booted from it needs no wheel; the ordinary boot fetches the wheel and unpacks it.
//
// The wheel is listed in pyodide-lock.json (name + sha256), so `pyodide.loadPackage('taf')` works;
// the worker does not use loadPackage, though: unpackArchive is ~30 ms against ~200 ms (see
// scripts/build_site.py).

const BUILD = 'dev'; // stamped with the build id by scripts/build_site.py
const RUNTIME = new URL('pyodide/', import.meta.url).href;
let t0 = performance.now(); // reset when the page says 'start': status times count from the boot
let pyodide = null;
let api = null;

function status(state, message, extra = {}) {
  postMessage({ type: 'status', state, message, ms: Math.round(performance.now() - t0), ...extra });
}

async function fetchOk(url, init) {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url.slice(RUNTIME.length) || url}: HTTP ${response.status}`);
  return response;
}

// Pyodide logs a failed WebAssembly fetch or compile as a warning and then waits forever; catch
// the failure here so that the page can say what went wrong instead of spinning.
let wasmFailed;
const wasmFailure = new Promise((resolve, reject) => { wasmFailed = reject; });
wasmFailure.catch(() => {});
for (const name of ['instantiateStreaming', 'instantiate']) {
  const original = WebAssembly[name].bind(WebAssembly);
  WebAssembly[name] = (...args) => original(...args).catch((err) => {
    wasmFailed(new Error(`the Python runtime (pyodide.asm.wasm) did not load: ${err.message}`));
    throw err;
  });
}

// The boot begins with the page's 'start' message, which carries the build's boot files with their
// integrity.

/** A file of this build: ``[path, sri]`` from the page's build info, fetched integrity-checked. */
function fetchChecked([path, integrity]) {
  return fetchOk(new URL(path, new URL('./', import.meta.url)).href, { integrity });
}

/** The snapshot's bytes (gzip, inflated here; a host may already have inflated them). */
async function snapshotBytes(file) {
  const bytes = new Uint8Array(await (await fetchChecked(file)).arrayBuffer());
  if (!(bytes[0] === 0x1f && bytes[1] === 0x8b)) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Start-up workaround (Pyodide 314.0.7): restoring a snapshot copies its heap into the memory the
 *  new module starts with (480 pages = 30 MiB for this runtime) without growing it first, so a
 *  snapshot whose heap grew past that fails with "offset is out of bounds" (measured: a 37,748,736-byte
 *  heap fails, a 31,457,280-byte one loads). While the snapshot boots, the module's memory is grown to
 *  the snapshot's heap as soon as it is instantiated, before Emscripten makes its views of it. */
function growMemoryForSnapshot(snapshot) {
  const headerBytes = new Uint32Array(snapshot.buffer, snapshot.byteOffset, 2)[1];
  const heapBytes = snapshot.byteLength - headerBytes;
  const grown = (result) => {
    const memory = (result.instance || result).exports?.memory;
    const missing = memory ? heapBytes - memory.buffer.byteLength : 0;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    return result;
  };
  const { instantiate, instantiateStreaming } = WebAssembly;
  WebAssembly.instantiate = (...args) => instantiate.apply(WebAssembly, args).then(grown);
  WebAssembly.instantiateStreaming = (...args) => instantiateStreaming.apply(WebAssembly, args).then(grown);
  return () => Object.assign(WebAssembly, { instantiate, instantiateStreaming });
}

async function startPyodide(loadPyodide, lock, problems, snapshot, env) {
  const options = {
    indexURL: RUNTIME,
    env, // build_site.PYTHON_ENV: the snapshot was made with it; the ordinary boot starts with it too
    lockFileContents: lock,
    packageBaseUrl: RUNTIME,
    stdout: () => {},
    stderr: (line) => problems.push(line),
  };
  if (!snapshot) return Promise.race([wasmFailure, loadPyodide(options)]);
  options._loadSnapshot = snapshot;
  const restore = growMemoryForSnapshot(snapshot);
  try {
    return await Promise.race([wasmFailure, loadPyodide(options)]);
  } finally {
    restore();
  }
}

/** Boot Pyodide: from the snapshot when there is one (checked), else the ordinary way with the wheel. */
async function boot(files) {
  t0 = performance.now();
  if (!files || files.build !== BUILD) {
    throw new Error(`this worker is build ${BUILD} but the page is build ${files && files.build}; reload the page`);
  }
  status('loading', 'Loading Python…');
  const lock = fetchChecked(files.lock).then((r) => r.json());
  const snapshot = files.snapshot ? snapshotBytes(files.snapshot) : null;
  if (snapshot) snapshot.catch(() => {});
  let wheel = null; // only the ordinary boot installs the wheel
  const fetchWheel = () => {
    wheel ??= fetchChecked(files.wheel).then((r) => r.arrayBuffer());
    wheel.catch(() => {}); // reported below, after Pyodide has booted
  };
  if (!snapshot) fetchWheel();
  const { loadPyodide } = await import(RUNTIME + 'pyodide.mjs');
  const problems = [];
  let note = null;
  if (snapshot) {
    try {
      pyodide = await startPyodide(loadPyodide, lock, problems, await snapshot, files.env);
      const stamp = pyodide.runPython('import taf; (taf.__version__, globals().get("TAF_SITE_BUILD"))').toJs();
      if (stamp[0] !== files.taf_version || stamp[1] !== BUILD) {
        throw new Error(`the snapshot holds taf ${stamp[0]} of build ${stamp[1]}, not taf ${files.taf_version} of build ${BUILD}`);
      }
    } catch (err) {
      pyodide = null;
      fetchWheel();
      note = `the start-up snapshot failed (${err && err.message ? err.message : err}); started the ordinary way`;
      status('loading', `Loading Python the ordinary way (${note.split(';')[0]})…`);
    }
  }
  if (!pyodide) {
    pyodide = await startPyodide(loadPyodide, lock, problems, null, files.env);
    status('loading', 'Loading taf…');
    let bytes;
    try {
      bytes = new Uint8Array(await wheel);
    } catch (err) {
      throw new Error(`the taf wheel did not load (${err.message})`);
    }
    const site = pyodide.runPython('import site; site.getsitepackages()[0]');
    pyodide.unpackArchive(bytes, 'wheel', { extractDir: site });
  }
  // from the snapshot, every taf module is already in memory (the build checks it) and the wheel
  // is not needed: a snapshot holds memory, not files, but nothing is left to import from files
  let taf;
  try {
    taf = pyodide.pyimport('taf');
  } catch (err) {
    throw new Error('the taf package does not import' + (problems.length ? ': ' + problems.join(' ') : ` (${err.message})`));
  }
  api = {
    run: taf.run_recipe_json,
    profile: taf.profile_model_json,
    compare: taf.compare_models_json,
  };
  const python = pyodide.runPython('import sys; sys.version.split()[0]');
  status('ready', 'Python ready', { taf: String(taf.__version__), python, pyodide: pyodide.version, build: BUILD,
    snapshot: Boolean(snapshot) && !note, note });
}

let presetFromConfig = null;

function call(req) {
  if (req.fn === 'run') return api.run(req.recipe, req.args);
  if (req.fn === 'profile') return api.profile(req.args);
  if (req.fn === 'compare') return api.compare(req.args);
  if (req.fn === 'preset') {
    presetFromConfig ??= pyodide.pyimport('taf.modelconfig.preset').preset_from_config_json;
    return req.recipe === '-' ? presetFromConfig(req.args) : presetFromConfig(req.args, req.recipe);
  }
  if (Object.hasOwn(PAGE_CALLS, req.fn)) return pageCall(req.fn, req.args);
  throw new Error(`unknown call ${req.fn}`);
}

// Page calls answered by one taf function each (text in, text out), imported on first use: the
// link reader (the CLI's parsing rules), the catalog search, the Markdown export. (page helper)
const PAGE_CALLS = {
  link: ['taf.links', 'read_link_json'],
  search: ['taf.registry', 'search_models_json'],
  markdown: ['taf.markdown', 'result_markdown', 'json'], // takes the result itself: its JSON text is parsed first
  notes: ['taf.registry', 'input_notes_json', 'list'], // [recipe id, typed params as JSON]: how "8k" was read
  // [fn, recipe, args, result text]: each field's value and where it came from (typed, preset, config.json,
  // default: taf.registry.value_source decides, never this page)
  echo: ['taf.registry', 'input_echo_json', 'list'],
};
const pageFunctions = {};

function pageFunction(fn) {
  if (!pageFunctions[fn]) {
    const [module, name] = PAGE_CALLS[fn];
    const found = pyodide.pyimport(module)[name];
    if (!found) throw new Error(`${module}.${name} is not in this build of taf`);
    pageFunctions[fn] = found;
  }
  return pageFunctions[fn];
}

/** The form echo of a computed result (sent with every run, profile and compare reply). */
function echoOf(req, text) {
  return pageFunction('echo')(req.fn, req.recipe, req.args, text);
}

function pageCall(fn, args) {
  pageFunction(fn);
  if (PAGE_CALLS[fn][2] === 'list') {
    return pageFunctions[fn](...JSON.parse(args).map(String));
  }
  if (PAGE_CALLS[fn][2] !== 'json') return pageFunctions[fn](args);
  const value = pyodide.pyimport('json').loads(args);
  try {
    return pageFunctions[fn](value);
  } finally {
    value.destroy();
  }
}

// Checks that the lock entry is right: loadPackage('taf') fetches the wheel by the lock's file
// name and verifies its sha256. Used by the browser tests.
async function verifyLock() {
  const errors = [];
  await pyodide.loadPackage('taf', { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
  const loaded = pyodide.loadedPackages.taf;
  return JSON.stringify({ loaded: loaded || null, errors });
}

/** True when Python in this worker can no longer run (a fatal error: e.g. the JavaScript stack overflowed). */
function pythonDied(err) {
  if (err && err.pyodide_fatal_error) return true;
  try {
    pyodide.runPython('0');
    return false;
  } catch {
    return true;
  }
}

// Test hook (tests/browser): make Python fail fatally the way a too-deep recursion in C code does
// (CPython's json parser on 100,000 nested brackets overflows the JavaScript stack: "Maximum call
// stack size exceeded"), so the page's recovery is tested without relying on an input bug.
function crashPython() {
  pyodide.runPython("import json\njson.loads('[' * 100000 + ']' * 100000)");
}

let startBoot;
let dead = null;
const booting = new Promise((resolve) => { startBoot = resolve; })
  .then((files) => boot(files))
  .catch((err) => {
    status('error', String(err && err.message ? err.message : err));
  });

onmessage = async (event) => {
  const msg = event.data;
  if (msg.type === 'start') { startBoot(msg.boot); return; }
  await booting;
  if (!api || dead) {
    postMessage({ type: 'reply', id: msg.id, ok: false, dead: Boolean(dead), message: dead || 'Python is not available' });
    return;
  }
  try {
    if (msg.batch) {
      postMessage({ type: 'reply', id: msg.id, ok: true, texts: msg.batch.map(call) });
    } else if (msg.fn === 'verify-lock') {
      postMessage({ type: 'reply', id: msg.id, ok: true, text: await verifyLock() });
    } else if (msg.fn === 'crash') {
      crashPython();
      postMessage({ type: 'reply', id: msg.id, ok: true, text: 'still alive' });
    } else {
      const start = performance.now();
      const text = call(msg);
      const ms = performance.now() - start;
      const echo = ['run', 'profile', 'compare'].includes(msg.fn) ? echoOf(msg, text) : undefined;
      postMessage({ type: 'reply', id: msg.id, ok: true, text, echo, ms });
    }
  } catch (err) {
    const message = String(err && err.message ? err.message : err);
    if (pythonDied(err)) {
      // nothing more can run here: the page restarts the worker (and never says "ready" over this one)
      dead = `Python stopped: ${message.split('\n')[0].slice(0, 200)}`;
      postMessage({ type: 'reply', id: msg.id, ok: false, dead: true, message: dead });
      postMessage({ type: 'status', state: 'dead', message: dead, ms: Math.round(performance.now() - t0) });
      return;
    }
    postMessage({ type: 'reply', id: msg.id, ok: false, message });
  }
};
