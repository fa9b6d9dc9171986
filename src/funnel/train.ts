/**
 * @module funnel/train
 * Trains the stage-2 linear ranker from judged queries: coordinate ascent on mean nDCG@10 (as in
 * Metzler & Croft's linear feature-based models) over standardized features, starting from the
 * first stage's order. Any qrels work, human or judged by a model, so an expensive judge can be
 * distilled into this cheap ranker.
 */

import type { LinearModel } from './ltr-model.js';

/** One judged query: its candidates' features (row-major), ids, and the judgments. */
export interface TrainingQuery {
  group: string;
  qid: string;
  ids: string[];
  values: Float64Array;
  /** doc id → grade (> 0 relevant). */
  grades: Map<string, number>;
}

export interface TrainOptions {
  /** Passes over the features; default 4. */
  rounds?: number;
  /** Feature to start from (weight 1); default the first. */
  start?: number;
}

const STEPS = [-2, -1, -0.5, -0.25, -0.1, -0.05, 0.05, 0.1, 0.25, 0.5, 1, 2];

/** nDCG@10 of `scores` (one per candidate) for query `q`, with trec_eval's gain (grade) and ideal over all judgments. */
export function ndcg10(q: TrainingQuery, scores: Float64Array, ideal: number): number {
  if (ideal <= 0) return 0;
  const n = scores.length;
  const top: number[] = [];
  for (let i = 0; i < n; i++) {
    // insertion into a top-10 list (score desc, then id asc)
    if (top.length === 10) {
      const last = top[9];
      if (scores[i] < scores[last] || (scores[i] === scores[last] && q.ids[i] > q.ids[last])) continue;
      top.pop();
    }
    let at = top.length;
    while (at > 0) {
      const p = top[at - 1];
      if (scores[p] > scores[i] || (scores[p] === scores[i] && q.ids[p] < q.ids[i])) break;
      at--;
    }
    top.splice(at, 0, i);
  }
  let dcg = 0;
  for (let r = 0; r < top.length; r++) {
    const g = q.grades.get(q.ids[top[r]]) ?? 0;
    if (g > 0) dcg += g / Math.log2(r + 2);
  }
  return dcg / ideal;
}

/** The ideal DCG@10 over all judgments of a query. */
export function idealDcg10(grades: Map<string, number>): number {
  const gains = [...grades.values()].filter((g) => g > 0).sort((a, b) => b - a);
  let dcg = 0;
  for (let r = 0; r < Math.min(10, gains.length); r++) dcg += gains[r] / Math.log2(r + 2);
  return dcg;
}

/** Trains a linear model over `features` (names of the columns of every query's values). */
export function trainLinear(
  queries: readonly TrainingQuery[],
  features: readonly string[],
  options: TrainOptions = {},
): Pick<LinearModel, 'features' | 'mean' | 'std' | 'weights'> & { trainNdcg10: number } {
  const F = features.length;
  const mean = new Array<number>(F).fill(0);
  const std = new Array<number>(F).fill(0);
  let rows = 0;
  for (const q of queries) {
    const n = q.ids.length;
    rows += n;
    for (let i = 0; i < n; i++) for (let j = 0; j < F; j++) mean[j] += q.values[i * F + j];
  }
  for (let j = 0; j < F; j++) mean[j] /= Math.max(1, rows);
  for (const q of queries) {
    for (let i = 0; i < q.ids.length; i++) {
      for (let j = 0; j < F; j++) std[j] += (q.values[i * F + j] - mean[j]) ** 2;
    }
  }
  for (let j = 0; j < F; j++) std[j] = Math.sqrt(std[j] / Math.max(1, rows)) || 1;
  // Standardized copies, and each query's ideal DCG.
  const z = queries.map((q) => {
    const v = new Float64Array(q.values.length);
    for (let i = 0; i < q.ids.length; i++)
      for (let j = 0; j < F; j++) v[i * F + j] = (q.values[i * F + j] - mean[j]) / std[j];
    return v;
  });
  const ideals = queries.map((q) => idealDcg10(q.grades));
  const scratch = queries.map((q) => new Float64Array(q.ids.length));
  // Each collection (group) counts equally, as in the mean over collections that is reported: a
  // query of a collection of 30 weighs as much as ten of one of 300.
  const groupSize = new Map<string, number>();
  for (const q of queries) groupSize.set(q.group, (groupSize.get(q.group) ?? 0) + 1);
  const queryWeight = queries.map((q) => 1 / (groupSize.size * (groupSize.get(q.group) ?? 1)));
  const evaluate = (w: readonly number[]): number => {
    let sum = 0;
    queries.forEach((q, k) => {
      const s = scratch[k];
      const v = z[k];
      for (let i = 0; i < q.ids.length; i++) {
        let x = 0;
        for (let j = 0; j < F; j++) x += w[j] * v[i * F + j];
        s[i] = x;
      }
      sum += queryWeight[k] * ndcg10(q, s, ideals[k]);
    });
    return sum;
  };
  const weights = new Array<number>(F).fill(0);
  weights[options.start ?? 0] = 1;
  let best = evaluate(weights);
  for (let round = 0; round < (options.rounds ?? 4); round++) {
    let improved = false;
    for (let j = 0; j < F; j++) {
      const base = weights[j];
      let bestStep = 0;
      for (const step of STEPS) {
        weights[j] = base + step;
        const score = evaluate(weights);
        if (score > best + 1e-9) {
          best = score;
          bestStep = step;
        }
      }
      weights[j] = base + bestStep;
      if (bestStep !== 0) improved = true;
    }
    if (!improved) break;
  }
  const norm = weights.reduce((a, b) => a + Math.abs(b), 0) || 1;
  return {
    features: [...features],
    mean,
    std,
    weights: weights.map((w) => w / norm),
    trainNdcg10: best,
  };
}

/**
 * One model from several trained on different data (the leave-one-collection-out folds): their
 * coefficients on the raw features (weight / std; the offsets do not change a ranking) averaged,
 * then expressed over `mean` and `std` and scaled to a sum of |weights| of 1. Bagging: a feature
 * that helps on some folds keeps a small weight instead of whatever one greedy ascent ended on.
 */
export function averageModels(
  models: readonly Pick<LinearModel, 'weights' | 'std'>[],
  mean: readonly number[],
  std: readonly number[],
): Pick<LinearModel, 'mean' | 'std' | 'weights'> {
  const raw = std.map((_, j) => models.reduce((sum, m) => sum + m.weights[j] / m.std[j], 0) / models.length);
  const weights = raw.map((a, j) => a * std[j]);
  const norm = weights.reduce((sum, w) => sum + Math.abs(w), 0) || 1;
  return { mean: [...mean], std: [...std], weights: weights.map((w) => w / norm) };
}
