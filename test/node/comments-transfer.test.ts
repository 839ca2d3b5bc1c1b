// Moving comments in and out with the command line: export then import gives the same listings byte for byte; a
// Disqus export, a WordPress WXR file and an Isso database, made here to their published formats, import with their
// threads, authors and dates, and twice without duplicates. On SQLite and PostgreSQL alike.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { htmlToText, importedId } from '../../server/src/import-formats.js';
import { request } from './support/http.js';
import { STORES, type TestServer, removeDir, runCliToEnd, startTestServer } from './support/server.js';

const ADMIN = 'admin-token-for-tests-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'paperledge-transfer-'));
after(() => removeDir(dir));

const cli = (args: string[]) => runCliToEnd(args);

const list = async (server: TestServer, episode: string) => (await request(server.comments(episode))).text;

const DISQUS = `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <category dsq:id="1"><forum>paperledge</forum><title>General</title><isDefault>true</isDefault></category>
  <thread dsq:id="100">
    <id /><forum>paperledge</forum><category dsq:id="1" />
    <link>https://blog.example.org/2024/12/deepseek-v3/</link>
    <title>DeepSeek-V3, explained</title>
    <createdAt>2024-12-30T10:00:00Z</createdAt>
  </thread>
  <thread dsq:id="200">
    <id /><forum>paperledge</forum><category dsq:id="1" />
    <link>https://blog.example.org/2025/01/old-post-name/?utm_source=x</link>
    <title>Another post</title>
    <createdAt>2025-01-02T10:00:00Z</createdAt>
  </thread>
  <post dsq:id="1001">
    <id /><message><![CDATA[<p>Great episode! The <a href="https://arxiv.org/abs/2412.19437">report</a> is worth a read.</p><p>Second paragraph &amp; more.</p>]]></message>
    <createdAt>2024-12-30T11:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><name>Ada</name><isAnonymous>false</isAnonymous></author>
    <thread dsq:id="100" />
  </post>
  <post dsq:id="1002">
    <id /><message><![CDATA[<p>Agreed.</p>]]></message>
    <createdAt>2024-12-30T12:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><name>Grace</name></author>
    <thread dsq:id="100" /><parent dsq:id="1001" />
  </post>
  <post dsq:id="1003">
    <id /><message><![CDATA[<p>Thanks, Grace.</p>]]></message>
    <createdAt>2024-12-30T13:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><name>Ada</name></author>
    <thread dsq:id="100" /><parent dsq:id="1002" />
  </post>
  <post dsq:id="1004">
    <id /><message><![CDATA[<p>Buy cheap things</p>]]></message>
    <createdAt>2024-12-30T14:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>true</isSpam>
    <author><name>Spammer</name></author>
    <thread dsq:id="100" />
  </post>
  <post dsq:id="1005">
    <id /><message><![CDATA[<p>Taken back.</p>]]></message>
    <createdAt>2024-12-30T15:00:00Z</createdAt><isDeleted>true</isDeleted><isSpam>false</isSpam>
    <author><name>Alan</name></author>
    <thread dsq:id="100" />
  </post>
  <post dsq:id="2001">
    <id /><message><![CDATA[First on the other post.]]></message>
    <createdAt>2025-01-02T11:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><name></name><isAnonymous>true</isAnonymous></author>
    <thread dsq:id="200" />
  </post>
</disqus>
`;

const WXR = `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>A WordPress blog</title>
  <wp:wxr_version>1.2</wp:wxr_version>
  <item>
    <title>Mixture of experts</title>
    <link>https://wp.example.org/mixture-of-experts/</link>
    <wp:post_id>42</wp:post_id>
    <wp:post_name><![CDATA[mixture-of-experts]]></wp:post_name>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <wp:comment>
      <wp:comment_id>7</wp:comment_id>
      <wp:comment_author><![CDATA[Linus]]></wp:comment_author>
      <wp:comment_author_email><![CDATA[linus@example.org]]></wp:comment_author_email>
      <wp:comment_author_IP><![CDATA[203.0.113.9]]></wp:comment_author_IP>
      <wp:comment_date><![CDATA[2024-05-01 12:00:00]]></wp:comment_date>
      <wp:comment_date_gmt><![CDATA[2024-05-01 10:00:00]]></wp:comment_date_gmt>
      <wp:comment_content><![CDATA[Routing is the clever part.<br />See <a href="https://example.org/moe" rel="nofollow">this</a>.]]></wp:comment_content>
      <wp:comment_approved><![CDATA[1]]></wp:comment_approved>
      <wp:comment_type><![CDATA[comment]]></wp:comment_type>
      <wp:comment_parent>0</wp:comment_parent>
      <wp:comment_user_id>0</wp:comment_user_id>
    </wp:comment>
    <wp:comment>
      <wp:comment_id>8</wp:comment_id>
      <wp:comment_author><![CDATA[Barbara]]></wp:comment_author>
      <wp:comment_date_gmt><![CDATA[2024-05-01 11:00:00]]></wp:comment_date_gmt>
      <wp:comment_content><![CDATA[Is it trained jointly?]]></wp:comment_content>
      <wp:comment_approved><![CDATA[1]]></wp:comment_approved>
      <wp:comment_type><![CDATA[]]></wp:comment_type>
      <wp:comment_parent>7</wp:comment_parent>
    </wp:comment>
    <wp:comment>
      <wp:comment_id>9</wp:comment_id>
      <wp:comment_author><![CDATA[Held]]></wp:comment_author>
      <wp:comment_date_gmt><![CDATA[2024-05-01 12:00:00]]></wp:comment_date_gmt>
      <wp:comment_content><![CDATA[Waiting for approval.]]></wp:comment_content>
      <wp:comment_approved><![CDATA[0]]></wp:comment_approved>
      <wp:comment_parent>0</wp:comment_parent>
    </wp:comment>
    <wp:comment>
      <wp:comment_id>10</wp:comment_id>
      <wp:comment_author><![CDATA[Spam]]></wp:comment_author>
      <wp:comment_date_gmt><![CDATA[2024-05-01 13:00:00]]></wp:comment_date_gmt>
      <wp:comment_content><![CDATA[spam]]></wp:comment_content>
      <wp:comment_approved><![CDATA[spam]]></wp:comment_approved>
      <wp:comment_parent>0</wp:comment_parent>
    </wp:comment>
  </item>
</channel>
</rss>
`;

/** An Isso database with Isso's own tables (isso/db/threads.py, isso/db/comments.py). */
function issoDatabase(file: string): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
    CREATE TABLE comments (
      tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER, created FLOAT NOT NULL, modified FLOAT,
      mode INTEGER, remote_addr VARCHAR, text VARCHAR, author VARCHAR, email VARCHAR, website VARCHAR,
      likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL, notification INTEGER DEFAULT 0);`);
  db.prepare("INSERT INTO threads (id, uri, title) VALUES (1, '/episodes/isso-episode/', 'An Isso thread')").run();
  const add = db.prepare("INSERT INTO comments (tid, id, parent, created, mode, remote_addr, text, author, voters) VALUES (1, ?, ?, ?, ?, '198.51.100.0', ?, ?, x'')");
  add.run(1, null, 1700000000.5, 1, 'Markdown *stays* as written.', 'Edsger');
  add.run(2, 1, 1700000100, 1, 'A reply.', 'Tony');
  add.run(3, 2, 1700000200, 1, 'A reply to the reply.', null);
  add.run(4, null, 1700000300, 4, 'deleted', 'Gone');
  add.run(5, null, 1700000400, 2, 'Held for moderation.', 'Waiting');
  db.close();
}

for (const kind of STORES) {
  describe(`export and import on ${kind.name}`, () => {
    let source: TestServer;
    before(async () => {
      source = await startTestServer(['--posts-per-minute', '1000000', '--admin-token', ADMIN, '--max-links', '1'], kind);
    });
    after(async () => {
      await source.close();
      removeDir(source.dir);
    });

    it('exports every comment with its status and thread, and imports them into an empty database with the same listings byte for byte', async () => {
      const post = async (episode: string, body: Record<string, unknown>) => (await request(source.comments(episode), { body })).json.comment as { id: string };
      const top = await post('moved', { author: 'Ada', body: 'Top comment.\nWith two lines & a "quote".' });
      const reply = await post('moved', { author: 'Grace', body: 'A reply.', parentId: top.id });
      await post('moved', { author: 'Ada', body: 'A reply to the reply.', parentId: reply.id });
      const removed = await post('moved', { author: 'Alan', body: 'Removed later.' });
      await post('moved', { author: 'Barbara', body: 'Under the removed one.', parentId: removed.id });
      await request(`${source.url}/v1/comments/${removed.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${ADMIN}` } });
      await post('moved', { author: 'Sam', body: 'Two links wait: https://a.example https://b.example' });
      await post('moved-too', { body: 'Anonymous, on another episode 🎧.' });
      const exported = await cli(['export', '--db', source.dbPath]);
      assert.equal(exported.code, 0, exported.stderr);
      assert.match(exported.stderr, /exported 7 comments/);
      const lines = exported.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.deepEqual(
        lines.map((c) => [c['body'], c['status'], c['parentId'] === null ? 'top' : 'reply', c['removed'] ?? false]),
        [
          ['Top comment.\nWith two lines & a "quote".', 'visible', 'top', false],
          ['A reply.', 'visible', 'reply', false],
          ['A reply to the reply.', 'visible', 'reply', false],
          ['', 'pending', 'top', true],
          ['Under the removed one.', 'visible', 'reply', false],
          ['Two links wait: https://a.example https://b.example', 'pending', 'top', false],
          ['Anonymous, on another episode 🎧.', 'visible', 'top', false],
        ],
      );
      for (const line of lines) {
        assert.deepEqual(Object.keys(line).filter((key) => /hash|key|token|report/i.test(key)), [], 'no hashes, keys or tokens');
      }
      const file = join(dir, `${kind.name}-export.jsonl`);
      writeFileSync(file, exported.stdout);
      const target = await startTestServer([], kind);
      try {
        await target.close();
        const imported = await cli(['import', '--db', target.dbPath, file]);
        assert.equal(imported.code, 0, imported.stderr);
        assert.equal(imported.stdout, `moved: 6 imported\nmoved-too: 1 imported\n7 comments imported from ${file} (jsonl)\n`);
        const again = await cli(['import', '--db', target.dbPath, file]);
        assert.match(again.stdout, /moved: 0 imported, 6 already there/);
        const reopened = await startTestServer([], kind, { dir: target.dir, dbPath: target.dbPath });
        try {
          for (const episode of ['moved', 'moved-too']) assert.equal(await list(reopened, episode), await list(source, episode), episode);
        } finally {
          await reopened.close();
        }
      } finally {
        removeDir(target.dir);
      }
    });

    it('imports into the database of a running server, whose lists show the comments within a second or so', async () => {
      const episode = `imported-live-${kind.name.toLowerCase()}`;
      // Listed once first: the server now holds that thread's version.
      assert.equal((await request(source.comments(episode))).json.total, 0);
      const file = join(dir, `disqus-live-${kind.name}.xml`);
      writeFileSync(file, DISQUS);
      const imported = await cli(['import', '--db', source.dbPath, '--map', `https://blog.example.org/2024/12/deepseek-v3=${episode}`, file]);
      assert.equal(imported.code, 0, imported.stderr);
      const started = Date.now();
      let total = 0;
      while (total === 0 && Date.now() - started < 3000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        total = (await request(source.comments(episode))).json.total;
      }
      assert.ok(total > 0, 'the imported comments were not listed within 3 s');
      assert.ok(Date.now() - started < 2500, `listed after ${Date.now() - started} ms`);
    });

    it('imports a Disqus export with threads, authors and dates, mapped or by slug, skipping spam and deleted posts, twice without duplicates', async () => {
      const file = join(dir, 'disqus.xml');
      writeFileSync(file, DISQUS);
      const target = await startTestServer([], kind);
      await target.close();
      try {
        const args = ['import', '--db', target.dbPath, '--map', 'https://blog.example.org/2024/12/deepseek-v3=deepseek-v3', file];
        const first = await cli(args);
        assert.equal(first.code, 0, first.stderr);
        assert.equal(first.stdout, `deepseek-v3: 3 imported\nold-post-name: 1 imported\n4 comments imported from ${file} (disqus)\n`);
        const second = await cli(args);
        assert.match(second.stdout, /^deepseek-v3: 0 imported, 3 already there\nold-post-name: 0 imported, 1 already there\n0 comments imported/);
        const server = await startTestServer([], kind, { dir: target.dir, dbPath: target.dbPath });
        try {
          const page = JSON.parse(await list(server, 'deepseek-v3')) as { comments: { id: string; author: string; body: string; createdAt: string; parentId: string | null; replyTo?: unknown }[]; total: number };
          assert.equal(page.total, 3);
          assert.deepEqual(
            page.comments.map((c) => [c.author, c.body, c.createdAt, c.parentId === null ? 'top' : 'reply']),
            [
              ['Ada', 'Great episode! The report (https://arxiv.org/abs/2412.19437) is worth a read.\nSecond paragraph & more.', '2024-12-30T11:00:00.000Z', 'top'],
              ['Grace', 'Agreed.', '2024-12-30T12:00:00.000Z', 'reply'],
              ['Ada', 'Thanks, Grace.', '2024-12-30T13:00:00.000Z', 'reply'],
            ],
          );
          assert.equal(page.comments[2]!.parentId, page.comments[0]!.id);
          assert.deepEqual(page.comments[2]!.replyTo, { id: importedId('disqus', '1002'), author: 'Grace' });
          const other = JSON.parse(await list(server, 'old-post-name')) as { comments: { author: string }[] };
          assert.deepEqual(other.comments.map((c) => c.author), ['Anonymous']);
        } finally {
          await server.close();
        }
      } finally {
        removeDir(target.dir);
      }
    });

    it('imports WordPress WXR comments with their threading; only approved ones are public, spam is left out', async () => {
      const file = join(dir, 'wordpress.xml');
      writeFileSync(file, WXR);
      const target = await startTestServer(['--admin-token', ADMIN], kind);
      await target.close();
      try {
        const first = await cli(['import', '--db', target.dbPath, file]);
        assert.equal(first.code, 0, first.stderr);
        assert.equal(first.stdout, `mixture-of-experts: 3 imported\n3 comments imported from ${file} (wxr)\n`);
        assert.match((await cli(['import', '--db', target.dbPath, file])).stdout, /mixture-of-experts: 0 imported, 3 already there/);
        const server = await startTestServer(['--admin-token', ADMIN], kind, { dir: target.dir, dbPath: target.dbPath });
        try {
          const page = JSON.parse(await list(server, 'mixture-of-experts')) as { comments: { author: string; body: string; createdAt: string; parentId: string | null }[] };
          assert.deepEqual(
            page.comments.map((c) => [c.author, c.body, c.createdAt, c.parentId === null]),
            [
              ['Linus', 'Routing is the clever part.\nSee this (https://example.org/moe).', '2024-05-01T10:00:00.000Z', true],
              ['Barbara', 'Is it trained jointly?', '2024-05-01T11:00:00.000Z', false],
            ],
          );
          // The one WordPress held waits for approval here too.
          const pending = await request(`${server.url}/v1/admin/comments?status=pending`, { headers: { Authorization: `Bearer ${ADMIN}` } });
          assert.deepEqual(pending.json.comments.map((c: { author: string }) => c.author), ['Held']);
        } finally {
          await server.close();
        }
      } finally {
        removeDir(target.dir);
      }
    });

    it('imports an Isso database: threads by its URIs, replies folded to one level, deleted ones left out', async () => {
      const file = join(dir, `isso-${kind.name}.db`);
      issoDatabase(file);
      const target = await startTestServer([], kind);
      await target.close();
      try {
        const first = await cli(['import', '--db', target.dbPath, file]);
        assert.equal(first.code, 0, first.stderr);
        assert.equal(first.stdout, `isso-episode: 4 imported\n4 comments imported from ${file} (isso)\n`);
        assert.match((await cli(['import', '--db', target.dbPath, file])).stdout, /isso-episode: 0 imported, 4 already there/);
        const server = await startTestServer([], kind, { dir: target.dir, dbPath: target.dbPath });
        try {
          const page = JSON.parse(await list(server, 'isso-episode')) as { comments: { author: string; body: string; createdAt: string; replyTo?: { author: string } }[] };
          assert.deepEqual(
            page.comments.map((c) => [c.author, c.body, c.createdAt, c.replyTo?.author ?? null]),
            [
              ['Edsger', 'Markdown *stays* as written.', '2023-11-14T22:13:20.500Z', null],
              ['Tony', 'A reply.', '2023-11-14T22:15:00.000Z', null],
              ['Anonymous', 'A reply to the reply.', '2023-11-14T22:16:40.000Z', 'Tony'],
            ],
          );
        } finally {
          await server.close();
        }
      } finally {
        removeDir(target.dir);
      }
    });
  });
}

describe('export and import: mistakes', () => {
  it('names the line of a broken export, and a file whose format cannot be told, with exit status 2', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"id":"11111111-1111-4111-8111-111111111111","episodeId":"ok","parentId":null,"author":"A","body":"b","createdAt":"2025-01-01T00:00:00.000Z","status":"visible"}\nnot json\n');
    const broken = await cli(['import', '--db', join(dir, 'mistakes.db'), bad]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^paperledge-comments: .*bad\.jsonl: line 2: not JSON/);
    const unknown = join(dir, 'notes.txt');
    writeFileSync(unknown, 'plain words');
    const what = await cli(['import', '--db', join(dir, 'mistakes.db'), unknown]);
    assert.equal(what.code, 2);
    assert.match(what.stderr, /cannot tell its format; give --format jsonl, disqus, wxr or isso/);
    const noDb = await cli(['export', '--db', join(dir, 'missing.db')]);
    assert.equal(noDb.code, 2);
    assert.match(noDb.stderr, /--db: there is no database at .*missing\.db/);
    const badMap = await cli(['import', '--db', join(dir, 'mistakes.db'), '--map', 'https://x.example/a=Not An Id', join(dir, 'disqus.xml')]);
    assert.equal(badMap.code, 2);
    assert.match(badMap.stderr, /--map: "https:\/\/x\.example\/a=Not An Id" is not old-url=episode-id/);
  });

  it('takes the episodes from a map file: one old address and episode id a line, comments after #', async () => {
    const file = join(dir, 'disqus-mapped.xml');
    writeFileSync(file, DISQUS);
    const map = join(dir, 'episodes.map');
    writeFileSync(map, '# old address        episode id\nhttps://blog.example.org/2024/12/deepseek-v3/  deepseek-v3\nhttps://blog.example.org/2025/01/old-post-name  renamed-episode\n');
    const result = await cli(['import', '--db', join(dir, 'mapped.db'), '--map-file', map, file]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `deepseek-v3: 3 imported\nrenamed-episode: 1 imported\n4 comments imported from ${file} (disqus)\n`);
    const missing = await cli(['import', '--db', join(dir, 'mapped.db'), '--map-file', join(dir, 'no.map'), file]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--map-file: cannot read .*no\.map \(ENOENT\)/);
  });

  it('turns HTML into the plain text comments are stored as, links kept as text', () => {
    assert.equal(htmlToText('<p>One <b>bold</b> &amp; <a href="https://x.example/y">a link</a></p><p>Two<br>lines</p>'), 'One bold & a link (https://x.example/y)\nTwo\nlines');
    assert.equal(htmlToText('<a href="https://x.example">https://x.example</a>'), 'https://x.example');
    assert.equal(htmlToText('<script>alert(1)</script>Text'), 'Text');
  });
});
