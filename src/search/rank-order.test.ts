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
