/**
 * @module expand/top-k
 * The k best (score, id) pairs of a stream, in a binary min-heap over typed arrays: O(n log k),
 * and a candidate that cannot enter costs one comparison. Higher scores win; on equal scores the
 * smaller id wins, so results do not depend on the order candidates arrive in.
 */

export class TopK {
  private readonly scores: Float64Array;
  private readonly ids: Int32Array;
  private size = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(Math.max(0, k));
    this.ids = new Int32Array(Math.max(0, k));
  }

  /** The score a candidate must beat to enter (-Infinity while there is room). */
  get threshold(): number {
    return this.size < this.k ? Number.NEGATIVE_INFINITY : this.scores[0];
  }

  /** Offers a candidate. */
  offer(score: number, id: number): void {
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(score, id, this.scores[parent], this.ids[parent])) break;
        this.scores[i] = this.scores[parent];
        this.ids[i] = this.ids[parent];
        i = parent;
      }
      this.scores[i] = score;
      this.ids[i] = id;
    } else if (this.k > 0 && this.worse(this.scores[0], this.ids[0], score, id)) {
      this.siftDown(score, id);
    }
  }

  /** The kept pairs, best first. */
  sorted(): { score: number; id: number }[] {
    const out: { score: number; id: number }[] = [];
    for (let i = 0; i < this.size; i++) out.push({ score: this.scores[i], id: this.ids[i] });
    return out.sort((a, b) => b.score - a.score || a.id - b.id);
  }

  private worse(sa: number, ia: number, sb: number, ib: number): boolean {
    return sa < sb || (sa === sb && ia > ib);
  }

  /** Replaces the root with (score, id) and restores the heap. */
  private siftDown(score: number, id: number): void {
    const n = this.size;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (
        child + 1 < n &&
        this.worse(this.scores[child + 1], this.ids[child + 1], this.scores[child], this.ids[child])
      ) {
        child++;
      }
      if (!this.worse(this.scores[child], this.ids[child], score, id)) break;
      this.scores[i] = this.scores[child];
      this.ids[i] = this.ids[child];
      i = child;
    }
    this.scores[i] = score;
    this.ids[i] = id;
  }
}
