import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Context } from 'hono';
import { type Env, apiError } from './app.js';
import { acceptedValues, matchesETag } from './http-headers.js';

/** Bytes on an `ArrayBuffer` of their own, as a Fetch body takes them (a pooled `Buffer` is not one). */
type Bytes = Uint8Array<ArrayBuffer>;
const bytes = (buffer: Buffer): Bytes => new Uint8Array(buffer);

/**
 * The built browser scripts this server hands out (the embed pages' bundle and its chunks, language files, the
 * moderation console), compressed as a CDN would send them: a host that allows only iframes gets the bundle from
 * here, 72 KB as built and 22 KB in Brotli, a quarter of a second apart on Lighthouse's simulated phone link
 * (1.6 Mbit/s). Each file is read and compressed once, and again only when it changes on disk, so a rebuild is
 * served without a restart.
 */
interface Prepared {
  mtimeMs: number;
  size: number;
  etag: string;
  identity: Bytes;
  gzip: Bytes;
  br: Bytes;
}

const compressBrotli = promisify(brotliCompress);
const compressGzip = promisify(gzip);
const prepared = new Map<string, Promise<Prepared>>();

/** A file's bytes, compressed both ways, with a validator; throws as `readFile` does for a file that is not there. */
export async function preparedScript(file: string): Promise<Prepared> {
  const { mtimeMs, size } = await stat(file);
  const known = await prepared.get(file)?.catch(() => undefined);
  if (known && known.mtimeMs === mtimeMs && known.size === size) return known;
  // One read and compression per change, however many requests ask meanwhile.
  const entry = (async (): Promise<Prepared> => {
    const identity = await readFile(file);
    const [br, gz] = await Promise.all([
      compressBrotli(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
      compressGzip(identity, { level: 9 }),
    ]);
    const etag = `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`;
    return { mtimeMs, size, etag, identity: bytes(identity), gzip: bytes(gz), br: bytes(br) };
  })();
  prepared.set(file, entry);
  entry.catch(() => prepared.delete(file));
  return entry;
}

/** The encoding to send for an `Accept-Encoding`: Brotli, else gzip, else none; `q=0` refuses one. */
export function chosenEncoding(header: string | undefined): 'br' | 'gzip' | undefined {
  const accepted = new Set(acceptedValues(header).map((name) => name.toLowerCase()));
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('x-gzip')) return 'gzip';
  return undefined;
}

export interface ScriptOptions {
  cacheControl: string;
  /** Headers of this kind of script (CORS for the ones host pages load). */
  headers?: Record<string, string>;
  /** The answer when the file is not there: a 404 for a name that does not exist, a 503 for a package not built. */
  missing: (c: Context<Env>) => Response;
}

/** The answer for a script name that the package does not have. */
export const noSuchScript = (c: Context<Env>) => apiError(c, 404, 'not_found', 'No such script.');

/** A script of the built package (its path checked by the route's pattern), `304` when the reader has it. */
export async function sendScript(c: Context<Env>, file: string, options: ScriptOptions): Promise<Response> {
  let script: Prepared;
  try {
    script = await preparedScript(file);
  } catch {
    return options.missing(c);
  }
  const headers: Record<string, string> = {
    'Content-Type': 'text/javascript; charset=utf-8',
    'Cache-Control': options.cacheControl,
    ETag: script.etag,
    Vary: 'Accept-Encoding',
    ...options.headers,
  };
  if (matchesETag(c.req.header('If-None-Match'), script.etag)) return c.body(null, 304, headers);
  const encoding = chosenEncoding(c.req.header('Accept-Encoding'));
  if (encoding === undefined) return c.body(script.identity, 200, headers);
  return c.body(encoding === 'br' ? script.br : script.gzip, 200, { ...headers, 'Content-Encoding': encoding });
}
