// DOM building without innerHTML: every value from the API becomes text, never markup.

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

/** A paragraph telling why something is missing (class notice) or went wrong (class error). */
export function message(text, kind = 'notice') {
  return el('p', { class: kind, role: kind === 'error' ? 'alert' : null }, text);
}
