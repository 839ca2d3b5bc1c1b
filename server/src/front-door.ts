import type { Hono } from 'hono';
import { type ServerConfig, normalizeAddress } from './config.js';
import type { Env } from './app.js';
import { requestHeader } from './http-headers.js';

type Bindings = Env['Bindings'];
/** As `getRequestListener` calls it: `env` is `{ incoming, outgoing }` from `node:http` (this server does not speak HTTP/2). */
export type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

export interface FrontDoorOptions {
  config: ServerConfig;
  /** Where readers reach this server: its own pages' origin is always allowed. */
  baseUrl: () => string;
  /** One line per request; never given bodies or addresses. */
  log: (line: string) => void;
}

/** What a page may read of an API answer besides the body, and what any origin is told when every site is allowed. */
const EXPOSE = 'ETag,Retry-After';
const OPEN = { 'Access-Control-Allow-Origin': '*' };
const OPEN_READ = { ...OPEN, 'Access-Control-Expose-Headers': EXPOSE };
const PREFLIGHT = {
  'Access-Control-Allow-Methods': 'GET,POST,DELETE',
  'Access-Control-Allow-Headers': 'Content-Type,Authorization,If-None-Match,Last-Event-ID',
  'Access-Control-Max-Age': '600',
};

/**
 * What every request passes through, around the routes: the client's address, CORS and the origin check for the
 * API, and the request log. A wrapper around the router's `fetch` rather than a Hono middleware: with one, every
 * request runs as a chain of promises, and that chain with its headers set through Fetch `Headers` was a third of a
 * cached list's time under load (`bench/server.ts`, reads beside the fair ceiling). Here a route that can answer at
 * once (a cached page) does, and the API's CORS headers go into the route's own header object (`apiHeaders`) or,
 * on Node, straight onto its response: not through a Fetch `Headers`.
 */
export function frontDoor(app: Hono<Env>, { config, baseUrl, log }: FrontDoorOptions): Fetch {
  const open = config.allowedOrigins === undefined;
  // The server's own pages (the /embed/ frame) are always allowed, as are requests with no Origin (curl, servers).
  // Origins compare by scheme, host and port; the server's own is its public URL's, never the request's Host.
  const allowed = (origin: string | undefined) =>
    origin === undefined || open || config.allowedOrigins!.includes(origin) || origin === new URL(baseUrl()).origin;
  // A log line's time to the millisecond, formatted once per millisecond rather than once per request.
  let stampedAt = 0;
  let stamp = '';

  return (request, given) => {
    const started = performance.now();
    const { incoming, outgoing } = (given ?? {}) as Bindings;
    const method = incoming?.method ?? request.method;
    const path = sentPath(incoming?.url, request);
    const finish = (response: Response): Response => {
      const now = Date.now();
      if (now !== stampedAt) {
        stampedAt = now;
        stamp = new Date(now).toISOString();
      }
      log(`${stamp} ${method} ${path} ${response.status} ${(performance.now() - started).toFixed(1)}ms`);
      return response;
    };
    // The peer now, before anything reads the body: a socket reset mid-body loses it, and an unknown client must not
    // share one bucket. What it stands for is worked out only for the routes that ask (reads never do).
    const peer = incoming?.socket.remoteAddress;
    let address: string | undefined;
    const bindings: Bindings = {
      incoming,
      outgoing,
      clientAddress: () =>
        peer === undefined
          ? undefined
          : (address ??= clientAddress(normalizeAddress(peer), requestHeader(incoming, request, 'x-forwarded-for'), config.trustedProxies)),
    };

    const routed = routedPath(path);
    if (!routed.startsWith('/v1/')) return settle(app.fetch(request, bindings), finish);

    const origin = open ? undefined : requestHeader(incoming, request, 'origin');
    // Every page may read the answer, so that one on an origin that is not allowed can read the 403 below and say why.
    const allow = open ? OPEN : { 'Access-Control-Allow-Origin': origin ?? '*', Vary: 'Origin' };
    if (method === 'OPTIONS') return finish(new Response(null, { status: 204, headers: { ...allow, ...PREFLIGHT } }));
    const cors: Readonly<Record<string, string>> = open ? OPEN_READ : { ...allow, 'Access-Control-Expose-Headers': EXPOSE };
    // Pages on origins that are not allowed are refused with a reason, not just left unable to read the answer.
    if (!allowed(origin) && routed !== '/v1/health') {
      const what = method === 'GET' || method === 'HEAD' ? 'serve its comments to' : 'take comments from';
      const message = `This comments server does not ${what} pages on ${origin}; its operator can allow the site with --allowed-origins.`;
      return finish(
        new Response(JSON.stringify({ error: { code: 'origin_not_allowed', message } }), {
          status: 403,
          headers: { ...cors, 'Content-Type': 'application/json' },
        }),
      );
    }
    let included = false;
    bindings.apiHeaders = (own) => {
      included = true;
      for (const name in cors) own[name] ??= cors[name]!;
      return own;
    };
    return settle(app.fetch(request, bindings), (response) => {
      if (!included) {
        // The route's own headers win where both set one. On Node they go onto its response, which merges them, so
        // no Fetch `Headers` is built for them.
        if (outgoing !== undefined) for (const name in cors) outgoing.setHeader(name, cors[name]!);
        else for (const name in cors) if (!response.headers.has(name)) response.headers.set(name, cors[name]!);
      }
      return finish(response);
    });
  };
}

/** `then` only when there is something to wait for, so an answer ready at once goes out in the same turn. */
export function settle<T, U>(value: T | Promise<T>, then: (value: T) => U | Promise<U>): U | Promise<U> {
  return value instanceof Promise ? value.then(then) : then(value);
}

/**
 * The raw, still-encoded path as sent, without its query: a decoded one could smuggle a line break into the log.
 * Read from Node's request line rather than parsed again from the URL (a per-request cost on every read).
 */
function sentPath(raw: string | undefined, request: Request): string {
  if (raw === undefined || !raw.startsWith('/')) return new URL(request.url).pathname;
  const query = raw.indexOf('?');
  return query === -1 ? raw : raw.slice(0, query);
}

/** The path as the router matches it: percent-escapes decoded, as Hono does. */
function routedPath(path: string): string {
  if (!path.includes('%')) return path;
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/** The socket's peer, or, behind a trusted proxy, the nearest address the proxies did not add. */
function clientAddress(peer: string, forwardedFor: string | undefined, trustedProxies: string[]): string {
  if (!trustedProxies.includes(peer)) return peer;
  const forwarded = (forwardedFor ?? '')
    .split(',')
    .map((part) => normalizeAddress(part.trim()))
    .filter(Boolean);
  for (let i = forwarded.length - 1; i >= 0; i--) {
    if (!trustedProxies.includes(forwarded[i]!)) return forwarded[i]!;
  }
  return peer;
}
