// The comments API under load on loopback, bounded in time: list reads and
// posts, on SQLite and on PostgreSQL with one and with two server processes.
// Prints requests/s, p50/p99 latency and error counts. `npm run bench:server`.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createDatabase, postgres } from '../test/node/support/postgres.js';
import { CLI } from '../test/node/support/server.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 16);

export interface LoadFigures {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** 2xx answers, the warm-up's included: for a server that answers a refusal with 200 (Waline). */
  answered: number;
  /** For a ceiling measured in turns with our server: ours ÷ this, round by round. */
  ratios?: number[];
}

/**
 * Runs one autocannon per URL at once, splitting the connections, and adds their figures up. A second of the same
 * load goes first, not counted: a server just started is still compiling its hot path.
 */
export async function load(name: string, urls: string[], options: Omit<autocannon.Options, 'url'> = {}): Promise<LoadFigures> {
  const run = (duration: number) =>
    Promise.all(urls.map((url) => autocannon({ connections: Math.max(1, Math.floor(CONNECTIONS / urls.length)), duration, ...options, url })));
  const warmUp = await run(1);
  const results = await run(SECONDS);
  return {
    name,
    requestsPerSecond: Math.round(results.reduce((sum, r) => sum + r.requests.average, 0)),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors: results.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0),
    answered: [...warmUp, ...results].reduce((sum, r) => sum + r['2xx'], 0),
  };
}

const POST = {
  method: 'POST' as const,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ author: 'Bench', body: 'A comment of ordinary length, written to measure how fast posts are stored.' }),
};

let reader = 0;
/**
 * Posts as many readers, the way a real thread fills up: each request names a
 * different client through X-Forwarded-For (a header only: every byte stays on
 * loopback), which the server trusts from the loopback proxy, keeping its
 * default limit per client; each has its own text, as readers' comments do.
 */
export function manyReaders(body: (n: number) => object): Omit<autocannon.Options, 'url'> {
  return {
    ...POST,
    requests: [
      {
        setupRequest: (request) => {
          reader += 1;
          const address = `198.18.${(reader >> 8) & 255}.${reader & 255}`;
          return { ...request, headers: { ...request.headers, 'X-Forwarded-For': address }, body: JSON.stringify(body(reader)) };
        },
      },
    ],
  };
}

const MANY_READERS = manyReaders((n) => ({ author: 'Bench', body: `A comment of ordinary length, number ${n}.` }));

export interface BenchServer {
  child: ChildProcess;
  url: string;
  /** Stops it and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * The comments server in its own process, its request log written to a file in `dir`, as to a log collector. Piped
 * to the benchmark, the log (a line per request, a megabyte a second under load) would be read by the process that
 * makes the load, taking its time from the load it makes.
 */
export async function spawnBenchServer(args: string[], dir: string): Promise<BenchServer> {
  const logFile = join(dir, `server-${process.hrtime.bigint()}.log`);
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', out, 'pipe'] });
  closeSync(out);
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const match = /listening on (http:\/\/\S+)/.exec(readFileSync(logFile, 'utf8'));
    if (match) {
      return {
        child,
        url: match[1]!,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the comments server did not start:\n${readFileSync(logFile, 'utf8')}${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The middle run by requests per second. */
function middle(runs: LoadFigures[]): LoadFigures {
  return [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(runs.length / 2)]!;
}

/**
 * Reads beside the fair ceiling: on this shared 2-core machine a single run of each swings by a third, and the machine
 * has slow and fast spells minutes long. So the two take turns, five rounds, the order switched each round so that a
 * spell that starts or ends mid-round weighs on both alike; each ratio compares the two runs of one round, and the
 * ceiling's row carries them (the verdict takes their median). Each row's figures are its middle run.
 */
async function readsBeside(ours: () => Promise<LoadFigures>, ceiling: () => Promise<LoadFigures>): Promise<[LoadFigures, LoadFigures]> {
  const mine: LoadFigures[] = [];
  const theirs: LoadFigures[] = [];
  for (let round = 0; round < 5; round++) {
    if (round % 2 === 0) {
      mine.push(await ours());
      theirs.push(await ceiling());
    } else {
      theirs.push(await ceiling());
      mine.push(await ours());
    }
  }
  const ratios = mine.map((run, i) => run.requestsPerSecond / theirs[i]!.requestsPerSecond);
  return [middle(mine), { ...middle(theirs), ratios }];
}

async function benchDatabase(label: string, dir: string, db: string, processes: number, fair?: { url: string; name: string }): Promise<LoadFigures[]> {
  const servers: BenchServer[] = [];
  try {
    for (let i = 0; i < processes; i++) servers.push(await spawnBenchServer(['--port', '0', '--db', db, '--trusted-proxy', '127.0.0.1'], dir));
    const list = (server: BenchServer, id: string) => `${server.url}/v1/episodes/${id}/comments`;
    for (let i = 0; i < 50; i++) {
      await fetch(list(servers[0]!, 'bench'), {
        ...POST,
        headers: { ...POST.headers, 'X-Forwarded-For': `198.19.0.${i}` },
        body: JSON.stringify({ body: `seed ${i}` }),
      });
    }
    const where = `${label}, ${processes} process${processes === 1 ? '' : 'es'}`;
    const reads = () => load(`list 50 (GET), ${where}`, servers.map((s) => list(s, 'bench')));
    const [listed, ceiling] = fair ? await readsBeside(reads, () => load(fair.name, [`${fair.url}/page`])) : [await reads()];
    return [listed, await load(`post (POST), ${where}`, servers.map((s) => list(s, 'bench-writes')), MANY_READERS), ...(ceiling ? [ceiling] : [])];
  } finally {
    for (const server of servers) await server.stop();
  }
}

/** The server on each database; with `fair`, SQLite's reads take turns with that ceiling, which comes third. */
export async function benchCommentsServer(fair?: { url: string; name: string }): Promise<LoadFigures[]> {
  const dir = mkdtempSync(join(tmpdir(), 'paperledge-bench-'));
  const cluster = await postgres();
  try {
    // SQLite first: the summary reads its list and post figures by position.
    return [
      ...(await benchDatabase('SQLite', dir, join(dir, 'bench.db'), 1, fair)),
      ...(await benchDatabase('PostgreSQL', dir, await createDatabase(), 1)),
      ...(await benchDatabase('PostgreSQL', dir, await createDatabase(), 2)),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    cluster.stop();
  }
}

export function printTable(rows: LoadFigures[]): void {
  console.log(`${'what'.padEnd(44)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(7)}`);
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(44)} ${String(row.requestsPerSecond).padStart(8)} ${String(row.p50).padStart(7)} ${String(row.p99).padStart(7)} ${String(row.errors).padStart(7)}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`${SECONDS} s per run, ${CONNECTIONS} connections, loopback only`);
  printTable(await benchCommentsServer());
}
