import pg from 'pg';
import type { Comment, CommentPage } from 'paperledge-widgets/model';
import {
  ADMIN_FILTERS,
  type AdminComment,
  type AdminQuery,
  type Channel,
  type OutboxItem,
  type CommentStatus,
  type CommentStore,
  type Health,
  type NewComment,
  type PostResult,
  type RateLimit,
  type ReportResult,
  type StoredComment,
  type LiveEvent,
  type ImportCounts,
  type TransferComment,
  transferFields,
  type ReplyColumns,
  EVENTS_KEPT_MS,
  likePattern,
  newComment,
  replyFields,
  threadPage,
} from './store.js';

/**
 * Comments in PostgreSQL, for several server processes behind one database.
 * Everything that must hold across processes lives in the database: comments,
 * delete-token hashes, the per-episode version behind the ETag and rate-limit
 * hits (kept one window long, under names keyed by a secret that is not in the
 * database). A commit returns only once PostgreSQL has it durably (its default
 * `synchronous_commit = on`). Every wait has a limit: a database that stops
 * answering gives `503` in seconds, and its unfinished transactions roll back.
 */

/** Each entry upgrades the schema by one version; never edit one that has shipped. */
export const MIGRATIONS: string[] = [
  `CREATE TABLE comments (
     seq BIGSERIAL PRIMARY KEY,
     id UUID NOT NULL UNIQUE,
     episode_id TEXT NOT NULL,
     author TEXT NOT NULL,
     body TEXT NOT NULL,
     created_at TIMESTAMPTZ NOT NULL,
     delete_token_hash TEXT NOT NULL
   );
   CREATE INDEX comments_by_episode ON comments (episode_id, seq);
   CREATE TABLE episode_versions (episode_id TEXT PRIMARY KEY, version BIGINT NOT NULL);
   CREATE TABLE rate_hits (client TEXT NOT NULL, at BIGINT NOT NULL);
   CREATE INDEX rate_hits_by_client ON rate_hits (client, at);
   CREATE INDEX rate_hits_by_time ON rate_hits (at);
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // The key that named clients moves out of the database (see client-key.ts); hits under the old names are dropped.
  `DELETE FROM meta WHERE key = 'client_hash_key';
   TRUNCATE rate_hits;`,
  // Moderation: a comment can wait for approval; readers report; the owner blocks a writer (by keyed name, never an address).
  `ALTER TABLE comments ADD COLUMN status TEXT NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'pending'));
   ALTER TABLE comments ADD COLUMN author_key TEXT NOT NULL DEFAULT '';
   ALTER TABLE comments ADD COLUMN reports INTEGER NOT NULL DEFAULT 0;
   CREATE INDEX comments_public ON comments (episode_id, status, seq);
   CREATE INDEX comments_by_status ON comments (status, seq);
   CREATE TABLE reports (
     comment_id UUID NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
     reporter TEXT NOT NULL,
     at TIMESTAMPTZ NOT NULL,
     PRIMARY KEY (comment_id, reporter)
   );
   CREATE TABLE blocks (author_key TEXT PRIMARY KEY, until TIMESTAMPTZ NOT NULL);`,
  // Notifications: written in the comment's own transaction, delivered afterwards, so none is lost to a crash.
  `CREATE TABLE outbox (
     seq BIGSERIAL PRIMARY KEY,
     channel TEXT NOT NULL,
     event JSONB NOT NULL,
     created_at TIMESTAMPTZ NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     due_at BIGINT NOT NULL,
     delivered_at TIMESTAMPTZ
   );
   CREATE INDEX outbox_due ON outbox (channel, due_at) WHERE delivered_at IS NULL;`,
  // Replies, one level deep (every existing comment is top-level), a removed comment kept as the place of its
  // replies, and the live events readers are sent, kept a day for those who reconnect.
  `ALTER TABLE comments ADD COLUMN parent_id UUID;
   ALTER TABLE comments ADD COLUMN reply_to_id UUID;
   ALTER TABLE comments ADD COLUMN reply_to_author TEXT;
   ALTER TABLE comments ADD COLUMN removed_at TIMESTAMPTZ;
   CREATE INDEX comments_top ON comments (episode_id, seq) WHERE parent_id IS NULL;
   CREATE INDEX comments_replies ON comments (parent_id, seq) WHERE parent_id IS NOT NULL;
   CREATE TABLE events (
     seq BIGSERIAL PRIMARY KEY,
     episode_id TEXT NOT NULL,
     type TEXT NOT NULL,
     data TEXT NOT NULL,
     at BIGINT NOT NULL
   );
   CREATE INDEX events_by_episode ON events (episode_id, seq);
   CREATE INDEX events_by_time ON events (at);`,
];

/** The channel of `NOTIFY` that wakes every process's hub. */
const EVENTS_CHANNEL = 'paperledge_events';
/** Marks a transaction that wrote live events: once it commits, the hubs are woken. */
const WROTE_EVENTS = Symbol('wrote live events');
type Marked = pg.PoolClient & { [WROTE_EVENTS]?: true };

/** Limits on every wait, in milliseconds. */
export const POSTGRES_TIMEOUTS = {
  /** Getting a connection, including the server's start-up handshake. */
  connect: 5000,
  /** One statement, enforced by the server: it stops the work and rolls back. */
  statement: 5000,
  /** One query, enforced here: covers a server that stopped answering altogether. */
  query: 6000,
  /** A health check. */
  health: 2000,
};

/** Any constant: the advisory lock that lets one of several starting processes migrate. */
const MIGRATION_LOCK = 0x7061_7065;

interface Row extends ReplyColumns {
  seq: string;
  id: string;
  episode_id: string;
  author: string;
  body: string;
  created_at: Date;
  delete_token_hash: string;
  status: CommentStatus;
  author_key: string;
  reports: number;
  removed_at: Date | null;
}

function toComment(row: Row): Comment {
  return { id: row.id, episodeId: row.episode_id, author: row.author, body: row.body, createdAt: row.created_at.toISOString(), ...replyFields(row) };
}

interface EventRow {
  seq: string;
  episode_id: string;
  type: LiveEvent['type'];
  data: string;
}

const toEvent = (row: EventRow): LiveEvent => ({ seq: Number(row.seq), episodeId: row.episode_id, type: row.type, data: row.data });

function toAdminComment(row: Row): AdminComment {
  return { ...toComment(row), status: row.status, reports: row.reports };
}

/** Canonical only: a cursor is the seq of a page's last comment, never 0 and never with leading zeros. */
const CURSOR = /^[1-9][0-9]{0,17}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

export class PostgresStore implements CommentStore {
  readonly #pool: pg.Pool;
  readonly #ready: Promise<void>;
  readonly #channels: Channel[];
  readonly #url: string;
  readonly #wakers = new Set<() => void>();
  #listener: pg.Client | undefined;
  #listenRetry: NodeJS.Timeout | undefined;
  #closed = false;

  /** `channels`: the notification channels that changes queue events for. */
  constructor(url: string, options: { channels?: Channel[] } = {}) {
    this.#channels = options.channels ?? [];
    this.#url = url;
    this.#pool = new pg.Pool({
      connectionString: url,
      max: 10,
      connectionTimeoutMillis: POSTGRES_TIMEOUTS.connect,
      statement_timeout: POSTGRES_TIMEOUTS.statement,
      query_timeout: POSTGRES_TIMEOUTS.query,
      idle_in_transaction_session_timeout: POSTGRES_TIMEOUTS.query * 2,
    });
    // An idle connection that dies (database restart) must not crash the server.
    this.#pool.on('error', () => {});
    this.#ready = this.#migrate();
  }

  /** Resolves once the schema is current; rejects with the reason the database cannot be used. */
  ready(): Promise<void> {
    return this.#ready;
  }

  async #migrate(): Promise<void> {
    const client = await this.#pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)');
      const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
      const current = rows[0]?.v ?? 0;
      if (current > MIGRATIONS.length) {
        throw new Error(`The database is at schema version ${current}, newer than this server knows (${MIGRATIONS.length}).`);
      }
      for (let version = current + 1; version <= MIGRATIONS.length; version++) {
        await client.query('BEGIN');
        await client.query(MIGRATIONS[version - 1]!);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())', [version]);
        await client.query('COMMIT');
      }
      // Dead rows of the dropped key and hits leave the tables' files.
      if (current >= 1 && current < 2) await client.query('VACUUM FULL meta, rate_hits');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
      client.release();
    }
  }

  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.#ready;
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      if ((client as Marked)[WROTE_EVENTS]) {
        delete (client as Marked)[WROTE_EVENTS];
        this.#wakeHubs();
      }
      return result;
    } catch (error) {
      // A connection whose query timed out is in an unknown state: close it, and the server rolls its transaction back.
      broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  isCursor(cursor: string): boolean {
    return CURSOR.test(cursor);
  }

  async list(episodeId: string, limit: number, cursor: string | null): Promise<CommentPage<Comment>> {
    // REPEATABLE READ: the page and the total describe the same moment.
    return this.#transaction(async (client) => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      // Top-level comments that are visible, or that are gone but keep visible replies (shown as "removed").
      const tops = await client.query<Row>(
        `SELECT * FROM comments c WHERE episode_id = $1 AND parent_id IS NULL AND seq > $2
           AND (status = 'visible' OR EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = c.id AND r.status = 'visible'))
         ORDER BY seq LIMIT $3`,
        [episodeId, cursor ?? '0', limit + 1],
      );
      const replies = await client.query<Row>("SELECT * FROM comments WHERE parent_id = ANY($1::uuid[]) AND status = 'visible' ORDER BY seq", [
        tops.rows.slice(0, limit).map((row) => row.id),
      ]);
      const total = await client.query<{ n: string }>(
        "SELECT count(*) AS n FROM comments WHERE episode_id = $1 AND status = 'visible'",
        [episodeId],
      );
      return { ...threadPage(tops.rows, replies.rows, limit, toComment, (row) => row.status === 'visible'), total: Number(total.rows[0]!.n) };
    });
  }

  async version(episodeId: string): Promise<number> {
    await this.#ready;
    const { rows } = await this.#pool.query<{ version: string }>('SELECT version FROM episode_versions WHERE episode_id = $1', [episodeId]);
    return Number(rows[0]?.version ?? 0);
  }

  async post(comment: NewComment, rate: RateLimit): Promise<PostResult> {
    const now = Date.now();
    return this.#transaction(async (db): Promise<PostResult> => {
      // One client's posts are counted one at a time, whichever process receives them.
      await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [rate.client]);
      await db.query('DELETE FROM rate_hits WHERE client = $1 AND at <= $2', [rate.client, now - rate.windowMs]);
      const { rows } = await db.query<{ n: string; oldest: string | null }>(
        'SELECT count(*) AS n, min(at) AS oldest FROM rate_hits WHERE client = $1 AND at > $2',
        [rate.client, now - rate.windowMs],
      );
      if (Number(rows[0]!.n) >= rate.limit) {
        return { retryAfterMs: Math.max(0, Number(rows[0]!.oldest ?? now) + rate.windowMs - now) };
      }
      await db.query('INSERT INTO rate_hits (client, at) VALUES ($1, $2)', [rate.client, now]);
      if (Math.random() < 0.01) await db.query('DELETE FROM rate_hits WHERE at <= $1', [now - rate.windowMs]);
      const stored = newComment(comment);
      await db.query(
        `INSERT INTO comments (id, episode_id, author, body, created_at, delete_token_hash, status, author_key, parent_id, reply_to_id, reply_to_author)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          stored.id, stored.episodeId, stored.author, stored.body, stored.createdAt, comment.deleteTokenHash, comment.status, comment.authorKey,
          comment.parentId, comment.replyTo?.id ?? null, comment.replyTo?.author ?? null,
        ],
      );
      await this.#bump(db, stored.episodeId);
      await this.#notify(db, comment.status === 'pending' ? 'comment.pending' : 'comment.created', stored.id);
      if (comment.status === 'visible') await this.#live(db, stored.episodeId, { comment: stored });
      return { comment: stored, status: comment.status };
    });
  }

  /** One event per channel for the comment as it is now, in the caller's transaction. */
  async #notify(client: pg.PoolClient, type: string, commentId: string): Promise<void> {
    if (this.#channels.length === 0) return;
    const { rows } = await client.query<Row>('SELECT * FROM comments WHERE id = $1', [commentId]);
    const event = { type, comment: toAdminComment(rows[0]!) };
    for (const channel of this.#channels) {
      await client.query('INSERT INTO outbox (channel, event, created_at, due_at) VALUES ($1, $2, now(), $3)', [channel, event, Date.now()]);
    }
  }

  /**
   * Tells live readers, in the change's own transaction; the hubs are woken once it commits (`#wakeHubs`). Events
   * may commit out of the order of their numbers; the hub reads a missing number again until it turns up (live.ts).
   */
  async #live(client: pg.PoolClient, episodeId: string, event: { comment: Comment } | { removed: string }): Promise<void> {
    // From what the caller has in hand: no read of the row back.
    const [type, data] = 'comment' in event ? ['comment', JSON.stringify(event.comment)] : ['remove', JSON.stringify({ id: event.removed })];
    const now = Date.now();
    await client.query('INSERT INTO events (episode_id, type, data, at) VALUES ($1, $2, $3, $4)', [episodeId, type, data, now]);
    if (Math.random() < 0.01) await client.query('DELETE FROM events WHERE at < $1', [now - EVENTS_KEPT_MS]);
    (client as Marked)[WROTE_EVENTS] = true;
  }

  async #bump(client: pg.PoolClient, episodeId: string): Promise<void> {
    await client.query(
      `INSERT INTO episode_versions (episode_id, version) VALUES ($1, 1)
       ON CONFLICT (episode_id) DO UPDATE SET version = episode_versions.version + 1`,
      [episodeId],
    );
  }

  async find(id: string): Promise<StoredComment | undefined> {
    if (!UUID.test(id)) return undefined;
    await this.#ready;
    const { rows } = await this.#pool.query<Row>('SELECT * FROM comments WHERE id = $1 AND removed_at IS NULL', [id]);
    const row = rows[0];
    return row && { ...toComment(row), deleteTokenHash: row.delete_token_hash, status: row.status, authorKey: row.author_key, reports: row.reports };
  }

  async setStatus(id: string, status: CommentStatus): Promise<AdminComment | undefined> {
    if (!UUID.test(id)) return undefined;
    return this.#transaction(async (client) => {
      const before = await client.query<{ status: string }>('SELECT status FROM comments WHERE id = $1 AND removed_at IS NULL FOR UPDATE', [id]);
      if (before.rows.length === 0) return undefined;
      // Approving reviews the reports: the count starts again (each reporter still reports a comment once).
      const { rows } = await client.query<Row>(
        "UPDATE comments SET status = $1, reports = CASE WHEN $1 = 'visible' THEN 0 ELSE reports END WHERE id = $2 RETURNING *",
        [status, id],
      );
      await this.#bump(client, rows[0]!.episode_id);
      if (before.rows[0]!.status !== status) {
        await this.#live(client, rows[0]!.episode_id, status === 'visible' ? { comment: toComment(rows[0]!) } : { removed: id });
      }
      return toAdminComment(rows[0]!);
    });
  }

  async report(commentId: string, reporter: string, threshold: number): Promise<ReportResult> {
    if (!UUID.test(commentId)) return 'missing';
    return this.#transaction(async (client) => {
      // The comment's row is locked first, so reports arriving at two processes are counted one after the other.
      const found = await client.query('SELECT 1 FROM comments WHERE id = $1 FOR UPDATE', [commentId]);
      if (found.rowCount === 0) return 'missing';
      const added = await client.query('INSERT INTO reports (comment_id, reporter, at) VALUES ($1, $2, now()) ON CONFLICT DO NOTHING', [commentId, reporter]);
      if (added.rowCount === 0) return 'already';
      const { rows } = await client.query<{ reports: number; status: string; episode_id: string }>(
        'UPDATE comments SET reports = reports + 1 WHERE id = $1 RETURNING reports, status, episode_id',
        [commentId],
      );
      const row = rows[0]!;
      const hides = row.status === 'visible' && row.reports >= threshold;
      if (hides) {
        await client.query("UPDATE comments SET status = 'pending' WHERE id = $1", [commentId]);
        await this.#bump(client, row.episode_id);
      }
      await this.#notify(client, 'comment.reported', commentId);
      if (hides) await this.#live(client, row.episode_id, { removed: commentId });
      return hides ? 'hidden' : 'counted';
    });
  }

  async block(authorKey: string, until: number): Promise<void> {
    await this.#ready;
    await this.#pool.query(
      'INSERT INTO blocks (author_key, until) VALUES ($1, $2) ON CONFLICT (author_key) DO UPDATE SET until = excluded.until',
      [authorKey, new Date(until)],
    );
  }

  async blockedUntil(authorKey: string): Promise<number | undefined> {
    await this.#ready;
    const { rows } = await this.#pool.query<{ until: Date }>('SELECT until FROM blocks WHERE author_key = $1 AND until > now()', [authorKey]);
    return rows[0]?.until.getTime();
  }

  async adminList(query: AdminQuery): Promise<CommentPage<AdminComment>> {
    await this.#ready;
    const where: string[] = [ADMIN_FILTERS[query.filter]];
    const params: unknown[] = [];
    if (query.episodeId) {
      params.push(query.episodeId);
      where.push(`episode_id = $${params.length}`);
    }
    if (query.q) {
      params.push(likePattern(query.q));
      where.push(`(body ILIKE $${params.length} OR author ILIKE $${params.length})`);
    }
    const total = await this.#pool.query<{ n: string }>(`SELECT count(*) AS n FROM comments WHERE ${where.join(' AND ')}`, params);
    if (query.cursor !== null) {
      params.push(query.cursor);
      where.push(`seq < $${params.length}`);
    }
    params.push(query.limit + 1);
    const { rows } = await this.#pool.query<Row>(
      `SELECT * FROM comments WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${params.length}`,
      params,
    );
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    return { comments: page.map(toAdminComment), nextCursor: more ? String(page[page.length - 1]!.seq) : null, total: Number(total.rows[0]!.n) };
  }

  async claimEvents(channel: Channel, leaseMs: number, limit: number): Promise<OutboxItem[]> {
    await this.#ready;
    const now = Date.now();
    // SKIP LOCKED: two processes claiming at once take different events, and each event is leased to one of them.
    const { rows } = await this.#pool.query<{ seq: string; channel: Channel; event: OutboxItem['event']; attempts: number }>(
      `UPDATE outbox SET due_at = $1, attempts = attempts + 1
       WHERE seq IN (
         SELECT seq FROM outbox WHERE channel = $2 AND delivered_at IS NULL AND due_at <= $3 ORDER BY seq LIMIT $4 FOR UPDATE SKIP LOCKED
       )
       RETURNING seq, channel, event, attempts`,
      [now + leaseMs, channel, now, limit],
    );
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map((row) => ({ ...row, seq: String(row.seq) }));
  }

  async finishEvent(seq: string, outcome: { delivered: true } | { delivered: false; retryAt: number }): Promise<void> {
    await this.#ready;
    if (outcome.delivered) await this.#pool.query('UPDATE outbox SET delivered_at = now() WHERE seq = $1', [seq]);
    else await this.#pool.query('UPDATE outbox SET due_at = $1 WHERE seq = $2', [outcome.retryAt, seq]);
  }

  async counts(): Promise<{ pending: number; reported: number }> {
    await this.#ready;
    const { rows } = await this.#pool.query<{ pending: string; reported: string }>(
      "SELECT count(*) FILTER (WHERE status = 'pending' AND removed_at IS NULL) AS pending, count(*) FILTER (WHERE reports > 0 AND removed_at IS NULL) AS reported FROM comments",
    );
    return { pending: Number(rows[0]!.pending), reported: Number(rows[0]!.reported) };
  }

  async remove(id: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    return this.#transaction(async (client) => {
      const { rows } = await client.query<{ episode_id: string; status: string }>('SELECT episode_id, status FROM comments WHERE id = $1 FOR UPDATE', [id]);
      if (rows.length === 0) return false;
      const replies = await client.query('SELECT 1 FROM comments WHERE parent_id = $1 LIMIT 1', [id]);
      if (replies.rowCount) {
        // Its words and its author go; the row stays as the place its replies hang from, in no listing but as "removed".
        await client.query(
          "UPDATE comments SET author = '', body = '', status = 'pending', delete_token_hash = '', reports = 0, removed_at = now() WHERE id = $1",
          [id],
        );
      } else {
        await client.query('DELETE FROM comments WHERE id = $1', [id]);
      }
      await this.#bump(client, rows[0]!.episode_id);
      if (rows[0]!.status === 'visible') await this.#live(client, rows[0]!.episode_id, { removed: id });
      return true;
    });
  }

  #notifyScheduled = false;

  /**
   * `NOTIFY` after the commit, not inside it: PostgreSQL serialises the commits of transactions that notify, which
   * would make every post wait for the one before it. Commits close together share one notification.
   */
  #wakeHubs(): void {
    if (this.#notifyScheduled) return;
    this.#notifyScheduled = true;
    setImmediate(() => {
      this.#notifyScheduled = false;
      this.#pool.query(`NOTIFY ${EVENTS_CHANNEL}`).catch(() => undefined);
    });
  }

  async eventsSince(after: number, limit: number): Promise<LiveEvent[]> {
    await this.#ready;
    const { rows } = await this.#pool.query<EventRow>('SELECT seq, episode_id, type, data FROM events WHERE seq > $1 ORDER BY seq LIMIT $2', [after, limit]);
    return rows.map(toEvent);
  }

  async episodeEventsSince(episodeId: string, after: number, limit: number): Promise<LiveEvent[]> {
    await this.#ready;
    const { rows } = await this.#pool.query<EventRow>(
      'SELECT seq, episode_id, type, data FROM events WHERE episode_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [episodeId, after, limit],
    );
    return rows.map(toEvent);
  }

  async eventBounds(): Promise<{ first: number; last: number }> {
    await this.#ready;
    const { rows } = await this.#pool.query<{ first: string | null; last: string | null }>('SELECT min(seq) AS first, max(seq) AS last FROM events');
    return { first: Number(rows[0]!.first ?? 0), last: Number(rows[0]!.last ?? 0) };
  }

  async exportComments(): Promise<TransferComment[]> {
    await this.#ready;
    const { rows } = await this.#pool.query<Row>('SELECT * FROM comments ORDER BY seq');
    return rows.map((row) => transferFields(row, row.created_at.toISOString()));
  }

  async importComments(comments: TransferComment[]): Promise<Record<string, ImportCounts>> {
    return this.#transaction(async (client) => {
      const counts: Record<string, ImportCounts> = {};
      for (const c of comments) {
        const count = (counts[c.episodeId] ??= { inserted: 0, skipped: 0 });
        const added = await client.query(
          `INSERT INTO comments
             (id, episode_id, author, body, created_at, delete_token_hash, status, author_key, parent_id, reply_to_id, reply_to_author, removed_at)
           VALUES ($1, $2, $3, $4, $5, '', $6, '', $7, $8, $9, $10)
           ON CONFLICT (id) DO NOTHING`,
          [c.id, c.episodeId, c.author, c.body, c.createdAt, c.status, c.parentId, c.replyTo?.id ?? null, c.replyTo?.author ?? null, c.removed ? c.createdAt : null],
        );
        if (added.rowCount === 1) count.inserted++;
        else count.skipped++;
      }
      for (const [episode, count] of Object.entries(counts)) if (count.inserted > 0) await this.#bump(client, episode);
      return counts;
    });
  }

  /** `LISTEN` on a connection of its own: another process's comment wakes this one's hub at once. */
  onEvents(wake: () => void): () => void {
    this.#wakers.add(wake);
    if (!this.#listener) void this.#listen();
    return () => this.#wakers.delete(wake);
  }

  async #listen(): Promise<void> {
    if (this.#closed) return;
    const listener = new pg.Client({ connectionString: this.#url, connectionTimeoutMillis: POSTGRES_TIMEOUTS.connect });
    this.#listener = listener;
    // A lost connection is tried again in a few seconds; meanwhile the hub reads the log once a second anyway.
    const retry = () => {
      if (this.#closed || this.#listener !== listener) return;
      this.#listener = undefined;
      listener.end().catch(() => undefined);
      this.#listenRetry = setTimeout(() => void this.#listen(), 5000);
      this.#listenRetry.unref();
    };
    listener.on('error', retry);
    listener.on('end', retry);
    listener.on('notification', () => {
      for (const wake of this.#wakers) wake();
    });
    try {
      await this.#ready;
      await listener.connect();
      await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch {
      retry();
    }
  }

  /** Answers within `POSTGRES_TIMEOUTS.health`: the database answers, and takes writes (not a read-only replica). */
  async health(): Promise<Health> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Health>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, reason: `the database did not answer within ${POSTGRES_TIMEOUTS.health / 1000} s` }), POSTGRES_TIMEOUTS.health);
    });
    const check = (async (): Promise<Health> => {
      await this.#ready;
      const { rows } = await this.#pool.query<{ recovery: boolean; readonly: string }>(
        "SELECT pg_is_in_recovery() AS recovery, current_setting('default_transaction_read_only') AS readonly",
      );
      if (rows[0]!.recovery || rows[0]!.readonly === 'on') return { ok: false, reason: 'the database is read-only' };
      return { ok: true };
    })().catch((error: Error): Health => ({ ok: false, reason: `the database cannot be reached: ${error.message}` }));
    try {
      return await Promise.race([check, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#listenRetry);
    const listener = this.#listener;
    this.#listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.#ready.catch(() => {});
    await this.#pool.end();
  }
}
