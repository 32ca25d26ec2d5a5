// TAF Browser — rendering of results (recipe chains, Profile cards, Compare tables) into the DOM.
// Every piece of text goes in through textContent (el() below); nothing here uses innerHTML, so a
// value from a URL, a config.json or an error message can never become markup.

import { renderCharts } from './charts.js';

/** Create an element: el('td', {class: 'x', title: 't'}, child, 'text', …). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** 1234567.5 → "1,234,567.5" (digits as given; no Intl: its first use costs tens of ms). */
export function group(text) {
  const [int, frac] = text.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac !== undefined ? '.' + frac : '');
}

/** Units written in the plural that read in the singular for exactly one ("1 GPU") — the table of
 *  taf/textfmt.py SINGULAR (tests/browser/test_page_format.py checks they agree). */
export const SINGULAR = {
  tokens: 'token', params: 'param', parameters: 'parameter', layers: 'layer', heads: 'head', bytes: 'byte',
  GPUs: 'GPU', 'GPU-hours': 'GPU-hour', hours: 'hour', days: 'day', seconds: 'second', problems: 'problem',
  prompts: 'prompt', samples: 'sample', seeds: 'seed', steps: 'step', users: 'user', dims: 'dim',
  sequences: 'sequence', requests: 'request', experts: 'expert', checks: 'check', models: 'model', bits: 'bit',
  items: 'item',
};

/** e with 10^e ≤ |x| < 10^(e+1). */
function exponent10(a) {
  let e = Math.floor(Math.log10(a));
  if (10 ** e > a) e -= 1;
  if (10 ** (e + 1) <= a) e += 1;
  return e;
}

/** Fixed-point text with the integer part grouped and trailing fractional zeros dropped. */
function fixedText(a, decimals) {
  const text = a.toFixed(Math.max(0, decimals));
  const [int, frac] = text.split('.');
  const kept = frac ? frac.replace(/0+$/, '') : '';
  return group(int) + (kept ? '.' + kept : '');
}

/** A number as text: the rule of taf/textfmt.py format_number, checked against its golden file.
 *  Integers below 10^15 in full (grouped); 10^15 and up or below 10^-4 in scientific notation with
 *  3 significant digits (1.23e18); from 1,000 up rounded to an integer; below 1,000 four significant
 *  digits. (JavaScript's toFixed/toExponential round the exact binary value, ties away from zero,
 *  as the Python side does.) */
export function fmtNumber(x) {
  if (typeof x === 'boolean') return x ? 'yes' : 'no';
  if (typeof x !== 'number' || !Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  const sign = x < 0 ? '-' : '';
  if (a >= 1e15 || a < 1e-4) {
    const [mantissa, exp] = a.toExponential(2).split('e');
    return `${sign}${mantissa.replace(/\.?0+$/, '')}e${Number(exp)}`;
  }
  if (Number.isInteger(x) || a >= 1000) return sign + group(a.toFixed(0));
  return sign + fixedText(a, 3 - exponent10(a));
}

/** A unit after its value: "2.5×", "12.5 %", "1 GPU", "8 GPUs". */
function withUnit(text, value, unit) {
  if (!unit) return text;
  if (unit === '×') return text + '×';
  const word = typeof value === 'number' && Math.abs(value) === 1 && SINGULAR[unit] ? SINGULAR[unit] : unit;
  return `${text} ${word}`;
}

/** A value with its unit, as taf/textfmt.py format_value writes it: 47781.002 → "47,781 tokens";
 *  null → "—" (the step that has one says why in words). */
export function fmtValue(value, unit = '') {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean' || typeof value === 'number') return withUnit(fmtNumber(value), value, unit);
  if (typeof value === 'string') return withUnit(value, value, unit);
  if (Array.isArray(value)) return value.every((v) => typeof v !== 'object' || v === null)
    ? value.map((v) => fmtValue(v)).join(', ') : `${value.length} item${value.length === 1 ? '' : 's'}`;
  return Object.entries(value).filter(([, v]) => !(v && typeof v === 'object' && !Array.isArray(v)))
    .map(([k, v]) => `${k} = ${Array.isArray(v) ? `[${v.join(', ')}]` : fmtValue(v)}`).join(' · ');
}

/** A tone as words, so that colour is never the only signal (the tone comes from Python). */
const TONE_WORD = { good: 'favourable', caution: 'caution', bad: 'unfavourable', neutral: 'result' };

function toneOf(tone) {
  return tone in TONE_WORD ? tone : 'neutral';
}

export function verdictBadge(verdict, tone) {
  const t = toneOf(tone);
  return el('span', { class: `badge tone-${t}`, title: TONE_WORD[t] }, verdict);
}

/** Mark each horizontally scrolling box that overflows (a visible hint and a focusable region). */
export function markOverflow(root) {
  requestAnimationFrame(() => {
    for (const box of root.querySelectorAll('.scroll')) box.classList.toggle('overflows', box.scrollWidth > box.clientWidth + 1);
  });
}

/** A horizontally scrollable region: keyboard users can focus and scroll it; it is named. */
function scrollBox(label, child) {
  return el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': label }, child);
}

function isPlain(v) {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

function cell(tag, value, unit = '') {
  return el(tag, { title: typeof value === 'number' ? String(value) : undefined, class: typeof value === 'number' ? 'num' : undefined },
    isPlain(value) ? fmtValue(value, unit) : renderValue(value));
}

/** Any JSON value as DOM: scalars as text, objects as key/value tables, lists of objects as tables. */
export function renderValue(value, unit = '') {
  if (isPlain(value)) return el('span', { class: typeof value === 'number' ? 'num' : undefined,
    title: typeof value === 'number' ? String(value) : undefined }, fmtValue(value, unit));
  if (Array.isArray(value)) {
    if (value.length && value.every((v) => v && typeof v === 'object' && !Array.isArray(v))) return listTable(value);
    // a list of plain values, complete; integers without thousands separators so that "999, 1000"
    // cannot read as "999, 1,000" (P-1 lists every failing prompt number)
    if (value.every(isPlain)) return el('span', {}, value.length
      ? value.map((v) => (Number.isInteger(v) ? String(v) : fmtValue(v))).join(', ') : 'none');
    return el('ol', { class: 'plain' }, value.map((v) => el('li', {}, renderValue(v))));
  }
  return kvTable(value);
}

export function kvTable(obj, caption) {
  const rows = Object.entries(obj).map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), cell('td', v)));
  return el('table', { class: 'kv' }, caption ? el('caption', {}, caption) : null, el('tbody', {}, rows));
}

export function listTable(items, caption) {
  const cols = [];
  for (const item of items) for (const k of Object.keys(item)) if (!cols.includes(k)) cols.push(k);
  return scrollBox(caption || 'table (scrolls sideways)', el('table', { class: 'list' },
    caption ? el('caption', {}, caption) : null,
    el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col' }, c)))),
    el('tbody', {}, items.map((item) => el('tr', {}, cols.map((c) => (c in item ? cell('td', item[c]) : el('td')))))),
  ));
}

function renderStep(step) {
  const head = el('div', { class: 'step-head' },
    el('span', { class: 'step-num', 'aria-hidden': 'true' }, String(step.step)),
    el('h4', { class: 'step-name' }, el('span', { class: 'sr-only' }, `Step ${step.step}: `), step.name),
    el('span', { class: 'section' }, step.section || ''),
    step.status ? el('span', { class: `status s-${step.status}`, title: `evidence status: ${step.status}` }, step.status) : null);
  const inputs = step.inputs && Object.keys(step.inputs).length
    ? el('table', { class: 'inputs' }, el('caption', { class: 'sr-only' }, 'inputs'),
      el('tbody', {}, Object.entries(step.inputs).map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), cell('td', v)))))
    : null;
  const result = step.result;
  const resultNode = el('div', { class: 'step-result' }, el('span', { class: 'label' }, 'result '),
    isPlain(result) ? el('strong', { class: typeof result === 'number' ? 'num' : undefined,
      title: typeof result === 'number' ? String(result) : undefined }, fmtValue(result, step.unit || ''))
      : renderValue(result));
  return el('li', { class: 'step' }, head,
    el('div', { class: 'formula' }, el('code', {}, step.formula || '')),
    inputs, resultNode,
    step.interpretation ? el('p', { class: 'interp' }, step.interpretation) : null,
    step.breakdown ? el('details', { class: 'breakdown' }, el('summary', {}, 'Breakdown'), renderValue(step.breakdown)) : null);
}

/** The verdict banner + reason + mitigation + caveats + steps of one recipe result. */
export function renderResult(result, { level = 3 } = {}) {
  const frag = el('div', { class: 'result' });
  const tone = toneOf(result.tone);
  frag.append(el('div', { class: `verdict tone-${tone}`, 'data-tone': tone },
    el('span', { class: 'verdict-kicker' }, `${result.recipe_id} · ${result.recipe_name}${result.preset ? ' · ' + result.preset : ''}`),
    el(`h${level}`, { class: 'verdict-text' }, el('span', { class: 'sr-only' }, 'Verdict: '), result.verdict),
    el('span', { class: 'verdict-word' }, TONE_WORD[tone])));
  frag.append(el('p', { class: 'reason' }, el('strong', {}, 'Reason. '), result.reason || ''));
  if (result.mitigation) frag.append(el('p', { class: 'mitigation' }, el('strong', {}, 'Mitigation. '), result.mitigation));
  if (result.caveats && result.caveats.length) {
    frag.append(el('div', { class: 'caveats' }, el('strong', {}, 'Caveats'),
      el('ul', {}, result.caveats.map((c) => el('li', {}, c)))));
  }
  if (result.charts && result.charts.length) frag.append(renderCharts(result.charts, level + 1));
  const known = new Set(['schema_version', 'recipe_id', 'recipe_name', 'preset', 'inputs', 'chain', 'verdict', 'reason',
    'mitigation', 'caveats', 'tone', 'figures', 'charts']);
  const extra = Object.fromEntries(Object.entries(result).filter(([k]) => !known.has(k)));
  frag.append(el(`h${level + 1}`, { class: 'steps-title' }, `The chain (${(result.chain || []).length} steps)`));
  frag.append(el('ol', { class: 'steps' }, (result.chain || []).map(renderStep)));
  if (Object.keys(extra).length) frag.append(el('details', { class: 'breakdown' }, el('summary', {}, 'More'), kvTable(extra)));
  frag.append(el('details', { class: 'breakdown' }, el('summary', {}, 'All inputs (resolved)'), kvTable(result.inputs || {})));
  return frag;
}

function section(title, ...content) {
  return el('section', { class: 'card-section' }, el('h4', {}, title), ...content);
}

/** A collapsed full chain; its steps are rendered when it is first opened (a Profile or Compare
 * re-renders on every edit, and most of its chains are never opened). */
function subResult(result, summary) {
  const box = el('details', { class: 'sub-result' }, summary);
  box.addEventListener('toggle', () => {
    if (box.open && box.childElementCount === 1) box.append(renderResult(result, { level: 4 }));
  });
  return box;
}

/** A Profile (TAF card): summary, key numbers, one verdict line per recipe, and each full chain. */
export function renderProfile(card, linkFor) {
  const frag = el('div', { class: 'result profile' });
  frag.append(el('div', { class: 'verdict tone-neutral' },
    el('span', { class: 'verdict-kicker' }, 'Profile · TAF card'),
    el('h3', { class: 'verdict-text' }, card.preset || 'custom model')));
  if (card.model_summary) frag.append(section('Model', kvTable(card.model_summary)));
  if (card.key_numbers && card.key_numbers.length) {
    frag.append(section('Key numbers', el('table', { class: 'list' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'quantity'), el('th', { scope: 'col' }, 'value'))),
      el('tbody', {}, card.key_numbers.map((row) => el('tr', {}, el('th', { scope: 'row' }, row.name), cell('td', row.value, row.unit || '')))))));
  }
  if (card.recipes && card.recipes.length) {
    frag.append(section('Verdicts', scrollBox('Verdicts of every recipe', el('table', { class: 'list verdicts' },
      el('thead', {}, el('tr', {}, ['recipe', 'verdict', 'reason'].map((c) => el('th', { scope: 'col' }, c)))),
      el('tbody', {}, card.recipes.map((line) => el('tr', {},
        el('th', { scope: 'row' }, linkFor ? el('a', { href: linkFor(line.recipe_id) }, `${line.recipe_id} · ${line.recipe_name}`) : line.recipe_id),
        el('td', {}, verdictBadge(line.verdict, line.tone || (card.results && card.results[line.recipe_id] || {}).tone)),
        el('td', {}, line.reason || '', line.mitigation ? el('span', { class: 'mit' }, ' — ' + line.mitigation) : null))))))));
  }
  const known = new Set(['schema_version', 'view', 'preset', 'model', 'model_summary', 'key_numbers', 'recipes', 'results']);
  for (const [key, value] of Object.entries(card)) {
    if (known.has(key) || value === null) continue;
    if (typeof value === 'object' && !Array.isArray(value) && !Object.keys(value).length) continue;
    if (Array.isArray(value) && !value.length) continue;
    frag.append(section(key.replace(/_/g, ' '), renderValue(value)));
  }
  if (card.results) {
    const details = Object.values(card.results).map((r) => subResult(r,
      el('summary', {}, `${r.recipe_id} · ${r.recipe_name} — `, verdictBadge(r.verdict, r.tone))));
    frag.append(section('Full chains', details));
  }
  return frag;
}

/** Compare: one row per model, the recipe's key numbers side by side, each full chain below. */
export function renderCompare(table) {
  const frag = el('div', { class: 'result compare' });
  frag.append(el('div', { class: 'verdict tone-neutral' },
    el('span', { class: 'verdict-kicker' }, `Compare · ${table.rows.length} models`),
    el('h3', { class: 'verdict-text' }, `${table.recipe_id} · ${table.recipe_name}`)));
  if (table.shared_params && Object.keys(table.shared_params).length) {
    frag.append(el('p', { class: 'shared' }, 'Shared parameters: ',
      Object.entries(table.shared_params).map(([k, v]) => `${k} = ${fmtValue(v)}`).join(', ')));
  }
  const names = [];
  const units = {};
  for (const row of table.rows) for (const kn of row.key_numbers || []) {
    if (!names.includes(kn.name)) { names.push(kn.name); units[kn.name] = kn.unit || ''; }
  }
  const head = el('tr', {}, el('th', { scope: 'col' }, 'model'), el('th', { scope: 'col' }, 'verdict'),
    names.map((n) => el('th', { scope: 'col' }, units[n] ? `${n} (${units[n]})` : n)));
  const body = table.rows.map((row) => {
    if (row.error) {
      return el('tr', { class: 'row-error' }, el('th', { scope: 'row' }, row.label),
        el('td', { colspan: String(names.length + 1) }, el('span', { class: 'badge tone-bad' }, 'ERROR'), ' ', row.error.message));
    }
    const byName = Object.fromEntries((row.key_numbers || []).map((kn) => [kn.name, kn.value]));
    return el('tr', {}, el('th', { scope: 'row' }, row.label), el('td', {}, verdictBadge(row.verdict, row.result && row.result.tone)),
      names.map((n) => (n in byName ? cell('td', byName[n]) : el('td'))));
  });
  frag.append(el('p', { class: 'scroll-hint' }, 'The table scrolls sideways →'));
  frag.append(scrollBox(`${table.recipe_id} for ${table.rows.length} models`,
    el('table', { class: 'list compare-table' }, el('thead', {}, head), el('tbody', {}, body))));
  const details = table.rows.filter((row) => row.result).map((row) => subResult(row.result,
    el('summary', {}, `${row.label} — `, verdictBadge(row.verdict, row.result && row.result.tone))));
  if (details.length) frag.append(section('Full chains', details));
  return frag;
}
