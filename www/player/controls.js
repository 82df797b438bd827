// What the player's buttons, bars and keys do, wired through its public API (as
// ./commands.js runs keyboard actions), so the element keeps only the machinery. Two
// internals come in as callbacks: scrubbing (a cheap draw per animation frame while the
// seek bar is dragged) and the word over the picture.

import { runCommand } from './commands.js';
import { actionFor } from './keys.js';

/**
 * @param player the <manju-player>
 * @param ui what ./ui.js buildUi returned
 * @param internals.scrubTo (seconds) → shows that instant while the bar is dragged
 * @param internals.flash (text) → a word over the picture for a moment
 */
export function wireControls(player, ui, { scrubTo, flash }) {
  const ready = () => player.state === 'ready';
  const togglePlay = () => (player.paused ? player.play() : player.pause());
  ui.playButton.addEventListener('click', togglePlay);
  ui.bigPlay.addEventListener('click', (e) => {
    e.stopPropagation();
    player.play();
    player.focus();
  });
  ui.stage.addEventListener('click', () => {
    if (!ready()) return;
    togglePlay();
    player.focus();
  });
  ui.stage.addEventListener('dblclick', () => {
    if (ready()) player.toggleFullscreen();
  });
  ui.unmute.addEventListener('click', (e) => {
    e.stopPropagation();
    player.muted = false;
  });
  // A click on the notice is not a click on the picture.
  ui.notice.addEventListener('click', (e) => e.stopPropagation());
  ui.noticeClose.addEventListener('click', () => {
    ui.notice.hidden = true;
  });
  ui.muteButton.addEventListener('click', () => {
    player.muted = !player.muted;
  });
  ui.volume.addEventListener('input', () => {
    const v = Number(ui.volume.value);
    player.volume = v;
    if (player.muted && v > 0) player.muted = false;
  });
  ui.speed.addEventListener('change', () => {
    player.playbackRate = Number(ui.speed.value);
  });
  ui.loopButton.addEventListener('click', () => {
    if (player.loopRange) player.loopRange = null;
    else player.loop = !player.loop;
  });
  ui.helpButton.addEventListener('click', () => player.showShortcuts());
  ui.helpClose.addEventListener('click', () => ui.help.close());
  ui.help.addEventListener('close', () => player.focus());
  ui.fullscreenButton.addEventListener('click', () => player.toggleFullscreen());
  document.addEventListener('fullscreenchange', () => {
    const on = document.fullscreenElement === player;
    ui.fullscreenButton.dataset.on = String(on);
    ui.fullscreenButton.setAttribute('aria-label', on ? 'Exit full screen' : 'Full screen');
  });

  // Scrubbing pauses playback and resumes it on release, as video editors do; the
  // sound is scheduled afresh from where the scrub ended.
  let resumeAfterScrub = false;
  ui.seek.addEventListener('pointerdown', () => {
    if (!player.paused) {
      resumeAfterScrub = true;
      player.pause();
    }
  });
  ui.seek.addEventListener('input', () => scrubTo(Number(ui.seek.value)));
  ui.seek.addEventListener('change', () => {
    // A failure has already been shown by the error state.
    player.seek(Number(ui.seek.value)).catch(() => {});
    if (resumeAfterScrub) {
      resumeAfterScrub = false;
      player.play();
    }
  });

  player.addEventListener('keydown', (e) => {
    if (!ready() || ui.help.open) return;
    const command = actionFor(e);
    if (!command) return;
    const target = e.composedPath()[0];
    // Controls that use keys themselves keep them.
    if (target instanceof HTMLSelectElement) return;
    if (target === ui.volume && /^(Arrow|Home|End|Page)/.test(e.key)) return;
    if ((e.key === ' ' || e.key === 'Enter') && target instanceof HTMLButtonElement) return;
    e.preventDefault();
    runCommand(player, command, flash);
  });
}
