// The active rules, and the short titles the other views give them.
import { api } from './api.js';
import { el, errorText, message, table } from './dom.js';
import { t, language, typeName } from './i18n.js';

let cached = null;

/** The rules of the gateway ({source, rules}), asked once per page load. */
export function rules() {
  if (!cached) {
    cached = api.get('/api/v1/rules');
    cached.catch(() => { cached = null; });
  }
  return cached;
}

/**
 * A rule's short title in the current language, from its summary template: the words before
 * its first colon, or the template without its placeholders ("Hot water below 55 °C").
 */
export function ruleTitle(rule) {
  const template = rule?.summary?.[language()] ?? rule?.summary?.en;
  if (!template) return rule?.id ?? '';
  const head = template.split(/\s*:\s/)[0];
  return head.replace(/\{[a-z_]+\}/g, '…').replace(/\s+/g, ' ').trim();
}

/** ISO-8601 durations as people read them: PT1H → 1 h, PT15M → 15 min, PT0S → –. */
export function duration(iso) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(iso || '');
  if (!m) return iso || '–';
  const parts = [m[1] && `${m[1]} h`, m[2] && `${m[2]} min`, m[3] && m[3] !== '0' && `${m[3]} s`].filter(Boolean);
  return parts.length ? parts.join(' ') : '–';
}

export async function rulesView(root) {
  let answer;
  try {
    answer = await rules();
  } catch (e) {
    root.append(el('h1', {}, t('rules.title')), message(errorText(e), 'error'));
    return;
  }
  root.append(el('h1', {}, t('rules.title')), el('p', { class: 'notice' }, t('rules.source', answer.source)),
    el('section', { class: 'card' }, table([t('rules.id'), t('alerts.severity'), t('rules.appliesTo'), t('rules.for'), t('rules.description')],
      answer.rules.map((r) => el('tr', { 'data-rule': r.id },
        el('td', {}, el('strong', {}, ruleTitle(r)), el('br'), el('code', {}, r.id)),
        el('td', {}, el('span', { class: 'badge sev-' + r.severity }, t('severity.' + r.severity)), ' ', t('urgency.' + r.urgency)),
        el('td', {}, (r.appliesTo || []).map(typeName).join(', ')),
        el('td', {}, duration(r.for)),
        el('td', { class: 'description', lang: 'en' }, r.description || ''))), { id: 'rules-table' })));
  root.dataset.ready = 'true';
}
