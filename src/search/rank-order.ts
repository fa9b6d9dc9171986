/**
 * @module search/rank-order
 * Row order by (score descending, key ascending) for tens of thousands of rows. The score is made
 * an order-preserving 64-bit word; an LSD radix sort on 11-bit digits of its high half (sign,
 * exponent and 20 bits of mantissa) orders the rows, stably; each run of one high half is then
 * ordered by the low half and key. Such a run is nearly always a run of one score (BM25 scores
 * repeat, so a 30,000-row list has over a thousand runs), ordered by key: insertion for short runs,
 * one native sort of packed doubles for longer ones. Scores closer than 2^-20 of their size and not
 * equal are rare enough for a comparator sort. Digits that are the same in every row (the high bits
 * of most scores) cost one counting pass and no move, and 2,048 counters stay in cache. Sorting on
 * the high half only takes half the passes of the whole word (1.2 → 0.5 ms for 30,000 rows).
 * Working arrays are kept between calls.
 */

const BITS = 11;
const DIGITS = 1 << BITS;
/** Below this many rows a comparator sort is cheaper than the radix passes. */
const RADIX_MIN = 2048;

/**
 * Working arrays kept from one call to the next and grown on demand: a search ranks 30,000 rows
 * several times per query, and fresh arrays of that size cost more than the sort (each is a new
 * allocation outside the heap, and enough of them set off garbage collections).
 */
const work = {
  size: 0,
  /** 0-1 score halves, 2-3 a radix pass's source and target high halves; `f64` packed keys. */
  u32: [] as Uint32Array[],
  i32: [] as Int32Array[],
  f64: new Float64Array(0),
};

function ensureWork(n: number): void {
  if (work.size >= n) return;
  work.size = Math.max(n, 2 * work.size);
  work.u32 = Array.from({ length: 4 }, () => new Uint32Array(work.size));
  work.f64 = new Float64Array(work.size);
  work.i32 = Array.from({ length: 2 }, () => new Int32Array(work.size));
}

/**
 * The rows `0..n-1` ordered by score descending, then key ascending (then row, the sort is stable).
 * Keys are integers in [0, 2^53); scores are finite (NaN sorts last). The result is valid until the
 * next call (it lives in the working arrays).
 */
export function rankOrder(scores: Float64Array, keys: Float64Array, n: number): Int32Array {
  if (n < RADIX_MIN) {
    const rows = Array.from({ length: n }, (_, i) => i);
    // -0 and 0 compare equal here, as in the radix path (which adds 0 first).
    rows.sort((a, b) => scores[b] - scores[a] || keys[a] - keys[b]);
    return Int32Array.from(rows);
  }
  ensureWork(n);
  // The score as two u32 halves whose unsigned ascending order is descending score order.
  const scoreHi = work.u32[0];
  const scoreLo = work.u32[1];
  const bits = new Uint32Array(new Float64Array(1).buffer);
  const one = new Float64Array(bits.buffer);
  for (let i = 0; i < n; i++) {
    one[0] = scores[i] + 0; // -0 → +0
    let hi = bits[1];
    let lo = bits[0];
    // IEEE order → unsigned ascending order, then inverted for descending.
    if (hi & 0x80000000) {
      hi = ~hi;
      lo = ~lo;
    } else hi |= 0x80000000;
    scoreHi[i] = ~hi >>> 0;
    scoreLo[i] = ~lo >>> 0;
  }
  const order = work.i32[0].subarray(0, n);
  for (let i = 0; i < n; i++) order[i] = i;
  const spare = work.i32[1];
  const count = new Int32Array(DIGITS);
  radixRows(order, spare, n, scoreHi, count);
  // Runs of one high half: by the low half, then key. Nearly all are runs of one score.
  for (let i = 0; i < n; ) {
    let j = i + 1;
    const hi = scoreHi[order[i]];
    while (j < n && scoreHi[order[j]] === hi) j++;
    if (j - i > 1) byLowThenKey(order.subarray(i, j), scoreLo, keys, spare.subarray(i, j));
    i = j;
  }
  return order;
}

/** Sorts a run of rows of one high half by (low half, key, row) ascending. */
function byLowThenKey(run: Int32Array, lo: Uint32Array, keys: Float64Array, rows: Int32Array): void {
  const m = run.length;
  if (m <= 16) {
    insertionByLowKey(run, lo, keys);
    return;
  }
  const first = lo[run[0]];
  let mixed = false;
  for (let i = 1; i < m && !mixed; i++) mixed = lo[run[i]] !== first;
  if (!mixed) packedByKey(run, keys, work.f64, rows);
  else {
    // Many scores within 2^-20 of each other and not all equal: rare, so a comparator sort will do.
    const sorted = Array.from(run).sort((a, b) => lo[a] - lo[b] || keys[a] - keys[b] || a - b);
    run.set(sorted);
  }
}

/**
 * Sorts a run of rows by key ascending, then row, with one native sort of doubles: each packs the
 * key's high bits with the row's place in the run (keys are below 2^52, so the two fit in 53 bits).
 * Rows whose keys share those high bits (rare) are then put in key order by insertion. A
 * comparator sort of the same run costs several times as much.
 */
function packedByKey(run: Int32Array, keys: Float64Array, packed: Float64Array, rows: Int32Array): void {
  const m = run.length;
  const bits = 32 - Math.clz32(m - 1);
  const span = 2 ** bits;
  const drop = 2 ** (bits - 1);
  const p = packed.subarray(0, m);
  for (let i = 0; i < m; i++) p[i] = Math.floor(keys[run[i]] / drop) * span + i;
  p.sort();
  for (let i = 0; i < m; i++) rows[i] = run[p[i] % span];
  run.set(rows);
  for (let i = 1; i < m; ) {
    let j = i;
    while (j < m && Math.floor(p[j] / span) === Math.floor(p[j - 1] / span)) j++;
    if (j > i) insertionByKey(run.subarray(i - 1, j), keys);
    i = j + 1;
  }
}

/** Sorts a short run of rows by (low half, key) ascending, then row (insertion sort: stable). */
function insertionByLowKey(run: Int32Array, lo: Uint32Array, keys: Float64Array): void {
  for (let i = 1; i < run.length; i++) {
    const row = run[i];
    const low = lo[row];
    const key = keys[row];
    let j = i - 1;
    while (j >= 0 && (lo[run[j]] > low || (lo[run[j]] === low && keys[run[j]] > key))) {
      run[j + 1] = run[j];
      j--;
    }
    run[j + 1] = row;
  }
}

/** Sorts a short run of rows by key ascending, then row (insertion sort: stable). */
function insertionByKey(run: Int32Array, keys: Float64Array): void {
  for (let i = 1; i < run.length; i++) {
    const row = run[i];
    const key = keys[row];
    let j = i - 1;
    while (j >= 0 && keys[run[j]] > key) {
      run[j + 1] = run[j];
      j--;
    }
    run[j + 1] = row;
  }
}

/** Digit passes over a 32-bit word: (shift, digit mask), low digits first. */
const PASSES: readonly (readonly [number, number])[] = [
  [0, DIGITS - 1],
  [BITS, DIGITS - 1],
  [2 * BITS, (1 << (32 - 2 * BITS)) - 1],
];

/**
 * Stable LSD radix sort of `rows[0..n)` ascending by `hi[row]`, in place (`spare` is scratch of
 * the same length). The values move with the rows, so each pass reads its digits in order instead
 * of gathering them by row.
 */
function radixRows(rows: Int32Array, spare: Int32Array, n: number, hi: Uint32Array, count: Int32Array): void {
  let from = rows;
  let to = spare;
  let fromHi = work.u32[2];
  let toHi = work.u32[3];
  for (let i = 0; i < n; i++) fromHi[i] = hi[rows[i]];
  for (const [shift, mask] of PASSES) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(fromHi[i] >>> shift) & mask]++;
    if (count[(fromHi[0] >>> shift) & mask] === n) continue;
    let sum = 0;
    for (let d = 0; d <= mask; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const at = count[(fromHi[i] >>> shift) & mask]++;
      to[at] = from[i];
      toHi[at] = fromHi[i];
    }
    [from, to] = [to, from];
    [fromHi, toHi] = [toHi, fromHi];
  }
  if (from !== rows) rows.set(from.subarray(0, n));
}
