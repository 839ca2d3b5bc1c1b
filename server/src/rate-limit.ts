/**
 * Sliding-window counters kept in memory: how many times each client did a thing
 * in the last `windowMs`. Nothing is written to disk, so no file holds a trace of
 * when a client acted that could be lined up with its comments.
 */
export class SlidingWindowLimiter {
  readonly #hits = new Map<string, number[]>();
  #sweptAt = 0;

  /** Counts a hit unless `limit` are already counted; otherwise says how long until the oldest leaves the window. */
  hit(client: string, limit: number, windowMs: number, now = Date.now()): { ok: true } | { retryAfterMs: number } {
    this.#sweep(windowMs, now);
    const recent = (this.#hits.get(client) ?? []).filter((at) => at > now - windowMs);
    if (recent.length >= limit) {
      this.#hits.set(client, recent);
      return { retryAfterMs: Math.max(0, recent[0]! + windowMs - now) };
    }
    recent.push(now);
    this.#hits.set(client, recent);
    return { ok: true };
  }

  /** Takes back the newest hit: the action it counted did not happen. */
  refund(client: string): void {
    this.#hits.get(client)?.pop();
  }

  /** Drops clients with no hit in the window, at most once a window, so memory follows the active clients. */
  #sweep(windowMs: number, now: number): void {
    if (now - this.#sweptAt < windowMs) return;
    this.#sweptAt = now;
    for (const [client, hits] of this.#hits) {
      if (hits.length === 0 || hits[hits.length - 1]! <= now - windowMs) this.#hits.delete(client);
    }
  }
}
