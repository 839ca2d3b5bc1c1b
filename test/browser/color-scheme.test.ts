import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/define/paperledge-comments.js';
import '../../src/define/paperledge-credits.js';
import '../../src/define/paperledge-episode.js';
import type { PaperLedgeEpisode } from '../../src/elements/paperledge-episode.js';
import { baseStyles } from '../../src/elements/styles.js';
import { parsePaperLedgeText } from '../../src/model/index.js';
import { loadFixture, waitUntil } from './support.js';

const episode = parsePaperLedgeText(await loadFixture(), { id: 'deepseek-v3', title: 'DeepSeek-V3' });
episode.paper = { ...episode.paper, url: 'https://arxiv.org/abs/2412.19437' };

/** The accent colours of the shared styles: links show which palette is in use. */
const LIGHT_ACCENT = 'rgb(11, 87, 208)';
const DARK_ACCENT = 'rgb(138, 180, 248)';

async function episodeOn(page: string): Promise<PaperLedgeEpisode> {
  const box = await fixture<HTMLDivElement>(html`<div style=${page}></div>`);
  const el = document.createElement('paperledge-episode');
  el.episode = episode;
  const loaded = oneEvent(el, 'paperledge-load');
  box.append(el);
  await loaded;
  await el.updateComplete;
  return el;
}

/** Only the Chromium runner (Playwright) can emulate the reader's setting; Firefox over BiDi and WebKit over WebDriver cannot. */
const canEmulate = navigator.userAgent.includes('Chrome/');

const linkColour = (el: PaperLedgeEpisode) => getComputedStyle(el.shadowRoot!.querySelector('[part="paper-link"]')!).color;

describe('light or dark, to suit the page behind the element', () => {
  afterEach(async () => {
    document.documentElement.classList.remove('dark-page');
    document.documentElement.style.colorScheme = '';
    document.getElementById('page-theme')?.remove();
    if (canEmulate) await emulateMedia({ colorScheme: 'light' });
  });

  it('stays light on a light page when the reader prefers dark, and passes contrast', async () => {
    // Elsewhere the reader's setting is light, and the next test shows the page winning over it.
    if (canEmulate) await emulateMedia({ colorScheme: 'dark' });
    if (canEmulate) expect(matchMedia('(prefers-color-scheme: dark)').matches).to.equal(true);
    const el = await episodeOn('background: #fff; color: #111');
    expect(linkColour(el)).to.equal(LIGHT_ACCENT);
    await expect(el).to.be.accessible();
  });

  it('turns dark on a dark page whatever the reader prefers, for all three elements', async () => {
    const page = 'background: #15171a; color: #e8eaed';
    const el = await episodeOn(page);
    expect(linkColour(el)).to.equal(DARK_ACCENT);
    await expect(el).to.be.accessible();

    const box = await fixture<HTMLDivElement>(html`<div style=${page}>
      <paperledge-credits authors=${Array.from({ length: 60 }, (_, i) => `Author ${i + 1}`).join(', ')}></paperledge-credits>
      <paperledge-comments></paperledge-comments>
    </div>`);
    for (const element of box.querySelectorAll('paperledge-credits, paperledge-comments')) {
      await (element as PaperLedgeEpisode).updateComplete;
      await expect(element).to.be.accessible();
    }
  });

  it('follows the page when it switches theme with a class on <html>', async () => {
    const style = document.createElement('style');
    style.id = 'page-theme';
    style.textContent = 'html.dark-page body { background: #111; color: #eee; }';
    document.head.append(style);
    const el = await episodeOn('');
    expect(linkColour(el)).to.equal(LIGHT_ACCENT);
    document.documentElement.classList.add('dark-page');
    await waitUntil(() => linkColour(el) === DARK_ACCENT, 'did not turn dark with the page');
    await expect(el).to.be.accessible();
    document.documentElement.classList.remove('dark-page');
    await waitUntil(() => linkColour(el) === LIGHT_ACCENT, 'did not turn light again');
  });

  it('is dark on a page that paints no background but declares color-scheme: dark', async () => {
    document.documentElement.style.colorScheme = 'dark';
    const el = await episodeOn('color: #eee');
    expect(linkColour(el)).to.equal(DARK_ACCENT);
  });

  it('still works where custom states are missing or refuse these names (Safari before 17.4, Chromium before 125)', async () => {
    const original = HTMLElement.prototype.attachInternals;
    const olderBrowsers = [
      () => ({ states: undefined }),
      () => ({
        states: {
          add() {
            throw new DOMException("The specified value 'light' must start with '--'.", 'SyntaxError');
          },
          delete: () => false,
        },
      }),
    ];
    try {
      for (const attachInternals of olderBrowsers) {
        HTMLElement.prototype.attachInternals = attachInternals as unknown as typeof original;
        const el = await episodeOn('');
        expect(el.shadowRoot!.querySelectorAll('.transcript > .block')).to.have.length(14);
        const credits = await fixture<HTMLElement>(html`<paperledge-credits authors="Ada Lovelace, Alan Turing"></paperledge-credits>`);
        await (credits as PaperLedgeEpisode).updateComplete;
        expect(credits.shadowRoot!.querySelectorAll('[part="name"]')).to.have.length(2);
      }
    } finally {
      HTMLElement.prototype.attachInternals = original;
    }
  });

  it('has a fallback palette for browsers without light-dark(): light, or dark by the theme attribute', async () => {
    const fallback = [...baseStyles.styleSheet!.cssRules].find(
      (rule): rule is CSSSupportsRule => rule instanceof CSSSupportsRule && /not/.test(rule.conditionText),
    );
    expect(fallback).to.exist;
    // Its rules applied unconditionally, as such a browser would, to a stand-in element.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`${[...fallback!.cssRules].map((rule) => rule.cssText).join('\n')} a { color: var(--_accent) } button { border: 1px solid var(--_border) }`);
    const host = (await fixture<HTMLDivElement>(html`<div></div>`)).appendChild(document.createElement('span'));
    const root = host.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [sheet];
    root.append(document.createElement('a'), document.createElement('button'));
    const [link, button] = [root.querySelector('a')!, root.querySelector('button')!];
    expect(getComputedStyle(host).backgroundColor).to.equal('rgb(255, 255, 255)');
    expect(getComputedStyle(link).color).to.equal(LIGHT_ACCENT);
    expect(getComputedStyle(button).borderTopColor).to.equal('rgb(138, 143, 152)');
    host.setAttribute('theme', 'dark');
    expect(getComputedStyle(link).color).to.equal(DARK_ACCENT);
    expect(getComputedStyle(host).backgroundColor).to.equal('rgb(27, 28, 31)');
  });

  it('lets the theme attribute win over the page', async () => {
    const box = await fixture<HTMLDivElement>(html`<div style="background: #15171a; color: #e8eaed"></div>`);
    const el = document.createElement('paperledge-episode');
    el.setAttribute('theme', 'light');
    el.episode = episode;
    const loaded = oneEvent(el, 'paperledge-load');
    box.append(el);
    await loaded;
    await el.updateComplete;
    expect(linkColour(el)).to.equal(LIGHT_ACCENT);
    await expect(el).to.be.accessible();
  });
});
