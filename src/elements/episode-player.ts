import type { Localizer } from './localize.js';
import { type ReactiveController, type ReactiveElement, css, html, svg } from 'lit';
import type { ChaptersDocument, PodcastChapter } from '../model/episode.js';
import { parseChaptersJson } from '../model/parse-chapters.js';
import { detectTranscriptFormat } from '../model/transcript-detect.js';
import { formatTime } from '../model/time-format.js';
import type { MediaLike } from './media-sync.js';

/** The chunk also brings what follows the audio: the episode element loads both at once. */
export { MediaSync } from './media-sync.js';

const RATES = [0.75, 1, 1.25, 1.5, 1.75, 2];
/** Arrow keys on the scrubber move 5 s, Page keys a minute: a 1-second step would take minutes to cross an episode. */
const STEP = 5;
const PAGE = 60;

const icon = (path: string) =>
  html`<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">${svg`<path d=${path} />`}</svg>`;
const PLAY = 'M8 5.5v13a1 1 0 0 0 1.5.86l10.2-6.5a1 1 0 0 0 0-1.72L9.5 4.64A1 1 0 0 0 8 5.5z';
const PAUSE = 'M7 5h3.5v14H7zM13.5 5H17v14h-3.5z';

/**
 * The player card, loaded beside the bundle only for an episode with audio:
 * play and pause, a scrubber (a native range input, so every engine and
 * assistive technology treats it as the APG slider it is), one clock, skip
 * buttons and speed, over a hidden `<audio>` that the host renders.
 * Time updates touch only the scrubber and the clock, never the host's render.
 */
export class EpisodePlayer implements ReactiveController {
  readonly #host: ReactiveElement;
  #media: MediaLike | undefined;
  /** While the reader drags, the media's time must not pull the thumb back. */
  #dragging = false;
  /** The chapters listed: those of the table of contents, in time order. */
  #chapters: PodcastChapter[] = [];
  /** The episode's `chapters` these came from: a document, or the URL being read. */
  #chaptersFrom: ChaptersDocument | string | undefined;
  /** The episode's words, as of its last render. */
  #t: Localizer | undefined;

  constructor(host: ReactiveElement) {
    this.#host = host;
    host.addController(this);
    const root = host.renderRoot as ShadowRoot;
    // Adopted, not a <style> element, so a strict CSP without 'unsafe-inline' styles it too.
    if (root.adoptedStyleSheets && playerStyles.styleSheet) root.adoptedStyleSheets = [...root.adoptedStyleSheets, playerStyles.styleSheet];
  }

  hostDisconnected(): void {
    this.attach(undefined);
  }

  hostUpdated(): void {
    this.#onTime();
  }

  attach(media: MediaLike | undefined): void {
    if (media === this.#media) return;
    for (const type of ['play', 'pause', 'ratechange', 'durationchange', 'loadedmetadata', 'emptied']) {
      this.#media?.removeEventListener(type, this.#onState);
      media?.addEventListener(type, this.#onState);
    }
    // Not every engine sends timeupdate after a seek while paused (WebKit): seeked moves the scrubber and chapters too.
    for (const type of ['timeupdate', 'seeked', 'durationchange']) {
      this.#media?.removeEventListener(type, this.#onTime);
      media?.addEventListener(type, this.#onTime);
    }
    this.#media = media;
    this.#host.requestUpdate();
  }

  #onState = () => this.#host.requestUpdate();

  #part<T extends Element>(name: string): T | null | undefined {
    return (this.#host.renderRoot as ShadowRoot).querySelector?.<T>(`[part~="${name}"]`);
  }

  /** Chapters inline, or from their URL (read once, in the background); a bad document is named on the console. */
  #setChapters(value: ChaptersDocument | string | undefined): void {
    if (value === this.#chaptersFrom) return;
    this.#chaptersFrom = value;
    const listed = (doc: ChaptersDocument) => doc.chapters.filter((c) => c.toc !== false).sort((a, b) => a.startTime - b.startTime);
    this.#chapters = [];
    if (value === undefined) return;
    if (typeof value !== 'string') {
      // Inline chapters are checked here, where they are used: a broken document costs the list, never the episode.
      try {
        this.#chapters = listed(parseChaptersJson(value));
      } catch (error) {
        console.warn(`PaperLedge: the episode's chapters are not shown: ${(error as Error).message}`);
      }
      return;
    }
    void fetch(value)
      .then(async (answer) => {
        if (!answer.ok) throw new Error(`the server answered HTTP ${answer.status}`);
        const text = await answer.text();
        // WebVTT chapters (`kind="chapters"`) as well as Podcasting 2.0 JSON, told apart as transcripts are.
        if (detectTranscriptFormat(text, answer.headers.get('content-type')) === 'vtt') {
          return (await import('../model/transcript-formats.js')).readWebVttChapters(text);
        }
        return parseChaptersJson(JSON.parse(text) as unknown, value);
      })
      .then((doc) => {
        if (this.#chaptersFrom !== value) return;
        this.#chapters = listed(doc);
        this.#host.requestUpdate();
      })
      .catch((error: Error) => console.warn(`PaperLedge: the chapters at ${value} could not be read: ${error.message}`));
  }

  /** Moves the scrubber and the clock: four times a second while playing, so without a host render. */
  #onTime = () => {
    const media = this.#media;
    const scrubber = this.#part<HTMLInputElement>('scrubber');
    const clock = this.#part('clock');
    const now = media?.currentTime ?? 0;
    const duration = Number.isFinite(media?.duration) ? (media?.duration ?? 0) : 0;
    if (clock) clock.textContent = `${formatTime(now)} / ${formatTime(duration)}`;
    let current = -1;
    this.#chapters.forEach((chapter, i) => {
      if (chapter.startTime <= now) current = i;
    });
    (this.#host.renderRoot as ShadowRoot).querySelectorAll?.('[part~="chapter"]').forEach((item, i) => {
      if (i === current) item.setAttribute('aria-current', 'true');
      else item.removeAttribute('aria-current');
    });
    if (!scrubber || this.#dragging) return;
    scrubber.max = String(duration);
    scrubber.value = String(now);
    scrubber.setAttribute('aria-valuetext', this.#t?.t('{time} of {duration}', { time: formatTime(now), duration: formatTime(duration) }) ?? '');
    // CSSOM, not a style attribute: allowed under a strict CSP.
    scrubber.style.setProperty('--_progress', `${duration > 0 ? (now / duration) * 100 : 0}%`);
  };

  #seek(seconds: number): void {
    const media = this.#media;
    if (!media) return;
    const duration = Number.isFinite(media.duration) ? (media.duration ?? 0) : 0;
    media.currentTime = Math.max(0, duration > 0 ? Math.min(duration, seconds) : seconds);
    // The new position shows at once, whatever events the engine sends after a seek.
    this.#onTime();
  }

  #toggle = () => {
    const media = this.#media;
    if (!media) return;
    // Autoplay rules may refuse; the button then still says Play, which is true.
    if (media.paused) void Promise.resolve(media.play()).catch(() => {});
    else (media as MediaLike & { pause(): void }).pause();
  };

  #onKey = (event: KeyboardEvent) => {
    const by: Record<string, number> = { ArrowRight: STEP, ArrowUp: STEP, ArrowLeft: -STEP, ArrowDown: -STEP, PageUp: PAGE, PageDown: -PAGE };
    const media = this.#media;
    if (!media) return;
    let to: number | undefined;
    if (event.key in by) to = media.currentTime + by[event.key]!;
    else if (event.key === 'Home') to = 0;
    else if (event.key === 'End') to = media.duration ?? 0;
    if (to === undefined) return;
    event.preventDefault();
    this.#seek(to);
    this.#onTime();
  };

  #onInput = (event: Event) => {
    this.#dragging = true;
    const scrubber = event.target as HTMLInputElement;
    const to = Number(scrubber.value);
    const duration = Number(scrubber.max) || 0;
    scrubber.style.setProperty('--_progress', `${duration > 0 ? (to / duration) * 100 : 0}%`);
    scrubber.setAttribute('aria-valuetext', `${formatTime(to)} of ${formatTime(duration)}`);
    this.#seek(to);
  };

  #onChange = () => {
    this.#dragging = false;
    this.#onTime();
  };

  render(title: string, t: Localizer, chapters?: ChaptersDocument | string) {
    this.#t = t;
    this.#setChapters(chapters);
    const media = this.#media;
    const paused = media?.paused ?? true;
    const rate = media?.playbackRate ?? 1;
    return html`<div class="player-controls" role="group" aria-label=${t.t('Audio: {title}', { title })}>
      <button type="button" class="play" part="play" aria-label=${t.t(paused ? 'Play' : 'Pause')} @click=${this.#toggle}>
        ${icon(paused ? PLAY : PAUSE)}
      </button>
      <input
        type="range"
        class="scrubber"
        part="scrubber"
        dir="ltr"
        min="0"
        max="0"
        step="any"
        value="0"
        aria-label=${t.t('Position')}
        @keydown=${this.#onKey}
        @input=${this.#onInput}
        @change=${this.#onChange}
      />
      <span class="meta">
      <span class="clock" part="clock" role="timer" dir="ltr">0:00 / 0:00</span>
      <span class="tools">
        <button type="button" class="skip" part="skip" @click=${() => this.#seek((media?.currentTime ?? 0) - 15)}>
          <span dir="ltr">−15 s</span><span class="visually-hidden">: ${t.t('back 15 seconds')}</span>
        </button>
        <button type="button" class="skip" part="skip" @click=${() => this.#seek((media?.currentTime ?? 0) + 15)}>
          <span dir="ltr">+15 s</span><span class="visually-hidden">: ${t.t('forward 15 seconds')}</span>
        </button>
        <label class="speed" part="speed"
          ><span class="visually-hidden">${t.t('Speed')}</span>
          <select
            dir="ltr"
            @change=${(e: Event) => {
              if (media) media.playbackRate = Number((e.target as HTMLSelectElement).value);
            }}
          >
            ${RATES.map((r) => html`<option value=${r} ?selected=${r === rate}>${r}×</option>`)}
          </select></label
        >
      </span>
      </span>
    </div>
    ${this.#chapters.length === 0
      ? ''
      : html`<nav class="chapters" aria-label=${t.t('Chapters of {title}', { title })}>
          <ol part="chapters">
            ${this.#chapters.map(
              (chapter, i) => html`<li part="chapter">
                <button type="button" @click=${() => this.#seek(chapter.startTime)}>
                  <span class="chapter-time" dir="ltr">${formatTime(chapter.startTime)}</span>
                  <span dir="auto">${chapter.title ?? t.t('Chapter {n}', { n: i + 1 })}</span>
                </button>
              </li>`,
            )}
          </ol>
        </nav>`}`;
  }
}

/**
 * One card: on a wide element a single row (play, scrubber, clock, tools);
 * in a narrow one the scrubber takes the first row and the rest sit under it.
 */
export const playerStyles = css`
  .player {
    container-type: inline-size;
  }
  .player-controls {
    display: grid;
    grid-template-columns: auto 1fr auto;
    grid-template-areas: 'play scrubber meta';
    align-items: center;
    gap: 0.5em 0.75em;
    padding: 0.5em 0.75em 0.5em 0.5em;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 2);
    background: var(--_surface);
  }
  /* Narrow: play and the scrubber on one row, the clock and tools under them, wrapping rather than overflowing. */
  @container (max-width: 30em) {
    .player-controls {
      grid-template-columns: auto 1fr;
      grid-template-areas: 'play scrubber' 'meta meta';
      padding: 0.5em 0.75em 0.5em 0.5em;
    }
  }
  .meta {
    grid-area: meta;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.25em 0.75em;
  }
  .play {
    grid-area: play;
    display: grid;
    place-items: center;
    width: 2.75em;
    height: 2.75em;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .play svg {
    width: 1.4em;
    height: 1.4em;
    fill: currentColor;
  }
  .scrubber {
    grid-area: scrubber;
    --_track: color-mix(in srgb, var(--_border) 45%, transparent);
    appearance: none;
    -webkit-appearance: none;
    width: 100%;
    /* The input is the hit area (WCAG 2.5.8); its track is drawn inside it. */
    height: 1.5em;
    margin: 0;
    padding: 0;
    border: 0;
    border-radius: 0;
    background: linear-gradient(var(--_accent), var(--_accent)) no-repeat 0 50% / var(--_progress, 0%) 0.35em,
      linear-gradient(var(--_track), var(--_track)) no-repeat 0 50% / 100% 0.35em;
    cursor: pointer;
  }
  .scrubber::-webkit-slider-thumb {
    -webkit-appearance: none;
    width: 1em;
    height: 1em;
    border: 2px solid var(--_surface);
    border-radius: 50%;
    background: var(--_accent);
  }
  .scrubber::-moz-range-thumb {
    width: 1em;
    height: 1em;
    box-sizing: border-box;
    border: 2px solid var(--_surface);
    border-radius: 50%;
    background: var(--_accent);
  }
  .scrubber::-moz-range-track {
    background: transparent;
  }
  .clock {
    font-size: 0.875em;
    font-variant-numeric: tabular-nums;
    color: var(--_muted);
    white-space: nowrap;
  }
  .tools {
    display: flex;
    align-items: center;
    margin-inline-start: auto;
    gap: 0.125em;
  }
  .skip,
  .speed select {
    padding: 0.3em 0.45em;
    border: 1px solid transparent;
    border-radius: var(--_radius);
    background: transparent;
    font-size: 0.875em;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .skip:hover,
  .speed select:hover {
    border-color: var(--_border);
  }
  .speed select {
    appearance: none;
    -webkit-appearance: none;
    border-color: var(--_border);
    text-align: center;
    cursor: pointer;
  }
  .speed option {
    background: Canvas;
    color: CanvasText;
  }
  /* Chapters: a quiet list under the card; the one being played has the accent bar the transcript's line has. */
  .chapters ol {
    list-style: none;
    margin: 0.5em 0 0;
    padding: 0;
  }
  .chapters button {
    display: flex;
    gap: 0.75em;
    width: 100%;
    padding: 0.3em 0.75em;
    border: 0;
    border-inline-start: 3px solid transparent;
    border-radius: 0;
    background: transparent;
    text-align: start;
  }
  /* The title takes the rest of the row, so a title in the episode's language lines up at its own start, even when the
     page is written the other way. */
  .chapters button > span:last-child {
    flex: 1;
  }
  .chapters button:hover {
    background: var(--_surface);
  }
  [part~='chapter'][aria-current] button {
    border-inline-start-color: var(--_accent);
    font-weight: 600;
  }
  .chapter-time {
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
    min-width: 3.5em;
  }
  @media (forced-colors: active) {
    .play {
      border: 1px solid ButtonText;
    }
    .scrubber {
      appearance: auto;
      background: none;
    }
  }
`;
