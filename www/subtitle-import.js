// Subtitles into the drama on screen: a dropped or chosen .srt/.vtt/.ass/.ssa file's
// cues are merged into the manifest as lines (by the core, through the player's
// importSubtitles), and the drama plays on with them from the same instant, over the
// assets it already has. Each import can be taken back (Undo, Ctrl/Cmd+Z) and the
// manifest downloaded. A file that cannot be imported changes nothing; its message (with
// the file's name and line) is shown.

import { problemItem } from './problem-list.js';

export class SubtitleImports {
  #player;
  #toast;
  #ui;
  #beforeReload;
  /** the imports still applied, last last: [{before, after, name}] (manifest texts) */
  #history = [];
  /** imports and undos run one after another */
  #queue = Promise.resolve();

  /**
   * @param player the <manju-player>
   * @param toast a Toast
   * @param ui `{status, summary, undo, problems}`: the import's report in the dialogue card
   * @param beforeReload () → called before the player reloads the drama (the page keeps its name)
   */
  constructor(player, toast, ui, beforeReload) {
    this.#player = player;
    this.#toast = toast;
    this.#ui = ui;
    this.#beforeReload = beforeReload;
    ui.undo.addEventListener('click', () => this.undo());
  }

  get canUndo() {
    return this.#history.length > 0;
  }

  /** Imports `file` (a File or Blob; `name` says which file it is). Resolves once done. */
  add(file, name = file.name) {
    return this.#run(() => this.#add(file, name));
  }

  /** Takes back the last import; resolves false when there was none. */
  undo() {
    return this.#run(() => this.#undo());
  }

  /** Another drama was opened: its manifest has no imports to take back. */
  forget() {
    this.#history = [];
    this.#ui.status.hidden = true;
    this.#ui.problems.replaceChildren();
  }

  #run(task) {
    const done = this.#queue.then(task);
    this.#queue = done.catch(() => {});
    return done;
  }

  async #add(file, name) {
    const player = this.#player;
    if (player.state !== 'ready') {
      this.#toast.show(player.state === 'loading'
        ? `${name}: wait until the drama has loaded, then add its subtitles.`
        : `${name}: open a drama first, then add its subtitles.`);
      return false;
    }
    const before = player.manifestText;
    const linesBefore = player.timeline?.lines.length ?? 0;
    let result;
    try {
      result = await player.importSubtitles(file, name);
    } catch (err) {
      this.#report(`Could not import ${name}; the drama is unchanged.`, [], err.message);
      this.#toast.show(`Could not import ${name}:\n${err.message}`);
      return false;
    }
    this.#beforeReload();
    if (!(await player.reload(result.manifest))) {
      // The merged manifest does not play: go back to the one that did.
      this.#beforeReload();
      await player.reload(before);
      this.#report(`Could not import ${name}: the drama with its lines does not play; it is unchanged.`, []);
      this.#toast.show(`Could not import ${name}: the drama with its lines does not play.`);
      return false;
    }
    this.#history.push({ before, after: player.manifestText, name });
    // A cue running past a cut becomes a line in each shot: say so when it happened.
    const added = (player.timeline?.lines.length ?? 0) - linesBefore;
    const what = added === result.cues ? plural(added, 'line') : `${plural(result.cues, 'cue')} (${plural(added, 'line')})`;
    const warnings = result.problems.length;
    this.#report(`Added ${what} from ${name}${warnings ? `; ${plural(warnings, 'problem')} below` : ''}.`, result.problems);
    this.#toast.show(`Added ${what} from ${name}.`, { level: 'info', action: { label: 'Undo', run: () => this.undo() } });
    return true;
  }

  async #undo() {
    const entry = this.#history.pop();
    if (!entry) return false;
    if (this.#player.manifestText !== entry.after) {
      // Something else was loaded since (a script's load()): there is nothing of ours to take back.
      this.forget();
      return false;
    }
    this.#beforeReload();
    await this.#player.reload(entry.before);
    this.#report(`Took out the lines from ${entry.name}.`, []);
    this.#toast.show(`Undone: the lines from ${entry.name} are out.`, { level: 'info' });
    return true;
  }

  /** The report under the dialogue heading: what happened, and the file's problems. */
  #report(summary, problems, error = '') {
    const { status, summary: text, undo, problems: list } = this.#ui;
    text.textContent = error ? `${summary}\n${error}` : summary;
    status.dataset.level = error ? 'error' : 'info';
    undo.hidden = this.#history.length === 0;
    list.replaceChildren(...problems.map((p) => problemItem(p, 'the subtitle file')));
    list.hidden = problems.length === 0;
    status.hidden = false;
  }
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
