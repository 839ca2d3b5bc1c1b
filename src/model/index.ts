/** The episode model and its parsers: no DOM, runs in the browser and in Node. */
export * from './episode.js';
export * from './errors.js';
export * from './parse-episode-json.js';
export * from './parse-chapters.js';
export * from './parse-paperledge-text.js';
export * from './parse-episode.js';
export * from './parse-episode-source.js';
export * from './text-search.js';
export * from './comments.js';
export * from './comment-text.js';
export * from './time-format.js';
export * from './transcript-formats.js';
export { type CueRun, type VttCue, parseCueText, parseWebVttFile } from './webvtt.js';
export { type SrtCue, parseSrtFile } from './srt.js';
export { type ReferenceTable, basicReferences, decodeReferences, loadFullTable } from './character-references.js';
export * from './messages.js';
