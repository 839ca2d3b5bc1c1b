/**
 * The level of an element's own heading (contract 7.6): its `heading-level`
 * when it gives a valid one (1 to 6), else one deeper than the enclosing
 * `<paperledge-episode>`'s, else 2. Rendered as `role="heading"` with
 * `aria-level`, since a shadow root cannot choose its tag name from data.
 */
export function headingLevel(element: HTMLElement, own: number | undefined): number {
  const valid = (n: number | undefined): n is number => n !== undefined && Number.isInteger(n) && n >= 1 && n <= 6;
  if (valid(own)) return own;
  const episode = element.parentElement?.closest('paperledge-episode') as (HTMLElement & { headingLevel?: number }) | null;
  if (!episode) return 2;
  return Math.min(6, headingLevel(episode, episode.headingLevel) + 1);
}
