/**
 * @module search/features
 * Ranking features of given candidates for a second stage: per query term and field, the term
 * frequency (read from the postings, so no document is re-analyzed), and from the text positions of
 * the original terms, proximity (the smallest window holding every matched term) and ordered
 * adjacent pairs. One pass over each term's postings per segment; positions are decoded only for
 * candidates.
 */

import { FIELD_NORM_TABLE } from '../index/codec/field-norm.js';
import type { Shard } from '../index/shard.js';
import type { Bm25Params } from './bm25.js';
import { idf, normCache } from './bm25.js';
import { collectionStats, termIdf } from './plan.js';
import type { CandidateRefs } from './searcher.js';

/** A query term for features: analyzed, with its weight; expansion terms are not `original`. */
export interface FeatureTerm {
  term: string;
  weight: number;
  original: boolean;
}

/** Feature names, in column order. */
export const FEATURES = [
  'bm25',
  'bm25_title',
  'bm25_text',
  'bm25_expanded',
  'coverage',
  'idf_coverage',
  'title_coverage',
  'proximity',
  'pairs',
  'log_length',
] as const;
export type FeatureName = (typeof FEATURES)[number];

export interface FeatureMatrix {
  names: readonly FeatureName[];
  /** Row-major: candidate i, feature j at values[i * names.length + j]. */
  values: Float64Array;
  /** Postings read and positions decoded: the work done. */
  work: { postings: number; positions: number };
}

const MAX_POSITIONS = 64;
const CHUNK = 4096;

/** Doc → candidate row (-1 for none) and decode buffers, reused from one call to the next. */
class RowScratch {
  rows = new Int32Array(0);
  readonly docs = new Int32Array(CHUNK);
  readonly freqs = new Int32Array(CHUNK);

  ensure(docCount: number): void {
    if (this.rows.length < docCount) {
      this.rows = new Int32Array(Math.max(docCount, this.rows.length * 2));
      this.rows.fill(-1);
    }
  }
}

const rowScratch = new RowScratch();

export function computeFeatures(
  shards: readonly Shard[],
  fields: readonly string[],
  params: Bm25Params,
  refs: CandidateRefs,
  terms: readonly FeatureTerm[],
): FeatureMatrix {
  const n = refs.ids.length;
  const F = FEATURES.length;
  const values = new Float64Array(n * F);
  const work = { postings: 0, positions: 0 };
  const segments = shards.flatMap((s) => s.segments.map((st) => st.segment));
  const stats = collectionStats(segments, fields.length);
  const titleField = fields.indexOf('title');
  const textField = fields.indexOf('text');
  const avg = (f: number) => (stats.docCount > 0 ? stats.sumLength[f] / stats.docCount : 1);
  const caches = fields.map((_, f) => normCache(params.k1, params.b, avg(f)));
  const originals = terms.filter((t) => t.original);
  const T = originals.length;
  // Per original term, its idf (largest field df), for idf coverage.
  const originalIdf = originals.map((t) => termIdf(stats, fields.length, t.term));
  const idfSum = originalIdf.reduce((a, b) => a + b, 0) || 1;
  // Per candidate: which original terms matched anywhere / in the title (bit masks), and positions.
  const matched = new Uint32Array(n);
  const inTitle = new Uint32Array(n);
  // Positions of original term t in candidate i: pool[start[i*T+t] .. +count[i*T+t]], no object per
  // candidate (30,000 candidates × a few terms would be 100,000 small arrays for the collector).
  const TT = Math.min(T, 32);
  const posStart = new Int32Array(n * TT);
  const posCount = new Int32Array(n * TT);
  let pool = new Int32Array(Math.max(1024, n * 4));
  let poolUsed = 0;
  const scratch = new Int32Array(MAX_POSITIONS);

  // Group candidates by segment.
  const bySegment = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = `${refs.shards[i]}:${refs.seqs[i]}`;
    const list = bySegment.get(key);
    if (list) list.push(i);
    else bySegment.set(key, [i]);
  }
  for (const [key, rows] of bySegment) {
    const [shardNo, seq] = key.split(':').map(Number);
    const state = shards[shardNo].segments.find((s) => s.seq === seq);
    if (!state) continue;
    const seg = state.segment;
    rowScratch.ensure(seg.docCount);
    const rowOf = rowScratch.rows;
    for (const r of rows) rowOf[refs.docs[r]] = r;
    for (const t of terms) {
      const originalIndex = t.original ? originals.indexOf(t) : -1;
      for (let f = 0; f < fields.length; f++) {
        const ord = seg.lookup(f, t.term);
        if (ord < 0) continue;
        const df = Math.max(1, stats.docFreq(f, t.term));
        const w = idf(stats.docCount, df) * t.weight * (params.fieldWeights[fields[f]] ?? 1);
        const norms = seg.fields[f].norms;
        const cache = caches[f];
        const wantPositions = f === textField && T > 1 && originalIndex >= 0 && originalIndex < 32;
        const reader = wantPositions ? seg.positionsReader(f, ord) : null;
        let skip = 0;
        const decode = seg.startDecode(f, ord);
        for (;;) {
          const count = seg.decodeChunk(f, decode, rowScratch.docs, rowScratch.freqs, CHUNK);
          if (count === 0) break;
          work.postings += count;
          const docs = rowScratch.docs;
          const freqs = rowScratch.freqs;
          for (let k = 0; k < count; k++) {
            const doc = docs[k];
            const row = rowOf[doc];
            if (row < 0) {
              skip += freqs[k];
              continue;
            }
            const tf = freqs[k];
            const s = w * (params.k1 + 1) - (w * (params.k1 + 1)) / (1 + tf * cache[norms[doc]]);
            const base = row * F;
            if (!t.original) values[base + 3] += s;
            else if (f === titleField) values[base + 1] += s;
            else values[base + 2] += s;
            if (originalIndex >= 0 && originalIndex < 32) {
              matched[row] |= 1 << originalIndex;
              if (f === titleField) inTitle[row] |= 1 << originalIndex;
            }
            if (reader) {
              reader.skip(skip);
              skip = 0;
              const kept = reader.read(tf, scratch);
              work.positions += kept;
              if (poolUsed + kept > pool.length) {
                const grown = new Int32Array(pool.length * 2 + kept);
                grown.set(pool.subarray(0, poolUsed));
                pool = grown;
              }
              pool.set(scratch.subarray(0, kept), poolUsed);
              posStart[row * TT + originalIndex] = poolUsed;
              posCount[row * TT + originalIndex] = kept;
              poolUsed += kept;
            } else {
              skip += tf;
            }
          }
        }
      }
    }
    for (const r of rows) rowOf[refs.docs[r]] = -1;
    for (const r of rows) {
      const norm = seg.fields[textField]?.norms[refs.docs[r]] ?? 0;
      values[r * F + 9] = Math.log1p(FIELD_NORM_TABLE[norm]);
    }
  }
  for (let i = 0; i < n; i++) {
    const base = i * F;
    values[base] = refs.scores[i];
    let count = 0;
    let idfHit = 0;
    let titleCount = 0;
    for (let t = 0; t < T && t < 32; t++) {
      if (matched[i] & (1 << t)) {
        count++;
        idfHit += originalIdf[t];
      }
      if (inTitle[i] & (1 << t)) titleCount++;
    }
    values[base + 4] = T > 0 ? count / T : 0;
    values[base + 5] = idfHit / idfSum;
    values[base + 6] = T > 0 ? titleCount / T : 0;
    let present = 0;
    for (let t = 0; t < TT; t++) if (posCount[i * TT + t] > 0) present++;
    if (present >= 2) {
      const lists = new Array<Int32Array | undefined>(TT);
      for (let t = 0; t < TT; t++) {
        const c = posCount[i * TT + t];
        if (c > 0) lists[t] = pool.subarray(posStart[i * TT + t], posStart[i * TT + t] + c);
      }
      values[base + 7] = present / smallestWindow(lists.filter((l) => l !== undefined));
      values[base + 8] = orderedPairs(lists) / (T - 1);
    }
  }
  return { names: FEATURES, values, work };
}

/** Smallest span of positions (last - first + 1) that holds one position from every list. */
export function smallestWindow(lists: readonly Int32Array[]): number {
  const k = lists.length;
  const idx = new Int32Array(k);
  let best = Number.POSITIVE_INFINITY;
  for (;;) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let minList = -1;
    for (let i = 0; i < k; i++) {
      const v = lists[i][idx[i]];
      if (v < min) {
        min = v;
        minList = i;
      }
      if (v > max) max = v;
    }
    if (max - min + 1 < best) best = max - min + 1;
    idx[minList]++;
    if (idx[minList] >= lists[minList].length) return best;
  }
}

/** Number of query-term pairs (t, t+1) that occur adjacent and in order at least once. */
export function orderedPairs(lists: readonly (Int32Array | undefined)[]): number {
  let pairs = 0;
  for (let t = 0; t + 1 < lists.length; t++) {
    const a = lists[t];
    const b = lists[t + 1];
    if (!a || !b) continue;
    let j = 0;
    for (let i = 0; i < a.length; i++) {
      while (j < b.length && b[j] <= a[i]) j++;
      if (j < b.length && b[j] - a[i] <= 2) {
        pairs++;
        break;
      }
    }
  }
  return pairs;
}
