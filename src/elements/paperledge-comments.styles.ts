import { css } from 'lit';

/** The comments element's own styles, beside the shared ones. */
export const commentsStyles = css`
  :host {
    margin-block: var(--_gap);
  }
  [part='heading'] {
    font-size: 1.25em;
    font-weight: 700;
    margin: 0 0 0.5em;
  }
  [part='heading']:focus:not(:focus-visible),
  article:focus:not(:focus-visible) {
    outline: none;
  }
  ol {
    list-style: none;
    margin: 0 0 var(--_gap);
    padding: 0;
  }
  li {
    padding-block: 0.75em;
    /* A quiet rule between comments: it separates, it is not a control (WCAG 1.4.11 does not apply). */
    border-block-end: 1px solid color-mix(in srgb, var(--_border) 45%, transparent);
    /* Comments far off screen skip layout until scrolled near: a thread of very long comments costs what is in view. */
    content-visibility: auto;
    contain-intrinsic-size: auto 5em;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    align-items: baseline;
  }
  .author {
    font-weight: 600;
  }
  time,
  .counter {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .body {
    margin: 0.25em 0 0;
    overflow-wrap: anywhere;
    /* Line breaks kept by CSS: a comment of 5,000 short lines is one text node, not 5,000 elements. */
    white-space: pre-line;
  }
  .link-button {
    border: none;
    background: none;
    padding: 0;
    color: var(--_accent);
    text-decoration: underline;
    font-size: 0.9em;
  }
  /* Report sits at the end of the line, quieter than the comment it is about. */
  [part='report'],
  .reported {
    margin-inline-start: auto;
  }
  [part='report'] {
    color: var(--_muted);
  }
  .reported {
    color: var(--_muted);
    font-size: 0.9em;
  }
  /* Replies hang under their comment along a quiet rule: one level deep, so the indent never runs away on a phone. */
  .replies {
    margin: 0.5em 0 0;
    padding-inline-start: 1em;
    border-inline-start: 2px solid color-mix(in srgb, var(--_border) 45%, transparent);
  }
  /* Replies are drawn with their comment: its own content-visibility already skips them when far off screen. */
  .replies li {
    padding-block: 0.5em;
    border-block-end: none;
    content-visibility: visible;
    contain-intrinsic-size: none;
  }
  .reply-to {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .removed {
    margin: 0;
    color: var(--_muted);
    font-style: italic;
  }
  .badge {
    font-size: 0.8em;
    padding: 0 0.6em;
    border: 1px solid var(--_border);
    border-radius: 1em;
  }
  /* The composer is a card of its own, under the thread. */
  form {
    display: grid;
    gap: 0.75em;
    margin-block-start: var(--_gap);
    padding: 0.75em 1em 1em;
    border: 1px solid color-mix(in srgb, var(--_border) 55%, transparent);
    border-radius: calc(var(--_radius) * 2);
    background: color-mix(in srgb, var(--_surface) 45%, transparent);
  }
  .compose {
    font-weight: 700;
  }
  /* A reply's form opens in place, under the replies it will join. */
  .reply-form {
    margin-block-start: 0.5em;
    margin-inline-start: 1em;
  }
  textarea {
    min-height: 5em;
    resize: vertical;
  }
  /* Fields never push the card wider than a 320 px phone, even at 200% text. */
  .field {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 0.25em;
  }
  .counter[data-over] {
    color: var(--_danger);
    font-weight: 600;
  }
  .error {
    color: var(--_danger);
    margin: 0.25em 0;
  }
  [aria-invalid='true'] {
    border-color: var(--_danger);
  }
  /* Clipped in place, not moved off to the left: on a right-to-left page that would widen it by 10,000 px. */
  .honeypot {
    position: absolute;
    clip-path: inset(50%);
    width: 1px;
    height: 1px;
    overflow: hidden;
  }
  .actions {
    display: flex;
    gap: 0.75em;
    align-items: center;
  }
  button[type='submit'] {
    justify-self: start;
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  @media (forced-colors: active) {
    button[type='submit'] {
      forced-color-adjust: auto;
    }
  }
`;
