// The sites the token may see, and one site's page: equipment, current values and charts of its
// series over a day, a week or a month.
import { api, query } from './api.js';
import { drawChart } from './chart.js';
import { el, message } from './dom.js';
import { t, formatTime, formatNumber } from './i18n.js';
import { parseSeries, alignSeries, parseLatest } from './parse.js';

/** Each range: its length and the bucket that gives a few hundred values per series at most. */
export const RANGES = {
  day: { ms: 24 * 3600e3, bucket: '15m' },
  week: { ms: 7 * 24 * 3600e3, bucket: '1h' },
  month: { ms: 30 * 24 * 3600e3, bucket: '1h' },
};
const RAW_LIMIT = 20000;

function errorText(e) {
  return e.status === 0 ? t('error.network') : t('error.generic', e.status, e.message);
}

export async function sitesView(root) {
  const { sites } = await api.get('/api/v1/sites');
  root.append(el('h1', {}, t('sites.title')),
    sites.length ? el('ul', { class: 'sites card' }, sites.map((s) =>
      el('li', {}, el('a', { href: '#/sites/' + encodeURIComponent(s.id), 'data-site': s.id }, s.name), ' ',
        el('span', { class: 'notice' }, `(${s.id}, ${s.equipment.length})`))))
      : message(t('sites.none')));
}

export async function siteView(root, siteId, rangeName = 'day') {
  const { sites } = await api.get('/api/v1/sites');
  const site = sites.find((s) => s.id === siteId);
  if (!site) {
    root.append(message(t('site.unknown'), 'error'));
    return;
  }
  const latestBox = el('div', { id: 'latest' }, message(t('loading')));
  const chartsBox = el('div', { class: 'charts', id: 'charts' });
  const range = RANGES[rangeName] ? rangeName : 'day';
  root.append(
    el('h1', {}, site.name),
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
}

function equipmentTable(site) {
  return el('table', { id: 'equipment' },
    el('thead', {}, el('tr', {}, el('th', {}, t('site.equipment')), el('th', {}, t('site.type')), el('th', {}, t('site.points')))),
    el('tbody', {}, site.equipment.map((e) => el('tr', { 'data-equipment': e.id },
      el('td', {}, e.id), el('td', {}, e.type), el('td', {}, e.points.map((p) => `${p.name} (${p.unit})`).join(', '))))));
}

async function latest(site, box) {
  try {
    const values = parseLatest(await api.get(`/api/v1/sites/${encodeURIComponent(site.id)}/latest`));
    const rows = [];
    for (const e of site.equipment) {
      for (const p of e.points) {
        const v = values.get(p.key);
        if (!v) continue;
        rows.push(el('tr', { 'data-point': p.key }, el('td', {}, `${e.id} / ${p.name}`),
          el('td', { class: 'num' }, typeof v.v === 'number' ? `${formatNumber(v.v)} ${p.unit}` : String(v.v ?? '–')),
          el('td', {}, formatTime(v.t, site.timezone))));
      }
    }
    box.replaceChildren(rows.length ? el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, t('site.point')),
      el('th', { class: 'num' }, t('site.value')), el('th', {}, t('site.at')))), el('tbody', {}, rows)) : message(t('site.noData')));
  } catch (e) {
    box.replaceChildren(message(e.unavailable ? t('site.latestMissing') : errorText(e), e.unavailable ? 'notice' : 'error'));
  }
}

/** One chart per equipment and unit, so that lines on a chart share their axis. */
function groups(site) {
  const out = [];
  for (const e of site.equipment) {
    const byUnit = new Map();
    for (const p of e.points) {
      if (!byUnit.has(p.unit)) byUnit.set(p.unit, []);
      byUnit.get(p.unit).push(p);
    }
    for (const [unit, points] of byUnit) out.push({ equipment: e, unit, points });
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

/** The series of {@code keys} by point key: bucketed when the gateway can, else raw (and a note says so). */
async function fetchSeries(keys, from, to, range, notes) {
  const span = { from: from.toISOString(), to: to.toISOString() };
  let lists;
  try {
    lists = await Promise.all(batches(keys).map((batch) =>
      api.get('/api/v1/series?' + query({ point: batch, ...span, bucket: range.bucket, agg: 'avg' }))));
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

async function charts(site, box, range) {
  const to = new Date();
  const from = new Date(to.getTime() - range.ms);
  const list = groups(site);
  const notes = new Set();
  const slots = list.map((g) => {
    const plot = el('div', { class: 'plot', 'data-equipment': g.equipment.id, 'data-unit': g.unit });
    box.append(el('div', { class: 'chart card' }, el('h3', {}, `${g.equipment.id} (${g.equipment.type}) — ${g.unit}`), plot));
    return plot;
  });
  const notesBox = el('div', { id: 'chart-notes' });
  box.before(notesBox);
  let byKey;
  try {
    byKey = await fetchSeries(list.flatMap((g) => g.points.map((p) => p.key)), from, to, range, notes);
  } catch (e) {
    notesBox.replaceChildren(message(errorText(e), 'error'));
    return;
  }
  await Promise.all(list.map(async (g, i) => {
    const series = g.points.map((p) => byKey.get(p.key)).filter(Boolean);
    if (series.some((s) => s.truncated)) notes.add('site.truncated');
    const drawable = series.filter((s) => s.t.length > 0);
    if (drawable.length === 0) {
      slots[i].replaceChildren(message(t('site.noData')));
      slots[i].dataset.drawn = 'empty';
      return;
    }
    await drawChart(slots[i], {
      labels: drawable.map((s) => s.point.split('/').pop()), unit: g.unit, data: alignSeries(drawable), timeZone: site.timezone });
  }));
  notesBox.replaceChildren(...[...notes].map((n) => message(t(n))));
}
