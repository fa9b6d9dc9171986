/**
 * @module search/features
 * Ranking features of given candidates for a second stage: per query term and field, the term
 * frequency (read from the postings, so no document is re-analyzed), and from the text positions of
 * the original terms, proximity (the smallest window holding every matched term), ordered
 * adjacent pairs, and the best window (the largest idf share of the query's terms that one
 * {@link WINDOW}-position stretch of the text holds: a sentence that answers the question, wherever
 * it sits in a long passage). One pass over each term's postings per segment; positions are decoded only for
 * candidates.
 */

import { FIELD_NORM_TABLE } from '../index/codec/field-norm.js';
import type { Shard } from '../index/shard.js';
import type { Bm25Params } from './bm25.js';
import { idf, normCache, tfCache } from './bm25.js';
import { type CollectionStats, collectionStats, termIdf } from './plan.js';
import type { CandidatePlaces } from './searcher.js';
import type { ShardThreads } from './shard-threads.js';

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
  'window_idf',
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
/** Width of the best window, in positions: about a clause. */
export const WINDOW = 10;
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

/**
 * Per-candidate working arrays of `computeFeatures`, kept from one call to the next: a stage 2 of
 * 30,000 candidates would allocate ~8 MB of them per question. `take` hands out views of the first
 * `n` (or `n·T`) elements, zeroed where the computation accumulates (a view may cover what another
 * one covered in the last call); `tfRows`, `posStart` and the position pool are written before they
 * are read.
 */
class FeatureScratch {
  private f64 = new Float64Array(0);
  private u32 = new Uint32Array(0);
  private i32 = new Int32Array(0);
  private u8 = new Uint8Array(0);
  pool = new Int32Array(1024);

  take(n: number, F: number, TT: number) {
    const f64 = n * (F + 3);
    if (this.f64.length < f64) this.f64 = new Float64Array(f64);
    if (this.u32.length < 2 * n) this.u32 = new Uint32Array(2 * n);
    if (this.i32.length < n * (1 + 2 * TT)) this.i32 = new Int32Array(n * (1 + 2 * TT));
    if (this.u8.length < n) this.u8 = new Uint8Array(n);
    if (this.pool.length < n * 4) this.pool = new Int32Array(n * 4);
    const values = this.f64.subarray(0, n * F);
    const original = this.f64.subarray(n * F, n * (F + 1));
    const expanded = this.f64.subarray(n * (F + 1), n * (F + 2));
    const tfSum = this.f64.subarray(n * (F + 2), n * (F + 3));
    this.f64.fill(0, 0, f64);
    this.u8.fill(0, 0, n);
    const matched = this.u32.subarray(0, n);
    const inTitle = this.u32.subarray(n, 2 * n);
    this.u32.fill(0, 0, 2 * n);
    const tfRows = this.i32.subarray(0, n);
    const posStart = this.i32.subarray(n, n * (1 + TT));
    const posCount = this.i32.subarray(n * (1 + TT), n * (1 + 2 * TT));
    posCount.fill(0);
    return {
      values,
      original,
      expanded,
      tfSum,
      tfSeen: this.u8.subarray(0, n),
      tfRows,
      matched,
      inTitle,
      posStart,
      posCount,
    };
  }
}

const featureScratch = new FeatureScratch();

/** Collection statistics as plain data, for the feature terms only (what a search thread gets). */
export interface FixedStats {
  docCount: number;
  sumLength: number[];
  /** `${field}\u0000${term}` → document frequency over the whole index. */
  docFreqs: Record<string, number>;
}

/** The statistics `computeFeatures` needs for `terms`, summed over every shard. */
export function fixedStats(
  shards: readonly Pick<Shard, 'segments'>[],
  fieldCount: number,
  terms: readonly FeatureTerm[],
): FixedStats {
  const stats = collectionStats(
    shards.flatMap((s) => s.segments.map((st) => st.segment)),
    fieldCount,
  );
  const docFreqs: Record<string, number> = {};
  for (const t of terms)
    for (let f = 0; f < fieldCount; f++) docFreqs[`${f}\u0000${t.term}`] = stats.docFreq(f, t.term);
  return { docCount: stats.docCount, sumLength: stats.sumLength, docFreqs };
}

function fromFixed(fixed: FixedStats): CollectionStats {
  return {
    docCount: fixed.docCount,
    sumLength: fixed.sumLength,
    docFreq: (field, term) => fixed.docFreqs[`${field}\u0000${term}`] ?? 0,
  };
}

export interface FeatureOptions {
  /** Statistics of the whole index, when the given shards are a part of it. */
  stats?: FixedStats;
  /**
   * The candidates' scores are the first stage's BM25 of a query made of these terms: the
   * expansion terms' part (`bm25_expanded`) is then that score less the original terms' BM25, and
   * the expansion terms' postings (twenty feedback terms, most of the reading) are not read.
   */
  fromScores?: boolean;
  /**
   * Where to write the matrix (at least candidates × features long) instead of a new array, for a
   * caller that reads it before the next call: fresh memory of this size (2.6 MB for 30,000
   * candidates) is slow to touch. Stays on this thread.
   */
  into?: Float64Array;
  /** With `into`: candidate i's row there (default i), when the candidates are a part of its rows. */
  intoRows?: ArrayLike<number>;
}

export function computeFeatures(
  shards: readonly Pick<Shard, 'segments'>[],
  fields: readonly string[],
  params: Bm25Params,
  refs: CandidatePlaces,
  terms: readonly FeatureTerm[],
  options: FeatureOptions = {},
): FeatureMatrix {
  const n = refs.docs.length;
  const F = FEATURES.length;
  const work = { postings: 0, positions: 0 };
  const stats = options.stats
    ? fromFixed(options.stats)
    : collectionStats(
        shards.flatMap((s) => s.segments.map((st) => st.segment)),
        fields.length,
      );
  const titleField = fields.indexOf('title');
  const textField = fields.indexOf('text');
  const avg = (f: number) => (stats.docCount > 0 ? stats.sumLength[f] / stats.docCount : 1);
  const caches = fields.map((_, f) => normCache(params.k1, params.b, avg(f)));
  // A term's whole score as the first stage computes it: BM25F (weighted, normalized tf summed over
  // fields, saturated once, idf of the largest df) or, for the 'sum' model, the per-field sum.
  const bm25f = params.model === 'bm25f';
  const tfCaches = fields.map((name, f) => tfCache(params.b, avg(f), params.fieldWeights[name] ?? 1));
  const invK1 = 1 / params.k1;
  const fromScores = options.fromScores === true;
  const originals = terms.filter((t) => t.original);
  const T = originals.length;
  // Per term, its idf over all fields (the largest field df): BM25F's, and idf coverage's.
  const termIdfs = new Map(terms.map((t) => [t, termIdf(stats, fields.length, t.term)]));
  const originalIdf = originals.map((t) => termIdfs.get(t) ?? 0);
  const idfSum = originalIdf.reduce((a, b) => a + b, 0) || 1;
  // Per candidate: which original terms matched anywhere / in the title (bit masks), and positions.
  // Positions of original term t in candidate i: pool[start[i*T+t] .. +count[i*T+t]], no object per
  // candidate (30,000 candidates × a few terms would be 100,000 small arrays for the collector).
  const TT = Math.min(T, 32);
  // original: the original terms' score; expanded: the expansion terms' score (when read).
  const { values, original, expanded, tfSum, tfSeen, tfRows, matched, inTitle, posStart, posCount } =
    featureScratch.take(n, F, TT);
  let pool = featureScratch.pool;
  let poolUsed = 0;
  const scratch = new Int32Array(MAX_POSITIONS);
  const windowIdx = new Int32Array(32);
  const lastSeen = new Float64Array(32);

  // Candidates in index order (by shard, segment, doc): every per-candidate array below is indexed
  // by this order, so walking a term's postings (in doc order) writes them front to back instead of
  // at random; `at[j]` is the caller's row of the j-th.
  const { at, docAt, groups } = indexOrder(refs);
  for (const g of groups) {
    const state = shards[g.shard].segments.find((s) => s.seq === g.seq);
    if (!state) continue;
    const seg = state.segment;
    rowScratch.ensure(seg.docCount);
    const rowOf = rowScratch.rows;
    for (let j = g.start; j < g.end; j++) rowOf[docAt[j]] = j;
    for (const t of terms) {
      if (fromScores && !t.original) continue;
      const originalIndex = t.original ? originals.indexOf(t) : -1;
      let tfRowCount = 0;
      for (let f = 0; f < fields.length; f++) {
        const ord = seg.lookup(f, t.term);
        if (ord < 0) continue;
        const df = Math.max(1, stats.docFreq(f, t.term));
        const w = idf(stats.docCount, df) * t.weight * (params.fieldWeights[fields[f]] ?? 1);
        const norms = seg.fields[f].norms;
        const cache = caches[f];
        const tfc = tfCaches[f];
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
            if (t.original) values[base + (f === titleField ? 1 : 2)] += s;
            if (bm25f) {
              if (tfSeen[row] === 0) {
                tfSeen[row] = 1;
                tfRows[tfRowCount++] = row;
              }
              tfSum[row] += tf * tfc[norms[doc]];
            } else if (t.original) original[row] += s;
            else expanded[row] += s;
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
                featureScratch.pool = grown;
              }
              for (let p = 0; p < kept; p++) pool[poolUsed + p] = scratch[p];
              posStart[row * TT + originalIndex] = poolUsed;
              posCount[row * TT + originalIndex] = kept;
              poolUsed += kept;
            } else {
              skip += tf;
            }
          }
        }
      }
      if (bm25f && tfRowCount > 0) {
        // BM25F of this term, as plan/score-segment score it.
        const w = (termIdfs.get(t) ?? 0) * t.weight * (params.k1 + 1);
        const into = t.original ? original : expanded;
        for (let r = 0; r < tfRowCount; r++) {
          const row = tfRows[r];
          into[row] += w - w / (1 + tfSum[row] * invK1);
          tfSum[row] = 0;
          tfSeen[row] = 0;
        }
      }
    }
    for (let j = g.start; j < g.end; j++) {
      const doc = docAt[j];
      rowOf[doc] = -1;
      values[j * F + 9] = Math.log1p(FIELD_NORM_TABLE[seg.fields[textField]?.norms[doc] ?? 0]);
    }
  }
  for (let i = 0; i < n; i++) {
    const base = i * F;
    const score = refs.scores[at[i]];
    values[base] = score;
    values[base + 3] = fromScores ? Math.max(0, score - original[i]) : expanded[i];
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
      values[base + 7] = present / smallestWindow(pool, posStart, posCount, i * TT, TT, windowIdx);
      values[base + 8] = orderedPairs(pool, posStart, posCount, i * TT, TT) / (T - 1);
    }
    if (present === 1) {
      // Every window around one of its positions holds what any window can: that term.
      for (let t = 0; t < TT; t++) if (posCount[i * TT + t] > 0) values[base + 10] = originalIdf[t] / idfSum;
    } else if (present >= 2) {
      const best = bestWindow(pool, posStart, posCount, i * TT, TT, originalIdf, windowIdx, lastSeen);
      values[base + 10] = best / idfSum;
    }
  }
  // Back to the caller's row order.
  const out = options.into ?? new Float64Array(n * F);
  const intoRows = options.into ? options.intoRows : undefined;
  for (let j = 0; j < n; j++) {
    const from = j * F;
    const to = (intoRows ? intoRows[at[j]] : at[j]) * F;
    for (let f = 0; f < F; f++) out[to + f] = values[from + f];
  }
  return { names: FEATURES, values: out, work };
}

/**
 * The candidates' rows ordered by (shard, segment, doc), and the runs of one segment in that order.
 * Doc numbers are integers below 2^32, and there are at most 2^21 candidates (`MAX_K` is 10^6).
 */
function indexOrder(refs: CandidatePlaces): {
  at: Int32Array;
  /** Doc number of the j-th candidate in index order (`refs.docs[at[j]]`, read in order). */
  docAt: Uint32Array;
  groups: { shard: number; seq: number; start: number; end: number }[];
} {
  const n = refs.docs.length;
  if (n >= 2 ** 21) throw new RangeError(`features: ${n} candidates, at most ${2 ** 21 - 1}`);
  // The distinct (shard, seq) pairs, found by a scan (an index has a few dozen segments at most).
  const segShard: number[] = [];
  const segSeq: number[] = [];
  const segOf = new Int32Array(n);
  let last = -1;
  for (let i = 0; i < n; i++) {
    const shard = refs.shards[i];
    const seq = refs.seqs[i];
    if (last < 0 || segShard[last] !== shard || segSeq[last] !== seq) {
      last = segShard.findIndex((sh, g) => sh === shard && segSeq[g] === seq);
      if (last < 0) {
        last = segShard.length;
        segShard.push(shard);
        segSeq.push(seq);
      }
    }
    segOf[i] = last;
  }
  const segs = segShard.map((_, g) => g).sort((a, b) => segShard[a] - segShard[b] || segSeq[a] - segSeq[b]);
  // One counting pass puts each segment's candidates together, in that order.
  const begin = new Int32Array(segShard.length + 1);
  for (let i = 0; i < n; i++) begin[segOf[i]]++;
  const groups: { shard: number; seq: number; start: number; end: number }[] = [];
  const place = new Int32Array(segShard.length);
  let start = 0;
  for (const g of segs) {
    groups.push({ shard: segShard[g], seq: segSeq[g], start, end: start + begin[g] });
    place[g] = start;
    start += begin[g];
  }
  const docs = new Uint32Array(n);
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = place[segOf[i]]++;
    docs[j] = refs.docs[i];
    rows[j] = i;
  }
  for (const g of groups) {
    const sorted = rowsByDoc(docs.subarray(g.start, g.end), rows.subarray(g.start, g.end));
    rows.set(sorted.rows, g.start);
    docs.set(sorted.docs, g.start);
  }
  return { at: rows, docAt: docs, groups };
}

/**
 * `rows` ordered by their `docs` (distinct doc numbers of one segment), and the docs in that order:
 * an LSD radix sort on 11-bit
 * digits, as many passes as the largest doc needs (two below 2^22), several times faster than
 * sorting packed doubles natively (~3 ms for 30,000 candidates).
 */
export function rowsByDoc(
  docs: Uint32Array,
  rows: Int32Array,
): { rows: Int32Array<ArrayBufferLike>; docs: Uint32Array<ArrayBufferLike> } {
  const k = docs.length;
  let max = 0;
  for (let i = 0; i < k; i++) if (docs[i] > max) max = docs[i];
  // Copies: the passes swap buffers, and the caller's arrays stay as they are.
  let d: Uint32Array<ArrayBufferLike> = docs.slice();
  let r: Int32Array<ArrayBufferLike> = rows.slice();
  let d2: Uint32Array<ArrayBufferLike> = new Uint32Array(k);
  let r2: Int32Array<ArrayBufferLike> = new Int32Array(k);
  const count = new Int32Array(2048);
  const passes = max < 2 ** 11 ? 1 : max < 2 ** 22 ? 2 : 3;
  for (let shift = 0; shift < 11 * passes; shift += 11) {
    count.fill(0);
    for (let i = 0; i < k; i++) count[(d[i] >>> shift) & 2047]++;
    let sum = 0;
    for (let b = 0; b < 2048; b++) {
      const c = count[b];
      count[b] = sum;
      sum += c;
    }
    for (let i = 0; i < k; i++) {
      const at = count[(d[i] >>> shift) & 2047]++;
      d2[at] = d[i];
      r2[at] = r[i];
    }
    [d, d2] = [d2, d];
    [r, r2] = [r2, r];
  }
  return { rows: r, docs: d };
}

/*
 * One candidate's positions of the original terms: term t's are pool[start[o + t] .. + count[o + t]]
 * (count 0: the term is not in the text). Offsets, not subarrays: 30,000 candidates would make
 * ~100,000 of them per query.
 */

/** Smallest span of positions (last - first + 1) that holds one position of every present term. */
export function smallestWindow(
  pool: Int32Array,
  start: Int32Array,
  count: Int32Array,
  o: number,
  T: number,
  idx: Int32Array,
): number {
  for (let t = 0; t < T; t++) idx[t] = start[o + t];
  let best = Number.POSITIVE_INFINITY;
  for (;;) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let minList = -1;
    for (let t = 0; t < T; t++) {
      if (count[o + t] === 0) continue;
      const v = pool[idx[t]];
      if (v < min) {
        min = v;
        minList = t;
      }
      if (v > max) max = v;
    }
    if (max - min + 1 < best) best = max - min + 1;
    idx[minList]++;
    if (idx[minList] >= start[o + minList] + count[o + minList]) return best;
  }
}

/**
 * The largest sum of `idf[t]` over the distinct terms t with a position inside one stretch of
 * {@link WINDOW} consecutive positions. The positions of every term are merged in order (the
 * smallest head first, as {@link smallestWindow} walks them); at each one, the window ending there
 * holds term t when t's latest position so far is within it.
 */
export function bestWindow(
  pool: Int32Array,
  start: Int32Array,
  count: Int32Array,
  o: number,
  T: number,
  idf: readonly number[],
  idx: Int32Array,
  lastSeen: Float64Array,
): number {
  for (let t = 0; t < T; t++) {
    idx[t] = start[o + t];
    lastSeen[t] = Number.NEGATIVE_INFINITY;
  }
  let best = 0;
  for (;;) {
    let min = Number.POSITIVE_INFINITY;
    let term = -1;
    for (let t = 0; t < T; t++) {
      if (idx[t] >= start[o + t] + count[o + t]) continue;
      const v = pool[idx[t]];
      if (v < min) {
        min = v;
        term = t;
      }
    }
    if (term < 0) return best;
    idx[term]++;
    lastSeen[term] = min;
    let sum = 0;
    for (let t = 0; t < T; t++) if (lastSeen[t] > min - WINDOW) sum += idf[t];
    if (sum > best) best = sum;
  }
}

/** Number of query-term pairs (t, t+1) that occur adjacent and in order at least once. */
export function orderedPairs(
  pool: Int32Array,
  start: Int32Array,
  count: Int32Array,
  o: number,
  T: number,
): number {
  let pairs = 0;
  for (let t = 0; t + 1 < T; t++) {
    if (count[o + t] === 0 || count[o + t + 1] === 0) continue;
    const aEnd = start[o + t] + count[o + t];
    const bEnd = start[o + t + 1] + count[o + t + 1];
    let j = start[o + t + 1];
    for (let i = start[o + t]; i < aEnd; i++) {
      while (j < bEnd && pool[j] <= pool[i]) j++;
      if (j < bEnd && pool[j] - pool[i] <= 2) {
        pairs++;
        break;
      }
    }
  }
  return pairs;
}

/**
 * Features with the candidates of shards besides the first computed on search threads (each over
 * its shard, with the whole index's statistics), the rest here; the same values as one call.
 */
export function computeFeaturesOnThreads(
  threads: ShardThreads,
  shards: readonly Shard[],
  fields: readonly string[],
  params: Bm25Params,
  refs: CandidatePlaces,
  terms: readonly FeatureTerm[],
  options: FeatureOptions = {},
): FeatureMatrix {
  const n = refs.docs.length;
  const F = FEATURES.length;
  const { into, intoRows: _, ...rest } = options;
  const withStats = { ...rest, stats: fixedStats(shards, fields.length, terms) };
  const rowsOf: number[][] = shards.map(() => []);
  for (let i = 0; i < n; i++) rowsOf[refs.shards[i]].push(i);
  const part = (rows: readonly number[]): CandidatePlaces => {
    const m = rows.length;
    const out = {
      scores: new Float64Array(m),
      shards: new Int32Array(m),
      seqs: new Float64Array(m),
      docs: new Float64Array(m),
    };
    for (let j = 0; j < m; j++) {
      const r = rows[j];
      out.scores[j] = refs.scores[r];
      out.seqs[j] = refs.seqs[r];
      out.docs[j] = refs.docs[r];
    }
    return out;
  };
  const jobs = rowsOf.map((rows) => ({ rows, refs: part(rows) }));
  const pending = jobs.map((job, s) =>
    job.rows.length > 0
      ? threads.startFeatures(s, shards[s], { fields, params, refs: job.refs, terms, options: withStats })
      : null,
  );
  const values = into ?? new Float64Array(n * F);
  const work = { postings: 0, positions: 0 };
  const count = (m: FeatureMatrix) => {
    work.postings += m.work.postings;
    work.positions += m.work.positions;
  };
  // Shards scored on this thread (a failed thread's too) write straight into the matrix; the
  // threads' parts are copied in.
  const here = (s: number) =>
    count(
      computeFeatures([shards[s]], fields, params, jobs[s].refs, terms, {
        ...withStats,
        into: values,
        intoRows: jobs[s].rows,
      }),
    );
  jobs.forEach((job, s) => {
    if (!pending[s] && job.rows.length > 0) here(s);
  });
  pending.forEach((p, s) => {
    if (!p) return;
    const m = threads.finishFeatures(p);
    if (!m) {
      // The job's columns went to the failed thread: make them again.
      jobs[s].refs = part(jobs[s].rows);
      here(s);
      return;
    }
    const rows = jobs[s].rows;
    for (let j = 0; j < rows.length; j++)
      for (let f = 0; f < F; f++) values[rows[j] * F + f] = m.values[j * F + f];
    count(m);
  });
  return { names: FEATURES, values, work };
}
