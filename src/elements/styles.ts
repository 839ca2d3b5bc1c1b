import { css, unsafeCSS } from 'lit';

/** Each colour token's light and dark value, written once for light-dark() and for the fallback without it. */
const PALETTE: Record<string, [light: string, dark: string]> = {
  accent: ['#0b57d0', '#8ab4f8'],
  muted: ['#4a4f57', '#bdc1c6'],
  border: ['#8a8f98', '#80868b'],
  surface: ['#f3f4f6', '#2a2c30'],
  mark: ['#ffe58a', '#7a5b00'],
  'mark-current': ['#ff9f43', '#8f4a00'],
  danger: ['#b3261e', '#f2b8b5'],
  'on-accent': ['#fff', '#111'],
};

/** `--_name: var(--paperledge-name, value)` for every colour token; the page's own property wins. */
const colours = (value: (pair: [light: string, dark: string]) => string) =>
  unsafeCSS(
    Object.entries(PALETTE)
      .map(([name, pair]) => `--_${name}: var(--paperledge-${name}, ${value(pair)});`)
      .join(''),
  );

/**
 * What every element shares: the host page's font and text colour by default,
 * `--paperledge-*` tokens for the rest, light or dark to suit the page behind
 * the element unless `theme` says otherwise, and forced-colours support.
 */
export const baseStyles = css`
  /* !important inside a shadow root outranks the page's own !important resets. */
  :host {
    display: block !important;
    box-sizing: border-box;
    font: inherit;
    color: var(--paperledge-text, inherit);
    background: var(--paperledge-background, transparent);
    max-width: var(--paperledge-max-width, 48em);
    /* !important from inside the shadow root outranks a theme's '* { line-height: 3 !important }' on the host,
       so the element's own lines (the collapsed author line, too) keep their height; children inherit it. */
    line-height: var(--paperledge-line-height, 1.6) !important;
    /* light-dark() follows color-scheme: the page behind the element, or the theme attribute. */
    color-scheme: light dark;
    ${colours(([light, dark]) => `light-dark(${light}, ${dark})`)}
    --_gap: var(--paperledge-spacing, 1em);
    --_radius: var(--paperledge-radius, 0.375em);
  }
  /* Letter and word spacing are inherited, not re-set, so a reader's text-spacing overrides (WCAG 1.4.12) reach the text. */
  :host > * {
    /* Unset unless the page sets it: then it is inherited, as a reader's override is. */
    letter-spacing: var(--paperledge-letter-spacing);
    /* A long URL or an unbroken name wraps rather than widen a phone's page. */
    overflow-wrap: anywhere;
  }
  /* What is behind the element decides (color-scheme.ts); the theme attribute, below, wins. */
  :host(:state(light)) {
    color-scheme: light;
  }
  :host(:state(dark)) {
    color-scheme: dark;
  }
  /* A theme paints the element's own background: it becomes a card, with room above and below its content. */
  :host([theme]) {
    padding-block: 0.75em;
    border-radius: calc(var(--_radius) * 2);
  }
  :host([theme='light']) {
    color-scheme: light;
    color: var(--paperledge-text, #1f2328);
    background: var(--paperledge-background, #fff);
  }
  :host([theme='dark']) {
    color-scheme: dark;
    color: var(--paperledge-text, #e8eaed);
    background: var(--paperledge-background, #1b1c1f);
  }
  /*
   * Before light-dark() (Chrome 123, Firefox 120, Safari 17.5) the palette cannot follow the page:
   * a light card, readable on any page, unless the theme attribute asks for dark.
   */
  @supports not (color: light-dark(#000, #fff)) {
    :host {
      color: var(--paperledge-text, #1f2328);
      background: var(--paperledge-background, #fff);
      ${colours(([light]) => light)}
    }
    :host([theme='dark']) {
      color: var(--paperledge-text, #e8eaed);
      background: var(--paperledge-background, #1b1c1f);
      ${colours(([, dark]) => dark)}
    }
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  a {
    color: var(--_accent);
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
    max-width: 100%;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    padding: 0.25em 0.75em;
  }
  button:disabled {
    cursor: progress;
    opacity: 0.7;
  }
  input,
  select,
  textarea {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: transparent;
    padding: 0.35em 0.5em;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  mark {
    background: var(--_mark);
    color: inherit;
    border-radius: 2px;
  }
  mark.current {
    background: var(--_mark-current);
    outline: 2px solid currentColor;
  }
  @media (forced-colors: active) {
    mark {
      forced-color-adjust: none;
      background: Mark;
      color: MarkText;
    }
    mark.current {
      background: Highlight;
      color: HighlightText;
    }
    button {
      border-color: ButtonText;
    }
  }
  /* On paper: the text, the names and the comments, without the controls that only work on a screen. */
  @media print {
    .screen-only {
      display: none !important;
    }
    .block {
      content-visibility: visible !important;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      transition: none !important;
      animation: none !important;
      scroll-behavior: auto !important;
    }
  }
`;

/** Smooth scrolling only for readers who have not asked for less motion. */
export function scrollBehavior(): ScrollBehavior {
  return matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';
}
