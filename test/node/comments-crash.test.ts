import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { request } from './support/http.js';
import { removeDir, spawnServer } from './support/server.js';

const ROUNDS = 6;
const IN_FLIGHT = 4;

describe('crash safety on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paperledge-crash-'));
  const dbPath = join(dir, 'comments.db');
  after(() => removeDir(dir));

  it('keeps every acknowledged comment through repeated SIGKILLs, and the file stays sound', async () => {
    const acknowledged = new Map<string, string>();
    let attempts = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const server = await spawnServer(['--port', '0', '--db', dbPath, '--posts-per-minute', '1000000']);
      const url = `${server.url}/v1/episodes/crash-test/comments`;

      // Everything acknowledged before this restart must be listed by the restarted server.
      const listed = new Set<string>();
      for (let cursor: string | null = null, first = true; first || cursor; first = false) {
        const page = await request(`${url}?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(page.status, 200);
        for (const comment of page.json.comments) listed.add(comment.id);
        cursor = page.json.nextCursor;
      }
      for (const [id, body] of acknowledged) assert.ok(listed.has(id), `round ${round}: lost acknowledged comment ${body}`);

      let killed = false;
      const poster = async () => {
        while (!killed) {
          const body = `round ${round} post ${attempts++}`;
          try {
            const answer = await request(url, { body: { body } });
            if (answer.status === 201) acknowledged.set(answer.json.comment.id, body);
          } catch {
            // The connection died with the server: not acknowledged, so not owed.
          }
        }
      };
      const posters = Array.from({ length: IN_FLIGHT }, poster);
      await new Promise((resolve) => setTimeout(resolve, 250 + Math.random() * 400));
      server.child.kill('SIGKILL');
      const exit = await server.exited;
      killed = true;
      await Promise.all(posters);
      assert.equal(exit.signal, 'SIGKILL');

      const db = new Database(dbPath);
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      const rows = db.prepare("SELECT id FROM comments WHERE episode_id = 'crash-test'").all() as { id: string }[];
      const stored = new Set(rows.map((row) => row.id));
      for (const [id, body] of acknowledged) assert.ok(stored.has(id), `after kill ${round}: lost ${body}`);
      db.close();
    }
    assert.ok(acknowledged.size > ROUNDS * 10, `only ${acknowledged.size} comments were acknowledged`);
  });
});
