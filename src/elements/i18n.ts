/**
 * The few words the elements say, per language, with counts chosen by
 * Intl.PluralRules. Languages without a table fall back to English words,
 * while list punctuation still follows the element's language.
 */
export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export interface Messages {
  /** The toggle's label, the same collapsed and expanded (its state is aria-expanded). */
  showAll: Plural;
  more: Plural;
  creditsLabel: string;
  filterLabel: string;
  matches: Plural;
  noMatches: string;
}

const en: Messages = {
  showAll: { one: 'The # author', other: 'All # authors' },
  more: { other: '# more' },
  creditsLabel: 'Credit to Paper authors:',
  filterLabel: 'Find an author',
  matches: { one: '# author matches', other: '# authors match' },
  noMatches: 'No author matches',
};

/** Each language but English is a file of its own, fetched only by a page in that language. */
const LANGUAGES: Record<string, () => Promise<{ messages: Messages }>> = {
  de: () => import('../locales/de.js'),
  fr: () => import('../locales/fr.js'),
};
const loaded: Record<string, Messages> = { en };

/**
 * The words of `lang` (`de-AT` reads German): at once when they are here (English always is), else English for now
 * and `whenLoaded` called once the language's file arrives.
 */
export function messagesFor(lang: string, whenLoaded: () => void): Messages {
  const code = lang.split('-')[0]!.toLowerCase();
  const known = loaded[code];
  if (known) return known;
  void LANGUAGES[code]?.().then(({ messages }) => {
    loaded[code] = messages;
    whenLoaded();
  });
  return en;
}

/** The language of the nearest `lang` attribute, English without one. */
export function languageOf(element: Element): string {
  const lang = element.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'en';
  try {
    return Intl.getCanonicalLocales(lang)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

export class Words {
  readonly lang: string;
  readonly messages: Messages;
  readonly #plural: Intl.PluralRules;
  readonly #number: Intl.NumberFormat;
  readonly #list: Intl.ListFormat;

  constructor(lang: string, messages: Messages) {
    this.lang = lang;
    this.messages = messages;
    this.#plural = new Intl.PluralRules(lang);
    this.#number = new Intl.NumberFormat(lang);
    this.#list = new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' });
  }

  count(message: Plural, n: number): string {
    const form = message[this.#plural.select(n)] ?? message.other;
    return form.replace('#', this.#number.format(n));
  }

  /** The separators Intl.ListFormat puts between `n` items: `literals[i]` goes before item `i`. */
  separators(n: number): string[] {
    const placeholders = Array.from({ length: n }, (_, i) => `\u0000${i}\u0000`);
    const literals = Array.from({ length: n }, () => '');
    let next = 0;
    for (const part of this.#list.formatToParts(placeholders)) {
      if (part.type === 'element') next += 1;
      else if (next < n) literals[next] += part.value;
    }
    return literals;
  }
}
