import { SRT_TIMING } from './transcript-detect.js';
import type { TranscriptWarning } from './webvtt.js';

/**
 * SubRip (SRT) as players read it (ffmpeg, and so mpv; VLC): there is no
 * specification, so a cue is a timing line and the text up to the next one.
 * Indexes are optional and may be padded, blank lines may sit inside a cue,
 * times may use `,` or `.` and one-digit fields, and files may end lines with
 * CR alone. A timing line that cannot be read skips its cue with a warning.
 */

export interface SrtCue {
  start: number;
  end: number;
  /** The cue's lines, tags and references still in. */
  text: string;
  /** 1-based line of the timing line. */
  line: number;
}

const INDEX = /^\s*\d+\s*$/;

function seconds(h: string, m: string, s: string, ms: string | undefined): number {
  // "01,5" is 5 ms to every player that reads SRT: the field is an integer count of milliseconds.
  return Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms ?? 0) / 1000;
}

export function parseSrtFile(source: string): { cues: SrtCue[]; warnings: TranscriptWarning[] } {
  const lines = source.replace(/^\uFEFF/, '').replace(/\0/g, '\ufffd').split(/\r\n|\r|\n/);
  const cues: SrtCue[] = [];
  const warnings: TranscriptWarning[] = [];
  let current: { cue: SrtCue; body: string[] } | undefined;
  /** A broken timing line: its text is dropped up to the next good timing line. */
  let skipping = false;
  const finish = (): void => {
    if (!current) return;
    const body = current.body;
    while (body.length > 0 && body.at(-1)!.trim() === '') body.pop();
    current.cue.text = body.join('\n').trim();
    cues.push(current.cue);
    current = undefined;
  };
  /** The next cue's index was read as this cue's last line: players drop it, even with no blank line before it. */
  const dropTrailingIndex = (body: string[]): void => {
    let last = body.length - 1;
    while (last >= 0 && body[last]!.trim() === '') last--;
    if (last >= 0 && INDEX.test(body[last]!)) body.length = last;
  };
  lines.forEach((line, index) => {
    const match = SRT_TIMING.exec(line);
    if (match) {
      if (current) dropTrailingIndex(current.body);
      finish();
      skipping = false;
      const start = seconds(match[1]!, match[2]!, match[3]!, match[4]);
      let end = seconds(match[5]!, match[6]!, match[7]!, match[8]);
      if (end < start) {
        warnings.push({ line: index + 1, message: `the cue ends before it starts ("${line.trim()}"); it is kept, ending where it starts` });
        end = start;
      }
      current = { cue: { start, end, text: '', line: index + 1 }, body: [] };
    } else if (/^\s*\d/.test(line) && line.includes('-->')) {
      // A timing line gone wrong; an arrow in words ("x --> y") is text.
      if (current) dropTrailingIndex(current.body);
      finish();
      skipping = true;
      warnings.push({ line: index + 1, message: `"${line.trim()}" is not a timing line like "00:01:02,500 --> 00:01:05,000"; this cue was skipped` });
    } else if (current && !skipping) {
      current.body.push(line);
    }
  });
  finish();
  return { cues, warnings };
}
