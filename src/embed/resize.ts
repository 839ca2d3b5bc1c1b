/**
 * An optional helper for pages that embed `/embed/{id}` iframes: each frame
 * takes the height its content reports, so it never shows a scroll bar.
 * Load it once: `<script type="module" src="https://comments.example.org/embed/resize.js"></script>`.
 */
import { RESIZE_MESSAGE, type ResizeMessage } from './messages.js';

const MAX_HEIGHT = 100_000;

function isResizeMessage(data: unknown): data is ResizeMessage {
  const message = data as ResizeMessage | null;
  return message?.type === RESIZE_MESSAGE && Number.isFinite(message.height) && message.height > 0;
}

export function fitEmbeds(root: Document = document): () => void {
  const onMessage = (event: MessageEvent) => {
    if (!isResizeMessage(event.data)) return;
    for (const frame of root.querySelectorAll('iframe')) {
      // Only the frame that sent it, and only if it really is that frame's page.
      if (frame.contentWindow !== event.source) continue;
      if (new URL(frame.src, root.baseURI).origin !== event.origin) continue;
      frame.style.height = `${Math.min(event.data.height, MAX_HEIGHT)}px`;
    }
  };
  window.addEventListener('message', onMessage);
  return () => window.removeEventListener('message', onMessage);
}

const started = Symbol.for('paperledge-fit-embeds');
const global = window as Window & { [started]?: boolean };
if (!global[started]) {
  global[started] = true;
  fitEmbeds();
}
