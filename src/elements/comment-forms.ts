import { type ReactiveController, type ReactiveControllerHost, html, nothing } from 'lit';
import type { CommentComposer, ComposerContext, ComposerView } from './comment-composer.js';
import type { CommentThread } from './comment-thread.js';
import type { Localizer } from './localize.js';

/** What the forms ask of the comment box that shows them. */
export interface FormsContext {
  thread: CommentThread;
  t: Localizer;
  /** How the comment's form (`main`) or a reply's keeps its draft and posts. */
  composer(form: 'main' | 'reply'): ComposerContext;
  /** A reply form is open: once the forms arrive, its field takes the focus ("Reply" was pressed before they were here). */
  answering(): boolean;
  focus(selector: string): void;
}

/**
 * The comment box's two forms, the comment's and a reply's. Their code is a chunk fetched beside the thread's first
 * page, since no form shows before the thread; the comment's form then shows with the thread (or its error), below
 * it, so that the arriving thread never pushes it down (layout shift), and stays once shown, so that a reload never
 * takes away the field a reader is typing in. If the chunk cannot be fetched, an alert stands in its place.
 */
export class CommentForms implements ReactiveController {
  #main: CommentComposer | undefined;
  #reply: CommentComposer | undefined;
  #asked = false;
  #shown = false;
  #failed = false;
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #on: FormsContext;

  constructor(host: ReactiveControllerHost & HTMLElement, on: FormsContext) {
    this.#host = host;
    this.#on = on;
    host.addController(this);
  }

  hostUpdate(): void {
    const state = this.#on.thread.state;
    if (state !== 'idle') this.#load();
    this.#shown ||= state === 'loaded' || state === 'error';
  }

  #load(): void {
    if (this.#asked) return;
    this.#asked = true;
    this.#on.t.need('form');
    void import('./comment-composer.js').then(
      ({ CommentComposer }) => {
        this.#main = new CommentComposer(this.#host, this.#on.composer('main'));
        this.#reply = new CommentComposer(this.#host, this.#on.composer('reply'));
        this.#host.requestUpdate();
        if (this.#on.answering()) this.#on.focus('#reply-body');
      },
      // Browsers keep a module that failed to load as failed, so only a reload fetches it again.
      () => {
        this.#failed = true;
        this.#host.requestUpdate();
      },
    );
  }

  /** The comment's form under the thread, headed one level below the box's heading; nothing before the thread. */
  renderMain(level: number) {
    if (!this.#shown) return nothing;
    const t = this.#on.t;
    if (this.#failed) {
      return html`<p class="error" part="error" role="alert">${t.t('The comment form could not load. Check the connection, then reload the page.')}</p>`;
    }
    return (
      this.#main?.render({
        prefix: '',
        label: t.t('Comment'),
        submit: t.t('Post comment'),
        lead: html`<div id="compose" class="compose" role="heading" aria-level=${Math.min(6, level + 1)}>${t.t('Add a comment')}</div>`,
      }) ?? nothing
    );
  }

  /** The reply form, in place under the comment it answers. */
  renderReply(view: ComposerView) {
    return this.#reply?.render(view) ?? nothing;
  }
}
