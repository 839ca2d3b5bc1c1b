import {
  EpisodeFormatError,
  detectTranscriptFormat,
  parseTranscript,
  readTranscriptFile,
} from '../../src/model/index.js';
import type { Bdd } from './bdd.js';

export function transcriptFormatsSpec({ describe, it, expect, transcripts }: Bdd): void {
  const refuses = (run: () => unknown, message: RegExp, line?: number) => {
    try {
      run();
    } catch (error) {
      expect(error).to.be.instanceOf(EpisodeFormatError);
      expect((error as Error).message).to.match(message);
      if (line !== undefined) expect((error as EpisodeFormatError).line).to.equal(line);
      return;
    }
    throw new Error(`expected a refusal matching ${message}`);
  };

  describe('transcript formats', () => {
    describe('WebVTT', () => {
      it('reads voices, multi-line cues, cue settings, ids, missing hours, entities and a BOM', () => {
        const blocks = parseTranscript(transcripts['episode.vtt']!, 'vtt');
        expect(blocks).to.deep.equal([
          { type: 'paragraph', text: 'Hey everyone, Ernis here, and welcome back to PaperLedge!', start: 0, end: 4.5, speaker: 'Ernis' },
          { type: 'paragraph', text: "Today we're diving into DeepSeek-V3, a new language model.", start: 4.5, end: 9, speaker: 'Ernis' },
          { type: 'paragraph', text: 'It has 671 billion parameters & uses only 37 billion at a time.', start: 9, end: 13.25, speaker: 'Ernis' },
          { type: 'paragraph', text: "Wait — so it's like a toolbox where you only grab what you need?", start: 13.25, end: 18, speaker: 'Sam' },
          { type: 'paragraph', text: "Exactly. That's the mixture-of-experts idea.", start: 18, end: 21.5, speaker: 'Ernis' },
        ]);
      });

      it('reads CRLF line ends', () => {
        expect(parseTranscript(transcripts['crlf.vtt']!, 'vtt').map((b) => [b.text, b.start, b.end])).to.deep.equal([
          ['First line second line', 0, 2],
          ['Third', 2, 4],
        ]);
      });

      it('starts a new cue at a timings line even without a blank line before it', () => {
        const blocks = parseTranscript('WEBVTT\n\n00:01.000 --> 00:02.000\nOne\n00:02.000 --> 00:03.000\nTwo\n', 'vtt');
        expect(blocks.map((b) => b.text)).to.deep.equal(['One', 'Two']);
      });

      it('refuses a file without the WEBVTT header, naming line 1', () => {
        refuses(() => parseTranscript('00:01.000 --> 00:02.000\nHello', 'vtt'), /^line 1: a WebVTT file must start with "WEBVTT"/, 1);
      });

      it('skips a cue whose timings cannot be read, and names the line in a warning', () => {
        const { blocks, warnings } = readTranscriptFile('WEBVTT\n\n00:01.000 --> 00:02.000\nfine\n\n1:2:3 --> 00:04.000\nbad\n\n00:05.000 --> 00:06.000\nalso fine\n', 'vtt');
        expect(blocks.map((b) => b.text)).to.deep.equal(['fine', 'also fine']);
        expect(warnings).to.deep.equal([{ line: 6, message: '"1:2:3 --> 00:04.000" is not a timing line like "00:01:02.500 --> 00:01:05.000"; this cue was skipped' }]);
      });

      it('keeps a cue that ends before it starts, with a warning', () => {
        const { blocks, warnings } = readTranscriptFile('WEBVTT\n\n00:05.000 --> 00:04.000\nbackwards\n', 'vtt');
        expect(blocks.map((b) => [b.text, b.start, b.end])).to.deep.equal([['backwards', 5, 5]]);
        expect(warnings.map((w) => w.line)).to.deep.equal([3]);
      });

      it('reads a cue right after the WEBVTT line, and a style block after a blank line inside STYLE', () => {
        expect(parseTranscript('WEBVTT\n00:00.000 --> 00:01.000\nFirst\n', 'vtt').map((b) => b.text)).to.deep.equal(['First']);
        const styled = 'WEBVTT\n\nSTYLE\n::cue { color: red }\n\n::cue(b) { color: blue }\n\n00:01.000 --> 00:02.000\nAfter the style\n';
        expect(parseTranscript(styled, 'vtt').map((b) => b.text)).to.deep.equal(['After the style']);
      });

      it('gives each voice of a cue its own block', () => {
        const blocks = parseTranscript('WEBVTT\n\n00:01.000 --> 00:03.000\n<v Bob>Hi.</v>\n<v Alice>Hello.</v>\n', 'vtt');
        expect(blocks.map((b) => [b.speaker, b.text])).to.deep.equal([['Bob', 'Hi.'], ['Alice', 'Hello.']]);
      });

      it('decodes references as HTML does and replaces NUL', () => {
        expect(parseTranscript('WEBVTT\n\n00:01.000 --> 00:02.000\nR&amp D &lt;3 a\u0000b <c.unclosed', 'vtt')[0]!.text).to.equal('R& D <3 a\ufffdb');
      });
    });

    describe('SRT', () => {
      it('reads numbered cues, comma decimals, multi-line text and "Name:" speakers', () => {
        expect(parseTranscript(transcripts['episode.srt']!, 'srt')).to.deep.equal([
          { type: 'paragraph', text: 'Hey everyone, Ernis here, and welcome back to PaperLedge!', start: 0, end: 4.5, speaker: 'Ernis' },
          { type: 'paragraph', text: "Today we're diving into DeepSeek-V3.", start: 4.5, end: 9, speaker: 'Ernis' },
          { type: 'paragraph', text: 'So only 37 billion of the 671 billion parameters work at once?', start: 9, end: 13.25, speaker: 'Sam' },
          { type: 'paragraph', text: "That's right: 5:1 odds would be too simple.", start: 13.25, end: 16, speaker: 'Ernis' },
        ]);
      });

      it('skips a cue with broken timings with a warning, and refuses a file with no cue at all', () => {
        const { blocks, warnings } = readTranscriptFile('1\n00:00:01 --> 00:00:02,000x\nHi\n\n2\n00:00:03,000 --> 00:00:04,000\nThere\n', 'srt');
        expect(blocks.map((b) => b.text)).to.deep.equal(['Hi', 'There']);
        expect(warnings).to.deep.equal([]);
        const broken = readTranscriptFile('1\n00:00:0x,000 --> 00:00:02,000\nHi\n\n2\n00:00:03,000 --> 00:00:04,000\nThere\n', 'srt');
        expect(broken.blocks.map((b) => b.text)).to.deep.equal(['There']);
        expect(broken.warnings.map((w) => w.line)).to.deep.equal([2]);
        refuses(() => parseTranscript('1\nHello there\n', 'srt'), /^the SRT file has no cues/);
      });
    });

    describe('Podcasting 2.0 JSON', () => {
      it('joins word-level segments into sentences and paragraphs by speaker and pause', () => {
        expect(parseTranscript(transcripts['episode.json']!, 'json')).to.deep.equal([
          { type: 'paragraph', text: 'Hey everyone, Ernis here. Welcome back!', start: 0, end: 2.7, speaker: 'Ernis' },
          { type: 'paragraph', text: "Today it's DeepSeek-V3.", start: 5, end: 6.5, speaker: 'Ernis' },
          { type: 'paragraph', text: 'Sounds huge!', start: 6.8, end: 7.6, speaker: 'Sam' },
        ]);
      });

      it('refuses a broken segment, naming it', () => {
        refuses(() => parseTranscript('{"version":"1.0.0","segments":[{"startTime":1,"endTime":0.5,"body":"x"}]}', 'json'), /^segments\[0\]\.endTime: expected seconds ≥ startTime/);
        refuses(() => parseTranscript('{"version":"1.0.0","segments":[{"startTime":1,"endTime":"2","body":"x"}]}', 'json'), /^segments\[0\]\.endTime/);
        refuses(() => parseTranscript('{"version":"1.0.0"}', 'json'), /^segments: expected the Podcasting 2\.0 transcript shape/);
        refuses(() => parseTranscript('{"segments": [', 'json'), /^The transcript is not valid JSON/);
      });
    });

    describe('HTML', () => {
      it('reads <cite> speakers, <time> starts and <p> paragraphs', () => {
        expect(parseTranscript(transcripts['episode.html']!, 'html')).to.deep.equal([
          { type: 'paragraph', text: 'Hey everyone, Ernis here, and welcome back to PaperLedge!', start: 0, end: 4, speaker: 'Ernis' },
          { type: 'paragraph', text: 'Today we’re diving into DeepSeek-V3 & its 671 billion parameters.', start: 4, end: 3723, speaker: 'Ernis' },
          { type: 'paragraph', text: "That's a lot of parameters.", start: 3723, end: 3723, speaker: 'Sam' },
        ]);
      });

      it('refuses a bad <time>, naming the line', () => {
        refuses(() => parseTranscript('<cite>A:</cite>\n<time>soon</time>\n<p>x</p>', 'html'), /^line 2: <time> must hold a time/, 2);
        refuses(() => parseTranscript('<div>no paragraphs</div>', 'html'), /no <p> paragraphs/);
      });
    });

    it('detects the format from the content type or the content', () => {
      expect(detectTranscriptFormat(transcripts['episode.vtt']!)).to.equal('vtt');
      expect(detectTranscriptFormat(transcripts['episode.srt']!)).to.equal('srt');
      expect(detectTranscriptFormat(transcripts['episode.json']!)).to.equal('json');
      expect(detectTranscriptFormat(transcripts['episode.html']!)).to.equal('html');
      expect(detectTranscriptFormat('anything', 'text/vtt; charset=utf-8')).to.equal('vtt');
      expect(detectTranscriptFormat('anything', 'application/x-subrip')).to.equal('srt');
      expect(detectTranscriptFormat('plain words')).to.equal(undefined);
    });

    it('reads Podcasting 2.0 JSON segments without endTime as lasting until the next one', () => {
      const blocks = parseTranscript('{"version":"1.0.0","segments":[{"startTime":0,"body":"One.","speaker":"A"},{"startTime":4,"body":"Two.","speaker":"B"},{"startTime":6,"body":"Three.","speaker":"A"}]}', 'json');
      expect(blocks.map((b) => [b.speaker, b.start, b.end])).to.deep.equal([['A', 0, 4], ['B', 4, 6], ['A', 6, 6]]);
    });
  });
}
