import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './packages.js';

/** A fenced code block of a documentation page. */
export interface Snippet {
  /** `README.md` or `docs/server.md`. */
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  code: string;
  /** `<!-- skip-snippet: NAME — reason -->` just before the block. */
  skip?: { name: string; reason: string };
  /** `<!-- snippet-file: PATH -->` just before the block: the file of the example app it is. */
  file?: string;
}

export function docPages(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

/** Every fenced block of a page, including those inside blockquotes (`> ```sh`). */
export function snippetsOf(page: string): Snippet[] {
  const lines = readFileSync(join(ROOT, page), 'utf8').split('\n');
  const snippets: Snippet[] = [];
  let marker: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const quote = /^(>\s?)?/.exec(raw)![0];
    const line = raw.slice(quote.length);
    const fence = /^```(\S*)\s*$/.exec(line);
    if (!fence) {
      if (line.trim() !== '') marker = /^<!--\s*(skip-snippet|snippet-file):\s*(.+?)\s*-->$/.exec(line.trim()) ? line.trim() : undefined;
      continue;
    }
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!.slice(quote.length)); i++) body.push(lines[i]!.slice(quote.length));
    if (i >= lines.length) throw new Error(`${page}:${start + 1}: a code block is never closed`);
    const snippet: Snippet = { page, line: start + 1, lang: fence[1] ?? '', code: `${body.join('\n')}\n` };
    const skip = marker && /^<!--\s*skip-snippet:\s*([\w-]+)\s*—\s*(.+?)\s*-->$/.exec(marker);
    if (marker?.includes('skip-snippet') && !skip) throw new Error(`${page}:${start}: write skip markers as <!-- skip-snippet: NAME — reason -->`);
    if (skip) snippet.skip = { name: skip[1]!, reason: skip[2]! };
    const file = marker && /^<!--\s*snippet-file:\s*(\S+)\s*-->$/.exec(marker);
    if (file) snippet.file = file[1]!;
    snippets.push(snippet);
    marker = undefined;
  }
  return snippets;
}

/** Shell words of one command line, with "double" and 'single' quotes; comments and blank lines give none. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(#.*$)|(\S+)/g;
  for (const match of line.matchAll(pattern)) {
    if (match[3] !== undefined) break;
    words.push(match[1] ?? match[2] ?? match[4]!);
  }
  return words;
}
