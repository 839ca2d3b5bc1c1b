import { isHttpUrl } from './episode.js';
import { EpisodeFormatError } from './errors.js';

/** Reading JSON fields with errors that name the field and say what was expected: shared by the episode and chapters readers. */

export type Json = Record<string, unknown>;

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'object') return 'an object';
  return String(value);
}

export function fail(field: string, expected: string, value: unknown): never {
  throw new EpisodeFormatError(`${field}: expected ${expected}, got ${describe(value)}`, { field });
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function object(value: unknown, field: string): Json {
  if (!isObject(value)) fail(field, 'an object', value);
  return value;
}

export function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(field, 'a non-empty string', value);
  return value;
}

export function optionalText(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : text(value, field);
}

export function optionalUrl(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isHttpUrl(value)) fail(field, 'an absolute http(s) URL', value);
  return value;
}

/** Audio and APIs may be given relative to the page, so only the scheme is checked. */
export function optionalResource(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  const base = 'https://relative.invalid/';
  if (typeof value !== 'string' || value.trim() === '' || !isHttpUrl(value, base)) {
    fail(field, 'an http(s) URL', value);
  }
  return value;
}

export function optionalSeconds(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(field, 'a number of seconds ≥ 0', value);
  }
  return value;
}

/** Sets only the keys whose value is defined, so parsed objects compare cleanly. */
export function defined<T extends object>(record: T): T {
  for (const key of Object.keys(record) as (keyof T)[]) {
    if (record[key] === undefined) delete record[key];
  }
  return record;
}
