import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Comment, CommentPage } from 'paperledge-widgets/model';
import type { ImportRow, InsertRow, WriteAnswer, WriteRequest, WriterOptions } from './sqlite-writer.js';
import { SlidingWindowLimiter } from './rate-limit.js';
import {
  type AdminComment,
  type AdminQuery,
  type Channel,
  type OutboxItem,
  type CommentStatus,
  type CommentStore,
  type ReportResult,
  type Health,
  type NewComment,
  type PostResult,
  type RateLimit,
  type StoredComment,
  type LiveEvent,
  type ImportCounts,
  type TransferComment,
  transferFields,
  type ReplyColumns,
  ADMIN_FILTERS,
  StoreBusyError,
  likePattern,
  newComment,
  replyFields,
  threadPage,
} from './store.js';

interface Row extends ReplyColumns {
  seq: number;
  id: string;
  episode_id: string;
  author: string;
  body: string;
  created_at: string;
  delete_token_hash: string;
  status: CommentStatus;
  author_key: string;
  reports: number;
  removed_at: string | null;
}

function toComment(row: Row): Comment {
  return { id: row.id, episodeId: row.episode_id, author: row.author, body: row.body, createdAt: row.created_at, ...replyFields(row) };
}

interface EventRow {
  seq: number;
  episode_id: string;
  type: LiveEvent['type'];
  data: string;
}

/** The columns a comment is written with, from the comment as the API and exports give it. */
function rowOf(comment: Comment & { status: CommentStatus }) {
  return {
    id: comment.id,
    episodeId: comment.episodeId,
    author: comment.author,
    body: comment.body,
    createdAt: comment.createdAt,
    status: comment.status,
    parentId: comment.parentId,
    replyToId: comment.replyTo?.id ?? null,
    replyToAuthor: comment.replyTo?.author ?? null,
  };
}

const toEvent = (row: EventRow): LiveEvent => ({ seq: row.seq, episodeId: row.episode_id, type: row.type, data: row.data });

function toAdminComment(row: Row): AdminComment {
  return { ...toComment(row), status: row.status, reports: row.reports };
}

/** Canonical only: a cursor is the seq of a page's last comment, never 0 and never with leading zeros. */
const CURSOR = /^[1-9][0-9]{0,14}$/;

/** How long a version read stays good against writers outside this process, and how many episodes' are kept. */
const VERSIONS_KEPT_MS = 1000;
const VERSIONS_KEPT = 10_000;
/** Errors after which the file cannot take writes until an operator acts: health says so. */
const STORAGE_FAULTS = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|CORRUPT|NOTADB)/;

export interface SqliteOptions {
  /** How long a write waits for another connection's lock: then `503` with `Retry-After`. */
  busyTimeoutMs?: number;
  /** Notification channels that changes queue events for. */
  channels?: Channel[];
}

/**
 * Comments in one SQLite file: WAL, `synchronous=FULL`, every write in a
 * transaction. Writes run on a worker thread (`sqlite-writer.ts`); reads use a
 * connection of their own on the event loop, which WAL never blocks. Rate limits
 * live in memory, so the file holds nothing about when a client acted.
 */
export class SqliteStore implements CommentStore {
  readonly #reader: Database.Database;
  readonly #writer: Worker;
  readonly #path: string;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  /**
   * Episode versions as last read: every list asks for one (its ETag), and a
   * query each time was the read path's largest cost after HTTP itself. This
   * process's writes all pass through the write thread and empty the map when
   * they are answered, before their request is; a writer outside the server
   * (an import into its file) is seen within VERSIONS_KEPT_MS.
   */
  readonly #versions = new Map<string, number>();
  #versionsSince = 0;
  readonly #limiter = new SlidingWindowLimiter();
  readonly #wakers = new Set<() => void>();
  readonly #statements;
  #nextId = 1;
  #fault: string | undefined;
  #closed = false;

  private constructor(path: string, writer: Worker) {
    this.#path = path;
    this.#writer = writer;
    this.#reader = new Database(path, { fileMustExist: true });
    this.#reader.pragma('query_only = ON');
    this.#reader.pragma('busy_timeout = 1000');
    const db = this.#reader;
    this.#statements = {
      // Top-level comments that are visible, or that are gone but keep visible replies (shown as "removed").
      page: db.prepare<[string, number, number], Row>(
        `SELECT * FROM comments c WHERE episode_id = ? AND parent_id IS NULL AND seq > ?
           AND (status = 'visible' OR EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = c.id AND r.status = 'visible'))
         ORDER BY seq LIMIT ?`,
      ),
      replies: db.prepare<[string], Row>(
        "SELECT * FROM comments WHERE parent_id IN (SELECT value FROM json_each(?)) AND status = 'visible' ORDER BY seq",
      ),
      events: db.prepare<[number, number], EventRow>('SELECT seq, episode_id, type, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
      episodeEvents: db.prepare<[string, number, number], EventRow>(
        'SELECT seq, episode_id, type, data FROM events WHERE episode_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      eventBounds: db.prepare<[], { first: number | null; last: number | null }>('SELECT min(seq) AS first, max(seq) AS last FROM events'),
      total: db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM comments WHERE episode_id = ? AND status = 'visible'"),
      blockedUntil: db.prepare<[string], { until: string }>('SELECT until FROM blocks WHERE author_key = ?'),
      counts: db.prepare<[], { pending: number; reported: number }>(
        "SELECT count(*) FILTER (WHERE status = 'pending' AND removed_at IS NULL) AS pending, count(*) FILTER (WHERE reports > 0 AND removed_at IS NULL) AS reported FROM comments",
      ),
      version: db.prepare<[string], { version: number }>('SELECT version FROM episode_versions WHERE episode_id = ?'),
      find: db.prepare<[string], Row>('SELECT * FROM comments WHERE id = ?'),
      ping: db.prepare<[], { one: number }>('SELECT 1 AS one'),
    };
    writer.on('message', (answer: WriteAnswer) => {
      if (!('id' in answer)) return;
      const pending = this.#pending.get(answer.id);
      this.#versions.clear();
      if (!pending) return;
      this.#pending.delete(answer.id);
      if (answer.ok) {
        this.#fault = undefined;
        pending.resolve(answer.value);
        // A write may have told live readers something: the hub looks.
        for (const wake of this.#wakers) wake();
      } else {
        if (answer.code && STORAGE_FAULTS.test(answer.code)) this.#fault = `${answer.code}: ${answer.message}`;
        pending.reject(answer.code === 'SQLITE_BUSY' ? new StoreBusyError(answer.message) : new Error(answer.message));
      }
    });
    writer.on('error', (error) => (this.#fault = `the write thread failed: ${error.message}`));
    writer.on('exit', () => {
      if (!this.#closed) this.#fault ??= 'the write thread stopped';
      for (const pending of this.#pending.values()) pending.reject(new Error('the write thread stopped'));
      this.#pending.clear();
    });
  }

  /** Starts the write thread, which creates and migrates the file, then opens the read connection. */
  static async open(path: string, options: SqliteOptions = {}): Promise<SqliteStore> {
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    const workerData = { path, busyTimeoutMs, channels: options.channels ?? [] } satisfies WriterOptions;
    // Compiled, the writer is the .js beside this file. Run from source (tests, the demo), it is the .ts, which the
    // worker loads through tsx: Node 20 does not pass --import hooks on to worker threads.
    const compiled = new URL('./sqlite-writer.js', import.meta.url);
    const source = new URL('./sqlite-writer.ts', import.meta.url).href;
    const writer = existsSync(compiled)
      ? new Worker(compiled, { workerData })
      : new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, {
          eval: true,
          workerData,
        });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (answer: WriteAnswer) => {
        if (!('type' in answer)) return;
        writer.off('message', onMessage);
        if (answer.type === 'ready') resolve();
        else reject(new Error(answer.message));
      };
      writer.on('message', onMessage);
      writer.once('error', reject);
    });
    return new SqliteStore(path, writer);
  }

  #write<T>(request: WriteRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#writer.postMessage({ ...request, id } as WriteRequest);
    });
  }

  isCursor(cursor: string): boolean {
    return CURSOR.test(cursor);
  }

  async list(episodeId: string, limit: number, cursor: string | null): Promise<CommentPage<Comment>> {
    const s = this.#statements;
    return this.#reader.transaction(() => {
      const tops = s.page.all(episodeId, cursor === null ? 0 : Number(cursor), limit + 1);
      const replies = s.replies.all(JSON.stringify(tops.slice(0, limit).map((row) => row.id)));
      return { ...threadPage(tops, replies, limit, toComment, (row) => row.status === 'visible'), total: s.total.get(episodeId)!.n };
    })();
  }

  version(episodeId: string): number {
    const now = Date.now();
    if (now - this.#versionsSince > VERSIONS_KEPT_MS || this.#versions.size >= VERSIONS_KEPT) {
      this.#versions.clear();
      this.#versionsSince = now;
    }
    let version = this.#versions.get(episodeId);
    if (version === undefined) {
      version = this.#statements.version.get(episodeId)?.version ?? 0;
      this.#versions.set(episodeId, version);
    }
    return version;
  }

  async post(comment: NewComment, rate: RateLimit): Promise<PostResult> {
    const counted = this.#limiter.hit(rate.client, rate.limit, rate.windowMs);
    if ('retryAfterMs' in counted) return counted;
    const stored = newComment(comment);
    const row: InsertRow = { ...rowOf({ ...stored, status: comment.status }), deleteTokenHash: comment.deleteTokenHash, authorKey: comment.authorKey };
    try {
      await this.#write<void>({ op: 'insert', row });
    } catch (error) {
      // Not stored: the post does not count against the client.
      this.#limiter.refund(rate.client);
      throw error;
    }
    return { comment: stored, status: comment.status };
  }

  async find(id: string): Promise<StoredComment | undefined> {
    const row = this.#statements.find.get(id);
    if (!row || row.removed_at !== null) return undefined;
    return { ...toComment(row), deleteTokenHash: row.delete_token_hash, status: row.status, authorKey: row.author_key, reports: row.reports };
  }

  async setStatus(id: string, status: CommentStatus): Promise<AdminComment | undefined> {
    if (!(await this.#write<boolean>({ op: 'status', commentId: id, status }))) return undefined;
    const row = this.#statements.find.get(id);
    return row && toAdminComment(row);
  }

  report(commentId: string, reporter: string, threshold: number): Promise<ReportResult> {
    return this.#write<ReportResult>({ op: 'report', commentId, reporter, at: new Date().toISOString(), threshold });
  }

  async block(authorKey: string, until: number): Promise<void> {
    await this.#write<number>({ op: 'block', authorKey, until: new Date(until).toISOString() });
  }

  async blockedUntil(authorKey: string): Promise<number | undefined> {
    const row = this.#statements.blockedUntil.get(authorKey);
    const until = row ? Date.parse(row.until) : undefined;
    return until !== undefined && until > Date.now() ? until : undefined;
  }

  async adminList(query: AdminQuery): Promise<CommentPage<AdminComment>> {
    const where: string[] = [ADMIN_FILTERS[query.filter]];
    const params: (string | number)[] = [];
    if (query.episodeId) {
      where.push('episode_id = ?');
      params.push(query.episodeId);
    }
    if (query.q) {
      where.push("(body LIKE ? ESCAPE '\\' OR author LIKE ? ESCAPE '\\')");
      params.push(likePattern(query.q), likePattern(query.q));
    }
    const total = (this.#reader.prepare(`SELECT count(*) AS n FROM comments WHERE ${where.join(' AND ')}`).get(...params) as { n: number }).n;
    if (query.cursor !== null) {
      where.push('seq < ?');
      params.push(Number(query.cursor));
    }
    const rows = this.#reader
      .prepare(`SELECT * FROM comments WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?`)
      .all(...params, query.limit + 1) as Row[];
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    return { comments: page.map(toAdminComment), nextCursor: more ? String(page[page.length - 1]!.seq) : null, total };
  }

  async counts(): Promise<{ pending: number; reported: number }> {
    return this.#statements.counts.get()!;
  }

  async claimEvents(channel: Channel, leaseMs: number, limit: number): Promise<OutboxItem[]> {
    const rows = await this.#write<{ seq: number; channel: Channel; event: string; attempts: number }[]>({
      op: 'claim',
      channel,
      now: Date.now(),
      leaseMs,
      limit,
    });
    return rows
      .sort((a, b) => a.seq - b.seq)
      .map((row) => ({ seq: String(row.seq), channel: row.channel, event: JSON.parse(row.event), attempts: row.attempts }));
  }

  async finishEvent(seq: string, outcome: { delivered: true } | { delivered: false; retryAt: number }): Promise<void> {
    await this.#write<number>({ op: 'finish', seq: Number(seq), delivered: outcome.delivered, retryAt: outcome.delivered ? 0 : outcome.retryAt });
  }

  async eventsSince(after: number, limit: number): Promise<LiveEvent[]> {
    return this.#statements.events.all(after, limit).map(toEvent);
  }

  async episodeEventsSince(episodeId: string, after: number, limit: number): Promise<LiveEvent[]> {
    return this.#statements.episodeEvents.all(episodeId, after, limit).map(toEvent);
  }

  async eventBounds(): Promise<{ first: number; last: number }> {
    const row = this.#statements.eventBounds.get()!;
    return { first: row.first ?? 0, last: row.last ?? 0 };
  }

  async exportComments(): Promise<TransferComment[]> {
    return (this.#reader.prepare('SELECT * FROM comments ORDER BY seq').all() as Row[]).map((row) => transferFields(row, row.created_at));
  }

  importComments(comments: TransferComment[]): Promise<Record<string, ImportCounts>> {
    const rows: ImportRow[] = comments.map((c) => ({ ...rowOf(c), removedAt: c.removed ? c.createdAt : null }));
    return this.#write<Record<string, ImportCounts>>({ op: 'import', rows });
  }

  onEvents(wake: () => void): () => void {
    this.#wakers.add(wake);
    return () => this.#wakers.delete(wake);
  }

  remove(id: string): Promise<boolean> {
    return this.#write<boolean>({ op: 'remove', commentId: id });
  }

  /** Reads answer, the file and its folder can be written and the disk has room, and the last write did not fail for good. */
  async health(): Promise<Health> {
    try {
      this.#statements.ping.get();
    } catch (error) {
      return { ok: false, reason: `the database cannot be read: ${(error as Error).message}` };
    }
    // A full or read-only disk is checked directly below, so it clears when the operator fixes it; other faults wait for a good write.
    if (this.#fault && !/^SQLITE_(FULL|READONLY)/.test(this.#fault)) return { ok: false, reason: `the database cannot be written: ${this.#fault}` };
    try {
      accessSync(this.#path, constants.W_OK);
      accessSync(dirname(this.#path), constants.W_OK);
    } catch {
      return { ok: false, reason: `the database file or its folder is read-only (${this.#path})` };
    }
    const disk = statfsSync(dirname(this.#path));
    if (disk.bavail * disk.bsize < 1024 * 1024) return { ok: false, reason: `the disk holding ${this.#path} is full` };
    return { ok: true };
  }

  /** `PRAGMA integrity_check`: "ok" when the file is sound. */
  integrityCheck(): string {
    return this.#reader.pragma('integrity_check', { simple: true }) as string;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // The worker answers in order: writes already sent commit before it closes the file and exits.
    const exited = new Promise((resolve) => this.#writer.once('exit', resolve));
    this.#writer.postMessage({ id: 0, op: 'close' } satisfies WriteRequest);
    await exited;
    this.#reader.close();
  }
}
