// Waline, the self-hosted comment system a blogger might pick instead, on the
// same machine in the same run: its own Node server (@waline/vercel 1.39.3 on
// SQLite, as its docs deploy it) under the same autocannon load as ours.
//
// What differs from a deployment, and why:
// - Akismet is off (AKISMET_KEY=false): it would ask akismet.com about every
//   post, and no host but the npm registry is reachable here.
// - Waline asks an OAuth service (oauth.lithub.cc by default) for its list of
//   sign-in providers on every request, reads included. Here a loopback server
//   answers that at once, which can only flatter Waline.
// - Its log (every SQL statement, as it ships) is dropped, as the measuring process drops ours.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type LoadFigures, load, manyReaders } from './server.js';
import { ensureInstalled } from './size.js';
import { freePort, startChild, waitForHttp } from '../test/runner/processes.mjs';

/** Waline's tables, with the columns of its published SQLite schema (assets/waline.sqlite in its repository). */
const SCHEMA = `
CREATE TABLE wl_Comment (
  id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER, comment TEXT, insertedAt DATETIME DEFAULT (datetime('now', 'localtime')),
  ip TEXT, link TEXT, mail TEXT, nick TEXT, rid INTEGER, pid INTEGER, sticky NUMERIC, status TEXT NOT NULL, "like" INTEGER,
  ua TEXT, url TEXT, createdAt DATETIME DEFAULT (datetime('now', 'localtime')), updatedAt DATETIME DEFAULT (datetime('now', 'localtime'))
);
CREATE TABLE wl_Counter (
  id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER, reaction0 INTEGER, reaction1 INTEGER, reaction2 INTEGER, reaction3 INTEGER,
  reaction4 INTEGER, reaction5 INTEGER, reaction6 INTEGER, reaction7 INTEGER, reaction8 INTEGER, url TEXT,
  createdAt DATETIME DEFAULT (datetime('now', 'localtime')), updatedAt DATETIME DEFAULT (datetime('now', 'localtime'))
);
CREATE TABLE wl_Users (
  id INTEGER PRIMARY KEY AUTOINCREMENT, display_name TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',
  password TEXT NOT NULL DEFAULT '', type TEXT NOT NULL DEFAULT '', label TEXT, github TEXT, twitter TEXT, facebook TEXT,
  google TEXT, weibo TEXT, qq TEXT, oidc TEXT, huawei TEXT, "2fa" TEXT, avatar TEXT, url TEXT,
  createdAt DATETIME DEFAULT (datetime('now', 'localtime')), updatedAt DATETIME DEFAULT (datetime('now', 'localtime'))
);`;

export interface Waline {
  url: string;
  /** Comments stored under a page path, counted in its database. */
  stored(path: string): number;
  /** Adds approved comments straight to its database, as posting them would leave them (Waline renders on read). */
  seed(path: string, count: number): void;
  stop(): Promise<void>;
}

export async function startWaline(): Promise<Waline> {
  const modules = ensureInstalled('waline', { scripts: true });
  const dir = mkdtempSync(join(tmpdir(), 'paperledge-waline-'));
  const db = new Database(join(dir, 'waline.sqlite'));
  db.exec(SCHEMA);
  const oauth = createServer((_, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"services":[]}'));
  await new Promise<void>((resolve) => oauth.listen(0, '127.0.0.1', resolve));
  const port = await freePort();
  const child = startChild(process.execPath, ['vanilla.js', String(port)], {
    cwd: `${modules}@waline/vercel`,
    env: {
      ...process.env,
      SQLITE_PATH: dir,
      JWT_TOKEN: 'bench',
      AKISMET_KEY: 'false',
      OAUTH_URL: `http://127.0.0.1:${(oauth.address() as AddressInfo).port}/`,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  // Waited for by its answer, not its log: ThinkJS says it runs from its master process before its worker listens.
  await waitForHttp(`${url}/api/comment?type=count&url=/`, child, 'Waline');
  const insert = db.prepare("INSERT INTO wl_Comment (comment, nick, mail, link, ip, ua, url, status, insertedAt) VALUES (?, ?, '', '', ?, 'bench', ?, 'approved', ?)");
  return {
    url,
    stored: (path) => (db.prepare('SELECT count(*) AS n FROM wl_Comment WHERE url = ?').get(path) as { n: number }).n,
    seed: (path, count) =>
      db.transaction(() => {
        const start = Date.now() - count * 1000;
        for (let i = 0; i < count; i++) {
          const at = new Date(start + i * 1000).toISOString().replace('T', ' ').slice(0, 19);
          insert.run(`Comment number ${i}, with a link https://example.org/${i}`, `Reader ${i}`, `198.19.${i >> 8}.${i & 255}`, path, at);
        }
      })(),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      oauth.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waline's list of 50 and its posts, as ours are measured: each post from its own address (its limit is one post
 * per address a minute, ours three), with its own text (Waline refuses a repeated comment). Waline answers a refused
 * post with HTTP 200 and an `errno`, so a post counts only if its comment is in the database afterwards.
 */
export async function benchWalineServer(waline: Waline): Promise<{ list: LoadFigures; post: LoadFigures; stored: number }> {
  waline.seed('/bench', 50);
  const list = await load('Waline: list 50 (GET), SQLite, 1 process', [`${waline.url}/api/comment?path=/bench&pageSize=50&page=1&lang=en`]);
  const before = waline.stored('/bench-writes');
  const post = await load('Waline: post (POST), SQLite, 1 process', [`${waline.url}/api/comment?lang=en`], {
    ...manyReaders((n) => ({ nick: 'Bench', mail: '', link: '', url: '/bench-writes', ua: 'bench', comment: `A comment of ordinary length, number ${n}.` })),
  });
  const stored = waline.stored('/bench-writes') - before;
  return { list, post: { ...post, errors: post.errors + Math.max(0, post.answered - stored) }, stored };
}
