/**
 * A mergeable latency sketch: a log-bucket histogram with relative accuracy
 * SKETCH_RELATIVE_ERROR (2%). Bucket 0 holds every value ≤ 1 ms (reported as 0.5 ms, so the
 * error there is at most 0.5 ms absolute); bucket i ≥ 1 holds (γ^(i-1), γ^i] and reports
 * 2γ^i/(γ+1), which is within 2% of any value in it. A percentile interpolated between two
 * reported ranks is therefore within 2% of percentile_cont over the exact values.
 *
 * Stored sparse as bigint[], one element per bucket seen (sketch-codec.ts), so a rollup row only
 * carries the buckets it has seen; two sketches merge by adding counts per index (in SQL on upsert,
 * in JS on read). Indexes stop at SKETCH_MAX_INDEX (about 6·10^17 ms): a larger value counts there.
 */
import { SKETCH_INDEX_SPAN, SKETCH_MAX_INDEX, decodeSketchElements, decodeSketchList, encodeSketchElement } from "./sketch-codec.js";

export const SKETCH_RELATIVE_ERROR = 0.02;
export const SKETCH_GAMMA = (1 + SKETCH_RELATIVE_ERROR) / (1 - SKETCH_RELATIVE_ERROR);
const LN_GAMMA = Math.log(SKETCH_GAMMA);

/** Bucket counts by index. */
export type LatencySketch = Map<number, number>;

export function sketchIndex(valueMs: number): number {
  if (!(valueMs > 1)) return 0;
  const index = Math.ceil(Math.log(valueMs) / LN_GAMMA);
  return index < SKETCH_MAX_INDEX ? index : SKETCH_MAX_INDEX;
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
  return [...sketch.entries()].sort((a, b) => a[0] - b[0]).map(([index, count]) => encodeSketchElement(index, count));
}

/** Adds stored elements (numbers or their decimal strings) into a sketch. */
export function mergeEncoded(sketch: LatencySketch, elements: Iterable<number | string>): void {
  decodeSketchElements(elements, (index, count) => sketch.set(index, (sketch.get(index) ?? 0) + count));
}

/** mergeEncoded over a comma-separated list of elements (a report's string_agg of sketches; see decodeSketchList). */
export function mergeEncodedList(sketch: LatencySketch, list: string): void {
  decodeSketchList(list, (index, count) => sketch.set(index, (sketch.get(index) ?? 0) + count));
}

export function mergeSketches(target: LatencySketch, source: LatencySketch): void {
  for (const [index, count] of source) target.set(index, (target.get(index) ?? 0) + count);
}

/** Estimates percentile_cont(fraction): the reported values at the two ranks around fraction·(n−1), interpolated. */
export function sketchQuantile(sketch: LatencySketch, fraction: number): number | null {
  return sketchQuantiles(sketch, [fraction])[0] ?? null;
}

/** sketchQuantile for several fractions, over the sketch's counts held densely (DenseSketch.quantiles). */
export function sketchQuantiles(sketch: LatencySketch, fractions: readonly number[]): Array<number | null> {
  const dense = new DenseSketch();
  for (const [index, count] of sketch) if (count > 0) dense.add(index, count);
  return dense.quantiles(fractions);
}

/** The bucket index in SQL, for sketches built server-side (seeding, backfill, sub-minute edges). */
export const SKETCH_INDEX_SQL = (column: string): string =>
  `(case when ${column} > 1 then least(ceil(ln(${column}) / ${LN_GAMMA}::float8), ${SKETCH_MAX_INDEX})::bigint else 0 end)`;

const VALUE_CACHE: number[] = [];
function cachedSketchValue(index: number): number {
  let value = VALUE_CACHE[index];
  if (value === undefined) {
    value = sketchValue(index);
    VALUE_CACHE[index] = value;
  }
  return value;
}

/**
 * A sketch held as dense counts by bucket index, for reads that merge many stored sketches and
 * then ask percentiles: adding is an array write, not a Map lookup, and `reset` makes it reusable
 * for the next group without allocating. Indexes are below SKETCH_INDEX_SPAN (about 460 for a day
 * in ms), so one array holds any of them.
 */
export class DenseSketch {
  private readonly counts = new Float64Array(SKETCH_INDEX_SPAN);
  /** The lowest and highest index written since the last reset (low > high when empty). */
  private low = Number.POSITIVE_INFINITY;
  private high = -1;

  get isEmpty(): boolean {
    return this.high < 0;
  }

  private readonly addBound = (index: number, count: number): void => this.add(index, count);

  /** mergeEncodedList into dense counts. */
  addEncodedList(list: string): void {
    decodeSketchList(list, this.addBound);
  }

  /** Adds `count` at `index` (below SKETCH_INDEX_SPAN). */
  add(index: number, count: number): void {
    this.counts[index] = (this.counts[index] ?? 0) + count;
    if (index < this.low) this.low = index;
    if (index > this.high) this.high = index;
  }

  /** Adds this sketch's counts into `target`. */
  addTo(target: DenseSketch): void {
    for (let index = this.low; index <= this.high; index++) {
      const count = this.counts[index] ?? 0;
      if (count !== 0) target.add(index, count);
    }
  }

  reset(): void {
    if (this.high >= 0) this.counts.fill(0, this.low, this.high + 1);
    this.low = Number.POSITIVE_INFINITY;
    this.high = -1;
  }

  /** The interpolated percentiles of these counts (sketchQuantile's answer, for several fractions at once). */
  quantiles(fractions: readonly number[]): Array<number | null> {
    const { counts, low: first, high: last } = this;
    let total = 0;
    for (let index = first; index <= last; index++) {
      const count = counts[index] ?? 0;
      if (count > 0) total += count;
    }
    return fractions.map((fraction) => {
      if (total === 0) return null;
      const rank = fraction * (total - 1);
      const low = Math.floor(rank);
      const high = Math.ceil(rank);
      let lowValue: number | undefined;
      let seen = 0;
      for (let index = first; index <= last; index++) {
        const count = counts[index] ?? 0;
        if (!(count > 0)) continue;
        seen += count;
        if (lowValue === undefined && seen > low) lowValue = cachedSketchValue(index);
        if (seen > high) {
          const highValue = cachedSketchValue(index);
          const base = lowValue ?? highValue;
          return base + (highValue - base) * (rank - low);
        }
      }
      return null;
    });
  }
}
