import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commentsMiddleware } from '../server/src/middleware.js';
import { parseConfig, type ServerConfig } from '../server/src/config.js';
import { serveStatic } from './static-server.js';
const ROOT = new URL('..', import.meta.url).pathname;
const modules = `${ROOT}bench/tools/node_modules/`;
const lighthouse: any = await import(`${modules}lighthouse/core/index.js`);
const launcher: any = await import(`${modules}chrome-launcher/dist/index.js`);
const dir = mkdtempSync(join(tmpdir(), 'lh-'));
const config = parseConfig(['--db', join(dir, 'c.db'), '--posts-per-minute', '1000000'], {}) as ServerConfig;
let files: any;
const comments = await commentsMiddleware(config, { baseUrl: () => files?.url ?? '', log: () => {} });
let post0 = readFileSync(`${ROOT}demo/index.html`, 'utf8');
if (process.env.ALONE) post0 = post0.replace(/<paperledge-credits><\/paperledge-credits>\s*<paperledge-comments><\/paperledge-comments>/, '');
const post = post0.replace(/<script type="module" src="\.\/main\.ts"><\/script>/, '<script type="module" src="../dist/paperledge.js"></script>');
files = await serveStatic(ROOT, { pages: { '/demo/w.html': post }, handle: comments.handle });
for (let i = 0; i < 12; i++) await fetch(`${files.url}/v1/episodes/deepseek-v3/comments`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ author: `R${i}`, body: `Comment ${i}` }) });
const chrome = await launcher.launch({ chromePath: '/usr/bin/chromium', chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
const rows: string[] = [];
for (let i = 0; i < Number(process.env.RUNS ?? 3); i++) {
const r = await lighthouse.default(`${files.url}/demo/w.html`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
const a = r.lhr.audits;
rows.push(`score ${r.lhr.categories.performance.score} fcp ${Math.round(a['first-contentful-paint'].numericValue)} lcp ${Math.round(a['largest-contentful-paint'].numericValue)} tbt ${Math.round(a['total-blocking-time'].numericValue)} tasks ${JSON.stringify(a['long-tasks']?.details?.items?.map((i: any) => [Math.round(i.startTime), Math.round(i.duration)]))}`);
writeFileSync('/tmp/lh.json', JSON.stringify(r.lhr));
}
console.log(rows.join('\n'));
await chrome.kill(); await files.close(); await comments.close();
