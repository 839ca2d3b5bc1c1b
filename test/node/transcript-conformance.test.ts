// The web-platform-tests WebVTT parsing cases (test/conformance/wpt-webvtt, BSD-3-Clause) run against our reader,
// and the SRT cases of test/conformance/srt against what players read. Counts are printed and held in the docs.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import { expect } from 'chai';
import { loadFullTable } from '../../src/model/character-references.js';
import { detectTranscriptFormat, readTranscript } from '../../src/model/transcript-formats.js';
import { parseCueText, parseWebVttFile } from '../../src/model/webvtt.js';

const root = new URL('../conformance/', import.meta.url);

/** Python's `unicode_escape`, which the suite's build script applies to each file: `\n`, `\x20`, `\0` (NUL alone, as the cases' expectations read it), `\uFFFD`, and `\` + newline joining lines. */
function unescape(text: string): string {
  return text.replace(/\\(\n|0|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[ntrfvab\\'"])/g, (_whole, code: string) => {
    if (code === '\n') return '';
    if (code === '0') return '\0';
    if (code[0] === 'x' || code[0] === 'u') return String.fromCharCode(parseInt(code.slice(1), 16));
    return { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\', "'": "'", '"': '"' }[code]!;
  });
}

/** What our cues keep. Anything else a case reads (cue settings, regions, style sheets) is recorded as not kept. */
const KEPT = new Set(['id', 'text', 'startTime', 'endTime']);

interface Outcome {
  failures: string[];
  notKept: Set<string>;
}

/** Runs one case's assertions (the suite's own test bodies) against our cues, in a sandbox. */
function runFileCase(source: string): Outcome {
  // A name and a help link, a blank line, the assertions, `===`, then the file.
  const body = source.slice(source.indexOf('\n\n') + 2);
  const split = body.indexOf('===\n');
  const assertions = body.slice(0, split);
  const vtt = unescape(body.slice(split + 4));
  const outcome: Outcome = { failures: [], notKept: new Set() };
  const notKept = (name: string): unknown =>
    new Proxy(() => undefined, {
      get: (_target, property) => (property === Symbol.toPrimitive ? () => NaN : notKept(name)),
    });
  let cues: unknown[];
  try {
    cues = parseWebVttFile(vtt).cues.map(
      (cue) =>
        new Proxy(
          { id: cue.id, text: cue.text, startTime: cue.start, endTime: cue.end },
          {
            get: (target, property) => {
              if (typeof property === 'string' && !KEPT.has(property)) {
                outcome.notKept.add(property);
                return notKept(property);
              }
              return target[property as keyof typeof target];
            },
          },
        ),
    );
  } catch {
    cues = [];
  }
  const isNotKept = (value: unknown): boolean => typeof value === 'function';
  const context = {
    cues,
    Array,
    document: { get styleSheets() { outcome.notKept.add('styleSheets'); return notKept('styleSheets'); } },
    CSSRule: notKept('CSSRule'),
    assert_equals: (actual: unknown, expected: unknown, message = '') => {
      if (isNotKept(actual) || isNotKept(expected)) return;
      if (!Object.is(actual, expected) && actual !== expected) outcome.failures.push(`${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)} ${message}`);
    },
    assert_not_equals: () => undefined,
    assert_true: (value: unknown, message = '') => {
      if (!isNotKept(value) && value !== true) outcome.failures.push(`expected true ${message}`);
    },
    assert_false: (value: unknown, message = '') => {
      if (!isNotKept(value) && value !== false) outcome.failures.push(`expected false ${message}`);
    },
  };
  try {
    vm.runInNewContext(assertions, context, { timeout: 1000 });
  } catch (error) {
    outcome.failures.push(`the case threw: ${(error as Error).message}`);
  }
  return outcome;
}

/** The suite's `| ` tree for a `.dat` case, reduced to what a transcript keeps: the text, and the voice it is in. */
function expectedRuns(tree: string[]): { text: string; voice?: string }[] {
  const runs: { text: string; voice?: string }[] = [];
  // The voice of each open element, by depth.
  const voices: (string | undefined)[] = [];
  for (const line of tree) {
    const content = line.slice(2);
    const depth = (content.length - content.trimStart().length) / 2;
    const node = content.trim();
    voices.length = Math.min(voices.length, depth + 1);
    if (node.startsWith('"')) {
      const text = JSON.parse(`"${node.slice(1, -1).replace(/\\u([0-9A-Fa-f]{4})/g, (_w, hex: string) => `\\u${hex}`)}"`) as string;
      let voice: string | undefined;
      for (const v of voices.slice(0, depth)) if (v !== undefined) voice = v;
      const last = runs.at(-1);
      if (last && last.voice === voice) last.text += text;
      else runs.push(voice === undefined ? { text } : { text, voice });
    } else if (node.startsWith('title=')) {
      voices[depth - 1] = JSON.parse(node.slice('title='.length)) as string;
    } else if (node.startsWith('<') && !node.startsWith('<?')) {
      voices[depth] = undefined;
    }
  }
  return runs;
}

const fileCases = readdirSync(new URL('wpt-webvtt/file-parsing/', root)).filter((name) => name.endsWith('.test')).sort();

/** Cases whose every assertion is about what the model does not keep, or that it reads differently on purpose. */
const EXPECTED_DIFFERENT: Record<string, string> = {
  newlines:
    'Written with CR-only line ends and no blank line between cues; by the parsing algorithm (and in Chromium, checked) the next id becomes a line of the previous cue text, as the test expects only of some engines.',
};

describe('web-platform-tests: WebVTT file parsing', () => {
  let passed = 0;
  const onlyNotKept: string[] = [];
  for (const name of fileCases) {
    const id = name.replace(/\.test$/, '');
    it(id, () => {
      const outcome = runFileCase(readFileSync(new URL(`wpt-webvtt/file-parsing/${name}`, root), 'utf8'));
      if (EXPECTED_DIFFERENT[id]) {
        expect(outcome.failures, 'this case now passes: take it off the list').to.not.deep.equal([]);
        return;
      }
      expect(outcome.failures, `${id}: ${outcome.failures.join('; ')}`).to.deep.equal([]);
      passed++;
      if (outcome.notKept.size > 0) onlyNotKept.push(`${id} (${[...outcome.notKept].join(', ')})`);
    });
  }
  it('reports the counts', () => {
    console.log(
      `WebVTT file parsing: ${passed} of ${fileCases.length} cases pass; ${Object.keys(EXPECTED_DIFFERENT).length} read differently on purpose; ` +
        `assertions about what a transcript does not keep were not checked in ${onlyNotKept.length}: ${onlyNotKept.join('; ')}`,
    );
    expect(passed).to.equal(fileCases.length - Object.keys(EXPECTED_DIFFERENT).length);
  });
});

describe('web-platform-tests: WebVTT cue text parsing', () => {
  const files = readdirSync(new URL('wpt-webvtt/cue-text-parsing/', root)).filter((name) => name.endsWith('.dat')).sort();
  let total = 0;
  let passed = 0;
  for (const file of files) {
    const cases = readFileSync(new URL(`wpt-webvtt/cue-text-parsing/${file}`, root), 'utf8').split('#data\n').slice(1);
    cases.forEach((block, index) => {
      total++;
      const data = block.slice(0, block.indexOf('\n#errors'));
      const tree = block.slice(block.indexOf('#document-fragment\n') + '#document-fragment\n'.length).split('\n').filter((line) => line.startsWith('| '));
      it(`${file} #${index + 1}: ${JSON.stringify(data)}`, async () => {
        // As the suite does: the data is the text of a cue in a file, so a blank line ends it and NUL becomes U+FFFD.
        const { cues } = parseWebVttFile(`WEBVTT\n\n00:00.000 --> 00:01.000\n${unescape(data)}`);
        const runs = parseCueText(cues[0]?.text ?? '', await loadFullTable());
        expect(runs).to.deep.equal(expectedRuns(tree));
        passed++;
      });
    });
  }
  it('reports the counts', () => {
    console.log(`WebVTT cue text parsing: ${passed} of ${total} cases pass`);
    expect(passed).to.equal(total);
  });
});

interface SrtCase {
  name: string;
  /** The file, with `\r` written out where it matters. */
  file: string;
  /** What ffmpeg, mpv and VLC show: [start, end, text, speaker?] per block. */
  reads: [number, number, string, string?][];
  /** Lines the reader warns about. */
  warnings?: number[];
}

describe('SRT as players read it', () => {
  const cases = JSON.parse(readFileSync(new URL('srt/cases.json', root), 'utf8')) as SrtCase[];
  for (const srt of cases) {
    for (const contentType of ['application/x-subrip', 'text/plain']) {
      it(`${srt.name} (served as ${contentType})`, async () => {
        const format = detectTranscriptFormat(srt.file, contentType);
        expect(format, 'recognised as SRT').to.equal('srt');
        const { blocks, warnings } = await readTranscript(srt.file, 'srt');
        expect(blocks.map((b) => (b.speaker ? [b.start, b.end, b.text, b.speaker] : [b.start, b.end, b.text]))).to.deep.equal(srt.reads);
        expect(warnings.map((w) => w.line)).to.deep.equal(srt.warnings ?? []);
      });
    }
  }
  it('holds every case', () => {
    console.log(`SRT: ${cases.length} cases, each by content type and by sniffing`);
    expect(cases.length).to.be.at.least(31);
  });
});

describe('the table of named character references', () => {
  it('is what the character-entities packages hold (run scripts/generate-named-references.mjs after updating them)', async () => {
    const { namedReferencesSource } = (await import('../../scripts/generate-named-references.mjs')) as { namedReferencesSource: () => string };
    expect(readFileSync(new URL('../../src/model/named-references.ts', import.meta.url), 'utf8')).to.equal(namedReferencesSource());
  });
});
