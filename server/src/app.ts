import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readerLanguage, readerText, say } from './reader-language.js';
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import {
  ANONYMOUS,
  AUTHOR_MAX_CHARACTERS,
  COMMENT_MAX_CHARACTERS,
  DELETE_WINDOW_MS,
  REQUEST_MAX_BYTES,
  countCharacters,
  isEpisodeId,
} from 'paperledge-widgets/model';
import type { ServerConfig } from './config.js';
import { frontDoor, settle } from './front-door.js';
import { matchesETag, requestHeader } from './http-headers.js';
import { SlidingWindowLimiter } from './rate-limit.js';
import { adminRoutes, bearer } from './admin.js';
import { type ModerationRules, review } from './moderation.js';
import { type EventHub, liveRoutes } from './live.js';
import { type CommentStore, StoreBusyError, newComment } from './store.js';

export interface AppOptions {
  store: CommentStore;
  config: ServerConfig;
  /** The rate limiter's name for a client: a keyed hash, never the address itself. */
  clientKey: (address: string) => string;
  /** The writer's lasting name that blocks and reports apply to: a keyed hash, never the address itself. */
  authorKey: (address: string) => string;
  /** Pre- or post-moderation and the rules that hold a comment back. */
  rules: ModerationRules;
  /** The title of an episode the server knows, for the owner's views. */
  episodeTitle?: (id: string) => string | undefined;
  /** One line per request; never given bodies or addresses. */
  log: (line: string) => void;
  /** Where readers reach this server (`--public-url` or the listening address): its own pages' origin. */
  baseUrl: () => string;
  /** Routes mounted before the 404 handler, such as episodes and embeds. */
  extend?: (app: Hono<Env>) => void;
  /** The live events' hub; one is made over `store` when not given. */
  live?: EventHub;
}

export type Env = {
  Bindings: Partial<HttpBindings> & {
    /**
     * The client's address (behind a trusted proxy, the one it forwarded for), from the peer read when the request
     * arrived: a client that drops its connection mid-body still has one. Undefined only if it left before that.
     */
    clientAddress?: () => string | undefined;
    /**
     * For a route that answers with its own `new Response` and a plain header object (the hot list read): adds the
     * API's CORS headers to that object, where the route has not set them, and returns it; the front door then does
     * not add them again. Every other answer gets them from the front door.
     */
    apiHeaders?: (own: Record<string, string>) => Record<string, string>;
  };
};

/** Failed delete attempts (wrong or expired tokens) per client and minute, before `429`. */
export const DELETE_ATTEMPTS_PER_MINUTE = 10;
/** Seconds a client is told to wait when the database is busy or unreachable. */
const RETRY_AFTER_UNAVAILABLE = 5;

export const RATE_WINDOW_MS = 60_000;
export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 50;
const number = new Intl.NumberFormat('en');

/** The API's one error shape, with a `code` to switch on and a sentence to show. */
export function apiError(c: Context, status: ContentfulStatusCode, code: string, message: string, field?: string, more?: Record<string, string>) {
  return c.json({ error: { code, message, ...(field === undefined ? {} : { field }), ...more } }, status);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/** A text field: well-formed Unicode, trimmed, counted in characters as people count them. */
function textField(field: 'body' | 'author', label: string, max: number) {
  return z
    .string({ error: `${label} must be text.` })
    .refine((value) => value.isWellFormed(), {
      message: `${label} contains a broken character (an unpaired UTF-16 surrogate).`,
      params: { code: 'invalid_text' },
    })
    // Neither store can keep U+0000 (PostgreSQL refuses it in text), so both refuse it here, alike.
    .refine((value) => !value.includes('\u0000'), {
      message: `${label} contains a NUL character (U+0000), which is not text: remove it and send again.`,
      params: { code: 'invalid_text' },
    })
    .transform((value) => value.trim())
    .superRefine((value, ctx) => {
      const length = countCharacters(value);
      if (field === 'body' && length === 0) {
        ctx.addIssue({ code: 'custom', message: 'The comment is empty: write something first.', params: { code: 'empty_body' } });
      } else if (length > max) {
        ctx.addIssue({
          code: 'custom',
          message: `${label} is ${number.format(length)} characters long; the limit is ${number.format(max)}.`,
          params: { code: `${field}_too_long`, length, limit: max },
        });
      }
    });
}

const PostBody = z.object(
  {
    body: textField('body', 'The comment', COMMENT_MAX_CHARACTERS),
    author: textField('author', 'The name', AUTHOR_MAX_CHARACTERS).nullish(),
    website: z.unknown().optional(),
    parentId: z.string({ error: 'parentId must be the id of the comment answered, as text.' }).max(64, 'parentId is not a comment id.').nullish(),
  },
  { error: 'The request body must be a JSON object like {"body": "…", "author": "…"}.' },
);

const ListQuery = z.object({
  limit: z
    .string()
    // Canonical only (no leading zeros): one page has one cache key.
    .regex(/^[1-9]\d{0,2}$/, `limit must be a whole number from 1 to ${MAX_PAGE}, written without leading zeros.`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_PAGE, `limit must be a whole number from 1 to ${MAX_PAGE}.`)
    .optional(),
  cursor: z.string().optional(),
});

/**
 * Serialised pages by episode and ETag, bounded in bytes, not entries: a page can
 * be 100 comments of 5,000 characters. A page cannot change without its episode's
 * version changing, so pages of an older version are dropped as soon as a newer
 * one is stored. Least recently used pages go first.
 */
export class PageCache {
  /** In least recently used order. */
  readonly #pages = new Map<string, { episodeId: string; page: string }>();
  readonly #episodes = new Map<string, { version: number; keys: Set<string> }>();
  /** The key at the end of `#pages`. */
  #newest: string | undefined;
  #bytes = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.#bytes;
  }

  get(key: string): string | undefined {
    const entry = this.#pages.get(key);
    if (entry === undefined) return undefined;
    // Moved to the end unless already there: one page read over and over is the common case.
    if (key !== this.#newest) {
      this.#pages.delete(key);
      this.#pages.set(key, entry);
      this.#newest = key;
    }
    return entry.page;
  }

  set(key: string, episodeId: string, version: number, page: string): void {
    const size = page.length * 2;
    if (size > this.maxBytes) return;
    let episode = this.#episodes.get(episodeId);
    if (episode !== undefined && episode.version > version) return;
    if (episode !== undefined && episode.version < version) {
      for (const old of [...episode.keys]) this.#drop(old);
      episode = undefined;
    }
    if (episode === undefined) {
      episode = { version, keys: new Set() };
      this.#episodes.set(episodeId, episode);
    }
    this.#drop(key);
    this.#pages.set(key, { episodeId, page });
    this.#newest = key;
    episode.keys.add(key);
    this.#bytes += size;
    while (this.#bytes > this.maxBytes) this.#drop(this.#pages.keys().next().value!);
  }

  #drop(key: string): void {
    const entry = this.#pages.get(key);
    if (entry === undefined) return;
    this.#pages.delete(key);
    if (key === this.#newest) this.#newest = undefined;
    this.#bytes -= entry.page.length * 2;
    const episode = this.#episodes.get(entry.episodeId)!;
    episode.keys.delete(key);
    if (episode.keys.size === 0) this.#episodes.delete(entry.episodeId);
  }
}

/** 16 MiB of serialised pages: about 30 full pages of the longest comments, thousands of ordinary ones. */
const PAGE_CACHE_BYTES = 16 * 1024 * 1024;

/** The API's routes behind its front door (client address, CORS, the request log): the server's `fetch`. */
export function createApp({ store, config, clientKey, authorKey, rules, log, baseUrl, extend, episodeTitle, live }: AppOptions) {
  const app = new Hono<Env>();
  const pages = new PageCache(PAGE_CACHE_BYTES);
  app.get('/v1/health', async (c) => {
    const health = await store.health();
    if (health.ok) return c.json({ ok: true });
    c.header('Retry-After', String(RETRY_AFTER_UNAVAILABLE));
    return c.json({ ok: false, error: { code: 'storage_unavailable', message: `The comments server cannot use its database: ${health.reason}.` } }, 503);
  });

  // Not async: with a store that knows the version at once and the page cached, the answer goes out in this turn.
  app.get('/v1/episodes/:id/comments', (c): Response | Promise<Response> => {
    const id = c.req.param('id');
    if (!isEpisodeId(id)) return badEpisodeId(c, id);
    let limit = DEFAULT_PAGE;
    let cursor: string | null = null;
    // Most reads carry no query at all: nothing to validate.
    if ((c.env.incoming?.url ?? c.req.url).includes('?')) {
      const query = ListQuery.safeParse(c.req.query());
      if (!query.success) {
        const issue = query.error.issues[0]!;
        return apiError(c, 400, 'invalid_query', issue.message, String(issue.path[0]));
      }
      limit = query.data.limit ?? DEFAULT_PAGE;
      cursor = query.data.cursor ?? null;
      if (cursor !== null && !store.isCursor(cursor)) {
        return apiError(c, 400, 'invalid_cursor', 'cursor is not one this server gave out: start again without it.', 'cursor');
      }
    }
    // The version is read before the page, so an ETag can be older than its page, never newer.
    return settle(store.version(id), (version) => listPage(c, id, limit, cursor, version));
  });

  function listPage(c: Context<Env>, id: string, limit: number, cursor: string | null, version: number): Response | Promise<Response> {
    const etag = `"${version}.${limit}.${cursor ?? ''}"`;
    if (matchesETag(header(c, 'if-none-match'), etag)) {
      return c.body(null, 304, { ETag: etag, 'Cache-Control': 'no-cache' });
    }
    const key = `${id} ${etag}`;
    // A plain header object, not `c.body`'s: with more than one header that builds a Fetch `Headers`, a cost per read.
    const send = (page: string) => {
      const headers = { ETag: etag, 'Cache-Control': 'no-cache', 'Content-Type': 'application/json' };
      return new Response(page, { status: 200, headers: c.env.apiHeaders?.(headers) ?? headers });
    };
    const page = pages.get(key);
    if (page !== undefined) return send(page);
    return store.list(id, limit, cursor).then((fresh) => {
      const text = JSON.stringify(fresh);
      pages.set(key, id, version, text);
      return send(text);
    });
  }

  app.post(
    '/v1/episodes/:id/comments',
    async (c, next) => {
      const type = header(c, 'content-type') ?? '';
      if (!/^application\/json\s*(;|$)/i.test(type)) {
        return apiError(
          c,
          415,
          'unsupported_media_type',
          `Comments are sent as JSON: set Content-Type: application/json${type ? `, not ${type}` : ''}.`,
        );
      }
      return next();
    },
    async (c) => {
      let bytes: Uint8Array | 'too_large';
      try {
        bytes = await readBody(c, REQUEST_MAX_BYTES);
      } catch {
        return apiError(c, 400, 'connection_closed', 'The connection closed before the comment arrived; nothing was posted.');
      }
      if (bytes === 'too_large') {
        return apiError(c, 413, 'payload_too_large', `The request is over ${REQUEST_MAX_BYTES / 1024} KiB; a comment is at most 5,000 characters.`);
      }
      const id = c.req.param('id');
      if (!isEpisodeId(id)) return badEpisodeId(c, id);
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        return apiError(c, 400, 'invalid_encoding', 'The request body is not UTF-8 text.');
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        return apiError(c, 400, 'invalid_json', `The request body is not valid JSON: ${(error as Error).message}`);
      }
      const parsed = PostBody.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const params = (issue.code === 'custom' ? issue.params : undefined) as { code: string; length?: number; limit?: number } | undefined;
        const code = params?.code ?? 'invalid_field';
        const field = issue.path.length > 0 ? String(issue.path[0]) : undefined;
        const { code: _, ...values } = params ?? { code };
        return apiError(c, 400, code, say(c, code, issue.message, values), field);
      }
      const { body, author, website, parentId } = parsed.data;
      const deleteToken = randomBytes(24).toString('base64url');
      if (website !== undefined && website !== null && website !== '') {
        // A filled honeypot is a bot: tell it "done" so it learns nothing, and publish nothing.
        return c.json({ comment: newComment({ episodeId: id, author: author || ANONYMOUS, body, parentId: null, replyTo: undefined }), deleteToken }, 201);
      }
      const address = c.env.clientAddress?.();
      if (address === undefined) return apiError(c, 400, 'connection_closed', 'The connection closed before the comment arrived; nothing was posted.');
      // A reply joins the top-level comment of what it answers, and names whom it answers when that is a reply.
      let thread: { parentId: string | null; replyTo: { id: string; author: string } | undefined } = { parentId: null, replyTo: undefined };
      if (parentId) {
        const target = await store.find(parentId);
        if (!target || target.episodeId !== id || target.status !== 'visible') {
          return apiError(
            c,
            400,
            'parent_not_found',
            'The comment you are replying to is not on this episode any more (it may have been deleted or hidden): reload the comments and reply to another.',
            'parentId',
          );
        }
        thread = target.parentId === null ? { parentId: target.id, replyTo: undefined } : { parentId: target.parentId, replyTo: { id: target.id, author: target.author } };
      }
      const writer = authorKey(address);
      const blockedUntil = await store.blockedUntil(writer);
      if (blockedUntil !== undefined) return blocked(c, blockedUntil);
      const name = author || ANONYMOUS;
      const verdict = review(body, name, rules);
      const result = await store.post(
        { episodeId: id, author: name, body, ...thread, deleteTokenHash: sha256(deleteToken).toString('hex'), status: verdict.status, authorKey: writer },
        { client: clientKey(address), limit: config.postsPerMinute, windowMs: RATE_WINDOW_MS },
      );
      if ('retryAfterMs' in result) {
        const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
        c.header('Retry-After', String(seconds));
        const english = `Too many comments in a minute: wait ${seconds} second${seconds === 1 ? '' : 's'} and post again.`;
        return apiError(c, 429, 'rate_limited', say(c, 'rate_limited', english, { count: seconds }));
      }
      // Only its author is told the status (and, while it waits, why the server holds it).
      const comment = { ...result.comment, status: result.status };
      if (result.status === 'pending') return c.json({ comment, deleteToken, reason: verdict.reason }, 202);
      return c.json({ comment, deleteToken }, 201);
    },
  );

  const isAdminToken = (token: string | undefined) => token !== undefined && config.adminToken !== undefined && sameSecret(token, config.adminToken);

  // The author's own view of their comment, by its delete token: how the comment box shows "Waiting for approval".
  app.get('/v1/comments/:commentId', async (c) => {
    const comment = await store.find(c.req.param('commentId'));
    const token = bearer(c);
    const isAuthor = comment !== undefined && token !== undefined && timingSafeEqual(sha256(token), Buffer.from(comment.deleteTokenHash, 'hex'));
    if (!comment || !(isAuthor || isAdminToken(token))) {
      // The same answer for a missing comment and a wrong token: ids cannot be probed.
      return apiError(c, 404, 'not_found', 'There is no such comment, or this token does not belong to it.');
    }
    const { id, episodeId, author, body, createdAt, parentId, replyTo, status } = comment;
    return c.json({ comment: { id, episodeId, author, body, createdAt, parentId, ...(replyTo ? { replyTo } : {}), status } });
  });

  const reportLimiter = new SlidingWindowLimiter();
  app.post('/v1/comments/:commentId/reports', async (c) => {
    const address = c.env.clientAddress?.();
    if (address === undefined) return apiError(c, 400, 'connection_closed', 'The connection closed before the report arrived.');
    const limit = reportLimiter.hit(clientKey(address), config.postsPerMinute, RATE_WINDOW_MS);
    if ('retryAfterMs' in limit) return rateLimited(c, limit.retryAfterMs, 'reports');
    const result = await store.report(c.req.param('commentId'), authorKey(address), config.reportThreshold);
    if (result === 'missing') {
      reportLimiter.refund(clientKey(address));
      return apiError(c, 404, 'not_found', 'There is no such comment (it may have been deleted already).');
    }
    // A second report from the same reader is accepted and counts once, and says nothing about the others.
    return c.json({ reported: true }, 202);
  });

  const { isAdminRequest } = adminRoutes(app, { store, config, clientKey, baseUrl, episodeTitle: episodeTitle ?? (() => undefined) });

  const deleteAttempts = new SlidingWindowLimiter();
  app.delete('/v1/comments/:commentId', async (c) => {
    // Guessing tokens is rate-limited: failed attempts count, per client, before the token is even looked at.
    const client = clientKey(c.env.clientAddress?.() ?? 'unknown');
    const attempts = deleteAttempts.hit(client, DELETE_ATTEMPTS_PER_MINUTE, RATE_WINDOW_MS);
    if ('retryAfterMs' in attempts) return rateLimited(c, attempts.retryAfterMs, 'delete attempts');
    const comment = await store.find(c.req.param('commentId'));
    if (!comment) return apiError(c, 404, 'not_found', 'There is no such comment (it may have been deleted already).');
    const token = bearer(c);
    // The console deletes with its session (and its CSRF header) instead of the token.
    const bySession = token === undefined && isAdminRequest(c);
    if (token === undefined && !bySession) {
      return apiError(c, 403, 'forbidden', 'Deleting a comment needs its delete token or the admin token (Authorization: Bearer …).');
    }
    const isAdmin = bySession || isAdminToken(token);
    const isAuthor = token !== undefined && timingSafeEqual(sha256(token), Buffer.from(comment.deleteTokenHash, 'hex'));
    if (!isAdmin && !isAuthor) return apiError(c, 403, 'forbidden', 'That token may not delete this comment.');
    // Only failures count against a client.
    deleteAttempts.refund(client);
    if (!isAdmin && Date.now() - Date.parse(comment.createdAt) > DELETE_WINDOW_MS) {
      return apiError(c, 403, 'token_expired', say(c, 'token_expired', 'A comment can be deleted by its author for 15 minutes after posting; that time has passed.'));
    }
    await store.remove(comment.id);
    return c.body(null, 204);
  });

  liveRoutes(app, { store, config, clientKey, ...(live ? { hub: live } : {}) });

  extend?.(app);

  app.notFound((c) => apiError(c, 404, 'not_found', `There is nothing at ${c.req.method} ${c.req.path}.`));
  app.onError((error, c) => {
    c.header('Retry-After', String(RETRY_AFTER_UNAVAILABLE));
    if (error instanceof StoreBusyError) {
      log(`busy ${c.req.method} ${c.req.path}: ${error.message}`);
      return apiError(c, 503, 'busy', `The comments database is busy; nothing was saved. Try again in ${RETRY_AFTER_UNAVAILABLE} seconds.`);
    }
    log(`error ${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    return apiError(c, 503, 'unavailable', 'The comments server could not complete this request; try again in a moment.');
  });
  return frontDoor(app, { config, baseUrl, log });
}

/** `429` with `Retry-After` and a sentence that says how long. */
export function rateLimited(c: Context, retryAfterMs: number, what: string) {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  c.header('Retry-After', String(seconds));
  const english = `Too many ${what} in a minute: wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.`;
  return apiError(c, 429, 'rate_limited', say(c, 'rate_limited', english, { count: seconds }));
}

/** `403` for a writer the owner blocked: what happened and until when, without saying who reported what. */
function blocked(c: Context, until: number) {
  const date = new Date(until).toISOString().slice(0, 10);
  // The date apart too, for a page to write in its reader's language.
  const lang = readerLanguage(c.req.header('Accept-Language'));
  const english = `The site's owner has stopped comments from your connection until ${date}. Nothing was posted.`;
  const message = readerText(lang, 'blocked', { date: new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(until) }) ?? english;
  return apiError(c, 403, 'blocked', message, undefined, {
    blockedUntil: new Date(until).toISOString(),
  });
}

/** The 400 for a path segment that is not an episode id, shared by every route that takes one. */
export function badEpisodeId(c: Context, id: string) {
  const shown = id.length > 40 ? `${id.slice(0, 40)}…` : id;
  return apiError(
    c,
    400,
    'invalid_episode_id',
    `"${shown}" is not an episode id: use lowercase letters, digits and dashes, up to 128 characters.`,
    'episodeId',
  );
}

/** A request header, as the front door reads them (`requestHeader`). */
function header(c: Context<Env>, name: Lowercase<string>): string | undefined {
  return requestHeader(c.env.incoming, c.req.raw, name);
}

/**
 * The request body, or 'too_large' past `max` bytes (a declared Content-Length says so before anything is read).
 * Read from Node's own stream: hono/body-limit and `c.req.arrayBuffer()` first build a Fetch Request and two web
 * streams around it, which was a fifth of a post's time under load. Past the limit the rest is left unread, and
 * Node discards it once the 413 is sent, so the writer still gets the answer.
 */
function readBody(c: Context<Env>, max: number): Promise<Uint8Array | 'too_large'> {
  const incoming = c.env.incoming;
  if (incoming === undefined) {
    return c.req.arrayBuffer().then((buffer) => (buffer.byteLength > max ? 'too_large' : new Uint8Array(buffer)));
  }
  if (Number(incoming.headers['content-length']) > max) return Promise.resolve('too_large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onFail);
      incoming.off('close', onFail);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
      if (size <= max) return;
      stop();
      resolve('too_large');
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onFail = () => {
      stop();
      reject(new Error('the connection closed before the body arrived'));
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onFail);
    incoming.on('close', onFail);
  });
}
