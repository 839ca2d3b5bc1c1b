/**
 * Find-as-you-type that ignores case and accents ("sebastien" finds
 * "Sébastien"), reporting ranges in the original text so they can be marked.
 */

export interface FoldedText {
  folded: string;
  /** For each UTF-16 index of `folded` (and one past the end), the index in the original. */
  map: number[];
}

const MARKS = /\p{M}/gu;

export function foldText(text: string): FoldedText {
  let folded = '';
  const map: number[] = [];
  for (let i = 0; i < text.length; ) {
    const code = text.charCodeAt(i);
    // ASCII needs no decomposition: the fast path for most transcript text.
    if (code < 128) {
      folded += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : text[i];
      map.push(i);
      i += 1;
      continue;
    }
    const char = String.fromCodePoint(text.codePointAt(i)!);
    const base = char.normalize('NFD').replace(MARKS, '').toLowerCase();
    for (let k = 0; k < base.length; k++) map.push(i);
    folded += base;
    i += char.length;
  }
  map.push(text.length);
  return { folded, map };
}

export function foldQuery(query: string): string {
  return foldText(query.trim()).folded;
}

/** Non-overlapping `[start, end)` ranges of `query` in `text`, in order. */
export function findRanges(text: string | FoldedText, query: string): [number, number][] {
  const needle = foldQuery(query);
  if (needle === '') return [];
  const { folded, map } = typeof text === 'string' ? foldText(text) : text;
  const ranges: [number, number][] = [];
  for (let at = folded.indexOf(needle); at !== -1; at = folded.indexOf(needle, at + needle.length)) {
    ranges.push([map[at]!, map[at + needle.length]!]);
  }
  return ranges;
}

export interface TextPiece {
  text: string;
  /** The index of the match among all matches passed in, or -1 for plain text. */
  match: number;
}

/** Cuts `text` into plain and matched pieces; `firstIndex` numbers the matches across many texts. */
export function splitByRanges(text: string, ranges: readonly [number, number][], firstIndex = 0): TextPiece[] {
  const pieces: TextPiece[] = [];
  let at = 0;
  ranges.forEach(([start, end], i) => {
    if (start > at) pieces.push({ text: text.slice(at, start), match: -1 });
    pieces.push({ text: text.slice(start, end), match: firstIndex + i });
    at = end;
  });
  if (at < text.length || pieces.length === 0) pieces.push({ text: text.slice(at), match: -1 });
  return pieces;
}
