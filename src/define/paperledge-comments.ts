import { PaperLedgeComments } from '../elements/paperledge-comments.js';

export { PaperLedgeComments };

// CMS pages load scripts twice; the second copy must be harmless.
if (!customElements.get('paperledge-comments')) customElements.define('paperledge-comments', PaperLedgeComments);

declare global {
  interface HTMLElementTagNameMap {
    'paperledge-comments': PaperLedgeComments;
  }
}
