import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createApp } from './app.js';
import { episodeRoutes } from './embed.js';
import { ConfigError, type ServerConfig } from './config.js';
import { EpisodeCatalog, EpisodeLibrary } from './episodes.js';
import { Feeds } from './feeds.js';
import { EventHub } from './live.js';
import { authorNamer, clientNamer, loadClientKey } from './client-key.js';
import { type ModerationRules, loadBlocklist } from './moderation.js';
import { Notifier, channelsOf } from './notifier.js';
import { PostgresStore, isPostgresUrl } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { CommentStore } from './store.js';

export interface RunningServer {
  /** Where it listens, e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  store: CommentStore;
  /** How many episodes `--episodes` held at start-up. */
  episodes: number | undefined;
  /** How many episodes the `--feed`s held at start-up. */
  feedEpisodes: number | undefined;
  /** Stops taking connections, finishes requests in flight, then closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  log?: (line: string) => void;
  /** A store to use instead of opening `config.db`. */
  store?: CommentStore;
  /** How often notifications are looked for (default 1 s). */
  notifyIntervalMs?: number;
  /** How often an idle live stream gets a heartbeat (default 15 s). */
  heartbeatMs?: number;
  /**
   * Where readers reach the server when `config.publicUrl` is not set: absolute URLs are built from it,
   * never from the request's Host. `startServer` passes its listening address.
   */
  baseUrl?: () => string;
  /** How long a stop waits for busy connections before closing them (default 10 s). */
  shutdownGraceMs?: number;
}

/** What a stop gives requests in flight: far longer than any answer takes, short enough for a service manager's patience. */
const SHUTDOWN_GRACE_MS = 10_000;

/** `--db postgres://…` opens PostgreSQL; anything else is a SQLite file path. */
export async function openStore(config: ServerConfig): Promise<CommentStore> {
  const channels = channelsOf(config);
  if (isPostgresUrl(config.db)) {
    const store = new PostgresStore(config.db, { channels });
    await store.ready();
    return store;
  }
  checkDatabasePath(config.db);
  return SqliteStore.open(config.db, { channels });
}

/** Where the client key lives unless `--client-key-file` says: beside the SQLite file, or in ./data for PostgreSQL. */
export function clientKeyFile(config: ServerConfig): string {
  return config.clientKeyFile ?? (isPostgresUrl(config.db) ? join('data', 'client.key') : `${config.db}.key`);
}

/** A SQLite path whose folder cannot exist says so, instead of a raw EEXIST or ENOTDIR from deep inside. */
function checkDatabasePath(path: string): void {
  if (path === ':memory:') throw new ConfigError('--db: an in-memory database would lose every comment on restart; name a file');
  const parts = path.split(/[\\/]/);
  for (let i = 1; i < parts.length; i++) {
    const folder = parts.slice(0, i).join('/');
    if (folder === '' || folder === '.') continue;
    let isFile = false;
    try {
      isFile = !statSync(folder).isDirectory();
    } catch {
      return;
    }
    if (isFile) throw new ConfigError(`--db: ${path} cannot be created because ${folder} is a file, not a folder; choose another path`);
  }
  try {
    if (statSync(path).isDirectory()) throw new ConfigError(`--db: ${path} is a folder; name a file in it, like ${path.replace(/\/$/, '')}/comments.db`);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
  }
}

/** The API's request listener over its store, with clients named by a key kept in that store. */
export async function createListener(config: ServerConfig, options: StartOptions = {}) {
  const log = options.log ?? ((line: string) => console.log(line));
  // Episodes first: a broken episode file stops start-up before a database is created.
  const folder = config.episodes === undefined ? undefined : EpisodeCatalog.open(config.episodes, log);
  const feeds = config.feeds.length === 0 ? undefined : await Feeds.open(config.feeds, config.feedRefreshSeconds, log);
  const catalog = folder === undefined && feeds === undefined ? undefined : new EpisodeLibrary(folder, feeds);
  // The database path before the key file beside it, so a bad --db is named as such.
  if (!isPostgresUrl(config.db) && !options.store) checkDatabasePath(config.db);
  const key = loadClientKey(clientKeyFile(config), log);
  const clientKey = clientNamer(key);
  const rules: ModerationRules = { mode: config.moderation, maxLinks: config.maxLinks, blocklist: loadBlocklist(config.blocklistFile) };
  const store = options.store ?? (await openStore(config));
  const fallback = options.baseUrl ?? (() => `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`);
  const baseUrl = () => config.publicUrl ?? fallback();
  const extend = catalog === undefined ? undefined : episodeRoutes(catalog, baseUrl);
  const episodeTitle = (id: string) => catalog?.get(id)?.title;
  const live = new EventHub(store, options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {});
  const fetch = createApp({ store, config, clientKey, authorKey: authorNamer(key), rules, log, baseUrl, episodeTitle, live, ...(extend ? { extend } : {}) });
  const notifier = new Notifier({
    store,
    config,
    log,
    baseUrl,
    episodeTitle,
    ...(options.notifyIntervalMs ? { intervalMs: options.notifyIntervalMs } : {}),
  });
  notifier.start();
  // Notifications stop before the database closes; closing twice is closing once.
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      live.close();
      feeds?.close();
      await notifier.stop();
      await store.close();
    })());
  return { listener: getRequestListener(fetch), store, catalog, folder, feeds, live, close };
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let url = `http://${host}:${config.port}`;
  const { listener, store, folder, feeds, live, close } = await createListener(config, { ...options, baseUrl: () => url });
  const server = createServer(listener);
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    await close();
    throw listenError(error as NodeJS.ErrnoException, config);
  }
  const { port } = server.address() as AddressInfo;
  url = `http://${host}:${port}`;
  return {
    url,
    port,
    store,
    episodes: folder?.size,
    feedEpisodes: feeds?.ids().length,
    close: async () => {
      // Live streams never end on their own: end them, or the server would wait for them forever; their connections,
      // idle once the streams end, are closed as they go idle rather than after the keep-alive timeout.
      live.close();
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      // A stop must end even if a client never lets its connection go idle (a stuck upload, a proxy holding a stream):
      // after the grace period what is left is cut, and the log says so.
      const graceMs = options.shutdownGraceMs ?? SHUTDOWN_GRACE_MS;
      const grace = setTimeout(() => {
        server.getConnections((_, count) => {
          (options.log ?? console.log)(`stopping: ${count} connection${count === 1 ? '' : 's'} still busy after ${graceMs / 1000} s, closed`);
          server.closeAllConnections();
        });
      }, graceMs);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearInterval(idle);
      clearTimeout(grace);
      await close();
    },
  };
}

/** The usual reasons a port cannot be had, as a sentence with the fix. */
function listenError(error: NodeJS.ErrnoException, config: ServerConfig): Error {
  const where = `port ${config.port} on ${config.host}`;
  if (error.code === 'EADDRINUSE') {
    return new ConfigError(`${where} is already in use (another paperledge-comments?): stop that server or choose another port with --port (0 picks a free one)`);
  }
  if (error.code === 'EACCES') return new ConfigError(`${where} needs privileges this user lacks: use a port above 1023, behind a proxy for 80 and 443`);
  if (error.code === 'EADDRNOTAVAIL') return new ConfigError(`--host ${config.host} is not an address of this machine`);
  return error;
}
