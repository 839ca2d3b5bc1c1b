// Hostile input for every reader of outside text: each must take time in proportion to its input.
// `npm run bench` prints how long 1 MB of each takes beside the 100 ms goal; test/node/hostile-input.test.ts
// checks that each grows linearly, not quadratically.
import { linkify, parseEpisodeJson, parsePaperLedgeText, parseTranscript } from '../src/model/index.js';

export interface HostileCase {
  name: string;
  /** About `bytes` of the hostile text. */
  make(bytes: number): string;
  run(text: string): unknown;
}

const vttHead = 'WEBVTT\n\n00:01.000 --> 00:02.000\n';
const srtHead = '1\n00:00:01,000 --> 00:00:02,000\n';
const htmlHead = '<cite>Ernis:</cite><time>0:00</time>';

/** Readers refuse bad input with an error: for this check, refusing quickly is as good as reading. */
const quietly = (read: () => unknown) => {
  try {
    return read();
  } catch {
    return undefined;
  }
};

export const HOSTILE: HostileCase[] = [
  { name: 'SRT: "<" never closed', make: (n) => srtHead + '<'.repeat(n), run: (t) => quietly(() => parseTranscript(t, 'srt')) },
  { name: 'WebVTT: "<" never closed', make: (n) => vttHead + '<'.repeat(n), run: (t) => quietly(() => parseTranscript(t, 'vtt')) },
  { name: 'WebVTT: "<v a" repeated', make: (n) => vttHead + '<v a'.repeat(n / 4), run: (t) => quietly(() => parseTranscript(t, 'vtt')) },
  { name: 'HTML transcript: "<" never closed', make: (n) => `${htmlHead}<p>${'<'.repeat(n)}`, run: (t) => quietly(() => parseTranscript(t, 'html')) },
  { name: 'HTML transcript: "<p>" never closed', make: (n) => htmlHead + '<p>'.repeat(n / 3), run: (t) => quietly(() => parseTranscript(t, 'html')) },
  { name: 'page text: one line of quotes', make: (n) => `"${'"'.repeat(n)}`, run: (t) => quietly(() => parsePaperLedgeText(t)) },
  { name: 'page text: credits of empty names', make: (n) => `Hello.\nCredit to Paper authors: ${','.repeat(n)}`, run: (t) => quietly(() => parsePaperLedgeText(t)) },
  {
    name: 'episode JSON: one paragraph of 1 MB',
    make: (n) => JSON.stringify({ id: 'x', title: 't', transcript: [{ type: 'paragraph', text: 'a'.repeat(n) }] }),
    run: (t) => quietly(() => parseEpisodeJson(JSON.parse(t))),
  },
  // Comments as the element renders them: the whole body linkified at once, line breaks kept by CSS.
  { name: 'comment: URLs back to back', make: (n) => 'http://a.b/'.repeat(n / 11), run: (t) => linkify(t) },
  { name: 'comment: a URL of open parentheses', make: (n) => `https://a.b/${'('.repeat(n)})`, run: (t) => linkify(t) },
  { name: 'comment: line breaks', make: (n) => '\n'.repeat(n), run: (t) => linkify(t) },
];

/** Milliseconds for one run of `hostile` on `bytes` of input: the best of `tries`. */
export function timeHostile(hostile: HostileCase, bytes: number, tries = 3): number {
  const text = hostile.make(bytes);
  let best = Infinity;
  for (let i = 0; i < tries; i++) {
    const started = performance.now();
    hostile.run(text);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}
