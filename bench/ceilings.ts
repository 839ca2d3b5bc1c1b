// The ceilings the comments server is measured against, in the same run:
// the HTTP framework with nothing behind it, and the disk's fsync rate.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type LoadFigures, load } from './server.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);

/** The hello-world server in its own process, as the comments server runs in its own. */
export async function startCeiling(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('hello-server.ts', import.meta.url).pathname], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', () => reject(new Error('hello-world server exited')));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** The framework with nothing behind it: a hello-world. */
export async function helloWorld(ceiling: { url: string }): Promise<LoadFigures> {
  return load('framework ceiling: Hono hello-world (GET)', [ceiling.url]);
}

/** The fair ceiling for reads: the same framework sending a page of 50 comments from memory. */
export const FAIR_READS = 'read ceiling: Hono, the same page of 50 from memory';

/** One-row transactions on a WAL file with synchronous=FULL, as the server commits a comment. */
export function fsyncCeiling(): { name: string; perSecond: number } {
  const dir = mkdtempSync(join(tmpdir(), 'paperledge-fsync-'));
  try {
    const db = new Database(join(dir, 'ceiling.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    const write = db.transaction((body: string) => insert.run(body));
    const body = 'A comment of ordinary length, written to measure how fast posts are stored.';
    const end = Date.now() + SECONDS * 1000;
    let count = 0;
    while (Date.now() < end) {
      write(body);
      count++;
    }
    db.close();
    return { name: 'disk ceiling: better-sqlite3 insert, synchronous=FULL', perSecond: Math.round(count / SECONDS) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
