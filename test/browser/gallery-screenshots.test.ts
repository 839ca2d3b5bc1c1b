// The gallery's look, section by section, light and dark, wide and phone-sized, against committed baselines
// (test/screenshots/Chromium/baseline). A change that alters the look fails here until its new baselines are
// taken (UPDATE_SCREENSHOTS=1) and committed, so every change of look is seen in review.
import { setViewport } from '@web/test-runner-commands';
import { visualDiff } from '@web/test-runner-visual-regression';
import { expect } from '@open-wc/testing';
import { openPage, waitUntil } from './support.js';

const SECTIONS = ['listening', 'finding', 'loading', 'failing', 'authors', 'comments', 'dark-card'];

for (const scheme of ['light', 'dark'] as const) {
  for (const width of [1280, 320]) {
    describe(`the gallery, ${scheme}, ${width}px wide`, function () {
      this.timeout(60_000);
      let frame: HTMLIFrameElement;
      let doc: Document;

      before(async () => {
        await setViewport({ width: 1400, height: 1000 });
        ({ frame, doc } = await openPage('/demo/gallery.html?fresh'));
        // At whole pixels from the test page's corner: a frame at a fractional offset is cut a pixel short or long.
        frame.style.cssText = `position: absolute; top: 0; left: 0; z-index: 1; width: ${width}px; height: 1000px; border: 0`;
        window.scrollTo(0, 0);
        if (scheme === 'dark') doc.documentElement.style.colorScheme = 'dark';
        await waitUntil(() => {
          const ready = doc.documentElement.dataset['galleryReady'];
          if (ready?.startsWith('failed')) throw new Error(`the gallery ${ready}`);
          return ready === 'true';
        }, 'the gallery did not reach its states', { timeout: 30_000 });
      });

      after(() => frame.remove());

      for (const id of SECTIONS) {
        it(`shows "${id}" as its baseline does`, async () => {
          const section = doc.getElementById(id)!.closest('section')!;
          const win = frame.contentWindow!;
          // The frame and the test page's viewport become the section's size and show just it. Off-screen blocks skip
          // layout (content-visibility: auto) and hold an estimated height until shown, so repeat until the size holds.
          for (let steady = 0, height = 0; steady < 3; ) {
            const now = Math.ceil(section.getBoundingClientRect().height);
            steady = now === height ? steady + 1 : 0;
            height = now;
            await setViewport({ width: 1400, height: Math.max(600, height) });
            frame.style.height = `${height}px`;
            win.scrollTo(0, section.getBoundingClientRect().top + win.scrollY);
            await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 100)));
          }
          expect(section.getBoundingClientRect().top).to.be.closeTo(0, 1);
          await visualDiff(frame, `gallery-${scheme}-${width}-${id}`);
        });
      }
    });
  }
}
