import { randomUUID } from 'node:crypto';
import type { Comment, CommentPage } from 'paperledge-widgets/model';

/** `visible`: in public listings. `pending`: waiting for approval (pre-moderation, a rule, reports, or hidden by the owner). */
export type CommentStatus = 'visible' | 'pending';

/** A comment as stored: what the API returns plus what only the server may see. */
export interface StoredComment extends Comment {
  /** SHA-256 of the author's delete token, hex. */
  deleteTokenHash: string;
  status: CommentStatus;
  /** The writer's keyed name (see client-key.ts `authorNamer`): what a block applies to. Never an address. */
  authorKey: string;
  /** Reports from distinct clients since the owner last reviewed it. */
  reports: number;
}

export interface NewComment {
  episodeId: string;
  author: string;
  body: string;
  /** The top-level comment it replies to, or null. */
  parentId: string | null;
  /** On a reply to a reply: whom it answers. */
  replyTo: { id: string; author: string } | undefined;
  deleteTokenHash: string;
  status: CommentStatus;
  authorKey: string;
}

/** What the owner's views list: `reported` is any comment with reports not yet reviewed. */
export type AdminFilter = 'pending' | 'reported' | 'visible' | 'all';

export interface AdminQuery {
  filter: AdminFilter;
  episodeId?: string | undefined;
  /** Words to find in the text or the author's name, ignoring case. */
  q?: string | undefined;
  limit: number;
  cursor: string | null;
}

/** A comment as the owner sees it: with its status and reports, never its token hash or author key. */
export interface AdminComment extends Comment {
  status: CommentStatus;
  reports: number;
}

export type ReportResult = 'counted' | 'already' | 'hidden' | 'missing';

/** What the owner is told of (contract 7.3). */
export type NotificationType = 'comment.created' | 'comment.pending' | 'comment.reported';

/** Where an event goes: each channel is delivered, and retried, on its own. */
export type Channel = 'webhook' | 'email';

/** An event as the outbox keeps it, written in the same transaction as the change it tells of. */
export interface OutboxEvent {
  type: NotificationType;
  comment: AdminComment;
}

export interface OutboxItem {
  seq: string;
  channel: Channel;
  event: OutboxEvent;
  attempts: number;
}

/**
 * A comment as `export` writes it and `import` reads it: every field readers or the owner see, the status and the
 * thread, never the hashes that name a writer or hold a delete token.
 */
export interface TransferComment {
  id: string;
  episodeId: string;
  parentId: string | null;
  replyTo?: { id: string; author: string };
  author: string;
  body: string;
  createdAt: string;
  status: CommentStatus;
  /** The place of a removed comment that has replies (its words already erased). */
  removed?: true;
}

export interface ImportCounts {
  inserted: number;
  /** Already there (same id): importing twice adds nothing. */
  skipped: number;
}

/** Posts per window per client: `client` is a keyed hash, never an address. */
export interface RateLimit {
  client: string;
  limit: number;
  windowMs: number;
}

/** The stored comment, or, over the limit, how long until the oldest counted post leaves the window. */
export type PostResult = { comment: Comment; status: CommentStatus } | { retryAfterMs: number };

/**
 * Everything the routes need from storage. Every method that writes resolves
 * only after the write is durable, so a `201` is never sent for a comment
 * that a crash could still lose. Kept small so that another database can stand
 * in without the routes changing.
 */
export interface CommentStore {
  /** Oldest first; `cursor` is an opaque string from a previous page. */
  list(episodeId: string, limit: number, cursor: string | null): Promise<CommentPage<Comment>>;
  /**
   * Changes whenever the episode's comments change: the ETag's source. A store that knows it without waiting
   * (SQLite reads synchronously) returns the number itself, so a cached page is answered in the same turn.
   */
  version(episodeId: string): number | Promise<number>;
  /** True for a cursor this store could have issued. */
  isCursor(cursor: string): boolean;
  /**
   * Counts the post against its client's sliding window and, unless `limit`
   * posts are already counted, stores the comment: one transaction, one commit.
   */
  post(comment: NewComment, rate: RateLimit): Promise<PostResult>;
  find(id: string): Promise<StoredComment | undefined>;
  remove(id: string): Promise<boolean>;
  /** Approve (`visible`, reports reviewed) or hide (`pending`); the changed comment, or undefined when there is none. */
  setStatus(id: string, status: CommentStatus): Promise<AdminComment | undefined>;
  /**
   * One report per reporter and comment; at `threshold` distinct reporters since the last review a visible
   * comment becomes pending (`hidden`).
   */
  report(commentId: string, reporter: string, threshold: number): Promise<ReportResult>;
  /** Refuses the author's posts until `until` (ms since the epoch). */
  block(authorKey: string, until: number): Promise<void>;
  /** When the author's block ends (ms since the epoch), or undefined when not blocked. */
  blockedUntil(authorKey: string): Promise<number | undefined>;
  /** The owner's view across episodes, newest first. */
  adminList(query: AdminQuery): Promise<CommentPage<AdminComment>>;
  /** How many comments wait for approval, and how many have reports not yet reviewed. */
  counts(): Promise<{ pending: number; reported: number }>;
  /**
   * Up to `limit` due events of a channel, each leased for `leaseMs` so that no other process takes it meanwhile;
   * oldest first.
   */
  claimEvents(channel: Channel, leaseMs: number, limit: number): Promise<OutboxItem[]>;
  /** Delivered: never sent again. Otherwise due again at `retryAt`. */
  finishEvent(seq: string, outcome: { delivered: true } | { delivered: false; retryAt: number }): Promise<void>;
  /** Whether the database can be read and written now, with the reason when not. Answers quickly, never waiting for a lock. */
  health(): Promise<Health>;
  /** Live events of every episode after `after`, oldest first. */
  eventsSince(after: number, limit: number): Promise<LiveEvent[]>;
  /** One episode's live events after `after`, oldest first: what a reconnecting reader missed. */
  episodeEventsSince(episodeId: string, after: number, limit: number): Promise<LiveEvent[]>;
  /** The oldest event still kept (0 when none) and the newest. */
  eventBounds(): Promise<{ first: number; last: number }>;
  /** Every comment, oldest first, as `paperledge-comments export` writes them. */
  exportComments(): Promise<TransferComment[]>;
  /** Adds the comments whose ids are not here yet, in one transaction, counting by episode; no event, no notification. */
  importComments(comments: TransferComment[]): Promise<Record<string, ImportCounts>>;
  /** Calls `wake` when events may have been written, by this process or (PostgreSQL) any other; returns the way to stop. */
  onEvents(wake: () => void): () => void;
  close(): Promise<void>;
}

export type Health = { ok: true } | { ok: false; reason: string };

/** A write that could not get the database in time (another connection holds it): `503` with `Retry-After`, and nothing was stored. */
export class StoreBusyError extends Error {
  override name = 'StoreBusyError';
}

/** The owner's filters as SQL conditions; the same words in both stores. A removed comment (kept as its replies' place) is in none. */
export const ADMIN_FILTERS = {
  pending: "status = 'pending' AND removed_at IS NULL",
  reported: 'reports > 0 AND removed_at IS NULL',
  visible: "status = 'visible'",
  all: 'removed_at IS NULL',
} as const;

/** `%` and `_` in a search are letters, not wildcards. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A comment as it will be stored and returned: a fresh id, stamped now. */
export function newComment(input: Pick<NewComment, 'episodeId' | 'author' | 'body' | 'parentId' | 'replyTo'>): Comment {
  return {
    id: randomUUID(),
    episodeId: input.episodeId,
    author: input.author,
    body: input.body,
    createdAt: new Date().toISOString(),
    parentId: input.parentId,
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
  };
}

/** The reply columns both stores keep, as the API shows them. */
export interface ReplyColumns {
  parent_id: string | null;
  reply_to_id: string | null;
  reply_to_author: string | null;
}

export function replyFields(row: ReplyColumns): Pick<Comment, 'parentId' | 'replyTo'> {
  return {
    parentId: row.parent_id,
    ...(row.reply_to_id !== null && row.reply_to_author !== null ? { replyTo: { id: row.reply_to_id, author: row.reply_to_author } } : {}),
  };
}

/** A top-level comment that is gone (deleted, hidden, waiting) but has visible replies: its place, without its words. */
export function removedPlaceholder(comment: Comment): Comment {
  return { id: comment.id, episodeId: comment.episodeId, author: '', body: '', createdAt: comment.createdAt, parentId: null, removed: true };
}

/**
 * A page of top-level comments with their replies, as readers see it: replies follow their comment, oldest first; a
 * top-level comment that is not visible appears as `removedPlaceholder` when it has visible replies.
 */
export function threadPage<R extends { seq: number | string }>(
  tops: R[],
  replies: R[],
  limit: number,
  toComment: (row: R) => Comment,
  isVisible: (row: R) => boolean,
): { comments: Comment[]; nextCursor: string | null } {
  const more = tops.length > limit;
  const page = more ? tops.slice(0, limit) : tops;
  const byParent = new Map<string, Comment[]>();
  for (const reply of replies) {
    const comment = toComment(reply);
    byParent.set(comment.parentId!, [...(byParent.get(comment.parentId!) ?? []), comment]);
  }
  const comments = page.flatMap((row) => {
    const comment = toComment(row);
    return [isVisible(row) ? comment : removedPlaceholder(comment), ...(byParent.get(comment.id) ?? [])];
  });
  return { comments, nextCursor: more ? String(page[page.length - 1]!.seq) : null };
}

/** What live readers are sent (`GET /v1/episodes/{id}/events`): a comment that became visible, or one that went. */
export type LiveEventType = 'comment' | 'remove';

export interface LiveEvent {
  seq: number;
  episodeId: string;
  type: LiveEventType;
  /** The event's JSON: a public `Comment`, or `{id}`. */
  data: string;
}

/** Events are kept this long for readers who reconnect with `Last-Event-ID`; one older than that reloads instead. */
export const EVENTS_KEPT_MS = 24 * 3600 * 1000;

/** A stored row's fields as an export writes them. */
export function transferFields(row: {
  id: string;
  episode_id: string;
  author: string;
  body: string;
  status: CommentStatus;
  parent_id: string | null;
  reply_to_id: string | null;
  reply_to_author: string | null;
  removed_at: unknown;
}, createdAt: string): TransferComment {
  return {
    id: row.id,
    episodeId: row.episode_id,
    ...replyFields(row),
    author: row.author,
    body: row.body,
    createdAt,
    status: row.status,
    ...(row.removed_at ? { removed: true as const } : {}),
  };
}
