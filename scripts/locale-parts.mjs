// The elements' words as the script-tag bundles fetch them: one small file a language and part
// (`locales/de/comments.js`), cut from the translators' one JSON file a language (src/locales/de.json, a section a
// part). The build writes them beside the bundles (vite.config.ts).
import { readFileSync, readdirSync } from 'node:fs';

const folder = new URL('../src/locales/', import.meta.url);

/** Every language beside English (which the bundle carries). */
export const LANGUAGES = readdirSync(folder)
  .filter((file) => file.endsWith('.json') && file !== 'en.json')
  .map((file) => file.slice(0, -'.json'.length))
  .sort();

/** The part names: the sections of en.json. */
export const PARTS = Object.keys(JSON.parse(readFileSync(new URL('en.json', folder), 'utf8')));

/** A language's parts, each as the module the bundles fetch: its file read once for all of them. */
export function localeParts(code) {
  const sections = JSON.parse(readFileSync(new URL(`${code}.json`, folder), 'utf8'));
  return Object.fromEntries(PARTS.map((part) => [part, `export default ${JSON.stringify(sections[part])};\n`]));
}
