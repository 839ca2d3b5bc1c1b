import { randomUUID } from 'node:crypto';
import type { Comment, CommentPage } from 'paperledge-widgets/model';

/** A comment as stored: what the API returns plus what only the server may see. */
export interface StoredComment extends Comment {
  /** SHA-256 of the author's delete token, hex. */
  deleteTokenHash: string;
}

export interface NewComment {
  episodeId: string;
  author: string;
  body: string;
  deleteTokenHash: string;
}

/** Posts per window per client: `client` is a keyed hash, never an address. */
export interface RateLimit {
  client: string;
  limit: number;
  windowMs: number;
}

/** The stored comment, or, over the limit, how long until the oldest counted post leaves the window. */
export type PostResult = { comment: Comment } | { retryAfterMs: number };

/**
 * Everything the routes need from storage. Every method that writes resolves
 * only after the write is durable, so a `201` is never sent for a comment
 * that a crash could still lose. Kept small so that another database can stand
 * in without the routes changing.
 */
export interface CommentStore {
  /** Oldest first; `cursor` is an opaque string from a previous page. */
  list(episodeId: string, limit: number, cursor: string | null): Promise<CommentPage<Comment>>;
  /** Changes whenever the episode's comments change: the ETag's source. */
  version(episodeId: string): Promise<number>;
  /** True for a cursor this store could have issued. */
  isCursor(cursor: string): boolean;
  /**
   * Counts the post against its client's sliding window and, unless `limit`
   * posts are already counted, stores the comment: one transaction, one commit.
   */
  post(comment: NewComment, rate: RateLimit): Promise<PostResult>;
  find(id: string): Promise<StoredComment | undefined>;
  remove(id: string): Promise<boolean>;
  /** Whether the database can be read and written now, with the reason when not. Answers quickly, never waiting for a lock. */
  health(): Promise<Health>;
  close(): Promise<void>;
}

export type Health = { ok: true } | { ok: false; reason: string };

/** A write that could not get the database in time (another connection holds it): `503` with `Retry-After`, and nothing was stored. */
export class StoreBusyError extends Error {
  override name = 'StoreBusyError';
}

/** A comment as it will be stored and returned: a fresh id, stamped now. */
export function newComment(input: Pick<NewComment, 'episodeId' | 'author' | 'body'>): Comment {
  return {
    id: randomUUID(),
    episodeId: input.episodeId,
    author: input.author,
    body: input.body,
    createdAt: new Date().toISOString(),
  };
}
