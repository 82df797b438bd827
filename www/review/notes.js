// The notes panel: the review's notes as threads (replies indented) with who wrote them,
// when, where they point (time, frame, shot, line), tags and status; resolve and
// reopen, reply, edit one's own; filters; the composer (`C` or the Note button: a note
// on the frame on screen, or on the I/O range; from the dialogue sheet, on a line); and
// the notes as markers on the seek bar. `N` / `Shift+N` go to the next / previous note.
// Everything a reviewer wrote is data: it reaches the page through textContent only.

import { formatTime, h } from '../player/ui.js';
import { anchorAt } from './store.js';

export const TAGS = ['timing', 'text', 'art', 'audio', 'regenerate'];
const FREE_TAG = /^[\p{L}\p{N}_-]{1,40}$/u;

export class NotesPanel {
  #root;
  #player;
  #store;
  #drawing;
  #say;
  #ui;
  #draftKey;
  /** the composer's anchor, null while closed */
  #anchor = null;
  /** which note's reply or edit form is open: {id, kind, text, tags?, revision} */
  #form = null;
  #filters = { status: 'all', author: '', tag: '', shot: '' };
  #current = null;

  /**
   * @param root the (empty, hidden) section the panel fills
   * @param player the <manju-player>
   * @param store from ./store.js openReview
   * @param options.drawing the drawing layer (www/review/drawing.js attachDrawing(player)) or null
   * @param options.say (text) → tells the reviewer something that went wrong (a toast)
   */
  constructor(root, player, store, { drawing = null, say = () => {} } = {}) {
    this.#root = root;
    this.#player = player;
    this.#store = store;
    this.#drawing = drawing;
    this.#say = say;
    this.#draftKey = `manju.review.draft ${store.mode} ${store.version?.id ?? store.version?.drama ?? ''}`;
    this.#build();
    root.hidden = false;
    document.body.dataset.review = store.mode;
    store.addEventListener('change', () => this.render());
    store.addEventListener('status', () => this.#showStatus());
    store.addEventListener('error', (e) => say(e.detail.message));
    store.addEventListener('conflict', (e) => {
      say(e.detail.message);
      // Nothing typed is lost: the edit opens again with the reviewer's words.
      const note = store.comments.get(e.detail.id);
      if (note && typeof e.detail.changes.body === 'string') this.#openForm(note.id, 'edit', e.detail.changes.body);
    });
    player.addEventListener('ready', () => {
      this.render();
      this.#restoreDraft();
    });
    player.addEventListener('markerclick', (e) => this.select(e.detail.id, { focus: true }));
    document.addEventListener('keydown', (e) => this.#onKey(e));
    this.render();
    this.#showStatus();
    if (player.state === 'ready') this.#restoreDraft();
  }

  // ---- building ------------------------------------------------------------------------

  #build() {
    const can = this.#store.can('comment');
    const reason = h('p', { id: 'notes-reason', class: 'notes-reason' }, can.reason);
    reason.hidden = can.ok;
    const noteButton = h('button', { class: 'button small', type: 'button', id: 'note-button' }, 'Note');
    noteButton.append(h('span', { class: 'key-hint', 'aria-hidden': 'true' }, ' C'));
    noteButton.setAttribute('aria-keyshortcuts', 'C');
    this.#explain(noteButton, can);
    noteButton.addEventListener('click', () => this.openComposer());
    const exportButton = h('button', { class: 'button small secondary', type: 'button' }, 'Export JSON');
    exportButton.addEventListener('click', () => this.#export());
    const tools = h('div', { class: 'card-tools' }, noteButton, exportButton);
    if (this.#store.import) {
      const file = h('input', { type: 'file', accept: '.json,application/json', hidden: '' });
      const importButton = h('button', { class: 'button small secondary', type: 'button' }, 'Import…');
      importButton.addEventListener('click', () => file.click());
      file.addEventListener('change', () => this.#import(file));
      tools.append(importButton, file);
    }
    const count = h('span', { class: 'count', 'data-level': 'none' }, '0');
    const who = h('p', { class: 'notes-who' });
    const status = h('p', { class: 'notes-status', role: 'status' });
    this.#ui = {
      count, who, status, reason, noteButton,
      composer: this.#buildComposer(),
      filters: this.#buildFilters(),
      list: h('ol', { class: 'notes-list', 'aria-label': 'Notes, in frame order' }),
      empty: h('p', { class: 'empty' }, 'No notes yet.'),
    };
    this.#root.append(
      h('h2', { id: 'notes-heading' }, 'Notes ', count),
      who, status, tools, reason,
      this.#ui.composer.form, this.#ui.filters.box, this.#ui.empty, this.#ui.list,
    );
    this.#root.setAttribute('aria-labelledby', 'notes-heading');
    const { name } = this.#store.me;
    who.textContent = this.#store.mode === 'local'
      ? `${name} · kept in this browser only (no review server)`
      : `${name} · ${roleText(this.#store.role)}`;
  }

  /** A control that cannot be used now says why (its title, and the reason it points to). */
  #explain(button, { ok, reason }) {
    button.disabled = !ok;
    if (ok) {
      button.removeAttribute('title');
      button.removeAttribute('aria-describedby');
    } else {
      button.title = reason;
      button.setAttribute('aria-describedby', 'notes-reason');
    }
  }

  #buildComposer() {
    const where = h('p', { class: 'composer-where', id: 'composer-where' });
    const body = h('textarea', { id: 'composer-body', class: 'composer-body', rows: '3', maxlength: '10000', 'aria-describedby': 'composer-where composer-help' });
    const label = h('label', { for: 'composer-body', class: 'composer-label' }, 'Your note');
    const chips = TAGS.map((tag) => {
      const chip = h('button', { type: 'button', class: 'chip', 'aria-pressed': 'false', 'data-tag': tag }, tag);
      chip.addEventListener('click', () => {
        chip.setAttribute('aria-pressed', String(chip.getAttribute('aria-pressed') !== 'true'));
        this.#saveDraft();
      });
      return chip;
    });
    const free = h('input', { id: 'composer-tags', class: 'composer-tags', type: 'text', placeholder: 'more tags, comma-separated', autocomplete: 'off' });
    const tags = h('div', { class: 'chips', role: 'group', 'aria-label': 'Tags' }, ...chips,
      h('label', { for: 'composer-tags', class: 'visually-hidden' }, 'More tags'), free);
    // Integration point for the drawing layer (www/review/drawing.js, attachDrawing(player)):
    // shown only when the page gives one; its shapes go with the note.
    const draw = h('button', { type: 'button', class: 'button small secondary', id: 'composer-draw' }, 'Draw');
    draw.hidden = !this.#drawing;
    draw.addEventListener('click', () => this.#drawing?.edit());
    const send = h('button', { type: 'submit', class: 'button small' }, 'Send');
    const cancel = h('button', { type: 'button', class: 'button small secondary' }, 'Cancel');
    const help = h('p', { class: 'composer-help', id: 'composer-help' }, 'Ctrl+Enter sends, Escape closes (the draft is kept).');
    const error = h('p', { class: 'composer-error', role: 'alert' });
    const form = h('form', { class: 'composer', 'aria-label': 'New note', hidden: '' },
      where, label, body, tags, error, h('div', { class: 'composer-actions' }, draw, send, cancel), help);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#send();
    });
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.#send();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        this.closeComposer({ keepDraft: true });
      }
    });
    form.addEventListener('input', () => this.#saveDraft());
    cancel.addEventListener('click', () => this.closeComposer());
    return { form, where, body, chips, free, error, draw };
  }

  #buildFilters() {
    const select = (id, label, options) => {
      const el = h('select', { id, class: 'filter' });
      const wrap = h('label', { for: id, class: 'filter-label' }, label, el);
      el.addEventListener('change', () => {
        this.#filters[id.replace('filter-', '')] = el.value;
        this.render();
      });
      this.#fill(el, options);
      return { el, wrap };
    };
    const status = select('filter-status', 'Status', [['all', 'All'], ['open', 'Open'], ['resolved', 'Resolved']]);
    const author = select('filter-author', 'Author', []);
    const tag = select('filter-tag', 'Tag', []);
    const shot = select('filter-shot', 'Shot', []);
    const box = h('div', { class: 'notes-filters', role: 'group', 'aria-label': 'Show notes' }, status.wrap, author.wrap, tag.wrap, shot.wrap);
    return { box, status: status.el, author: author.el, tag: tag.el, shot: shot.el };
  }

  #fill(select, options) {
    const value = select.value;
    select.replaceChildren(...options.map(([v, text]) => h('option', { value: v }, text)));
    if (options.some(([v]) => v === value)) select.value = value;
  }

  // ---- showing ---------------------------------------------------------------------------

  render() {
    const notes = this.#store.sorted();
    const top = notes.filter((c) => !c.parent || !this.#store.comments.has(c.parent));
    const replies = new Map();
    for (const c of notes) if (c.parent && this.#store.comments.has(c.parent)) replies.set(c.parent, [...(replies.get(c.parent) ?? []), c]);
    const { filters } = this.#ui;
    const any = [['', 'Any']];
    this.#fill(filters.author, [...any, ...[...new Set(notes.map((c) => c.author))].sort().map((a) => [a, a])]);
    this.#fill(filters.tag, [...any, ...[...new Set(notes.flatMap((c) => c.tags ?? []))].sort().map((t) => [t, t])]);
    this.#fill(filters.shot, [...any, ...(this.#player.timeline?.shots ?? []).map((s) => [s.id, s.id])]);
    const f = this.#filters;
    const shown = top.filter((c) => (f.status === 'all' || c.status === f.status)
      && (!f.author || c.author === f.author || (replies.get(c.id) ?? []).some((r) => r.author === f.author))
      && (!f.tag || (c.tags ?? []).includes(f.tag))
      && (!f.shot || c.anchor.shot === f.shot));
    const focused = this.#root.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    const selection = document.activeElement instanceof HTMLTextAreaElement
      ? [document.activeElement.selectionStart, document.activeElement.selectionEnd] : null;
    this.#ui.list.replaceChildren(...shown.map((c) => this.#item(c, replies.get(c.id) ?? [])));
    this.#ui.empty.hidden = shown.length > 0;
    this.#ui.empty.textContent = top.length > 0 ? 'No notes match these filters.' : 'No notes yet.';
    const open = top.filter((c) => c.status === 'open').length;
    this.#ui.count.textContent = String(top.length);
    this.#ui.count.dataset.level = open > 0 ? 'warning' : 'none';
    this.#ui.count.title = `${open} open, ${top.length - open} resolved`;
    if (focused) {
      const again = this.#root.querySelector(`[data-key="${CSS.escape(focused)}"]`);
      again?.focus({ preventScroll: true });
      if (selection && again instanceof HTMLTextAreaElement) again.setSelectionRange(...selection);
    }
    this.#showStatus();
    if (this.#player.state === 'ready') {
      this.#player.setMarkers(top.map((c) => ({ id: c.id, frame: c.anchor.frame, frame_end: c.anchor.frame_end, status: c.status, pending: c.pending })));
    }
  }

  #item(c, replies) {
    const item = h('li', { class: 'note', 'data-id': c.id, 'data-status': c.status });
    if (c.id === this.#current) item.setAttribute('aria-current', 'true');
    item.append(this.#note(c, false));
    if (replies.length > 0) {
      item.append(h('ol', { class: 'note-replies', 'aria-label': 'Replies' },
        ...replies.map((r) => h('li', { class: 'note reply', 'data-id': r.id }, this.#note(r, true)))));
    }
    if (this.#form?.id === c.id && this.#form.kind === 'reply') item.append(this.#inlineForm(c, 'reply'));
    return item;
  }

  #note(c, isReply) {
    const box = h('article', { class: 'note-box', 'aria-label': `Note by ${c.author}` });
    const head = h('p', { class: 'note-head' },
      h('span', { class: 'note-author' }, c.author),
      h('time', { class: 'note-time', datetime: c.created_at }, when(c.created_at)));
    if (!isReply) head.append(h('span', { class: 'note-state', 'data-status': c.status }, c.status === 'resolved' ? 'resolved' : 'open'));
    if (c.edited_at) head.append(h('span', { class: 'note-edited' }, 'edited'));
    box.append(head);
    if (!isReply) {
      const anchor = h('button', { type: 'button', class: 'note-anchor', 'data-key': `${c.id}:anchor` }, this.anchorText(c.anchor));
      anchor.setAttribute('aria-label', `Go to ${this.anchorText(c.anchor)}`);
      anchor.addEventListener('click', () => this.select(c.id));
      box.append(anchor);
    }
    if (this.#form?.id === c.id && this.#form.kind === 'edit') {
      box.append(this.#inlineForm(c, 'edit'));
      return box;
    }
    box.append(h('p', { class: 'note-body' }, c.body));
    if ((c.tags ?? []).length > 0) {
      box.append(h('ul', { class: 'note-tags', 'aria-label': 'Tags' }, ...c.tags.map((t) => h('li', { class: 'tag' }, t))));
    }
    if (c.pending) box.append(h('p', { class: 'note-pending' }, 'not sent yet'));
    if (c.failed) box.append(h('p', { class: 'note-failed' }, `not sent: ${c.failed}`));
    box.append(this.#actions(c, isReply));
    return box;
  }

  #actions(c, isReply) {
    const can = this.#store.can('comment');
    const bar = h('div', { class: 'note-actions' });
    const action = (text, key, run, allowed = can) => {
      const b = h('button', { type: 'button', class: 'link-button', 'data-key': `${c.id}:${key}` }, text);
      this.#explain(b, allowed);
      b.addEventListener('click', run);
      bar.append(b);
    };
    if (!isReply) {
      action('Reply', 'reply', () => this.#openForm(c.id, 'reply', ''));
      if (c.status === 'resolved') action('Reopen', 'status', () => this.#store.reopen(c.id));
      else action('Resolve', 'status', () => this.#store.resolve(c.id));
    }
    if (c.author === this.#store.me.name && can.ok && !c.failed) action('Edit', 'edit', () => this.#openForm(c.id, 'edit', c.body));
    return bar;
  }

  /** A reply or an edit, in place. */
  #inlineForm(c, kind) {
    const id = `${kind}-${c.id}`;
    const text = h('textarea', { id, class: 'composer-body', rows: '2', 'data-key': `${c.id}:${kind}-text` });
    text.value = this.#form.text;
    text.addEventListener('input', () => {
      this.#form.text = text.value;
    });
    const form = h('form', { class: 'inline-form', 'aria-label': kind === 'reply' ? 'Reply' : 'Edit note' },
      h('label', { for: id, class: 'composer-label' }, kind === 'reply' ? 'Your reply' : 'Your note'), text);
    let tags = null;
    if (kind === 'edit') {
      tags = h('input', { id: `${id}-tags`, class: 'composer-tags', type: 'text', value: this.#form.tags ?? (c.tags ?? []).join(', ') });
      tags.addEventListener('input', () => {
        this.#form.tags = tags.value;
      });
      form.append(h('label', { for: `${id}-tags`, class: 'composer-label' }, 'Tags'), tags);
    }
    const send = h('button', { type: 'submit', class: 'button small' }, kind === 'reply' ? 'Send reply' : 'Save');
    const cancel = h('button', { type: 'button', class: 'button small secondary' }, 'Cancel');
    form.append(h('div', { class: 'composer-actions' }, send, cancel));
    const close = () => {
      this.#form = null;
      this.render();
      this.#root.querySelector(`[data-key="${CSS.escape(`${c.id}:${kind === 'reply' ? 'reply' : 'edit'}`)}"]`)?.focus();
    };
    const submit = () => {
      const body = text.value.trim();
      if (!body) return;
      try {
        if (kind === 'reply') this.#store.reply(c.id, body);
        else this.#store.edit(c.id, { body, tags: parseTags(tags.value) }, { revision: this.#form.revision });
      } catch (err) {
        this.#say(err.message);
        return;
      }
      close();
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      submit();
    });
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        submit();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        close();
      }
    });
    cancel.addEventListener('click', close);
    return form;
  }

  #openForm(id, kind, text) {
    // An edit remembers the revision it started from: the server says if the note changed since.
    this.#form = { id, kind, text, revision: this.#store.comments.get(id)?.revision };
    this.render();
    this.#root.querySelector(`[data-key="${CSS.escape(`${id}:${kind}-text`)}"]`)?.focus();
  }

  #showStatus() {
    const s = this.#store;
    const parts = [];
    if (s.mode === 'server') parts.push(s.connected ? 'Live' : 'Connecting to the review server…');
    if (s.waiting > 0) parts.push(`${s.waiting} not sent yet${s.offline ? ' (the server cannot be reached; retrying)' : ''}`);
    this.#ui.status.textContent = parts.join(' · ');
    this.#ui.status.dataset.state = s.waiting > 0 ? 'waiting' : s.connected || s.mode === 'local' ? 'ok' : 'connecting';
  }

  /** `00:12.03 · frame 361 · shot storm · line 1`, or a range `00:12.03–00:13.50 · frames 361–405 · …`. */
  anchorText(a) {
    const p = this.#player;
    const ready = p.state === 'ready';
    const at = ready ? formatTime(p.frameTime(a.frame)) : '';
    const parts = [];
    if (a.range) {
      if (ready) parts.push(`${at}–${formatTime(p.frameTime(a.frame_end))}`);
      parts.push(`frames ${a.frame}–${a.frame_end - 1}`);
    } else {
      if (ready) parts.push(at);
      parts.push(`frame ${a.frame}`);
    }
    if (a.shot) parts.push(`shot ${a.shot}`);
    if (Number.isInteger(a.line)) parts.push(`line ${a.line + 1}`);
    if (Number.isInteger(a.layer)) parts.push(`layer ${a.layer + 1}`);
    return parts.join(' · ');
  }

  // ---- acting ------------------------------------------------------------------------------

  /** Goes to note `id`'s frame and marks it in the list. */
  select(id, { focus = false } = {}) {
    const c = this.#store.comments.get(id);
    if (!c) return;
    this.#current = id;
    this.#player.seekToFrame(c.anchor.frame).catch(() => {});
    for (const el of this.#ui.list.querySelectorAll('li.note[aria-current]')) el.removeAttribute('aria-current');
    const item = this.#ui.list.querySelector(`li.note[data-id="${CSS.escape(id)}"]`);
    item?.setAttribute('aria-current', 'true');
    item?.scrollIntoView({ block: 'nearest' });
    if (focus) item?.querySelector('.note-anchor')?.focus({ preventScroll: true });
  }

  /** The next (+1) or previous (-1) note from the frame on screen. */
  step(direction) {
    const frame = this.#player.currentFrame;
    const top = this.#store.sorted().filter((c) => !c.parent);
    const next = direction > 0
      ? top.find((c) => c.anchor.frame > frame)
      : top.findLast((c) => c.anchor.frame < frame);
    if (next) this.select(next.id);
  }

  /**
   * Opens the composer: on `line` (the timeline's line), on `shot` (the timeline's shot:
   * its frames as a range), or on the frame on screen (a range when I/O marked one).
   * Pauses playback.
   */
  openComposer({ line = null, shot = null, anchor = null } = {}) {
    const can = this.#store.can('comment');
    if (!can.ok) {
      this.#say(can.reason);
      return;
    }
    const p = this.#player;
    if (p.state !== 'ready') return;
    p.pause();
    this.#anchor = anchor ?? (line ? this.#lineAnchor(line) : shot ? this.#shotAnchor(shot) : this.#frameAnchor());
    const c = this.#ui.composer;
    if (line || shot) p.seekToFrame(this.#anchor.frame).catch(() => {});
    c.where.textContent = `On ${this.anchorText(this.#anchor)}`;
    c.error.textContent = '';
    c.form.hidden = false;
    this.#saveDraft();
    c.body.focus();
  }

  closeComposer({ keepDraft = false } = {}) {
    const c = this.#ui.composer;
    c.form.hidden = true;
    this.#anchor = null;
    if (!keepDraft) {
      localStorage.removeItem(this.#draftKey);
      c.body.value = '';
      c.free.value = '';
      for (const chip of c.chips) chip.setAttribute('aria-pressed', 'false');
      this.#drawing?.cancel();
    }
    this.#player.focus({ preventScroll: true });
  }

  #frameAnchor() {
    const p = this.#player;
    const frame = Math.max(0, p.currentFrame);
    const loop = p.loopRange;
    if (loop) {
      const first = frameOn(p, loop.start);
      const end = loop.end >= p.duration ? frameOn(p, p.duration) + 1 : frameOn(p, loop.end) + 1;
      if (end > first + 1) return anchorAt(p, first, { end });
    }
    return anchorAt(p, frame);
  }

  /** A shot's frames: from the first showing it to the first of the next (the last frame at the end). */
  #shotAnchor(shot) {
    const p = this.#player;
    const first = p.firstFrameFrom(shot.start);
    const last = frameOn(p, p.duration);
    const end = shot.end >= p.duration ? last + 1 : Math.min(p.firstFrameFrom(shot.end), last + 1);
    return anchorAt(p, first, { end: Math.max(end, first + 1) });
  }

  #lineAnchor(line) {
    const p = this.#player;
    return anchorAt(p, p.firstFrameFrom(line.start), { line: lineIndex(line, p.timeline) });
  }

  #send() {
    const c = this.#ui.composer;
    const body = c.body.value.trim();
    if (!this.#anchor) return;
    if (!body) {
      c.error.textContent = 'Write something first.';
      c.body.focus();
      return;
    }
    const tags = [...c.chips.filter((b) => b.getAttribute('aria-pressed') === 'true').map((b) => b.dataset.tag), ...parseTags(c.free.value)];
    const bad = tags.find((t) => !FREE_TAG.test(t));
    if (bad) {
      c.error.textContent = `"${bad}" cannot be a tag: letters, digits, - and _ only.`;
      c.free.focus();
      return;
    }
    const drawing = this.#drawing?.shapes?.length ? { shapes: this.#drawing.shapes } : null;
    try {
      this.#store.add({ body, tags: [...new Set(tags)], anchor: this.#anchor, drawing });
    } catch (err) {
      c.error.textContent = err.message;
      return;
    }
    this.#drawing?.done();
    if (this.#anchor.range) this.#player.loopRange = null;
    this.closeComposer();
  }

  #saveDraft() {
    if (!this.#anchor) return;
    const c = this.#ui.composer;
    const tags = c.chips.filter((b) => b.getAttribute('aria-pressed') === 'true').map((b) => b.dataset.tag);
    localStorage.setItem(this.#draftKey, JSON.stringify({ body: c.body.value, tags, free: c.free.value, anchor: this.#anchor }));
  }

  /** A note left half-written (a reload, a closed tab) opens again as it was. */
  #restoreDraft() {
    if (this.#anchor || !this.#store.can('comment').ok) return;
    let draft;
    try {
      draft = JSON.parse(localStorage.getItem(this.#draftKey));
    } catch {
      return;
    }
    if (!draft?.anchor) return;
    const c = this.#ui.composer;
    c.body.value = draft.body ?? '';
    c.free.value = draft.free ?? '';
    for (const chip of c.chips) chip.setAttribute('aria-pressed', String((draft.tags ?? []).includes(chip.dataset.tag)));
    this.openComposer({ anchor: draft.anchor });
  }

  #onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const target = e.composedPath()[0];
    // Not while typing, nor under a modal (the name dialog, the player's shortcut list).
    if (isTyping(target) || document.querySelector('dialog[open]') || this.#player.shadowRoot?.querySelector('dialog[open]')) return;
    const key = e.key.toLowerCase();
    if (key === 'c' && !e.shiftKey) {
      e.preventDefault();
      this.openComposer();
    } else if (key === 'n') {
      e.preventDefault();
      this.step(e.shiftKey ? -1 : 1);
    }
  }

  async #export() {
    try {
      const data = await this.#store.export();
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const name = `${(this.#store.version?.drama ?? 'drama').replace(/[^\w.-]+/g, '_')}-review.json`;
      const link = h('a', { href: url, download: name, hidden: '' });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      this.#say(`Could not export the notes: ${err.message}`);
    }
  }

  async #import(input) {
    const file = input.files[0];
    input.value = '';
    if (!file) return;
    try {
      await this.#store.import(JSON.parse(await file.text()));
    } catch (err) {
      this.#say(`${file.name}: ${err.message}`);
    }
  }
}

/** The frame on screen at `t`: the last starting at or before it. */
function frameOn(player, t) {
  const f = player.firstFrameFrom(t);
  return player.frameTime(f) > t + 1e-9 ? Math.max(0, f - 1) : f;
}

/** A line's index within its shot, as the API counts it (the manifest's `shots[i].lines[j]`). */
export function lineIndex(line, timeline) {
  const m = /lines\[(\d+)\]$/.exec(line.path ?? '');
  if (m) return Number(m[1]);
  return (timeline?.lines ?? []).filter((l) => l.shot === line.shot).sort((a, b) => a.start - b.start).indexOf(line);
}

function parseTags(text) {
  return String(text).split(/[,\s]+/).map((t) => t.trim()).filter(Boolean);
}

function isTyping(target) {
  return target instanceof HTMLTextAreaElement || target?.isContentEditable || target instanceof HTMLSelectElement
    || (target instanceof HTMLInputElement && !['range', 'checkbox', 'radio', 'button'].includes(target.type));
}

function roleText(role) {
  return { view: 'can view', comment: 'can comment', approve: 'can comment and approve', owner: 'owner' }[role] ?? role;
}

function when(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}
