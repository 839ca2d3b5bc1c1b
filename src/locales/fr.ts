import type { Messages } from '../elements/i18n.js';

/** French: fetched only by pages in that language. */
export const messages: Messages = {
  showAll: { one: 'L’auteur', other: 'Les # auteurs' },
  more: { one: '# autre', other: '# autres' },
  creditsLabel: 'Auteurs de l’article :',
  filterLabel: 'Chercher un auteur',
  matches: { one: '# auteur correspond', other: '# auteurs correspondent' },
  noMatches: 'Aucun auteur ne correspond',
};
