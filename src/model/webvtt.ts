import { type ReferenceTable, basicReferences, decodeReferences } from './character-references.js';
import { EpisodeFormatError } from './errors.js';

/**
 * WebVTT read by the W3C specification's parsing algorithms ("WebVTT parser
 * algorithm" and "WebVTT cue text parsing rules"), as browsers read a
 * `<track>`: a block that cannot be read is skipped and reported, never the
 * whole file. Cue settings, regions and style sheets are read past but not
 * kept: a transcript does not position captions on a video.
 */

/** Something in a transcript file that was skipped or repaired, and where. */
export interface TranscriptWarning {
  /** 1-based line of the file. */
  line: number;
  message: string;
}

export interface VttCue {
  id: string;
  start: number;
  end: number;
  /** The cue text as written (tags and references not yet read). */
  text: string;
  /** 1-based line of the cue's timings. */
  line: number;
}

/** A run of cue text and the voice (`<v Name>`) it is spoken in, if any. */
export interface CueRun {
  text: string;
  voice?: string;
}

const WHITESPACE = new Set(['\t', '\n', '\f', ' ']);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** The spec's "collect a WebVTT timestamp", from `at`: seconds and where it ended, or undefined. */
export function readVttTimestamp(line: string, at: number): { seconds: number; end: number } | undefined {
  let i = at;
  const digits = (): string => {
    const from = i;
    while (isDigit(line[i])) i++;
    return line.slice(from, i);
  };
  if (!isDigit(line[i])) return undefined;
  const first = digits();
  let hours = first.length !== 2 || Number(first) > 59;
  if (line[i] !== ':') return undefined;
  i++;
  const second = digits();
  if (second.length !== 2) return undefined;
  let h = 0;
  let m: number;
  let s: number;
  if (hours || line[i] === ':') {
    if (line[i] !== ':') return undefined;
    i++;
    const third = digits();
    if (third.length !== 2) return undefined;
    h = Number(first);
    m = Number(second);
    s = Number(third);
    hours = true;
  } else {
    m = Number(first);
    s = Number(second);
  }
  if (line[i] !== '.') return undefined;
  i++;
  const fraction = digits();
  if (fraction.length !== 3 || m > 59 || s > 59) return undefined;
  return { seconds: h * 3600 + m * 60 + s + Number(fraction) / 1000, end: i };
}

/** "Collect WebVTT cue timings and settings": the start and end, or undefined when the line is not a timing line. */
function readTimings(line: string): { start: number; end: number } | undefined {
  let i = 0;
  const skip = (): void => {
    while (WHITESPACE.has(line[i]!)) i++;
  };
  skip();
  const start = readVttTimestamp(line, i);
  if (!start) return undefined;
  i = start.end;
  skip();
  if (line.slice(i, i + 3) !== '-->') return undefined;
  i += 3;
  skip();
  const end = readVttTimestamp(line, i);
  if (!end) return undefined;
  // What follows is cue settings (position, alignment), which a transcript does not use.
  return { start: start.seconds, end: end.seconds };
}

const EXAMPLE = '00:01:02.500 --> 00:01:05.000';

/**
 * Reads a WebVTT file into its cues. Throws only when the file is not WebVTT
 * at all (no `WEBVTT` signature); every other problem is a warning.
 */
export function parseWebVttFile(source: string): { cues: VttCue[]; warnings: TranscriptWarning[] } {
  const input = source.replace(/\0/g, '\ufffd').replace(/\r\n?/g, '\n');
  const cues: VttCue[] = [];
  const warnings: TranscriptWarning[] = [];
  let position = input.startsWith('\ufeff') ? 1 : 0;
  const after = input[position + 6];
  if (!input.startsWith('WEBVTT', position) || (after !== undefined && after !== ' ' && after !== '\t' && after !== '\n')) {
    throw new EpisodeFormatError('line 1: a WebVTT file must start with "WEBVTT"', { line: 1 });
  }
  let lineNumber = 1;
  const lineEnd = (from: number): number => {
    const end = input.indexOf('\n', from);
    return end === -1 ? input.length : end;
  };
  // Returns the line at `position` and moves past it.
  const nextLine = (): { text: string; number: number; eof: boolean } => {
    const end = lineEnd(position);
    const line = { text: input.slice(position, end), number: lineNumber, eof: end >= input.length };
    position = end + 1;
    lineNumber++;
    return line;
  };
  nextLine();
  if (position > input.length) return { cues, warnings };

  /** The spec's "collect a WebVTT block"; cue settings, style sheets and regions are read past. */
  const collectBlock = (inHeader: boolean): void => {
    let lineCount = 0;
    let previous = { position, lineNumber };
    let buffer = '';
    let seenArrow = false;
    let cue: VttCue | undefined;
    let first = 0;
    for (;;) {
      const line = nextLine();
      lineCount++;
      if (lineCount === 1) first = line.number;
      if (line.text.includes('-->')) {
        if (!inHeader && (lineCount === 1 || (lineCount === 2 && !seenArrow))) {
          seenArrow = true;
          previous = { position, lineNumber };
          const timings = readTimings(line.text);
          if (timings) {
            cue = { id: buffer, start: timings.start, end: timings.end, text: '', line: line.number };
            buffer = '';
            if (timings.end < timings.start) {
              warnings.push({ line: line.number, message: `the cue ends before it starts ("${line.text.trim()}"); it is kept, ending where it starts` });
            }
          } else {
            cue = undefined;
            warnings.push({
              line: line.number,
              message: `"${line.text.trim()}" is not a timing line like "${EXAMPLE}"; this cue was skipped`,
            });
          }
        } else {
          position = previous.position;
          lineNumber = previous.lineNumber;
          break;
        }
      } else if (line.text === '') {
        break;
      } else {
        if (buffer !== '') buffer += '\n';
        buffer += line.text;
        previous = { position, lineNumber };
      }
      if (line.eof) break;
    }
    if (cue) {
      cue.text = buffer;
      cues.push(cue);
    } else if (!inHeader && !seenArrow && buffer !== '' && !/^(NOTE|STYLE|REGION)([ \t\n]|$)/.test(buffer)) {
      // Browsers skip such a block without a word; the publisher is told, as a cue may be missing.
      warnings.push({ line: first, message: `"${buffer.split('\n')[0]}" starts a block with no timing line like "${EXAMPLE}"; it was skipped` });
    }
  };

  if (input[position] !== '\n') collectBlock(true);
  else nextLine();
  const skipBlankLines = (): void => {
    while (input[position] === '\n') nextLine();
  };
  skipBlankLines();
  while (position < input.length) {
    collectBlock(false);
    skipBlankLines();
  }
  return { cues, warnings };
}

type Token =
  | { type: 'text'; value: string }
  | { type: 'start'; name: string; annotation: string }
  | { type: 'end'; name: string }
  | { type: 'timestamp' };

/** The spec's cue text tokenizer; classes and timestamps are read past, as nothing here uses them. */
function* tokens(text: string, references: ReferenceTable): Generator<Token> {
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '<') {
      // Text runs to the next tag, read in slices between the references in it: linear however long.
      const close = text.indexOf('<', i);
      const end = close === -1 ? text.length : close;
      yield { type: 'text', value: decodeReferences(text.slice(i, end), references) };
      i = end;
      continue;
    }
    i++;
    const c = text[i];
    if (c === '/') {
      const close = text.indexOf('>', i);
      const end = close === -1 ? text.length : close;
      yield { type: 'end', name: text.slice(i + 1, end) };
      i = end + 1;
    } else if (isDigit(c)) {
      const close = text.indexOf('>', i);
      i = close === -1 ? text.length : close + 1;
      yield { type: 'timestamp' };
    } else {
      // A start tag: a name, `.classes`, then an annotation after whitespace, up to `>` or the end.
      let j = i;
      while (j < text.length && text[j] !== '>' && text[j] !== '.' && !WHITESPACE.has(text[j]!)) j++;
      const name = text.slice(i, j);
      while (j < text.length && text[j] !== '>' && !WHITESPACE.has(text[j]!)) j++;
      let annotation = '';
      if (WHITESPACE.has(text[j]!)) {
        const close = text.indexOf('>', j);
        const end = close === -1 ? text.length : close;
        // A voice's name or a language: its first 200 characters are plenty, and a hostile "<v a<v a…" stays linear.
        annotation = decodeReferences(text.slice(j + 1, Math.min(end, j + 201)), references).trim().replace(/[\t\n\f ]+/g, ' ');
        j = end;
      }
      i = j + 1;
      yield { type: 'start', name, annotation };
    }
  }
}

const ELEMENTS = new Set(['c', 'i', 'b', 'u', 'ruby', 'rt', 'v', 'lang']);

/**
 * Reads cue text into runs of text, each with its voice: the spec's tokenizer
 * and its tree-building rules (an end tag closes only the element it names,
 * `</ruby>` also an open `<rt>`), keeping what a transcript shows.
 */
export function parseCueText(text: string, references: ReferenceTable = basicReferences): CueRun[] {
  const open: { name: string; voice?: string }[] = [];
  const runs: CueRun[] = [];
  for (const token of tokens(text, references)) {
    const current = open.at(-1);
    if (token.type === 'text') {
      let voice: string | undefined;
      for (const element of open) if (element.voice !== undefined) voice = element.voice;
      const last = runs.at(-1);
      if (last && last.voice === voice) last.text += token.value;
      else runs.push(voice === undefined ? { text: token.value } : { text: token.value, voice });
    } else if (token.type === 'start') {
      if (!ELEMENTS.has(token.name) || (token.name === 'rt' && current?.name !== 'ruby')) continue;
      open.push(token.name === 'v' ? { name: 'v', voice: token.annotation } : { name: token.name });
    } else if (token.type === 'end') {
      if (current?.name === token.name) open.pop();
      else if (token.name === 'ruby' && current?.name === 'rt') open.splice(-2, 2);
    }
  }
  return runs;
}
