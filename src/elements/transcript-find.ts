import { type ReactiveController, type ReactiveControllerHost, html } from 'lit';
import type { Episode } from '../model/episode.js';
import { type FoldedText, findRanges, foldText, splitByRanges } from '../model/text-search.js';

interface Segment {
  block: number;
  /** The list item, or -1 for a paragraph or quote. */
  item: number;
  folded: FoldedText;
}

export interface Matches {
  /** Ranges per segment key `block:item`. */
  ranges: Map<string, [number, number][]>;
  /** The number of the first match of each segment, counted across the transcript. */
  firstIndex: Map<string, number>;
  total: number;
}

interface FindHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** The episode being searched. */
  readonly episode: Episode | undefined;
}

/**
 * Find in transcript: the query, its matches (ignoring case and accents), the
 * current one, the box that steps through them, and bringing the current match
 * into view. The transcript stays ordinary text, so the browser's own find works too.
 */
export class TranscriptFind implements ReactiveController {
  query = '';
  current = 0;
  readonly #host: FindHost;
  readonly #showAll: () => void;
  #segments: Segment[] | undefined;
  #last: { query: string; episode: Episode | undefined; result: Matches } | undefined;
  #reveal = false;

  /** `showAll` renders every block, so that every match is in the page to be marked and stepped to. */
  constructor(host: FindHost, showAll: () => void) {
    this.#host = host;
    this.#showAll = showAll;
    host.addController(this);
  }

  /** A new episode: its text is folded again on the first search. */
  reset(): void {
    this.#segments = undefined;
    this.current = 0;
  }

  matches(): Matches {
    const episode = this.#host.episode;
    const cached = this.#last;
    if (cached && cached.query === this.query && cached.episode === episode) return cached.result;
    const ranges = new Map<string, [number, number][]>();
    const firstIndex = new Map<string, number>();
    let total = 0;
    if (this.query.trim() !== '' && episode) {
      // Folded on the first search, not on load: most readers never search.
      this.#segments ??= episode.transcript.flatMap((block, index) =>
        block.type === 'list'
          ? block.items.map((item, i) => ({ block: index, item: i, folded: foldText(item) }))
          : [{ block: index, item: -1, folded: foldText(block.text) }],
      );
      for (const segment of this.#segments) {
        const found = findRanges(segment.folded, this.query);
        if (found.length === 0) continue;
        const key = `${segment.block}:${segment.item}`;
        ranges.set(key, found);
        firstIndex.set(key, total);
        total += found.length;
      }
    }
    const result = { ranges, firstIndex, total };
    this.#last = { query: this.query, episode, result };
    return result;
  }

  /** `text` with its matches marked; `key` is its segment's `block:item`. */
  mark(text: string, key: string, matches: Matches) {
    const ranges = matches.ranges.get(key);
    if (!ranges) return text;
    return splitByRanges(text, ranges, matches.firstIndex.get(key)).map((piece) => {
      if (piece.match === -1) return piece.text;
      const current = piece.match === this.current;
      return html`<mark part=${current ? 'match current-match' : 'match'} class=${current ? 'current' : ''}
        >${piece.text}</mark
      >`;
    });
  }

  #onInput = (event: Event): void => {
    this.query = (event.target as HTMLInputElement).value;
    this.#showAll();
    this.current = 0;
    this.#reveal = true;
    this.#host.requestUpdate();
  };

  #onKey = (event: KeyboardEvent): void => {
    if (event.key === 'Enter') {
      event.preventDefault();
      this.step(event.shiftKey ? -1 : 1);
    } else if (event.key === 'Escape' && this.query !== '') {
      event.preventDefault();
      this.query = '';
      (event.target as HTMLInputElement).value = '';
      this.#host.requestUpdate();
    }
  };

  step(by: number): void {
    const total = this.matches().total;
    if (total === 0) return;
    this.current = (this.current + by + total) % total;
    this.#reveal = true;
    // With one match the index does not change: render again anyway, so that the match is brought into view.
    this.#host.requestUpdate();
  }

  hostUpdated(): void {
    if (!this.#reveal) return;
    this.#reveal = false;
    // A jump, as the browser's own find does (a smooth scroll is cut short by the next keystroke): now for a step,
    // and again a task later for typing, since the browser keeps the find box's caret in view after each keystroke.
    const reveal = () => this.#host.renderRoot.querySelector('mark.current')?.scrollIntoView({ block: 'center' });
    reveal();
    setTimeout(reveal);
  }

  /** The find row: a search landmark with a visible label, the two step buttons and a polite count. */
  render(total: number) {
    const status = this.query.trim() === '' ? '' : total === 0 ? 'No matches' : `${this.current + 1} of ${total}`;
    return html`<div class="search screen-only" part="search" role="search" aria-label=${`Transcript of ${this.#host.episode?.title ?? 'the episode'}`}>
      <label for="find">Find in transcript</label>
      <input id="find" type="search" autocomplete="off" .value=${this.query} @input=${this.#onInput} @keydown=${this.#onKey} />
      <button type="button" aria-label="Previous match" ?disabled=${total === 0} @click=${() => this.step(-1)}>↑</button>
      <button type="button" aria-label="Next match" ?disabled=${total === 0} @click=${() => this.step(1)}>↓</button>
      <output aria-live="polite" for="find">${status}</output>
    </div>`;
  }
}
