#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { ConfigError, USAGE, parseConfig } from './config.js';
import { startServer } from './server.js';
import { TRANSFER_USAGE, runExport, runImport } from './transfer.js';

/** Each line of a start-up problem, prefixed so that it is clear which program speaks; then exit status 2. */
function refuse(error: ConfigError): never {
  for (const line of error.message.split('\n')) console.error(`paperledge-comments: ${line}`);
  process.exit(2);
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** `export` and `import`: comments out as JSON Lines, and in from there, Disqus, WordPress or Isso. */
async function transfer(command: 'export' | 'import', argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(TRANSFER_USAGE);
    return;
  }
  try {
    if (command === 'export') {
      const count = await runExport(argv, (text) => process.stdout.write(text));
      console.error(`paperledge-comments: exported ${count} comment${count === 1 ? '' : 's'}`);
    } else {
      await runImport(argv, (line) => console.log(line));
    }
  } catch (error) {
    if (error instanceof ConfigError) refuse(error);
    console.error(`paperledge-comments: ${command} failed: ${(error as Error).message}`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'export' || command === 'import') return transfer(command, rest);
  let config;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) refuse(error);
    throw error;
  }
  if (config === 'help') {
    console.log(USAGE);
    return;
  }
  if (config === 'version') {
    console.log(`paperledge-comments ${version()}`);
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
    if (error instanceof ConfigError) refuse(error);
    console.error(`paperledge-comments: could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  const database = /^postgres(ql)?:/i.test(config.db) ? config.db.replace(/\/\/[^@/]*@/, '//…@') : config.db;
  const count = (n: number | undefined) => `${n} episode${n === 1 ? '' : 's'}`;
  const sources = [
    ...(config.episodes === undefined ? [] : [`${count(server.episodes)} from ${config.episodes}`]),
    ...(config.feeds.length === 0 ? [] : [`${count(server.feedEpisodes)} from ${config.feeds.length === 1 ? 'the feed' : `${config.feeds.length} feeds`}`]),
  ];
  const episodes =
    sources.length === 0 ? 'no episodes (add --episodes DIR or --feed URL to serve episodes, embeds and oEmbed)' : sources.join(' and ');
  const reached = config.publicUrl === undefined ? '' : `, reached at ${config.publicUrl}`;
  console.log(`PaperLedge comments API listening on ${server.url}${reached} (database ${database}; ${episodes})`);
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
