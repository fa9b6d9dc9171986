/**
 * @module search/top-k
 * A bounded min-heap in typed arrays that keeps the k best (score, ref) pairs. Ties on score are
 * broken by a caller-given key (the external id), smaller first, so results are deterministic and
 * identical however documents are spread over shards and segments.
 */

export class TopK {
  readonly k: number;
  private readonly scores: Float64Array;
  private readonly refs: Float64Array;
  size = 0;
  /** Number of candidates offered. */
  offered = 0;
  private readonly tieKey: (ref: number) => string;

  constructor(k: number, tieKey: (ref: number) => string) {
    this.k = Math.max(0, k);
    this.scores = new Float64Array(this.k);
    this.refs = new Float64Array(this.k);
    this.tieKey = tieKey;
  }

  /** Smallest kept score once full, else -Infinity: a candidate must beat (or tie) it. */
  get threshold(): number {
    return this.size < this.k ? Number.NEGATIVE_INFINITY : this.scores[0];
  }

  offer(score: number, ref: number): void {
    this.offered++;
    if (this.k === 0) return;
    if (this.size < this.k) {
      let i = this.size++;
      this.scores[i] = score;
      this.refs[i] = ref;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    const top = this.scores[0];
    if (score < top) return;
    if (score === top && this.tieKey(ref) > this.tieKey(this.refs[0])) return;
    this.scores[0] = score;
    this.refs[0] = ref;
    this.siftDown(0);
  }

  /** The kept pairs, best first (score descending, then key ascending). Empties the heap. */
  drain(): { score: number; ref: number }[] {
    // Pop the min-heap from the back: each pop yields the worst remaining entry.
    const n = this.size;
    const out: { score: number; ref: number }[] = new Array(n);
    for (let i = n - 1; i >= 0; i--) {
      out[i] = { score: this.scores[0], ref: this.refs[0] };
      this.size--;
      if (this.size > 0) {
        this.scores[0] = this.scores[this.size];
        this.refs[0] = this.refs[this.size];
        this.siftDown(0);
      }
    }
    return out;
  }

  /** True when entry i ranks below entry j (lower score, or equal score and larger key). */
  private worse(i: number, j: number): boolean {
    const a = this.scores[i];
    const b = this.scores[j];
    if (a !== b) return a < b;
    return this.tieKey(this.refs[i]) > this.tieKey(this.refs[j]);
  }

  private siftDown(i: number): void {
    const n = this.size;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const m = r < n && this.worse(r, l) ? r : l;
      if (!this.worse(m, i)) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(i: number, j: number): void {
    const s = this.scores[i];
    this.scores[i] = this.scores[j];
    this.scores[j] = s;
    const r = this.refs[i];
    this.refs[i] = this.refs[j];
    this.refs[j] = r;
  }
}
