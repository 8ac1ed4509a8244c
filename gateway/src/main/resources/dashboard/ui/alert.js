// One alert (#/alerts/ID): summary, the rule and its description, the explanation's figures, the
// readings around the alert with the threshold drawn, the transitions with who and when, the
// ticket, and acknowledge and resolve with a note for the roles that may.
import { api, mayAct, whoAmI } from './api.js';
import { drawChart } from './chart.js';
import { el, errorText, message, table } from './dom.js';
import { t, formatTime, formatNumber, equipmentName, pointName, unitLabel, has } from './i18n.js';
import { act } from './alerts.js';
import { alignSeries } from './parse.js';
import { rules, ruleTitle, duration } from './rulesview.js';
import { chartCard, fetchSeries, fillTable, isBinary } from './site.js';

const BEFORE_MS = 6 * 3600e3;
const AFTER_MS = 2 * 3600e3;

/** The bucket that keeps a span to a few hundred values. */
function bucketFor(ms) {
  return ms <= 12 * 3600e3 ? '5m' : ms <= 3 * 24 * 3600e3 ? '15m' : '1h';
}

export async function alertView(root, id) {
  let alert;
  try {
    alert = await api.get(`/api/v1/alerts/${encodeURIComponent(id)}`);
  } catch (e) {
    root.append(el('p', {}, el('a', { href: '#/alerts' }, t('alert.back'))),
      message(e.status === 404 || e.status === 403 || e.status === 400 ? t('alert.unknown') : errorText(e, true), 'error'));
    return null;
  }
  const [{ you, sites }, ruleList] = await Promise.all([whoAmI(), rules().then((r) => r.rules).catch(() => [])]);
  const site = sites.find((s) => s.id === alert.site);
  const zone = site?.timezone;
  const equipment = site?.equipment.find((e) => e.id === alert.equipment);
  const rule = ruleList.find((r) => r.id === alert.rule);
  const feedback = el('div', { id: 'alert-feedback', 'aria-live': 'polite' });

  const figures = Object.entries(alert.explanation?.figures ?? {});
  const transitions = [[t('alert.opened'), formatTime(alert.firstSeen, zone)], [t('alert.lastSeen'), formatTime(alert.lastSeen, zone)]];
  if (alert.acknowledgedBy) transitions.push([t('alert.acknowledged', alert.acknowledgedBy), formatTime(alert.acknowledgedAt, zone)]);
  if (alert.resolvedBy) transitions.push([t('alert.resolved', alert.resolvedBy), formatTime(alert.resolvedAt, zone)]);
  const readings = el('div', { id: 'alert-readings', class: 'charts' }, message(t('loading')));

  root.append(
    el('p', {}, el('a', { href: '#/alerts' }, t('alert.back'))),
    el('article', { class: `alert-detail sev-${alert.severity}`, 'data-alert-id': alert.id, 'data-state': alert.state },
      el('h1', {}, t('alert.title', alert.id)),
      el('p', { class: 'summary', id: 'alert-summary' }, alert.summary),
      el('p', {}, el('span', { class: 'badge severity sev-' + alert.severity }, t('severity.' + alert.severity)), ' ',
        el('span', { class: 'badge state', id: 'alert-state' }, t('alerts.' + alert.state)), ' ',
        el('a', { href: '#/sites/' + encodeURIComponent(alert.site) }, site?.name ?? alert.site), ' · ',
        equipment ? equipmentName(equipment) : alert.equipment),
      el('section', { class: 'card', id: 'alert-rule' }, el('h2', {}, t('alert.rule')),
        el('p', {}, el('strong', {}, rule ? ruleTitle(rule) : alert.rule), rule ? [' ', el('code', {}, alert.rule)] : null),
        rule ? el('p', { lang: 'en', class: 'description' }, rule.description) : null,
        el('p', { class: 'meta' }, [t('pair', t('alert.category'), alert.category ? (has('cat.' + alert.category) ? t('cat.' + alert.category) : alert.category) : '–'),
          t('pair', t('alert.urgency'), alert.urgency ? t('urgency.' + alert.urgency) : '–'),
          rule ? t('pair', t('rules.for'), duration(rule.for)) : null].filter(Boolean).join(' · '))),
      el('section', { class: 'card', id: 'alert-explanation' }, el('h2', {}, t('alert.explanation')),
        alert.explanation?.from ? el('p', {}, t('alert.window', formatTime(alert.explanation.from, zone), formatTime(alert.explanation.to, zone))) : null,
        figures.length ? table([t('site.point'), { label: t('site.value'), num: true }], figures.map(([k, v]) =>
          el('tr', { 'data-figure': k }, el('td', {}, has('figure.' + k) ? t('figure.' + k) : k),
            el('td', { class: 'num' }, typeof v === 'number' ? formatNumber(v) : String(v))))) : null),
      el('section', { class: 'card' }, el('h2', {}, t('alert.readings')), readings),
      el('section', { class: 'card', id: 'alert-transitions' }, el('h2', {}, t('alert.transitions')),
        el('ul', {}, transitions.map(([what, when]) => el('li', {}, `${what} — ${when}`)),
          alert.occurrences > 1 ? el('li', {}, t('alerts.occurrences', alert.occurrences)) : null,
          alert.flaps ? el('li', {}, t('alert.flaps', alert.flaps)) : null,
          alert.resolution ? el('li', {}, t('alert.resolution', alert.resolution)) : null,
          alert.resolutionNote ? el('li', { class: 'note' }, t('alert.note', alert.resolutionNote)) : null)),
      el('section', { class: 'card', id: 'alert-ticket' }, el('h2', {}, t('alert.ticket')),
        alert.ticket ? el('p', {}, `${alert.ticket.connector ?? ''} ${alert.ticket.ref ?? ''} (${alert.ticket.status ?? ''})`) : message(t('alert.noTicket'))),
      mayAct(you) && alert.state !== 'resolved' ? actions(alert, feedback, () => { location.hash = '#/alerts/' + alert.id; window.dispatchEvent(new HashChangeEvent('hashchange')); }) : null,
      feedback));
  await drawReadings(readings, alert, site, equipment, rule);
  root.dataset.ready = 'true';
  return alert;
}

function actions(alert, feedback, reload) {
  const note = el('textarea', { id: 'resolve-note', maxlength: '2000', rows: '2' });
  const run = async (event, action) => {
    event.target.disabled = true;
    feedback.replaceChildren();
    try {
      await act(alert, action, note.value.trim());
      reload();
    } catch (e) {
      event.target.disabled = false;
      feedback.replaceChildren(message(errorText(e, true), 'error'));
    }
  };
  return el('section', { class: 'card', id: 'alert-actions' }, el('h2', {}, t('alert.actions')),
    alert.state === 'open' ? el('p', {}, el('button', { type: 'button', class: 'ack', onclick: (e) => run(e, 'ack') }, t('alerts.ack'))) : null,
    el('label', { for: 'resolve-note' }, t('alerts.note')), note,
    el('p', {}, el('button', { type: 'button', class: 'resolve secondary', onclick: (e) => run(e, 'resolve') }, t('alerts.resolve'))));
}

/** The rule's inputs on the alert's equipment (or elsewhere on the site, as an outdoor sensor), charted around the alert. */
async function drawReadings(box, alert, site, equipment, rule) {
  if (!site || !equipment) {
    box.replaceChildren(message(t('site.noData')));
    return;
  }
  const names = rule ? Object.values(rule.inputs ?? {}) : equipment.points.map((p) => p.name);
  const points = [];
  for (const name of names) {
    const own = equipment.points.find((p) => p.name === name);
    const found = own ?? site.equipment.flatMap((e) => e.points).find((p) => p.name === name);
    if (found && !points.includes(found)) points.push(found);
  }
  if (points.length === 0) {
    box.replaceChildren(message(t('site.noData')));
    return;
  }
  const start = Math.min(Date.parse(alert.firstSeen), Date.parse(alert.explanation?.from ?? alert.firstSeen)) - BEFORE_MS;
  const end = Math.min(Date.now(), (alert.resolvedAt ? Date.parse(alert.resolvedAt) : Date.now()) + AFTER_MS);
  const from = new Date(start);
  const to = new Date(end);
  const notes = new Set();
  const bucket = bucketFor(end - start);
  let byKey;
  try {
    const [values, onoff] = await Promise.all([
      fetchSeries(points.filter((p) => !isBinary(p)).map((p) => p.key), from, to, bucket, 'avg', notes),
      fetchSeries(points.filter(isBinary).map((p) => p.key), from, to, bucket, 'last', notes)]);
    byKey = new Map([...values, ...onoff]);
  } catch (e) {
    box.replaceChildren(message(errorText(e), 'error'));
    return;
  }
  const groups = new Map();
  for (const p of points) {
    const key = isBinary(p) ? 'onoff' : p.unit;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(p);
  }
  const threshold = alert.explanation?.figures?.threshold;
  const firstUnit = isBinary(points[0]) ? 'onoff' : points[0].unit;
  const markers = [{ t: Date.parse(alert.firstSeen) / 1000, colour: '#b3001b' }];
  if (alert.resolvedAt) markers.push({ t: Date.parse(alert.resolvedAt) / 1000, colour: '#2e7d32' });
  box.replaceChildren();
  await Promise.all([...groups].map(async ([key, pts]) => {
    const series = pts.map((p) => byKey.get(p.key)).filter((s) => s && s.t.length > 0);
    const title = pts.map((p) => pointName(p)).join(', ') + (key === 'onoff' || !unitLabel(key) ? '' : ` (${unitLabel(key)})`);
    const c = chartCard(title, { 'data-unit': key });
    box.append(c.card);
    if (series.length === 0) {
      c.plot.replaceChildren(message(t('site.noData')));
      c.plot.dataset.drawn = 'empty';
      return;
    }
    const labels = series.map((s) => pointName(pts.find((p) => p.key === s.point) ?? s.point.split('/').pop()));
    const data = alignSeries(series);
    fillTable(c.details, title, labels, data, site.timezone, `alert-${alert.id}-${key}.csv`.replace(/[^A-Za-z0-9._-]/g, '_'));
    await drawChart(c.plot, { labels, unit: pts[0].unit, data, timeZone: site.timezone, binary: key === 'onoff',
      from: start / 1000, to: end / 1000, markers,
      thresholds: key === firstUnit && typeof threshold === 'number' ? [threshold] : [], title });
  }));
  if (notes.size) box.append(...[...notes].map((n) => message(t(n))));
}
