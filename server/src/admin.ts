import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type Context, type Hono } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import { isEpisodeId } from 'paperledge-widgets/model';
import { DEFAULT_PAGE, DELETE_ATTEMPTS_PER_MINUTE, type Env, MAX_PAGE, RATE_WINDOW_MS, apiError, rateLimited, sameSecret } from './app.js';
import type { ServerConfig } from './config.js';
import { distDir, escapeHtml } from './embed.js';
import { SlidingWindowLimiter } from './rate-limit.js';
import { readerLanguage, readerText } from './reader-language.js';
import { noSuchScript, sendScript } from './scripts.js';
import type { AdminFilter, CommentStore } from './store.js';

export interface AdminDeps {
  store: CommentStore;
  config: ServerConfig;
  clientKey: (address: string) => string;
  baseUrl: () => string;
  episodeTitle: (id: string) => string | undefined;
}

const COOKIE = 'paperledge_admin';
/** A console session lasts half a day; then the owner signs in again. */
const SESSION_MS = 12 * 3600 * 1000;
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/**
 * Console sessions need no table: the cookie is `expiry.nonce.signature`, signed with a key derived from the admin
 * token, so any process of the server can check it and changing the token ends every session. The CSRF token is
 * derived from the cookie, so a page that cannot read the cookie's session cannot make it either.
 */
function sessionKey(adminToken: string): Buffer {
  return createHmac('sha256', adminToken).update('paperledge-console-session').digest();
}

function sign(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

function newSession(key: Buffer): string {
  const body = `${Date.now() + SESSION_MS}.${randomBytes(16).toString('base64url')}`;
  return `${body}.${sign(key, body)}`;
}

/** The session's CSRF token, or undefined when the cookie is missing, forged or expired. */
function sessionCsrf(key: Buffer, cookie: string | undefined): string | undefined {
  const [expires, nonce, signature] = (cookie ?? '').split('.');
  if (!expires || !nonce || !signature) return undefined;
  if (!sameSecret(signature, sign(key, `${expires}.${nonce}`)) || Number(expires) < Date.now()) return undefined;
  return sign(key, `csrf.${cookie}`);
}

/** The token of `Authorization: Bearer …` (a delete token or the admin token), or undefined. */
export function bearer(c: Context): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '')?.[1];
}

/**
 * Whether a request comes from a signed-in console: a valid session cookie and, for anything but a read, the
 * matching `X-CSRF-Token` header.
 */
function fromConsole(key: Buffer | undefined, c: Context): boolean {
  const csrf = key && sessionCsrf(key, getCookie(c, COOKIE));
  if (!csrf) return false;
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return true;
  const given = c.req.header('X-CSRF-Token');
  return given !== undefined && sameSecret(given, csrf);
}

const SignIn = z.object({ token: z.string({ error: 'Send the admin token as {"token": "…"}.' }) }, { error: 'Send the admin token as {"token": "…"}.' });

/**
 * The owner's side: the console page at `/admin` and its script, sign-in to a session cookie, and the admin API,
 * which takes the admin token (`Authorization: Bearer …`) or a console session with its CSRF header.
 */
export function adminRoutes(app: Hono<Env>, { store, config, clientKey, baseUrl, episodeTitle }: AdminDeps) {
  const key = config.adminToken === undefined ? undefined : sessionKey(config.adminToken);
  const isAdminRequest = (c: Context) => fromConsole(key, c);
  // Built here, not at load: this module and app.ts import each other, and these use app.ts's limits.
  const AdminListQuery = z.object({
    status: z.enum(['pending', 'reported', 'visible', 'all'] satisfies AdminFilter[], {
      error: 'status must be pending, reported, visible or all.',
    }).optional(),
    episode: z.string().refine(isEpisodeId, 'episode must be an episode id.').optional(),
    q: z.string().max(200, 'q must be at most 200 characters.').optional(),
    cursor: z.string().optional(),
    limit: z
      .string()
      .regex(/^[1-9]\d{0,2}$/, `limit must be a whole number from 1 to ${MAX_PAGE}.`)
      .transform(Number)
      .refine((n) => n <= MAX_PAGE, `limit must be a whole number from 1 to ${MAX_PAGE}.`)
      .optional(),
  });

  const BlockBody = z.object(
    {
      commentId: z.string({ error: 'commentId must be the id of a comment by the writer to block.' }),
      days: z
        .number({ error: 'days must be a number of days, from 1 to 3650.' })
        .int('days must be a whole number of days.')
        .min(1, 'days must be at least 1.')
        .max(3650, 'days must be at most 3650 (ten years).'),
    },
    { error: 'The request body must be a JSON object like {"commentId": "…", "days": 7}.' },
  );

  const attempts = new SlidingWindowLimiter();
  const disabled = (c: Context) =>
    apiError(c, 403, 'admin_disabled', 'Moderation needs an admin token: start the server with --admin-token-file (or --admin-token).');

  app.get('/admin', (c) => {
    c.header('Content-Security-Policy', CSP);
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    // In the owner's language: the page's lang picks the console's words, and Vary keeps caches apart.
    c.header('Vary', 'Accept-Language');
    return c.html(consolePage(readerLanguage(c.req.header('Accept-Language'))));
  });

  // The console's words in a language, fetched by its bundle only when the page is in that language.
  app.get('/admin/locales/:file{[a-z]{2,3}\\.js}', (c) =>
    sendScript(c, join(distDir(), 'admin', 'locales', c.req.param('file')), { cacheControl: 'no-cache', missing: noSuchScript }),
  );

  app.get('/admin/console.js', (c) =>
    sendScript(c, join(distDir(), 'admin', 'console.js'), {
      cacheControl: 'no-cache',
      missing: (c) => apiError(c, 503, 'not_built', 'The console script is missing: run `npm run build` where the server is installed.'),
    }),
  );

  /** Signs in: the token in a JSON body (never a URL), rate-limited like every wrong token. */
  app.post('/admin/session', async (c) => {
    const client = clientKey(c.env.clientAddress?.() ?? 'unknown');
    const tries = attempts.hit(client, DELETE_ATTEMPTS_PER_MINUTE, RATE_WINDOW_MS);
    if ('retryAfterMs' in tries) return rateLimited(c, tries.retryAfterMs, 'sign-in attempts');
    if (!key) return disabled(c);
    if (!/^application\/json\s*(;|$)/i.test(c.req.header('Content-Type') ?? '')) {
      return apiError(c, 415, 'unsupported_media_type', 'Sign in with Content-Type: application/json.');
    }
    const parsed = SignIn.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return apiError(c, 400, 'invalid_field', parsed.error.issues[0]!.message, 'token');
    if (!sameSecret(parsed.data.token, config.adminToken!)) return apiError(c, 403, 'forbidden', 'That is not the admin token.', 'token');
    attempts.refund(client);
    const session = newSession(key);
    setCookie(c, COOKIE, session, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: baseUrl().startsWith('https:'),
      path: '/',
      maxAge: SESSION_MS / 1000,
    });
    return c.json({ csrf: sessionCsrf(key, session) });
  });

  /** Whether this browser is signed in, and the CSRF token its changes must carry. */
  app.get('/admin/session', (c) => {
    const csrf = key && sessionCsrf(key, getCookie(c, COOKIE));
    if (!csrf) return apiError(c, 401, 'unauthorized', 'Sign in with the admin token.');
    c.header('Cache-Control', 'no-store');
    return c.json({ csrf });
  });

  app.delete('/admin/session', (c) => {
    if (!isAdminRequest(c)) return apiError(c, 403, 'csrf', 'Sign out from the console page.');
    deleteCookie(c, COOKIE, { path: '/', secure: baseUrl().startsWith('https:'), sameSite: 'Strict', httpOnly: true });
    return c.body(null, 204);
  });

  app.use('/v1/admin/*', async (c, next) => {
    const client = clientKey(c.env.clientAddress?.() ?? 'unknown');
    const tries = attempts.hit(client, DELETE_ATTEMPTS_PER_MINUTE, RATE_WINDOW_MS);
    if ('retryAfterMs' in tries) return rateLimited(c, tries.retryAfterMs, 'sign-in attempts');
    if (!key) return disabled(c);
    const token = bearer(c);
    if (token === undefined) {
      if (!getCookie(c, COOKIE)) return apiError(c, 401, 'unauthorized', 'This needs the admin token (Authorization: Bearer …) or a console session.');
      if (!isAdminRequest(c)) {
        return apiError(c, 403, 'csrf', 'The console session is missing, expired, or this change came without its CSRF token: sign in again.');
      }
    } else if (!sameSecret(token, config.adminToken!)) {
      return apiError(c, 403, 'forbidden', 'That is not the admin token.');
    }
    attempts.refund(client);
    return next();
  });

    app.get('/v1/admin/comments', async (c) => {
      const query = AdminListQuery.safeParse(c.req.query());
      if (!query.success) {
        const issue = query.error.issues[0]!;
        return apiError(c, 400, 'invalid_query', issue.message, String(issue.path[0]));
      }
      const { status, episode, q, cursor, limit } = query.data;
      if (cursor !== undefined && !store.isCursor(cursor)) {
        return apiError(c, 400, 'invalid_cursor', 'cursor is not one this server gave out: start again without it.', 'cursor');
      }
      const page = await store.adminList({ filter: status ?? 'all', episodeId: episode, q, cursor: cursor ?? null, limit: limit ?? DEFAULT_PAGE });
      const titled = page.comments.map((comment) => ({ ...comment, episodeTitle: episodeTitle(comment.episodeId) ?? null }));
      return c.json({ ...page, comments: titled, counts: await store.counts() });
    });

    for (const [action, status] of [['approve', 'visible'], ['hide', 'pending']] as const) {
      app.post(`/v1/admin/comments/:commentId/${action}`, async (c) => {
        const comment = await store.setStatus(c.req.param('commentId'), status);
        if (!comment) return apiError(c, 404, 'not_found', 'There is no such comment (it may have been deleted).');
        return c.json({ comment });
      });
    }

    app.post('/v1/admin/blocks', async (c) => {
      let json: unknown;
      try {
        json = await c.req.json();
      } catch {
        return apiError(c, 400, 'invalid_json', 'The request body must be JSON like {"commentId": "…", "days": 7}.');
      }
      const parsed = BlockBody.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return apiError(c, 400, 'invalid_field', issue.message, String(issue.path[0] ?? ''));
      }
      const comment = await store.find(parsed.data.commentId);
      if (!comment) return apiError(c, 404, 'not_found', 'There is no such comment (it may have been deleted).');
      if (comment.authorKey === '') {
        return apiError(c, 409, 'no_author_key', 'This comment was written before blocks existed: its writer cannot be told apart.');
      }
      const until = Date.now() + parsed.data.days * 24 * 3600 * 1000;
      await store.block(comment.authorKey, until);
      return c.json({ blockedUntil: new Date(until).toISOString() }, 201);
    });

  return { isAdminRequest };
}

/** The console's page: nothing inline, so its CSP allows only its own script. */
const consolePage = (lang: string) => `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(readerText(lang, 'console_title') ?? 'Moderation — PaperLedge comments')}</title>
<script type="module" src="admin/console.js"></script>
</head>
<body>
<paperledge-moderation><noscript>${escapeHtml(readerText(lang, 'console_noscript') ?? 'The moderation console needs JavaScript.')}</noscript></paperledge-moderation>
</body>
</html>
`;
