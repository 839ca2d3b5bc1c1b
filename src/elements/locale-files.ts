import type { Catalogue } from '../model/messages.js';

/** A language's words, a section for each part of the page. */
type Parts = Record<string, Catalogue>;

/**
 * Each language's words as the package's modules fetch them: its whole file, at once, when an element first shows the
 * language. Named one by one, so that a bundler that takes the package from npm makes each a chunk of the app. The
 * script-tag bundles fetch a part at a time instead (`locale-files.bundle.ts`, which the build puts in this one's
 * place). `zh` is Simplified Chinese.
 */
const FILES: Record<string, () => Promise<{ default: Parts }>> = {
  ar: () => import('../locales/ar.json', { with: { type: 'json' } }),
  de: () => import('../locales/de.json', { with: { type: 'json' } }),
  es: () => import('../locales/es.json', { with: { type: 'json' } }),
  fr: () => import('../locales/fr.json', { with: { type: 'json' } }),
  it: () => import('../locales/it.json', { with: { type: 'json' } }),
  ja: () => import('../locales/ja.json', { with: { type: 'json' } }),
  ko: () => import('../locales/ko.json', { with: { type: 'json' } }),
  nl: () => import('../locales/nl.json', { with: { type: 'json' } }),
  pl: () => import('../locales/pl.json', { with: { type: 'json' } }),
  pt: () => import('../locales/pt.json', { with: { type: 'json' } }),
  zh: () => import('../locales/zh.json', { with: { type: 'json' } }),
};

/** One part of a language's words; undefined for a language with no file. */
export function loadPart(code: string, part: string): Promise<{ default: Catalogue }> | undefined {
  return FILES[code]?.().then(({ default: parts }) => ({ default: parts[part] ?? {} }));
}
