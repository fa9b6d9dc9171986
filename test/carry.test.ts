import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine.js';
import { Carry } from '../src/search/searcher.js';
import { QUERY_WORDS, randomIndex, rng } from './helpers.js';

// A first search that keeps its scores, then a second that adds clauses on top of them, must rank
// exactly as one search of the longer query: same ids, bit-identical scores.
let e: Engine;
beforeAll(async () => {
  e = await randomIndex({ count: 600, seed: 11, committed: 300, deletes: 40, deleteEvery: 7 });
});
afterAll(async () => {
  await e.close({ commit: false });
});

function columns(r: ReturnType<Engine['retrieve']>) {
  return { ids: r.refs.ids.toArray(), scores: Array.from(r.refs.scores) };
}

describe('Carry (scores kept between two searches of one query)', () => {
  it('ranks as one search of the longer query, for plain, required, excluded and filtered queries', () => {
    const r = rng(5);
    const word = () => QUERY_WORDS[Math.floor(r() * QUERY_WORDS.length)];
    const prefixes = ['', '+', '-'];
    for (let q = 0; q < 60; q++) {
      const first = Array.from({ length: 1 + Math.floor(r() * 3) }, () => `${prefixes[q % 3]}${word()}`).join(
        ' ',
      );
      const base = e.parse(q % 5 === 4 ? `${first} title:${word()}` : first);
      const extra = e
        .parse(Array.from({ length: 1 + Math.floor(r() * 6) }, word).join(' '))
        .clauses.map((c) => ({
          ...c,
          weight: 0.1 + r(),
        }));
      const longer = { ...base, clauses: [...base.clauses, ...extra] };
      const carry = new Carry();
      e.retrieve(base, 5, { carry, mode: 'keep' });
      const resumed = e.retrieve(longer, 50, { carry, mode: 'resume', from: base.clauses.length });
      expect(columns(resumed)).toEqual(columns(e.retrieve(longer, 50)));
      // Nothing is left behind: the next plain search is unaffected.
      expect(columns(e.retrieve(base, 20))).toEqual(columns(e.retrieve(base, 20)));
    }
  });

  it('scores the whole query when the index changed between the two searches, and release() frees', () => {
    const rare = QUERY_WORDS.slice(-4);
    const base = e.parse(rare.slice(0, 2).join(' '));
    const longer = { ...base, clauses: [...base.clauses, ...e.parse(rare[3]).clauses] };
    const carry = new Carry();
    e.retrieve(base, 5, { carry, mode: 'keep' });
    e.add({ id: 'late', text: `${rare[0]} ${rare[3]}` });
    const resumed = e.retrieve(longer, 100, { carry, mode: 'resume', from: base.clauses.length });
    expect(resumed.refs.ids.toArray()).toContain('late');
    expect(columns(resumed)).toEqual(columns(e.retrieve(longer, 100)));
    e.retrieve(base, 5, { carry, mode: 'keep' });
    carry.release();
    expect(carry.segments.size).toBe(0);
    expect(columns(e.retrieve(longer, 100))).toEqual(columns(e.retrieve(longer, 100)));
  });
});
