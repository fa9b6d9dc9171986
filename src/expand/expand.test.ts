import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../analysis/index.js';
import { expandQuery } from './expand.js';

// Without resources only irregular inflections are added; real resources: real-resources.test.ts.
describe('expandQuery without resources', () => {
  it('keeps the original words first with weight 1, lower-cased, each once', () => {
    expect(expandQuery(['Cheap', 'restaurant', 'cheap'])).toEqual([
      { word: 'cheap', source: 'original', weight: 1, of: 'cheap' },
      { word: 'restaurant', source: 'original', weight: 1, of: 'restaurant' },
    ]);
  });

  it('adds irregular inflections both ways', () => {
    expect(expandQuery(['mice'])).toEqual([
      { word: 'mice', source: 'original', weight: 1, of: 'mice' },
      { word: 'mouse', source: 'morph', weight: 0.9, of: 'mice' },
    ]);
    expect(expandQuery(['mouse'], { weights: { morph: 0.5 } })[1]).toEqual({
      word: 'mice',
      source: 'morph',
      weight: 0.5,
      of: 'mouse',
    });
  });

  it('drops stop words and words that analyze like an earlier one', () => {
    expect(expandQuery(['the', 'restaurant', 'restaurants', 'of']).map((t) => t.word)).toEqual([
      'restaurant',
    ]);
    const none = createAnalyzer({ language: 'none' });
    expect(expandQuery(['the', 'restaurant', 'restaurants'], { analyzer: none }).map((t) => t.word)).toEqual([
      'the',
      'restaurant',
      'restaurants',
    ]);
  });

  it('caps the number of terms and handles empty input', () => {
    expect(expandQuery(['mice', 'geese', 'ran'], { maxTerms: 4 }).map((t) => t.word)).toEqual([
      'mice',
      'geese',
      'ran',
      'mouse',
    ]);
    expect(expandQuery(['mice'], { maxTerms: 0 })).toEqual([]);
    expect(expandQuery([])).toEqual([]);
    expect(expandQuery(['', '  '])).toEqual([]);
    expect(expandQuery(['xyzzyq'])).toEqual([
      { word: 'xyzzyq', source: 'original', weight: 1, of: 'xyzzyq' },
    ]);
  });
});
