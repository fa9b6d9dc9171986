import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFieldNorm } from '../index/codec/field-norm.js';
import { bm25Score, idf, normCache, validateBm25 } from './bm25.js';

const statsArb = fc.record({
  k1: fc.double({ min: 0, max: 3, noNaN: true }),
  b: fc.double({ min: 0, max: 1, noNaN: true }),
  docCount: fc.integer({ min: 1, max: 2 ** 40 }),
  avg: fc.double({ min: 1, max: 10_000, noNaN: true }),
});

describe('BM25 invariants', () => {
  it('is finite and non-negative, monotone in tf, non-increasing in length and in df', () => {
    fc.assert(
      fc.property(
        statsArb,
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (s, tf, len, dfFrac) => {
          const df = Math.max(1, Math.floor(dfFrac * s.docCount));
          const cache = normCache(s.k1, s.b, s.avg);
          const i = idf(s.docCount, df);
          const n = encodeFieldNorm(len);
          const score = bm25Score(tf, n, i, s.k1, cache);
          expect(Number.isFinite(score)).toBe(true);
          expect(score).toBeGreaterThanOrEqual(0);
          expect(bm25Score(tf + 1, n, i, s.k1, cache)).toBeGreaterThanOrEqual(score);
          expect(bm25Score(tf, encodeFieldNorm(len * 2 + 1), i, s.k1, cache)).toBeLessThanOrEqual(score);
          if (df < s.docCount) expect(idf(s.docCount, df + 1)).toBeLessThanOrEqual(i);
        },
      ),
    );
  });

  it('handles edge statistics: a one-document corpus and df = N', () => {
    expect(idf(1, 1)).toBeGreaterThan(0);
    expect(idf(2 ** 40, 2 ** 40)).toBeGreaterThan(0);
    const cache = normCache(1.2, 0.75, 0);
    expect(Number.isFinite(bm25Score(1, 0, idf(1, 1), 1.2, cache))).toBe(true);
  });

  it('rejects illegal parameters with the value in the message', () => {
    expect(() => validateBm25({ k1: -1, b: 0.5, fieldWeights: {}, model: 'sum' })).toThrow(
      'bm25: illegal k1=-1, must be a finite number >= 0',
    );
    expect(() => validateBm25({ k1: 1, b: 2, fieldWeights: {}, model: 'sum' })).toThrow(
      'bm25: illegal b=2, must be in [0, 1]',
    );
    expect(() => validateBm25({ k1: 1, b: 0.5, fieldWeights: { title: Number.NaN }, model: 'sum' })).toThrow(
      /illegal weight title/,
    );
  });
});
