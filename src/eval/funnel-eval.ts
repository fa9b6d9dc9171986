/**
 * @module eval/funnel-eval
 * Judged queries through every stage of one or more funnel profiles: per stage the trec_eval
 * metrics of the ranking it passes on (nDCG@10, MAP, MRR@10, recall at each funnel width) and its
 * latency (p50/p95), so that a change to any stage shows its effect where it happens. The reader is
 * timed but has no ranking to score. Returns numbers; prints nothing.
 */

import type { Engine } from '../engine.js';
import { describeProfile, type Profile } from '../funnel/profile.js';
import { runFunnel } from '../funnel/runner.js';
import type { StageTrace } from '../funnel/types.js';
import { evaluateRun } from './evaluate.js';
import { type Latency, latencyOf } from './percentile.js';
import type { Qrels } from './qrels.js';
import type { Run, RunHit } from './run.js';

/** Recall cutoffs: the top 10, the funnel widths (117, 30,000) and the usual 100 and 1,000. */
export const STAGE_CUTOFFS = [10, 100, 117, 1000, 30_000] as const;

/** The metrics of one stage's ranking, averaged over every judged query (trec_eval -c). */
export interface RankingMetrics {
  ndcg10: number;
  map: number;
  mrr10: number;
  /** Mean recall keyed by cutoff (STAGE_CUTOFFS). */
  recall: Record<number, number>;
  /** Judged queries averaged over. */
  queries: number;
  /** Judged queries with no hit (or absent from the queries file): counted as 0. */
  missing: number;
}

export interface StageEval {
  /** The trace label, e.g. `1:bm25+prf`. */
  stage: string;
  kind: StageTrace['kind'];
  model: string;
  keep: number;
  /** Absent for the reader, which does not rank. */
  metrics?: RankingMetrics;
  latencyMs: Latency;
  /** Mean work per query (postings scored, features computed, tokens read, ...). */
  work: Record<string, number>;
  /** Queries in which the stage failed or ran over its budget (its input order was passed on). */
  degraded: number;
  /** The first such query's reason, when there was one. */
  error?: string;
}

export interface ProfileEval {
  profile: string;
  /** `bm25+prf ─30000→ ltr ─117→ extractive` */
  funnel: string;
  stages: StageEval[];
  /** Whole funnel per query, reader included when it ran. */
  totalMs: Latency;
}

export interface FunnelEvalOptions {
  /** Run the reader stage too (default true); without it the funnel stops after ranking. */
  read?: boolean;
  /** Progress: called after each query. */
  onQuery?: (done: number, total: number, profile: string) => void;
}

/** Hits in the stage's order as a run: the score is the reverse rank, so trec_eval keeps the order. */
function asRunHits(ids: readonly string[]): RunHit[] {
  const n = ids.length;
  return ids.map((id, i) => ({ docId: id, score: n - i }));
}

/**
 * Runs every query that has judgments through each profile and scores each ranking stage with
 * trec_eval's conventions (METRICS.md): a judged query that is missing from `queries`, or that
 * gets no hit, scores 0 and still counts in the mean.
 */
export async function evaluateFunnel(
  engine: Engine,
  queries: ReadonlyMap<string, string>,
  qrels: Qrels,
  profiles: readonly Profile[],
  options: FunnelEvalOptions = {},
): Promise<ProfileEval[]> {
  const judged = [...queries].filter(([qid]) => qrels.has(qid));
  const out: ProfileEval[] = [];
  for (const profile of profiles) {
    const specs = profile.stages.filter((s) => options.read !== false || s.kind !== 'read');
    const runs: Run[] = specs.map(() => new Map());
    const times: number[][] = specs.map(() => []);
    const work: Record<string, number>[] = specs.map(() => ({}));
    const degraded = specs.map(() => 0);
    const errors: (string | undefined)[] = specs.map(() => undefined);
    const labels: string[] = specs.map((s, i) => `${i + 1}:${s.model}`);
    const totals: number[] = [];
    let done = 0;
    for (const [qid, text] of judged) {
      let at = 0;
      const r = await runFunnel(engine, profile, text, {
        noRead: options.read === false,
        onStage: (_trace, candidates) => {
          runs[at++].set(qid, asRunHits(candidates));
        },
      });
      r.trace.forEach((t, i) => {
        labels[i] = t.stage;
        times[i].push(t.ms);
        if (t.status !== 'ok') {
          degraded[i]++;
          errors[i] ??= t.error ?? t.status;
        }
        for (const [k, v] of Object.entries(t.work)) work[i][k] = (work[i][k] ?? 0) + v;
      });
      totals.push(r.ms);
      options.onQuery?.(++done, judged.length, profile.name);
    }
    const stages: StageEval[] = specs.map((spec, i) => {
      const meanWork: Record<string, number> = {};
      for (const [k, v] of Object.entries(work[i])) meanWork[k] = judged.length ? v / judged.length : 0;
      return {
        stage: labels[i],
        kind: spec.kind,
        model: spec.model,
        keep: spec.keep,
        metrics: spec.kind === 'read' ? undefined : rankingMetrics(runs[i], qrels),
        latencyMs: latencyOf(times[i]),
        work: meanWork,
        degraded: degraded[i],
        ...(errors[i] !== undefined ? { error: errors[i] } : {}),
      };
    });
    out.push({ profile: profile.name, funnel: describeProfile(profile), stages, totalMs: latencyOf(totals) });
  }
  return out;
}

/** trec_eval -c metrics of a run at the funnel's cutoffs. */
export function rankingMetrics(run: Run, qrels: Qrels): RankingMetrics {
  const m = evaluateRun(run, qrels, { ks: STAGE_CUTOFFS });
  return {
    ndcg10: m.ndcg10,
    map: m.map,
    mrr10: m.mrr10,
    recall: m.recall,
    queries: m.numQueries,
    missing: m.missing.length,
  };
}

/** The last ranking stage of a profile's evaluation (what the reader gets). */
export function finalRanking(p: ProfileEval): StageEval {
  const ranked = p.stages.filter((s) => s.metrics !== undefined);
  return ranked[ranked.length - 1];
}
