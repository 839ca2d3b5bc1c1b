// Every reader of outside text takes time in proportion to its input: 8 times the input may take
// about 8 times as long, never 64 (quadratic). The old readers took seconds on 60 KB of "<".
// Absolute figures for 1 MB are the benchmark's (bench/hostile.ts), not this test's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOSTILE, timeHostile } from '../../bench/hostile.js';

describe('hostile input is read in linear time', () => {
  for (const hostile of HOSTILE) {
    it(hostile.name, () => {
      const small = timeHostile(hostile, 100_000);
      const large = timeHostile(hostile, 800_000);
      // Under 250 ms for 800 KB is linear whatever the ratio: the quadratic readers took seconds on 60 KB, and on a
      // loaded machine (CI running beside other work) small times are mostly noise.
      assert.ok(large < 250 || large / small < 24, `100 KB took ${small.toFixed(1)} ms, 800 KB ${large.toFixed(1)} ms: not linear`);
    });
  }
});
