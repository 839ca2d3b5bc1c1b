import { html } from 'lit';
import type { Episode } from '../model/episode.js';
import { type FoldedText, findRanges, foldText, splitByRanges } from '../model/text-search.js';

interface Segment {
  block: number;
  /** The list item, or -1 for a paragraph or quote. */
  item: number;
  folded: FoldedText;
}

/** What the matcher steps: the find box's state (`transcript-find.ts`). */
export interface FindState {
  query: string;
  current: number;
  reveal: boolean;
  matches(): Matches;
  requestUpdate(): void;
}

export interface Matches {
  /** Ranges per segment key `block:item`. */
  ranges: Map<string, [number, number][]>;
  /** The number of the first match of each segment, counted across the transcript. */
  firstIndex: Map<string, number>;
  total: number;
}

/**
 * The matching half of find in transcript (case- and accent-blind), a chunk
 * fetched when the reader first goes to the find box: most readers never search.
 */
export class Matcher {
  #segments: { episode: Episode; segments: Segment[] } | undefined;
  #last: { query: string; episode: Episode; result: Matches } | undefined;

  matches(episode: Episode, query: string): Matches {
    const cached = this.#last;
    if (cached && cached.query === query && cached.episode === episode) return cached.result;
    const ranges = new Map<string, [number, number][]>();
    const firstIndex = new Map<string, number>();
    let total = 0;
    if (query.trim() !== '') {
      // Folded once per episode, on its first search.
      if (this.#segments?.episode !== episode) {
        this.#segments = {
          episode,
          segments: episode.transcript.flatMap((block, index) =>
            block.type === 'list'
              ? block.items.map((item, i) => ({ block: index, item: i, folded: foldText(item) }))
              : [{ block: index, item: -1, folded: foldText(block.text) }],
          ),
        };
      }
      for (const segment of this.#segments.segments) {
        const found = findRanges(segment.folded, query);
        if (found.length === 0) continue;
        const key = `${segment.block}:${segment.item}`;
        ranges.set(key, found);
        firstIndex.set(key, total);
        total += found.length;
      }
    }
    const result = { ranges, firstIndex, total };
    this.#last = { query, episode, result };
    return result;
  }

  /** `text` with its matches marked; `key` is its segment's `block:item`. */
  mark(text: string, key: string, matches: Matches, current: number) {
    const ranges = matches.ranges.get(key);
    if (!ranges) return text;
    return splitByRanges(text, ranges, matches.firstIndex.get(key)).map((piece) => {
      if (piece.match === -1) return piece.text;
      const isCurrent = piece.match === current;
      return html`<mark part=${isCurrent ? 'match current-match' : 'match'} class=${isCurrent ? 'current' : ''}>${piece.text}</mark>`;
    });
  }

  /** Enter and Shift+Enter step through the matches; Escape clears the box. */
  key(find: FindState, event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      this.step(find, event.shiftKey ? -1 : 1);
    } else if (event.key === 'Escape' && find.query !== '') {
      event.preventDefault();
      find.query = '';
      (event.target as HTMLInputElement).value = '';
      find.requestUpdate();
    }
  }

  step(find: FindState, by: number): void {
    const total = find.matches().total;
    if (total === 0) return;
    find.current = (find.current + by + total) % total;
    find.reveal = true;
    // With one match the index does not change: render again anyway, so that the match is brought into view.
    find.requestUpdate();
  }

  /**
   * A jump, as the browser's own find does (a smooth scroll is cut short by the next keystroke): now for a step, and
   * again a task later for typing, since the browser keeps the find box's caret in view after each keystroke.
   */
  reveal(root: HTMLElement | DocumentFragment): void {
    const reveal = () => root.querySelector('mark.current')?.scrollIntoView({ block: 'center' });
    reveal();
    setTimeout(reveal);
  }
}
