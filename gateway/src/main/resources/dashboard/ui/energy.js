// Consumption per site (electricity, heat, water) by day or month, with the previous period for
// comparison and CSV exports, and, for heat, the consumption per degree-day.
import { api, query, whoAmI } from './api.js';
import { drawChart } from './chart.js';
import { el, errorText, message, csvLink, table } from './dom.js';
import { t, formatNumber, withUnit, unitLabel } from './i18n.js';
import { parseConsumption, parseHeating } from './parse.js';

const PERIODS = { last30: { bucket: '1d', days: 30 }, last12: { bucket: '1mo', days: 365 } };
const CATEGORIES = ['energy', 'heat', 'water'];

/** The change from {@code before} to {@code now} as a signed percentage ("+12 %"), or – without a base. */
export function change(now, before) {
  if (!Number.isFinite(now) || !Number.isFinite(before) || before === 0) return '–';
  const pct = ((now - before) / before) * 100;
  return `${pct > 0 ? '+' : ''}${formatNumber(pct, 1)} %`;
}

export async function energyView(root, category = 'heat', periodName = 'last30') {
  const period = PERIODS[periodName] ? periodName : 'last30';
  const cat = CATEGORIES.includes(category) ? category : 'heat';
  const go = (c, p) => { location.hash = `#/energy/${c}/${p}`; };
  const consumptionBox = el('div', { id: 'consumption' }, message(t('loading')));
  const heatingBox = el('div', { id: 'heating' }, message(t('loading')));
  root.append(
    el('h1', {}, t('energy.title')),
    el('div', { class: 'toolbar' },
      el('label', { for: 'energy-category' }, t('energy.category')),
      el('select', { id: 'energy-category', onchange: (e) => go(e.target.value, period) },
        CATEGORIES.map((c) => el('option', { value: c, selected: c === cat }, t('energy.cat.' + c)))),
      el('label', { for: 'energy-period' }, t('energy.period')),
      el('select', { id: 'energy-period', onchange: (e) => go(cat, e.target.value) },
        Object.keys(PERIODS).map((p) => el('option', { value: p, selected: p === period }, t('energy.' + p))))),
    el('section', { class: 'card' }, el('h2', {}, t('energy.consumption')), consumptionBox),
    cat === 'heat' ? el('section', { class: 'card' }, heatingBox) : null,
  );
  const to = new Date();
  const span = PERIODS[period].days * 24 * 3600e3;
  const from = new Date(to.getTime() - span);
  const range = { from: from.toISOString(), to: to.toISOString(), bucket: PERIODS[period].bucket };
  const previous = { from: new Date(from.getTime() - span).toISOString(), to: from.toISOString(), bucket: PERIODS[period].bucket };
  const { sites } = await whoAmI();
  const timeZone = sites[0]?.timezone;
  await Promise.all([consumption(consumptionBox, cat, range, previous, timeZone, from, to),
    cat === 'heat' ? heating(heatingBox, range) : null]);
  root.dataset.ready = 'true';
}

function failure(e) {
  return e.unavailable ? message(t('energy.missing'))
    : message(errorText(e), 'error');
}

async function consumption(box, category, range, previousRange, timeZone, from, to) {
  let parsed;
  let before = null;
  try {
    const [now, prev] = await Promise.all([
      api.get('/api/v1/energy/consumption?' + query({ category, ...range })),
      api.get('/api/v1/energy/consumption?' + query({ category, ...previousRange })).catch(() => null)]);
    parsed = parseConsumption(now);
    if (prev) before = new Map(parseConsumption(prev).rows.map((r) => [r.site, r.total]));
  } catch (e) {
    box.replaceChildren(failure(e));
    return;
  }
  if (parsed.rows.length === 0) {
    box.replaceChildren(message(t('energy.none')));
    return;
  }
  const plot = el('div', { class: 'plot', id: 'consumption-chart' });
  const csvRows = [['site', 'time', 'value', 'unit'],
    ...parsed.rows.flatMap((r) => r.t.map((x, i) => [r.site, new Date(x * 1000).toISOString(), r.v[i], r.unit ?? '']))];
  box.replaceChildren(
    table([t('energy.site'), { label: t('energy.total'), num: true }, { label: t('energy.previous'), num: true },
      { label: t('energy.change'), num: true }],
    parsed.rows.map((r) => el('tr', { 'data-site': r.site }, el('td', {}, r.name),
      el('td', { class: 'num' }, withUnit(r.total, r.unit)),
      el('td', { class: 'num' }, before?.has(r.site) ? withUnit(before.get(r.site), r.unit) : '–'),
      el('td', { class: 'num' }, before?.has(r.site) ? change(r.total, before.get(r.site)) : '–'))), { id: 'consumption-table' }),
    el('p', {}, csvLink(t('energy.csv'), `consumption-${category}.csv`, csvRows)),
    plot);
  const units = [...new Set(parsed.rows.map((r) => r.unit))];
  await drawChart(plot, { labels: parsed.rows.map((r) => r.name), unit: units.join(', '), data: parsed.data, timeZone,
    bars: parsed.rows.length === 1, zero: true, from: from.getTime() / 1000, to: to.getTime() / 1000,
    title: `${t('energy.consumption')} (${units.map(unitLabel).join(', ')})` });
}

async function heating(box, range) {
  let parsed;
  try {
    parsed = parseHeating(await api.get('/api/v1/energy/heating?' + query(range)));
  } catch (e) {
    box.replaceChildren(el('h2', {}, t('energy.heating', 18)), failure(e));
    return;
  }
  const csvRows = [['site', 'consumption', 'unit', 'dju', 'per_dju'], ...parsed.rows.map((r) => [r.site, r.consumption, r.unit ?? '', r.dju, r.perDju ?? ''])];
  box.replaceChildren(el('h2', {}, t('energy.heating', parsed.base ?? 18)),
    parsed.rows.length === 0 ? message(t('energy.none')) : table([t('energy.site'), { label: t('energy.total'), num: true },
      { label: t('energy.dju'), num: true }, { label: t('energy.perDju'), num: true }],
    parsed.rows.map((r) => el('tr', { 'data-site': r.site }, el('td', {}, r.name),
      el('td', { class: 'num' }, withUnit(r.consumption, r.unit)),
      el('td', { class: 'num' }, formatNumber(r.dju, 1)),
      el('td', { class: 'num' }, r.perDju === null ? '–' : withUnit(r.perDju, r.unit)))), { id: 'heating-table' }),
    parsed.rows.length ? el('p', {}, csvLink(t('energy.csv'), 'heating-per-dju.csv', csvRows)) : null);
}
