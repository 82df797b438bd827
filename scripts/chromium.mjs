// Debian's headless Chromium as the browser tests and the bench drive it: no sandbox (CI
// runs as root), no GPU, nothing fetched in the background, and a fresh profile (which
// playwright makes).

import { chromium } from 'playwright-core';

/** Launches Chromium; `autoplayPolicy` as Chromium's `--autoplay-policy` switch takes it. */
export function launchChromium({ autoplayPolicy = 'no-user-gesture-required' } = {}) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
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
