import { existsSync, openSync, readFileSync, readSync, closeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from './config.js';
import { EpisodeMap, ImportError, type ImportFormat, detectFormat, readDisqus, readIsso, readJsonl, readWxr } from './import-formats.js';
import { PostgresStore, isPostgresUrl } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { CommentStore } from './store.js';

/**
 * `paperledge-comments export` and `import`: comments out as JSON Lines (a
 * backup, or a move to another server), and in from that, Disqus, WordPress or
 * Isso. Mistakes are one line naming the thing and the fix, exit status 2.
 */

export const TRANSFER_USAGE = `Usage:
  paperledge-comments export --db PATH|URL [--episode ID] > comments.jsonl
      every comment, oldest first, one JSON object a line: id, episodeId, parentId, replyTo, author, body,
      createdAt, status (never the hashes that name writers or hold delete tokens)
  paperledge-comments import --db PATH|URL [--format jsonl|disqus|wxr|isso] [--map OLD-URL=EPISODE-ID ...]
                             [--map-file FILE] FILE
      comments from an export of this server (jsonl), Disqus (its XML export), WordPress (WXR) or Isso (its
      SQLite file); each thread goes to the episode --map names, else to a slug of its link. Importing twice
      adds nothing. Prints how many comments each episode got.`;

async function open(db: string | undefined, mustExist: boolean): Promise<CommentStore> {
  if (!db) throw new ConfigError('--db: name the database, a SQLite file or postgres://… (as the server is started with)');
  if (isPostgresUrl(db)) {
    const store = new PostgresStore(db);
    await store.ready();
    return store;
  }
  if (mustExist && !existsSync(db)) throw new ConfigError(`--db: there is no database at ${db}; name the file the server uses`);
  return SqliteStore.open(db);
}

function options<T extends Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>(argv: string[], spec: T) {
  try {
    return parseArgs({ args: argv, options: spec, strict: true, allowPositionals: true });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message.replace(/\. To specify.*$/s, '').split('\n')[0]} (see --help)`);
  }
}

export async function runExport(argv: string[], write: (text: string) => void): Promise<number> {
  const { values, positionals } = options(argv, { db: { type: 'string' }, episode: { type: 'string' } });
  if (positionals.length > 0) throw new ConfigError(`export takes no file: it writes to standard output (export --db … > comments.jsonl), not "${positionals[0]}"`);
  const store = await open(values.db, true);
  try {
    const comments = (await store.exportComments()).filter((comment) => values.episode === undefined || comment.episodeId === values.episode);
    for (const comment of comments) write(`${JSON.stringify(comment)}\n`);
    return comments.length;
  } finally {
    await store.close();
  }
}

export async function runImport(argv: string[], say: (line: string) => void): Promise<void> {
  const { values, positionals } = options(argv, {
    db: { type: 'string' },
    format: { type: 'string' },
    map: { type: 'string', multiple: true },
    'map-file': { type: 'string' },
  });
  if (positionals.length !== 1) throw new ConfigError('import takes one file: import --db … [--format …] FILE');
  const file = positionals[0]!;
  if (!existsSync(file)) throw new ConfigError(`${file}: no such file`);
  const format = values.format ?? detectFormat(file, head(file));
  if (format !== 'jsonl' && format !== 'disqus' && format !== 'wxr' && format !== 'isso') {
    throw new ConfigError(
      values.format === undefined
        ? `${file}: cannot tell its format; give --format jsonl, disqus, wxr or isso`
        : `--format must be jsonl, disqus, wxr or isso, not "${values.format}"`,
    );
  }
  let pairs = [...(values.map ?? [])];
  if (values['map-file']) {
    let text: string;
    try {
      text = readFileSync(values['map-file'], 'utf8');
    } catch (error) {
      throw new ConfigError(`--map-file: cannot read ${values['map-file']} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    pairs = [...pairs, ...text.split('\n').map((line) => line.replace(/#.*$/, '').trim()).filter(Boolean).map((line) => line.replace(/\s+/, '='))];
  }
  let comments;
  try {
    const map = new EpisodeMap(pairs);
    comments = read(format, file, map);
  } catch (error) {
    if (error instanceof ImportError) throw new ConfigError(`${file}: ${error.message}`);
    throw error;
  }
  const store = await open(values.db, false);
  try {
    const counts = await store.importComments(comments);
    let inserted = 0;
    let skipped = 0;
    for (const [episode, count] of Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))) {
      say(`${episode}: ${count.inserted} imported${count.skipped ? `, ${count.skipped} already there` : ''}`);
      inserted += count.inserted;
      skipped += count.skipped;
    }
    say(`${inserted} comment${inserted === 1 ? '' : 's'} imported from ${file} (${format})${skipped ? `; ${skipped} were already there` : ''}`);
  } finally {
    await store.close();
  }
}

function read(format: ImportFormat, file: string, map: EpisodeMap) {
  if (format === 'isso') return readIsso(file, map);
  const text = readFileSync(file, 'utf8');
  if (format === 'jsonl') return readJsonl(text);
  return format === 'disqus' ? readDisqus(text, map) : readWxr(text, map);
}

function head(file: string): Buffer {
  const buffer = Buffer.alloc(4096);
  const fd = openSync(file, 'r');
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
  } finally {
    closeSync(fd);
  }
}
