import { DOMParser, type Element, type Node } from '@xmldom/xmldom';

/**
 * Reading XML and HTML with a parser (@xmldom/xmldom), never with patterns over
 * the text: feeds, show notes, and the comments other systems export.
 */

/** The document's root element; what makes it unreadable is thrown as `fail(reason)`. */
export function parseXml(xml: string, fail: (reason: string) => Error): Element {
  let error: string | undefined;
  let root: Element | null = null;
  try {
    root = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') error ??= message.split('\n')[0];
      },
    }).parseFromString(xml, 'text/xml').documentElement;
  } catch (cause) {
    // xmldom throws for what it cannot recover from (unclosed tags, a cut-off file).
    error ??= (cause as Error).message.split('\n')[0];
  }
  if (error !== undefined || !root) throw fail(error ?? 'no root element');
  return root;
}

const BLOCKS = new Set(['p', 'div', 'br', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'ul', 'ol', 'tr', 'section']);

/**
 * HTML as plain text: each paragraph, heading or list item a line (a list item starting `- `, as PaperLedge page text
 * writes lists), a link as its text and then its address when they differ, scripts and styles dropped, entities
 * decoded. Text without tags is returned trimmed.
 */
export function htmlToText(html: string): string {
  if (!/<[a-z!/]/i.test(html)) return decodeBasic(html).trim();
  const doc = new DOMParser({ onError: () => undefined }).parseFromString(`<body>${html}</body>`, 'text/html');
  let out = '';
  const walk = (node: Node): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === child.TEXT_NODE || child.nodeType === child.CDATA_SECTION_NODE) {
        // Line breaks in HTML source are spaces; breaks come from the elements.
        out += (child.nodeValue ?? '').replace(/\s+/g, ' ');
      } else if (child.nodeType === child.ELEMENT_NODE) {
        const element = child as Element;
        const name = (element.localName ?? '').toLowerCase();
        if (name === 'script' || name === 'style') continue;
        if (BLOCKS.has(name)) out += '\n';
        if (name === 'li') out += '- ';
        const before = out.length;
        walk(child);
        const href = name === 'a' ? element.getAttribute('href') : null;
        const text = out.slice(before).trim();
        if (href && /^https?:\/\//i.test(href) && !text.includes(href)) out += ` (${href})`;
        if (BLOCKS.has(name)) out += '\n';
      }
    }
  };
  walk(doc.documentElement ?? doc);
  return out
    .split('\n')
    .map((line) => line.replace(/[ \t\f\r]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

function decodeBasic(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_w, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: '\u00a0' })[name]!);
}
