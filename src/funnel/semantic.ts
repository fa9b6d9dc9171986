/**
 * @module funnel/semantic
 * Semantic features from word vectors (the word-embeddings package): the cosine between the
 * question's vector and each candidate's text and title vectors, each a weighted mean of its words'
 * unit vectors. Rare words weigh more: the vectors are in frequency order, so a word's weight is
 * log(2 + its rank). Words that no vector covers are skipped. Reads the stored text, so it is meant
 * for a narrower stage (about a thousand candidates), not for the whole first-stage list.
 */

import type { Engine } from '../engine.js';
import type { Embeddings } from '../expand/index.js';
import type { CandidateRefs } from '../search/searcher.js';

export const SEMANTIC_FEATURES = ['semantic', 'semantic_title'] as const;

/** Characters of a document's text read for its vector. */
const MAX_CHARS = 4000;
const WORD = /[\p{L}\p{N}]+/gu;

/** Word vectors memoized for one batch of candidates. */
class VectorMemo {
  private readonly memo = new Map<string, { v: Float32Array; w: number } | null>();
  constructor(private readonly emb: Embeddings) {}

  get(word: string): { v: Float32Array; w: number } | null {
    let e = this.memo.get(word);
    if (e === undefined) {
      const v = this.emb.vector(word);
      e = v ? { v, w: Math.log(2 + this.emb.rank(word)) } : null;
      this.memo.set(word, e);
    }
    return e;
  }
}

/** The normalized weighted mean vector of the distinct words of `text`; null when none has a vector. */
function textVector(text: string, memo: VectorMemo, dims: number): Float32Array | null {
  const out = new Float32Array(dims);
  const seen = new Set<string>();
  let any = false;
  for (const m of text.toLowerCase().matchAll(WORD)) {
    const word = m[0];
    if (seen.has(word)) continue;
    seen.add(word);
    const e = memo.get(word);
    if (!e) continue;
    any = true;
    for (let d = 0; d < dims; d++) out[d] += e.w * e.v[d];
  }
  if (!any) return null;
  let norm = 0;
  for (let d = 0; d < dims; d++) norm += out[d] * out[d];
  norm = Math.sqrt(norm) || 1;
  for (let d = 0; d < dims; d++) out[d] /= norm;
  return out;
}

function cosine(a: Float32Array | null, b: Float32Array | null): number {
  if (!a || !b) return 0;
  let s = 0;
  for (let d = 0; d < a.length; d++) s += a[d] * b[d];
  return s;
}

/** Per candidate, [semantic, semantic_title] (row-major). */
export function semanticFeatures(
  engine: Engine,
  candidates: Pick<CandidateRefs, 'shards' | 'seqs' | 'docs'>,
  question: string,
  emb: Embeddings,
): Float64Array {
  const memo = new VectorMemo(emb);
  const dims = emb.dimensions;
  const q = textVector(question, memo, dims);
  const n = candidates.docs.length;
  const out = new Float64Array(n * SEMANTIC_FEATURES.length);
  for (let i = 0; i < n; i++) {
    const doc = engine.documentAt(candidates.shards[i], candidates.seqs[i], candidates.docs[i]);
    if (!doc) continue;
    out[i * 2] = cosine(q, textVector(`${doc.title} ${doc.text.slice(0, MAX_CHARS)}`, memo, dims));
    out[i * 2 + 1] = cosine(q, textVector(doc.title, memo, dims));
  }
  return out;
}
