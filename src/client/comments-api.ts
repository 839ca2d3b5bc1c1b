import type { ApiErrorBody, Comment, CommentPage } from '../model/index.js';
import { type Message, type Values, inEnglish } from '../elements/localize.js';

/**
 * The comments API as the browser sees it: the only module that knows its
 * paths, and the one place where every failure becomes a sentence a person can
 * act on.
 */

export type FailureKind = 'offline' | 'unreachable' | 'http' | 'bad-response';

export class CommentsApiError extends Error {
  readonly kind: FailureKind;
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** The server's error code (`body_too_long`, `rate_limited` …). */
  readonly code: string | undefined;
  /** The request field the error is about (`body`, `author`). */
  readonly field: string | undefined;
  /** Seconds to wait, from `Retry-After`. */
  readonly retryAfter: number | undefined;
  /**
   * The English sentence with `{placeholders}` this page wrote, and its values, for an element to say it in its
   * reader's language; absent when the message is the server's own (which follows `Accept-Language`).
   */
  readonly template: Message | undefined;
  readonly values: Values;

  constructor(
    message: string | [Message, Values],
    details: { kind: FailureKind; status?: number; code?: string; field?: string; retryAfter?: number; cause?: unknown },
  ) {
    super(typeof message === 'string' ? message : inEnglish(...message), { cause: details.cause });
    this.template = typeof message === 'string' ? undefined : message[0];
    this.values = typeof message === 'string' ? {} : message[1];
    this.name = 'CommentsApiError';
    this.kind = details.kind;
    this.status = details.status;
    this.code = details.code;
    this.field = details.field;
    this.retryAfter = details.retryAfter;
  }
}

export interface PostedComment {
  comment: Comment;
  deleteToken: string;
}

export interface NewCommentInput {
  body: string;
  author?: string;
  /** The honeypot: people leave it empty. */
  website?: string;
  /** The comment answered: a top-level comment, or a reply (the answer then joins that reply's top-level comment). */
  parentId?: string;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  const error = (value as ApiErrorBody | null)?.error;
  return typeof error === 'object' && error !== null && typeof error.message === 'string';
}

const isText = (value: unknown): value is string => typeof value === 'string';

/** The server's JSON is checked, never trusted: a wrong shape is a `bad-response` error, not a crash in the element. */
function isComment(value: unknown): value is Comment {
  const c = value as Record<string, unknown> | null;
  if (typeof c !== 'object' || c === null || ![c['id'], c['episodeId'], c['author'], c['body'], c['createdAt']].every(isText)) return false;
  // A server from before replies sends no parentId: a top-level comment.
  if (c['parentId'] === undefined) c['parentId'] = null;
  const replyTo = c['replyTo'] as Record<string, unknown> | undefined;
  return (c['parentId'] === null || isText(c['parentId'])) && (replyTo === undefined || (isText(replyTo['id']) && isText(replyTo['author'])));
}

function isPage(value: unknown): value is CommentPage<Comment> {
  const page = value as Record<string, unknown> | null;
  return (
    typeof page === 'object' &&
    page !== null &&
    Array.isArray(page['comments']) &&
    page['comments'].every(isComment) &&
    (page['nextCursor'] === null || isText(page['nextCursor'])) &&
    Number.isInteger(page['total'])
  );
}

function isPosted(value: unknown): value is PostedComment {
  const posted = value as Record<string, unknown> | null;
  return typeof posted === 'object' && posted !== null && isComment(posted['comment']) && isText(posted['deleteToken']);
}

/** `Retry-After` in seconds, as the comments server sends it (never as a date). */
function seconds(value: string | null): number | undefined {
  const n = Number(value ?? NaN);
  return Number.isFinite(n) ? Math.max(1, Math.ceil(n)) : undefined;
}

export class CommentsClient {
  readonly base: URL;
  /** Sent as `Accept-Language`: the server writes its messages (a comment too long, a block) in this language. */
  language: string | undefined;

  constructor(api: string, baseUrl?: string, language?: string) {
    this.language = language;
    const base = new URL(api, baseUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new TypeError(`The comments API must be an http(s) URL, not "${api}".`);
    }
    // Resolve paths below the API's own path, whether or not it ends with a slash.
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.base = base;
  }

  #url(path: string): URL {
    return new URL(path, this.base);
  }

  async list(episodeId: string, options: { cursor?: string | null; limit?: number; signal?: AbortSignal } = {}) {
    const url = this.#url(`v1/episodes/${encodeURIComponent(episodeId)}/comments`);
    if (options.limit !== undefined) url.searchParams.set('limit', String(options.limit));
    if (options.cursor) url.searchParams.set('cursor', options.cursor);
    return this.#send(url, { signal: options.signal ?? null }, isPage);
  }

  async post(episodeId: string, input: NewCommentInput): Promise<PostedComment> {
    return this.#send(
      this.#url(`v1/episodes/${encodeURIComponent(episodeId)}/comments`),
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(input) },
      isPosted,
    );
  }

  async delete(commentId: string, token: string): Promise<void> {
    await this.#send(
      this.#url(`v1/comments/${encodeURIComponent(commentId)}`),
      { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } },
      (value): value is undefined => value === undefined,
    );
  }

  /** What became of this device's comment, asked with its delete token: `visible` or `pending` (a 404 when it is gone). */
  async status(commentId: string, token: string): Promise<string | undefined> {
    const answer = await this.#send(
      this.#url(`v1/comments/${encodeURIComponent(commentId)}`),
      { headers: { Authorization: `Bearer ${token}` } },
      (value): value is { comment: Comment } => isComment((value as { comment?: unknown } | null)?.comment),
    );
    return answer.comment.status;
  }

  /** Reports a comment to the site's owner; the server counts one report per reader. */
  async report(commentId: string): Promise<void> {
    await this.#send(this.#url(`v1/comments/${encodeURIComponent(commentId)}/reports`), { method: 'POST' }, (value): value is unknown => true);
  }

  async #send<T>(url: URL, init: RequestInit, valid: (value: unknown) => value is T): Promise<T> {
    let response: Response;
    try {
      // Accept-Language is a safelisted header: asking in the reader's language costs no preflight.
      const headers = { ...(init.headers as Record<string, string>), ...(this.language && { 'Accept-Language': this.language }) };
      response = await fetch(url, { ...init, headers, credentials: 'omit' });
    } catch (cause) {
      if ((cause as Error).name === 'AbortError') throw cause;
      if (typeof navigator !== 'undefined' && navigator.onLine === false) {
        throw new CommentsApiError(['You are offline. Check your connection, then try again.', {}], { kind: 'offline', cause });
      }
      throw new CommentsApiError(
        ['Could not reach the comments server at {host}: it may be down, or blocked on this network. Try again in a moment.', { host: url.host }],
        { kind: 'unreachable', cause },
      );
    }
    const none: unknown = undefined;
    if (response.status === 204 && valid(none)) return none;
    let payload: unknown;
    try {
      payload = await response.json();
    } catch (cause) {
      payload = undefined;
      if (response.ok) {
        throw new CommentsApiError(['The comments server at {host} sent an answer this page cannot read.', { host: url.host }], {
          kind: 'bad-response',
          status: response.status,
          cause,
        });
      }
    }
    if (response.ok && valid(payload)) return payload;
    if (response.ok) {
      throw new CommentsApiError(['The comments server at {host} sent an answer this page cannot read.', { host: url.host }], {
        kind: 'bad-response',
        status: response.status,
      });
    }
    throw this.#failure(response, payload);
  }

  #failure(response: Response, payload: unknown): CommentsApiError {
    const status = response.status;
    const error = isErrorBody(payload) ? payload.error : undefined;
    const details = { kind: 'http' as const, status, code: error?.code, field: error?.field };
    // Posting too fast: the server's own message says how long to wait, in the language asked for.
    if (status === 429) return new CommentsApiError(error?.message ?? 'You are posting too fast. Wait a minute, then post again.', { ...details, retryAfter: seconds(response.headers.get('Retry-After')) });
    if (status >= 500) {
      return new CommentsApiError(['The comments server has a problem right now (HTTP {status}). Try again in a moment.', { status: String(status) }], details);
    }
    // The server's own messages are written for people, in the language asked for; anything else gets a plain one.
    return new CommentsApiError(error?.message ?? ['The comments server refused the request (HTTP {status}).', { status: String(status) }], details);
  }
}
