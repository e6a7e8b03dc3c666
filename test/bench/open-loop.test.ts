import { describe, expect, it } from "vitest";
import { runOpenLoop } from "../../bench/open-loop.js";

describe("runOpenLoop", () => {
  it("sends rate × seconds requests, counts failures apart and reports the generator's own stalls", async () => {
    let calls = 0;
    const result = await runOpenLoop(1000, 0.05, async () => {
      const call = ++calls;
      await new Promise((resolve) => setImmediate(resolve));
      if (call % 10 === 0) throw new Error(`failure ${call}`);
      return 2;
    });
    expect(result).toMatchObject({ sent: 50, ok: 45, failed: 5, firstFailure: "failure 10" });
    expect(result.latencyMs).toMatchObject({ count: 45, min: 2, max: 2 });
    // Launch lag is counted for every request sent; latency from the schedule adds it to each answer's.
    expect(result.launchLagMs.count).toBe(50);
    expect(result.launchLagMs.min).toBeGreaterThanOrEqual(0);
    expect(result.fromScheduleMs.count).toBe(45);
    expect(result.fromScheduleMs.min).toBeGreaterThanOrEqual(2);
    expect(result.fromScheduleMs.max).toBeLessThanOrEqual(2 + result.launchLagMs.max);
    expect(result.generator.loopDelay.samples).toBeGreaterThan(0);
    expect(result.generator.gc.pauses).toBeGreaterThanOrEqual(0);
  });

  it("waits for requests still in flight when the last one has been sent", async () => {
    let finished = 0;
    const result = await runOpenLoop(1000, 0.01, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      finished++;
      return 20;
    });
    expect(finished).toBe(10);
    expect(result.ok).toBe(10);
  });
});
