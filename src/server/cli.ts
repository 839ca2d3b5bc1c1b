#!/usr/bin/env node
import { ConfigError, USAGE, parseConfig } from './config.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`paperledge-comments: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  if (config === 'help') {
    console.log(USAGE);
    return;
  }
  // Request lines are written in batches: one write per turn of the event loop, not one per request.
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    process.stdout.write(`${pending.join('\n')}\n`);
    pending = [];
  };
  const log = (line: string) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push(line);
  };
  let server;
  try {
    server = await startServer(config, { log });
  } catch (error) {
    console.error(`paperledge-comments: could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  console.log(`PaperLedge comments API listening on ${server.url} (database ${config.db})`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests in flight, then stopping`);
    void server.close().then(() => {
      flush();
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
