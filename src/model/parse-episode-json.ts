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
import { defined, fail, object, optionalResource, optionalSeconds, optionalText, optionalUrl, text } from './json-fields.js';

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
    // An inline chapters document is read (and checked) by the player, which fetches one given by URL alike: a broken
    // one costs the chapters list, never the episode.
    chapters:
      typeof doc['chapters'] === 'string'
        ? optionalResource(doc['chapters'], 'chapters')
        : doc['chapters'] === undefined
          ? undefined
          : (object(doc['chapters'], 'chapters') as unknown as ChaptersDocument),
    comments: comments && defined({ api: optionalResource(comments['api'], 'comments.api') }),
    transcript: transcript.map((block, i) => parseBlock(block, `transcript[${i}]`)),
  });
}
