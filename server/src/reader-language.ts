import { readFileSync, readdirSync } from 'node:fs';
import type { Context } from 'hono';
import { type Catalogue, type Values, canonicalLanguage, pick } from 'paperledge-widgets/model';
import { acceptedValues } from './http-headers.js';

/**
 * What the server says to readers (a comment too long, a block, posting too fast, the embed page of a missing
 * episode), in the language their page asked for with `Accept-Language` (the comment box sends its element's `lang`).
 * The catalogues are server/locales/{lang}.json, keyed by the API's error codes; English is the message as written
 * in the code, and en.json lists the same keys for translators.
 */
const folder = new URL('../locales/', import.meta.url);
const catalogues = new Map<string, Catalogue>(
  readdirSync(folder)
    .filter((file) => file.endsWith('.json') && file !== 'en.json')
    .map((file) => [file.slice(0, -5), JSON.parse(readFileSync(new URL(file, folder), 'utf8')) as Catalogue]),
);

/** The first language of `Accept-Language` (by weight) that has a catalogue, as its full tag (`de-AT`); else `en`. */
export function readerLanguage(header: string | undefined): string {
  // `*` names no catalogue, so it falls through to English like an unknown language.
  for (const tag of acceptedValues(header)) {
    const code = tag.split('-')[0]!.toLowerCase();
    if (code === 'en') return 'en';
    if (catalogues.has(code)) return canonicalLanguage(tag) ?? code;
  }
  return 'en';
}

/** `key` in `lang` with its `{placeholders}` filled (a number in the language's way), or undefined for English. */
export function readerText(lang: string, key: string, values: Values = {}): string | undefined {
  const message = catalogues.get(lang.split('-')[0]!)?.[key];
  return message === undefined ? undefined : pick(message, new Intl.PluralRules(lang), values, new Intl.NumberFormat(lang));
}

/** The reader-facing message for `key`: in the request's language when there is a catalogue for it, else `english`. */
export function say(c: Context, key: string, english: string, values?: Values): string {
  return readerText(readerLanguage(c.req.header('Accept-Language')), key, values) ?? english;
}
