/** The comment rules the server enforces and the comment box counts against. */
export const COMMENT_MAX_CHARACTERS = 5000;
export const AUTHOR_MAX_CHARACTERS = 80;
/** Requests over this many bytes are refused before they are read. */
export const REQUEST_MAX_BYTES = 64 * 1024;
/** How long an author's delete token works. */
export const DELETE_WINDOW_MS = 15 * 60 * 1000;
export const ANONYMOUS = 'Anonymous';

/** Characters as a person counts them: code points, so an emoji is one, not two. */
export function countCharacters(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** The error body of every non-2xx answer of the comments API. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

export interface CommentPage<C> {
  comments: C[];
  nextCursor: string | null;
  total: number;
}
