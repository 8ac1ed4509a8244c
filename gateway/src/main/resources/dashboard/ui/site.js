// The sites the token may see, at a glance, and one site's page: equipment grouped with human
// names, current values, and charts of its series over 24 hours, 7 or 30 days, with their tables.
import { api, query } from './api.js';
import { drawChart } from './chart.js';
import { el, errorText, message, csvLink, sortableTable, table } from './dom.js';
import { t, formatTime, formatNumber, withUnit, unitLabel, equipmentName, pointName, typeName, zoneName } from './i18n.js';
import { parseSeries, alignSeries, parseLatest } from './parse.js';

/** Each range: its length and the bucket that gives a few hundred values per series at most. */
export const RANGES = {
  day: { ms: 24 * 3600e3, bucket: '15m' },
  week: { ms: 7 * 24 * 3600e3, bucket: '1h' },
  month: { ms: 30 * 24 * 3600e3, bucket: '1h' },
};
const RAW_LIMIT = 20000;
const SILENT_MS = 3600e3;
const SEVERITIES = ['critical', 'major', 'warning', 'info'];

/** On/off points: drawn as steps on 0–1, bucketed with their last value rather than an average. */
export function isBinary(point) {
  return point.unit === '/' && /(_on|^in_service|^running)$/.test(point.name);
}

/** The active (open and acknowledged) alerts of the token's sites. */
export async function activeAlerts() {
  const lists = await Promise.all(['open', 'acknowledged'].map((s) => api.get(`/api/v1/alerts?state=${s}&limit=1000`)));
  return lists.flatMap((l) => l.alerts);
}

export async function sitesView(root) {
  const { sites } = await api.get('/api/v1/sites');
  root.append(el('h1', {}, t('sites.title')));
  if (!sites.length) {
    root.append(message(t('sites.none')));
    return;
  }
  const [alerts, latest] = await Promise.all([activeAlerts().catch(() => []),
    Promise.all(sites.map((s) => api.get(`/api/v1/sites/${encodeURIComponent(s.id)}/latest`).then(parseLatest).catch(() => new Map())))]);
  const now = Date.now();
  const rows = sites.map((s, i) => {
    const times = [...latest[i].values()].map((v) => Date.parse(v.t)).filter(Number.isFinite);
    const keys = s.equipment.flatMap((e) => e.points.map((p) => p.key));
    const silent = keys.filter((k) => { const v = latest[i].get(k); return !v || now - Date.parse(v.t) > SILENT_MS; }).length;
    const mine = alerts.filter((a) => a.site === s.id);
    const bySeverity = Object.fromEntries(SEVERITIES.map((sev) => [sev, mine.filter((a) => a.severity === sev).length]));
    return { site: s, last: times.length ? Math.max(...times) : null, silent, bySeverity, active: mine.length,
      rank: SEVERITIES.reduce((n, sev) => n * 1000 + bySeverity[sev], 0) };
  });
  const columns = [
    { key: 'name', label: t('sites.name'), ascending: true, value: (r) => r.site.name },
    { key: 'open', label: t('sites.open'), value: (r) => r.rank },
    // The oldest reading first: a site never heard from is the oldest of all.
    { key: 'last', label: t('sites.lastReading'), ascending: true, value: (r) => r.last ?? 0 },
    { key: 'silent', label: t('sites.silent'), num: true, value: (r) => r.silent },
    { key: 'equipment', label: t('sites.equipment'), num: true, value: (r) => r.site.equipment.length },
  ];
  root.append(el('section', { class: 'card' }, sortableTable(columns, rows, (r) => el('tr', { 'data-site': r.site.id },
    el('td', {}, el('a', { href: '#/sites/' + encodeURIComponent(r.site.id), 'data-site': r.site.id }, r.site.name)),
    el('td', { class: 'sev-counts' }, r.active === 0 ? '0' : SEVERITIES.filter((s) => r.bySeverity[s] > 0).map((s) =>
      el('a', { class: 'badge sev-' + s, href: `#/alerts?site=${encodeURIComponent(r.site.id)}&severity=${s}` },
        `${r.bySeverity[s]} ${t('severity.' + s)}`))),
    el('td', {}, r.last ? formatTime(r.last, r.site.timezone) : t('sites.never')),
    el('td', { class: 'num' }, String(r.silent)),
    el('td', { class: 'num' }, String(r.site.equipment.length))),
  { initial: 'open', id: 'sites-table' })));
  root.dataset.ready = 'true';
}

export async function siteView(root, siteId, rangeName = 'day') {
  const { sites } = await api.get('/api/v1/sites');
  const site = sites.find((s) => s.id === siteId);
  if (!site) {
    root.append(message(t('site.unknown'), 'error'));
    return null;
  }
  const latestBox = el('div', { id: 'latest' }, message(t('loading')));
  const chartsBox = el('div', { class: 'charts', id: 'charts' });
  const range = RANGES[rangeName] ? rangeName : 'day';
  root.append(
    el('h1', {}, site.name),
    el('p', { class: 'notice', id: 'site-zone' }, t('site.timeZone', zoneName(site.timezone))),
    el('section', { class: 'card' }, el('h2', {}, t('site.equipment')), equipmentTable(site)),
    el('section', { class: 'card' }, el('h2', {}, t('site.current')), latestBox),
    el('section', { class: 'card' }, el('div', { class: 'toolbar' }, el('h2', {}, t('site.charts')),
      Object.keys(RANGES).map((r) => el('button', { type: 'button', class: 'range', 'data-range': r,
        'aria-pressed': String(r === range), onclick: () => { location.hash = `#/sites/${encodeURIComponent(site.id)}/${r}`; } },
      t('range.' + r)))), chartsBox),
  );
  await Promise.all([latest(site, latestBox), charts(site, chartsBox, RANGES[range])]);
  performance.mark('gardien:site-charts-drawn');
  root.dataset.ready = 'true';
  return site;
}

function equipmentTable(site) {
  return table([t('site.equipment'), t('site.type'), t('site.points')],
    site.equipment.map((e) => el('tr', { 'data-equipment': e.id },
      el('td', {}, e.name ? el('span', { title: e.id }, e.name) : e.id), el('td', {}, typeName(e.type)),
      el('td', {}, e.points.map((p) => (unitLabel(p.unit) ? `${pointName(p)} (${unitLabel(p.unit)})` : pointName(p))).join(', ')))),
    { id: 'equipment' });
}

async function latest(site, box) {
  try {
    const values = parseLatest(await api.get(`/api/v1/sites/${encodeURIComponent(site.id)}/latest`));
    const rows = [];
    for (const e of site.equipment) {
      for (const p of e.points) {
        const v = values.get(p.key);
        if (!v) continue;
        const shown = typeof v.v !== 'number' ? String(v.v ?? '–')
          : isBinary(p) ? (v.v >= 0.5 ? t('chart.on') : t('chart.off')) : withUnit(v.v, p.unit);
        rows.push(el('tr', { 'data-point': p.key }, el('td', {}, `${equipmentName(e)} — ${pointName(p)}`),
          el('td', { class: 'num' }, shown), el('td', {}, formatTime(v.t, site.timezone))));
      }
    }
    box.replaceChildren(rows.length ? table([t('site.point'), { label: t('site.value'), num: true }, t('site.at')], rows)
      : message(t('site.noData')));
  } catch (e) {
    box.replaceChildren(message(e.unavailable ? t('site.latestMissing') : errorText(e), e.unavailable ? 'notice' : 'error'));
  }
}

/** One chart per equipment and unit (on/off points apart), so that lines on a chart share their axis. */
function groups(site) {
  const out = [];
  for (const e of site.equipment) {
    const byUnit = new Map();
    for (const p of e.points) {
      const key = isBinary(p) ? 'onoff' : p.unit;
      if (!byUnit.has(key)) byUnit.set(key, []);
      byUnit.get(key).push(p);
    }
    for (const [key, points] of byUnit) out.push({ equipment: e, unit: points[0].unit, binary: key === 'onoff', points });
  }
  return out;
}

/**
 * The points' keys in batches whose query stays well under the server's request-line limit
 * (Vert.x: 4,096 bytes), so that a site's series come in one request or a few.
 */
export function batches(keys, maxChars = 3000, maxPoints = 50) {
  const out = [];
  let current = [];
  let length = 0;
  for (const key of keys) {
    const cost = encodeURIComponent(key).length + 7; // "&point="
    if (current.length > 0 && (length + cost > maxChars || current.length >= maxPoints)) {
      out.push(current);
      current = [];
      length = 0;
    }
    current.push(key);
    length += cost;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * The series of {@code keys} by point key, bucketed by {@code bucket} with {@code agg} when the
 * gateway can, else raw (and a note says so).
 */
export async function fetchSeries(keys, from, to, bucket, agg, notes) {
  if (keys.length === 0) return new Map();
  const span = { from: from.toISOString(), to: to.toISOString() };
  let lists;
  try {
    lists = await Promise.all(batches(keys).map((batch) =>
      api.get('/api/v1/series?' + query({ point: batch, ...span, bucket, agg }))));
  } catch (e) {
    if (!e.unavailable) throw e;
    // A gateway without aggregates: the raw values of each point, as many as it gives.
    notes.add('site.raw');
    lists = await Promise.all(keys.map((k) => api.get('/api/v1/series?' + query({ point: k, ...span, limit: RAW_LIMIT }))));
  }
  const byKey = new Map();
  for (const s of lists.flatMap(parseSeries)) byKey.set(s.point, s);
  return byKey;
}

/** A chart's card: title, plot, and its table of values with a CSV export (the chart's text alternative). */
export function chartCard(title, attrs) {
  const plot = el('div', { class: 'plot', ...attrs });
  const details = el('details', { class: 'values' });
  return { card: el('div', { class: 'chart' }, el('h4', {}, title), plot, details), plot, details };
}

/** Fills a chart's table of values and CSV link from uPlot columns. */
export function fillTable(details, title, labels, data, timeZone, filename) {
  const rows = data[0].map((x, i) => [formatTime(x * 1000, timeZone), ...data.slice(1).map((col) => formatNumber(col[i]))]);
  const csvRows = [['time', ...labels], ...data[0].map((x, i) => [new Date(x * 1000).toISOString(), ...data.slice(1).map((col) => col[i] ?? '')])];
  details.replaceChildren(el('summary', {}, t('chart.table')),
    csvLink(t('chart.csv'), filename, csvRows),
    table([t('chart.time'), ...labels.map((l) => ({ label: l, num: true }))], rows.map((r) =>
      el('tr', {}, el('td', {}, r[0]), r.slice(1).map((c) => el('td', { class: 'num' }, c))))));
}

async function charts(site, box, range) {
  const to = new Date();
  const from = new Date(to.getTime() - range.ms);
  const list = groups(site);
  const notes = new Set();
  const cards = new Map();
  const slots = list.map((g) => {
    if (!cards.has(g.equipment.id)) {
      const card = el('section', { class: 'equipment card', 'data-equipment': g.equipment.id }, el('h3', {}, equipmentName(g.equipment)));
      cards.set(g.equipment.id, card);
      box.append(card);
    }
    const title = g.points.map((p) => pointName(p)).join(', ');
    const withUnitTitle = title + (g.binary || !unitLabel(g.unit) ? '' : ` (${unitLabel(g.unit)})`);
    const c = chartCard(withUnitTitle, { 'data-equipment': g.equipment.id, 'data-unit': g.binary ? 'onoff' : g.unit });
    cards.get(g.equipment.id).append(c.card);
    return { ...c, title: withUnitTitle };
  });
  const notesBox = el('div', { id: 'chart-notes' });
  box.before(notesBox);
  let byKey;
  let alerts = [];
  try {
    const keys = (binary) => list.filter((g) => g.binary === binary).flatMap((g) => g.points.map((p) => p.key));
    const [values, onoff, recent] = await Promise.all([
      fetchSeries(keys(false), from, to, range.bucket, 'avg', notes),
      fetchSeries(keys(true), from, to, range.bucket, 'last', notes),
      api.get('/api/v1/alerts?' + query({ site: site.id, since: from.toISOString(), limit: 1000 })).catch(() => ({ alerts: [] })),
    ]);
    byKey = new Map([...values, ...onoff]);
    alerts = recent.alerts;
  } catch (e) {
    notesBox.replaceChildren(message(errorText(e), 'error'));
    return;
  }
  await Promise.all(list.map(async (g, i) => {
    const series = g.points.map((p) => byKey.get(p.key)).filter(Boolean);
    if (series.some((s) => s.truncated)) notes.add('site.truncated');
    const drawable = series.filter((s) => s.t.length > 0);
    const slot = slots[i];
    if (drawable.length === 0) {
      slot.plot.replaceChildren(message(t('site.noData')));
      slot.plot.dataset.drawn = 'empty';
      return;
    }
    const labels = drawable.map((s) => pointName(g.points.find((p) => p.key === s.point) ?? s.point.split('/').pop()));
    const data = alignSeries(drawable);
    const markers = alerts.filter((a) => a.equipment === g.equipment.id)
      .map((a) => ({ t: Date.parse(a.firstSeen) / 1000, colour: a.state === 'resolved' ? '#5b6575' : '#b3001b' }));
    fillTable(slot.details, slot.title, labels, data, site.timezone, `${site.id}-${g.equipment.id}-${g.binary ? 'onoff' : g.unit}.csv`
      .replace(/[^A-Za-z0-9._-]/g, '_'));
    await drawChart(slot.plot, { labels, unit: g.unit, data, timeZone: site.timezone, binary: g.binary,
      from: from.getTime() / 1000, to: to.getTime() / 1000, markers, title: `${equipmentName(g.equipment)} — ${slot.title}` });
  }));
  notesBox.replaceChildren(...[...notes].map((n) => message(t(n))));
}
