/**
 * @module eval/collection-eval
 * One judged BEIR collection, or every one under a folder, through the funnel: indexes the
 * collection once into a cache folder (reused while its corpus file is unchanged), then evaluates
 * each profile per stage (eval/funnel-eval). The mean over collections is taken per profile and stage.
 */

import * as path from 'node:path';
import type { Profile } from '../funnel/profile.js';
import { collectionIndex } from '../funnel/train-data.js';
import { readQrels, readQueries } from './beir.js';
import { checkCollection } from './collections.js';
import { evaluateFunnel, type FunnelEvalOptions, type ProfileEval, STAGE_CUTOFFS } from './funnel-eval.js';

export interface CollectionEval {
  name: string;
  dir: string;
  docs: number;
  /** Judged queries (the denominator of every mean). */
  queries: number;
  profiles: ProfileEval[];
}

export interface CollectionEvalOptions extends FunnelEvalOptions {
  /** Where collection indexes are cached, one folder per collection name. */
  indexDir: string;
}

/** Evaluates `profiles` on the collection in `dir` (checked first: a missing file is named). */
export async function evaluateCollection(
  dir: string,
  profiles: readonly Profile[],
  options: CollectionEvalOptions,
): Promise<CollectionEval> {
  checkCollection(dir);
  const queries = await readQueries(dir);
  const qrels = await readQrels(dir);
  const engine = await collectionIndex(dir, options.indexDir);
  try {
    const results = await evaluateFunnel(engine, queries, qrels, profiles, options);
    return {
      name: path.basename(path.resolve(dir)),
      dir,
      docs: engine.stats().docs,
      queries: qrels.size,
      profiles: results,
    };
  } finally {
    await engine.close();
  }
}

/**
 * The mean over collections, per profile and stage (each collection weighs the same, as in BEIR
 * tables); latencies are the means of the collections' percentiles. Every collection must have
 * been evaluated with the same profiles.
 */
export function meanOverCollections(results: readonly CollectionEval[]): CollectionEval {
  const first = results[0];
  const n = results.length;
  const avg = (pick: (c: CollectionEval) => number) => results.reduce((s, c) => s + pick(c), 0) / n;
  const profiles: ProfileEval[] = first.profiles.map((p, pi) => ({
    profile: p.profile,
    funnel: p.funnel,
    totalMs: {
      p50: avg((c) => c.profiles[pi].totalMs.p50),
      p95: avg((c) => c.profiles[pi].totalMs.p95),
      mean: avg((c) => c.profiles[pi].totalMs.mean),
    },
    stages: p.stages.map((s, si) => {
      const at = (c: CollectionEval) => c.profiles[pi].stages[si];
      const recall: Record<number, number> = {};
      for (const k of STAGE_CUTOFFS) recall[k] = avg((c) => at(c).metrics?.recall[k] ?? 0);
      return {
        ...s,
        metrics: s.metrics && {
          ndcg10: avg((c) => at(c).metrics?.ndcg10 ?? 0),
          map: avg((c) => at(c).metrics?.map ?? 0),
          mrr10: avg((c) => at(c).metrics?.mrr10 ?? 0),
          recall,
          queries: results.reduce((sum, c) => sum + (at(c).metrics?.queries ?? 0), 0),
          missing: results.reduce((sum, c) => sum + (at(c).metrics?.missing ?? 0), 0),
        },
        latencyMs: {
          p50: avg((c) => at(c).latencyMs.p50),
          p95: avg((c) => at(c).latencyMs.p95),
          mean: avg((c) => at(c).latencyMs.mean),
        },
        work: {},
        degraded: results.reduce((sum, c) => sum + at(c).degraded, 0),
      };
    }),
  }));
  return {
    name: `mean of ${n}`,
    dir: '',
    docs: results.reduce((s, c) => s + c.docs, 0),
    queries: results.reduce((s, c) => s + c.queries, 0),
    profiles,
  };
}
