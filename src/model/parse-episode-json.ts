import {
  type Author,
  type ChaptersDocument,
  type Episode,
  type EpisodeAudio,
  type Paper,
  type TranscriptBlock,
  isEpisodeId,
  isHttpUrl,
} from './episode.js';
import { EpisodeFormatError } from './errors.js';

type Json = Record<string, unknown>;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function fail(field: string, expected: string, value: unknown): never {
  throw new EpisodeFormatError(`${field}: expected ${expected}, got ${describe(value)}`, { field });
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, field: string): Json {
  if (!isObject(value)) fail(field, 'an object', value);
  return value;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(field, 'a non-empty string', value);
  return value;
}

function optionalText(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : text(value, field);
}

function optionalUrl(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isHttpUrl(value)) fail(field, 'an absolute http(s) URL', value);
  return value;
}

/** Audio and APIs may be given relative to the page, so only the scheme is checked. */
function optionalResource(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  const base = 'https://relative.invalid/';
  if (typeof value !== 'string' || value.trim() === '' || !isHttpUrl(value, base)) {
    fail(field, 'an http(s) URL', value);
  }
  return value;
}

function optionalSeconds(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(field, 'a number of seconds ≥ 0', value);
  }
  return value;
}

/** Sets only the keys whose value is defined, so parsed objects compare cleanly. */
function defined<T extends object>(record: T): T {
  for (const key of Object.keys(record) as (keyof T)[]) {
    if (record[key] === undefined) delete record[key];
  }
  return record;
}

function parseBlock(value: unknown, field: string): TranscriptBlock {
  const block = object(value, field);
  const timing = {
    start: optionalSeconds(block['start'], `${field}.start`),
    end: optionalSeconds(block['end'], `${field}.end`),
    speaker: optionalText(block['speaker'], `${field}.speaker`),
  };
  if (timing.start !== undefined && timing.end !== undefined && timing.end < timing.start) {
    fail(`${field}.end`, `a time ≥ start (${timing.start})`, timing.end);
  }
  const type = block['type'];
  switch (type) {
    case 'paragraph':
    case 'quote':
      return defined({ type, text: text(block['text'], `${field}.text`), ...timing });
    case 'list': {
      const items = block['items'];
      if (!Array.isArray(items) || items.length === 0) fail(`${field}.items`, 'a non-empty array of strings', items);
      return defined({ type, items: items.map((item, i) => text(item, `${field}.items[${i}]`)), ...timing });
    }
    default:
      return fail(`${field}.type`, '"paragraph" | "quote" | "list"', type);
  }
}

function parseAuthor(value: unknown, field: string): Author {
  if (typeof value === 'string') return { name: text(value, field) };
  const author = object(value, field);
  return defined({ name: text(author['name'], `${field}.name`), url: optionalUrl(author['url'], `${field}.url`) });
}

function parsePaper(value: unknown): Paper | undefined {
  if (value === undefined) return undefined;
  const paper = object(value, 'paper');
  const authors = paper['authors'];
  if (authors !== undefined && !Array.isArray(authors)) fail('paper.authors', 'an array of names', authors);
  return defined({
    title: optionalText(paper['title'], 'paper.title'),
    url: optionalUrl(paper['url'], 'paper.url'),
    authors: authors?.map((author, i) => parseAuthor(author, `paper.authors[${i}]`)),
  });
}

function parseAudio(value: unknown): EpisodeAudio | undefined {
  if (value === undefined) return undefined;
  const audio = object(value, 'audio');
  const src = optionalResource(audio['src'], 'audio.src');
  if (src === undefined) fail('audio.src', 'an http(s) URL', undefined);
  return defined({ src, type: optionalText(audio['type'], 'audio.type') });
}

/**
 * A Podcasting 2.0 JSON chapters document, validated as the spec shapes it: `version`, and `chapters` each with a
 * `startTime`; the other fields optional. Used for inline chapters and for a chapters file alike.
 */
export function parseChaptersJson(value: unknown, field = 'chapters'): ChaptersDocument {
  const doc = object(value, field);
  const chapters = doc['chapters'];
  if (!Array.isArray(chapters)) fail(`${field}.chapters`, 'an array of chapters', chapters);
  return {
    version: typeof doc['version'] === 'string' ? doc['version'] : '1.2.0',
    chapters: chapters.map((value, i) => {
      const at = `${field}.chapters[${i}]`;
      const chapter = object(value, at);
      const startTime = optionalSeconds(chapter['startTime'], `${at}.startTime`);
      if (startTime === undefined) fail(`${at}.startTime`, 'a number of seconds ≥ 0', undefined);
      const toc = chapter['toc'];
      if (toc !== undefined && typeof toc !== 'boolean') fail(`${at}.toc`, 'true or false', toc);
      return defined({
        startTime,
        title: optionalText(chapter['title'], `${at}.title`),
        endTime: optionalSeconds(chapter['endTime'], `${at}.endTime`),
        url: optionalUrl(chapter['url'], `${at}.url`),
        toc: toc as boolean | undefined,
      });
    }),
  };
}

/**
 * Validates an episode document (already parsed from JSON) and returns a typed
 * Episode. Authors given as bare names come back as `{name}` objects; unknown
 * keys are dropped. Throws {@link EpisodeFormatError} naming the first field
 * that breaks the shape.
 */
export function parseEpisodeJson(value: unknown, options: { requireTranscript?: boolean } = {}): Episode {
  const doc = object(value, 'episode');
  const id = doc['id'];
  if (!isEpisodeId(id)) fail('id', 'an episode id of lowercase letters, digits and dashes (like "deepseek-v3")', id);
  // An episode whose transcript comes from a separate file (the `transcript` attribute) may leave it out.
  const transcript = doc['transcript'] === undefined && options.requireTranscript === false ? [] : doc['transcript'];
  if (!Array.isArray(transcript)) fail('transcript', 'an array of blocks', transcript);
  const comments = doc['comments'] === undefined ? undefined : object(doc['comments'], 'comments');
  return defined({
    id,
    title: text(doc['title'], 'title'),
    show: optionalText(doc['show'], 'show'),
    host: optionalText(doc['host'], 'host'),
    published: optionalText(doc['published'], 'published'),
    paper: parsePaper(doc['paper']),
    audio: parseAudio(doc['audio']),
    chapters: typeof doc['chapters'] === 'string' ? optionalResource(doc['chapters'], 'chapters') : doc['chapters'] === undefined ? undefined : parseChaptersJson(doc['chapters']),
    comments: comments && defined({ api: optionalResource(comments['api'], 'comments.api') }),
    transcript: transcript.map((block, i) => parseBlock(block, `transcript[${i}]`)),
  });
}
