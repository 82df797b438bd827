// The review link a page was opened with, and the reviewer's name.
//
// A link is `#owner=<token>` or `#share=<token>` in the page's URL (the fragment never
// reaches a server's log), or the `review` option an embedding page gives the element
// (`{server, share}` or `{server, owner}`, with `name` to sign in under without asking and
// `version` to pick one the token reaches). The token leaves the visible URL at once
// (history.replaceState: a screenshot or a copied address does not carry it) and is
// kept in sessionStorage, so a reload of the tab stays signed in and a new tab does not.

const LINK_KEY = 'manju.review.link';
const SESSION_KEY = 'manju.review.session';
const NAME_KEY = 'manju.review.name';

/**
 * The link to review through: `{server, kind: 'owner'|'share', token, password?, name?,
 * version?}`, or
 * null (no server: the page reviews locally, if asked to).
 * @param review the element's `review` option, if any
 */
export function readLink(review = null) {
  if (review && (review.share || review.owner)) {
    return {
      server: new URL(review.server ?? location.origin, location.href).origin,
      kind: review.owner ? 'owner' : 'share',
      token: String(review.owner ?? review.share),
      password: review.password,
      name: review.name ? String(review.name) : undefined,
      version: review.version ? String(review.version) : undefined,
    };
  }
  const hash = new URLSearchParams(location.hash.slice(1));
  for (const kind of ['owner', 'share']) {
    const token = hash.get(kind);
    if (!token) continue;
    const link = { server: location.origin, kind, token };
    sessionStorage.setItem(LINK_KEY, JSON.stringify(link));
    hash.delete(kind);
    const rest = hash.toString();
    history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
    return link;
  }
  const kept = parse(sessionStorage.getItem(LINK_KEY));
  return kept?.token ? kept : null;
}

/** The session made from `link` in this tab, if any: `{token, name, role}`. */
export function keptSession(link) {
  const kept = parse(sessionStorage.getItem(SESSION_KEY));
  return kept && kept.link === link.token && kept.server === link.server ? kept : null;
}

export function keepSession(link, session) {
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify({ ...session, link: link.token, server: link.server }));
  else sessionStorage.removeItem(SESSION_KEY);
}

export function savedName() {
  return localStorage.getItem(NAME_KEY) ?? '';
}

export function saveName(name) {
  localStorage.setItem(NAME_KEY, name);
}

/**
 * Asks the reviewer's display name (and the link's password when it has one) in a small
 * modal dialog; resolves `{name, password}`. `error` is said above the fields.
 */
export function askName({ password = false, error = '' } = {}) {
  const dialog = document.createElement('dialog');
  dialog.className = 'name-dialog';
  dialog.setAttribute('aria-labelledby', 'name-dialog-title');
  const form = document.createElement('form');
  form.method = 'dialog';
  const title = document.createElement('h2');
  title.id = 'name-dialog-title';
  title.textContent = 'Your name for your notes';
  const hint = document.createElement('p');
  hint.className = 'name-hint';
  hint.textContent = 'Others on this review see it beside what you write.';
  const problem = document.createElement('p');
  problem.className = 'name-error';
  problem.setAttribute('role', 'alert');
  problem.textContent = error;
  problem.hidden = !error;
  const field = (label, input) => {
    const wrap = document.createElement('label');
    wrap.className = 'name-field';
    const text = document.createElement('span');
    text.textContent = label;
    wrap.append(text, input);
    return wrap;
  };
  const name = document.createElement('input');
  name.name = 'name';
  name.required = true;
  name.maxLength = 80;
  name.autocomplete = 'name';
  name.value = savedName();
  const secret = document.createElement('input');
  secret.type = 'password';
  secret.name = 'password';
  secret.autocomplete = 'current-password';
  const submit = document.createElement('button');
  submit.type = 'submit';
  submit.className = 'button';
  submit.textContent = 'Start reviewing';
  form.append(title, hint, problem, field('Name', name));
  if (password) form.append(field('The link\u2019s password', secret));
  form.append(submit);
  dialog.append(form);
  document.body.append(dialog);
  // Escape would leave the page without a name: the dialog stays until one is given.
  dialog.addEventListener('cancel', (e) => e.preventDefault());
  dialog.showModal();
  name.focus();
  return new Promise((resolve) => {
    form.addEventListener('submit', (e) => {
      const value = name.value.trim();
      if (!value) {
        e.preventDefault();
        return;
      }
      saveName(value);
      dialog.close();
      dialog.remove();
      resolve({ name: value, password: password ? secret.value : undefined });
    });
  });
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
