/**
 * @module search/top-k
 * Keeps the k best (score, ref) pairs of a stream, as tantivy's TopNComputer: candidates go into a
 * buffer of 2k; when it is full, a quickselect finds the k-th best score, the buffer is cut back
 * to the k best and that score becomes the threshold, below which later candidates are dropped at
 * once. O(n) for n candidates whatever k is, which matters for stage 1's k = 30,000.
 *
 * Ties on score are broken by a numeric key, smaller first (the searcher passes a 52-bit hash of
 * the external id, `index/id-key`), and equal keys by a caller-given string (the id itself), so
 * results are deterministic and identical however documents are spread over shards and segments.
 * Numbers, not strings, decide nearly every tie: deep in a 30,000-wide list most scores are tied.
 */

import { compareCodeUnits } from '../strings.js';
import { rankOrder } from './rank-order.js';
import { selectDescending } from './select.js';

/** The four buffers of a TopK. */
interface Buffers {
  scores: Float64Array;
  refs: Float64Array;
  keys: Float64Array;
  scratch: Float64Array;
}

/**
 * Buffers of drained TopKs, for the next ones: a stage-1 search makes a TopK of k = 30,000 per
 * shard and pass (four arrays of 60,000 doubles, 1.9 MB), and fresh memory costs its zeroing and
 * its collection. Searches are synchronous, so a few sets serve every TopK alive at once.
 */
const spare: Buffers[] = [];
const SPARE_SETS = 4;

function takeBuffers(cap: number): Buffers {
  for (let i = spare.length - 1; i >= 0; i--) {
    if (spare[i].scores.length === cap) return spare.splice(i, 1)[0];
  }
  return {
    scores: new Float64Array(cap),
    refs: new Float64Array(cap),
    keys: new Float64Array(cap),
    scratch: new Float64Array(cap),
  };
}

export class TopK {
  readonly k: number;
  private scores: Float64Array;
  private refs: Float64Array;
  private keys: Float64Array;
  private size = 0;
  private bar = Number.NEGATIVE_INFINITY;
  /** At a score equal to the bar, keys above this cannot make the top k either. */
  private barKey = Number.POSITIVE_INFINITY;
  private readonly tieName: (ref: number) => string;
  private scratch: Float64Array;

  constructor(k: number, tieName: (ref: number) => string) {
    this.k = Math.max(0, k);
    const b = takeBuffers(Math.max(64, 2 * this.k));
    this.scores = b.scores;
    this.refs = b.refs;
    this.keys = b.keys;
    this.scratch = b.scratch;
    this.tieName = tieName;
  }

  /** Candidates scoring below this cannot make the top k (read it to skip work for them). */
  get threshold(): number {
    return this.bar;
  }

  /** Offers a candidate; `key` breaks score ties (smaller first). */
  offer(score: number, ref: number, key: number): void {
    if (
      score < this.bar ||
      (score === this.bar && key > this.barKey) ||
      this.k === 0 ||
      this.scores.length === 0
    )
      return;
    if (this.size === this.scores.length) this.truncate();
    this.scores[this.size] = score;
    this.keys[this.size] = key;
    this.refs[this.size++] = ref;
  }

  /** The kept triples, best first (score descending, then key ascending), as parallel arrays. */
  drain(): { scores: Float64Array; refs: Float64Array; keys: Float64Array } {
    if (this.size > this.k) this.truncate();
    const { scores, refs, keys } = this;
    const n = Math.min(this.size, this.k);
    // One allocation for the three columns: fresh arrays of this size are slow to get.
    const all = new Float64Array(3 * n);
    const out = { scores: all.subarray(0, n), refs: all.subarray(n, 2 * n), keys: all.subarray(2 * n) };
    const order = rankOrder(scores, keys, n);
    this.nameTies(order, scores, keys, refs);
    for (let i = 0; i < n; i++) {
      const o = order[i];
      out.scores[i] = scores[o];
      out.refs[i] = refs[o];
      out.keys[i] = keys[o];
    }
    this.release();
    return out;
  }

  /** Hands the buffers to the next TopK: a drained TopK holds nothing and takes no more candidates. */
  private release(): void {
    if (this.scores.length > 0 && spare.length < SPARE_SETS)
      spare.push({ scores: this.scores, refs: this.refs, keys: this.keys, scratch: this.scratch });
    const empty = new Float64Array(0);
    this.scores = empty;
    this.refs = empty;
    this.keys = empty;
    this.scratch = empty;
    this.size = 0;
    this.bar = Number.POSITIVE_INFINITY;
  }

  /**
   * Orders by name each run of rows of `order` with equal score and key (a hash collision, so
   * rare). Arrays are indexed by row.
   */
  private nameTies(
    order: Int32Array,
    scores: ArrayLike<number>,
    keys: ArrayLike<number>,
    refs: ArrayLike<number>,
  ): void {
    const same = (i: number) =>
      scores[order[i]] === scores[order[i - 1]] && keys[order[i]] === keys[order[i - 1]];
    for (let i = 1; i < order.length; ) {
      if (!same(i)) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < order.length && same(j)) j++;
      const run = Array.from(order.subarray(i - 1, j)).sort((a, b) =>
        compareCodeUnits(this.tieName(refs[a]), this.tieName(refs[b])),
      );
      order.set(run, i - 1);
      i = j;
    }
  }

  /**
   * Cuts the buffer back to the k best and raises the bar to the k-th best (score, key). Runs of
   * equal scores are long in a wide list (BM25 of one term takes one value per length byte), so the
   * boundary's ties are settled by a second selection on their keys, in the scratch array, and only
   * rows sharing the boundary key (a hash collision, or one id in two segments) are named.
   */
  private truncate(): void {
    const n = this.size;
    const k = this.k;
    if (n <= k) return;
    const s = this.scratch;
    s.set(this.scores.subarray(0, n));
    const kth = selectDescending(s, n, k - 1);
    const { scores, refs, keys } = this;
    let above = 0;
    let ties = 0;
    // Branch-free passes: whether a row stays is a coin toss here.
    for (let i = 0; i < n; i++) {
      const score = scores[i];
      above += (score > kth) as unknown as number;
      s[ties] = -keys[i];
      ties += (score === kth) as unknown as number;
    }
    // The need-th smallest key among the ties: the largest of the negated keys' need best.
    const need = k - above;
    const keyth = -selectDescending(s, ties, need - 1);
    let w = 0;
    const boundary: number[] = [];
    for (let i = 0; i < n; i++) {
      const score = scores[i];
      const key = keys[i];
      const ref = refs[i];
      scores[w] = score;
      keys[w] = key;
      refs[w] = ref;
      w += ((score > kth) as unknown as number) | ((score === kth && key < keyth) as unknown as number);
      if (score === kth && key === keyth) boundary.push(ref);
    }
    if (boundary.length > k - w) boundary.sort((a, b) => compareCodeUnits(this.tieName(a), this.tieName(b)));
    for (let i = 0; w < k; i++) {
      scores[w] = kth;
      keys[w] = keyth;
      refs[w++] = boundary[i];
    }
    this.size = w;
    this.bar = kth;
    this.barKey = keyth;
  }
}
