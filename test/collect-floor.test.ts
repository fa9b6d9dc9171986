import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine.js';
import { QUERY_WORDS, randomIndex } from './helpers.js';

// A top k of far more matches than k offers only docs at or above a floor sampled from the
// matches' scores (search/score-segment). The k kept must be exactly those of a search that offers
// every match: ties, deletions, required and excluded terms and filters included, and when the
// floor leaves fewer than k docs that pass (then the rest are offered after all). Segments without
// deletions, queries without required or excluded terms and filters, take a scan in doc order.
let e: Engine;
let clean: Engine;
beforeAll(async () => {
  e = await randomIndex({ count: 4000, seed: 23, committed: 2500, deletes: 300, deleteEvery: 13 });
  clean = await randomIndex({ count: 4000, seed: 29, committed: 2500 });
});
afterAll(async () => {
  await e.close({ commit: false });
  await clean.close({ commit: false });
});

function top(query: string, k: number, engine = e) {
  const r = engine.retrieve(query, k);
  return { ids: r.refs.ids.toArray(), scores: Array.from(r.refs.scores), matched: r.work.matched };
}

describe('collection floor', () => {
  it('keeps exactly the k best of every match', () => {
    const common = QUERY_WORDS.slice(0, 6);
    const queries = [
      common.slice(0, 2).join(' '),
      common.join(' '),
      `${common[0]} ${common[1]} -${common[2]}`,
      `+${common[3]} ${common[0]} ${common[1]}`,
      `${common.join(' ')} lang:fr`,
      // A filter that few matches pass: most docs above the floor fail it.
      `${common.join(' ')} year:1990`,
      `${common[0]} year>2015 -lang:en`,
    ];
    for (const q of queries) {
      const all = top(q, 1_000_000);
      expect(all.ids.length).toBeGreaterThan(20);
      expect(all.matched).toBe(all.ids.length);
      for (const k of [1, 5, 37, 100, 250]) {
        const want = { ids: all.ids.slice(0, k), scores: all.scores.slice(0, k), matched: all.matched };
        expect(top(q, k), `${q} k=${k}`).toEqual(want);
      }
    }
  });

  it('keeps exactly the k best when a segment is scanned in doc order', () => {
    // Common words touch most docs of a segment that has no deletions: the dense scan.
    for (const q of [QUERY_WORDS.slice(0, 2).join(' '), QUERY_WORDS.slice(0, 6).join(' ')]) {
      const all = top(q, 1_000_000, clean);
      expect(all.ids.length).toBeGreaterThan(1000);
      for (const k of [1, 5, 37, 100, 250]) {
        const want = { ids: all.ids.slice(0, k), scores: all.scores.slice(0, k), matched: all.matched };
        expect(top(q, k, clean), `${q} k=${k}`).toEqual(want);
      }
    }
  });
});
