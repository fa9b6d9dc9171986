/**
 * @module eval/metrics
 * Per-query retrieval metrics computed exactly as trec_eval 9.x/10.x does (ndcg_cut, map, recall,
 * P, recip_rank cut at k): one ranked list and one query's judgments in, numbers out. METRICS.md
 * gives the definitions.
 */
import { InvalidArgumentError } from '../errors.js';
import { type RunHit, rankHits } from './run.js';

/** One query's metrics. Records are keyed by cutoff k. */
export interface QueryMetrics {
  /** nDCG@k (trec_eval `ndcg_cut.k`). */
  ndcg: Record<number, number>;
  /** Relevant retrieved in the top k / all relevant (trec_eval `recall.k`); 0 if nothing is relevant. */
  recall: Record<number, number>;
  /** Relevant retrieved in the top k / k (trec_eval `P.k`). */
  precision: Record<number, number>;
  /** 1 / rank of the first relevant hit if that rank is <= k, else 0. */
  mrr: Record<number, number>;
  /** Average precision over the whole ranking (trec_eval `map` for one query). */
  ap: number;
  /** Judged relevant documents (grade >= 1). */
  numRel: number;
  /** Retrieved documents. */
  numRet: number;
  /** Retrieved documents that are relevant. */
  numRelRet: number;
}

/** Checks that every cutoff is a positive integer; returns them sorted and deduplicated. */
export function checkCutoffs(ks: readonly number[]): number[] {
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 1)
      throw new InvalidArgumentError(`metrics: illegal cutoff k=${k}, must be an integer >= 1`);
  }
  return [...new Set(ks)].sort((a, b) => a - b);
}

/** DCG discount of 0-based position i, as trec_eval: gain / log2(rank + 1) with rank = i + 1. */
function discount(i: number): number {
  return Math.log2(i + 2);
}

/**
 * Scores one query. `hits` may be in any order: they are ranked as trec_eval ranks them (score
 * descending, then doc id descending). `judgments` maps doc id → grade (absent or undefined = no
 * judgments); unjudged retrieved docs are non-relevant. Throws InvalidArgumentError on a duplicate
 * doc id or a NaN score.
 */
export function scoreQuery(
  qid: string,
  hits: readonly RunHit[],
  judgments: ReadonlyMap<string, number> | undefined,
  ks: readonly number[],
): QueryMetrics {
  const cutoffs = checkCutoffs(ks);
  const ranked = rankHits(qid, hits);
  const n = ranked.length;

  // Prefix sums over the ranking: dcgAt[i] and relAt[i] cover the top i hits.
  const dcgAt = new Float64Array(n + 1);
  const relAt = new Int32Array(n + 1);
  let dcg = 0;
  let rel = 0;
  let apSum = 0;
  let firstRel = 0;
  for (let i = 0; i < n; i++) {
    const grade = judgments?.get(ranked[i].docId) ?? 0;
    if (grade > 0) dcg += grade / discount(i);
    if (grade >= 1) {
      rel++;
      apSum += rel / (i + 1);
      if (firstRel === 0) firstRel = i + 1;
    }
    dcgAt[i + 1] = dcg;
    relAt[i + 1] = rel;
  }

  // Ideal DCG from every positively judged doc of the query, best grades first.
  const gains: number[] = [];
  let numRel = 0;
  if (judgments !== undefined) {
    for (const grade of judgments.values()) {
      if (grade > 0) gains.push(grade);
      if (grade >= 1) numRel++;
    }
  }
  gains.sort((a, b) => b - a);
  const maxK = cutoffs.length === 0 ? 0 : cutoffs[cutoffs.length - 1];
  const m = Math.min(gains.length, maxK);
  const idcgAt = new Float64Array(m + 1);
  for (let i = 0; i < m; i++) idcgAt[i + 1] = idcgAt[i] + gains[i] / discount(i);

  const out: QueryMetrics = {
    ndcg: {},
    recall: {},
    precision: {},
    mrr: {},
    ap: numRel > 0 ? apSum / numRel : 0,
    numRel,
    numRet: n,
    numRelRet: rel,
  };
  for (const k of cutoffs) {
    const top = Math.min(k, n);
    const ideal = idcgAt[Math.min(k, m)];
    out.ndcg[k] = ideal > 0 ? dcgAt[top] / ideal : 0;
    out.recall[k] = numRel > 0 ? relAt[top] / numRel : 0;
    out.precision[k] = relAt[top] / k;
    out.mrr[k] = firstRel > 0 && firstRel <= k ? 1 / firstRel : 0;
  }
  return out;
}
