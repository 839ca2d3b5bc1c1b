import { readFile, stat } from 'node:fs/promises';
import {
  type ChaptersDocument,
  type Episode,
  type TranscriptBlock,
  detectTranscriptFormat,
  parseChaptersJson,
  parsePaperLedgeText,
  readTranscript,
  readWebVttChapters,
} from 'paperledge-widgets/model';
import { ConfigError } from './config.js';
import { type FeedItem, FeedError, parseFeedXml, preferredTranscript } from './feed-xml.js';

/** Feeds, transcripts and chapters larger than this are refused: no real one comes near. */
const MAX_BYTES = 10 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 15_000;
/** A feed file is looked at this often (its modification time only), whatever --feed-refresh says. */
const FILE_CHECK_MS = 2_000;

async function fetchText(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const answer = await fetch(url, { headers: { 'User-Agent': 'paperledge-comments', ...headers }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  if (answer.status === 304) return { status: 304, text: '', headers: answer.headers };
  if (!answer.ok) throw new Error(`${url} answered HTTP ${answer.status}`);
  const length = Number(answer.headers.get('content-length') ?? 0);
  if (length > MAX_BYTES) throw new Error(`${url} is ${length} bytes, more than the ${MAX_BYTES} allowed`);
  const text = await answer.text();
  if (text.length > MAX_BYTES) throw new Error(`${url} is more than the ${MAX_BYTES} bytes allowed`);
  return { status: answer.status, text, headers: answer.headers };
}

/** One `--feed`: a URL re-read in the background with `ETag`/`If-Modified-Since`, or a file re-read when it changes. */
class FeedSource {
  episodes = new Map<string, Episode>();
  #etag: string | undefined;
  #lastModified: string | undefined;
  #mtimeMs: number | undefined;
  #running: Promise<Error | undefined> | undefined;
  readonly isFile: boolean;

  constructor(
    readonly location: string,
    readonly log: (line: string) => void,
  ) {
    this.isFile = !/^https?:\/\//i.test(location);
  }

  /** Reads the feed if it changed; a feed that cannot be read or has broken keeps its last good episodes. Resolves to what stopped it (already logged). */
  refresh(): Promise<Error | undefined> {
    this.#running ??= this.#refresh().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #refresh(): Promise<Error | undefined> {
    let xml: string;
    try {
      if (this.isFile) {
        const { mtimeMs } = await stat(this.location);
        if (mtimeMs === this.#mtimeMs) return;
        xml = await readFile(this.location, 'utf8');
        this.#mtimeMs = mtimeMs;
      } else {
        const conditional: Record<string, string> = {};
        if (this.#etag) conditional['If-None-Match'] = this.#etag;
        if (this.#lastModified) conditional['If-Modified-Since'] = this.#lastModified;
        const answer = await fetchText(this.location, conditional);
        if (answer.status === 304) return;
        xml = answer.text;
        this.#etag = answer.headers.get('etag') ?? undefined;
        this.#lastModified = answer.headers.get('last-modified') ?? undefined;
      }
    } catch (error) {
      this.log(`feeds: ${this.location} could not be read (${(error as Error).message}); still serving its last ${this.episodes.size} episodes`);
      return error as Error;
    }
    try {
      const feed = parseFeedXml(xml);
      const episodes = new Map<string, Episode>();
      for (const item of feed.items) {
        if (episodes.has(item.id)) continue;
        episodes.set(item.id, await this.#episode(item, feed.title, feed.language));
      }
      const before = this.episodes.size;
      this.episodes = episodes;
      this.log(`feeds: ${this.location}: ${episodes.size} episodes${before ? ` (was ${before})` : ''}`);
    } catch (error) {
      // A later good version is read again: forget what was seen, so that the same broken file is not re-logged each time but a fix is.
      this.#etag = undefined;
      this.#lastModified = undefined;
      this.log(`feeds: ${this.location} changed and cannot be read (${(error as Error).message}); still serving its last ${this.episodes.size} episodes`);
      return error as Error;
    }
    return undefined;
  }

  /** An item as an episode: its transcript file when it has one the server can read, else its show notes as PaperLedge page text. */
  async #episode(item: FeedItem, show: string | undefined, language: string | undefined): Promise<Episode> {
    let transcript: TranscriptBlock[] | undefined;
    const chosen = preferredTranscript(item.transcripts, language);
    if (chosen) {
      try {
        const answer = await fetchText(chosen.url);
        const format = detectTranscriptFormat(answer.text, answer.headers.get('content-type') ?? chosen.type);
        if (!format) throw new Error('it is not WebVTT, SRT, Podcasting 2.0 JSON or HTML');
        const read = await readTranscript(answer.text, format);
        for (const warning of read.warnings) this.log(`feeds: ${chosen.url} line ${warning.line}: ${warning.message}`);
        transcript = read.blocks;
      } catch (error) {
        this.log(`feeds: ${item.title}: the transcript ${chosen.url} could not be read (${(error as Error).message}); showing the show notes instead`);
      }
    }
    let fromNotes: Episode | undefined;
    if (item.notes) {
      try {
        fromNotes = parsePaperLedgeText(item.notes, { id: item.id, title: item.title });
      } catch {
        fromNotes = undefined;
      }
    }
    const authors = item.authors.length > 0 ? item.authors : fromNotes?.paper?.authors;
    const chapters = item.chapters ? await this.#chapters(item.chapters.url, item.title) : undefined;
    return {
      id: item.id,
      title: item.title,
      ...(show ? { show } : {}),
      ...(item.published ? { published: item.published } : {}),
      ...(authors && authors.length > 0 ? { paper: { authors } } : {}),
      ...(item.audio ? { audio: item.audio } : {}),
      ...(chapters ? { chapters } : {}),
      transcript: transcript ?? fromNotes?.transcript ?? [],
    };
  }

  /** Chapters are read here and inlined: a podcast host seldom lets other sites' pages read its files. Failing that, the URL. */
  async #chapters(url: string, title: string): Promise<ChaptersDocument | string> {
    try {
      const answer = await fetchText(url);
      if (detectTranscriptFormat(answer.text, answer.headers.get('content-type')) === 'vtt') return await readWebVttChapters(answer.text);
      return parseChaptersJson(JSON.parse(answer.text) as unknown, url);
    } catch (error) {
      this.log(`feeds: ${title}: the chapters ${url} could not be read (${(error as Error).message}); the player will try them itself`);
      return url;
    }
  }
}

/**
 * The episodes of every `--feed`. Read before the server starts (a feed file that is missing or broken stops it, as a
 * broken episode file does; a feed URL that fails is logged and tried again), then kept fresh in the background.
 */
export class Feeds {
  readonly #sources: FeedSource[];
  readonly #timers: NodeJS.Timeout[] = [];

  private constructor(sources: FeedSource[]) {
    this.#sources = sources;
  }

  static async open(locations: string[], refreshSeconds: number, log: (line: string) => void): Promise<Feeds> {
    const feeds = new Feeds(locations.map((location) => new FeedSource(location, log)));
    const problems: string[] = [];
    for (const source of feeds.#sources) {
      // Read once: a feed file that cannot be read stops the server; a feed URL that fails is tried again later.
      const error = await source.refresh();
      if (!error || !source.isFile) continue;
      const code = (error as NodeJS.ErrnoException).code;
      problems.push(
        code === 'ENOENT'
          ? `--feed: ${source.location} does not exist; give a feed file or an http(s) URL`
          : `--feed: ${source.location} cannot be read: ${error instanceof FeedError ? error.message : (code ?? error.message)}`,
      );
    }
    if (problems.length > 0) throw new ConfigError(problems.join('\n'));
    for (const source of feeds.#sources) {
      const timer = setInterval(() => void source.refresh(), source.isFile ? Math.min(FILE_CHECK_MS, refreshSeconds * 1000) : refreshSeconds * 1000);
      timer.unref();
      feeds.#timers.push(timer);
    }
    return feeds;
  }

  get(id: string): Episode | undefined {
    for (const source of this.#sources) {
      const episode = source.episodes.get(id);
      if (episode) return episode;
    }
    return undefined;
  }

  ids(): string[] {
    return this.#sources.flatMap((source) => [...source.episodes.keys()]);
  }

  close(): void {
    for (const timer of this.#timers) clearInterval(timer);
  }
}
