import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine.js';
import { CandidateSet } from '../src/funnel/candidate-set.js';
import { loadProfiles } from '../src/funnel/profile.js';
import { featureTerms } from '../src/funnel/stages/rerank.js';
import { RetrieveStage } from '../src/funnel/stages/retrieve.js';
import { newTrace } from '../src/funnel/types.js';
import { bestWindow, FEATURES, rowsByDoc, WINDOW } from '../src/search/features.js';
import { QUERY_WORDS, randomDocs, rng, tempDir } from './helpers.js';

// Stage 2's features, computed two ways: reading every query term's postings, or taking the
// expansion terms' part from the first stage's score (which then reads only the question's terms).
// Both must give the same features, for questions with repeated words too, over two shards.
let e: Engine;
beforeAll(async () => {
  e = await Engine.open(tempDir(), { shards: 2 });
  const docs = randomDocs(3000, 21);
  docs.slice(0, 1500).forEach((d) => {
    e.add(d);
  });
  await e.commit({ flush: true });
  docs.slice(1500).forEach((d) => {
    e.add(d);
  });
  await e.commit();
});
afterAll(async () => {
  await e.close({ commit: false });
});

async function firstStage(question: string) {
  const spec = loadProfiles().get('default')!.stages[0];
  const original = e.parse(question);
  const ctx = {
    engine: e,
    question,
    original,
    query: original,
    deadline: Number.POSITIVE_INFINITY,
    trace: newTrace('1', spec),
  };
  const candidates = await new RetrieveStage(spec).run(CandidateSet.empty(), ctx);
  return { candidates, terms: featureTerms(original, ctx.query), query: ctx.query };
}

describe('features from the first stage scores', () => {
  it('equal the features read from every term, and read fewer postings', async () => {
    const r = rng(9);
    const word = () => QUERY_WORDS[Math.floor(r() * QUERY_WORDS.length)];
    let fewer = 0;
    for (let q = 0; q < 25; q++) {
      const words = Array.from({ length: 2 + Math.floor(r() * 4) }, word);
      if (q % 4 === 0) words.push(words[0]); // a repeated word weighs twice in stage 1
      const { candidates, terms, query } = await firstStage(words.join(' '));
      expect(candidates.bm25Of).toBe(query);
      expect(terms.some((t) => !t.original)).toBe(true); // feedback added terms
      const fast = e.features(candidates.refs(), terms, { fromScores: true });
      const full = e.features(candidates.refs(), terms);
      expect(fast.values.length).toBe(candidates.length * FEATURES.length);
      for (let i = 0; i < fast.values.length; i++) expect(fast.values[i]).toBeCloseTo(full.values[i], 9);
      if (fast.work.postings < full.work.postings) fewer++;
    }
    expect(fewer).toBe(25);
  });

  it('is not used once a later stage has ranked the candidates', async () => {
    const { candidates } = await firstStage(`${QUERY_WORDS[0]} ${QUERY_WORDS[3]}`);
    expect(candidates.head(5).bm25Of).toBe(candidates.bm25Of);
    const reranked = candidates.rank('2:x', new Float64Array(candidates.length).fill(1), 5);
    expect(reranked.bm25Of).toBeUndefined();
  });
});

describe('bestWindow', () => {
  // Brute force: every window [p, p + WINDOW) starting at some position, the idf of the distinct
  // terms with a position inside it.
  function brute(lists: number[][], idf: number[]): number {
    let best = 0;
    for (const p of lists.flat()) {
      let sum = 0;
      lists.forEach((l, t) => {
        if (l.some((x) => x >= p && x < p + WINDOW)) sum += idf[t];
      });
      best = Math.max(best, sum);
    }
    return best;
  }

  it('finds the window with the largest idf share of distinct terms (random lists)', () => {
    const r = rng(4);
    for (let run = 0; run < 300; run++) {
      const T = 1 + Math.floor(r() * 6);
      const used = new Set<number>();
      const lists = Array.from({ length: T }, () => {
        const l: number[] = [];
        const m = Math.floor(r() * 8);
        for (let i = 0; i < m; i++) {
          const p = Math.floor(r() * 60);
          if (!used.has(p)) {
            used.add(p);
            l.push(p);
          }
        }
        return l.sort((a, b) => a - b);
      });
      const idf = lists.map(() => 0.1 + r() * 3);
      const pool = Int32Array.from(lists.flat());
      const start = new Int32Array(T);
      const count = new Int32Array(T);
      let at = 0;
      lists.forEach((l, t) => {
        start[t] = at;
        count[t] = l.length;
        at += l.length;
      });
      const got = bestWindow(pool, start, count, 0, T, idf, new Int32Array(32), new Float64Array(32));
      expect(got).toBeCloseTo(brute(lists, idf), 12);
    }
  });

  it('scores a passage whose sentence holds the question above one with the terms scattered', async () => {
    const dir = tempDir();
    const f = await Engine.open(dir);
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `filler${i % 37}`).join(' ');
    f.add({ id: 'compact', text: `${filler(80)} The survey team counted 87 nests. ${filler(80)}` });
    f.add({
      id: 'scattered',
      text: `survey ${filler(40)} team ${filler(40)} counted ${filler(40)} nests ${filler(40)}`,
    });
    await f.commit();
    const original = f.parse('survey teams count nests');
    const refs = f.retrieve(original, 10).refs;
    const terms = featureTerms(original, original);
    const m = f.features(refs, terms);
    const col = FEATURES.indexOf('window_idf');
    const value = (id: string) => m.values[refs.ids.toArray().indexOf(id) * FEATURES.length + col];
    expect(value('compact')).toBeCloseTo(1, 9);
    expect(value('scattered')).toBeLessThan(0.5);
    await f.close();
  });
});

describe('rowsByDoc', () => {
  it('orders rows by their distinct doc numbers, and gives the docs in that order, small and past 2^22', () => {
    const r = rng(12);
    for (const span of [600, 3000, 2 ** 23, 2 ** 31]) {
      const docs = new Set<number>();
      while (docs.size < 500) docs.add(Math.floor(r() * span));
      const list = Uint32Array.from(docs);
      const rows = Int32Array.from(list, (_, i) => i);
      const sorted = rowsByDoc(list, rows);
      const want = [...list].sort((a, b) => a - b);
      expect(Array.from(sorted.rows, (row) => list[row])).toEqual(want);
      expect(Array.from(sorted.docs)).toEqual(want);
    }
  });
});
