import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { type Comment, DELETE_WINDOW_MS } from '../model/index.js';

/** localStorage can be missing, full or forbidden (private modes, sandboxed frames): never fatal. */
export const deviceStorage = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: string | null): void {
    try {
      if (value === null || value === '') localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      // Without storage it lives only in the page, as in any form.
    }
  },
  json<T>(key: string, fallback: T): T {
    try {
      return (JSON.parse(deviceStorage.get(key) ?? 'null') as T | null) ?? fallback;
    } catch {
      return fallback;
    }
  },
};

const TOKENS_KEY = 'paperledge:delete-tokens';
const REPORTED_KEY = 'paperledge:reported';
/** A comment waiting for approval is shown to its author for this long, unless the server says what became of it. */
const PENDING_KEPT_MS = 30 * 24 * 3600 * 1000;

interface StoredToken {
  token: string;
  /** Epoch ms after which the server refuses the token for deleting. */
  until: number;
}

export interface PendingEntry {
  comment: Comment;
  token: string;
}

/**
 * What this device wrote and reported, kept in its storage: delete tokens (for 15 minutes), its comments that wait
 * for approval (shown only here, with "Waiting for approval", until the owner decides), and the comments it reported.
 */
export class OwnComments implements ReactiveController {
  tokens: Record<string, StoredToken> = {};
  /** This device's comments on the current thread that wait for approval. */
  pending: Comment[] = [];
  #entries: PendingEntry[] = [];
  #reported = new Set<string>();
  #thread = '';
  readonly #host: ReactiveControllerHost;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    const now = Date.now();
    const tokens = deviceStorage.json<Record<string, StoredToken>>(TOKENS_KEY, {});
    this.tokens = Object.fromEntries(Object.entries(tokens).filter(([, t]) => typeof t?.token === 'string' && t.until > now));
    this.#reported = new Set(deviceStorage.json<string[]>(REPORTED_KEY, []));
  }

  /** Which thread (api and episode) the pending comments belong to. */
  setThread(thread: string): void {
    this.#thread = thread;
    const cutoff = Date.now() - PENDING_KEPT_MS;
    this.#setEntries(deviceStorage.json<PendingEntry[]>(this.#pendingKey, []).filter((e) => Date.parse(e.comment?.createdAt) > cutoff));
  }

  get #pendingKey(): string {
    return `paperledge:pending:${this.#thread}`;
  }

  #setEntries(entries: PendingEntry[]): void {
    this.#entries = entries;
    this.pending = entries.map((entry) => entry.comment);
    deviceStorage.set(this.#pendingKey, entries.length ? JSON.stringify(entries) : null);
    this.#host.requestUpdate();
  }

  /** A comment the server accepted from this device: its token, and, if it waits, the comment itself. */
  remember(comment: Comment, token: string): void {
    this.#setTokens({ ...this.tokens, [comment.id]: { token, until: Date.parse(comment.createdAt) + DELETE_WINDOW_MS } });
    if (comment.status === 'pending') this.#setEntries([...this.#entries, { comment, token }]);
  }

  forget(id: string): void {
    const { [id]: _gone, ...tokens } = this.tokens;
    this.#setTokens(tokens);
    this.#setEntries(this.#entries.filter((entry) => entry.comment.id !== id));
  }

  #setTokens(tokens: Record<string, StoredToken>): void {
    this.tokens = tokens;
    deviceStorage.set(TOKENS_KEY, JSON.stringify(tokens));
    this.#host.requestUpdate();
  }

  /** This device's waiting comments, with their tokens. */
  get entries(): readonly PendingEntry[] {
    return this.#entries;
  }

  /** Keeps only these waiting comments (see `reconcile` in comment-extras.ts). */
  keep(entries: PendingEntry[]): void {
    this.#setEntries(entries);
  }

  isReported(id: string): boolean {
    return this.#reported.has(id);
  }

  markReported(id: string): void {
    this.#reported.add(id);
    deviceStorage.set(REPORTED_KEY, JSON.stringify([...this.#reported].slice(-500)));
    this.#host.requestUpdate();
  }
}
