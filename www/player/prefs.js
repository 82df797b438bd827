// What the player remembers between visits: volume and mute. Storage may be unavailable
// (private modes, sandboxed frames, a full quota); then nothing is remembered.

const KEY = 'manju-player';

export function loadPrefs() {
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(KEY) ?? 'null');
    const volume = Number(saved?.volume);
    return {
      volume: Number.isFinite(volume) ? Math.min(1, Math.max(0, volume)) : 1,
      muted: saved?.muted === true,
    };
  } catch {
    return { volume: 1, muted: false };
  }
}

export function savePrefs({ volume, muted }) {
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify({ volume, muted }));
  } catch {
    // Not remembered this time.
  }
}
