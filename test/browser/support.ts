import { waitUntil as waitUntilOnce } from '@open-wc/testing';

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
