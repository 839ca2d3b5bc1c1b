// <paperledge-credits> with 5,000 names in headless Chromium, built bundle:
// collapsed render, expanding, and one filter keystroke. `npm run bench:credits`.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../test/node/support/browser.js';
import { serveStatic } from './static-server.js';

const ROOT = new URL('..', import.meta.url).pathname;
const RUNS = 5;

export interface RenderFigure {
  name: string;
  ms: number;
  nodes: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function ensureBuilt(): void {
  if (!existsSync(`${ROOT}dist/paperledge.js`)) execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });
}

export async function benchCredits(): Promise<RenderFigure[]> {
  ensureBuilt();
  const server = await serveStatic(ROOT);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const runs: Record<string, { ms: number[]; nodes: number[] }> = {};
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage();
      await page.goto(`${server.url}/bench/pages/blank.html`);
      await page.waitForFunction(`customElements.get('paperledge-credits')`);
      const figures = await page.evaluate(
        `import('/bench/pages/scenarios.js').then((scenarios) => scenarios.credits(5000))`,
      ) as Record<string, { ms: number; nodes: number }>;
      for (const [name, figure] of Object.entries(figures)) {
        runs[name] ??= { ms: [], nodes: [] };
        runs[name].ms.push(figure.ms);
        runs[name].nodes.push(figure.nodes);
      }
      await page.close();
    }
    return Object.entries(runs).map(([name, r]) => ({
      name: `credits, 5,000 names: ${name}`,
      ms: Math.round(median(r.ms) * 10) / 10,
      nodes: median(r.nodes),
    }));
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`median of ${RUNS} runs, headless Chromium, dist/paperledge.js`);
  console.log(`${'what'.padEnd(40)} ${'ms'.padStart(8)} ${'shadow DOM nodes'.padStart(17)}`);
  for (const figure of await benchCredits()) {
    console.log(`${figure.name.padEnd(40)} ${String(figure.ms).padStart(8)} ${String(figure.nodes).padStart(17)}`);
  }
}
