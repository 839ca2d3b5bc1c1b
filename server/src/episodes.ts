import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Episode, EpisodeFormatError, isEpisodeId, parseEpisodeSource } from 'paperledge-widgets/model';
import { ConfigError } from './config.js';
import type { Feeds } from './feeds.js';

/** What `GET /v1/episodes` lists for each episode. */
export interface EpisodeSummary {
  id: string;
  title: string;
  published: string | undefined;
}

interface Entry {
  file: string;
  mtimeMs: number;
  episode: Episode;
}

const EXTENSIONS = ['json', 'txt'] as const;

function parseFile(file: string, id: string): Episode {
  const text = readFileSync(file, 'utf8');
  return parseEpisodeSource(text, { contentType: file.endsWith('.json') ? 'application/json' : 'text/plain', id });
}

function reason(error: unknown): string {
  if (error instanceof EpisodeFormatError) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EACCES' ? 'permission denied' : (error as Error).message;
}

/**
 * The episodes of an `--episodes` folder (`{id}.json` or `{id}.txt`). Every file
 * is parsed once at start-up, so a broken one stops the server with its name and
 * reason instead of a 500 later. After that a file is read again when it changes
 * on disk; an edit that breaks it keeps the last good version and is logged.
 */
export class EpisodeCatalog {
  readonly #entries = new Map<string, Entry>();

  private constructor(
    readonly dir: string,
    readonly log: (line: string) => void,
  ) {}

  /** Every problem is one line in the thrown error's message, naming the file. */
  static open(dir: string, log: (line: string) => void): EpisodeCatalog {
    let names: string[];
    try {
      if (!statSync(dir).isDirectory()) throw new ConfigError(`--episodes: ${dir} is a file, not a folder of {id}.json or {id}.txt episodes`);
      names = readdirSync(dir);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConfigError(
        code === 'ENOENT'
          ? `--episodes: the folder ${dir} does not exist; create it and put {id}.json or {id}.txt episode files in it`
          : `--episodes: cannot read the folder ${dir}: ${reason(error)}`,
      );
    }
    const catalog = new EpisodeCatalog(dir, log);
    const problems: string[] = [];
    for (const name of names.sort()) {
      const match = /^(.+)\.(json|txt)$/.exec(name);
      if (!match) continue;
      const id = match[1]!;
      const file = join(dir, name);
      // {id}.json and {id}.txt side by side: the JSON, which says more, is the episode (names sort .json first).
      if (catalog.#entries.has(id)) continue;
      if (!isEpisodeId(id)) {
        problems.push(`--episodes: ${file}: "${id}" is not an episode id (lowercase letters, digits and dashes); rename the file`);
        continue;
      }
      try {
        catalog.#entries.set(id, { file, mtimeMs: statSync(file).mtimeMs, episode: parseFile(file, id) });
      } catch (error) {
        problems.push(`--episodes: ${file} cannot be read: ${reason(error)}`);
      }
    }
    if (problems.length > 0) throw new ConfigError(problems.join('\n'));
    return catalog;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The episode as it is on disk now, or the last good version of a file that broke. */
  get(id: string): Episode | undefined {
    const known = this.#entries.get(id);
    const file = known?.file ?? EXTENSIONS.map((ext) => join(this.dir, `${id}.${ext}`)).find((path) => this.#mtime(path) !== undefined);
    if (file === undefined) return undefined;
    const mtimeMs = this.#mtime(file);
    if (mtimeMs === undefined) {
      this.#entries.delete(id);
      return undefined;
    }
    if (known && known.mtimeMs === mtimeMs) return known.episode;
    try {
      const episode = parseFile(file, id);
      this.#entries.set(id, { file, mtimeMs, episode });
      return episode;
    } catch (error) {
      if (known) {
        known.mtimeMs = mtimeMs;
        this.log(`episodes: ${file} changed and cannot be read (${reason(error)}); still serving its last good version`);
        return known.episode;
      }
      this.log(`episodes: ${file} cannot be read: ${reason(error)}`);
      return undefined;
    }
  }

  list(): EpisodeSummary[] {
    return [...this.#entries.keys()]
      .sort()
      .map((id) => this.get(id))
      .filter((episode): episode is Episode => episode !== undefined)
      .map((episode) => ({ id: episode.id, title: episode.title, published: episode.published }));
  }

  #mtime(file: string): number | undefined {
    try {
      return statSync(file).mtimeMs;
    } catch {
      return undefined;
    }
  }
}

/** What the server serves: the episodes folder's, then those of the feeds (a folder file wins over a feed item of the same id). */
export class EpisodeLibrary {
  constructor(
    readonly folder: EpisodeCatalog | undefined,
    readonly feeds: Feeds | undefined,
  ) {}

  get(id: string): Episode | undefined {
    return this.folder?.get(id) ?? this.feeds?.get(id);
  }

  list(): EpisodeSummary[] {
    const listed = this.folder?.list() ?? [];
    const seen = new Set(listed.map((episode) => episode.id));
    for (const id of this.feeds?.ids() ?? []) {
      const episode = seen.has(id) ? undefined : this.feeds!.get(id);
      if (!episode) continue;
      seen.add(id);
      listed.push({ id, title: episode.title, published: episode.published });
    }
    return listed;
  }

  get size(): number {
    return this.list().length;
  }
}
