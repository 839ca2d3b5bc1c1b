import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type english from '../locales/en.json';
import { type Catalogue, type Plural, type Values, canonicalLanguage, pick } from '../model/messages.js';

export { type Catalogue, type Plural, type Values, format } from '../model/messages.js';

/**
 * The words an element shows, in the language of its nearest `lang` (contract 7.6). The English text is written
 * where it is used and is its own key, so the bundle carries each sentence once; every other language is one JSON
 * file in src/locales/, keyed by that English text and fetched only by a page that uses it. Until it arrives the
 * element shows English, then switches in place. Numbers and plural forms follow the page's language even when no
 * catalogue does (`de-CH` reads German, `sv` English words with Swedish numbers). docs/languages.md has the why.
 */

/** Every English message the elements show: src/locales/en.json lists them, and the compiler checks each use. */
export type MessageKey = keyof typeof english;
/** A message as written at its use: its English text, or its English plural forms (the key is the `other` form). */
export type Message<K extends string = MessageKey> = K | (Plural & { other: K });

/**
 * A set of catalogues: how to fetch each language but English, and those here or on their way, so that a page's
 * elements ask once between them. The elements share one set; the moderation console has its own.
 */
export interface Languages {
  load: Record<string, () => Promise<{ default: Catalogue }>>;
  here: Record<string, Catalogue>;
  arriving: Record<string, Promise<Catalogue | undefined>>;
}

/** The elements' languages, each a chunk beside the bundle. `zh` is Simplified Chinese. */
const LOAD: Languages['load'] = {
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
let languages: Languages = { load: LOAD, here: {}, arriving: {} };

/** The moderation console speaks from catalogues of its own: its bundle says so once, before its element starts. */
export function useLanguages(set: Languages): void {
  languages = set;
}

const ENGLISH_PLURALS = new Intl.PluralRules('en');

/** A message in English, as the console and events say it. */
export const inEnglish = (message: Message, values?: Values): string => pick(message, ENGLISH_PLURALS, values);

/** The language of the nearest `lang` attribute, else the document's, else English. */
export function languageOf(element: Element): string {
  return canonicalLanguage((element.closest<HTMLElement>('[lang]') ?? document.documentElement).lang || 'en') ?? 'en';
}

/** Every connected localizer, told when a `lang` changes anywhere on the page. */
const connected = new Set<Localizer<string>>();
let observer: MutationObserver | undefined;

export class Localizer<K extends string = MessageKey> implements ReactiveController {
  /** The page's language at this element, as `Intl` takes it (set once connected, before the first render). */
  declare lang: string;
  readonly #host: ReactiveControllerHost & HTMLElement;
  #words: Catalogue | undefined;
  #numbers!: Intl.NumberFormat;
  #plurals!: Intl.PluralRules;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    connected.add(this);
    if (!observer) {
      observer = new MutationObserver(() => connected.forEach((localizer) => localizer.#check()));
      observer.observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ['lang'] });
    }
    this.#check();
  }

  hostDisconnected(): void {
    connected.delete(this);
  }

  /** The language at the host now (moved elements reconnect, so connecting and the observer see every change). */
  #check(): void {
    const host = this.#host;
    const lang = languageOf(host);
    if (lang === this.lang) return;
    const code = lang.split('-')[0]!;
    this.lang = lang;
    this.#numbers = new Intl.NumberFormat(lang);
    this.#plurals = new Intl.PluralRules(lang);
    const { load, here, arriving } = languages;
    this.#words = here[code];
    host.requestUpdate();
    if (!load[code] || this.#words) return;
    // A language whose file cannot be fetched stays English: the element still works.
    arriving[code] ??= load[code]().then(
      ({ default: words }) => (here[code] = words),
      () => undefined,
    );
    void arriving[code].then((words) => {
      if (!words || this.lang !== lang) return;
      this.#words = words;
      host.requestUpdate();
    });
  }

  /** `message` in this element's language, with its placeholders filled; a plural message by `values.count`. */
  t(message: Message<K>, values?: Values): string {
    const translated = this.#words?.[typeof message === 'string' ? message : message.other];
    // English forms are chosen by English rules, whatever the page's language: "1 comment", never "0 comment".
    return translated ? pick(translated, this.#plurals, values, this.#numbers) : pick(message, ENGLISH_PLURALS, values, this.#numbers);
  }
}
