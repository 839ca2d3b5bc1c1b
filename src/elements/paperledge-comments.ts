import { LitElement, type PropertyValues, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import { CommentsClient } from '../client/comments-api.js';
import { type Comment, type Episode, isEpisodeId, linkify, relativeTime } from '../model/index.js';
import { episodeContext } from './context.js';
import { matchPageColorScheme } from './color-scheme.js';
import { emit } from './events.js';
import { Localizer, type MessageKey } from './localize.js';
import { failureText } from './comment-errors.js';
import { headingLevel } from './heading.js';
import { CommentForms } from './comment-forms.js';
import { CommentThread, merge } from './comment-thread.js';
import type { LiveComments } from './live-comments.js';
import type { setupHint } from './comment-setup.js';
import type { ActionContext } from './comment-extras.js';
import { OwnComments, deviceStorage } from './own-comments.js';
import { commentsStyles } from './paperledge-comments.styles.js';
import { baseStyles } from './styles.js';

const MAX_LINKS_SHOWN = 20;


const NAME_KEY = 'paperledge:name';

/**
 * The comment box of an episode: the comments, oldest first, and a form to add
 * one, backed by the PaperLedge comments API. Nothing is fetched until the
 * element nears the viewport; drafts survive reloads on this device.
 *
 * @fires paperledge-comment-posted - A comment was accepted; `detail.comment`.
 * @fires paperledge-error - Loading or posting failed; `detail.message` says why.
 *
 * @csspart heading - The heading with the count.
 * @csspart list - The list of comments.
 * @csspart comment - One comment (with its replies, for a top-level one).
 * @csspart replies - The list of a comment's replies.
 * @csspart reply - The "Reply" button of a comment.
 * @csspart reply-form - The form that answers a comment, opened in place under it.
 * @csspart reply-to - "Replying to Ada" on a reply to a reply.
 * @csspart removed - "Comment removed", where a deleted or hidden comment that has replies was.
 * @csspart cancel - The reply form's "Cancel" button.
 * @csspart author - A comment's author.
 * @csspart date - A comment's date.
 * @csspart empty - The empty state.
 * @csspart pending - "Waiting for approval" on this reader's own comment that waits for the site owner.
 * @csspart report - The "Report" button of another reader's comment.
 * @csspart reported - "Reported", once this reader reported a comment.
 * @csspart load-more - The "Load more comments" button.
 * @csspart new-comments - "Show 2 new comments": other readers' comments that arrived below what the reader is looking at.
 * @csspart form - The form.
 * @csspart author-input - The optional name field.
 * @csspart body-input - The comment field.
 * @csspart counter - The character counter.
 * @csspart submit - The submit button.
 * @csspart error - A load or post error message.
 *
 * @cssstate light - The page behind the element is light, so the light palette is used unless `theme` says otherwise.
 * @cssstate dark - The page behind the element is dark, so the dark palette is used unless `theme` says otherwise.
 * @cssprop --paperledge-accent - Links, buttons and focus rings.
 * @cssprop --paperledge-text - Text colour (default: inherited).
 * @cssprop --paperledge-muted - Dates and the counter.
 * @cssprop --paperledge-border - Fields and separators.
 * @cssprop --paperledge-danger - Error messages.
 * @cssprop --paperledge-max-width - Widest the element grows (default 48em).
 * @cssprop --paperledge-spacing - Space between comments (default 1em).
 */
export class PaperLedgeComments extends LitElement {
  static override styles = [baseStyles, commentsStyles];

  static override properties = {
    api: { type: String },
    episode: { type: String },
    headingLevel: { type: Number, attribute: 'heading-level' },
    theme: { type: String, reflect: true },
    _context: { state: true },
    _name: { state: true },
    _announcement: { state: true },
    _episodeFailed: { state: true },
    _replyTo: { state: true },
  };

  /** Base URL of the comments API (`https://comments.example.org`). Defaults to the episode's. */
  declare api: string | undefined;
  /** Episode id. Defaults to the enclosing episode's. */
  declare episode: string | undefined;
  /** The level of the element's heading, 1 to 6 (default 2, or one deeper than the enclosing episode's). */
  declare headingLevel: number | undefined;
  /** `light` or `dark`; by default, to suit the page behind the element. */
  declare theme: 'light' | 'dark' | undefined;

  declare private _context: Episode | undefined;
  /** The enclosing episode reported an error, so it will never name the API or episode. */
  declare private _episodeFailed: boolean;
  declare private _name: string;
  /** What the status region says: a message said at each render (so in the language of the moment), or a sentence. */
  declare private _announcement: string;
  /** The comment being answered: its reply form is open under its thread. */
  declare private _replyTo: Comment | undefined;

  #episodeHost: HTMLElement | undefined;
  #hint: typeof setupHint | undefined;
  /** Paging, deleting, reporting and live updates: a chunk fetched once the first page is in. */
  #extras: Promise<typeof import('./comment-extras.js')> | undefined;
  /** Other readers' new comments, live. */
  #live: LiveComments | undefined;
  readonly #own = new OwnComments(this);
  readonly #t = new Localizer(this, ['comments']);
  /** What the controllers and extras use to speak, focus and report failures. */
  readonly #say = {
    announce: (text: string) => (this._announcement = text),
    focus: (selector: string) => this.#focus(selector),
    failed: (message: string, cause: unknown) => emit(this, 'paperledge-error', { message, cause }),
    t: this.#t,
  };
  readonly #thread = new CommentThread(this, {
    key: () => this.#threadKey,
    episode: () => this.resolvedEpisode,
    client: () => this.#client(),
    ...this.#say,
    loaded: (client, comments) =>
      void this.#loadExtras().then((extras) => {
        void extras.reconcile(this.#own, client, comments);
        this.#live ??= new extras.LiveComments(this, this.#thread);
      }),
  });
  readonly #forms = new CommentForms(this, {
    thread: this.#thread,
    t: this.#t,
    composer: (form) => ({
      draftKey: () => `paperledge:draft:${this.#threadKey}${form === 'reply' ? `:reply:${this._replyTo?.id ?? ''}` : ''}`,
      name: () => this._name,
      setName: (name) => {
        this._name = name;
        deviceStorage.set(NAME_KEY, name.trim());
      },
      post: (input) => this.#post(input, form === 'reply' ? this._replyTo : undefined),
      ...this.#say,
    }),
    answering: () => this._replyTo !== undefined,
    focus: (selector) => this.#focus(selector),
  });

  constructor() {
    super();
    matchPageColorScheme(this);
    this._name = '';
    this._announcement = '';
    this._episodeFailed = false;
    new ContextConsumer(this, {
      context: episodeContext,
      subscribe: true,
      callback: (episode) => {
        this._context = episode;
      },
    });
  }

  /** The API base this element talks to: its own attribute, else the episode's. */
  get resolvedApi(): string | undefined {
    return this.api || this._context?.comments?.api || undefined;
  }

  /** The episode id this element shows: its own attribute, else the episode's. */
  get resolvedEpisode(): string | undefined {
    return this.episode || this._context?.id || undefined;
  }

  /** `api episode`: the thread shown, and the key its drafts are kept under. */
  get #threadKey(): string {
    return `${this.resolvedApi ?? ''} ${this.resolvedEpisode ?? ''}`;
  }

  #loadExtras() {
    this.#t.need('extras');
    return (this.#extras ??= import('./comment-extras.js'));
  }

  /** Runs one of the extras (delete, report, load more) once they are here, with what they act on. */
  async #act(run: (extras: typeof import('./comment-extras.js'), actions: ActionContext) => Promise<void>): Promise<void> {
    const client = this.#client();
    if (client) await run(await this.#loadExtras(), { client, own: this.#own, thread: this.#thread, ...this.#say });
  }

  #onEpisodeEvent = (event: Event): void => {
    // Only the episode's own events: this element's errors bubble through it too.
    if (event.target === event.currentTarget) this._episodeFailed = event.type === 'paperledge-error';
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.#episodeHost = this.closest('paperledge-episode') ?? undefined;
    this.#episodeHost?.addEventListener('paperledge-error', this.#onEpisodeEvent);
    this.#episodeHost?.addEventListener('paperledge-load', this.#onEpisodeEvent);
    this._name = deviceStorage.get(NAME_KEY) ?? '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#episodeHost?.removeEventListener('paperledge-error', this.#onEpisodeEvent);
    this.#episodeHost?.removeEventListener('paperledge-load', this.#onEpisodeEvent);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if ((changed.has('api') || changed.has('episode') || changed.has('_context')) && this.#thread.stale) {
      this.#own.setThread(this.#threadKey);
      this._replyTo = undefined;
      this.#thread.retarget();
    }
  }

  /** A client for the resolved API, or undefined when there is none (or it is not a URL). */
  #client(): CommentsClient | undefined {
    const api = this.resolvedApi;
    if (!api) return undefined;
    try {
      return new CommentsClient(api, document.baseURI, this.#t.lang);
    } catch {
      return undefined;
    }
  }

  /** Loads the first page of comments again. */
  reload(): Promise<void> {
    return this.#thread.reload();
  }

  /** "Try again" disappears as it loads: focus goes to the heading, or to the new "Try again" if it fails again. */
  async #retry(): Promise<void> {
    await this.reload();
    this.#focus(this.#thread.state === 'error' ? '#retry' : '#heading');
  }

  /** Posts a comment, or a reply to `parent`; a posted reply closes its form and takes the focus. */
  async #post(input: { body: string; author?: string; website?: string }, parent: Comment | undefined): Promise<void> {
    const client = this.#client();
    const episode = this.resolvedEpisode;
    if (!client || !isEpisodeId(episode)) throw new Error('Comments are not set up.');
    const t = this.#t;
    this._announcement = parent ? 'Posting your reply…' : 'Posting your comment…';
    try {
      const { comment, deleteToken } = await client.post(episode, { ...input, ...(parent ? { parentId: parent.id } : {}) });
      this.#own.remember(comment, deleteToken);
      const waits = comment.status === 'pending';
      if (!waits) this.#thread.add(comment);
      this._announcement = waits ? "Your comment was received. It waits for the site owner's approval; until then only you can see it." : parent ? 'Your reply was posted.' : 'Your comment was posted.';
      emit(this, 'paperledge-comment-posted', { comment });
      if (parent) {
        this._replyTo = undefined;
        this.#focus(`[id="c-${comment.id}"]`);
      }
    } catch (error) {
      this._announcement = '';
      emit(this, 'paperledge-error', { message: t.t('Your comment was not posted. {reason}', { reason: failureText(error, t) }), cause: error });
      throw error;
    }
  }

  #openReply(comment: Comment): void {
    this._replyTo = comment;
    this.#focus('#reply-body');
  }

  #cancelReply = (): void => {
    const answered = this._replyTo;
    this._replyTo = undefined;
    // Back to the "Reply" that opened it, never to the page.
    if (answered) this.#focus(`[data-reply-for="${answered.id}"]`);
  };

  #focus(selector: string): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(selector)?.focus());
  }

  /** One comment: its author, date and actions, then its text. */
  #article(comment: Comment, now: Date, dates: Intl.DateTimeFormat) {
    const t = this.#t;
    if (comment.removed) {
      const removed = t.t('Comment removed');
      return html`<article id="c-${comment.id}" tabindex="-1" aria-label=${removed}><p class="removed" part="removed">${removed}</p></article>`;
    }
    const date = new Date(comment.createdAt);
    const valid = !Number.isNaN(date.getTime());
    const token = this.#own.tokens[comment.id];
    const waits = comment.status === 'pending';
    const author = comment.author || t.t('Anonymous');
    const when = valid ? relativeTime(date, now, t.lang) : '';
    const answering = this._replyTo?.id === comment.id;
    return html`<article id="c-${comment.id}" tabindex="-1" aria-label=${when ? t.t('{author}, {when}', { author, when }) : author}>
      <div class="meta">
        <span class="author" part="author" dir="auto">${author}</span>
        ${comment.replyTo ? html`<span class="reply-to" part="reply-to" dir="auto">${t.t('Replying to {author}', { author: comment.replyTo.author || t.t('Anonymous') })}</span>` : nothing}
        ${valid
          ? html`<time part="date" datetime=${comment.createdAt} title=${dates.format(date)}
              >${when}<span class="visually-hidden"> (${dates.format(date)})</span></time
            >`
          : nothing}
        ${waits ? html`<span class="badge" part="pending">${t.t('Waiting for approval')}</span>` : nothing}
        ${waits
          ? nothing
          : html`<button
              type="button"
              class="link-button screen-only"
              part="reply"
              data-reply-for=${comment.id}
              aria-expanded=${answering ? 'true' : 'false'}
              aria-label=${t.t('Reply to {author}', { author })}
              @click=${() => (answering ? this.#cancelReply() : this.#openReply(comment))}
            >
              ${t.t('Reply')}
            </button>`}
        ${token && token.until > now.getTime()
          ? html`<button type="button" class="link-button screen-only" aria-label=${t.t('Delete your comment')} @click=${() => this.#act((x, a) => x.deleteComment(a, comment))}>
              ${t.t('Delete')}
            </button>`
          : token || waits
            ? nothing
            : this.#own.isReported(comment.id)
              ? html`<span class="reported" part="reported">${t.t('Reported')}</span>`
              : html`<button type="button" class="link-button screen-only" part="report" aria-label=${t.t('Report this comment to the site\'s owner')} @click=${() => this.#act((x, a) => x.reportComment(a, comment))}>
                  ${t.t('Report')}
                </button>`}
      </div>
      <p class="body" dir="auto">${this.#runs(comment.body)}</p>
    </article>`;
  }

  /** The body as text and links: at most 20 links, the rest as text, so that a spam comment of 200 links costs no more than an honest one. */
  #runs(body: string) {
    return linkify(body, MAX_LINKS_SHOWN).map((run) =>
      run.href ? html`<a href=${run.href} rel="nofollow noopener ugc">${run.text}</a>` : run.text,
    );
  }

  #list() {
    const thread = this.#thread;
    const t = this.#t;
    if (thread.state === 'error') {
      return html`<p class="error" part="error" role="alert">${thread.error?.()}</p>
        <button type="button" id="retry" @click=${this.#retry}>${t.t('Try again')}</button>`;
    }
    if (thread.state !== 'loaded') {
      return html`<p class="loading">${t.t('Loading comments…')}</p>`;
    }
    // This device's comments that wait for approval follow the thread (a reply under its comment), shown only here.
    const shown = merge(thread.comments, this.#own.pending);
    const tops = shown.filter((comment) => comment.parentId === null);
    if (tops.length === 0) return html`<p part="empty">${t.t('No comments yet. Be the first to say something!')}</p>`;
    const now = new Date();
    const dates = new Intl.DateTimeFormat(t.lang, { dateStyle: 'long', timeStyle: 'short' });
    const open = this._replyTo;
    return html`<ol part="list" aria-labelledby="heading">
        ${tops.map((top) => {
          const replies = shown.filter((comment) => comment.parentId === top.id);
          const answering = open !== undefined && (open.id === top.id || open.parentId === top.id);
          return html`<li part="comment">
            ${this.#article(top, now, dates)}
            ${replies.length > 0
              ? html`<ol class="replies" part="replies" aria-label=${top.removed ? t.t('Replies to a removed comment') : t.t('Replies to {author}', { author: top.author || t.t('Anonymous') })}>
                  ${replies.map((reply) => html`<li part="comment">${this.#article(reply, now, dates)}</li>`)}
                </ol>`
              : nothing}
            ${answering
              ? this.#forms.renderReply({ prefix: 'reply-', label: t.t('Reply to {author}', { author: open.author || t.t('Anonymous') }), submit: t.t('Post reply'), cancel: this.#cancelReply })
              : nothing}
          </li>`;
        })}
      </ol>
      ${this.#live?.incoming.length
        ? html`<button type="button" class="screen-only" part="new-comments" @click=${() => this.#live!.showIncoming()}>
            ${t.t({ one: 'Show {count} new comment', other: 'Show {count} new comments' }, { count: this.#live.incoming.length })}
          </button>`
        : nothing}
      ${thread.nextCursor !== null
        ? html`${thread.error ? html`<p class="error" part="error" role="alert">${thread.error()}</p>` : nothing}
            <button type="button" class="screen-only" part="load-more" ?disabled=${thread.loadingMore} @click=${() => this.#act((x, a) => x.loadMore(a, this.resolvedEpisode!))}>
              ${thread.loadingMore ? t.t('Loading…') : t.t('Load more comments ({count} more)', { count: thread.total - thread.comments.filter((c) => !c.removed).length })}
            </button>`
        : nothing}`;
  }

  /** Names what was looked for and where, and what to add (a chunk: only a box that is not set up needs it). */
  #setupHint() {
    // Inside an episode that is still loading, it may yet name them: wait rather than flash an error.
    if (this.#episodeHost && !this._context && !this._episodeFailed) {
      return html`<p class="loading">${this.#t.t('Loading comments…')}</p>`;
    }
    if (!this.#hint) {
      void import('./comment-setup.js').then(({ setupHint }) => {
        this.#hint = setupHint;
        this.requestUpdate();
      });
      return nothing;
    }
    return this.#hint(this.#client() === undefined, this._context ? 'loaded' : this.closest('paperledge-episode') ? 'not-loaded' : 'none');
  }

  protected override render() {
    const configured = this.#client() !== undefined && isEpisodeId(this.resolvedEpisode);
    const count = this.#thread.state === 'loaded' ? this.#thread.total : undefined;
    // No count when there are none: "0 comments" above "No comments yet…" says the same thing twice.
    const t = this.#t;
    const heading = count === undefined || count === 0 ? t.t('Comments') : t.t({ one: '{count} comment', other: '{count} comments' }, { count });
    const level = headingLevel(this, this.headingLevel);
    // Not a named region: a page may hold several comment boxes, and same-named landmarks would be ambiguous.
    return html`<section>
      <div id="heading" part="heading" role="heading" aria-level=${level} tabindex="-1">${heading}</div>
      ${configured
        ? html`${this.#list()}
          ${this.#forms.renderMain(level)}`
        : this.#setupHint()}
      <div class="visually-hidden" role="status" aria-live="polite">${t.t(this._announcement as MessageKey)}</div>
    </section>`;
  }
}
