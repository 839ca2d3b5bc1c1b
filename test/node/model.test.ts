import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { expect } from 'chai';
import { commentTextSpec } from '../specs/comment-text.spec.js';
import { parseEpisodeJsonSpec } from '../specs/parse-episode-json.spec.js';
import { parsePaperLedgeTextSpec } from '../specs/parse-paperledge-text.spec.js';
import { TRANSCRIPT_SAMPLES } from '../specs/bdd.js';
import { transcriptFormatsSpec } from '../specs/transcript-formats.spec.js';

const fixture = readFileSync(new URL('../fixtures/paperledge-deepseek-v3.txt', import.meta.url), 'utf8');
const transcripts = Object.fromEntries(
  TRANSCRIPT_SAMPLES.map((name) => [name, readFileSync(new URL(`../fixtures/transcripts/${name}`, import.meta.url), 'utf8')]),
);
const bdd = { describe, it, expect, fixture, transcripts };

parsePaperLedgeTextSpec(bdd);
parseEpisodeJsonSpec(bdd);
transcriptFormatsSpec(bdd);
commentTextSpec(bdd);
