import { expect, waitUntil as waitUntilOnce } from '@open-wc/testing';

/** The fixture as the test server serves it, so the browser reads the same bytes Node does. */
export const FIXTURE_URL = '/test/fixtures/paperledge-deepseek-v3.txt';

export async function loadFixture(): Promise<string> {
  const response = await fetch(FIXTURE_URL);
  if (!response.ok) throw new Error(`fixture: HTTP ${response.status}`);
  return response.text();
}

/** waitUntil with room for a loaded CI machine running three browsers at once. */
export const waitUntil: typeof waitUntilOnce = (predicate, message, options) =>
  waitUntilOnce(predicate, message, { timeout: 5000, ...options });

/** A page opened in a frame, with what demo/page-watch.js recorded in it. */
export type PageWindow = Window & typeof globalThis & { __pageErrors: string[]; __cspViolations: string[] };

/** A test that opens the gallery: its 75 s to settle, then axe and the checks. */
export const GALLERY_TEST_TIMEOUT = 120_000;

/** Opens a demo page, or (`{html}`) a page written here, in a frame of the test page. */
export async function openPage(
  page: string | { html: string },
): Promise<{ frame: HTMLIFrameElement; win: PageWindow; doc: Document }> {
  const frame = document.createElement('iframe');
  frame.style.width = '1000px';
  frame.style.height = '900px';
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  if (typeof page === 'string') frame.src = page;
  else frame.srcdoc = `<!doctype html><html lang="en"><head><script src="/demo/page-watch.js"></script></head><body>${page.html}</body></html>`;
  document.body.append(frame);
  await loaded;
  return { frame, win: frame.contentWindow as PageWindow, doc: frame.contentDocument! };
}

/**
 * The nodes of an element's shadow tree that stick out past its right edge:
 * text that would give a phone-width host page a horizontal scroll bar.
 */
export function overflowing(el: HTMLElement): string[] {
  const edge = el.getBoundingClientRect().right + 1;
  return [...el.shadowRoot!.querySelectorAll('*')]
    .filter((node) => node.getBoundingClientRect().right > edge)
    .map((node) => `${node.tagName.toLowerCase()}${node.getAttribute('part') ? `[part=${node.getAttribute('part')}]` : ''}`);
}

/** Posts a comment straight to the real comments API, as another reader would, and checks it was stored. */
export async function postComment(api: string, episode: string, comment: { body: string; author?: string }): Promise<void> {
  const response = await fetch(`${api}/v1/episodes/${episode}/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(comment),
  });
  expect(response.status).to.equal(201);
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[];
}
type AxeWindow = Window & { axe?: { run(context: Document, options: object): Promise<AxeResult> } };

/** WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** axe on a page opened in a frame (loaded into it once), each violation as a line that names its nodes. */
export async function axeViolations(win: Window, doc: Document): Promise<string[]> {
  const axeWindow = win as AxeWindow;
  if (!axeWindow.axe) {
    const script = doc.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    const loaded = new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = reject;
    });
    doc.head.append(script);
    await loaded;
  }
  const result = await axeWindow.axe!.run(doc, { runOnly: { type: 'tag', values: AXE_TAGS }, resultTypes: ['violations'] });
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`.replace(/\s+/g, ' ')).join('\n    ')}`,
  );
}

/**
 * Waits for demo/gallery.html to reach every state it shows (it sets `data-gallery-ready`); a gallery that fails or
 * stalls is reported with what it still waited for, when each step ended and what the widgets warned about.
 * It takes about a second; the deadline is long because WebKit in a full CI run once took more than 45 s (stop 27),
 * and a test's timeout must leave room for it (`GALLERY_TEST_TIMEOUT`).
 */
export async function galleryReady(doc: Document, timeout = 75_000): Promise<void> {
  const state = () => doc.documentElement.dataset;
  await waitUntilOnce(() => state()['galleryReady'] !== undefined, 'the gallery did not settle', { timeout }).catch((error: Error) => {
    const { galleryWaiting, galleryWarnings, galleryLog, galleryTick } = state();
    const chapters = [...doc.querySelectorAll('paperledge-episode')].map((el) => el.shadowRoot?.querySelectorAll('[part~="chapter"]').length);
    // The frame's own clock: a last tick long before now means its timers stopped running, not that a state was missed.
    const now = Math.round(doc.defaultView?.performance.now() ?? 0);
    throw new Error(
      `${error.message}: it still waited for ${galleryWaiting || 'nothing'}; its timers last ran at ${galleryTick ?? 'never'}, now ${now} ms; steps: ${galleryLog ?? 'none'} warnings: ${galleryWarnings ?? 'none'}; chapters listed: ${chapters.join(', ')}`,
    );
  });
  if (state()['galleryReady'] !== 'true') {
    // Which comment boxes never showed their thread, and what each showed instead.
    const boxes = [...doc.querySelectorAll('paperledge-comments')]
      .filter((el) => !el.shadowRoot?.querySelector('[part="list"], [part="empty"]'))
      .map((el) => `${el.getAttribute('episode')}: ${[...(el.shadowRoot?.querySelectorAll('[part]') ?? [])].map((p) => p.getAttribute('part')).join(' ')}`);
    throw new Error(`the gallery ${state()['galleryReady']}; warnings: ${state()['galleryWarnings'] ?? 'none'}; boxes without a thread: ${boxes.join(' | ')}`);
  }
}
