// Silences (#/silences): those in force, ended with one click, and a form to silence a site, an
// equipment or a rule for a while, offered to the roles that may.
import { api, mayAct, whoAmI } from './api.js';
import { el, errorText, message, table } from './dom.js';
import { t, formatTime, equipmentName } from './i18n.js';
import { rules, ruleTitle } from './rulesview.js';

const DURATIONS = { '1h': 3600e3, '4h': 4 * 3600e3, '1d': 24 * 3600e3, '7d': 7 * 24 * 3600e3 };

export async function silencesView(root, refresh) {
  const [{ you, sites }, ruleList, answer] = await Promise.all([whoAmI(), rules().then((r) => r.rules).catch(() => []),
    api.get('/api/v1/silences')]);
  const actor = mayAct(you);
  const zones = new Map(sites.map((s) => [s.id, s.timezone]));
  const siteNames = new Map(sites.map((s) => [s.id, s.name]));
  const feedback = el('div', { id: 'silences-feedback', 'aria-live': 'polite' });
  const headers = [t('alerts.site'), t('silences.equipment'), t('silences.rule'), t('silences.from'), t('silences.until'),
    t('silences.by'), t('silences.reason')];
  if (actor) headers.push('');
  root.append(el('h1', {}, t('silences.title')), feedback,
    el('section', { class: 'card' }, answer.silences.length === 0 ? message(t('silences.none'))
      : table(headers, answer.silences.map((s) => el('tr', { 'data-silence': s.id },
        el('td', {}, siteNames.get(s.site) ?? s.site), el('td', {}, s.equipment ?? t('silences.all')),
        el('td', {}, s.rule ? ruleTitle(ruleList.find((r) => r.id === s.rule)) || s.rule : t('silences.all')),
        el('td', {}, formatTime(s.from, zones.get(s.site))), el('td', {}, formatTime(s.until, zones.get(s.site))),
        el('td', {}, s.createdBy), el('td', {}, s.reason),
        actor ? el('td', {}, el('button', { type: 'button', class: 'secondary end', onclick: async (e) => {
          e.target.disabled = true;
          try {
            await api.delete(`/api/v1/silences/${encodeURIComponent(s.id)}`);
            refresh();
          } catch (err) {
            e.target.disabled = false;
            feedback.replaceChildren(message(errorText(err, true), 'error'));
          }
        } }, t('silences.end'))) : null)), { id: 'silences-table' })));
  root.dataset.ready = 'true';
  if (!actor) return;

  const siteSelect = el('select', { id: 'silence-site', required: true }, sites.map((s) => el('option', { value: s.id }, s.name)));
  const equipmentSelect = el('select', { id: 'silence-equipment' });
  const fillEquipment = () => {
    const site = sites.find((s) => s.id === siteSelect.value);
    equipmentSelect.replaceChildren(el('option', { value: '' }, t('silences.all')),
      ...(site?.equipment ?? []).map((e) => el('option', { value: e.id }, equipmentName(e))));
  };
  siteSelect.addEventListener('change', fillEquipment);
  fillEquipment();
  const ruleSelect = el('select', { id: 'silence-rule' }, el('option', { value: '' }, t('silences.all')),
    ruleList.map((r) => el('option', { value: r.id }, ruleTitle(r))));
  const durationSelect = el('select', { id: 'silence-for' }, Object.keys(DURATIONS).map((d) => el('option', { value: d }, t('silences.dur.' + d))));
  const reason = el('input', { id: 'silence-reason', type: 'text', required: true, maxlength: '2000' });
  const field = (id, label, input) => el('div', { class: 'field' }, el('label', { for: id }, label), input);
  root.append(el('section', { class: 'card' }, el('h2', {}, t('silences.new')),
    el('form', { id: 'silence-form', class: 'filters', onsubmit: async (e) => {
      e.preventDefault();
      const submit = e.target.querySelector('button[type=submit]');
      submit.disabled = true;
      try {
        await api.post('/api/v1/silences', { site: siteSelect.value, equipment: equipmentSelect.value || undefined,
          rule: ruleSelect.value || undefined, until: new Date(Date.now() + DURATIONS[durationSelect.value]).toISOString(),
          reason: reason.value.trim() });
        refresh();
      } catch (err) {
        submit.disabled = false;
        feedback.replaceChildren(message(errorText(err, true), 'error'));
      }
    } },
    field('silence-site', t('alerts.site'), siteSelect), field('silence-equipment', t('silences.equipment'), equipmentSelect),
    field('silence-rule', t('silences.rule'), ruleSelect), field('silence-for', t('silences.for'), durationSelect),
    el('div', { class: 'field grow' }, el('label', { for: 'silence-reason' }, t('silences.reason')), reason),
    el('div', { class: 'field' }, el('button', { type: 'submit' }, t('silences.create'))))));
}
