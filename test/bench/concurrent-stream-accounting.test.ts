import { describe, expect, it } from "vitest";
import { parseStreamCounts } from "../../bench/bench-settings.js";
import { OpenStreamTally, perOpenStreamKb } from "../../bench/open-stream-tally.js";
import { openFilesFor, planStreams, type MachineLimits } from "../../bench/stream-limits.js";

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

/** A machine whose soft and hard `ulimit -n` are `openFiles` and that may not go past the hard limit (no CAP_SYS_RESOURCE). */
const machine = (openFiles: number, more: Partial<MachineLimits> = {}): MachineLimits =>
  ({ openFiles, openFilesHard: openFiles, nrOpen: 1_048_576, mayRaiseHard: false, ephemeralPorts: { low: 32768, high: 60999 }, ...more });

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

  it("starts the gateway and the simulator with their own limit when that is enough", () => {
    expect(planStreams(5000, false, machine(20_000, { mayRaiseHard: true }))).toMatchObject({ gatewayOpenFiles: 20_000, simulatorOpenFiles: 20_000, limitsBiting: [] });
  });

  it("raises the gateway's ulimit -n past the hard limit where the bench holds CAP_SYS_RESOURCE, and then nothing bites", () => {
    const plan = planStreams(10_000, false, machine(20_000, { mayRaiseHard: true }));
    expect(plan).toMatchObject({ gatewayOpenFiles: 20_512, simulatorOpenFiles: 20_000, upstreamConnections: 10_000, upstreamStreams: 10_000, limitsBiting: [] });
    expect(plan.summary).toContain("gateway needs ~20512 and gets 20512");
  });

  it("raises the soft limit up to the hard one without CAP_SYS_RESOURCE, for the gateway and the simulator alike", () => {
    const plan = planStreams(10_000, false, machine(4096, { openFilesHard: 65_536 }));
    expect(plan).toMatchObject({ gatewayOpenFiles: 20_512, simulatorOpenFiles: 10_512, upstreamConnections: 10_000 });
    // The client is the bench's own process: its limit is the one it was started with.
    expect(plan.limitsBiting).toEqual([expect.stringContaining("this process (the client)")]);
  });

  it("raises no further than the hard limit without CAP_SYS_RESOURCE, or nr_open with it, and says the rest still bites", () => {
    const soft = planStreams(10_000, false, machine(16_384, { openFilesHard: 20_000 }));
    expect(soft).toMatchObject({ gatewayOpenFiles: 20_000, upstreamConnections: 9_488 });
    expect(soft.limitsBiting[0]).toContain("past it needs CAP_SYS_RESOURCE");
    const kernel = planStreams(10_000, false, machine(16_384, { openFilesHard: 16_384, nrOpen: 18_000, mayRaiseHard: true }));
    expect(kernel).toMatchObject({ gatewayOpenFiles: 18_000, upstreamConnections: 7_488 });
    expect(kernel.limitsBiting[0]).toContain("18000 (the kernel's nr_open)");
  });

  it("never starts a process with less than the bench's own limit", () => {
    expect(openFilesFor(100, machine(1024))).toBe(1024);
    expect(openFilesFor(50_000, machine(1024, { openFilesHard: 512 }))).toBe(1024);
    expect(openFilesFor(50_000, machine(1024, { openFilesHard: Number.POSITIVE_INFINITY }))).toBe(50_000);
  });

  it("says when the client's descriptors or the loopback ports are too few", () => {
    const plan = planStreams(30_000, true, machine(100_000, { ephemeralPorts: { low: 40_000, high: 49_999 } }));
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
