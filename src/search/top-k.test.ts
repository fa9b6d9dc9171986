import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idKey } from '../index/id-key.js';
import { TopK } from './top-k.js';

/**
 * Offers `scores[ref] / scale` for every ref and checks the drained k against a full sort by
 * (score desc, key asc, name asc); with `namesBackwards`, names sort opposite to refs.
 */
function expectSortedTop(
  scores: number[],
  k: number,
  scale: number,
  key: (ref: number) => number,
  name: (ref: number) => string,
  namesBackwards: boolean,
): void {
  const top = new TopK(k, name);
  scores.forEach((s, ref) => {
    top.offer(s / scale, ref, key(ref));
  });
  const expected = scores
    .map((s, ref) => ({ score: s / scale, ref }))
    .sort(
      (a, b) =>
        b.score - a.score || key(a.ref) - key(b.ref) || (namesBackwards ? b.ref - a.ref : a.ref - b.ref),
    )
    .slice(0, k);
  const { scores: gotScores, refs, keys } = top.drain();
  expect(Array.from(refs, (ref, i) => ({ score: gotScores[i], ref }))).toEqual(expected);
  expect(Array.from(keys)).toEqual(expected.map((e) => key(e.ref)));
}

describe('TopK', () => {
  it('keeps exactly what a full sort by (score desc, key asc, name asc) keeps, for any k and any ties', () => {
    // Keys collide in threes, so the name decides within a group (names run backwards).
    const key = (ref: number) => Math.floor(ref / 3);
    const name = (ref: number) => `id-${String(999 - ref).padStart(4, '0')}`;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 500 }),
        fc.integer({ min: 1, max: 120 }),
        (scores, k) => expectSortedTop(scores, k, 4, key, name, true),
      ),
      { numRuns: 300 },
    );
  });

  it('keeps what a full sort keeps when the cuts are large (k in the hundreds, many ties)', () => {
    const key = (ref: number) => (ref * 7919) % 997; // collisions too
    const name = (ref: number) => `id-${String(ref).padStart(5, '0')}`;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1500, maxLength: 4000 }),
        fc.integer({ min: 256, max: 900 }),
        (scores, k) => expectSortedTop(scores, k, 8, key, name, false),
      ),
      { numRuns: 40 },
    );
  });

  it('hands its buffers to the next TopK once drained, and takes nothing more', () => {
    const name = (ref: number) => String(ref);
    const a = new TopK(3, name);
    for (let ref = 0; ref < 10; ref++) a.offer(ref, ref, ref);
    const first = a.drain();
    expect(Array.from(first.refs)).toEqual([9, 8, 7]);
    a.offer(100, 100, 100);
    expect(a.drain().refs.length).toBe(0);
    // The next TopK of the same size reuses the buffers: stale values must not leak into it.
    const b = new TopK(3, name);
    b.offer(1, 1, 1);
    expect(Array.from(b.drain().refs)).toEqual([1]);
    // What the first returned is its own copy, untouched by the second.
    expect(Array.from(first.refs)).toEqual([9, 8, 7]);
  });

  it('idKey is a stable 52-bit integer that tells ids apart', () => {
    expect(idKey('doc-1')).toBe(idKey('doc-1'));
    const seen = new Set<number>();
    let bad = 0;
    for (let i = 0; i < 100_000; i++) {
      const k = idKey(`doc-${i}`);
      if (!(Number.isSafeInteger(k) && k >= 0 && k < 2 ** 52)) bad++;
      seen.add(k);
    }
    expect(bad).toBe(0);
    expect(seen.size).toBe(100_000);
  });
});
