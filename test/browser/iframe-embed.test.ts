import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { openPage, waitUntil } from './support.js';

/**
 * The route for hosts that strip scripts: the real comments server, started
 * with the test fixtures as its episodes, answers oEmbed for `/embed/{id}`,
 * and a host page embeds the HTML it gives, as a CMS would.
 */

interface OEmbed {
  version: string;
  type: string;
  html: string;
  width: number;
  height: number;
  title?: string;
  provider_name?: string;
}

/** The oEmbed answer for the fixture episode's embed page on `base`, checked against the spec's required fields. */
async function oembedFor(base: string): Promise<OEmbed> {
  const response = await fetch(`${base}/oembed?url=${encodeURIComponent(`${base}/embed/deepseek-v3`)}&format=json`);
  expect(response.status).to.equal(200);
  const answer = (await response.json()) as OEmbed;
  expect(answer.version).to.equal('1.0');
  expect(answer.type).to.equal('rich');
  expect(answer.html).to.be.a('string');
  expect(Number.isInteger(answer.width) && answer.width > 0).to.equal(true);
  expect(Number.isInteger(answer.height) && answer.height > 0).to.equal(true);
  expect(answer.title).to.equal('DeepSeek-V3');
  return answer;
}

const px = (frame: HTMLIFrameElement) => parseFloat(frame.style.height) || 0;

describe('the /embed iframe and oEmbed, for hosts that strip scripts', () => {
  const frames: HTMLIFrameElement[] = [];
  afterEach(() => {
    for (const frame of frames.splice(0)) frame.remove();
  });

  it('shows the fixture episode and fits its frame to the content, with no scroll bar', async () => {
    // The test server passes /oembed, /embed/ and /v1/ to the episodes server, so this host can look inside the frame.
    const answer = await oembedFor(location.origin);
    const host = await openPage({ html: `<h1>A hosted blog</h1>${answer.html}<p>After the embed.</p>` });
    frames.push(host.frame);
    const frame = host.doc.querySelector('iframe')!;
    const embedded = () => frame.contentDocument?.querySelector('paperledge-episode')?.shadowRoot;
    await waitUntil(() => embedded()?.querySelectorAll('.transcript > .block').length === 14, 'the embed did not render the episode', {
      timeout: 8000,
    });
    const doc = frame.contentDocument!;
    expect(embedded()!.querySelectorAll('.transcript > p.block')).to.have.length(11);
    const credits = doc.querySelector('paperledge-credits')!;
    await waitUntil(() => credits.shadowRoot?.querySelector('[part="toggle"]'), 'the embed did not render the credits');
    expect(credits.shadowRoot!.querySelector('[part="toggle"]')!.textContent!.trim()).to.equal('All 200 authors');

    // The comments load when the reader scrolls the host page down to them.
    await waitUntil(() => px(frame) > 1500, 'the frame did not take the height of its content');
    const comments = doc.querySelector('paperledge-comments')!;
    // Scrolled again while waiting, as a reader would: the frame may still grow (the player's chunk) after the first scroll.
    await waitUntil(
      () => {
        host.win.scrollTo(0, host.doc.documentElement.scrollHeight);
        return comments.shadowRoot?.querySelector('[part="empty"]');
      },
      'the embed did not load its comments',
      { timeout: 8000 },
    );
    expect(comments.shadowRoot!.querySelector('[part="empty"]')!.textContent).to.equal('No comments yet. Be the first to say something!');

    const content = () => doc.documentElement.getBoundingClientRect().height;
    // Waited for, then asserted, so that a failure shows both heights.
    await waitUntil(() => Math.abs(frame.getBoundingClientRect().height - content()) <= 2, 'the frame did not fit').catch(() => {});
    expect(frame.getBoundingClientRect().height).to.be.closeTo(content(), 2);
    expect(doc.documentElement.scrollHeight).to.be.at.most(frame.contentWindow!.innerHeight + 1);
    expect(host.win.__pageErrors).to.deep.equal([]);
  });

  it('reaches a host on another origin: oEmbed read from the page, the frame resized across origins', async () => {
    const base = (await executeServerCommand('comments-server', { action: 'episodes' })) as string;
    expect(new URL(base).origin).not.to.equal(location.origin);
    const answer = await oembedFor(base);
    expect(answer.html).to.contain(`${base}/embed/resize.js`);
    const host = await openPage({ html: answer.html });
    frames.push(host.frame);
    const frame = host.doc.querySelector('iframe')!;
    await waitUntil(() => px(frame) > 1500, 'the embed did not report its height', { timeout: 8000 });
    await waitUntil(async () => {
      const before = px(frame);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return px(frame) === before;
    }, 'the height did not settle');
    // A narrower host makes the text wrap: the frame follows.
    const wide = px(frame);
    host.frame.style.width = '420px';
    await waitUntil(() => px(frame) > wide * 1.2, 'the frame did not follow').catch(() => {});
    expect(px(frame)).to.be.above(wide * 1.2);
    expect(host.win.__pageErrors).to.deep.equal([]);
  });
});
