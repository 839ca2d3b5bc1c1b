import type { ChaptersDocument, ParagraphBlock } from './episode.js';
import { type ReferenceTable, basicReferences, decodeReferences, referencesFor } from './character-references.js';
import { EpisodeFormatError } from './errors.js';
import { parseSrtFile } from './srt.js';
import type { TranscriptFormat } from './transcript-detect.js';
import { type TranscriptWarning, parseCueText, parseWebVttFile } from './webvtt.js';

/**
 * The transcript formats of the Podcasting 2.0 `<podcast:transcript>` tag —
 * WebVTT, SRT, the Podcasting 2.0 JSON and HTML — each read into the same
 * timed paragraph blocks, with a warning for each part that was skipped.
 * Pure string parsing: no DOM, so Node can use it too.
 */

export { type TranscriptFormat, detectTranscriptFormat } from './transcript-detect.js';
export type { TranscriptWarning } from './webvtt.js';

/** A new paragraph starts after a pause this long (seconds) between segments of one speaker. */
export const PARAGRAPH_PAUSE = 1.5;

export interface TranscriptResult {
  blocks: ParagraphBlock[];
  /** What was skipped or repaired, by line: empty for a clean file. */
  warnings: TranscriptWarning[];
}

function fail(message: string, line?: number): never {
  throw new EpisodeFormatError(line === undefined ? message : `line ${line}: ${message}`, line === undefined ? {} : { line });
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

interface Cue {
  start: number;
  end: number;
  speaker?: string;
  text: string;
}

/** WebVTT: one block per voice of each cue, so `<v Bob>Hi.</v> <v Alice>Hello.</v>` keeps both speakers. */
function webVttCues(text: string, references: ReferenceTable): { cues: Cue[]; warnings: TranscriptWarning[] } {
  const file = parseWebVttFile(text);
  const cues: Cue[] = [];
  for (const cue of file.cues) {
    const end = Math.max(cue.start, cue.end);
    for (const run of parseCueText(cue.text, references)) {
      const body = clean(run.text);
      const speaker = run.voice === undefined ? '' : clean(run.voice);
      if (body !== '') cues.push({ start: cue.start, end, text: body, ...(speaker ? { speaker } : {}) });
    }
  }
  return { cues, warnings: file.warnings };
}

/** `Name: words` at the start of a cue. */
const LABEL = /^([\p{Lu}][\p{L}.'’-]*(?: [\p{L}.'’-]+){0,2}):\s+/u;

/**
 * SRT: ASS override blocks (`{\an8}`) and tags dropped as players drop them. A `Name:` prefix counts as a speaker
 * only when it is in capitals or when two or more cues of the file carry one: "Note: the meeting is at 10." alone is
 * a sentence, not a speaker called Note.
 */
function srtCues(text: string, references: ReferenceTable): { cues: Cue[]; warnings: TranscriptWarning[] } {
  const file = parseSrtFile(text);
  const bodies = file.cues.map((cue) => clean(decodeReferences(stripTags(cue.text.replace(/\{\\[^{}]*\}/g, '')), references)));
  const labelled = bodies.filter((body) => LABEL.test(body)).length;
  const cues: Cue[] = [];
  file.cues.forEach((cue, i) => {
    let body = bodies[i]!;
    const label = LABEL.exec(body);
    const speaker = label && (labelled >= 2 || label[1] === label[1]!.toUpperCase()) ? label[1]! : undefined;
    if (speaker) body = body.slice(label![0].length);
    if (body !== '') cues.push({ start: cue.start, end: cue.end, text: body, ...(speaker ? { speaker } : {}) });
  });
  if (file.cues.length === 0) fail('the SRT file has no cues: no line like "00:01:02,500 --> 00:01:05,000"');
  return { cues, warnings: file.warnings };
}

/** Podcasting 2.0 JSON: `{version, segments: [{speaker, startTime, endTime, body}]}`; `endTime` is "if available". */
export function parsePodcastJson(value: unknown): Cue[] {
  const doc = value as { segments?: unknown } | null;
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.segments)) {
    fail('segments: expected the Podcasting 2.0 transcript shape {"version": "1.0.0", "segments": [...]}');
  }
  const cues = doc.segments.map((segment: unknown, i: number): Cue & { given: boolean } => {
    const s = segment as { startTime?: unknown; endTime?: unknown; body?: unknown; speaker?: unknown } | null;
    if (typeof s !== 'object' || s === null) fail(`segments[${i}]: expected an object`);
    const { startTime: start, endTime: end, body, speaker } = s;
    if (typeof start !== 'number' || !Number.isFinite(start) || start < 0) fail(`segments[${i}].startTime: expected seconds ≥ 0`);
    if (end !== undefined && (typeof end !== 'number' || !Number.isFinite(end) || end < start)) {
      fail(`segments[${i}].endTime: expected seconds ≥ startTime, or no endTime`);
    }
    if (typeof body !== 'string') fail(`segments[${i}].body: expected text`);
    return { start, end: end ?? start, given: end !== undefined, text: body.trim(), ...(typeof speaker === 'string' && speaker.trim() ? { speaker: speaker.trim() } : {}) };
  });
  // A segment without endTime lasts until the next one starts.
  cues.forEach((cue, i) => {
    if (!cue.given) cue.end = Math.max(cue.start, cues[i + 1]?.start ?? cue.start);
  });
  return cues.map(({ given: _given, ...cue }) => cue);
}

/** Podcasting 2.0 HTML: `<cite>Speaker:</cite>`, `<time>0:00</time>`, then `<p>` paragraphs. */
export function parseTranscriptHtml(html: string, references: ReferenceTable = basicReferences): Cue[] {
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
    const content = clean(decodeReferences(stripTags(html.slice(open.from, match.index)), references));
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

/** Reads a transcript file into timed paragraph blocks and the warnings about what it skipped. */
export function readTranscriptFile(text: string, format: TranscriptFormat, references: ReferenceTable = basicReferences): TranscriptResult {
  switch (format) {
    case 'vtt': {
      const { cues, warnings } = webVttCues(text, references);
      return { blocks: cueBlocks(cues), warnings };
    }
    case 'srt': {
      const { cues, warnings } = srtCues(text, references);
      return { blocks: cueBlocks(cues), warnings };
    }
    case 'html':
      return { blocks: cueBlocks(parseTranscriptHtml(text, references)), warnings: [] };
    case 'json': {
      let value: unknown;
      try {
        value = JSON.parse(text.replace(/^\uFEFF/, ''));
      } catch (error) {
        fail(`The transcript is not valid JSON: ${(error as Error).message}`);
      }
      return { blocks: joinSegments(parsePodcastJson(value)), warnings: [] };
    }
  }
}

/** The blocks alone, decoding only the common character references (see `readTranscript` for all of them). */
export function parseTranscript(text: string, format: TranscriptFormat, references: ReferenceTable = basicReferences): ParagraphBlock[] {
  return readTranscriptFile(text, format, references).blocks;
}

/** Reads a transcript file, fetching the full table of character references first if the file names one beyond the common few. */
export async function readTranscript(text: string, format: TranscriptFormat): Promise<TranscriptResult> {
  return readTranscriptFile(text, format, format === 'json' ? basicReferences : await referencesFor(text));
}

/** A WebVTT chapters file (`kind="chapters"`): each cue a chapter, its text the title. */
export async function readWebVttChapters(text: string): Promise<ChaptersDocument> {
  const references = await referencesFor(text);
  const { cues } = parseWebVttFile(text);
  return {
    version: '1.2.0',
    chapters: cues.map((cue) => {
      const title = clean(parseCueText(cue.text, references).map((run) => run.text).join(' '));
      return { startTime: cue.start, ...(cue.end > cue.start ? { endTime: cue.end } : {}), ...(title ? { title } : {}) };
    }),
  };
}
