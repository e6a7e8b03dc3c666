/** Percentiles of latency samples in milliseconds, kept at full (sub-millisecond) precision. */
export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** Nearest-rank percentiles (the sample at rank ceil(p·n)), so every figure is a measured value. */
export function summarizeLatencies(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const count = sorted.length;
  if (count === 0) return { count: 0, min: Number.NaN, mean: Number.NaN, p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, p999: Number.NaN, max: Number.NaN };
  let sum = 0;
  for (const value of sorted) sum += value;
  const at = (p: number): number => sorted[Math.min(count - 1, Math.max(0, Math.ceil(p * count) - 1))] ?? Number.NaN;
  return { count, min: sorted[0] ?? Number.NaN, mean: sum / count, p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: sorted[count - 1] ?? Number.NaN };
}

/** Milliseconds since `start` (a process.hrtime.bigint() reading). */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
