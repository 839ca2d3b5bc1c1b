// The comments server under attack and faults: each test here reproduces a finding of
// the outside review against a real server, and failed on the code before its fix.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PageCache } from '../../server/src/app.js';
import { clientNamer } from '../../server/src/client-key.js';
import { request } from './support/http.js';
import { startCluster } from './support/postgres.js';
import { type TestServer, episodeId, removeDir, spawnServer, startTestServer } from './support/server.js';

/** Resident memory of a process, in MiB, from /proc. */
function residentMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** A test server for the whole suite: started before its tests, closed and removed after them. */
function suiteServer(args: string[]): () => TestServer {
  let server: TestServer | undefined;
  before(async () => {
    server = await startTestServer(args);
  });
  after(async () => {
    await server?.close();
    if (server) removeDir(server.dir);
  });
  return () => server!;
}

describe('memory: the page cache is bounded in bytes and keyed on canonical requests', () => {
  it('stays bounded through hundreds of requests for large pages, padded cursors refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperledge-memory-'));
    const server = await spawnServer(['--port', '0', '--db', join(dir, 'm.db'), '--posts-per-minute', '1000000']);
    try {
      const id = episodeId('big');
      const url = `${server.url}/v1/episodes/${id}/comments`;
      // 200 comments of 5,000 characters: a page of 100 is about 2 MB of JSON in memory.
      for (let i = 0; i < 200; i++) {
        assert.equal((await request(url, { body: { body: `${i} ${'é'.repeat(4990)}` } })).status, 201);
      }
      const firstSeq = Number((await request(`${url}?limit=1`)).json.nextCursor);
      for (let i = 0; i < 20; i++) await request(`${url}?limit=100&cursor=${firstSeq + i}`);
      const before = residentMiB(server.child.pid!);
      let refused = 0;
      for (let i = 0; i < 300; i++) {
        // The attack: one page under ever new keys (padded cursors), and many distinct large pages.
        const padded = await request(`${url}?limit=100&cursor=${'0'.repeat(i + 1)}${firstSeq}`);
        if (padded.status === 400) refused++;
        assert.equal((await request(`${url}?limit=100&cursor=${firstSeq + (i % 150)}`)).status, 200);
      }
      const grown = residentMiB(server.child.pid!) - before;
      assert.equal(refused, 300, 'padded cursors are refused');
      // The cache holds at most 16 MiB of pages; the old one grew by hundreds of MiB here.
      assert.ok(grown < 80, `resident memory grew by ${grown.toFixed(0)} MiB`);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      removeDir(dir);
    }
  });

  it('drops the pages of older versions and the least recently used pages beyond its byte limit', () => {
    const cache = new PageCache(1000);
    cache.set('a v1 p1', 'a', 1, 'x'.repeat(100));
    cache.set('a v1 p2', 'a', 1, 'x'.repeat(100));
    cache.set('b v1 p1', 'b', 1, 'y'.repeat(100));
    assert.equal(cache.bytes, 600);
    cache.set('a v2 p1', 'a', 2, 'z'.repeat(100));
    assert.equal(cache.get('a v1 p1'), undefined);
    assert.equal(cache.get('a v1 p2'), undefined);
    assert.equal(cache.get('b v1 p1'), 'y'.repeat(100));
    // A page of an older version than one already stored is not kept.
    cache.set('a v1 p3', 'a', 1, 'old');
    assert.equal(cache.get('a v1 p3'), undefined);
    for (let i = 0; i < 10; i++) cache.set(`c ${i}`, 'c', 1, 'w'.repeat(100));
    assert.ok(cache.bytes <= 1000);
    assert.equal(cache.get('b v1 p1'), undefined, 'the least recently used page went first');
    assert.equal(cache.get('c 9'), 'w'.repeat(100));
  });

  it('keeps the page read most recently, also when it is read over and over', () => {
    const cache = new PageCache(300);
    cache.set('a', 'e', 1, 'x'.repeat(50));
    cache.set('b', 'e', 1, 'x'.repeat(50));
    cache.set('c', 'e', 1, 'x'.repeat(50));
    for (let i = 0; i < 3; i++) assert.equal(cache.get('a'), 'x'.repeat(50));
    cache.set('d', 'e', 1, 'x'.repeat(50));
    assert.equal(cache.get('b'), undefined, 'b was the least recently used');
    assert.equal(cache.get('a'), 'x'.repeat(50));
    // The page at the end dropped (a newer version), the next read of another page still moves that page.
    cache.set('a', 'e', 2, 'y'.repeat(50));
    assert.equal(cache.get('c'), undefined);
    assert.equal(cache.get('a'), 'y'.repeat(50));
    cache.set('f', 'e', 2, 'y'.repeat(50));
    cache.set('g', 'e', 2, 'y'.repeat(50));
    assert.equal(cache.get('a'), 'y'.repeat(50));
    cache.set('h', 'e', 2, 'y'.repeat(50));
    assert.equal(cache.get('f'), undefined, 'f went before a, which was read after it');
    assert.equal(cache.get('a'), 'y'.repeat(50));
  });
});

describe('the SQLite store never blocks reads on a write', () => {
  const suite = suiteServer(['--posts-per-minute', '1000000']);
  let server: TestServer;
  before(() => {
    server = suite();
  });

  it('answers health and reads within 200 ms while another connection holds the write lock; the waiting post gets 503 with Retry-After and is not stored', async () => {
    const id = episodeId('locked');
    await request(server.comments(id), { body: { body: 'before the lock' } });
    const other = new Database(server.dbPath);
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    try {
      const posting = request(server.comments(id), { body: { body: 'waits for the lock' } });
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (let i = 0; i < 5; i++) {
        let started = performance.now();
        const health = await request(`${server.url}/v1/health`);
        assert.equal(health.status, 200);
        assert.ok(performance.now() - started < 200, `health took ${performance.now() - started} ms`);
        started = performance.now();
        const list = await request(server.comments(id));
        assert.equal(list.json.total, 1);
        assert.ok(performance.now() - started < 200, `a read took ${performance.now() - started} ms`);
      }
      const refused = await posting;
      assert.equal(refused.status, 503);
      assert.equal(refused.json.error.code, 'busy');
      assert.ok(Number(refused.headers['retry-after']) > 0);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const after = await request(server.comments(id), { body: { body: 'after the lock' } });
    assert.equal(after.status, 201);
    const bodies = (await request(server.comments(id))).json.comments.map((comment: { body: string }) => comment.body);
    assert.deepEqual(bodies, ['before the lock', 'after the lock']);
  });

  it('says in /v1/health when the disk is full or read-only, and answers posts with 503 there, never losing what it had', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to mount a small tmpfs');
    const mountPoint = mkdtempSync(join(tmpdir(), 'paperledge-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mountPoint]);
    const small = await startTestServer(['--posts-per-minute', '1000000', '--db', join(mountPoint, 'c.db')]);
    const id = episodeId('disk');
    try {
      assert.equal((await request(small.comments(id), { body: { body: 'kept' } })).status, 201);
      assert.equal((await request(`${small.url}/v1/health`)).status, 200);
      // Fill the disk.
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${join(mountPoint, 'filler')}`, 'bs=64k'], { stdio: 'ignore' });
      } catch {
        // dd stops when the disk is full: that is the point.
      }
      const full = await request(`${small.url}/v1/health`);
      assert.equal(full.status, 503);
      assert.equal(full.json.error.code, 'storage_unavailable');
      assert.match(full.json.error.message, /full/);
      const refused = await request(small.comments(id), { body: { body: 'x'.repeat(4000) } });
      assert.equal(refused.status, 503);
      assert.ok(Number(refused.headers['retry-after']) > 0);
      execFileSync('rm', [join(mountPoint, 'filler')]);
      assert.equal((await request(`${small.url}/v1/health`)).status, 200);
      assert.deepEqual((await request(small.comments(id))).json.comments.map((c: { body: string }) => c.body), ['kept']);
      assert.equal((await request(small.comments(id), { body: { body: 'after' } })).status, 201);
    } finally {
      await small.close();
      execFileSync('umount', [mountPoint]);
      removeDir(mountPoint);
      removeDir(small.dir);
    }
  });
});

describe('a read-only database', () => {
  it('is reported by /v1/health with 503, and cleared when the operator makes it writable again', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to run the server as another user, since root may write read-only files');
    const dir = mkdtempSync(join(tmpdir(), 'paperledge-ro-'));
    chmodSync(dir, 0o777);
    // As the postgres user (there for the test clusters): a mode that forbids writing binds it, as it would the server's own user.
    const server = await spawnServer(['--port', '0', '--db', join(dir, 'c.db')], {}, ['runuser', '-u', 'postgres', '--']);
    try {
      assert.equal((await request(`${server.url}/v1/episodes/ro/comments`, { body: { body: 'kept' } })).status, 201);
      chmodSync(join(dir, 'c.db'), 0o444);
      chmodSync(dir, 0o555);
      const readOnly = await request(`${server.url}/v1/health`);
      assert.equal(readOnly.status, 503);
      assert.match(readOnly.json.error.message, /read-only/);
      chmodSync(dir, 0o777);
      chmodSync(join(dir, 'c.db'), 0o666);
      assert.equal((await request(`${server.url}/v1/health`)).status, 200);
      assert.equal((await request(`${server.url}/v1/episodes/ro/comments`)).json.total, 1);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      chmodSync(dir, 0o777);
      removeDir(dir);
    }
  });
});

describe('PostgreSQL with timeouts', () => {
  it('answers 503 within the timeouts when the database stops answering, and recovers when it is back', { timeout: 60_000 }, async () => {
    const cluster = await startCluster();
    const pid = Number(readFileSync(join(cluster.dataDir!, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const server = await startTestServer(['--posts-per-minute', '1000000'], {
      name: 'PostgreSQL (own cluster)',
      db: async () => cluster.url,
      age: async () => {},
      files: async () => [],
      dump: async () => '',
    });
    const id = episodeId('stopped');
    try {
      assert.equal((await request(server.comments(id), { body: { body: 'before' } })).status, 201);
      // SIGSTOP freezes the postmaster and every backend: connections hang, nothing answers.
      const backends = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').map(Number);
      for (const process_ of [pid, ...backends]) process.kill(process_, 'SIGSTOP');
      try {
        let started = performance.now();
        const health = await request(`${server.url}/v1/health`);
        assert.equal(health.status, 503);
        assert.ok(performance.now() - started < 3000, `health took ${performance.now() - started} ms`);
        started = performance.now();
        const posted = await request(server.comments(id), { body: { body: 'while stopped' } });
        assert.equal(posted.status, 503);
        assert.ok(Number(posted.headers['retry-after']) > 0);
        assert.ok(performance.now() - started < 8000, `the post took ${performance.now() - started} ms`);
      } finally {
        for (const process_ of [pid, ...backends]) process.kill(process_, 'SIGCONT');
      }
      // The post that timed out was rolled back, not committed after its client gave up.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      const { rows } = await client.query<{ body: string }>('SELECT body FROM comments WHERE episode_id = $1 ORDER BY seq', [id]);
      await client.end();
      assert.deepEqual(rows.map((row) => row.body), ['before']);
      assert.equal((await request(`${server.url}/v1/health`)).status, 200);
      assert.equal((await request(server.comments(id), { body: { body: 'after' } })).status, 201);
    } finally {
      await server.close();
      removeDir(server.dir);
      cluster.stop();
    }
  });
});

describe('clients', () => {
  const suite = suiteServer(['--posts-per-minute', '3']);
  let server: TestServer;
  before(() => {
    server = suite();
  });

  it('counts a client that resets its connection right after its body under its own address, not a shared "unknown"', async () => {
    const id = episodeId('reset');
    const { port } = new URL(server.url);
    const body = JSON.stringify({ body: 'sent, then the connection is reset' });
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: Number(port), localAddress: '127.0.0.5' }, () => {
          socket.write(
            `POST /v1/episodes/${id}/comments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
          );
          socket.resetAndDestroy();
          resolve();
        });
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stored = (await request(server.comments(id))).json.total as number;
    // Whatever was stored counted against 127.0.0.5: together with its next posts, never more than 3 a minute.
    for (let i = stored; i < 3; i++) assert.equal((await request(server.comments(id), { body: { body: 'again' }, localAddress: '127.0.0.5' })).status, 201);
    assert.equal((await request(server.comments(id), { body: { body: 'one too many' }, localAddress: '127.0.0.5' })).status, 429);
    // Another client is unaffected.
    assert.equal((await request(server.comments(id), { body: { body: 'someone else' }, localAddress: '127.0.0.6' })).status, 201);
  });

  it('builds no URL from an absolute-form request line either', async () => {
    const episodes = await startTestServer(['--episodes', new URL('../../demo/episodes/', import.meta.url).pathname]);
    try {
      const { port } = new URL(episodes.url);
      const answer = await new Promise<string>((resolve) => {
        let text = '';
        const socket = connect({ host: '127.0.0.1', port: Number(port) }, () => {
          socket.end(
            `GET http://attacker.example/oembed?url=${encodeURIComponent('http://attacker.example/embed/deepseek-v3')} HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n`,
          );
        });
        socket.on('data', (chunk) => (text += chunk));
        socket.on('end', () => resolve(text));
      });
      assert.match(answer, /^HTTP\/1\.1 404/);
      assert.ok(!/<iframe[^"]*"http:\/\/attacker/.test(answer));
    } finally {
      await episodes.close();
      removeDir(episodes.dir);
    }
  });

  it('names a client differently each day, so names do not link visits across days', () => {
    let now = Date.parse('2026-11-29T23:59:59Z');
    const name = clientNamer(Buffer.alloc(32, 7), () => now);
    const today = name('203.0.113.7');
    assert.equal(name('203.0.113.7'), today);
    now += 2000;
    assert.notEqual(name('203.0.113.7'), today);
    assert.match(today, /^[\w-]{32}$/);
  });
});

describe('stopping: a stop always ends', () => {
  /** A raw connection, to hold a request half sent and to send the next one on the same connection. */
  function rawConnection(url: string) {
    const { port } = new URL(url);
    let text = '';
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    return { socket, ended, text: () => text };
  }
  const body = JSON.stringify({ body: 'sent across a shutdown' });
  const halfPost = (id: string) =>
    `POST /v1/episodes/${id}/comments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 5)}`;

  it('refuses a live stream asked for on a kept-alive connection after the stop began, rather than keeping it open forever', async () => {
    const server = await startTestServer();
    try {
      const id = episodeId('stopping');
      const raw = rawConnection(server.url);
      raw.socket.write(halfPost(id));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      const closed = server.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The rest of the post, and on the same connection, as a browser reuses one, the reader's stream.
      raw.socket.write(`${body.slice(5)}GET /v1/episodes/${id}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
      await closed;
      await raw.ended;
      const answers = raw.text().split(/(?=HTTP\/1\.1 )/);
      assert.match(answers[0]!, /^HTTP\/1\.1 201/, 'the post in flight is finished');
      assert.match(answers[1]!, /^HTTP\/1\.1 503/);
      assert.match(answers[1]!, /"code":"stopping"/);
      assert.match(answers[1]!, /Retry-After: 5/i);
      assert.ok(Date.now() - started < 5000, `the stop took ${Date.now() - started} ms`);
    } finally {
      removeDir(server.dir);
    }
  });

  it('closes a connection still busy after the grace period, and says so in the log', async () => {
    const server = await startTestServer([], undefined, { shutdownGraceMs: 500 });
    try {
      const raw = rawConnection(server.url);
      // A post whose body never comes, as from a client that stalled mid-upload.
      raw.socket.write(halfPost(episodeId('stalled')));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      await server.close();
      await raw.ended;
      const took = Date.now() - started;
      assert.ok(took >= 450 && took < 5000, `the stop took ${took} ms`);
      assert.ok(server.logLines.includes('stopping: 1 connection still busy after 0.5 s, closed'), server.logLines.join('\n'));
    } finally {
      removeDir(server.dir);
    }
  });
});
