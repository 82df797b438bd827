#!/usr/bin/env node
// A static file server for www/ on 127.0.0.1, with no dependencies.
//
//   node scripts/serve.mjs [--port N] [--delay-ms N]     (PORT from the environment also works;
//                                                         --port 0 picks a free port)
//                          [--allow-origin <origin>]…   other sites the page may fetch dramas
//                                                         from (MANJU_ALLOW_ORIGINS too)
//                          [--cors]                      let other sites' players fetch from here
//
// Browser tests start it in-process:
//   import { serve } from '../../scripts/serve.mjs';
//   const server = await serve({ port: 0 });            // server.url, server.port
//   ...; await server.close();
//
// HTML pages get the strict Content-Security-Policy the player must live under, so the tests
// see what a host site with a CSP would: no inline script or style, and WebAssembly allowed only
// through 'wasm-unsafe-eval'.

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const WWW = path.resolve(HERE, '..', 'www');

/**
 * The page's Content-Security-Policy. `allowOrigins` (origins like `https://cdn.example`)
 * are the other sites a deployment lets the player fetch dramas from; each must also
 * answer with CORS headers (Access-Control-Allow-Origin).
 */
export function contentSecurityPolicy(allowOrigins = []) {
  const extra = allowOrigins.map((o) => ` ${o}`).join('');
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    `img-src 'self' data: blob:${extra}`,
    `media-src 'self' blob: data:${extra}`,
    `connect-src 'self' blob: data:${extra}`,
    "object-src 'none'",
    "base-uri 'none'",
    'frame-ancestors *',
  ].join('; ');
}

export const CSP = contentSecurityPolicy();

/** `https://cdn.example` from an origin or a URL; throws with the reason otherwise. */
export function normalizeOrigin(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--allow-origin: "${text}" is not an origin like https://cdn.example`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`--allow-origin: "${text}" is not an http(s) origin`);
  }
  return url.origin;
}

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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function delayFor(urlPath, delayMs, delays) {
  let ms = delayMs;
  for (const { match, ms: extra } of delays) {
    const hit =
      typeof match === 'function' ? match(urlPath)
        : match instanceof RegExp ? match.test(urlPath)
          : urlPath.includes(match);
    if (hit) ms = Math.max(ms, extra);
  }
  return ms;
}

function isInside(root, file) {
  return file === root || file.startsWith(root + path.sep);
}

function sendText(res, status, text, headers = {}) {
  const body = Buffer.from(text + '\n');
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.length,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

// Parses a single "bytes=a-b" range; returns null for none, 'invalid' for one we can't satisfy.
function parseRange(header, size) {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // several ranges or junk: send it all
  let start;
  let end;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'invalid';
  return { start, end };
}

/**
 * Serves `root` over HTTP. Resolves once listening.
 * @param {object} [options]
 * @param {string} [options.root]   folder to serve (www/ by default)
 * @param {number} [options.port]   0 picks a free port
 * @param {string} [options.host]
 * @param {number} [options.delayMs]  delay before answering every request
 * @param {{match: string|RegExp|((path: string) => boolean), ms: number}[]} [options.delays]
 *   longer delays for matching URL paths (a string matches as a substring), for slow-asset tests
 * @param {(req, res, urlPath: string) => boolean|Promise<boolean>} [options.handler]
 *   called first for every request; return true when it answered the request itself
 * @param {boolean} [options.log]   print one line per request
 * @param {string[]} [options.allowOrigins]  other sites the page may fetch dramas from
 *   (added to its Content-Security-Policy)
 * @param {boolean} [options.cors]  answer every request with Access-Control-Allow-Origin: *
 *   (for a server that hosts dramas for other sites' players)
 * @returns {Promise<{server: import('node:http').Server, port: number, url: string, close: () => Promise<void>}>}
 */
export async function serve({
  root = WWW,
  port = 8080,
  host = '127.0.0.1',
  delayMs = 0,
  delays = [],
  handler = null,
  log = false,
  allowOrigins = [],
  cors = false,
} = {}) {
  const rootDir = await realpath(path.resolve(root));
  const csp = contentSecurityPolicy(allowOrigins.map(normalizeOrigin));

  async function respond(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendText(res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
    }
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return sendText(res, 400, 'Bad Request');
    }
    if (urlPath.includes('\0')) return sendText(res, 400, 'Bad Request');

    const ms = delayFor(urlPath, delayMs, delays);
    if (ms > 0) await sleep(ms);
    if (handler && (await handler(req, res, urlPath))) return;

    let file = path.resolve(rootDir, '.' + path.posix.normalize('/' + urlPath));
    if (!isInside(rootDir, file)) return sendText(res, 404, 'Not Found');
    let info;
    try {
      // A symlink inside root must not lead outside it either.
      file = await realpath(file);
      if (!isInside(rootDir, file)) return sendText(res, 404, 'Not Found');
      info = await stat(file);
      if (info.isDirectory()) {
        if (!urlPath.endsWith('/')) {
          // Relative URLs in the index page resolve against the folder only with the slash.
          const location = new URL(req.url, 'http://localhost');
          return sendText(res, 301, 'Moved Permanently', {
            Location: location.pathname + '/' + location.search,
          });
        }
        file = path.join(file, 'index.html');
        info = await stat(file);
      }
      if (!info.isFile()) return sendText(res, 404, 'Not Found');
    } catch {
      return sendText(res, 404, 'Not Found');
    }

    const type = MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const headers = {
      'Content-Type': type,
      'X-Content-Type-Options': 'nosniff',
      // A development server: always the bytes on disk now, never a stale www/pkg.
      'Cache-Control': 'no-store',
      'Accept-Ranges': 'bytes',
      'Last-Modified': info.mtime.toUTCString(),
    };
    if (type.startsWith('text/html')) headers['Content-Security-Policy'] = csp;
    // A site that hosts dramas for players on other sites.
    if (cors) headers['Access-Control-Allow-Origin'] = '*';

    const size = info.size;
    const range = parseRange(req.headers.range, size);
    if (range === 'invalid') {
      return sendText(res, 416, 'Range Not Satisfiable', { 'Content-Range': `bytes */${size}` });
    }
    let status = 200;
    let start = 0;
    let end = size - 1;
    if (range) {
      status = 206;
      ({ start, end } = range);
      headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    }
    headers['Content-Length'] = size === 0 ? 0 : end - start + 1;
    res.writeHead(status, headers);
    if (req.method === 'HEAD' || size === 0) return res.end();
    const stream = createReadStream(file, { start, end });
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  const server = createServer((req, res) => {
    if (log) {
      res.on('finish', () => console.log(`${res.statusCode} ${req.method} ${req.url}`));
    }
    respond(req, res).catch((err) => {
      if (!res.headersSent) sendText(res, 500, 'Internal Server Error');
      else res.destroy();
      console.error(err);
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    port: actualPort,
    url: `http://${shownHost}:${actualPort}/`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.split('=', 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || !/^\d+$/.test(v)) throw new Error(`${name} needs a number`);
      return Number(v);
    };
    if (name === '--allow-origin') {
      const v = inline ?? argv[++i];
      if (!v) throw new Error('--allow-origin needs an origin, like https://cdn.example');
      (opts.allowOrigins ??= []).push(normalizeOrigin(v));
    } else if (name === '--port') opts.port = value();
    else if (name === '--delay-ms') opts.delayMs = value();
    else if (name === '--log') opts.log = true;
    else if (name === '--cors') opts.cors = true;
    else if (name === '--help' || name === '-h') opts.help = true;
    else throw new Error(`unknown argument: ${arg}`);
  }
  return opts;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`serve: ${err.message}`);
    process.exit(2);
  }
  if (opts.help) {
    console.log('usage: node scripts/serve.mjs [--port N] [--delay-ms N] [--log] [--allow-origin https://cdn.example]… [--cors]\n'
      + '  (PORT=N and MANJU_ALLOW_ORIGINS="https://a.example https://b.example" also work)');
    return;
  }
  const port = opts.port ?? (process.env.PORT ? Number(process.env.PORT) : 8080);
  try {
    for (const o of (process.env.MANJU_ALLOW_ORIGINS ?? '').split(/\s+/).filter(Boolean)) {
      (opts.allowOrigins ??= []).push(normalizeOrigin(o));
    }
    const { url } = await serve({ ...opts, port });
    console.log(`Manju: ${url}`);
  } catch (err) {
    const why = err.code === 'EADDRINUSE' ? `port ${port} is in use (try --port 0)` : err.message;
    console.error(`serve: ${why}`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
