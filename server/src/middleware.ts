import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerConfig } from './config.js';
import { type StartOptions, createListener } from './server.js';

/** The paths the server answers; everything else belongs to the host server. */
const OWN = /^\/(v1\/|embed\/|oembed(\?|$)|admin(\/|\?|$))/;

/**
 * The comments API as connect-style middleware, for mounting inside another
 * Node server (the demo's Vite dev server): requests under `/v1/`, `/embed/`
 * and `/oembed` are answered, everything else passes on. `baseUrl` is where
 * readers reach the host server, unless `config.publicUrl` says.
 */
export async function commentsMiddleware(config: ServerConfig, options: StartOptions = {}) {
  const { listener, close } = await createListener(config, options);
  return {
    handle(req: IncomingMessage, res: ServerResponse, next: () => void): void {
      if (OWN.test(req.url ?? '')) void listener(req, res);
      else next();
    },
    close,
  };
}
