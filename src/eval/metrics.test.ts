import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { scoreQuery } from './metrics.js';
import { compareBytes, type RunHit, rankHits } from './run.js';

const judged = (pairs: Record<string, number>) => new Map(Object.entries(pairs));
const hits = (...pairs: [string, number][]): RunHit[] => pairs.map(([docId, score]) => ({ docId, score }));

describe('scoreQuery: graded worked example', () => {
  // Judgments: d1=3, d2=2, d3=1, d4=0, d5=2 → relevant (grade >= 1): d1 d2 d3 d5, numRel = 4.
  // Ranking (by score): d3(10) d1(9) x(8, unjudged) d2(7) d4(6) → grades 1 3 0 2 0.
  //
  // DCG@5  = 1/log2(2) + 3/log2(3) + 0/log2(4) + 2/log2(5) + 0/log2(6)
  //        = 1 + 1.8927892607 + 0 + 0.8613531161 + 0 = 3.7541423768
  // IDCG@5 = ideal grades 3 2 2 1 (all judged docs, best first; d4=0 adds nothing)
  //        = 3/log2(2) + 2/log2(3) + 2/log2(4) + 1/log2(5)
  //        = 3 + 1.2618595071 + 1 + 0.4306765581 = 5.6925360652
  // nDCG@5 = 3.7541423768 / 5.6925360652 = 0.6594850404
  // nDCG@3 = (1 + 1.8927892607) / (3 + 1.2618595071 + 1) = 2.8927892607 / 5.2618595071 = 0.5497655832
  // nDCG@10 = nDCG@5 (run and ideal both end before 10).
  // AP = (1/1 + 2/2 + 3/4) / 4 = 0.6875 (d5 never retrieved).
  // recall@3 = 2/4, recall@5 = 3/4; P@3 = 2/3, P@10 = 3/10 (P divides by k even past the run's end).
  // MRR@k = 1/1 (d3 is relevant at rank 1).
  const q = judged({ d1: 3, d2: 2, d3: 1, d4: 0, d5: 2 });
  const run = hits(['d4', 6], ['d2', 7], ['x', 8], ['d1', 9], ['d3', 10]); // order given is irrelevant
  const m = scoreQuery('q1', run, q, [3, 5, 10]);

  it('computes nDCG with grade gains and log2(rank+1) discount', () => {
    expect(m.ndcg[5]).toBeCloseTo(0.6594850404, 9);
    expect(m.ndcg[3]).toBeCloseTo(0.5497655832, 9);
    expect(m.ndcg[10]).toBe(m.ndcg[5]);
    // Bit-for-bit the values our trec_eval build printed for this input.
    expect(m.ndcg[3]).toBe(0.5497655832101642);
    expect(m.ndcg[5]).toBe(0.6594850403848089);
  });

  it('computes AP, recall, precision and MRR', () => {
    expect(m.ap).toBe(0.6875);
    expect(m.recall).toEqual({ 3: 0.5, 5: 0.75, 10: 0.75 });
    expect(m.precision[3]).toBeCloseTo(2 / 3, 15);
    expect(m.precision[5]).toBeCloseTo(3 / 5, 15);
    expect(m.precision[10]).toBeCloseTo(3 / 10, 15);
    expect(m.mrr).toEqual({ 3: 1, 5: 1, 10: 1 });
    expect([m.numRel, m.numRet, m.numRelRet]).toEqual([4, 5, 3]);
  });
});

describe('scoreQuery: ties and order', () => {
  it('breaks score ties by doc id descending (strcmp), like trec_eval', () => {
    // All tied: trec_eval ranks c, b, a. Only a is relevant → rank 3.
    const m = scoreQuery('q', hits(['a', 1], ['b', 1], ['c', 1]), judged({ a: 1 }), [1, 3]);
    expect(m.mrr).toEqual({ 1: 0, 3: 1 / 3 });
    expect(m.ap).toBeCloseTo(1 / 3, 15);
  });

  it('compares ids as strings, not numbers: "9" ranks before "10" on a tie', () => {
    expect(rankHits('q', hits(['10', 0.5], ['9', 0.5], ['100', 0.5])).map((h) => h.docId)).toEqual([
      '9',
      '100',
      '10',
    ]);
  });

  it('higher score wins over id order', () => {
    expect(rankHits('q', hits(['z', 1], ['a', 2])).map((h) => h.docId)).toEqual(['a', 'z']);
  });

  it('orders ids by UTF-8 bytes (astral characters after U+FFFD)', () => {
    expect(compareBytes('\u{1F600}', '\uFFFD')).toBeGreaterThan(0);
    expect('\u{1F600}' < '\uFFFD').toBe(true); // plain JS order disagrees
    expect(compareBytes('ab', 'abc')).toBeLessThan(0);
    expect(compareBytes('b', 'abc')).toBeGreaterThan(0);
    expect(compareBytes('x', 'x')).toBe(0);
  });
});

describe('scoreQuery: edge cases', () => {
  it('scores an empty run as 0 everywhere', () => {
    const m = scoreQuery('q', [], judged({ a: 2 }), [1, 10]);
    expect(m).toEqual({
      ndcg: { 1: 0, 10: 0 },
      recall: { 1: 0, 10: 0 },
      precision: { 1: 0, 10: 0 },
      mrr: { 1: 0, 10: 0 },
      ap: 0,
      numRel: 1,
      numRet: 0,
      numRelRet: 0,
    });
  });

  it('handles k larger than the run and than the judgments', () => {
    const m = scoreQuery('q', hits(['a', 2], ['b', 1]), judged({ b: 1 }), [30000]);
    // DCG = 1/log2(3); IDCG = 1/log2(2) = 1.
    expect(m.ndcg[30000]).toBeCloseTo(1 / Math.log2(3), 15);
    expect(m.recall[30000]).toBe(1);
    expect(m.precision[30000]).toBe(1 / 30000);
    expect(m.mrr[30000]).toBe(0.5);
  });

  it('treats grades <= 0 as non-relevant and gainless; a query with none relevant scores 0', () => {
    const m = scoreQuery('q', hits(['a', 3], ['b', 2]), judged({ a: 0, b: -1 }), [10]);
    expect([m.ndcg[10], m.recall[10], m.precision[10], m.mrr[10], m.ap, m.numRel]).toEqual([
      0, 0, 0, 0, 0, 0,
    ]);
  });

  it('counts grade >= 1 as relevant whatever the grade', () => {
    const m = scoreQuery('q', hits(['a', 3], ['b', 2]), judged({ a: 1, b: 4 }), [1]);
    expect([m.precision[1], m.mrr[1], m.recall[1], m.ap]).toEqual([1, 1, 0.5, 1]);
    // nDCG@1: DCG = 1, IDCG = 4 (the grade-4 doc is ideal first).
    expect(m.ndcg[1]).toBe(0.25);
  });

  it('MRR@k is 0 when the first relevant hit is below k', () => {
    const m = scoreQuery('q', hits(['a', 3], ['b', 2], ['c', 1]), judged({ c: 1 }), [2, 3]);
    expect(m.mrr).toEqual({ 2: 0, 3: 1 / 3 });
  });

  it('refuses a doc retrieved twice (trec_eval: "duplicate docs") and NaN scores', () => {
    expect(() => scoreQuery('q', hits(['a', 2], ['a', 1]), judged({ a: 1 }), [10])).toThrow(
      InvalidArgumentError,
    );
    expect(() => scoreQuery('q', hits(['a', Number.NaN]), judged({ a: 1 }), [10])).toThrow(/NaN/);
  });

  it('refuses bad cutoffs', () => {
    expect(() => scoreQuery('q', [], undefined, [0])).toThrow(InvalidArgumentError);
    expect(() => scoreQuery('q', [], undefined, [2.5])).toThrow(/cutoff/);
  });

  it('does not reorder the caller array', () => {
    const run = hits(['a', 1], ['b', 2]);
    scoreQuery('q', run, judged({ a: 1 }), [1]);
    expect(run.map((h) => h.docId)).toEqual(['a', 'b']);
  });
});
