/**
 * @module search/plan
 * Query + global statistics → a scoring plan (the "Weight"): per clause and field, an idf and a
 * weight; per field, the BM25 norm table. Statistics are summed over every segment of every shard
 * before any shard scores, so a sharded index ranks exactly like an unsharded one.
 */

import type { Segment } from '../index/segment.js';
import { type Bm25Params, idf, normCache, tfCache } from './bm25.js';
import type { Clause, Filter, Query } from './query.js';

export interface FieldWeight {
  field: number;
  idf: number;
  /** Clause boost × field weight. */
  weight: number;
}

export interface PlannedClause {
  clause: Clause;
  fields: FieldWeight[];
  /**
   * BM25F: the clause's weighted, length-normalized term frequencies are summed over its fields
   * before saturation, and scored once with `idf` (the largest field df). Otherwise each field is
   * scored on its own and the scores are summed.
   */
  combine: boolean;
  idf: number;
  /** Bit of this clause in the must mask, 0 if it is not a required clause. */
  mustBit: number;
}

export interface Plan {
  clauses: PlannedClause[];
  filters: Filter[];
  /** Per field, per norm byte: 1 / (k1 * (1 - b + b * len / avg)), for per-field BM25. */
  caches: Float64Array[];
  /** Per field, per norm byte: weight / (1 - b + b * len / avg), for BM25F. */
  tfCaches: Float64Array[];
  k1: number;
  /** All must bits or-ed; a doc must have every one. */
  mustMask: number;
  /** True when at least one clause scores (should or must); otherwise filters alone select. */
  scoring: boolean;
}

/** Collection statistics summed over all given segments (deleted docs included until merged). */
export interface CollectionStats {
  docCount: number;
  sumLength: number[];
  docFreq(field: number, term: string): number;
}

const encoder = new TextEncoder();

/** Document frequencies remembered per set of segments, at most this many (then forgotten). */
const DF_CACHE_MAX = 1 << 18;

interface KeptStats {
  segments: readonly Segment[];
  fieldCount: number;
  stats: CollectionStats;
}

/**
 * Per index (keyed by its first segment), the statistics of the last set of its segments asked for
 * (see {@link collectionStats}), held weakly: segments a merge replaced are not kept alive by it.
 */
const kept = new WeakMap<Segment, WeakRef<KeptStats>>();

/**
 * The statistics of `segments`. Segments are immutable, so the statistics of one set of them never
 * change (deletions count until a merge drops them): the last set's are kept, with the document
 * frequencies looked up so far, and a query's plans, feedback and features share them, as do the
 * next queries until the index changes (or the collector takes them). A query looks up ~1,000
 * terms (twenty feedback terms out of over a hundred candidates, in each field and segment), each
 * a search of a dictionary.
 */
export function collectionStats(segments: readonly Segment[], fieldCount: number): CollectionStats {
  if (segments.length === 0) return newCollectionStats(segments, fieldCount);
  const last = kept.get(segments[0])?.deref();
  if (
    last !== undefined &&
    last.fieldCount === fieldCount &&
    last.segments.length === segments.length &&
    last.segments.every((s, i) => s === segments[i])
  )
    return last.stats;
  const stats = newCollectionStats(segments, fieldCount);
  kept.set(segments[0], new WeakRef({ segments: [...segments], fieldCount, stats }));
  return stats;
}

function newCollectionStats(segments: readonly Segment[], fieldCount: number): CollectionStats {
  let docCount = 0;
  const sumLength = new Array<number>(fieldCount).fill(0);
  for (const s of segments) {
    docCount += s.docCount;
    for (let f = 0; f < fieldCount; f++) sumLength[f] += s.fields[f].sumLength;
  }
  const cache = new Map<string, number>();
  return {
    docCount,
    sumLength,
    docFreq(field, term) {
      const key = `${field}\u0000${term}`;
      let df = cache.get(key);
      if (df === undefined) {
        df = 0;
        const bytes = encoder.encode(term);
        for (const s of segments) {
          const o = s.lookupBytes(field, bytes);
          if (o >= 0) df += s.docFreq(field, o);
        }
        if (cache.size >= DF_CACHE_MAX) cache.clear();
        cache.set(key, df);
      }
      return df;
    },
  };
}

/** BM25 idf of a term over all fields: from its largest document frequency in any field. */
export function termIdf(stats: CollectionStats, fieldCount: number, term: string): number {
  let df = 0;
  for (let f = 0; f < fieldCount; f++) df = Math.max(df, stats.docFreq(f, term));
  return idf(stats.docCount, df);
}

export function makePlan(
  query: Query,
  stats: CollectionStats,
  fields: readonly string[],
  params: Bm25Params,
): Plan {
  const clauses: PlannedClause[] = [];
  let nextBit = 0;
  let mustMask = 0;
  let scoring = false;
  for (const clause of query.clauses) {
    const targets = clause.field === null ? fields.map((_, i) => i) : [fields.indexOf(clause.field)];
    const fw: FieldWeight[] = [];
    const maxDf = new Array<number>(clause.terms.length).fill(0);
    for (const f of targets) {
      if (f < 0) continue;
      const weight = clause.weight * (params.fieldWeights[fields[f]] ?? 1);
      let sum = 0;
      clause.terms.forEach((term, i) => {
        const df = stats.docFreq(f, term);
        maxDf[i] = Math.max(maxDf[i], df);
        sum += idf(stats.docCount, df);
      });
      fw.push({ field: f, idf: sum, weight });
    }
    let clauseIdf = 0;
    for (const df of maxDf) clauseIdf += idf(stats.docCount, df);
    const combine = params.model === 'bm25f' && fw.length > 1;
    let mustBit = 0;
    if (clause.occur === 'must' && nextBit < 31) {
      mustBit = 1 << nextBit++;
      mustMask |= mustBit;
    }
    if (clause.occur !== 'mustNot') scoring = true;
    clauses.push({ clause, fields: fw, mustBit, combine, idf: clauseIdf * clause.weight });
  }
  const avg = (f: number) => (stats.docCount > 0 ? stats.sumLength[f] / stats.docCount : 1);
  const caches = fields.map((_, f) => normCache(params.k1, params.b, avg(f)));
  const tfCaches = fields.map((name, f) => tfCache(params.b, avg(f), params.fieldWeights[name] ?? 1));
  return { clauses, filters: query.filters, caches, tfCaches, k1: params.k1, mustMask, scoring };
}
