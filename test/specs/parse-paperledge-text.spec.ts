import {
  EpisodeFormatError,
  type ListBlock,
  parsePaperLedgeText,
  parseCreditsLine,
  blockText,
} from '../../src/model/index.js';
import type { Bdd } from './bdd.js';

export function parsePaperLedgeTextSpec({ describe, it, expect, fixture }: Bdd): void {
  const expectFormatError = (run: () => unknown, message: RegExp): EpisodeFormatError => {
    try {
      run();
    } catch (error) {
      expect(error).to.be.instanceOf(EpisodeFormatError);
      expect((error as Error).message).to.match(message);
      return error as EpisodeFormatError;
    }
    throw new Error(`expected an EpisodeFormatError matching ${message}`);
  };

  describe('parsePaperLedgeText', () => {
    describe('the DeepSeek-V3 fixture', () => {
      const episode = parsePaperLedgeText(fixture, { id: 'deepseek-v3', title: 'DeepSeek-V3' });
      const types = episode.transcript.map((block) => block.type);

      it('reads 11 paragraphs, 1 quote and 2 lists, in the published order', () => {
        expect(types.filter((t) => t === 'paragraph')).to.have.length(11);
        expect(types.filter((t) => t === 'quote')).to.have.length(1);
        expect(types).to.deep.equal([
          'paragraph', 'paragraph', 'paragraph', 'paragraph', 'quote', 'paragraph', 'paragraph',
          'list', 'paragraph', 'paragraph', 'list', 'paragraph', 'paragraph', 'paragraph',
        ]);
      });

      it('reads the two lists with 3 and 4 items, without their dashes', () => {
        const lists = episode.transcript.filter((b): b is ListBlock => b.type === 'list');
        expect(lists.map((l) => l.items.length)).to.deep.equal([3, 4]);
        expect(lists[0]?.items[0]).to.equal('Writing incredibly realistic and creative text');
        expect(lists[1]?.items[3]).to.equal(
          'Curious learner: It gives us a glimpse into the future of AI and its potential to transform our world.',
        );
      });

      it('reads the quote without its quotation marks', () => {
        const quote = episode.transcript[4];
        expect(quote).to.deep.equal({
          type: 'quote',
          text: 'DeepSeek-V3 pioneers an auxiliary-loss-free strategy for load balancing...',
        });
      });

      it('keeps typographic quotes and dashes as published', () => {
        expect(blockText(episode.transcript[0]!)).to.contain('impressive AI tech – specifically');
        expect(blockText(episode.transcript[5]!)).to.contain('it’s not when we break it down');
      });

      it('reads 200 authors in order, both duplicated names kept', () => {
        const names = episode.paper?.authors?.map((a) => a.name) ?? [];
        expect(names).to.have.length(200);
        expect(names[0]).to.equal('DeepSeek-AI');
        expect(names[1]).to.equal('Aixin Liu');
        expect(names[199]).to.equal('Zizheng Pan');
        expect(names.filter((n) => n === 'Shengfeng Ye')).to.have.length(2);
        expect(names.filter((n) => n === 'Yanhong Xu')).to.have.length(2);
        expect(names).to.include('J. L. Cai');
      });

      it('keeps the credits and comments lines out of the transcript', () => {
        const text = episode.transcript.map(blockText).join('\n');
        expect(text).not.to.contain('Credit to Paper authors');
        expect(text).not.to.contain('No comments yet');
        expect(text).not.to.contain('Zizheng Pan');
        expect(blockText(episode.transcript.at(-1)!)).to.match(/^That’s all for today's episode/);
      });

      it('takes id and title from the options, as page text carries neither', () => {
        expect(episode.id).to.equal('deepseek-v3');
        expect(episode.title).to.equal('DeepSeek-V3');
        expect(episode.show).to.equal('PaperLedge');
        const untitled = parsePaperLedgeText(fixture);
        expect(untitled.id).to.equal('episode');
        expect(untitled.title).to.equal('PaperLedge episode');
      });
    });

    describe('tolerates', () => {
      it('CRLF, a BOM, blank lines and trailing spaces', () => {
        const messy = '\uFEFF' + fixture.split('\n').map((line) => `${line}   `).join('\r\n\r\n');
        const clean = parsePaperLedgeText(fixture);
        const parsed = parsePaperLedgeText(messy);
        expect(parsed).to.deep.equal(clean);
      });

      it('old Mac line ends', () => {
        const parsed = parsePaperLedgeText('One.\rTwo.\r- a\r- b');
        expect(parsed.transcript).to.deep.equal([
          { type: 'paragraph', text: 'One.' },
          { type: 'paragraph', text: 'Two.' },
          { type: 'list', items: ['a', 'b'] },
        ]);
      });

      it('typographic quotation marks around a quote', () => {
        expect(parsePaperLedgeText('“Quoted words.”').transcript).to.deep.equal([{ type: 'quote', text: 'Quoted words.' }]);
      });

      it('a paragraph that merely starts and ends with quoted words', () => {
        const text = '"Fast" is relative, and so is "cheap"';
        expect(parsePaperLedgeText(text).transcript).to.deep.equal([{ type: 'paragraph', text }]);
      });

      it('text with no credits line', () => {
        const parsed = parsePaperLedgeText('Just a paragraph.');
        expect(parsed.paper).to.equal(undefined);
      });

      it('markup in the text, kept as literal text', () => {
        const text = '<img src=x onerror=alert(1)> and <script>alert(1)</script>';
        expect(parsePaperLedgeText(text).transcript).to.deep.equal([{ type: 'paragraph', text }]);
      });
    });

    describe('refuses', () => {
      it('empty text', () => {
        expectFormatError(() => parsePaperLedgeText(''), /episode text is empty/);
        expectFormatError(() => parsePaperLedgeText(' \r\n\t\n'), /episode text is empty/);
        expectFormatError(() => parsePaperLedgeText('\uFEFF'), /episode text is empty/);
      });

      it('binary data, naming the line', () => {
        const error = expectFormatError(() => parsePaperLedgeText('Fine line\nID3\u0000\u0003\u0001'), /not text \(binary data on line 2\)/);
        expect(error.line).to.equal(2);
        expectFormatError(() => parsePaperLedgeText('PK\u0003\u0004'), /not text/);
        expectFormatError(() => parsePaperLedgeText('caf\uFFFD'), /not text/);
      });

      it('an HTML page served where the episode should be', () => {
        expectFormatError(() => parsePaperLedgeText('<!DOCTYPE html><html><body>Not found</body></html>'), /HTML page/);
      });

      it('text with no transcript', () => {
        expectFormatError(
          () => parsePaperLedgeText('Credit to Paper authors: A, B\nNo comments yet. Be the first to say something!'),
          /no transcript/,
        );
      });

      it('something that is not text, without a bare TypeError', () => {
        expectFormatError(() => parsePaperLedgeText(null as unknown as string), /Expected the episode as text, got null/);
        expectFormatError(() => parsePaperLedgeText(42 as unknown as string), /got number/);
      });
    });
  });

  describe('parseCreditsLine', () => {
    it('keeps names exactly, in order, duplicates included', () => {
      expect(parseCreditsLine('Credit to Paper authors: A, B,  B , Zoë')).to.deep.equal([{ name: 'A' }, { name: 'B' }, { name: 'B' }, { name: 'Zoë' }]);
    });

    it('drops an ellipsis or etc. that shortens a pasted list: it is not an author', () => {
      for (const mark of ['…', '...', 'etc.', 'ETC']) {
        expect(parseCreditsLine(`Credit to Paper authors: DeepSeek-AI, Aixin Liu, ${mark}`)).to.deep.equal([
          { name: 'DeepSeek-AI' },
          { name: 'Aixin Liu' },
        ]);
      }
      expect(parseCreditsLine('Credit to Paper authors: A… B, C')).to.deep.equal([{ name: 'A… B' }, { name: 'C' }]);
    });
  });
}
