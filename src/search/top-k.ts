/**
 * @module search/top-k
 * Keeps the k best (score, ref) pairs of a stream, as tantivy's TopNComputer: candidates go into a
 * buffer of 2k; when it is full, a quickselect finds the k-th best score, the buffer is cut back
 * to the k best and that score becomes the threshold, below which later candidates are dropped at
 * once. O(n) for n candidates whatever k is, which matters for stage 1's k = 30,000. Ties on score
 * are broken by a caller-given key (the external id), smaller first, so results are deterministic
 * and identical however documents are spread over shards and segments.
 */

export class TopK {
  readonly k: number;
  private scores: Float64Array;
  private refs: Float64Array;
  private size = 0;
  /** Candidates scoring below this cannot make the top k. */
  private threshold = Number.NEGATIVE_INFINITY;
  private readonly tieKey: (ref: number) => string;
  private readonly scratch: Float64Array;

  constructor(k: number, tieKey: (ref: number) => string) {
    this.k = Math.max(0, k);
    const cap = Math.max(64, 2 * this.k);
    this.scores = new Float64Array(cap);
    this.refs = new Float64Array(cap);
    this.scratch = new Float64Array(cap);
    this.tieKey = tieKey;
  }

  offer(score: number, ref: number): void {
    if (score < this.threshold || this.k === 0) return;
    if (this.size === this.scores.length) this.truncate();
    this.scores[this.size] = score;
    this.refs[this.size++] = ref;
  }

  /** The kept pairs, best first (score descending, then key ascending), as two parallel arrays. */
  drain(): { scores: Float64Array; refs: Float64Array } {
    if (this.size > this.k) this.truncate();
    const { scores, refs } = this;
    const n = this.size;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // Numbers only first; keys are looked up for runs of equal scores alone.
    order.sort((a, b) => scores[b] - scores[a]);
    for (let i = 0; i < n; ) {
      let j = i + 1;
      while (j < n && scores[order[j]] === scores[order[i]]) j++;
      if (j - i > 1) {
        const run = this.byKey(Array.from(order.subarray(i, j)), (o) => refs[o]);
        for (let r = 0; r < run.length; r++) order[i + r] = run[r];
      }
      i = j;
    }
    const m = Math.min(n, this.k);
    const outScores = new Float64Array(m);
    const outRefs = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      outScores[i] = scores[order[i]];
      outRefs[i] = refs[order[i]];
    }
    return { scores: outScores, refs: outRefs };
  }

  /** Sorts items by the key of their ref, each key looked up once. */
  private byKey(items: number[], refOf: (item: number) => number): number[] {
    const keyed = items.map((item) => ({ item, key: this.tieKey(refOf(item)) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return keyed.map((x) => x.item);
  }

  /** Cuts the buffer back to the k best and raises the threshold to the k-th best score. */
  private truncate(): void {
    const n = this.size;
    const k = this.k;
    if (n <= k) return;
    const s = this.scratch;
    s.set(this.scores.subarray(0, n));
    const kth = selectDescending(s, n, k - 1);
    const { scores, refs } = this;
    let w = 0;
    const ties: number[] = [];
    for (let i = 0; i < n; i++) {
      if (scores[i] > kth) {
        scores[w] = scores[i];
        refs[w++] = refs[i];
      } else if (scores[i] === kth) ties.push(refs[i]);
    }
    // Among equal scores at the boundary, keep the smallest keys.
    const need = k - w;
    const kept = ties.length > need ? this.byKey(ties, (ref) => ref) : ties;
    for (let i = 0; i < need && i < kept.length; i++) {
      scores[w] = kth;
      refs[w++] = kept[i];
    }
    this.size = w;
    this.threshold = kth;
  }
}

/** The value that would be at index `nth` if `a[0..n)` were sorted descending (reorders `a`). */
function selectDescending(a: Float64Array, n: number, nth: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (nth <= j) hi = j;
    else if (nth >= i) lo = i;
    else return a[nth];
  }
  return a[nth];
}
