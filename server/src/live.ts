import type { Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { isEpisodeId } from 'paperledge-widgets/model';
import { type Env, apiError, badEpisodeId } from './app.js';
import type { ServerConfig } from './config.js';
import type { CommentStore, LiveEvent } from './store.js';

/**
 * Live comments: `GET /v1/episodes/{id}/events` as Server-Sent Events. Every
 * change readers should see is written as an event in the change's own
 * transaction (see the stores), so the event log is the truth: this hub reads
 * it after each local write, on PostgreSQL's `NOTIFY` from other processes, and
 * once a second in any case, and hands each event to the streams of its episode.
 * A reader who reconnects with `Last-Event-ID` is sent what it missed.
 */

interface Subscriber {
  episodeId: string;
  /** Where this reader's missed events start (its Last-Event-ID, or now). */
  after: number;
  /** Events up to this number were written before the reader came (or it has them): never sent live. */
  since: number;
  send(event: LiveEvent): void;
  /** Events that arrived while the subscriber's missed events were being read: sent after them, in order. */
  queue: LiveEvent[] | undefined;
  /** What the reader was sent while catching up, so that nothing is sent twice. */
  sent: Set<number> | undefined;
}

/**
 * How long a missing event number is looked for again. With several processes (PostgreSQL), numbers are taken when a
 * transaction writes its event and become visible when it commits, so 12 can be read before 11: 11 is read as soon as
 * it commits, and given up for lost (a rolled-back transaction) after this long.
 */
const HOLE_MS = 3000;

export interface HubOptions {
  /** How often the event log is read even when nothing woke the hub (default 1 s). */
  pollMs?: number;
  /** How often an idle stream gets a comment line, so that proxies keep it open (default 15 s). */
  heartbeatMs?: number;
}

export class EventHub {
  readonly heartbeatMs: number;
  readonly #store: CommentStore;
  readonly #subscribers = new Map<string, Set<Subscriber>>();
  readonly #ends = new Set<() => void>();
  readonly #started: Promise<void>;
  readonly #timer: NodeJS.Timeout;
  readonly #stopListening: () => void;
  #seen = 0;
  /** Event numbers below `#seen` not read yet, and since when they are missing. */
  readonly #holes = new Map<number, number>();
  #pumping: Promise<void> | undefined;
  #again = false;
  /** Open streams, in all and by client. */
  open = 0;
  readonly byClient = new Map<string, number>();

  constructor(store: CommentStore, options: HubOptions = {}) {
    this.#store = store;
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.#started = store.eventBounds().then(
      (bounds) => void (this.#seen = bounds.last),
      () => undefined,
    );
    this.#stopListening = store.onEvents(() => this.wake());
    this.#timer = setInterval(() => this.wake(), options.pollMs ?? 1000);
    this.#timer.unref();
  }

  /** Reads the log for events not yet handed out; a wake during a read reads again after it. */
  wake(): void {
    if (this.#subscribers.size === 0) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = this.#pump()
      .catch(() => undefined)
      .finally(() => {
        this.#pumping = undefined;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  async #pump(): Promise<void> {
    await this.#started;
    const now = Date.now();
    for (const [seq, since] of this.#holes) if (now - since > HOLE_MS) this.#holes.delete(seq);
    for (;;) {
      // From the oldest hole, so that an event that committed late is read too; each event is handed out once.
      const from = this.#holes.size > 0 ? Math.min(this.#seen, Math.min(...this.#holes.keys()) - 1) : this.#seen;
      const events = await this.#store.eventsSince(from, 500);
      let fresh = 0;
      for (const event of events) {
        if (event.seq <= this.#seen) {
          if (!this.#holes.delete(event.seq)) continue;
        } else {
          for (let missing = this.#seen + 1; missing < event.seq; missing++) this.#holes.set(missing, now);
          this.#seen = event.seq;
          fresh++;
        }
        for (const subscriber of this.#subscribers.get(event.episodeId) ?? []) {
          if (event.seq <= subscriber.since) continue;
          if (subscriber.queue) subscriber.queue.push(event);
          else subscriber.send(event);
        }
      }
      if (events.length < 500 || fresh === 0) return;
    }
  }

  /**
   * A reader's stream of one episode. With `lastEventId`, first what it missed; when that is no longer kept (or the
   * id is not one of this database's), `reset` tells it to load the comments again.
   */
  async subscribe(episodeId: string, lastEventId: number | undefined, send: (event: LiveEvent) => void, reset: () => void): Promise<() => void> {
    await this.#started;
    const catchingUp = lastEventId !== undefined;
    // The hub reads the log only while someone listens, so it may be behind: "now" is the log's newest event.
    const now = catchingUp ? 0 : (await this.#store.eventBounds()).last;
    const start = lastEventId ?? now;
    const subscriber: Subscriber = { episodeId, after: start, since: start, send, queue: catchingUp ? [] : undefined, sent: catchingUp ? new Set() : undefined };
    let set = this.#subscribers.get(episodeId);
    if (!set) this.#subscribers.set(episodeId, (set = new Set()));
    set.add(subscriber);
    if (lastEventId !== undefined) {
      try {
        const bounds = await this.#store.eventBounds();
        if (lastEventId > bounds.last || (bounds.first > lastEventId + 1 && bounds.first > 0) || (bounds.first === 0 && lastEventId > 0)) {
          // Not an id this log can continue from: the reader reloads, and hears what comes after now.
          subscriber.since = bounds.last;
          reset();
        } else {
          for (;;) {
            const missed = await this.#store.episodeEventsSince(episodeId, subscriber.after, 500);
            for (const event of missed) deliver(subscriber, event);
            if (missed.length < 500) break;
            subscriber.after = missed.at(-1)!.seq;
          }
        }
      } finally {
        for (const event of subscriber.queue ?? []) deliver(subscriber, event);
        subscriber.queue = undefined;
        subscriber.sent = undefined;
      }
    }
    return () => {
      set.delete(subscriber);
      if (set.size === 0 && this.#subscribers.get(episodeId) === set) this.#subscribers.delete(episodeId);
    };
  }

  /** Set by `close`: a stream asked for on a connection kept alive past that point would never be ended. */
  closed = false;

  /** Registers what ends a stream, so that shutting down ends them all. */
  onClose(end: () => void): () => void {
    this.#ends.add(end);
    return () => this.#ends.delete(end);
  }

  /** Ends every stream (readers reconnect to another process, or when this one is back). */
  close(): void {
    this.closed = true;
    clearInterval(this.#timer);
    this.#stopListening();
    for (const end of [...this.#ends]) end();
  }
}

/** While catching up: each event once, whether it came from the log of what was missed or live meanwhile. */
function deliver(subscriber: Subscriber, event: LiveEvent): void {
  if (subscriber.sent?.has(event.seq)) return;
  subscriber.sent?.add(event.seq);
  subscriber.send(event);
}

const LAST_EVENT_ID = /^(0|[1-9][0-9]{0,15})$/;

/** `503` with `Retry-After` when there are too many streams, in all or from one client. */
function tooMany(c: Context, message: string) {
  c.header('Retry-After', '30');
  return apiError(c, 503, 'too_many_streams', message);
}

export function liveRoutes(
  app: Hono<Env>,
  options: { store: CommentStore; config: ServerConfig; clientKey: (address: string) => string; hub?: EventHub },
): EventHub {
  const hub = options.hub ?? new EventHub(options.store);
  const { config } = options;

  app.get('/v1/episodes/:id/events', async (c) => {
    const id = c.req.param('id');
    if (!isEpisodeId(id)) return badEpisodeId(c, id);
    // Browsers send Last-Event-ID when they reconnect on their own; a page that opens a new stream passes it in the query.
    const given = c.req.header('Last-Event-ID') ?? c.req.query('lastEventId');
    if (given !== undefined && given !== '' && !LAST_EVENT_ID.test(given)) {
      return apiError(c, 400, 'invalid_last_event_id', 'Last-Event-ID must be the id of an event this server sent: a whole number.', 'lastEventId');
    }
    const lastEventId = given ? Number(given) : undefined;
    if (hub.closed) {
      c.header('Retry-After', '5');
      c.header('Connection', 'close');
      return apiError(c, 503, 'stopping', 'This comments server is stopping; the page reconnects by itself once it is back.');
    }
    const client = options.clientKey(c.env.clientAddress?.() ?? 'unknown');
    if (hub.open >= config.maxEventStreams) {
      return tooMany(c, `This server has ${config.maxEventStreams} live streams open, its limit: the page keeps up by asking now and then instead.`);
    }
    if ((hub.byClient.get(client) ?? 0) >= config.maxEventStreamsPerClient) {
      return tooMany(c, `Your connection has ${config.maxEventStreamsPerClient} live streams open already, the limit: close some tabs, or the page keeps up by asking now and then.`);
    }
    hub.open++;
    hub.byClient.set(client, (hub.byClient.get(client) ?? 0) + 1);
    // Proxies that buffer answers (nginx) would hold the events back.
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      let ended = false;
      let wakeUp: () => void = () => undefined;
      const end = () => {
        ended = true;
        wakeUp();
      };
      stream.onAbort(end);
      const offClose = hub.onClose(end);
      // Writes are chained: events go out in order, and a slow reader's backlog stays with its own stream.
      let chain = stream.writeSSE({ event: 'ready', data: '{}', retry: 3000 });
      const write = (event: { id?: string; event: string; data: string }) => {
        chain = chain.then(() => (ended ? undefined : stream.writeSSE(event))).catch(end);
      };
      const unsubscribe = await hub.subscribe(
        id,
        lastEventId,
        (event) => write({ id: String(event.seq), event: event.type, data: event.data }),
        () => write({ event: 'reset', data: '{}' }),
      );
      try {
        while (!ended) {
          await new Promise<void>((resolve) => {
            wakeUp = resolve;
            setTimeout(resolve, hub.heartbeatMs).unref();
          });
          if (!ended) chain = chain.then(() => stream.write(': heartbeat\n\n')).then(() => undefined, end);
        }
        await chain.catch(() => undefined);
      } finally {
        unsubscribe();
        offClose();
        hub.open--;
        const left = (hub.byClient.get(client) ?? 1) - 1;
        if (left === 0) hub.byClient.delete(client);
        else hub.byClient.set(client, left);
        await stream.close().catch(() => undefined);
      }
    });
  });
  return hub;
}
