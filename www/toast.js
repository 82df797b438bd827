// One message at a time at the bottom of the page: an error (read out at once), or news
// with an action to take back what just happened ("Undo"). It never takes the focus.

const SHOW_MS = 8000;
const SHOW_WITH_ACTION_MS = 12000;

export class Toast {
  #box;
  #text;
  #action;
  #timer = 0;
  #run = null;

  /** @param box the toast element, holding `.toast-text`, `.toast-action` and `.toast-close` */
  constructor(box) {
    this.#box = box;
    this.#text = box.querySelector('.toast-text');
    this.#action = box.querySelector('.toast-action');
    this.#action.addEventListener('click', () => {
      const run = this.#run;
      this.hide();
      run?.();
    });
    box.querySelector('.toast-close').addEventListener('click', () => this.hide());
  }

  /**
   * Shows `message` (line breaks kept). `level` 'error' (an alert) or 'info' (a status);
   * `action` `{label, run}` adds a button.
   */
  show(message, { level = 'error', action = null } = {}) {
    this.#box.setAttribute('role', level === 'error' ? 'alert' : 'status');
    this.#box.dataset.level = level;
    this.#text.textContent = message;
    this.#run = action?.run ?? null;
    this.#action.hidden = !action;
    this.#action.textContent = action?.label ?? '';
    this.#box.hidden = false;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.hide(), action ? SHOW_WITH_ACTION_MS : SHOW_MS);
  }

  hide() {
    clearTimeout(this.#timer);
    this.#box.hidden = true;
    this.#run = null;
  }
}
