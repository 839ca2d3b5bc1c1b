// Episodes from podcast feeds (`--feed URL|FILE`): a feed written to the Podcasting 2.0 examples, served by a
// loopback server in the test with ETag support, and a feed file shaped like a PaperLedge episode page.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { episodeIdFor, parseFeedXml, preferredTranscript } from '../../server/src/feed-xml.js';
import { htmlToText } from '../../server/src/markup.js';
import { type TestServer, removeDir, startTestServer } from './support/server.js';

const fixtureText = readFileSync(new URL('../fixtures/paperledge-deepseek-v3.txt', import.meta.url), 'utf8');
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A feed as the Podcasting 2.0 namespace's examples write one: several transcript formats, chapters, people. */
function podcastFeed(base: string, title = 'Episode 3 - The Future'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>Podcasting 2.0 Namespace Example</title>
    <language>en-US</language>
    <podcast:locked owner="email@example.com">no</podcast:locked>
    <item>
      <title>${title}</title>
      <description>&lt;p&gt;A great show about the future.&lt;/p&gt;</description>
      <guid isPermaLink="true">https://example.com/ep0003</guid>
      <pubDate>Fri, 09 Oct 2020 04:30:38 GMT</pubDate>
      <enclosure url="${base}/ep3.mp3" length="1" type="audio/mpeg"/>
      <podcast:transcript url="${base}/ep3.html" type="text/html" />
      <podcast:transcript url="${base}/ep3.vtt" type="text/vtt" />
      <podcast:transcript url="${base}/ep3.es.json" type="application/json" language="es" rel="captions" />
      <podcast:transcript url="${base}/ep3.srt" type="application/x-subrip" rel="captions" />
      <podcast:chapters url="${base}/ep3.chapters.json" type="application/json+chapters" />
      <podcast:person href="https://example.com/johnsmith/blog" img="https://example.com/images/johnsmith.jpg">John Smith</podcast:person>
      <podcast:person role="guest" href="https://www.imdb.com/name/nm0427852888/">Jane Doe</podcast:person>
      <podcast:person group="writing" role="Author" href="https://example.com/alice">Alice Author</podcast:person>
      <podcast:person group="writing" role="author">Bob Author</podcast:person>
    </item>
    <item>
      <title>Episode 2 - The Present</title>
      <guid isPermaLink="false">urn:uuid:4b3e9d9a-7f3c-4f55-9d1b-9b0f3e1c2a77</guid>
      <pubDate>Thu, 08 Oct 2020 04:30:38 GMT</pubDate>
      <enclosure url="${base}/ep2.mp3" length="1" type="audio/mpeg"/>
      <podcast:transcript url="${base}/missing.vtt" type="text/vtt" />
      <content:encoded><![CDATA[<p>What the present holds.</p><ul><li>One thing</li><li>Another</li></ul>]]></content:encoded>
    </item>
  </channel>
</rss>
`;
}

/** A feed whose item is a PaperLedge episode page: the fixture's text as its show notes. */
function paperLedgeFeed(title: string): string {
  const notes = fixtureText
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => `<p>${escapeXml(line)}</p>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>PaperLedge</title>
    <language>en</language>
    <item>
      <title>${escapeXml(title)}</title>
      <guid isPermaLink="false">paperledge-deepseek-v3</guid>
      <pubDate>Mon, 30 Dec 2024 10:00:00 GMT</pubDate>
      <content:encoded><![CDATA[${notes}]]></content:encoded>
    </item>
  </channel>
</rss>
`;
}

interface Origin {
  url: string;
  server: Server;
  requests: { path: string; ifNoneMatch: string | undefined }[];
  feed: string;
  failing: boolean;
}

async function startOrigin(): Promise<Origin> {
  const origin = { requests: [] as Origin['requests'], feed: '', failing: false } as Origin;
  const files: Record<string, [string, string]> = {
    '/ep3.vtt': ['text/vtt', 'WEBVTT\n\n00:00.000 --> 00:04.000\n<v Ernis>Welcome to the future.</v>\n\n00:04.000 --> 00:07.000\n<v Sam>It looks bright &hearts;</v>\n'],
    '/ep3.es.json': ['application/json', '{"version":"1.0.0","segments":[{"speaker":"Ernis","startTime":0,"body":"Bienvenidos."}]}'],
    '/ep3.srt': ['application/x-subrip', '1\n00:00:00,000 --> 00:00:04,000\nWelcome (SRT).\n'],
    '/ep3.html': ['text/html', '<cite>Ernis:</cite><time>0:00</time><p>Welcome (HTML).</p>'],
    '/ep3.chapters.json': ['application/json+chapters', '{"version":"1.2.0","chapters":[{"startTime":0,"title":"Intro"},{"startTime":4,"title":"Outlook"}]}'],
  };
  const server = createServer((request: IncomingMessage, response) => {
    const path = request.url ?? '/';
    origin.requests.push({ path, ifNoneMatch: request.headers['if-none-match'] });
    if (path === '/feed.xml') {
      if (origin.failing) {
        response.writeHead(500).end('down');
        return;
      }
      const etag = `"${Buffer.from(origin.feed).length}-${origin.feed.length}"`;
      if (request.headers['if-none-match'] === etag) {
        response.writeHead(304, { ETag: etag }).end();
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/rss+xml', ETag: etag }).end(origin.feed);
      return;
    }
    const file = files[path];
    if (!file) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'Content-Type': file[0] }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin.server = server;
  origin.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  origin.feed = podcastFeed(origin.url);
  return origin;
}

async function json<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T };
}

async function until(check: () => Promise<boolean>, what: string, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`timed out: ${what}`);
}

describe('episodes from podcast feeds', () => {
  let origin: Origin;
  let server: TestServer;
  let feedFile: string;

  before(async () => {
    origin = await startOrigin();
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'paperledge-feeds-'));
    feedFile = join(dir, 'paperledge.xml');
    writeFileSync(feedFile, paperLedgeFeed('DeepSeek-V3, explained'));
    server = await startTestServer(['--feed', `${origin.url}/feed.xml`, '--feed', feedFile, '--feed-refresh', '1']);
  });

  after(async () => {
    await server.close();
    origin.server.close();
    removeDir(server.dir);
  });

  it('lists every feed episode with its id, title and date', async () => {
    const { status, body } = await json<{ episodes: { id: string; title: string; published: string }[] }>(`${server.url}/v1/episodes`);
    assert.equal(status, 200);
    assert.deepEqual(
      body.episodes.map((e) => [e.id, e.title, e.published]),
      [
        ['ep0003', 'Episode 3 - The Future', '2020-10-09T04:30:38.000Z'],
        [episodeIdFor('urn:uuid:4b3e9d9a-7f3c-4f55-9d1b-9b0f3e1c2a77'), 'Episode 2 - The Present', '2020-10-08T04:30:38.000Z'],
        ['paperledge-deepseek-v3', 'DeepSeek-V3, explained', '2024-12-30T10:00:00.000Z'],
      ],
    );
  });

  it('serves a Podcasting 2.0 item with its preferred transcript, inlined chapters, its authors and its audio', async () => {
    const { status, body } = await json<Record<string, unknown>>(`${server.url}/v1/episodes/ep0003`);
    assert.equal(status, 200);
    // JSON ranks first but is Spanish in an English feed: the English WebVTT wins, voices as speakers, references decoded.
    assert.deepEqual(body['transcript'], [
      { type: 'paragraph', text: 'Welcome to the future.', start: 0, end: 4, speaker: 'Ernis' },
      { type: 'paragraph', text: 'It looks bright ♥', start: 4, end: 7, speaker: 'Sam' },
    ]);
    assert.deepEqual(body['chapters'], { version: '1.2.0', chapters: [{ startTime: 0, title: 'Intro' }, { startTime: 4, title: 'Outlook' }] });
    assert.deepEqual(body['paper'], { authors: [{ name: 'Alice Author', url: 'https://example.com/alice' }, { name: 'Bob Author' }] });
    assert.deepEqual(body['audio'], { src: `${origin.url}/ep3.mp3`, type: 'audio/mpeg' });
    assert.equal(body['show'], 'Podcasting 2.0 Namespace Example');
    assert.deepEqual(body['comments'], { api: server.url });
  });

  it('falls back to the show notes when the transcript file cannot be fetched, and says so in the log', async () => {
    const id = episodeIdFor('urn:uuid:4b3e9d9a-7f3c-4f55-9d1b-9b0f3e1c2a77');
    const { body } = await json<{ transcript: unknown[] }>(`${server.url}/v1/episodes/${id}`);
    assert.deepEqual(body.transcript, [
      { type: 'paragraph', text: 'What the present holds.' },
      { type: 'list', items: ['One thing', 'Another'] },
    ]);
    assert.ok(server.logLines.some((line) => /missing\.vtt could not be read .*HTTP 404.*show notes instead/.test(line)), server.logLines.join('\n'));
  });

  it('reads a PaperLedge episode page from its show notes: paragraphs, the quote, lists and the credits', async () => {
    const { body } = await json<{ transcript: { type: string; text?: string; items?: string[] }[]; paper: { authors: { name: string }[] } }>(
      `${server.url}/v1/episodes/paperledge-deepseek-v3`,
    );
    assert.match(body.transcript[0]!.text!, /^Hey everyone, Ernis here, and welcome back to PaperLedge!/);
    assert.ok(body.transcript.some((block) => block.type === 'quote' && block.text!.startsWith('DeepSeek-V3 pioneers')));
    assert.ok(body.transcript.some((block) => block.type === 'list' && block.items!.length === 3));
    assert.equal(body.paper.authors[0]!.name, 'DeepSeek-AI');
    assert.ok(body.paper.authors.length > 100, `${body.paper.authors.length} authors`);
  });

  it('serves the feed episodes through /embed/{id} and oEmbed', async () => {
    const embed = await fetch(`${server.url}/embed/ep0003`);
    assert.equal(embed.status, 200);
    assert.match(await embed.text(), /Episode 3 - The Future/);
    const { status, body } = await json<{ title: string; html: string }>(`${server.url}/oembed?url=${encodeURIComponent(`${server.url}/embed/paperledge-deepseek-v3`)}`);
    assert.equal(status, 200);
    assert.equal(body.title, 'DeepSeek-V3, explained');
    assert.match(body.html, /\/embed\/paperledge-deepseek-v3/);
  });

  it('picks up a changed feed file without a restart, and keeps the last good episodes when it breaks', async () => {
    writeFileSync(feedFile, paperLedgeFeed('DeepSeek-V3, explained again'));
    await until(async () => (await json<{ title: string }>(`${server.url}/v1/episodes/paperledge-deepseek-v3`)).body.title === 'DeepSeek-V3, explained again', 'the new title');
    writeFileSync(feedFile, '<rss><channel><item><title>cut off');
    await until(async () => server.logLines.some((line) => /paperledge\.xml changed and cannot be read \(the feed is not well-formed XML/.test(line)), 'the log line');
    const { status, body } = await json<{ title: string }>(`${server.url}/v1/episodes/paperledge-deepseek-v3`);
    assert.equal(status, 200);
    assert.equal(body.title, 'DeepSeek-V3, explained again');
  });

  it('re-reads a feed URL with If-None-Match, and keeps its episodes while it fails', async () => {
    await until(async () => origin.requests.some((r) => r.path === '/feed.xml' && r.ifNoneMatch !== undefined), 'a conditional request');
    origin.feed = podcastFeed(origin.url, 'Episode 3 - The Future, remastered');
    await until(async () => (await json<{ title: string }>(`${server.url}/v1/episodes/ep0003`)).body.title === 'Episode 3 - The Future, remastered', 'the changed feed');
    origin.failing = true;
    await until(async () => server.logLines.some((line) => /feed\.xml could not be read \(.*HTTP 500\); still serving its last 2 episodes/.test(line)), 'the failure logged');
    assert.equal((await json<{ title: string }>(`${server.url}/v1/episodes/ep0003`)).body.title, 'Episode 3 - The Future, remastered');
    origin.failing = false;
  });
});

describe('reading feed XML', () => {
  it('refuses what is not RSS, naming what it found', () => {
    assert.throws(() => parseFeedXml('<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>'), /expected an RSS feed \(<rss><channel>…\), found <feed>/);
    assert.throws(() => parseFeedXml('<rss><channel><item>'), /the feed is not well-formed XML/);
  });

  it('keeps stable ids: a slug of the guid when it reads as one, else a hash', () => {
    assert.equal(episodeIdFor('https://example.com/episodes/DeepSeek-V3.mp3?x=1'), 'deepseek-v3');
    assert.equal(episodeIdFor('paperledge-deepseek-v3'), 'paperledge-deepseek-v3');
    assert.match(episodeIdFor('12345'), /^ep-[0-9a-f]{12}$/);
    assert.equal(episodeIdFor('12345'), episodeIdFor('12345'));
  });

  it('turns HTML show notes into lines, lists as "- " items, scripts dropped', () => {
    assert.equal(htmlToText('<p>One &amp; two</p><ul><li>a</li><li>b</li></ul><script>alert(1)</script>three<br>four'), 'One & two\n- a\n- b\nthree\nfour');
  });

  it('prefers the richest transcript format in the feed language', () => {
    const t = (type: string, language?: string) => ({ url: `https://x.example/${type}`, type, language, rel: undefined });
    assert.equal(preferredTranscript([t('text/html'), t('application/x-subrip'), t('text/vtt')], 'en')!.type, 'text/vtt');
    assert.equal(preferredTranscript([t('text/vtt', 'de'), t('application/x-subrip', 'en-GB')], 'en')!.type, 'application/x-subrip');
  });
});
