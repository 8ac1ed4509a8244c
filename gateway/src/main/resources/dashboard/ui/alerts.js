// The alert feed for triage: alerts of the token's sites kept live by the stream, filtered by
// state, site, severity, rule, period and a search, with counts per state and severity, and the
// acknowledge and resolve actions, one by one or on a selection, offered to the roles that may.
import { api, ApiError, mayAct, whoAmI } from './api.js';
import { el, errorText, message } from './dom.js';
import { t, formatTime, equipmentName } from './i18n.js';
import { rules, ruleTitle } from './rulesview.js';
import { AlertStream } from './stream.js';

const STATES = ['open', 'acknowledged', 'resolved'];
export const SEVERITIES = ['critical', 'major', 'warning', 'info'];
const PER_STATE = 500;
const SINCE = { '1d': 24 * 3600e3, '7d': 7 * 24 * 3600e3, '30d': 30 * 24 * 3600e3, all: null };
const STATE_FILTERS = ['active', 'open', 'acknowledged', 'resolved', 'all'];

/** Sorting key: the alert's latest change. */
function changedAt(a) {
  return Math.max(...[a.lastSeen, a.acknowledgedAt, a.resolvedAt].filter(Boolean).map(Date.parse), 0);
}

/** The filters of a hash's query (#/alerts?state=open&site=…), with their defaults. */
export function readFilters(search) {
  const q = new URLSearchParams(search);
  const pick = (k, allowed, fallback) => (allowed.includes(q.get(k)) ? q.get(k) : fallback);
  return { state: pick('state', STATE_FILTERS, 'active'), site: q.get('site') || '', severity: pick('severity', SEVERITIES, ''),
    rule: q.get('rule') || '', since: pick('since', Object.keys(SINCE), 'all'), q: q.get('q') || '' };
}

/** True when {@code a} passes the filters, leaving out those named in {@code ignore}. */
export function matches(a, f, { now = Date.now(), siteNames = new Map(), ignore = [] } = {}) {
  const on = (k) => !ignore.includes(k);
  if (on('state') && f.state !== 'all' && (f.state === 'active' ? a.state === 'resolved' : a.state !== f.state)) return false;
  if (on('site') && f.site && a.site !== f.site) return false;
  if (on('severity') && f.severity && a.severity !== f.severity) return false;
  if (on('rule') && f.rule && a.rule !== f.rule) return false;
  if (on('since') && SINCE[f.since] && changedAt(a) < now - SINCE[f.since]) return false;
  if (f.q) {
    const text = [a.summary, a.equipment, siteNames.get(`${a.site}/${a.equipment}`), a.site, siteNames.get(a.site), a.rule]
      .join(' ').toLocaleLowerCase();
    if (!f.q.toLocaleLowerCase().split(/\s+/).filter(Boolean).every((w) => text.includes(w))) return false;
  }
  return true;
}

/** Acknowledges or resolves one alert; resolves with the updated alert. */
export function act(alert, action, note) {
  return api.post(`/api/v1/alerts/${encodeURIComponent(alert.id)}/${action}`,
    action === 'resolve' ? (note ? { note } : {}) : undefined);
}

export async function alertsView(root, { search, onUnauthorized }) {
  const [{ you, sites }, ruleList] = await Promise.all([whoAmI(), rules().then((r) => r.rules).catch(() => [])]);
  const actor = mayAct(you);
  // The sites' names by id, and the equipment's portfolio names by site/equipment, for the search.
  const siteNames = new Map([...sites.map((s) => [s.id, s.name]),
    ...sites.flatMap((s) => s.equipment.filter((e) => e.name).map((e) => [`${s.id}/${e.id}`, e.name]))]);
  const zones = new Map(sites.map((s) => [s.id, s.timezone]));
  const equipment = new Map(sites.flatMap((s) => s.equipment.map((e) => [`${s.id}/${e.id}`, e])));
  const ruleById = new Map(ruleList.map((r) => [r.id, r]));
  const filters = readFilters(search);
  const alerts = new Map();
  const selected = new Set();
  const fresh = new Set();

  const status = el('span', { class: 'status', id: 'stream-status', 'data-live': 'false', role: 'status' }, t('alerts.reconnecting'));
  const feedback = el('div', { id: 'alerts-feedback', 'aria-live': 'polite' });
  const counts = el('div', { id: 'alert-counts', class: 'counts' });
  const list = el('div', { class: 'list', id: 'alerts-list' });
  const shown = el('p', { class: 'notice', id: 'alerts-shown', 'aria-live': 'polite' });

  const select = (id, label, key, options) => el('div', { class: 'field' },
    el('label', { for: id }, label),
    el('select', { id, onchange: (e) => { filters[key] = e.target.value; changed(); } },
      options.map(([value, text]) => el('option', { value, selected: filters[key] === value }, text))));
  const search$ = el('input', { id: 'filter-q', type: 'search', value: filters.q, placeholder: t('alerts.searchHint'),
    oninput: (e) => { filters.q = e.target.value; changed(); } });
  const filterBar = el('form', { class: 'filters card', id: 'alert-filters', role: 'search', onsubmit: (e) => e.preventDefault() },
    select('filter-state', t('alerts.state'), 'state', STATE_FILTERS.map((s) => [s, t(s === 'active' || s === 'all' ? 'alerts.' + s : 'alerts.' + s)])),
    select('filter-site', t('alerts.site'), 'site', [['', t('alerts.any')], ...sites.map((s) => [s.id, s.name])]),
    select('filter-severity', t('alerts.severity'), 'severity', [['', t('alerts.any')], ...SEVERITIES.map((s) => [s, t('severity.' + s)])]),
    select('filter-rule', t('alerts.rule'), 'rule', [['', t('alerts.any')], ...ruleList.map((r) => [r.id, ruleTitle(r)])]),
    select('filter-since', t('alerts.since'), 'since', Object.keys(SINCE).map((s) => [s, t('alerts.since.' + s)])),
    el('div', { class: 'field grow' }, el('label', { for: 'filter-q' }, t('alerts.search')), search$));

  const note = el('input', { id: 'bulk-note', type: 'text', maxlength: '2000', placeholder: t('alerts.note'), 'aria-label': t('alerts.note') });
  const selectAll = el('input', { type: 'checkbox', id: 'select-all', onchange: (e) => {
    for (const a of visible()) if (a.state !== 'resolved') (e.target.checked ? selected.add(a.id) : selected.delete(a.id));
    render();
  } });
  const selectedCount = el('span', { id: 'selected-count' });
  const bulkAck = el('button', { type: 'button', id: 'bulk-ack', onclick: () => bulk('ack') }, t('alerts.ackSelected'));
  const bulkResolve = el('button', { type: 'button', id: 'bulk-resolve', class: 'secondary', onclick: () => bulk('resolve') }, t('alerts.resolveSelected'));
  const bulkBar = actor
    ? el('div', { class: 'bulk toolbar', id: 'bulk' }, el('label', {}, selectAll, ' ', t('alerts.selectAll')), selectedCount, bulkAck, note, bulkResolve)
    : el('p', { class: 'notice', id: 'read-only' }, t('alerts.readOnly'));

  root.append(el('div', { class: 'toolbar' }, el('h1', {}, t('alerts.title')), status), filterBar, counts, bulkBar, feedback, shown, list);

  function visible() {
    return [...alerts.values()].filter((a) => matches(a, filters, { siteNames })).sort((a, b) => changedAt(b) - changedAt(a));
  }

  function changed() {
    const q = new URLSearchParams(Object.entries(filters).filter(([k, v]) => v && !(k === 'state' && v === 'active') && !(k === 'since' && v === 'all')));
    history.replaceState(null, '', '#/alerts' + (q.toString() ? '?' + q : ''));
    render();
  }

  function render() {
    const byState = Object.fromEntries(STATES.map((s) => [s, 0]));
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
    for (const a of alerts.values()) {
      if (matches(a, filters, { siteNames, ignore: ['state'] })) byState[a.state]++;
      if (matches(a, filters, { siteNames, ignore: ['severity'] })) bySeverity[a.severity]++;
    }
    counts.replaceChildren(
      el('span', { class: 'visually-hidden' }, t('alerts.counts')),
      ...STATES.map((s) => el('button', { type: 'button', class: 'chip', 'data-count-state': s, 'aria-pressed': String(filters.state === s),
        onclick: () => { filters.state = filters.state === s ? 'active' : s; document.getElementById('filter-state').value = filters.state; changed(); } },
      `${t('alerts.' + s)} `, el('strong', {}, String(byState[s])))),
      ...SEVERITIES.map((s) => el('button', { type: 'button', class: 'chip sev-' + s, 'data-count-severity': s,
        'aria-pressed': String(filters.severity === s),
        onclick: () => { filters.severity = filters.severity === s ? '' : s; document.getElementById('filter-severity').value = filters.severity; changed(); } },
      `${t('severity.' + s)} `, el('strong', {}, String(bySeverity[s])))));
    const shownList = visible();
    for (const id of [...selected]) if (!shownList.some((a) => a.id === id && a.state !== 'resolved')) selected.delete(id);
    list.replaceChildren(...(shownList.length ? shownList.map(card) : [message(alerts.size ? t('alerts.noneMatch') : t('alerts.none'))]));
    shown.textContent = t('alerts.shown', shownList.length, alerts.size);
    if (actor) {
      selectedCount.textContent = t('alerts.selected', selected.size);
      bulkAck.disabled = bulkResolve.disabled = selected.size === 0;
      const selectable = shownList.filter((a) => a.state !== 'resolved');
      selectAll.checked = selectable.length > 0 && selectable.every((a) => selected.has(a.id));
    }
    fresh.clear();
  }

  function card(a) {
    const zone = zones.get(a.site);
    const e = equipment.get(`${a.site}/${a.equipment}`);
    const meta = [
      el('span', {}, el('a', { href: '#/sites/' + encodeURIComponent(a.site) }, siteNames.get(a.site) ?? a.site),
        ` · ${e ? equipmentName(e) : a.equipment} · `, el('span', { title: a.rule }, ruleById.has(a.rule) ? ruleTitle(ruleById.get(a.rule)) : a.rule)),
      t('alerts.firstSeen', formatTime(a.firstSeen, zone)) + ' · ' + t('alerts.lastSeen', formatTime(a.lastSeen, zone))
        + ' · ' + t('alerts.occurrences', a.occurrences),
    ];
    if (a.acknowledgedBy) meta.push(t('alerts.ackBy', a.acknowledgedBy, formatTime(a.acknowledgedAt, zone)));
    if (a.resolvedBy) meta.push(t('alerts.resolvedBy', a.resolvedBy, formatTime(a.resolvedAt, zone)));
    if (a.ticket) meta.push(t('alerts.ticket', a.ticket.ref ?? a.ticket.connector ?? '…', a.ticket.status ?? ''));
    const classes = ['alert', 'sev-' + a.severity];
    if (fresh.has(a.id)) classes.push('fresh');
    const head = el('div', { class: 'head' });
    if (actor && a.state !== 'resolved') {
      head.append(el('input', { type: 'checkbox', class: 'pick', 'aria-label': t('alerts.select', a.id), checked: selected.has(a.id),
        onchange: (ev) => { (ev.target.checked ? selected.add(a.id) : selected.delete(a.id)); render(); } }));
    }
    head.append(el('span', { class: 'badge severity' }, t('severity.' + a.severity)), ' ',
      el('span', { class: 'badge state' }, t('alerts.' + a.state)));
    return el('article', { class: classes.join(' '), 'data-alert-id': a.id, 'data-state': a.state, 'data-rule': a.rule, 'data-site': a.site },
      head,
      el('p', { class: 'summary' }, el('a', { href: '#/alerts/' + encodeURIComponent(a.id) }, a.summary)),
      meta.map((m) => el('div', { class: 'meta' }, m)),
      actor && a.state !== 'resolved' ? el('div', { class: 'actions' },
        a.state === 'open' && el('button', { type: 'button', class: 'ack', onclick: (ev) => one(ev, a, 'ack') }, t('alerts.ack')),
        el('button', { type: 'button', class: 'resolve secondary', onclick: (ev) => one(ev, a, 'resolve') }, t('alerts.resolve'))) : null);
  }

  async function one(event, alert, action) {
    event.target.disabled = true;
    feedback.replaceChildren();
    try {
      const updated = await act(alert, action);
      alerts.set(updated.id, updated);
      render();
    } catch (e) {
      event.target.disabled = false;
      feedback.replaceChildren(message(errorText(e, true), 'error'));
    }
  }

  async function bulk(action) {
    const targets = [...selected].map((id) => alerts.get(id)).filter((a) => a && (action === 'resolve' ? a.state !== 'resolved' : a.state === 'open'));
    bulkAck.disabled = bulkResolve.disabled = true;
    const results = await Promise.allSettled(targets.map((a) => act(a, action, note.value.trim())));
    let done = 0;
    results.forEach((r) => {
      if (r.status === 'fulfilled') {
        done++;
        alerts.set(r.value.id, r.value);
      }
    });
    selected.clear();
    note.value = '';
    feedback.replaceChildren(message(t('alerts.bulkDone', done, results.length - done), done === results.length ? 'notice' : 'error'));
    render();
  }

  // Subscribe first, then list: an alert that changes in between arrives by the stream, and a
  // streamed alert is never overwritten by an older listed copy (see below).
  const streamed = new Set();
  let subscribed;
  const connected = new Promise((resolve) => { subscribed = resolve; });
  const stream = new AlertStream({
    onAlert: (a) => {
      delete a.transition;
      streamed.add(a.id);
      fresh.add(a.id);
      alerts.set(a.id, a);
      render();
    },
    onStatus: (live) => {
      status.dataset.live = String(live);
      status.textContent = live ? t('alerts.live') : t('alerts.reconnecting');
      if (live) subscribed();
    },
    onUnauthorized,
  }).start();

  // A stream that cannot connect must not hold the list back.
  await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, 3000))]);
  try {
    const lists = await Promise.all(STATES.map((s) => api.get(`/api/v1/alerts?state=${s}&limit=${PER_STATE}`)));
    for (const l of lists) {
      for (const a of l.alerts) if (!streamed.has(a.id)) alerts.set(a.id, a);
    }
    render();
    root.dataset.ready = 'true';
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) {
      feedback.replaceChildren(message(errorText(e), 'error'));
    }
  }
  return () => stream.stop();
}
