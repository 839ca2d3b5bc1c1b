/**
 * The package's main entry: the element classes without registering them, the
 * episode model and parsers, the comments API client, and the event types.
 * Import `paperledge-widgets/define/paperledge-episode.js` (and so on) to
 * register a tag, or load `dist/paperledge.js` to register all three.
 */
export { PaperLedgeEpisode } from './elements/paperledge-episode.js';
export { PaperLedgeCredits } from './elements/paperledge-credits.js';
export { PaperLedgeComments } from './elements/paperledge-comments.js';
export { episodeContext } from './elements/context.js';
export type * from './elements/events.js';
export * from './model/index.js';
export * from './client/comments-api.js';
