import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { request } from './support/http.js';
import { STORES, removeDir, spawnServer } from './support/server.js';

const ROUNDS = 6;
// Enough posts at once that the SQLite writer commits them in groups (group commit): each is answered only after its
// group is on disk, so a kill between commits loses only posts that were never acknowledged.
const IN_FLIGHT = 16;

/** The ids stored for the crash test's episode, read straight from the database. */
async function storedIds(kind: string, db: string): Promise<Set<string>> {
  if (kind === 'SQLite') {
    const sqlite = new Database(db);
    try {
      assert.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok');
      const rows = sqlite.prepare("SELECT id FROM comments WHERE episode_id = 'crash-test'").all() as { id: string }[];
      return new Set(rows.map((row) => row.id));
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>("SELECT id::text AS id FROM comments WHERE episode_id = 'crash-test'");
    return new Set(rows.map((row) => row.id));
  } finally {
    await client.end();
  }
}

for (const kind of STORES) {
  describe(`crash safety on ${kind.name}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperledge-crash-'));
    after(() => removeDir(dir));

    it('keeps every acknowledged comment through repeated SIGKILLs of the server', async (t) => {
      const db = await kind.db(dir);
      const acknowledged = new Map<string, string>();
      let attempts = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const server = await spawnServer(['--port', '0', '--db', db, '--posts-per-minute', '1000000']);
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

        const stored = await storedIds(kind.name, db);
        for (const [id, body] of acknowledged) assert.ok(stored.has(id), `after kill ${round}: lost ${body}`);
      }
      t.diagnostic(`${acknowledged.size} comments acknowledged of ${attempts} attempted, none lost over ${ROUNDS} kills`);
      assert.ok(acknowledged.size > ROUNDS * 10, `only ${acknowledged.size} comments were acknowledged`);
    });
  });
}
