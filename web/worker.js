// TAF Browser — the Python worker. Boots Pyodide from the site's own pyodide/ folder, installs the
// `taf` wheel and answers calls from the page: {id, fn, recipe, args} → the JSON text taf returns.
// Every URL is absolute and under this folder: nothing is fetched from any other host.
//
// The wheel is listed in pyodide-lock.json (name + sha256), so `pyodide.loadPackage('taf')` works;
// the page does not use loadPackage, though: it reads the same lock entry, fetches the wheel with
// that sha256 as Subresource Integrity (the browser rejects any other bytes) while Pyodide boots,
// and installs it with unpackArchive — measured ~30 ms against ~200 ms for loadPackage, which
// first imports Pyodide's package-manager modules (see scripts/build_site.py).

const RUNTIME = new URL('pyodide/', import.meta.url).href;
let t0 = performance.now(); // reset when the page says 'start': status times count from the boot
let pyodide = null;
let api = null;

function status(state, message, extra = {}) {
  postMessage({ type: 'status', state, message, ms: Math.round(performance.now() - t0), ...extra });
}

function hexToBase64(hex) {
  let bin = '';
  for (let i = 0; i < hex.length; i += 2) bin += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return btoa(bin);
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

// The boot begins with the page's 'start' message, which carries what to import before 'ready'
// (the recipes the link shows: see taf.registry.warm_up). The page creates this worker once the
// pre-computed result is on screen (compiling WebAssembly keeps every core busy) and sends 'start'
// right away.

/** Boot Pyodide, install taf, then import the recipe modules the page shows (``warm``). */
async function boot(warm) {
  t0 = performance.now();
  status('loading', 'Loading Python…');
  const lock = fetchOk(RUNTIME + 'pyodide-lock.json').then((r) => r.json());
  const wheel = lock.then((l) => {
    const entry = l.packages && l.packages.taf;
    if (!entry) throw new Error('pyodide-lock.json has no taf entry');
    return fetchOk(RUNTIME + entry.file_name, { integrity: 'sha256-' + hexToBase64(entry.sha256) })
      .then((r) => r.arrayBuffer());
  });
  wheel.catch(() => {}); // reported below, after Pyodide has booted
  const { loadPyodide } = await import(RUNTIME + 'pyodide.mjs');
  const problems = [];
  pyodide = await Promise.race([wasmFailure, loadPyodide({
    indexURL: RUNTIME,
    lockFileContents: lock,
    packageBaseUrl: RUNTIME,
    stdout: () => {},
    stderr: (line) => problems.push(line),
  })]);
  status('loading', 'Loading taf…');
  let bytes;
  try {
    bytes = new Uint8Array(await wheel);
  } catch (err) {
    throw new Error(`the taf wheel did not load (${err.message})`);
  }
  const site = pyodide.runPython('import site; site.getsitepackages()[0]');
  pyodide.unpackArchive(bytes, 'wheel', { extractDir: site });
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
  // 'ready' means the first edit is answered at full speed: the recipes on screen are imported
  pyodide.pyimport('taf.registry').warm_up(JSON.stringify(warm || {}));
  const python = pyodide.runPython('import sys; sys.version.split()[0]');
  status('ready', 'Python ready', { taf: String(taf.__version__), python, pyodide: pyodide.version });
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
  markdown: ['taf.textfmt', 'result_markdown'],
};
const pageFunctions = {};

function pageCall(fn, args) {
  if (!pageFunctions[fn]) {
    const [module, name] = PAGE_CALLS[fn];
    const found = pyodide.pyimport(module)[name];
    if (!found) throw new Error(`${module}.${name} is not in this build of taf`);
    pageFunctions[fn] = found;
  }
  return pageFunctions[fn](args);
}

// Checks that the lock entry is right: loadPackage('taf') fetches the wheel by the lock's file
// name and verifies its sha256. Used by the browser tests.
async function verifyLock() {
  const errors = [];
  await pyodide.loadPackage('taf', { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
  const loaded = pyodide.loadedPackages.taf;
  return JSON.stringify({ loaded: loaded || null, errors });
}

let startBoot;
const booting = new Promise((resolve) => { startBoot = resolve; })
  .then((warm) => boot(warm))
  .catch((err) => {
    status('error', String(err && err.message ? err.message : err));
  });

onmessage = async (event) => {
  const msg = event.data;
  if (msg.type === 'start') { startBoot(msg.warm); return; }
  await booting;
  if (!api) {
    postMessage({ type: 'reply', id: msg.id, ok: false, message: 'Python is not available' });
    return;
  }
  try {
    if (msg.batch) {
      postMessage({ type: 'reply', id: msg.id, ok: true, texts: msg.batch.map(call) });
    } else if (msg.fn === 'verify-lock') {
      postMessage({ type: 'reply', id: msg.id, ok: true, text: await verifyLock() });
    } else {
      const start = performance.now();
      const text = call(msg);
      postMessage({ type: 'reply', id: msg.id, ok: true, text, ms: performance.now() - start });
    }
  } catch (err) {
    postMessage({ type: 'reply', id: msg.id, ok: false, message: String(err && err.message ? err.message : err) });
  }
};
