// Notifications on both stores (contract 7.2, 7.3): a webhook receiver and an SMTP server of the test's own, both
// real, on loopback. Events are written in the comment's transaction and delivered afterwards: once each, signed,
// retried while the receiver fails, kept across a restart, and delivered once with two processes on one PostgreSQL.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { request } from './support/http.js';
import { createDatabase } from './support/postgres.js';
import { STORES, type TestServer, episodeId, removeDir, startTestServer } from './support/server.js';

const SECRET = 'webhook-secret-for-tests';
const FAST = { notifyIntervalMs: 100 };

interface Delivery {
  signature: string | undefined;
  raw: string;
  // The event as JSON; the assertions check its shape.
  event: any;
}

/** A webhook receiver: records each delivery; `failures` answers 503 that many times first. */
class Receiver {
  deliveries: Delivery[] = [];
  attempts = 0;
  failures = 0;
  #server: Server | undefined;
  port = 0;

  async start(port = 0): Promise<this> {
    this.#server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.attempts++;
        if (this.failures > 0) {
          this.failures--;
          res.writeHead(503).end();
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        this.deliveries.push({ signature: req.headers['paperledge-signature'] as string | undefined, raw, event: JSON.parse(raw) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.#server!.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  of(commentId: string): Delivery[] {
    return this.deliveries.filter((d) => d.event.comment.id === commentId);
  }
}

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const post = (server: TestServer, id: string, body: string, author = 'Ada') => request(server.comments(id), { body: { author, body } });

for (const kind of STORES) {
  describe(`notifications on ${kind.name}`, () => {
    const cleanup: (() => Promise<void> | void)[] = [];
    after(async () => {
      for (const step of cleanup.reverse()) await step();
    });
    const start = async (args: string[], options: { dir?: string; dbPath?: string } = {}) => {
      const server = await startTestServer(['--posts-per-minute', '1000000', ...args], kind, { ...FAST, ...options });
      cleanup.push(() => server.close());
      if (!options.dir) cleanup.push(() => removeDir(server.dir));
      return server;
    };

    it('POSTs a signed comment.created, comment.pending and comment.reported event to the webhook, once each', async () => {
      const receiver = await new Receiver().start();
      cleanup.push(() => receiver.stop());
      const server = await start(['--notify-webhook', receiver.url, '--notify-secret', SECRET, '--max-links', '0']);
      const id = episodeId();
      const shown = (await post(server, id, 'Lovely episode.')).json.comment;
      const held = (await post(server, id, 'See https://example.org')).json.comment;
      await request(`${server.url}/v1/comments/${shown.id}/reports`, { method: 'POST', localAddress: '127.0.0.31' });
      await until(() => receiver.deliveries.length === 3, 'three deliveries');
      const types = receiver.deliveries.map((d) => [d.event.type, d.event.comment.id]);
      assert.deepEqual(types, [
        ['comment.created', shown.id],
        ['comment.pending', held.id],
        ['comment.reported', shown.id],
      ]);
      for (const delivery of receiver.deliveries) {
        const expected = `sha256=${createHmac('sha256', SECRET).update(delivery.raw).digest('hex')}`;
        assert.equal(delivery.signature, expected);
        assert.deepEqual(delivery.event.episode, { id, title: id });
        assert.equal(delivery.event.moderationUrl, `${server.url}/admin`);
        assert.deepEqual(Object.keys(delivery.event.comment).sort(), ['author', 'body', 'createdAt', 'episodeId', 'id', 'parentId', 'reports', 'status']);
      }
      assert.equal(receiver.deliveries[1]!.event.comment.status, 'pending');
      assert.equal(receiver.deliveries[2]!.event.comment.reports, 1);
      // Nothing more arrives: each event was delivered once.
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(receiver.deliveries.length, 3);
    });

    it('retries while the receiver fails, and delivers an event made while it was down after a restart of the server', async () => {
      const receiver = await new Receiver().start();
      const port = receiver.port;
      receiver.failures = 2;
      const first = await start(['--notify-webhook', receiver.url]);
      const id = episodeId();
      const a = (await post(first, id, 'Retried until it arrives.')).json.comment;
      await until(() => receiver.of(a.id).length === 1, 'the retried delivery', 20_000);
      assert.equal(receiver.attempts, 3, 'two failures, then the delivery');
      // The receiver goes down; a comment arrives; the server stops before it can deliver it.
      await receiver.stop();
      const b = (await post(first, id, 'Made while the receiver was down.')).json.comment;
      await new Promise((resolve) => setTimeout(resolve, 300));
      await first.close();
      // The receiver comes back, then the server, on the same database: the event is delivered, once.
      const back = await new Receiver().start(port);
      cleanup.push(() => back.stop());
      await start(['--notify-webhook', back.url], { dir: first.dir, dbPath: first.dbPath });
      await until(() => back.of(b.id).length === 1, 'the event from before the restart', 20_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(back.of(b.id).length, 1);
      assert.equal(back.of(a.id).length, 0, 'a delivered event is not sent again');
    });

    it('sends the same events by e-mail through an SMTP server', async () => {
      const mails: { from: string; to: string[]; text: string }[] = [];
      const smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            mails.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              text: Buffer.concat(chunks).toString('utf8'),
            });
            callback();
          });
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      cleanup.push(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
      const port = (smtp.server.address() as AddressInfo).port;
      const server = await start(['--smtp', `smtp://127.0.0.1:${port}`, '--notify-email', 'owner@example.org', '--moderation', 'pre']);
      const id = episodeId();
      await post(server, id, 'Is the MoE router trained jointly?\nAsking for a friend.', 'Sam');
      await until(() => mails.length === 1, 'the e-mail');
      const mail = mails[0]!;
      assert.deepEqual(mail.to, ['owner@example.org']);
      assert.match(mail.text, new RegExp(`Subject: A comment waits for your approval on ${id}`));
      assert.match(mail.text, /Sam wrote on/);
      assert.match(mail.text, /Is the MoE router trained jointly\?\r?\nAsking for a friend\./);
      assert.match(mail.text, new RegExp(`Moderate: ${server.url}/admin`));
    });
  });
}

describe('notifications with two server processes on one PostgreSQL', () => {
  it('delivers each event once', async () => {
    const receiver = await new Receiver().start();
    const db = await createDatabase();
    const pg = STORES.find((store) => store.name === 'PostgreSQL')!;
    const args = ['--posts-per-minute', '1000000', '--notify-webhook', receiver.url];
    const one = await startTestServer(args, pg, { ...FAST, dbPath: db });
    const two = await startTestServer(args, pg, { ...FAST, dbPath: db });
    try {
      const id = episodeId();
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) ids.push((await post(i % 2 ? two : one, id, `comment ${i}`)).json.comment.id);
      await until(() => receiver.deliveries.length >= 12, 'twelve deliveries');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.deepEqual(receiver.deliveries.map((d) => d.event.comment.id).sort(), [...ids].sort());
    } finally {
      await one.close();
      await two.close();
      await receiver.stop();
      removeDir(one.dir);
      removeDir(two.dir);
    }
  });
});
