import { createContext } from '@lit/context';
import type { Episode } from '../model/episode.js';

/**
 * The episode an enclosing `<paperledge-episode>` provides to nested credits
 * and comments. A `Symbol.for` key, so that two copies of the script on one
 * page (bundle plus npm module) still find each other.
 */
export const episodeContext = createContext<Episode | undefined>(Symbol.for('paperledge-episode'));
