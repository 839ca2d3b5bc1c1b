import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Comment, CommentPage } from 'paperledge-widgets/model';
import { type CommentStore, type NewComment, type PostResult, type RateLimit, type StoredComment, newComment } from './store.js';

/** Each entry upgrades the schema by one version; never edit one that has shipped. */
const MIGRATIONS: string[] = [
  `CREATE TABLE comments (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     episode_id TEXT NOT NULL,
     author TEXT NOT NULL,
     body TEXT NOT NULL,
     created_at TEXT NOT NULL,
     delete_token_hash TEXT NOT NULL
   );
   CREATE INDEX comments_by_episode ON comments (episode_id, seq);
   CREATE TABLE episode_versions (episode_id TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID;
   CREATE TABLE rate_hits (client TEXT NOT NULL, at INTEGER NOT NULL);
   CREATE INDEX rate_hits_by_client ON rate_hits (client, at);
   CREATE INDEX rate_hits_by_time ON rate_hits (at);
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`,
];

interface Row {
  seq: number;
  id: string;
  episode_id: string;
  author: string;
  body: string;
  created_at: string;
  delete_token_hash: string;
}

function toComment(row: Row): Comment {
  return { id: row.id, episodeId: row.episode_id, author: row.author, body: row.body, createdAt: row.created_at };
}

const CURSOR = /^[0-9]{1,15}$/;

/** Comments in one SQLite file: WAL, `synchronous=FULL`, every write in a transaction. */
export class SqliteStore implements CommentStore {
  readonly #db: Database.Database;
  readonly #statements;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('foreign_keys = ON');
    this.#migrate();
    const db = this.#db;
    this.#statements = {
      page: db.prepare<[string, number, number], Row>(
        'SELECT * FROM comments WHERE episode_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      total: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM comments WHERE episode_id = ?'),
      version: db.prepare<[string], { version: number }>('SELECT version FROM episode_versions WHERE episode_id = ?'),
      bump: db.prepare<[string]>(
        `INSERT INTO episode_versions (episode_id, version) VALUES (?, 1)
         ON CONFLICT (episode_id) DO UPDATE SET version = version + 1`,
      ),
      insert: db.prepare<[string, string, string, string, string, string]>(
        'INSERT INTO comments (id, episode_id, author, body, created_at, delete_token_hash) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      find: db.prepare<[string], Row>('SELECT * FROM comments WHERE id = ?'),
      remove: db.prepare<[string]>('DELETE FROM comments WHERE id = ?'),
      prune: db.prepare<[number]>('DELETE FROM rate_hits WHERE at <= ?'),
      hits: db.prepare<[string, number], { n: number; oldest: number | null }>(
        'SELECT count(*) AS n, min(at) AS oldest FROM rate_hits WHERE client = ? AND at > ?',
      ),
      hit: db.prepare<[string, number]>('INSERT INTO rate_hits (client, at) VALUES (?, ?)'),
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)'),
    };
  }

  #migrate(): void {
    const db = this.#db;
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    // IMMEDIATE takes the write lock first, so two processes starting together migrate once.
    db.transaction(() => {
      const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
      const current = row.v ?? 0;
      if (current > MIGRATIONS.length) {
        throw new Error(`The database is at schema version ${current}, newer than this server knows (${MIGRATIONS.length}).`);
      }
      MIGRATIONS.slice(current).forEach((sql, i) => {
        db.exec(sql);
        db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(current + i + 1, new Date().toISOString());
      });
    }).immediate();
  }

  isCursor(cursor: string): boolean {
    return CURSOR.test(cursor);
  }

  async list(episodeId: string, limit: number, cursor: string | null): Promise<CommentPage<Comment>> {
    const s = this.#statements;
    return this.#db.transaction(() => {
      const rows = s.page.all(episodeId, cursor === null ? 0 : Number(cursor), limit + 1);
      const more = rows.length > limit;
      const page = more ? rows.slice(0, limit) : rows;
      return {
        comments: page.map(toComment),
        nextCursor: more ? String(page[page.length - 1]!.seq) : null,
        total: s.total.get(episodeId)!.n,
      };
    })();
  }

  async version(episodeId: string): Promise<number> {
    return this.#statements.version.get(episodeId)?.version ?? 0;
  }

  async post(comment: NewComment, rate: RateLimit): Promise<PostResult> {
    const s = this.#statements;
    const now = Date.now();
    return this.#db.transaction((): PostResult => {
      s.prune.run(now - rate.windowMs);
      const { n, oldest } = s.hits.get(rate.client, now - rate.windowMs)!;
      if (n >= rate.limit) return { retryAfterMs: Math.max(0, (oldest ?? now) + rate.windowMs - now) };
      s.hit.run(rate.client, now);
      const stored = newComment(comment);
      s.insert.run(stored.id, stored.episodeId, stored.author, stored.body, stored.createdAt, comment.deleteTokenHash);
      s.bump.run(stored.episodeId);
      return { comment: stored };
    }).immediate();
  }

  async find(id: string): Promise<StoredComment | undefined> {
    const row = this.#statements.find.get(id);
    return row && { ...toComment(row), deleteTokenHash: row.delete_token_hash };
  }

  async remove(id: string): Promise<boolean> {
    const s = this.#statements;
    return this.#db.transaction(() => {
      const row = s.find.get(id);
      if (!row) return false;
      s.remove.run(id);
      s.bump.run(row.episode_id);
      return true;
    }).immediate();
  }

  async secret(): Promise<string> {
    const s = this.#statements;
    s.setMeta.run('client_hash_key', randomBytes(32).toString('hex'));
    return s.getMeta.get('client_hash_key')!.value;
  }

  /** `PRAGMA integrity_check`: "ok" when the file is sound. */
  integrityCheck(): string {
    return this.#db.pragma('integrity_check', { simple: true }) as string;
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
