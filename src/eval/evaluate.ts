/**
 * @module eval/evaluate
 * Evaluates a whole run against qrels: per-query metrics (eval/metrics) and their means, with
 * trec_eval's `-c` convention by default (a judged query the run misses scores 0 and still counts).
 */

import { checkCutoffs, type QueryMetrics, scoreQuery } from './metrics.js';
import type { Qrels } from './qrels.js';
import { compareBytes, type Run } from './run.js';

export interface EvaluateOptions {
  /** Cutoffs for nDCG, recall, P and MRR; 10 is always added. Default [10, 100, 1000]. */
  ks?: readonly number[];
  /**
   * true (default, trec_eval `-c`): average over every query in the qrels; one the run lacks (or
   * has no hits for) scores 0. false: average only over queries with hits and judgments.
   */
  complete?: boolean;
}

export interface EvalSummary {
  /** Mean nDCG@10. */
  ndcg10: number;
  /** Mean average precision (trec_eval `map`, uncut). */
  map: number;
  /** Mean reciprocal rank of the first relevant hit within the top 10. */
  mrr10: number;
  /** Means keyed by cutoff k. */
  ndcg: Record<number, number>;
  recall: Record<number, number>;
  precision: Record<number, number>;
  mrr: Record<number, number>;
  /** Number of queries the means are taken over. */
  numQueries: number;
  /** Judged queries without hits in the run (scored 0 when `complete`, else left out). */
  missing: string[];
  /** Run queries without any judgment: ignored, as trec_eval ignores them. */
  ignored: string[];
  /** Per-query metrics of every query averaged over, in query-id (byte) order. */
  perQuery: Map<string, QueryMetrics>;
}

/**
 * Evaluates `run` against `qrels` as `trec_eval -c -m ndcg_cut.K -m map -m recall.K -m P.K` would,
 * plus MRR@k. Throws InvalidArgumentError on a bad cutoff, a NaN score or a doc retrieved twice.
 */
export function evaluateRun(run: Run, qrels: Qrels, options: EvaluateOptions = {}): EvalSummary {
  const ks = checkCutoffs([...(options.ks ?? [10, 100, 1000]), 10]);
  const complete = options.complete ?? true;
  const qids = [...qrels.keys()].sort(compareBytes);
  const perQuery = new Map<string, QueryMetrics>();
  const missing: string[] = [];
  for (const qid of qids) {
    const hits = run.get(qid) ?? [];
    if (hits.length === 0) {
      missing.push(qid);
      if (!complete) continue;
    }
    perQuery.set(qid, scoreQuery(qid, hits, qrels.get(qid), ks));
  }
  const ignored = [...run.keys()].filter((qid) => !qrels.has(qid));

  const n = perQuery.size;
  const mean = (pick: (q: QueryMetrics) => number): number => {
    if (n === 0) return 0;
    let sum = 0;
    for (const q of perQuery.values()) sum += pick(q);
    return sum / n;
  };
  const meanAt = (pick: (q: QueryMetrics) => Record<number, number>): Record<number, number> => {
    const out: Record<number, number> = {};
    for (const k of ks) out[k] = mean((q) => pick(q)[k]);
    return out;
  };
  const ndcg = meanAt((q) => q.ndcg);
  const mrr = meanAt((q) => q.mrr);
  return {
    ndcg10: ndcg[10],
    map: mean((q) => q.ap),
    mrr10: mrr[10],
    ndcg,
    recall: meanAt((q) => q.recall),
    precision: meanAt((q) => q.precision),
    mrr,
    numQueries: n,
    missing,
    ignored,
    perQuery,
  };
}
