// Moderation as readers meet it, against real comments servers: a comment waiting for approval, seen by its author
// only; reports from three readers; a blocked writer. Other readers and the site's owner are real HTTP clients on
// other loopback addresses (the test server's `request` command), not stand-ins.
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/define/paperledge-comments.js';
import type { PaperLedgeComments } from '../../src/elements/paperledge-comments.js';
import { waitUntil } from './support.js';

const ADMIN = 'admin-token-for-browser-tests-0123';
interface StartedServer {
  id: string;
  url: string;
}
interface Answer {
  status: number;
  // The API's JSON, checked by the assertions that read it.
  json: { comment?: { id: string }; comments?: { id: string }[]; error?: { message: string } } | undefined;
}
const command = (payload: Record<string, unknown>) => executeServerCommand('comments-server', payload);
const startServer = (args: string[]) => command({ action: 'start', args: ['--admin-token', ADMIN, ...args] }) as Promise<StartedServer>;
/** A request from another client: `from` is its loopback address; `admin` signs it as the site's owner. */
const send = (server: StartedServer, path: string, options: { method?: string; body?: unknown; from?: string; admin?: boolean } = {}) =>
  command({
    action: 'request',
    id: server.id,
    path,
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    body: options.body,
    from: options.from,
    headers: options.admin ? { Authorization: `Bearer ${ADMIN}` } : {},
  }) as Promise<Answer>;

let counter = 0;
const newEpisode = () => `moderation-${Date.now().toString(36)}-${++counter}`;
const root = (el: HTMLElement) => el.shadowRoot!;
const $ = <T extends Element = HTMLElement>(el: HTMLElement, selector: string) => root(el).querySelector<T>(selector);
const bodies = (el: HTMLElement) => [...root(el).querySelectorAll('[part="comment"] .body')].map((b) => b.textContent!.trim());
const status = (el: HTMLElement) => $(el, '[role="status"]')!.textContent!.trim();

/** This browser forgets what it wrote and reported: it is now another reader. */
function forgetDevice() {
  for (const key of Object.keys(localStorage)) if (key.startsWith('paperledge:')) localStorage.removeItem(key);
}

async function mount(api: string, episode: string): Promise<PaperLedgeComments> {
  const el = await fixture<PaperLedgeComments>(html`<paperledge-comments api=${api} episode=${episode}></paperledge-comments>`);
  // Comments load near the reader's view; earlier boxes of the same test may have pushed this one below it.
  el.scrollIntoView();
  await waitUntil(() => $(el, '[part="error"]') || $(el, '[part="form"]'), 'comments did not load');
  return el;
}

async function write(el: PaperLedgeComments, text: string) {
  const body = $<HTMLTextAreaElement>(el, '[part="body-input"]')!;
  body.value = text;
  body.dispatchEvent(new Event('input'));
  await el.updateComplete;
  const before = status(el);
  $<HTMLButtonElement>(el, '[part="submit"]')!.click();
  // Done when the box says how it went: posted, waiting, or an error beside the form.
  await waitUntil(
    () => $(el, '[part="form"] [part="error"]') || (status(el) !== before && status(el) !== 'Posting your comment…' && status(el) !== ''),
    'posting did not finish',
  );
  await el.updateComplete;
}

describe('moderation, as readers see it', function () {
  this.timeout(30_000);
  beforeEach(forgetDevice);
  after(forgetDevice);

  it('under pre-moderation shows a new comment to its author only, "Waiting for approval", until the owner approves it', async () => {
    const server = await startServer(['--moderation', 'pre']);
    const episode = newEpisode();
    const el = await mount(server.url, episode);
    await write(el, 'Is the MoE router trained jointly?');
    expect(bodies(el)).to.deep.equal(['Is the MoE router trained jointly?']);
    expect($(el, '[part="pending"]')!.textContent!.trim()).to.equal('Waiting for approval');
    expect(status(el)).to.equal("Your comment was received. It waits for the site owner's approval; until then only you can see it.");
    // Not counted in the public heading, and the draft is cleared as after any post.
    expect($(el, '[part="heading"]')!.textContent!.trim()).to.equal('Comments');
    expect($<HTMLTextAreaElement>(el, '[part="body-input"]')!.value).to.equal('');
    await expect(el).to.be.accessible();

    // Its author still sees it after a reload of the page.
    const again = await mount(server.url, episode);
    await waitUntil(() => bodies(again).length === 1, 'the waiting comment is gone after a reload');
    expect($(again, '[part="pending"]')).to.not.equal(null);

    // Another reader sees nothing.
    forgetDevice();
    const other = await mount(server.url, episode);
    expect($(other, '[part="empty"]')).to.not.equal(null);

    // The owner approves it; everyone sees it, and its author no longer sees "Waiting for approval".
    const queue = await send(server, `/v1/admin/comments?status=pending&episode=${episode}`, { admin: true });
    expect(queue.json!.comments!.length).to.equal(1);
    expect((await send(server, `/v1/admin/comments/${queue.json!.comments![0]!.id}/approve`, { method: 'POST', admin: true })).status).to.equal(200);
    await other.reload();
    expect(bodies(other)).to.deep.equal(['Is the MoE router trained jointly?']);
    expect($(other, '[part="pending"]')).to.equal(null);
  });

  it('reports a comment to the owner; at three readers it disappears until the owner restores it', async () => {
    const server = await startServer(['--report-threshold', '3']);
    const episode = newEpisode();
    const posted = await send(server, `/v1/episodes/${episode}/comments`, { body: { author: 'Troll', body: 'You are all wrong.' }, from: '127.0.0.5' });
    const id = posted.json!.comment!.id;
    for (const from of ['127.0.0.6', '127.0.0.7']) {
      expect((await send(server, `/v1/comments/${id}/reports`, { method: 'POST', from })).status).to.equal(202);
    }
    const el = await mount(server.url, episode);
    const report = $<HTMLButtonElement>(el, '[part="report"]')!;
    expect(report.textContent!.trim()).to.equal('Report');
    expect(report.getAttribute('aria-label')).to.equal("Report this comment to the site's owner");
    report.focus();
    report.click();
    await waitUntil(() => status(el) === "Reported. Thank you: the site's owner will look at it.", 'the report was not confirmed');
    // The third reader hid it: it goes from the page live (by the stream, or by the next poll while the stream is not
    // open yet: polls are 5 s apart), and stays gone on a reload.
    await waitUntil(() => $(el, '[part="empty"]'), 'the hidden comment is still shown', { timeout: 12_000 });
    await expect(el).to.be.accessible();
    await el.reload();
    expect($(el, '[part="empty"]')).to.not.equal(null);
    // The owner restores it: it is back for everyone (live, then on a reload), still marked reported on this device.
    expect((await send(server, `/v1/admin/comments/${id}/approve`, { method: 'POST', admin: true })).status).to.equal(200);
    await waitUntil(() => bodies(el).length === 1, 'the restored comment did not come back live');
    await el.reload();
    expect(bodies(el)).to.deep.equal(['You are all wrong.']);
    expect($(el, '[part="reported"]')).to.not.equal(null);
  });

  it('tells a blocked writer why their comment was not posted, and keeps what they wrote', async () => {
    const server = await startServer([]);
    const episode = newEpisode();
    const el = await mount(server.url, episode);
    await write(el, 'First post.');
    const id = (await send(server, `/v1/admin/comments?episode=${episode}`, { admin: true })).json!.comments![0]!.id;
    const blocked = await send(server, '/v1/admin/blocks', { body: { commentId: id, days: 3 }, admin: true });
    expect(blocked.status).to.equal(201);
    await write(el, 'Second post.');
    const error = $(el, '[part="form"] [part="error"]')!;
    expect(error.textContent!.trim()).to.match(
      /^Your comment was not posted\. The site's owner has stopped comments from your connection until \d{4}-\d\d-\d\d\. Nothing was posted\.$/,
    );
    expect($<HTMLTextAreaElement>(el, '[part="body-input"]')!.value).to.equal('Second post.');
    expect(bodies(el)).to.deep.equal(['First post.']);
  });
});
