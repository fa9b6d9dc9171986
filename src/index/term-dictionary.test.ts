import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareTerms, TermDictionary } from './term-dictionary.js';

/** Terms over a small alphabet, so that many share their first four bytes. */
const term = fc
  .array(fc.constantFrom('a', 'b', 'é', '中', '\u0001', 'z'), { minLength: 1, maxLength: 9 })
  .map((cs) => cs.join(''));

describe('TermDictionary', () => {
  it('finds every term it holds and no other, whatever prefixes they share', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(term, { maxLength: 400 }),
        fc.array(term, { maxLength: 50 }),
        (terms, probes) => {
          const sorted = [...terms].sort(compareTerms);
          const dict = TermDictionary.fromSorted(sorted);
          for (const [i, t] of sorted.entries()) expect(dict.lookup(t)).toBe(i);
          for (const p of probes) expect(dict.lookup(p)).toBe(sorted.indexOf(p));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds terms in long runs of one prefix, and long terms', () => {
    const sorted = [
      ...Array.from({ length: 500 }, (_, i) => `abcd${String(i).padStart(4, '0')}`),
      'abce',
      'x'.repeat(5000),
    ].sort(compareTerms);
    const dict = TermDictionary.fromSorted(sorted);
    for (const [i, t] of sorted.entries()) expect(dict.lookup(t)).toBe(i);
    expect(dict.lookup('abcd')).toBe(-1);
    expect(dict.lookup('abcd0500')).toBe(-1);
    expect(dict.lookup('a')).toBe(-1);
    expect(dict.lookup('y')).toBe(-1);
    expect(TermDictionary.fromSorted([]).lookup('a')).toBe(-1);
  });
});
