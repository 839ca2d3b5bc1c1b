import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerConfig, parseConfig } from '../../../src/server/config.js';
import { type RunningServer, startServer } from '../../../src/server/server.js';

export interface TestServer extends RunningServer {
  dir: string;
  dbPath: string;
  logPath: string;
  logLines: string[];
  config: ServerConfig;
  comments(episodeId: string): string;
}

/**
 * The stores the contract suite runs against: the same tests, parameterised.
 * Each gives the `--db` value for a fresh database in `dir`.
 */
export const STORES: { name: string; db: (dir: string) => string }[] = [
  { name: 'SQLite', db: (dir) => join(dir, 'comments.db') },
];

/** A real server on a random loopback port with a real database file in a temp folder. */
export async function startTestServer(args: string[] = [], db = STORES[0]!.db): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'paperledge-comments-'));
  const dbPath = db(dir);
  const logPath = join(dir, 'server.log');
  const logLines: string[] = [];
  const config = parseConfig(['--port', '0', '--db', dbPath, ...args], {});
  if (config === 'help') throw new Error('unexpected --help');
  const server = await startServer(config, {
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
