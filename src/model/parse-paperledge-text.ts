import { type Author, type Episode, type TranscriptBlock } from './episode.js';
import { EpisodeFormatError } from './errors.js';

/** The line the published page puts before the comma-separated author names. */
export const CREDITS_PREFIX = 'Credit to Paper authors:';
/** The published page's empty comments state: page furniture, not transcript. */
export const EMPTY_COMMENTS_TEXT = 'No comments yet. Be the first to say something!';

export interface PaperLedgeTextOptions {
  /** Page text carries no id; the element passes one from its attribute or the file name. */
  id?: string;
  /** Page text carries no title either. */
  title?: string;
}

export const DEFAULT_EPISODE_ID = 'episode';
export const DEFAULT_EPISODE_TITLE = 'PaperLedge episode';

const QUOTE_PAIRS: Record<string, string> = { '"': '"', '“': '”', '„': '“', '«': '»' };

/** A line wholly inside one pair of double quotes, with no other double quote in it. */
function unquote(line: string): string | undefined {
  const close = QUOTE_PAIRS[line[0] ?? ''];
  if (close === undefined || line.length < 3 || !line.endsWith(close)) return undefined;
  const inner = line.slice(1, -1);
  return /["“”„«»]/.test(inner) ? undefined : inner.trim() || undefined;
}

/**
 * Names from a comma-separated list, kept exactly, in order, duplicates included.
 * An item that is only an ellipsis (`…`, `...`) or `etc.` marks a shortened list,
 * as in a pasted snippet, and is not an author.
 */
export function splitAuthorNames(list: string): string[] {
  return list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && !/^(?:…|\.{3}|etc\.?)$/i.test(name));
}

/** Splits the credits line into authors. */
export function parseCreditsLine(line: string): Author[] | undefined {
  const trimmed = line.trim();
  if (!trimmed.toLowerCase().startsWith(CREDITS_PREFIX.toLowerCase())) return undefined;
  return splitAuthorNames(trimmed.slice(CREDITS_PREFIX.length)).map((name) => ({ name }));
}

function refuseUnreadable(text: string): void {
  if (text.trim() === '') {
    throw new EpisodeFormatError('The episode text is empty: expected the PaperLedge transcript, one paragraph per line.');
  }
  // U+FFFD is what a decoder leaves for bytes that were not UTF-8 text.
  const binary = text.search(/[\u0000-\u0008\u000E-\u001F\uFFFD]/);
  if (binary !== -1) {
    const line = text.slice(0, binary).split('\n').length;
    throw new EpisodeFormatError(
      `The episode file is not text (binary data on line ${line}): expected PaperLedge page text or episode JSON.`,
      { line },
    );
  }
  if (/^\s*<(!doctype|html|head|body)\b/i.test(text)) {
    throw new EpisodeFormatError(
      'The episode URL returned an HTML page, not PaperLedge page text or episode JSON: check that `src` points at the episode file.',
      { line: 1 },
    );
  }
}

/**
 * Reads PaperLedge page text as published: one block per line; a line wholly in
 * double quotes is a quote; consecutive `- ` lines are one list; the
 * `Credit to Paper authors:` line gives the paper's authors; the empty comments
 * line is dropped. Tolerates a BOM, CRLF, blank lines and trailing spaces.
 */
export function parsePaperLedgeText(text: string, options: PaperLedgeTextOptions = {}): Episode {
  if (typeof text !== 'string') {
    throw new EpisodeFormatError(`Expected the episode as text, got ${text === null ? 'null' : typeof text}.`);
  }
  const source = text.replace(/^\uFEFF/, '');
  refuseUnreadable(source);

  const transcript: TranscriptBlock[] = [];
  let authors: Author[] | undefined;
  let list: string[] | undefined;

  for (const raw of source.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    const item = /^-\s+(.*)$/.exec(line)?.[1];
    if (item !== undefined && item.trim() !== '') {
      if (list === undefined) {
        list = [];
        transcript.push({ type: 'list', items: list });
      }
      list.push(item.trim());
      continue;
    }
    // A blank line does not end a list: the published text is one block per line, blanks are noise.
    if (line === '') continue;
    list = undefined;
    if (line === EMPTY_COMMENTS_TEXT) continue;
    const credits = parseCreditsLine(line);
    if (credits !== undefined) {
      authors = [...(authors ?? []), ...credits];
      continue;
    }
    const quote = unquote(line);
    transcript.push(quote === undefined ? { type: 'paragraph', text: line } : { type: 'quote', text: quote });
  }

  if (transcript.length === 0) {
    throw new EpisodeFormatError(
      'The episode text has no transcript: only the credits or comments lines were found.',
    );
  }
  const episode: Episode = {
    id: options.id ?? DEFAULT_EPISODE_ID,
    title: options.title ?? DEFAULT_EPISODE_TITLE,
    show: 'PaperLedge',
    transcript,
  };
  if (authors !== undefined) episode.paper = { authors };
  return episode;
}
