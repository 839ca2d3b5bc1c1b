import type { Element } from '@xmldom/xmldom';
import { type Author, isEpisodeId, isHttpUrl } from 'paperledge-widgets/model';
import { createHash } from 'node:crypto';
import { htmlToText, parseXml } from './markup.js';

/**
 * Reading a podcast RSS feed with its Podcasting 2.0 tags, by an XML parser
 * (@xmldom/xmldom) and namespaces, never by patterns over the text: what each
 * `<item>` says, before anything is fetched.
 */

/** The namespace of the Podcasting 2.0 tags, and the one early feeds used. */
const PODCAST = new Set(['https://podcastindex.org/namespace/1.0', 'https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md']);
const CONTENT = 'http://purl.org/rss/1.0/modules/content/';

export interface FeedTranscript {
  url: string;
  type: string;
  language: string | undefined;
  rel: string | undefined;
}

export interface FeedItem {
  id: string;
  title: string;
  published: string | undefined;
  audio: { src: string; type?: string } | undefined;
  transcripts: FeedTranscript[];
  chapters: { url: string; type: string } | undefined;
  /** `podcast:person` with role `author`: the paper's authors. */
  authors: Author[];
  /** The show notes as plain text, one paragraph a line. */
  notes: string | undefined;
}

export interface Feed {
  title: string | undefined;
  language: string | undefined;
  items: FeedItem[];
}

export class FeedError extends Error {}

function children(parent: Element, test: (el: Element) => boolean): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE && test(node as Element)) found.push(node as Element);
  }
  return found;
}

const plain = (name: string) => (el: Element) => el.namespaceURI === null && el.localName === name;
const podcast = (name: string) => (el: Element) => el.namespaceURI !== null && PODCAST.has(el.namespaceURI) && el.localName === name;

function text(el: Element | undefined): string | undefined {
  const value = el?.textContent?.trim();
  return value ? value : undefined;
}

function httpUrl(value: string | null | undefined): string | undefined {
  const url = value?.trim();
  return url && isHttpUrl(url) ? url : undefined;
}

/**
 * A stable episode id from what identifies the item in the feed: its `guid` (or enclosure URL), as a slug when it
 * reads as one (`paperledge-deepseek-v3`, `https://…/episodes/deepseek-v3`), else a hash of it, so that a renamed
 * title never moves an episode's comments.
 */
export function episodeIdFor(key: string): string {
  const last = key.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop() ?? '';
  const slug = last
    .toLowerCase()
    .replace(/\.[a-z0-9]{2,4}$/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  if (isEpisodeId(slug) && /[a-z]/.test(slug) && slug.length >= 3) return slug;
  return `ep-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

/** Reads a feed's XML. A document that is not RSS throws, naming what was found. */
export function parseFeedXml(xml: string): Feed {
  const rss = parseXml(xml, (reason) => new FeedError(`the feed is not well-formed XML: ${reason}`));
  const channel = rss.localName === 'rss' ? children(rss, plain('channel'))[0] : undefined;
  if (!channel) throw new FeedError(`expected an RSS feed (<rss><channel>…), found <${rss.tagName}>`);
  const items = children(channel, plain('item')).map((item, index): FeedItem => {
    const title = text(children(item, plain('title'))[0]) ?? `Episode ${index + 1}`;
    const enclosure = children(item, plain('enclosure'))[0];
    const audioSrc = httpUrl(enclosure?.getAttribute('url'));
    const guid = text(children(item, plain('guid'))[0]);
    const date = new Date(text(children(item, plain('pubDate'))[0]) ?? '');
    const chapters = children(item, podcast('chapters'))[0];
    const chaptersUrl = httpUrl(chapters?.getAttribute('url'));
    const notes =
      text(children(item, (el) => el.namespaceURI === CONTENT && el.localName === 'encoded')[0]) ??
      text(children(item, plain('description'))[0]) ??
      text(children(item, (el) => el.localName === 'summary')[0]);
    return {
      id: episodeIdFor(guid ?? audioSrc ?? title),
      title,
      published: Number.isNaN(date.getTime()) ? undefined : date.toISOString(),
      audio: audioSrc ? { src: audioSrc, ...(enclosure?.getAttribute('type') ? { type: enclosure.getAttribute('type')! } : {}) } : undefined,
      transcripts: children(item, podcast('transcript')).flatMap((el) => {
        const url = httpUrl(el.getAttribute('url'));
        return url ? [{ url, type: (el.getAttribute('type') ?? '').toLowerCase(), language: el.getAttribute('language') ?? undefined, rel: el.getAttribute('rel') ?? undefined }] : [];
      }),
      chapters: chaptersUrl ? { url: chaptersUrl, type: (chapters?.getAttribute('type') ?? '').toLowerCase() } : undefined,
      authors: children(item, podcast('person'))
        .filter((el) => (el.getAttribute('role') ?? 'host').toLowerCase() === 'author')
        .flatMap((el) => {
          const name = text(el);
          const url = httpUrl(el.getAttribute('href'));
          return name ? [url ? { name, url } : { name }] : [];
        }),
      notes: notes === undefined ? undefined : htmlToText(notes),
    };
  });
  return { title: text(children(channel, plain('title'))[0]), language: text(children(channel, plain('language'))[0]), items };
}

/** Which transcript a reader gets when an item offers several: the richest format, in the feed's language first. */
const PREFERENCE = ['application/json', 'text/vtt', 'application/x-subrip', 'application/srt', 'text/srt', 'text/html'];

export function preferredTranscript(transcripts: FeedTranscript[], language: string | undefined): FeedTranscript | undefined {
  const rank = (t: FeedTranscript) => {
    const format = PREFERENCE.indexOf(t.type);
    const sameLanguage = !language || !t.language || t.language.toLowerCase().split('-')[0] === language.toLowerCase().split('-')[0];
    return (sameLanguage ? 0 : 100) + (format === -1 ? 50 : format);
  };
  return [...transcripts].sort((a, b) => rank(a) - rank(b))[0];
}
