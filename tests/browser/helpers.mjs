// Shared set-up for the browser tests: the page served by a real `manju serve` process,
// Debian's headless Chromium through playwright-core, and small helpers that read the
// page's state. Every page gets an init script (injected by the driver, so the page's
// CSP does not apply to it) that records CSP violations.
//
// A test that needs to answer some requests itself (`handler`) or slow some down
// (`delays`, `delayMs`) gets a small proxy in front of `manju serve`: its own answers
// first, everything else passed through — headers, CSP and all — from the server.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, deflateSync } from 'node:zlib';
import { launchChromium } from '../../scripts/chromium.mjs';
import { createServer, request as httpRequest } from 'node:http';
import { startServer, makeLibrary, cleanup } from '../review/server.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEMO_MANIFEST = path.join(ROOT, 'www', 'demo', 'manifest.json');
/**
 * The native CLI the tests compare the page with: the one `cargo test` builds (the dev
 * profile, in CARGO_TARGET_DIR when that is set), or MANJU_CLI.
 */
export const MANJU_CLI = process.env.MANJU_CLI
  || path.join(process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(ROOT, 'target'), 'debug', 'manju');

/** MIME types for the files a test's own handler serves (manju serve has the same). */
export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8', // wasm-bindgen's .d.ts, for reading only
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.m4a': 'audio/mp4',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.zip': 'application/zip',
};

/** Generous: the first page load instantiates the wasm core and fetches every demo asset. */
export const READY_TIMEOUT_MS = 60_000;

/** Throws with the set-up step to run when the wasm package (or the demo) is missing. */
export function requireBuilt({ demo = true } = {}) {
  const missing = [];
  if (!existsSync(path.join(ROOT, 'www', 'pkg', 'manju.js'))) missing.push('www/pkg/ (run: bash scripts/build-wasm.sh)');
  if (demo && !existsSync(DEMO_MANIFEST)) missing.push('www/demo/manifest.json (the demo drama)');
  if (missing.length) throw new Error(`browser tests need ${missing.join(' and ')}`);
}

/**
 * Starts the server and the browser. Options go to serve() (`handler`, `delays`…); tests
 * that bring their own dramas pass `demo: false`; `autoplayPolicy` is Chromium's
 * (`document-user-activation-required` is what a browser does by default).
 * Returns {server, browser, url, newPage, close}.
 */
export async function start({ demo = true, autoplayPolicy = 'no-user-gesture-required', ...serveOptions } = {}) {
  requireBuilt({ demo });
  const server = await serveForTest(serveOptions);
  const browser = await launchChromium({ autoplayPolicy });
  return {
    server,
    browser,
    url: server.url,
    newPage: (options) => newPage(browser, options),
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * `manju serve` on an empty library (or `library`, from makeLibrary: removed at the end;
 * the page is www/, the demo www/demo/), with the proxy in front when the test answers or
 * delays requests. Options: allowOrigins, cors,
 * handler(req, res, urlPath) → true when it answered, delays [{match, ms}], delayMs.
 * Returns {url, port, close}.
 */
export async function serveForTest({ allowOrigins = [], cors = false, handler = null, delays = [], delayMs = 0, library = makeLibrary({}) } = {}) {
  const args = [...allowOrigins.flatMap((o) => ['--allow-origin', o]), ...(cors ? ['--cors'] : [])];
  // Tests load pages quickly and often: no rate limit to meet.
  const manju = await startServer({ library, args: [...args, '--rate-limit', '100000/100000'] });
  const stopManju = async () => {
    await manju.stop();
    cleanup(library, manju.data);
  };
  if (!handler && delays.length === 0 && delayMs === 0) {
    return { url: manju.url, port: Number(new URL(manju.url).port), close: stopManju, manju };
  }
  const upstream = new URL(manju.url);
  const proxy = createServer(async (req, res) => {
    try {
      let urlPath;
      try {
        urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
      } catch {
        urlPath = req.url;
      }
      let ms = delayMs;
      for (const { match, ms: extra } of delays) {
        const hit = typeof match === 'function' ? match(urlPath)
          : match instanceof RegExp ? match.test(urlPath) : urlPath.includes(match);
        if (hit) ms = Math.max(ms, extra);
      }
      if (ms > 0) await new Promise((r) => setTimeout(r, ms));
      if (handler && (await handler(req, res, urlPath))) return;
      const forward = httpRequest({
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500).end(String(err));
      else res.destroy();
    }
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = proxy.address().port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    manju,
    async close() {
      await new Promise((resolve) => {
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      });
      await stopManju();
    },
  };
}

/**
 * A page in a fresh context, with the recorder installed; `initScript` (a function or
 * source) runs before any of the page's own scripts, with `initArg` as its argument; other
 * options (`hasTouch`, `isMobile`, `deviceScaleFactor`…) go to the browser context.
 * Returns {page, log} where log holds console messages, page errors and CSP violations.
 */
export async function newPage(browser, { initScript, initArg, viewport = { width: 1280, height: 800 }, ...contextOptions } = {}) {
  const context = await browser.newContext({ viewport, ...contextOptions });
  const page = await context.newPage();
  const log = { console: [], errors: [], csp: [] };
  page.on('console', (m) => log.console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.errors.push(e.message));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  if (initScript) await page.addInitScript(initScript, initArg);
  return { page, log, context };
}

/** CSP problems seen by the page: console reports and securitypolicyviolation events. */
export async function cspViolations(page, log) {
  const events = await page.evaluate(() => window.__cspViolations ?? []);
  return [...log.console.filter((m) => /Content Security Policy/i.test(m)), ...events];
}

/** Waits until the player on the page settled (ready or error); returns {state, problems}. */
export async function settled(page) {
  await page.waitForFunction(() => {
    const state = document.getElementById('player')?.state;
    return state === 'ready' || state === 'error';
  }, null, { timeout: READY_TIMEOUT_MS });
  return page.evaluate(() => {
    const p = document.getElementById('player');
    return { state: p.state, problems: p.problems };
  });
}

/** The player's canvas as {width, height, data: number[]} is too large; this returns a digest and samples. */
export async function canvasDigest(page) {
  return page.evaluate(() => {
    const c = document.getElementById('player').canvas;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let hash = 2166136261;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4) {
      hash = Math.imul(hash ^ data[i] ^ (data[i + 1] << 8) ^ (data[i + 2] << 16), 16777619);
      if (i % 4096 === 0) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    }
    return { width: c.width, height: c.height, hash: hash >>> 0, sampledColours: colours.size };
  });
}

/** The RGBA pixel at (x, y) of the player's canvas. */
export function pixelAt(page, x, y) {
  return page.evaluate(([px, py]) => {
    const c = document.getElementById('player').canvas;
    return [...c.getContext('2d').getImageData(px, py, 1, 1).data];
  }, [x, y]);
}

/** Runs the native CLI; throws with its output when it fails. */
export function manju(...args) {
  if (!existsSync(MANJU_CLI)) throw new Error(`${MANJU_CLI} is missing (run: cargo build --bin manju, or set MANJU_CLI)`);
  const run = spawnSync(MANJU_CLI, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`manju ${args.join(' ')} failed (${run.status}):\n${run.stdout}${run.stderr}`);
  return run.stdout;
}

export async function withTempDir(fn) {
  const dir = await mkdtemp(path.join(tmpdir(), 'manju-browser-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}


/** A minimal PNG encoder (8-bit RGBA, no filtering) for fixtures the tests write. */
export function encodePng(width, height, rgbaAt) {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b, a] = rgbaAt(x, y);
      raw.set([r, g, b, a], y * (width * 4 + 1) + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG whose header declares `width`×`height` grey pixels and whose data is junk. */
export function pngDeclaring(width, height, junkBytes = 32_000) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', Buffer.alloc(junkBytes, 0x55)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

let crcTable;
function crc32(bytes) {
  crcTable ??= Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * A minimal zip writer for fixtures: `entries` is [[name, Buffer]]; each is deflated
 * unless `store` is set. `declare` may override an entry's declared {size} (to make a
 * lying header). Names are written as given, however hostile.
 */
export function makeZip(entries, { store = false } = {}) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data, declare = {}] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const body = store ? data : deflateRawSync(data);
    const method = store ? 0 : 8;
    const crc = crc32(data);
    const size = declare.size ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Waits until every asset of the drama on the page is in (`canplaythrough`). */
export async function loadedAll(page) {
  await page.waitForFunction(() => {
    const p = document.getElementById('player');
    return p.state === 'error' || (p.state === 'ready' && p.fullyLoaded);
  }, null, { timeout: READY_TIMEOUT_MS });
}

/**
 * Seeks the page's player to `seconds` and compares the canvas with a PNG (base64),
 * byte for byte: `{differing, maxDelta, first, pixels}` or `{sizeMismatch}`.
 */
export function compareWithPng(page, seconds, pngBase64) {
  return page.evaluate(async ([at, png]) => {
    const player = document.getElementById('player');
    await player.seek(at);
    const canvas = player.canvas;
    const actual = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }), {
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
    });
    if (bitmap.width !== canvas.width || bitmap.height !== canvas.height) {
      return { sizeMismatch: [bitmap.width, bitmap.height, canvas.width, canvas.height] };
    }
    const reference = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
    reference.drawImage(bitmap, 0, 0);
    const want = reference.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let differing = 0;
    let maxDelta = 0;
    let first = null;
    for (let i = 0; i < want.length; i += 4) {
      let delta = 0;
      for (let c = 0; c < 4; c++) delta = Math.max(delta, Math.abs(want[i + c] - actual[i + c]));
      if (delta > 0) {
        differing++;
        maxDelta = Math.max(maxDelta, delta);
        if (!first) {
          const p = i / 4;
          first = { x: p % canvas.width, y: Math.floor(p / canvas.width), want: [...want.slice(i, i + 4)], got: [...actual.slice(i, i + 4)] };
        }
      }
    }
    return { differing, maxDelta, first, pixels: want.length / 4 };
  }, [seconds, pngBase64]);
}
