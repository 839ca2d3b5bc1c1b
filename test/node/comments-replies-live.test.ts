// Replies one level deep, and live events (SSE with Last-Event-ID), on SQLite and PostgreSQL alike; then two server
// processes on one PostgreSQL database, each seeing the other's comments live.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { MIGRATIONS as POSTGRES_MIGRATIONS } from '../../server/src/postgres-store.js';
import { MIGRATIONS as SQLITE_MIGRATIONS } from '../../server/src/sqlite-writer.js';
import { request } from './support/http.js';
import { createDatabase } from './support/postgres.js';
import { STORES, type TestServer, episodeId, removeDir, startTestServer } from './support/server.js';
import { openStream } from './support/sse.js';

const ADMIN = 'admin-token-for-tests-0123456789';
const admin = { Authorization: `Bearer ${ADMIN}` };

for (const kind of STORES) {
  describe(`replies and live events on ${kind.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(['--posts-per-minute', '1000000', '--admin-token', ADMIN, '--max-event-streams-per-client', '3'], kind, { heartbeatMs: 300 });
    });
    after(async () => {
      await server.close();
      removeDir(server.dir);
    });

    const post = async (id: string, body: string, extra: Record<string, unknown> = {}) => {
      const answer = await request(server.comments(id), { body: { body, author: body.split(' ')[0], ...extra } });
      assert.equal(answer.status, 201, answer.text);
      return answer.json.comment as { id: string; parentId: string | null; replyTo?: { id: string; author: string } };
    };
    const list = async (id: string, query = '') => (await request(`${server.comments(id)}${query}`)).json;

    describe('replies', () => {
      it('attaches a reply to its comment, and a reply to a reply to the same top-level comment, naming whom it answers', async () => {
        const id = episodeId('replies');
        const top = await post(id, 'Ada asks a question');
        const reply = await post(id, 'Grace answers it', { parentId: top.id });
        assert.equal(reply.parentId, top.id);
        assert.equal(reply.replyTo, undefined);
        const answer = await post(id, 'Ada thanks Grace', { parentId: reply.id });
        assert.equal(answer.parentId, top.id);
        assert.deepEqual(answer.replyTo, { id: reply.id, author: 'Grace' });
        const other = await post(id, 'Linus starts another thread');
        const page = await list(id);
        assert.deepEqual(
          page.comments.map((c: { body: string; parentId: string | null }) => [c.body, c.parentId]),
          [
            ['Ada asks a question', null],
            ['Grace answers it', top.id],
            ['Ada thanks Grace', top.id],
            ['Linus starts another thread', null],
          ],
        );
        assert.equal(page.total, 4);
        assert.equal(other.parentId, null);
      });

      it('pages by top-level comments, each page bringing its replies along', async () => {
        const id = episodeId('paging');
        const tops = [];
        for (const n of [1, 2, 3]) {
          const top = await post(id, `Top ${n}`);
          tops.push(top);
          await post(id, `Reply ${n}a`, { parentId: top.id });
          await post(id, `Reply ${n}b`, { parentId: top.id });
        }
        const first = await list(id, '?limit=2');
        assert.deepEqual(first.comments.map((c: { body: string }) => c.body), ['Top 1', 'Reply 1a', 'Reply 1b', 'Top 2', 'Reply 2a', 'Reply 2b']);
        assert.equal(first.total, 9);
        assert.ok(first.nextCursor);
        const second = await list(id, `?limit=2&cursor=${first.nextCursor}`);
        assert.deepEqual(second.comments.map((c: { body: string }) => c.body), ['Top 3', 'Reply 3a', 'Reply 3b']);
        assert.equal(second.nextCursor, null);
      });

      it('refuses a parentId that is not a visible comment of this episode, naming the field', async () => {
        const id = episodeId('parent');
        const elsewhere = await post(episodeId('elsewhere'), 'Somewhere else');
        for (const parentId of [elsewhere.id, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
          const answer = await request(server.comments(id), { body: { body: 'Reply', parentId } });
          assert.equal(answer.status, 400);
          assert.equal(answer.json.error.code, 'parent_not_found');
          assert.equal(answer.json.error.field, 'parentId');
          assert.match(answer.json.error.message, /reload the comments/);
        }
        const badType = await request(server.comments(id), { body: { body: 'Reply', parentId: 7 } });
        assert.equal(badType.status, 400);
        assert.equal(badType.json.error.field, 'parentId');
      });

      it('keeps replies readable under "removed" when their comment is deleted or hidden, and drops it when the replies go', async () => {
        const id = episodeId('removed');
        const deleted = await post(id, 'Deleted with replies');
        const reply = await post(id, 'Still readable', { parentId: deleted.id });
        const hidden = await post(id, 'Hidden with replies');
        await post(id, 'Also readable', { parentId: hidden.id });
        const alone = await post(id, 'Deleted alone');
        assert.equal((await request(`${server.url}/v1/comments/${deleted.id}`, { method: 'DELETE', headers: admin })).status, 204);
        assert.equal((await request(`${server.url}/v1/admin/comments/${hidden.id}/hide`, { method: 'POST', headers: admin })).status, 200);
        assert.equal((await request(`${server.url}/v1/comments/${alone.id}`, { method: 'DELETE', headers: admin })).status, 204);
        const page = await list(id);
        assert.deepEqual(
          page.comments.map((c: { body: string; author: string; removed?: true }) => [c.body, c.author, c.removed ?? false]),
          [
            ['', '', true],
            ['Still readable', 'Still', false],
            ['', '', true],
            ['Also readable', 'Also', false],
          ],
        );
        assert.equal(page.total, 2);
        // Nothing of the deleted comment is left for the owner to moderate.
        const pending = await request(`${server.url}/v1/admin/comments?status=pending&episode=${id}`, { headers: admin });
        assert.deepEqual(pending.json.comments.map((c: { body: string }) => c.body), ['Hidden with replies']);
        assert.equal((await request(`${server.url}/v1/comments/${reply.id}`, { method: 'DELETE', headers: admin })).status, 204);
        assert.deepEqual((await list(id)).comments.map((c: { body: string }) => c.body), ['', 'Also readable']);
      });
    });

    describe('live events', () => {
      it('streams comments as they become visible and removals, each with an id, plus heartbeats', async () => {
        const id = episodeId('live');
        const stream = await openStream(`${server.url}/v1/episodes/${id}/events`);
        try {
          assert.equal(stream.status, 200);
          assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
          await stream.next('ready');
          const top = await post(id, 'Live one');
          const event = await stream.next('comment');
          assert.match(event.id ?? '', /^[1-9]\d*$/);
          assert.deepEqual(JSON.parse(event.data), (await list(id)).comments[0]);
          const reply = await post(id, 'Live reply', { parentId: top.id });
          assert.equal(JSON.parse((await stream.next('comment')).data).parentId, top.id);
          await request(`${server.url}/v1/admin/comments/${reply.id}/hide`, { method: 'POST', headers: admin });
          assert.deepEqual(JSON.parse((await stream.next('remove')).data), { id: reply.id });
          await request(`${server.url}/v1/admin/comments/${reply.id}/approve`, { method: 'POST', headers: admin });
          assert.equal(JSON.parse((await stream.next('comment')).data).id, reply.id);
          await stream.next(':comment', 2000);
        } finally {
          stream.close();
        }
      });

      it('sends a new stream only what is written after it opened, even when no one was listening before', async () => {
        const id = episodeId('fresh');
        for (const body of ['Before one', 'Before two', 'Before three']) await post(id, body);
        const stream = await openStream(`${server.url}/v1/episodes/${id}/events`);
        try {
          await stream.next('ready');
          await post(id, 'After');
          assert.equal(JSON.parse((await stream.next('comment')).data).body, 'After');
          await new Promise((resolve) => setTimeout(resolve, 300));
          assert.deepEqual(stream.events.filter((e) => e.event === 'comment').map((e) => JSON.parse(e.data).body), ['After']);
        } finally {
          stream.close();
        }
      });

      it('sends what a reader missed when it comes back with Last-Event-ID, and only its own episode', async () => {
        const id = episodeId('missed');
        const first = await openStream(`${server.url}/v1/episodes/${id}/events`);
        await first.next('ready');
        await post(id, 'Seen');
        const seen = await first.next('comment');
        first.close();
        await post(id, 'Missed one');
        await post(episodeId('other'), 'Another episode');
        await post(id, 'Missed two');
        const back = await openStream(`${server.url}/v1/episodes/${id}/events`, { 'Last-Event-ID': seen.id! });
        try {
          const one = await back.next('comment');
          const two = await back.next('comment');
          assert.deepEqual([JSON.parse(one.data).body, JSON.parse(two.data).body], ['Missed one', 'Missed two']);
          assert.ok(Number(two.id) > Number(one.id));
        } finally {
          back.close();
        }
        // The same through the query, for a page that opens a new stream itself.
        const again = await openStream(`${server.url}/v1/episodes/${id}/events?lastEventId=${seen.id}`);
        try {
          assert.equal(JSON.parse((await again.next('comment')).data).body, 'Missed one');
        } finally {
          again.close();
        }
      });

      it('tells a reader to reload when its Last-Event-ID is not one this server has, and refuses one that is not a number', async () => {
        const id = episodeId('reset');
        const stream = await openStream(`${server.url}/v1/episodes/${id}/events`, { 'Last-Event-ID': '999999999' });
        try {
          await stream.next('reset');
        } finally {
          stream.close();
        }
        const bad = await openStream(`${server.url}/v1/episodes/${id}/events?lastEventId=x1`);
        assert.equal(bad.status, 400);
        assert.equal(JSON.parse(await bad.text()).error.code, 'invalid_last_event_id');
      });

      if (kind.name === 'PostgreSQL') {
        it('sends an event whose transaction committed after a later one (numbers can commit out of order across processes)', async () => {
          const id = episodeId('order');
          const stream = await openStream(`${server.url}/v1/episodes/${id}/events`);
          const event = (body: string) => [id, 'comment', JSON.stringify({ id: body, episodeId: id, author: 'A', body, createdAt: new Date().toISOString(), parentId: null }), Date.now()];
          const early = new pg.Client({ connectionString: server.dbPath });
          const late = new pg.Client({ connectionString: server.dbPath });
          await Promise.all([early.connect(), late.connect()]);
          try {
            await stream.next('ready');
            await early.query('BEGIN');
            await early.query('INSERT INTO events (episode_id, type, data, at) VALUES ($1, $2, $3, $4)', event('first number, committed last'));
            await late.query('INSERT INTO events (episode_id, type, data, at) VALUES ($1, $2, $3, $4)', event('second number, committed first'));
            await late.query('NOTIFY paperledge_events');
            assert.equal(JSON.parse((await stream.next('comment')).data).body, 'second number, committed first');
            await early.query('COMMIT');
            await early.query('NOTIFY paperledge_events');
            assert.equal(JSON.parse((await stream.next('comment', 3000)).data).body, 'first number, committed last');
          } finally {
            stream.close();
            await Promise.all([early.end(), late.end()]);
          }
        });
      }

      it('answers 503 with Retry-After beyond the streams one client may hold, and takes one again when one closes', async () => {
        const id = episodeId('cap');
        const open = [];
        for (let i = 0; i < 3; i++) {
          const stream = await openStream(`${server.url}/v1/episodes/${id}/events`);
          await stream.next('ready');
          open.push(stream);
        }
        const refused = await openStream(`${server.url}/v1/episodes/${id}/events`);
        assert.equal(refused.status, 503);
        assert.equal(refused.headers.get('retry-after'), '30');
        assert.equal(JSON.parse(await refused.text()).error.code, 'too_many_streams');
        open.pop()!.close();
        let taken;
        for (let attempt = 0; attempt < 50; attempt++) {
          taken = await openStream(`${server.url}/v1/episodes/${id}/events`);
          if (taken.status === 200) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.equal(taken!.status, 200);
        taken!.close();
        for (const stream of open) stream.close();
      });
    });
  });
}

describe('migration to replies keeps every comment', () => {
  it('SQLite: a database at schema 4 opens with its comments as top-level ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperledge-migrate-'));
    const file = join(dir, 'comments.db');
    const db = new Database(file);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    SQLITE_MIGRATIONS.slice(0, 4).forEach((sql, i) => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(i + 1, new Date().toISOString());
    });
    db.prepare("INSERT INTO comments (id, episode_id, author, body, created_at, delete_token_hash) VALUES ('11111111-1111-4111-8111-111111111111', 'old', 'Ada', 'Before replies', '2025-01-01T00:00:00.000Z', '')").run();
    db.close();
    const server = await startTestServer([], STORES[0], { dir, dbPath: file });
    try {
      const page = (await request(server.comments('old'))).json;
      assert.deepEqual(page.comments, [
        { id: '11111111-1111-4111-8111-111111111111', episodeId: 'old', author: 'Ada', body: 'Before replies', createdAt: '2025-01-01T00:00:00.000Z', parentId: null },
      ]);
    } finally {
      await server.close();
      removeDir(dir);
    }
  });

  it('PostgreSQL: a database at schema 4 opens with its comments as top-level ones', async () => {
    const url = await createDatabase();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)');
    for (const [i, sql] of POSTGRES_MIGRATIONS.slice(0, 4).entries()) {
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations VALUES ($1, now())', [i + 1]);
    }
    await client.query(
      "INSERT INTO comments (id, episode_id, author, body, created_at, delete_token_hash) VALUES ('11111111-1111-4111-8111-111111111111', 'old', 'Ada', 'Before replies', '2025-01-01T00:00:00Z', '')",
    );
    await client.end();
    const server = await startTestServer([], STORES[1], { dbPath: url });
    try {
      const page = (await request(server.comments('old'))).json;
      assert.deepEqual(page.comments.map((c: { body: string; parentId: null }) => [c.body, c.parentId]), [['Before replies', null]]);
    } finally {
      await server.close();
      removeDir(server.dir);
    }
  });
});

describe('two server processes on one PostgreSQL database', () => {
  it('a reader connected to one sees a comment posted through the other within two seconds', async () => {
    const url = await createDatabase();
    const a = await startTestServer(['--posts-per-minute', '1000'], STORES[1], { dbPath: url });
    const b = await startTestServer(['--posts-per-minute', '1000'], STORES[1], { dbPath: url, dir: mkdtempSync(join(tmpdir(), 'paperledge-b-')) });
    const id = episodeId('shared');
    const stream = await openStream(`${a.url}/v1/episodes/${id}/events`);
    try {
      await stream.next('ready');
      const started = Date.now();
      const posted = await request(b.comments(id), { body: { body: 'Posted through B' } });
      assert.equal(posted.status, 201);
      const event = await stream.next('comment', 2000);
      assert.equal(JSON.parse(event.data).body, 'Posted through B');
      assert.ok(Date.now() - started < 2000);
    } finally {
      stream.close();
      await a.close();
      await b.close();
      removeDir(a.dir);
      removeDir(b.dir);
    }
  });
});
