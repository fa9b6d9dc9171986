/**
 * @module eval/percentile
 * Latency summaries: nearest-rank percentiles (p50 is the value at rank ⌈0.5·n⌉ of the sorted
 * values), so every reported latency is one that was measured.
 */

/** The nearest-rank `p`-th percentile (0 < p ≤ 100) of `values`; 0 for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** p50, p95 and mean of a list of durations. */
export interface Latency {
  p50: number;
  p95: number;
  mean: number;
}

export function latencyOf(values: readonly number[]): Latency {
  const sum = values.reduce((s, v) => s + v, 0);
  return {
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    mean: values.length === 0 ? 0 : sum / values.length,
  };
}
