// Findings of the accessibility review (WCAG 2.2 AA, WAI-ARIA APG) that span the elements: headings, landmarks,
// text spacing, status messages, focus after a control disappears, find. Each test failed before its fix.
import { executeServerCommand } from '@web/test-runner-commands';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define/paperledge-episode.js';
import '../../src/define/paperledge-credits.js';
import '../../src/define/paperledge-comments.js';
import type { PaperLedgeComments } from '../../src/elements/paperledge-comments.js';
import type { PaperLedgeEpisode } from '../../src/elements/paperledge-episode.js';
import type { Episode } from '../../src/model/index.js';
import { waitUntil } from './support.js';

const JSON_URL = '/test/fixtures/deepseek-v3.json';
const root = (el: Element) => el.shadowRoot!;
const level = (el: Element, selector: string) => root(el).querySelector(selector)!.getAttribute('aria-level');

async function loaded(el: PaperLedgeEpisode): Promise<void> {
  await waitUntil(() => el.episode, 'the episode did not load');
  await el.updateComplete;
}

/** A page stylesheet for the duration of a test. */
async function withPageStyle(css: string, run: () => Promise<void>): Promise<void> {
  const style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
  try {
    await run();
  } finally {
    style.remove();
  }
}

describe('accessibility across the elements', () => {
  describe('headings (contract 7.6 heading-level)', () => {
    it('are level 2 alone, one deeper when nested in an episode, and follow heading-level', async () => {
      const wrapper = await fixture(html`<div>
        <paperledge-episode src=${JSON_URL}>
          <paperledge-credits></paperledge-credits>
          <paperledge-comments api="http://127.0.0.1:9" episode="deepseek-v3"></paperledge-comments>
        </paperledge-episode>
        <paperledge-episode heading-level="1" src=${JSON_URL}><paperledge-credits></paperledge-credits></paperledge-episode>
        <paperledge-credits heading-level="4" authors="A, B"></paperledge-credits>
      </div>`);
      const [episode, top] = [...wrapper.querySelectorAll<PaperLedgeEpisode>('paperledge-episode')];
      await loaded(episode!);
      await loaded(top!);
      expect(level(episode!, '[part="title"]')).to.equal('2');
      const credits = episode!.querySelector('paperledge-credits')!;
      await waitUntil(() => root(credits).querySelector('[part="label"]'), 'credits did not render');
      expect(level(credits, '[part="label"]')).to.equal('3');
      expect(level(episode!.querySelector('paperledge-comments')!, '[part="heading"]')).to.equal('3');
      expect(level(top!, '[part="title"]')).to.equal('1');
      const nested = top!.querySelector('paperledge-credits')!;
      await waitUntil(() => root(nested).querySelector('[part="label"]'), 'nested credits did not render');
      expect(level(nested, '[part="label"]')).to.equal('2');
      expect(level(wrapper.querySelector(':scope > paperledge-credits')!, '[part="label"]')).to.equal('4');
      for (const heading of [episode!, credits, top!].map((el) => root(el).querySelector('[role="heading"]')!)) {
        expect(heading.textContent!.trim()).to.not.equal('');
      }
    });

    it('makes no second banner landmark: the episode header is not a <header>', async () => {
      const el = await fixture<PaperLedgeEpisode>(html`<paperledge-episode src=${JSON_URL}></paperledge-episode>`);
      await loaded(el);
      expect(root(el).querySelector('header, [role="banner"]')).to.equal(null);
      const search = root(el).querySelector('[role="search"]')!;
      // Named after its episode: a page with two episodes has two search landmarks, told apart by name.
      expect(search.getAttribute('aria-label')).to.equal(`Transcript of ${el.episode!.title}`);
    });
  });

  describe('text (WCAG 1.4.12 text spacing, hostile themes)', () => {
    it("lets a reader's letter and word spacing reach the transcript, and keeps lines at least 1.5 high", async () => {
      const el = await fixture<PaperLedgeEpisode>(html`<paperledge-episode src=${JSON_URL}></paperledge-episode>`);
      await loaded(el);
      await withPageStyle('* { letter-spacing: 0.12em !important; word-spacing: 0.16em !important; line-height: 1.5 !important }', async () => {
        const paragraph = root(el).querySelector('#p-1')!;
        const style = getComputedStyle(paragraph);
        const size = parseFloat(style.fontSize);
        expect(parseFloat(style.letterSpacing)).to.be.closeTo(0.12 * size, 0.5);
        expect(parseFloat(style.wordSpacing)).to.be.closeTo(0.16 * size, 0.5);
        expect(parseFloat(style.lineHeight)).to.be.at.least(1.5 * size - 0.5);
      });
    });

    it("keeps its own line height against a theme's '* { line-height: 3 !important }'", async () => {
      const el = await fixture(html`<paperledge-credits authors="A, B, C, D, E, F, G, H, I, J, K, L"></paperledge-credits>`);
      await withPageStyle('* { line-height: 3 !important }', async () => {
        const names = root(el).querySelector('[part="list"]')!;
        const style = getComputedStyle(names);
        expect(parseFloat(style.lineHeight)).to.be.closeTo(1.6 * parseFloat(style.fontSize), 0.5);
      });
    });
  });

  describe('status messages (WCAG 4.1.3)', () => {
    it('says "Loading the episode…" into a polite region that was already on the page, empty', async () => {
      const container = await fixture<HTMLDivElement>(html`<div></div>`);
      const el = document.createElement('paperledge-episode');
      el.src = `/test-api/slow?ms=1500&then=${encodeURIComponent(JSON_URL)}`;
      container.append(el);
      await el.updateComplete;
      const region = root(el).querySelector('[role="status"]')!;
      expect(region.getAttribute('aria-live')).to.equal('polite');
      expect(region.closest('[aria-busy="true"]')).to.equal(null);
      await waitUntil(() => region.textContent === 'Loading the episode…', 'nothing was said');
      expect(root(el).querySelector('[role="status"]')).to.equal(region);
      await loaded(el);
      expect(region.isConnected).to.equal(true);
      expect(region.textContent).to.equal('');
    });
  });

  describe('focus never drops to the page (WCAG 2.4.3)', () => {
    it('after the episode\'s "Try again": the transcript while loading, then the title', async () => {
      const el = await fixture<PaperLedgeEpisode>(
        html`<paperledge-episode src=${`/test-api/flaky/episode-focus-${Date.now()}?then=${encodeURIComponent(JSON_URL)}`}></paperledge-episode>`,
      );
      await waitUntil(() => root(el).querySelector('[part="retry"]'), 'no error state');
      const retry = root(el).querySelector<HTMLButtonElement>('[part="retry"]')!;
      retry.focus();
      retry.click();
      await loaded(el);
      await waitUntil(() => root(el).activeElement === root(el).querySelector('[part="title"]'), 'focus did not reach the title');
      expect(document.activeElement).to.equal(el);
    });

    it('after the comments\' "Try again", and after deleting one\'s own comment: the list heading', async () => {
      const api = (await executeServerCommand('comments-server', { action: 'shared' })) as string;
      const episode = `focus-${Date.now()}`;
      const el = await fixture<PaperLedgeComments>(html`<paperledge-comments api=${api} episode=${episode}></paperledge-comments>`);
      await waitUntil(() => root(el).querySelector('[part="empty"]') && root(el).querySelector('[part="form"]'), 'comments did not load');
      const textarea = root(el).querySelector<HTMLTextAreaElement>('[part="body-input"]')!;
      textarea.value = 'To be deleted.';
      textarea.dispatchEvent(new Event('input'));
      const posted = oneEvent(el, 'paperledge-comment-posted');
      root(el).querySelector<HTMLButtonElement>('[part="submit"]')!.click();
      await posted;
      await el.updateComplete;
      const remove = [...root(el).querySelectorAll<HTMLButtonElement>('[part="comment"] button')].find((b) => b.textContent!.includes('Delete'))!;
      remove.focus();
      remove.click();
      await waitUntil(() => root(el).querySelector('[part="empty"]'), 'the comment was not deleted');
      await waitUntil(() => root(el).activeElement === root(el).querySelector('[part="heading"]'), 'focus did not reach the heading');
      expect(document.activeElement).to.equal(el);
    });

    it('after "Load more comments": the first comment that came in', async () => {
      const api = (await executeServerCommand('comments-server', { action: 'shared' })) as string;
      const episode = `more-${Date.now()}`;
      for (let i = 0; i < 52; i++) {
        await fetch(`${api}/v1/episodes/${episode}/comments`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ body: `Comment ${i + 1}` }),
        });
      }
      const el = await fixture<PaperLedgeComments>(html`<paperledge-comments api=${api} episode=${episode}></paperledge-comments>`);
      await waitUntil(() => root(el).querySelector('[part="load-more"]'), 'no "Load more"');
      const more = root(el).querySelector<HTMLButtonElement>('[part="load-more"]')!;
      more.focus();
      more.click();
      await waitUntil(() => root(el).querySelectorAll('[part="comment"]').length === 52, 'more did not load');
      await waitUntil(() => root(el).activeElement?.textContent?.includes('Comment 51'), 'focus did not move to the new comment');
      expect(root(el).activeElement!.tagName).to.equal('ARTICLE');
    });
  });

  describe('find in transcript', () => {
    const longEpisode = (): Episode => ({
      id: 'long',
      title: 'A long one',
      transcript: Array.from({ length: 80 }, (_, i) => ({ type: 'paragraph' as const, text: i === 70 ? 'The needle is here.' : `Paragraph ${i + 1} of hay.` })),
    });

    it('has a visible label, and brings the match into view while typing and on Enter with one match', async () => {
      const el = await fixture<PaperLedgeEpisode>(html`<paperledge-episode .episode=${longEpisode()}></paperledge-episode>`);
      await loaded(el);
      await waitUntil(() => root(el).querySelector('#p-80'), 'not all blocks rendered');
      const input = root(el).querySelector<HTMLInputElement>('#find')!;
      expect(input.labels![0]!.getBoundingClientRect().width).to.be.above(20);
      expect(input.getAttribute('placeholder')).to.equal(null);
      const inView = () => {
        const mark = root(el).querySelector('mark.current');
        if (!mark) return false;
        const box = mark.getBoundingClientRect();
        return box.bottom > 0 && box.top < innerHeight;
      };
      // The reader is in the box before typing: the browser's own scrolling to it is over.
      input.focus();
      let last = -1;
      await waitUntil(async () => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        const settled = scrollY === last;
        last = scrollY;
        return settled;
      }, 'the page did not settle after focusing the find box');
      input.value = 'needle';
      input.dispatchEvent(new Event('input'));
      await waitUntil(inView, 'the match was not brought into view while typing');
      window.scrollTo(0, 0);
      await waitUntil(() => !inView(), 'scrolled away');
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      await waitUntil(inView, 'Enter with one match did not bring it into view');
      window.scrollTo(0, 0);
    });
  });
});
