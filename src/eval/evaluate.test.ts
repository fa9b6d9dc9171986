import { describe, expect, it } from 'vitest';
import { evaluateRun } from './evaluate.js';
import type { Qrels } from './qrels.js';
import type { Run } from './run.js';

const qrels: Qrels = new Map([
  [
    'q1',
    new Map([
      ['a', 2],
      ['b', 1],
    ]),
  ],
  ['q2', new Map([['c', 1]])],
  ['q3', new Map([['d', 0]])], // judged, nothing relevant
]);

describe('evaluateRun', () => {
  it('averages over every judged query by default (trec_eval -c): missing queries score 0', () => {
    const run: Run = new Map([
      [
        'q1',
        [
          { docId: 'a', score: 2 },
          { docId: 'b', score: 1 },
        ],
      ], // perfect: nDCG 1, AP 1, RR 1
      ['q9', [{ docId: 'z', score: 1 }]], // not judged → ignored
    ]);
    const r = evaluateRun(run, qrels, { ks: [1, 10] });
    expect(r.numQueries).toBe(3);
    expect(r.missing).toEqual(['q2', 'q3']);
    expect(r.ignored).toEqual(['q9']);
    expect(r.ndcg10).toBeCloseTo(1 / 3, 15);
    expect(r.map).toBeCloseTo(1 / 3, 15);
    expect(r.mrr10).toBeCloseTo(1 / 3, 15);
    expect(r.recall[1]).toBeCloseTo(0.5 / 3, 15);
    expect(r.precision[10]).toBeCloseTo(0.2 / 3, 15);
    expect([...r.perQuery.keys()]).toEqual(['q1', 'q2', 'q3']);
    expect(r.perQuery.get('q2')?.ndcg[10]).toBe(0);
  });

  it('with complete: false averages only over queries with hits', () => {
    const run: Run = new Map([['q1', [{ docId: 'b', score: 1 }]]]);
    const r = evaluateRun(run, qrels, { ks: [10], complete: false });
    expect(r.numQueries).toBe(1);
    expect(r.map).toBe(0.5);
    expect([...r.perQuery.keys()]).toEqual(['q1']);
  });

  it('always reports k=10 and the requested cutoffs', () => {
    const r = evaluateRun(new Map(), qrels, { ks: [100, 117, 1000, 30000] });
    expect(Object.keys(r.recall).map(Number)).toEqual([10, 100, 117, 1000, 30000]);
    expect(r.ndcg10).toBe(0);
    expect(r.missing).toEqual(['q1', 'q2', 'q3']);
  });

  it('an empty run or empty qrels gives zeros, not NaN', () => {
    const r = evaluateRun(new Map(), new Map());
    expect([r.ndcg10, r.map, r.mrr10, r.numQueries]).toEqual([0, 0, 0, 0]);
  });

  it('evaluates 300 queries x 1000 hits against 15k judgments well under a second', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const big: Qrels = new Map();
    const run: Run = new Map();
    for (let q = 0; q < 300; q++) {
      const docs = new Map<string, number>();
      for (let j = 0; j < 50; j++) docs.set(`d${Math.floor(rand() * 5000)}`, Math.floor(rand() * 4));
      big.set(`q${q}`, docs);
      const hits = [];
      for (let i = 0; i < 1000; i++)
        hits.push({ docId: `d${i * 5 + (q % 5)}`, score: Math.round(rand() * 1e4) / 1e4 });
      run.set(`q${q}`, hits);
    }
    // Best of three, so a busy machine does not fail the test; one cold run takes ~0.2 s here.
    let ms = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = evaluateRun(run, big, { ks: [10, 100, 117, 1000, 30000] });
      ms = Math.min(ms, performance.now() - t0);
      expect(r.numQueries).toBe(300);
    }
    expect(ms).toBeLessThan(1000);
  });
});
