// The keyboard map, following Plyr, Vidstack and YouTube habits, and the table the `?`
// overlay shows. One place, so the overlay cannot drift from what the keys do.
//
// L is "forward 5 s" as on YouTube; looping the current shot is Shift+L (and `\` for
// layouts where Shift+L is awkward). Letters are matched case-insensitively otherwise,
// so Caps Lock does not change what a key does.

/** What a key does: `{action, arg?}` or null for keys the player leaves alone. */
export function actionFor(e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const key = e.key;
  const letter = key.length === 1 ? key.toLowerCase() : '';
  if (letter === 'l' && e.shiftKey) return { action: 'loopShot' };
  if (key === '\\') return { action: 'loopShot' };
  if (/^[0-9]$/.test(key)) return { action: 'seekFraction', arg: Number(key) / 10 };
  switch (key) {
    case ' ':
      return { action: 'toggle' };
    case 'ArrowLeft':
      return e.shiftKey ? { action: 'stepFrame', arg: -1 } : { action: 'skip', arg: -1 };
    case 'ArrowRight':
      return e.shiftKey ? { action: 'stepFrame', arg: 1 } : { action: 'skip', arg: 1 };
    case ',':
      return { action: 'stepFrame', arg: -1 };
    case '.':
      return { action: 'stepFrame', arg: 1 };
    case 'Home':
      return { action: 'seekFraction', arg: 0 };
    case 'End':
      return { action: 'seekFraction', arg: 1 };
    case '[':
      return { action: 'shot', arg: -1 };
    case ']':
      return { action: 'shot', arg: 1 };
    case '<':
      return { action: 'speed', arg: -1 };
    case '>':
      return { action: 'speed', arg: 1 };
    case '?':
      return { action: 'help' };
    default:
  }
  switch (letter) {
    case 'k':
      return { action: 'toggle' };
    case 'j':
      return { action: 'skip', arg: -5 };
    case 'l':
      return { action: 'skip', arg: 5 };
    case 'm':
      return { action: 'mute' };
    case 'f':
      return { action: 'fullscreen' };
    case 'i':
      return { action: 'loopIn' };
    case 'o':
      return { action: 'loopOut' };
    default:
      return null;
  }
}

/** The `?` overlay: [keys…] and what they do, in the order a reviewer reaches for them. */
export const SHORTCUTS = [
  { keys: ['Space', 'K'], does: 'Play or pause' },
  { keys: ['J', 'L'], does: 'Back or forward 5 seconds' },
  { keys: ['←', '→'], does: 'Back or forward 1 second' },
  { keys: [',', '.'], does: 'One frame back or forward (pauses)' },
  { keys: ['Shift ←', 'Shift →'], does: 'One frame back or forward' },
  { keys: ['[', ']'], does: 'Previous or next shot' },
  { keys: ['Home', 'End'], does: 'Start or end' },
  { keys: ['0', '…', '9'], does: 'Jump to 0 %, 10 % … 90 %' },
  { keys: ['<', '>'], does: 'Slower or faster (0.25× to 2×)' },
  { keys: ['Shift L'], does: 'Loop the current shot (again to stop); also \\' },
  { keys: ['I', 'O'], does: 'Loop from here, loop up to here' },
  { keys: ['M'], does: 'Mute or unmute' },
  { keys: ['F'], does: 'Full screen' },
  { keys: ['?'], does: 'These shortcuts' },
];
