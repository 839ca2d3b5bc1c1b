/**
 * The few words the elements say, per language, with counts chosen by
 * Intl.PluralRules. Languages without a table fall back to English words,
 * while list punctuation still follows the element's language.
 */
type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

interface Messages {
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

const tables: Record<string, Messages> = {
  en,
  de: {
    showAll: { one: 'Der # Autor', other: 'Alle # Autoren' },
    more: { other: '# weitere' },
    creditsLabel: 'Autoren des Papers:',
    filterLabel: 'Autor suchen',
    matches: { one: '# Autor passt', other: '# Autoren passen' },
    noMatches: 'Kein Autor passt',
  },
  fr: {
    showAll: { one: 'L’auteur', other: 'Les # auteurs' },
    more: { one: '# autre', other: '# autres' },
    creditsLabel: 'Auteurs de l’article :',
    filterLabel: 'Chercher un auteur',
    matches: { one: '# auteur correspond', other: '# auteurs correspondent' },
    noMatches: 'Aucun auteur ne correspond',
  },
};

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

  constructor(lang: string) {
    this.lang = lang;
    this.messages = tables[lang.split('-')[0]!.toLowerCase()] ?? en;
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
