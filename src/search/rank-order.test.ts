import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rankOrder } from './rank-order.js';

describe('rankOrder', () => {
  it('orders rows as a comparator sort by (score desc, key asc) does, negative scores included', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.integer({ min: -8, max: 8 }).map((x) => x / 4),
              fc.double({ min: -1e6, max: 1e6, noNaN: true }),
            ),
            fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 ** 52 - 1 })),
          ),
          { maxLength: 300 },
        ),
        (rows) => {
          const scores = Float64Array.from(rows, (r) => r[0]);
          const keys = Float64Array.from(rows, (r) => r[1]);
          const got = Array.from(rankOrder(scores, keys, rows.length), (i) => [scores[i], keys[i]]);
          const want = rows
            .map((r) => [r[0] === 0 ? 0 : r[0], r[1]])
            .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
          expect(got.map(([s, k]) => [s === 0 ? 0 : s, k])).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('rankOrder on many rows (the radix path)', () => {
  it('agrees with a comparator sort for 10,000 rows of tied and spread scores', () => {
    for (const seed of [1, 2, 3]) {
      let s = seed;
      const next = () => {
        s = (s * 1103515245 + 12345) % 2 ** 31;
        return s / 2 ** 31;
      };
      const n = 10_000;
      const scores = Float64Array.from({ length: n }, (_, i) =>
        i % 3 === 0 ? Math.floor(next() * 8) / 4 : (next() - 0.2) * 1e3,
      );
      const keys = Float64Array.from({ length: n }, () => Math.floor(next() * (seed === 1 ? 50 : 2 ** 52)));
      const want = Array.from({ length: n }, (_, i) => i).sort(
        (a, b) => scores[b] - scores[a] || keys[a] - keys[b] || a - b,
      );
      expect(Array.from(rankOrder(scores, keys, n))).toEqual(want);
    }
  });

  it('orders long runs of one score by key when keys share their high bits, then by row', () => {
    const n = 5_000;
    const scores = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1.5 : 2.5));
    // Keys near 2^51 that differ only in their low bits, with repeats.
    const keys = Float64Array.from({ length: n }, (_, i) => 2 ** 51 + ((i * 7919) % 1500));
    const want = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => scores[b] - scores[a] || keys[a] - keys[b] || a - b,
    );
    expect(Array.from(rankOrder(scores, keys, n))).toEqual(want);
  });

  it('orders scores that differ below 2^-20 of their size (one high half, several low halves)', () => {
    const n = 6_000;
    // Within one high half, scores apart by a few units in the last place, and ties: in long runs
    // (few high halves) and in short ones (many).
    for (const highs of [5, 1000]) {
      const scores = Float64Array.from(
        { length: n },
        (_, i) => (1 + (i % highs) / highs) * (1 + ((i * 31) % 7) * 2 ** -44),
      );
      const keys = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 97);
      const want = Array.from({ length: n }, (_, i) => i).sort(
        (a, b) => scores[b] - scores[a] || keys[a] - keys[b] || a - b,
      );
      expect(Array.from(rankOrder(scores, keys, n))).toEqual(want);
    }
  });
});
