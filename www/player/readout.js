// The time readout in the control bar. It reads the frame on screen, never the instant
// asked for: its own time (mm:ss.hh), its number, or its SMPTE timecode. A click (or
// Enter, Space: it is a button) goes on to the next way of reading; the choice is
// remembered (./prefs.js). The frame's time and timecode come from the core, which
// counts frames at the drama's rational rate (23.976 is 24000/1001).

import { READOUTS, savePrefs } from './prefs.js';
import { formatTime } from './ui.js';

const NEXT = { time: 'the frame number', frame: 'the timecode', timecode: 'the time' };

export class Readout {
  #ui;
  #mode;
  /** the frame shown, and the drama's clock it was shown with */
  #frame = -1;
  #clock = null;

  /**
   * @param ui the parts from buildUi (`clock`, `time`, `durationText`, `frameText`)
   * @param mode 'time' | 'frame' | 'timecode', as remembered
   */
  constructor(ui, mode) {
    this.#ui = ui;
    this.#mode = READOUTS.includes(mode) ? mode : 'time';
    ui.clock.addEventListener('click', (e) => {
      // Not a click on the picture's bar behind it.
      e.stopPropagation();
      this.mode = READOUTS[(READOUTS.indexOf(this.#mode) + 1) % READOUTS.length];
    });
    this.#describe();
  }

  get mode() {
    return this.#mode;
  }

  set mode(mode) {
    if (!READOUTS.includes(mode) || mode === this.#mode) return;
    this.#mode = mode;
    savePrefs({ readout: mode });
    this.#describe();
    this.show(this.#frame, this.#clock);
  }

  /**
   * Shows frame `frame` (-1: none yet). `clock` answers for the drama:
   * {frameTime(n) → seconds, timecode(n) → 'HH:MM:SS:FF', duration, lastFrame}.
   */
  show(frame, clock) {
    this.#frame = frame;
    this.#clock = clock;
    const { time, durationText, frameText, clock: button } = this.#ui;
    const c = this.#clock;
    const n = Math.max(0, frame);
    const known = frame >= 0 && c !== null;
    if (this.#mode === 'frame') {
      time.textContent = String(known ? n : 0);
      durationText.textContent = String(c?.lastFrame ?? 0);
      frameText.textContent = known ? formatTime(c.frameTime(n)) : '';
    } else if (this.#mode === 'timecode') {
      time.textContent = known ? c.timecode(n) : '00:00:00:00';
      durationText.textContent = c ? c.timecode(c.lastFrame) : '00:00:00:00';
      frameText.textContent = known ? `frame ${n}` : '';
    } else {
      time.textContent = formatTime(known ? c.frameTime(n) : 0);
      durationText.textContent = formatTime(c?.duration ?? 0);
      frameText.textContent = known ? `frame ${n}` : '';
    }
    button.dataset.mode = this.#mode;
  }

  #describe() {
    const what = { time: 'the time of the frame on screen', frame: 'the number of the frame on screen', timecode: 'the timecode of the frame on screen' };
    this.#ui.clock.title = `Showing ${what[this.#mode]}: click for ${NEXT[this.#mode]}`;
  }
}
