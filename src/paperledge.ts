/**
 * The one-script-tag bundle: registers all three elements. The episode comes
 * first so that nested credits and comments find their provider when the page
 * already holds the markup.
 */
export { PaperLedgeEpisode } from './define/paperledge-episode.js';
export { PaperLedgeCredits } from './define/paperledge-credits.js';
export { PaperLedgeComments } from './define/paperledge-comments.js';
