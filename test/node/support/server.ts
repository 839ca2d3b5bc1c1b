import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import pg from 'pg';
import { clusterFiles, createDatabase, postgres } from './postgres.js';
import { appendFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerConfig, parseConfig } from '../../../server/src/config.js';
import { type RunningServer, startServer } from '../../../server/src/server.js';

export interface TestServer extends RunningServer {
  dir: string;
  /** The `--db` value: a file path or a postgres:// URL. */
  dbPath: string;
  logPath: string;
  logLines: string[];
  config: ServerConfig;
  comments(episodeId: string): string;
}

export interface StoreKind {
  name: string;
  /** The `--db` value for a fresh, empty database; `dir` is the test's temp folder. */
  db(dir: string): Promise<string>;
  /** Backdates a comment, as waiting would. */
  age(db: string, commentId: string, createdAt: string): Promise<void>;
  /** The files that hold the store's data, for byte searches. */
  files(db: string): Promise<string[]>;
  /** Every table's name and every row as text: what someone holding the database alone can read. */
  dump(db: string): Promise<string>;
}

/** The stores the contract suite runs against: the same tests, parameterised. */
export const STORES: StoreKind[] = [
  {
    name: 'SQLite',
    db: async (dir) => join(dir, 'comments.db'),
    age: async (db, id, createdAt) => {
      const sqlite = new Database(db);
      sqlite.prepare('UPDATE comments SET created_at = ? WHERE id = ?').run(createdAt, id);
      sqlite.close();
    },
    files: async (db) => [db, `${db}-wal`].filter((file) => existsSync(file)),
    dump: async (db) => {
      const sqlite = new Database(db, { readonly: true });
      try {
        const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
        return tables
          .map(({ name }) => `${name}\n${JSON.stringify(sqlite.prepare(`SELECT * FROM "${name}"`).all())}`)
          .join('\n');
      } finally {
        sqlite.close();
      }
    },
  },
  {
    name: 'PostgreSQL',
    db: () => createDatabase(),
    age: async (db, id, createdAt) => {
      const client = new pg.Client({ connectionString: db });
      await client.connect();
      await client.query('UPDATE comments SET created_at = $1 WHERE id = $2', [createdAt, id]);
      await client.end();
    },
    files: async () => {
      const { dataDir } = await postgres();
      return dataDir ? clusterFiles(dataDir) : [];
    },
    dump: async (db) => {
      const client = new pg.Client({ connectionString: db });
      await client.connect();
      try {
        const { rows: tables } = await client.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'");
        const parts: string[] = [];
        for (const { name } of tables) {
          const { rows } = await client.query(`SELECT * FROM "${name}"`);
          parts.push(`${name}\n${JSON.stringify(rows)}`);
        }
        return parts.join('\n');
      } finally {
        await client.end();
      }
    },
  },
];

/** A real server on a random loopback port with a real database file in a temp folder. */
export async function startTestServer(
  args: string[] = [],
  store: StoreKind = STORES[0]!,
  options: { notifyIntervalMs?: number; heartbeatMs?: number; shutdownGraceMs?: number; dir?: string; dbPath?: string } = {},
): Promise<TestServer> {
  // `dir` and `dbPath` of an earlier server: the same database again, as after a restart.
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'paperledge-comments-'));
  const dbPath = options.dbPath ?? (await store.db(dir));
  const logPath = join(dir, 'server.log');
  const logLines: string[] = [];
  const config = parseConfig(['--port', '0', '--db', dbPath, ...args], {});
  if (typeof config === 'string') throw new Error(`unexpected --${config}`);
  const server = await startServer(config, {
    ...(options.notifyIntervalMs ? { notifyIntervalMs: options.notifyIntervalMs } : {}),
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    ...(options.shutdownGraceMs ? { shutdownGraceMs: options.shutdownGraceMs } : {}),
    log: (line) => {
      logLines.push(line);
      appendFileSync(logPath, `${line}\n`);
    },
  });
  return {
    ...server,
    dir,
    dbPath,
    logPath,
    logLines,
    config,
    comments: (episodeId) => `${server.url}/v1/episodes/${episodeId}/comments`,
    close: async () => {
      await server.close();
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

let counter = 0;
/** A fresh episode id per test, so tests never see each other's comments. */
export function episodeId(name = 'ep'): string {
  counter += 1;
  return `${name}-${process.pid}-${counter}`;
}

export interface ServerProcess {
  child: import('node:child_process').ChildProcess;
  url: string;
  output: () => string;
  /** Stops keeping what the server writes: under a benchmark's load its request log would grow in the measuring process. */
  quiet: () => void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export const CLI = new URL('../../../server/src/cli.ts', import.meta.url).pathname;

/** Runs the real command line in a child process, as an operator would; `prefix` runs it through another command (runuser). */
export function runCli(args: string[], env: Record<string, string> = {}, prefix: string[] = []) {
  const command = [...prefix, process.execPath, '--import', 'tsx', CLI, ...args];
  return spawn(command[0]!, command.slice(1), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the command line to its end: its exit status and what it wrote. */
export async function runCliToEnd(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = runCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout, stderr };
}

/** Starts the command line server and waits for the URL it prints. */
export async function spawnServer(args: string[], env: Record<string, string> = {}, prefix: string[] = []): Promise<ServerProcess> {
  const child = runCli(args, env, prefix);
  let output = '';
  let keep = true;
  const add = (chunk: Buffer) => {
    if (keep) output += chunk;
  };
  child.stdout!.on('data', add);
  child.stderr!.on('data', add);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 15 s:\n${output}`)), 15_000);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => reject(new Error(`server exited before listening:\n${output}`)));
  });
  const quiet = () => {
    keep = false;
    output = '';
  };
  return { child, url, output: () => output, quiet, exited };
}
