import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT));
const pkg = JSON.parse(read('package.json').toString());

describe('the npm package', () => {
  const budget = JSON.parse(read('size-budget.json').toString()) as { gzipKB: Record<string, number> };
  const TAGS = ['paperledge-episode', 'paperledge-credits', 'paperledge-comments'];

  it('has a gzip budget in size-budget.json for every script-tag bundle, and keeps each within it', () => {
    const bundles = readdirSync(new URL('dist/', ROOT)).filter((file) => /^paperledge.*\.js$/.test(file));
    assert.deepEqual(bundles.sort(), Object.keys(budget.gzipKB).sort());
    for (const [file, limit] of Object.entries(budget.gzipKB)) {
      const gzip = gzipSync(read(`dist/${file}`), { level: 9 }).length;
      assert.ok(gzip <= limit * 1024, `dist/${file} is ${(gzip / 1024).toFixed(2)} KB gzip, over its ${limit} KB`);
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

  it('lists only what a user needs in the tarball', () => {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }),
    ) as [{ files: { path: string }[] }];
    const files = packed.files.map((file) => file.path);
    for (const needed of [
      'package.json',
      'README.md',
      'custom-elements.json',
      'bin/paperledge-comments.js',
      'dist/paperledge.js',
      'dist/paperledge-credits.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/define/paperledge-episode.js',
      'dist/elements/paperledge-credits.d.ts',
      'dist/model/index.js',
      'dist/server/cli.js',
      'dist/embed/resize.js',
    ]) {
      assert.ok(files.includes(needed), `${needed} is missing from the package`);
    }
    const unwanted = files.filter((file) => /^(src|test|demo|bench|data|scripts|\.ci)\/|\.db$|\.test\.|tsconfig/.test(file));
    assert.deepEqual(unwanted, []);
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
    assert.equal(pkg.bin['paperledge-comments'], 'bin/paperledge-comments.js');
  });

  it('exports the parsers for Node as well', async () => {
    const model = await import(new URL('dist/model/index.js', ROOT).href);
    const episode = model.parsePaperLedgeText(read('test/fixtures/paperledge-deepseek-v3.txt').toString());
    assert.equal(episode.paper.authors.length, 200);
  });
});
