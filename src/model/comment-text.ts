/**
 * How a comment's plain text is shown: lines kept, http(s) URLs as links, and
 * nothing else interpreted. Pure functions; the element turns the pieces into
 * text nodes and anchors.
 */

export interface TextRun {
  text: string;
  /** Set when the run is a link: always an http(s) URL. */
  href?: string;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence, not a URL. */
const TRAILING = /[.,;:!?)\]}'"’”]+$/;

function balancedTrailing(url: string): string {
  let trimmed = url.replace(TRAILING, '');
  // Keep a closing parenthesis the URL itself opened (Wikipedia links).
  const tail = url.slice(trimmed.length);
  if (tail.startsWith(')') && (trimmed.match(/\(/g)?.length ?? 0) > (trimmed.match(/\)/g)?.length ?? 0)) {
    trimmed += ')';
  }
  return trimmed;
}

/** Text cut into text and link runs; after `maxLinks` links the rest is one text run, and no more URLs are parsed. */
export function linkify(line: string, maxLinks = Infinity): TextRun[] {
  const runs: TextRun[] = [];
  let at = 0;
  let links = 0;
  for (const match of line.matchAll(URL_PATTERN)) {
    if (links === maxLinks) break;
    const start = match.index ?? 0;
    const url = balancedTrailing(match[0]);
    let href: string | undefined;
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') href = parsed.href;
    } catch {
      href = undefined;
    }
    if (href === undefined) continue;
    if (start > at) runs.push({ text: line.slice(at, start) });
    runs.push({ text: url, href });
    links++;
    at = start + url.length;
  }
  if (at < line.length) runs.push({ text: line.slice(at) });
  return runs;
}

/** The comment as lines of runs: every line break kept. */
export function commentLines(body: string): TextRun[][] {
  return body.split(/\r\n|\r|\n/).map((line) => linkify(line));
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

/** "3 minutes ago", "yesterday", "now": the largest unit that fits. */
export function relativeTime(date: Date, now: Date, lang = 'en'): string {
  // Building a formatter costs far more than using one: a thread of 1,000 comments shares one.
  let format = relativeFormats.get(lang);
  if (!format) relativeFormats.set(lang, (format = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' })));
  // A comment is never from the future: a later time is the reader's clock running behind the server's.
  const seconds = Math.min(0, Math.round((date.getTime() - now.getTime()) / 1000));
  if (Math.abs(seconds) < 45) return format.format(0, 'second');
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, 'second');
}
