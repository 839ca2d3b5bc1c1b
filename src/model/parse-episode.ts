import type { Episode, TranscriptBlock } from './episode.js';
import { EpisodeFormatError } from './errors.js';
import { parseEpisodeJson } from './parse-episode-json.js';
import {
  DEFAULT_EPISODE_ID,
  DEFAULT_EPISODE_TITLE,
  type PaperLedgeTextOptions,
  parsePaperLedgeText,
} from './parse-paperledge-text.js';
import { detectTranscriptFormat, type TranscriptFormat } from './transcript-detect.js';

export interface EpisodeSourceOptions extends PaperLedgeTextOptions {
  /** The response's `Content-Type`, if it came over HTTP. */
  contentType?: string | null;
  /** False when the transcript comes from elsewhere, so episode JSON may leave it out. */
  requireTranscript?: boolean;
  /**
   * Where the episode was read from. Relative URLs in it (`audio.src`,
   * `comments.api`) resolve against it, as in any fetched document, so one
   * episode file works on every page that embeds it.
   */
  baseUrl?: string;
}

/** Reads a transcript file into blocks: `parseTranscript`, passed in so that callers choose how it is loaded. */
export type TranscriptReader = (text: string, format: TranscriptFormat) => TranscriptBlock[] | Promise<TranscriptBlock[]>;

/**
 * Reads an episode file whatever its format: a transcript file (WebVTT, SRT,
 * Podcasting 2.0 JSON or HTML) through `readTranscript`, episode JSON when it is
 * served as JSON or looks like JSON, PaperLedge page text otherwise. `id` and
 * `title` fill in what page text lacks and override what JSON says. The
 * elements pass a reader they import on demand, so pages without transcript
 * files never load it; `parseEpisodeSource` is the same, synchronous.
 */
export async function readEpisodeSource(source: string, options: EpisodeSourceOptions, readTranscript: TranscriptReader): Promise<Episode> {
  const text = source.replace(/^\uFEFF/, '');
  const format = detectTranscriptFormat(text, options.contentType);
  return format ? episodeFromTranscript(await readTranscript(text, format), options) : parseEpisodeDocument(text, options);
}

/** An episode of timed blocks read from a transcript file on its own. */
export function episodeFromTranscript(transcript: TranscriptBlock[], options: EpisodeSourceOptions = {}): Episode {
  return { id: options.id ?? DEFAULT_EPISODE_ID, title: options.title ?? DEFAULT_EPISODE_TITLE, transcript };
}

/** Episode JSON or PaperLedge page text (not a transcript file). */
export function parseEpisodeDocument(source: string, options: EpisodeSourceOptions = {}): Episode {
  const text = source.replace(/^\uFEFF/, '');
  const servedAsJson = /\bjson\b/i.test(options.contentType ?? '');
  if (servedAsJson || /^\s*\{/.test(text)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new EpisodeFormatError(`The episode is not valid JSON: ${reason}`);
    }
    return episodeFromJson(value, options);
  }
  return parsePaperLedgeText(text, options);
}

/** Validates an episode document already parsed from JSON; `id` and `title` override what it says. */
export function episodeFromJson(value: unknown, options: EpisodeSourceOptions = {}): Episode {
  const episode = parseEpisodeJson(value, { requireTranscript: options.requireTranscript ?? true });
  if (options.id !== undefined) episode.id = options.id;
  if (options.title !== undefined) episode.title = options.title;
  const base = options.baseUrl;
  if (base !== undefined) {
    if (episode.audio) episode.audio.src = new URL(episode.audio.src, base).href;
    if (typeof episode.chapters === 'string') episode.chapters = new URL(episode.chapters, base).href;
    if (episode.comments?.api !== undefined) episode.comments.api = new URL(episode.comments.api, base).href;
  }
  return episode;
}
