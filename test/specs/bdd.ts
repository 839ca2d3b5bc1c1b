import type { expect as chaiExpect } from 'chai';

/**
 * What a shared spec needs from its runner, so one spec runs under mocha in
 * the browsers and under `node:test` in Node with the same assertions.
 */
export interface Bdd {
  describe(name: string, fn: () => void): unknown;
  it(name: string, fn: () => void | Promise<void>): unknown;
  expect: typeof chaiExpect;
  /** The published DeepSeek-V3 page text, `test/fixtures/paperledge-deepseek-v3.txt`. */
  fixture: string;
  /** The transcript samples of `test/fixtures/transcripts/`, by file name. */
  transcripts: Record<string, string>;
}

export const TRANSCRIPT_SAMPLES = ['episode.vtt', 'crlf.vtt', 'episode.srt', 'episode.json', 'episode.html'];
