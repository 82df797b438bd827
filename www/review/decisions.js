// Deciding: approve or request changes on each shot (in the shot list, and as a band
// under the seek bar's track), on each dialogue line (beside the line's problems in the
// sheet) and on the whole version ("Approve draft" / "Request changes", under a summary
// of what is left to decide), with every decision in a history. The latest decision on a
// target wins (store.decisions); others' decisions arrive live (the store's events). A
// link that may not approve shows the states, its buttons disabled and saying why.
// Names and notes are data: they reach the page through textContent only.
//
//   const decisions = new DecisionsPanel(card, player, store, { say });
//   item.append(decisions.shotControls(shot));               // the timeline's shot
//   sheet.lineControls = (line, { problems }) => decisions.lineControls(line, { problems });

import { formatTime, h } from '../player/ui.js';
import { lineIndex } from './notes.js';
import { targetKey } from './store.js';

export const VERDICTS = ['approved', 'changes_requested', 'pending'];
const STATE_TEXT = { approved: 'Approved', changes_requested: 'Changes requested', pending: 'Not decided' };
const REASON_ID = 'decisions-reason';

export class DecisionsPanel {
  #root;
  #player;
  #store;
  #say;
  #ui;
  /** every control made (shots, lines, the version); pruned once taken off the page */
  #controls = new Set();

  /**
   * @param root the (empty, hidden) section for the version's verdict, summary and history
   * @param player the <manju-player>
   * @param store from ./store.js openReview
   * @param options.say (text) → tells the reviewer something went wrong (a toast)
   */
  constructor(root, player, store, { say = () => {} } = {}) {
    this.#root = root;
    this.#player = player;
    this.#store = store;
    this.#say = say;
    this.#build();
    root.hidden = false;
    store.addEventListener('change', () => this.render());
    player.addEventListener('ready', () => this.render());
    this.render();
  }

  /** Whether this link may decide, and if not, why. */
  get allowed() {
    return this.#store.can('approve');
  }

  #build() {
    const summary = h('p', { class: 'decisions-summary', id: 'decisions-summary', role: 'status' });
    const lines = h('p', { class: 'decisions-lines' });
    const reason = h('p', { class: 'decisions-reason', id: REASON_ID }, this.allowed.reason);
    reason.hidden = this.allowed.ok;
    const version = this.#control({}, {
      label: 'the draft',
      approve: 'Approve draft',
      describedBy: 'decisions-summary',
    });
    version.root.classList.add('decide-version');
    // It scrolls in its own box: a Tab stop, so the keyboard can scroll it too.
    const history = h('ol', { class: 'decisions-history', 'aria-label': 'Every decision, newest first', tabindex: '0' });
    const historyCount = h('span', { class: 'decisions-history-count' });
    const disclosure = h('details', { class: 'decisions-disclosure' },
      h('summary', {}, 'History ', historyCount), history);
    this.#ui = { summary, lines, reason, version, history, historyCount };
    this.#root.append(h('h2', { id: 'decisions-heading' }, 'Decision'), summary, lines, version.root, reason, disclosure);
    this.#root.setAttribute('aria-labelledby', 'decisions-heading');
  }

  /** The decision controls for a shot of the timeline (for the shot list). */
  shotControls(shot) {
    return this.#control({ shot: shot.id }, { label: `shot ${shot.id}` }).root;
  }

  /** The decision controls for a line of the timeline; `problems`: its problem list (described by it). */
  lineControls(line, { problems = null } = {}) {
    const index = lineIndex(line, this.#player.timeline);
    return this.#control({ shot: line.shot, line: index }, {
      label: `the line at ${formatTime(line.start)}`,
      describedBy: problems?.id ?? '',
    }).root;
  }

  /** Shows the latest decisions everywhere: the controls, the seek bar, the summary, the history. */
  render() {
    const latest = this.#store.decisions;
    for (const control of this.#controls) {
      if (control.root.isConnected) control.placed = true;
      else if (control.placed) {
        this.#controls.delete(control);
        continue;
      }
      control.show(latest.get(control.key) ?? null);
    }
    const shots = this.#player.timeline?.shots ?? [];
    const lines = this.#player.timeline?.lines ?? [];
    const verdict = (key) => latest.get(key)?.verdict ?? 'pending';
    const shotVerdicts = shots.map((s) => verdict(targetKey({ shot: s.id })));
    const lineVerdicts = lines.map((l) => verdict(targetKey({ shot: l.shot, line: lineIndex(l, this.#player.timeline) })));
    const count = (list, v) => list.filter((x) => x === v).length;
    const open = [...this.#store.comments.values()].filter((c) => !c.parent && c.status === 'open').length;
    this.#ui.summary.textContent = `${count(shotVerdicts, 'approved')} of ${plural(shots.length, 'shot')} approved, `
      + `${plural(count(shotVerdicts, 'changes_requested'), 'change')} requested, ${plural(open, 'open note')}`;
    this.#ui.lines.textContent = lines.length === 0 ? ''
      : `Lines: ${count(lineVerdicts, 'approved')} of ${lines.length} approved, ${count(lineVerdicts, 'changes_requested')} with changes requested`;
    this.#ui.lines.hidden = lines.length === 0;
    if (this.#player.state === 'ready') {
      this.#player.setShotStates(shots.map((s, i) => ({ shot: s.id, state: shotVerdicts[i] })));
    }
    const history = [...this.#store.history].sort((a, b) => b.created_at.localeCompare(a.created_at));
    this.#ui.historyCount.textContent = `(${history.length})`;
    this.#ui.history.replaceChildren(...history.map((d) => this.#historyItem(d)));
  }

  #historyItem(d) {
    const item = h('li', { class: 'decisions-event', 'data-verdict': d.verdict },
      h('span', { class: 'decisions-event-who' }, d.author),
      ` ${verb(d.verdict)} ${targetText(d.target)} `,
      h('time', { datetime: d.created_at }, when(d.created_at)));
    if (d.note) item.append(h('span', { class: 'decisions-event-note' }, d.note));
    if (d.pending) item.append(h('span', { class: 'decide-pending' }, 'not sent yet'));
    return item;
  }

  /**
   * One target's controls: its state, Approve and Request changes (toggle buttons: a
   * pressed one pressed again sets it back to pending), the note asked for changes, and
   * who decided last.
   */
  #control(target, { label, approve = 'Approve', describedBy = '' }) {
    const key = targetKey(target);
    const state = h('span', { class: 'decide-state' });
    const approveButton = h('button', { type: 'button', class: 'decide-approve button small secondary', 'aria-pressed': 'false', 'aria-label': `${approve}${approve === 'Approve' ? ` ${label}` : ''}` }, approve);
    const changesButton = h('button', { type: 'button', class: 'decide-changes button small secondary', 'aria-pressed': 'false', 'aria-label': `Request changes on ${label}` }, 'Request changes');
    const by = h('p', { class: 'decide-by' });
    const noteField = h('input', { type: 'text', class: 'decide-note-field', maxlength: '10000', autocomplete: 'off' });
    const fieldId = `decide-note-${key.replace(/[^\w-]+/g, '-')}-${++controlIds}`;
    noteField.id = fieldId;
    const send = h('button', { type: 'submit', class: 'button small' }, 'Request changes');
    const cancel = h('button', { type: 'button', class: 'button small secondary' }, 'Cancel');
    const form = h('form', { class: 'decide-form', 'aria-label': `Request changes on ${label}`, hidden: '' },
      h('label', { for: fieldId, class: 'decide-label' }, 'What should change? (optional)'), noteField,
      h('div', { class: 'decide-actions' }, send, cancel));
    const root = h('div', { class: 'decide', role: 'group', 'aria-label': `Decision on ${label}`, 'data-key': key, 'data-verdict': 'pending' },
      h('div', { class: 'decide-bar' }, state, approveButton, changesButton), by, form);
    const control = { key, root, placed: false, latest: null, show: null };

    const allowed = this.allowed;
    for (const button of [approveButton, changesButton]) {
      button.disabled = !allowed.ok;
      const described = [allowed.ok ? '' : REASON_ID, describedBy].filter(Boolean).join(' ');
      if (described) button.setAttribute('aria-describedby', described);
      if (!allowed.ok) button.title = allowed.reason;
    }
    const decide = (verdict, note = '') => {
      try {
        this.#store.decide(target, verdict, note);
      } catch (err) {
        this.#say(err.message);
      }
    };
    const close = () => {
      form.hidden = true;
      noteField.value = '';
      changesButton.focus();
    };
    approveButton.addEventListener('click', () => {
      form.hidden = true;
      decide(control.latest?.verdict === 'approved' ? 'pending' : 'approved');
    });
    changesButton.addEventListener('click', () => {
      if (control.latest?.verdict === 'changes_requested') {
        decide('pending');
        return;
      }
      form.hidden = false;
      noteField.focus();
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const note = noteField.value.trim();
      close();
      decide('changes_requested', note);
    });
    form.addEventListener('keydown', (e) => {
      // Keys typed here are the note's, not the page's or the sheet's.
      e.stopPropagation();
      if (e.key === 'Escape') {
        e.preventDefault();
        close();
      }
    });
    cancel.addEventListener('click', close);

    control.show = (latest) => {
      control.latest = latest;
      const verdict = latest?.verdict ?? 'pending';
      root.dataset.verdict = verdict;
      state.textContent = STATE_TEXT[verdict] ?? verdict;
      approveButton.setAttribute('aria-pressed', String(verdict === 'approved'));
      changesButton.setAttribute('aria-pressed', String(verdict === 'changes_requested'));
      const parts = [];
      if (latest && verdict !== 'pending') parts.push(`${latest.author} · ${when(latest.created_at)}`);
      if (latest?.note) parts.push(latest.note);
      if (latest?.pending) parts.push('not sent yet');
      by.textContent = parts.join(' · ');
      by.hidden = parts.length === 0;
    };
    control.show(this.#store.decisions.get(key) ?? null);
    this.#controls.add(control);
    return control;
  }
}

/** Numbers the note fields, so each has an id of its own for its label. */
let controlIds = 0;

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function verb(verdict) {
  return { approved: 'approved', changes_requested: 'requested changes on', pending: 'set back to pending' }[verdict] ?? verdict;
}

/** `the draft`, `shot storm`, `line 1 of shot storm` (lines counted from 1, as the notes do). */
export function targetText(target) {
  if (!target?.shot) return 'the draft';
  return Number.isInteger(target.line) ? `line ${target.line + 1} of shot ${target.shot}` : `shot ${target.shot}`;
}

function when(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}
