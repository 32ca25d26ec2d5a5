// Make the Pyodide memory snapshot the page's worker boots from (called by scripts/build_site.py).
//
//   node scripts/make_snapshot.mjs <runtime dir> <taf wheel> <build id> <out file>
//
// Boots the pinned Pyodide runtime in <runtime dir> (the site's pyodide/ folder) with
// `_makeSnapshot: true`, installs the taf wheel with unpackArchive (a Uint8Array: a Node Buffer is
// refused), imports every module of the package (taf.__main__ aside: every recipe, Profile,
// Compare, the config.json reader, …), stores the build id as
// `TAF_SITE_BUILD` in __main__ (the worker checks it against the page's) and writes
// `makeMemorySnapshot()` to <out file> (uncompressed; the build gzips it). Prints one JSON line
// with what it imported. Exits non-zero, with the reason on stderr, when anything fails.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [runtimeDir, wheelPath, buildId, outFile] = process.argv.slice(2);
if (!outFile) {
  console.error('usage: node make_snapshot.mjs <runtime dir> <taf wheel> <build id> <out file>');
  process.exit(2);
}

const indexURL = path.resolve(runtimeDir) + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, 'pyodide.mjs')).href);
const problems = [];
const pyodide = await loadPyodide({
  indexURL,
  _makeSnapshot: true,
  stdout: () => {},
  stderr: (line) => problems.push(line),
  // the same hash seed in every build and in the browser: the snapshot's memory (dict and set
  // layouts) does not depend on a random seed
  env: { PYTHONHASHSEED: '0' },
});
const wheel = new Uint8Array(await readFile(wheelPath));
const site = pyodide.runPython('import site; site.getsitepackages()[0]');
pyodide.unpackArchive(wheel, 'wheel', { extractDir: site });
// Every module of the package, not only what the page's first calls need: the snapshot holds
// memory, not the file system, so a module missing here could not be imported in the browser.
const report = pyodide.runPython(`
import importlib, json, pkgutil, sys
import taf
for info in pkgutil.walk_packages(taf.__path__, "taf."):
    if info.name != "taf.__main__":
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
TAF_SITE_BUILD = ${JSON.stringify(buildId)}
json.dumps({"taf": taf.__version__, "python": sys.version.split()[0], "recipes": loaded,
            "modules": sorted(m for m in sys.modules if m == "taf" or m.startswith("taf."))})
`);
const snapshot = pyodide.makeMemorySnapshot();
await writeFile(outFile, snapshot);
if (problems.length) console.error(problems.join('\n'));
console.log(report);
