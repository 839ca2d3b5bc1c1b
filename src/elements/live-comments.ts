import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Comment } from '../model/index.js';
import { type CommentThread, PAGE_SIZE } from './comment-thread.js';

/**
 * Streams one page holds open to one server. A browser keeps at most six connections to a server over HTTP/1.1 and
 * each stream holds one, so a page of many comment boxes (an index of episodes) would leave none for anything else:
 * beyond this, a box asks for the newest page every few seconds instead, and takes a stream when one is free.
 */
const STREAMS_PER_SERVER = 2;
const streamsOpen = new Map<string, number>();

/** While the stream is down, the newest page is asked for this often (an unchanged one costs a `304`). */
const POLL_MS = 5_000;
/** A stream that cannot be opened is tried again after this long, doubling up to a few minutes. */
const RETRY_MS = [3_000, 10_000, 60_000, 180_000];

/**
 * New comments from other readers as they are posted: the episode's event
 * stream (`GET /v1/episodes/{id}/events`) while the comment box is on screen
 * and the tab is visible, and, when the stream cannot be had, the newest page
 * asked for every 5 s with its ETag. A stream that comes back sends what was
 * missed (`lastEventId`). What arrives never moves what the reader is looking
 * at: below the fold it waits behind "N new comments"; above, the page scrolls
 * by what was added. Loaded with the comment box's first page, as a chunk.
 */
export class LiveComments implements ReactiveController {
  /** Comments that arrived below what the reader is looking at, shown on "N new comments". */
  incoming: Comment[] = [];
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #thread: CommentThread;
  #source: EventSource | undefined;
  /** The server whose stream place this box holds. */
  #server: string | undefined;
  #lastEventId = '';
  #onScreen = false;
  #observer: IntersectionObserver | undefined;
  #pollTimer: ReturnType<typeof setInterval> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #etag: string | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, thread: CommentThread) {
    this.#host = host;
    this.#thread = thread;
    host.addController(this);
  }

  /** The server's base URL and the episode, while there are both. */
  #where(): { base: URL; episode: string } | undefined {
    const base = this.#thread.on.client()?.base;
    const episode = this.#thread.on.episode();
    return base && episode ? { base, episode } : undefined;
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#update);
    this.#observer = new IntersectionObserver((entries) => {
      this.#onScreen = entries.some((entry) => entry.isIntersecting);
      this.#update();
    });
    this.#observer.observe(this.#host);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#update);
    this.#observer?.disconnect();
    this.#stop();
  }

  /** Listening only while it matters: on screen, in a visible tab. */
  #update = (): void => {
    if (this.#onScreen && document.visibilityState === 'visible') this.#start();
    else this.#stop();
  };

  #start(): void {
    if (this.#source || this.#retryTimer) return;
    const where = this.#where();
    if (!where) return;
    const server = where.base.origin;
    if ((streamsOpen.get(server) ?? 0) >= STREAMS_PER_SERVER) {
      this.#startPolling();
      return;
    }
    streamsOpen.set(server, (streamsOpen.get(server) ?? 0) + 1);
    this.#server = server;
    const url = new URL(`v1/episodes/${encodeURIComponent(where.episode)}/events`, where.base);
    // A new stream carries what this page has, so the server sends only what it missed.
    if (this.#lastEventId) url.searchParams.set('lastEventId', this.#lastEventId);
    const source = new EventSource(url);
    this.#source = source;
    source.addEventListener('ready', () => {
      this.#failures = 0;
      this.#stopPolling();
      // What changed between the page's load and the stream's start is in no event this stream will send: ask once.
      void this.#poll();
    });
    source.addEventListener('comment', (event) => this.#event(event as MessageEvent<string>, (data) => this.#arrive(data as Comment)));
    source.addEventListener('remove', (event) => this.#event(event as MessageEvent<string>, (data) => removeComment(this.#thread, (data as { id: string }).id)));
    source.addEventListener('reset', () => void this.#thread.reload());
    source.addEventListener('error', () => {
      // The browser retries a stream that dropped; one it could not open (503, offline) is closed: try later.
      this.#startPolling();
      if (source.readyState !== EventSource.CLOSED) return;
      this.#release();
      const wait = RETRY_MS[Math.min(this.#failures++, RETRY_MS.length - 1)]!;
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined;
        this.#update();
      }, wait);
    });
  }

  /** Closes the stream and gives its place back. */
  #release(): void {
    this.#source?.close();
    this.#source = undefined;
    if (this.#server) streamsOpen.set(this.#server, Math.max(0, (streamsOpen.get(this.#server) ?? 1) - 1));
    this.#server = undefined;
  }

  #stop(): void {
    this.#release();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#stopPolling();
  }

  #event(event: MessageEvent<string>, use: (data: unknown) => void): void {
    if (event.lastEventId) this.#lastEventId = event.lastEventId;
    try {
      use(JSON.parse(event.data));
    } catch {
      // Not an event of this server's: nothing to show.
    }
  }

  /** A comment from another reader: at once when nothing the reader sees would move, else behind "N new comments". */
  #arrive(comment: Comment): void {
    const thread = this.#thread;
    if (thread.comments.some((known) => known.id === comment.id) || this.incoming.some((known) => known.id === comment.id)) return;
    // A top-level comment past the pages loaded comes with "Load more"; it still counts.
    if (comment.parentId === null && thread.nextCursor !== null) {
      thread.set({ total: thread.total + 1 });
      return;
    }
    const root = this.#host.shadowRoot;
    const anchor = comment.parentId === null ? root?.querySelector('[part="list"]') : root?.querySelector(`[id="c-${comment.parentId}"]`)?.parentElement;
    const bottom = anchor?.getBoundingClientRect().bottom ?? 0;
    if (anchor && bottom > window.innerHeight) {
      this.incoming = [...this.incoming, comment];
      this.#thread.on.announce(this.#thread.on.t.t({ one: '{count} new comment', other: '{count} new comments' }, { count: this.incoming.length }));
      this.#host.requestUpdate();
      return;
    }
    // Above the reader (or beside): add it, and scroll by what it added so that what is in view stays put.
    const form = root?.querySelector('[part="form"]');
    const before = form?.getBoundingClientRect().top;
    thread.add(comment);
    void this.#host.updateComplete.then(() => {
      const after = form?.getBoundingClientRect().top;
      if (before !== undefined && after !== undefined && before < 0) window.scrollBy(0, after - before);
    });
  }

  /** "N new comments" pressed: they join the thread, and the first of them takes the focus. */
  showIncoming(): void {
    const [first] = this.incoming;
    for (const comment of this.incoming) this.#thread.add(comment);
    this.incoming = [];
    this.#host.requestUpdate();
    if (first) void this.#host.updateComplete.then(() => this.#host.shadowRoot?.querySelector<HTMLElement>(`[id="c-${first.id}"]`)?.focus());
  }

  #startPolling(): void {
    if (this.#pollTimer) return;
    this.#pollTimer = setInterval(() => void this.#poll(), POLL_MS);
  }

  #stopPolling(): void {
    clearInterval(this.#pollTimer);
    this.#pollTimer = undefined;
  }

  /** The newest page again, with its ETag: what is new in it arrives, what went from it goes. */
  async #poll(): Promise<void> {
    // A place may have come free: a stream is better than asking.
    this.#update();
    const where = this.#where();
    const thread = this.#thread;
    if (!where || thread.state !== 'loaded') return;
    const url = new URL(`v1/episodes/${encodeURIComponent(where.episode)}/comments`, where.base);
    url.searchParams.set('limit', String(PAGE_SIZE));
    const cursor = thread.lastCursor;
    if (cursor) url.searchParams.set('cursor', cursor);
    // Only what was shown when this was asked can be judged gone by its answer: a comment posted meanwhile is not in it.
    // Likewise a comment that went meanwhile is still in it, and must not come back.
    const asked = new Set(thread.comments.map((comment) => comment.id));
    const askedAfter = removals;
    try {
      const answer = await fetch(url, { headers: this.#etag ? { 'If-None-Match': this.#etag } : {} });
      if (answer.status === 304 || !answer.ok) return;
      this.#etag = answer.headers.get('ETag') ?? undefined;
      const page = (await answer.json()) as { comments?: Comment[] };
      // "Load more" (or a reload) changed what is shown while this was asked: the answer no longer matches it.
      if (!Array.isArray(page.comments) || thread.lastCursor !== cursor || thread.state !== 'loaded') return;
      const polled = new Set(page.comments.map((comment) => comment.id));
      const first = thread.lastCursor === null ? 0 : thread.comments.findIndex((comment) => comment.id === page.comments![0]?.id);
      for (const known of first < 0 ? [] : thread.comments.slice(first)) if (asked.has(known.id) && !polled.has(known.id) && !known.removed) removeComment(thread, known.id);
      const since = removed(thread);
      for (const comment of page.comments) {
        if (typeof comment?.id === 'string' && !comment.removed && !((since.get(comment.id) ?? 0) > askedAfter)) this.#arrive({ ...comment, parentId: comment.parentId ?? null });
      }
    } catch {
      // Offline: the next poll, or the stream, catches up.
    }
  }
}

/**
 * When each thread saw each comment go, as a count of removals: a poll answered after a removal it was asked before
 * must not bring that comment back (a comment restored later is in an answer asked after, and comes back).
 */
let removals = 0;
const goneAt = new WeakMap<CommentThread, Map<string, number>>();
function removed(thread: CommentThread): Map<string, number> {
  let ids = goneAt.get(thread);
  if (!ids) goneAt.set(thread, (ids = new Map()));
  return ids;
}

/**
 * A comment that went (deleted, hidden): a top-level one with replies stays as "Comment removed" so that they stay
 * readable; a removed one whose last reply goes, goes too.
 */
export function removeComment(thread: CommentThread, id: string): void {
  removed(thread).set(id, ++removals);
  const gone = thread.comments.find((known) => known.id === id);
  if (!gone || gone.removed) return;
  const hasReplies = thread.comments.some((comment) => comment.parentId === id);
  let comments = hasReplies
    ? thread.comments.map(
        (comment): Comment => (comment.id === id ? { id, episodeId: comment.episodeId, author: '', body: '', createdAt: comment.createdAt, parentId: null, removed: true } : comment),
      )
    : thread.comments.filter((comment) => comment.id !== id);
  const parent = gone.parentId === null ? undefined : comments.find((comment) => comment.id === gone.parentId);
  if (parent?.removed && !comments.some((comment) => comment.parentId === parent.id)) comments = comments.filter((comment) => comment !== parent);
  thread.set({ comments, total: Math.max(0, thread.total - 1) });
}
