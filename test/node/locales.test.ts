// The message catalogues, as translators and the elements use them: the widgets' (src/locales/, keyed by the English
// text the code writes, a section a part of the page that is fetched on its own) and the server's (server/locales/, keyed by the API's error codes). Every language has every
// message, with the same placeholders, in every plural form its language has, and nothing else; every English
// message is one the code uses.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { format } from '../../src/elements/localize.js';
import { readerLanguage, readerText } from '../../server/src/reader-language.js';

type Plural = Record<string, string>;
type Catalogue = Record<string, string | Plural>;

const LANGUAGES = ['ar', 'de', 'es', 'fr', 'it', 'ja', 'ko', 'nl', 'pl', 'pt', 'zh'];
const read = (folder: URL, lang: string) => JSON.parse(readFileSync(new URL(`${lang}.json`, folder), 'utf8')) as Catalogue;
const placeholders = (text: string) => new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!));
const sorted = (set: Iterable<string>) => [...set].sort();

/** Every check a translator's file must pass against English. */
function checkCatalogue(english: Catalogue, translated: Catalogue, lang: string, where = lang) {
  assert.deepEqual(Object.keys(translated).sort(), Object.keys(english).sort(), `${where}: the same messages as English, no more, no fewer`);
  const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
  for (const [key, source] of Object.entries(english)) {
    const target = translated[key]!;
    const wanted = placeholders(typeof source === 'string' ? source : Object.values(source).join(' '));
    if (typeof source === 'string') {
      assert.equal(typeof target, 'string', `${where}: "${key}" is a plain message`);
      assert.deepEqual(sorted(placeholders(target as string)), sorted(wanted), `${where}: "${key}" keeps its placeholders`);
      assert.ok((target as string).trim() !== '', `${where}: "${key}" is translated`);
      continue;
    }
    assert.equal(typeof target, 'object', `${where}: "${key}" has plural forms`);
    const forms = target as Plural;
    assert.deepEqual(Object.keys(forms).sort(), [...categories].sort(), `${where}: "${key}" has the forms ${lang} needs`);
    // A form may leave the number to its words ("one author" written out), never add a placeholder English lacks.
    for (const form of Object.values(forms)) for (const name of placeholders(form)) assert.ok(wanted.has(name), `${where}: "${key}" invents {${name}}`);
    assert.deepEqual(sorted(placeholders(forms['other']!)), sorted(wanted), `${where}: the "other" form of "${key}" has every placeholder`);
  }
}

/** The English catalogue in `folder`; and, for each language, a test of its file against it. */
function eachLanguage(folder: URL): Catalogue {
  const english = read(folder, 'en');
  for (const lang of LANGUAGES) {
    it(`${lang}: every message, with its placeholders and the plural forms ${lang} has`, () => checkCatalogue(english, read(folder, lang), lang));
  }
  return english;
}

/** The same for a catalogue in sections (src/locales/): each section checked alone, all of English returned as one. */
function eachLanguageInParts(folder: URL): Catalogue {
  const english = read(folder, 'en') as unknown as Record<string, Catalogue>;
  for (const lang of LANGUAGES) {
    it(`${lang}: every part, every message, with its placeholders and the plural forms ${lang} has`, () => {
      const translated = read(folder, lang) as unknown as Record<string, Catalogue>;
      assert.deepEqual(Object.keys(translated), Object.keys(english), `${lang}: the same parts as English, in its order`);
      for (const part of Object.keys(english)) checkCatalogue(english[part]!, translated[part]!, lang, `${lang} (${part})`);
      // A message two parts need is in both, said the same way: a page shows whichever arrived.
      const said = new Map<string, string>();
      for (const words of Object.values(translated)) {
        for (const [key, text] of Object.entries(words)) {
          const known = said.get(key);
          assert.ok(known === undefined || known === JSON.stringify(text), `${lang}: "${key}" is said two ways in two parts`);
          said.set(key, JSON.stringify(text));
        }
      }
    });
  }
  return Object.assign({}, ...Object.values(english)) as Catalogue;
}

/** Whether `source` says `key` as a string literal, in single or double quotes. */
const says = (source: string, key: string) => source.includes(`'${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`) || source.includes(`"${key}"`);

describe('the widgets’ message catalogues (src/locales/)', () => {
  const folder = new URL('../../src/locales/', import.meta.url);
  const english = eachLanguageInParts(folder);

  it('has English and the eleven languages of the contract, one file each', () => {
    assert.deepEqual(readdirSync(folder).sort(), ['en', ...LANGUAGES].sort().map((lang) => `${lang}.json`));
  });

  it('keys each English message by its own text (a plural by its "other" form), with the forms English needs', () => {
    for (const [key, message] of Object.entries(english)) {
      if (typeof message === 'string') assert.equal(message, key);
      else {
        assert.equal(message['other'], key);
        assert.deepEqual(Object.keys(message).sort(), ['one', 'other']);
      }
    }
  });

  it('lists only messages the code says, and the code says only messages it lists (the compiler checks the second)', () => {
    const sources = readdirSync(new URL('../../src/', import.meta.url), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.startsWith('locales'))
      .map((file) => readFileSync(new URL(`../../src/${file}`, import.meta.url), 'utf8'))
      .join('\n');
    // A transcript block names itself by its type: `${type} {n}`, one message per type the model has.
    const blockNames = ['paragraph {n}', 'quote {n}', 'list {n}'];
    assert.ok(sources.includes("type']} {n}`"), 'the copy-link label is `${block type} {n}`');
    for (const key of Object.keys(english).filter((name) => !blockNames.includes(name))) {
      assert.ok(says(sources, key), `"${key}" is in en.json but no code says it`);
    }
  });

  it('fills placeholders, writing numbers the language’s way', () => {
    assert.equal(format('{count} comments', { count: 1234 }, new Intl.NumberFormat('de')), '1.234 comments');
    assert.equal(format('Reply to {author}', { author: '{not a placeholder}' }), 'Reply to {not a placeholder}');
    assert.equal(format('Reply to {author}'), 'Reply to {author}');
  });
});

describe('the moderation console’s message catalogues (src/admin/locales/)', () => {
  const english = eachLanguage(new URL('../../src/admin/locales/', import.meta.url));

  it('lists only messages the console says', () => {
    const source = readFileSync(new URL('../../src/admin/paperledge-moderation.ts', import.meta.url), 'utf8');
    for (const key of Object.keys(english)) assert.ok(says(source, key), `"${key}" is in en.json but the console never says it`);
  });
});

describe('the server’s message catalogues (server/locales/)', () => {
  eachLanguage(new URL('../../server/locales/', import.meta.url));

  it('answers in the first language of Accept-Language it has, by weight, else English', () => {
    assert.equal(readerLanguage('de-AT,de;q=0.9,en;q=0.5'), 'de-AT');
    assert.equal(readerLanguage('sv, fr;q=0.8'), 'fr');
    assert.equal(readerLanguage('en;q=0.4, ja;q=0.9'), 'ja');
    assert.equal(readerLanguage('sv'), 'en');
    assert.equal(readerLanguage('*'), 'en');
    assert.equal(readerLanguage(undefined), 'en');
    assert.equal(readerLanguage('zh-CN'), 'zh-CN');
  });

  it('says a message in the reader’s language, with the plural form and digits of that language', () => {
    assert.equal(readerText('de', 'rate_limited', { count: 1 }), 'Zu viele Anfragen in einer Minute: Warten Sie 1 Sekunde und versuchen Sie es erneut.');
    assert.equal(readerText('pl', 'rate_limited', { count: 5 }), 'Zbyt wiele żądań w ciągu minuty: odczekaj 5 sekund i spróbuj ponownie.');
    assert.equal(readerText('de', 'body_too_long', { length: 5001, limit: 5000 }), 'Der Kommentar ist 5.001 Zeichen lang; erlaubt sind 5.000.');
    assert.equal(readerText('en', 'body_too_long', { length: 5001, limit: 5000 }), undefined);
  });
});
