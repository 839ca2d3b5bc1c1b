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
import { EVENTS_KEPT_MS } from './store.js';

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
  parentId: string | null;
  replyToId: string | null;
  replyToAuthor: string | null;
}

export type WriteRequest =
  | { id: number; op: 'insert'; row: InsertRow }
  | { id: number; op: 'remove'; commentId: string }
  | { id: number; op: 'status'; commentId: string; status: 'visible' | 'pending' }
  | { id: number; op: 'report'; commentId: string; reporter: string; at: string; threshold: number }
  | { id: number; op: 'block'; authorKey: string; until: string }
  | { id: number; op: 'claim'; channel: string; now: number; leaseMs: number; limit: number }
  | { id: number; op: 'finish'; seq: number; delivered: boolean; retryAt: number }
  | { id: number; op: 'import'; rows: ImportRow[] }
  | { id: number; op: 'close' };

/** A comment brought in by `import`: no token, no writer's name (it cannot be deleted by a token or blocked). */
export type ImportRow = Omit<InsertRow, 'deleteTokenHash' | 'authorKey'> & { removedAt: string | null };

export type WriteAnswer =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; code: string | undefined; message: string };

/** Each entry upgrades the schema by one version; never edit one that has shipped. */
export const MIGRATIONS: string[] = [
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
  // Replies, one level deep (every existing comment is top-level), a removed comment kept as the place of its
  // replies, and the live events readers are sent, kept a day for those who reconnect.
  `ALTER TABLE comments ADD COLUMN parent_id TEXT;
   ALTER TABLE comments ADD COLUMN reply_to_id TEXT;
   ALTER TABLE comments ADD COLUMN reply_to_author TEXT;
   ALTER TABLE comments ADD COLUMN removed_at TEXT;
   CREATE INDEX comments_top ON comments (episode_id, seq) WHERE parent_id IS NULL;
   CREATE INDEX comments_replies ON comments (parent_id, seq) WHERE parent_id IS NOT NULL;
   CREATE TABLE events (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     episode_id TEXT NOT NULL,
     type TEXT NOT NULL,
     data TEXT NOT NULL,
     at INTEGER NOT NULL
   );
   CREATE INDEX events_by_episode ON events (episode_id, seq);
   CREATE INDEX events_by_time ON events (at);`,
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
  parent_id: string | null;
  reply_to_id: string | null;
  reply_to_author: string | null;
}

/** A comment as readers see it, for live events. */
function publicJson(row: CommentRow): string {
  return JSON.stringify({
    id: row.id,
    episodeId: row.episode_id,
    author: row.author,
    body: row.body,
    createdAt: row.created_at,
    parentId: row.parent_id,
    ...(row.reply_to_id !== null && row.reply_to_author !== null ? { replyTo: { id: row.reply_to_id, author: row.reply_to_author } } : {}),
  });
}

function serve(db: Database.Database, channels: string[]): void {
  const statements = {
    insert: db.prepare<[string, string, string, string, string, string, string, string, string | null, string | null, string | null]>(
      `INSERT INTO comments (id, episode_id, author, body, created_at, delete_token_hash, status, author_key, parent_id, reply_to_id, reply_to_author)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    status: db.prepare<[{ status: string; id: string }], { episode_id: string }>(
      // Approving reviews the reports: the count starts again (each reporter still reports a comment once).
      "UPDATE comments SET status = @status, reports = CASE WHEN @status = 'visible' THEN 0 ELSE reports END WHERE id = @id AND removed_at IS NULL RETURNING episode_id",
    ),
    addReport: db.prepare<[string, string, string]>('INSERT OR IGNORE INTO reports (comment_id, reporter, at) VALUES (?, ?, ?)'),
    countReport: db.prepare<[string], { reports: number; status: string; episode_id: string }>(
      'UPDATE comments SET reports = reports + 1 WHERE id = ? RETURNING reports, status, episode_id',
    ),
    hide: db.prepare<[string]>("UPDATE comments SET status = 'pending' WHERE id = ?"),
    block: db.prepare<[string, string]>('INSERT INTO blocks (author_key, until) VALUES (?, ?) ON CONFLICT (author_key) DO UPDATE SET until = excluded.until'),
    row: db.prepare<[string], CommentRow>(
      'SELECT id, episode_id, author, body, created_at, status, reports, parent_id, reply_to_id, reply_to_author FROM comments WHERE id = ?',
    ),
    event: db.prepare<[string, string, string, number]>('INSERT INTO events (episode_id, type, data, at) VALUES (?, ?, ?, ?)'),
    prune: db.prepare<[number]>('DELETE FROM events WHERE at < ?'),
    hasReplies: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM comments WHERE parent_id = ? LIMIT 1'),
    blank: db.prepare<[string, string]>(
      // Its words and its author go; the row stays as the place its replies hang from, in no listing but as "removed".
      "UPDATE comments SET author = '', body = '', status = 'pending', delete_token_hash = '', reports = 0, removed_at = ? WHERE id = ?",
    ),
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
    importOne: db.prepare(
      `INSERT OR IGNORE INTO comments
         (id, episode_id, author, body, created_at, delete_token_hash, status, author_key, parent_id, reply_to_id, reply_to_author, removed_at)
       VALUES (@id, @episodeId, @author, @body, @createdAt, '', @status, '', @parentId, @replyToId, @replyToAuthor, @removedAt)`,
    ),
  };
  /** One event per channel for the comment as it is now, in the caller's transaction. */
  const notify = (type: string, commentId: string) => {
    if (channels.length === 0) return;
    const row = statements.row.get(commentId)!;
    const comment = { ...JSON.parse(publicJson(row)), status: row.status, reports: row.reports };
    const event = JSON.stringify({ type, comment });
    for (const channel of channels) statements.queue.run(channel, event, new Date().toISOString(), Date.now());
  };
  /** Tells live readers, in the change's own transaction: a comment that became visible, or one that went. */
  const live = (type: 'comment' | 'remove', commentId: string) => {
    const row = statements.row.get(commentId)!;
    const now = Date.now();
    statements.event.run(row.episode_id, type, type === 'comment' ? publicJson(row) : JSON.stringify({ id: row.id }), now);
    statements.prune.run(now - EVENTS_KEPT_MS);
  };
  const insertRow = (row: InsertRow) => {
    statements.insert.run(
      row.id, row.episodeId, row.author, row.body, row.createdAt, row.deleteTokenHash, row.status, row.authorKey, row.parentId, row.replyToId, row.replyToAuthor,
    );
    statements.bump.run(row.episodeId);
    notify(row.status === 'pending' ? 'comment.pending' : 'comment.created', row.id);
    if (row.status === 'visible') live('comment', row.id);
  };
  /**
   * Group commit: the posts that arrived while the last commit was on disk are written in one transaction and one
   * fsync, and each is answered only after that commit. A batch that fails (one bad row) is written again post by
   * post, so one post's error never costs the others theirs.
   */
  const insertBatch = db.transaction((rows: InsertRow[]) => rows.forEach(insertRow));
  const insertOne = db.transaction(insertRow);
  let queued: { id: number; row: InsertRow }[] = [];
  const answer = (id: number, run: () => unknown) => {
    let reply: WriteAnswer;
    try {
      reply = { id, ok: true, value: run() };
    } catch (error) {
      reply = { id, ok: false, code: (error as { code?: string }).code, message: (error as Error).message };
    }
    parentPort!.postMessage(reply);
  };
  const flush = () => {
    const batch = queued;
    queued = [];
    if (batch.length === 0) return;
    try {
      insertBatch.immediate(batch.map((entry) => entry.row));
      for (const entry of batch) parentPort!.postMessage({ id: entry.id, ok: true, value: undefined } satisfies WriteAnswer);
    } catch {
      for (const entry of batch) answer(entry.id, () => insertOne.immediate(entry.row));
    }
  };
  const setStatus = db.transaction((commentId: string, status: string): boolean => {
    const before = statements.row.get(commentId);
    const row = statements.status.get({ status, id: commentId });
    if (!row) return false;
    statements.bump.run(row.episode_id);
    if (before && before.status !== status) live(status === 'visible' ? 'comment' : 'remove', commentId);
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
      live('remove', commentId);
    }
    notify('comment.reported', commentId);
    return hides ? 'hidden' : 'counted';
  });
  const remove = db.transaction((commentId: string): boolean => {
    const row = statements.row.get(commentId);
    if (!row) return false;
    if (row.status === 'visible') live('remove', commentId);
    if (statements.hasReplies.get(commentId)) statements.blank.run(new Date().toISOString(), commentId);
    else statements.remove.run(commentId);
    statements.bump.run(row.episode_id);
    return true;
  });

  const importRows = db.transaction((rows: ImportRow[]) => {
    const counts: Record<string, { inserted: number; skipped: number }> = {};
    for (const row of rows) {
      const count = (counts[row.episodeId] ??= { inserted: 0, skipped: 0 });
      if (statements.importOne.run(row).changes === 1) count.inserted++;
      else count.skipped++;
    }
    for (const [episode, count] of Object.entries(counts)) if (count.inserted > 0) statements.bump.run(episode);
    return counts;
  });

  parentPort!.on('message', (request: WriteRequest) => {
    if (request.op === 'insert') {
      // Messages that arrived together are delivered together, before the next turn's flush: they form the batch.
      if (queued.length === 0) setImmediate(flush);
      queued.push({ id: request.id, row: request.row });
      return;
    }
    // Anything else waits for the posts before it, so the order of writes is the order they were asked for.
    flush();
    if (request.op === 'close') {
      db.close();
      parentPort!.close();
      return;
    }
    answer(request.id, () =>
      request.op === 'import'
        ? importRows.immediate(request.rows)
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
                    : statements.retry.run(request.retryAt, request.seq).changes,
    );
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
