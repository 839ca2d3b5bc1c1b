import { readFileSync } from 'node:fs';
import { commentLines } from 'paperledge-widgets/model';
import { ConfigError } from './config.js';
import type { CommentStatus } from './store.js';

export type ModerationMode = 'post' | 'pre';

/** What decides whether a new comment shows at once or waits for approval. */
export interface ModerationRules {
  mode: ModerationMode;
  /** More links than this and a comment waits. */
  maxLinks: number;
  /** Words and phrases, already folded by `foldForMatching`. */
  blocklist: string[];
}

/** Why a comment waits: the owner's console and the notifications say it. */
export type PendingReason = 'pre-moderation' | 'links' | 'blocked-word';

/**
 * Letters that look like Latin ones in other scripts, as spammers use them to slip a word past a list
 * ("vіagra" with a Cyrillic і). NFKC already folds full-width, mathematical and ligature forms.
 */
const LOOK_ALIKES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  ı: 'i', ł: 'l', ø: 'o', đ: 'd', ß: 'ss', æ: 'ae', œ: 'oe',
};

/**
 * Text as the blocklist compares it: Unicode-normalised (NFKC), lower case, accents and look-alike letters folded
 * to plain Latin, and every run of anything but letters and digits one space, with a space at each end, so that a
 * phrase matches whole words only (" free money " is in " get free money now ", "ass" is not in "class").
 */
export function foldForMatching(text: string): string {
  const folded = text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/./gsu, (c) => LOOK_ALIKES[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return ` ${folded} `;
}

/** `--blocklist FILE`: one word or phrase a line; blank lines and lines starting with # are skipped. */
export function loadBlocklist(file: string | undefined): string[] {
  if (file === undefined) return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`--blocklist: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(foldForMatching)
    .filter((phrase) => phrase.trim() !== '');
}

/** Links as the comment box shows them: each http(s) URL. */
export function countLinks(body: string): number {
  return commentLines(body).reduce((n, line) => n + line.filter((run) => run.href !== undefined).length, 0);
}

/** Visible at once, or pending with the reason; the first rule that holds it back is named. */
export function review(body: string, author: string, rules: ModerationRules): { status: CommentStatus; reason?: PendingReason } {
  if (rules.mode === 'pre') return { status: 'pending', reason: 'pre-moderation' };
  if (countLinks(body) > rules.maxLinks) return { status: 'pending', reason: 'links' };
  if (rules.blocklist.length > 0) {
    const text = foldForMatching(`${author} ${body}`);
    if (rules.blocklist.some((phrase) => text.includes(phrase))) return { status: 'pending', reason: 'blocked-word' };
  }
  return { status: 'visible' };
}
