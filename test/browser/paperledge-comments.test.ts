import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/define/paperledge-comments.js';
import '../../src/define/paperledge-episode.js';
import type { PaperLedgeComments } from '../../src/elements/paperledge-comments.js';
import { parsePaperLedgeText } from '../../src/model/index.js';
import { loadFixture, openPage, overflowing, postComment, waitUntil } from './support.js';


const EMPTY = 'No comments yet. Be the first to say something!';
const shared = (await executeServerCommand('comments-server', { action: 'shared' })) as string;

interface StartedServer {
  id: string;
  url: string;
}
const server = (payload: Record<string, unknown>) => executeServerCommand('comments-server', payload);
const startServer = (args: string[] = []) => server({ action: 'start', args }) as Promise<StartedServer>;

let counter = 0;
/** Each test its own episode, so tests never see each other's comments. */
const newEpisode = () => `browser-${Date.now().toString(36)}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

const root = (el: HTMLElement) => el.shadowRoot!;
const $ = <T extends Element = HTMLElement>(el: HTMLElement, selector: string) => root(el).querySelector<T>(selector);
const comments = (el: HTMLElement) => [...root(el).querySelectorAll('[part="comment"]')];
const bodies = (el: HTMLElement) => comments(el).map((c) => c.querySelector('.body')!.textContent!.trim());

/** A comment box once its thread is in, with its form (a chunk fetched beside the thread), or its error. */
async function mount(api: string, episode: string): Promise<PaperLedgeComments> {
  const el = await fixture<PaperLedgeComments>(html`<paperledge-comments api=${api} episode=${episode}></paperledge-comments>`);
  await waitUntil(() => $(el, '[part="error"]') || ($(el, '[part="empty"], [part="list"]') && $(el, '[part="form"]')), 'comments did not load', { timeout: 5000 });
  return el;
}

async function type(el: PaperLedgeComments, text: string, name?: string) {
  if (name !== undefined) {
    const author = $<HTMLInputElement>(el, '[part="author-input"]')!;
    author.value = name;
    author.dispatchEvent(new Event('input'));
  }
  const body = $<HTMLTextAreaElement>(el, '[part="body-input"]')!;
  body.value = text;
  body.dispatchEvent(new Event('input'));
  await el.updateComplete;
}

async function submit(el: PaperLedgeComments): Promise<'posted' | 'error'> {
  const posted = oneEvent(el, 'paperledge-comment-posted').then(() => 'posted' as const);
  const failed = oneEvent(el, 'paperledge-error').then(() => 'error' as const);
  $<HTMLButtonElement>(el, '[part="submit"]')!.click();
  const outcome = await Promise.race([posted, failed]);
  await el.updateComplete;
  return outcome;
}

async function seed(api: string, episode: string, count: number) {
  for (let i = 1; i <= count; i++) await postComment(api, episode, { body: `comment ${i}`, author: `Reader ${i}` });
}

/** Clicks the "Try again" button of a failed load. */
const retry = (el: HTMLElement) =>
  [...root(el).querySelectorAll('button')].find((b) => b.textContent!.includes('Try again'))!.click();

describe('<paperledge-comments>', () => {
  afterEach(() => localStorage.clear());

  it('shows the empty state word for word, posts, and still shows the comment in a new element', async () => {
    const episode = newEpisode();
    const el = await mount(shared, episode);
    expect($(el, '[part="empty"]')!.textContent).to.equal(EMPTY);
    // "Comments", not "0 comments" above "No comments yet…", which would say it twice.
    expect($(el, '[part="heading"]')!.textContent).to.equal('Comments');
    await type(el, 'What a clear explanation of MoE!\nThanks.', 'Ada');
    expect(await submit(el)).to.equal('posted');
    expect(bodies(el)).to.deep.equal(['What a clear explanation of MoE!\nThanks.']);
    // The line break shows as one (CSS keeps it), with no element per line: the short text takes two lines.
    const body = comments(el)[0]!.querySelector<HTMLElement>('.body')!;
    expect(body.children).to.have.length(0);
    expect(getComputedStyle(body).whiteSpace).to.equal('pre-line');
    expect(body.getBoundingClientRect().height).to.be.above(2 * parseFloat(getComputedStyle(body).fontSize));
    expect(comments(el)[0]!.querySelector('[part="author"]')!.textContent).to.equal('Ada');
    expect($<HTMLTextAreaElement>(el, '[part="body-input"]')!.value).to.equal('');
    expect($(el, '[role="status"][aria-live="polite"]')!.textContent).to.equal('Your comment was posted.');
    expect($(el, '[part="heading"]')!.textContent).to.equal('1 comment');

    el.remove();
    const again = await mount(shared, episode);
    expect(bodies(again)).to.deep.equal(['What a clear explanation of MoE!\nThanks.']);
    const time = comments(again)[0]!.querySelector('time')!;
    expect(Date.parse(time.getAttribute('datetime')!)).to.be.closeTo(Date.now(), 60_000);
    // The relative date shows; the full one is in the tooltip and, for screen readers, in the text itself.
    expect([...time.childNodes].filter((node) => node instanceof Text).map((node) => node.textContent).join('')).to.equal('now');
    expect(time.title).to.match(/\d{4}/);
    expect(time.querySelector('.visually-hidden')!.textContent).to.equal(` (${time.title})`);
    expect(comments(again)[0]!.querySelector('article')!.getAttribute('aria-label')).to.equal('Ada, now');
    // The name is remembered on this device for the next comment.
    expect($<HTMLInputElement>(again, '[part="author-input"]')!.value).to.equal('Ada');
  });

  it('names an author who gives none "Anonymous"', async () => {
    const el = await mount(shared, newEpisode());
    await type(el, 'No name given');
    expect(await submit(el)).to.equal('posted');
    expect(comments(el)[0]!.querySelector('[part="author"]')!.textContent).to.equal('Anonymous');
  });

  it('keeps a longest-allowed unbroken name and a long URL inside a phone-width page', async () => {
    const episode = newEpisode();
    const author = 'x'.repeat(80);
    await postComment(shared, episode, { author, body: `See https://example.org/${'a'.repeat(200)}` });
    const box = await fixture<HTMLDivElement>(html`<div style="width: 320px"></div>`);
    const el = document.createElement('paperledge-comments');
    el.setAttribute('api', shared);
    el.setAttribute('episode', episode);
    box.append(el);
    await waitUntil(() => comments(el).length === 1, 'the comment did not load');
    expect(comments(el)[0]!.querySelector('[part="author"]')!.textContent).to.equal(author);
    expect(overflowing(el)).to.deep.equal([]);
    // At 200% text (WCAG 1.4.4, 1.4.10) the composer's fields still fit.
    box.style.fontSize = '32px';
    await el.updateComplete;
    expect(overflowing(el)).to.deep.equal([]);
  });

  it('links at most 20 URLs of one comment, the rest shown as text, so a spam comment costs no more than an honest one', async () => {
    const episode = newEpisode();
    const urls = Array.from({ length: 30 }, (_, i) => `https://example.org/${i}`);
    await postComment(shared, episode, { body: urls.join('\n') });
    const el = await mount(shared, episode);
    const body = comments(el)[0]!.querySelector('.body')!;
    const links = [...body.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).to.deep.equal(urls.slice(0, 20));
    expect(body.textContent).to.equal(urls.join('\n'));
  });

  it('sets each comment, and what is being typed, in the direction of its own text', async () => {
    const episode = newEpisode();
    await postComment(shared, episode, { author: 'Ada', body: 'Clear and kind.' });
    await postComment(shared, episode, { author: 'ليلى', body: 'شرح واضح، شكرا' });
    const el = await mount(shared, episode);
    const direction = (node: Element | null) => getComputedStyle(node!).direction;
    expect(comments(el).map((c) => direction(c.querySelector('.body')))).to.deep.equal(['ltr', 'rtl']);
    expect(comments(el).map((c) => direction(c.querySelector('[part="author"]')))).to.deep.equal(['ltr', 'rtl']);
    await type(el, 'سؤال');
    expect(direction($(el, '[part="body-input"]'))).to.equal('rtl');
  });

  it('shows script and markup as literal text, and links only http(s) URLs', async () => {
    const evil = '<img src=x onerror="window.__pwnedComment=1"> javascript:alert(1) <script>window.__pwnedComment=1</script>';
    const text = `${evil}\nSee https://arxiv.org/abs/2412.19437, and (https://en.wikipedia.org/wiki/Mixture_of_experts).`;
    const el = await mount(shared, newEpisode());
    await type(el, text, '<b>Mallory</b>');
    expect(await submit(el)).to.equal('posted');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((window as { __pwnedComment?: number }).__pwnedComment).to.equal(undefined);
    const comment = comments(el)[0]!;
    expect(comment.querySelector('img, script, b')).to.equal(null);
    expect(comment.querySelector('.body')!.textContent).to.contain(evil);
    expect(comment.querySelector('[part="author"]')!.textContent).to.equal('<b>Mallory</b>');
    const links = [...comment.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([
      'https://arxiv.org/abs/2412.19437',
      'https://en.wikipedia.org/wiki/Mixture_of_experts',
    ]);
    expect(links.every((a) => a.rel === 'nofollow noopener ugc')).to.equal(true);
  });

  describe('failures show their own message, keep the draft, and posting works once fixed', () => {
    it('400: a comment over 5,000 characters', async () => {
      const el = await mount(shared, newEpisode());
      // The count shows only near the limit.
      await type(el, 'x'.repeat(4499));
      expect($(el, '[part="counter"]')).to.equal(null);
      expect($(el, '[part="body-input"]')!.hasAttribute('aria-describedby')).to.equal(false);
      await type(el, 'x'.repeat(4500));
      expect($(el, '[part="counter"]')!.textContent).to.contain('4,500 / 5,000 characters');
      expect($(el, '[part="body-input"]')!.getAttribute('aria-describedby')).to.equal('counter');
      const long = 'x'.repeat(5001);
      await type(el, long);
      expect($(el, '[part="counter"]')!.textContent).to.contain('5,001 / 5,000 characters — 1 over the limit');
      expect(await submit(el)).to.equal('error');
      const error = $(el, '#post-error')!;
      expect(error.textContent).to.equal(
        'Your comment was not posted. The comment is 5,001 characters long; the limit is 5,000.',
      );
      const body = $<HTMLTextAreaElement>(el, '[part="body-input"]')!;
      expect(body.value).to.equal(long);
      expect(body.getAttribute('aria-invalid')).to.equal('true');
      expect(body.getAttribute('aria-describedby')).to.contain('post-error');
      await type(el, 'x'.repeat(5000));
      expect(await submit(el)).to.equal('posted');
      expect($(el, '#post-error')).to.equal(null);
    });

    it('429: posting too fast, with the wait', async () => {
      const limited = await startServer(['--posts-per-minute', '1']);
      const el = await mount(limited.url, newEpisode());
      await type(el, 'first');
      expect(await submit(el)).to.equal('posted');
      await type(el, 'second, too soon');
      expect(await submit(el)).to.equal('error');
      expect($(el, '#post-error')!.textContent).to.match(
        /^Your comment was not posted\. Too many comments in a minute: wait \d+ seconds? and post again\.$/,
      );
      expect($<HTMLTextAreaElement>(el, '[part="body-input"]')!.value).to.equal('second, too soon');
      await server({ action: 'restart', id: limited.id, args: ['--posts-per-minute', '100'] });
      expect(await submit(el)).to.equal('posted');
      expect(bodies(el)).to.deep.equal(['first', 'second, too soon']);
      await server({ action: 'stop', id: limited.id });
    });

    it('the server stopped', async () => {
      const own = await startServer();
      const el = await mount(own.url, newEpisode());
      await server({ action: 'stop', id: own.id });
      await type(el, 'written while the server was down');
      expect(await submit(el)).to.equal('error');
      const host = new URL(own.url).host;
      expect($(el, '#post-error')!.textContent).to.equal(
        `Your comment was not posted. Could not reach the comments server at ${host}: it may be down, or blocked on this network. Try again in a moment.`,
      );
      expect($<HTMLTextAreaElement>(el, '[part="body-input"]')!.value).to.equal('written while the server was down');
      await server({ action: 'restart', id: own.id });
      expect(await submit(el)).to.equal('posted');
      await server({ action: 'stop', id: own.id });
    });

    it('a network error while offline', async () => {
      const own = await startServer();
      const el = await mount(own.url, newEpisode());
      await server({ action: 'stop', id: own.id });
      const onLine = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine')!;
      Object.defineProperty(Navigator.prototype, 'onLine', { configurable: true, get: () => false });
      try {
        await type(el, 'written on a train');
        expect(await submit(el)).to.equal('error');
        expect($(el, '#post-error')!.textContent).to.equal(
          'Your comment was not posted. You are offline. Check your connection, then try again.',
        );
      } finally {
        Object.defineProperty(Navigator.prototype, 'onLine', onLine);
      }
      expect($<HTMLTextAreaElement>(el, '[part="body-input"]')!.value).to.equal('written on a train');
      await server({ action: 'restart', id: own.id });
      expect(await submit(el)).to.equal('posted');
      await server({ action: 'stop', id: own.id });
    });

    it('403: a site the server does not allow, named with the fix, and posting works once it is allowed', async () => {
      const strict = await startServer(['--allowed-origins', 'https://elsewhere.example']);
      const el = await mount(strict.url, newEpisode());
      expect($(el, '[part="error"]')!.textContent).to.equal(
        `Comments could not be loaded. This comments server does not serve its comments to pages on ${location.origin}; its operator can allow the site with --allowed-origins.`,
      );
      await server({ action: 'restart', id: strict.id, args: ['--allowed-origins', `https://elsewhere.example,${location.origin}`] });
      retry(el);
      await waitUntil(() => $(el, '[part="empty"]'), 'retry did not load');
      await server({ action: 'restart', id: strict.id, args: ['--allowed-origins', 'https://elsewhere.example'] });
      await type(el, 'posted from a site the operator forgot');
      expect(await submit(el)).to.equal('error');
      expect($(el, '#post-error')!.textContent).to.equal(
        `Your comment was not posted. This comments server does not take comments from pages on ${location.origin}; its operator can allow the site with --allowed-origins.`,
      );
      expect($<HTMLTextAreaElement>(el, '[part="body-input"]')!.value).to.equal('posted from a site the operator forgot');
      await server({ action: 'stop', id: strict.id });
    });

    it('a failed load offers a retry', async () => {
      const own = await startServer();
      await server({ action: 'stop', id: own.id });
      const el = await mount(own.url, newEpisode());
      expect($(el, '[part="error"]')!.textContent).to.match(/^Comments could not be loaded\. Could not reach/);
      await expect(el).to.be.accessible();
      await server({ action: 'restart', id: own.id });
      retry(el);
      await waitUntil(() => $(el, '[part="empty"]'), 'retry did not load');
      await server({ action: 'stop', id: own.id });
    });
  });

  it('restores a draft after the element is removed and created again', async () => {
    const episode = newEpisode();
    const el = await mount(shared, episode);
    await type(el, 'half a thought about auxiliary-loss-free balancing');
    el.remove();
    const again = await mount(shared, episode);
    expect($<HTMLTextAreaElement>(again, '[part="body-input"]')!.value).to.equal(
      'half a thought about auxiliary-loss-free balancing',
    );
    // Another episode has its own draft.
    const other = await mount(shared, newEpisode());
    expect($<HTMLTextAreaElement>(other, '[part="body-input"]')!.value).to.equal('');
  });

  it('loads 120 comments 50 at a time through "Load more", in order, with no duplicates', async () => {
    const episode = newEpisode();
    await seed(shared, episode, 120);
    const el = await mount(shared, episode);
    expect($(el, '[part="heading"]')!.textContent).to.equal('120 comments');
    expect(comments(el)).to.have.length(50);
    for (const expected of [100, 120]) {
      const more = $<HTMLButtonElement>(el, '[part="load-more"]')!;
      more.click();
      await waitUntil(() => comments(el).length === expected, `expected ${expected} comments`);
    }
    expect($(el, '[part="load-more"]')).to.equal(null);
    expect(bodies(el)).to.deep.equal(Array.from({ length: 120 }, (_, i) => `comment ${i + 1}`));
  });

  it('lets its author delete a comment within the window', async () => {
    const el = await mount(shared, newEpisode());
    await type(el, 'posted by mistake');
    expect(await submit(el)).to.equal('posted');
    const button = [...comments(el)[0]!.querySelectorAll('button')].find((b) => b.textContent!.includes('Delete'))!;
    button.click();
    await waitUntil(() => $(el, '[part="empty"]'), 'comment was not deleted');
    expect($(el, '[role="status"][aria-live="polite"]')!.textContent).to.equal('Your comment was deleted.');
  });

  it('fetches nothing until it nears the viewport', async () => {
    const episode = newEpisode();
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <div style="height: 5000px"></div>
      <paperledge-comments api=${shared} episode=${episode}></paperledge-comments>
    </div>`);
    const el = wrapper.querySelector('paperledge-comments')!;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect($(el, '.loading')).to.exist;
    expect($(el, '[part="empty"]')).to.equal(null);
    // The form comes with the thread, below it, so that the thread arriving never pushes it down (layout shift).
    expect($(el, '[part="form"]')).to.equal(null);
    el.scrollIntoView();
    await waitUntil(() => $(el, '[part="empty"]') && $(el, '[part="form"]'), 'did not load once in view');
    expect($(el, '[part="empty"]')!.compareDocumentPosition($(el, '[part="form"]')!) & Node.DOCUMENT_POSITION_FOLLOWING).to.be.greaterThan(0);
    window.scrollTo(0, 0);
  });

  it('shows the thread and says what to do when the form cannot be fetched (the built bundle, its form chunk blocked)', async () => {
    const episode = newEpisode();
    await seed(shared, episode, 1);
    const { frame, doc } = await openPage({
      html: `<script type="module" src="/test-api/cdn/comment-composer/dist/paperledge.js"></script>
        <paperledge-comments api="${shared}" episode="${episode}"></paperledge-comments>`,
    });
    const el = doc.querySelector('paperledge-comments')!;
    await waitUntil(() => el.shadowRoot?.querySelector('[part="error"]'), 'no message for the missing form');
    expect(el.shadowRoot!.querySelector('[part="error"]')!.textContent!.trim()).to.equal(
      'The comment form could not load. Check the connection, then reload the page.',
    );
    expect(el.shadowRoot!.querySelector('[part="error"]')!.getAttribute('role')).to.equal('alert');
    // What was already there stays readable.
    expect([...el.shadowRoot!.querySelectorAll('[part="comment"] .body')].map((body) => body.textContent!.trim())).to.deep.equal(['comment 1']);
    expect(el.shadowRoot!.querySelector('form')).to.equal(null);
    frame.remove();
  });

  it('takes the API and episode id from the enclosing episode', async () => {
    const text = await loadFixture();
    const id = newEpisode();
    await seed(shared, id, 2);
    const episode = { ...parsePaperLedgeText(text, { id, title: 'DeepSeek-V3' }), comments: { api: shared } };
    const wrapper = await fixture(html`<paperledge-episode .episode=${episode}>
      <paperledge-comments></paperledge-comments>
    </paperledge-episode>`);
    const el = wrapper.querySelector('paperledge-comments')!;
    // Below a whole transcript, it loads once scrolled to, like a reader would.
    await waitUntil(() => (wrapper as HTMLElementTagNameMap['paperledge-episode']).episode, 'episode did not load');
    el.scrollIntoView();
    await waitUntil(() => comments(el).length === 2, 'context comments did not load');
    expect(el.resolvedApi).to.equal(shared);
    expect(el.resolvedEpisode).to.equal(id);
    window.scrollTo(0, 0);
  });

  it('judges whether it is near the viewport after the episode around it has loaded, not before', async () => {
    const text = await loadFixture();
    const id = newEpisode();
    await seed(shared, id, 2);
    // Before its episode arrives the box sits near the top, in reach; the transcript that comes with it puts the box
    // screens further down, and a reader who never scrolls there should cost the comments server nothing.
    const wrapper = await fixture<HTMLElementTagNameMap['paperledge-episode']>(html`<paperledge-episode>
      <paperledge-comments></paperledge-comments>
    </paperledge-episode>`);
    const el = wrapper.querySelector('paperledge-comments')!;
    expect(el.getBoundingClientRect().top).to.be.lessThan(window.innerHeight);
    // As long as an episode file takes to arrive: frames in which the box is seen near.
    await new Promise((resolve) => setTimeout(resolve, 300));
    wrapper.episode = { ...parsePaperLedgeText(text, { id, title: 'DeepSeek-V3' }), comments: { api: shared } };
    await waitUntil(() => el.resolvedEpisode === id, 'the box did not take the episode');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(el.getBoundingClientRect().top).to.be.greaterThan(window.innerHeight + 400);
    expect(comments(el)).to.have.length(0);
    expect($(el, '.loading')).to.exist;
    el.scrollIntoView();
    await waitUntil(() => comments(el).length === 2, 'did not load once scrolled to');
    window.scrollTo(0, 0);
  });

  it('after a failed load, waits for "Try again" instead of loading again each time it is scrolled back to', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <paperledge-comments api="/test-api/wrong-shape" episode="wrong-shape"></paperledge-comments>
      <div style="height: 5000px"></div>
    </div>`);
    const el = wrapper.querySelector('paperledge-comments')!;
    await waitUntil(() => $(el, '[part="error"]'), 'no error state');
    let failures = 0;
    el.addEventListener('paperledge-error', () => (failures += 1));
    window.scrollTo(0, 4000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    el.scrollIntoView();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(failures).to.equal(0);
    expect($(el, '[part="error"]')).to.exist;
    $<HTMLButtonElement>(el, '#retry')!.click();
    await waitUntil(() => failures === 1, '"Try again" did not try again');
    window.scrollTo(0, 0);
  });

  it('shows an error, not an endless "Loading comments…", when the answer is JSON of the wrong shape', async () => {
    const el = await fixture<PaperLedgeComments>(html`<paperledge-comments api="/test-api/wrong-shape" episode="wrong-shape"></paperledge-comments>`);
    const errors: string[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.message);
    window.addEventListener('error', onError);
    try {
      await waitUntil(() => $(el, '[part="error"]'), 'no error state');
      expect($(el, '[part="error"]')!.textContent).to.contain('sent an answer this page cannot read');
      expect($(el, '.loading')).to.equal(null);
      expect($(el, '[part="retry"], button')).to.not.equal(null);
      expect(errors).to.deep.equal([]);
    } finally {
      window.removeEventListener('error', onError);
    }
  });

  it('says what is missing when it has no API or episode, where it looked, and what to add', async () => {
    const text = (el: HTMLElement) => ($(el, '[part="error"]')?.textContent ?? '').replace(/\s+/g, ' ');
    const alone = await fixture<PaperLedgeComments>(html`<paperledge-comments></paperledge-comments>`);
    // The message is a chunk of its own (only a box that is not set up needs it).
    await waitUntil(() => $(alone, '[part="error"]') !== null, 'no setup message');
    expect(text(alone)).to.match(
      /Comments are not set up: no comments server address\. This element has no api attribute, and it is not inside a <paperledge-episode>\. Add api="…" to <paperledge-comments>, or comments\.api to the episode\./,
    );
    expect($(alone, 'form')).to.equal(null);

    // Inside an episode that did not load (the README's old snippet against a server without --episodes).
    const wrapper = await fixture(
      html`<paperledge-episode src="/test/missing-episode.json"><paperledge-comments></paperledge-comments></paperledge-episode>`,
    );
    const nested = wrapper.querySelector<HTMLElement>('paperledge-comments')!;
    await waitUntil(() => wrapper.shadowRoot!.querySelector('[part="error"]'), 'episode error not shown');
    await waitUntil(() => text(nested).includes('the enclosing <paperledge-episode> has not loaded an episode'), text(nested));

    // An episode without comments.api.
    const inline = await fixture(html`<paperledge-episode
      .episode=${{ id: 'no-api', title: 'No API', transcript: [{ type: 'paragraph', text: 'Hello.' }] }}
      ><paperledge-comments></paperledge-comments
    ></paperledge-episode>`);
    const child = inline.querySelector<HTMLElement>('paperledge-comments')!;
    await waitUntil(() => text(child).includes('the episode has no comments.api'), text(child));
  });

  describe('accessibility', () => {
    it('passes empty, with comments, while posting and with an error', async () => {
      const own = await startServer();
      const el = await mount(own.url, newEpisode());
      await expect(el).to.be.accessible();

      await type(el, 'first comment');
      expect(await submit(el)).to.equal('posted');
      await expect(el).to.be.accessible();

      await server({ action: 'pause', id: own.id });
      await type(el, 'posted while the server is paused');
      const posted = oneEvent(el, 'paperledge-comment-posted');
      $<HTMLButtonElement>(el, '[part="submit"]')!.click();
      await el.updateComplete;
      const button = $<HTMLButtonElement>(el, '[part="submit"]')!;
      expect(button.disabled).to.equal(true);
      expect(button.textContent!.trim()).to.equal('Posting…');
      await expect(el).to.be.accessible();
      await server({ action: 'resume', id: own.id });
      await posted;

      await type(el, '');
      $<HTMLButtonElement>(el, '[part="submit"]')!.click();
      await el.updateComplete;
      expect($(el, '#post-error')!.textContent).to.equal('Write a comment first.');
      await expect(el).to.be.accessible();
      await server({ action: 'stop', id: own.id });
    });
  });
});
