import type { IncomingMessage } from 'node:http';

/**
 * A request header as Node parsed it: `c.req.header` and `request.headers` first build a Fetch `Headers` of every
 * header, a cost each request would pay on the hot path. Outside Node, the Fetch request's.
 */
export function requestHeader(incoming: IncomingMessage | undefined, request: Request, name: Lowercase<string>): string | undefined {
  if (incoming === undefined) return request.headers.get(name) ?? undefined;
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Whether an `If-None-Match` names `etag` (weak or strong, RFC 9110 13.1.2); `*` matches any current representation. */
export function matchesETag(ifNoneMatch: string | undefined, etag: string): boolean {
  return ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === etag);
}

/**
 * The values of an `Accept-Language` or `Accept-Encoding` header that it accepts (`q` above 0), most wanted first
 * and in the order written among equals; each as written, without its parameters.
 */
export function acceptedValues(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((part, order) => {
      const [value = '', ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
      return { value: value.trim(), q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((entry) => entry.value !== '' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order)
    .map((entry) => entry.value);
}
