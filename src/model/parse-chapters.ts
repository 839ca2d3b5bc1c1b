import type { ChaptersDocument } from './episode.js';
import { defined, fail, object, optionalSeconds, optionalText, optionalUrl } from './json-fields.js';

/**
 * A Podcasting 2.0 JSON chapters document, validated as the spec shapes it: `version`, and `chapters` each with a
 * `startTime`; the other fields optional. Used for inline chapters and for a chapters file alike.
 */
export function parseChaptersJson(value: unknown, field = 'chapters'): ChaptersDocument {
  const doc = object(value, field);
  const chapters = doc['chapters'];
  if (!Array.isArray(chapters)) fail(`${field}.chapters`, 'an array of chapters', chapters);
  return {
    version: typeof doc['version'] === 'string' ? doc['version'] : '1.2.0',
    chapters: chapters.map((value, i) => {
      const at = `${field}.chapters[${i}]`;
      const chapter = object(value, at);
      const startTime = optionalSeconds(chapter['startTime'], `${at}.startTime`);
      if (startTime === undefined) fail(`${at}.startTime`, 'a number of seconds ≥ 0', undefined);
      const toc = chapter['toc'];
      if (toc !== undefined && typeof toc !== 'boolean') fail(`${at}.toc`, 'true or false', toc);
      return defined({
        startTime,
        title: optionalText(chapter['title'], `${at}.title`),
        endTime: optionalSeconds(chapter['endTime'], `${at}.endTime`),
        url: optionalUrl(chapter['url'], `${at}.url`),
        toc: toc as boolean | undefined,
      });
    }),
  };
}
