// The moderation console's bundle (dist/admin/console.js), served by the comments server at /admin/console.js.
// It is never part of dist/paperledge.js: readers never load the owner's tools.
import { type Catalogue, useLanguages } from '../elements/localize.js';
import { PaperLedgeModeration } from './paperledge-moderation.js';

// The console's own words, one file a language (its one part), fetched beside the console's bundle; its page's lang
// picks one.
const LOAD: Record<string, () => Promise<{ default: Catalogue }>> = {
  ar: () => import('./locales/ar.json', { with: { type: 'json' } }),
  de: () => import('./locales/de.json', { with: { type: 'json' } }),
  es: () => import('./locales/es.json', { with: { type: 'json' } }),
  fr: () => import('./locales/fr.json', { with: { type: 'json' } }),
  it: () => import('./locales/it.json', { with: { type: 'json' } }),
  ja: () => import('./locales/ja.json', { with: { type: 'json' } }),
  ko: () => import('./locales/ko.json', { with: { type: 'json' } }),
  nl: () => import('./locales/nl.json', { with: { type: 'json' } }),
  pl: () => import('./locales/pl.json', { with: { type: 'json' } }),
  pt: () => import('./locales/pt.json', { with: { type: 'json' } }),
  zh: () => import('./locales/zh.json', { with: { type: 'json' } }),
};
useLanguages({ load: (code) => LOAD[code]?.(), here: {}, arriving: {} });

if (!customElements.get('paperledge-moderation')) customElements.define('paperledge-moderation', PaperLedgeModeration);

declare global {
  interface HTMLElementTagNameMap {
    'paperledge-moderation': PaperLedgeModeration;
  }
}
