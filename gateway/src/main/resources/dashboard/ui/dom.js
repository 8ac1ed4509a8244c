// DOM building without innerHTML: every value from the API becomes text, never markup.
import { t } from './i18n.js';

/** An element with attributes (on* keys become listeners, dataset via data-*) and children. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/**
 * The sentence for a failed API call: the server does not answer (status 0), or the problem's
 * status and detail; with {@code action}, a 403 or 409 says the role may not change the alert, or
 * that it is already resolved.
 */
export function errorText(e, action = false) {
  if (action && e.status === 403) return t('alerts.forbidden');
  if (action && e.status === 409) return t('alerts.conflict');
  return e.status === 0 ? t('error.network') : t('error.generic', e.status, e.message);
}

/** A paragraph telling why something is missing (class notice) or went wrong (class error). */
export function message(text, kind = 'notice') {
  return el('p', { class: kind, role: kind === 'error' ? 'alert' : null }, text);
}

/**
 * CSV text (RFC 4180) of rows of cells. A text cell that a spreadsheet would take for a formula
 * (starting with =, +, - or @) is prefixed with an apostrophe; numbers are written as they are.
 */
export function csv(rows) {
  return rows.map((row) => row.map((cell) => {
    if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
    let s = String(cell ?? '');
    if (/^[=+\-@]/.test(s)) s = "'" + s;
    return /[",\r\n;]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }).join(',')).join('\r\n') + '\r\n';
}

/** A link that downloads {@code rows} as a CSV file named {@code filename}. */
export function csvLink(label, filename, rows) {
  const href = URL.createObjectURL(new Blob([csv(rows)], { type: 'text/csv;charset=utf-8' }));
  return el('a', { class: 'csv', href, download: filename }, label);
}

/**
 * A box that scrolls sideways on a narrow screen; it takes the keyboard focus, so that it can be
 * scrolled without a mouse (WCAG 2.1.1).
 */
export function scrollBox(...children) {
  return el('div', { class: 'table-wrap', tabindex: '0' }, ...children);
}

/** A table of {@code headers} and {@code rows} (cells as text), in a {@link scrollBox}. */
export function table(headers, rows, attrs = {}) {
  return scrollBox(el('table', attrs,
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col', class: h.num ? 'num' : null }, h.label ?? h)))),
    el('tbody', {}, rows.map((r) => (r instanceof Node ? r : el('tr', {}, r.map((c) => el('td', {}, c))))))));
}

/**
 * A table sorted by the column whose header button was pressed last (pressed again, the order is
 * reversed), the order told by {@code aria-sort}. Each column: {@code key}, {@code label},
 * {@code num}, and, to be sortable, {@code value(row)} (a number or text; null always sorts last)
 * with {@code ascending} when its natural order goes up. {@code row(r)} builds a row's {@code tr}.
 */
export function sortableTable(columns, rows, row, { initial, id }) {
  let order = initial;
  let reversed = false;
  const body = el('tbody');
  const head = el('tr');
  function render() {
    const column = columns.find((c) => c.key === order);
    const up = Boolean(column.ascending) !== reversed;
    head.replaceChildren(...columns.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : null,
      'aria-sort': c.key === order ? (up ? 'ascending' : 'descending') : null },
    c.value ? el('button', { type: 'button', class: 'link sort', 'data-sort': c.key, 'aria-label': t('table.sortBy', c.label),
      onclick: () => { reversed = c.key === order ? !reversed : false; order = c.key; render(); } }, c.label) : c.label)));
    const sorted = rows.map((r) => [r, column.value(r)]).sort(([, a], [, b]) => {
      if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
      if (b === null || b === undefined) return -1;
      const d = typeof a === 'string' ? a.localeCompare(b) : a - b;
      return up ? d : -d;
    });
    body.replaceChildren(...sorted.map(([r]) => row(r)));
  }
  render();
  return scrollBox(el('table', { id }, el('thead', {}, head), body));
}
