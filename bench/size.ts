// Bundle size beside Lit's floor and the peers a user might pick instead.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { SourceMapConsumer } from 'source-map-js';
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
  const bundles = Object.keys((JSON.parse(readFileSync(`${ROOT}size-budget.json`, 'utf8')) as { gzipKB: object }).gzipKB);
  if (!bundles.every((file) => existsSync(`${ROOT}dist/${file}`))) execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });
}

/**
 * A folder of bench/ with its own package.json (the peers, the tools), installed on first use so that `npm ci`
 * stays lean. Install scripts run only where asked: a peer's server may need its native module built.
 */
export function ensureInstalled(folder: string, { scripts = false } = {}): string {
  const dir = `${ROOT}bench/${folder}`;
  const wanted = Object.keys((JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { dependencies: object }).dependencies);
  if (!wanted.every((name) => existsSync(`${dir}/node_modules/${name}`))) {
    execSync(`npm ci --no-audit --no-fund${scripts ? '' : ' --ignore-scripts'}`, {
      cwd: dir,
      stdio: 'inherit',
      env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' },
    });
  }
  return `${dir}/node_modules/`;
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

export interface ModuleCost {
  module: string;
  /** Minified bytes the module contributes. */
  raw: number;
  /** What the gzipped bundle would lose without those bytes: a module's cost net of what gzip shares with the rest. */
  gzip: number;
}

/**
 * What each source module costs in the bundle. The bundle is built again with
 * a source map; every minified byte is charged to the module it came from.
 */
export async function sizeByModule(): Promise<ModuleCost[]> {
  const output = await build({ configFile: `${ROOT}vite.config.ts`, logLevel: 'silent', build: { write: false, sourcemap: true } });
  const result = Array.isArray(output) ? output[0]! : output;
  if (!('output' in result)) throw new Error('the bundle build returned no output');
  const chunk = result.output.find((file) => file.type === 'chunk' && file.fileName === 'paperledge.js');
  if (!chunk || chunk.type !== 'chunk' || !chunk.map) throw new Error('the bundle build returned no source map');
  const code = chunk.code;
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStarts.push(i + 1);
  const owner: string[] = new Array<string>(code.length).fill('(glue)');
  const mappings: { offset: number; source: string }[] = [];
  new SourceMapConsumer(JSON.parse(chunk.map.toString())).eachMapping((m) => {
    mappings.push({ offset: lineStarts[m.generatedLine - 1]! + m.generatedColumn, source: m.source ?? '(glue)' });
  });
  mappings.sort((a, b) => a.offset - b.offset);
  mappings.forEach((m, i) => owner.fill(name(m.source), m.offset, mappings[i + 1]?.offset ?? code.length));
  const total = gzipSync(code, { level: 9 }).length;
  return [...new Set(owner)]
    .map((module) => {
      let without = '';
      for (let i = 0; i < code.length; i++) if (owner[i] !== module) without += code[i];
      return { module, raw: owner.filter((o) => o === module).length, gzip: total - gzipSync(without, { level: 9 }).length };
    })
    .sort((a, b) => b.gzip - a.gzip);
}

function name(source: string): string {
  const inModules = source.lastIndexOf('node_modules/');
  if (inModules !== -1) return source.slice(inModules + 'node_modules/'.length);
  const inSrc = source.lastIndexOf('src/');
  return inSrc === -1 ? source : source.slice(inSrc);
}

export async function benchSize(): Promise<SizeRow[]> {
  ensureBuilt();
  ensureInstalled('peers');
  const peers = `${ROOT}bench/peers/node_modules/`;
  return [
    measure('PaperLedge widgets (dist/paperledge.js)', readFileSync(`${ROOT}dist/paperledge.js`)),
    ...(['episode', 'credits', 'comments'] as const).map((element) =>
      measure(`  one element: paperledge-${element}.js`, readFileSync(`${ROOT}dist/paperledge-${element}.js`)),
    ),
    measure("Lit's floor (one minimal element)", await litFloor()),
    measure('media-chrome 4 (dist/iife/index.js)', readFileSync(`${peers}media-chrome/dist/iife/index.js`)),
    measure('Podlove Web Player 5 (embed.js only)', readFileSync(`${peers}@podlove/web-player/embed.js`)),
    // A comment box a blogger might pick instead: Waline's client, its script and the stylesheet it needs.
    measure(
      'Waline client 3 (waline.js + waline.css)',
      readFileSync(`${peers}@waline/client/dist/waline.js`, 'utf8') + readFileSync(`${peers}@waline/client/dist/waline.css`, 'utf8'),
    ),
    measure(
      'lite-youtube-embed (js + css)',
      readFileSync(`${peers}lite-youtube-embed/src/lite-yt-embed.js`, 'utf8') +
        readFileSync(`${peers}lite-youtube-embed/src/lite-yt-embed.css`, 'utf8'),
    ),
  ];
}

/** Measures the bundle beside the floor and the peers, and per module; prints both tables through `say`. */
export async function reportSize(say: (line?: string) => void): Promise<{ size: SizeRow[]; modules: ModuleCost[] }> {
  const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
  const size = await benchSize();
  const ours = size[0]!;
  say('SIZE                                            raw        gzip     brotli   ours÷this (gzip)');
  for (const row of size) {
    say(`${row.name.padEnd(44)} ${kb(row.raw).padStart(10)} ${kb(row.gzip).padStart(10)} ${kb(row.brotli).padStart(10)}   ${(ours.gzip / row.gzip).toFixed(2)}`);
  }
  const modules = await sizeByModule();
  say();
  say('SIZE BY MODULE (bytes the gzipped bundle would lose without it)         raw     gzip');
  for (const row of modules) say(`${row.module.padEnd(64)} ${String(row.raw).padStart(8)} ${String(row.gzip).padStart(8)}`);
  return { size, modules };
}
