import { LitElement, type PropertyValues, css, html, nothing } from 'lit';
import { ContextProvider } from '@lit/context';
import {
  type Author,
  type Episode,
  type TranscriptBlock,
  episodeIdFromUrl,
  isHttpUrl,
} from '../model/episode.js';
import { type TranscriptReader, episodeFromJson, parseEpisodeDocument, readEpisodeSource } from '../model/parse-episode.js';
import { detectTranscriptFormat } from '../model/transcript-detect.js';

/** The transcript readers, fetched beside the bundle only when a transcript file is used: most pages never need them. */
const readTranscript: TranscriptReader = async (text, format) => (await import('../model/transcript-formats.js')).parseTranscript(text, format);
import {
  CREDITS_PREFIX,
  DEFAULT_EPISODE_ID,
  DEFAULT_EPISODE_TITLE,
  EMPTY_COMMENTS_TEXT,
  parseCreditsLine,
} from '../model/parse-paperledge-text.js';
import { episodeContext } from './context.js';
import { MediaSync, type MediaLike, formatTime } from './media-sync.js';
import { matchPageColorScheme } from './color-scheme.js';
import { emit } from './events.js';
import { headingLevel } from './heading.js';
import { type Matches, TranscriptFind } from './transcript-find.js';
import { baseStyles, scrollBehavior } from './styles.js';

type LoadState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'loaded'; episode: Episode };

/** Every searchable string of the transcript: a paragraph, a quote, or one list item. */
/** `#p-7`, `#t=95`, or both: `#p-7&t=95`. */
const BLOCK_ID = /(?:^#|&)p-(\d+)(?:&|$)/;
const START_TIME = /(?:^#|&)t=(\d+(?:\.\d+)?)(?:&|$)/;
const RATES = [0.75, 1, 1.25, 1.5, 1.75, 2];
/** Blocks rendered per task: a 3,000-block transcript arrives in steps the page can breathe between. */
const CHUNK = 250;
/** The first step also builds the header, player and search, so it renders fewer blocks. */
const FIRST_CHUNK = 100;
/** Host markup the element reads as a transcript; anything else goes to the default slot. */
const SOURCE_TAGS = new Set(['H1', 'H2', 'P', 'BLOCKQUOTE', 'UL', 'OL']);

class LoadError extends Error {}

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
 * @csspart player - The audio player: native controls, skip buttons, speed.
 * @csspart clock - The position, as a timer.
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
  static override styles = [
    baseStyles,
    css`
      .header {
        margin-block-end: var(--_gap);
      }
      /* Everything lines up with the transcript's text, which sits inside the room kept for the current-line bar. */
      .header,
      .search,
      .player,
      .error,
      ::slotted(*) {
        margin-inline: calc(0.75em + 3px) 0.75em;
      }
      .title {
        font-size: 1.5em;
        font-weight: 700;
        line-height: 1.25;
        margin: 0 0 0.25em;
      }
      .title:focus:not(:focus-visible),
      .transcript:focus:not(:focus-visible) {
        outline: none;
      }
      .show {
        margin: 0;
        color: var(--_muted);
      }
      .search {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
        align-items: center;
        margin-block: var(--_gap);
      }
      .search input {
        /* Small enough that the two step buttons stay beside it on a phone. */
        flex: 1 1 8em;
        min-width: 0;
      }
      /* While finding, the box stays on screen above the transcript: the browser keeps a focused box's caret in view,
         which would otherwise scroll the page back up from the match after every keystroke. */
      .search:focus-within {
        position: sticky;
        top: 0;
        z-index: 1;
        background: Canvas;
      }
      .search label {
        flex-basis: 100%;
        font-size: 0.875em;
        font-weight: 600;
      }
      .search input {
        font: inherit;
      }
      .search output {
        color: var(--_muted);
      }
      .search output:empty {
        display: none;
      }
      .transcript.reserved {
        min-height: var(--paperledge-loading-height, 24em);
      }
      /* Every block has the bar's room, transparent until current: marking one moves no text and spills past no edge. */
      .block {
        position: relative;
        margin: 0 0 var(--_gap);
        border-inline-start: 3px solid transparent;
        padding-inline: 0.75em;
        border-radius: 0 var(--_radius) var(--_radius) 0;
        scroll-margin-block: 4rem;
        /* Off-screen blocks skip layout and paint until scrolled near; find-in-page still sees them. */
        content-visibility: auto;
        contain-intrinsic-size: auto 4.5em;
      }
      blockquote.block {
        margin-inline: 0;
        border-inline-start-color: var(--_border);
        font-style: italic;
      }
      ul.block {
        padding-inline-start: 2.25em;
      }
      .block[data-target] {
        background: var(--_surface);
        outline: 2px solid var(--_accent);
        outline-offset: 4px;
        border-radius: 2px;
      }
      .term,
      .speaker {
        font-weight: 600;
      }
      .block[data-current] {
        background: var(--_surface);
        border-inline-start-color: var(--_accent);
      }
      .player {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
        align-items: center;
        margin-block: var(--_gap);
      }
      .player audio {
        flex: 1 1 100%;
        width: 100%;
      }
      .time {
        font-variant-numeric: tabular-nums;
        font-size: 0.85em;
        padding: 0 0.4em;
      }
      .follow {
        position: sticky;
        bottom: 1em;
        display: block;
        margin-inline: auto;
      }
      @media (forced-colors: active) {
        .block[data-current] {
          outline: 2px solid Highlight;
        }
      }
      /* Underlined, so it is a link by more than colour; shown on hover and focus, always where there is no hover (touch). */
      .anchor {
        margin-inline-start: 0.35em;
        text-underline-offset: 0.2em;
        opacity: 0;
        transition: opacity 0.15s;
      }
      .block:hover .anchor,
      .anchor:focus-visible {
        opacity: 1;
      }
      @media (hover: none) {
        .anchor {
          opacity: 1;
        }
      }
      .error {
        border: 1px solid var(--_danger);
        border-radius: var(--_radius);
        padding: 0.75em 1em;
        margin-block-end: var(--_gap);
      }
      .error p {
        margin: 0 0 0.5em;
      }
      .skeleton {
        height: 1em;
        margin-block: 0.6em;
        border-radius: 4px;
        background: var(--_surface);
      }
      @media (forced-colors: active) {
        .block[data-target] {
          outline-color: Highlight;
        }
      }
    `,
  ];

  static override properties = {
    src: { type: String, reflect: true },
    episodeId: { type: String, attribute: 'episode-id' },
    episodeTitle: { type: String, attribute: 'episode-title' },
    theme: { type: String, reflect: true },
    transcript: { type: String },
    mediaFor: { type: String, attribute: 'for' },
    headingLevel: { type: Number, attribute: 'heading-level' },
    _state: { state: true },
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

  declare private _state: LoadState;
  declare private _target: number;
  /** How many blocks are rendered so far. */
  declare private _shown: number;
  declare private _announcement: string;

  #given: unknown;
  #abort: AbortController | undefined;
  #loadedInputs: string | undefined;
  /** Folded text of every block, made on the first search rather than on every load. */
  #provider = new ContextProvider(this, { context: episodeContext, initialValue: undefined });
  #onHashChange = () => this.#followHash();
  #sync = new MediaSync(this);
  #find = new TranscriptFind(this, () => (this._shown = this.episode?.transcript.length ?? 0));

  constructor() {
    super();
    matchPageColorScheme(this);
    this._state = { status: 'idle' };
    this._target = 0;
    this._shown = 0;
    this._announcement = '';
  }

  /** The episode shown, once loaded. Set it to show an Episode object (it is validated). */
  get episode(): Episode | undefined {
    return this._state.status === 'loaded' ? this._state.episode : undefined;
  }

  set episode(value: Episode | undefined) {
    this.#given = value;
    if (this.isConnected) void this.reload();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.#onHashChange);
    this.#markSourceContent();
    if (this._state.status === 'idle' || this._state.status === 'error') void this.reload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.#onHashChange);
    this.#abort?.abort();
    // A load cut short by removal starts again when the element comes back.
    if (this._state.status === 'loading') this._state = { status: 'idle' };
  }

  /** The inputs of the load under way or done, so a change is noticed even before the first render (frameworks set properties right after connecting). */
  get #inputs(): string {
    return JSON.stringify([this.src, this.episodeId, this.episodeTitle, this.transcript]);
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    if (this.isConnected && this.#loadedInputs !== this.#inputs) void this.reload();
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
    focus(this._state.status === 'loaded' ? '[part="title"]' : '[part="retry"]');
  };

  /** Loads the episode again from whichever source the element has. */
  async reload(): Promise<void> {
    // After a failure, ask the server again rather than a cache that may hold the error.
    const cache: RequestCache = this._state.status === 'error' ? 'no-cache' : 'default';
    this.#loadedInputs = this.#inputs;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this._state = { status: 'loading' };
    // Said once the status region is on the page: a region born with its text is not announced by many screen readers.
    void this.updateComplete.then(() => {
      if (this._state.status === 'loading') this._announcement = 'Loading the episode…';
    });
    try {
      const episode = await this.#read(abort.signal, cache);
      if (abort.signal.aborted) return;
      // Nothing to show yet: a framework may set `.episode` in a moment.
      if (episode === undefined) this._state = { status: 'idle' };
      else this.#show(episode);
    } catch (cause) {
      if (abort.signal.aborted) return;
      const message = cause instanceof LoadError || cause instanceof Error ? cause.message : String(cause);
      this._state = { status: 'error', message };
      this._announcement = '';
      this.#provider.setValue(undefined);
      emit(this, 'paperledge-error', { message, cause: cause instanceof LoadError ? cause.cause : cause });
    }
  }

  async #read(signal: AbortSignal, cache: RequestCache): Promise<Episode | undefined> {
    const episode = await this.#readEpisode(signal, cache);
    if (!episode || !this.transcript) return episode;
    return { ...episode, transcript: await this.#fetchTranscript(this.transcript, signal, cache) };
  }

  async #fetchTranscript(src: string, signal: AbortSignal, cache: RequestCache) {
    const response = await this.#get(src, signal, cache, 'transcript');
    const text = await response.text();
    const format = detectTranscriptFormat(text, response.headers.get('content-type'));
    try {
      if (!format) throw new Error('expected WebVTT, SRT, Podcasting 2.0 JSON or HTML');
      return await readTranscript(text, format);
    } catch (cause) {
      throw new LoadError(`Could not read the transcript from ${src}: ${(cause as Error).message}`, { cause });
    }
  }

  async #readEpisode(signal: AbortSignal, cache: RequestCache): Promise<Episode | undefined> {
    const overrides = { id: this.episodeId || undefined, title: this.episodeTitle || undefined };
    if (this.#given !== undefined) {
      try {
        return episodeFromJson(this.#given, { requireTranscript: !this.transcript, ...overrides });
      } catch (cause) {
        throw new LoadError(`The episode property is not a valid episode: ${(cause as Error).message}`, { cause });
      }
    }
    if (this.src) return this.#fetch(this.src, overrides, signal, cache);
    const inline = this.querySelector(':scope > script[type="application/json"]');
    if (inline) {
      try {
        return parseEpisodeDocument(inline.textContent ?? '', {
          contentType: 'application/json',
          requireTranscript: !this.transcript,
          ...overrides,
        });
      } catch (cause) {
        throw new LoadError(`The inline episode script is not a valid episode: ${(cause as Error).message}`, { cause });
      }
    }
    return this.#episodeFromMarkup(overrides);
  }

  /** GET with the messages a blogger can act on: which URL, and network failure or HTTP status. */
  async #get(src: string, signal: AbortSignal, cache: RequestCache, what: 'episode' | 'transcript'): Promise<Response> {
    const url = new URL(src, document.baseURI);
    if (!isHttpUrl(url.href)) throw new LoadError(`Could not load the ${what} from ${src}: only http(s) URLs are allowed.`);
    let response: Response;
    try {
      response = await fetch(url, { signal, cache, headers: { Accept: 'application/json, text/plain;q=0.9, */*;q=0.1' } });
    } catch (cause) {
      throw new LoadError(
        `Could not load the ${what} from ${src}: the network request failed (offline, blocked, or the server does not allow this site to read it).`,
        { cause },
      );
    }
    if (!response.ok) {
      throw new LoadError(
        `Could not load the ${what} from ${src}: the server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
        { cause: response.status },
      );
    }
    return response;
  }

  async #fetch(
    src: string,
    overrides: { id?: string | undefined; title?: string | undefined },
    signal: AbortSignal,
    cache: RequestCache,
  ) {
    const response = await this.#get(src, signal, cache, 'episode');
    const text = await response.text();
    try {
      const url = new URL(src, document.baseURI);
      return await readEpisodeSource(
        text,
        {
          contentType: response.headers.get('content-type'),
          id: overrides.id ?? episodeIdFromUrl(url.pathname),
          title: overrides.title,
          requireTranscript: !this.transcript,
          // After redirects, where the file really is.
          baseUrl: response.url || url.href,
        },
        readTranscript,
      );
    } catch (cause) {
      throw new LoadError(`Could not read the episode from ${src}: ${(cause as Error).message}`, { cause });
    }
  }

  /** The transcript the host page already shows, read from its markup. */
  #episodeFromMarkup(overrides: { id?: string | undefined; title?: string | undefined }): Episode | undefined {
    const transcript: TranscriptBlock[] = [];
    let title: string | undefined;
    let authors: Author[] | undefined;
    for (const node of this.#sourceNodes()) {
      const text = (node.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (text === '' || text === EMPTY_COMMENTS_TEXT) continue;
      if (node.tagName === 'H1' || node.tagName === 'H2') {
        title ??= text;
      } else if (node.tagName === 'UL' || node.tagName === 'OL') {
        const items = [...node.querySelectorAll(':scope > li')]
          .map((li) => (li.textContent ?? '').replace(/\s+/g, ' ').trim())
          .filter(Boolean);
        if (items.length > 0) transcript.push({ type: 'list', items });
      } else if (node.tagName === 'BLOCKQUOTE') {
        transcript.push({ type: 'quote', text: text.replace(/^["“](.*)["”]$/, '$1') });
      } else if (text.startsWith(CREDITS_PREFIX)) {
        authors = parseCreditsLine(text);
      } else {
        transcript.push({ type: 'paragraph', text });
      }
    }
    if (transcript.length === 0) return undefined;
    return {
      id: overrides.id ?? DEFAULT_EPISODE_ID,
      title: overrides.title ?? title ?? DEFAULT_EPISODE_TITLE,
      show: 'PaperLedge',
      transcript,
      ...(authors ? { paper: { authors } } : {}),
    };
  }

  #sourceNodes(): Element[] {
    return [...this.children].filter((child) => SOURCE_TAGS.has(child.tagName));
  }

  /**
   * Host transcript markup goes to the `source` slot, shown only while there is
   * no rendered transcript, so that it never vanishes behind a failed load.
   */
  #markSourceContent(): void {
    for (const node of this.#sourceNodes()) {
      if (!node.hasAttribute('slot')) node.setAttribute('slot', 'source');
    }
  }

  #show(episode: Episode): void {
    this._state = { status: 'loaded', episode };
    this._announcement = '';
    this.#find.reset();
    this._shown = Math.min(episode.transcript.length, FIRST_CHUNK);
    this.#provider.setValue(episode);
    this.#sync.setBlocks(episode.transcript);
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
    this.#sync.attach(external ?? this.renderRoot.querySelector('audio') ?? undefined);
  }

  /** Scrolls to and marks the block named by `#p-N`, and starts at `#t=seconds`, as deep links should. */
  #followHash(): void {
    const start = START_TIME.exec(location.hash)?.[1];
    if (start !== undefined) this.#sync.seek(Number(start));
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
      this.#sync.playFrom(Number(target.getAttribute('data-seek')));
      return;
    }
    const block = target.closest('.block');
    const n = Number(block?.id.slice(2));
    const seek = block?.querySelector('[data-seek]')?.getAttribute('data-seek');
    // Said as the anchor's label says it: "paragraph 3", "quote 5", "list 8".
    const what = `${block?.getAttribute('part') ?? 'block'} ${n}`;
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
      this._announcement = `Link to ${what} copied.`;
    } catch {
      // Without clipboard access the address bar now holds the link; say so.
      this._announcement = `The address bar now links to ${what}.`;
    }
  }

  protected override updated(): void {
    const total = this.episode?.transcript.length ?? 0;
    if (this._shown < total) {
      setTimeout(() => {
        if (this.episode?.transcript.length === total) this._shown = Math.min(total, this._shown + CHUNK);
      });
    } else {
      this.#sync.refresh();
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
    const anchor = html`<a class="anchor screen-only" part="anchor" href="#${id}" aria-label="Copy link to ${block.type} ${n}">#</a>`;
    const start = block.start;
    const lead = html`${start === undefined
      ? nothing
      : html`<button type="button" class="time" part="time" aria-label="Play from ${formatTime(start)}" data-seek=${start}
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
    const byline = [episode.show, episode.host ? `with ${episode.host}` : undefined].filter(Boolean).join(' ');
    // A <div>, not <header>: outside an article or main, a shadow <header> would be a second banner landmark.
    return html`<div class="header" part="header" dir="auto">
      <div class="title" part="title" role="heading" aria-level=${headingLevel(this, this.headingLevel)} tabindex="-1">${episode.title}</div>
      ${byline ? html`<p class="show" part="show">${byline}</p>` : nothing}
      ${paperUrl
        ? html`<p class="show">
            <a part="paper-link" href=${paperUrl}>Read the paper${paper?.title ? html`: ${paper.title}` : nothing}</a>
          </p>`
        : nothing}
    </div>`;
  }

  #player(episode: Episode) {
    const audio = episode.audio && isHttpUrl(episode.audio.src, document.baseURI) ? episode.audio : undefined;
    if (!audio && !this.mediaFor) return nothing;
    const rate = this.#sync.media?.playbackRate ?? 1;
    return html`<div class="player screen-only" part="player" role="group" aria-label="Episode audio">
        ${audio && !this.mediaFor
          ? html`<audio controls preload="metadata" aria-label=${`Audio: ${episode.title}`} src=${new URL(audio.src, document.baseURI).href} @loadedmetadata=${() =>
              this.#attachMedia()}></audio>`
          : nothing}
        <button type="button" @click=${() => this.#sync.skip(-15)}>
          <span dir="ltr">−15 s</span><span class="visually-hidden">: back 15 seconds</span>
        </button>
        <button type="button" @click=${() => this.#sync.skip(15)}>
          <span dir="ltr">+15 s</span><span class="visually-hidden">: forward 15 seconds</span>
        </button>
        <label
          >Speed
          <select
            @change=${(e: Event) => {
              const media = this.#sync.media;
              if (media) media.playbackRate = Number((e.target as HTMLSelectElement).value);
            }}
          >
            ${RATES.map((r) => html`<option value=${r} ?selected=${r === rate}>${r}×</option>`)}
          </select></label
        >
        <span part="clock" role="timer" aria-label="Position" dir="ltr">0:00 / 0:00</span>
      </div>
      ${this.#sync.following
        ? nothing
        : html`<button type="button" class="follow screen-only" part="follow" @click=${() => this.#sync.follow()}>
            Back to the current line
          </button>`}`;
  }

  protected override render() {
    // One polite region, the same node in every state and there from the first render, so what it says later is announced.
    return html`<div class="visually-hidden" role="status" aria-live="polite">${this._announcement}</div>${this.#body()}`;
  }

  #body() {
    const state = this._state;
    const source = html`<slot name="source"></slot>`;
    if (state.status === 'loaded') {
      const episode = state.episode;
      const matches = this.#find.matches();
      return html`${this.#header(episode)} ${this.#player(episode)} ${this.#find.render(matches.total)}
        <div class="transcript" part="transcript" aria-busy="false" @click=${this.#onTranscriptClick}>
          ${episode.transcript.slice(0, this._shown).map((block, i) => this.#block(block, i, episode, matches))}
        </div>
        <slot></slot>`;
    }
    if (state.status === 'error') {
      return html`<div class="error" part="error" role="alert">
          <p>${state.message}</p>
          <button type="button" part="retry" @click=${this.#retry}>Try again</button>
        </div>
        <div class="transcript" part="transcript">${source}</div>
        <slot></slot>`;
    }
    const hasSource = this.#sourceNodes().length > 0;
    if (state.status === 'idle') return html`${source}<slot></slot>`;
    return html`<div class="transcript ${hasSource ? '' : 'reserved'}" part="transcript" aria-busy="true" tabindex="-1">
        ${hasSource ? source : [1, 2, 3, 4, 5, 6].map(() => html`<div class="skeleton"></div>`)}
      </div>
      <slot></slot>`;
  }
}
