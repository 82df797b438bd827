// The notes panel's Export menu: JSON, CSV, EDL and the printable report (./report.js).
// A menu button (the WAI-ARIA menu pattern): Enter, Space or ↓ opens it on the first
// item, ↑ on the last; ↑ ↓ Home End move; Escape closes it back to the button; Tab
// leaves it. In a local review CSV and EDL are there but unavailable, saying why (they
// are the server's). What fails — the server's answer, a blocked pop-up — goes to `say`.

import { h } from '../player/ui.js';
import { downloadExport, downloadJson, openReport, SERVER_ONLY } from './report.js';

const REASON_ID = 'export-reason';

export class ExportMenu {
  /** The button and its menu, for the panel's tools. */
  root;
  #button;
  #menu;
  #popup;
  #items = [];
  #say;

  /**
   * @param player the <manju-player>
   * @param store from ./store.js openReview
   * @param options.say (text, {level}) → tells the reviewer something (a toast)
   */
  constructor(player, store, { say = () => {} } = {}) {
    this.#say = say;
    const server = store.mode === 'server';
    this.#button = h('button', {
      class: 'button small secondary export-button', type: 'button', id: 'export-button',
      'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': 'export-menu',
    }, 'Export');
    this.#button.append(h('span', { class: 'export-caret', 'aria-hidden': 'true' }, ' ▾'));
    this.#menu = h('ul', { class: 'export-menu', id: 'export-menu', role: 'menu', 'aria-labelledby': 'export-button' });
    const item = (text, hint, run, { reason = '' } = {}) => {
      // Its name is what it shows: the kind, then what it is for.
      const b = h('button', { type: 'button', role: 'menuitem', tabindex: '-1', class: 'export-item', id: `export-${text.toLowerCase().replace(/\W+/g, '-')}` },
        h('span', { class: 'export-item-name' }, text), h('span', { class: 'export-item-hint' }, hint));
      if (reason) {
        // Still in the menu (a reader finds it and hears why), but not usable.
        b.setAttribute('aria-disabled', 'true');
        b.setAttribute('aria-describedby', REASON_ID);
        b.title = reason;
      }
      b.addEventListener('click', () => {
        this.close();
        if (reason) this.#say(reason);
        else run();
      });
      this.#menu.append(h('li', { role: 'none' }, b));
      this.#items.push(b);
    };
    item('JSON', 'notes and decisions, for manju serve', () => this.#run('JSON', () => downloadJson(store)));
    const serverOnly = server ? {} : { reason: SERVER_ONLY };
    item('CSV', 'one row a note, for a spreadsheet', () => this.#run('CSV', () => downloadExport(store, 'csv')), serverOnly);
    item('EDL', 'a marker a note, for an editor', () => this.#run('EDL', () => downloadExport(store, 'edl')), serverOnly);
    // The tab is opened in the click itself: a browser blocks one opened later.
    item('Printable report', 'each note over its frame, in a new tab', () => this.#run('report', () => openReport(player, store)));
    const reason = h('p', { class: 'export-reason', id: REASON_ID }, SERVER_ONLY);
    reason.hidden = server;
    this.#popup = h('div', { class: 'export-popup' }, this.#menu, reason);
    this.#popup.hidden = true;
    this.root = h('div', { class: 'export' }, this.#button, this.#popup);

    this.#button.addEventListener('click', () => (this.isOpen ? this.close() : this.open(0)));
    this.#button.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        this.open(e.key === 'ArrowDown' ? 0 : -1);
      }
    });
    this.#menu.addEventListener('keydown', (e) => this.#onKey(e));
    // The focus gone elsewhere closes it; not a focus gone nowhere (Safari does not focus
    // a button clicked: the click on an item would find the menu closed).
    this.root.addEventListener('focusout', (e) => {
      if (this.isOpen && e.relatedTarget && !this.root.contains(e.relatedTarget)) this.close({ focus: false });
    });
    document.addEventListener('pointerdown', (e) => {
      if (this.isOpen && !this.root.contains(e.target)) this.close({ focus: false });
    });
  }

  get isOpen() {
    return !this.#popup.hidden;
  }

  /** Opens the menu with the focus on item `index` (-1: the last). */
  open(index = 0) {
    this.#popup.hidden = false;
    this.#button.setAttribute('aria-expanded', 'true');
    this.#items.at(index)?.focus();
  }

  /** Closes the menu, the focus back on its button unless it went elsewhere. */
  close({ focus = true } = {}) {
    if (!this.isOpen) return;
    this.#popup.hidden = true;
    this.#button.setAttribute('aria-expanded', 'false');
    if (focus) this.#button.focus();
  }

  #onKey(e) {
    const at = this.#items.indexOf(document.activeElement);
    const n = this.#items.length;
    const go = (i) => {
      e.preventDefault();
      // The panel's and the player's keys are not for the menu.
      e.stopPropagation();
      this.#items[(i + n) % n].focus();
    };
    if (e.key === 'ArrowDown') go(at + 1);
    else if (e.key === 'ArrowUp') go(at - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(n - 1);
    else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.close();
    } else if (e.key === 'Tab') this.close({ focus: false });
  }

  /** Runs an export; what goes wrong is said, never swallowed. */
  async #run(what, action) {
    try {
      await action();
    } catch (err) {
      this.#say(`Could not export the ${what}: ${err.message}`);
    }
  }
}
