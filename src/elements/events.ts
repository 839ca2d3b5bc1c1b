import type { Comment, Episode } from '../model/episode.js';

/** The events the elements fire: all `paperledge-*`, bubbling out of shadow roots. */
export interface PaperLedgeLoadDetail {
  episode: Episode;
}

export interface PaperLedgeErrorDetail {
  /** A sentence a person can act on. */
  message: string;
  /** What went wrong underneath: an Error, an HTTP status, a parser error. */
  cause: unknown;
}

export interface PaperLedgeToggleDetail {
  expanded: boolean;
}

export interface PaperLedgeCommentPostedDetail {
  comment: Comment;
}

export interface PaperLedgeEventMap {
  'paperledge-load': CustomEvent<PaperLedgeLoadDetail>;
  'paperledge-error': CustomEvent<PaperLedgeErrorDetail>;
  'paperledge-toggle': CustomEvent<PaperLedgeToggleDetail>;
  'paperledge-comment-posted': CustomEvent<PaperLedgeCommentPostedDetail>;
}

declare global {
  interface GlobalEventHandlersEventMap extends PaperLedgeEventMap {}
}

type DetailOf<K extends keyof PaperLedgeEventMap> = PaperLedgeEventMap[K] extends CustomEvent<infer D> ? D : never;

export function emit<K extends keyof PaperLedgeEventMap>(target: EventTarget, type: K, detail: DetailOf<K>): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
