import { html } from 'lit';
import type { Author } from '../model/episode.js';
import { type FoldedText, findRanges, foldQuery, foldText, splitByRanges } from '../model/text-search.js';

/**
 * Filtering a long author list as the reader types, case- and accent-blind
 * ("sebastien" finds "Sébastien"), with the matches marked: a chunk fetched
 * when the reader first goes to the filter box.
 */
export class AuthorFilter {
  #folded: FoldedText[] = [];
  #foldedFor: Author[] | undefined;

  /** The authors whose names hold `query`; names are folded once per list. */
  shown(authors: Author[], query: string): Author[] {
    const needle = foldQuery(query);
    if (this.#foldedFor !== authors) {
      this.#folded = authors.map((author) => foldText(author.name));
      this.#foldedFor = authors;
    }
    return authors.filter((_, i) => this.#folded[i]!.folded.includes(needle));
  }

  /** The name with what matches `query` marked. */
  name(name: string, query: string) {
    const ranges = findRanges(name, query);
    return ranges.length === 0
      ? name
      : splitByRanges(name, ranges).map((piece) => (piece.match === -1 ? piece.text : html`<mark part="match">${piece.text}</mark>`));
  }
}
