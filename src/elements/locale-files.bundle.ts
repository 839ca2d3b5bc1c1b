import type { Catalogue } from '../model/messages.js';

/** The languages beside English (src/locales/; test/node/package.test.ts checks the list). */
const CODES = ['ar', 'de', 'es', 'fr', 'it', 'ja', 'ko', 'nl', 'pl', 'pt', 'zh'];

/**
 * One part of a language's words as the script-tag bundles fetch it: `locales/{code}/{part}.js` beside the bundle
 * (a copied `dist/` or a CDN path alike), a few hundred bytes, only once an element shows that part. The build puts
 * this module in the place of `locale-files.ts` and writes the files (vite.config.ts).
 */
export function loadPart(code: string, part: string): Promise<{ default: Catalogue }> | undefined {
  return CODES.includes(code) ? import(/* @vite-ignore */ `./locales/${code}/${part}.js`) : undefined;
}
