import { describe, expect, it } from "vitest";
import { LatencySamples } from "../../bench/latency-samples.js";

describe("LatencySamples", () => {
  it("summarises what was added with nearest-rank percentiles", () => {
    const samples = new LatencySamples(1000);
    for (let i = 1000; i >= 1; i--) samples.add(i / 10);
    const summary = samples.summary();
    expect(samples.count).toBe(1000);
    expect(summary).toMatchObject({ count: 1000, min: 0.1, p50: 50, p90: 90, p99: 99, p999: 99.9, max: 100 });
    expect(summary.mean).toBeCloseTo(50.05, 10);
  });

  it("keeps every sample when more come than it was sized for", () => {
    const samples = new LatencySamples(2);
    for (const ms of [5, 1, 4, 2, 3]) samples.add(ms);
    expect(samples.summary()).toMatchObject({ count: 5, min: 1, p50: 3, max: 5 });
  });

  it("reads as empty before the first sample", () => {
    const summary = new LatencySamples(10).summary();
    expect(summary.count).toBe(0);
    expect(summary.p99).toBeNaN();
  });
});
