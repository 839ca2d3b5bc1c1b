import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerConfig } from './config.js';
import { createListener } from './server.js';

/**
 * The comments API as connect-style middleware, for mounting inside another
 * Node server (the demo's Vite dev server): requests under `/v1/` are answered,
 * everything else passes on.
 */
export async function commentsMiddleware(config: ServerConfig, log?: (line: string) => void) {
  const { listener, store } = await createListener(config, log ? { log } : {});
  return {
    handle(req: IncomingMessage, res: ServerResponse, next: () => void): void {
      if (req.url?.startsWith('/v1/')) void listener(req, res);
      else next();
    },
    close: () => store.close(),
  };
}
