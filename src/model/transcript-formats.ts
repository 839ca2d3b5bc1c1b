import type { ParagraphBlock } from './episode.js';
import { EpisodeFormatError } from './errors.js';

/**
 * The transcript formats of the Podcasting 2.0 `<podcast:transcript>` tag —
 * WebVTT, SRT, the Podcasting 2.0 JSON and HTML — each read into the same
 * timed paragraph blocks. Pure string parsing: no DOM, so Node can use it too.
 */

import type { TranscriptFormat } from './transcript-detect.js';

export { type TranscriptFormat, detectTranscriptFormat } from './transcript-detect.js';

/** A new paragraph starts after a pause this long (seconds) between segments of one speaker. */
export const PARAGRAPH_PAUSE = 1.5;

function fail(message: string, line?: number): never {
  throw new EpisodeFormatError(line === undefined ? message : `line ${line}: ${message}`, line === undefined ? {} : { line });
}

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', lrm: '\u200e', rlm: '\u200f',
  mdash: '—', ndash: '–', hellip: '…', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Drops markup tags. `[^<>]` rather than `[^>]`: a `<` never closed (a hostile file of 60 KB of `<`)
 * would otherwise rescan the rest of the text from every `<`, which is quadratic.
 */
function stripTags(text: string): string {
  return text.replace(/<[^<>]*>/g, '');
}

/** `01:02:03.500`, `02:03.500` (WebVTT may leave out hours) or SRT's `01:02:03,500`, in seconds. */
export function parseTimestamp(text: string): number | undefined {
  const match = /^(?:(\d+):)?([0-5]\d):([0-5]\d)[.,](\d{3})$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1] ?? 0) * 3600 + Number(match[2]) * 60 + Number(match[3]) + Number(match[4]) / 1000;
}

interface Cue {
  start: number;
  end: number;
  speaker?: string;
  text: string;
}

function timings(line: string, lineNumber: number, format: 'WebVTT' | 'SRT'): { start: number; end: number } {
  const [left, right] = line.split('-->');
  // WebVTT cue settings (`align:start position:10%`) follow the end time.
  const start = parseTimestamp(left ?? '');
  const end = parseTimestamp((right ?? '').trim().split(/\s+/)[0] ?? '');
  const example = format === 'SRT' ? '00:01:02,500 --> 00:01:05,000' : '00:01:02.500 --> 00:01:05.000';
  if (start === undefined || end === undefined) fail(`expected cue timings like "${example}", got "${line.trim()}"`, lineNumber);
  if (end < start) fail(`the cue ends (${right?.trim()}) before it starts (${left?.trim()})`, lineNumber);
  return { start, end };
}

function lines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

/** WebVTT: cue ids, settings, multi-line cues, `<v Speaker>` voices; NOTE, STYLE and REGION blocks skipped. */
export function parseWebVtt(text: string): Cue[] {
  const all = lines(text);
  if (!/^WEBVTT(?:[ \t].*)?$/.test(all[0] ?? '')) fail('a WebVTT file must start with "WEBVTT"', 1);
  const cues: Cue[] = [];
  // Header lines (`Kind: captions`) run until the first blank line.
  let i = 1;
  while (i < all.length && all[i]!.trim() !== '') i++;
  while (i < all.length) {
    const line = all[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (/^(NOTE|STYLE|REGION)(\s|$)/.test(line)) {
      while (i < all.length && all[i]!.trim() !== '') i++;
      continue;
    }
    // An optional cue identifier, then the timings line.
    let timingLine = i;
    if (!line.includes('-->')) timingLine = i + 1;
    if (!all[timingLine]?.includes('-->')) fail(`expected cue timings after "${line.trim()}"`, timingLine + 1);
    const { start, end } = timings(all[timingLine]!, timingLine + 1, 'WebVTT');
    const payload: string[] = [];
    i = timingLine + 1;
    while (i < all.length && all[i]!.trim() !== '') {
      // Cue text cannot contain "-->": WebVTT reads such a line as the next cue's timings.
      if (all[i]!.includes('-->')) {
        const [left] = all[i]!.split('-->');
        if (parseTimestamp(left ?? '') === undefined) {
          fail('cue text cannot contain "-->" (WebVTT reads it as the start of a new cue); write it as "--&gt;"', i + 1);
        }
        break;
      }
      payload.push(all[i++]!);
    }
    const raw = payload.join('\n');
    const voice = /<v(?:\.[^\s<>]*)?\s+([^<>]+)>/.exec(raw);
    const body = clean(decodeEntities(stripTags(raw)));
    if (body !== '') cues.push({ start, end, text: body, ...(voice ? { speaker: clean(voice[1]!) } : {}) });
  }
  return cues;
}

/** SRT: numbered cues, comma decimal separator, `Name:` speaker prefixes. */
export function parseSrt(text: string): Cue[] {
  const all = lines(text);
  const cues: Cue[] = [];
  let i = 0;
  while (i < all.length) {
    if (all[i]!.trim() === '') {
      i++;
      continue;
    }
    let timingLine = i;
    if (/^\d+\s*$/.test(all[i]!)) timingLine = i + 1;
    if (!all[timingLine]?.includes('-->')) fail(`expected a cue number and timings, got "${all[i]!.trim()}"`, timingLine + 1);
    const { start, end } = timings(all[timingLine]!, timingLine + 1, 'SRT');
    const payload: string[] = [];
    i = timingLine + 1;
    while (i < all.length && all[i]!.trim() !== '') payload.push(all[i++]!);
    let body = clean(decodeEntities(stripTags(payload.join('\n'))));
    const speaker = /^([\p{Lu}][\p{L}.'’-]*(?: [\p{L}.'’-]+){0,2}):\s+/u.exec(body);
    if (speaker) body = body.slice(speaker[0].length);
    if (body !== '') cues.push({ start, end, text: body, ...(speaker ? { speaker: speaker[1]! } : {}) });
  }
  if (cues.length === 0) fail('the SRT file has no cues');
  return cues;
}

/** Podcasting 2.0 JSON: `{version, segments: [{speaker, startTime, endTime, body}]}`. */
export function parsePodcastJson(value: unknown): Cue[] {
  const doc = value as { segments?: unknown } | null;
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.segments)) {
    fail('segments: expected the Podcasting 2.0 transcript shape {"version": "1.0.0", "segments": [...]}');
  }
  return doc.segments.map((segment: unknown, i: number): Cue => {
    const s = segment as { startTime?: unknown; endTime?: unknown; body?: unknown; speaker?: unknown } | null;
    if (typeof s !== 'object' || s === null) fail(`segments[${i}]: expected an object`);
    const { startTime: start, endTime: end, body, speaker } = s;
    if (typeof start !== 'number' || !Number.isFinite(start) || start < 0) fail(`segments[${i}].startTime: expected seconds ≥ 0`);
    if (typeof end !== 'number' || !Number.isFinite(end) || end < start) fail(`segments[${i}].endTime: expected seconds ≥ startTime`);
    if (typeof body !== 'string') fail(`segments[${i}].body: expected text`);
    return { start, end, text: body.trim(), ...(typeof speaker === 'string' && speaker.trim() ? { speaker: speaker.trim() } : {}) };
  });
}

/** Podcasting 2.0 HTML: `<cite>Speaker:</cite>`, `<time>0:00</time>`, then `<p>` paragraphs. */
export function parseTranscriptHtml(html: string): Cue[] {
  const cues: Cue[] = [];
  let speaker: string | undefined;
  let start: number | undefined;
  // One pass over the tags that matter, remembering where the open one began: linear, however the tags nest or never close.
  let open: { tag: string; from: number } | undefined;
  for (const match of html.matchAll(/<(\/?)(cite|time|p)\b[^<>]*>/gi)) {
    const tag = match[2]!.toLowerCase();
    if (match[1] === '') {
      open = { tag, from: match.index + match[0].length };
      continue;
    }
    if (open?.tag !== tag) continue;
    const content = clean(decodeEntities(stripTags(html.slice(open.from, match.index))));
    open = undefined;
    if (tag === 'cite') speaker = content.replace(/:$/, '').trim() || undefined;
    else if (tag === 'time') {
      const parts = content.split(':').map(Number);
      if (parts.some((n) => !Number.isFinite(n))) {
        fail(`<time> must hold a time like 1:02:03, got "${content}"`, html.slice(0, match.index).split('\n').length);
      }
      start = parts.reduce((sum, n) => sum * 60 + n, 0);
    } else if (content !== '') {
      cues.push({ start: start ?? 0, end: start ?? 0, text: content, ...(speaker ? { speaker } : {}) });
    }
  }
  if (cues.length === 0) fail('the HTML transcript has no <p> paragraphs');
  // HTML gives starts only: each paragraph ends where the next begins.
  for (let i = 0; i < cues.length - 1; i++) cues[i]!.end = Math.max(cues[i]!.start, cues[i + 1]!.start);
  return cues;
}

const NO_SPACE_BEFORE = /^[.,!?;:%)\]}’”'"…]/;

/**
 * Joins segments into paragraphs: one per speaker turn, broken at pauses of
 * `PARAGRAPH_PAUSE` seconds. Word-level segments become sentences this way.
 */
export function joinSegments(cues: Cue[]): ParagraphBlock[] {
  const blocks: ParagraphBlock[] = [];
  let current: ParagraphBlock | undefined;
  for (const cue of cues) {
    if (cue.text === '') continue;
    const sameTurn = current && current.speaker === cue.speaker && cue.start - (current.end ?? 0) < PARAGRAPH_PAUSE;
    if (current && sameTurn) {
      current.text += NO_SPACE_BEFORE.test(cue.text) ? cue.text : ` ${cue.text}`;
      current.end = Math.max(current.end ?? 0, cue.end);
    } else {
      current = { type: 'paragraph', text: cue.text, start: cue.start, end: cue.end, ...(cue.speaker ? { speaker: cue.speaker } : {}) };
      blocks.push(current);
    }
  }
  return blocks;
}

/** One block per cue: what WebVTT, SRT and HTML authors already cut into lines. */
function cueBlocks(cues: Cue[]): ParagraphBlock[] {
  return cues.map((cue) => ({ type: 'paragraph', text: cue.text, start: cue.start, end: cue.end, ...(cue.speaker ? { speaker: cue.speaker } : {}) }));
}

/** Reads a transcript file into timed paragraph blocks. */
export function parseTranscript(text: string, format: TranscriptFormat): ParagraphBlock[] {
  switch (format) {
    case 'vtt':
      return cueBlocks(parseWebVtt(text));
    case 'srt':
      return cueBlocks(parseSrt(text));
    case 'html':
      return cueBlocks(parseTranscriptHtml(text));
    case 'json': {
      let value: unknown;
      try {
        value = JSON.parse(text.replace(/^\uFEFF/, ''));
      } catch (error) {
        fail(`The transcript is not valid JSON: ${(error as Error).message}`);
      }
      return joinSegments(parsePodcastJson(value));
    }
  }
}
