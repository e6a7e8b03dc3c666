import { describe, expect, it } from "vitest";
import type { LatencySummary } from "../../bench/latency-stats.js";
import { median, spread, summarizeRounds } from "../../bench/round-medians.js";
import type { ClosedRow, Row, SideBySideResult } from "../../bench/side-by-side.js";

const latency = (p50: number, p99: number, p999: number): LatencySummary => ({ count: 1000, min: p50, mean: p50, p50, p90: p50, p99, p999, max: p999 });
const quiet = { processCpuPercent: {}, processWaitPercent: { gen: 1 }, machineBusyPercent: 40 };
const generator = (lateP99: number) => ({ loopDelay: { samples: 900, p50Ms: 0.05, p99Ms: lateP99, maxMs: 2 }, gc: { pauses: 0, major: 0, totalMs: 0, maxMs: 0 } });

function row(label: string, kind: Row["kind"], [p50, p99, p999]: [number, number, number], extra: { failed?: number; lateP99?: number; cpu?: number } = {}): Row {
  return {
    label, kind,
    result: {
      rate: 1000, seconds: 1, sent: 1000, ok: 1000 - (extra.failed ?? 0), failed: extra.failed ?? 0,
      latencyMs: latency(p50, p99, p999), launchLagMs: latency(0.1, 0.5, 0.9), fromScheduleMs: latency(p50, p99, p999),
      generator: generator(extra.lateP99 ?? 0.3),
    },
    harness: quiet,
    ...(extra.cpu !== undefined ? { cpu: { mainUsPerCall: extra.cpu, otherUsPerCall: extra.cpu / 4 } } : {}),
  };
}

function closed(label: string, requestsPerSecond: number, non2xx = 0): ClosedRow {
  return {
    label,
    result: {
      connections: 50, seconds: 5, sent: 100, responses: 100, ok: 100 - non2xx, non2xx, badBodies: 0, connectionErrors: 0, timeouts: 0,
      requestsPerSecond, latencyMs: latency(1, 2, 3), autocannonLatencyMs: { p50: 1, p90: 1, p99: 2 }, generator: generator(0.3),
    },
    harness: quiet,
  };
}

const round = (rows: Row[], closedRows: ClosedRow[] = []): SideBySideResult => ({ rows, closed: closedRows, gatewayCalls: { ok: 0, sent: 0, inFlightAtStop: 0 } });

describe("median and spread", () => {
  it("takes the middle value, the mean of the middle two for an even count, and ignores what is not a number", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([Number.NaN, 2, Number.POSITIVE_INFINITY])).toBe(2);
    expect(median([])).toBeNaN();
    expect(spread([3, -1, 2])).toEqual({ min: -1, max: 3 });
    expect(spread([Number.NaN])).toEqual({ min: Number.NaN, max: Number.NaN });
  });
});

describe("summarizeRounds", () => {
  it("computes the added latency in each round against that round's upstream, then takes the median", () => {
    // The upstream's p99 moves between rounds: added per round is 1, 5 and 2 ms; the median of the gateway's own p99 (9) less
    // the median of the upstream's (3) would say 6.
    const rounds = [
      round([row("upstream", "http", [0.2, 2, 4]), row("floor", "http", [0.4, 2.5, 5]), row("/v1", "http", [0.5, 3, 9], { cpu: 200 })]),
      round([row("upstream", "http", [0.3, 4, 5]), row("/v1", "http", [0.7, 9, 12], { cpu: 260, lateP99: 3 }), row("floor", "http", [0.5, 4.5, 7])]),
      round([row("upstream", "http", [0.25, 3, 4]), row("floor", "http", [0.45, 3.2, 6]), row("/v1", "http", [0.6, 5, 8], { failed: 2, cpu: 220 })]),
    ];
    const summary = summarizeRounds(rounds);
    expect(summary.rounds).toBe(3);
    expect(summary.rows.map((r) => r.label)).toEqual(["upstream", "floor", "/v1"]);
    const v1 = summary.rows.find((r) => r.label === "/v1")!;
    expect(v1.latencyMs).toEqual({ p50: 0.6, p99: 5, p999: 9 });
    expect(v1.addedMs!.p99).toBeCloseTo(2);
    expect(v1.addedMs!.p999).toBeCloseTo(5);
    expect(v1.addedP99RangeMs).toEqual({ min: 1, max: 5 });
    expect(v1.failed).toBe(2);
    expect(v1.contendedRounds).toBe(1);
    expect(v1.cpuUsPerCall).toEqual({ main: 220, other: 55 });
    expect(v1.perRound.map((r) => r.round)).toEqual([1, 2, 3]);
    expect(summary.rows[0]!.addedMs).toBeUndefined();
    expect(summary.rows[0]!.cpuUsPerCall).toBeUndefined();
  });

  it("takes open-loop and stream rows against the upstream of their own kind, and counts a missing row only where it was measured", () => {
    const rounds = [
      round([row("upstream", "http", [0.2, 2, 3]), row("upstream SSE TTFT", "stream", [0.1, 1, 2]), row("/v1 SSE TTFT", "stream", [0.3, 2.5, 4])]),
      round([row("upstream", "http", [0.2, 2, 3]), row("upstream SSE TTFT", "stream", [0.1, 1, 2])]),
    ];
    const sse = summarizeRounds(rounds).rows.find((r) => r.label === "/v1 SSE TTFT")!;
    expect(sse.addedMs!.p99).toBeCloseTo(1.5);
    expect(sse.perRound).toHaveLength(1);
  });

  it("takes each closed-loop ratio against that round's floor, then the median", () => {
    const rounds = [
      round([], [closed("floor", 10_000), closed("/v1", 6_000)]),
      round([], [closed("floor", 5_000), closed("/v1", 2_000, 3)]),
      round([], [closed("floor", 8_000), closed("/v1", 4_400)]),
    ];
    const v1 = summarizeRounds(rounds).closed.find((r) => r.label === "/v1")!;
    expect(v1.requestsPerSecond).toBe(4_400);
    expect(v1.ofFloor).toBeCloseTo(0.55);
    expect(v1.ofFloorRange.min).toBeCloseTo(0.4);
    expect(v1.ofFloorRange.max).toBeCloseTo(0.6);
    expect(v1.failed).toBe(3);
  });
});
