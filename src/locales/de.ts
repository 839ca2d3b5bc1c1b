import type { Messages } from '../elements/i18n.js';

/** German: fetched only by pages in that language. */
export const messages: Messages = {
  showAll: { one: 'Der # Autor', other: 'Alle # Autoren' },
  more: { other: '# weitere' },
  creditsLabel: 'Autoren des Papers:',
  filterLabel: 'Autor suchen',
  matches: { one: '# Autor passt', other: '# Autoren passen' },
  noMatches: 'Kein Autor passt',
};
