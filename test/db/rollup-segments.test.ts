import { describe, expect, it } from "vitest";
import { DenseSketch, SKETCH_RELATIVE_ERROR, type LatencySketch, addToSketch, encodeSketch, mergeEncoded, mergeEncodedList, sketchQuantile, sketchQuantiles, sketchValue } from "../../src/db/latency-sketch.js";
import { planRollupSegments } from "../../src/db/plan-rollup-segments.js";
import { chooseBreakdown } from "../../src/db/rollup-breakdowns.js";
import { seededRandom } from "./make-call-record.js";

const at = (iso: string) => new Date(iso);
const show = (segments: ReturnType<typeof planRollupSegments>) =>
  segments.map((s) => `${s.grain}:${s.from?.toISOString() ?? "-∞"}..${s.to?.toISOString() ?? "+∞"}`);

describe("planRollupSegments", () => {
  it("reads whole days, then hours, minutes and raw edges", () => {
    expect(show(planRollupSegments(at("2025-03-01T07:13:27Z"), at("2025-03-03T17:42:09Z"), 1440))).toEqual([
      "0:2025-03-01T07:13:27.000Z..2025-03-01T07:14:00.000Z",
      "1:2025-03-01T07:14:00.000Z..2025-03-01T08:00:00.000Z",
      "60:2025-03-01T08:00:00.000Z..2025-03-02T00:00:00.000Z",
      "1440:2025-03-02T00:00:00.000Z..2025-03-03T00:00:00.000Z",
      "60:2025-03-03T00:00:00.000Z..2025-03-03T17:00:00.000Z",
      "1:2025-03-03T17:00:00.000Z..2025-03-03T17:42:00.000Z",
      "0:2025-03-03T17:42:00.000Z..2025-03-03T17:42:09.000Z",
    ]);
  });

  it("keeps within the allowed grain, handles open and empty ranges", () => {
    expect(show(planRollupSegments(at("2025-03-01T00:00:00Z"), at("2025-03-02T00:00:00Z"), 60))).toEqual([
      "60:2025-03-01T00:00:00.000Z..2025-03-02T00:00:00.000Z",
    ]);
    expect(show(planRollupSegments(undefined, undefined, 1440))).toEqual(["1440:-∞..+∞"]);
    expect(show(planRollupSegments(undefined, at("2025-03-01T10:30:00Z"), 1440))).toEqual([
      "1440:-∞..2025-03-01T00:00:00.000Z",
      "60:2025-03-01T00:00:00.000Z..2025-03-01T10:00:00.000Z",
      "1:2025-03-01T10:00:00.000Z..2025-03-01T10:30:00.000Z",
    ]);
    expect(show(planRollupSegments(at("2025-03-01T10:00:10Z"), at("2025-03-01T10:00:50Z"), 1440))).toEqual([
      "0:2025-03-01T10:00:10.000Z..2025-03-01T10:00:50.000Z",
    ]);
    expect(planRollupSegments(at("2025-03-02T00:00:00Z"), at("2025-03-01T00:00:00Z"), 1440)).toEqual([]);
  });

  it("chooses the narrowest breakdown holding every needed dimension", () => {
    expect(chooseBreakdown(new Set(["model_group", "status"]))).toEqual({ id: 1, maxGrain: 1440 });
    expect(chooseBreakdown(new Set(["key_id", "team_id"]))).toEqual({ id: 5, maxGrain: 1440 });
    expect(chooseBreakdown(new Set(["key_id", "status"]))).toEqual({ id: 2, maxGrain: 1440 });
    expect(chooseBreakdown(new Set(["model_group", "deployment"]))).toEqual({ id: 4, maxGrain: 1440 });
    expect(chooseBreakdown(new Set(["deployment", "error_kind"]))).toEqual({ id: 1, maxGrain: 1440 });
    expect(chooseBreakdown(new Set())).toEqual({ id: 4, maxGrain: 1440 });
    expect(chooseBreakdown(new Set(["key_id", "model_group"]))).toEqual({ id: 0, maxGrain: 1 });
    expect(chooseBreakdown(new Set(["end_user"]))).toEqual({ id: 3, maxGrain: 1440 });
    expect(chooseBreakdown(new Set(["end_user", "key_id", "status"]))).toEqual({ id: 3, maxGrain: 1440 });
    expect(chooseBreakdown(new Set(["end_user", "deployment"]))).toEqual({ id: 0, maxGrain: 1 });
  });
});

describe("latency sketch", () => {
  const exact = (values: number[], fraction: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    const rank = fraction * (sorted.length - 1);
    const low = Math.floor(rank);
    return sorted[low]! + (sorted[Math.ceil(rank)]! - sorted[low]!) * (rank - low);
  };

  it("reports percentiles within the stated relative error, also after merging encoded halves", () => {
    const random = seededRandom(11);
    const values = Array.from({ length: 5000 }, () => Math.exp(1 + random() * 9));
    const left: LatencySketch = new Map();
    const right: LatencySketch = new Map();
    values.forEach((value, i) => addToSketch(i % 2 === 0 ? left : right, value));
    const merged: LatencySketch = new Map();
    mergeEncoded(merged, encodeSketch(left));
    mergeEncoded(merged, encodeSketch(right).map(String));
    for (const fraction of [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1]) {
      const want = exact(values, fraction);
      const got = sketchQuantile(merged, fraction)!;
      expect(Math.abs(got - want) / want).toBeLessThanOrEqual(SKETCH_RELATIVE_ERROR + 1e-12);
    }
    expect(sketchQuantile(new Map(), 0.5)).toBeNull();
  });

  it("merges a comma-separated list of elements the same as the elements themselves", () => {
    const random = seededRandom(5);
    const sketches = Array.from({ length: 4 }, () => {
      const sketch: LatencySketch = new Map();
      for (let i = 0; i < 300; i++) addToSketch(sketch, Math.exp(random() * 10), 1 + Math.floor(random() * 3));
      return encodeSketch(sketch);
    });
    const fromElements: LatencySketch = new Map();
    for (const elements of sketches) mergeEncoded(fromElements, elements);
    const fromList: LatencySketch = new Map();
    // As string_agg(array_to_string(…)) gives it, with an empty sketch's empty item in the middle.
    mergeEncodedList(fromList, [sketches[0]!.join(","), "", sketches[1]!.join(","), sketches[2]!.join(",") + "," + sketches[3]!.join(",")].join(","));
    expect(fromList).toEqual(fromElements);
    const empty: LatencySketch = new Map();
    mergeEncodedList(empty, ",");
    expect(empty.size).toBe(0);
  });

  it("answers the same percentiles from dense counts as from the map, reused across groups and summed into totals", () => {
    const random = seededRandom(23);
    const fractions = [0, 0.01, 0.5, 0.95, 0.99, 1];
    const group = new DenseSketch();
    const totals = new DenseSketch();
    const totalsMap: LatencySketch = new Map();
    for (let g = 0; g < 20; g++) {
      // Some groups wide (values up to hours, indexes past 500), some narrow, one empty.
      const sketch: LatencySketch = new Map();
      const count = g === 7 ? 0 : 1 + Math.floor(random() * 400);
      for (let i = 0; i < count; i++) addToSketch(sketch, g % 5 === 0 ? Math.exp(random() * 22) : 40 + random() * 200, 1 + Math.floor(random() * 4));
      group.reset();
      group.addEncodedList(`${encodeSketch(sketch).join(",")},,${encodeSketch(sketch).join(",")}`);
      const doubled: LatencySketch = new Map();
      mergeEncoded(doubled, encodeSketch(sketch));
      mergeEncoded(doubled, encodeSketch(sketch));
      expect(group.quantiles(fractions)).toEqual(sketchQuantiles(doubled, fractions));
      expect(group.isEmpty).toBe(count === 0);
      group.addTo(totals);
      mergeEncoded(totalsMap, encodeSketch(doubled));
    }
    expect(totals.quantiles(fractions)).toEqual(sketchQuantiles(totalsMap, fractions));
    expect(new DenseSketch().quantiles([0.5])).toEqual([null]);
  });

  it("answers each fraction, in any order, as the reported values at the ranks around it interpolated over every count laid out", () => {
    const random = seededRandom(31);
    const fractions = [0.99, 0, 0.5, 1, 0.25, 0.95, 0.5, 0.999];
    for (let trial = 0; trial < 40; trial++) {
      const sketch = new DenseSketch();
      const laidOut: number[] = [];
      const added = new Map<number, number>();
      const buckets = 1 + Math.floor(random() * 12);
      for (let b = 0; b < buckets; b++) {
        const index = Math.floor(random() * (trial % 2 === 0 ? 40 : 700));
        const count = 1 + Math.floor(random() * (trial % 3 === 0 ? 1 : 6));
        sketch.add(index, count);
        added.set(index, (added.get(index) ?? 0) + count);
      }
      for (const [index, count] of [...added].sort((a, b) => a[0] - b[0])) for (let i = 0; i < count; i++) laidOut.push(sketchValue(index));
      const expected = fractions.map((fraction) => {
        const rank = fraction * (laidOut.length - 1);
        const low = laidOut[Math.floor(rank)]!;
        return low + (laidOut[Math.ceil(rank)]! - low) * (rank - Math.floor(rank));
      });
      expect(sketch.quantiles(fractions), `trial ${trial}`).toEqual(expected);
    }
  });

  it("keeps sub-millisecond values within 0.5 ms", () => {
    const sketch: LatencySketch = new Map();
    for (const value of [0, 0.2, 0.9, 1]) addToSketch(sketch, value);
    expect(Math.abs(sketchQuantile(sketch, 0.5)! - 0.55)).toBeLessThanOrEqual(0.5);
  });
});
