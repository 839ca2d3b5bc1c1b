import { expect } from '@open-wc/testing';
import { parseEpisodeJsonSpec } from '../specs/parse-episode-json.spec.js';
import { parsePaperLedgeTextSpec } from '../specs/parse-paperledge-text.spec.js';
import { loadFixture } from './support.js';

// The same specs as in Node: the model must behave alike in every engine.
const fixture = await loadFixture();
const bdd = { describe, it, expect, fixture };

parsePaperLedgeTextSpec(bdd);
parseEpisodeJsonSpec(bdd);
