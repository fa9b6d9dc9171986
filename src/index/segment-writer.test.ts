import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortByTerm } from './segment-writer.js';
import { compareTerms } from './term-dictionary.js';

describe('sortByTerm', () => {
  it('orders term ids as compareTerms orders their terms, for any mix of scripts and lengths', () => {
    const piece = fc.constantFrom(
      'a',
      'b',
      'ab',
      'z',
      'é',
      'ö',
      'ß',
      '中',
      '文',
      '\uffff',
      '\ue000',
      '😀',
      '𠀀',
      '1',
      '_',
    );
    const term = fc.array(piece, { minLength: 1, maxLength: 7 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(term, { maxLength: 200 }), (terms) => {
        const used = terms.map((_, i) => i).reverse();
        sortByTerm(used, terms);
        const expected = terms.map((_, i) => i).sort((a, b) => compareTerms(terms[a], terms[b]));
        expect(used.map((i) => terms[i])).toEqual(expected.map((i) => terms[i]));
      }),
      { numRuns: 500 },
    );
  });

  it('sorts many terms sharing their first four bytes', () => {
    const terms = Array.from({ length: 3000 }, (_, i) => `inter${(i * 7919) % 3000}`);
    const used = terms.map((_, i) => i);
    sortByTerm(used, terms);
    for (let i = 1; i < used.length; i++)
      expect(compareTerms(terms[used[i - 1]], terms[used[i]])).toBeLessThan(0);
  });
});
