// Bundle size beside Lit's floor and the peers a user might pick instead.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build } from 'vite';

const ROOT = new URL('..', import.meta.url).pathname;

export interface SizeRow {
  name: string;
  raw: number;
  gzip: number;
  brotli: number;
}

function measure(name: string, code: string | Buffer): SizeRow {
  const bytes = Buffer.from(code);
  return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length };
}

export function ensureBuilt(): void {
  if (!existsSync(`${ROOT}dist/paperledge.js`)) execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });
}

/** The peers live in bench/peers, installed on first use so that `npm ci` stays lean. */
function ensurePeers(): void {
  if (!existsSync(`${ROOT}bench/peers/node_modules/media-chrome`)) {
    execSync('npm install --ignore-scripts --no-audit --no-fund', { cwd: `${ROOT}bench/peers`, stdio: 'inherit' });
  }
}

async function litFloor(): Promise<string> {
  const output = await build({
    configFile: `${ROOT}vite.config.ts`,
    logLevel: 'silent',
    build: {
      write: false,
      rolldownOptions: { input: `${ROOT}bench/floor/minimal-element.ts`, output: { entryFileNames: 'floor.js', format: 'es' } },
    },
  });
  const result = Array.isArray(output) ? output[0]! : output;
  if (!('output' in result)) throw new Error('the Lit floor build returned no output');
  return result.output[0].code;
}

export async function benchSize(): Promise<SizeRow[]> {
  ensureBuilt();
  ensurePeers();
  const peers = `${ROOT}bench/peers/node_modules/`;
  return [
    measure('PaperLedge widgets (dist/paperledge.js)', readFileSync(`${ROOT}dist/paperledge.js`)),
    measure("Lit's floor (one minimal element)", await litFloor()),
    measure('media-chrome 4 (dist/iife/index.js)', readFileSync(`${peers}media-chrome/dist/iife/index.js`)),
    measure('Podlove Web Player 5 (embed.js only)', readFileSync(`${peers}@podlove/web-player/embed.js`)),
    measure(
      'lite-youtube-embed (js + css)',
      readFileSync(`${peers}lite-youtube-embed/src/lite-yt-embed.js`, 'utf8') +
        readFileSync(`${peers}lite-youtube-embed/src/lite-yt-embed.css`, 'utf8'),
    ),
  ];
}
