import { CommentsApiError } from '../client/comments-api.js';
import type { Localizer } from './localize.js';

/**
 * Why a request failed, in the reader's language: what this page wrote is said again in its language of the moment;
 * the server's own messages already are in the language the client asked for (`Accept-Language`).
 */
export function failureText(error: unknown, t: Localizer): string {
  t.need('errors');
  return error instanceof CommentsApiError && error.template ? t.t(error.template, error.values) : (error as Error).message;
}
