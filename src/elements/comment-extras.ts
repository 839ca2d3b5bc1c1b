import type { Localizer } from './localize.js';
import { failureText } from './comment-errors.js';
import type { CommentsClient } from '../client/comments-api.js';
import type { Comment } from '../model/index.js';
import { type CommentThread, PAGE_SIZE, merge } from './comment-thread.js';
import type { OwnComments, PendingEntry } from './own-comments.js';

/**
 * What a comment box does once its first page is in, fetched then as one chunk
 * beside the bundle: the next pages, a reader deleting their comment or
 * reporting another's, what became of this device's waiting comments, and live
 * updates (`live-comments.ts`). The box itself renders and posts without it.
 */

import { removeComment } from './live-comments.js';

export { LiveComments } from './live-comments.js';

export interface ActionContext {
  client: CommentsClient;
  own: OwnComments;
  thread: CommentThread;
  announce(text: string): void;
  focus(selector: string): void;
  failed(message: string, cause: unknown): void;
  t: Localizer;
}

export async function loadMore({ client, thread, announce, focus, failed, t }: ActionContext, episode: string): Promise<void> {
  if (thread.nextCursor === null || thread.loadingMore) return;
  thread.set({ loadingMore: true });
  try {
    const cursor = thread.nextCursor;
    const page = await client.list(episode, { limit: PAGE_SIZE, cursor });
    const first = page.comments.find((comment) => !thread.comments.some((known) => known.id === comment.id));
    thread.set({ comments: merge(thread.comments, page.comments), total: page.total, nextCursor: page.nextCursor, error: undefined, lastCursor: cursor });
    // The button was disabled while loading, which drops focus: put it on the first comment that came in.
    if (first) focus(`[id="c-${first.id}"]`);
    announce(t.t({ one: '{count} more comment loaded.', other: '{count} more comments loaded.' }, { count: page.comments.length }));
  } catch (error) {
    announce('');
    thread.set({ error: () => t.t('More comments could not be loaded. {reason}', { reason: failureText(error, t) }) });
    failed(thread.error!(), error);
  } finally {
    thread.set({ loadingMore: false });
  }
}

export async function deleteComment({ client, own, thread, announce, focus, failed, t }: ActionContext, comment: Comment): Promise<void> {
  const token = own.tokens[comment.id]?.token;
  if (!token) return;
  try {
    await client.delete(comment.id, token);
    removeComment(thread, comment.id);
    announce(t.t('Your comment was deleted.'));
    // Its Delete button is gone with it: focus the list's heading rather than the page.
    focus('#heading');
  } catch (error) {
    const message = t.t('Your comment was not deleted. {reason}', { reason: failureText(error, t) });
    announce(message);
    failed(message, error);
  }
  own.forget(comment.id);
}

export async function reportComment({ client, own, announce, failed, t }: ActionContext, comment: Comment): Promise<void> {
  try {
    await client.report(comment.id);
    own.markReported(comment.id);
    announce(t.t('Reported. Thank you: the site\'s owner will look at it.'));
  } catch (error) {
    const message = t.t('The comment was not reported. {reason}', { reason: failureText(error, t) });
    announce(message);
    failed(message, error);
  }
}

/**
 * After the thread loads: a waiting comment of this device that is now listed was approved; one the server no longer
 * has, or no longer holds back, is dropped. The server is asked with the comment's own token; a network failure keeps it.
 */
export async function reconcile(own: OwnComments, client: CommentsClient, listed: readonly Comment[]): Promise<void> {
  const ids = new Set(listed.map((comment) => comment.id));
  const kept: PendingEntry[] = [];
  for (const entry of own.entries) {
    if (ids.has(entry.comment.id)) continue;
    const status = await client.status(entry.comment.id, entry.token).catch((error: { status?: number }) => (error.status === 404 ? 'gone' : 'pending'));
    if (status === 'pending') kept.push(entry);
  }
  own.keep(kept);
}
