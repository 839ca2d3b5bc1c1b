// The moderation console's bundle (dist/admin/console.js), served by the comments server at /admin/console.js.
// It is never part of dist/paperledge.js: readers never load the owner's tools.
import { PaperLedgeModeration } from './paperledge-moderation.js';

if (!customElements.get('paperledge-moderation')) customElements.define('paperledge-moderation', PaperLedgeModeration);

declare global {
  interface HTMLElementTagNameMap {
    'paperledge-moderation': PaperLedgeModeration;
  }
}
