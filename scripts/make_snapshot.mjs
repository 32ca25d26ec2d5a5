// Make the Pyodide memory snapshot the page's worker boots from (called by scripts/build_site.py).
//
//   node scripts/make_snapshot.mjs <runtime dir> <taf wheel> <build id> <out file> <options JSON>
//
// <options JSON> is {"leave_out": [...], "env": {...}}: build_site.SNAPSHOT_LEAVES_OUT and PYTHON_ENV.
//
// Boots the pinned Pyodide runtime in <runtime dir> (the site's pyodide/ folder) with
// `_makeSnapshot: true`, installs the taf wheel with unpackArchive (a Uint8Array: a Node Buffer is
// refused), imports every module of the package but the command line (every recipe, Profile,
// Compare, the config.json reader, …), stores the build id as
// `TAF_SITE_BUILD` in __main__ (the worker checks it against the page's) and writes
// `makeMemorySnapshot()` to <out file> (uncompressed; the build gzips it). Prints one JSON line
// with what it imported. Exits non-zero, with the reason on stderr, when anything fails.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [runtimeDir, wheelPath, buildId, outFile, optionsJson] = process.argv.slice(2);
if (!optionsJson) {
  console.error('usage: node make_snapshot.mjs <runtime dir> <taf wheel> <build id> <out file> '
    + '\'{"leave_out": [modules], "env": {NAME: value}}\' (scripts/build_site.py passes them)');
  process.exit(2);
}
const { leave_out: leaveOut, env } = JSON.parse(optionsJson);

const indexURL = path.resolve(runtimeDir) + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, 'pyodide.mjs')).href);
const problems = [];
const pyodide = await loadPyodide({
  indexURL,
  _makeSnapshot: true,
  stdout: () => {},
  stderr: (line) => problems.push(line),
  // build_site.PYTHON_ENV: a fixed hash seed and -OO, the same in the worker's ordinary boot
  env,
});
const wheel = new Uint8Array(await readFile(wheelPath));
const site = pyodide.runPython('import site; site.getsitepackages()[0]');
pyodide.unpackArchive(wheel, 'wheel', { extractDir: site });
// Every module of the package the page may import, not only what its first calls need: the snapshot
// holds memory, not the file system, so a module missing here could not be imported in the browser.
// Left out: the command line (build_site.SNAPSHOT_LEAVES_OUT), which the page never imports.
const report = pyodide.runPython(`
import importlib, json, pkgutil, sys
import taf
for info in pkgutil.walk_packages(taf.__path__, "taf."):
    if info.name not in ${JSON.stringify(leaveOut)}:
        importlib.import_module(info.name)
from taf.recipes import all_recipes
loaded = [recipe.id for recipe in all_recipes()]
# what is computed once and then cached goes into the snapshot too: the recipe list, the presets
# and the model catalog's records
taf.list_recipes()
taf.list_presets()
try:
    from taf.model.catalog import entries
except ImportError:
    pass
else:
    entries()
import gc
gc.collect()  # what the imports left behind is not carried in the snapshot
TAF_SITE_BUILD = ${JSON.stringify(buildId)}
json.dumps({"taf": taf.__version__, "python": sys.version.split()[0], "recipes": loaded,
            "modules": sorted(m for m in sys.modules if m == "taf" or m.startswith("taf."))})
`);
const snapshot = pyodide.makeMemorySnapshot();
await writeFile(outFile, snapshot);
if (problems.length) console.error(problems.join('\n'));
console.log(report);
