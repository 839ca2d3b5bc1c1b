import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { chosenEncoding, preparedScript } from '../../server/src/scripts.js';
import { request } from './support/http.js';
import { type TestServer, removeDir, startTestServer } from './support/server.js';

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

describe('episodes, embeds and oEmbed', () => {
  let server: TestServer;
  let plain: TestServer;
  let episodes = '';

  before(async () => {
    episodes = join(FIXTURES, '..', '..', 'node_modules', '.cache', `paperledge-episodes-${process.pid}`);
    mkdirSync(episodes, { recursive: true });
    copyFileSync(join(FIXTURES, 'deepseek-v3.json'), join(episodes, 'deepseek-v3.json'));
    copyFileSync(join(FIXTURES, 'paperledge-deepseek-v3.txt'), join(episodes, 'deepseek-v3-text.txt'));
    copyFileSync(join(FIXTURES, 'deepseek-v3.json'), join(episodes, 'changing.json'));
    writeFileSync(
      join(episodes, 'evil.json'),
      JSON.stringify({ id: 'evil', title: '</title><script>alert(1)</script>', transcript: [{ type: 'paragraph', text: '<img src=x onerror=alert(1)>' }] }),
    );
    server = await startTestServer(['--episodes', episodes]);
    plain = await startTestServer();
  });

  after(async () => {
    await server.close();
    await plain.close();
    removeDir(server.dir);
    removeDir(plain.dir);
    removeDir(episodes);
  });

  describe('GET /v1/episodes/{id}', () => {
    it('answers episode JSON from {id}.json, with this server as its comments API', async () => {
      const answer = await request(`${server.url}/v1/episodes/deepseek-v3`);
      assert.equal(answer.status, 200);
      assert.equal(answer.json.id, 'deepseek-v3');
      assert.equal(answer.json.transcript.length, 14);
      assert.deepEqual(answer.json.comments, { api: server.url });
    });

    it('reads page text from {id}.txt, the id from the file name', async () => {
      const answer = await request(`${server.url}/v1/episodes/deepseek-v3-text`);
      assert.equal(answer.status, 200);
      assert.equal(answer.json.id, 'deepseek-v3-text');
      assert.equal(answer.json.paper.authors.length, 200);
    });

    it('answers 404 and 400', async () => {
      assert.equal((await request(`${server.url}/v1/episodes/nothing`)).status, 404);
      assert.equal((await request(`${server.url}/v1/episodes/Not_An_Id`)).status, 400);
      assert.equal((await request(`${plain.url}/v1/episodes/deepseek-v3`)).status, 404);
    });

    it('lists its episodes at GET /v1/episodes', async () => {
      const answer = await request(`${server.url}/v1/episodes`);
      assert.equal(answer.status, 200);
      const ids = answer.json.episodes.map((episode: { id: string }) => episode.id);
      assert.deepEqual(ids, ['changing', 'deepseek-v3', 'deepseek-v3-text', 'evil']);
      assert.equal(answer.json.episodes[1].title, 'DeepSeek-V3');
    });

    it('reads a changed file again; an edit that breaks it keeps the last good version and logs why; a new file is found', async () => {
      const file = join(episodes, 'changing.json');
      const changed = { ...JSON.parse(readFileSync(file, 'utf8')), title: 'Changed on disk' };
      writeFileSync(file, JSON.stringify(changed));
      utimesSync(file, new Date(), new Date(Date.now() + 2000));
      assert.equal((await request(`${server.url}/v1/episodes/changing`)).json.title, 'Changed on disk');
      writeFileSync(file, '{"id": "changing", "title": "Broken", "transcript": [{"type": "heading"}]}');
      utimesSync(file, new Date(), new Date(Date.now() + 4000));
      const kept = await request(`${server.url}/v1/episodes/changing`);
      assert.equal(kept.status, 200);
      assert.equal(kept.json.title, 'Changed on disk');
      assert.ok(server.logLines.some((line) => /changing\.json changed and cannot be read \(transcript\[0\]\.type: .*\); still serving its last good version/.test(line)));
      copyFileSync(join(FIXTURES, 'deepseek-v3.json'), join(episodes, 'added-later.json'));
      assert.equal((await request(`${server.url}/v1/episodes/added-later`)).json.id, 'added-later');
      copyFileSync(join(FIXTURES, 'deepseek-v3.json'), file);
    });
  });

  describe('GET /embed/{id}', () => {
    it('is a page with the whole episode, readable without script, and the oEmbed discovery link', async () => {
      const answer = await request(`${server.url}/embed/deepseek-v3`);
      assert.equal(answer.status, 200);
      assert.match(String(answer.headers['content-type']), /^text\/html/);
      assert.match(String(answer.headers['content-security-policy']), /script-src 'self'/);
      const oembed = `${server.url}/oembed?url=${encodeURIComponent(`${server.url}/embed/deepseek-v3`)}&#38;format=json`;
      assert.ok(answer.text.includes(`<link rel="alternate" type="application/json+oembed" href="${oembed}" title="DeepSeek-V3">`));
      assert.ok(answer.text.includes('<blockquote>DeepSeek-V3 pioneers an auxiliary-loss-free strategy for load balancing...</blockquote>'));
      assert.equal(answer.text.match(/<p>/g)?.length, 11);
      assert.ok(answer.text.includes('<paperledge-comments api="/" episode="deepseek-v3">'));
    });

    it('has a main landmark and an h1 (the title, at heading level 1 once loaded), no padding, and ?theme=light|dark|auto', async () => {
      const auto = await request(`${server.url}/embed/deepseek-v3`);
      assert.match(auto.text, /<main>\n<paperledge-episode [^>]*heading-level="1"/);
      assert.match(auto.text, /<h1>DeepSeek-V3<\/h1>/);
      assert.match(auto.text, /color-scheme:light dark;background:Canvas;color:CanvasText/);
      assert.match(auto.text, /body\{margin:0;padding:0\}/);
      assert.ok(!auto.text.includes('theme="'));
      for (const theme of ['light', 'dark'] as const) {
        const page = await request(`${server.url}/embed/deepseek-v3?theme=${theme}`);
        assert.match(page.text, new RegExp(`html\\{[^}]*color-scheme:${theme};background:#`));
        assert.equal(page.text.match(new RegExp(`theme="${theme}"`, 'g'))?.length, 3, 'episode, credits and comments');
      }
      // Anything else is auto, not an error: the reader still sees the episode.
      const odd = await request(`${server.url}/embed/deepseek-v3?theme=%22%3E%3Cscript%3E`);
      assert.equal(odd.status, 200);
      assert.ok(!odd.text.includes('<script>'));
      assert.match(odd.text, /color-scheme:light dark/);
    });

    it('escapes episode text', async () => {
      const answer = await request(`${server.url}/embed/evil`);
      assert.equal(answer.status, 200);
      assert.ok(!answer.text.includes('<script>alert(1)'));
      assert.ok(!answer.text.includes('<img src=x'));
      assert.ok(answer.text.includes('&#60;img src=x onerror=alert(1)&#62;'));
    });

    it('serves its scripts, resize.js with CORS for host pages', async () => {
      const resize = await request(`${server.url}/embed/resize.js`);
      assert.equal(resize.status, 200);
      assert.match(String(resize.headers['content-type']), /^text\/javascript/);
      assert.equal(resize.headers['access-control-allow-origin'], '*');
      assert.equal((await request(`${server.url}/embed/paperledge.js`)).status, 200);
      // The chunk the bundle loads for transcript files, at the address the bundle asks for.
      const bundle = (await request(`${server.url}/embed/paperledge.js`)).text;
      const chunk = /import\(`\.\/(chunks\/transcript-formats-[\w-]{8}\.js)`\)/.exec(bundle)![1]!;
      const loaded = await request(`${server.url}/embed/${chunk}`);
      assert.equal(loaded.status, 200);
      assert.match(String(loaded.headers['content-type']), /^text\/javascript/);
      assert.equal((await request(`${server.url}/embed/chunks/nothing-abcdefgh.js`)).status, 404);
      assert.equal((await request(`${server.url}/embed/chunks/..%2F..%2Fpackage.json`)).status, 404);
    });

    it('sends its scripts compressed (Brotli, else gzip) to a browser that accepts it, and 304 to one that has them', async () => {
      const plainScript = await request(`${server.url}/embed/paperledge.js`);
      assert.equal(plainScript.headers['content-encoding'], undefined);
      assert.equal(plainScript.headers.vary, 'Accept-Encoding');
      const etag = String(plainScript.headers.etag);
      assert.match(etag, /^"[\w-]{27}"$/);
      const browser = await request(`${server.url}/embed/paperledge.js`, { headers: { 'Accept-Encoding': 'gzip, deflate, br, zstd' } });
      assert.equal(browser.headers['content-encoding'], 'br');
      assert.deepEqual(brotliDecompressSync(browser.body), plainScript.body);
      // What a phone on a slow network is spared: the bundle is 24 KB gzipped, about a third of it as built.
      assert.ok(browser.body.length < plainScript.body.length / 3, `${browser.body.length} of ${plainScript.body.length} bytes`);
      const older = await request(`${server.url}/embed/resize.js`, { headers: { 'Accept-Encoding': 'gzip;q=1, br;q=0' } });
      assert.equal(older.headers['content-encoding'], 'gzip');
      assert.equal(older.headers['access-control-allow-origin'], '*');
      assert.match(gunzipSync(older.body).toString(), /export function fitEmbeds/);
      // A reader whose cache has this build is told so, with nothing sent.
      const again = await request(`${server.url}/embed/paperledge.js`, { headers: { 'If-None-Match': etag, 'Accept-Encoding': 'br' } });
      assert.equal(again.status, 304);
      assert.equal(again.body.length, 0);
      assert.equal(again.headers.etag, etag);
      assert.equal(again.headers['cache-control'], 'public, max-age=300');
      // The same holds for chunks, languages and the console.
      const chunk = /import\(`\.\/(chunks\/transcript-formats-[\w-]{8}\.js)`\)/.exec(plainScript.text)![1]!;
      for (const path of [`/embed/${chunk}`, '/embed/locales/de/comments.js', '/admin/console.js']) {
        const answer = await request(`${server.url}${path}`, { headers: { 'Accept-Encoding': 'gzip' } });
        assert.equal(answer.status, 200, path);
        assert.equal(answer.headers['content-encoding'], 'gzip', path);
        assert.equal(gunzipSync(answer.body).toString(), (await request(`${server.url}${path}`)).text, path);
      }
      assert.equal((await request(`${server.url}/embed/chunks/nothing-abcdefgh.js`, { headers: { 'Accept-Encoding': 'br' } })).status, 404);
    });

    it('serves a script rebuilt on disk without a restart, with a new ETag', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'paperledge-scripts-'));
      try {
        const file = join(dir, 'built.js');
        writeFileSync(file, 'export const build = 1;');
        const first = await preparedScript(file);
        assert.equal(await preparedScript(file), first);
        writeFileSync(file, 'export const build = 22;');
        utimesSync(file, new Date(), new Date(Date.now() + 2000));
        const second = await preparedScript(file);
        assert.notEqual(second.etag, first.etag);
        assert.equal(gunzipSync(second.gzip).toString(), 'export const build = 22;');
        assert.equal(brotliDecompressSync(second.br).toString(), 'export const build = 22;');
        await assert.rejects(preparedScript(join(dir, 'missing.js')), { code: 'ENOENT' });
      } finally {
        removeDir(dir);
      }
    });

    it('reads Accept-Encoding as browsers and proxies write it', () => {
      assert.equal(chosenEncoding(undefined), undefined);
      assert.equal(chosenEncoding('identity'), undefined);
      assert.equal(chosenEncoding('gzip, deflate, br, zstd'), 'br');
      assert.equal(chosenEncoding('GZIP'), 'gzip');
      assert.equal(chosenEncoding('br;q=0, gzip;q=0.5'), 'gzip');
      assert.equal(chosenEncoding('br; q=0.0, gzip;q=0'), undefined);
      assert.equal(chosenEncoding('x-gzip'), 'gzip');
    });

    it('speaks the language of ?lang= (the page\'s lang, its missing-episode page, the language file it loads), English without one', async () => {
      assert.match((await request(`${server.url}/embed/deepseek-v3?lang=de-AT`)).text, /^<!doctype html>\n<html lang="de-AT">/);
      assert.match((await request(`${server.url}/embed/deepseek-v3`)).text, /<html lang="en">/);
      // Not a language tag: English, and nothing of it reaches the page.
      const hostile = await request(`${server.url}/embed/deepseek-v3?lang=${encodeURIComponent('"><script>alert(1)</script>')}`);
      assert.match(hostile.text, /<html lang="en">/);
      assert.ok(!hostile.text.includes('<script>alert(1)'));
      const missing = await request(`${server.url}/embed/nothing?lang=fr`);
      assert.equal(missing.status, 404);
      assert.match(missing.text, /<html lang="fr">/);
      assert.match(missing.text, /<h1>Épisode introuvable<\/h1>/);
      assert.match(missing.text, /n’a aucun épisode nommé « nothing »/);
      // The bundle fetches a language beside itself: the embed page serves it at that address.
      const bundle = (await request(`${server.url}/embed/paperledge.js`)).text;
      assert.match(bundle, /import\(`\.\/locales\/\$\{\w+\}\/\$\{\w+\}\.js`\)/);
      const ja = await request(`${server.url}/embed/locales/ja/comments.js`);
      assert.equal(ja.status, 200);
      assert.match(String(ja.headers['content-type']), /^text\/javascript/);
      assert.ok(ja.text.includes('コメント'));
      assert.equal((await request(`${server.url}/embed/locales/xx/comments.js`)).status, 404);
      assert.equal((await request(`${server.url}/embed/locales/ja/nothing.js`)).status, 404);
      // oEmbed keeps the language in the iframe it returns.
      const oembed = await request(`${server.url}/oembed?url=${encodeURIComponent(`${server.url}/embed/deepseek-v3?lang=ja`)}`);
      assert.ok(oembed.json.html.startsWith(`<iframe src="${server.url}/embed/deepseek-v3?lang=ja"`), oembed.json.html);
    });

    it('answers an unknown episode with a small HTML page that says so, not JSON inside the reader\'s frame', async () => {
      for (const id of ['nothing', 'Not_An_Id']) {
        const answer = await request(`${server.url}/embed/${id}`);
        assert.equal(answer.status, 404);
        assert.match(String(answer.headers['content-type']), /^text\/html/);
        assert.match(answer.text, /<h1>Episode not found<\/h1>/);
        assert.match(answer.text, new RegExp(`no episode called “${id}”`));
      }
    });
  });

  describe('absolute URLs come from the server\'s own address, never from the Host header', () => {
    const attacker = { Host: 'attacker.example' };
    it('in oEmbed, the embed page and comments.api', async () => {
      const oembed = await request(`${server.url}/oembed?url=${encodeURIComponent(`${server.url}/embed/deepseek-v3`)}`, { headers: attacker });
      assert.equal(oembed.status, 200);
      assert.ok(!oembed.text.includes('attacker.example'));
      assert.ok(oembed.json.html.includes(`src="${server.url}/embed/resize.js"`));
      const page = await request(`${server.url}/embed/deepseek-v3`, { headers: attacker });
      assert.ok(!page.text.includes('attacker.example'));
      assert.ok(page.text.includes(`<link rel="canonical" href="${server.url}/embed/deepseek-v3">`));
      const episode = await request(`${server.url}/v1/episodes/deepseek-v3`, { headers: attacker });
      assert.deepEqual(episode.json.comments, { api: server.url });
    });

    it('answers 404 to oEmbed for a URL on another host, whatever the Host header says', async () => {
      const elsewhere = encodeURIComponent('http://attacker.example/embed/deepseek-v3');
      assert.equal((await request(`${server.url}/oembed?url=${elsewhere}`)).status, 404);
      assert.equal((await request(`${server.url}/oembed?url=${elsewhere}`, { headers: attacker })).status, 404);
    });

    it('with --public-url, every absolute URL is built from it', async () => {
      const proxied = await startTestServer(['--episodes', episodes, '--public-url', 'https://comments.example.org']);
      try {
        const oembed = await request(`${proxied.url}/oembed?url=${encodeURIComponent('https://comments.example.org/embed/deepseek-v3')}`);
        assert.equal(oembed.status, 200);
        assert.ok(oembed.json.html.startsWith('<iframe src="https://comments.example.org/embed/deepseek-v3"'));
        assert.equal(oembed.json.provider_url, 'https://comments.example.org');
        assert.equal((await request(`${proxied.url}/oembed?url=${encodeURIComponent(`${proxied.url}/embed/deepseek-v3`)}`)).status, 404);
        assert.deepEqual((await request(`${proxied.url}/v1/episodes/deepseek-v3`)).json.comments, { api: 'https://comments.example.org' });
      } finally {
        await proxied.close();
        removeDir(proxied.dir);
      }
    });
  });

  const oembed = (query: string) => request(`${server.url}/oembed?${query}`);
  const embedUrl = () => encodeURIComponent(`${server.url}/embed/deepseek-v3`);

  describe('GET /oembed', () => {
    it('answers a rich oEmbed with every field the spec requires', async () => {
      const answer = await oembed(`url=${embedUrl()}&format=json`);
      assert.equal(answer.status, 200);
      assert.match(String(answer.headers['content-type']), /^application\/json/);
      assert.equal(answer.headers['access-control-allow-origin'], '*');
      const body = answer.json;
      assert.equal(body.version, '1.0');
      assert.equal(body.type, 'rich');
      assert.equal(typeof body.html, 'string');
      assert.ok(Number.isInteger(body.width) && body.width > 0);
      assert.ok(Number.isInteger(body.height) && body.height > 0);
      assert.equal(body.title, 'DeepSeek-V3');
      assert.equal(body.provider_name, 'PaperLedge');
      assert.ok(body.html.startsWith(`<iframe src="${server.url}/embed/deepseek-v3"`));
      for (const key of Object.keys(body)) {
        assert.ok(['version', 'type', 'title', 'provider_name', 'provider_url', 'cache_age', 'html', 'width', 'height'].includes(key), key);
      }
    });

    it('honours maxwidth and maxheight', async () => {
      const answer = await oembed(`url=${embedUrl()}&maxwidth=400&maxheight=300`);
      assert.equal(answer.json.width, 400);
      assert.equal(answer.json.height, 300);
    });

    it('answers 501 for XML, 400 without a URL, 404 for an unknown one', async () => {
      assert.equal((await oembed(`url=${embedUrl()}&format=xml`)).status, 501);
      assert.equal((await oembed('format=json')).status, 400);
      assert.equal((await oembed(`url=${encodeURIComponent(`${server.url}/somewhere/else`)}`)).status, 404);
      assert.equal((await oembed(`url=${encodeURIComponent(`${server.url}/embed/nothing`)}`)).status, 404);
    });
  });
});

