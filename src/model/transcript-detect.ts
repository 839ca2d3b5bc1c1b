/**
 * Telling a transcript file from an episode, apart from reading it: the
 * elements need this much on every load, and fetch the readers
 * (`transcript-formats.ts`) only when a transcript file turns up.
 */

export type TranscriptFormat = 'vtt' | 'srt' | 'json' | 'html';

const SRT_TIME = String.raw`(\d+):(\d{1,2}):(\d{1,2})(?:[,.](\d{1,3})\d*)?`;
/** An SRT timing line as players accept it (ffmpeg, mpv, VLC): one or more digits per field, `,` or `.` before the milliseconds, anything after. */
export const SRT_TIMING = new RegExp(String.raw`^\s*${SRT_TIME}\s*-->\s*${SRT_TIME}`);

/**
 * Which format a transcript file is in, from its content type or else its
 * first characters. HTML counts only with the format's `<cite>` or `<time>`,
 * so an ordinary web page (an error page, say) is not mistaken for one.
 */
export function detectTranscriptFormat(text: string, contentType?: string | null): TranscriptFormat | undefined {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('text/vtt')) return 'vtt';
  if (type.includes('subrip') || type.includes('srt')) return 'srt';
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if ((type.includes('html') || head.startsWith('<')) && /<(cite|time)\b/i.test(text)) return 'html';
  if (head.startsWith('WEBVTT')) return 'vtt';
  // SRT without its content type: a timing line first, or after an index; any line ends (CR alone too).
  const [first = '', second = ''] = head.split(/\r\n|\r|\n/, 2);
  if (SRT_TIMING.test(first) || (/^\d+\s*$/.test(first) && /^\s*\d.*-->/.test(second))) return 'srt';
  if (head.startsWith('{') && /"segments"\s*:/.test(head)) return 'json';
  return undefined;
}
