import type { Localizer } from './localize.js';
import { failureText } from './comment-errors.js';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CommentsClient } from '../client/comments-api.js';
import { type Comment, isEpisodeId } from '../model/index.js';

export const PAGE_SIZE = 50;
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
  /** The element's words. */
  t: Localizer;
  /** After each first page, for what depends on the shown comments (this device's own, live updates). */
  loaded(client: CommentsClient, comments: Comment[]): void;
}

/**
 * One episode's comments as the reader sees them: loaded when the element
 * nears the viewport (never before, and judged after the page has laid out
 * what the thread belongs to), and added to in place by posts. Paging,
 * removals and live updates are in `comment-extras.ts`, fetched with the first
 * page. Each failure names its cause.
 */
export class CommentThread implements ReactiveController {
  comments: Comment[] = [];
  total = 0;
  nextCursor: string | null = null;
  state: ThreadState = 'idle';
  /** What went wrong, said at each render in the element's language of the moment. */
  error: (() => string) | undefined;
  loadingMore = false;
  /** The cursor the last loaded page was asked with (null: the first page): where new comments turn up, for polling. */
  lastCursor: string | null = null;
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly on: ThreadContext;
  #observer: IntersectionObserver | undefined;
  #near = false;
  /**
   * Whether coming near may start a load: from connecting and from each change of what the thread shows until a load
   * starts. A failed load then waits for "Try again" or a change, not for the reader to scroll by again.
   */
  #armed = true;
  #abort: AbortController | undefined;
  /** Which thread the shown comments belong to. */
  #loadedFor = '';

  constructor(host: ReactiveControllerHost & HTMLElement, on: ThreadContext) {
    this.#host = host;
    this.on = on;
    host.addController(this);
  }

  hostConnected(): void {
    this.#armed = true;
    if (typeof IntersectionObserver === 'undefined') {
      this.#near = true;
      return;
    }
    // Kept while connected: whether the element is near is asked again each time what it shows changes.
    this.#observer = new IntersectionObserver(
      (entries) => {
        this.#near = entries[entries.length - 1]!.isIntersecting;
        this.#maybeLoad();
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
    return this.on.key() !== this.#loadedFor;
  }

  /** Loads the thread once the element is near the viewport and knows its server and episode. */
  #maybeLoad(): void {
    if (!this.#armed || !this.#near || !this.stale || !this.on.client() || !isEpisodeId(this.on.episode())) return;
    this.#armed = false;
    void this.reload();
  }

  /**
   * When what the thread shows changes (its server or episode, often because the episode around the box has just
   * loaded): loads once the element is near the viewport as laid out after the change. Near as laid out before it is not
   * enough: a box under an episode that is still loading sits near the top, and the transcript that arrives with
   * the episode puts it screens further down, where a reader may never scroll.
   */
  retarget(): void {
    this.#armed = true;
    const observer = this.#observer;
    if (observer === undefined) {
      this.#maybeLoad();
      return;
    }
    this.#near = false;
    // Observing again reports where the element is after the next layout.
    observer.unobserve(this.#host);
    observer.observe(this.#host);
  }

  /** Loads the first page again. */
  async reload(): Promise<void> {
    const client = this.on.client();
    const episode = this.on.episode();
    if (!client || !isEpisodeId(episode)) return;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this.#loadedFor = this.on.key();
    this.set({ state: 'loading' });
    // Said once the status region is on the page: a region born with its text is not announced by many screen readers.
    void this.#host.updateComplete.then(() => {
      if (this.state === 'loading') this.on.announce('Loading comments…');
    });
    try {
      const page = await client.list(episode, { limit: PAGE_SIZE, signal: abort.signal });
      if (abort.signal.aborted) return;
      this.lastCursor = null;
      this.set({ comments: page.comments, total: page.total, nextCursor: page.nextCursor, state: 'loaded' });
      this.on.announce('');
      this.on.loaded(client, page.comments);
    } catch (error) {
      if (abort.signal.aborted) return;
      this.#loadedFor = '';
      const t = this.on.t;
      this.set({ state: 'error', error: () => t.t('Comments could not be loaded. {reason}', { reason: failureText(error, t) }) });
      this.on.announce('');
      this.on.failed(this.error!(), error);
    }
  }

  /** A comment this reader posted, or one that arrived: added once, counted once; a reply after its comment's last reply. */
  add(comment: Comment): void {
    if (this.comments.some((known) => known.id === comment.id)) return;
    const comments = [...this.comments];
    let at = comments.length;
    if (comment.parentId !== null) {
      const parent = comments.findIndex((known) => known.id === comment.parentId);
      // A reply to a comment not loaded yet (a later page) comes with that page.
      if (parent === -1) return;
      at = parent + 1;
      while (at < comments.length && comments[at]!.parentId === comment.parentId) at++;
    }
    comments.splice(at, 0, comment);
    this.set({ comments, total: this.total + 1 });
  }

  /** Changes what is shown and renders again. */
  set(changes: Partial<Pick<CommentThread, 'comments' | 'total' | 'nextCursor' | 'state' | 'error' | 'loadingMore' | 'lastCursor'>>): void {
    Object.assign(this, changes);
    this.#host.requestUpdate();
  }
}

/** Appends `more` to `list`, skipping comments already there. */
export function merge(list: Comment[], more: Comment[]): Comment[] {
  const seen = new Set(list.map((comment) => comment.id));
  return [...list, ...more.filter((comment) => !seen.has(comment.id))];
}
