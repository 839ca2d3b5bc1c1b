// The framework's ceiling: a bare hello-world on the same HTTP stack as the
// comments server (Hono on @hono/node-server), in its own process.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.json({ ok: true }));
// The fair ceiling for reads: the same framework sending a page of 50 comments, as large as the server's, from memory,
// with the headers the server's list sends (its CORS headers too: the same bytes on the wire).
const page = JSON.stringify({
  comments: Array.from({ length: 50 }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    episodeId: 'bench',
    author: 'Anonymous',
    body: `seed ${i}`,
    createdAt: new Date(Date.UTC(2026, 10, 30, 0, 0, i)).toISOString(),
    parentId: null,
  })),
  nextCursor: null,
  total: 50,
});
app.get('/page', (c) =>
  c.body(page, 200, {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': 'ETag,Retry-After',
    ETag: '"1.50."',
    'Cache-Control': 'no-cache',
    'Content-Type': 'application/json',
  }),
);
const server = createServer(getRequestListener(app.fetch));
server.listen(0, '127.0.0.1', () => {
  console.log(`hello-world listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
