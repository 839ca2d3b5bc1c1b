import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type english from '../locales/en.json';
import { type Catalogue, type Plural, type Values, canonicalLanguage, pick } from '../model/messages.js';
import { loadPart } from './locale-files.js';

export { type Catalogue, type Plural, type Values, format } from '../model/messages.js';

/**
 * The words an element shows, in the language of its nearest `lang` (contract 7.6). The English text is written
 * where it is used and is its own key, so the bundle carries each sentence once; every other language is one JSON
 * file in src/locales/ for translators, a section a part of the page (the episode, its player, the credits, the
 * comment box, its form, …), and pages fetch each part they show as its own small file beside the bundle
 * (`locales/de/comments.js`), only once they show it. Until it arrives the element shows English, then switches in
 * place. Numbers and plural forms follow the page's language even when no catalogue does (`de-CH` reads German,
 * `sv` English words with Swedish numbers). docs/languages.md has the why.
 */

type English = typeof english;
/** A part of the words, fetched on its own: a section of src/locales/en.json. */
export type Part = keyof English;
/** Every English message the elements show: src/locales/en.json lists them, and the compiler checks each use. */
export type MessageKey = { [P in Part]: keyof English[P] & string }[Part];
/** A message as written at its use: its English text, or its English plural forms (the key is the `other` form). */
export type Message<K extends string = MessageKey> = K | (Plural & { other: K });

/**
 * A set of catalogues: how to fetch a part of each language but English, and what is here or on its way, so that a
 * page's elements ask once between them. The elements share one set; the moderation console has its own.
 */
export interface Languages {
  /** One part of a language's words; undefined for a language with no file. */
  load(code: string, part: string): Promise<{ default: Catalogue }> | undefined;
  /** Each language's words so far: the parts that arrived, together. */
  here: Record<string, Catalogue>;
  /** The parts asked for, by `code/part`; undefined once arrived, or for one that could not be fetched. */
  arriving: Record<string, Promise<Catalogue | undefined>>;
}

let languages: Languages = { load: loadPart, here: {}, arriving: {} };

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

/**
 * A language's number format and plural rules, made once for the page's elements, not once each: the first `Intl`
 * formatter a page makes loads the browser's locale data, the costliest step of the elements' start (about 14 ms on
 * this machine, four times that at Lighthouse's phone slowdown).
 */
const formats: Record<string, [Intl.NumberFormat, Intl.PluralRules]> = {};

/** Every connected localizer, told when a `lang` changes anywhere on the page. */
const connected = new Set<Localizer<string>>();
let observer: MutationObserver | undefined;

export class Localizer<K extends string = MessageKey> implements ReactiveController {
  /** The page's language at this element, as `Intl` takes it (set once connected, before the first render). */
  declare lang: string;
  readonly #host: ReactiveControllerHost & HTMLElement;
  /** The parts of the words this element shows now: it fetches each in its language. */
  readonly #parts: Set<string>;
  #words: Catalogue | undefined;
  #numbers!: Intl.NumberFormat;
  #plurals!: Intl.PluralRules;

  constructor(host: ReactiveControllerHost & HTMLElement, parts: string[]) {
    this.#host = host;
    this.#parts = new Set(parts);
    host.addController(this);
  }

  /** Adds a part of the words once the element shows it (the comment form, an error): fetched now in its language. */
  need(part: Part): void {
    if (this.#parts.has(part)) return;
    this.#parts.add(part);
    if (this.lang) this.#fetch(part);
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
    this.lang = lang;
    [this.#numbers, this.#plurals] = formats[lang] ??= [new Intl.NumberFormat(lang), new Intl.PluralRules(lang)];
    this.#words = languages.here[lang.split('-')[0]!];
    host.requestUpdate();
    for (const part of this.#parts) this.#fetch(part);
  }

  /** Fetches a part in this element's language, once for the page, and shows it when it arrives. */
  #fetch(part: string): void {
    const lang = this.lang;
    const code = lang.split('-')[0]!;
    const { load, here, arriving } = languages;
    const key = `${code}/${part}`;
    // A part that cannot be fetched stays English: the element still works.
    const asked = (arriving[key] ??= load(code, part)?.then(
      ({ default: words }) => (here[code] = { ...here[code], ...words }),
      () => undefined,
    ) ?? Promise.resolve(undefined));
    void asked.then((words) => {
      if (!words || this.lang !== lang) return;
      this.#words = here[code];
      this.#host.requestUpdate();
    });
  }

  /** `message` in this element's language, with its placeholders filled; a plural message by `values.count`. */
  t(message: Message<K>, values?: Values): string {
    const translated = this.#words?.[typeof message === 'string' ? message : message.other];
    // English forms are chosen by English rules, whatever the page's language: "1 comment", never "0 comment".
    return translated ? pick(translated, this.#plurals, values, this.#numbers) : pick(message, ENGLISH_PLURALS, values, this.#numbers);
  }
}
