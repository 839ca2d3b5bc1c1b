import { expect } from '@open-wc/testing';
import { commentTextSpec } from '../specs/comment-text.spec.js';
import { parseEpisodeJsonSpec } from '../specs/parse-episode-json.spec.js';
import { parsePaperLedgeTextSpec } from '../specs/parse-paperledge-text.spec.js';
import { TRANSCRIPT_SAMPLES } from '../specs/bdd.js';
import { transcriptFormatsSpec } from '../specs/transcript-formats.spec.js';
import { loadFixture } from './support.js';

// The same specs as in Node: the model must behave alike in every engine.
const fixture = await loadFixture();
const transcripts = Object.fromEntries(
  await Promise.all(
    TRANSCRIPT_SAMPLES.map(async (name) => [name, await (await fetch(`/test/fixtures/transcripts/${name}`)).text()]),
  ),
);
const bdd = { describe, it, expect, fixture, transcripts };

parsePaperLedgeTextSpec(bdd);
parseEpisodeJsonSpec(bdd);
transcriptFormatsSpec(bdd);
commentTextSpec(bdd);
