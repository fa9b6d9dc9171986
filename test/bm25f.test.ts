import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine.js';
import type { Shard } from '../src/index/shard.js';
import { DEFAULT_BM25, idf, tfCache } from '../src/search/bm25.js';
import { collectionStats } from '../src/search/plan.js';
import { QUERY_WORDS, randomDocs, tempDir } from './helpers.js';

// The scorer merges a term's title and text postings as they stream (search/score-segment
// `combineTwo`). Checked here against BM25F computed from scratch with the postings cursor: every
// matching doc, every score, for common words (several decode chunks), rare ones, and a word whose
// title list is longer than its text list.
let e: Engine;
beforeAll(async () => {
  e = await Engine.open(tempDir(), { shards: 1 });
  for (const d of randomDocs(9000, 3)) e.add(d);
  for (let i = 0; i < 5000; i++)
    e.add({ id: `z-${i}`, title: `zebra ${i % 3 ? 'crossing' : 'zebra'}`, text: 'plain' });
  for (let i = 0; i < 40; i++) e.add({ id: `y-${i}`, title: 'other', text: 'zebra '.repeat(1 + (i % 5)) });
  await e.commit({ flush: true });
});
afterAll(async () => {
  await e.close({ commit: false });
});

/** "seq:doc" -> BM25F score of one analyzed term, from the cursors of both fields. */
function reference(term: string): Map<string, number> {
  const states = (e as unknown as { shards: Shard[] }).shards[0].segments;
  const fields = ['title', 'text'];
  const stats = collectionStats(
    states.map((s) => s.segment),
    fields.length,
  );
  const df = Math.max(...fields.map((_, f) => stats.docFreq(f, term)));
  const tfSum = new Map<string, number>();
  for (const { seq, segment: seg } of states) {
    fields.forEach((name, f) => {
      const ord = seg.lookup(f, term);
      if (ord < 0) return;
      const cache = tfCache(
        DEFAULT_BM25.b,
        stats.sumLength[f] / stats.docCount,
        DEFAULT_BM25.fieldWeights[name],
      );
      const c = seg.cursor(f, ord);
      while (c.next()) {
        const key = `${seq}:${c.doc}`;
        tfSum.set(key, (tfSum.get(key) ?? 0) + c.freq * cache[seg.fields[f].norms[c.doc]]);
      }
    });
  }
  const w = idf(stats.docCount, df) * (DEFAULT_BM25.k1 + 1);
  return new Map([...tfSum].map(([d, tf]) => [d, w - w / (1 + tf / DEFAULT_BM25.k1)]));
}

describe('BM25F over title and text, merged while streaming', () => {
  it('scores every matching doc as the formula does', () => {
    const words = [...QUERY_WORDS.slice(0, 6), ...QUERY_WORDS.slice(-3), 'zebra', 'crossing', 'plain'];
    let chunked = 0;
    for (const word of words) {
      const [term] = e.analyzer.terms(word);
      const want = reference(term);
      const got = e.retrieve(word, 1_000_000).refs;
      expect(got.docs.length, word).toBe(want.size);
      for (let i = 0; i < got.docs.length; i++)
        expect(got.scores[i], word).toBeCloseTo(want.get(`${got.seqs[i]}:${got.docs[i]}`) ?? -1, 10);
      if (want.size > 4096) chunked++;
    }
    expect(chunked).toBeGreaterThan(0);
  });
});
