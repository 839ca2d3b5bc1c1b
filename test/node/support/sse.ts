import { type EventSourceMessage, createParser } from 'eventsource-parser';

export interface StreamEvent {
  id: string | undefined;
  event: string;
  data: string;
}

export interface OpenStream {
  status: number;
  headers: Headers;
  /** Every event so far, and comment lines (heartbeats) as `event: ':comment'`. */
  events: StreamEvent[];
  /** Waits for the next event of this type after those already taken with `next`. */
  next(type: string, timeoutMs?: number): Promise<StreamEvent>;
  /** The answer's body when it was not a stream. */
  text(): Promise<string>;
  close(): void;
}

/** A Server-Sent Events stream read over fetch and parsed by `eventsource-parser`, as a browser would read it. */
export async function openStream(url: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: StreamEvent[] = [];
  const waiters: (() => void)[] = [];
  const taken = new Map<string, number>();
  const push = (event: StreamEvent) => {
    events.push(event);
    for (const wake of waiters.splice(0)) wake();
  };
  const isStream = response.ok && (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
  let body = '';
  if (isStream) {
    const parser = createParser({
      onEvent: (message: EventSourceMessage) => push({ id: message.id, event: message.event ?? 'message', data: message.data }),
      onComment: (comment) => push({ id: undefined, event: ':comment', data: comment }),
    });
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
      } catch {
        // Aborted by close(), or the server ended the stream.
      }
      push({ id: undefined, event: ':end', data: '' });
    })();
  } else {
    body = await response.text();
  }
  return {
    status: response.status,
    headers: response.headers,
    events,
    text: async () => body,
    async next(type, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const from = taken.get(type) ?? 0;
        const index = events.findIndex((event, i) => i >= from && event.event === type);
        if (index !== -1) {
          taken.set(type, index + 1);
          return events[index]!;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no "${type}" event within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.event))}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, left);
        });
      }
    },
    close: () => abort.abort(),
  };
}
