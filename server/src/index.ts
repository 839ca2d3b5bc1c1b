/**
 * The comments server as a library: start it from code, or mount its API inside
 * another Node HTTP server (the demo mounts it in Vite's dev server).
 */
export { parseConfig, ConfigError, USAGE, type ServerConfig } from './config.js';
export { startServer, createListener, openStore, type RunningServer, type StartOptions } from './server.js';
export { commentsMiddleware } from './middleware.js';
export type { CommentStore } from './store.js';
