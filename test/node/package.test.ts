import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { consumerApp, packedManifest, packedPackages, runInApp } from './support/packages.js';
import { LANGUAGES, PARTS } from '../../scripts/locale-parts.mjs';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT));
const pkg = JSON.parse(read('package.json').toString());

describe('the npm package', () => {
  const budget = JSON.parse(read('size-budget.json').toString()) as {
    gzipKB: Record<string, number>;
    chunksGzipKB: Record<string, number>;
    localePartGzipKB: number;
  };
  const TAGS = ['paperledge-episode', 'paperledge-credits', 'paperledge-comments'];

  it('has a gzip budget in size-budget.json for every script-tag bundle, and keeps each within it', () => {
    const bundles = readdirSync(new URL('dist/', ROOT)).filter((file) => /^paperledge.*\.js$/.test(file));
    assert.deepEqual(bundles.sort(), Object.keys(budget.gzipKB).sort());
    for (const [file, limit] of Object.entries(budget.gzipKB)) {
      const gzip = gzipSync(read(`dist/${file}`), { level: 9 }).length;
      assert.ok(gzip <= limit * 1024, `dist/${file} is ${(gzip / 1024).toFixed(2)} KB gzip, over its ${limit} KB`);
    }
  });

  it('loads optional parts as chunks beside the bundles, each within its budget, importing only from the bundle that loads it', () => {
    const chunks = readdirSync(new URL('dist/chunks/', ROOT));
    assert.ok(chunks.length > 0, 'the transcript readers are a chunk of their own');
    for (const file of chunks) {
      const name = file.replace(/-[\w-]{8}\.js$/, '');
      const limit = budget.chunksGzipKB[name];
      assert.ok(limit !== undefined, `dist/chunks/${file} has no budget in size-budget.json`);
      const code = read(`dist/chunks/${file}`).toString();
      const gzip = gzipSync(code, { level: 9 }).length;
      assert.ok(gzip <= limit * 1024, `dist/chunks/${file} is ${(gzip / 1024).toFixed(2)} KB gzip, over its ${limit} KB`);
      const imports = [...code.matchAll(/\bfrom\s*"([^"]+)"/g)].map((match) => match[1]!);
      // From the bundle that loads it, or from a chunk beside it that two chunks share (text-search): never elsewhere.
      const allowed = (path: string) => /^\.\.\/paperledge(-[a-z]+)?\.js$/.test(path) || (path.startsWith('./') && chunks.includes(path.slice(2)));
      assert.ok(imports.every(allowed), `${file} imports ${imports.join(', ')}`);
      assert.doesNotMatch(code, /customElements\.define|lit-html/);
    }
    // Each bundle names the chunks it loads, all of them present.
    for (const bundle of Object.keys(budget.gzipKB)) {
      const dynamic = [...read(`dist/${bundle}`).toString().matchAll(/import\(`\.\/chunks\/([^`]+)`\)/g)].map((match) => match[1]!);
      for (const chunk of dynamic) {
        assert.ok(chunks.includes(chunk), `${bundle} loads a missing chunk ${chunk}`);
        // A chunk that uses Lit or the model takes them from the bundle that loads it, never from another (pure data takes nothing).
        const bundles = [...read(`dist/chunks/${chunk}`).toString().matchAll(/from"\.\.\/([^"]+)"/g)].map((match) => match[1]);
        assert.ok(bundles.every((name) => name === bundle), `${chunk}, loaded by ${bundle}, imports ${bundles.join(', ')}`);
      }
    }
  });

  it('puts each language beside English in a file a part of the page, each within its budget, that every bundle knows and that imports nothing', async () => {
    const languages = readdirSync(new URL('dist/locales/', ROOT)).filter((name) => !name.includes('.'));
    assert.deepEqual(languages.sort(), LANGUAGES);
    for (const code of languages) {
      assert.deepEqual(readdirSync(new URL(`dist/locales/${code}/`, ROOT)).sort(), PARTS.map((part) => `${part}.js`).sort(), code);
      for (const part of PARTS) {
        const file = `dist/locales/${code}/${part}.js`;
        const text = read(file).toString();
        const gzip = gzipSync(text, { level: 9 }).length;
        assert.ok(gzip <= budget.localePartGzipKB * 1024, `${file} is ${gzip} bytes gzip, over its ${budget.localePartGzipKB} KB`);
        assert.doesNotMatch(text, /\bimport\b/, file);
        // The section of the translators' file, as is.
        const words = ((await import(new URL(file, ROOT).href)) as { default: unknown }).default;
        assert.deepEqual(words, (JSON.parse(read(`src/locales/${code}.json`).toString()) as Record<string, unknown>)[part], file);
      }
    }
    // Every bundle asks for them beside itself, and knows each language.
    const codes = new RegExp(`\\[${LANGUAGES.map((code) => `[\`"]${code}[\`"]`).join(',')}\\]`);
    for (const bundle of Object.keys(budget.gzipKB)) {
      const text = read(`dist/${bundle}`).toString();
      assert.match(text, /import\(`\.\/locales\/\$\{\w+\}\/\$\{\w+\}\.js`\)/, bundle);
      assert.match(text, codes, bundle);
    }
  });

  it('bundles Lit and all three elements into paperledge.js, and one element into each paperledge-<element>.js, with no imports', () => {
    const defined = (file: string) => {
      const bundle = read(`dist/${file}`).toString();
      assert.doesNotMatch(bundle, /^import\s|\bfrom\s*["']lit/m, file);
      return TAGS.filter((tag) => bundle.includes(`customElements.define(\`${tag}\``));
    };
    assert.deepEqual(defined('paperledge.js'), TAGS);
    for (const tag of TAGS) assert.deepEqual(defined(`${tag}.js`), [tag]);
  });

  it('declares exports with types first, side effects only for registering modules, and its manifest', () => {
    for (const [path, target] of Object.entries(pkg.exports as Record<string, unknown>)) {
      if (typeof target === 'object' && target !== null) assert.equal(Object.keys(target)[0], 'types', path);
    }
    assert.ok(pkg.sideEffects.every((path: string) => /paperledge(-\*)?\.(js|ts)$|define\/|embed\/(frame|resize)/.test(path)));
    assert.equal(pkg.customElements, 'custom-elements.json');
    const manifest = JSON.parse(read('custom-elements.json').toString());
    const tags = manifest.modules.flatMap((mod: { declarations?: { tagName?: string }[] }) =>
      (mod.declarations ?? []).map((d) => d.tagName).filter(Boolean),
    );
    assert.deepEqual(tags.sort(), ['paperledge-comments', 'paperledge-credits', 'paperledge-episode']);
  });

  it('exports the parsers for Node as well', async () => {
    const model = await import(new URL('dist/model/index.js', ROOT).href);
    const episode = model.parsePaperLedgeText(read('test/fixtures/paperledge-deepseek-v3.txt').toString());
    assert.equal(episode.paper.authors.length, 200);
  });
});

describe('the two packages, packed', () => {
  const SERVER_FILES = /^(server|src|test|demo|bench|data|scripts|docs|\.ci)\/|^dist\/(server\/|cli\.)|^bin\/|\.db$|\.test\.|tsconfig/;

  it('paperledge-widgets: the elements, model, client and bundles; no server file; depends on lit and @lit/context only', () => {
    const { widgets } = packedPackages();
    assert.equal(widgets.name, 'paperledge-widgets');
    for (const needed of [
      'package.json',
      'README.md',
      'custom-elements.json',
      'dist/paperledge.js',
      'dist/paperledge-credits.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/define/paperledge-episode.js',
      'dist/elements/paperledge-credits.d.ts',
      'dist/model/index.js',
      'dist/client/comments-api.js',
      'dist/embed/resize.js',
      'dist/embed/frame.js',
    ]) {
      assert.ok(widgets.files.includes(needed), `${needed} is missing from the widgets package`);
    }
    assert.deepEqual(widgets.files.filter((file) => SERVER_FILES.test(file)), []);
    const manifest = packedManifest(widgets.tarball);
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}).sort(), ['@lit/context', 'lit']);
    assert.equal(manifest['bin'], undefined);
  });

  it('paperledge-comments: the compiled server and its bin; depends on the widgets, never on a dev tool', () => {
    const { comments, widgets } = packedPackages();
    assert.equal(comments.name, 'paperledge-comments');
    for (const needed of ['package.json', 'README.md', 'bin/paperledge-comments.js', 'dist/cli.js', 'dist/index.js', 'dist/index.d.ts', 'dist/sqlite-store.js']) {
      assert.ok(comments.files.includes(needed), `${needed} is missing from the comments package`);
    }
    assert.deepEqual(comments.files.filter((file) => /^(src|test)\/|\.ts$(?<!\.d\.ts)|tsconfig/.test(file)), []);
    const manifest = packedManifest(comments.tarball);
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}).sort(), ['@hono/node-server', '@xmldom/xmldom', 'better-sqlite3', 'hono', 'nodemailer', 'paperledge-widgets', 'pg', 'zod']);
    assert.equal(manifest.dependencies!['paperledge-widgets'], `^${widgets.version}`);
    assert.deepEqual(manifest['bin'], { 'paperledge-comments': 'bin/paperledge-comments.js' });
  });

  it('the widgets tarball, installed into a fresh Vite + TypeScript app, brings no server dependency, type-checks strictly and builds', () => {
    const app = consumerApp({ withServer: false });
    for (const serverDependency of ['better-sqlite3', 'pg', 'hono', 'zod', '@hono/node-server', 'nodemailer', 'paperledge-comments']) {
      assert.ok(!existsSync(join(app, 'node_modules', serverDependency)), `${serverDependency} was installed with the widgets`);
    }
    const src = join(app, 'src');
    mkdirSync(src, { recursive: true });
    writeFileSync(
      join(src, 'main.ts'),
      `import 'paperledge-widgets/define/paperledge-episode.js';
import 'paperledge-widgets/define/paperledge-credits.js';
import { PaperLedgeComments, parseCreditsLine, type PaperLedgeLoadDetail } from 'paperledge-widgets';
import { CommentsClient } from 'paperledge-widgets/client';

if (!customElements.get('paperledge-comments')) customElements.define('paperledge-comments', PaperLedgeComments);
const episode: HTMLElementTagNameMap['paperledge-episode'] = document.createElement('paperledge-episode');
episode.addEventListener('paperledge-load', (event) => {
  const detail: PaperLedgeLoadDetail = event.detail;
  document.title = detail.episode.title;
});
episode.src = '/episodes/deepseek-v3.json';
document.body.append(episode);
console.log(parseCreditsLine('Credit to Paper authors: A, B')?.length, typeof CommentsClient);
`,
    );
    writeFileSync(join(app, 'index.html'), '<!doctype html><html lang="en"><body><script type="module" src="/src/main.ts"></script></body></html>');
    runInApp(app, 'tsc', ['-p', 'tsconfig.json']);
    runInApp(app, 'vite', ['build', '--logLevel', 'error']);
    // The app's bundle, and split off as chunks the app loads on demand, as in dist/: the transcript readers, the table
    // of character references, the player card, the comment box's form and extras, find's matching and the other
    // languages (from npm, a language is one file, every part at once).
    const built = readdirSync(join(app, 'dist', 'assets')).filter((file) => file.endsWith('.js'));
    for (const chunk of ['transcript-formats', 'named-references', 'episode-player', 'comment-composer', 'comment-extras', 'find-matcher', 'de', 'fr']) {
      assert.ok(built.some((file) => file.startsWith(`${chunk}-`)), `no ${chunk} chunk in ${built.join(', ')}`);
    }
    assert.ok(built.some((file) => file.startsWith('episode-player')), built.join(', '));
    const code = built.map((file) => readFileSync(join(app, 'dist', 'assets', file), 'utf8'));
    assert.equal(code.filter((text) => /customElements\.define\(`paperledge-episode`/.test(text)).length, 1);
    assert.ok(built.some((file) => file.startsWith('transcript-formats')), built.join(', '));
    for (const text of code) assert.doesNotMatch(text, /better-sqlite3|node:/);
  });
});
