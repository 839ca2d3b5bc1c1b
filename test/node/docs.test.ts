// Every code block of README.md and docs/ is run or type-checked, so that what a
// user copies works: HTML in Chromium against a real comments server started with
// the page's own flags, TypeScript against the packed packages, shell commands as
// written (in a temp folder), JSON through the parsers. docs/development.md says how.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, type Page, chromium } from 'playwright-core';
import { parseEpisodeJson } from 'paperledge-widgets/model';
import { freePort } from '../runner/processes.mjs';
import { CHROMIUM_ARGS, chromiumPath } from './support/browser.js';
import { ROOT, consumerApp, packedPackages, runInApp } from './support/packages.js';
import { type Snippet, docPages, shellWords, snippetsOf } from './support/snippets.js';

const BIN = join(ROOT, 'server', 'bin', 'paperledge-comments.js');
const DEMO_EPISODES = join(ROOT, 'demo', 'episodes');
/** The address the docs use for the comments server; each test puts its real one in its place. */
const DOCS_SERVER = 'https://comments.example.org';
const RUNNABLE = new Set(['html', 'ts', 'tsx', 'sh', 'json']);

const snippets = docPages().flatMap(snippetsOf);
const live = snippets.filter((snippet) => !snippet.skip);
const where = (snippet: Snippet) => `${snippet.page}:${snippet.line}`;
const tally = { html: 0, typeChecked: 0, shell: 0, json: 0, app: 0 };

const work = mkdtempSync(join(tmpdir(), 'paperledge-docs-'));
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

/** `npx paperledge-comments …` words, or undefined for any other command. */
function serverCommand(words: string[]): string[] | undefined {
  if (words[0] === 'npx' && words[1] === 'paperledge-comments') return words.slice(2);
  return undefined;
}

/**
 * The documented flags, with what only this machine can supply put in: the port,
 * the public URL (this server's real address), absolute paths moved under `dir`.
 * The episodes folder is filled with the demo episodes.
 */
function mapServerArgs(args: string[], dir: string, port: number): string[] {
  const mapped: string[] = [];
  // Relative paths are taken in `dir`, the command's working folder; absolute ones are moved under it.
  const local = (value: string) => join(dir, value);
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const value = args[i + 1];
    switch (flag) {
      case '--port':
        mapped.push(flag, String(port));
        i++;
        break;
      case '--public-url':
        mapped.push(flag, `http://127.0.0.1:${port}`);
        i++;
        break;
      case '--db':
        mapped.push(flag, local(value!));
        i++;
        break;
      case '--episodes': {
        const folder = local(value!);
        mkdirSync(folder, { recursive: true });
        copyFileSync(join(DEMO_EPISODES, 'deepseek-v3.json'), join(folder, 'deepseek-v3.json'));
        mapped.push(flag, folder);
        i++;
        break;
      }
      case '--admin-token-file': {
        const file = local(value!);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, 'a-documented-admin-token-of-length\n', { mode: 0o600 });
        mapped.push(flag, file);
        i++;
        break;
      }
      default:
        mapped.push(flag);
    }
  }
  if (!mapped.includes('--port')) mapped.push('--port', String(port));
  return mapped;
}

interface Running {
  url: string;
  child: ChildProcess;
  output: () => string;
}

/** The real command line, in `dir`, until it prints that it listens. */
async function startServer(args: string[], dir: string): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, ...mapServerArgs(args, dir, port)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line within 15 s:\n${output}`)), 15_000);
    child.stdout!.on('data', () => {
      if (/listening on http/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${output}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, output: () => output };
}

async function stop(server: Running): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/** The first command on a page that starts the server: the flags its HTML snippets are tested against. */
function pageServerArgs(page: string): string[] {
  for (const snippet of live.filter((s) => s.page === page && s.lang === 'sh')) {
    for (const line of snippet.code.split('\n')) {
      const args = serverCommand(shellWords(line));
      if (args && args[0] !== 'export' && args[0] !== 'import' && !args.some((arg) => ['--version', '--help', '-h'].includes(arg))) return args;
    }
  }
  return [];
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.txt': 'text/plain', '.css': 'text/css' };

/** A host page's server: `/` is `index`, `/assets/` and `/episodes/` are folders; the docs' server address becomes `serverUrl`. */
async function hostServer(index: string, assets: string, serverUrl: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
    const from = path === '/' ? undefined : path.startsWith('/assets/') ? assets : path.startsWith('/episodes/') ? DEMO_EPISODES : undefined;
    if (path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(index);
      return;
    }
    const file = from && normalize(join(from, path.replace(/^\/(assets|episodes)\//, '')));
    if (!file || !file.startsWith(from!) || !existsSync(file)) {
      res.writeHead(path === '/favicon.ico' ? 204 : 404).end();
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const body = type === 'text/javascript' ? readFileSync(file, 'utf8').replaceAll(DOCS_SERVER, serverUrl) : readFileSync(file);
    res.writeHead(200, { 'Content-Type': type }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/** Waits until every PaperLedge element and embed frame on the page has finished loading, and fails on any error it shows. */
async function expectWidgetsWork(page: Page, what: string): Promise<void> {
  const state = () =>
    page.evaluate(() => {
      const problems: string[] = [];
      let waiting = 0;
      for (const el of document.querySelectorAll('paperledge-episode')) {
        const root = el.shadowRoot;
        const error = root?.querySelector('[part="error"]');
        if (error) problems.push(`<paperledge-episode>: ${error.textContent?.trim()}`);
        else if (!(el as HTMLElement & { episode?: unknown }).episode) waiting++;
      }
      for (const el of document.querySelectorAll('paperledge-credits')) {
        if ((el.shadowRoot?.querySelectorAll('[part~="name"]').length ?? 0) === 0) waiting++;
      }
      for (const el of document.querySelectorAll('paperledge-comments')) {
        el.scrollIntoView();
        const root = el.shadowRoot;
        const error = root?.querySelector('[part="error"]');
        if (error) problems.push(`<paperledge-comments>: ${error.textContent?.replace(/\s+/g, ' ').trim()}`);
        else if (!root?.querySelector('[part="empty"], [part="comment"]') || !root.querySelector('form')) waiting++;
      }
      return { problems, waiting, elements: document.querySelectorAll('paperledge-episode, paperledge-credits, paperledge-comments').length };
    });
  const deadline = Date.now() + 15_000;
  let last = await state();
  while (last.problems.length === 0 && last.waiting > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await state();
  }
  assert.deepEqual(last.problems, [], `${what}: an element shows an error`);
  assert.equal(last.waiting, 0, `${what}: ${last.waiting} element(s) never finished loading`);
  for (const frame of page.frames().filter((f) => f.url().includes('/embed/'))) {
    await frame.waitForFunction(() => (document.querySelector('paperledge-episode') as HTMLElement & { episode?: unknown } | null)?.episode, null, { timeout: 15_000 });
    last.elements++;
  }
  assert.ok(last.elements > 0, `${what}: no PaperLedge element or embed on the page`);
}

async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  return { page, errors };
}

describe('every code block of README.md and docs/', () => {
  let browser: Browser;
  let app: string;

  before(async () => {
    app = consumerApp({ withServer: true });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    const skipped = snippets.filter((snippet) => snippet.skip).map((snippet) => `${snippet.skip!.name} (${where(snippet)})`);
    console.log(
      `docs: ${snippets.length} code blocks in ${docPages().length} pages: ${tally.html} HTML loaded in Chromium, ` +
        `${tally.typeChecked} TypeScript/TSX type-checked (${tally.app} of them built and rendered as the React app), ` +
        `${tally.shell} shell blocks run, ${tally.json} JSON parsed; ${skipped.length} skipped by name: ${skipped.join(', ')}`,
    );
  });

  it('finds blocks, and every one is of a kind it runs or is skipped by name with a reason', () => {
    assert.ok(live.length >= 15, `only ${live.length} runnable blocks found`);
    const unknown = live.filter((snippet) => !RUNNABLE.has(snippet.lang)).map((snippet) => `${where(snippet)} (${snippet.lang || 'no language'})`);
    assert.deepEqual(unknown, [], 'give these a language this test runs, or mark them <!-- skip-snippet: NAME — reason -->');
    const names = snippets.filter((snippet) => snippet.skip).map((snippet) => snippet.skip!.name);
    assert.equal(new Set(names).size, names.length, 'skip names are unique');
  });

  it('type-checks every TypeScript and TSX block with strict TypeScript against the packed packages', () => {
    const dir = join(app, 'snippets');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files = new Map<string, Snippet>();
    for (const snippet of live.filter((s) => (s.lang === 'ts' || s.lang === 'tsx') && !s.file)) {
      const name = `${snippet.page.replace(/[/.]/g, '-')}-${snippet.line}.${snippet.lang}`;
      writeFileSync(join(dir, name), snippet.code);
      files.set(name, snippet);
    }
    assert.ok(files.size > 0);
    try {
      runInApp(app, 'tsc', ['-p', 'tsconfig.json']);
    } catch (error) {
      // Name the page and line of each failing block, not the temp file.
      let message = (error as Error).message;
      for (const [name, snippet] of files) message = message.replaceAll(`snippets/${name}`, `${where(snippet)} (block)`);
      assert.fail(message);
    }
    tally.typeChecked += files.size;
  });

  it('runs every shell command it documents, as written, in a temp folder', async () => {
    const { widgets, comments } = packedPackages();
    // One folder per page: a page's later commands (a backup) work on what its earlier ones made.
    const folders = new Map<string, string>();
    for (const snippet of live.filter((s) => s.lang === 'sh')) {
      if (!folders.has(snippet.page)) folders.set(snippet.page, mkdtempSync(join(work, 'sh-')));
      const dir = folders.get(snippet.page)!;
      for (const line of snippet.code.split('\n')) {
        const words = shellWords(line);
        if (words.length === 0) continue;
        const command = `${where(snippet)}: ${line.trim()}`;
        const args = serverCommand(words);
        if (args && (args[0] === 'export' || args[0] === 'import')) {
          // Moving comments out and in, as written; `> file` sends the export there.
          const redirect = args.indexOf('>');
          const run = redirect === -1 ? args : args.slice(0, redirect);
          const db = run[run.indexOf('--db') + 1]!;
          // An export needs a database to read: the server makes one with a comment on it, as it would have.
          if (args[0] === 'export' && !existsSync(join(dir, db))) {
            const server = await startServer(['--db', db], dir);
            try {
              const posted = await fetch(`${server.url}/v1/episodes/deepseek-v3/comments`, {
                method: 'POST',
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ author: 'Ada', body: 'A comment to move.' }),
              });
              assert.equal(posted.status, 201, command);
            } finally {
              await stop(server);
            }
          }
          const output = execFileSync(process.execPath, [BIN, ...run], { cwd: dir, encoding: 'utf8' });
          if (redirect !== -1) writeFileSync(join(dir, args[redirect + 1]!), output);
          else assert.match(output, /comments? imported/, command);
        } else if (args && args.some((arg) => ['--version', '--help', '-h'].includes(arg))) {
          const output = execFileSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
          assert.match(output, /paperledge-comments/, command);
        } else if (args) {
          const server = await startServer(args, dir);
          try {
            const health = await fetch(`${server.url}/v1/health`);
            assert.equal(health.status, 200, command);
            if (args.includes('--episodes')) {
              const episode = await fetch(`${server.url}/v1/episodes/deepseek-v3`);
              assert.equal(episode.status, 200, `${command}: the episode is served`);
            }
          } finally {
            await stop(server);
          }
        } else if (words[0] === 'sqlite3') {
          execFileSync('sqlite3', words.slice(1), { cwd: dir });
          const target = /\.backup\s+(\S+)/.exec(words[2] ?? '')?.[1];
          if (target) assert.ok(existsSync(join(dir, target)), `${command}: no backup written`);
        } else if (words[0] === 'npm' && (words[1] === 'pack' || words[1] === 'install')) {
          // What the package test does for real: pack both packages, install the tarballs into a fresh app.
          for (const tarball of words.filter((word) => word.endsWith('.tgz'))) {
            const name = tarball.split('/').pop()!;
            assert.ok([widgets.tarball, comments.tarball].some((file) => file.endsWith(`/${name}`)), `${command}: npm pack makes no ${name}`);
          }
        } else {
          assert.fail(`${command}: this test does not know how to run "${words[0]}"; teach it or mark the block skip-snippet`);
        }
      }
      tally.shell++;
    }
  });

  it('parses every JSON block, and an episode passes parseEpisodeJson', () => {
    for (const snippet of live.filter((s) => s.lang === 'json')) {
      const value = JSON.parse(snippet.code) as Record<string, unknown>;
      if ('transcript' in value) assert.doesNotThrow(() => parseEpisodeJson(value), where(snippet));
      tally.json++;
    }
  });

  const htmlPages = [...new Set(live.filter((s) => s.lang === 'html' && !s.file).map((s) => s.page))];
  for (const page of htmlPages) {
    it(`loads every HTML block of ${page} in Chromium against a comments server started with that page's flags`, async () => {
      const dir = mkdtempSync(join(work, 'html-'));
      const server = await startServer(pageServerArgs(page), dir);
      const assets = join(app, 'node_modules', 'paperledge-widgets', 'dist');
      try {
        for (const snippet of live.filter((s) => s.page === page && s.lang === 'html' && !s.file)) {
          const markup = snippet.code.replaceAll(DOCS_SERVER, server.url);
          // A reference snippet shows only the element; the page around it loads the bundle as the embedding docs say.
          const script = /<script\b/.test(markup) || /<iframe\b/.test(markup) ? '' : '<script type="module" src="/assets/paperledge.js"></script>\n';
          const index = `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${where(snippet)}</title></head>\n<body>\n${script}${markup}</body></html>`;
          const host = await hostServer(index, assets, server.url);
          try {
            const { page: tab, errors } = await openPage(browser, host.url);
            await expectWidgetsWork(tab, where(snippet));
            assert.deepEqual(errors, [], `${where(snippet)}: errors in the console`);
            await tab.close();
          } finally {
            host.server.close();
          }
          tally.html++;
        }
      } finally {
        await stop(server);
      }
    });
  }

  it('builds the React app of docs/npm.md with Vite and renders it in Chromium: typed events, the episode and its comments', async () => {
    const files = live.filter((snippet) => snippet.file);
    assert.ok(files.some((snippet) => snippet.lang === 'tsx'), 'docs/npm.md has the React app');
    for (const snippet of files) {
      mkdirSync(dirname(join(app, snippet.file!)), { recursive: true });
      writeFileSync(join(app, snippet.file!), snippet.code);
    }
    runInApp(app, 'tsc', ['-p', 'tsconfig.json']);
    rmSync(join(app, 'dist'), { recursive: true, force: true });
    runInApp(app, 'vite', ['build', '--logLevel', 'error']);
    const dir = mkdtempSync(join(work, 'react-'));
    const server = await startServer(pageServerArgs('docs/npm.md'), dir);
    const host = await hostServer(readFileSync(join(app, 'dist', 'index.html'), 'utf8'), join(app, 'dist', 'assets'), server.url);
    try {
      const { page, errors } = await openPage(browser, host.url);
      try {
        await page.getByRole('status').filter({ hasText: /^Now reading: DeepSeek-V3/ }).waitFor({ timeout: 15_000 });
      } catch (error) {
        throw new Error(`${(error as Error).message}\nerrors: ${errors.join('\n')}\npage: ${await page.content()}`);
      }
      await expectWidgetsWork(page, 'the React app');
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      host.server.close();
      await stop(server);
    }
    tally.typeChecked += files.filter((snippet) => snippet.lang !== 'html').length;
    tally.app += files.length;
  });

  it('names every attribute, property, event, part, slot and custom property of custom-elements.json in docs/elements.md', () => {
    const reference = readFileSync(join(ROOT, 'docs', 'elements.md'), 'utf8');
    const manifest = JSON.parse(readFileSync(join(ROOT, 'custom-elements.json'), 'utf8')) as {
      modules: { declarations?: Record<string, unknown>[] }[];
    };
    const missing: string[] = [];
    for (const declaration of manifest.modules.flatMap((mod) => mod.declarations ?? [])) {
      const tag = declaration['tagName'] as string | undefined;
      if (!tag) continue;
      const named = (kind: string) => ((declaration[kind] as { name: string }[] | undefined) ?? []).map((entry) => entry.name);
      const members = ((declaration['members'] as { name: string; kind: string }[] | undefined) ?? []).map((member) => member.name);
      for (const name of [...named('attributes'), ...named('events'), ...named('cssParts'), ...named('cssProperties'), ...members]) {
        if (!reference.includes(`\`${name}\``) && !reference.includes(`\`.${name}\``) && !reference.includes(`\`${name}()\``)) missing.push(`${tag}: ${name}`);
      }
      for (const slot of named('slots')) {
        if (!(slot === '' ? /default slot/.test(reference) : reference.includes(`\`${slot}\``))) missing.push(`${tag}: slot ${slot || '(default)'}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
