// Conversations as readers meet them, against real comments servers: replying from the keyboard, replies shown to
// another reader live and after a reload, two server processes on one PostgreSQL database, and a stream that is cut.
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '../../src/define/paperledge-comments.js';
import type { PaperLedgeComments } from '../../src/elements/paperledge-comments.js';
import { waitUntil } from './support.js';

interface StartedServer {
  id: string;
  url: string;
}
interface Answer {
  status: number;
  json: { comment?: { id: string } } | undefined;
}
const command = (payload: Record<string, unknown>) => executeServerCommand('comments-server', payload);
/** The servers a test started, stopped after it once its pages are gone (never under an open stream). */
const running: string[] = [];
const startServer = async (args: string[] = []) => {
  const server = (await command({ action: 'start', args: ['--posts-per-minute', '1000000', ...args] })) as StartedServer;
  running.push(server.id);
  return server;
};
/** Another reader, posting from another loopback address. */
const post = (server: StartedServer, episode: string, body: Record<string, unknown>) =>
  command({ action: 'request', id: server.id, path: `/v1/episodes/${episode}/comments`, method: 'POST', body, from: '127.0.0.9' }) as Promise<Answer>;

let counter = 0;
const newEpisode = () => `talk-${Date.now().toString(36)}-${++counter}`;
const root = (el: HTMLElement) => el.shadowRoot!;
const $ = <T extends Element = HTMLElement>(el: HTMLElement, selector: string) => root(el).querySelector<T>(selector);
/** Each top-level comment's text with its replies' texts under it. */
const thread = (el: HTMLElement) =>
  [...root(el).querySelectorAll('[part="list"] > li')].map((li) => ({
    text: li.querySelector(':scope > article .body, :scope > article .removed')!.textContent!.trim(),
    replies: [...li.querySelectorAll('[part="replies"] .body')].map((b) => b.textContent!.trim()),
  }));

/** Two readers side by side, both on screen: each box listens live only while it is. */
async function mountPair(first: string, second: string, episode: string): Promise<[PaperLedgeComments, PaperLedgeComments]> {
  const row = await fixture<HTMLDivElement>(html`<div style="display: flex; gap: 8px; align-items: flex-start">
    <paperledge-comments style="flex: 1; min-width: 0" api=${first} episode=${episode}></paperledge-comments>
    <paperledge-comments style="flex: 1; min-width: 0" api=${second} episode=${episode}></paperledge-comments>
  </div>`);
  row.scrollIntoView({ block: 'start' });
  const [a, b] = [...row.querySelectorAll<PaperLedgeComments>('paperledge-comments')] as [PaperLedgeComments, PaperLedgeComments];
  for (const el of [a, b]) await waitUntil(() => $(el, '[part="error"]') || $(el, '[part="form"]'), 'comments did not load');
  return [a, b];
}

async function mount(api: string, episode: string): Promise<PaperLedgeComments> {
  const el = await fixture<PaperLedgeComments>(html`<paperledge-comments api=${api} episode=${episode}></paperledge-comments>`);
  el.scrollIntoView();
  await waitUntil(() => $(el, '[part="error"]') || $(el, '[part="form"]'), 'comments did not load');
  return el;
}

/** Records every event stream the page opens, to see when one is open and what it asked for. */
const streams: EventSource[] = [];
const Original = window.EventSource;
class RecordingEventSource extends Original {
  constructor(url: string | URL, init?: EventSourceInit) {
    super(url, init);
    streams.push(this);
  }
}

describe('conversations', () => {
  before(() => {
    window.EventSource = RecordingEventSource;
  });
  after(() => {
    window.EventSource = Original;
  });
  beforeEach(() => {
    for (const key of Object.keys(localStorage)) if (key.startsWith('paperledge:')) localStorage.removeItem(key);
  });
  // First the boxes go (their streams with them), then the servers: a server stopped under an open stream leaves the
  // browser reconnecting to a dead port while the next test, or the next file, starts.
  afterEach(async () => {
    fixtureCleanup();
    for (const stream of streams) stream.close();
    for (const id of running.splice(0)) await command({ action: 'stop', id });
  });

  it('replies from the keyboard in place; another reader sees the reply under its comment live, and after a reload', async () => {
    const server = await startServer();
    const episode = newEpisode();
    await post(server, episode, { author: 'Ada', body: 'How is the router trained?' });
    const [me, other] = await mountPair(server.url, server.url, episode);
    const reply = $<HTMLButtonElement>(me, '[part="reply"]')!;
    // Seen as "Reply", named "Reply to Ada": which comment it answers is in its name, the word seen begins it.
    expect(reply.textContent!.trim()).to.equal('Reply');
    expect(reply.getAttribute('aria-label')).to.equal('Reply to Ada');
    expect(reply.getAttribute('aria-expanded')).to.equal('false');
    reply.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root(me).activeElement?.id === 'reply-body', 'the reply field did not take the focus');
    expect(reply.getAttribute('aria-expanded')).to.equal('true');
    expect($(me, 'label[for="reply-body"]')!.textContent).to.equal('Reply to Ada');
    // One word: the WebKitGTK driver drops some spaces of typed text.
    await sendKeys({ type: 'Jointly.' });
    // Escape closes it and gives the focus back to "Reply"; the draft is kept for when it opens again.
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => root(me).activeElement === reply, 'focus did not return to Reply');
    expect($(me, '[part="reply-form"]')).to.equal(null);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $<HTMLTextAreaElement>(me, '#reply-body')?.value === 'Jointly.', 'the reply draft was lost').catch((error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify($<HTMLTextAreaElement>(me, '#reply-body')?.value)} ${root(me).activeElement?.outerHTML.slice(0, 60)} ${JSON.stringify(Object.keys(localStorage))}`);
    });
    // Tab to "Post reply" and press it.
    await sendKeys({ press: 'Tab' });
    await waitUntil(() => root(me).activeElement?.getAttribute('part') === 'submit', 'Tab did not reach Post reply');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => thread(me)[0]?.replies.length === 1, 'the reply did not appear');
    expect(thread(me)).to.deep.equal([{ text: 'How is the router trained?', replies: ['Jointly.'] }]);
    expect($(me, '[part="reply-form"]')).to.equal(null);
    // The new reply takes the focus, never the page.
    await waitUntil(() => root(me).activeElement?.tagName === 'ARTICLE', 'focus did not move to the reply');
    expect($(me, '[role="status"]')!.textContent).to.equal('Your reply was posted.');
    // The other reader: live, without a reload, and the same after one.
    await waitUntil(() => thread(other)[0]?.replies.length === 1, 'the other reader did not see the reply live', { timeout: 5000 });
    await other.reload();
    expect(thread(other)).to.deep.equal([{ text: 'How is the router trained?', replies: ['Jointly.'] }]);
    await expect(me).to.be.accessible();
  });

  it('answers a reply under the same comment, naming whom it answers; a deleted comment leaves "Comment removed" above its replies', async () => {
    const server = await startServer(['--admin-token', 'admin-token-for-browser-tests-0123']);
    const episode = newEpisode();
    const top = await post(server, episode, { author: 'Ada', body: 'First.' });
    await post(server, episode, { author: 'Grace', body: 'Second, in reply.', parentId: top.json!.comment!.id });
    const el = await mount(server.url, episode);
    const [, replyToGrace] = [...root(el).querySelectorAll<HTMLButtonElement>('[part="reply"]')];
    replyToGrace!.click();
    await waitUntil(() => $(el, '#reply-body'), 'no reply form');
    expect($(el, 'label[for="reply-body"]')!.textContent).to.equal('Reply to Grace');
    const body = $<HTMLTextAreaElement>(el, '#reply-body')!;
    body.value = 'Third, to Grace.';
    body.dispatchEvent(new Event('input'));
    $<HTMLButtonElement>(el, '[part="reply-form"] [part="submit"]')!.click();
    await waitUntil(() => thread(el)[0]?.replies.length === 2, 'the answer did not join the thread');
    expect([...root(el).querySelectorAll('[part="reply-to"]')].map((n) => n.textContent)).to.deep.equal(['Replying to Grace']);
    // The owner deletes the top comment: its replies stay, under "Comment removed", for this reader live.
    await command({
      action: 'request',
      id: server.id,
      path: `/v1/comments/${top.json!.comment!.id}`,
      method: 'DELETE',
      headers: { Authorization: 'Bearer admin-token-for-browser-tests-0123' },
    });
    await waitUntil(() => thread(el)[0]?.text === 'Comment removed', 'the removal did not arrive');
    expect(thread(el)[0]!.replies).to.deep.equal(['Second, in reply.', 'Third, to Grace.']);
    await expect(el).to.be.accessible();
  });

  it('holds a new comment that would land below what the reader is reading behind "Show 1 new comment", said politely', async () => {
    const server = await startServer();
    const episode = newEpisode();
    for (let i = 1; i <= 15; i++) await post(server, episode, { author: 'Ada', body: `Earlier comment number ${i}, long enough to take a line of its own.` });
    const el = await mount(server.url, episode);
    el.scrollIntoView({ block: 'start' });
    await waitUntil(() => streams.some((s) => s.readyState === EventSource.OPEN && s.url.startsWith(server.url)), 'no stream');
    const top = el.getBoundingClientRect().top;
    await post(server, episode, { author: 'Grace', body: 'Arrived while Ada was reading.' });
    await waitUntil(() => $(el, '[part="new-comments"]'), 'no "new comments" button');
    const button = $<HTMLButtonElement>(el, '[part="new-comments"]')!;
    expect(button.textContent!.trim()).to.equal('Show 1 new comment');
    expect($(el, '[role="status"]')!.textContent).to.equal('1 new comment');
    // Nothing moved, and the comment is not in the list yet.
    expect(el.getBoundingClientRect().top).to.equal(top);
    expect(thread(el)).to.have.length(15);
    await expect(el).to.be.accessible();
    button.click();
    await waitUntil(() => thread(el).length === 16, 'the new comment was not shown');
    expect(thread(el)[15]!.text).to.equal('Arrived while Ada was reading.');
    await waitUntil(() => root(el).activeElement?.tagName === 'ARTICLE', 'focus did not go to the new comment');
    expect($(el, '[part="new-comments"]')).to.equal(null);
  });

  it('two pages on two server processes sharing one PostgreSQL see each other’s comments live within two seconds', async () => {
    const [a, b] = (await command({ action: 'postgres-pair' })) as [StartedServer, StartedServer];
    running.push(a.id, b.id);
    const episode = newEpisode();
    const [onA, onB] = await mountPair(a.url, b.url, episode);
    await waitUntil(() => streams.filter((s) => s.readyState === EventSource.OPEN && s.url.startsWith(a.url)).length > 0, 'no stream to A');
    await waitUntil(() => streams.filter((s) => s.readyState === EventSource.OPEN && s.url.startsWith(b.url)).length > 0, 'no stream to B');
    const body = $<HTMLTextAreaElement>(onB, '[part="body-input"]')!;
    body.value = 'Posted through process B.';
    body.dispatchEvent(new Event('input'));
    $<HTMLButtonElement>(onB, '[part="submit"]')!.click();
    await waitUntil(() => thread(onB).length === 1, 'B did not post');
    const posted = performance.now();
    await waitUntil(() => thread(onA).length === 1, 'A did not see it within 2 s', { timeout: 2000 });
    expect(performance.now() - posted).to.be.below(2000);
    expect(thread(onA)).to.deep.equal([{ text: 'Posted through process B.', replies: [] }]);
  });

  it('keeps up by asking when the stream is cut, and resumes it with Last-Event-ID when it returns', async function () {
    this.timeout(40_000);
    const server = await startServer();
    const episode = newEpisode();
    const el = await mount(server.url, episode);
    el.scrollIntoView({ block: 'start' });
    await waitUntil(() => streams.some((s) => s.readyState === EventSource.OPEN && s.url.startsWith(server.url)), 'no stream');
    await post(server, episode, { author: 'Ada', body: 'Before the cut.' });
    await waitUntil(() => thread(el).length === 1, 'the first comment did not arrive live');
    // The server comes back refusing streams (a cap of 0): the page asks for the newest page instead.
    await command({ action: 'restart', id: server.id, args: ['--posts-per-minute', '1000000', '--max-event-streams', '0'] });
    await post(server, episode, { author: 'Grace', body: 'While the stream was cut.' });
    await waitUntil(() => thread(el).length === 2, 'polling did not bring the comment', { timeout: 15_000 });
    // Streams are allowed again: the page opens one that says what it already has.
    const opened = streams.length;
    await command({ action: 'restart', id: server.id, args: ['--posts-per-minute', '1000000'] });
    await waitUntil(
      () => streams.slice(opened).some((s) => s.readyState === EventSource.OPEN && /[?&]lastEventId=\d+/.test(s.url)),
      'the stream did not come back with lastEventId',
      { timeout: 20_000 },
    );
    await post(server, episode, { author: 'Linus', body: 'After it came back.' });
    await waitUntil(() => thread(el).length === 3, 'the stream did not bring the comment', { timeout: 3000 });
    expect(thread(el).map((t) => t.text)).to.deep.equal(['Before the cut.', 'While the stream was cut.', 'After it came back.']);
  });
});
