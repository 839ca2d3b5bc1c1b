/**
 * Why an episode could not be read. `field` names the JSON path that broke the
 * shape (`transcript[3].type`); `line` the 1-based line of page text.
 */
export class EpisodeFormatError extends Error {
  readonly field: string | undefined;
  readonly line: number | undefined;

  constructor(message: string, options: { field?: string; line?: number } = {}) {
    super(message);
    this.name = 'EpisodeFormatError';
    this.field = options.field;
    this.line = options.line;
  }
}
