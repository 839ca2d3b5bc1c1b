import { LitElement, type PropertyValues, css, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import { CommentsApiError, CommentsClient } from '../client/comments-api.js';
import {
  AUTHOR_MAX_CHARACTERS,
  COMMENT_MAX_CHARACTERS,
  type Comment,
  type Episode,
  linkify,
  countCharacters,
  isEpisodeId,
  relativeTime,
} from '../model/index.js';
import { episodeContext } from './context.js';
import { matchPageColorScheme } from './color-scheme.js';
import { emit } from './events.js';
import { languageOf } from './i18n.js';
import { headingLevel } from './heading.js';
import { CommentThread, merge } from './comment-thread.js';
import { OwnComments, deviceStorage } from './own-comments.js';
import { commentsStyles } from './paperledge-comments.styles.js';
import { baseStyles } from './styles.js';

export const EMPTY_STATE = 'No comments yet. Be the first to say something!';
const MAX_LINKS_SHOWN = 20;

interface PostError {
  message: string;
  field: 'body' | 'author' | undefined;
}

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
 * @csspart comment - One comment.
 * @csspart author - A comment's author.
 * @csspart date - A comment's date.
 * @csspart empty - The empty state.
 * @csspart pending - "Waiting for approval" on this reader's own comment that waits for the site owner.
 * @csspart report - The "Report" button of another reader's comment.
 * @csspart reported - "Reported", once this reader reported a comment.
 * @csspart load-more - The "Load more comments" button.
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
    _posting: { state: true },
    _postError: { state: true },
    _draft: { state: true },
    _name: { state: true },
    _announcement: { state: true },
    _episodeFailed: { state: true },
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
  declare private _posting: boolean;
  declare private _postError: PostError | undefined;
  declare private _draft: string;
  declare private _name: string;
  declare private _announcement: string;

  #episodeHost: HTMLElement | undefined;
  readonly #own = new OwnComments(this);
  readonly #thread = new CommentThread(this, {
    key: () => this.#threadKey,
    episode: () => this.resolvedEpisode,
    client: () => this.#client(),
    announce: (text) => (this._announcement = text),
    focus: (selector) => this.#focus(selector),
    failed: (message, cause) => emit(this, 'paperledge-error', { message, cause }),
  });

  constructor() {
    super();
    matchPageColorScheme(this);
    this.#thread.onLoaded = (client, comments) => void this.#own.reconcile(client, comments);
    this._posting = false;
    this._draft = '';
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

  /** `api episode`: the thread shown, and the key its draft is kept under. */
  get #threadKey(): string {
    return `${this.resolvedApi ?? ''} ${this.resolvedEpisode ?? ''}`;
  }

  get #draftKey(): string {
    return `paperledge:draft:${this.#threadKey}`;
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
    if (changed.has('api') || changed.has('episode') || changed.has('_context')) {
      if (this.#thread.stale) {
        this._draft = deviceStorage.get(this.#draftKey) ?? '';
        this.#own.setThread(this.#threadKey);
        this._postError = undefined;
        this.#thread.maybeLoad();
      }
    }
  }

  /** A client for the resolved API, or undefined when there is none (or it is not a URL). */
  #client(): CommentsClient | undefined {
    const api = this.resolvedApi;
    if (!api) return undefined;
    try {
      return new CommentsClient(api, document.baseURI);
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

  #onDraftInput(event: Event): void {
    this._draft = (event.target as HTMLTextAreaElement).value;
    deviceStorage.set(this.#draftKey, this._draft);
    if (this._postError?.field === 'body') this._postError = undefined;
  }

  #onNameInput(event: Event): void {
    this._name = (event.target as HTMLInputElement).value;
    deviceStorage.set(NAME_KEY, this._name.trim());
    if (this._postError?.field === 'author') this._postError = undefined;
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this._posting) return;
    const client = this.#client();
    const episode = this.resolvedEpisode;
    if (!client || !isEpisodeId(episode)) return;
    if (this._draft.trim() === '') {
      this._postError = { message: 'Write a comment first.', field: 'body' };
      this.#focus('#body');
      return;
    }
    const form = event.target as HTMLFormElement;
    const website = (form.elements.namedItem('website') as HTMLInputElement | null)?.value ?? '';
    this._posting = true;
    this._postError = undefined;
    this._announcement = 'Posting your comment…';
    try {
      const { comment, deleteToken } = await client.post(episode, {
        body: this._draft,
        ...(this._name.trim() ? { author: this._name } : {}),
        ...(website ? { website } : {}),
      });
      this.#own.remember(comment, deleteToken);
      const waits = comment.status === 'pending';
      if (!waits) this.#thread.add(comment);
      this._draft = '';
      deviceStorage.set(this.#draftKey, null);
      this._announcement = waits
        ? "Your comment was received. It waits for the site owner's approval; until then only you can see it."
        : 'Your comment was posted.';
      emit(this, 'paperledge-comment-posted', { comment });
    } catch (error) {
      const apiError = error instanceof CommentsApiError ? error : undefined;
      const field = apiError?.field === 'body' || apiError?.field === 'author' ? apiError.field : undefined;
      this._postError = { message: `Your comment was not posted. ${(error as Error).message}`, field };
      this._announcement = '';
      emit(this, 'paperledge-error', { message: this._postError.message, cause: error });
    } finally {
      this._posting = false;
    }
    // The button was disabled while posting, which drops focus: put it back where typing happens.
    const active = this.shadowRoot?.activeElement;
    if (!active || active === this.renderRoot.querySelector('[part="submit"]')) this.#focus('#body');
  }

  async #delete(comment: Comment): Promise<void> {
    const client = this.#client();
    const token = this.#own.tokens[comment.id]?.token;
    if (!client || !token) return;
    try {
      await client.delete(comment.id, token);
      this.#thread.remove(comment.id);
      this._announcement = 'Your comment was deleted.';
      // Its Delete button is gone with it: focus the list's heading rather than the page.
      this.#focus('#heading');
    } catch (error) {
      this._announcement = `Your comment was not deleted. ${(error as Error).message}`;
      emit(this, 'paperledge-error', { message: this._announcement, cause: error });
    }
    this.#own.forget(comment.id);
  }

  async #report(comment: Comment): Promise<void> {
    const client = this.#client();
    if (!client) return;
    try {
      await client.report(comment.id);
      this.#own.markReported(comment.id);
      this._announcement = "Reported. Thank you: the site's owner will look at it.";
    } catch (error) {
      this._announcement = `The comment was not reported. ${(error as Error).message}`;
      emit(this, 'paperledge-error', { message: this._announcement, cause: error });
    }
  }

  #focus(selector: string): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(selector)?.focus());
  }

  #comment(comment: Comment, now: Date, lang: string, dates: Intl.DateTimeFormat) {
    const date = new Date(comment.createdAt);
    const valid = !Number.isNaN(date.getTime());
    const token = this.#own.tokens[comment.id];
    const waits = comment.status === 'pending';
    const author = comment.author || 'Anonymous';
    const when = valid ? relativeTime(date, now, lang) : '';
    return html`<li part="comment">
      <article id="c-${comment.id}" tabindex="-1" aria-label=${when ? `${author}, ${when}` : author}>
        <div class="meta">
          <span class="author" part="author" dir="auto">${comment.author || 'Anonymous'}</span>
          ${valid
            ? html`<time
                part="date"
                datetime=${comment.createdAt}
                title=${dates.format(date)}
                >${when}<span class="visually-hidden"> (${dates.format(date)})</span></time
              >`
            : nothing}
          ${waits ? html`<span class="badge" part="pending">Waiting for approval</span>` : nothing}
          ${token && token.until > now.getTime()
            ? html`<button type="button" class="link-button screen-only" @click=${() => this.#delete(comment)}>
                Delete<span class="visually-hidden"> your comment</span>
              </button>`
            : token || waits
              ? nothing
              : this.#own.isReported(comment.id)
                ? html`<span class="reported" part="reported">Reported</span>`
                : html`<button type="button" class="link-button screen-only" part="report" @click=${() => this.#report(comment)}>
                    Report<span class="visually-hidden"> this comment to the site's owner</span>
                  </button>`}
        </div>
        <p class="body" dir="auto">${this.#runs(comment.body)}</p>
      </article>
    </li>`;
  }

  /** The body as text and links: at most 20 links, the rest as text, so that a spam comment of 200 links costs no more than an honest one. */
  #runs(body: string) {
    return linkify(body, MAX_LINKS_SHOWN).map((run) =>
      run.href ? html`<a href=${run.href} rel="nofollow noopener ugc">${run.text}</a>` : run.text,
    );
  }

  #list() {
    const thread = this.#thread;
    if (thread.state === 'error') {
      return html`<p class="error" part="error" role="alert">${thread.error}</p>
        <button type="button" id="retry" @click=${this.#retry}>Try again</button>`;
    }
    if (thread.state !== 'loaded') {
      return html`<p class="loading">Loading comments…</p>`;
    }
    // This device's comments that wait for approval follow the thread, shown only here.
    const shown = merge(thread.comments, this.#own.pending);
    if (shown.length === 0) return html`<p part="empty">${EMPTY_STATE}</p>`;
    const now = new Date();
    const lang = languageOf(this);
    const dates = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' });
    return html`<ol part="list" aria-labelledby="heading">
        ${shown.map((comment) => this.#comment(comment, now, lang, dates))}
      </ol>
      ${thread.nextCursor !== null
        ? html`${thread.error ? html`<p class="error" part="error" role="alert">${thread.error}</p>` : nothing}
            <button type="button" class="screen-only" part="load-more" ?disabled=${thread.loadingMore} @click=${() => thread.loadMore()}>
              ${thread.loadingMore ? 'Loading…' : `Load more comments (${thread.total - thread.comments.length} more)`}
            </button>`
        : nothing}`;
  }

  #form() {
    const length = countCharacters(this._draft);
    const over = length > COMMENT_MAX_CHARACTERS;
    // The count shows once it matters: from 90% of the limit.
    const near = length >= COMMENT_MAX_CHARACTERS * 0.9;
    const error = this._postError;
    const numbers = new Intl.NumberFormat('en');
    const describedBy = (field: 'body' | 'author', extra: string[] = []) =>
      [...extra, ...(error && (error.field === field || (field === 'body' && error.field === undefined)) ? ['post-error'] : [])].join(' ');
    return html`<form class="screen-only" part="form" novalidate @submit=${this.#onSubmit}>
      <div id="compose" class="compose" role="heading" aria-level=${Math.min(6, headingLevel(this, this.headingLevel) + 1)}>Add a comment</div>
      <div class="field">
        <label for="author">Name <span class="optional">(optional)</span></label>
        <input
          id="author"
          part="author-input"
          name="author"
          dir="auto"
          autocomplete="nickname"
          maxlength=${AUTHOR_MAX_CHARACTERS}
          .value=${this._name}
          aria-invalid=${error?.field === 'author' ? 'true' : 'false'}
          aria-describedby=${describedBy('author') || nothing}
          @input=${this.#onNameInput}
        />
      </div>
      <div class="field">
        <label for="body">Comment</label>
        <textarea
          id="body"
          part="body-input"
          name="body"
          dir="auto"
          required
          rows="4"
          .value=${this._draft}
          aria-invalid=${over || error?.field === 'body' ? 'true' : 'false'}
          aria-describedby=${describedBy('body', near ? ['counter'] : []) || nothing}
          @input=${this.#onDraftInput}
        ></textarea>
        ${near
          ? html`<span id="counter" class="counter" part="counter" ?data-over=${over}
              >${numbers.format(length)} / ${numbers.format(COMMENT_MAX_CHARACTERS)} characters${over
                ? ` — ${numbers.format(length - COMMENT_MAX_CHARACTERS)} over the limit`
                : ''}</span
            >`
          : nothing}
      </div>
      <div class="honeypot" aria-hidden="true">
        <label for="website">Leave this field empty</label>
        <input id="website" name="website" tabindex="-1" autocomplete="off" />
      </div>
      ${error ? html`<p id="post-error" class="error" part="error" role="alert">${error.message}</p>` : nothing}
      <div class="actions">
        <button type="submit" part="submit" ?disabled=${this._posting}>
          ${this._posting ? 'Posting…' : 'Post comment'}
        </button>
      </div>
    </form>`;
  }

  /** Names what was looked for and where, and what to add: a blogger can act on it. */
  #setupHint() {
    // Inside an episode that is still loading, it may yet name them: wait rather than flash an error.
    if (this.#episodeHost && !this._context && !this._episodeFailed) {
      return html`<p class="loading">Loading comments…</p>`;
    }
    const missing = this.#client() === undefined ? 'comments server address' : 'episode id';
    const own = this.#client() === undefined ? 'api' : 'episode';
    const field = own === 'api' ? 'comments.api' : 'id';
    const from = this._context
      ? html`the episode has no <code>${field}</code>`
      : this.closest('paperledge-episode')
        ? html`the enclosing <code>&lt;paperledge-episode&gt;</code> has not loaded an episode`
        : html`it is not inside a <code>&lt;paperledge-episode&gt;</code>`;
    return html`<p class="error" part="error">
      Comments are not set up: no ${missing}. This element has no <code>${own}</code> attribute, and ${from}. Add
      <code>${own}="…"</code> to <code>&lt;paperledge-comments&gt;</code>, or <code>${field}</code> to the episode.
    </p>`;
  }

  protected override render() {
    const configured = this.#client() !== undefined && isEpisodeId(this.resolvedEpisode);
    const count = this.#thread.state === 'loaded' ? this.#thread.total : undefined;
    // No count when there are none: "0 comments" above "No comments yet…" says the same thing twice.
    const heading =
      count === undefined || count === 0 ? 'Comments' : count === 1 ? '1 comment' : `${new Intl.NumberFormat('en').format(count)} comments`;
    // Not a named region: a page may hold several comment boxes, and same-named landmarks would be ambiguous.
    return html`<section>
      <div id="heading" part="heading" role="heading" aria-level=${headingLevel(this, this.headingLevel)} tabindex="-1">${heading}</div>
      ${configured
        ? html`${this.#list()} ${this.#form()}`
        : this.#setupHint()}
      <div class="visually-hidden" role="status" aria-live="polite">${this._announcement}</div>
    </section>`;
  }
}
