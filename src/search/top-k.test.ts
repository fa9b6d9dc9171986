import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopK } from './top-k.js';

describe('TopK', () => {
  it('keeps exactly what a full sort by (score desc, key asc) keeps, for any k and any ties', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 500 }),
        fc.integer({ min: 1, max: 120 }),
        (scores, k) => {
          const key = (ref: number) => `id-${String(ref).padStart(4, '0')}`;
          const top = new TopK(k, key);
          scores.forEach((s, ref) => {
            top.offer(s / 4, ref);
          });
          const expected = scores
            .map((s, ref) => ({ score: s / 4, ref }))
            .sort((a, b) => b.score - a.score || a.ref - b.ref)
            .slice(0, k);
          const { scores: gotScores, refs } = top.drain();
          expect(Array.from(refs, (ref, i) => ({ score: gotScores[i], ref }))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
