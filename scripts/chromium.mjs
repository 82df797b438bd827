// Debian's headless Chromium as the browser tests and the bench drive it: no sandbox (CI
// runs as root), no GPU, nothing fetched in the background, a fresh profile (which
// playwright makes), and the fonts of a bare machine only.
//
// Fonts: the page's look must not depend on what a machine happens to have installed. A
// developer's laptop may have Noto CJK, a CI machine only what Chromium's packages pull in.
// So Chromium runs with a fontconfig of its own that holds exactly DejaVu and Liberation
// (fonts-dejavu-core, fonts-liberation: what a bare Debian with Chromium has); whatever
// else the page shows — Chinese and Japanese above all — must come from the fonts the
// page brings itself (www/fonts/). A machine without those two packages fails here, with
// their names, instead of drawing with something else.

import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** The font folders a bare machine has, and the Debian package each comes from. */
const BARE_FONTS = [
  ['/usr/share/fonts/truetype/dejavu', 'fonts-dejavu-core'],
  ['/usr/share/fonts/truetype/liberation', 'fonts-liberation'],
];

/** What the generic families resolve to (Debian's defaults), and how glyphs are rasterised
 * (Debian's defaults too: grey anti-aliasing, slight hinting), whatever the machine's own
 * fontconfig says. */
const GENERIC = { 'sans-serif': 'DejaVu Sans', sans: 'DejaVu Sans', serif: 'DejaVu Serif', monospace: 'DejaVu Sans Mono' };

/** Writes (once per process) a fontconfig file naming only BARE_FONTS; returns its path. */
let fontConfig = null;
export function bareFontConfig() {
  if (fontConfig) return fontConfig;
  const missing = BARE_FONTS.filter(([dir]) => !existsSync(dir) || !readdirSync(dir).some((f) => /\.(ttf|otf)$/i.test(f)));
  if (missing.length) {
    throw new Error(`the browser tests draw with a bare machine's fonts, and ${missing.map(([dir]) => dir).join(' and ')} ` +
      `is missing: install ${missing.map(([, pkg]) => pkg).join(' ')} (bash scripts/setup.sh does)`);
  }
  const dir = path.join(tmpdir(), `manju-fontconfig-${process.pid}`);
  mkdirSync(path.join(dir, 'cache'), { recursive: true });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'fonts.conf');
  writeFileSync(file, `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
${BARE_FONTS.map(([d]) => `  <dir>${d}</dir>`).join('\n')}
  <cachedir>${path.join(dir, 'cache')}</cachedir>
${Object.keys(GENERIC).map((family) => `  <alias binding="same"><family>${family}</family><prefer><family>${GENERIC[family]}</family></prefer></alias>`).join('\n')}
  <!-- Any family not found (system-ui among them) ends in DejaVu Sans, as Debian's
       49-sansserif.conf and 60-latin.conf make it. -->
  <match target="pattern"><edit name="family" mode="append_last" binding="weak"><string>DejaVu Sans</string></edit></match>
  <match target="font">
    <edit name="antialias" mode="assign"><bool>true</bool></edit>
    <edit name="hinting" mode="assign"><bool>true</bool></edit>
    <edit name="hintstyle" mode="assign"><const>hintslight</const></edit>
    <edit name="rgba" mode="assign"><const>none</const></edit>
    <edit name="lcdfilter" mode="assign"><const>lcddefault</const></edit>
  </match>
</fontconfig>
`);
  fontConfig = file;
  return file;
}

/** Launches Chromium; `autoplayPolicy` as Chromium's `--autoplay-policy` switch takes it. */
export function launchChromium({ autoplayPolicy = 'no-user-gesture-required' } = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (bash scripts/setup.sh does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, FONTCONFIG_FILE: bareFontConfig() },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--autoplay-policy=${autoplayPolicy}`,
    ],
  });
}
