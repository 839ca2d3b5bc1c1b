import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createApp } from './app.js';
import { episodeRoutes } from './embed.js';
import type { ServerConfig } from './config.js';
import { PostgresStore, isPostgresUrl } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { CommentStore } from './store.js';

export interface RunningServer {
  /** Where it listens, e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  store: CommentStore;
  /** Stops taking connections, finishes requests in flight, then closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  log?: (line: string) => void;
  /** A store to use instead of opening `config.db`. */
  store?: CommentStore;
}

/** `--db postgres://…` opens PostgreSQL; anything else is a SQLite file path. */
export function openStore(config: ServerConfig): CommentStore {
  return isPostgresUrl(config.db) ? new PostgresStore(config.db) : new SqliteStore(config.db);
}

/** The API's request listener over its store, with clients named by a key kept in that store. */
export async function createListener(config: ServerConfig, options: StartOptions = {}) {
  const log = options.log ?? ((line: string) => console.log(line));
  const store = options.store ?? openStore(config);
  const secret = await store.secret();
  const clientKey = (address: string) => createHmac('sha256', secret).update(address).digest('base64url').slice(0, 32);
  const extend = config.episodes === undefined ? undefined : episodeRoutes(config.episodes);
  const app = createApp({ store, config, clientKey, log, ...(extend ? { extend } : {}) });
  return { listener: getRequestListener(app.fetch), store };
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const { listener, store } = await createListener(config, options);
  const server = createServer(listener);
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
