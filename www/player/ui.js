// The player's shadow DOM, built with DOM calls (the page's CSP allows no inline markup
// or style, and nothing from a manifest may ever be parsed as HTML), and the few
// helpers that write into it. Styling lives in ../manju-player.css.

import { SHORTCUTS } from './keys.js';

const SVG = 'http://www.w3.org/2000/svg';

const ICONS = {
  play: 'M8 5.14v13.72a1 1 0 0 0 1.52.85l10.8-6.86a1 1 0 0 0 0-1.7L9.52 4.29A1 1 0 0 0 8 5.14z',
  pause: 'M7 5h3.5v14H7zM13.5 5H17v14h-3.5z',
  volume: 'M4 9v6h4l5 4V5L8 9H4zm12.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z',
  muted: 'M4 9v6h4l5 4V5L8 9H4zm12.6 3 2.7-2.7-1.4-1.4-2.7 2.7-2.7-2.7-1.4 1.4 2.7 2.7-2.7 2.7 1.4 1.4 2.7-2.7 2.7 2.7 1.4-1.4z',
  alert: 'M12 2 1 21h22L12 2zm1 15h-2v-2h2v2zm0-4h-2V9h2v4z',
  loop: 'M7 7h10v3l4-4-4-4v3H5v6h2V7zm10 10H7v-3l-4 4 4 4v-3h12v-6h-2v4z',
  fullscreen: 'M7 14H5v5h5v-2H7v-3zm-2-4h2V7h3V5H5v5zm12 7h-3v2h5v-5h-2v3zM14 5v2h3v3h2V5h-5z',
  exitFullscreen: 'M5 16h3v3h2v-5H5v2zm3-8H5v2h5V5H8v3zm6 11h2v-3h3v-2h-5v5zm2-11V5h-2v5h5V8h-3z',
  keyboard: 'M20 5H4a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2zm-9 3h2v2h-2V8zm0 3h2v2h-2v-2zM8 8h2v2H8V8zm0 3h2v2H8v-2zm-1 2H5v-2h2v2zm0-3H5V8h2v2zm9 7H8v-2h8v2zm0-4h-2v-2h2v2zm0-3h-2V8h2v2zm3 3h-2v-2h2v2zm0-3h-2V8h2v2z',
  close: 'M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z',
};

/** Playback speeds offered, slowest first. */
export const SPEEDS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];

/** `h('div', {class: 'x'}, child…)`: attributes are set as attributes, children appended as nodes or text. */
export function h(tag, attributes = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  el.append(...children);
  return el;
}

/** An inline SVG icon from ICONS. */
export function icon(name) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', `icon icon-${name}`);
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', ICONS[name]);
  svg.append(path);
  return svg;
}

function button(cls, label, ...icons) {
  return h('button', { class: cls, type: 'button', part: `${cls}-button`, 'aria-label': label }, ...icons);
}

/** Builds the player's parts into `root`; returns the elements the player drives. */
export function buildUi(root, stylesheetUrl) {
  const canvas = h('canvas', { part: 'canvas', width: '1080', height: '1920' });

  const progress = h('progress', { part: 'progress', max: '1', value: '0', 'aria-label': 'Loading progress' });
  const loadingText = h('p', { class: 'overlay-text' }, 'Loading…');
  const loading = h('div', { class: 'overlay loading', part: 'loading', role: 'status' },
    h('div', { class: 'spinner', 'aria-hidden': 'true' }), loadingText, progress);

  const errorTitle = h('p', { class: 'error-title' }, 'This drama cannot be played');
  const errorDetail = h('p', { class: 'error-detail' });
  const error = h('div', { class: 'overlay error', part: 'error', role: 'alert' },
    h('div', { class: 'error-icon' }, icon('alert')), errorTitle, errorDetail);

  // Over the last frame while playback waits for images still on their way.
  const buffering = h('div', { class: 'buffering', part: 'buffering', role: 'status' },
    h('div', { class: 'spinner', 'aria-hidden': 'true' }), h('span', { class: 'buffering-text' }, 'Buffering…'));

  const bigPlay = h('button', { class: 'big-play', type: 'button', tabindex: '-1', 'aria-hidden': 'true' }, icon('play'));
  const touch = globalThis.matchMedia?.('(pointer: coarse)').matches;
  const unmute = h('button', { class: 'unmute', type: 'button', part: 'unmute-button', hidden: '' },
    icon('muted'), h('span', {}, touch ? 'Tap to unmute' : 'Click to unmute'));
  // Brief feedback for keyboard actions ("1.5×", "Loop shot"), read out politely.
  const osd = h('div', { class: 'osd', part: 'osd', role: 'status', 'aria-live': 'polite' });
  // Something the reviewer should know while the drama plays (the words cannot be shown).
  const noticeText = h('span', { class: 'notice-text' });
  const noticeClose = h('button', { class: 'notice-close', type: 'button', 'aria-label': 'Dismiss' }, icon('close'));
  const notice = h('div', { class: 'notice', part: 'notice', role: 'status', hidden: '' }, icon('alert'), noticeText, noticeClose);
  const stage = h('div', { class: 'stage', part: 'stage' }, canvas, bigPlay, buffering, unmute, osd, notice, loading, error);

  // ---- the seek bar: shot segments (loaded or not), the loop range, the range input,
  // and the preview under the pointer
  const segments = h('div', { class: 'segments', 'aria-hidden': 'true' });
  const loopRange = h('div', { class: 'loop-range', 'aria-hidden': 'true', hidden: '' });
  const seek = h('input', {
    class: 'seek', part: 'seek', type: 'range', min: '0', max: '0', step: 'any', value: '0',
    'aria-label': 'Seek', disabled: '',
  });
  const thumb = h('canvas', { class: 'thumb', width: '90', height: '160' });
  const previewTime = h('span', { class: 'preview-time' });
  const previewShot = h('span', { class: 'preview-shot' });
  const previewLine = h('span', { class: 'preview-line' });
  const preview = h('div', { class: 'preview', part: 'preview', 'aria-hidden': 'true', hidden: '' },
    thumb, h('div', { class: 'preview-text' }, h('div', { class: 'preview-head' }, previewTime, previewShot), previewLine));
  const seekTrack = h('div', { class: 'seek-track' }, segments, loopRange, seek, preview);

  // ---- the buttons
  const playButton = button('play', 'Play', icon('play'), icon('pause'));
  const time = h('span', { class: 'time', part: 'time' }, '00:00.00');
  const durationText = h('span', { class: 'duration' }, '00:00.00');
  const frameText = h('span', { class: 'frame', part: 'frame' }, '');
  // The readout is a button: it cycles through time, frame number and timecode (./readout.js).
  const clock = h('button', { class: 'clock', type: 'button', part: 'clock-button', 'data-mode': 'time' },
    h('span', { class: 'times' }, time, h('span', { class: 'sep', 'aria-hidden': 'true' }, ' / '), durationText), frameText);
  const speed = h('select', { class: 'speed', part: 'speed', 'aria-label': 'Playback speed' },
    ...SPEEDS.map((s) => h('option', { value: String(s) }, `${s}×`)));
  speed.value = '1';
  const loopButton = button('loop', 'Loop the episode', icon('loop'));
  loopButton.setAttribute('aria-pressed', 'false');
  const muteButton = button('mute', 'Mute', icon('volume'), icon('muted'));
  muteButton.setAttribute('aria-pressed', 'false');
  const volume = h('input', {
    class: 'volume', part: 'volume', type: 'range', min: '0', max: '1', step: '0.05', value: '1', 'aria-label': 'Volume',
  });
  const helpButton = button('help', 'Keyboard shortcuts', icon('keyboard'));
  helpButton.setAttribute('aria-haspopup', 'dialog');
  const fullscreenButton = button('fullscreen', 'Full screen', icon('fullscreen'), icon('exitFullscreen'));

  const controls = h('div', { class: 'controls', part: 'controls' },
    seekTrack,
    h('div', { class: 'buttons' },
      playButton,
      clock,
      h('span', { class: 'spacer' }),
      speed,
      loopButton,
      h('span', { class: 'volume-group' }, muteButton, volume),
      helpButton,
      fullscreenButton));

  // ---- the `?` overlay
  const helpClose = button('help-close', 'Close', icon('close'));
  const help = h('dialog', { class: 'shortcuts', part: 'shortcuts', 'aria-labelledby': 'help-title' },
    h('div', { class: 'shortcuts-head' }, h('h2', { id: 'help-title' }, 'Keyboard shortcuts'), helpClose),
    shortcutTable(SHORTCUTS),
    h('p', { class: 'shortcuts-foot' }, 'Click the picture to play or pause. Drag the bar to scrub.'));

  const frame = h('div', { class: 'frame-box' }, stage, controls);
  root.append(h('link', { rel: 'stylesheet', href: stylesheetUrl }), h('div', { class: 'box' }, frame), help);

  return { canvas, stage, loading, loadingText, progress, error, errorTitle, errorDetail, buffering, bigPlay, unmute, osd,
    notice, noticeText, noticeClose,
    seekTrack, segments, loopRange, seek, preview, thumb, previewTime, previewShot, previewLine,
    playButton, clock, time, durationText, frameText, speed, loopButton, muteButton, volume, helpButton, fullscreenButton,
    help, helpClose, controls, frame };
}

/** Shows `text` in the notice over the picture, or hides it for ''. */
export function showNotice(ui, text) {
  ui.noticeText.textContent = text;
  ui.notice.hidden = !text;
}

/** The error overlay's detail: the first error (its path, message and position) and how many more. */
export function showErrorDetail(ui, problems) {
  const errors = problems.filter((p) => p.severity === 'error');
  const first = errors[0] ?? problems[0];
  const { errorDetail } = ui;
  errorDetail.replaceChildren();
  if (!first) return;
  errorDetail.append(h('code', {}, first.path || '(manifest)'), ` ${first.message}`);
  if (first.line != null) errorDetail.append(h('span', { class: 'position' }, ` (line ${first.line}, column ${first.column ?? '?'})`));
  const more = errors.length - 1;
  if (more > 0) errorDetail.append(h('span', { class: 'more' }, ` and ${more} more problem${more === 1 ? '' : 's'}`));
}

/** `83.27` → `01:23.27`: minutes, seconds and hundredths (hours in front past an hour). */
export function formatTime(seconds) {
  const hundredths = Math.max(0, Math.floor(seconds * 100 + 1e-6));
  const h = Math.floor(hundredths / 360000);
  const m = Math.floor(hundredths / 6000) % 60;
  const s = Math.floor(hundredths / 100) % 60;
  const f = hundredths % 100;
  const two = (n) => String(n).padStart(2, '0');
  return `${h > 0 ? `${h}:` : ''}${two(m)}:${two(s)}.${two(f)}`;
}

/** `83.27` → `1 minute 23 seconds`, for screen readers. */
export function spokenTime(seconds) {
  const whole = Math.max(0, Math.floor(seconds + 1e-6));
  const m = Math.floor(whole / 60);
  const s = whole % 60;
  const unit = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return m > 0 ? `${unit(m, 'minute')} ${unit(s, 'second')}` : unit(s, 'second');
}

/**
 * A table of the `?` overlay: rows of [keys…] and what they do, with an optional caption
 * (a group a page adds, as the review's keys).
 */
export function shortcutTable(list, caption = null) {
  return h('table', {},
    ...(caption ? [h('caption', {}, caption)] : []),
    h('tbody', {}, ...list.map(({ keys, does }) => h('tr', {},
      h('td', { class: 'keys' }, ...keys.map((k) => (k === '…' ? h('span', {}, '…') : h('kbd', {}, k)))),
      h('td', {}, does)))));
}
