// TAF Browser — the first thing that runs (an async module: it does not wait for the page to be
// parsed). It fetches the one small file of pre-computed results the link needs, so a preset link
// renders without waiting for anything else. web/app.js imports what it starts here.
performance.mark('taf:boot');

export const info = JSON.parse(document.getElementById('build-info').textContent);

/** Show the whole page (see body.booting in style.css). */
export function reveal() {
  document.body.classList.remove('booting');
}
setTimeout(reveal, 1000); // whatever happens to app.js

const groups = new Map(); // file → Promise<Map<request key, JSON text>>

/** The pre-computed results of one file (``key<TAB>json`` lines, gzip); an empty map on failure. */
export function loadGroup(path) {
  if (!groups.has(path)) {
    groups.set(path, (async () => {
      const response = await fetch(path, { priority: 'high' });
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      // a host that adds Content-Encoding: gzip for .gz files hands over the text already inflated
      const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
      const text = gzipped
        ? await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text()
        : new TextDecoder().decode(bytes);
      performance.mark('taf:precomputed-loaded');
      const map = new Map();
      for (const line of text.split('\n')) {
        const tab = line.indexOf('\t');
        if (tab > 0) map.set(line.slice(0, tab), line.slice(tab + 1));
      }
      return map;
    })().catch(() => new Map()));
  }
  return groups.get(path);
}

/** The view and recipe this link opens, read from its query before app.js has parsed it (its
 * pre-computed file and what Python imports first depend on them). */
export const linkTarget = (() => {
  const q = new URLSearchParams(location.search);
  const view = q.get('view') || 'recipe';
  return { view, recipe: view === 'model' ? info.model_recipe : q.get('r') };
})();

// ── requests and their keys (taf/request_key.py is the source; tests/fixtures/request_golden.json,
// emitted by it, is checked against these in tests/browser/test_page_requests.py) ──
/** The worker function and recipe that compute what a view shows (``worker_call``'s fn and recipe). */
export function callTarget(view, recipe) {
  if (view === 'profile') return { fn: 'profile', recipe: '-' };
  if (view === 'compare') return { fn: 'compare', recipe };
  return { fn: 'run', recipe: view === 'model' ? info.model_recipe : recipe };
}

/** The cache key of one worker call's result (``request_key``). */
export function requestKey(req) {
  return `${req.fn} ${req.recipe} ${req.args}`;
}

/** The key of a call's form echo beside its result in a pre-computed file (``echo_key``). */
export function echoKey(req) {
  return `echo ${requestKey(req)}`;
}

/** The key of the pre-computed file that holds a call's result (``group_key``). */
export function groupKey(req) {
  return `${req.fn} ${req.recipe}`;
}

/** The file a link's view and recipe need. */
function groupFor({ view, recipe }) {
  const path = info.precomputed[groupKey(callTarget(view, recipe))];
  return path ? loadGroup(path) : null;
}

export const firstGroup = groupFor(linkTarget);
