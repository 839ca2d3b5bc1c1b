import { request as httpRequest } from 'node:http';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The bytes as sent, for an answer that is compressed. */
  body: Buffer;
  // Test code reads arbitrary answers; the contract tests check the shape.
  json: any;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON with Content-Type application/json. */
  body?: unknown;
  /** The client's own address: 127.0.0.2, 127.0.0.3 … are distinct clients on loopback. */
  localAddress?: string;
  /** Send the body without Content-Length. */
  chunked?: boolean;
}

/** One HTTP request over a real socket, so the server sees a real peer address. */
export function request(url: string, options: RequestOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  let payload: Buffer | undefined;
  if (options.body !== undefined) {
    if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) {
      payload = Buffer.from(options.body as string);
    } else {
      payload = Buffer.from(JSON.stringify(options.body));
      headers['Content-Type'] ??= 'application/json';
    }
    if (!options.chunked) headers['Content-Length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? (payload ? 'POST' : 'GET'), headers, localAddress: options.localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload) {
      if (options.chunked) {
        // Two chunks, so nothing can know the size up front.
        const half = Math.floor(payload.length / 2);
        req.write(payload.subarray(0, half));
        req.end(payload.subarray(half));
      } else {
        req.end(payload);
      }
    } else {
      req.end();
    }
  });
}
