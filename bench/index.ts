// `npm run bench`: size, rendering and server figures in one run, each beside
// what it is measured against. Prints one table and writes bench/results.json.
// Figures only: nothing here fails on time, since machines are noisy.
import { writeFileSync } from 'node:fs';
import { FAIR_READS, fsyncCeiling, helloWorld, startCeiling } from './ceilings.js';
import { benchRender, median } from './render.js';
import { type LoadFigures, benchCommentsServer } from './server.js';
import { type LighthouseRow, benchLighthouse } from './lighthouse.js';
import { benchWalineServer, startWaline } from './waline.js';
import { benchLiveStreams } from './live.js';
import { reportSize } from './size.js';
import { parseTranscript } from '../src/model/index.js';
import { HOSTILE, timeHostile } from './hostile.js';

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

// Waline's server, started once for its client's rendering and its load; if it cannot run here, the reason says why.
const peer = await startWaline().catch((error: Error) => error);
let walineMissing = peer instanceof Error ? peer.message : undefined;
const render = await benchRender(peer instanceof Error ? undefined : peer);
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
let server: LoadFigures[];
let hello: LoadFigures;
try {
  server = await benchCommentsServer({ url: ceiling.url, name: FAIR_READS });
  hello = await helloWorld(ceiling);
} finally {
  ceiling.stop();
}
const fair = server.find((row) => row.name === FAIR_READS)!;
const fsync = fsyncCeiling();
const waline =
  peer instanceof Error
    ? undefined
    : await benchWalineServer(peer)
        .catch((error: Error) => void (walineMissing = error.message))
        .finally(() => peer.stop());
const loadRows = [...server, hello, ...(waline ? [waline.list, waline.post] : [])];
say();
say(`SERVER (loopback, autocannon, ${process.env['BENCH_CONNECTIONS'] ?? 16} connections)             req/s   p50 ms   p99 ms   errors`);
for (const row of loadRows) {
  say(`${row.name.padEnd(52)} ${String(row.requestsPerSecond).padStart(8)} ${String(row.p50).padStart(8)} ${String(row.p99).padStart(8)} ${String(row.errors).padStart(8)}`);
}
say(`${fsync.name.padEnd(52)} ${String(fsync.perSecond).padStart(8)}`);
if (walineMissing) say(`Waline's server did not run here: ${walineMissing}`);
else say(`(Waline: ${waline!.stored} posts stored of ${waline!.post.answered} answered 200; each post from its own address, as ours)`);
const live = await benchLiveStreams();
say();
say('LIVE EVENTS (one SQLite process, loopback)              streams   posts/s   delivered          p50 ms   p99 ms');
say(`${'every comment to every open stream'.padEnd(56)} ${String(live.streams).padStart(7)} ${String(live.postsPerSecond).padStart(9)} ${`${live.delivered}/${live.expected}`.padStart(17)} ${String(live.p50).padStart(8)} ${String(live.p99).padStart(8)}`);

const lighthouse = await benchLighthouse();
say();
say(`THE HOST PAGE (Lighthouse 12.2.3, mobile, simulated throttling, median of ${lighthouse[0]!.scores.length})   score   TBT ms    CLS   LCP ms   each run's score`);
for (const row of lighthouse) {
  say(`${row.name.padEnd(72)} ${String(row.score).padStart(8)} ${String(row.tbtMs).padStart(8)} ${String(row.cls).padStart(6)} ${String(row.lcpMs).padStart(8)}   ${row.scores.join(', ')}`);
}

const list = server[0]!;
const posts = server[1]!;
const reads = list.requestsPerSecond / hello.requestsPerSecond;
// The median of the rounds' ratios: each compares two runs a few seconds apart (bench/server.ts, readsBeside).
const fairReads = median(fair.ratios!);
const writes = posts.requestsPerSecond / fsync.perSecond;
const row = (name: string) => render.rows.find((r) => r.name === name);
const collapsed = row('5,000 authors: collapsed')!;
const longest = Math.max(...render.rows.filter((r) => !r.name.startsWith('Waline')).map((r) => r.longestTask));
const thread = row(`1000 comments, 50 at a time`)!;
const belowFold = row('first 50 comments, loading below the fold')!;
const walineRender = row('Waline client: 1000 comments, 50 at a time');
const [without, withWidget, scriptOnly] = lighthouse;
const good = (r: LighthouseRow) => r.tbtMs <= 200 && r.cls <= 0.1 && r.lcpMs <= 2500;
const verdict = (met: boolean) => (met ? 'met' : 'NOT MET');
say();
say('AGAINST THE GOALS');
const floor = size.find((r) => r.name.startsWith("Lit's floor"))!;
const walineSize = size.find((r) => r.name.startsWith('Waline'));
say(`bundle ≤ 24 KB gzip: ${kb(ours.gzip)}, ${verdict(ours.gzip <= 24 * 1024)} (${(ours.gzip / floor.gzip).toFixed(2)}× Lit's floor${walineSize ? `; Waline's client ${kb(walineSize.gzip)}, ${(walineSize.gzip / ours.gzip).toFixed(1)}× ours` : ''})`);
say(`no long task over 50 ms: longest ${longest} ms`);
say(`comment thread layout shift ≤ 0.1: ${thread.cls}, ${verdict(thread.cls <= 0.1)}; 0 below the fold: ${belowFold.cls}, ${verdict(belowFold.cls === 0)}`);
if (walineRender) say(`1,000 comments shown: ours ${thread.ms} ms, Waline's ${walineRender.ms} ms (${(walineRender.ms / thread.ms).toFixed(1)}× ours), ${thread.nodes} against ${walineRender.nodes} DOM nodes`);
const inLanguage = ['en', 'de', 'ja'].map((lang) => ({ lang, cls: row(`episode, credits and comments on a page in ${lang}`)!.cls }));
say(`the page's language arriving moves nothing: layout shift ${inLanguage.map((r) => `${r.lang} ${r.cls}`).join(', ')}, ${verdict(inLanguage.every((r) => r.cls <= inLanguage[0]!.cls))}`);
say(`collapsed author list independent of its length: ${collapsed.nodes} shadow-DOM nodes for 5,000 names`);
say(`posts ≥ 3× the last round's 1,082/s: ${posts.requestsPerSecond}/s, ${(posts.requestsPerSecond / 1082).toFixed(1)}×, ${verdict(posts.requestsPerSecond >= 3 * 1082)}; ${pct(writes)} of the fsync ceiling (${fsync.perSecond}/s)`);
say(
  `reads ≥ 70% of the fair ceiling (the same page from memory): ${pct(fairReads)}, ${verdict(fairReads >= 0.7)} (median of the rounds' ${fair.ratios!.map(pct).join(', ')}; middle runs ${list.requestsPerSecond}/s and ${fair.requestsPerSecond}/s); ${pct(reads)} of a hello-world`,
);
if (waline) {
  say(`beside Waline's server: lists ${(list.requestsPerSecond / waline.list.requestsPerSecond).toFixed(0)}× (${waline.list.requestsPerSecond}/s), posts ${(posts.requestsPerSecond / waline.post.requestsPerSecond).toFixed(0)}× (${waline.post.requestsPerSecond}/s)`);
}
say(`host page stays "good" with the widget (TBT ≤ 200 ms, CLS ≤ 0.1, LCP ≤ 2.5 s): ${verdict(good(withWidget!))}; without room held before the script: ${verdict(good(scriptOnly!))}`);
const hundreds = withWidget!.scores.filter((score) => score === 100).length;
say(`host page score stays 100: ${without!.score} without, ${withWidget!.score} with the widget (100 in ${hundreds} of ${withWidget!.scores.length} runs), ${verdict(withWidget!.score === 100)}`);
const seconds = Math.round((Date.now() - started) / 1000);
say(`the whole bench in under 7 minutes: ${seconds} s, ${verdict(seconds < 420)}`);

writeFileSync(
  new URL('results.json', import.meta.url),
  `${JSON.stringify(
    { when: new Date().toISOString(), size, modules, render, parseThreeHoursMs: parseMs, hostile, server: loadRows, waline: waline ?? { missing: walineMissing }, live, fsync, lighthouse, shares: { reads, fairReads, writes }, seconds },
    null,
    2,
  )}\n`,
);
