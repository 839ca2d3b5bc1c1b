// `npm run bench`: size, rendering and server figures in one run, each beside
// what it is measured against. Prints one table and writes bench/results.json.
// Figures only: nothing here fails on time, since machines are noisy.
import { writeFileSync } from 'node:fs';
import { FAIR_READS, fsyncCeiling, helloWorld, startCeiling } from './ceilings.js';
import { benchRender } from './render.js';
import { benchCommentsServer } from './server.js';
import { benchLiveStreams } from './live.js';
import { reportSize } from './size.js';
import { parseTranscript } from '../src/model/index.js';
import { HOSTILE, timeHostile } from './hostile.js';
import { median } from './render.js';

/** Parsing a 3-hour WebVTT file of 3,000 cues (about 27,000 words), in Node: median of 5. */
function parseThreeHours(): number {
  const stamp = (s: number) => new Date(s * 1000).toISOString().slice(11, 23);
  const cues = Array.from({ length: 3000 }, (_, i) =>
    `${stamp(i * 3.6)} --> ${stamp((i + 1) * 3.6)}\n<v ${i % 2 ? 'Sam' : 'Ernis'}>mixture experts attention latent routing tokens training balance model.`,
  );
  const vtt = `WEBVTT\n\n${cues.join('\n\n')}\n`;
  const times = Array.from({ length: 5 }, () => {
    const t0 = performance.now();
    parseTranscript(vtt, 'vtt');
    return performance.now() - t0;
  });
  return Math.round(median(times) * 10) / 10;
}

const started = Date.now();
const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
const pct = (n: number) => `${Math.round(n * 100)}%`;
const lines: string[] = [];
const say = (line = '') => {
  lines.push(line);
  console.log(line);
};

const { size, modules } = await reportSize(say);
const ours = size[0]!;

const render = await benchRender();
say();
say('RENDERING (headless Chromium, built bundle, median of 5)      ms   longest task ms   DOM nodes   layout shift');
for (const row of render.rows) {
  say(`${row.name.padEnd(56)} ${String(row.ms).padStart(8)} ${String(row.longestTask).padStart(17)} ${String(row.nodes).padStart(11)} ${String(row.cls).padStart(14)}`);
}
say(`${'one highlight update, 3,000 timed blocks'.padEnd(56)} ${String(render.highlightMs).padStart(8)}`);
const parseMs = parseThreeHours();
say(`${'parse a 3-hour WebVTT, 3,000 cues (Node)'.padEnd(56)} ${String(parseMs).padStart(8)}`);

say();
say('HOSTILE INPUT, 1 MB each (Node, best of 3)                    ms   goal ms   verdict');
const hostile = HOSTILE.map((hostileCase) => ({ name: hostileCase.name, ms: Math.round(timeHostile(hostileCase, 1_000_000) * 10) / 10 }));
for (const row of hostile) {
  say(`${row.name.padEnd(56)} ${String(row.ms).padStart(8)} ${'100'.padStart(9)}   ${row.ms <= 100 ? 'met' : 'NOT MET'}`);
}

const ceiling = await startCeiling();
let server: Awaited<ReturnType<typeof benchCommentsServer>>;
let hello: Awaited<ReturnType<typeof helloWorld>>;
try {
  server = await benchCommentsServer({ url: ceiling.url, name: FAIR_READS });
  hello = await helloWorld(ceiling);
} finally {
  ceiling.stop();
}
const fair = server.find((row) => row.name === FAIR_READS)!;
const fsync = fsyncCeiling();
say();
say('SERVER (loopback, autocannon)                       req/s   p50 ms   p99 ms   errors');
for (const row of [...server, hello]) {
  say(`${row.name.padEnd(48)} ${String(row.requestsPerSecond).padStart(8)} ${String(row.p50).padStart(8)} ${String(row.p99).padStart(8)} ${String(row.errors).padStart(8)}`);
}
say(`${fsync.name.padEnd(48)} ${String(fsync.perSecond).padStart(8)}`);
const live = await benchLiveStreams();
say();
say('LIVE EVENTS (one SQLite process, loopback)              streams   posts/s   delivered          p50 ms   p99 ms');
say(`${'every comment to every open stream'.padEnd(56)} ${String(live.streams).padStart(7)} ${String(live.postsPerSecond).padStart(9)} ${`${live.delivered}/${live.expected}`.padStart(17)} ${String(live.p50).padStart(8)} ${String(live.p99).padStart(8)}`);
const reads = server[0]!.requestsPerSecond / hello.requestsPerSecond;
const fairReads = server[0]!.requestsPerSecond / fair.requestsPerSecond;
const writes = server[1]!.requestsPerSecond / fsync.perSecond;

const collapsed = render.rows.find((r) => r.name === '5,000 authors: collapsed')!;
const longest = Math.max(...render.rows.map((r) => r.longestTask));
const cls = Math.max(...render.rows.map((r) => r.cls));
say();
say('AGAINST THE GOALS');
const floor = size.find((row) => row.name.startsWith("Lit's floor"))!;
say(`bundle ≤ 14 KB gzip: ${kb(ours.gzip)} (${(ours.gzip / floor.gzip).toFixed(2)}× Lit's floor)`);
say(`no long task over 50 ms: longest ${longest} ms`);
say(`layout shift 0: worst ${cls}`);
say(`collapsed author list independent of its length: ${collapsed.nodes} shadow-DOM nodes for 5,000 names`);
say(`writes ≥ 90% of the fsync ceiling: ${pct(writes)} (SQLite posts ${server[1]!.requestsPerSecond}/s ÷ ${fsync.perSecond}/s)`);
say(`reads ≥ 50% of the framework ceiling: ${pct(reads)} (SQLite lists ${server[0]!.requestsPerSecond}/s ÷ ${hello.requestsPerSecond}/s)`);
say(`reads ≥ 70% of the fair ceiling (the same page from memory): ${pct(fairReads)} (${server[0]!.requestsPerSecond}/s ÷ ${fair.requestsPerSecond}/s)`);
say(`(${Math.round((Date.now() - started) / 1000)} s)`);

writeFileSync(
  new URL('results.json', import.meta.url),
  `${JSON.stringify({ when: new Date().toISOString(), size, modules, render, parseThreeHoursMs: parseMs, hostile, server: [...server, hello], live, fsync, shares: { reads, fairReads, writes } }, null, 2)}\n`,
);
