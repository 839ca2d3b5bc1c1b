import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define/paperledge-credits.js';
import '../../src/define/paperledge-episode.js';
import type { PaperLedgeCredits } from '../../src/elements/paperledge-credits.js';
import { parsePaperLedgeText } from '../../src/model/index.js';
import { loadFixture, overflowing, waitUntil } from './support.js';


const fixtureText = await loadFixture();
const creditsLine = fixtureText.split('\n').find((line) => line.startsWith('Credit to Paper authors:'))!;
const names = parsePaperLedgeText(fixtureText).paper!.authors!.map((a) => a.name);

const root = (el: HTMLElement) => el.shadowRoot!;
const shownNames = (el: HTMLElement) => [...root(el).querySelectorAll('[part="name"]')].map((n) => n.textContent!);
const toggle = (el: HTMLElement) => root(el).querySelector<HTMLButtonElement>('[part="toggle"]');
const listItems = (el: HTMLElement) => root(el).querySelectorAll('[part="list"] > li');

/** Types into the filter; the matching is a chunk fetched on first use, so the first search waits for it. */
async function typeFilter(el: PaperLedgeCredits, value: string) {
  const input = root(el).querySelector<HTMLInputElement>('[part="filter"]')!;
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await el.updateComplete;
  await import('../../src/elements/author-filter.js');
  await new Promise((resolve) => setTimeout(resolve));
  await el.updateComplete;
}

describe('<paperledge-credits>', () => {
  describe('the fixture credits line', () => {
    it('shows 10 names and "All 200 authors", then all 200 below the button, then 10 again with focus kept', async () => {
      const el = await fixture<PaperLedgeCredits>(html`<paperledge-credits>${creditsLine}</paperledge-credits>`);
      expect(shownNames(el)).to.deep.equal(names.slice(0, 10));
      expect(root(el).querySelector('[part="more"]')!.textContent).to.equal(', and 190 more');
      const button = toggle(el)!;
      expect(button.textContent!.trim()).to.equal('All 200 authors');
      expect(button.getAttribute('aria-expanded')).to.equal('false');
      expect(button.getAttribute('aria-controls')).to.equal('authors');
      expect(root(el).getElementById('authors')).to.exist;

      // No filter while collapsed: there is nothing to search in ten names.
      expect(root(el).querySelector('[part="filter"]')).to.equal(null);
      button.focus();
      const top = button.getBoundingClientRect().top;
      const toggled = oneEvent(el, 'paperledge-toggle');
      button.click();
      expect((await toggled).detail).to.deep.equal({ expanded: true });
      await el.updateComplete;
      // The names come below the focused button: it does not move, and focus stays on it (WCAG 2.4.3, 2.4.7).
      expect(button.getBoundingClientRect().top).to.equal(top);
      expect(root(el).activeElement).to.equal(button);
      const list = root(el).getElementById('authors')!;
      expect(button.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
      // The filter comes with the whole list, above it, with a visible label.
      const filter = root(el).querySelector<HTMLInputElement>('[part="filter"]')!;
      expect(filter.labels![0]!.textContent).to.equal('Find an author');
      expect(filter.labels![0]!.getBoundingClientRect().width).to.be.above(20);
      expect(filter.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
      expect(filter.getAttribute('placeholder')).to.equal(null);
      expect(el.hasAttribute('expanded')).to.equal(true);
      expect(listItems(el)).to.have.length(200);
      expect(shownNames(el)).to.deep.equal(names);
      expect(shownNames(el).filter((n) => n === 'Shengfeng Ye')).to.have.length(2);
      expect(shownNames(el).filter((n) => n === 'Yanhong Xu')).to.have.length(2);
      expect(toggle(el)!.getAttribute('aria-expanded')).to.equal('true');
      expect(toggle(el)!.textContent!.trim()).to.equal('All 200 authors');

      toggle(el)!.click();
      await el.updateComplete;
      expect(el.hasAttribute('expanded')).to.equal(false);
      expect(listItems(el)).to.have.length(10);
      expect(toggle(el)).to.equal(button);
      expect(root(el).activeElement).to.equal(button);
    });

    it('is readable before the script runs: the line is the light DOM', async () => {
      const el = await fixture<PaperLedgeCredits>(html`<paperledge-credits>${creditsLine}</paperledge-credits>`);
      expect(el.textContent).to.equal(creditsLine);
    });
  });

  describe('every input path gives the same 200 names', () => {
    const paths: [string, () => Promise<PaperLedgeCredits>][] = [
      ['the .authors property (names)', () => fixture(html`<paperledge-credits .authors=${names}></paperledge-credits>`)],
      [
        'the .authors property (objects)',
        () => fixture(html`<paperledge-credits .authors=${names.map((name) => ({ name }))}></paperledge-credits>`),
      ],
      ['the authors attribute', () => fixture(html`<paperledge-credits authors=${names.join(', ')}></paperledge-credits>`)],
      ['the credits line', () => fixture(html`<paperledge-credits>${creditsLine}</paperledge-credits>`)],
      [
        'a list of names',
        () => fixture(html`<paperledge-credits><ul>${names.map((n) => html`<li>${n}</li>`)}</ul></paperledge-credits>`),
      ],
      [
        'an ordered list of names',
        () => fixture(html`<paperledge-credits><ol>${names.map((n) => html`<li>${n}</li>`)}</ol></paperledge-credits>`),
      ],
    ];
    for (const [name, make] of paths) {
      it(name, async () => {
        const el = await make();
        expect(el.resolvedAuthors.map((a) => a.name)).to.deep.equal(names);
        el.expanded = true;
        await el.updateComplete;
        expect(shownNames(el)).to.deep.equal(names);
      });
    }

    it('the enclosing episode, through context', async () => {
      const episode = await fixture(html`<paperledge-episode src="/test/fixtures/deepseek-v3.json">
        <paperledge-credits></paperledge-credits>
      </paperledge-episode>`);
      const el = episode.querySelector('paperledge-credits')!;
      await oneEvent(episode, 'paperledge-load');
      await el.updateComplete;
      expect(el.resolvedAuthors.map((a) => a.name)).to.deep.equal(names);
      expect(shownNames(el)).to.deep.equal(names.slice(0, 10));
    });

    it('its own attribute wins over the context', async () => {
      const episode = await fixture(html`<paperledge-episode src="/test/fixtures/deepseek-v3.json">
        <paperledge-credits authors="Ada Lovelace, Alan Turing"></paperledge-credits>
      </paperledge-episode>`);
      await oneEvent(episode, 'paperledge-load');
      const el = episode.querySelector('paperledge-credits')!;
      await el.updateComplete;
      expect(shownNames(el)).to.deep.equal(['Ada Lovelace', 'Alan Turing']);
    });

    it('follows light DOM filled in after upgrade', async () => {
      const el = await fixture<PaperLedgeCredits>(html`<paperledge-credits></paperledge-credits>`);
      el.textContent = 'Credit to Paper authors: A. One, B. Two';
      await new Promise((resolve) => setTimeout(resolve, 0));
      await el.updateComplete;
      expect(shownNames(el)).to.deep.equal(['A. One', 'B. Two']);
    });
  });

  describe('small and empty lists', () => {
    it('shows nothing broken for no names', async () => {
      const el = await fixture<PaperLedgeCredits>(html`<paperledge-credits></paperledge-credits>`);
      expect(root(el).querySelector('button')).to.equal(null);
      expect(root(el).textContent!.trim()).to.equal('');
      expect(root(el).textContent).not.to.contain('0 authors');
    });

    it('shows one or two names with no toggle', async () => {
      for (const list of [['Ada Lovelace'], ['Ada Lovelace', 'Alan Turing']]) {
        const el = await fixture<PaperLedgeCredits>(html`<paperledge-credits .authors=${list}></paperledge-credits>`);
        expect(shownNames(el)).to.deep.equal(list);
        expect(toggle(el)).to.equal(null);
        expect(root(el).querySelector('[part="filter"]')).to.equal(null);
      }
      const two = await fixture<PaperLedgeCredits>(html`<paperledge-credits authors="Ada Lovelace, Alan Turing"></paperledge-credits>`);
      expect(root(two).querySelector('[part="list"]')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
        'Ada Lovelace and Alan Turing',
      );
    });

    it('wraps an unbroken name inside a phone-width page, collapsed and expanded', async () => {
      const long = 'Y'.repeat(90);
      const list = [long, ...names.slice(0, 60)];
      const box = await fixture<HTMLDivElement>(html`<div style="width: 320px"><paperledge-credits .authors=${list}></paperledge-credits></div>`);
      const el = box.firstElementChild as PaperLedgeCredits;
      await el.updateComplete;
      expect(shownNames(el)[0]).to.equal(long);
      expect(overflowing(el)).to.deep.equal([]);
      toggle(el)!.click();
      await waitUntil(() => listItems(el).length === list.length, 'did not expand');
      expect(overflowing(el)).to.deep.equal([]);
      // At 200% text the columns become one, and the filter fits (WCAG 1.4.4, 1.4.10).
      box.style.fontSize = '32px';
      await el.updateComplete;
      expect(overflowing(el)).to.deep.equal([]);
    });

    it('sets each name in the direction of its own script', async () => {
      const list = ['Ada Lovelace', 'محمد الخوارزمي', 'Alan Turing'];
      const box = await fixture<HTMLDivElement>(html`<div dir="rtl"><paperledge-credits .authors=${list}></paperledge-credits></div>`);
      const el = box.firstElementChild as PaperLedgeCredits;
      await el.updateComplete;
      const directions = [...root(el).querySelectorAll('[part="name"]')].map((n) => getComputedStyle(n).direction);
      expect(directions).to.deep.equal(['ltr', 'rtl', 'ltr']);
    });

    it('honours `visible`', async () => {
      const el = await fixture<PaperLedgeCredits>(html`<paperledge-credits visible="3" .authors=${names}></paperledge-credits>`);
      expect(shownNames(el)).to.deep.equal(names.slice(0, 3));
      expect(root(el).querySelector('[part="more"]')!.textContent).to.equal(', and 197 more');
    });
  });

  describe('5,000 names', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `Author ${i + 1}`);

    it('renders only the visible names while collapsed, and expands and filters', async () => {
      const el = await fixture<PaperLedgeCredits>(html`<paperledge-credits .authors=${many}></paperledge-credits>`);
      expect(root(el).querySelectorAll('[part="name"]')).to.have.length(10);
      expect(root(el).querySelectorAll('*').length).to.be.below(40);
      expect(toggle(el)!.textContent!.trim()).to.equal('All 5,000 authors');
      toggle(el)!.click();
      await el.updateComplete;
      // Long lists arrive in steps, so the page never freezes.
      expect(listItems(el).length).to.equal(400);
      await waitUntil(() => listItems(el).length === 5000, 'the expanded list did not fill in', { timeout: 10_000 });
      await typeFilter(el, 'author 4999');
      expect(shownNames(el)).to.deep.equal(['Author 4999']);
      expect(root(el).querySelector('output')!.textContent).to.equal('1 author matches');
    });
  });

  describe('the filter', () => {
    const withAccents = [...names.slice(0, 60), 'Sébastien Bubeck', 'Zoë Kravitz'];

    it('appears from 50 names, finds names regardless of accents and case, and marks the match', async () => {
      const el = await fixture<PaperLedgeCredits>(html`<paperledge-credits expanded .authors=${withAccents}></paperledge-credits>`);
      await typeFilter(el, 'sebastien');
      expect(shownNames(el)).to.deep.equal(['Sébastien Bubeck']);
      expect(root(el).querySelector('mark')!.textContent).to.equal('Sébastien');
      await typeFilter(el, 'ZOE');
      expect(shownNames(el)).to.deep.equal(['Zoë Kravitz']);
      await typeFilter(el, 'li');
      const status = root(el).querySelector('output')!;
      expect(status.getAttribute('aria-live')).to.equal('polite');
      expect(status.textContent).to.match(/^\d+ authors match$/);
      await typeFilter(el, 'qqq');
      expect(status.textContent).to.equal('No author matches');
      expect(shownNames(el)).to.deep.equal([]);
    });

    it('does not appear below 50 names', async () => {
      const el = await fixture<PaperLedgeCredits>(html`<paperledge-credits .authors=${names.slice(0, 49)}></paperledge-credits>`);
      expect(root(el).querySelector('[part="filter"]')).to.equal(null);
    });
  });

  describe('links and language', () => {
    it('links authors with http(s) URLs only', async () => {
      const authors = [
        { name: 'Ada Lovelace', url: 'https://example.org/ada' },
        { name: 'Mallory', url: 'javascript:alert(1)' },
      ];
      const el = await fixture<PaperLedgeCredits>(html`<paperledge-credits .authors=${authors}></paperledge-credits>`);
      const [ada, mallory] = [...root(el).querySelectorAll('[part="name"]')];
      expect(ada!.tagName).to.equal('A');
      expect(ada!.getAttribute('href')).to.equal('https://example.org/ada');
      expect(mallory!.tagName).to.equal('SPAN');
      expect(root(el).querySelector('a[href^="javascript"]')).to.equal(null);
    });

    it('counts and joins names in the nearest lang', async () => {
      const wrapper = await fixture(html`<div lang="de"><paperledge-credits .authors=${names}></paperledge-credits></div>`);
      const el = wrapper.querySelector('paperledge-credits')!;
      // English at once, German when its file arrives.
      await waitUntil(() => toggle(el)!.textContent!.trim() === 'Alle 200 Personen', 'the German words did not arrive');
      expect(root(el).querySelector('[part="more"]')!.textContent).to.equal(' und 190 weitere');
    });
  });

  describe('accessibility', () => {
    it('passes collapsed, expanded and filtered', async () => {
      const el = await fixture<PaperLedgeCredits>(html`<paperledge-credits .authors=${names}></paperledge-credits>`);
      await expect(el).to.be.accessible();
      toggle(el)!.click();
      await el.updateComplete;
      await expect(el).to.be.accessible();
      await typeFilter(el, 'zhang');
      await expect(el).to.be.accessible();
    });
  });
});
