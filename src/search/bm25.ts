/**
 * @module search/bm25
 * BM25 (Robertson and Zaragoza; Lucene's variant). Per query and field, one Float64Array(256) holds
 * 1 / (k1 * (1 - b + b * length / avgLength)) for each one-byte norm, so scoring a posting is one
 * lookup. With w = boost * idf * (k1 + 1):
 *
 *   score = w * tf / (tf + K)  =  w - w / (1 + tf * cache[norm])       (K = 1 / cache[norm])
 *   idf   = ln(1 + (N - df + 0.5) / (df + 0.5))        never negative, unlike the original
 *
 * The second form is Lucene's rewrite: it stays monotone in tf under float rounding (and k1 = 0).
 *
 * Each field is scored with its own statistics and the per-field scores are summed with weights.
 */

import { InvalidArgumentError } from '../errors.js';
import { FIELD_NORM_TABLE } from '../index/codec/field-norm.js';

export interface Bm25Params {
  /** Term-frequency saturation, >= 0. */
  k1: number;
  /** Length normalization, in [0, 1]. */
  b: number;
  /** Weight of each searchable field. */
  fieldWeights: Record<string, number>;
  /**
   * 'bm25f' (default): a term's weighted, length-normalized frequencies are summed over fields, then
   * saturated once (Robertson, Zaragoza and Taylor 2004). 'sum': each field is scored by BM25 on its
   * own and the scores are summed (Lucene's multi-field OR).
   */
  model: 'bm25f' | 'sum';
}

/** Chosen by measuring on ../shared/data: see docs/RANKING.md for the grid and the per-collection numbers. */
export const DEFAULT_BM25: Bm25Params = {
  k1: 1.6,
  b: 0.75,
  fieldWeights: { title: 3, text: 1 },
  model: 'bm25f',
};

export function validateBm25(p: Bm25Params): Bm25Params {
  if (!Number.isFinite(p.k1) || p.k1 < 0) {
    throw new InvalidArgumentError(`bm25: illegal k1=${p.k1}, must be a finite number >= 0`);
  }
  if (!Number.isFinite(p.b) || p.b < 0 || p.b > 1) {
    throw new InvalidArgumentError(`bm25: illegal b=${p.b}, must be in [0, 1]`);
  }
  if (p.model !== 'bm25f' && p.model !== 'sum') {
    throw new InvalidArgumentError(
      `bm25: illegal model=${JSON.stringify(p.model)}, must be "bm25f" or "sum"`,
    );
  }
  for (const [f, w] of Object.entries(p.fieldWeights)) {
    if (!Number.isFinite(w) || w < 0)
      throw new InvalidArgumentError(`bm25: illegal weight ${f}=${w}, must be >= 0`);
  }
  return p;
}

export function idf(docCount: number, docFreq: number): number {
  return Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));
}

/** The per-norm table for one field: 1 / (k1 * (1 - b + b * length / avgLength)). */
export function normCache(k1: number, b: number, avgLength: number): Float64Array {
  const cache = new Float64Array(256);
  const avg = avgLength > 0 ? avgLength : 1;
  for (let n = 0; n < 256; n++) cache[n] = 1 / (k1 * (1 - b + (b * FIELD_NORM_TABLE[n]) / avg));
  return cache;
}

/** The per-norm table for BM25F: weight / (1 - b + b * length / avgLength). */
export function tfCache(b: number, avgLength: number, weight: number): Float64Array {
  const cache = new Float64Array(256);
  const avg = avgLength > 0 ? avgLength : 1;
  for (let n = 0; n < 256; n++) cache[n] = weight / (1 - b + (b * FIELD_NORM_TABLE[n]) / avg);
  return cache;
}

/** The BM25 contribution of one (term, doc) pair, exactly as the scorer computes it. */
export function bm25Score(
  tf: number,
  normByte: number,
  termIdf: number,
  k1: number,
  cache: Float64Array,
): number {
  const w = termIdf * (k1 + 1);
  return w - w / (1 + tf * cache[normByte]);
}
