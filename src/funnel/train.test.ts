import { describe, expect, it } from 'vitest';
import { averageModels, type TrainingQuery, trainLinear } from './train.js';

/** Queries whose relevant docs are given away by feature 1 (feature 0 is noise). */
function queries(n: number, group: string, seed: number): TrainingQuery[] {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  return Array.from({ length: n }, (_, q) => {
    const ids = Array.from({ length: 30 }, (_, i) => `${group}-${q}-${i}`);
    const grades = new Map<string, number>();
    const values = new Float64Array(ids.length * 2);
    ids.forEach((id, i) => {
      const relevant = i % 7 === 0;
      if (relevant) grades.set(id, 1 + (i % 2));
      values[i * 2] = next();
      values[i * 2 + 1] = (relevant ? 1 : 0) + next() * 0.5;
    });
    return { group, qid: String(q), ids, values, grades };
  });
}

describe('trainLinear', () => {
  it('weighs the feature that tells relevant documents apart', () => {
    const m = trainLinear([...queries(20, 'a', 1), ...queries(5, 'b', 2)], ['noise', 'signal']);
    expect(m.weights[1]).toBeGreaterThan(Math.abs(m.weights[0]));
    expect(m.trainNdcg10).toBeGreaterThan(0.8);
    expect(Math.abs(m.weights[0]) + Math.abs(m.weights[1])).toBeCloseTo(1, 12);
  });
});

describe('averageModels', () => {
  it('averages coefficients on the raw features, then re-expresses them over the given std', () => {
    const a = { weights: [1, 0], std: [2, 1] }; // raw coefficients 0.5, 0
    const b = { weights: [0, 1], std: [1, 4] }; // raw coefficients 0, 0.25
    const m = averageModels([a, b], [7, 9], [1, 1]);
    expect(m.weights[0]).toBeCloseTo(2 / 3, 12);
    expect(m.weights[1]).toBeCloseTo(1 / 3, 12);
    expect(m.mean).toEqual([7, 9]);
    // Over another standardization the ranking is the same: weights scale with std.
    const n = averageModels([a, b], [0, 0], [2, 2]);
    expect(n.weights[0] / n.weights[1]).toBeCloseTo(2, 12);
  });
});
