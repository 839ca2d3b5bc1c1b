import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';

export interface ServerConfig {
  port: number;
  host: string;
  /** A file path for SQLite. */
  db: string;
  /** A folder of `{id}.json` / `{id}.txt` episodes, or none. */
  episodes: string | undefined;
  /** Podcast RSS feeds (URLs or files) whose items are served as episodes. */
  feeds: string[];
  /** How often a feed URL is read again (a feed file is checked every 2 s). */
  feedRefreshSeconds: number;
  /** Origins allowed to call the API from a browser; `undefined` means any. */
  allowedOrigins: string[] | undefined;
  adminToken: string | undefined;
  postsPerMinute: number;
  /** Socket addresses of proxies whose `X-Forwarded-For` is believed. */
  trustedProxies: string[];
  /** The key that names clients; `undefined`: `{db}.key` beside a SQLite file, `data/client.key` for PostgreSQL. */
  clientKeyFile: string | undefined;
  /** The origin every absolute URL is built from; `undefined`: the address the server listens on. Never the request's Host. */
  publicUrl: string | undefined;
  /** `post`: comments show at once and can be hidden later; `pre`: every new comment waits for approval. */
  moderation: 'post' | 'pre';
  /** A comment with more links than this waits for approval. */
  maxLinks: number;
  /** A file of words and phrases that make a comment wait for approval. */
  blocklistFile: string | undefined;
  /** Reports from this many different clients hide a comment until the owner reviews it. */
  reportThreshold: number;
  /** Where each new, pending or reported comment is POSTed as a JSON event. */
  notifyWebhook: string | undefined;
  /** Signs webhook bodies: `PaperLedge-Signature: sha256=<hex HMAC-SHA256 of the raw body>`. */
  notifySecret: string | undefined;
  /** `smtp://user:pass@host:587` or `smtps://…`: the mail server that sends the same events by e-mail. */
  smtp: string | undefined;
  /** Who receives them. */
  notifyEmail: string | undefined;
  /** Live event streams open at once, in all: beyond it `503`, and pages poll instead. */
  maxEventStreams: number;
  /** Live event streams open at once from one client. */
  maxEventStreamsPerClient: number;
}

/** A setting or start-up check that stops the server: each line of its message is printed, then exit status 2. */
export class ConfigError extends Error {}

const FLAGS = {
  port: { type: 'string', env: 'PORT' },
  host: { type: 'string', env: 'HOST' },
  db: { type: 'string', env: 'DB_PATH' },
  episodes: { type: 'string', env: 'EPISODES_DIR' },
  feed: { type: 'string', env: 'FEEDS', multiple: true },
  'feed-refresh': { type: 'string', env: 'FEED_REFRESH' },
  'allowed-origins': { type: 'string', env: 'ALLOWED_ORIGINS' },
  'admin-token': { type: 'string', env: 'ADMIN_TOKEN' },
  'posts-per-minute': { type: 'string', env: 'POSTS_PER_MINUTE' },
  'trusted-proxy': { type: 'string', env: 'TRUSTED_PROXY' },
  'public-url': { type: 'string', env: 'PUBLIC_URL' },
  'admin-token-file': { type: 'string', env: 'ADMIN_TOKEN_FILE' },
  'client-key-file': { type: 'string', env: 'CLIENT_KEY_FILE' },
  moderation: { type: 'string', env: 'MODERATION' },
  'max-links': { type: 'string', env: 'MAX_LINKS' },
  blocklist: { type: 'string', env: 'BLOCKLIST' },
  'report-threshold': { type: 'string', env: 'REPORT_THRESHOLD' },
  'notify-webhook': { type: 'string', env: 'NOTIFY_WEBHOOK' },
  'notify-secret': { type: 'string', env: 'NOTIFY_SECRET' },
  smtp: { type: 'string', env: 'SMTP_URL' },
  'notify-email': { type: 'string', env: 'NOTIFY_EMAIL' },
  'max-event-streams': { type: 'string', env: 'MAX_EVENT_STREAMS' },
  'max-event-streams-per-client': { type: 'string', env: 'MAX_EVENT_STREAMS_PER_CLIENT' },
  help: { type: 'boolean', env: undefined, short: 'h' },
  version: { type: 'boolean', env: undefined },
} as const;

export const USAGE = `Usage: paperledge-comments [options]            (the server; also: export, import --help)
  --port N                 port to listen on; 0 picks a free one (PORT, default 8787)
  --host ADDRESS           address to listen on (HOST, default 127.0.0.1)
  --db PATH|URL            SQLite file, or postgres://user:pass@host/db (DB_PATH or DATABASE_URL, default ./data/comments.db)
  --episodes DIR           folder of {id}.json / {id}.txt episodes to serve (EPISODES_DIR)
  --feed URL|FILE          a podcast RSS feed whose items are served as episodes, with their Podcasting 2.0
                           transcripts, chapters and authors; repeatable (FEEDS, comma-separated)
  --feed-refresh SECONDS   how often feed URLs are read again, with ETag/If-Modified-Since (FEED_REFRESH, default 900)
  --allowed-origins LIST   comma-separated origins allowed to call the API (ALLOWED_ORIGINS, default any)
  --public-url URL         the address readers reach the server at, e.g. https://comments.example.org; every absolute
                           URL (oEmbed, embed pages, comments.api) is built from it (PUBLIC_URL, default: the listening address)
  --admin-token TOKEN      token that may delete any comment (ADMIN_TOKEN, at least 16 characters)
  --admin-token-file FILE  the admin token read from a file, so it is not visible in ps (ADMIN_TOKEN_FILE)
  --posts-per-minute N     posts per minute per client (POSTS_PER_MINUTE, default 3)
  --client-key-file FILE   the secret that names clients for rate limits, kept out of the database; made on first start
                           (CLIENT_KEY_FILE, default: {db}.key beside a SQLite file, ./data/client.key with PostgreSQL)
  --trusted-proxy LIST     comma-separated proxy addresses whose X-Forwarded-For is used (TRUSTED_PROXY)
  --moderation post|pre    post: comments show at once and can be hidden later; pre: each waits for approval
                           (MODERATION, default post)
  --max-links N            a comment with more links than this waits for approval (MAX_LINKS, default 2)
  --blocklist FILE         words and phrases, one a line, that make a comment wait for approval (BLOCKLIST)
  --report-threshold N     reports from N different readers hide a comment until reviewed (REPORT_THRESHOLD, default 3)
  --notify-webhook URL     POST a JSON event for each new, pending or reported comment (NOTIFY_WEBHOOK)
  --notify-secret S        sign webhook bodies: PaperLedge-Signature: sha256=<hex HMAC-SHA256> (NOTIFY_SECRET)
  --smtp URL               smtp://user:pass@host:587 or smtps://…, to send the same events by e-mail (SMTP_URL)
  --notify-email ADDRESS   who receives them (NOTIFY_EMAIL)
  --max-event-streams N    live comment streams open at once; beyond, 503 and pages poll (MAX_EVENT_STREAMS, default 5000)
  --max-event-streams-per-client N
                           live streams from one client (MAX_EVENT_STREAMS_PER_CLIENT, default 20)
  -h, --help               print this and exit
  --version                print the version and exit`;

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function wholeNumber(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return Number(value);
}

function origin(value: string): string {
  if (value === '*') return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`--allowed-origins: "${value}" is not an origin like https://blog.example.org`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== value.replace(/\/$/, '')) {
    throw new ConfigError(`--allowed-origins: "${value}" is not an origin like https://blog.example.org (no path)`);
  }
  return url.origin;
}

/** Flags win over environment variables; anything unknown or malformed stops with one line. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): ServerConfig | 'help' | 'version' {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    const options = Object.fromEntries(
      Object.entries(FLAGS).map(([name, flag]) => [
        name,
        { type: flag.type, ...('short' in flag ? { short: flag.short } : {}), ...('multiple' in flag ? { multiple: flag.multiple } : {}) },
      ]),
    );
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify.*$/s, '').split('\n')[0];
    throw new ConfigError(`${message} (see --help)`);
  }
  if (values['help']) return 'help';
  if (values['version']) return 'version';
  const get = (name: keyof typeof FLAGS): string | undefined => {
    const flag = values[name];
    if (typeof flag === 'string') return flag;
    const envName = FLAGS[name].env;
    return envName === undefined || env[envName] === '' ? undefined : env[envName];
  };

  const port = wholeNumber('port', get('port') ?? '8787', 0, 65535);
  const postsPerMinute = wholeNumber('posts-per-minute', get('posts-per-minute') ?? '3', 1, 1_000_000);
  const origins = list(get('allowed-origins'))?.map(origin);
  const adminToken = readAdminToken(get('admin-token'), get('admin-token-file'));
  if (adminToken !== undefined && adminToken.length < 16) {
    throw new ConfigError('--admin-token must be at least 16 characters long');
  }
  const trustedProxies = list(get('trusted-proxy')) ?? [];
  for (const proxy of trustedProxies) {
    if (isIP(proxy) === 0) throw new ConfigError(`--trusted-proxy: "${proxy}" is not an IP address`);
  }
  const db = get('db') ?? (env['DATABASE_URL'] || undefined) ?? './data/comments.db';
  if (db.trim() === '') throw new ConfigError('--db must name a file');
  const publicUrlValue = get('public-url');
  return {
    port,
    host: get('host') ?? '127.0.0.1',
    db,
    episodes: get('episodes'),
    feeds: feedList(values['feed'], env['FEEDS']),
    feedRefreshSeconds: wholeNumber('feed-refresh', get('feed-refresh') ?? '900', 1, 7 * 24 * 3600),
    allowedOrigins: origins === undefined || origins.includes('*') ? undefined : origins,
    adminToken,
    postsPerMinute,
    trustedProxies: trustedProxies.map(normalizeAddress),
    publicUrl: publicUrlValue === undefined ? undefined : publicUrl(publicUrlValue),
    clientKeyFile: get('client-key-file'),
    moderation: moderationMode(get('moderation') ?? 'post'),
    maxLinks: wholeNumber('max-links', get('max-links') ?? '2', 0, 1000),
    blocklistFile: get('blocklist'),
    reportThreshold: wholeNumber('report-threshold', get('report-threshold') ?? '3', 1, 1000),
    ...notifications(get('notify-webhook'), get('notify-secret'), get('smtp'), get('notify-email')),
    maxEventStreams: wholeNumber('max-event-streams', get('max-event-streams') ?? '5000', 0, 1_000_000),
    maxEventStreamsPerClient: wholeNumber('max-event-streams-per-client', get('max-event-streams-per-client') ?? '20', 0, 1_000_000),
  };
}

/** Each --feed (or the comma-separated FEEDS): an http(s) URL or a file path. */
function feedList(flags: unknown, env: string | undefined): string[] {
  const given = Array.isArray(flags) ? (flags as string[]) : (env ?? '').split(/[\s,]+/);
  const feeds = given.map((feed) => feed.trim()).filter(Boolean);
  for (const feed of feeds) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(feed) && !/^https?:\/\/[^/\s]+/i.test(feed)) {
      throw new ConfigError(`--feed: "${feed}" is neither an http(s) URL nor a file path`);
    }
  }
  return feeds;
}

/** The webhook and the mail settings, each checked on its own and with the one it needs. */
function notifications(webhook: string | undefined, secret: string | undefined, smtp: string | undefined, email: string | undefined) {
  if (webhook !== undefined && !/^https?:\/\/[^/\s]+/i.test(webhook)) {
    throw new ConfigError(`--notify-webhook: "${webhook}" is not an http(s) URL like https://hooks.example.org/paperledge`);
  }
  if (secret !== undefined && webhook === undefined) throw new ConfigError('--notify-secret signs webhook bodies: give --notify-webhook too');
  if (smtp !== undefined && !/^smtps?:\/\/[^/\s]+/i.test(smtp)) {
    throw new ConfigError(`--smtp: "${smtp.replace(/\/\/[^@/]*@/, '//…@')}" is not a mail server URL like smtp://user:password@mail.example.org:587 or smtps://…`);
  }
  if ((smtp === undefined) !== (email === undefined)) {
    throw new ConfigError('e-mail notifications need both --smtp (the mail server) and --notify-email (who receives them)');
  }
  if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new ConfigError(`--notify-email: "${email}" is not an e-mail address`);
  return { notifyWebhook: webhook, notifySecret: secret, smtp, notifyEmail: email };
}

function moderationMode(value: string): 'post' | 'pre' {
  if (value === 'post' || value === 'pre') return value;
  throw new ConfigError(`--moderation must be post (comments show at once) or pre (each waits for approval), not "${value}"`);
}

function readAdminToken(token: string | undefined, file: string | undefined): string | undefined {
  if (file === undefined) return token;
  if (token !== undefined) throw new ConfigError('give the admin token once: --admin-token or --admin-token-file, not both');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(`--admin-token-file: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** `https://comments.example.org` (a path is kept for servers behind a sub-path), never with a query or hash. */
function publicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`--public-url: "${value}" is not a URL like https://comments.example.org`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`--public-url: "${value}" must be an http(s) address with no query, fragment or password, like https://comments.example.org`);
  }
  return url.href.replace(/\/$/, '');
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client. */
export function normalizeAddress(address: string): string {
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').toLowerCase();
}
