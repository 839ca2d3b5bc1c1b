import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CommentsClient } from '../client/comments-api.js';
import { type Comment, isEpisodeId } from '../model/index.js';

const PAGE_SIZE = 50;
/** Start loading a little before the element scrolls into view. */
const NEAR_VIEWPORT = '400px';

export type ThreadState = 'idle' | 'loading' | 'loaded' | 'error';

/** What the thread asks of the element that shows it. */
export interface ThreadContext {
  /** `api episode`: which thread the element shows now. */
  key(): string;
  episode(): string | undefined;
  client(): CommentsClient | undefined;
  /** Says something in the element's polite status region. */
  announce(text: string): void;
  /** Focuses what matches, once rendered. */
  focus(selector: string): void;
  failed(message: string, cause: unknown): void;
}

/**
 * One episode's comments as the reader sees them: loaded when the element
 * nears the viewport (never before), paged with "Load more", and changed in
 * place by posts, deletions and updates. Each failure names its cause.
 */
export class CommentThread implements ReactiveController {
  comments: Comment[] = [];
  total = 0;
  nextCursor: string | null = null;
  state: ThreadState = 'idle';
  error = '';
  loadingMore = false;
  /** Fired after each first page, for what depends on the shown comments (this device's own). */
  onLoaded: ((client: CommentsClient, comments: Comment[]) => void) | undefined;
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #on: ThreadContext;
  #observer: IntersectionObserver | undefined;
  #near = false;
  #abort: AbortController | undefined;
  /** Which thread the shown comments belong to. */
  #loadedFor = '';

  constructor(host: ReactiveControllerHost & HTMLElement, on: ThreadContext) {
    this.#host = host;
    this.#on = on;
    host.addController(this);
  }

  hostConnected(): void {
    if (typeof IntersectionObserver === 'undefined') {
      this.#near = true;
      return;
    }
    this.#observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        this.#near = true;
        this.#observer?.disconnect();
        this.#observer = undefined;
        this.maybeLoad();
      },
      { rootMargin: NEAR_VIEWPORT },
    );
    this.#observer.observe(this.#host);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
    this.#abort?.abort();
    // A load cut short by removal starts again when the element comes back.
    if (this.state === 'loading') {
      this.state = 'idle';
      this.#loadedFor = '';
    }
  }

  /** True while the shown comments are not those of the element's current thread. */
  get stale(): boolean {
    return this.#on.key() !== this.#loadedFor;
  }

  /** Loads the thread once the element is near the viewport and knows its server and episode. */
  maybeLoad(): void {
    if (!this.#near || !this.stale || !this.#on.client() || !isEpisodeId(this.#on.episode())) return;
    void this.reload();
  }

  /** Loads the first page again. */
  async reload(): Promise<void> {
    const client = this.#on.client();
    const episode = this.#on.episode();
    if (!client || !isEpisodeId(episode)) return;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this.#loadedFor = this.#on.key();
    this.#set({ state: 'loading' });
    // Said once the status region is on the page: a region born with its text is not announced by many screen readers.
    void this.#host.updateComplete.then(() => {
      if (this.state === 'loading') this.#on.announce('Loading comments…');
    });
    try {
      const page = await client.list(episode, { limit: PAGE_SIZE, signal: abort.signal });
      if (abort.signal.aborted) return;
      this.#set({ comments: page.comments, total: page.total, nextCursor: page.nextCursor, state: 'loaded' });
      this.#on.announce('');
      this.onLoaded?.(client, page.comments);
    } catch (error) {
      if (abort.signal.aborted) return;
      this.#loadedFor = '';
      this.#set({ state: 'error', error: `Comments could not be loaded. ${(error as Error).message}` });
      this.#on.announce('');
      this.#on.failed(this.error, error);
    }
  }

  async loadMore(): Promise<void> {
    const client = this.#on.client();
    const episode = this.#on.episode();
    if (!client || !isEpisodeId(episode) || this.nextCursor === null) return;
    this.#set({ loadingMore: true });
    try {
      const page = await client.list(episode, { limit: PAGE_SIZE, cursor: this.nextCursor });
      const first = page.comments.find((comment) => !this.comments.some((known) => known.id === comment.id));
      this.#set({ comments: merge(this.comments, page.comments), total: page.total, nextCursor: page.nextCursor, error: '' });
      // The button was disabled while loading, which drops focus: put it on the first comment that came in.
      if (first) this.#on.focus(`[id="c-${first.id}"]`);
      this.#on.announce(`${page.comments.length} more comments loaded.`);
    } catch (error) {
      this.#on.announce('');
      this.#set({ error: `More comments could not be loaded. ${(error as Error).message}` });
      this.#on.failed(this.error, error);
    } finally {
      this.#set({ loadingMore: false });
    }
  }

  /** A comment this reader posted, or one that arrived: added once, counted once. */
  add(comment: Comment): void {
    if (this.comments.some((known) => known.id === comment.id)) return;
    this.#set({ comments: [...this.comments, comment], total: this.total + 1 });
  }

  remove(id: string): void {
    if (!this.comments.some((known) => known.id === id)) return;
    this.#set({ comments: this.comments.filter((comment) => comment.id !== id), total: Math.max(0, this.total - 1) });
  }

  #set(changes: Partial<Pick<CommentThread, 'comments' | 'total' | 'nextCursor' | 'state' | 'error' | 'loadingMore'>>): void {
    Object.assign(this, changes);
    this.#host.requestUpdate();
  }
}

/** Appends `more` to `list`, skipping comments already there. */
export function merge(list: Comment[], more: Comment[]): Comment[] {
  const seen = new Set(list.map((comment) => comment.id));
  return [...list, ...more.filter((comment) => !seen.has(comment.id))];
}
