import { LitElement, type PropertyValues, css, html, nothing } from 'lit';
import { ContextProvider } from '@lit/context';
import { type Episode, type TranscriptBlock, isHttpUrl } from '../model/episode.js';
import { EpisodeLoader } from './episode-loader.js';
import type { TranscriptWarning } from '../model/webvtt.js';
import { episodeContext } from './context.js';
import { formatTime } from '../model/time-format.js';
import type { MediaLike, MediaSync } from './media-sync.js';
import type { EpisodePlayer } from './episode-player.js';
import { matchPageColorScheme } from './color-scheme.js';
import { emit } from './events.js';
import { headingLevel } from './heading.js';
import { type Matches, TranscriptFind } from './transcript-find.js';
import { episodeStyles } from './paperledge-episode.styles.js';
import { Localizer, type MessageKey } from './localize.js';
import { baseStyles, scrollBehavior } from './styles.js';

/** `#p-7`, `#t=95`, or both: `#p-7&t=95`. */
const BLOCK_ID = /(?:^#|&)p-(\d+)(?:&|$)/;
const START_TIME = /(?:^#|&)t=(\d+(?:\.\d+)?)(?:&|$)/;
/** Blocks rendered per task: a 3,000-block transcript arrives in steps the page can breathe between. */
const CHUNK = 250;
/** The first step also builds the header, player and search, so it renders fewer blocks. */
const FIRST_CHUNK = 100;

/**
 * An episode transcript: from `src`, an inline JSON script, the `.episode`
 * property, or the transcript markup already in the page, which stays readable
 * until the element has something better to show.
 *
 * @fires paperledge-load - The episode is shown; `detail.episode`.
 * @fires paperledge-error - It could not be loaded; `detail.message` names the URL and the cause.
 *
 * @slot - After the transcript: nested `<paperledge-credits>` and `<paperledge-comments>`.
 *
 * @csspart header - Title, show and paper link.
 * @csspart title - The episode title.
 * @csspart show - The show and host line.
 * @csspart paper-link - The link to the paper.
 * @csspart search - The find-in-transcript box.
 * @csspart transcript - The transcript container.
 * @csspart paragraph - One paragraph.
 * @csspart quote - One quote.
 * @csspart list - One list.
 * @csspart anchor - The copy-link control of a block.
 * @csspart match - A find match; the current one also has `current-match`.
 * @csspart error - The error message.
 * @csspart retry - The retry button.
 * @csspart player - The player card around the audio (none with `for`: the page's player is the player).
 * @csspart play - Play and pause.
 * @csspart scrubber - The position slider.
 * @csspart clock - The position and length, as a timer.
 * @csspart skip - The back and forward 15 seconds buttons.
 * @csspart speed - The speed control.
 * @csspart chapters - The list of chapters under the player.
 * @csspart chapter - One chapter; the one playing has `aria-current="true"`.
 * @csspart follow - "Back to the current line", once the reader scrolled away.
 * @csspart time - The seek button of a timed block.
 *
 * @cssstate light - The page behind the element is light, so the light palette is used unless `theme` says otherwise.
 * @cssstate dark - The page behind the element is dark, so the dark palette is used unless `theme` says otherwise.
 * @cssprop --paperledge-accent - Links, focus rings, the marked block.
 * @cssprop --paperledge-text - Text colour (default: inherited).
 * @cssprop --paperledge-background - Background (default: transparent).
 * @cssprop --paperledge-muted - Secondary text.
 * @cssprop --paperledge-border - Borders of fields and buttons.
 * @cssprop --paperledge-surface - Button and highlight background.
 * @cssprop --paperledge-mark - Find matches.
 * @cssprop --paperledge-mark-current - The current find match.
 * @cssprop --paperledge-max-width - Widest the element grows (default 48em).
 * @cssprop --paperledge-spacing - Space between blocks (default 1em).
 * @cssprop --paperledge-loading-height - Space held while loading (default 24em).
 */
export class PaperLedgeEpisode extends LitElement {
  static override styles = [baseStyles, episodeStyles];

  static override properties = {
    src: { type: String, reflect: true },
    episodeId: { type: String, attribute: 'episode-id' },
    episodeTitle: { type: String, attribute: 'episode-title' },
    theme: { type: String, reflect: true },
    transcript: { type: String },
    mediaFor: { type: String, attribute: 'for' },
    headingLevel: { type: Number, attribute: 'heading-level' },
    _target: { state: true },
    _shown: { state: true },
    _announcement: { state: true },
  };

  /** URL of the episode: episode JSON, or PaperLedge page text. */
  declare src: string | undefined;
  /** Overrides the episode's id (page text has none; the file name is used). */
  declare episodeId: string | undefined;
  /** Overrides the episode's title (page text has none). */
  declare episodeTitle: string | undefined;
  /** `light` or `dark`; by default, to suit the page behind the element. */
  declare theme: 'light' | 'dark' | undefined;
  /** URL of a transcript file (WebVTT, SRT, Podcasting 2.0 JSON or HTML) for an episode without one. */
  declare transcript: string | undefined;
  /** Id of a media element already on the page to follow instead of the episode's own audio (`for` attribute). */
  declare mediaFor: string | undefined;
  /** The level of the episode title's heading, 1 to 6 (default 2); nested credits and comments go one deeper. */
  declare headingLevel: number | undefined;

  declare private _target: number;
  /** How many blocks are rendered so far. */
  declare private _shown: number;
  /** What the status region says: a message said at each render (so in the language of the moment), or a sentence. */
  declare private _announcement: string;

  #loader = new EpisodeLoader(this, {
    // Said once the status region is on the page: a region born with its text is not announced by many screen readers.
    loading: () => void this.updateComplete.then(() => {
      if (this.#loader.state.status === 'loading') this._announcement = 'Loading the episode…';
    }),
    loaded: (episode) => this.#show(episode),
    failed: (message, cause) => {
      this._announcement = '';
      this.#provider.setValue(undefined);
      emit(this, 'paperledge-error', { message, cause });
    },
  });
  #provider = new ContextProvider(this, { context: episodeContext, initialValue: undefined });
  #onHashChange = () => this.#followHash();
  /** Following the audio: with the player card, a chunk fetched only for an episode with audio or `for`. */
  #sync: MediaSync | undefined;
  /** The player card; `null` when the chunk could not be fetched and the browser's own controls stand in. */
  #card: EpisodePlayer | null | undefined;
  #mediaLoad: Promise<void> | undefined;
  /** A `#t=` start asked for before the media code arrived. */
  #startAt: number | undefined;
  readonly #t = new Localizer(this, ['episode']);
  #find = new TranscriptFind(this, () => (this._shown = this.episode?.transcript.length ?? 0));

  constructor() {
    super();
    matchPageColorScheme(this);
    this._target = 0;
    this._shown = 0;
    this._announcement = '';
  }

  /** The episode shown, once loaded. Set it to show an Episode object (it is validated). */
  get episode(): Episode | undefined {
    const state = this.#loader.state;
    return state.status === 'loaded' ? state.episode : undefined;
  }

  set episode(value: Episode | undefined) {
    this.#loader.given = value;
    if (this.isConnected) void this.reload();
  }

  /**
   * What the transcript file had that could not be read and was skipped (a cue with broken timings, say), each with
   * its line; also named on the console. Empty for a clean file.
   */
  get warnings(): readonly TranscriptWarning[] {
    return this.#loader.warnings;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.#onHashChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.#onHashChange);
  }

  /**
   * "Try again" disappears as loading starts: focus goes to the transcript while it loads, then to the title,
   * or to the new "Try again" if it fails again, never to the page's body.
   */
  #retry = async (): Promise<void> => {
    const focus = (selector: string) => this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
    const loading = this.reload();
    await this.updateComplete;
    focus('[part="transcript"]');
    await loading;
    await this.updateComplete;
    focus(this.#loader.state.status === 'loaded' ? '[part="title"]' : '[part="retry"]');
  };

  /** Loads the episode again from whichever source the element has. */
  reload(): Promise<void> {
    return this.#loader.reload();
  }

  #show(episode: Episode): void {
    this._announcement = '';
    this.#find.reset();
    this._shown = Math.min(episode.transcript.length, FIRST_CHUNK);
    this.#provider.setValue(episode);
    this.#sync?.setBlocks(episode.transcript);
    if (episode.audio || this.mediaFor) this.#loadMedia();
    emit(this, 'paperledge-load', { episode });
    void this.updateComplete.then(() => {
      this.#attachMedia();
      this.#followHash();
    });
  }

  /** The page's media element named by `for`, or the episode's own player. */
  #attachMedia(): void {
    const root = this.getRootNode() as Document | ShadowRoot;
    const external = this.mediaFor ? (root.getElementById?.(this.mediaFor) as unknown as MediaLike | null) : null;
    const media = external ?? this.renderRoot.querySelector('audio') ?? undefined;
    this.#sync?.attach(media);
    if (this.#card) this.#card.attach(media);
  }

  /** Scrolls to and marks the block named by `#p-N`, and starts at `#t=seconds`, as deep links should. */
  #followHash(): void {
    const start = START_TIME.exec(location.hash)?.[1];
    if (start !== undefined) {
      this.#startAt = Number(start);
      this.#sync?.seek(this.#startAt);
    }
    const n = Number(BLOCK_ID.exec(location.hash)?.[1] ?? 0);
    const episode = this.episode;
    if (!episode || n < 1 || n > episode.transcript.length) return;
    this._target = n;
    this._shown = Math.max(this._shown, n);
    void this.updateComplete.then(() => {
      this.renderRoot.querySelector(`#p-${n}`)?.scrollIntoView({ block: 'start', behavior: scrollBehavior() });
    });
  }

  /** Ranges of the find query in each segment, numbered across the transcript; computed once per query and episode. */
  /** Clicks on a block's time (seek) or its anchor (copy the link). */
  #onTranscriptClick(event: Event): void {
    const target = (event.composedPath()[0] as Element).closest?.('[data-seek], a.anchor');
    if (!target) return;
    if (target.hasAttribute('data-seek')) {
      this.#sync?.playFrom(Number(target.getAttribute('data-seek')));
      return;
    }
    const block = target.closest('.block');
    const n = Number(block?.id.slice(2));
    const seek = block?.querySelector('[data-seek]')?.getAttribute('data-seek');
    // Said as the anchor's label says it: "paragraph 3", "quote 5", "list 8".
    const what = this.#t.t(`${(block?.getAttribute('part') ?? 'paragraph') as TranscriptBlock['type']} {n}`, { n });
    void this.#copyLink(event, n, what, seek === null || seek === undefined ? undefined : Number(seek));
  }

  async #copyLink(event: Event, n: number, what: string, start: number | undefined): Promise<void> {
    event.preventDefault();
    const url = new URL(location.href);
    url.hash = start === undefined ? `p-${n}` : `p-${n}&t=${start}`;
    history.replaceState(history.state, '', url);
    this._target = n;
    try {
      await navigator.clipboard.writeText(url.href);
      this._announcement = this.#t.t('Link to {target} copied.', { target: what });
    } catch {
      // Without clipboard access the address bar now holds the link; say so.
      this._announcement = this.#t.t('The address bar now links to {target}.', { target: what });
    }
  }

  protected override updated(): void {
    const total = this.episode?.transcript.length ?? 0;
    if (this._shown < total) {
      setTimeout(() => {
        if (this.episode?.transcript.length === total) this._shown = Math.min(total, this._shown + CHUNK);
      });
    } else {
      this.#sync?.refresh();
    }
  }

  /** A list item "Label: text" shows its label as a term, as the published episode writes roles. */
  #listItem(item: string, key: string, matches: Matches) {
    const label = /^([^:]{1,40}):\s/.exec(item);
    if (!label || matches.ranges.has(key)) return this.#find.mark(item, key, matches);
    const rest = item.slice(label[0].length);
    return html`<span class="term">${label[1]}:</span> ${rest}`;
  }

  #block(block: TranscriptBlock, index: number, episode: Episode, matches: Matches) {
    const n = index + 1;
    const id = `p-${n}`;
    const target = this._target === n ? '' : undefined;
    // No per-block listeners: one delegated handler on the transcript, so re-rendering 3,000 blocks stays cheap.
    const anchor = html`<a class="anchor screen-only" part="anchor" href="#${id}" aria-label=${this.#t.t('Copy link to {target}', { target: this.#t.t(`${block.type} {n}`, { n }) })}>#</a>`;
    const start = block.start;
    const lead = html`${start === undefined
      ? nothing
      : html`<button type="button" class="time" part="time" aria-label=${this.#t.t('Play from {time}', { time: formatTime(start) })} data-seek=${start}
            >${formatTime(start)}</button
          >${' '}`}${block.speaker
      ? html`<span class="speaker">${block.speaker}:</span>${' '}`
      : nothing}`;
    switch (block.type) {
      case 'paragraph':
        return html`<p id=${id} class="block" part="paragraph" dir="auto" ?data-target=${target !== undefined}>
          ${lead}${this.#find.mark(block.text, `${index}:-1`, matches)}${anchor}
        </p>`;
      case 'quote': {
        const cite = episode.paper?.url && isHttpUrl(episode.paper.url) ? episode.paper.url : nothing;
        return html`<blockquote id=${id} class="block" part="quote" dir="auto" cite=${cite} ?data-target=${target !== undefined}>
          ${lead}${this.#find.mark(block.text, `${index}:-1`, matches)}${anchor}
        </blockquote>`;
      }
      case 'list':
        return html`<ul id=${id} class="block" part="list" dir="auto" ?data-target=${target !== undefined}>
          ${block.items.map(
            (item, i, items) =>
              html`<li>${this.#listItem(item, `${index}:${i}`, matches)}${i === items.length - 1 ? anchor : nothing}</li>`,
          )}
        </ul>`;
    }
  }

  #header(episode: Episode) {
    const paper = episode.paper;
    const paperUrl = paper?.url && isHttpUrl(paper.url) ? paper.url : undefined;
    const byline = episode.show && episode.host ? this.#t.t('{show} with {host}', { show: episode.show, host: episode.host }) : (episode.show ?? episode.host ?? '');
    // A <div>, not <header>: outside an article or main, a shadow <header> would be a second banner landmark.
    return html`<div class="header" part="header" dir="auto">
      <div class="title" part="title" role="heading" aria-level=${headingLevel(this, this.headingLevel)} tabindex="-1">${episode.title}</div>
      ${byline ? html`<p class="show" part="show">${byline}</p>` : nothing}
      ${paperUrl
        ? html`<p class="show">
            <a part="paper-link" href=${paperUrl}>${paper?.title ? this.#t.t('Read the paper: {title}', { title: paper.title }) : this.#t.t('Read the paper')}</a>
          </p>`
        : nothing}
    </div>`;
  }

  #player(episode: Episode) {
    const audio = episode.audio && isHttpUrl(episode.audio.src, document.baseURI) ? episode.audio : undefined;
    // With `for`, the page's own player is the one player: the element only follows it.
    const card = this.#card;
    return html`${audio && !this.mediaFor
        ? html`<div class="player screen-only" part="player">
            <audio preload="metadata" ?controls=${card === null} aria-label=${this.#t.t('Audio: {title}', { title: episode.title })}
              src=${new URL(audio.src, document.baseURI).href} @loadedmetadata=${() => this.#attachMedia()}></audio>
            ${card ? card.render(episode.title, this.#t, episode.chapters) : card === null ? nothing : html`<div class="player-placeholder"></div>`}
          </div>`
        : nothing}
      ${this.#sync?.following ?? true
        ? nothing
        : html`<button type="button" class="follow screen-only" part="follow" @click=${() => this.#sync?.follow()}>
            ${this.#t.t('Back to the current line')}
          </button>`}`;
  }

  /**
   * Following the audio and the player card are fetched beside the bundle the first time an episode has audio (or
   * `for`); until they arrive a placeholder holds the card's room. If they cannot be fetched, the browser's own
   * controls stand in and the transcript stays readable.
   */
  #loadMedia(): void {
    // The card's words come with it.
    this.#t.need('player');
    this.#mediaLoad ??= import('./episode-player.js').then(
      ({ EpisodePlayer, MediaSync }) => {
        this.#sync = new MediaSync(this);
        this.#sync.setBlocks(this.episode?.transcript ?? []);
        if (this.#startAt !== undefined) this.#sync.seek(this.#startAt);
        this.#card = new EpisodePlayer(this);
        this.#attachMedia();
      },
      () => {
        this.#card = null;
      },
    ).then(() => this.requestUpdate());
  }

  protected override render() {
    // One polite region, the same node in every state and there from the first render, so what it says later is announced.
    return html`<div class="visually-hidden" role="status" aria-live="polite">${this.#t.t(this._announcement as MessageKey)}</div>${this.#body()}`;
  }

  #body() {
    const state = this.#loader.state;
    const source = html`<slot name="source"></slot>`;
    if (state.status === 'loaded') {
      const episode = state.episode;
      const matches = this.#find.matches();
      return html`${this.#header(episode)} ${this.#player(episode)} ${this.#find.render(matches.total, this.#t)}
        <div class="transcript" part="transcript" aria-busy="false" @click=${this.#onTranscriptClick}>
          ${episode.transcript.slice(0, this._shown).map((block, i) => this.#block(block, i, episode, matches))}
        </div>
        <slot></slot>`;
    }
    if (state.status === 'error') {
      this.#t.need('loading');
      return html`<div class="error" part="error" role="alert">
          <p>${state.key ? this.#t.t(state.key, { ...state.values, what: this.#t.t(state.values?.['what'] as MessageKey) }) : state.message}</p>
          <button type="button" part="retry" @click=${this.#retry}>${this.#t.t('Try again')}</button>
        </div>
        <div class="transcript" part="transcript">${source}</div>
        <slot></slot>`;
    }
    const hasSource = this.#loader.sourceNodes().length > 0;
    if (state.status === 'idle') return html`${source}<slot></slot>`;
    return html`<div class="transcript ${hasSource ? '' : 'reserved'}" part="transcript" aria-busy="true" tabindex="-1">
        ${hasSource ? source : [1, 2, 3, 4, 5, 6].map(() => html`<div class="skeleton"></div>`)}
      </div>
      <slot></slot>`;
  }
}
