// The comments API under load on loopback: list reads and posts, bounded in time.
// Prints requests/s, p50/p99 latency and error counts. `npm run bench:server`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { spawnServer } from '../test/node/support/server.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 16);

export interface LoadFigures {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

export async function load(name: string, options: autocannon.Options): Promise<LoadFigures> {
  const result = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options });
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

export async function benchCommentsServer(): Promise<LoadFigures[]> {
  const dir = mkdtempSync(join(tmpdir(), 'paperledge-bench-'));
  const server = await spawnServer(['--port', '0', '--db', join(dir, 'bench.db'), '--posts-per-minute', '1000000']);
  try {
    const url = `${server.url}/v1/episodes/bench/comments`;
    for (let i = 0; i < 50; i++) {
      await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ body: `seed ${i}` }) });
    }
    const reads = await load('comments API: list 50 (GET)', { url });
    const writes = await load('comments API: post (POST, fsync per commit)', {
      url: `${server.url}/v1/episodes/bench-writes/comments`,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ author: 'Bench', body: 'A comment of ordinary length, written to measure how fast posts are stored.' }),
    });
    return [reads, writes];
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printTable(rows: LoadFigures[]): void {
  console.log(`${'what'.padEnd(48)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(7)}`);
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(48)} ${String(row.requestsPerSecond).padStart(8)} ${String(row.p50).padStart(7)} ${String(row.p99).padStart(7)} ${String(row.errors).padStart(7)}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`${SECONDS} s per run, ${CONNECTIONS} connections, loopback only`);
  printTable(await benchCommentsServer());
}
