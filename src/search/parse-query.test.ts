import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../analysis/index.js';
import { parseQuery } from './parse-query.js';

const ctx = {
  analyzer: createAnalyzer(),
  fields: ['title', 'text'],
  metaKeys: new Set(['year', 'lang', 'from']),
};

describe('parseQuery', () => {
  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const q = parseQuery(s, ctx);
        expect(Array.isArray(q.clauses)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            '"',
            '+',
            '-',
            ':',
            '^',
            'year',
            'lang',
            'title',
            'x',
            ' ',
            '..',
            '>=',
            '<',
            '2020',
            '中文',
          ),
        ),
        (parts) => {
          parseQuery(parts.join(''), ctx);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads plain words as should clauses, stemmed, without stop words', () => {
    const q = parseQuery('the running dogs', ctx);
    expect(q.clauses.map((c) => [c.terms, c.occur])).toEqual([
      [['run'], 'should'],
      [['dog'], 'should'],
    ]);
  });

  it('reads phrases, required, excluded, boosts and fields', () => {
    const q = parseQuery('"new york" +pizza -pineapple cafe^0.5 title:menu', ctx);
    expect(q.clauses).toEqual([
      { terms: ['new', 'york'], offsets: [0, 1], field: null, occur: 'should', weight: 1 },
      { terms: ['pizza'], offsets: [0], field: null, occur: 'must', weight: 1, surface: 'pizza' },
      { terms: ['pineappl'], offsets: [0], field: null, occur: 'mustNot', weight: 1, surface: 'pineapple' },
      { terms: ['cafe'], offsets: [0], field: null, occur: 'should', weight: 0.5, surface: 'cafe' },
      { terms: ['menu'], offsets: [0], field: 'title', occur: 'should', weight: 1, surface: 'menu' },
    ]);
  });

  it('keeps stop-word gaps inside phrases', () => {
    const q = parseQuery('"bank of the river"', ctx);
    expect(q.clauses[0].terms).toEqual(['bank', 'river']);
    expect(q.clauses[0].offsets).toEqual([0, 3]);
  });

  it('reads after: and before: as date ranges when the index has dates, else as words', () => {
    const dated = { ...ctx, metaKeys: new Set(['date']) };
    const q = parseQuery('picnic after:2023-01-01 before:2023-07-01', dated);
    expect(q.filters.map((f) => [f.key, f.kind === 'range' ? [f.min, f.max] : f.value])).toEqual([
      ['date', [Date.parse('2023-01-01'), Number.POSITIVE_INFINITY]],
      ['date', [Number.NEGATIVE_INFINITY, Date.parse('2023-07-01')]],
    ]);
    expect(q.clauses.flatMap((c) => c.terms)).toEqual(['picnic']);
    expect(parseQuery('after:2023', ctx).filters).toEqual([]);
  });

  it('reads metadata filters only for known keys', () => {
    const q = parseQuery('lang:en year:>=2001 year:1990..1995 -from:"Ann Lee" error: http://x.org/page', ctx);
    expect(q.filters).toEqual([
      { key: 'lang', kind: 'exact', value: 'en', negate: false },
      {
        key: 'year',
        kind: 'range',
        min: 2001,
        max: Number.POSITIVE_INFINITY,
        minInclusive: true,
        maxInclusive: false,
        negate: false,
      },
      {
        key: 'year',
        kind: 'range',
        min: 1990,
        max: 1995,
        minInclusive: true,
        maxInclusive: true,
        negate: false,
      },
      { key: 'from', kind: 'exact', value: 'Ann Lee', negate: true },
    ]);
    expect(q.clauses.flatMap((c) => c.terms)).toEqual(['error', 'http', 'x', 'org', 'page']);
  });

  it('falls back to plain words on an unbalanced quote', () => {
    const q = parseQuery('"unclosed phrase text', ctx);
    expect(q.clauses.map((c) => c.terms[0])).toEqual(['unclos', 'phrase', 'text']);
  });

  it('finds CJK text with one- and two-character queries', () => {
    expect(parseQuery('北', ctx).clauses.length).toBe(1);
    expect(parseQuery('北京', ctx).clauses[0].terms).toEqual(['北京']);
  });
});

describe('parseQuery from: and to: on mail', () => {
  const mail = { ...ctx, metaKeys: new Set(['from', 'from-any', 'to', 'to-any']) };

  it('matches any part of an address through from-any / to-any', () => {
    expect(parseQuery('from:Enron.com budget', mail).filters).toEqual([
      { key: 'from-any', kind: 'exact', value: 'Enron.com', negate: false },
    ]);
    expect(parseQuery('to:"Vince Kaminski" -from:kaminski', mail).filters).toEqual([
      { key: 'to-any', kind: 'exact', value: 'Vince Kaminski', negate: false },
      { key: 'from-any', kind: 'exact', value: 'kaminski', negate: true },
    ]);
  });

  it('keeps exact from: on an index without from-any', () => {
    expect(parseQuery('from:ann@example.org', ctx).filters).toEqual([
      { key: 'from', kind: 'exact', value: 'ann@example.org', negate: false },
    ]);
  });
});
