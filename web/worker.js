// TAF Browser — the Python worker. Boots Pyodide from the site's own pyodide/ folder, loads the
// `taf` wheel as a Pyodide package (its sha256 is in pyodide-lock.json, so the browser checks it)
// and answers calls from the page: {id, fn: "run"|"profile"|"compare", recipe, args} → JSON text.
// Nothing here ever fetches from another host: every URL is absolute and under this folder.

const RUNTIME = new URL('pyodide/', import.meta.url).href;
const t0 = performance.now();
let api = null;

function status(state, message, extra = {}) {
  postMessage({ type: 'status', state, message, ms: Math.round(performance.now() - t0), ...extra });
}

async function boot() {
  status('loading', 'Loading the Python runtime…');
  const { loadPyodide } = await import(RUNTIME + 'pyodide.mjs');
  const problems = [];
  const pyodide = await loadPyodide({
    indexURL: RUNTIME,
    lockFileURL: RUNTIME + 'pyodide-lock.json',
    packageBaseUrl: RUNTIME,
    stdout: () => {},
    stderr: (line) => problems.push(line),
  });
  status('loading', 'Loading taf…');
  // loadPackage reports failures through errorCallback instead of throwing: collect them,
  // then check that the import really works.
  await pyodide.loadPackage('taf', {
    messageCallback: () => {},
    errorCallback: (line) => problems.push(line),
  });
  let taf;
  try {
    taf = pyodide.pyimport('taf');
  } catch (err) {
    throw new Error('the taf package did not load' + (problems.length ? ': ' + problems.join(' ') : ` (${err.message})`));
  }
  api = {
    run: taf.run_recipe_json,
    profile: taf.profile_model_json,
    compare: taf.compare_models_json,
  };
  const python = pyodide.runPython('import sys; sys.version.split()[0]');
  status('ready', 'Python ready', { taf: String(taf.__version__), python, pyodide: pyodide.version });
}

function call(req) {
  const fn = api[req.fn];
  if (!fn) throw new Error(`unknown call ${req.fn}`);
  return req.fn === 'run' ? fn(req.recipe, req.args) : fn(req.args);
}

const booting = boot().catch((err) => {
  status('error', String(err && err.message ? err.message : err));
});

onmessage = async (event) => {
  const msg = event.data;
  await booting;
  if (!api) {
    postMessage({ type: 'reply', id: msg.id, ok: false, message: 'Python is not available' });
    return;
  }
  try {
    if (msg.batch) {
      const texts = msg.batch.map(call);
      postMessage({ type: 'reply', id: msg.id, ok: true, texts });
    } else {
      const start = performance.now();
      const text = call(msg);
      postMessage({ type: 'reply', id: msg.id, ok: true, text, ms: performance.now() - start });
    }
  } catch (err) {
    postMessage({ type: 'reply', id: msg.id, ok: false, message: String(err && err.message ? err.message : err) });
  }
};
