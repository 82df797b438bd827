// A problem as the page lists it: severity, JSON path (or the subtitle file's name), the
// line:column it points at, and the message — all through textContent.

import { h } from './player/ui.js';

/**
 * @param p `{severity, path, message, line?, column?}`
 * @param where what line:column count in ('the manifest', or a subtitle file's name)
 */
export function problemItem(p, where = 'the manifest') {
  const head = h('div', { class: 'problem-where' },
    h('code', { class: 'problem-path' }, p.path || '(manifest)'));
  if (p.line != null) {
    head.append(h('span', { class: 'problem-pos', title: `line:column in ${where}` },
      p.column != null ? `${p.line}:${p.column}` : `${p.line}`));
  }
  return h('li', { class: 'problem', 'data-severity': p.severity },
    h('span', { class: 'severity' }, p.severity),
    h('div', { class: 'problem-body' }, head, h('p', { class: 'problem-message' }, p.message)));
}
