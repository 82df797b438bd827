// What the player remembers between visits: volume, mute and how the time reads. Storage
// may be unavailable (private modes, sandboxed frames, a full quota); then nothing is
// remembered.

const KEY = 'manju-player';

/** How the time readout can read: the frame's time, its number, its SMPTE timecode. */
export const READOUTS = ['time', 'frame', 'timecode'];

function saved() {
  try {
    return JSON.parse(globalThis.localStorage?.getItem(KEY) ?? 'null') ?? {};
  } catch {
    return {};
  }
}

export function loadPrefs() {
  const prefs = saved();
  const volume = Number(prefs?.volume);
  return {
    volume: Number.isFinite(volume) ? Math.min(1, Math.max(0, volume)) : 1,
    muted: prefs?.muted === true,
    readout: READOUTS.includes(prefs?.readout) ? prefs.readout : 'time',
  };
}

/** Remembers `changes` ({volume, muted} or {readout}), keeping the rest. */
export function savePrefs(changes) {
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify({ ...saved(), ...changes }));
  } catch {
    // Not remembered this time.
  }
}
