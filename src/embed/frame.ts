/**
 * Runs inside the `/embed/{id}` page: tells the page that frames it how tall
 * the content is, whenever that changes, so the iframe can fit it exactly.
 */
import { RESIZE_MESSAGE, type ResizeMessage } from './messages.js';

function report(): void {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  const message: ResizeMessage = { type: RESIZE_MESSAGE, height };
  // Only a height is sent, so any parent may hear it.
  if (window.parent !== window) window.parent.postMessage(message, '*');
}

new ResizeObserver(report).observe(document.documentElement);
window.addEventListener('load', report);
