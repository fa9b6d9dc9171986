import { describe, expect, it } from 'vitest';
import { createAnalyzer } from './analyzer.js';
import { TermIds } from './term-ids.js';

describe('TermIds', () => {
  it('interns terms densely and renews only when nobody holds ids', () => {
    let resets = 0;
    const ids = new TermIds(() => resets++, 2);
    expect([ids.id('a'), ids.id('b'), ids.id('a'), ids.id('c')]).toEqual([0, 1, 0, 2]);
    expect(ids.terms).toEqual(['a', 'b', 'c']);
    ids.acquire(); // over the max, nobody holds: renewed
    expect(resets).toBe(1);
    expect(ids.size).toBe(0);
    for (const t of ['x', 'y', 'z', 'w']) ids.id(t);
    ids.acquire(); // held: kept
    ids.release();
    expect(ids.size).toBe(4);
    ids.release();
    ids.acquire();
    expect(resets).toBe(2);
  });

  it('keeps every id while its table grows, and tells apart terms by content', () => {
    const ids = new TermIds();
    const terms = Array.from({ length: 20_000 }, (_, i) => `t${i.toString(36)}`);
    terms.push('', 'é', '中文', 'a'.repeat(300));
    for (const [i, t] of terms.entries()) expect(ids.id(t)).toBe(i);
    // Fresh copies (equal content, other string objects) find the same ids.
    for (const [i, t] of terms.entries()) expect(ids.id(` ${t}`.slice(1))).toBe(i);
    expect(ids.size).toBe(terms.length);
    expect(ids.terms).toEqual(terms);
  });

  it('gives the indexer the same terms as forEachToken, as ids', () => {
    const a = createAnalyzer();
    const text = 'The Running dogs ran; snake_case_names and 3.14 中文字 Éclair Running';
    const byTerm: [string, number][] = [];
    a.forEachToken(text, (t, p) => byTerm.push([t, p]));
    const byId: [string, number][] = [];
    a.termIds.acquire();
    a.forEachTermId(text, (id, p) => byId.push([a.termIds.terms[id], p]));
    a.termIds.release();
    expect(byId).toEqual(byTerm);
    expect(byTerm.map(([t]) => t)).toContain('snake_case_names');
  });
});
