// axe on every page a reader meets: the demo pages, the gallery of every state, and the iframe embed page,
// light and dark, wide and phone-sized, in each engine. Each page loads the built dist/ as embedders do.
import { expect } from '@open-wc/testing';
import { axeViolations, GALLERY_TEST_TIMEOUT, galleryReady, openPage, waitUntil } from './support.js';

/**
 * Each page and how it goes dark. Pages that support dark (their CSS follows `color-scheme`) are switched as a
 * reader's setting would; the embed page takes `?theme=dark`; the hostile theme and the test pages declare no
 * dark support, so a reader's dark setting does not change them and they are checked as they are.
 */
const PAGES: { path: string; dark: 'scheme' | 'query' | 'none' }[] = [
  { path: '/demo/index.html', dark: 'scheme' },
  { path: '/demo/gallery.html?fresh', dark: 'scheme' },
  { path: '/demo/listen.html', dark: 'scheme' },
  { path: '/demo/university.html', dark: 'scheme' },
  { path: '/demo/strict-csp.html', dark: 'scheme' },
  { path: '/demo/hostile-blog.html', dark: 'none' },
  { path: '/demo/double-load.html', dark: 'none' },
  { path: '/demo/late-script.html', dark: 'none' },
  { path: '/embed/deepseek-v3', dark: 'query' },
];

/** An element has drawn what it loads: blocks or an error, names, a comment form. */
function drawn(el: Element): boolean {
  const root = el.shadowRoot;
  if (!root) return false;
  if (el.localName === 'paperledge-episode') return root.querySelector('.block, [part="error"]') !== null;
  if (el.localName === 'paperledge-credits') return root.querySelector('[part="label"]') !== null || !el.closest('paperledge-episode');
  return root.querySelector('[part="form"]') !== null;
}

const ELEMENTS = 'paperledge-episode, paperledge-credits, paperledge-comments';

/**
 * Every element on the page has drawn what it loads. A comment box loads its
 * thread, and shows its form, once near the reader's view: one still waiting
 * is scrolled to, as a reader scrolling down would.
 */
function settled(doc: Document): boolean {
  const elements = [...doc.querySelectorAll(ELEMENTS)];
  for (const el of elements) if (el.localName === 'paperledge-comments' && !drawn(el)) el.scrollIntoView({ block: 'nearest' });
  return elements.length > 0 && elements.every(drawn);
}

/** The elements `settled` still waits for, with what each shows, for a failure to name. */
function unsettled(doc: Document): string {
  return [...doc.querySelectorAll(ELEMENTS)]
    .filter((el) => !drawn(el))
    .map((el) => `<${el.localName}${el.id ? ` id=${el.id}` : ''}> showing "${(el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 80)}"`)
    .join('; ');
}

async function axeOn(path: string, width: number, dark: boolean, how: 'scheme' | 'query' | 'none') {
  const query = [path.includes('?') ? '' : '?', path.startsWith('/demo/') ? '&axe' : '', dark && how === 'query' ? '&theme=dark' : ''].join('');
  const url = `${path}${query}`.replace('?&', '?').replace(/\?$/, '');
  const { frame, win, doc } = await openPage(url);
  frame.style.width = `${width}px`;
  // Comments load once near the reader's view, and a frame's view is clipped by the test page's.
  frame.scrollIntoView();
  if (dark && how === 'scheme') doc.documentElement.style.colorScheme = 'dark';
  // The gallery says when it has reached every state it shows; other pages are settled when their elements have drawn.
  if (path.startsWith('/demo/gallery.html')) await galleryReady(doc);
  else {
    await waitUntil(() => settled(doc), `${url} did not settle`, { timeout: 45_000 }).catch((error: Error) => {
      throw new Error(`${error.message}: ${unsettled(doc)}`);
    });
  }
  // The elements follow the page's scheme on the next frame; then give late chunks (the player) their turn.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const violations = await axeViolations(win, doc);
  frame.remove();
  return violations;
}

describe('axe on every page (WCAG 2.2 AA and best practices)', function () {
  this.timeout(GALLERY_TEST_TIMEOUT);
  for (const page of PAGES) {
    for (const dark of page.dark === 'none' ? [false] : [false, true]) {
      for (const width of [1280, 320]) {
        it(`${page.path} ${dark ? 'dark' : 'light'} at ${width}px`, async () => {
          const violations = await axeOn(page.path, width, dark, page.dark);
          expect(violations, violations.join('\n')).to.deep.equal([]);
        });
      }
    }
  }
});
