import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { openPage, waitUntil } from './support.js';


/**
 * The hostile host pages of demo/, each loading the built dist/paperledge.js
 * exactly as an embedder would, opened in a frame of this test page.
 */

const shadow = (el: Element | null) => el!.shadowRoot!;
const visible = (el: Element | null) => {
  const box = el!.getBoundingClientRect();
  return box.width > 0 && box.height > 0;
};

async function episodeRendered(doc: Document) {
  await waitUntil(() => doc.querySelector('paperledge-episode')?.shadowRoot?.querySelectorAll('.block').length === 14, 'episode did not render', {
    timeout: 8000,
  });
  return doc.querySelector('paperledge-episode')!;
}

describe('embedding the built bundle on hostile pages', () => {
  const frames: HTMLIFrameElement[] = [];
  const track = <T extends { frame: HTMLIFrameElement }>(page: T) => {
    frames.push(page.frame);
    return page;
  };
  afterEach(() => {
    for (const frame of frames.splice(0)) frame.remove();
  });

  it('renders and works under a theme that resets everything, hides buttons and inflates paragraphs', async () => {
    const { win, doc } = track(await openPage('/demo/hostile-blog.html'));
    const episode = await episodeRendered(doc);
    expect(getComputedStyle(episode).display).to.equal('block');
    const first = shadow(episode).querySelector('#p-1')!;
    expect(visible(first)).to.equal(true);
    expect(parseFloat(getComputedStyle(first).fontSize)).to.be.below(30);

    const credits = doc.querySelector('paperledge-credits')!;
    await waitUntil(() => shadow(credits).querySelector('[part="toggle"]'), 'credits did not render');
    // The theme's '* { line-height: 3 !important }' does not reach the element's own lines.
    const names = shadow(credits).querySelector('[part="list"]')!;
    expect(parseFloat(getComputedStyle(names).lineHeight)).to.be.closeTo(1.6 * parseFloat(getComputedStyle(names).fontSize), 0.5);
    const toggle = shadow(credits).querySelector<HTMLButtonElement>('[part="toggle"]')!;
    expect(visible(toggle)).to.equal(true);
    expect(getComputedStyle(toggle).display).not.to.equal('none');
    toggle.click();
    await waitUntil(() => shadow(credits).querySelectorAll('[part="list"] > li').length === 200, 'credits did not expand');

    const input = shadow(episode).querySelector<HTMLInputElement>('[part="search"] input')!;
    expect(visible(input)).to.equal(true);
    input.value = 'DeepSeek-V3';
    input.dispatchEvent(new Event('input'));
    await waitUntil(() => shadow(episode).querySelectorAll('mark').length > 3, 'find did not mark matches');

    // Comments work too, against a real server.
    const api = (await executeServerCommand('comments-server', { action: 'shared' })) as string;
    const comments = doc.querySelector('paperledge-comments')!;
    comments.setAttribute('api', api);
    comments.setAttribute('episode', `hostile-${Date.now().toString(36)}`);
    comments.scrollIntoView();
    await waitUntil(() => shadow(comments).querySelector('[part="empty"]') && shadow(comments).querySelector('[part="submit"]'), 'comments did not load', { timeout: 5000 });
    const submit = shadow(comments).querySelector('[part="submit"]')!;
    expect(visible(submit)).to.equal(true);
    expect(win.__pageErrors).to.deep.equal([]);
  });

  it('shows only <paperledge-credits> on a university page, readable from the markup', async () => {
    const { win, doc } = track(await openPage('/demo/university.html'));
    const credits = doc.querySelector('paperledge-credits')!;
    expect(credits.textContent).to.match(/^Credit to Paper authors: DeepSeek-AI, Aixin Liu/);
    await waitUntil(() => shadow(credits)?.querySelector('[part="toggle"]'), 'credits did not render');
    expect(shadow(credits).querySelectorAll('[part="name"]')).to.have.length(10);
    expect(shadow(credits).querySelector('[part="toggle"]')!.textContent!.trim()).to.equal('All 200 authors');
    expect(doc.querySelector('paperledge-episode')).to.equal(null);
    expect(win.__pageErrors).to.deep.equal([]);
  });

  it('works under a strict Content Security Policy with zero violations', async () => {
    const { win, doc } = track(await openPage('/demo/strict-csp.html'));
    const episode = await episodeRendered(doc);
    const credits = doc.querySelector('paperledge-credits')!;
    await waitUntil(() => shadow(credits).querySelector('[part="toggle"]'), 'credits did not render');
    shadow(credits).querySelector<HTMLButtonElement>('[part="toggle"]')!.click();
    const input = shadow(episode).querySelector<HTMLInputElement>('[part="search"] input')!;
    input.value = 'model';
    input.dispatchEvent(new Event('input'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(shadow(episode).querySelectorAll('mark').length).to.be.greaterThan(0);
    // A transcript file's reader comes as a chunk beside the bundle, loaded under the same policy.
    const fromVtt = doc.getElementById('from-vtt')!;
    await waitUntil(() => shadow(fromVtt).querySelectorAll('.transcript > .block').length === 3, 'the WebVTT transcript did not render');
    expect(shadow(fromVtt).querySelector('#p-2 .speaker')!.textContent).to.equal('Ernis:');
    // So do find's matching (fetched when the reader first searches) and the comment box's form and extras: all under the policy.
    const chunks = win.performance
      .getEntriesByType('resource')
      .map((entry) => /\/dist\/chunks\/([a-z-]+?)-[\w-]{8}\.js$/.exec(entry.name)?.[1])
      .filter((name): name is string => name !== undefined);
    expect(chunks).to.include.members(['transcript-formats', 'find-matcher']);
    for (const name of chunks) expect(['transcript-formats', 'find-matcher', 'text-search', 'comment-composer', 'comment-extras']).to.include(name);
    expect(win.__cspViolations).to.deep.equal([]);
    expect(win.__pageErrors).to.deep.equal([]);
  });

  it('loads no chunk on a page without transcript files', async () => {
    const { win, doc } = track(await openPage('/demo/hostile-blog.html'));
    await episodeRendered(doc);
    // The comment box fetches its form with its thread and its after-load actions once its first page is in (whether
    // that is before this check is a race); what must not come is a transcript reader, the entity table or the player.
    const chunks = win.performance
      .getEntriesByType('resource')
      .map((entry) => entry.name)
      .filter((name) => name.includes('/chunks/') && !/\/chunks\/comment-(composer|extras)-/.test(name));
    expect(chunks).to.deep.equal([]);
  });

  it('survives the script loaded twice, beside another library’s custom elements', async () => {
    const { win, doc } = track(await openPage('/demo/double-load.html'));
    await episodeRendered(doc);
    const credits = doc.querySelector('paperledge-credits')!;
    await waitUntil(() => shadow(credits).querySelector('[part="toggle"]'), 'credits did not get the episode');
    expect(shadow(credits).querySelector('[part="toggle"]')!.textContent!.trim()).to.equal('All 200 authors');
    const card = doc.querySelector('other-card')!;
    await waitUntil(() => card.shadowRoot, 'the other library did not run');
    card.shadowRoot!.querySelector('button')!.click();
    expect(card.hasAttribute('clicked')).to.equal(true);
    const before = win.customElements.get('paperledge-episode');
    // A registering module imported after the bundle changes nothing.
    await (win as unknown as { eval: (code: string) => Promise<unknown> }).eval(
      "import('/dist/define/paperledge-episode.js')",
    );
    expect(win.customElements.get('paperledge-episode')).to.equal(before);
    expect(win.__pageErrors).to.deep.equal([]);
  });

  it('upgrades markup that was in the page before the script arrived', async () => {
    const { win, doc } = track(await openPage('/demo/late-script.html'));
    const credits = doc.querySelector('paperledge-credits')!;
    await waitUntil(() => credits.shadowRoot?.querySelector('[part="name"]'), 'the late script did not upgrade the markup');
    expect((win as unknown as { __beforeScript: boolean }).__beforeScript).to.equal(false);
    expect([...shadow(credits).querySelectorAll('[part="name"]')].map((n) => n.textContent)).to.deep.equal([
      'Ada Lovelace',
      'Alan Turing',
    ]);
    expect(win.__pageErrors).to.deep.equal([]);
  });
});

describe('the built bundle keeps the spaces its templates need', () => {
  it('shows "0:00 Ernis: Hey…", not "0:00Ernis:Hey…" (a minifier once stripped them)', async () => {
    const { frame, doc } = await openPage({
      html: `<paperledge-episode><script type="application/json">${JSON.stringify({
        id: 'spaces',
        title: 'Spaces',
        transcript: [{ type: 'paragraph', text: 'Hey everyone.', start: 0, speaker: 'Ernis' }],
      })}</script></paperledge-episode>
      <script type="module" src="/dist/paperledge.js"></script>`,
    });
    try {
      const episode = doc.querySelector('paperledge-episode')!;
      await waitUntil(() => shadow(episode).querySelector('#p-1'), 'the bundle did not render');
      const text = shadow(episode).querySelector('#p-1')!.textContent!.replace(/\s+/g, ' ').trim();
      expect(text).to.match(/^0:00 Ernis: Hey everyone\./);
    } finally {
      frame.remove();
    }
  });
});

describe('one element alone: paperledge-<element>.js', () => {
  const frames: HTMLIFrameElement[] = [];
  afterEach(() => {
    for (const frame of frames.splice(0)) frame.remove();
  });
  const load = (win: Window, file: string) =>
    (win as unknown as { eval: (code: string) => Promise<unknown> }).eval(`import('/dist/${file}')`);

  it('defines only its own element; a second element’s bundle added later still gets the episode through context', async () => {
    const page = await openPage({
      html: `<paperledge-episode src="/test/fixtures/paperledge-deepseek-v3.txt">
          <paperledge-credits></paperledge-credits>
        </paperledge-episode>
        <script type="module" src="/dist/paperledge-episode.js"></script>`,
    });
    frames.push(page.frame);
    const { win, doc } = page;
    await episodeRendered(doc);
    expect(win.customElements.get('paperledge-credits')).to.equal(undefined);
    expect(win.customElements.get('paperledge-comments')).to.equal(undefined);

    // A second copy of Lit, in another bundle: the context protocol still joins them.
    await load(win, 'paperledge-credits.js');
    const credits = doc.querySelector('paperledge-credits')!;
    await waitUntil(() => credits.shadowRoot?.querySelector('[part="toggle"]'), 'credits did not get the episode');
    expect(shadow(credits).querySelector('[part="toggle"]')!.textContent!.trim()).to.equal('All 200 authors');
    // The full bundle after both: nothing is defined twice, nothing breaks.
    await load(win, 'paperledge.js');
    expect(win.customElements.get('paperledge-comments')).not.to.equal(undefined);
    expect(win.__pageErrors).to.deep.equal([]);
  });

  it('shows the comment box alone, against the real server', async () => {
    const api = (await executeServerCommand('comments-server', { action: 'shared' })) as string;
    const page = await openPage({
      html: `<paperledge-comments api="${api}" episode="alone-${Date.now().toString(36)}"></paperledge-comments>
        <script type="module" src="/dist/paperledge-comments.js"></script>`,
    });
    frames.push(page.frame);
    const comments = page.doc.querySelector('paperledge-comments')!;
    await waitUntil(() => comments.shadowRoot?.querySelector('[part="empty"]'), 'comments did not load', { timeout: 5000 });
    expect(shadow(comments).querySelector('[part="empty"]')!.textContent).to.equal('No comments yet. Be the first to say something!');
    expect(page.win.customElements.get('paperledge-episode')).to.equal(undefined);
    expect(page.win.__pageErrors).to.deep.equal([]);
  });
});
