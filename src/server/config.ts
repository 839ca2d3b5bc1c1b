import { isIP } from 'node:net';
import { parseArgs } from 'node:util';

export interface ServerConfig {
  port: number;
  host: string;
  /** A file path for SQLite. */
  db: string;
  /** A folder of `{id}.json` / `{id}.txt` episodes, or none. */
  episodes: string | undefined;
  /** Origins allowed to call the API from a browser; `undefined` means any. */
  allowedOrigins: string[] | undefined;
  adminToken: string | undefined;
  postsPerMinute: number;
  /** Socket addresses of proxies whose `X-Forwarded-For` is believed. */
  trustedProxies: string[];
}

/** A setting that stops the server: its message is the one line printed. */
export class ConfigError extends Error {}

const FLAGS = {
  port: { type: 'string', env: 'PORT' },
  host: { type: 'string', env: 'HOST' },
  db: { type: 'string', env: 'DB_PATH' },
  episodes: { type: 'string', env: 'EPISODES_DIR' },
  'allowed-origins': { type: 'string', env: 'ALLOWED_ORIGINS' },
  'admin-token': { type: 'string', env: 'ADMIN_TOKEN' },
  'posts-per-minute': { type: 'string', env: 'POSTS_PER_MINUTE' },
  'trusted-proxy': { type: 'string', env: 'TRUSTED_PROXY' },
  help: { type: 'boolean', env: undefined },
} as const;

export const USAGE = `Usage: paperledge-comments [options]
  --port N                 port to listen on; 0 picks a free one (PORT, default 8787)
  --host ADDRESS           address to listen on (HOST, default 127.0.0.1)
  --db PATH|URL            SQLite file, or postgres://user:pass@host/db (DB_PATH or DATABASE_URL, default ./data/comments.db)
  --episodes DIR           folder of {id}.json / {id}.txt episodes to serve (EPISODES_DIR)
  --allowed-origins LIST   comma-separated origins allowed to call the API (ALLOWED_ORIGINS, default any)
  --admin-token TOKEN      token that may delete any comment (ADMIN_TOKEN, at least 16 characters)
  --posts-per-minute N     posts per minute per client (POSTS_PER_MINUTE, default 3)
  --trusted-proxy LIST     comma-separated proxy addresses whose X-Forwarded-For is used (TRUSTED_PROXY)`;

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
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): ServerConfig | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(Object.entries(FLAGS).map(([name, flag]) => [name, { type: flag.type }]));
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify.*$/s, '').split('\n')[0];
    throw new ConfigError(`${message} (see --help)`);
  }
  if (values['help']) return 'help';
  const get = (name: keyof typeof FLAGS): string | undefined => {
    const flag = values[name];
    if (typeof flag === 'string') return flag;
    const envName = FLAGS[name].env;
    return envName === undefined || env[envName] === '' ? undefined : env[envName];
  };

  const port = wholeNumber('port', get('port') ?? '8787', 0, 65535);
  const postsPerMinute = wholeNumber('posts-per-minute', get('posts-per-minute') ?? '3', 1, 1_000_000);
  const origins = list(get('allowed-origins'))?.map(origin);
  const adminToken = get('admin-token');
  if (adminToken !== undefined && adminToken.length < 16) {
    throw new ConfigError('--admin-token must be at least 16 characters long');
  }
  const trustedProxies = list(get('trusted-proxy')) ?? [];
  for (const proxy of trustedProxies) {
    if (isIP(proxy) === 0) throw new ConfigError(`--trusted-proxy: "${proxy}" is not an IP address`);
  }
  const db = get('db') ?? (env['DATABASE_URL'] || undefined) ?? './data/comments.db';
  if (db.trim() === '') throw new ConfigError('--db must name a file');
  return {
    port,
    host: get('host') ?? '127.0.0.1',
    db,
    episodes: get('episodes'),
    allowedOrigins: origins === undefined || origins.includes('*') ? undefined : origins,
    adminToken,
    postsPerMinute,
    trustedProxies: trustedProxies.map(normalizeAddress),
  };
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client. */
export function normalizeAddress(address: string): string {
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').toLowerCase();
}
