// The player's shadow DOM, built with DOM calls (the page's CSP allows no inline markup
// or style, and nothing from a manifest may ever be parsed as HTML), and the few
// helpers that write into it. Styling lives in ../manju-player.css.

const SVG = 'http://www.w3.org/2000/svg';

const ICONS = {
  play: 'M8 5.14v13.72a1 1 0 0 0 1.52.85l10.8-6.86a1 1 0 0 0 0-1.7L9.52 4.29A1 1 0 0 0 8 5.14z',
  pause: 'M7 5h3.5v14H7zM13.5 5H17v14h-3.5z',
  volume: 'M4 9v6h4l5 4V5L8 9H4zm12.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z',
  muted: 'M4 9v6h4l5 4V5L8 9H4zm12.6 3 2.7-2.7-1.4-1.4-2.7 2.7-2.7-2.7-1.4 1.4 2.7 2.7-2.7 2.7 1.4 1.4 2.7-2.7 2.7 2.7 1.4-1.4z',
  alert: 'M12 2 1 21h22L12 2zm1 15h-2v-2h2v2zm0-4h-2V9h2v4z',
};

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
  svg.setAttribute('class', 'icon');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', ICONS[name]);
  svg.append(path);
  return svg;
}

/** Builds the player's parts into `root`; returns the elements the player drives. */
export function buildUi(root, stylesheetUrl) {
  const canvas = h('canvas', { part: 'canvas', width: '1080', height: '1920' });

  const progress = h('progress', { part: 'progress', max: '1', value: '0' });
  const loadingText = h('p', { class: 'overlay-text' }, 'Loading…');
  const loading = h('div', { class: 'overlay loading', part: 'loading', role: 'status' },
    h('div', { class: 'spinner', 'aria-hidden': 'true' }), loadingText, progress);

  const errorTitle = h('p', { class: 'error-title' }, 'This drama cannot be played');
  const errorDetail = h('p', { class: 'error-detail' });
  const error = h('div', { class: 'overlay error', part: 'error', role: 'alert' },
    h('div', { class: 'error-icon' }, icon('alert')), errorTitle, errorDetail);

  const bigPlay = h('button', { class: 'big-play', type: 'button', tabindex: '-1', 'aria-hidden': 'true' }, icon('play'));
  const stage = h('div', { class: 'stage', part: 'stage' }, canvas, bigPlay, loading, error);

  const playButton = h('button', { class: 'play', type: 'button', part: 'play-button', 'aria-label': 'Play' },
    icon('play'), icon('pause'));
  const muteButton = h('button', { class: 'mute', type: 'button', part: 'mute-button', 'aria-label': 'Mute', 'aria-pressed': 'false' },
    icon('volume'), icon('muted'));
  const time = h('span', { class: 'time', part: 'time', 'aria-live': 'off' }, '0:00.0');
  const durationText = h('span', { class: 'time duration' }, '0:00.0');
  const markers = h('div', { class: 'markers', 'aria-hidden': 'true' });
  const seek = h('input', {
    class: 'seek', part: 'seek', type: 'range', min: '0', max: '0', step: 'any', value: '0',
    'aria-label': 'Seek', disabled: '',
  });
  const frameText = h('span', { class: 'frame', part: 'frame', title: 'Frame on screen' }, '');
  const controls = h('div', { class: 'controls', part: 'controls' },
    h('div', { class: 'seek-track' }, markers, seek),
    h('div', { class: 'buttons' },
      playButton,
      h('span', { class: 'clock' }, time, h('span', { class: 'sep' }, '/'), durationText),
      h('span', { class: 'spacer' }),
      frameText,
      muteButton));

  const frame = h('div', { class: 'frame-box' }, stage, controls);
  root.append(h('link', { rel: 'stylesheet', href: stylesheetUrl }), h('div', { class: 'box' }, frame));

  return { canvas, stage, loading, loadingText, progress, error, errorTitle, errorDetail, bigPlay,
    playButton, muteButton, time, durationText, markers, seek, frameText, frame };
}

/** `83.27` → `1:23.2` (tenths: enough to find a moment, short enough to read). */
export function formatTime(seconds) {
  const tenths = Math.max(0, Math.floor(seconds * 10 + 1e-6));
  const minutes = Math.floor(tenths / 600);
  const rest = tenths % 600;
  const secs = Math.floor(rest / 10);
  return `${minutes}:${String(secs).padStart(2, '0')}.${rest % 10}`;
}
