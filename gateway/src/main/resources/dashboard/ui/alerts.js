// The alert feed: open, acknowledged and resolved alerts of the token's sites, kept live by the
// stream, with the acknowledge and resolve actions.
import { api, ApiError } from './api.js';
import { el, message } from './dom.js';
import { t, formatTime } from './i18n.js';
import { AlertStream } from './stream.js';

const STATES = ['open', 'acknowledged', 'resolved'];
const PER_STATE = 100;

/** Sorting key: the alert's latest change. */
function changedAt(a) {
  return Math.max(...[a.lastSeen, a.acknowledgedAt, a.resolvedAt].filter(Boolean).map(Date.parse), 0);
}

export async function alertsView(root, { focus, onUnauthorized }) {
  const alerts = new Map();
  const status = el('span', { class: 'status', id: 'stream-status', 'data-live': 'false' }, t('alerts.reconnecting'));
  const feedback = el('div', { id: 'alerts-feedback' });
  const columns = Object.fromEntries(STATES.map((s) => [s, el('div', { class: 'list', id: 'alerts-' + s })]));
  root.append(
    el('div', { class: 'toolbar' }, el('h1', {}, t('alerts.title')), status),
    feedback,
    el('div', { class: 'columns' }, STATES.map((s) => el('section', { class: 'card', 'data-state': s },
      el('h2', {}, t('alerts.' + s)), columns[s]))),
  );

  const fresh = new Set();
  function render() {
    for (const state of STATES) {
      const list = [...alerts.values()].filter((a) => a.state === state).sort((a, b) => changedAt(b) - changedAt(a));
      columns[state].replaceChildren(...(list.length ? list.map(card) : [message(t('alerts.none'))]));
    }
    fresh.clear();
    if (focus) document.querySelector(`[data-alert-id="${CSS.escape(focus)}"]`)?.scrollIntoView({ block: 'center' });
  }

  function card(a) {
    const meta = [
      el('span', {}, el('a', { href: '#/sites/' + encodeURIComponent(a.site) }, a.site), ` · ${a.equipment} · ${a.rule}`),
      t('alerts.firstSeen', formatTime(a.firstSeen)) + ' · ' + t('alerts.lastSeen', formatTime(a.lastSeen))
        + ' · ' + t('alerts.occurrences', a.occurrences),
    ];
    if (a.acknowledgedBy) meta.push(t('alerts.ackBy', a.acknowledgedBy, formatTime(a.acknowledgedAt)));
    if (a.resolvedBy) meta.push(t('alerts.resolvedBy', a.resolvedBy, formatTime(a.resolvedAt)));
    if (a.ticket) meta.push(t('alerts.ticket', a.ticket.ref ?? '…', a.ticket.status ?? ''));
    const classes = ['alert', 'sev-' + a.severity];
    if (fresh.has(a.id)) classes.push('fresh');
    if (String(a.id) === focus) classes.push('focused');
    return el('article', { class: classes.join(' '), 'data-alert-id': a.id, 'data-state': a.state, 'data-rule': a.rule },
      el('span', { class: 'badge severity' }, t('severity.' + a.severity)),
      el('p', { class: 'summary' }, a.summary),
      meta.map((m) => el('div', { class: 'meta' }, m)),
      el('div', { class: 'actions' },
        a.state === 'open' && el('button', { type: 'button', class: 'ack', onclick: (e) => act(e, a, 'ack') }, t('alerts.ack')),
        a.state !== 'resolved' && el('button', { type: 'button', class: 'resolve secondary', onclick: (e) => act(e, a, 'resolve') },
          t('alerts.resolve'))));
  }

  async function act(event, alert, action) {
    event.target.disabled = true;
    feedback.replaceChildren();
    try {
      const updated = await api.post(`/api/v1/alerts/${encodeURIComponent(alert.id)}/${action}`, action === 'resolve' ? {} : undefined);
      alerts.set(updated.id, updated);
      render();
    } catch (e) {
      event.target.disabled = false;
      const text = e.status === 403 ? t('alerts.forbidden') : e.status === 409 ? t('alerts.conflict')
        : e.status === 0 ? t('error.network') : t('error.generic', e.status, e.message);
      feedback.replaceChildren(message(text, 'error'));
    }
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
    for (const list of lists) {
      for (const a of list.alerts) if (!streamed.has(a.id)) alerts.set(a.id, a);
    }
    render();
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) {
      feedback.replaceChildren(message(e.status === 0 ? t('error.network') : t('error.generic', e.status, e.message), 'error'));
    }
  }
  return () => stream.stop();
}
