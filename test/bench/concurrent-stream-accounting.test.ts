import { describe, expect, it } from "vitest";
import { parseStreamCounts } from "../../bench/bench-settings.js";
import { OpenStreamTally, perOpenStreamKb } from "../../bench/open-stream-tally.js";
import { planStreams, type MachineLimits } from "../../bench/stream-limits.js";

describe("OpenStreamTally", () => {
  it("counts the most streams open at once, from headers to the end of the body", () => {
    const tally = new OpenStreamTally(4);
    tally.open(1);
    tally.open(2);
    tally.settle(true);
    tally.open(3);
    tally.open(4);
    expect(tally).toMatchObject({ now: 3, peak: 3, opened: 4, settled: 1, unopenedSettled: 0 });
    tally.settle(false);
    expect(tally).toMatchObject({ now: 3, peak: 3, settled: 2, unopenedSettled: 1 });
  });

  it("releases once every stream is open or ended, never while some are still opening", () => {
    const tally = new OpenStreamTally(3);
    tally.open(10);
    tally.open(11);
    expect(tally.releaseReason(12, 0, 5_000, 60_000)).toBeUndefined();
    tally.settle(false); // the third failed before opening: it will never open
    expect(tally.releaseReason(13, 0, 5_000, 60_000)).toBe("all open");
  });

  it("releases when no stream has opened for the stall time, or the hold has lasted too long", () => {
    const tally = new OpenStreamTally(10);
    expect(tally.releaseReason(6_000, 0, 5_000, 60_000)).toBeUndefined(); // none opened yet: not a stall
    tally.open(1_000);
    expect(tally.releaseReason(5_999, 0, 5_000, 60_000)).toBeUndefined();
    expect(tally.releaseReason(6_000, 0, 5_000, 60_000)).toBe("stalled");
    const slow = new OpenStreamTally(10);
    slow.open(59_000);
    expect(slow.releaseReason(60_000, 0, 5_000, 60_000)).toBe("too long");
  });
});

describe("perOpenStreamKb", () => {
  it("is what the peak added over idle, over the most streams open at once", () => {
    expect(perOpenStreamKb(100 * 1024, 350 * 1024, 5000)).toBeCloseTo(51.2, 6);
    expect(perOpenStreamKb(100, 200, 0)).toBeNaN();
  });
});

const machine = (openFiles: number): MachineLimits => ({ openFiles, openFilesHard: openFiles, ephemeralPorts: { low: 32768, high: 60999 } });

describe("planStreams", () => {
  it("gives a connection per stream over HTTP/1.1 and one per hundred over h2c when the descriptors allow it", () => {
    expect(planStreams(5000, false, machine(20_000))).toMatchObject({ upstreamConnections: 5000, upstreamStreams: 5000, gatewayDescriptors: 10_512, limitsBiting: [] });
    expect(planStreams(10_000, true, machine(20_000))).toMatchObject({ upstreamConnections: 100, upstreamStreams: 10_000, limitsBiting: [] });
  });

  it("says when ulimit -n keeps the gateway from holding every stream upstream, and gives it what fits", () => {
    const plan = planStreams(10_000, false, machine(20_000));
    expect(plan.upstreamConnections).toBe(20_000 - 10_000 - 512);
    expect(plan.upstreamStreams).toBe(9_488);
    expect(plan.limitsBiting).toHaveLength(1);
    expect(plan.limitsBiting[0]).toContain("ulimit -n is 20000");
    expect(plan.limitsBiting[0]).toContain("raise ulimit -n to 20512");
  });

  it("says when the client's descriptors or the loopback ports are too few", () => {
    const plan = planStreams(30_000, true, { openFiles: 100_000, openFilesHard: 100_000, ephemeralPorts: { low: 40_000, high: 49_999 } });
    expect(plan.limitsBiting.some((line) => line.includes("ephemeral ports 40000–49999 (10000)"))).toBe(true);
    expect(planStreams(20_000, true, machine(20_000)).limitsBiting.some((line) => line.includes("this process (the client)"))).toBe(true);
  });
});

describe("parseStreamCounts (BENCH_CONCURRENT_STREAMS)", () => {
  it("takes one count or a list, 0 for none, and refuses anything else", () => {
    expect(parseStreamCounts(undefined, [5000, 10_000])).toEqual([5000, 10_000]);
    expect(parseStreamCounts("5000", [1])).toEqual([5000]);
    expect(parseStreamCounts("5000, 10000", [1])).toEqual([5000, 10_000]);
    expect(parseStreamCounts("0", [1])).toEqual([]);
    expect(() => parseStreamCounts("5000,x", [1])).toThrow(/BENCH_CONCURRENT_STREAMS/);
  });
});
