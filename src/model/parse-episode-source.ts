import type { Episode } from './episode.js';
import { type EpisodeSourceOptions, episodeFromTranscript, parseEpisodeDocument } from './parse-episode.js';
import { detectTranscriptFormat } from './transcript-detect.js';
import { parseTranscript } from './transcript-formats.js';

/**
 * Reads an episode file whatever its format, synchronously, with every reader
 * loaded: for Node (the comments server) and apps that bundle the model.
 */
export function parseEpisodeSource(source: string, options: EpisodeSourceOptions = {}): Episode {
  const text = source.replace(/^\uFEFF/, '');
  const format = detectTranscriptFormat(text, options.contentType);
  return format ? episodeFromTranscript(parseTranscript(text, format), options) : parseEpisodeDocument(text, options);
}
