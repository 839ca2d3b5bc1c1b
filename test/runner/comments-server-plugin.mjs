import { request as httpRequest } from 'node:http';
// Real comments servers for the browser tests, started and stopped on request
// through `executeServerCommand('comments-server', …)`. Each is the real
// built command line on a free loopback port with its own SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startCluster } from './postgres.mjs';
import { freePort, startChild, waitForHttp } from './processes.mjs';

// The built command line, as installed (npm test builds before it tests): it starts in a fraction of the time
// the sources take through tsx, which matters for tests that restart servers.
const CLI = new URL('../../server/bin/paperledge-comments.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'paperledge-browser-tests-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const EPISODES = new URL('../../demo/episodes/', import.meta.url).pathname;
const servers = new Map();
let sharedId;
const episodes = new Map();
let nextId = 0;

/**
 * A server with the demo's episodes (`--episodes`), for the iframe-embed tests;
 * started on first use and shared. Resolves to its URL. With `publicUrl`, one
 * more server that readers reach through a proxy at that address, as an
 * operator behind a TLS proxy runs it.
 */
export function episodesServer(publicUrl) {
  const key = publicUrl ?? '';
  if (!episodes.has(key)) {
    const args = ['--episodes', EPISODES, '--posts-per-minute', '1000000', ...(publicUrl ? ['--public-url', publicUrl] : [])];
    episodes.set(key, start(args, undefined, publicUrl ? 'episodes-proxied' : 'episodes').then(({ url }) => url));
  }
  return episodes.get(key);
}

/** One PostgreSQL cluster for the run, started on first use. */
let cluster;
async function postgresDatabase() {
  if (!cluster) {
    cluster = await startCluster();
    process.on('exit', () => cluster.stop());
  }
  const name = `browser_${process.pid}_${++nextId}`;
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  return url.href;
}

async function start(args, port, id = `server-${++nextId}`) {
  const listenPort = port ?? (await freePort());
  // Absolute URLs (oEmbed, comments.api) name the address the tests reach it at.
  if (!args.includes('--public-url')) args = [...args, '--public-url', `http://127.0.0.1:${listenPort}`];
  const child = startChild(
    process.execPath,
    // `--db` in args (a PostgreSQL URL) wins over the server's own SQLite file.
    [CLI, '--port', String(listenPort), ...(args.includes('--db') ? [] : ['--db', join(dir, `${id}.db`)]), ...args],
  );
  const url = `http://127.0.0.1:${listenPort}`;
  await waitForHttp(`${url}/v1/health`, child, `comments server ${id}`);
  servers.set(id, { child, args, port: listenPort, url });
  return { id, url };
}

async function stop(id) {
  const server = servers.get(id);
  if (!server || server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

export function commentsServerPlugin() {
  return {
    name: 'paperledge-comments-server',
    async executeCommand({ command, payload }) {
      if (command !== 'comments-server') return undefined;
      switch (payload?.action) {
        case 'shared':
          // Any number of links shows at once here: the tests on this server are about display; moderation has its own.
          if (sharedId === undefined) sharedId = (await start(['--posts-per-minute', '1000000', '--max-links', '1000'])).id;
          return servers.get(sharedId).url;
        case 'episodes':
          return episodesServer();
        case 'start':
          return start(payload.args ?? []);
        case 'postgres-pair': {
          // Two processes on one new PostgreSQL database, sharing the key that names clients, as an operator runs them.
          const db = await postgresDatabase();
          const key = join(dir, `pair-${nextId}.key`);
          const args = ['--db', db, '--client-key-file', key, '--posts-per-minute', '1000000'];
          const first = await start(args);
          return [first, await start(args)];
        }
        case 'stop':
          await stop(payload.id);
          return true;
        case 'restart': {
          // Same port and database; `args`, if given, replace the settings.
          const server = servers.get(payload.id);
          await stop(payload.id);
          return start(payload.args ?? server.args, server.port, payload.id);
        }
        case 'pause':
          // A stopped process still accepts connections but answers nothing: requests stay pending.
          servers.get(payload.id).child.kill('SIGSTOP');
          return true;
        case 'resume':
          servers.get(payload.id).child.kill('SIGCONT');
          return true;
        case 'request':
          // Another reader (a socket from another loopback address) or the site's owner, as a real HTTP client.
          return send(servers.get(payload.id).url + payload.path, payload);
        default:
          throw new Error(`comments-server: unknown action ${JSON.stringify(payload)}`);
      }
    },
  };
}

/** One HTTP request from Node: `from` is the local address (127.0.0.5 … are distinct clients on loopback). */
function send(url, { method = 'GET', headers = {}, body, from }) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = httpRequest(
      url,
      {
        method,
        localAddress: from,
        agent: false,
        headers: { ...headers, ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
