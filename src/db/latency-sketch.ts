/**
 * A mergeable latency sketch: a log-bucket histogram with relative accuracy
 * SKETCH_RELATIVE_ERROR (2%). Bucket 0 holds every value ≤ 1 ms (reported as 0.5 ms, so the
 * error there is at most 0.5 ms absolute); bucket i ≥ 1 holds (γ^(i-1), γ^i] and reports
 * 2γ^i/(γ+1), which is within 2% of any value in it. A percentile interpolated between two
 * reported ranks is therefore within 2% of percentile_cont over the exact values.
 *
 * Stored sparse as bigint[] of `index * 2^32 + count` so a rollup row only carries the buckets
 * it has seen; two sketches merge by adding counts per index (in SQL on upsert, in JS on read).
 */
export const SKETCH_RELATIVE_ERROR = 0.02;
export const SKETCH_GAMMA = (1 + SKETCH_RELATIVE_ERROR) / (1 - SKETCH_RELATIVE_ERROR);
const LN_GAMMA = Math.log(SKETCH_GAMMA);
const COUNT_SPAN = 2 ** 32;

/** Bucket counts by index. */
export type LatencySketch = Map<number, number>;

export function sketchIndex(valueMs: number): number {
  if (!(valueMs > 1)) return 0;
  return Math.ceil(Math.log(valueMs) / LN_GAMMA);
}

export function sketchValue(index: number): number {
  return index === 0 ? 0.5 : (2 * SKETCH_GAMMA ** index) / (SKETCH_GAMMA + 1);
}

export function addToSketch(sketch: LatencySketch, valueMs: number, count = 1): void {
  const index = sketchIndex(valueMs);
  sketch.set(index, (sketch.get(index) ?? 0) + count);
}

/** The stored form: ascending indexes, one element per non-empty bucket. */
export function encodeSketch(sketch: LatencySketch): number[] {
  return [...sketch.entries()].sort((a, b) => a[0] - b[0]).map(([index, count]) => index * COUNT_SPAN + count);
}

/** Adds stored elements (numbers or their decimal strings) into a sketch. */
export function mergeEncoded(sketch: LatencySketch, elements: Iterable<number | string>): void {
  for (const element of elements) {
    const value = Number(element);
    const index = Math.floor(value / COUNT_SPAN);
    const count = value - index * COUNT_SPAN;
    sketch.set(index, (sketch.get(index) ?? 0) + count);
  }
}

/**
 * mergeEncoded over a comma-separated list of elements (a report's string_agg of sketches), read in
 * one pass instead of split into strings first. Empty items (",,", a leading or trailing comma) are
 * skipped. Elements are non-negative integers below 2^53, so the digit arithmetic is exact.
 */
export function mergeEncodedList(sketch: LatencySketch, list: string): void {
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= list.length; i++) {
    const code = i < list.length ? list.charCodeAt(i) : 44;
    if (code === 44) {
      if (digits > 0) {
        const index = Math.floor(value / COUNT_SPAN);
        const count = value - index * COUNT_SPAN;
        sketch.set(index, (sketch.get(index) ?? 0) + count);
      }
      value = 0;
      digits = 0;
    } else {
      value = value * 10 + (code - 48);
      digits += 1;
    }
  }
}

export function mergeSketches(target: LatencySketch, source: LatencySketch): void {
  for (const [index, count] of source) target.set(index, (target.get(index) ?? 0) + count);
}

/** Estimates percentile_cont(fraction): the reported values at the two ranks around fraction·(n−1), interpolated. */
export function sketchQuantile(sketch: LatencySketch, fraction: number): number | null {
  return sketchQuantiles(sketch, [fraction])[0] ?? null;
}

/** sketchQuantile for several fractions, sorting the buckets once. */
export function sketchQuantiles(sketch: LatencySketch, fractions: readonly number[]): Array<number | null> {
  const buckets = [...sketch.entries()].filter(([, count]) => count > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  return fractions.map((fraction) => {
    if (total === 0) return null;
    const rank = fraction * (total - 1);
    const low = Math.floor(rank);
    const high = Math.ceil(rank);
    let lowValue: number | undefined;
    let seen = 0;
    for (const [index, count] of buckets) {
      seen += count;
      if (lowValue === undefined && seen > low) lowValue = sketchValue(index);
      if (seen > high) {
        const highValue = sketchValue(index);
        const base = lowValue ?? highValue;
        return base + (highValue - base) * (rank - low);
      }
    }
    return null;
  });
}

/** The bucket index in SQL, for sketches built server-side (seeding, backfill, sub-minute edges). */
export const SKETCH_INDEX_SQL = (column: string): string =>
  `(case when ${column} > 1 then ceil(ln(${column}) / ${LN_GAMMA}::float8)::bigint else 0 end)`;
export const SKETCH_COUNT_SPAN = COUNT_SPAN;
