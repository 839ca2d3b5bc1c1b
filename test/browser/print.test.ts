import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, executeServerCommand } from '@web/test-runner-commands';
import '../../src/define/paperledge-comments.js';
import '../../src/define/paperledge-credits.js';
import '../../src/define/paperledge-episode.js';
import type { PaperLedgeEpisode } from '../../src/elements/paperledge-episode.js';
import { parsePaperLedgeText } from '../../src/model/index.js';
import { loadFixture, postComment, waitUntil } from './support.js';

const api = (await executeServerCommand('comments-server', { action: 'shared' })) as string;
const fixtureEpisode = parsePaperLedgeText(await loadFixture(), { id: 'deepseek-v3', title: 'DeepSeek-V3' });

/** Only the Chromium runner (Playwright) can emulate print media; Firefox over BiDi and WebKit over WebDriver cannot. */
const canEmulate = navigator.userAgent.includes('Chrome/');

/** The whole episode page: timed blocks and audio, 200 authors, and a thread with one comment. */
async function episodePage(): Promise<PaperLedgeEpisode> {
  const id = `print-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  await postComment(api, id, { author: 'Ada', body: 'Worth reading on paper too.' });
  const box = await fixture<HTMLDivElement>(html`<div></div>`);
  const el = document.createElement('paperledge-episode');
  el.episode = {
    ...fixtureEpisode,
    id,
    audio: { src: '/test-api/tone.wav?seconds=2', type: 'audio/wav' },
    transcript: fixtureEpisode.transcript.map((block, i) => ({ ...block, start: i })),
    comments: { api },
  };
  el.append(document.createElement('paperledge-credits'), document.createElement('paperledge-comments'));
  const loaded = oneEvent(el, 'paperledge-load');
  box.append(el);
  await loaded;
  // Comments load as they near the viewport.
  el.querySelector('paperledge-comments')!.scrollIntoView();
  await waitUntil(() => el.querySelector('paperledge-comments')!.shadowRoot?.querySelector('[part="comment"]'), 'comments did not load');
  return el;
}

/** The shadow trees of the page's three elements. */
const roots = (el: PaperLedgeEpisode) =>
  [el, el.querySelector('paperledge-credits')!, el.querySelector('paperledge-comments')!].map((e) => e.shadowRoot!);
const shown = (node: Element) => getComputedStyle(node).display !== 'none' && node.getBoundingClientRect().height > 0;

describe('on paper', () => {
  afterEach(async () => {
    if (canEmulate) await emulateMedia({ media: 'screen' });
  });

  it('marks every control that only works on a screen, and keeps the block times', async () => {
    const el = await episodePage();
    const controls = roots(el).flatMap((root) => [
      ...root.querySelectorAll('input, select, textarea, audio, form, button:not(.time), a.anchor'),
    ]);
    expect(controls.length).to.be.greaterThan(10);
    expect(controls.filter((node) => !node.closest('.screen-only')).map((node) => node.outerHTML.slice(0, 80))).to.deep.equal([]);
    expect(el.shadowRoot!.querySelector('button.time')!.closest('.screen-only')).to.equal(null);
  });

  it('prints the transcript, the names and the comments, without the controls', async function () {
    const el = await episodePage();
    const [episode, credits, comments] = roots(el) as [ShadowRoot, ShadowRoot, ShadowRoot];
    const controls = [...episode.querySelectorAll('.screen-only'), ...credits.querySelectorAll('.screen-only'), ...comments.querySelectorAll('.screen-only')];
    expect(controls.every(shown)).to.equal(true);
    if (canEmulate) {
      await emulateMedia({ media: 'print' });
      expect(matchMedia('print').matches).to.equal(true);
      expect(controls.filter(shown)).to.deep.equal([]);
    } else {
      // Print media cannot be emulated here: check the rule that hides them is in the element's styles.
      const rules = el.shadowRoot!.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules]);
      const print = rules.find((rule): rule is CSSMediaRule => rule instanceof CSSMediaRule && rule.conditionText === 'print');
      expect(print?.cssText).to.match(/\.screen-only\s*\{\s*display: none !important;/);
    }
    expect([...episode.querySelectorAll('.transcript > .block')].filter(shown)).to.have.length(14);
    expect([...credits.querySelectorAll('[part="name"]')].filter(shown)).to.have.length(10);
    expect([...comments.querySelectorAll('[part="comment"]')].filter(shown)).to.have.length(1);
  });
});
