/**
 * HTML character references (`&amp;`, `&#x20;`, `&copy`), decoded by the HTML
 * rules that WebVTT cue text uses: the longest known name wins, the legacy
 * names also without `;`, numeric references with HTML's replacements.
 *
 * The full table of 2,231 names is 11 KB gzip, so it is fetched only when a
 * transcript uses a name outside the few built in here.
 */

export interface ReferenceTable {
  /** The characters a name (without `;`) stands for. */
  named(name: string): string | undefined;
  /** Whether the name is also recognised without its `;` (`&amp`, `&copy`). */
  legacy(name: string): boolean;
}

const BUILT_IN: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', lrm: '\u200e', rlm: '\u200f',
  mdash: '—', ndash: '–', hellip: '…', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', copy: '©',
  AMP: '&', LT: '<', GT: '>', QUOT: '"',
};
const BUILT_IN_LEGACY = new Set(['amp', 'lt', 'gt', 'quot', 'nbsp', 'copy', 'AMP', 'LT', 'GT', 'QUOT']);

/** The references every page can decode without fetching the table. */
export const basicReferences: ReferenceTable = {
  named: (name) => (Object.hasOwn(BUILT_IN, name) ? BUILT_IN[name] : undefined),
  legacy: (name) => BUILT_IN_LEGACY.has(name),
};

/** True when `text` names a reference the built-in table does not know, so the full one is needed. */
export function needsFullTable(text: string): boolean {
  for (const match of text.matchAll(/&([A-Za-z][A-Za-z0-9]*)(;?)/g)) {
    const name = match[1]!;
    if (match[2] ? basicReferences.named(name) === undefined : !basicReferences.legacy(name)) return true;
  }
  return false;
}

let full: Promise<ReferenceTable> | undefined;

/** Every HTML named reference; one fetch per page, however many transcripts need it. */
export function loadFullTable(): Promise<ReferenceTable> {
  full ??= import('./named-references.js').then(({ NAMED, LEGACY }) => {
    const legacyNames = new Set(LEGACY);
    return { named: (name) => (Object.hasOwn(NAMED, name) ? NAMED[name] : undefined), legacy: (name) => legacyNames.has(name) };
  });
  return full;
}

/** The table `text` needs: the built-in one unless it names something else. */
export async function referencesFor(text: string): Promise<ReferenceTable> {
  return needsFullTable(text) ? loadFullTable() : basicReferences;
}

/** Windows-1252's characters for the C1 code points, as HTML maps `&#128;` and friends. */
const C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function fromCode(code: number): string {
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
  if (code >= 0x80 && code <= 0x9f) return C1[code - 0x80]!;
  return String.fromCodePoint(code);
}

const ALNUM = /[A-Za-z0-9]/;

/**
 * Reads the reference that starts at `text[at]` (an `&`). Returns what it
 * stands for and where it ends, or undefined when it is not one, in which case
 * the `&` is text.
 */
export function readReference(text: string, at: number, table: ReferenceTable): { value: string; end: number } | undefined {
  let i = at + 1;
  if (text[i] === '#') {
    i++;
    const hex = text[i] === 'x' || text[i] === 'X';
    if (hex) i++;
    const digits = (hex ? /^[0-9A-Fa-f]+/ : /^[0-9]+/).exec(text.slice(i, i + 16))?.[0];
    if (!digits) return undefined;
    let end = i + digits.length;
    // Skip any further digits: an absurdly long number is still one (out-of-range) reference.
    while (end < text.length && (hex ? /[0-9A-Fa-f]/ : /[0-9]/).test(text[end]!)) end++;
    if (text[end] === ';') end++;
    return { value: fromCode(end - i > 8 ? 0x110000 : parseInt(digits, hex ? 16 : 10)), end };
  }
  let runEnd = i;
  while (runEnd < text.length && ALNUM.test(text[runEnd]!)) runEnd++;
  if (runEnd === i) return undefined;
  const run = text.slice(i, runEnd);
  if (text[runEnd] === ';') {
    const value = table.named(run);
    if (value !== undefined) return { value, end: runEnd + 1 };
  }
  // The longest legacy name the run starts with: `&notit;` is `¬` then `it;`, as in HTML.
  for (let length = Math.min(run.length, 32); length > 0; length--) {
    const name = run.slice(0, length);
    if (table.legacy(name)) {
      const value = table.named(name);
      if (value !== undefined) return { value, end: i + length };
    }
  }
  return undefined;
}

/** Decodes every reference in `text`; anything that is not one stays as written. */
export function decodeReferences(text: string, table: ReferenceTable): string {
  if (!text.includes('&')) return text;
  let out = '';
  let from = 0;
  for (let at = text.indexOf('&'); at !== -1; at = text.indexOf('&', at + 1)) {
    const reference = readReference(text, at, table);
    if (!reference) continue;
    out += text.slice(from, at) + reference.value;
    from = reference.end;
    at = reference.end - 1;
  }
  return out + text.slice(from);
}
