// Consumption per site (electricity, heat, water) by day or month, with the previous period for
// comparison and CSV exports, and, for heat, the consumption per degree-day.
import { api, query, whoAmI } from './api.js';
import { drawChart } from './chart.js';
import { el, errorText, message, csvLink, sortableTable, table } from './dom.js';
import { t, formatNumber, withUnit, unitLabel } from './i18n.js';
import { parseConsumption, parseHeating } from './parse.js';

const PERIODS = { last30: { bucket: '1d', days: 30 }, last12: { bucket: '1mo', days: 365 } };
const CATEGORIES = ['energy', 'heat', 'water'];

/** The change from {@code before} to {@code now} in per cent, or null without a base. */
export function percentChange(now, before) {
  if (!Number.isFinite(now) || !Number.isFinite(before) || before === 0) return null;
  return ((now - before) / before) * 100;
}

/** A percentage change as people read it ("+12,5 %"), or – when there is none. */
function signedPercent(pct) {
  return pct === null ? '–' : `${pct > 0 ? '+' : ''}${formatNumber(pct, 1)} %`;
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
  await Promise.all([consumption(consumptionBox, cat, range, previous, timeZone, from, to, sites),
    cat === 'heat' ? heating(heatingBox, range) : null]);
  root.dataset.ready = 'true';
}

function failure(e) {
  return e.unavailable ? message(t('energy.missing'))
    : message(errorText(e), 'error');
}

async function consumption(box, category, range, previousRange, timeZone, from, to, sites) {
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
  const comparison = compare(sites, parsed.rows, before);
  box.replaceChildren(
    el('h3', {}, t('energy.comparison')),
    comparisonTable(comparison),
    el('p', {}, csvLink(t('energy.csvComparison'), `comparison-${category}.csv`, comparisonCsv(comparison))),
    el('h3', {}, t('energy.overTime')),
    el('p', {}, csvLink(t('energy.csv'), `consumption-${category}.csv`, csvRows)),
    plot);
  const units = [...new Set(parsed.rows.map((r) => r.unit))];
  await drawChart(plot, { labels: parsed.rows.map((r) => r.name), unit: units.join(', '), data: parsed.data, timeZone,
    bars: parsed.rows.length === 1, zero: true, from: from.getTime() / 1000, to: to.getTime() / 1000,
    title: `${t('energy.consumption')} (${units.map(unitLabel).join(', ')})` });
}

/**
 * Every site of the portfolio side by side: its total over the period, its share of the sites'
 * total, the previous period's total and the change; a site without a meter of the category is
 * listed with no figure (the API leaves it out).
 */
export function compare(sites, rows, before) {
  const byId = new Map(rows.map((r) => [r.site, r]));
  const all = [...sites.map((s) => ({ site: s.id, name: s.name })), ...rows.filter((r) => !sites.some((s) => s.id === r.site))];
  const sum = rows.reduce((n, r) => n + (Number.isFinite(r.total) ? r.total : 0), 0);
  return all.map(({ site, name }) => {
    const r = byId.get(site);
    const previous = r && before?.has(site) ? before.get(site) : null;
    return { site, name: r?.name ?? name, metered: Boolean(r), total: r ? r.total : null, unit: r?.unit ?? null,
      share: r && sum > 0 ? r.total / sum : null, previous, change: r ? percentChange(r.total, previous) : null };
  });
}

/** The rows of the comparison's CSV export: figures as computed, empty where there is none. */
export function comparisonCsv(comparison) {
  return [['site', 'name', 'total', 'unit', 'share_percent', 'previous', 'change_percent'],
    ...comparison.map((r) => [r.site, r.name, r.total ?? '', r.unit ?? '', r.share === null ? '' : r.share * 100,
      r.previous ?? '', r.change ?? ''])];
}

function comparisonTable(rows) {
  const columns = [
    { key: 'name', label: t('energy.site'), ascending: true, value: (r) => r.name },
    { key: 'total', label: t('energy.total'), num: true, value: (r) => r.total },
    { key: 'share', label: t('energy.share'), num: true, value: (r) => r.share },
    { key: 'previous', label: t('energy.previous'), num: true, value: (r) => r.previous },
    { key: 'change', label: t('energy.change'), num: true, value: (r) => r.change },
  ];
  return sortableTable(columns, rows, (r) => el('tr', { 'data-site': r.site },
    el('td', {}, r.name),
    el('td', { class: 'num' }, r.metered ? withUnit(r.total, r.unit) : t('energy.noMeter')),
    el('td', { class: 'num share' }, r.share === null ? '–'
      : [el('meter', { min: '0', max: '1', value: String(r.share), 'aria-hidden': 'true' }), ` ${formatNumber(r.share * 100, 1)} %`]),
    el('td', { class: 'num' }, r.previous === null ? '–' : withUnit(r.previous, r.unit)),
    el('td', { class: 'num' }, signedPercent(r.change))), { initial: 'total', id: 'comparison-table' });
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
