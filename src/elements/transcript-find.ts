import { type ReactiveController, type ReactiveControllerHost, html } from 'lit';
import type { Episode } from '../model/episode.js';
import type { Matcher, Matches } from './find-matcher.js';
import type { Localizer } from './localize.js';

export type { Matches } from './find-matcher.js';

const NO_MATCHES: Matches = { ranges: new Map(), firstIndex: new Map(), total: 0 };

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
  /** The matching, fetched when the reader first goes to the box. */
  #matcher: Matcher | undefined;
  #loading: Promise<void> | undefined;
  /** Bring the current match into view after the next render. */
  reveal = false;

  /** `showAll` renders every block, so that every match is in the page to be marked and stepped to. */
  constructor(host: FindHost, showAll: () => void) {
    this.#host = host;
    this.#showAll = showAll;
    host.addController(this);
  }

  /** A new episode: the count starts again. */
  reset(): void {
    this.current = 0;
  }

  #load = (): void => {
    this.#loading ??= import('./find-matcher.js').then(({ Matcher }) => {
      this.#matcher = new Matcher();
      this.reveal = true;
      this.#host.requestUpdate();
    });
  };

  matches(): Matches {
    const episode = this.#host.episode;
    if (!this.#matcher || !episode) return NO_MATCHES;
    return this.#matcher.matches(episode, this.query);
  }

  /** `text` with its matches marked; `key` is its segment's `block:item`. */
  mark(text: string, key: string, matches: Matches) {
    return this.#matcher ? this.#matcher.mark(text, key, matches, this.current) : text;
  }

  #onInput = (event: Event): void => {
    this.query = (event.target as HTMLInputElement).value;
    this.#load();
    this.#showAll();
    this.current = 0;
    this.reveal = true;
    this.#host.requestUpdate();
  };

  /** Renders again (a step, a cleared box). */
  requestUpdate(): void {
    this.#host.requestUpdate();
  }

  step(by: number): void {
    this.#matcher?.step(this, by);
  }

  hostUpdated(): void {
    if (!this.reveal) return;
    this.reveal = false;
    this.#matcher?.reveal(this.#host.renderRoot);
  }

  /** The find row: a search landmark with a visible label, the two step buttons and a polite count. */
  render(total: number, t: Localizer) {
    const status = this.query.trim() === '' || !this.#matcher ? '' : total === 0 ? t.t('No matches') : t.t('{n} of {total}', { n: this.current + 1, total });
    return html`<div class="search screen-only" part="search" role="search" aria-label=${t.t('Transcript of {title}', { title: this.#host.episode?.title ?? '' })}>
      <label for="find">${t.t('Find in transcript')}</label>
      <input id="find" type="search" autocomplete="off" .value=${this.query} @focus=${this.#load} @input=${this.#onInput} @keydown=${(event: KeyboardEvent) => this.#matcher?.key(this, event)} />
      <button type="button" aria-label=${t.t('Previous match')} ?disabled=${total === 0} @click=${() => this.step(-1)}>↑</button>
      <button type="button" aria-label=${t.t('Next match')} ?disabled=${total === 0} @click=${() => this.step(1)}>↓</button>
      <output aria-live="polite" for="find">${status}</output>
    </div>`;
  }
}
