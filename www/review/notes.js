// The notes panel: the review's notes as threads (replies indented) with who wrote them,
// when, where they point (time, frame, shot, line), tags and status; resolve and
// reopen, reply, edit one's own (its drawing too), delete one's own (with Undo);
// filters; the Export menu (./export-menu.js: JSON, CSV, EDL, the printable report);
// the composer (./composer.js: `C` or the Note button, `D` to draw); the notes
// as markers on the seek bar, and their drawings over the picture on their frames (the
// drawing layer, ./drawing.js). `N` / `Shift+N` go to the next / previous note.
// Everything a reviewer wrote is data: it reaches the page through textContent only.

import { formatTime, h } from '../player/ui.js';
import { Composer, drawingText, layerText, parseTags, shotLayers, Sketch } from './composer.js';
import { ExportMenu } from './export-menu.js';
import { anchorAt } from './store.js';

export { lineIndex, TAGS } from './composer.js';

export class NotesPanel {
  #root;
  #player;
  #store;
  #layer;
  #sketch;
  #composer;
  #say;
  #ui;
  /** which note's reply or edit form is open: {id, kind, text, tags?, drawing?, revision} */
  #form = null;
  /** where the open reply or edit is kept (localStorage) so a reload does not lose it */
  #formKey;
  #filters = { status: 'all', author: '', tag: '', shot: '' };
  #current = null;
  /** the top-level notes the filters show */
  #shown = [];

  /**
   * @param root the (empty, hidden) section the panel fills
   * @param player the <manju-player>
   * @param store from ./store.js openReview
   * @param options.drawing the drawing layer (www/review/drawing.js attachDrawing(player)) or null
   * @param options.say (text, {level, action}) → tells the reviewer something (a toast;
   *   `action` {label, run}: a button, as Undo)
   */
  constructor(root, player, store, { drawing = null, say = () => {} } = {}) {
    this.#root = root;
    this.#player = player;
    this.#store = store;
    this.#layer = drawing;
    this.#sketch = new Sketch(drawing, player);
    this.#say = say;
    this.#composer = new Composer({
      player, store, say,
      sketch: this.#sketch,
      anchorText: (a) => this.anchorText(a),
      draftKey: `manju.review.draft ${store.mode} ${store.version?.id ?? store.version?.drama ?? ''}`,
      onChange: () => this.#showDrawings(),
    });
    this.#formKey = `manju.review.form ${store.mode} ${store.version?.id ?? store.version?.drama ?? ''}`;
    this.#build();
    player.addShortcuts?.('Review', [
      { keys: ['C'], does: 'Pause and write a note on this frame (a range after I and O)' },
      ...(drawing ? [{ keys: ['D'], does: 'Draw on the frame for the note (Escape: done)' }] : []),
      { keys: ['Shift drag'], does: 'On the seek bar (or a drag just above it): a note on that range (Escape cancels)' },
      { keys: ['Alt click'], does: 'On the picture: a note about the layer there' },
      { keys: ['N', 'Shift N'], does: 'Next or previous note' },
      { keys: ['Ctrl Enter'], does: 'Send the note being written' },
      ...(drawing ? [{ keys: ['Ctrl Z', 'Ctrl Y'], does: 'Undo or redo a shape while drawing' }] : []),
    ]);
    root.hidden = false;
    document.body.dataset.review = store.mode;
    store.addEventListener('change', () => this.render());
    store.addEventListener('status', () => this.#showStatus());
    store.addEventListener('error', (e) => say(e.detail.message));
    store.addEventListener('conflict', (e) => {
      say(e.detail.message);
      // Nothing typed is lost: the edit opens again with the reviewer's words.
      const note = store.comments.get(e.detail.id);
      if (note && typeof e.detail.changes.body === 'string') this.#openForm(note.id, 'edit', e.detail.changes.body, e.detail.changes);
    });
    player.addEventListener('ready', () => {
      this.render();
      this.#composer.restore();
    });
    player.addEventListener('markerclick', (e) => this.select(e.detail.id, { focus: true }));
    // A range dragged out on the seek bar: a note on it (the player paused and loops it).
    player.setRangeSelect?.(true);
    player.addEventListener('rangeselect', (e) => {
      if (this.#sketch.editing) return;
      const { frame, frame_end: end } = e.detail;
      this.openComposer({ anchor: anchorAt(player, frame, { end }) });
    });
    // Alt+click on the picture: the note is about the layer there. Taken before the stage
    // sees the click (it would play or pause); the drawing layer keeps its own clicks.
    player.addEventListener('click', (e) => {
      if (!e.altKey || this.#sketch.editing || !this.#onPicture(e)) return;
      e.preventDefault();
      e.stopPropagation();
      this.#composer.pickAt(e.clientX, e.clientY);
    }, { capture: true });
    document.addEventListener('keydown', (e) => this.#onKey(e));
    this.#restoreForm();
    this.render();
    this.#showStatus();
    if (player.state === 'ready') this.#composer.restore();
  }

  /** Keeps the open reply or edit (words, tags, drawing, the revision it started from). */
  #keepForm() {
    if (this.#form) localStorage.setItem(this.#formKey, JSON.stringify(this.#form));
    else localStorage.removeItem(this.#formKey);
  }

  /** A reply or an edit left open by a reload opens again as it was, if its note is still there. */
  #restoreForm() {
    let form;
    try {
      form = JSON.parse(localStorage.getItem(this.#formKey));
    } catch {
      return;
    }
    const note = form && this.#store.comments.get(form.id);
    const mine = note?.author === this.#store.me?.name;
    if (!note || note.status === 'deleted' || !this.#store.can('comment').ok || (form.kind === 'edit' && !mine)) {
      localStorage.removeItem(this.#formKey);
      return;
    }
    this.#form = { id: form.id, kind: form.kind === 'edit' ? 'edit' : 'reply', text: String(form.text ?? ''), revision: form.revision };
    if (typeof form.tags === 'string') this.#form.tags = form.tags;
    if ('drawing' in form) this.#form.drawing = form.drawing;
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
    const exports = new ExportMenu(this.#player, this.#store, { say: this.#say });
    const tools = h('div', { class: 'card-tools' }, noteButton, exports.root);
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
      composer: this.#composer,
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
    // The deleted are left out; their replies stay, on their own.
    const notes = this.#store.sorted();
    const listed = new Set(notes.map((c) => c.id));
    const top = notes.filter((c) => !c.parent || !listed.has(c.parent));
    const replies = new Map();
    for (const c of notes) if (c.parent && listed.has(c.parent)) replies.set(c.parent, [...(replies.get(c.parent) ?? []), c]);
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
    this.#shown = shown;
    this.#showDrawings();
  }

  /**
   * The drawings over the picture: those of the notes listed (the filters apply), the
   * resolved ones only when the status filter is Resolved (they are done with) or the
   * note is the one selected; and the composer's, on its note's frames.
   */
  #showDrawings() {
    if (!this.#layer) return;
    const status = this.#filters.status;
    const drawn = this.#shown
      .filter((c) => c.drawing?.shapes?.length && (c.status !== 'resolved' || status === 'resolved' || c.id === this.#current))
      .map((c) => ({ id: c.id, drawing: c.drawing, frame: c.anchor.frame, frame_end: c.anchor.frame_end }));
    const draft = this.#composer.drawing;
    const at = this.#composer.anchor;
    if (draft && at) drawn.push({ id: DRAFT_ID, drawing: draft, frame: at.frame, frame_end: at.frame_end });
    const edit = this.#form?.kind === 'edit' && this.#form.drawing !== undefined && !this.#sketch.drawingFor(`edit ${this.#form.id}`) ? this.#form : null;
    const editing = edit && drawn.findIndex((d) => d.id === edit.id);
    if (edit && editing >= 0) {
      // The edit's drawing in place of the stored one, until it is saved.
      if (edit.drawing) drawn[editing] = { ...drawn[editing], drawing: edit.drawing };
      else drawn.splice(editing, 1);
    }
    this.#layer.show(drawn);
    this.#layer.highlight(drawn.some((d) => d.id === this.#current) ? this.#current : null);
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
    if (c.drawing?.shapes?.length) box.append(h('p', { class: 'note-drawing' }, drawingText(c.drawing)));
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
    if (this.#store.mayDelete(c) && !c.failed) action('Delete', 'delete', () => this.#delete(c));
    return bar;
  }

  /** Deletes a note at once (it leaves the list and the seek bar); the toast's Undo brings it back. */
  #delete(c) {
    try {
      this.#store.remove(c.id);
    } catch (err) {
      this.#say(err.message);
      return;
    }
    if (this.#current === c.id) this.#current = null;
    this.#player.focus({ preventScroll: true });
    this.#say(isReplyOf(c) ? 'Reply deleted' : 'Note deleted', {
      level: 'info',
      action: {
        label: 'Undo',
        run: () => {
          try {
            this.#store.restore(c.id);
          } catch (err) {
            this.#say(err.message);
          }
        },
      },
    });
  }

  /** A reply or an edit, in place. */
  #inlineForm(c, kind) {
    const id = `${kind}-${c.id}`;
    const text = h('textarea', { id, class: 'composer-body', rows: '2', 'data-key': `${c.id}:${kind}-text` });
    text.value = this.#form.text;
    text.addEventListener('input', () => {
      this.#form.text = text.value;
      this.#keepForm();
    });
    const form = h('form', { class: 'inline-form', 'aria-label': kind === 'reply' ? 'Reply' : 'Edit note' },
      h('label', { for: id, class: 'composer-label' }, kind === 'reply' ? 'Your reply' : 'Your note'), text);
    let tags = null;
    if (kind === 'edit') {
      tags = h('input', { id: `${id}-tags`, class: 'composer-tags', type: 'text', value: this.#form.tags ?? (c.tags ?? []).join(', ') });
      tags.addEventListener('input', () => {
        this.#form.tags = tags.value;
        this.#keepForm();
      });
      form.append(h('label', { for: `${id}-tags`, class: 'composer-label' }, 'Tags'), tags);
    }
    const send = h('button', { type: 'submit', class: 'button small' }, kind === 'reply' ? 'Send reply' : 'Save');
    const cancel = h('button', { type: 'button', class: 'button small secondary' }, 'Cancel');
    const actions = h('div', { class: 'composer-actions' });
    if (kind === 'edit' && !c.parent && this.#sketch.available) {
      const drawing = this.#form.drawing === undefined ? c.drawing : this.#form.drawing;
      const draw = h('button', { type: 'button', class: 'button small secondary', 'data-key': `${c.id}:edit-draw` }, drawing ? 'Edit drawing' : 'Draw');
      draw.addEventListener('click', () => this.#redraw(c, drawing));
      actions.append(draw);
      if (drawing) {
        const remove = h('button', { type: 'button', class: 'drawing-chip-remove', 'aria-label': 'Remove the drawing', title: 'Remove the drawing', 'data-key': `${c.id}:edit-undraw` }, '×');
        remove.addEventListener('click', () => {
          this.#form.drawing = null;
          this.#keepForm();
          this.render();
          this.#root.querySelector(`[data-key="${CSS.escape(`${c.id}:edit-draw`)}"]`)?.focus();
        });
        form.append(h('p', { class: 'drawing-chip' }, h('span', { class: 'drawing-chip-text' }, drawingText(drawing)), remove));
      }
    }
    actions.append(send, cancel);
    form.append(actions);
    const close = ({ sent = false } = {}) => {
      this.#sketch.cancel(`edit ${c.id}`);
      this.#form = null;
      // What was sent leaves the kept form once the store has kept it (a reload before finds it again).
      const kept = localStorage.getItem(this.#formKey);
      if (!sent) localStorage.removeItem(this.#formKey);
      else this.#store.settled().then(() => localStorage.getItem(this.#formKey) === kept && localStorage.removeItem(this.#formKey));
      this.render();
      this.#root.querySelector(`[data-key="${CSS.escape(`${c.id}:${kind === 'reply' ? 'reply' : 'edit'}`)}"]`)?.focus();
    };
    const submit = () => {
      const body = text.value.trim();
      if (!body) return;
      try {
        if (kind === 'reply') this.#store.reply(c.id, body);
        else {
          this.#sketch.finish(`edit ${c.id}`);
          const changes = { body, tags: parseTags(tags.value) };
          if (this.#form.drawing !== undefined) changes.drawing = this.#form.drawing;
          this.#store.edit(c.id, changes, { revision: this.#form.revision });
        }
      } catch (err) {
        this.#say(err.message);
        return;
      }
      close({ sent: true });
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
    cancel.addEventListener('click', () => close());
    return form;
  }

  /** Draws again on one's own note being edited, over its frame; Done comes back to the edit. */
  #redraw(c, drawing) {
    this.select(c.id);
    this.#sketch.start(drawing, {
      owner: `edit ${c.id}`,
      done: (next, { quiet }) => {
        if (this.#form?.id !== c.id) return;
        this.#form.drawing = next;
        this.#keepForm();
        this.render();
        if (!quiet) this.#root.querySelector(`[data-key="${CSS.escape(`${c.id}:edit-text`)}"]`)?.focus();
      },
    });
    this.#showDrawings();
  }

  #openForm(id, kind, text, { drawing } = {}) {
    // An edit remembers the revision it started from: the server says if the note changed since.
    this.#form = { id, kind, text, drawing, revision: this.#store.comments.get(id)?.revision };
    this.#keepForm();
    this.render();
    this.#root.querySelector(`[data-key="${CSS.escape(`${id}:${kind}-text`)}"]`)?.focus();
  }

  #showStatus() {
    const s = this.#store;
    const parts = [];
    if (s.mode === 'server') parts.push(s.connected ? 'Live' : 'Connecting to the review server…');
    if (s.mode === 'local') parts.push(s.saving > 0 ? 'Saving in this browser…' : 'Kept in this browser');
    if (s.waiting > 0) parts.push(`${s.waiting} not sent yet${s.offline ? ' (the server cannot be reached; retrying)' : ''}`);
    this.#ui.status.textContent = parts.join(' · ');
    this.#ui.status.dataset.state = s.waiting > 0 || s.saving > 0 ? 'waiting' : s.connected || s.mode === 'local' ? 'ok' : 'connecting';
  }

  /** Whether a click on the player landed on the picture (not on its controls). */
  #onPicture(e) {
    const stage = this.#player.canvas?.parentElement;
    return Boolean(stage) && e.composedPath().includes(stage) && !e.composedPath().some((el) => el instanceof HTMLButtonElement);
  }

  /** `00:12.03 · frame 361 · shot storm · line 1 · layer 2 (bg)`, or a range `00:12.03–00:13.50 · frames 361–405 · …`. */
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
    if (Number.isInteger(a.layer)) {
      const layer = ready ? shotLayers(p, a.shot)[a.layer] : null;
      parts.push(layer ? layerText(layer) : `layer ${a.layer + 1}`);
    }
    return parts.join(' · ');
  }

  // ---- acting ------------------------------------------------------------------------------

  /** Goes to note `id`'s frame and marks it in the list. */
  select(id, { focus = false } = {}) {
    const c = this.#store.comments.get(id);
    if (!c) return;
    this.#current = id;
    this.#player.seekToFrame(c.anchor.frame).catch(() => {});
    this.#showDrawings();
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
  openComposer(options = {}) {
    this.#composer.open(options);
  }

  closeComposer({ keepDraft = false } = {}) {
    this.#composer.close({ keepDraft });
  }

  #onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const target = e.composedPath()[0];
    // Not while typing, nor under a modal (the name dialog, the player's shortcut list).
    if (isTyping(target) || document.querySelector('dialog[open]') || this.#player.shadowRoot?.querySelector('dialog[open]')) return;
    // While drawing, the layer has the keys it needs; the panel's would move the frame away.
    if (this.#sketch.editing) return;
    const key = e.key.toLowerCase();
    if (key === 'c' && !e.shiftKey) {
      e.preventDefault();
      this.openComposer();
    } else if (key === 'd' && !e.shiftKey && this.#sketch.available) {
      e.preventDefault();
      if (!this.#store.can('comment').ok) this.#say(this.#store.can('comment').reason);
      else this.#composer.draw();
    } else if (key === 'n') {
      e.preventDefault();
      this.step(e.shiftKey ? -1 : 1);
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

/** The drawing of the note being written, shown on its frames while it is not being drawn. */
const DRAFT_ID = 'manju-draft';

function isReplyOf(c) {
  return Boolean(c.parent);
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
