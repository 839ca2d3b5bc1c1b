import { createHmac } from 'node:crypto';
import { type Transporter, createTransport } from 'nodemailer';
import type { ServerConfig } from './config.js';
import type { Channel, CommentStore, OutboxEvent, OutboxItem } from './store.js';

/** The JSON a webhook receives and an e-mail tells (contract 7.3). */
export interface NotificationBody extends OutboxEvent {
  episode: { id: string; title: string };
  moderationUrl: string;
}

export interface NotifierOptions {
  store: CommentStore;
  config: ServerConfig;
  log: (line: string) => void;
  /** Where readers reach the server: the moderation link is built from it. */
  baseUrl: () => string;
  /** The episode's title when the server knows the episode; else its id is used. */
  episodeTitle: (id: string) => string | undefined;
  /** How often the outbox is looked at (default 1 s). */
  intervalMs?: number;
}

/** An event being delivered is leased this long: another process takes it only if this one died meanwhile. */
const LEASE_MS = 60_000;
/** Each delivery gives up after this long and is retried. */
const TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 15 * 60_000;

/** The channels a configuration turns on. */
export function channelsOf(config: ServerConfig): Channel[] {
  return [...(config.notifyWebhook ? (['webhook'] as const) : []), ...(config.smtp && config.notifyEmail ? (['email'] as const) : [])];
}

/** `sha256=<hex HMAC-SHA256 of the raw body>`, as the `PaperLedge-Signature` header carries it. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const SUBJECTS: Record<OutboxEvent['type'], string> = {
  'comment.created': 'New comment',
  'comment.pending': 'A comment waits for your approval',
  'comment.reported': 'A comment was reported',
};

/**
 * Delivers what the outbox holds: each event to each channel, oldest first, retried with a growing wait while the
 * receiver fails, never in the way of the request that caused it. The outbox is written in the same transaction as
 * the comment, so an event outlives a crash or a restart; a lease keeps two processes from sending one event twice.
 */
export class Notifier {
  readonly #options: NotifierOptions;
  readonly #channels: Channel[];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #mail: Transporter | undefined;
  #stopped = false;

  constructor(options: NotifierOptions) {
    this.#options = options;
    this.#channels = channelsOf(options.config);
  }

  start(): void {
    if (this.#channels.length === 0) return;
    const tick = () => {
      if (this.#stopped) return;
      this.#running = this.#drain()
        .catch((error: Error) => this.#options.log(`notifications: ${error.message}`))
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(tick, this.#options.intervalMs ?? 1000).unref();
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
    this.#mail?.close();
  }

  async #drain(): Promise<void> {
    for (const channel of this.#channels) {
      for (const item of await this.#options.store.claimEvents(channel, LEASE_MS, 20)) {
        if (this.#stopped) return;
        await this.#deliver(item);
      }
    }
  }

  async #deliver(item: OutboxItem): Promise<void> {
    const { store, log } = this.#options;
    const body = this.#body(item.event);
    try {
      if (item.channel === 'webhook') await this.#post(body);
      else await this.#email(body);
      await store.finishEvent(item.seq, { delivered: true });
    } catch (error) {
      const wait = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(20, item.attempts - 1));
      // No comment text in the log: only what failed and when it is tried again.
      log(`notifications: ${item.channel} event ${item.seq} (${item.event.type}) failed: ${(error as Error).message}; retrying in ${Math.round(wait / 1000)} s`);
      await store.finishEvent(item.seq, { delivered: false, retryAt: Date.now() + wait });
    }
  }

  #body(event: OutboxEvent): NotificationBody {
    const id = event.comment.episodeId;
    return {
      type: event.type,
      comment: event.comment,
      episode: { id, title: this.#options.episodeTitle(id) ?? id },
      moderationUrl: `${this.#options.baseUrl()}/admin`,
    };
  }

  async #post(notification: NotificationBody): Promise<void> {
    const { notifyWebhook, notifySecret } = this.#options.config;
    const body = JSON.stringify(notification);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'paperledge-comments' };
    if (notifySecret) headers['PaperLedge-Signature'] = signature(notifySecret, body);
    const answer = await fetch(notifyWebhook!, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
    await answer.body?.cancel();
    if (!answer.ok) throw new Error(`the webhook answered HTTP ${answer.status}`);
  }

  async #email(notification: NotificationBody): Promise<void> {
    const { smtp, notifyEmail } = this.#options.config;
    if (!this.#mail) {
      // The URL's own settings, with every wait bounded: a mail server that stops answering must not hold events forever.
      const url = new URL(smtp!);
      url.searchParams.set('connectionTimeout', String(TIMEOUT_MS));
      url.searchParams.set('greetingTimeout', String(TIMEOUT_MS));
      url.searchParams.set('socketTimeout', String(TIMEOUT_MS));
      this.#mail = createTransport(url.href);
    }
    const { comment, episode } = notification;
    await this.#mail.sendMail({
      from: notifyEmail,
      to: notifyEmail,
      subject: `${SUBJECTS[notification.type]} on ${episode.title}`,
      // Plain text only: the comment is shown as its writer typed it, never as HTML.
      text: [
        `${comment.author} wrote on "${episode.title}" (${comment.createdAt}):`,
        '',
        comment.body,
        '',
        notification.type === 'comment.reported' ? `Reports from different readers: ${comment.reports}. Status: ${comment.status}.` : `Status: ${comment.status}.`,
        `Moderate: ${notification.moderationUrl}`,
      ].join('\n'),
    });
  }
}
