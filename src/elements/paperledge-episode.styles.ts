import { css } from 'lit';

/** The episode element's own styles, beside the shared ones. */
export const episodeStyles = css`
  .header {
    margin-block-end: var(--_gap);
  }
  /* Everything lines up with the transcript's text, which sits inside the room kept for the current-line bar. */
  .header,
  .search,
  .player,
  .error,
  ::slotted(*) {
    margin-inline: calc(0.75em + 3px) 0.75em;
  }
  /* Authors and comments are sections of the episode page, set apart from the transcript by space and a quiet rule. */
  ::slotted(paperledge-credits),
  ::slotted(paperledge-comments) {
    margin-block-start: calc(var(--_gap) * 2);
    padding-block-start: var(--_gap);
    border-block-start: 1px solid color-mix(in srgb, var(--_border) 45%, transparent);
    /* Square, though a theme makes each of them a rounded card: on a card's corners the rule would curve up at both ends. */
    border-radius: 0;
  }
  .title {
    font-size: 1.5em;
    font-weight: 700;
    line-height: 1.25;
    margin: 0 0 0.25em;
  }
  .title:focus:not(:focus-visible),
  .transcript:focus:not(:focus-visible) {
    outline: none;
  }
  .show {
    margin: 0;
    color: var(--_muted);
  }
  .search {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    align-items: center;
    margin-block: var(--_gap);
  }
  .search input {
    /* Small enough that the two step buttons stay beside it on a phone. */
    flex: 1 1 8em;
    min-width: 0;
  }
  /* While finding, the box stays on screen above the transcript: the browser keeps a focused box's caret in view,
     which would otherwise scroll the page back up from the match after every keystroke. */
  .search:focus-within {
    position: sticky;
    top: 0;
    z-index: 1;
    background: Canvas;
  }
  .search label {
    flex-basis: 100%;
    font-size: 0.875em;
    font-weight: 600;
  }
  .search input {
    font: inherit;
  }
  .search output {
    color: var(--_muted);
  }
  .search output:empty {
    display: none;
  }
  .transcript.reserved {
    min-height: var(--paperledge-loading-height, 24em);
  }
  /* Every block has the bar's room, transparent until current: marking one moves no text and spills past no edge. */
  .block {
    position: relative;
    margin: 0 0 var(--_gap);
    border-inline-start: 3px solid transparent;
    padding-inline: 0.75em;
    border-radius: 0 var(--_radius) var(--_radius) 0;
    scroll-margin-block: 4rem;
    /* Off-screen blocks skip layout and paint until scrolled near; find-in-page still sees them. */
    content-visibility: auto;
    contain-intrinsic-size: auto 4.5em;
  }
  blockquote.block {
    margin-inline: 0;
    border-inline-start-color: var(--_border);
    font-style: italic;
  }
  ul.block {
    padding-inline-start: 2.25em;
  }
  .block[data-target] {
    background: var(--_surface);
    outline: 2px solid var(--_accent);
    outline-offset: 4px;
    border-radius: 2px;
  }
  .term,
  .speaker {
    font-weight: 600;
  }
  .block[data-current] {
    background: var(--_surface);
    border-inline-start-color: var(--_accent);
  }
  .player {
    margin-block: var(--_gap);
    container-type: inline-size;
  }
  .player-placeholder {
    height: calc(3.75em + 2px);
  }
  @container (max-width: 30em) {
    .player-placeholder {
      height: calc(6.25em + 2px);
    }
  }
  /* A chip in the accent colour: reads as "play from here", not as one more bordered button. */
  .time {
    font-variant-numeric: tabular-nums;
    font-size: 0.8em;
    padding: 0.05em 0.55em;
    border-color: color-mix(in srgb, var(--_accent) 40%, transparent);
    border-radius: 1em;
    background: transparent;
    color: var(--_accent);
    vertical-align: 0.05em;
  }
  .time:hover {
    background: color-mix(in srgb, var(--_accent) 12%, transparent);
  }
  .follow {
    position: sticky;
    bottom: 1em;
    display: block;
    margin-inline: auto;
  }
  @media (forced-colors: active) {
    .block[data-current] {
      outline: 2px solid Highlight;
    }
  }
  /* Underlined, so it is a link by more than colour; shown on hover and focus, always where there is no hover (touch). */
  .anchor {
    margin-inline-start: 0.35em;
    text-underline-offset: 0.2em;
    opacity: 0;
    transition: opacity 0.15s;
  }
  .block:hover .anchor,
  .anchor:focus-visible {
    opacity: 1;
  }
  @media (hover: none) {
    .anchor {
      opacity: 1;
    }
  }
  .error {
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
    padding: 0.75em 1em;
    margin-block-end: var(--_gap);
  }
  .error p {
    margin: 0 0 0.5em;
  }
  .skeleton {
    height: 1em;
    margin: 0.6em 0.75em 0.6em calc(0.75em + 3px);
    border-radius: 4px;
    background: var(--_surface);
  }
  @media (forced-colors: active) {
    .block[data-target] {
      outline-color: Highlight;
    }
  }
`;
