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
