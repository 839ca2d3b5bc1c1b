import { CHROMIUM_ARGS, findBrowsers } from '../../runner/browsers.mjs';

/** The same flags and the same Chromium as the browser tests. */
export { CHROMIUM_ARGS };

export function chromiumPath(): string {
  return findBrowsers(['chromium'])['chromium']!;
}
