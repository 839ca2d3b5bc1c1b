// Live comments under load: 1,000 open event streams on one server process while readers post, and how long each
// comment takes to reach every stream (p50, p99), beside the post rate. Figures only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParser } from 'eventsource-parser';
import { spawnBenchServer } from './server.js';

export interface LiveFigures {
  streams: number;
  posts: number;
  postsPerSecond: number;
  delivered: number;
  expected: number;
  p50: number;
  p99: number;
}

const STREAMS = 1000;
const POSTS = 100;
/** Posts are sent this far apart: 20 a second, a busy comment section many times over. */
const POST_EVERY_MS = 50;

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

export async function benchLiveStreams(): Promise<LiveFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'paperledge-bench-live-'));
  const server = await spawnBenchServer([
    '--port', '0', '--db', join(dir, 'live.db'),
    '--posts-per-minute', '1000000', '--max-event-streams', String(STREAMS * 2), '--max-event-streams-per-client', String(STREAMS * 2),
  ], dir);
  const abort = new AbortController();
  const latencies: number[] = [];
  let ready = 0;
  try {
    const url = `${server.url}/v1/episodes/live-bench/events`;
    await Promise.all(
      Array.from({ length: STREAMS }, async () => {
        // Node's fetch opens as many connections to one origin as it is asked for: one per stream, as 1,000 readers' browsers would.
        const response = await fetch(url, { signal: abort.signal });
        if (!response.ok) throw new Error(`a stream was refused: HTTP ${response.status}`);
        const parser = createParser({
          onEvent: (event) => {
            if (event.event === 'ready') ready++;
            if (event.event !== 'comment') return;
            const sent = Number(/^sent (\d+(?:\.\d+)?)$/.exec((JSON.parse(event.data) as { body: string }).body)?.[1]);
            latencies.push(performance.timeOrigin + performance.now() - sent);
          },
        });
        void (async () => {
          const decoder = new TextDecoder();
          try {
            for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
          } catch {
            // Closed at the end.
          }
        })();
      }),
    );
    while (ready < STREAMS) await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    for (let i = 0; i < POSTS; i++) {
      const due = started + i * POST_EVERY_MS;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      const answer = await fetch(`${server.url}/v1/episodes/live-bench/comments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ body: `sent ${performance.timeOrigin + performance.now()}` }),
      });
      if (answer.status !== 201) throw new Error(`a post was refused: HTTP ${answer.status}`);
    }
    const elapsed = (performance.now() - started) / 1000;
    const expected = STREAMS * POSTS;
    const deadline = Date.now() + 10_000;
    while (latencies.length < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      streams: STREAMS,
      posts: POSTS,
      postsPerSecond: Math.round(POSTS / elapsed),
      delivered: latencies.length,
      expected,
      p50: Math.round(percentile(sorted, 50) * 10) / 10,
      p99: Math.round(percentile(sorted, 99) * 10) / 10,
    };
  } finally {
    abort.abort();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchLiveStreams());
