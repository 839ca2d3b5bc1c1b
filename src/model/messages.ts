/**
 * Messages as both the elements and the comments server say them: `{name}` placeholders, and plural forms chosen by
 * `Intl.PluralRules`. No DOM: the same code fills a sentence in the browser and in Node.
 */

/** A message with counts: one form per CLDR plural category the language has (`Intl.PluralRules`). */
export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
/** `{name}` placeholders; a number is written in the language's digits and separators. */
export type Values = Record<string, string | number>;
export type Catalogue = Record<string, string | Plural>;

/** Fills `{name}` placeholders; numbers in the language's way (plainly without `numbers`). */
export function format(text: string, values: Values = {}, numbers?: Intl.NumberFormat): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name] ?? whole;
    return typeof value === 'number' && numbers ? numbers.format(value) : `${value}`;
  });
}

/** A message's form for `values.count` by `rules`, with its placeholders filled. */
export function pick(message: string | Plural, rules: Intl.PluralRules, values?: Values, numbers?: Intl.NumberFormat): string {
  return format(typeof message === 'string' ? message : (message[rules.select(Number(values?.['count']))] ?? message.other), values, numbers);
}

/** A language tag as `Intl` takes it (`de-at` → `de-AT`), or undefined for one that is not a language tag. */
export function canonicalLanguage(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}
