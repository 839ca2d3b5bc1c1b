import { PaperLedgeEpisode } from '../elements/paperledge-episode.js';

export { PaperLedgeEpisode };

// CMS pages load scripts twice; the second copy must be harmless.
if (!customElements.get('paperledge-episode')) customElements.define('paperledge-episode', PaperLedgeEpisode);

declare global {
  interface HTMLElementTagNameMap {
    'paperledge-episode': PaperLedgeEpisode;
  }
}
