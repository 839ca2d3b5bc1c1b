import { createHash } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import Database from 'better-sqlite3';
import { AUTHOR_MAX_CHARACTERS, isEpisodeId } from 'paperledge-widgets/model';
import { episodeIdFor } from './feed-xml.js';
import { htmlToText, parseXml } from './markup.js';

export { htmlToText } from './markup.js';
import type { CommentStatus, TransferComment } from './store.js';

/**
 * Comments from elsewhere, read into what `import` stores: our own JSON Lines
 * export, Disqus' XML export, WordPress' WXR file and an Isso SQLite database.
 * Each source comment gets an id derived from where it came from, so importing
 * the same file twice adds nothing; threads are folded to one level, a reply to
 * a reply naming whom it answers; HTML bodies become plain text, links kept.
 */

export type ImportFormat = 'jsonl' | 'disqus' | 'wxr' | 'isso';

export class ImportError extends Error {}

/** Where a source thread goes: `--map old-url=episode-id`, else a slug of its link. */
export class EpisodeMap {
  readonly #map = new Map<string, string>();

  /** `old-url=episode-id` pairs, from `--map` flags and from a file (one a line; `#` starts a comment). */
  constructor(pairs: string[]) {
    for (const pair of pairs) {
      const at = pair.lastIndexOf('=');
      const from = pair.slice(0, at).trim();
      const to = pair.slice(at + 1).trim();
      if (at <= 0 || !isEpisodeId(to)) throw new ImportError(`--map: "${pair}" is not old-url=episode-id (an id of lowercase letters, digits and dashes)`);
      this.#map.set(normalizeLink(from), to);
    }
  }

  episodeFor(link: string): string {
    return this.#map.get(normalizeLink(link)) ?? episodeIdFor(link);
  }
}

function normalizeLink(link: string): string {
  return link.trim().replace(/[?#].*$/, '').replace(/\/+$/, '').toLowerCase();
}

/** An id for a comment from another system, the same every time that comment is imported: a UUID from a hash. */
export function importedId(source: string, key: string): string {
  const hex = createHash('sha256').update(`${source}\u0000${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

interface SourceComment {
  key: string;
  parentKey: string | undefined;
  episodeId: string;
  author: string;
  body: string;
  createdAt: string;
  status: CommentStatus;
}

/** One level of replies: each comment's parent becomes the top of its chain; a reply to a reply names whom it answers. */
function thread(source: string, comments: SourceComment[]): TransferComment[] {
  const byKey = new Map(comments.map((comment) => [comment.key, comment]));
  const top = (comment: SourceComment): SourceComment => {
    const seen = new Set<string>();
    let current = comment;
    while (current.parentKey && byKey.has(current.parentKey) && !seen.has(current.key)) {
      seen.add(current.key);
      current = byKey.get(current.parentKey)!;
    }
    return current;
  };
  return comments
    .filter((comment) => comment.body !== '')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((comment) => {
      const parent = comment.parentKey ? byKey.get(comment.parentKey) : undefined;
      const root = parent ? top(parent) : undefined;
      return {
        id: importedId(source, comment.key),
        episodeId: comment.episodeId,
        parentId: root ? importedId(source, root.key) : null,
        ...(parent && root && parent !== root ? { replyTo: { id: importedId(source, parent.key), author: parent.author } } : {}),
        author: comment.author,
        body: comment.body,
        createdAt: comment.createdAt,
        status: comment.status,
      };
    });
}

function author(name: string | undefined | null): string {
  const trimmed = (name ?? '').trim();
  return trimmed === '' ? 'Anonymous' : [...trimmed].slice(0, AUTHOR_MAX_CHARACTERS).join('');
}

function isoDate(value: string | undefined | null, what: string): string {
  const date = new Date(value ?? '');
  if (Number.isNaN(date.getTime())) throw new ImportError(`${what}: "${value}" is not a date`);
  return date.toISOString();
}

const xmlOf = (xml: string, format: string) => parseXml(xml, (reason) => new ImportError(`the ${format} file is not well-formed XML: ${reason}`));

const childText = (parent: Element, name: string): string | undefined => {
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE && (node as Element).localName === name) return (node as Element).textContent ?? undefined;
  }
  return undefined;
};
const childElement = (parent: Element, name: string): Element | undefined => {
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE && (node as Element).localName === name) return node as Element;
  }
  return undefined;
};
const elements = (parent: Element, name: string): Element[] => Array.from(parent.getElementsByTagNameNS('*', name));
const DISQUS_INTERNALS = 'http://disqus.com/disqus-internals';
const disqusId = (el: Element | undefined) => el?.getAttributeNS(DISQUS_INTERNALS, 'id') ?? el?.getAttribute('dsq:id') ?? undefined;

/** Disqus' export: `<thread dsq:id>` with its `<link>`, `<post>` with `<message>` (HTML), `<thread dsq:id>` and `<parent dsq:id>`. */
export function readDisqus(xml: string, map: EpisodeMap): TransferComment[] {
  const root = xmlOf(xml, 'Disqus');
  if (root.localName !== 'disqus') throw new ImportError(`expected a Disqus export (<disqus>…), found <${root.tagName}>`);
  const links = new Map<string, string>();
  for (const thread of elements(root, 'thread')) {
    const link = childText(thread, 'link');
    const id = disqusId(thread);
    if (id && link) links.set(id, link.trim());
  }
  const comments: SourceComment[] = [];
  for (const post of elements(root, 'post')) {
    const id = disqusId(post);
    const threadId = disqusId(childElement(post, 'thread'));
    if (!id || !threadId) continue;
    if (childText(post, 'isDeleted')?.trim() === 'true' || childText(post, 'isSpam')?.trim() === 'true') continue;
    const link = links.get(threadId);
    if (!link) throw new ImportError(`post ${id}: its thread ${threadId} is not in the file`);
    comments.push({
      key: id,
      parentKey: disqusId(childElement(post, 'parent')),
      episodeId: map.episodeFor(link),
      author: author(childText(childElement(post, 'author') ?? post, 'name')),
      body: htmlToText(childText(post, 'message') ?? ''),
      createdAt: isoDate(childText(post, 'createdAt')?.trim(), `post ${id}`),
      status: childText(post, 'isApproved')?.trim() === 'false' ? 'pending' : 'visible',
    });
  }
  return thread('disqus', comments);
}

/** WordPress' WXR: each `<item>` with its `<link>` and `<wp:comment>`s; only approved ones are visible, spam and trash are left out. */
export function readWxr(xml: string, map: EpisodeMap): TransferComment[] {
  const root = xmlOf(xml, 'WordPress');
  if (root.localName !== 'rss') throw new ImportError(`expected a WordPress export (WXR, <rss>…), found <${root.tagName}>`);
  const comments: SourceComment[] = [];
  for (const item of elements(root, 'item')) {
    const link = childText(item, 'link')?.trim();
    const postId = childText(item, 'post_id')?.trim() ?? link ?? '';
    for (const comment of Array.from(item.getElementsByTagNameNS('*', 'comment')).filter((el) => el.localName === 'comment' && childText(el, 'comment_id') !== undefined)) {
      const id = childText(comment, 'comment_id')!.trim();
      const approved = childText(comment, 'comment_approved')?.trim();
      if (approved === 'spam' || approved === 'trash') continue;
      const type = childText(comment, 'comment_type')?.trim();
      if (type === 'pingback' || type === 'trackback') continue;
      if (!link) throw new ImportError(`comment ${id}: its post has no <link>`);
      const parent = childText(comment, 'comment_parent')?.trim();
      const gmt = childText(comment, 'comment_date_gmt')?.trim();
      comments.push({
        key: `${postId}/${id}`,
        parentKey: parent && parent !== '0' ? `${postId}/${parent}` : undefined,
        episodeId: map.episodeFor(link),
        author: author(childText(comment, 'comment_author')),
        body: htmlToText(childText(comment, 'comment_content') ?? ''),
        createdAt: isoDate(gmt && gmt !== '0000-00-00 00:00:00' ? `${gmt.replace(' ', 'T')}Z` : childText(comment, 'comment_date'), `comment ${id}`),
        status: approved === '1' ? 'visible' : 'pending',
      });
    }
  }
  return thread('wxr', comments);
}

/** Isso's SQLite database: `threads (id, uri)` and `comments (tid, id, parent, created, mode, text, author)`; mode 1 is public, 2 waits, 4 is deleted. */
export function readIsso(path: string, map: EpisodeMap): TransferComment[] {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new ImportError(`cannot open the Isso database ${path}: ${(error as Error).message}`);
  }
  try {
    const rows = db
      .prepare('SELECT c.id, c.parent, c.created, c.mode, c.text, c.author, t.uri FROM comments c JOIN threads t ON t.id = c.tid ORDER BY c.id')
      .all() as { id: number; parent: number | null; created: number; mode: number; text: string; author: string | null; uri: string }[];
    const comments = rows
      .filter((row) => row.mode !== 4)
      .map(
        (row): SourceComment => ({
          key: String(row.id),
          parentKey: row.parent === null ? undefined : String(row.parent),
          episodeId: map.episodeFor(row.uri),
          author: author(row.author),
          // Isso keeps the Markdown its readers wrote: stored as the text it is.
          body: row.text.trim(),
          createdAt: new Date(row.created * 1000).toISOString(),
          status: row.mode === 1 ? 'visible' : 'pending',
        }),
      );
    return thread('isso', comments);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(`${path} is not an Isso database: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our own export, one comment a line; a line that is not one is named with its number. */
export function readJsonl(text: string): TransferComment[] {
  return text
    .split('\n')
    .map((line, index) => [line, index + 1] as const)
    .filter(([line]) => line.trim() !== '')
    .map(([line, number]) => {
      let value: Partial<TransferComment>;
      try {
        value = JSON.parse(line) as Partial<TransferComment>;
      } catch (error) {
        throw new ImportError(`line ${number}: not JSON (${(error as Error).message})`);
      }
      const fail = (what: string) => {
        throw new ImportError(`line ${number}: ${what}`);
      };
      if (typeof value.id !== 'string' || !UUID.test(value.id)) fail('"id" must be a comment id (a UUID)');
      if (!isEpisodeId(value.episodeId)) fail('"episodeId" must be an episode id');
      if (value.parentId !== null && (typeof value.parentId !== 'string' || !UUID.test(value.parentId))) fail('"parentId" must be a comment id or null');
      if (typeof value.author !== 'string' || typeof value.body !== 'string') fail('"author" and "body" must be text');
      if (typeof value.createdAt !== 'string' || Number.isNaN(Date.parse(value.createdAt))) fail('"createdAt" must be an ISO 8601 date');
      if (value.status !== 'visible' && value.status !== 'pending') fail('"status" must be "visible" or "pending"');
      return value as TransferComment;
    });
}

/** The format of a file, from its name or its first bytes. */
export function detectFormat(file: string, head: Buffer): ImportFormat | undefined {
  if (head.subarray(0, 16).toString('latin1') === 'SQLite format 3\u0000') return 'isso';
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('{')) return 'jsonl';
  if (/<disqus[\s>]/.test(text)) return 'disqus';
  if (/<rss[\s>]/.test(text) && /wordpress\.org\/export/.test(text)) return 'wxr';
  if (/\.jsonl$/i.test(file)) return 'jsonl';
  return undefined;
}
