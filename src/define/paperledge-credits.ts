import { PaperLedgeCredits } from '../elements/paperledge-credits.js';

export { PaperLedgeCredits };

// CMS pages load scripts twice; the second copy must be harmless.
if (!customElements.get('paperledge-credits')) customElements.define('paperledge-credits', PaperLedgeCredits);

declare global {
  interface HTMLElementTagNameMap {
    'paperledge-credits': PaperLedgeCredits;
  }
}
