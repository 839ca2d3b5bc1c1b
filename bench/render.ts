// Rendering in headless Chromium with the built bundle, median of RUNS fresh
// pages per scenario: milliseconds, the longest task, DOM nodes and layout shift.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../test/node/support/browser.js';
import { spawnBenchServer } from './server.js';
import { ensureBuilt } from './size.js';
import { serveStatic } from './static-server.js';
import type { Waline } from './waline.js';

const ROOT = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const COMMENTS = 1000;

export interface RenderRow {
  name: string;
  ms: number;
  longestTask: number;
  nodes: number;
  cls: number;
}

interface Figures {
  ms: number;
  longestTask: number;
  nodes: number;
  cls: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function summarise(name: string, runs: Figures[]): RenderRow {
  const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
  return {
    name,
    ms: round(median(runs.map((r) => r.ms))),
    longestTask: round(median(runs.map((r) => r.longestTask))),
    nodes: median(runs.map((r) => r.nodes)),
    cls: round(median(runs.map((r) => r.cls)), 3),
  };
}

async function inPage<T>(browser: Browser, base: string, call: string): Promise<T> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  try {
    // Playwright's locators pierce open shadow roots; its click is real input to the page.
    await page.exposeBinding('realClick', ({ page }, selector: string) => page.locator(selector).click());
    await page.goto(`${base}/bench/pages/blank.html`);
    await page.waitForFunction(`customElements.get('paperledge-comments')`);
    // The scenarios wait in the page for what they measure: one that never comes fails the bench by name, not hangs it.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // What each element shows by then, for whoever reads the failure: a scenario stuck on a state says which.
        void page
          .evaluate(SNAPSHOT)
          .catch((error: Error) => `(the page could not be read: ${error.message})`)
          .then((shown) => reject(new Error(`bench scenario ${call} did not finish within ${SCENARIO_MS / 1000} s; the page showed: ${shown}`)));
      }, SCENARIO_MS);
    });
    try {
      return (await Promise.race([page.evaluate(`import('/bench/pages/scenarios.js').then((s) => s.${call})`), deadline])) as T;
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await page.close();
  }
}

/** The longest one run of a scenario may take: the slowest (Waline showing 1,000 comments) takes about 11 s. */
const SCENARIO_MS = 120_000;

/** Each of our elements on the page: its tag, how many comments it lists, and the end of its shadow tree's text (its latest state). */
const SNAPSHOT = `[...document.querySelectorAll('paperledge-episode, paperledge-credits, paperledge-comments')]
  .map((el) => '<' + el.localName + '> ' + (el.shadowRoot?.querySelectorAll('[part="comment"]').length ?? 0) + ' comments, "'
    + (el.shadowRoot?.textContent ?? '').replace(/\\s+/g, ' ').trim().slice(-300) + '"')
  .join('; ') || 'none of our elements'`;

/** Comments of 5,000 characters made of links and line breaks. */
const WORST_COMMENTS = 50;

/** With `waline`, its client shows the same thousand comments beside ours. */
export async function benchRender(waline?: Waline): Promise<{ rows: RenderRow[]; highlightMs: number }> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'paperledge-render-bench-'));
  const files = await serveStatic(ROOT);
  // Every comment shown at once, the worst case's 227 links too: the bench measures what readers are shown.
  const api = await spawnBenchServer(['--port', '0', '--db', join(dir, 'bench.db'), '--posts-per-minute', '1000000', '--max-links', '1000'], dir);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const episode = 'bench-thread';
    for (let i = 0; i < COMMENTS; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, k) =>
          fetch(`${api.url}/v1/episodes/${episode}/comments`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ author: `Reader ${i + k}`, body: `Comment number ${i + k}, with a link https://example.org/${i + k}` }),
          }),
        ),
      );
    }
    // The worst a reader can post: 5,000 characters of links and line breaks, 50 times (the review measured 1.1 s).
    const worst = 'bench-worst';
    const worstBody = 'https://example.org/a\n'.repeat(227).slice(0, 5000);
    for (let i = 0; i < WORST_COMMENTS; i++) {
      await fetch(`${api.url}/v1/episodes/${worst}/comments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ author: `Reader ${i}`, body: worstBody }),
      });
    }
    // Waline's client with the same thousand comments, from its own server (when that runs here).
    waline?.seed('/bench-thread', COMMENTS);
    const runs: Record<string, Figures[]> = {};
    const add = (name: string, figures: Figures) => (runs[name] ??= []).push(figures);
    const highlights: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      add('fixture episode from src', await inPage<Figures>(browser, files.url, `episodeFromSrc('/demo/episodes/deepseek-v3.json')`));
      // English first, then the words of German and Japanese fetched as the page needs them.
      for (const lang of ['en', 'de', 'ja']) {
        add(`episode, credits and comments on a page in ${lang}`, await inPage<Figures>(browser, files.url, `episodeInLanguage('/demo/episodes/deepseek-v3.json', '${lang}')`));
      }
      const long = await inPage<{ render: Figures; highlightMs: number }>(browser, files.url, 'longTranscript()');
      add('3-hour transcript (3,000 timed blocks)', long.render);
      highlights.push(long.highlightMs);
      const credits = await inPage<Record<string, Figures>>(browser, files.url, 'credits(5000)');
      for (const [step, figures] of Object.entries(credits)) add(`5,000 authors: ${step}`, figures);
      add(`${COMMENTS} comments, 50 at a time`, await inPage<Figures>(browser, files.url, `comments('${api.url}', '${episode}', ${COMMENTS})`));
      add('first 50 comments, loading below the fold', await inPage<Figures>(browser, files.url, `commentsBelowFold('${api.url}', '${episode}')`));
      if (waline) {
        add(`Waline client: ${COMMENTS} comments, 50 at a time`, await inPage<Figures>(browser, files.url, `walineComments('${waline.url}', '/bench-thread', ${COMMENTS})`));
      }
      add(`${WORST_COMMENTS} worst-case comments (links and line breaks)`, await inPage<Figures>(browser, files.url, `comments('${api.url}', '${worst}', ${WORST_COMMENTS})`));
    }
    return {
      rows: Object.entries(runs).map(([name, figures]) => summarise(name, figures)),
      highlightMs: Math.round(median(highlights) * 1000) / 1000,
    };
  } finally {
    await browser.close();
    await files.close();
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
