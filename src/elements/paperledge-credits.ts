import { LitElement, css, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import { type Author, type AuthorInput, type Episode, isHttpUrl, normalizeAuthors } from '../model/episode.js';
import { parseCreditsLine, splitAuthorNames } from '../model/parse-paperledge-text.js';
import type { AuthorFilter } from './author-filter.js';
import { episodeContext } from './context.js';
import { matchPageColorScheme } from './color-scheme.js';
import { emit } from './events.js';
import { Localizer } from './localize.js';
import { headingLevel } from './heading.js';
import { baseStyles } from './styles.js';

/** From this many names up, a filter box helps find one. */
export const FILTER_THRESHOLD = 50;
/** Names added per task when expanding: 5,000 names arrive in steps the page can breathe between. */
const CHUNK = 400;
const DEFAULT_VISIBLE = 10;

/** Names from the host's light DOM: the published credits line, or a list of names. */
function authorsFromLightDom(host: HTMLElement): Author[] | undefined {
  const list = host.querySelector(':scope > ul, :scope > ol');
  if (list) {
    const names = [...list.querySelectorAll(':scope > li')]
      .map((li) => (li.textContent ?? '').replace(/\s+/g, ' ').trim())
      .filter(Boolean);
    return names.length > 0 ? names.map((name) => ({ name })) : undefined;
  }
  const text = (host.textContent ?? '').replace(/\s+/g, ' ').trim();
  return text === '' ? undefined : parseCreditsLine(text);
}

/**
 * The paper's authors, collapsible: the first `visible` names, then all of
 * them on request, with a filter from 50 names up. Names are kept exactly as
 * given, in order, duplicates included.
 *
 * @fires paperledge-toggle - The reader expanded or collapsed the list; `detail.expanded`.
 *
 * @csspart label - The "Credit to Paper authors:" heading.
 * @csspart list - The list of names.
 * @csspart name - One shown name (a link when the author has a URL).
 * @csspart more - The "and N more" text while collapsed.
 * @csspart toggle - The "All 200 authors" disclosure button; its label stays the same, `aria-expanded` says whether the list is open.
 * @csspart filter - The filter box (50 names and more), shown with the whole list.
 * @csspart match - The matched part of a name while filtering.
 *
 * @cssstate light - The page behind the element is light, so the light palette is used unless `theme` says otherwise.
 * @cssstate dark - The page behind the element is dark, so the dark palette is used unless `theme` says otherwise.
 * @cssprop --paperledge-accent - Links and focus rings.
 * @cssprop --paperledge-text - Text colour (default: inherited).
 * @cssprop --paperledge-muted - The label and counts.
 * @cssprop --paperledge-mark - Filter matches.
 * @cssprop --paperledge-max-width - Widest the element grows (default 48em).
 * @cssprop --paperledge-spacing - Space around the list (default 1em).
 */
export class PaperLedgeCredits extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        margin-block: var(--_gap);
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        justify-content: space-between;
        gap: 0.25em 1em;
      }
      .label {
        color: var(--_muted);
        font-weight: 600;
      }
      [part='toggle']::after {
        content: '';
        display: inline-block;
        width: 0.4em;
        height: 0.4em;
        margin-inline-start: 0.5em;
        border: solid currentColor;
        border-width: 0 0.12em 0.12em 0;
        transform: translateY(-0.15em) rotate(45deg);
      }
      [part='toggle'][aria-expanded='true']::after {
        transform: translateY(0.1em) rotate(-135deg);
      }
      ul.inline,
      ul.inline li {
        display: inline;
        margin: 0;
        padding: 0;
      }
      /* Names flow in rows, in the list's order, as they are read: no aligned columns that suggest reading down.
         (CSS multi-column would read down, but lays out 5,000 names in tasks over 50 ms.) */
      ul.columns {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25em 1.5em;
        margin: 0.5em 0;
        padding: 0;
        list-style: none;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
        align-items: center;
        margin-block-start: 0.5em;
      }
      .controls input {
        flex: 0 1 16em;
        min-width: 0;
        font: inherit;
      }
      .controls output {
        color: var(--_muted);
      }
    `,
  ];

  static override properties = {
    authors: {
      attribute: 'authors',
      converter: {
        fromAttribute: (value: string | null) =>
          value === null ? undefined : splitAuthorNames(value),
      },
    },
    visible: { type: Number, reflect: false },
    expanded: { type: Boolean, reflect: true },
    headingLevel: { type: Number, attribute: 'heading-level' },
    theme: { type: String, reflect: true },
    _lightAuthors: { state: true },
    _contextEpisode: { state: true },
    _query: { state: true },
    _shown: { state: true },
  };

  /** Names or `{name, url}` objects; the `authors` attribute takes comma-separated names. */
  declare authors: AuthorInput[] | undefined;
  /** How many names show while collapsed (default 10). */
  declare visible: number;
  /** Whether the whole list shows. */
  declare expanded: boolean;
  /** The level of the element's heading, 1 to 6 (default 2, or one deeper than the enclosing episode's). */
  declare headingLevel: number | undefined;
  /** `light` or `dark`; by default, to suit the page behind the element. */
  declare theme: 'light' | 'dark' | undefined;

  declare private _lightAuthors: Author[] | undefined;
  declare private _contextEpisode: Episode | undefined;
  declare private _query: string;
  /** How many names the expanded list has rendered so far. */
  declare private _shown: number;

  #observer: MutationObserver | undefined;
  /** The filter's matching, fetched when the reader first goes to the filter box. */
  #filter: AuthorFilter | undefined;
  readonly #t = new Localizer(this, ['credits']);
  #normalizedFrom: AuthorInput[] | undefined;
  #normalized: Author[] = [];

  constructor() {
    super();
    matchPageColorScheme(this);
    this.visible = DEFAULT_VISIBLE;
    this.expanded = false;
    this._query = '';
    this._shown = CHUNK;
    new ContextConsumer(this, {
      context: episodeContext,
      subscribe: true,
      callback: (episode) => {
        this._contextEpisode = episode;
      },
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#readLightDom();
    // CMS editors and frameworks may fill the light DOM after the element upgrades.
    this.#observer = new MutationObserver(() => this.#readLightDom());
    this.#observer.observe(this, { childList: true, subtree: true, characterData: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#observer?.disconnect();
    this.#observer = undefined;
  }

  #readLightDom(): void {
    this._lightAuthors = authorsFromLightDom(this);
  }

  /** The names shown: own property or attribute, then light DOM, then the enclosing episode. */
  get resolvedAuthors(): Author[] {
    if (this.authors !== undefined) {
      if (this.#normalizedFrom !== this.authors) {
        this.#normalizedFrom = this.authors;
        this.#normalized = normalizeAuthors(this.authors);
      }
      return this.#normalized;
    }
    return this._lightAuthors ?? this._contextEpisode?.paper?.authors ?? [];
  }

  get #visibleCount(): number {
    const n = Math.floor(Number(this.visible));
    return Number.isFinite(n) && n >= 1 ? n : DEFAULT_VISIBLE;
  }

  /** The separators Intl.ListFormat puts between `n` names in this language: `literals[i]` goes before name `i`. */
  #separators(n: number): string[] {
    const placeholders = Array.from({ length: n }, (_, i) => `\u0000${i}\u0000`);
    const literals = Array.from({ length: n }, () => '');
    let next = 0;
    for (const part of new Intl.ListFormat(this.#t.lang, { style: 'long', type: 'conjunction' }).formatToParts(placeholders)) {
      if (part.type === 'element') next += 1;
      else if (next < n) literals[next] += part.value;
    }
    return literals;
  }

  #loadFilter = (): void => {
    void import('./author-filter.js').then(({ AuthorFilter }) => {
      this.#filter ??= new AuthorFilter();
      this.requestUpdate();
    });
  };

  protected override updated(): void {
    const total = this.resolvedAuthors.length;
    if (this.expanded && this._shown < total) {
      setTimeout(() => (this._shown = Math.min(total, this._shown + CHUNK)));
    }
  }

  #toggle(): void {
    this.expanded = !this.expanded;
    this._shown = CHUNK;
    emit(this, 'paperledge-toggle', { expanded: this.expanded });
    if (!this.expanded) {
      // The list shrinks below the button: keep the button, and the reader, in view.
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector('[part="toggle"]')?.scrollIntoView({ block: 'nearest' }),
      );
    }
  }

  /** One list entry; the part goes on the `<li>` itself so 5,000 names cost 5,000 nodes, not 10,000. */
  #item(author: Author, query: string) {
    const name = this.#nameText(author, query);
    return author.url && isHttpUrl(author.url)
      ? html`<li><a part="name" dir="auto" href=${author.url}>${name}</a></li>`
      : html`<li part="name" dir="auto">${name}</li>`;
  }

  #nameText(author: Author, query: string) {
    return query === '' || !this.#filter ? author.name : this.#filter.name(author.name, query);
  }

  #name(author: Author) {
    return author.url && isHttpUrl(author.url)
      ? html`<a part="name" dir="auto" href=${author.url}>${author.name}</a>`
      : html`<span part="name" dir="auto">${author.name}</span>`;
  }

  protected override render() {
    const authors = this.resolvedAuthors;
    if (authors.length === 0) return nothing;
    const t = this.#t;
    const visible = this.#visibleCount;
    const collapsible = authors.length > visible;
    const filterable = authors.length >= FILTER_THRESHOLD;
    // The filter shows only with the whole list: a collapsed list has nothing to search.
    const query = filterable && (this.expanded || !collapsible) && this.#filter ? this._query.trim() : '';

    let list;
    let status = '';
    if (query !== '') {
      const shown = this.#filter!.shown(authors, query);
      status = shown.length === 0 ? t.t('No author matches') : t.t({ one: '{count} author matches', other: '{count} authors match' }, { count: shown.length });
      list = html`<ul class="columns" part="list" id="authors" aria-labelledby="label">
        ${shown.map((author) => this.#item(author, query))}
      </ul>`;
    } else if (this.expanded || !collapsible) {
      list =
        this.expanded && collapsible
          ? html`<ul class="columns" part="list" id="authors" aria-labelledby="label">
              ${authors.slice(0, this._shown).map((author) => this.#item(author, ''))}
            </ul>`
          : this.#inline(authors, authors.length);
    } else {
      list = this.#inline(authors, visible);
    }

    // The heading and the toggle come before the list, so expanding adds names below the focused button, never above it.
    return html`<div class="head">
        <span class="label" part="label" id="label" role="heading" aria-level=${headingLevel(this, this.headingLevel)}
          >${t.t('Credit to Paper authors:')}</span
        >
        ${collapsible
          ? html`<button
              type="button"
              class="screen-only"
              part="toggle"
              aria-expanded=${this.expanded ? 'true' : 'false'}
              aria-controls="authors"
              @click=${this.#toggle}
            >
              ${t.t({ one: 'The {count} author', other: 'All {count} authors' }, { count: authors.length })}
            </button>`
          : nothing}
      </div>
      ${filterable && (this.expanded || !collapsible)
        ? html`<div class="controls screen-only">
            <label for="filter">${t.t('Find an author')}</label>
            <input
              id="filter"
              part="filter"
              type="search"
              autocomplete="off"
              aria-controls="authors"
              .value=${this._query}
              @focus=${this.#loadFilter}
              @input=${(e: Event) => {
                this._query = (e.target as HTMLInputElement).value;
                this.#loadFilter();
              }}
            />
            <output aria-live="polite" for="filter">${status}</output>
          </div>`
        : nothing}
      ${list}`;
  }

  /** The first `count` names as a sentence ("A, B, and 190 more"), one node per shown name only. */
  #inline(authors: Author[], count: number) {
    const rest = authors.length - count;
    const separators = this.#separators(rest > 0 ? count + 1 : count);
    return html`<ul class="inline" part="list" id="authors" aria-labelledby="label">
        ${authors.slice(0, count).map(
          // The commas are for the eye: a screen reader already hears a list of names.
          (author, i) => html`<li><span aria-hidden="true">${separators[i]}</span>${this.#name(author)}</li>`,
        )}</ul
      >${rest > 0
        ? html`<span part="more">${separators[count]}${this.#t.t({ one: '{count} more', other: '{count} more' }, { count: rest })}</span>`
        : nothing}`;
  }
}
