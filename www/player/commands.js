// What each keyboard action does (./keys.js maps keys to actions), through the player's
// public API only, with a word shown over the picture for the actions whose effect is
// not otherwise visible.

import { formatTime, SPEEDS } from './ui.js';

/**
 * @param player a <manju-player>
 * @param command `{action, arg}` from actionFor
 * @param flash (text) → shows `text` over the picture for a moment
 */
export function runCommand(player, { action, arg }, flash) {
  const t = player.currentTime;
  const shots = player.timeline?.shots ?? [];
  const seek = (to) => player.seek(to).catch(() => {});
  switch (action) {
    case 'toggle':
      if (player.paused) player.play();
      else player.pause();
      break;
    case 'skip':
      seek(t + arg);
      break;
    case 'stepFrame':
      player.stepFrame(arg).catch(() => {});
      break;
    case 'seekFraction':
      seek(player.duration * arg);
      break;
    case 'shot': {
      // By frames: a shot begins on the first frame that shows it, and from that frame
      // "previous" is the shot before.
      const frame = player.currentFrame;
      const first = (shot) => player.firstFrameFrom(shot.start);
      const target = arg < 0
        ? shots.filter((s) => first(s) < frame).at(-1)
        : shots.find((s) => first(s) > frame);
      if (target) {
        player.seekToShow(target.start).catch(() => {});
        flash(target.id);
      } else if (arg < 0) {
        seek(0);
      }
      break;
    }
    case 'speed': {
      const i = SPEEDS.indexOf(player.playbackRate);
      const next = SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, (i < 0 ? SPEEDS.indexOf(1) : i) + arg))];
      player.playbackRate = next;
      flash(`${next}×`);
      break;
    }
    case 'mute':
      player.muted = !player.muted;
      flash(player.muted ? 'Muted' : 'Sound on');
      break;
    case 'fullscreen':
      player.toggleFullscreen();
      break;
    case 'loopShot': {
      const shot = shots.find((s) => t >= s.start && t < s.end) ?? shots.at(-1);
      if (!shot) break;
      const range = player.loopRange;
      const same = range && Math.abs(range.start - shot.start) < 1e-9 && Math.abs(range.end - shot.end) < 1e-9;
      player.loopRange = same ? null : { start: shot.start, end: shot.end };
      flash(same ? 'Loop off' : `Looping shot ${shot.id}`);
      break;
    }
    case 'loopIn': {
      const range = player.loopRange;
      player.loopRange = { start: t, end: range && range.end > t ? range.end : player.duration };
      flash(`Loop from ${formatTime(t)}`);
      break;
    }
    case 'loopOut': {
      const range = player.loopRange;
      player.loopRange = { start: range && range.start < t ? range.start : 0, end: t };
      flash(`Loop up to ${formatTime(t)}`);
      break;
    }
    case 'help':
      player.showShortcuts();
      break;
    default:
  }
}
