/**
 * The SQLite write connection, on a worker thread of its own. A write waits for
 * the file's lock and for its fsync here, never on the server's event loop, so
 * reads and `/v1/health` keep answering while a write waits. The worker also
 * migrates the schema before anything reads.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface WriterOptions {
  path: string;
  /** How long a write waits for another connection's lock before it gives up (SQLITE_BUSY). */
  busyTimeoutMs: number;
  /** The notification channels: each change that tells the owner something queues one event per channel. */
  channels: string[];
}

export interface InsertRow {
  id: string;
  episodeId: string;
  author: string;
  body: string;
  createdAt: string;
  deleteTokenHash: string;
  status: 'visible' | 'pending';
  authorKey: string;
}

export type WriteRequest =
  | { id: number; op: 'insert'; row: InsertRow }
  | { id: number; op: 'remove'; commentId: string }
  | { id: number; op: 'status'; commentId: string; status: 'visible' | 'pending' }
  | { id: number; op: 'report'; commentId: string; reporter: string; at: string; threshold: number }
  | { id: number; op: 'block'; authorKey: string; until: string }
  | { id: number; op: 'claim'; channel: string; now: number; leaseMs: number; limit: number }
  | { id: number; op: 'finish'; seq: number; delivered: boolean; retryAt: number }
  | { id: number; op: 'close' };

export type WriteAnswer =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; code: string | undefined; message: string };

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
  // The key that named clients moves out of the file, and rate limits into memory: the file alone can no longer
  // be searched for addresses, nor rate-limit times lined up with comments.
  `DELETE FROM meta WHERE key = 'client_hash_key';
   DROP TABLE rate_hits;`,
  // Moderation: a comment can wait for approval; readers report; the owner blocks a writer (by keyed name, never an address).
  `ALTER TABLE comments ADD COLUMN status TEXT NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'pending'));
   ALTER TABLE comments ADD COLUMN author_key TEXT NOT NULL DEFAULT '';
   ALTER TABLE comments ADD COLUMN reports INTEGER NOT NULL DEFAULT 0;
   CREATE INDEX comments_public ON comments (episode_id, status, seq);
   CREATE INDEX comments_by_status ON comments (status, seq);
   CREATE TABLE reports (
     comment_id TEXT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
     reporter TEXT NOT NULL,
     at TEXT NOT NULL,
     PRIMARY KEY (comment_id, reporter)
   ) WITHOUT ROWID;
   CREATE TABLE blocks (author_key TEXT PRIMARY KEY, until TEXT NOT NULL) WITHOUT ROWID;`,
  // Notifications: written in the comment's own transaction, delivered afterwards, so none is lost to a crash.
  `CREATE TABLE outbox (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     channel TEXT NOT NULL,
     event TEXT NOT NULL,
     created_at TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     due_at INTEGER NOT NULL,
     delivered_at TEXT
   );
   CREATE INDEX outbox_due ON outbox (channel, due_at) WHERE delivered_at IS NULL;`,
];

function open({ path, busyTimeoutMs }: WriterOptions): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('foreign_keys = ON');
  // Deleted comments and freed pages are overwritten, not left readable in the file.
  db.pragma('secure_delete = ON');
  migrate(db);
  return db;
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  let from = 0;
  // IMMEDIATE takes the write lock first, so two processes starting together migrate once.
  db.transaction(() => {
    const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
    from = row.v ?? 0;
    if (from > MIGRATIONS.length) {
      throw new Error(`The database is at schema version ${from}, newer than this server knows (${MIGRATIONS.length}).`);
    }
    MIGRATIONS.slice(from).forEach((sql, i) => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(from + i + 1, new Date().toISOString());
    });
  }).immediate();
  if (from >= 1 && from < 2) {
    // Rewrite the file without the old key and rate-limit rows, and empty the WAL that still held them.
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

interface CommentRow {
  id: string;
  episode_id: string;
  author: string;
  body: string;
  created_at: string;
  status: string;
  reports: number;
}

function serve(db: Database.Database, channels: string[]): void {
  const statements = {
    insert: db.prepare<[string, string, string, string, string, string, string, string]>(
      'INSERT INTO comments (id, episode_id, author, body, created_at, delete_token_hash, status, author_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    status: db.prepare<[{ status: string; id: string }], { episode_id: string }>(
      // Approving reviews the reports: the count starts again (each reporter still reports a comment once).
      "UPDATE comments SET status = @status, reports = CASE WHEN @status = 'visible' THEN 0 ELSE reports END WHERE id = @id RETURNING episode_id",
    ),
    addReport: db.prepare<[string, string, string]>('INSERT OR IGNORE INTO reports (comment_id, reporter, at) VALUES (?, ?, ?)'),
    countReport: db.prepare<[string], { reports: number; status: string; episode_id: string }>(
      'UPDATE comments SET reports = reports + 1 WHERE id = ? RETURNING reports, status, episode_id',
    ),
    hide: db.prepare<[string]>("UPDATE comments SET status = 'pending' WHERE id = ?"),
    block: db.prepare<[string, string]>('INSERT INTO blocks (author_key, until) VALUES (?, ?) ON CONFLICT (author_key) DO UPDATE SET until = excluded.until'),
    row: db.prepare<[string], CommentRow>('SELECT id, episode_id, author, body, created_at, status, reports FROM comments WHERE id = ?'),
    queue: db.prepare<[string, string, string, number]>('INSERT INTO outbox (channel, event, created_at, due_at) VALUES (?, ?, ?, ?)'),
    claim: db.prepare<[number, string, number, number], { seq: number; channel: string; event: string; attempts: number }>(
      `UPDATE outbox SET due_at = ?, attempts = attempts + 1
       WHERE seq IN (SELECT seq FROM outbox WHERE channel = ? AND delivered_at IS NULL AND due_at <= ? ORDER BY seq LIMIT ?)
       RETURNING seq, channel, event, attempts`,
    ),
    delivered: db.prepare<[string, number]>('UPDATE outbox SET delivered_at = ? WHERE seq = ?'),
    retry: db.prepare<[number, number]>('UPDATE outbox SET due_at = ? WHERE seq = ?'),
    bump: db.prepare<[string]>(
      `INSERT INTO episode_versions (episode_id, version) VALUES (?, 1)
       ON CONFLICT (episode_id) DO UPDATE SET version = version + 1`,
    ),
    episodeOf: db.prepare<[string], { episode_id: string }>('SELECT episode_id FROM comments WHERE id = ?'),
    remove: db.prepare<[string]>('DELETE FROM comments WHERE id = ?'),
  };
  /** One event per channel for the comment as it is now, in the caller's transaction. */
  const notify = (type: string, commentId: string) => {
    if (channels.length === 0) return;
    const row = statements.row.get(commentId)!;
    const comment = { id: row.id, episodeId: row.episode_id, author: row.author, body: row.body, createdAt: row.created_at, status: row.status, reports: row.reports };
    const event = JSON.stringify({ type, comment });
    for (const channel of channels) statements.queue.run(channel, event, new Date().toISOString(), Date.now());
  };
  const insert = db.transaction((row: InsertRow) => {
    statements.insert.run(row.id, row.episodeId, row.author, row.body, row.createdAt, row.deleteTokenHash, row.status, row.authorKey);
    statements.bump.run(row.episodeId);
    notify(row.status === 'pending' ? 'comment.pending' : 'comment.created', row.id);
  });
  const setStatus = db.transaction((commentId: string, status: string): boolean => {
    const row = statements.status.get({ status, id: commentId });
    if (!row) return false;
    statements.bump.run(row.episode_id);
    return true;
  });
  const report = db.transaction((commentId: string, reporter: string, at: string, threshold: number): string => {
    if (!statements.episodeOf.get(commentId)) return 'missing';
    if (statements.addReport.run(commentId, reporter, at).changes === 0) return 'already';
    const row = statements.countReport.get(commentId)!;
    const hides = row.status === 'visible' && row.reports >= threshold;
    if (hides) {
      statements.hide.run(commentId);
      statements.bump.run(row.episode_id);
    }
    notify('comment.reported', commentId);
    return hides ? 'hidden' : 'counted';
  });
  const remove = db.transaction((commentId: string): boolean => {
    const row = statements.episodeOf.get(commentId);
    if (!row) return false;
    statements.remove.run(commentId);
    statements.bump.run(row.episode_id);
    return true;
  });

  parentPort!.on('message', (request: WriteRequest) => {
    if (request.op === 'close') {
      db.close();
      parentPort!.close();
      return;
    }
    let answer: WriteAnswer;
    try {
      const value =
        request.op === 'insert'
          ? insert.immediate(request.row)
          : request.op === 'remove'
            ? remove.immediate(request.commentId)
            : request.op === 'status'
              ? setStatus.immediate(request.commentId, request.status)
              : request.op === 'report'
                ? report.immediate(request.commentId, request.reporter, request.at, request.threshold)
                : request.op === 'block'
                  ? statements.block.run(request.authorKey, request.until).changes
                  : request.op === 'claim'
                    ? statements.claim.all(request.now + request.leaseMs, request.channel, request.now, request.limit)
                    : request.delivered
                      ? statements.delivered.run(new Date().toISOString(), request.seq).changes
                      : statements.retry.run(request.retryAt, request.seq).changes;
      answer = { id: request.id, ok: true, value };
    } catch (error) {
      answer = { id: request.id, ok: false, code: (error as { code?: string }).code, message: (error as Error).message };
    }
    parentPort!.postMessage(answer);
  });
}

if (parentPort) {
  let db: Database.Database | undefined;
  try {
    db = open(workerData as WriterOptions);
  } catch (error) {
    parentPort.postMessage({ type: 'failed', message: (error as Error).message } satisfies WriteAnswer);
  }
  if (db) {
    serve(db, (workerData as WriterOptions).channels);
    parentPort.postMessage({ type: 'ready' } satisfies WriteAnswer);
  }
}
