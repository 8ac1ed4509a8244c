// Consumption per site (energy, heat, water) by day or month, and heating normalised by
// degree-days.
import { api, query } from './api.js';
import { drawChart } from './chart.js';
import { el, message } from './dom.js';
import { t, formatNumber } from './i18n.js';
import { parseConsumption, parseHeating } from './parse.js';

const PERIODS = { last30: { bucket: '1d', days: 30 }, last12: { bucket: '1mo', days: 365 } };

export async function energyView(root, category = 'heat', periodName = 'last30') {
  const period = PERIODS[periodName] ? periodName : 'last30';
  const cat = ['energy', 'heat', 'water'].includes(category) ? category : 'heat';
  const go = (c, p) => { location.hash = `#/energy/${c}/${p}`; };
  const consumptionBox = el('div', { id: 'consumption' }, message(t('loading')));
  const heatingBox = el('div', { id: 'heating' }, message(t('loading')));
  root.append(
    el('h1', {}, t('energy.title')),
    el('div', { class: 'toolbar' },
      el('label', { for: 'energy-category' }, t('energy.category')),
      el('select', { id: 'energy-category', onchange: (e) => go(e.target.value, period) },
        ['energy', 'heat', 'water'].map((c) => el('option', { value: c, selected: c === cat }, t('energy.cat.' + c)))),
      el('label', { for: 'energy-period' }, t('energy.period')),
      el('select', { id: 'energy-period', onchange: (e) => go(cat, e.target.value) },
        Object.keys(PERIODS).map((p) => el('option', { value: p, selected: p === period }, t('energy.' + p))))),
    el('section', { class: 'card' }, el('h2', {}, t('energy.consumption')), consumptionBox),
    el('section', { class: 'card' }, heatingBox),
  );
  const to = new Date();
  const from = new Date(to.getTime() - PERIODS[period].days * 24 * 3600e3);
  const range = { from: from.toISOString(), to: to.toISOString(), bucket: PERIODS[period].bucket };
  await Promise.all([consumption(consumptionBox, cat, range), heating(heatingBox, range)]);
}

function failure(box, e) {
  box.replaceChildren(e.unavailable ? message(t('energy.missing'))
    : message(e.status === 0 ? t('error.network') : t('error.generic', e.status, e.message), 'error'));
}

async function consumption(box, category, range) {
  let parsed;
  try {
    parsed = parseConsumption(await api.get('/api/v1/energy/consumption?' + query({ category, ...range })));
  } catch (e) {
    failure(box, e);
    return;
  }
  if (parsed.rows.length === 0) {
    box.replaceChildren(message(t('energy.none')));
    return;
  }
  const plot = el('div', { class: 'plot', id: 'consumption-chart' });
  box.replaceChildren(
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, t('energy.site')), el('th', { class: 'num' }, t('energy.total')))),
      el('tbody', {}, parsed.rows.map((r) => el('tr', { 'data-site': r.site }, el('td', {}, r.name),
        el('td', { class: 'num' }, `${formatNumber(r.total)} ${r.unit ?? ''}`))))),
    plot);
  const units = [...new Set(parsed.rows.map((r) => r.unit))];
  await drawChart(plot, { labels: parsed.rows.map((r) => r.name), unit: units.join(', '), data: parsed.data, bars: parsed.rows.length === 1 });
}

async function heating(box, range) {
  let parsed;
  try {
    parsed = parseHeating(await api.get('/api/v1/energy/heating?' + query(range)));
  } catch (e) {
    box.replaceChildren(el('h2', {}, t('energy.heating', 18)));
    box.append(e.unavailable ? message(t('energy.missing'))
      : message(e.status === 0 ? t('error.network') : t('error.generic', e.status, e.message), 'error'));
    return;
  }
  box.replaceChildren(el('h2', {}, t('energy.heating', parsed.base ?? 18)),
    parsed.rows.length === 0 ? message(t('energy.none')) : el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, t('energy.site')), el('th', { class: 'num' }, t('energy.total')),
        el('th', { class: 'num' }, t('energy.dju')), el('th', { class: 'num' }, t('energy.perDju')))),
      el('tbody', {}, parsed.rows.map((r) => el('tr', { 'data-site': r.site }, el('td', {}, r.name),
        el('td', { class: 'num' }, `${formatNumber(r.consumption)} ${r.unit ?? ''}`),
        el('td', { class: 'num' }, formatNumber(r.dju, 1)),
        el('td', { class: 'num' }, r.perDju === null ? '–' : `${formatNumber(r.perDju)} ${r.unit ?? ''}`))))));
}
