// Every word in the reader's language: the gallery of every state in each of the eleven languages beside English,
// with no English UI word and no raw placeholder left, axe clean, Arabic right to left; a `lang` changed on a live
// page switches the elements; a regional tag reads its language, an unknown one English with its own numbers.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/define/paperledge-credits.js';
import type { PaperLedgeCredits } from '../../src/elements/paperledge-credits.js';
import { axeViolations, GALLERY_TEST_TIMEOUT, galleryReady, openPage, waitUntil } from './support.js';

const LANGUAGES = ['ar', 'de', 'es', 'fr', 'it', 'ja', 'ko', 'nl', 'pl', 'pt', 'zh'];
type Catalogue = Record<string, string | Record<string, string>>;

/** Content, not UI: the transcript, names, titles and comments are in the episode's language, whatever the page's. */
const CONTENT = [
  '.block',
  '.speaker',
  '.term',
  '[part~="title"]',
  '[part~="chapter"] span[dir="auto"]',
  '[part="author"]',
  '.body',
  'paperledge-credits [part="list"] li',
  '[aria-hidden="true"]',
  '.honeypot',
].join(', ');

/**
 * The English UI a translated page must not show: each message's words between its placeholders. A phrase of two
 * words or more may not appear anywhere; a single word may not be a whole label ("Play" is UI, "play" in a
 * sentence of the transcript is not).
 */
function englishPhrases(english: Catalogue, translated: Catalogue = {}): { phrases: string[]; words: Set<string> } {
  const piecesOf = (catalogue: Catalogue) =>
    Object.values(catalogue)
      .flatMap((message) => (typeof message === 'string' ? [message] : Object.values(message)))
      .flatMap((form) => form.split(/\{\w+\}/))
      .map((piece) => piece.replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, ''))
      .filter((piece) => /\p{L}{2}/u.test(piece));
  // A word the language writes as English does ("Name" in German, "Audio") is that language's word too.
  const same = new Set(piecesOf(translated));
  const pieces = piecesOf(english).filter((piece) => !same.has(piece));
  return { phrases: pieces.filter((piece) => piece.includes(' ')), words: new Set(pieces.filter((piece) => !piece.includes(' '))) };
}

/** What each element shows and says as UI: its text nodes and its labelling attributes, content left out. */
function uiTexts(doc: Document): string[] {
  const texts: string[] = [];
  const visit = (root: ShadowRoot) => {
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // The page is in a frame: its nodes are not this window's Element.
      if (node.nodeType === Node.ELEMENT_NODE) {
        if (!(node instanceof doc.defaultView!.Element)) continue;
        if (node.shadowRoot) visit(node.shadowRoot);
        if (node.closest(CONTENT)) continue;
        for (const name of ['aria-label', 'title', 'placeholder', 'aria-valuetext', 'aria-roledescription', 'alt']) {
          const value = node.getAttribute(name);
          if (value) texts.push(value);
        }
      } else if (!node.parentElement?.closest(CONTENT) && node.textContent!.trim() !== '') {
        texts.push(node.textContent!.replace(/\s+/g, ' ').trim());
      }
    }
  };
  for (const el of doc.querySelectorAll('paperledge-episode, paperledge-credits, paperledge-comments')) if (el.shadowRoot) visit(el.shadowRoot);
  return texts;
}

function englishLeft(doc: Document, english: { phrases: string[]; words: Set<string> }): string[] {
  return uiTexts(doc).filter((text) => {
    const bare = text.replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '');
    return english.words.has(bare) || english.phrases.some((phrase) => text.includes(phrase)) || /\{\w+\}/.test(text);
  });
}

describe('every word in the reader’s language', function () {
  this.timeout(GALLERY_TEST_TIMEOUT);
  // A language's words, its parts together.
  const catalogue = async (lang: string) =>
    Object.assign({}, ...Object.values((await (await fetch(`/src/locales/${lang}.json`)).json()) as Record<string, Catalogue>)) as Catalogue;
  let english: { phrases: string[]; words: Set<string> };
  before(async () => {
    english = englishPhrases(await catalogue('en'));
  });

  it('finds the English of a page in English (the check itself works)', async () => {
    const { frame, doc } = await openPage('/demo/gallery.html?fresh');
    frame.style.width = '1280px';
    frame.scrollIntoView();
    await galleryReady(doc);
    const left = englishLeft(doc, english);
    for (const expected of ['Comments', 'Play', 'Find in transcript', 'Post comment', 'Waiting for approval', 'Credit to Paper authors:']) {
      expect(left.some((text) => text.includes(expected)), `${expected} in ${left.join(' | ')}`).to.equal(true);
    }
    frame.remove();
  });

  for (const lang of LANGUAGES) {
    it(`shows every state of the gallery in ${lang} without an English UI word, axe clean`, async () => {
      const leftIn = englishPhrases(await catalogue('en'), await catalogue(lang));
      const { frame, win, doc } = await openPage(`/demo/gallery.html?fresh&axe&lang=${lang}`);
      frame.style.width = '1280px';
      frame.scrollIntoView();
      await galleryReady(doc);
      await waitUntil(() => englishLeft(doc, leftIn).length === 0, 'English is left', { timeout: 10_000 }).catch(() => {
        throw new Error(`English left on the ${lang} page: ${englishLeft(doc, leftIn).join(' | ')}`);
      });
      if (lang === 'ar') {
        // Nothing pushed off to the left: on a right-to-left page that is a horizontal scroll bar.
        expect(doc.documentElement.scrollWidth).to.be.at.most(doc.documentElement.clientWidth);
        const comments = doc.querySelector('paperledge-comments')!;
        expect(getComputedStyle(comments).direction).to.equal('rtl');
        // Times stay left to right in a right-to-left page.
        const clock = doc.querySelector('paperledge-episode#listen')!.shadowRoot!.querySelector('[part="clock"]');
        if (clock) expect(getComputedStyle(clock).direction).to.equal('ltr');
      }
      const violations = await axeViolations(win, doc);
      expect(violations, violations.join('\n')).to.deep.equal([]);
      frame.remove();
    });
  }

  it('fetches only the parts of a language a page shows, beside the bundle wherever it is (as on a CDN)', async () => {
    const { frame, win, doc } = await openPage({
      html: `<script type="module" src="/test-api/cdn/all-there/dist/paperledge.js"></script>
        <div lang="de-AT"><paperledge-credits authors="Ada Lovelace, Alan Turing, Grace Hopper"></paperledge-credits></div>`,
    });
    const credits = doc.querySelector('paperledge-credits')!;
    const label = () => credits.shadowRoot?.querySelector('[part="label"]')?.textContent?.trim();
    await waitUntil(() => label() === 'Autorinnen und Autoren des Papers:', `German did not arrive: ${label()}`);
    expect(credits.shadowRoot!.textContent).to.contain('Ada Lovelace, Alan Turing und Grace Hopper');
    // German, only the credits' part of it (de-AT reads German), beside the bundle.
    const fetched = win.performance
      .getEntriesByType('resource')
      .map((entry) => new URL(entry.name).pathname)
      .filter((path) => path.includes('/locales/'));
    expect(fetched).to.deep.equal(['/test-api/cdn/all-there/dist/locales/de/credits.js']);
    frame.remove();
  });

  it('fetches a language beside the built bundle under a strict CSP, with no violation', async () => {
    const { frame, win, doc } = await openPage('/demo/strict-csp.html');
    frame.scrollIntoView();
    const credits = () => doc.querySelector('paperledge-credits')?.shadowRoot?.querySelector('[part="label"]')?.textContent?.trim();
    await waitUntil(() => credits() === 'Credit to Paper authors:', 'the credits did not render');
    doc.documentElement.lang = 'de';
    await waitUntil(() => credits() === 'Autorinnen und Autoren des Papers:', `German did not arrive: ${credits()}`);
    const find = doc.querySelector('paperledge-episode')!.shadowRoot!.querySelector('[part="search"] label')!.textContent!.trim();
    expect(find).to.equal('Im Transkript suchen');
    expect(win.__cspViolations).to.deep.equal([]);
    expect(win.__pageErrors).to.deep.equal([]);
    frame.remove();
  });

  it('follows a lang changed on a live page, reads a regional tag as its language, and an unknown one in English with its own numbers', async () => {
    const authors = Array.from({ length: 1234 }, (_, i) => ({ name: `Author ${i + 1}` }));
    const box = await fixture<HTMLDivElement>(html`<div lang="de-AT"><paperledge-credits .authors=${authors}></paperledge-credits></div>`);
    const credits = box.querySelector<PaperLedgeCredits>('paperledge-credits')!;
    const label = () => credits.shadowRoot!.querySelector('[part="label"]')!.textContent!.trim();
    const toggle = () => credits.shadowRoot!.querySelector('[part="toggle"]')!.textContent!.trim();
    await waitUntil(() => label() === 'Autorinnen und Autoren des Papers:', `de-AT did not read German: ${label()}`);
    const n = (lang: string) => new Intl.NumberFormat(lang).format(1234);
    expect(toggle()).to.equal(`Alle ${n('de-AT')} Personen`);
    box.lang = 'fr';
    await waitUntil(() => label() === 'Auteurs de l’article :', `the change to fr was not followed: ${label()}`);
    expect(toggle()).to.equal(`Les ${n('fr')} auteurs`);
    box.lang = 'sv';
    await waitUntil(() => label() === 'Credit to Paper authors:', `an unknown language did not fall back to English: ${label()}`);
    expect(toggle()).to.equal(`All ${n('sv')} authors`);
  });
});
