import { LitElement, css, html, nothing } from 'lit';
import { linkify, relativeTime } from '../model/index.js';
import { baseStyles } from '../elements/styles.js';
import { Localizer } from '../elements/localize.js';
import type english from './locales/en.json';

/** Every English message the console says: src/admin/locales/en.json lists them. */
type ConsoleKey = keyof typeof english;

type Filter = 'pending' | 'reported' | 'visible' | 'all';

/** A comment as the owner's API lists it. */
export interface ModeratedComment {
  id: string;
  episodeId: string;
  episodeTitle: string | null;
  author: string;
  body: string;
  createdAt: string;
  status: 'visible' | 'pending';
  reports: number;
}

interface Page {
  comments: ModeratedComment[];
  nextCursor: string | null;
  total: number;
  counts: { pending: number; reported: number };
}

const FILTERS: [Filter, ConsoleKey][] = [
  ['pending', 'Waiting'],
  ['reported', 'Reported'],
  ['visible', 'Shown'],
  ['all', 'All'],
];
const BLOCK_DAYS = 7;

/**
 * The moderation console the comments server serves at `/admin`: sign in with the admin token (exchanged for an
 * HttpOnly session cookie; the token is kept nowhere in the page), then what waits, what readers reported and
 * what is shown, across episodes, with approve, hide, delete and block on each. Every change carries the
 * session's CSRF token. Comment text is shown as text; its links are shown, never followed.
 *
 * @csspart comment - One comment.
 */
export class PaperLedgeModeration extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        max-width: 60em;
        margin: 0 auto;
        padding: 1em;
        font-family: system-ui, -apple-system, 'Segoe UI', sans-serif;
        color-scheme: light dark;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em 1em;
        align-items: baseline;
        justify-content: space-between;
      }
      h1 {
        font-size: 1.5em;
        margin: 0;
      }
      .counts {
        color: var(--_muted);
        margin: 0;
      }
      .filters,
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
      }
      .filters {
        margin-block: 1em;
      }
      [aria-pressed='true'] {
        background: var(--_accent);
        color: var(--_on-accent);
        border-color: var(--_accent);
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
        align-items: end;
      }
      form label {
        display: grid;
        gap: 0.25em;
        flex: 1 1 14em;
      }
      ol {
        list-style: none;
        padding: 0;
        margin: 1em 0;
      }
      li {
        border: 1px solid color-mix(in srgb, var(--_border) 55%, transparent);
        border-radius: calc(var(--_radius) * 2);
        padding: 0.75em 1em;
        margin-block-end: 0.75em;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25em 0.75em;
        color: var(--_muted);
        font-size: 0.9em;
        margin: 0;
      }
      .author {
        color: inherit;
        font-weight: 600;
      }
      .badge {
        border: 1px solid var(--_border);
        border-radius: 1em;
        padding: 0 0.6em;
      }
      .body {
        white-space: pre-line;
        overflow-wrap: anywhere;
        margin: 0.5em 0 0.75em;
      }
      .url {
        text-decoration: underline dotted;
      }
      .error {
        color: var(--_danger);
      }
    `,
  ];

  static override properties = {
    _signedIn: { state: true },
    _filter: { state: true },
    _query: { state: true },
    _page: { state: true },
    _error: { state: true },
    _busy: { state: true },
    _announcement: { state: true },
    _confirming: { state: true },
  };

  declare private _signedIn: boolean | undefined;
  declare private _filter: Filter;
  declare private _query: string;
  declare private _page: Page | undefined;
  declare private _error: string;
  declare private _busy: boolean;
  declare private _announcement: string;
  /** The comment whose Delete was pressed once and waits for "Really delete". */
  declare private _confirming: string | undefined;
  #csrf = '';
  readonly #t = new Localizer<ConsoleKey>(this, ['console']);

  constructor() {
    super();
    this._filter = 'pending';
    this._query = '';
    this._error = '';
    this._busy = false;
    this._announcement = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#checkSession();
  }

  /** Paths are relative to the page, so the console also works behind a proxy that serves the server under a path. */
  #url(path: string): string {
    return new URL(path, document.baseURI).href;
  }

  async #send(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (init.method && init.method !== 'GET') headers.set('X-CSRF-Token', this.#csrf);
    return fetch(this.#url(path), { ...init, headers, credentials: 'same-origin' });
  }

  async #message(response: Response): Promise<string> {
    const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    return body?.error?.message ?? this.#t.t('The server answered HTTP {status}.', { status: String(response.status) });
  }

  async #checkSession(): Promise<void> {
    const answer = await fetch(this.#url('admin/session'), { credentials: 'same-origin' }).catch(() => undefined);
    if (answer?.ok) {
      this.#csrf = ((await answer.json()) as { csrf: string }).csrf;
      this._signedIn = true;
      await this.#load();
    } else {
      this._signedIn = false;
    }
  }

  #signIn = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const field = this.renderRoot.querySelector<HTMLInputElement>('#token')!;
    this._busy = true;
    const answer = await fetch(this.#url('admin/session'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: field.value }),
    }).catch(() => undefined);
    this._busy = false;
    // The token leaves the page: it is kept nowhere, not even in the field.
    field.value = '';
    if (!answer?.ok) {
      this._error = answer ? await this.#message(answer) : this.#t.t('The comments server could not be reached.');
      await this.updateComplete;
      field.focus();
      return;
    }
    this.#csrf = ((await answer.json()) as { csrf: string }).csrf;
    this._error = '';
    this._signedIn = true;
    await this.#load();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  };

  #signOut = async (): Promise<void> => {
    await this.#send('admin/session', { method: 'DELETE' });
    this._signedIn = false;
    this._page = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#token')?.focus();
  };

  async #load(more = false): Promise<void> {
    const params = new URLSearchParams({ status: this._filter });
    if (this._query.trim()) params.set('q', this._query.trim());
    if (more && this._page?.nextCursor) params.set('cursor', this._page.nextCursor);
    this._busy = true;
    const answer = await this.#send(`v1/admin/comments?${params}`).catch(() => undefined);
    this._busy = false;
    if (answer?.status === 401 || answer?.status === 403) {
      this._signedIn = false;
      this._error = this.#t.t('Your session ended: sign in again.');
      return;
    }
    if (!answer?.ok) {
      this._error = answer ? await this.#message(answer) : this.#t.t('The comments server could not be reached.');
      return;
    }
    const page = (await answer.json()) as Page;
    this._error = '';
    this._page = more && this._page ? { ...page, comments: [...this._page.comments, ...page.comments] } : page;
    const n = this._page.comments.length;
    this._announcement = this.#t.t({ one: '{shown} of {count} comment shown.', other: '{shown} of {count} comments shown.' }, { shown: n, count: page.total });
  }

  #choose(filter: Filter): void {
    this._filter = filter;
    void this.#load();
  }

  #search = (event: SubmitEvent): void => {
    event.preventDefault();
    this._query = this.renderRoot.querySelector<HTMLInputElement>('#search')!.value;
    void this.#load();
  };

  /** Approve, hide, delete or block; then the list and the counts are read again, and focus stays in the list. */
  async #act(comment: ModeratedComment, action: 'approve' | 'hide' | 'delete' | 'block'): Promise<void> {
    if (action === 'delete' && this._confirming !== comment.id) {
      this._confirming = comment.id;
      return;
    }
    this._confirming = undefined;
    const index = this._page?.comments.findIndex((c) => c.id === comment.id) ?? -1;
    const answer =
      action === 'delete'
        ? await this.#send(`v1/comments/${encodeURIComponent(comment.id)}`, { method: 'DELETE' })
        : action === 'block'
          ? await this.#send('v1/admin/blocks', {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ commentId: comment.id, days: BLOCK_DAYS }),
            })
          : await this.#send(`v1/admin/comments/${encodeURIComponent(comment.id)}/${action}`, { method: 'POST' });
    if (!answer.ok) {
      this._announcement = this.#t.t('That did not work. {reason}', { reason: await this.#message(answer) });
      return;
    }
    const t = this.#t;
    const author = { author: comment.author, count: BLOCK_DAYS };
    const done = {
      approve: t.t('Approved: the comment by {author} is shown.', author),
      hide: t.t('Hidden: the comment by {author} waits again.', author),
      delete: t.t('Deleted the comment by {author}.', author),
      block: t.t(
        {
          one: 'Blocked: whoever wrote the comment by {author} can post nothing for {count} day.',
          other: 'Blocked: whoever wrote the comment by {author} can post nothing for {count} days.',
        },
        author,
      ),
    }[action];
    await this.#load();
    this._announcement = done;
    await this.updateComplete;
    // The comment may have left this view: focus what took its place, or the list's heading.
    const cards = [...this.renderRoot.querySelectorAll<HTMLElement>('li')];
    const next = cards[Math.min(index, cards.length - 1)]?.querySelector<HTMLElement>('button');
    (next ?? this.renderRoot.querySelector<HTMLElement>('#results'))?.focus();
  }

  #comment(comment: ModeratedComment, now: Date, dates: Intl.DateTimeFormat) {
    const t = this.#t;
    const by = { author: comment.author, count: BLOCK_DAYS };
    const date = new Date(comment.createdAt);
    const labelId = `c-${comment.id}`;
    const pending = comment.status === 'pending';
    return html`<li part="comment">
      <article aria-labelledby=${labelId}>
        <p class="meta" id=${labelId}>
          <span class="author" dir="auto">${comment.author}</span>
          <time datetime=${comment.createdAt}>${relativeTime(date, now, t.lang)} (${dates.format(date)})</time>
          <span>${t.t('on {episode}', { episode: comment.episodeTitle ?? comment.episodeId })}</span>
          <span class="badge">${t.t(pending ? 'Waiting' : 'Shown')}</span>
          ${comment.reports > 0 ? html`<span class="badge">${t.t({ one: '{count} report', other: '{count} reports' }, { count: comment.reports })}</span>` : nothing}
        </p>
        <p class="body" dir="auto">${linkify(comment.body).map((run) => (run.href ? html`<span class="url">${run.text}</span>` : run.text))}</p>
        <div class="actions">
          ${pending || comment.reports > 0
            ? html`<button type="button" aria-label=${t.t('Approve the comment by {author}', by)} @click=${() => this.#act(comment, 'approve')}>${t.t('Approve')}</button>`
            : nothing}
          ${pending
            ? nothing
            : html`<button type="button" aria-label=${t.t('Hide the comment by {author}', by)} @click=${() => this.#act(comment, 'hide')}>${t.t('Hide')}</button>`}
          <button type="button" aria-label=${this._confirming === comment.id ? t.t('Really delete') : t.t('Delete the comment by {author}', by)} @click=${() => this.#act(comment, 'delete')}>
            ${t.t(this._confirming === comment.id ? 'Really delete' : 'Delete')}
          </button>
          <button
            type="button"
            aria-label=${t.t({ one: 'Block writer for {count} day: whoever wrote the comment by {author}', other: 'Block writer for {count} days: whoever wrote the comment by {author}' }, by)}
            @click=${() => this.#act(comment, 'block')}
          >
            ${t.t({ one: 'Block writer for {count} day', other: 'Block writer for {count} days' }, by)}
          </button>
        </div>
      </article>
    </li>`;
  }

  #signInForm() {
    return html`<form @submit=${this.#signIn}>
      <label for="token">${this.#t.t('Admin token')} <input id="token" type="password" autocomplete="current-password" required /></label>
      <button type="submit" ?disabled=${this._busy}>${this.#t.t('Sign in')}</button>
    </form>`;
  }

  #console() {
    const page = this._page;
    const now = new Date();
    const t = this.#t;
    const dates = new Intl.DateTimeFormat(t.lang, { dateStyle: 'medium', timeStyle: 'short' });
    const count = (filter: Filter) => (filter === 'pending' ? page?.counts.pending : filter === 'reported' ? page?.counts.reported : undefined);
    return html`<div class="filters" role="group" aria-label=${t.t('Show')}>
        ${FILTERS.map(([filter, label]) => {
          const n = count(filter);
          return html`<button type="button" aria-pressed=${this._filter === filter ? 'true' : 'false'} @click=${() => this.#choose(filter)}>
            ${n === undefined ? t.t(label) : t.t('{filter} ({count})', { filter: t.t(label), count: n })}
          </button>`;
        })}
      </div>
      <form role="search" aria-label=${t.t('Comments')} @submit=${this.#search}>
        <label for="search">${t.t('Find words in comments or names')} <input id="search" type="search" .value=${this._query} /></label>
        <button type="submit">${t.t('Find')}</button>
      </form>
      <h2 id="results" tabindex="-1">${t.t('{filter}: {count}', { filter: t.t(FILTERS.find(([f]) => f === this._filter)![1]), count: page?.total ?? 0 })}</h2>
      ${page && page.comments.length === 0 ? html`<p>${t.t('Nothing here.')}</p>` : nothing}
      <ol>
        ${page?.comments.map((comment) => this.#comment(comment, now, dates))}
      </ol>
      ${page?.nextCursor ? html`<button type="button" @click=${() => this.#load(true)}>${t.t('Load more')}</button>` : nothing}`;
  }

  protected override render() {
    const counts = this._page?.counts;
    return html`<main>
      <header>
        <h1 tabindex="-1">${this.#t.t('Moderation')}</h1>
        ${this._signedIn && counts
          ? html`<p class="counts">${this.#t.t('{pending} waiting · {reported} reported', counts)}</p>
              <button type="button" @click=${this.#signOut}>${this.#t.t('Sign out')}</button>`
          : nothing}
      </header>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      ${this._signedIn === undefined ? html`<p>${this.#t.t('Loading…')}</p>` : this._signedIn ? this.#console() : this.#signInForm()}
      <div class="visually-hidden" role="status" aria-live="polite">${this._announcement}</div>
    </main>`;
  }
}
