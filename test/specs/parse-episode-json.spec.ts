import {
  parseChaptersJson,
  EpisodeFormatError,
  parseEpisodeJson,
  parseEpisodeSource,
  parsePaperLedgeText,
  episodeIdFromUrl,
} from '../../src/model/index.js';
import type { Bdd } from './bdd.js';

export function parseEpisodeJsonSpec({ describe, it, expect, fixture }: Bdd): void {
  const valid = () => ({
    id: 'deepseek-v3',
    title: 'DeepSeek-V3',
    show: 'PaperLedge',
    host: 'Ernis',
    published: '2024-12-28',
    paper: {
      title: 'DeepSeek-V3 Technical Report',
      url: 'https://arxiv.org/abs/2412.19437',
      authors: ['DeepSeek-AI', { name: 'Aixin Liu', url: 'https://example.org/aixin' }],
    },
    audio: { src: 'episode.mp3', type: 'audio/mpeg' },
    comments: { api: 'https://comments.example.org' },
    transcript: [
      { type: 'paragraph', text: 'Hey everyone, …', start: 0, end: 11.5, speaker: 'Ernis' },
      { type: 'quote', text: 'DeepSeek-V3 pioneers an auxiliary-loss-free strategy for load balancing...' },
      { type: 'list', items: ['Writing incredibly realistic and creative text'] },
      { type: 'paragraph', text: 'Bye.' },
    ],
  });

  const fieldError = (value: unknown): EpisodeFormatError => {
    try {
      parseEpisodeJson(value);
    } catch (error) {
      expect(error, String(error)).to.be.instanceOf(EpisodeFormatError);
      return error as EpisodeFormatError;
    }
    throw new Error('expected parseEpisodeJson to refuse the document');
  };

  const broken = (change: (doc: Record<string, any>) => void): EpisodeFormatError => {
    const doc: Record<string, any> = valid();
    change(doc);
    return fieldError(doc);
  };

  describe('parseEpisodeJson', () => {
    it('returns the typed episode, authors as objects', () => {
      const episode = parseEpisodeJson(valid());
      expect(episode.id).to.equal('deepseek-v3');
      expect(episode.paper?.authors).to.deep.equal([
        { name: 'DeepSeek-AI' },
        { name: 'Aixin Liu', url: 'https://example.org/aixin' },
      ]);
      expect(episode.transcript[0]).to.deep.equal({ type: 'paragraph', text: 'Hey everyone, …', start: 0, end: 11.5, speaker: 'Ernis' });
      expect(episode.transcript).to.have.length(4);
    });

    it('accepts the minimum: id, title and transcript', () => {
      const episode = parseEpisodeJson({ id: 'a', title: 'A', transcript: [] });
      expect(episode).to.deep.equal({ id: 'a', title: 'A', transcript: [] });
    });

    it('drops keys it does not know', () => {
      const episode = parseEpisodeJson({ ...valid(), extra: true });
      expect(episode).not.to.have.property('extra');
    });

    it('round-trips a parsed page-text episode', () => {
      const episode = parsePaperLedgeText(fixture, { id: 'deepseek-v3', title: 'DeepSeek-V3' });
      expect(parseEpisodeJson(JSON.parse(JSON.stringify(episode)))).to.deep.equal(episode);
    });

    describe('names the field it refuses', () => {
      const cases: [string, (doc: Record<string, any>) => void, string][] = [
        ['a wrong block type', (d) => (d.transcript[3].type = 'heading'), 'transcript[3].type: expected "paragraph" | "quote" | "list", got "heading"'],
        ['a missing id', (d) => delete d.id, 'id: expected an episode id'],
        ['an id with capitals', (d) => (d.id = 'DeepSeek V3'), 'id: expected an episode id'],
        ['an empty title', (d) => (d.title = '  '), 'title: expected a non-empty string, got "  "'],
        ['a missing transcript', (d) => delete d.transcript, 'transcript: expected an array of blocks, got undefined'],
        ['a transcript object', (d) => (d.transcript = {}), 'transcript: expected an array of blocks, got an object'],
        ['a block that is not an object', (d) => (d.transcript[1] = 'text'), 'transcript[1]: expected an object, got "text"'],
        ['a paragraph without text', (d) => delete d.transcript[0].text, 'transcript[0].text: expected a non-empty string'],
        ['an empty list', (d) => (d.transcript[2].items = []), 'transcript[2].items: expected a non-empty array of strings'],
        ['a list item that is a number', (d) => (d.transcript[2].items = ['ok', 7]), 'transcript[2].items[1]: expected a non-empty string, got 7'],
        ['a negative start', (d) => (d.transcript[0].start = -1), 'transcript[0].start: expected a number of seconds ≥ 0, got -1'],
        ['a start given as text', (d) => (d.transcript[0].start = '0'), 'transcript[0].start: expected a number of seconds'],
        ['an end before the start', (d) => (d.transcript[0].end = -0 + 0.5, d.transcript[0].start = 3), 'transcript[0].end: expected a time ≥ start (3), got 0.5'],
        ['a javascript: paper link', (d) => (d.paper.url = 'javascript:alert(1)'), 'paper.url: expected an absolute http(s) URL'],
        ['a javascript: author link', (d) => (d.paper.authors[1].url = 'javascript:alert(1)'), 'paper.authors[1].url: expected an absolute http(s) URL'],
        ['authors as a string', (d) => (d.paper.authors = 'A, B'), 'paper.authors: expected an array of names, got "A, B"'],
        ['an author without a name', (d) => (d.paper.authors[0] = { url: 'https://x.org' }), 'paper.authors[0].name: expected a non-empty string'],
        ['audio without src', (d) => (d.audio = { type: 'audio/mpeg' }), 'audio.src: expected an http(s) URL'],
        ['a data: audio URL', (d) => (d.audio.src = 'data:audio/mpeg;base64,AAAA'), 'audio.src: expected an http(s) URL'],
        ['comments that are a string', (d) => (d.comments = 'https://x.org'), 'comments: expected an object'],
        ['chapters that are a number', (d) => (d.chapters = 7), 'chapters: expected an object'],
        ['chapters at a data: URL', (d) => (d.chapters = 'data:application/json,{}'), 'chapters: expected an http(s) URL'],
      ];
      for (const [name, change, message] of cases) {
        it(name, () => {
          const error = broken(change);
          expect(error.message).to.contain(message);
          expect(error.field).to.equal(message.split(':')[0]);
        });
      }

      it('a document that is not an object', () => {
        for (const value of [null, undefined, 42, 'text', []]) {
          const error = fieldError(value);
          expect(error.message).to.match(/^episode: expected an object, got /);
        }
      });
    });
  });

  describe('chapters (contract 7.5)', () => {
    it('keeps a Podcasting 2.0 chapters document inline, or its URL resolved against the episode file', () => {
      const inline = { version: '1.2.0', chapters: [{ startTime: 0, title: 'Intro' }, { startTime: 61.5, title: 'Training', toc: false, endTime: 90 }] };
      expect(parseEpisodeJson({ ...valid(), chapters: inline }).chapters).to.deep.equal(inline);
      const linked = parseEpisodeSource(JSON.stringify({ ...valid(), chapters: 'chapters.json' }), { baseUrl: 'https://example.org/episodes/ep.json' });
      expect(linked.chapters).to.equal('https://example.org/episodes/chapters.json');
    });

    it('leaves a chapters document to the player, which checks it and names what is wrong: a broken one costs the list, not the episode', () => {
      const broken = { version: '1.2.0', chapters: [{ title: 'Intro' }] };
      expect(parseEpisodeJson({ ...valid(), chapters: broken }).chapters).to.deep.equal(broken);
      const refusal = (doc: unknown) => {
        try {
          parseChaptersJson(doc);
        } catch (error) {
          return (error as Error).message;
        }
        return 'accepted';
      };
      expect(refusal({ version: '1.2.0' })).to.match(/^chapters\.chapters: expected an array of chapters/);
      expect(refusal(broken)).to.match(/^chapters\.chapters\[0\]\.startTime: expected a number of seconds ≥ 0/);
      expect(refusal({ version: '1.2.0', chapters: [{ startTime: 0, url: 'javascript:x' }] })).to.match(/^chapters\.chapters\[0\]\.url: expected an absolute http\(s\) URL/);
    });
  });

  describe('parseEpisodeSource', () => {
    it('reads JSON by its look, or when served as JSON', () => {
      const json = JSON.stringify(valid());
      expect(parseEpisodeSource(json).title).to.equal('DeepSeek-V3');
      expect(parseEpisodeSource(`\uFEFF  ${json}`).title).to.equal('DeepSeek-V3');
      expect(() => parseEpisodeSource('Hello', { contentType: 'application/json; charset=utf-8' })).to.throw(
        EpisodeFormatError,
        /The episode is not valid JSON: /,
      );
    });

    it('reads page text otherwise, with the id and title given', () => {
      const episode = parseEpisodeSource(fixture, { contentType: 'text/plain', id: 'deepseek-v3', title: 'DeepSeek-V3' });
      expect(episode.transcript).to.have.length(14);
      expect(episode.id).to.equal('deepseek-v3');
    });

    it('lets the given id and title override the JSON', () => {
      const episode = parseEpisodeSource(JSON.stringify(valid()), { id: 'other', title: 'Other' });
      expect([episode.id, episode.title]).to.deep.equal(['other', 'Other']);
    });

    it('resolves relative audio and comments URLs against where the episode was read from', () => {
      const json = JSON.stringify({ ...valid(), audio: { src: 'ep.mp3' }, comments: { api: '../comments/' } });
      const episode = parseEpisodeSource(json, { baseUrl: 'https://cdn.example/episodes/ep.json' });
      expect(episode.audio?.src).to.equal('https://cdn.example/episodes/ep.mp3');
      expect(episode.comments?.api).to.equal('https://cdn.example/comments/');
      const absolute = parseEpisodeSource(JSON.stringify({ ...valid(), audio: { src: 'https://media.example/a.mp3' } }), {
        baseUrl: 'https://cdn.example/episodes/ep.json',
      });
      expect(absolute.audio?.src).to.equal('https://media.example/a.mp3');
      // Without a base (inline JSON, the property) they stay as written, for the page to resolve.
      expect(parseEpisodeSource(json).audio?.src).to.equal('ep.mp3');
    });

    it('refuses broken JSON with the parser message', () => {
      expect(() => parseEpisodeSource('{"id": "a",')).to.throw(EpisodeFormatError, /^The episode is not valid JSON: /);
    });
  });

  describe('episodeIdFromUrl', () => {
    it('takes the file name', () => {
      expect(episodeIdFromUrl('/episodes/deepseek-v3.txt')).to.equal('deepseek-v3');
      expect(episodeIdFromUrl('https://x.org/a/DeepSeek_V3.json?x=1#p-2')).to.equal('deepseek-v3');
      expect(episodeIdFromUrl('https://x.org/')).to.equal(undefined);
    });
  });
}
