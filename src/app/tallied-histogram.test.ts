import { Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { TalliedHistogram } from "./tallied-histogram.js";

const BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
// On a bound, between bounds, past the largest, zero, and two label sets.
const OBSERVED: Array<[{ model_group: string; deployment: string }, number]> = [
  [{ model_group: "g", deployment: "d1" }, 0.02],
  [{ model_group: "g", deployment: "d1" }, 0.05],
  [{ model_group: "g", deployment: "d1" }, 0],
  [{ model_group: "g", deployment: "d2" }, 75],
  [{ model_group: "g", deployment: "d2" }, 1],
  [{ model_group: "", deployment: "" }, 0.3],
];

describe("TalliedHistogram", () => {
  it("renders and sums as prom-client's Histogram does for the same observations", async () => {
    const theirs = new Registry();
    const histogram = new Histogram({ name: "latency_seconds", help: "Call latency", labelNames: ["model_group", "deployment"], buckets: BUCKETS, registers: [theirs] });
    const ours = new Registry();
    const tallied = new TalliedHistogram("latency_seconds", "Call latency", BUCKETS, ours);
    const series = new Map<string, ReturnType<TalliedHistogram["series"]>>();
    for (const [labels, value] of OBSERVED) {
      histogram.observe(labels, value);
      const key = `${labels.model_group}/${labels.deployment}`;
      if (!series.has(key)) series.set(key, tallied.series(labels));
      tallied.observe(series.get(key)!, value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
  });

  it("refuses a value that is not a finite number, as prom-client does", () => {
    const tallied = new TalliedHistogram("latency_seconds", "Call latency", BUCKETS, new Registry());
    expect(() => tallied.observe(tallied.series({ model_group: "g", deployment: "d" }), Number.NaN)).toThrow(TypeError);
  });
});
