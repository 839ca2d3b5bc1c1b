import type { ReactiveController, ReactiveElement } from 'lit';
import type { TranscriptBlock } from '../model/episode.js';
import { scrollBehavior } from './styles.js';


/** Anything that plays like a media element: `<audio>`, `<video>`, media-chrome's elements. */
export interface MediaLike extends EventTarget {
  currentTime: number;
  readonly duration?: number;
  readonly paused?: boolean;
  playbackRate?: number;
  readonly readyState?: number;
  play(): Promise<void> | void;
}

interface Timed {
  start: number;
  end: number;
  /** 1-based block number, as in the `p-N` ids. */
  n: number;
}

/** Index of the last entry whose start is ≤ t, or -1: a binary search, so 3,000 blocks cost 12 steps. */
export function lastStartingBefore(timed: readonly { start: number }[], t: number): number {
  let low = 0;
  let high = timed.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (timed[mid]!.start <= t) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

const SCROLL_KEYS = new Set(['PageUp', 'PageDown', 'Home', 'End', 'ArrowUp', 'ArrowDown', ' ']);

/**
 * Keeps a transcript in step with a media element: marks the block being
 * spoken (touching only the block that stops and the one that starts being
 * current), keeps it in view unless the reader scrolled away, and seeks.
 */
export class MediaSync implements ReactiveController {
  readonly #host: ReactiveElement;
  #media: MediaLike | undefined;
  #timed: Timed[] = [];
  #current = 0;
  #pendingSeek: number | undefined;
  /** False once the reader scrolls away while it plays; the host shows a way back. */
  following = true;

  constructor(host: ReactiveElement) {
    this.#host = host;
    host.addController(this);
  }

  get media(): MediaLike | undefined {
    return this.#media;
  }

  /** The block number being spoken, or 0. */
  get current(): number {
    return this.#current;
  }

  hostConnected(): void {
    for (const type of ['wheel', 'touchmove'] as const) window.addEventListener(type, this.#onReaderScroll, { passive: true });
    window.addEventListener('keydown', this.#onKey);
  }

  hostDisconnected(): void {
    for (const type of ['wheel', 'touchmove'] as const) window.removeEventListener(type, this.#onReaderScroll);
    window.removeEventListener('keydown', this.#onKey);
    this.attach(undefined);
  }

  attach(media: MediaLike | undefined): void {
    if (media === this.#media) return;
    for (const type of ['timeupdate', 'seeking', 'seeked', 'loadedmetadata', 'durationchange', 'ratechange', 'play', 'pause']) {
      this.#media?.removeEventListener(type, this.#onTime);
      media?.addEventListener(type, this.#onTime);
    }
    this.#media = media;
    if (media && this.#pendingSeek !== undefined) this.seek(this.#pendingSeek);
    this.#onTime();
  }

  setBlocks(blocks: readonly TranscriptBlock[]): void {
    this.#timed = blocks
      .map((block, i) => ({ start: block.start, end: block.end, n: i + 1 }))
      .filter((b): b is Timed => b.start !== undefined)
      .map((b) => ({ ...b, end: b.end ?? Number.POSITIVE_INFINITY }))
      .sort((a, b) => a.start - b.start);
    this.#current = 0;
    this.#onTime();
  }

  /** Seeks, now or as soon as the media can (a `#t=` link opened before it loaded). */
  seek(seconds: number): void {
    const media = this.#media;
    if (!media || (media.readyState ?? 1) < 1) {
      this.#pendingSeek = seconds;
      return;
    }
    this.#pendingSeek = undefined;
    media.currentTime = seconds;
  }

  /** What a block's time button promises ("Play from 0:25"): seek there and play, paused or not. */
  playFrom(seconds: number): void {
    this.seek(seconds);
    const media = this.#media;
    // A media-like element may return nothing from play(); a real one may refuse (autoplay rules): the seek stands.
    if (media?.paused) void Promise.resolve(media.play()).catch(() => {});
  }

  skip(by: number): void {
    if (this.#media) this.seek(Math.max(0, this.#media.currentTime + by));
  }

  /** Marks the current block again, for blocks rendered after it became current. */
  refresh(): void {
    this.#mark(this.#current, true);
  }

  #block(n: number): HTMLElement | null | undefined {
    return (this.#host.renderRoot as ShadowRoot).getElementById?.(`p-${n}`);
  }

  #mark(n: number, current: boolean): void {
    const block = this.#block(n);
    block?.toggleAttribute('data-current', current);
    if (current) block?.setAttribute('aria-current', 'true');
    else block?.removeAttribute('aria-current');
  }

  /** Back to the line being spoken, and follow it again. */
  follow(): void {
    this.following = true;
    this.#scrollToCurrent(scrollBehavior());
    this.#host.requestUpdate();
  }

  #onReaderScroll = () => {
    if (this.#media && !this.#media.paused && this.following) {
      this.following = false;
      this.#host.requestUpdate();
    }
  };

  #onKey = (event: KeyboardEvent) => {
    const target = event.composedPath()[0] as HTMLElement | undefined;
    // Space on a button and arrows on the audio or a slider operate that control: they do not scroll the page.
    const control = target?.closest?.('input, textarea, select, button, audio, video, a, [role="slider"], [contenteditable]');
    if (!control && SCROLL_KEYS.has(event.key)) this.#onReaderScroll();
  };

  #onTime = () => {
    const media = this.#media;
    if (!media) return;
    if (this.#pendingSeek !== undefined && (media.readyState ?? 1) >= 1) this.seek(this.#pendingSeek);
    const at = lastStartingBefore(this.#timed, media.currentTime);
    const found = at === -1 ? undefined : this.#timed[at]!;
    const n = found && media.currentTime < found.end ? found.n : 0;
    if (n === this.#current) return;
    this.#mark(this.#current, false);
    this.#current = n;
    this.#mark(n, true);
    if (this.following && !media.paused) this.#scrollToCurrent(scrollBehavior());
  };

  #scrollToCurrent(behavior: ScrollBehavior): void {
    this.#block(this.#current)?.scrollIntoView({ block: 'nearest', behavior });
  }
}
