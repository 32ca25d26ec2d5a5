// TAF Browser — charts drawn as plain SVG from the `charts` list of a result (taf.chain.chart):
// kinds `line` (series of [x, y] points), `stacked_bar` and `bar` (values per category), linear or
// log axes, reference markers. No chart logic lives here beyond drawing: every number comes from
// Python. Each chart is accessible without its picture: a title and a one-sentence note (the
// SVG's name and description), series told apart by pattern, dash and marker shape as well as
// colour, direct text labels, and the full data as a table next to it. Colours are CSS
// variables (light and dark); the SVG scales with its box and stays crisp on a phone.

const SVG = 'http://www.w3.org/2000/svg';
let chartCount = 0; // unique ids for patterns and labels

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== undefined && c !== null) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function html(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) node.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== undefined && c !== null) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

const SI = [[1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];

/** A short tick label: 3 significant digits with an SI prefix (1.5 k, 80 G, 0.25, 1e-6). */
export function tickText(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  for (const [f, p] of SI) if (a >= f) return `${+(v / f).toPrecision(3)} ${p}`;
  if (a >= 0.001) return String(+v.toPrecision(3));
  return v.toExponential(0);
}

/** The full number for the table: up to 6 significant digits, grouped thousands. */
function fullText(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const a = Math.abs(v);
  if (a >= 1e15 || (a > 0 && a < 1e-4)) return v.toExponential(4).replace(/\.?0+e/, 'e');
  const t = String(+v.toPrecision(6));
  const [i, f] = t.split('.');
  return i.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (f ? '.' + f : '');
}

function axisTitle(axis) {
  if (!axis) return '';
  return axis.unit ? `${axis.label} (${axis.unit})` : (axis.label || '');
}

/** A scale: domain → [r0, r1], linear or log10, with its ticks. */
function makeScale(lo, hi, r0, r1, log) {
  if (log) {
    lo = Math.max(lo, Number.MIN_VALUE);
    let a = Math.floor(Math.log10(lo));
    let b = Math.ceil(Math.log10(hi));
    if (a === b) { a -= 1; b += 1; }
    const step = Math.max(1, Math.ceil((b - a) / 6));
    const ticks = [];
    for (let e = a; e <= b; e += step) ticks.push(10 ** e);
    const f = (v) => r0 + ((Math.log10(Math.max(v, 10 ** a)) - a) / (b - a)) * (r1 - r0);
    return { f, ticks, lo: 10 ** a, hi: 10 ** b };
  }
  if (lo === hi) { lo = lo === 0 ? 0 : lo * 0.9; hi = hi === 0 ? 1 : hi * 1.1; }
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const a = Math.floor(lo / step) * step;
  const b = Math.ceil(hi / step) * step;
  const ticks = [];
  for (let t = a; t <= b + step / 2; t += step) ticks.push(+t.toPrecision(12));
  const f = (v) => r0 + ((v - a) / (b - a)) * (r1 - r0);
  return { f, ticks, lo: a, hi: b };
}

function finite(v) {
  return typeof v === 'number' && Number.isFinite(v);
}

const DASHES = [null, '6 4', '2 3', '10 3 2 3', '1 4'];
const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross'];

function markerShape(i, x, y, cls) {
  const s = 3.5;
  switch (SHAPES[i % SHAPES.length]) {
    case 'square': return svg('rect', { x: x - s, y: y - s, width: 2 * s, height: 2 * s, class: cls });
    case 'triangle': return svg('path', { d: `M${x},${y - s - 1}L${x + s + 1},${y + s}L${x - s - 1},${y + s}Z`, class: cls });
    case 'diamond': return svg('path', { d: `M${x},${y - s - 1}L${x + s + 1},${y}L${x},${y + s + 1}L${x - s - 1},${y}Z`, class: cls });
    case 'cross': return svg('path', { d: `M${x - s},${y - s}L${x + s},${y + s}M${x - s},${y + s}L${x + s},${y - s}`, class: `${cls} stroke-only` });
    default: return svg('circle', { cx: x, cy: y, r: s, class: cls });
  }
}

/** Fill patterns (solid, hatched, dotted, cross-hatched…) so stacked segments differ without colour. */
function patterns(id, n) {
  const defs = svg('defs');
  for (let i = 0; i < n; i++) {
    const p = svg('pattern', { id: `${id}-p${i}`, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: i % 2 ? 'rotate(45)' : null });
    p.append(svg('rect', { width: 6, height: 6, class: `c${i % 6} fill` }));
    const k = i % 4;
    if (k === 1) p.append(svg('path', { d: 'M0,0V6', class: 'hatch' }));
    if (k === 2) p.append(svg('circle', { cx: 3, cy: 3, r: 1.1, class: 'dot' }));
    if (k === 3) p.append(svg('path', { d: 'M0,0V6M0,3H6', class: 'hatch' }));
    defs.append(p);
  }
  return defs;
}

/** The drawing's width in SVG units: the page's width on a phone (so 11 px text stays 11 px),
 *  640 on a wider screen; the SVG then scales to its box. */
function chartWidth() {
  const viewport = document.documentElement.clientWidth || 640;
  return Math.round(Math.max(320, Math.min(640, viewport - 40)));
}

function frame(spec, id, height, width) {
  const title = spec.title || 'Chart';
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart-svg', role: 'img', 'aria-labelledby': `${id}-t`, 'aria-describedby': spec.note ? `${id}-d` : null, preserveAspectRatio: 'xMidYMid meet' },
    svg('title', { id: `${id}-t` }, title), spec.note ? svg('desc', { id: `${id}-d` }, spec.note) : null);
}

// ── line charts ─────────────────────────────────────────────────────────────
function lineChart(spec, id) {
  const series = (spec.series || []).map((s) => ({ ...s, points: (s.points || []).filter((p) => finite(p[0]) && finite(p[1])) }));
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  for (const m of spec.markers || []) if (finite(m.value)) (m.axis === 'x' ? xs : ys).push(m.value);
  const W = chartWidth(), narrow = W < 480;
  const H = narrow ? 280 : 340, L = narrow ? 48 : 64, R = narrow ? 84 : 120, T = 16, B = 52;
  const root = frame(spec, id, H, W);
  if (!xs.length) return root;
  const xLog = spec.x && spec.x.scale === 'log';
  const yLog = spec.y && spec.y.scale === 'log';
  const xpos = xLog ? xs.filter((v) => v > 0) : xs;
  const ypos = yLog ? ys.filter((v) => v > 0) : ys;
  const sx = makeScale(Math.min(...xpos), Math.max(...xpos), L, W - R, xLog);
  const sy = makeScale(yLog ? Math.min(...ypos) : Math.min(0, ...ypos), Math.max(...ypos), H - B, T, yLog);
  root.append(axes(sx, sy, spec, { L, R, T, B, W, H }));
  const g = svg('g', { class: 'series' });
  const ends = [];
  series.forEach((s, i) => {
    const pts = s.points.filter((p) => (!xLog || p[0] > 0) && (!yLog || p[1] > 0));
    if (!pts.length) return;
    const d = pts.map((p, k) => `${k ? 'L' : 'M'}${sx.f(p[0]).toFixed(1)},${sy.f(p[1]).toFixed(1)}`).join('');
    g.append(svg('path', { d, class: `line c${i % 6} stroke`, 'stroke-dasharray': DASHES[i % DASHES.length] }));
    const every = Math.max(1, Math.ceil(pts.length / 12));
    pts.forEach((p, k) => {
      if (k % every && k !== pts.length - 1) return;
      const mk = markerShape(i, sx.f(p[0]), sy.f(p[1]), `c${i % 6} mark`);
      mk.append(svg('title', {}, `${s.name}: ${fullText(p[0])}, ${fullText(p[1])}`));
      g.append(mk);
    });
    const last = pts[pts.length - 1];
    const name = narrow && s.name.length > 12 ? s.name.slice(0, 11) + '…' : s.name;
    ends.push({ x: sx.f(last[0]) + 8, y: sy.f(last[1]) + 4, i, name });
  });
  // end-of-line labels, pushed apart when lines end close together
  ends.sort((a, b) => a.y - b.y);
  let below = -Infinity;
  for (const end of ends) {
    const y = Math.max(end.y, below + 12);
    below = y;
    g.append(svg('text', { x: end.x, y, class: `label c${end.i % 6} text` }, end.name));
  }
  root.append(g);
  root.append(markers(spec, sx, sy, { L, R, T, B, W, H }));
  return root;
}

function axes(sx, sy, spec, { L, R, T, B, W, H }, categories = null) {
  const g = svg('g', { class: 'axes', 'aria-hidden': 'true' });
  for (const t of sy.ticks) {
    const y = sy.f(t);
    g.append(svg('line', { x1: L, x2: W - R, y1: y, y2: y, class: 'grid' }));
    g.append(svg('text', { x: L - 6, y: y + 4, class: 'tick', 'text-anchor': 'end' }, tickText(t)));
  }
  if (!categories) {
    for (const t of sx.ticks) {
      const x = sx.f(t);
      g.append(svg('line', { x1: x, x2: x, y1: T, y2: H - B, class: 'grid' }));
      g.append(svg('text', { x, y: H - B + 16, class: 'tick', 'text-anchor': 'middle' }, tickText(t)));
    }
  }
  g.append(svg('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'axis' }));
  g.append(svg('line', { x1: L, x2: L, y1: T, y2: H - B, class: 'axis' }));
  g.append(svg('text', { x: (L + W - R) / 2, y: H - 10, class: 'axis-title', 'text-anchor': 'middle' }, axisTitle(spec.x)
    + (spec.x && spec.x.scale === 'log' ? ' · log scale' : '')));
  g.append(svg('text', { x: 12, y: (T + H - B) / 2, class: 'axis-title', 'text-anchor': 'middle', transform: `rotate(-90 12 ${(T + H - B) / 2})` },
    axisTitle(spec.y) + (spec.y && spec.y.scale === 'log' ? ' · log' : '')));
  return g;
}

function markers(spec, sx, sy, { L, R, T, B, W, H }) {
  const g = svg('g', { class: 'markers' });
  const list = (spec.markers || []).filter((m) => finite(m.value));
  list.filter((m) => m.axis === 'x').forEach((m, k) => {
    const x = sx.f(m.value);
    g.append(svg('line', { x1: x, x2: x, y1: T, y2: H - B, class: 'marker' }));
    g.append(svg('text', { x: x + 4, y: T + 12 + 14 * k, class: 'marker-label' }, m.label || fullText(m.value)));
  });
  // labels of horizontal lines sit just above their line at the plot's right end (inside the plot,
  // never clipped), pushed apart when lines are close
  const ys = list.filter((m) => m.axis !== 'x').map((m) => ({ m, y: sy.f(m.value) })).sort((a, b) => a.y - b.y);
  let last = -Infinity;
  for (const item of ys) {
    g.append(svg('line', { x1: L, x2: W - R, y1: item.y, y2: item.y, class: 'marker' }));
    const ty = Math.max(item.y - 4, last + 13, T + 10);
    last = ty;
    g.append(svg('text', { x: W - R - 4, y: ty, class: 'marker-label', 'text-anchor': 'end' }, item.m.label || fullText(item.m.value)));
  }
  return g;
}

// ── bar and stacked bar charts (horizontal: long category names read well on a phone) ──
function barChart(spec, id) {
  const cats = (spec.x && spec.x.categories) || [];
  const series = spec.series || [];
  const stacked = spec.kind === 'stacked_bar';
  const totals = cats.map((_, c) => (stacked ? series.reduce((sum, s) => sum + (finite(s.values[c]) ? s.values[c] : 0), 0)
    : Math.max(0, ...series.map((s) => (finite(s.values[c]) ? s.values[c] : 0)))));
  const values = [...totals];
  for (const m of spec.markers || []) if (finite(m.value) && m.axis !== 'x') values.push(m.value);
  const rowH = stacked || series.length === 1 ? 30 : 14 * series.length + 10;
  const valueMarkers = (spec.markers || []).filter((m) => finite(m.value) && m.axis !== 'x');
  // each reference line's label gets its own row above the bars: close lines never overlap
  const W = chartWidth(), narrow = W < 480;
  const L = narrow ? 84 : 150, R = narrow ? 36 : 60, T = 14 + 15 * valueMarkers.length, B = 48;
  const H = T + B + Math.max(1, cats.length) * rowH;
  const root = frame(spec, id, H, W);
  const maxChars = narrow ? 12 : 22;
  const log = spec.y && spec.y.scale === 'log';
  const positive = values.filter((v) => v > 0);
  const sv = makeScale(log ? Math.min(...positive) : 0, Math.max(...values, 0) || 1, L, W - R, log);
  root.append(patterns(id, series.length));
  const g = svg('g', { class: 'axes', 'aria-hidden': 'true' });
  for (const t of sv.ticks) {
    const x = sv.f(t);
    g.append(svg('line', { x1: x, x2: x, y1: T, y2: H - B, class: 'grid' }));
    g.append(svg('text', { x, y: H - B + 16, class: 'tick', 'text-anchor': 'middle' }, tickText(t)));
  }
  g.append(svg('line', { x1: L, x2: L, y1: T, y2: H - B, class: 'axis' }));
  g.append(svg('text', { x: (L + W - R) / 2, y: H - 10, class: 'axis-title', 'text-anchor': 'middle' },
    axisTitle(spec.y) + (log ? ' · log scale' : '')));
  root.append(g);
  const bars = svg('g', { class: 'bars' });
  cats.forEach((cat, c) => {
    const y0 = T + c * rowH;
    bars.append(svg('text', { x: L - 6, y: y0 + rowH / 2 + 4, class: 'tick cat', 'text-anchor': 'end' }, String(cat).length > maxChars ? String(cat).slice(0, maxChars - 1) + '…' : String(cat)));
    let acc = log ? sv.lo : 0;
    series.forEach((s, i) => {
      const v = s.values[c];
      if (!finite(v) || v <= 0) return;
      let x0, x1, y, h;
      if (stacked) { x0 = sv.f(acc); acc += v; x1 = sv.f(acc); y = y0 + 5; h = rowH - 10; } else {
        x0 = sv.f(log ? sv.lo : 0); x1 = sv.f(v); h = series.length === 1 ? rowH - 10 : 12; y = y0 + 5 + (series.length === 1 ? 0 : i * 14);
      }
      const rect = svg('rect', { x: x0, y, width: Math.max(0.5, x1 - x0), height: h, fill: `url(#${id}-p${i})`, class: `bar c${i % 6}` });
      rect.append(svg('title', {}, `${cat} · ${s.name}: ${fullText(v)}${spec.y && spec.y.unit ? ' ' + spec.y.unit : ''}`));
      bars.append(rect);
    });
    const end = stacked ? sv.f(acc) : sv.f(totals[c]);
    bars.append(svg('text', { x: end + 4, y: y0 + rowH / 2 + 4, class: 'value' }, tickText(totals[c])));
  });
  root.append(bars);
  const mg = svg('g', { class: 'markers' });
  valueMarkers.forEach((m, k) => {
    const x = sv.f(m.value);
    const y = 12 + 15 * k;
    mg.append(svg('line', { x1: x, x2: x, y1: y + 3, y2: H - B, class: 'marker' }));
    const right = x > (L + W) / 2;
    mg.append(svg('text', { x: right ? x - 4 : x + 4, y: y + 4, class: 'marker-label', 'text-anchor': right ? 'end' : 'start' },
      `${m.label || 'reference'}: ${tickText(m.value)}`));
  });
  root.append(mg);
  return root;
}

function legend(spec, id) {
  const series = spec.series || [];
  if (series.length < 2 && spec.kind === 'bar') return null;
  return html('ul', { class: 'chart-legend' }, series.map((s, i) => {
    const sw = svg('svg', { viewBox: '0 0 24 12', width: 24, height: 12, 'aria-hidden': 'true', class: 'swatch' });
    if (spec.kind === 'line') {
      sw.append(svg('path', { d: 'M1,6H23', class: `line c${i % 6} stroke`, 'stroke-dasharray': DASHES[i % DASHES.length] }));
      sw.append(markerShape(i, 12, 6, `c${i % 6} mark`));
    } else {
      sw.append(patterns(`${id}-l${i}`, series.length));
      sw.append(svg('rect', { x: 1, y: 1, width: 22, height: 10, fill: `url(#${id}-l${i}-p${i})`, class: `bar c${i % 6}` }));
    }
    return html('li', {}, sw, ' ', s.name);
  }));
}

/** The chart's data as a table (the accessible alternative, and the exact numbers). */
function dataTable(spec) {
  const unit = (a) => (a && a.unit ? ` (${a.unit})` : '');
  const caption = html('caption', {}, `${spec.title}: data`);
  let head; let rows;
  if (spec.kind === 'line') {
    const series = spec.series || [];
    const xs = [...new Set(series.flatMap((s) => (s.points || []).map((p) => p[0])))].sort((a, b) => a - b);
    const at = series.map((s) => new Map((s.points || []).map((p) => [p[0], p[1]])));
    head = [`${(spec.x && spec.x.label) || 'x'}${unit(spec.x)}`, ...series.map((s) => `${s.name}${unit(spec.y)}`)];
    rows = xs.map((x) => [x, ...at.map((m) => (m.has(x) ? m.get(x) : null))]);
  } else {
    const cats = (spec.x && spec.x.categories) || [];
    head = [(spec.x && spec.x.label) || 'category', ...(spec.series || []).map((s) => `${s.name}${unit(spec.y)}`)];
    if (spec.kind === 'stacked_bar') head.push(`total${unit(spec.y)}`);
    rows = cats.map((c, i) => {
      const vals = (spec.series || []).map((s) => s.values[i]);
      const row = [c, ...vals];
      if (spec.kind === 'stacked_bar') row.push(vals.reduce((a, v) => a + (finite(v) ? v : 0), 0));
      return row;
    });
  }
  const table = html('table', { class: 'list chart-data' }, caption,
    html('thead', {}, html('tr', {}, head.map((h) => html('th', { scope: 'col' }, h)))),
    html('tbody', {}, rows.map((r) => html('tr', {}, r.map((v, i) => (i === 0 ? html('th', { scope: 'row' }, fullText(v))
      : html('td', { class: 'num', title: v === null || v === undefined ? null : String(v) }, fullText(v))))))));
  const markersText = (spec.markers || []).filter((m) => finite(m.value))
    .map((m) => `${m.label || 'marker'}: ${fullText(m.value)}${m.axis === 'x' ? unit(spec.x) : unit(spec.y)}`);
  return html('details', { class: 'chart-table' }, html('summary', {}, 'Data table'),
    html('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': `${spec.title}: data` }, table),
    markersText.length ? html('p', { class: 'help' }, `Reference lines — ${markersText.join('; ')}.`) : null);
}

/** One chart: a figure with its heading, the SVG, a legend, the note and the data table. */
export function renderChart(spec, level = 4) {
  const id = `chart${++chartCount}`;
  const drawn = spec.kind === 'line' ? lineChart(spec, id) : barChart(spec, id);
  return html('figure', { class: 'chart', 'data-chart': spec.id || '', 'data-kind': spec.kind },
    html(`h${Math.min(level, 6)}`, { class: 'chart-title' }, spec.title || 'Chart'),
    drawn, legend(spec, id), spec.note ? html('figcaption', { class: 'help' }, spec.note) : null, dataTable(spec));
}

/** Every chart of a result, under one heading. */
export function renderCharts(charts, level = 4) {
  return html('section', { class: 'charts' }, html(`h${Math.min(level, 6)}`, { class: 'steps-title' }, charts.length === 1 ? 'Chart' : 'Charts'),
    charts.map((c) => renderChart(c, level + 1)));
}
