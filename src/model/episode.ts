/**
 * The episode data model: what an episode, its transcript, its authors and its
 * comments are. Pure data, no DOM and no Node APIs, so the same module serves
 * the elements in the browser and the comments server in Node.
 */

/** Timing and speaker shared by every transcript block; `start`/`end` are seconds. */
export interface BlockTiming {
  start?: number;
  end?: number;
  speaker?: string;
}

export interface ParagraphBlock extends BlockTiming {
  type: 'paragraph';
  text: string;
}

export interface QuoteBlock extends BlockTiming {
  type: 'quote';
  text: string;
}

export interface ListBlock extends BlockTiming {
  type: 'list';
  items: string[];
}

export type TranscriptBlock = ParagraphBlock | QuoteBlock | ListBlock;
export type TranscriptBlockType = TranscriptBlock['type'];

export interface Author {
  name: string;
  /** Only ever an `http:` or `https:` URL. */
  url?: string;
}

/** What a caller may pass as an author: a bare name or a name with a link. */
export type AuthorInput = string | Author;

export interface Paper {
  title?: string;
  url?: string;
  authors?: Author[];
}

export interface EpisodeAudio {
  src: string;
  type?: string;
}

/** One chapter of a Podcasting 2.0 JSON chapters document. */
export interface PodcastChapter {
  /** Seconds from the start. */
  startTime: number;
  title?: string;
  endTime?: number;
  url?: string;
  /** `false`: not listed in a table of contents (the spec's hidden chapters). */
  toc?: boolean;
}

/** A Podcasting 2.0 JSON chapters document (`application/json+chapters`). */
export interface ChaptersDocument {
  version: string;
  chapters: PodcastChapter[];
}

export interface Episode {
  id: string;
  title: string;
  show?: string;
  host?: string;
  published?: string;
  paper?: Paper;
  audio?: EpisodeAudio;
  /** Chapters (contract 7.5): a Podcasting 2.0 JSON chapters document, or its URL. */
  chapters?: ChaptersDocument | string;
  comments?: { api?: string };
  transcript: TranscriptBlock[];
}

export interface Comment {
  id: string;
  episodeId: string;
  author: string;
  body: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  /** The top-level comment this one replies to, or null. Replies are one level deep: a reply to a reply belongs to its top-level comment. */
  parentId: string | null;
  /** On a reply to a reply: whom it answers. */
  replyTo?: { id: string; author: string };
  /** A top-level comment that was deleted or hidden while it has replies: shown as "comment removed", its text gone. */
  removed?: true;
  /** Only in answers to the comment's author and to the site's owner: `pending` waits for approval. */
  status?: 'visible' | 'pending';
}

/** Episode ids as the comments API accepts them. */
export const EPISODE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,127}$/;

export function isEpisodeId(value: unknown): value is string {
  return typeof value === 'string' && EPISODE_ID_PATTERN.test(value);
}

/** True for absolute `http:`/`https:` URLs: the only ones the widgets ever link to or load. */
export function isHttpUrl(value: string, base?: string): boolean {
  try {
    const url = base === undefined ? new URL(value) : new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * An episode id from a URL or file name: `/episodes/DeepSeek-V3.txt` gives
 * `deepseek-v3`. Page text carries no id, so the file name is the best guess.
 */
export function episodeIdFromUrl(url: string): string | undefined {
  let file: string;
  try {
    file = decodeURIComponent(new URL(url, 'https://relative.invalid/').pathname).split('/').pop() ?? '';
  } catch {
    return undefined;
  }
  const id = file
    .replace(/\.[a-z0-9]+$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 128);
  return isEpisodeId(id) ? id : undefined;
}

/** Authors as objects, exactly as given, in order, duplicates kept. */
export function normalizeAuthors(authors: readonly AuthorInput[]): Author[] {
  return authors.map((author) => (typeof author === 'string' ? { name: author } : author));
}

/** The transcript as plain text, one block per line (search, copy, feeds). */
export function blockText(block: TranscriptBlock): string {
  return block.type === 'list' ? block.items.join('\n') : block.text;
}
