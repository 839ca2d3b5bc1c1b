import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { type Author, type Episode, type TranscriptBlock, episodeIdFromUrl, isHttpUrl } from '../model/episode.js';
import { type TranscriptReader, episodeFromJson, parseEpisodeDocument, readEpisodeSource } from '../model/parse-episode.js';
import { detectTranscriptFormat } from '../model/transcript-detect.js';
import {
  CREDITS_PREFIX,
  DEFAULT_EPISODE_ID,
  DEFAULT_EPISODE_TITLE,
  EMPTY_COMMENTS_TEXT,
  parseCreditsLine,
} from '../model/parse-paperledge-text.js';

import type { TranscriptWarning } from '../model/webvtt.js';
import { type MessageKey, type Values, format } from './localize.js';

/** Host markup the element reads as a transcript; anything else goes to the default slot. */
const SOURCE_TAGS = new Set(['H1', 'H2', 'P', 'BLOCKQUOTE', 'UL', 'OL']);

export type LoadState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; message: string; key?: MessageKey; values?: Values }
  | { status: 'loaded'; episode: Episode };

/**
 * Why an episode could not be shown: in English for the console and events, and as its sentence and values for the
 * element to say in its reader's language (`what` is a message too: "the episode" or "the transcript").
 */
type LoadError = Error & { key: MessageKey; values: Values };
function failure(key: MessageKey, transcript: boolean, given: Values, cause?: unknown): LoadError {
  const values = { what: transcript ? 'the transcript' : 'the episode', ...given, ...(cause instanceof Error && { detail: cause.message }) };
  return Object.assign(new Error(format(key, values), { cause }), { key, values });
}

interface LoaderHost extends ReactiveControllerHost, HTMLElement {
  readonly src: string | undefined;
  readonly episodeId: string | undefined;
  readonly episodeTitle: string | undefined;
  readonly transcript: string | undefined;
}

export interface LoaderEvents {
  loading(): void;
  loaded(episode: Episode): void;
  failed(message: string, cause: unknown): void;
}

/**
 * Where an episode comes from and its loading: the `.episode` property, `src`
 * (episode JSON, page text or a transcript file), an inline JSON script, or
 * the transcript markup already in the page; plus a `transcript` file for an
 * episode without one. Each failure names the URL and the cause.
 */
export class EpisodeLoader implements ReactiveController {
  state: LoadState = { status: 'idle' };
  /** What `.episode` was set to, read on the next load. */
  given: unknown;
  /** What the last load's transcript file had that was skipped or repaired, by line. */
  warnings: readonly TranscriptWarning[] = [];
  /** Warnings of the load under way, by the URL they came from. */
  #pending: { src: string; warnings: TranscriptWarning[] }[] = [];
  readonly #host: LoaderHost;
  readonly #on: LoaderEvents;
  #abort: AbortController | undefined;
  #loadedInputs: string | undefined;

  constructor(host: LoaderHost, on: LoaderEvents) {
    this.#host = host;
    this.#on = on;
    host.addController(this);
  }

  hostConnected(): void {
    this.#markSourceContent();
    if (this.state.status === 'idle' || this.state.status === 'error') void this.reload();
  }

  hostDisconnected(): void {
    this.#abort?.abort();
    // A load cut short by removal starts again when the element comes back.
    if (this.state.status === 'loading') this.state = { status: 'idle' };
  }

  /** A changed input is noticed even before the first render (frameworks set properties right after connecting). */
  hostUpdate(): void {
    if (this.#host.isConnected && this.#loadedInputs !== this.#inputs) void this.reload();
  }

  get #inputs(): string {
    const host = this.#host;
    return JSON.stringify([host.src, host.episodeId, host.episodeTitle, host.transcript]);
  }

  #set(state: LoadState): void {
    this.state = state;
    this.#host.requestUpdate();
  }

  /** Loads the episode again from whichever source the element has. */
  async reload(): Promise<void> {
    // After a failure, ask the server again rather than a cache that may hold the error.
    const cache: RequestCache = this.state.status === 'error' ? 'no-cache' : 'default';
    this.#loadedInputs = this.#inputs;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this.#pending = [];
    this.warnings = [];
    this.#set({ status: 'loading' });
    this.#on.loading();
    try {
      const episode = await this.#read(abort.signal, cache);
      if (abort.signal.aborted) return;
      // Nothing to show yet: a framework may set `.episode` in a moment.
      if (episode === undefined) this.#set({ status: 'idle' });
      else {
        this.#report();
        this.#set({ status: 'loaded', episode });
        this.#on.loaded(episode);
      }
    } catch (cause) {
      if (abort.signal.aborted) return;
      const message = cause instanceof Error ? cause.message : String(cause);
      const said = cause as { key?: MessageKey; values?: Values; cause?: unknown };
      this.#set(said.key ? { status: 'error', message, key: said.key, values: said.values ?? {} } : { status: 'error', message });
      this.#on.failed(message, said.key ? said.cause : cause);
    }
  }

  /**
   * The transcript readers, fetched beside the bundle only when a transcript file is used: most pages never need
   * them. What they skip is kept for `warnings`.
   */
  #reader(src: string): TranscriptReader {
    return async (text, format) => {
      const { blocks, warnings } = await (await import('../model/transcript-formats.js')).readTranscript(text, format);
      if (warnings.length > 0) this.#pending.push({ src, warnings });
      return blocks;
    };
  }

  /** Names each skipped part on the console, so whoever publishes the file can find it. */
  #report(): void {
    this.warnings = this.#pending.flatMap((entry) => entry.warnings);
    for (const { src, warnings } of this.#pending) {
      console.warn(
        `PaperLedge: the transcript ${src} was shown without the parts it could not read:\n${warnings.map((w) => `  line ${w.line}: ${w.message}`).join('\n')}`,
      );
    }
    this.#pending = [];
  }

  async #read(signal: AbortSignal, cache: RequestCache): Promise<Episode | undefined> {
    const episode = await this.#readEpisode(signal, cache);
    if (!episode || !this.#host.transcript) return episode;
    return { ...episode, transcript: await this.#fetchTranscript(this.#host.transcript, signal, cache) };
  }

  async #fetchTranscript(src: string, signal: AbortSignal, cache: RequestCache) {
    const response = await this.#get(src, signal, cache, 'transcript');
    const text = await response.text();
    const format = detectTranscriptFormat(text, response.headers.get('content-type'));
    try {
      if (!format) throw new Error('expected WebVTT, SRT, Podcasting 2.0 JSON or HTML');
      return await this.#reader(src)(text, format);
    } catch (cause) {
      throw failure('Could not read {what} from {src}: {detail}', true, { src }, cause);
    }
  }

  async #readEpisode(signal: AbortSignal, cache: RequestCache): Promise<Episode | undefined> {
    const overrides = { id: this.#host.episodeId || undefined, title: this.#host.episodeTitle || undefined };
    if (this.given !== undefined) {
      try {
        return episodeFromJson(this.given, { requireTranscript: !this.#host.transcript, ...overrides });
      } catch (cause) {
        throw failure('The episode property is not a valid episode: {detail}', false, {}, cause);
      }
    }
    if (this.#host.src) return this.#fetch(this.#host.src, overrides, signal, cache);
    const inline = this.#host.querySelector(':scope > script[type="application/json"]');
    if (inline) {
      try {
        return parseEpisodeDocument(inline.textContent ?? '', {
          contentType: 'application/json',
          requireTranscript: !this.#host.transcript,
          ...overrides,
        });
      } catch (cause) {
        throw failure('The inline episode script is not a valid episode: {detail}', false, {}, cause);
      }
    }
    return this.#episodeFromMarkup(overrides);
  }

  /** GET with the messages a blogger can act on: which URL, and network failure or HTTP status. */
  async #get(src: string, signal: AbortSignal, cache: RequestCache, what: 'episode' | 'transcript'): Promise<Response> {
    const url = new URL(src, document.baseURI);
    const transcript = what === 'transcript';
    if (!isHttpUrl(url.href)) throw failure('Could not load {what} from {src}: only http(s) URLs are allowed.', transcript, { src });
    let response: Response;
    try {
      response = await fetch(url, { signal, cache, headers: { Accept: 'application/json, text/plain;q=0.9, */*;q=0.1' } });
    } catch (cause) {
      throw failure('Could not load {what} from {src}: the network request failed (offline, blocked, or the server does not allow this site to read it).', transcript, { src }, cause);
    }
    if (!response.ok) {
      throw failure('Could not load {what} from {src}: the server answered HTTP {status}.', transcript, { src, status: String(response.status) }, response.status);
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
          requireTranscript: !this.#host.transcript,
          // After redirects, where the file really is.
          baseUrl: response.url || url.href,
        },
        this.#reader(src),
      );
    } catch (cause) {
      throw failure('Could not read {what} from {src}: {detail}', false, { src }, cause);
    }
  }

  /** The transcript the host page already shows, read from its markup. */
  #episodeFromMarkup(overrides: { id?: string | undefined; title?: string | undefined }): Episode | undefined {
    const transcript: TranscriptBlock[] = [];
    let title: string | undefined;
    let authors: Author[] | undefined;
    for (const node of this.sourceNodes()) {
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

  sourceNodes(): Element[] {
    return [...this.#host.children].filter((child) => SOURCE_TAGS.has(child.tagName));
  }

  /**
   * Host transcript markup goes to the `source` slot, shown only while there is
   * no rendered transcript, so that it never vanishes behind a failed load.
   */
  #markSourceContent(): void {
    for (const node of this.sourceNodes()) {
      if (!node.hasAttribute('slot')) node.setAttribute('slot', 'source');
    }
  }
}
