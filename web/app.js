// TAF Browser — the page: URL state ⇄ forms, calls to the Python worker, rendering, links, offline.
// The forms, recipe list and preset list are static HTML rendered from the recipe schemas at build
// time; this module only reads them. All numbers come from Python: pre-computed by CPython at build
// time for the states the page links to, and computed by Pyodide in a Web Worker for everything else.

import { callTarget, echoKey, firstGroup, groupKey, info, loadGroup, requestKey, reveal } from './boot.js';
import { el, fmtNumber, fmtValue, group, markOverflow, renderCompare, renderProfile, renderResult, SINGULAR } from './render.js';

performance.mark('taf:app-start');

// The Python worker has ~13 MB to fetch and compile, and compiling WebAssembly keeps every core
// busy. A link with a pre-computed result renders that first (one small file, a few ms), then
// starts the worker; any other link starts the worker at once. (Creating the worker earlier, to
// load its script during the page load, made the pre-computed result ~50 ms later on 2 cores and
// Python ready no sooner: see bench/.)
let worker = null;
const replies = new Map(); // worker calls in flight: id → {resolve, reject}
const queued = []; // calls made before the worker started
let nextId = 1;
let readyResolve;
const pyReady = new Promise((resolve) => { readyResolve = resolve; });
if (!firstGroup) { startWorker(); queueMicrotask(reveal); } // no pre-computed result to wait for
setTimeout(startWorker, 1000); // never later than this, whatever happens

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

const VIEWS = ['landing', 'recipe', 'profile', 'compare', 'model'];
const RESERVED = new Set(info.reserved);
const recipeSelect = $('#recipe');
const presetSelect = $('#preset');
const modelsList = $('#models');
const resultBox = $('#result');
const recipeIds = Array.from(recipeSelect.options, (o) => o.value);
const presetIds = Array.from(presetSelect.options, (o) => o.value).filter(Boolean);

let view = 'landing';
let extras = {}; // parameters from the link that the current form has no field for
let pyState = 'loading';
let pyMessage = '';
let lastText = null; // the JSON text of the result on screen
let lastState = null;
let lastData = null; // the parsed result on screen

// ── worker calls ────────────────────────────────────────────────────────────

function post(message) {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    replies.set(id, { resolve, reject });
    if (worker) worker.postMessage({ ...message, id }); else queued.push({ ...message, id });
  });
}

function startWorker() {
  if (worker) return;
  const w = new Worker(new URL('worker.js', import.meta.url), { type: 'module' });
  worker = w;
  w.onmessage = (event) => {
    if (worker !== w) return; // a worker that was replaced (its Python died)
    const msg = event.data;
    if (msg.type === 'status') { onPyStatus(msg); return; }
    const waiter = replies.get(msg.id);
    if (!waiter) return;
    replies.delete(msg.id);
    if (msg.ok) waiter.resolve(msg); else waiter.reject(Object.assign(new Error(msg.message), { dead: msg.dead }));
  };
  w.onerror = (event) => {
    event.preventDefault();
    if (worker !== w) return;
    onPyStatus({ state: 'error', message: event.message || 'the Python worker could not start' });
  };
  // the build's boot files with their integrity: the worker refuses files of another build
  w.postMessage({ type: 'start', boot: info.boot });
  for (const message of queued.splice(0)) w.postMessage(message);
}

// If Python in the worker dies (a fatal error), the page says so, starts a new worker and
// recomputes what is on screen — except the request that killed it, which shows an error.
const MAX_RESTARTS = 3;
let restarts = 0;
let crashedKey = null; // the request that was being computed when Python died

function restartWorker(message) {
  const old = worker;
  worker = null;
  if (old) old.terminate();
  for (const [, waiter] of replies) waiter.reject(Object.assign(new Error(message), { dead: true }));
  replies.clear();
  restarts += 1;
  if (restarts > MAX_RESTARTS) {
    onPyStatus({ state: 'error', message: `${message} (stopped ${restarts} times; not restarted again)` });
    return;
  }
  startWorker();
}

const statusLog = [];

function onPyStatus(msg) {
  statusLog.push({ state: msg.state, message: msg.message, ms: msg.ms, at: Math.round(performance.now()),
    snapshot: msg.snapshot, note: msg.note, build: msg.build });
  if (msg.state === 'dead') {
    msg = { state: 'loading', message: `${msg.message}. Restarting Python…` };
    pyState = 'loading'; // never "ready" over a dead interpreter
    pyMessage = msg.message;
    document.body.dataset.py = 'restarting';
    $('#status').className = 'pill state-loading';
    $('#status-text').textContent = msg.message;
    restartWorker(pyMessage);
    return;
  }
  pyState = msg.state;
  pyMessage = msg.message;
  document.body.dataset.py = msg.state;
  const pill = $('#status');
  pill.className = `pill state-${msg.state}`;
  if (msg.state === 'ready') {
    $('#status-text').textContent = `Python ready · taf ${msg.taf} · Python ${msg.python} (${(msg.ms / 1000).toFixed(1)} s)`
      + (msg.note ? ` — ${msg.note}` : '') + (restarts ? ` — restarted after Python stopped` : '');
    performance.mark('taf:ready');
    readyResolve(true);
    if (restarts) schedule(); // recompute what is on screen with the new worker
    registerServiceWorker();
  } else if (msg.state === 'error') {
    $('#status-text').textContent = `Python could not load: ${msg.message}. Pre-computed results still show; reload to retry.`;
    readyResolve(false);
    for (const [, waiter] of replies) waiter.reject(new Error(msg.message));
    replies.clear();
    registerServiceWorker();
  } else {
    showProgress();
  }
}

// What is loading and how far: the worker reports its steps (the Python runtime, ~13 MB the first
// time; then the taf package); the status counts the seconds while a step runs.
const LOADING_STEPS = [['Loading Python', 'the Python runtime (about 13 MB on a first visit)'], ['Loading taf', 'the taf package']];
const loadStart = performance.now();

function statusProgress() {
  const i = Math.max(0, LOADING_STEPS.findIndex(([prefix]) => (pyMessage || 'Loading Python').startsWith(prefix)));
  return `step ${i + 1} of ${LOADING_STEPS.length}: ${LOADING_STEPS[i][1]}, ${Math.round((performance.now() - loadStart) / 1000)} s`;
}

function showProgress() {
  if (pyState !== 'loading' || $('#status').classList.contains('state-error')) return;
  $('#status-text').textContent = `Loading Python in the background — ${statusProgress()}`;
  if (!$('#outdated').hidden) markOutdated(true);
}
const progressTimer = setInterval(() => { if (pyState === 'loading') showProgress(); else clearInterval(progressTimer); }, 1000);

// A boot that never reports back must not look like an endless spinner.
setTimeout(() => {
  if (pyState === 'loading') LOADING_STEPS.forEach((step) => { step[1] += ' — still loading: a slow connection or a busy machine'; });
}, 20000);
setTimeout(() => {
  if (pyState !== 'loading') return;
  $('#status').className = 'pill state-error';
  $('#status-text').textContent = 'Python has not finished loading after 2 minutes (slow or blocked network?). '
    + 'Pre-computed results still work; it keeps trying, or reload to retry.';
}, 120000);

// ── pre-computed results ────────────────────────────────────────────────────

/** ``{text, echo}`` of a result computed at build time (its form echo beside it), or null. */
async function precomputed(req) {
  const path = info.precomputed[groupKey(req)];
  if (!path) return null;
  const map = await loadGroup(path);
  const text = map.get(requestKey(req));
  return text === undefined ? null : { text, echo: map.get(echoKey(req)) ?? '{}' };
}

// ── state ⇄ URL ⇄ form ──────────────────────────────────────────────────────
function enc(value) {
  return encodeURIComponent(value).replace(/%2F/g, '/').replace(/%2C/g, ',').replace(/%3A/g, ':');
}

function activeRecipe() {
  return view === 'model' ? info.model_recipe : recipeSelect.value;
}

function activeForm() {
  const key = view === 'profile' ? 'profile' : activeRecipe();
  return $(`fieldset.params[data-form="${CSS.escape(key)}"]`);
}

/** Give every field its ids and ARIA links (kept out of the static HTML to keep it small). */
function labelFields() {
  $$('.field').forEach((field, i) => {
    const ctl = control(field);
    const id = `f${i}`;
    ctl.id = id;
    $('output.echo', field).id = `${id}-o`;
    $('.help', field).id = `${id}-h`;
    $('.err', field).id = `${id}-e`;
    ctl.setAttribute('aria-describedby', `${id}-o ${id}-h ${id}-e`);
  });
}

function fieldsOf(form) {
  return form ? $$('.field', form) : [];
}

function control(field) {
  return $('[name]', field);
}

/** The state on screen: view, recipe, preset, models, parameters (form order, then extras). */
function readState() {
  const st = { view, params: {} };
  if (view === 'landing') return st;
  if (view === 'recipe' || view === 'compare') st.recipe = recipeSelect.value;
  if (view === 'model') st.recipe = info.model_recipe;
  if (view === 'recipe' || view === 'profile') st.preset = presetSelect.value;
  if (view === 'compare') st.models = $$('.model-select', modelsList).map((s) => s.value).filter(Boolean);
  for (const field of fieldsOf(activeForm())) {
    const value = control(field).value;
    if (value.trim() !== '') st.params[field.dataset.param] = value;
  }
  for (const [k, v] of Object.entries(extras)) if (!(k in st.params)) st.params[k] = v;
  return st;
}

/** Parameters whose text stays out of the query string (a pasted config.json): they travel in the
 *  link's fragment (#config=…), which the browser never sends to any server, and only up to
 *  PRIVATE_LINK_MAX characters (a bigger file is not put in links at all; the page says so). */
const PRIVATE = new Set(info.private_params); // taf.links.PRIVATE_PARAMS
const PRIVATE_LINK_MAX = info.private_link_max; // taf.links.PRIVATE_LINK_MAX
let privateLeftOut = [];

function stateToQuery(st) {
  if (st.view === 'landing') return location.pathname;
  const parts = [];
  const hidden = [];
  if (st.view !== 'recipe') parts.push(['view', st.view]);
  if (st.view === 'recipe' || st.view === 'compare') parts.push(['r', st.recipe]);
  if (st.preset && !blocked('preset')) parts.push(['preset', st.preset]);
  for (const m of st.models || []) parts.push(['m', m]);
  privateLeftOut = [];
  for (const [k, v] of Object.entries(st.params)) {
    if (blocked(k)) continue;
    if (!PRIVATE.has(k)) parts.push([k, v]);
    else if (v.length <= PRIVATE_LINK_MAX) hidden.push([k, v]);
    else privateLeftOut.push(k);
  }
  const pairs = (list) => list.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  return '?' + pairs(parts) + (hidden.length ? '#' + pairs(hidden) : '');
}

/** A link's query → a state; what the link gets wrong is listed in st.linkErrors ({param, message})
 *  and shown, never silently replaced: an unknown view or recipe opens the questions with a notice,
 *  a parameter given twice is an error next to its field. */
function parseQuery(link) {
  const cut = link.indexOf('#');
  const search = cut < 0 ? link : link.slice(0, cut);
  const fragment = new URLSearchParams(cut < 0 ? '' : link.slice(cut + 1));
  const q = new URLSearchParams(search);
  const errors = [];
  const keys = Array.from(q.keys());
  const linkView = q.get('view');
  let v = linkView || (keys.length ? 'recipe' : 'landing');
  if (!VIEWS.includes(v) || (v === 'model' && !info.model_recipe)) {
    errors.push({ param: 'view', message: `This link asks for a view ${JSON.stringify(linkView)} that does not exist; `
      + `the views are: ${VIEWS.filter((x) => x !== 'model' || info.model_recipe).join(', ')}.` });
    v = 'landing';
  }
  const st = { view: v, params: {}, models: [], linkErrors: errors };
  const r = q.get('r');
  const known = r && (recipeIds.includes(r) ? r : recipeIds.find((id) => id.toLowerCase() === r.trim().toLowerCase()));
  st.recipe = known || recipeIds[0];
  if (r !== null && !known && (v === 'recipe' || v === 'compare')) {
    errors.push({ param: 'r', message: `This link names a recipe ${JSON.stringify(r)} that does not exist; `
      + `the recipes are ${recipeIds.join(', ')}. Pick a question below.` });
    st.view = 'landing';
  }
  st.preset = q.get('preset') || '';
  st.models = q.getAll('m');
  if (v === 'compare' && !q.has('m')) st.models = info.compare_default.slice();
  const seen = new Map();
  for (const [k, val] of q) {
    if (k === 'm') continue;
    if (seen.has(k)) {
      const values = q.getAll(k);
      if (seen.get(k) === 1) errors.push({ param: k, message: `${k} is given ${values.length} times in the link (`
        + `${values.map((x) => JSON.stringify(x)).join(', ')}); keep one value.`, block: true });
      seen.set(k, seen.get(k) + 1);
      continue;
    }
    seen.set(k, 1);
    if (!RESERVED.has(k)) st.params[k] = val;
  }
  for (const e of errors) if (e.block && e.param in st.params) st.params[e.param] = '';
  for (const [k, val] of fragment) if (PRIVATE.has(k)) st.params[k] = val; // (from the fragment only)
  return st;
}

function setView(v) {
  view = v;
  document.body.dataset.view = v;
  for (const tab of $$('.views .tab')) tab.setAttribute('aria-pressed', String(tab.dataset.view === v));
  $('#landing').hidden = v !== 'landing';
  $('#workspace').hidden = v === 'landing';
  $('#recipe-row').hidden = !(v === 'recipe' || v === 'compare');
  $('#models-row').hidden = v !== 'compare';
  const model = $('#model-actions');
  if (model) model.hidden = v !== 'model';
  if ($('#hf-row')) $('#hf-row').hidden = v !== 'model';
  showForm();
}

function showForm() {
  const form = activeForm();
  for (const fs of $$('fieldset.params')) fs.hidden = fs !== form;
  // a recipe whose parameters no preset fills does not offer one (unless a link set it)
  $('#preset-row').hidden = !(view === 'profile'
    || (view === 'recipe' && form && (form.hasAttribute('data-presets') || presetSelect.value)));
  for (const p of $$('.recipe-desc')) p.hidden = p.dataset.recipe !== recipeSelect.value;
  $('#search-row').hidden = !(view === 'profile' || view === 'compare' || (view === 'recipe'
    && (!$('#preset-row').hidden || fieldsOf(form).some((f) => f.dataset.param === 'model'))));
}

function setModels(models) {
  modelsList.replaceChildren();
  const list = models.length ? models : info.compare_default;
  for (const m of list) addModelRow(m);
  updateModelButtons();
}

function addModelRow(value = '') {
  const row = $('#model-row-template').content.firstElementChild.cloneNode(true);
  const select = $('.model-select', row);
  if (value && !Array.from(select.options).some((o) => o.value === value)) {
    select.append(el('option', { value }, value)); // an unknown preset from a link: Python reports it
  }
  select.value = value;
  modelsList.append(row);
  updateModelButtons();
  return select;
}

function updateModelButtons() {
  const rows = $$('.model-row', modelsList);
  rows.forEach((row, i) => { $('.model-select', row).setAttribute('aria-label', `Model ${i + 1}`); });
  for (const b of $$('.remove-model', modelsList)) b.disabled = rows.length <= 1;
  $('#add-model').disabled = rows.length >= info.compare_max;
}

/** Put a parsed link's state on screen (form values, selections), without computing. */
function applyState(st) {
  setView(st.view);
  if (st.recipe && st.view !== 'model') recipeSelect.value = st.recipe;
  if (st.preset && !presetIds.includes(st.preset) && !Array.from(presetSelect.options).some((o) => o.value === st.preset)) {
    presetSelect.append(el('option', { value: st.preset }, st.preset)); // unknown: Python explains
  }
  presetSelect.value = st.preset || '';
  if (st.view === 'compare') setModels(st.models);
  showForm();
  extras = {};
  const form = activeForm();
  const names = new Set();
  for (const field of fieldsOf(form)) {
    const name = field.dataset.param;
    names.add(name);
    setControl(control(field), st.params[name] ?? '');
  }
  for (const [k, v] of Object.entries(st.params)) if (!names.has(k)) extras[k] = v;
  renderExtras();
  clearErrors();
  $('#general-error').hidden = true;
  linkErrors = st.linkErrors || [];
  const general = linkErrors.filter((e) => e.param === 'view' || e.param === 'r');
  $('#link-error').textContent = general.map((e) => e.message).join(' ');
  $('#link-error').hidden = !general.length;
}

/** A form control set to a link's value. A <select> never silently becomes '': a value it has
 *  no option for gets one (as written), and Python reads it or says next to the field why not. */
function setControl(ctl, value) {
  if (ctl.tagName === 'SELECT' && value !== '' && !Array.from(ctl.options).some((o) => o.value === value)) {
    ctl.append(el('option', { value, 'data-from-link': '' }, value));
  }
  ctl.value = value;
}

/** What the opened link got wrong ({param, message, block}); each shows next to its field until
 *  that field is edited, and while a blocking one stands nothing is computed (a result for
 *  other values than the link's would be a silent substitution). */
let linkErrors = [];

function blocked(param) {
  return linkErrors.some((e) => e.block && e.param === param);
}

// ── one reading of a link: Python's (taf.links.read_link, the command line's rules) ──
let linkSeq = 0;
let editedSinceOpen = false;

/** Ask Python to read the link; put its canonical values (yes → true, a100 80gb → A100 80GB) and
 *  its errors on screen, and rewrite the address in canonical form. */
async function readLinkInPython(search) {
  const seq = ++linkSeq;
  let link;
  try {
    link = JSON.parse((await post({ fn: 'link', recipe: '-', args: search })).text);
  } catch {
    return; // Python is not available: the page's own reading stands (and says so if it must)
  }
  if (seq !== linkSeq || editedSinceOpen) return; // the user has moved on
  const st = { view: link.view || 'landing', recipe: link.recipe || recipeIds[0], preset: link.preset || '',
    models: (link.models || []).slice(), params: { ...link.params }, linkErrors: [] };
  for (const [k, v] of new URLSearchParams(location.hash.slice(1))) if (PRIVATE.has(k)) st.params[k] = v;
  const badModels = [];
  for (const e of link.errors || []) {
    const general = ['view', 'r', 'query'].includes(e.param) || (e.param === 'm' && st.view !== 'compare')
      || (e.param === 'preset' && !['recipe', 'profile'].includes(st.view)) || st.view === 'landing';
    const err = { param: general ? (e.param === 'r' ? 'r' : 'view') : e.param, message: e.message, block: !general };
    if (!general) {
      const raw = e.value === undefined || e.value === null ? '' : String(e.value);
      if (e.param === 'preset') st.preset = raw;
      else if (e.param === 'm') { badModels.push([e.position ?? st.models.length, raw]); err.param = 'models'; } else if (!(e.param in st.params)) st.params[e.param] = raw;
    }
    st.linkErrors.push(err);
  }
  for (const [position, raw] of badModels) st.models.splice(position, 0, raw);
  if ((st.view === 'recipe' || st.view === 'compare') && !link.recipe) st.view = 'landing';
  if (st.view === 'compare' && !st.models.length) st.models = info.compare_default.slice();
  const canonical = link.query || '';
  const movesPrivate = Object.keys(link.params || {}).some((k) => PRIVATE.has(k)); // an old link: config in the query
  if (!st.linkErrors.length && canonical === search && !movesPrivate) return; // read as the page read it
  applyState(st);
  history.replaceState(null, '', new URL(stateToQuery(readState()), location.href));
  schedule();
}

function showLinkErrors() {
  for (const e of linkErrors) if (e.param !== 'view' && e.param !== 'r') fieldError({ ...e, code: 'invalid_link' });
}

function renderExtras() {
  const list = $('#extras-list');
  list.replaceChildren();
  for (const [k, v] of Object.entries(extras)) {
    const remove = el('button', { type: 'button', class: 'small' }, 'Remove');
    remove.addEventListener('click', () => {
      delete extras[k];
      linkErrors = linkErrors.filter((e) => e.param !== k);
      renderExtras();
      schedule();
    });
    list.append(el('li', { 'data-param': k }, el('code', {}, `${k}=${v}`), ' ', remove, el('span', { class: 'err', hidden: true })));
  }
  $('#extras').hidden = !Object.keys(extras).length;
}

// ── requests (taf/request_key.py worker_call; checked against its golden cases) ────
function buildRequest(st) {
  const { fn, recipe } = callTarget(st.view, st.recipe);
  if (fn === 'compare') {
    const request = { recipe_id: st.recipe, models: st.models.map((m) => ({ preset: m })), shared_params: st.params };
    return { fn, recipe, args: JSON.stringify(request) };
  }
  const preset = st.view === 'recipe' || st.view === 'profile' ? st.preset : '';
  const args = preset ? { preset, ...st.params } : { ...st.params };
  return { fn, recipe, args: JSON.stringify(args) };
}

// ── computing ───────────────────────────────────────────────────────────────
const memo = new Map(); // results the worker already computed this session (bounded)
let busy = false;
let again = false;

/** Recompute now, or right after the computation in flight (edits coalesce: a debounce
 *  that adds no delay when Python is idle). */
function schedule() {
  again = true;
  if (!busy) pump();
}

async function pump() {
  busy = true;
  while (again) {
    again = false;
    const st = readState();
    if (st.view === 'landing') { showLanding(); continue; }
    deferLinks(st);
    if (linkErrors.some((e) => e.block)) { showLinkProblem(st); continue; }
    const req = buildRequest(st);
    const key = requestKey(req);
    let answer = memo.get(key) ?? await precomputed(req); // {text, echo}: the result and its form echo
    let source = answer ? (memo.has(key) ? 'memo' : 'precomputed') : null;
    let ms = null;
    if (!answer) {
      if (again) continue;
      if (resultBox.dataset.key !== key) markOutdated(true);
      if (pyState === 'error') { showUnavailable(); continue; }
      if (key === crashedKey) { showUnavailable(`these inputs stopped Python, which was restarted: ${pyMessage}`); continue; }
      startWorker();
      if (pyState !== 'ready') showWaiting();
      try {
        const reply = await post(req);
        answer = { text: reply.text, echo: reply.echo ?? '{}' };
        ms = reply.ms;
        source = 'worker';
        memo.set(key, answer);
        if (memo.size > 200) memo.delete(memo.keys().next().value);
      } catch (err) {
        if (err.dead) crashedKey = key;
        if (!again) showUnavailable(err.message);
        continue;
      }
    }
    if (again) continue; // a newer edit is waiting: render that one instead
    show(st, req, answer, source, ms);
    if (!worker) setTimeout(startWorker, 0); // the pre-computed result is on screen: now boot Python
  }
  busy = false;
}

function showLanding() {
  reveal();
  performance.mark('taf:landing');
  if (!worker) setTimeout(startWorker, 0);
}

/** A link whose parameters cannot be read as given (a parameter twice): nothing is computed
 *  until the field is fixed; each problem sits next to its field. */
function showLinkProblem(st) {
  reveal();
  clearErrors();
  showLinkErrors();
  markOutdated(false);
  resultBox.dataset.status = 'error';
  resultBox.dataset.key = '';
  resultBox.dataset.source = 'link';
  $('#source').textContent = '';
  resultBox.replaceChildren(el('p', { class: 'placeholder' }, 'This link has a problem next to its field; fix it to compute.'));
  echo({}, st);
}

function showWaiting() {
  reveal();
  resultBox.dataset.source = 'waiting';
  $('#source').textContent = '';
  markOutdated(true);
}

/** A result on screen that was computed for other inputs is marked "Outdated" in words (and
 *  faded, its echoes cleared) from the moment the inputs change until the new result arrives. */
function markOutdated(on) {
  const had = resultBox.dataset.status !== undefined;
  resultBox.classList.toggle('stale', on && had);
  const note = $('#outdated');
  note.hidden = !(on && had);
  if (on && had) {
    clearTimeout(announceTimer); // a result that is already outdated is not announced
    note.textContent = pyState === 'ready' ? 'Outdated: the result below is for the previous inputs. Computing the new one…'
      : pyState === 'error' ? 'Outdated: the result below is for other inputs, and Python is not available to compute these.'
        : `Outdated: the result below is for other inputs. The new one is computed as soon as Python has loaded (${statusProgress()}).`;
    for (const out of $$('output.echo', activeForm() || document)) out.textContent = '';
  }
}

function showUnavailable(message) {
  reveal();
  resultBox.dataset.source = 'unavailable';
  markOutdated(true);
  $('#source').textContent = '';
  const box = $('#general-error');
  box.textContent = `Cannot compute this state: Python is not available (${message || pyMessage}). Pre-computed links still work.`;
  box.hidden = false;
}

function clearErrors() {
  for (const field of $$('.field[data-invalid], #preset-row[data-invalid], #models-row[data-invalid], #extras li[data-invalid]')) {
    delete field.dataset.invalid;
  }
  for (const err of $$('.field .err, #preset-err, #models-err, #extras .err')) { err.hidden = true; err.textContent = ''; }
  for (const c of $$('[aria-invalid]')) c.removeAttribute('aria-invalid');
}

/** Put an error next to its field; returns false when no field on screen matches. */
function fieldError(error) {
  const param = error.param;
  let holder = null;
  let errBox = null;
  let ctl = null;
  if (param === 'preset' && !$('#preset-row').hidden) {
    holder = $('#preset-row'); errBox = $('#preset-err'); ctl = presetSelect;
  } else if (param === 'models' && !$('#models-row').hidden) {
    holder = $('#models-row'); errBox = $('#models-err');
  } else if (param) {
    holder = fieldsOf(activeForm()).find((f) => f.dataset.param === param) || null;
    if (holder) { errBox = $('.err', holder); ctl = control(holder); } else {
      holder = $$('#extras li').find((li) => li.dataset.param === param) || null;
      if (holder) errBox = $('.err', holder);
    }
  }
  if (!holder) return false;
  holder.dataset.invalid = error.code === 'missing_param' ? 'missing' : '';
  errBox.textContent = error.message;
  errBox.hidden = false;
  if (ctl) ctl.setAttribute('aria-invalid', 'true');
  return true;
}

/** How the echo names where a value came from (Python decides it: taf.registry.value_source). */
const ECHO_FROM = { preset: ' (preset)', 'config.json': ' (config.json)', default: ' (default)' };

/** Echo beside each field the value the result used and where it came from, as Python answered
 *  ({name: {value, from}}: taf.registry.input_echo). */
function echo(entries, st) {
  for (const field of fieldsOf(activeForm())) {
    const out = $('output.echo', field);
    const entry = Object.hasOwn(entries, field.dataset.param) ? entries[field.dataset.param] : null;
    if (!entry) { out.textContent = ''; continue; }
    if (entry.from === 'per model') { out.textContent = '= per model (from its preset)'; continue; }
    const value = entry.value;
    // a long text or list is summarised (it is in full in the field above)
    const shown = typeof value === 'string' && value.length > 60 ? `${group(String(value.length))} characters`
      : Array.isArray(value) && value.length > 12
        ? `${group(String(value.length))} values: ${fmtValue(value.slice(0, 3))}, …, ${fmtValue(value.slice(-1), field.dataset.unit)}`
        : fmtValue(value, field.dataset.unit);
    out.textContent = value === null ? '= not set' : `= ${shown}${ECHO_FROM[entry.from] ?? ''}`;
  }
}

/** Add to each echo how Python read what was typed ("= 8,000 tokens (k = 1,000; write 8192 for 2¹³)"):
 *  the rule comes from taf.registry.input_notes, the CLI's parser, never from a JS copy of it. */
async function noteEchoes(st, recipeId) {
  const typed = {};
  for (const field of fieldsOf(activeForm())) {
    const value = control(field).value.trim();
    if (value !== '') typed[field.dataset.param] = value;
  }
  if (!Object.keys(typed).length || pyState !== 'ready') return;
  let notes;
  try {
    notes = JSON.parse((await post({ fn: 'notes', recipe: '-', args: JSON.stringify([recipeId, JSON.stringify(typed)]) })).text);
  } catch {
    return; // the plain echo stands
  }
  if (lastState !== st) return; // a newer result is on screen
  for (const field of fieldsOf(activeForm())) {
    const note = notes[field.dataset.param];
    const out = $('output.echo', field);
    if (note && out.textContent.startsWith('= ') && !out.textContent.includes(note)) out.textContent += ` (${note})`;
  }
}

function show(st, req, answer, source, ms) {
  const text = answer.text;
  let entries;
  try {
    entries = JSON.parse(answer.echo);
  } catch {
    entries = {};
  }
  let data;
  try {
    data = JSON.parse(text);
  } catch (err) {
    data = { error: { code: 'internal_error', message: `The result is not JSON (${err.message}).` } };
  }
  lastText = text;
  lastState = st;
  lastData = data;
  reveal(); // (the same task as the result: both are laid out together)
  clearErrors();
  const general = $('#general-error');
  general.hidden = true;
  markOutdated(false);
  resultBox.dataset.source = source;
  resultBox.dataset.key = requestKey(req);
  $('#source').textContent = source === 'precomputed'
    ? 'Pre-computed by CPython when this site was built (identical to what your browser computes).'
    : `Computed in your browser by Python (Pyodide)${ms !== null && ms !== undefined ? ` in ${ms.toFixed(1)} ms` : ''}.`;
  updateMarkdownButton();
  if (data.error) {
    const placed = fieldError(data.error);
    // a blank required field is a to-do, not an alarm: a neutral prompt, announced as such
    const missing = placed && data.error.code === 'missing_param';
    resultBox.dataset.status = missing ? 'prompt' : 'error';
    general.textContent = placed ? `Cannot compute: ${data.error.message}` : data.error.message;
    general.hidden = missing;
    resultBox.replaceChildren(el('p', { class: 'placeholder' },
      missing ? `Fill in ${data.error.param} to get the answer (see the note next to it).`
        : placed ? `Fix the value of ${data.error.param} (see the message next to it).` : 'No result for these inputs.'));
    announce(missing ? `Waiting for ${data.error.param}.` : `Cannot compute: ${data.error.message}`);
    echo({}, st);
    showLinkErrors();
    return;
  }
  resultBox.dataset.status = 'ok';
  let node;
  if (st.view === 'profile') {
    node = renderProfile(data, (rid) => stateToQuery({ view: 'recipe', recipe: rid, preset: st.preset, params: {} }));
    echo(entries, st);
    announce(`Profile of ${data.preset || 'the model'}: ${(data.recipes || []).length} recipes.`);
  } else if (st.view === 'compare') {
    node = renderCompare(data);
    echo(entries, st);
    announce(`Compare ${data.recipe_id}: ` + data.rows.map((r) => `${r.label} ${r.verdict || 'error'}`).join('; '));
  } else {
    node = renderResult(data);
    echo(entries, st);
    noteEchoes(st, data.recipe_id);
    announce(`Verdict: ${data.verdict}. ${data.reason}`);
  }
  resultBox.replaceChildren(node);
  markOverflow(resultBox);
  resultBox.dataset.tone = data.tone || 'neutral';
  showLinkErrors();
  if (!performance.getEntriesByName('taf:first-result').length) performance.mark('taf:first-result');
}

// One announcement per settled result: the live region speaks once the result has stayed the
// same for a moment (typing "32768" or arrowing through the presets is one announcement, not many).
const ANNOUNCE_SETTLE_MS = 700;
let announceTimer = null;
let announced = '';
function announce(text) {
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    if (text === announced) return;
    announced = text;
    $('#announce').textContent = text;
  }, ANNOUNCE_SETTLE_MS);
}

// ── links, command line, download ───────────────────────────────────────────
function shellQuote(text) {
  return /^[A-Za-z0-9_\-.,:/=+@%]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function commandLine(st) {
  const assigns = Object.entries(st.params).map(([k, v]) => shellQuote(`${k}=${v}`));
  if (st.view === 'profile') {
    return ['taf', 'profile', ...(st.preset ? ['--preset', shellQuote(st.preset)] : []), ...assigns].join(' ');
  }
  if (st.view === 'compare') {
    return ['taf', 'compare', shellQuote(st.recipe), ...st.models.flatMap((m) => ['--preset', shellQuote(m)]), ...assigns].join(' ');
  }
  return ['taf', 'run', shellQuote(st.recipe), ...(st.preset ? ['--preset', shellQuote(st.preset)] : []), ...assigns].join(' ');
}

// The address bar, the link box and the command follow every edit, but replaceState costs a few
// ms: it runs in the next task, i.e. while the worker computes, not before the result is shown.
let pendingLinks = null;
function deferLinks(st) {
  if (pendingLinks === null) setTimeout(() => { const latest = pendingLinks; pendingLinks = null; updateLinks(latest); }, 0);
  pendingLinks = st;
}

function updateLinks(st, push = false) {
  const query = stateToQuery(st);
  const url = new URL(query, location.href);
  if (url.href !== location.href) history[push ? 'pushState' : 'replaceState'](null, '', url);
  $('#permalink').value = url.href;
  const note = $('#link-note');
  note.hidden = !privateLeftOut.length;
  note.textContent = privateLeftOut.length ? `The link leaves out ${privateLeftOut.join(', ')} (over ${group(String(PRIVATE_LINK_MAX))} `
    + 'characters): share the file itself with it.' : '';
  $('#command').textContent = commandLine(st) + ' --json';
}

async function copyText(text, what, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const input = el('textarea', { class: 'sr-only' }, text);
    document.body.append(input);
    input.select();
    document.execCommand('copy');
    input.remove();
  }
  // visible next to the buttons and on the button itself for two seconds, and announced once
  $('#copied').textContent = `${what} copied.`;
  if (button) {
    button.dataset.copied = '';
    clearTimeout(button.copiedTimer);
    button.copiedTimer = setTimeout(() => { delete button.dataset.copied; $('#copied').textContent = ''; }, 2500);
  }
}

function download() {
  if (lastText === null) return;
  const st = lastState;
  const name = ['taf', st.view === 'recipe' || st.view === 'model' ? st.recipe : st.view, st.preset || (st.models || []).join('+')]
    .filter(Boolean).join('-').replace(/[^A-Za-z0-9._+-]+/g, '_');
  const url = URL.createObjectURL(new Blob([lastText], { type: 'application/json' }));
  const a = el('a', { href: url, download: `${name}.json` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ── navigation ──────────────────────────────────────────────────────────────
function navigate(st, push = true) {
  linkSeq++; // a reading of the previous link that is still in flight no longer applies
  applyState(st);
  const q = stateToQuery(readState());
  if (push) history.pushState(null, '', new URL(q, location.href));
  schedule();
}

function openFromLocation() {
  editedSinceOpen = false;
  applyState(parseQuery(location.search + location.hash));
  schedule();
  if (location.search.length > 1) readLinkInPython(location.search);
}

document.addEventListener('click', (event) => {
  const a = event.target.closest('a[href^="?"]');
  if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(parseQuery(a.getAttribute('href')));
  $('#output').focus({ preventScroll: false });
});
window.addEventListener('popstate', openFromLocation);

function formFor(v, recipe) {
  const key = v === 'profile' ? 'profile' : (v === 'model' ? info.model_recipe : recipe);
  return $(`fieldset.params[data-form="${CSS.escape(key)}"]`);
}

for (const tab of $$('.views .tab')) {
  tab.addEventListener('click', () => {
    if (tab.dataset.view === view) return;
    const st = readState();
    const next = { view: tab.dataset.view, recipe: recipeSelect.value, preset: presetSelect.value,
      models: view === 'compare' ? st.models : (st.preset ? [st.preset] : []), params: {} };
    if (next.view === 'compare') {
      const more = info.compare_default.filter((m) => !next.models.includes(m));
      next.models = next.models.concat(more).slice(0, Math.max(2, next.models.length));
    }
    // carry the values the new form also has (T_eval from Recipe to Profile, …)
    const names = new Set(fieldsOf(formFor(next.view, next.recipe)).map((f) => f.dataset.param));
    for (const [k, v] of Object.entries(st.params)) if (names.has(k)) next.params[k] = v;
    const example = workedExample[next.recipe];
    if (next.view === 'recipe' && view === 'landing' && example && example.startsWith('?')) {
      navigate(parseQuery(example));
      return;
    }
    navigate(next);
  });
}

/** The worked example of each recipe (the recipe list links to it): a recipe picked with an
 *  empty form opens on it, never on a "required" prompt. */
const workedExample = Object.fromEntries($$('.recipe-list a[data-recipe]').map((a) => [a.dataset.recipe, a.getAttribute('href')]));

recipeSelect.addEventListener('change', () => {
  extras = {};
  renderExtras();
  showForm();
  const st = readState();
  const example = workedExample[st.recipe];
  if (view === 'recipe' && !Object.keys(st.params).length && example && example.startsWith('?')) {
    navigate(parseQuery(example));
    return;
  }
  history.pushState(null, '', new URL(stateToQuery(st), location.href));
  schedule();
});

function edited(target) {
  editedSinceOpen = true;
  const param = target === presetSelect ? 'preset' : target.matches('.model-select') ? 'models'
    : target.closest('.field') && target.closest('.field').dataset.param;
  if (param) linkErrors = linkErrors.filter((e) => e.param !== param);
}
$('#controls-form').addEventListener('input', (event) => {
  if (event.target.matches('input[type=file], #hf-id, #model-search')) return;
  edited(event.target);
  schedule();
});
$('#controls-form').addEventListener('change', (event) => {
  if (event.target.matches('input[type=file]')) { loadFile(event.target); return; }
  if (event.target.id === 'hf-id' || event.target.id === 'model-search') return;
  if (event.target === recipeSelect) return;
  edited(event.target);
  schedule();
});
$('#controls-form').addEventListener('submit', (event) => { event.preventDefault(); schedule(); });

function loadFile(input) {
  const file = input.files && input.files[0];
  if (!file) return;
  const reader = new FileReader(); // read locally; nothing is uploaded anywhere
  reader.onload = () => {
    const target = $('textarea', input.closest('.field'));
    target.value = String(reader.result);
    input.value = '';
    schedule();
  };
  reader.readAsText(file);
}

modelsList.addEventListener('click', (event) => {
  const button = event.target.closest('.remove-model');
  if (!button) return;
  // focus stays on a Remove button (the next row's, else the previous row's), never on <body>
  const row = button.closest('.model-row');
  const next = row.nextElementSibling || row.previousElementSibling;
  row.remove();
  updateModelButtons();
  const target = next && $('.remove-model', next);
  (target && !target.disabled ? target : $('#add-model')).focus();
  schedule();
});
$('#add-model').addEventListener('click', () => {
  const used = new Set($$('.model-select', modelsList).map((s) => s.value));
  const select = addModelRow(presetIds.find((p) => !used.has(p)) || '');
  select.focus();
  schedule();
});

$('#copy-link').addEventListener('click', (e) => copyText($('#permalink').value, 'Link', e.currentTarget));
$('#copy-command').addEventListener('click', (e) => copyText($('#command').textContent, 'Command', e.currentTarget));
$('#download').addEventListener('click', download);

// ── Markdown export: the chain as a Markdown table, written by taf's own formatter in the worker
function updateMarkdownButton() {
  // (a recipe result: Profile and Compare have their own JSON)
  $('#markdown').hidden = !(lastData && !lastData.error && lastData.chain && lastState && ['recipe', 'model'].includes(lastState.view));
}
$('#markdown').addEventListener('click', async (event) => {
  const button = event.currentTarget;
  if (pyState !== 'ready' && !(await pyReady)) { showUnavailable(); return; }
  try {
    const reply = await post({ fn: 'markdown', recipe: '-', args: lastText });
    await copyText(reply.text, 'Markdown', button);
  } catch (err) {
    const box = $('#general-error');
    box.textContent = `Markdown export failed: ${err.message}`;
    box.hidden = false;
  }
});

// ── M-1: a config.json as the model of another view ─────────────────────────
async function useConfig(target) {
  const field = fieldsOf(activeForm()).find((f) => control(f).tagName === 'TEXTAREA');
  const config = field ? control(field).value : '';
  const general = $('#general-error');
  if (!config.trim()) { fieldError({ param: field.dataset.param, message: 'Paste or load a config.json first.' }); return; }
  if (pyState !== 'ready' && !(await pyReady)) { showUnavailable(); return; }
  const recipe = target === 'profile' ? null : $('#use-recipe').value;
  let values;
  try {
    const reply = await post({ fn: 'preset', recipe: recipe || '-', args: config });
    values = JSON.parse(reply.text);
  } catch (err) {
    general.textContent = String(err.message); general.hidden = false; return;
  }
  if (values.error) { general.textContent = values.error.message; general.hidden = false; return; }
  const params = {};
  if (target === 'profile') {
    // preset fields → the Profile form's parameter names (through their preset keys)
    for (const f of fieldsOf($('fieldset.params[data-form="profile"]'))) {
      const v = values[f.dataset.presetKey];
      if (f.dataset.presetKey && v !== null && v !== undefined) params[f.dataset.param] = String(v);
    }
    navigate({ view: 'profile', preset: '', params });
  } else {
    for (const [k, v] of Object.entries(values)) if (v !== null) params[k] = String(v);
    navigate({ view: 'recipe', recipe, preset: '', params });
  }
}
if ($('#use-in-profile')) {
  $('#use-in-profile').addEventListener('click', () => useConfig('profile'));
  $('#use-in-recipe').addEventListener('click', () => useConfig('recipe'));
}

// ── the model catalog: searched by name in Python (taf.search_models), one click picks ────
let searchSeq = 0;
async function searchCatalog() {
  const query = $('#model-search').value.trim();
  const hits = $('#model-hits');
  const seq = ++searchSeq;
  if (!query) { hits.replaceChildren(); return; }
  if (pyState !== 'ready') hits.replaceChildren(el('li', { class: 'help' }, 'Searching as soon as Python has loaded…'));
  let rows;
  try {
    rows = JSON.parse((await post({ fn: 'search', recipe: '-', args: query })).text);
  } catch (err) {
    if (seq === searchSeq) hits.replaceChildren(el('li', { class: 'help' }, `Search is not available: ${err.message}`));
    return;
  }
  if (seq !== searchSeq) return;
  if (!Array.isArray(rows) || !rows.length) { hits.replaceChildren(el('li', { class: 'help' }, `No catalog model matches "${query}".`)); return; }
  hits.replaceChildren(...rows.map((row) => {
    const size = row.total_params ? ` · ${fmtNumber(row.total_params / 1e9)} B params` : '';
    const pick = el('button', { type: 'button', class: 'small hit', 'data-model': row.id }, row.id);
    pick.addEventListener('click', () => pickModel(row.id));
    return el('li', {}, pick, el('span', { class: 'help' }, `${size}${row.active_params && row.active_params !== row.total_params ? `, ${fmtNumber(row.active_params / 1e9)} B active` : ''}`));
  }));
}

function pickModel(id) {
  $('#model-hits').replaceChildren();
  $('#model-search').value = '';
  if (view === 'compare') {
    const selects = $$('.model-select', modelsList);
    const target = selects.length < info.compare_max ? addModelRow('') : selects[selects.length - 1];
    setControl(target, id);
    target.focus();
  } else {
    const modelField = view === 'recipe' && fieldsOf(activeForm()).find((f) => f.dataset.param === 'model');
    const target = modelField ? control(modelField) : presetSelect; // S-1, S-2, T-1 take model=<catalog id>
    setControl(target, id);
    edited(target);
    showForm();
    target.focus();
  }
  schedule();
}
let searchTimer = null;
$('#model-search').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(searchCatalog, 150); });

// ── a config.json from Hugging Face, only when the user asks ────────────────
// The one request to another host (the Content-Security-Policy allows exactly https://huggingface.co
// for it): made on the click, never before, without cookies or referrer; gated, private, missing
// and offline models get a message that says to paste the file instead.
const HF_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;
const HF_MAX_BYTES = 1_000_000;

async function fetchFromHuggingFace() {
  const id = $('#hf-id').value.trim();
  const msg = $('#hf-msg');
  const paste = ' Download config.json from the model\'s page on huggingface.co and paste it below (or load the file).';
  if (!HF_ID.test(id)) {
    msg.textContent = `"${id}" is not a Hugging Face model id: write it as org/name, for example Qwen/Qwen2.5-7B.`;
    return;
  }
  const url = `https://huggingface.co/${id.split('/').map(encodeURIComponent).join('/')}/resolve/main/config.json`;
  msg.textContent = `Fetching ${url} …`;
  let response;
  try {
    response = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' });
  } catch {
    msg.textContent = `Could not reach huggingface.co (offline, or the request was blocked).${paste}`;
    return;
  }
  if (response.status === 401 || response.status === 403) {
    msg.textContent = `${id} is gated or private: Hugging Face serves its files only to signed-in users who accepted its terms.${paste}`;
    return;
  }
  if (response.status === 404) {
    msg.textContent = `Hugging Face has no model ${id} with a config.json (check the id's spelling and case).${paste}`;
    return;
  }
  if (!response.ok) {
    msg.textContent = `Hugging Face answered HTTP ${response.status} for ${id}.${paste}`;
    return;
  }
  const text = await response.text();
  if (text.length > HF_MAX_BYTES) {
    msg.textContent = `That config.json is ${group(String(text.length))} characters; the page reads up to ${group(String(HF_MAX_BYTES))}.${paste}`;
    return;
  }
  const field = fieldsOf(activeForm()).find((f) => control(f).tagName === 'TEXTAREA');
  control(field).value = text;
  edited(control(field));
  msg.textContent = `Read ${id}'s config.json (${group(String(text.length))} characters) from Hugging Face.`;
  schedule();
}
if ($('#hf-fetch')) {
  $('#hf-fetch').addEventListener('click', fetchFromHuggingFace);
  $('#hf-id').addEventListener('keydown', (event) => { if (event.key === 'Enter') { event.preventDefault(); fetchFromHuggingFace(); } });
}

// ── offline: the Service Worker pre-caches every file of the site ───────────
// One page, one build (see web/sw.js.j2): a new build's Service Worker waits while a page of the
// old one is open; the page offers "A new version is available — reload", and when the new build
// takes over (this page's or another tab's choice) the page reloads rather than mix two builds.
let swRegistered = false;
const hadController = Boolean(navigator.serviceWorker && navigator.serviceWorker.controller);

function offerUpdate(registration) {
  const waiting = registration.waiting;
  if (!waiting || !navigator.serviceWorker.controller) return; // first install: nothing to replace
  $('#update').hidden = false;
  $('#update-reload').onclick = () => waiting.postMessage({ type: 'skip-waiting' });
}

if (navigator.serviceWorker) {
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (hadController) location.reload();
  });
}

function registerServiceWorker() {
  const badge = $('#offline');
  if (swRegistered || !('serviceWorker' in navigator)) return;
  swRegistered = true;
  badge.hidden = false;
  badge.textContent = navigator.serviceWorker.controller ? 'Available offline' : 'Saving for offline use…';
  navigator.serviceWorker.register('sw.js').then((registration) => {
    offerUpdate(registration);
    registration.addEventListener('updatefound', () => {
      const installing = registration.installing;
      if (installing) installing.addEventListener('statechange', () => offerUpdate(registration));
    });
    return navigator.serviceWorker.ready;
  }).then(() => {
    badge.textContent = 'Available offline';
    badge.className = 'pill state-ready';
    document.body.dataset.offline = 'ready';
  }).catch((err) => {
    if (navigator.serviceWorker.controller) return; // offline (no server): the cached version serves
    badge.textContent = `Offline use unavailable (${err.message})`;
    document.body.dataset.offline = 'error';
  });
}
// A page already controlled by the Service Worker is offline-ready now.
if (navigator.serviceWorker && navigator.serviceWorker.controller) {
  const badge = $('#offline');
  badge.hidden = false;
  badge.textContent = 'Available offline';
  badge.className = 'pill state-ready';
  document.body.dataset.offline = 'ready';
}

// ── test and benchmark hooks (plain calls into the same worker) ─────────────
window.tafPage = {
  ready: pyReady,
  call: (fn, recipe, args) => post({ fn, recipe, args }).then((r) => r.text),
  batch: (calls) => post({ batch: calls }).then((r) => r.texts),
  verifyLock: () => post({ fn: 'verify-lock', recipe: '-', args: '' }).then((r) => r.text),
  crashPython: () => post({ fn: 'crash', recipe: '-', args: '' }).then((r) => r.text, (e) => `stopped: ${e.message}`),
  build: info.build,
  state: () => readState(),
  lastText: () => lastText,
  statusLog,
  query: () => stateToQuery(readState()),
  linkQuery: (state) => stateToQuery({ params: {}, ...state }),
  format: (value, unit) => fmtValue(value, unit),
  request: (state) => { const req = buildRequest(state); return { ...req, key: requestKey(req), echo_key: echoKey(req), group: groupKey(req) }; },
  singular: () => SINGULAR,
};

labelFields();
openFromLocation();
