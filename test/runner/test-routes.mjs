// Routes the browser tests need from the test server beyond static files:
// responses that fail once or arrive late, to test retries and loading states,
// and the episodes server's pages on this origin.
import { request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { episodesServer } from './comments-server-plugin.mjs';

const failedOnce = new Set();
/** What the episodes server answers, proxied, so its pages are on this origin. */
const EPISODES_SERVER_PATHS = /^\/(?:embed\/|oembed$|v1\/)/;

export async function testRoutes(ctx, next) {
  const url = new URL(ctx.url, 'http://localhost');
  const then = url.searchParams.get('then') ?? '/';
  if (url.pathname.startsWith('/test-api/')) ctx.set('Cache-Control', 'no-store');
  if (url.pathname.startsWith('/test-api/flaky/')) {
    // The first request for a key fails with 503; the next ones get `then`.
    if (!failedOnce.has(url.pathname)) {
      failedOnce.add(url.pathname);
      ctx.status = 503;
      ctx.body = 'Service Unavailable';
      return;
    }
    ctx.redirect(then);
    return;
  }
  if (url.pathname.startsWith('/test-api/wrong-shape/v1/')) {
    // Something between the page and the comments server (a captive portal, a misconfigured proxy, another
    // service at that address) answers 200 with JSON of the wrong shape: the widget must say so, not crash.
    const comment = { id: 'c1', episodeId: 'wrong-shape', author: 'A', body: 42, createdAt: '2026-01-01T00:00:00Z' };
    ctx.set('Content-Type', 'application/json');
    ctx.body = ctx.method === 'POST' ? { comment, deleteToken: 't' } : { comments: [comment], nextCursor: null, total: 1 };
    return;
  }
  if (url.pathname === '/test-api/tone.wav') {
    ctx.set('Content-Type', 'audio/wav');
    ctx.body = toneWav(Number(url.searchParams.get('seconds') ?? 4));
    return;
  }
  if (url.pathname === '/test-api/slow') {
    await new Promise((resolve) => setTimeout(resolve, Number(url.searchParams.get('ms') ?? 3000)));
    ctx.redirect(then);
    return;
  }
  const cdn = /^\/test-api\/cdn\/([a-z-]+)\/dist\/([\w/.-]+\.js)$/.exec(url.pathname);
  if (cdn) {
    // The built files under another path, as a CDN serves them; the bundle fetches its chunks and languages beside
    // itself, so under this path too. The path names one chunk that cannot be fetched there (a CDN hiccup, a
    // blocker), to test what the element shows then, or `all-there`.
    const [, chunk, file] = cdn;
    if (file.startsWith(`chunks/${chunk}-`)) {
      ctx.status = 503;
      ctx.body = 'Service Unavailable';
      return;
    }
    ctx.set('Content-Type', 'text/javascript; charset=utf-8');
    ctx.body = await readFile(new URL(`../../dist/${file}`, import.meta.url));
    return;
  }
  if (url.pathname.startsWith('/demo/audio/') && ctx.get('Range')) {
    // Byte ranges, as any production web server answers them: the browser seeks in a long MP3 without fetching all of it.
    await sendRange(ctx, url.pathname);
    return;
  }
  if (/^\/demo\/[\w-]+\.html$/.test(url.pathname) && url.searchParams.has('axe')) {
    // axe-core in the page's own <head>: a parser-inserted script of this origin, which even the strict-CSP page
    // (script-src 'self', Trusted Types) runs, where a script added from the test could not be.
    const html = await readFile(new URL(`../..${url.pathname}`, import.meta.url), 'utf8');
    ctx.set('Content-Type', 'text/html; charset=utf-8');
    ctx.body = html.replace('</head>', '<script src="/node_modules/axe-core/axe.min.js"></script></head>');
    return;
  }
  const proxied = /^\/test-proxy\/(\d+)(\/.*)$/.exec(ctx.url);
  if (proxied) {
    // A test's own comments server on this origin under /test-proxy/{port}/, as behind a reverse proxy with a path:
    // the test can look inside its pages (the moderation console) as a same-origin host could.
    await proxy(ctx, new URL(`http://127.0.0.1:${proxied[1]}`), proxied[2]);
    return;
  }
  if (EPISODES_SERVER_PATHS.test(url.pathname)) {
    // Behind this proxy, readers reach the server at this origin: it is the server's --public-url.
    await proxy(ctx, new URL(await episodesServer(ctx.origin)));
    return;
  }
  return next();
}

/**
 * Passes the request to the real episodes server and its answer back as is,
 * so a test page can look inside an embed frame as a same-origin host could.
 */
function proxy(ctx, target, path = ctx.url) {
  return new Promise((resolve, reject) => {
    const upstream = request(
      { host: target.hostname, port: target.port, method: ctx.method, path, headers: ctx.req.headers },
      (answer) => {
        ctx.status = answer.statusCode;
        for (const [name, value] of Object.entries(answer.headers)) {
          if (!['connection', 'transfer-encoding', 'keep-alive'].includes(name)) ctx.set(name, value);
        }
        ctx.body = answer;
        resolve();
      },
    );
    upstream.on('error', reject);
    ctx.req.pipe(upstream);
  });
}

/** A mono 16-bit PCM WAV of a 440 Hz tone: real audio for the player tests, made on request. */
function toneWav(seconds) {
  const rate = 8000;
  const samples = Math.round(rate * seconds);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), 44 + i * 2);
  return wav;
}

/** A `206 Partial Content` answer for `bytes=start-end` (or `start-`) of a file under the repository. */
async function sendRange(ctx, path) {
  const file = await readFile(new URL(`../..${path}`, import.meta.url));
  const [, from, to] = /^bytes=(\d*)-(\d*)$/.exec(ctx.get('Range')) ?? [];
  const start = from ? Number(from) : 0;
  const end = Math.min(to ? Number(to) : file.length - 1, file.length - 1);
  if (from === undefined || start > end) {
    ctx.status = 416;
    ctx.set('Content-Range', `bytes */${file.length}`);
    return;
  }
  ctx.status = 206;
  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('Content-Range', `bytes ${start}-${end}/${file.length}`);
  ctx.set('Content-Type', path.endsWith('.mp3') ? 'audio/mpeg' : 'application/octet-stream');
  ctx.body = file.subarray(start, end + 1);
}
