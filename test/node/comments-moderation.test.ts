// Moderation on both stores: pre- and post-moderation, the link and word rules, reader reports, blocks, and the
// owner's API (contract 7.2, 7.3). Real servers on loopback; distinct clients are sockets on distinct addresses.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { foldForMatching } from '../../server/src/moderation.js';
import { request } from './support/http.js';
import { STORES, type TestServer, episodeId, removeDir, startTestServer } from './support/server.js';

const ADMIN = 'admin-token-for-tests-0123456789';
const READERS = ['127.0.0.11', '127.0.0.12', '127.0.0.13', '127.0.0.14'] as const;
const asAdmin = { Authorization: `Bearer ${ADMIN}` };

describe('the blocklist folds text before it compares', () => {
  it('ignores case, accents, look-alike letters and full-width forms, and matches whole words only', () => {
    const phrase = foldForMatching('free money');
    for (const text of ['FREE money!', 'frée mönéy', 'frее mоney' /* Cyrillic е and о */, 'ｆｒｅｅ　ｍｏｎｅｙ', 'get free-money now']) {
      assert.ok(foldForMatching(text).includes(phrase), text);
    }
    assert.ok(!foldForMatching('carefree moneybags').includes(phrase));
    assert.ok(!foldForMatching('a classic').includes(foldForMatching('ass')));
  });
});

for (const kind of STORES) {
  describe(`moderation on ${kind.name}`, () => {
    const servers: TestServer[] = [];
    const start = async (args: string[]) => {
      const server = await startTestServer(['--posts-per-minute', '1000000', '--admin-token', ADMIN, ...args], kind);
      servers.push(server);
      return server;
    };
    let post: TestServer;
    let pre: TestServer;

    before(async () => {
      post = await start(['--max-links', '1', '--report-threshold', '3']);
      pre = await start(['--moderation', 'pre']);
    });

    after(async () => {
      for (const server of servers) {
        await server.close();
        removeDir(server.dir);
      }
    });

    const comment = (server: TestServer, id: string, body: string, localAddress: string = READERS[0]) =>
      request(server.comments(id), { body: { author: 'Reader', body }, localAddress });
    const listed = async (server: TestServer, id: string) => (await request(server.comments(id))).json.comments.map((c: { body: string }) => c.body);
    const admin = (server: TestServer, path: string, body?: unknown) =>
      request(`${server.url}${path}`, { method: body === undefined && !path.includes('/approve') && !path.includes('/hide') ? 'GET' : 'POST', headers: asAdmin, body });

    it('under pre-moderation answers 202 with the comment pending, keeps it out of the list, and shows it to its author only', async () => {
      const id = episodeId();
      const answer = await comment(pre, id, 'First!');
      assert.equal(answer.status, 202);
      assert.equal(answer.json.comment.status, 'pending');
      assert.equal(answer.json.reason, 'pre-moderation');
      assert.deepEqual(await listed(pre, id), []);
      assert.equal((await request(pre.comments(id))).json.total, 0);
      const own = await request(`${pre.url}/v1/comments/${answer.json.comment.id}`, { headers: { Authorization: `Bearer ${answer.json.deleteToken}` } });
      assert.equal(own.status, 200);
      assert.equal(own.json.comment.status, 'pending');
      assert.equal(own.json.comment.body, 'First!');
      // Without its token the comment is not there, exactly as a wrong id.
      for (const headers of [{}, { Authorization: 'Bearer not-the-token' }] as Record<string, string>[]) {
        const other = await request(`${pre.url}/v1/comments/${answer.json.comment.id}`, { headers });
        assert.equal(other.status, 404);
        assert.equal(other.json.error.code, 'not_found');
      }
    });

    it('lets the owner list what waits, approve it, and then everyone sees it', async () => {
      const id = episodeId();
      const waiting = (await comment(pre, id, 'Please approve me')).json.comment;
      const queue = await admin(pre, `/v1/admin/comments?status=pending&episode=${id}`);
      assert.equal(queue.status, 200);
      assert.deepEqual(queue.json.comments.map((c: { id: string }) => c.id), [waiting.id]);
      assert.equal(queue.json.comments[0].status, 'pending');
      assert.ok(queue.json.counts.pending >= 1);
      assert.equal(queue.json.comments[0].authorKey, undefined, 'the writer key never leaves the server');
      const approved = await admin(pre, `/v1/admin/comments/${waiting.id}/approve`);
      assert.equal(approved.status, 200);
      assert.equal(approved.json.comment.status, 'visible');
      assert.deepEqual(await listed(pre, id), ['Please approve me']);
      // And hidden again, it leaves the list.
      assert.equal((await admin(pre, `/v1/admin/comments/${waiting.id}/hide`)).status, 200);
      assert.deepEqual(await listed(pre, id), []);
    });

    it('holds back a comment with more links than --max-links, and one with a blocked word', async () => {
      const id = episodeId();
      assert.equal((await comment(post, id, 'One link is fine: https://arxiv.org/abs/2412.19437')).status, 201);
      const links = await comment(post, id, 'https://spam.example/a and https://spam.example/b');
      assert.equal(links.status, 202);
      assert.equal(links.json.reason, 'links');
      const dir = servers[0]!.dir;
      const list = join(dir, 'blocklist.txt');
      writeFileSync(list, '# words that hold a comment back\nfree money\n\ncasino\n');
      const strict = await start(['--blocklist', list]);
      const word = await comment(strict, id, 'Get FRÉE mоney at the саsino');
      assert.equal(word.status, 202);
      assert.equal(word.json.reason, 'blocked-word');
      assert.equal((await comment(strict, id, 'A carefree listen.')).status, 201);
      assert.deepEqual(await listed(strict, id), ['A carefree listen.']);
    });

    it('hides a comment once three different readers report it, counts each reader once, and the owner can restore it', async () => {
      const id = episodeId();
      const target = (await comment(post, id, 'A rude comment', READERS[0])).json.comment;
      const report = (from: string) => request(`${post.url}/v1/comments/${target.id}/reports`, { method: 'POST', localAddress: from });
      assert.equal((await report(READERS[1])).status, 202);
      assert.equal((await report(READERS[1])).status, 202, 'a second report from the same reader is accepted');
      assert.equal((await report(READERS[2])).status, 202);
      assert.deepEqual(await listed(post, id), ['A rude comment'], 'two readers are not enough');
      assert.equal((await report(READERS[3])).status, 202);
      assert.deepEqual(await listed(post, id), [], 'three readers hide it');
      const reported = await admin(post, `/v1/admin/comments?status=reported&episode=${id}`);
      assert.deepEqual(reported.json.comments.map((c: { id: string; reports: number; status: string }) => [c.id, c.reports, c.status]), [[target.id, 3, 'pending']]);
      await admin(post, `/v1/admin/comments/${target.id}/approve`);
      assert.deepEqual(await listed(post, id), ['A rude comment']);
      // Restored means reviewed: the same readers cannot hide it again.
      for (const reader of READERS.slice(1)) await report(reader);
      assert.deepEqual(await listed(post, id), ['A rude comment']);
      assert.equal((await request(`${post.url}/v1/comments/00000000-0000-4000-8000-000000000000/reports`, { method: 'POST' })).status, 404);
    });

    it('rate-limits reports like posts: --posts-per-minute reports a minute from one reader', async () => {
      const slow = await start(['--posts-per-minute', '2']);
      const id = episodeId();
      const targets: string[] = [];
      for (const reader of READERS.slice(0, 3)) targets.push((await comment(slow, id, `by ${reader}`, reader)).json.comment.id);
      const report = (target: string) => request(`${slow.url}/v1/comments/${target}/reports`, { method: 'POST', localAddress: READERS[3] });
      assert.equal((await report(targets[0]!)).status, 202);
      assert.equal((await report(targets[1]!)).status, 202);
      const limited = await report(targets[2]!);
      assert.equal(limited.status, 429);
      assert.match(limited.json.error.message, /^Too many reports in a minute: wait \d+ seconds? and try again\.$/);
      assert.ok(Number(limited.headers['retry-after']) > 0);
    });

    it('refuses posts from a blocked writer with a 403 that says until when, and only theirs', async () => {
      const id = episodeId();
      const spam = (await comment(post, id, 'Spam', READERS[3])).json.comment;
      const blocked = await admin(post, '/v1/admin/blocks', { commentId: spam.id, days: 7 });
      assert.equal(blocked.status, 201);
      const until = blocked.json.blockedUntil.slice(0, 10);
      const refused = await comment(post, id, 'More spam', READERS[3]);
      assert.equal(refused.status, 403);
      assert.equal(refused.json.error.code, 'blocked');
      assert.equal(refused.json.error.message, `The site's owner has stopped comments from your connection until ${until}. Nothing was posted.`);
      assert.equal((await comment(post, id, 'Not spam', READERS[2])).status, 201);
      assert.deepEqual(await listed(post, id), ['Spam', 'Not spam']);
      for (const bad of [{ commentId: spam.id, days: 0 }, { commentId: spam.id }, { days: 3 }, 'nope']) {
        const answer = await admin(post, '/v1/admin/blocks', bad);
        assert.equal(answer.status, 400, JSON.stringify(bad));
        assert.match(answer.json.error.message, /days|commentId|JSON/);
      }
    });

    it('searches and pages the owner list newest first, across episodes', async () => {
      const [a, b] = [episodeId(), episodeId()];
      for (const [id, body] of [[a, 'needle one'], [b, 'haystack'], [b, 'NEEDLE two'], [a, 'needle 100%']] as const) await comment(post, id, body);
      const first = await admin(post, '/v1/admin/comments?q=needle&limit=2');
      assert.deepEqual(first.json.comments.map((c: { body: string }) => c.body), ['needle 100%', 'NEEDLE two']);
      assert.ok(first.json.total >= 3);
      const next = await admin(post, `/v1/admin/comments?q=needle&limit=2&cursor=${first.json.nextCursor}`);
      assert.equal(next.json.comments[0].body, 'needle one');
      // % is a letter in a search, not a wildcard.
      assert.deepEqual((await admin(post, '/v1/admin/comments?q=100%25')).json.comments.map((c: { body: string }) => c.body), ['needle 100%']);
      assert.equal((await admin(post, '/v1/admin/comments?status=nope')).status, 400);
    });

    it('answers every admin route 401 without a token and 403 with a wrong one', async () => {
      for (const [method, path] of [
        ['GET', '/v1/admin/comments'],
        ['POST', '/v1/admin/comments/x/approve'],
        ['POST', '/v1/admin/comments/x/hide'],
        ['POST', '/v1/admin/blocks'],
      ] as const) {
        const none = await request(`${post.url}${path}`, { method, localAddress: '127.0.0.21' });
        assert.equal(none.status, 401, `${method} ${path}`);
        const wrong = await request(`${post.url}${path}`, { method, headers: { Authorization: 'Bearer wrong-token-0123456789' }, localAddress: '127.0.0.22' });
        assert.equal(wrong.status, 403, `${method} ${path}`);
      }
    });
  });
}
