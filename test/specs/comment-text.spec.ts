import { commentLines, linkify, relativeTime } from '../../src/model/index.js';
import type { Bdd } from './bdd.js';

export function commentTextSpec({ describe, it, expect }: Bdd): void {
  describe('commentLines', () => {
    it('keeps every line and links only http(s) URLs, leaving sentence punctuation outside', () => {
      expect(commentLines('See https://arxiv.org/abs/2412.19437.\r\nAnd (https://en.wikipedia.org/wiki/Mixture_of_experts_(MoE)), ok?')).to.deep.equal([
        [{ text: 'See ' }, { text: 'https://arxiv.org/abs/2412.19437', href: 'https://arxiv.org/abs/2412.19437' }, { text: '.' }],
        [
          { text: 'And (' },
          {
            text: 'https://en.wikipedia.org/wiki/Mixture_of_experts_(MoE)',
            href: 'https://en.wikipedia.org/wiki/Mixture_of_experts_(MoE)',
          },
          { text: '), ok?' },
        ],
      ]);
      expect(commentLines('javascript:alert(1) ftp://x.example <a href="https://x.example">')).to.deep.equal([
        [{ text: 'javascript:alert(1) ftp://x.example <a href="' }, { text: 'https://x.example', href: 'https://x.example/' }, { text: '">' }],
      ]);
    });
  });

  describe('linkify with a limit', () => {
    it('links the first N URLs and leaves the rest of the text as one run, parsing no more URLs', () => {
      const text = 'a https://x.org/1 b https://x.org/2 c https://x.org/3 d';
      expect(linkify(text, 2)).to.deep.equal([
        { text: 'a ' },
        { text: 'https://x.org/1', href: 'https://x.org/1' },
        { text: ' b ' },
        { text: 'https://x.org/2', href: 'https://x.org/2' },
        { text: ' c https://x.org/3 d' },
      ]);
      expect(linkify(text).filter((run) => run.href)).to.have.length(3);
      expect(linkify(text, 0)).to.deep.equal([{ text }]);
    });
  });

  describe('relativeTime', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    const ago = (seconds: number) => relativeTime(new Date(now.getTime() - seconds * 1000), now);

    it('says the largest unit that fits', () => {
      expect(ago(10)).to.equal('now');
      expect(ago(3 * 60)).to.equal('3 minutes ago');
      expect(ago(26 * 3600)).to.equal('yesterday');
      expect(ago(400 * 24 * 3600)).to.equal('last year');
    });

    it('says "now" for a time ahead of the reader’s clock, never "in 2 minutes"', () => {
      expect(ago(-2 * 60)).to.equal('now');
      expect(ago(-3 * 3600)).to.equal('now');
    });

    it('speaks the given language', () => {
      expect(relativeTime(new Date(now.getTime() - 3 * 60_000), now, 'de')).to.equal('vor 3 Minuten');
    });
  });
}
