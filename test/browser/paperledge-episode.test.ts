import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define/paperledge-episode.js';
import type { PaperLedgeEpisode } from '../../src/elements/paperledge-episode.js';
import { type Episode, blockText, parsePaperLedgeText } from '../../src/model/index.js';
import { loadFixture, overflowing, waitUntil } from './support.js';

const TEXT_URL = '/test/fixtures/paperledge-deepseek-v3.txt';
const JSON_URL = '/test/fixtures/deepseek-v3.json';
const fixtureText = await loadFixture();
const fixtureEpisode = parsePaperLedgeText(fixtureText, { id: 'deepseek-v3', title: 'DeepSeek-V3' });

/** Mounts an element prepared by `setup`, listening before it is connected so no event is missed. */
async function mount(setup: (el: PaperLedgeEpisode) => void, event: 'paperledge-load' | 'paperledge-error' = 'paperledge-load') {
  const container = await fixture<HTMLDivElement>(html`<div></div>`);
  const el = document.createElement('paperledge-episode');
  setup(el);
  const settled = oneEvent(el, event);
  container.append(el);
  const detail = (await settled).detail;
  await el.updateComplete;
  return { el, detail };
}

const root = (el: PaperLedgeEpisode) => el.shadowRoot!;
const blocks = (el: PaperLedgeEpisode) => [...root(el).querySelectorAll('.transcript > .block')];

function expectFixtureTranscript(el: PaperLedgeEpisode) {
  const found = blocks(el);
  expect(found.map((b) => b.tagName)).to.deep.equal([
    'P', 'P', 'P', 'P', 'BLOCKQUOTE', 'P', 'P', 'UL', 'P', 'P', 'UL', 'P', 'P', 'P',
  ]);
  expect(found.filter((b) => b.tagName === 'P')).to.have.length(11);
  const lists = found.filter((b) => b.tagName === 'UL');
  expect(lists.map((l) => l.querySelectorAll('li').length)).to.deep.equal([3, 4]);
  expect(found.map((b) => b.id)).to.deep.equal(found.map((_, i) => `p-${i + 1}`));
  const text = root(el).querySelector('.transcript')!.textContent!;
  expect(text).to.contain('Hey everyone, Ernis here');
  expect(text).to.contain('DeepSeek-V3 pioneers an auxiliary-loss-free strategy');
  expect(text).not.to.contain('Credit to Paper authors');
  expect(text).not.to.contain('No comments yet');
  expect(text).not.to.contain('Zizheng Pan');
}

function markupFor(episode: Episode): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const h1 = document.createElement('h1');
  h1.textContent = episode.title;
  fragment.append(h1);
  for (const block of episode.transcript) {
    if (block.type === 'list') {
      const ul = document.createElement('ul');
      for (const item of block.items) ul.appendChild(document.createElement('li')).textContent = item;
      fragment.append(ul);
    } else {
      const node = document.createElement(block.type === 'quote' ? 'blockquote' : 'p');
      node.textContent = block.type === 'quote' ? `"${block.text}"` : block.text;
      fragment.append(node);
    }
  }
  const credits = document.createElement('p');
  credits.textContent = `Credit to Paper authors: ${episode.paper!.authors!.map((a) => a.name).join(', ')}`;
  const empty = document.createElement('p');
  empty.textContent = 'No comments yet. Be the first to say something!';
  fragment.append(credits, empty);
  return fragment;
}

describe('<paperledge-episode>', () => {
  afterEach(() => history.replaceState(null, '', location.pathname + location.search));

  describe('renders the fixture each of the four ways', () => {
    it('from `src` page text, with the id from the file name', async () => {
      const { el, detail } = await mount((el) => el.setAttribute('src', TEXT_URL));
      expectFixtureTranscript(el);
      expect(detail.episode.id).to.equal('paperledge-deepseek-v3');
      expect(detail.episode.paper.authors).to.have.length(200);
    });

    it('from `src` episode JSON, with the paper link and the quote citing it', async () => {
      const { el } = await mount((el) => el.setAttribute('src', JSON_URL));
      expectFixtureTranscript(el);
      expect(root(el).querySelector('[part="title"]')!.textContent).to.equal('DeepSeek-V3');
      const link = root(el).querySelector<HTMLAnchorElement>('[part="paper-link"]')!;
      expect(link.href).to.equal('https://arxiv.org/abs/2412.19437');
      expect(root(el).querySelector('blockquote')!.getAttribute('cite')).to.equal('https://arxiv.org/abs/2412.19437');
    });

    it('from `src` episode JSON, resolving its relative audio URL against the file, not the page', async () => {
      const { el } = await mount((el) => el.setAttribute('src', '/test/fixtures/relative-audio.json'));
      expect(root(el).querySelector('audio')!.getAttribute('src')).to.equal(`${location.origin}/test/fixtures/relative-audio.mp3`);
    });

    it('from a child JSON script, with no request', async () => {
      const json = await (await fetch(JSON_URL)).text();
      const { el } = await mount((el) => {
        const script = document.createElement('script');
        script.type = 'application/json';
        script.textContent = json;
        el.append(script);
      });
      expectFixtureTranscript(el);
    });

    it('from the `.episode` property', async () => {
      const { el } = await mount((el) => (el.episode = fixtureEpisode));
      expectFixtureTranscript(el);
      expect(el.episode?.id).to.equal('deepseek-v3');
    });

    it('from the host page markup, which is readable before and stays after', async () => {
      const { el, detail } = await mount((el) => el.append(markupFor(fixtureEpisode)));
      expectFixtureTranscript(el);
      expect(detail.episode.title).to.equal('DeepSeek-V3');
      expect(detail.episode.paper.authors).to.have.length(200);
      // The host's own nodes are still in the page, not deleted.
      expect(el.querySelectorAll(':scope > p').length).to.equal(13);
    });

    it('lets episode-title and episode-id override the source', async () => {
      const { detail } = await mount((el) => {
        el.setAttribute('src', TEXT_URL);
        el.setAttribute('episode-id', 'dsv3');
        el.setAttribute('episode-title', 'DeepSeek-V3, explained');
      });
      expect([detail.episode.id, detail.episode.title]).to.deep.equal(['dsv3', 'DeepSeek-V3, explained']);
    });

    it('shows a transcript file with a broken cue, skipping only that cue and naming its line in `warnings` and on the console', async () => {
      const warned: string[] = [];
      const original = console.warn;
      console.warn = (...args: unknown[]) => warned.push(args.join(' '));
      try {
        const el = await fixture<PaperLedgeEpisode>(html`<paperledge-episode src="/test/fixtures/transcripts/broken-cue.vtt"></paperledge-episode>`);
        await waitUntil(() => el.episode !== undefined, 'the transcript did not load');
        const blocks = [...el.shadowRoot!.querySelectorAll('.block')].map((b) => b.textContent!.replace(/\s+/g, ' ').trim());
        // Each voice of the first cue is its own block with its speaker; the entity beyond the common few is decoded.
        expect(blocks.some((text) => text.includes('Welcome back.') && !text.includes('Thanks'))).to.equal(true);
        expect(blocks.some((text) => text.includes('Thanks ♥'))).to.equal(true);
        expect(blocks.some((text) => text.includes('The rest still reads.'))).to.equal(true);
        expect(blocks.some((text) => text.includes('broken arrow'))).to.equal(false);
        expect(el.warnings.map((w) => w.line)).to.deep.equal([7]);
        expect(el.warnings[0]!.message).to.match(/no timing line/);
        expect(warned.join('\n')).to.include('line 7:');
      } finally {
        console.warn = original;
      }
    });

    it('shows a list item "Label: text" with its label as a term', async () => {
      const { el } = await mount((el) => (el.episode = fixtureEpisode));
      const terms = [...root(el).querySelectorAll('#p-11 .term')].map((t) => t.textContent);
      expect(terms).to.deep.equal(['Researcher:', 'Developer:', 'Business owner:', 'Curious learner:']);
    });
  });

  describe('deep links', () => {
    it('opening at #p-7 scrolls to and marks the 7th block', async () => {
      history.replaceState(null, '', '#p-7');
      const { el } = await mount((el) => el.setAttribute('src', JSON_URL));
      await new Promise((resolve) => setTimeout(resolve, 600));
      const seventh = root(el).querySelector('#p-7')!;
      expect(seventh.hasAttribute('data-target')).to.equal(true);
      expect(root(el).querySelectorAll('[data-target]')).to.have.length(1);
      const box = seventh.getBoundingClientRect();
      expect(box.top).to.be.within(-1, window.innerHeight);
    });

    it('follows a later hash change, and the copy link points at its block', async () => {
      const { el } = await mount((el) => el.setAttribute('src', JSON_URL));
      location.hash = '#p-3';
      await new Promise((resolve) => setTimeout(resolve, 100));
      await el.updateComplete;
      expect(root(el).querySelector('#p-3')!.hasAttribute('data-target')).to.equal(true);
      const anchor = root(el).querySelector<HTMLAnchorElement>('#p-5 [part="anchor"]')!;
      expect(anchor.getAttribute('href')).to.equal('#p-5');
      expect(anchor.getAttribute('aria-label')).to.equal('Copy link to quote 5');
      anchor.click();
      await el.updateComplete;
      expect(location.hash).to.equal('#p-5');
      expect(root(el).querySelector('#p-5')!.hasAttribute('data-target')).to.equal(true);
    });
  });

  describe('find in transcript', () => {
    const occurrences = fixtureEpisode.transcript.map(blockText).join('\n').match(/deepseek-v3/gi)!.length;

    it('highlights every match, says "1 of N" and steps with Enter and Shift+Enter', async () => {
      const { el } = await mount((el) => (el.episode = fixtureEpisode));
      const input = root(el).querySelector<HTMLInputElement>('[part="search"] input')!;
      const status = root(el).querySelector('[part="search"] output')!;
      expect(status.getAttribute('aria-live')).to.equal('polite');
      input.value = 'DeepSeek-V3';
      input.dispatchEvent(new Event('input'));
      // The matching is a chunk fetched on first use: the count appears once it is in.
      await waitUntil(() => status.textContent !== '', 'find did not answer');
      const marks = () => [...root(el).querySelectorAll('mark')];
      expect(occurrences).to.be.greaterThan(3);
      expect(marks()).to.have.length(occurrences);
      expect(marks().every((m) => m.textContent === 'DeepSeek-V3')).to.equal(true);
      expect(status.textContent).to.equal(`1 of ${occurrences}`);
      const current = () => marks().findIndex((m) => m.classList.contains('current'));
      expect(current()).to.equal(0);

      const key = (shiftKey: boolean) =>
        input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', shiftKey, bubbles: true, cancelable: true }));
      key(false);
      await el.updateComplete;
      expect(status.textContent).to.equal(`2 of ${occurrences}`);
      expect(current()).to.equal(1);
      key(true);
      key(true);
      await el.updateComplete;
      expect(status.textContent).to.equal(`${occurrences} of ${occurrences}`);
      expect(current()).to.equal(occurrences - 1);
    });

    it('is case- and accent-blind, and says when nothing matches', async () => {
      const { el } = await mount((el) => (el.episode = fixtureEpisode));
      const input = root(el).querySelector<HTMLInputElement>('[part="search"] input')!;
      const status = root(el).querySelector('[part="search"] output')!;
      input.value = 'ERNÍS';
      input.dispatchEvent(new Event('input'));
      await waitUntil(() => status.textContent !== '', 'find did not answer');
      expect(root(el).querySelectorAll('mark')).to.have.length(1);
      input.value = 'zebra';
      input.dispatchEvent(new Event('input'));
      await el.updateComplete;
      expect(status.textContent).to.equal('No matches');
    });

    it('passes the accessibility audit with a search active', async () => {
      const { el } = await mount((el) => (el.episode = fixtureEpisode));
      const input = root(el).querySelector<HTMLInputElement>('[part="search"] input')!;
      input.value = 'model';
      input.dispatchEvent(new Event('input'));
      await waitUntil(() => root(el).querySelector('mark') !== null, 'find did not answer');
      await expect(el).to.be.accessible();
    });
  });

  describe('states', () => {
    it('holds space with aria-busy while loading, and passes the audit', async () => {
      const container = await fixture<HTMLDivElement>(html`<div></div>`);
      const el = document.createElement('paperledge-episode');
      el.setAttribute('src', `/test-api/slow?ms=2000&then=${JSON_URL}`);
      container.append(el);
      await el.updateComplete;
      const transcript = root(el).querySelector('[part="transcript"]')!;
      expect(transcript.getAttribute('aria-busy')).to.equal('true');
      expect(transcript.getBoundingClientRect().height).to.be.greaterThan(100);
      await expect(el).to.be.accessible();
      await oneEvent(el, 'paperledge-load');
    });

    const failures: [string, string, RegExp][] = [
      ['a 404', '/test/fixtures/missing.json', /^Could not load the episode from \/test\/fixtures\/missing\.json: the server answered HTTP 404/],
      ['a network failure', 'http://127.0.0.1:9/episode.json', /^Could not load the episode from http:\/\/127\.0\.0\.1:9\/episode\.json: the network request failed/],
      ['invalid JSON', '/test/fixtures/invalid.json', /^Could not read the episode from \/test\/fixtures\/invalid\.json: The episode is not valid JSON: /],
      ['a wrong field', '/test/fixtures/wrong-field.json', /^Could not read the episode from \/test\/fixtures\/wrong-field\.json: transcript\[3\]\.type: expected "paragraph" \| "quote" \| "list", got "heading"$/],
    ];
    for (const [name, src, message] of failures) {
      it(`shows ${name} as an error naming the URL and the cause`, async () => {
        const { el, detail } = await mount((el) => el.setAttribute('src', src), 'paperledge-error');
        expect(detail.message).to.match(message);
        const error = root(el).querySelector('[part="error"]')!;
        expect(error.getAttribute('role')).to.equal('alert');
        expect(error.textContent).to.match(new RegExp(message.source.slice(1).replace(/\$$/, '')));
        expect(root(el).querySelector('[part="retry"]')).to.exist;
      });
    }

    it('retries after a failure and then renders the episode', async () => {
      const src = `/test-api/flaky/${Math.random()}?then=${JSON_URL}`;
      const { el, detail } = await mount((el) => el.setAttribute('src', src), 'paperledge-error');
      expect(detail.message).to.contain('HTTP 503');
      await expect(el).to.be.accessible();
      const loaded = oneEvent(el, 'paperledge-load');
      root(el).querySelector<HTMLButtonElement>('[part="retry"]')!.click();
      await loaded;
      await el.updateComplete;
      expectFixtureTranscript(el);
      expect(root(el).querySelector('[part="error"]')).to.equal(null);
    });

    it('keeps the host page text visible when the load fails', async () => {
      const { el } = await mount((el) => {
        el.setAttribute('src', '/test/fixtures/missing.json');
        el.append(markupFor(fixtureEpisode));
      }, 'paperledge-error');
      const slot = root(el).querySelector<HTMLSlotElement>('slot[name="source"]')!;
      expect(slot.assignedElements().length).to.equal(17);
      const first = el.querySelector('p')!;
      expect(first.getBoundingClientRect().height).to.be.greaterThan(0);
    });

    it('refuses an invalid `.episode` with the field named', async () => {
      const { detail } = await mount(
        (el) => (el.episode = { id: 'x', title: 'X', transcript: [{ type: 'video' }] } as unknown as Episode),
        'paperledge-error',
      );
      expect(detail.message).to.equal(
        'The episode property is not a valid episode: transcript[0].type: expected "paragraph" | "quote" | "list", got "video"',
      );
    });

    it('passes the accessibility audit when loaded', async () => {
      const { el } = await mount((el) => el.setAttribute('src', JSON_URL));
      await expect(el).to.be.accessible();
    });
  });

  describe('security', () => {
    it('renders script and markup strings as literal text and runs nothing', async () => {
      const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
      const episode: Episode = {
        id: 'evil',
        title: evil,
        show: evil,
        paper: { title: evil, authors: [{ name: evil }] },
        transcript: [
          { type: 'paragraph', text: evil },
          { type: 'quote', text: `"${evil}"` },
          { type: 'list', items: [evil, `javascript:alert(1): ${evil}`] },
        ],
      };
      const { el } = await mount((el) => (el.episode = episode));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
      expect(root(el).querySelector('img, script:not([type])')).to.equal(null);
      expect(root(el).querySelector('#p-1')!.textContent).to.contain(evil);
      expect(root(el).querySelector('[part="title"]')!.textContent).to.equal(evil);
    });

    it('refuses a javascript: paper link', async () => {
      const { detail } = await mount(
        (el) => (el.episode = { ...fixtureEpisode, paper: { url: 'javascript:alert(1)' } }),
        'paperledge-error',
      );
      expect(detail.message).to.contain('paper.url: expected an absolute http(s) URL');
    });
  });

  describe('fitting the host page', () => {
    it('marks the current block without moving its text or reaching past the element (no shadow spilling into the margins)', async () => {
      const { el } = await mount((el) => (el.episode = fixtureEpisode));
      const block = root(el).querySelector<HTMLElement>('#p-3')!;
      const text = [...block.childNodes].find((node): node is Text => node instanceof Text && node.data.trim() !== '')!;
      const measure = () => {
        const range = document.createRange();
        range.selectNodeContents(text);
        const rect = range.getBoundingClientRect();
        return { left: rect.left, top: rect.top, height: block.getBoundingClientRect().height };
      };
      const before = measure();
      block.toggleAttribute('data-current', true);
      expect(measure()).to.deep.equal(before);
      const host = el.getBoundingClientRect();
      const box = block.getBoundingClientRect();
      expect(box.left).to.be.at.least(host.left);
      expect(box.right).to.be.at.most(host.right);
      expect(getComputedStyle(block).boxShadow).to.equal('none');
      expect(getComputedStyle(block).borderInlineStartColor).to.not.equal(getComputedStyle(root(el).querySelector('#p-2')!).borderInlineStartColor);
    });

    it('sizes itself by its own text, not the root: a site with html { font-size: 62.5% } gets the full width', async () => {
      document.documentElement.style.fontSize = '62.5%';
      try {
        const { el } = await mount((el) => (el.episode = fixtureEpisode));
        el.parentElement!.style.fontSize = '16px';
        expect(getComputedStyle(el).maxWidth).to.equal('768px');
        const gaps = blocks(el).map((block) => getComputedStyle(block).marginBlockEnd);
        expect(new Set(gaps)).to.deep.equal(new Set(['16px']));
      } finally {
        document.documentElement.style.fontSize = '';
      }
    });

    it('on a right-to-left page, sets each block in the direction of its own text, and times left to right', async () => {
      const { el } = await mount((el) => {
        el.episode = {
          ...fixtureEpisode,
          audio: { src: '/test-api/tone.wav?seconds=2', type: 'audio/wav' },
          transcript: [...fixtureEpisode.transcript, { type: 'paragraph', text: 'مرحبا بكم في الحلقة', start: 1 }],
        };
      });
      el.parentElement!.dir = 'rtl';
      // The player card is a chunk of its own: wait for it.
      await waitUntil(() => root(el).querySelector('[part="clock"]'), 'the player card did not load');
      const direction = (node: Element | null) => getComputedStyle(node!).direction;
      const all = blocks(el);
      expect(all.slice(0, -1).map(direction)).to.deep.equal(all.slice(0, -1).map(() => 'ltr'));
      expect(direction(all.at(-1)!)).to.equal('rtl');
      expect(direction(root(el).querySelector('[part="header"]'))).to.equal('ltr');
      expect(direction(root(el).querySelector('[part="clock"]'))).to.equal('ltr');
      // Time runs left to right on the scrubber too, as on every player.
      expect(direction(root(el).querySelector('[part="scrubber"]'))).to.equal('ltr');
    });

    it('wraps a long URL, an unbroken word and a long title inside its width', async () => {
      const long = `https://example.org/${'a'.repeat(200)}`;
      const { el } = await mount(
        (el) =>
          (el.episode = {
            id: 'narrow',
            title: 'T'.repeat(120),
            paper: { title: 'P'.repeat(120), url: long },
            transcript: [
              { type: 'paragraph', text: `See ${long} for the details.` },
              { type: 'quote', text: 'Q'.repeat(150) },
              { type: 'list', items: [`${'L'.repeat(30)}: ${'z'.repeat(150)}`] },
            ],
          }),
      );
      el.parentElement!.style.width = '320px';
      expect(overflowing(el)).to.deep.equal([]);
    });
  });

  describe('lifecycle', () => {
    it('works after being removed and added back', async () => {
      const { el } = await mount((el) => el.setAttribute('src', JSON_URL));
      const parent = el.parentElement!;
      el.remove();
      location.hash = '#p-2';
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(root(el).querySelector('[data-target]')).to.equal(null);
      parent.append(el);
      location.hash = '#p-4';
      await new Promise((resolve) => setTimeout(resolve, 50));
      await el.updateComplete;
      expect(root(el).querySelector('#p-4')!.hasAttribute('data-target')).to.equal(true);
      expectFixtureTranscript(el);
    });

    it('loads `src` set as a property right after connecting, before the first render (as React and other frameworks do)', async () => {
      const container = await fixture<HTMLDivElement>(html`<div></div>`);
      const el = document.createElement('paperledge-episode');
      const loaded = oneEvent(el, 'paperledge-load');
      container.append(el);
      el.src = JSON_URL;
      await loaded;
      await el.updateComplete;
      expectFixtureTranscript(el);
    });

    it('loads again when `src` changes', async () => {
      const { el } = await mount((el) => el.setAttribute('src', '/test/fixtures/missing.json'), 'paperledge-error');
      const loaded = oneEvent(el, 'paperledge-load');
      el.src = JSON_URL;
      await loaded;
      await el.updateComplete;
      expectFixtureTranscript(el);
    });

    it('provides a default slot after the transcript', async () => {
      const { el } = await mount((el) => {
        el.episode = fixtureEpisode;
        el.append(Object.assign(document.createElement('aside'), { textContent: 'nested' }));
      });
      const slot = root(el).querySelector<HTMLSlotElement>('slot:not([name])')!;
      expect(slot.assignedElements().map((e) => e.tagName)).to.deep.equal(['ASIDE']);
      expect(slot.compareDocumentPosition(root(el).querySelector('.transcript')!) & Node.DOCUMENT_POSITION_PRECEDING).to.be.greaterThan(0);
    });
  });
});
