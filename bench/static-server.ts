// A static file server on loopback for the browser benchmarks: the built
// bundle, the fixtures and the bench pages, exactly as an embedder serves them:
// text compressed with gzip, as every web server and CDN sends it (an
// uncompressed bundle is three times the bytes a reader downloads).
import { createReadStream, statSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { createGzip } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.mp3': 'audio/mpeg',
  '.vtt': 'text/vtt; charset=utf-8',
};

export interface StaticOptions {
  /** Pages served from memory by path, such as a demo page rewritten for a benchmark. */
  pages?: Record<string, string>;
  /** Answers first when it claims a request (connect-style): the comments API on the same origin. */
  handle?: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
}

export async function serveStatic(root: string, options: StaticOptions = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    if (options.handle) options.handle(req, res, () => serveFile(req, res));
    else serveFile(req, res);
  });
  const serveFile = (req: IncomingMessage, res: ServerResponse) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const page = options.pages?.[path];
    if (page !== undefined) {
      res.writeHead(200, { 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-store' }).end(page);
      return;
    }
    const file = join(root, path);
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const gzip = /^(text\/|application\/json)/.test(type) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store', Vary: 'Accept-Encoding', ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) });
    const body = createReadStream(file);
    if (gzip) body.pipe(createGzip()).pipe(res);
    else body.pipe(res);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
