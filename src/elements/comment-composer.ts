import { type ReactiveController, type ReactiveControllerHost, type TemplateResult, html, nothing } from 'lit';
import { CommentsApiError } from '../client/comments-api.js';
import { AUTHOR_MAX_CHARACTERS, COMMENT_MAX_CHARACTERS, countCharacters } from '../model/index.js';
import { deviceStorage } from './own-comments.js';
import type { Localizer } from './localize.js';
import { failureText } from './comment-errors.js';

interface PostError {
  /** Said at each render, in the element's language of the moment. */
  message: () => string;
  field: 'body' | 'author' | undefined;
}

export interface ComposerContext {
  /** Where this composer's draft is kept on the device (the thread's, or one reply's). */
  draftKey(): string;
  /** The reader's name, shared by every composer of the page. */
  name(): string;
  setName(name: string): void;
  /** Sends the comment; resolves once the server took it, rejects with the reason. */
  post(input: { body: string; author?: string; website?: string }): Promise<void>;
  announce(text: string): void;
  focus(selector: string): void;
  t: Localizer;
}

export interface ComposerView {
  /** `''` for the main form, `reply-` for the one that answers a comment: each field's id starts with it. */
  prefix: string;
  /** The comment field's label ("Comment", "Reply to Ada"). */
  label: string;
  submit: string;
  /** What sits above the fields: the main form's "Add a comment" heading. */
  lead?: TemplateResult;
  /** A reply's "Cancel"; Escape in its fields does the same. */
  cancel?: () => void;
}

/**
 * One comment form: its draft (kept on this device under its own key, so the
 * main comment and each reply keep theirs across reloads), its posting state,
 * and its error tied to the field that caused it. Used for the thread's form
 * and for the reply form that opens in place under a comment.
 */
export class CommentComposer implements ReactiveController {
  draft = '';
  posting = false;
  error: PostError | undefined;
  #key: string | undefined;
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #on: ComposerContext;

  constructor(host: ReactiveControllerHost & HTMLElement, on: ComposerContext) {
    this.#host = host;
    this.#on = on;
    host.addController(this);
  }

  /** Reads the draft again when the key changed (another thread, another comment answered). */
  hostUpdate(): void {
    const key = this.#on.draftKey();
    if (key === this.#key) return;
    this.#key = key;
    this.draft = deviceStorage.get(key) ?? '';
    this.error = undefined;
  }

  hostConnected(): void {
    this.#key = undefined;
  }

  #update(changes: Partial<Pick<CommentComposer, 'draft' | 'posting' | 'error'>>): void {
    Object.assign(this, changes);
    this.#host.requestUpdate();
  }

  async #submit(event: SubmitEvent, prefix: string): Promise<void> {
    event.preventDefault();
    if (this.posting) return;
    if (this.draft.trim() === '') {
      this.#update({ error: { message: () => this.#on.t.t('Write a comment first.'), field: 'body' } });
      this.#on.focus(`#${prefix}body`);
      return;
    }
    const form = event.target as HTMLFormElement;
    const website = (form.elements.namedItem('website') as HTMLInputElement | null)?.value ?? '';
    const name = this.#on.name().trim();
    this.#update({ posting: true, error: undefined });
    const key = this.#on.draftKey();
    let posted = false;
    try {
      await this.#on.post({ body: this.draft, ...(name ? { author: name } : {}), ...(website ? { website } : {}) });
      posted = true;
      this.#update({ draft: '' });
      deviceStorage.set(key, null);
    } catch (error) {
      const apiError = error instanceof CommentsApiError ? error : undefined;
      const field = apiError?.field === 'body' || apiError?.field === 'author' ? apiError.field : undefined;
      const t = this.#on.t;
      this.#update({ error: { message: () => t.t('Your comment was not posted. {reason}', { reason: failureText(error, t) }), field } });
    } finally {
      this.#update({ posting: false });
    }
    // The button was disabled while posting, which drops focus: put it back where typing happens (a posted reply's
    // form closes, and the element focuses the reply instead).
    if (posted && prefix) return;
    const root = this.#host.shadowRoot;
    const active = root?.activeElement;
    if (!active || active === form.querySelector('[part="submit"]')) this.#on.focus(`#${prefix}body`);
  }

  render({ prefix, label, submit, lead, cancel }: ComposerView) {
    const length = countCharacters(this.draft);
    const over = length > COMMENT_MAX_CHARACTERS;
    // The count shows once it matters: from 90% of the limit.
    const near = length >= COMMENT_MAX_CHARACTERS * 0.9;
    const error = this.error;
    const t = this.#on.t;
    const id = (name: string) => `${prefix}${name}`;
    const describedBy = (field: 'body' | 'author', extra: string[] = []) =>
      [...extra, ...(error && (error.field === field || (field === 'body' && error.field === undefined)) ? [id('post-error')] : [])].join(' ');
    const onKey = (event: KeyboardEvent) => {
      if (cancel && event.key === 'Escape') {
        event.preventDefault();
        cancel();
      }
    };
    return html`<form class="screen-only ${prefix ? 'reply-form' : ''}" part=${prefix ? 'reply-form' : 'form'} novalidate @submit=${(e: SubmitEvent) => this.#submit(e, prefix)} @keydown=${onKey}>
      ${lead ?? nothing}
      <div class="field">
        <label for=${id('author')}>${t.t('Name')} <span class="optional">${t.t('(optional)')}</span></label>
        <input
          id=${id('author')}
          part="author-input"
          name="author"
          dir="auto"
          autocomplete="nickname"
          maxlength=${AUTHOR_MAX_CHARACTERS}
          .value=${this.#on.name()}
          aria-invalid=${error?.field === 'author' ? 'true' : 'false'}
          aria-describedby=${describedBy('author') || nothing}
          @input=${(event: Event) => {
            this.#on.setName((event.target as HTMLInputElement).value);
            if (this.error?.field === 'author') this.#update({ error: undefined });
          }}
        />
      </div>
      <div class="field">
        <label for=${id('body')}>${label}</label>
        <textarea
          id=${id('body')}
          part="body-input"
          name="body"
          dir="auto"
          required
          rows=${prefix ? 3 : 4}
          .value=${this.draft}
          aria-invalid=${over || error?.field === 'body' ? 'true' : 'false'}
          aria-describedby=${describedBy('body', near ? [id('counter')] : []) || nothing}
          @input=${(event: Event) => {
            this.#update({ draft: (event.target as HTMLTextAreaElement).value });
            deviceStorage.set(this.#on.draftKey(), this.draft);
            if (this.error?.field === 'body') this.#update({ error: undefined });
          }}
        ></textarea>
        ${near
          ? html`<span id=${id('counter')} class="counter" part="counter" ?data-over=${over}
              >${over
                ? t.t('{length} / {limit} characters — {over} over the limit', { length, limit: COMMENT_MAX_CHARACTERS, over: length - COMMENT_MAX_CHARACTERS })
                : t.t('{length} / {limit} characters', { length, limit: COMMENT_MAX_CHARACTERS })}</span
            >`
          : nothing}
      </div>
      <div class="honeypot" aria-hidden="true">
        <label for=${id('website')}>Leave this field empty</label>
        <input id=${id('website')} name="website" tabindex="-1" autocomplete="off" />
      </div>
      ${error ? html`<p id=${id('post-error')} class="error" part="error" role="alert">${error.message()}</p>` : nothing}
      <div class="actions">
        <button type="submit" part="submit" ?disabled=${this.posting}>${this.posting ? t.t('Posting…') : submit}</button>
        ${cancel ? html`<button type="button" class="secondary" part="cancel" @click=${cancel}>${t.t('Cancel')}</button>` : nothing}
      </div>
    </form>`;
  }
}
