// The moderation console at /admin, end to end against a real server, from the keyboard: the owner signs in,
// approves a comment that waits and restores one that readers' reports hid; readers then see both. The console is
// put on this page's origin by the test server's /test-proxy/{port}/ route, so the test can look inside it.
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '../../src/define/paperledge-comments.js';
import type { PaperLedgeComments } from '../../src/elements/paperledge-comments.js';
import { axeViolations, openPage, waitUntil } from './support.js';

const ADMIN = 'admin-token-for-console-browser-tests';
interface StartedServer {
  id: string;
  url: string;
}
const command = (payload: Record<string, unknown>) => executeServerCommand('comments-server', payload);
const root = (el: Element) => el.shadowRoot!;
const bodies = (el: HTMLElement) => [...root(el).querySelectorAll('[part="comment"] .body')].map((b) => b.textContent!.trim());

async function readerSees(api: string, episode: string): Promise<string[]> {
  for (const key of Object.keys(localStorage)) if (key.startsWith('paperledge:')) localStorage.removeItem(key);
  const el = await fixture<PaperLedgeComments>(html`<paperledge-comments api=${api} episode=${episode}></paperledge-comments>`);
  // Loaded now, wherever the box is on the test page: what it shows is the question here, not when it loads.
  await el.reload();
  await el.updateComplete;
  await waitUntil(() => root(el).querySelector('[part="empty"], [part="list"]'), 'comments did not load');
  const seen = bodies(el);
  el.remove();
  return seen;
}

/** The console's button whose visible text starts with `label`, in the comment by `author`. */
function button(console: Element, author: string, label: string): HTMLButtonElement {
  const card = [...root(console).querySelectorAll('li')].find((li) => li.querySelector('.author')?.textContent === author)!;
  return [...card.querySelectorAll('button')].find((b) => b.textContent!.trim().startsWith(label))!;
}

async function press(target: HTMLElement, key: string) {
  target.focus();
  await sendKeys({ press: key });
}

describe('the moderation console', function () {
  this.timeout(45_000);

  it('speaks the language of its page, switching when it changes, axe clean', async () => {
    const server = (await command({ action: 'start', args: ['--admin-token', ADMIN] })) as StartedServer;
    const { frame, win, doc } = await openPage(`/test-proxy/${new URL(server.url).port}/admin`);
    frame.scrollIntoView();
    const shadow = () => doc.querySelector('paperledge-moderation')?.shadowRoot;
    await waitUntil(() => shadow()?.querySelector('#token'), 'the sign-in form did not show');
    expect(shadow()!.querySelector('form button')!.textContent!.trim()).to.equal('Sign in');
    doc.documentElement.lang = 'ja';
    await waitUntil(() => shadow()!.querySelector('form button')!.textContent!.trim() === 'サインイン', 'Japanese did not arrive');
    expect(shadow()!.querySelector('label')!.textContent!.trim()).to.equal('管理用トークン');
    expect(shadow()!.querySelector('h1')!.textContent!.trim()).to.equal('モデレーション');
    expect((win as unknown as { __cspViolations?: string[] }).__cspViolations ?? []).to.deep.equal([]);
    const violations = await axeViolations(win, doc);
    expect(violations, violations.join('\n')).to.deep.equal([]);
    frame.remove();
    await command({ action: 'stop', id: server.id });
  });

  it('lets the owner sign in and approve and restore comments from the keyboard; readers then see them', async () => {
    const server = (await command({ action: 'start', args: ['--admin-token', ADMIN, '--moderation', 'pre', '--report-threshold', '3'] })) as StartedServer;
    const episode = `console-${Date.now().toString(36)}`;
    const send = (path: string, body: unknown, from: string) => command({ action: 'request', id: server.id, path, method: 'POST', body, from });
    await send(`/v1/episodes/${episode}/comments`, { author: 'Ada', body: 'Please approve me.\nhttps://example.org/not-followed' }, '127.0.0.51');
    expect(await readerSees(server.url, episode)).to.deep.equal([]);

    const { frame, win, doc } = await openPage(`/test-proxy/${new URL(server.url).port}/admin`);
    frame.style.height = '1200px';
    await waitUntil(() => doc.querySelector('paperledge-moderation')?.shadowRoot?.querySelector('#token'), 'the sign-in form did not show');
    const moderation = doc.querySelector('paperledge-moderation');
    const token = root(moderation!).querySelector<HTMLInputElement>('#token')!;
    token.focus();
    await sendKeys({ type: ADMIN });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root(moderation!).querySelector('li'), 'the waiting comment did not show');
    expect(root(moderation!).querySelector('.counts')!.textContent).to.equal('1 waiting · 0 reported');
    // The whole text, as text; its link shown, not followed.
    const card = root(moderation!).querySelector('li')!;
    expect(card.querySelector('.body')!.textContent).to.equal('Please approve me.\nhttps://example.org/not-followed');
    expect(card.querySelector('a')).to.equal(null);
    // The token is nowhere in the page: not in the field, the address or web storage.
    expect(token.isConnected ? token.value : '').to.equal('');
    expect(win.location.href).to.not.include(ADMIN);
    expect(JSON.stringify({ ...win.localStorage, ...win.sessionStorage })).to.not.include(ADMIN);
    const axe = doc.createElement('script');
    axe.src = '/node_modules/axe-core/axe.min.js';
    await new Promise((resolve, reject) => {
      axe.onload = resolve;
      axe.onerror = reject;
      doc.head.append(axe);
    });
    const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
    type Axe = { run(context: Document, options: object): Promise<{ violations: { id: string }[] }> };
    const violations = (await (win as unknown as { axe: Axe }).axe.run(doc, { runOnly: { type: 'tag', values: tags } })).violations;
    expect(violations.map((v) => v.id)).to.deep.equal([]);

    await press(button(moderation!, 'Ada', 'Approve'), 'Enter');
    await waitUntil(() => root(moderation!).querySelector('[role="status"]')!.textContent!.startsWith('Approved'), 'approving was not confirmed');
    // Focus stays in the console, never dropped to the page.
    expect(root(moderation!).activeElement).to.not.equal(null);
    expect(await readerSees(server.url, episode)).to.deep.equal(['Please approve me.\nhttps://example.org/not-followed']);

    // Three readers report it: it is hidden until the owner restores it from "Reported".
    const id = ((await command({ action: 'request', id: server.id, path: `/v1/episodes/${episode}/comments` })) as { json: { comments: { id: string }[] } }).json.comments[0]!.id;
    for (const from of ['127.0.0.52', '127.0.0.53', '127.0.0.54']) await send(`/v1/comments/${id}/reports`, undefined, from);
    expect(await readerSees(server.url, episode)).to.deep.equal([]);
    const reported = [...root(moderation!).querySelectorAll<HTMLButtonElement>('.filters button')].find((b) => b.textContent!.trim().startsWith('Reported'))!;
    await press(reported, 'Enter');
    await waitUntil(() => root(moderation!).querySelector('li .badge:last-child')?.textContent === '3 reports', 'the reported comment did not show');
    await press(button(moderation!, 'Ada', 'Approve'), 'Enter');
    await waitUntil(() => root(moderation!).querySelector('[role="status"]')!.textContent!.startsWith('Approved'), 'restoring was not confirmed');
    expect(await readerSees(server.url, episode)).to.deep.equal(['Please approve me.\nhttps://example.org/not-followed']);

    // Hide it again from "Shown".
    const filter = (label: string) => [...root(moderation!).querySelectorAll<HTMLButtonElement>('.filters button')].find((b) => b.textContent!.trim().startsWith(label))!;
    const said = (start: string) => waitUntil(() => root(moderation!).querySelector('[role="status"]')!.textContent!.startsWith(start), `"${start}…" was not said`);
    await press(filter('Shown'), 'Enter');
    await waitUntil(() => root(moderation!).querySelector('li'), 'the shown comment did not show');
    await press(button(moderation!, 'Ada', 'Hide'), 'Enter');
    await said('Hidden');
    expect(await readerSees(server.url, episode)).to.deep.equal([]);

    // Find a spammer's comment by a word, block its writer, then delete it (Delete asks twice).
    await send(`/v1/episodes/${episode}/comments`, { author: 'Spammer', body: 'Cheap watches here' }, '127.0.0.55');
    await press(filter('All'), 'Enter');
    const search = root(moderation!).querySelector<HTMLInputElement>('#search')!;
    search.focus();
    await sendKeys({ type: 'watches' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root(moderation!).querySelectorAll('li').length === 1 && root(moderation!).querySelector('li .author')!.textContent === 'Spammer', 'the search did not find it');
    await press(button(moderation!, 'Spammer', 'Block writer'), 'Enter');
    await said('Blocked');
    const refused = (await send(`/v1/episodes/${episode}/comments`, { body: 'More watches' }, '127.0.0.55')) as { status: number };
    expect(refused.status).to.equal(403);
    const remove = button(moderation!, 'Spammer', 'Delete');
    await press(remove, 'Enter');
    await waitUntil(() => button(moderation!, 'Spammer', 'Really delete'), 'Delete did not ask again');
    await press(button(moderation!, 'Spammer', 'Really delete'), 'Enter');
    await said('Deleted');
    expect(root(moderation!).querySelectorAll('li').length).to.equal(0);
    frame.remove();
  });
});
